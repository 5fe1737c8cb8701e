# The window around the views: sidebar, palette, links, drops, status bar, tray,
# settings, persistence; and `signalbox --smoke-test` on a fresh data dir.
signalbox_add_gui_test(NAME tst_main_window SOURCES tst_main_window.cpp)
signalbox_add_gui_test(NAME tst_command_palette SOURCES tst_command_palette.cpp)

if(TARGET signalbox)
  add_test(NAME gui_smoke_test
    COMMAND ${CMAKE_COMMAND} -DSIGNALBOX=$<TARGET_FILE:signalbox> -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}
            -P ${PROJECT_SOURCE_DIR}/app/gui/run_smoke_test.cmake)
  # Its own config dir: the window saves its state on exit, never into a person's settings.
  set_tests_properties(gui_smoke_test PROPERTIES LABELS gui TIMEOUT 120
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;XDG_CONFIG_HOME=${CMAKE_CURRENT_BINARY_DIR}/smoke-config")
endif()
