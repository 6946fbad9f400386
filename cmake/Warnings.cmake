# Project-wide warnings. PERFTRACK_WERROR (ON in CI) turns them into errors.
add_library(perftrack_warnings INTERFACE)
target_compile_options(perftrack_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion
  -Wformat=2 -Wimplicit-fallthrough)
if(PERFTRACK_WERROR)
  target_compile_options(perftrack_warnings INTERFACE -Werror)
endif()
