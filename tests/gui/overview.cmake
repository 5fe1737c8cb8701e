# Overview: tiles, charts and latest failures over a real LocalBackend.
signalbox_add_gui_test(NAME tst_overview_view SOURCES tst_overview_view.cpp)
