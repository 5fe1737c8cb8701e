# ctest gui_smoke_test: `signalbox --smoke-test` on a fresh data dir, made here because
# ctest cannot make a temporary directory itself.
#   cmake -DSIGNALBOX=path/to/signalbox -DWORK_DIR=dir -P run_smoke_test.cmake
if(NOT SIGNALBOX OR NOT WORK_DIR)
  message(FATAL_ERROR "usage: cmake -DSIGNALBOX=... -DWORK_DIR=... -P run_smoke_test.cmake")
endif()
string(RANDOM LENGTH 8 suffix)
set(data_dir "${WORK_DIR}/smoke-${suffix}")
file(REMOVE_RECURSE "${data_dir}")
file(MAKE_DIRECTORY "${data_dir}")
execute_process(COMMAND "${SIGNALBOX}" --smoke-test --data-dir "${data_dir}" --theme light
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
file(REMOVE_RECURSE "${data_dir}")
message(STATUS "signalbox --smoke-test: ${output}")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "signalbox --smoke-test exited ${result}: ${errors}")
endif()
if(NOT output MATCHES "\"first_paint_ms\":[0-9]+" OR NOT output MATCHES "\"views\":7" OR NOT output MATCHES "\"peak_rss_kb\":[1-9][0-9]*")
  message(FATAL_ERROR "unexpected smoke test report: ${output}")
endif()
