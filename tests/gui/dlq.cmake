# Dead Letters view: edit-and-retry dialog and formatting (no engine), the two models
# (QAbstractItemModelTester over real pages), the view's retry and bulk archive.
signalbox_add_gui_test(NAME tst_dlq_edit_retry SOURCES tst_dlq_edit_retry.cpp)
signalbox_add_gui_test(NAME tst_dlq_models SOURCES tst_dlq_models.cpp)
signalbox_add_gui_test(NAME tst_dlq_view SOURCES tst_dlq_view.cpp)
