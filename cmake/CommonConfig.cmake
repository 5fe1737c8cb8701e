# One INTERFACE target carries the compile settings every Signalbox target shares,
# so no target repeats flags and a change here reaches all of them.
option(SIGNALBOX_WERROR "Treat compiler warnings as errors (on in CI)" OFF)
option(SIGNALBOX_SANITIZE "Build with AddressSanitizer and UBSan" OFF)

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

add_library(signalbox_common_settings INTERFACE)
add_library(Signalbox::CommonSettings ALIAS signalbox_common_settings)

target_compile_features(signalbox_common_settings INTERFACE cxx_std_20)
target_compile_definitions(signalbox_common_settings INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CONTEXTLESS_CONNECT
  QT_USE_QSTRINGBUILDER
  SIGNALBOX_VERSION="${PROJECT_VERSION}")

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(signalbox_common_settings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wcast-align
    -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
  if(SIGNALBOX_WERROR)
    target_compile_options(signalbox_common_settings INTERFACE -Werror)
  endif()
  if(SIGNALBOX_SANITIZE)
    target_compile_options(signalbox_common_settings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(signalbox_common_settings INTERFACE -fsanitize=address,undefined)
  endif()
elseif(MSVC)
  target_compile_options(signalbox_common_settings INTERFACE /W4 /permissive- /utf-8)
  if(SIGNALBOX_WERROR)
    target_compile_options(signalbox_common_settings INTERFACE /WX)
  endif()
endif()
