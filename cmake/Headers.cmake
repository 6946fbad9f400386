# Each library sees the headers of the libraries it links to, and no others. Includes are
# rooted at the repository root ("core/model.hpp"), so instead of putting the root on the
# include path (which would make every header of the tree visible everywhere), each library
# gets an include root of its own under the build directory holding links to just its own
# folders or headers. An #include against the dependency direction then fails to compile:
# `store/` cannot include "reports/detect/check.hpp" because perftrack_store does not link
# perftrack_reports_detect.
#
#   perftrack_headers(<target> <path>...)   path: a folder or a header, relative to the root;
#                                           a folder's subfolders are exposed with it.
function(perftrack_headers target)
  set(root ${CMAKE_BINARY_DIR}/include/${target})
  foreach(path IN LISTS ARGN)
    if(NOT EXISTS ${PERFTRACK_ROOT}/${path})
      message(FATAL_ERROR "perftrack_headers(${target}): ${path} does not exist")
    endif()
    get_filename_component(parent ${root}/${path} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    if(NOT IS_SYMLINK ${root}/${path})
      file(CREATE_LINK ${PERFTRACK_ROOT}/${path} ${root}/${path} SYMBOLIC)
    endif()
  endforeach()
  target_include_directories(${target} PUBLIC ${root})
endfunction()

# The headers directly in one folder (not its subfolders), as paths relative to the root.
function(perftrack_folder_headers out folder)
  file(GLOB headers RELATIVE ${PERFTRACK_ROOT} CONFIGURE_DEPENDS ${PERFTRACK_ROOT}/${folder}/*.hpp)
  set(${out} ${headers} PARENT_SCOPE)
endfunction()
