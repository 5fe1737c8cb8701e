# Runs view: the runs model (paging, stale answers, refresh keeping the selection) and
# the view (launch dialog to a finished run; a failed instance's output).
signalbox_add_gui_test(NAME tst_runs_model SOURCES tst_runs_model.cpp)
signalbox_add_gui_test(NAME tst_runs_view SOURCES tst_runs_view.cpp)
