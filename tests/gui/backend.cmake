# LocalBackend over a real data dir: open, runs, dead letters, logs, the lock.
signalbox_add_gui_test(NAME tst_local_backend SOURCES tst_local_backend.cpp)
