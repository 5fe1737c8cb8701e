# Logs, Pools and Repositories views and their models (engineer "logs").
signalbox_add_gui_test(NAME tst_logs_models SOURCES tst_logs_models.cpp)
signalbox_add_gui_test(NAME tst_logs_view SOURCES tst_logs_view.cpp)
signalbox_add_gui_test(NAME tst_pools_view SOURCES tst_pools_view.cpp)
signalbox_add_gui_test(NAME tst_repositories_view SOURCES tst_repositories_view.cpp)
