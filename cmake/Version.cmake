# The version has one home: project(VERSION) in the root CMakeLists.txt. A release tag must say
# the same (v<version>), so a tag can never name a binary that prints another version.
# PERFTRACK_COMMIT is the commit the build is configured from, for `perftrack --version`; from a
# source tarball without .git it is PERFTRACK_BUILD_COMMIT if given, else "unknown".
set(PERFTRACK_BUILD_COMMIT "" CACHE STRING
    "Commit to report in --version when building outside a git checkout (empty: ask git)")

set(PERFTRACK_COMMIT "unknown")
find_package(Git QUIET)
if(NOT PERFTRACK_BUILD_COMMIT STREQUAL "")
  set(PERFTRACK_COMMIT "${PERFTRACK_BUILD_COMMIT}")
elseif(GIT_FOUND)
  # Only this checkout's own history counts: a tarball unpacked inside some other repository
  # must not report that repository's commit.
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --show-toplevel
                  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                  OUTPUT_VARIABLE perftrack_git_top RESULT_VARIABLE perftrack_git_rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(perftrack_git_rc EQUAL 0)
    file(REAL_PATH "${perftrack_git_top}" perftrack_git_top)
    file(REAL_PATH "${CMAKE_SOURCE_DIR}" perftrack_source_dir)
  endif()
  if(perftrack_git_rc EQUAL 0 AND perftrack_git_top STREQUAL perftrack_source_dir)
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
                    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                    OUTPUT_VARIABLE perftrack_head RESULT_VARIABLE perftrack_git_rc
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(perftrack_git_rc EQUAL 0)
      set(PERFTRACK_COMMIT "${perftrack_head}")
    endif()

    # Configure again when HEAD moves (checkout, commit, pull), so --version never names a
    # commit the binary was not built from. In a worktree HEAD and the branch ref live in
    # different directories; --git-path finds both.
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --symbolic-full-name HEAD
                    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                    OUTPUT_VARIABLE perftrack_head_ref OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    foreach(ref HEAD ${perftrack_head_ref} packed-refs)
      execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --git-path ${ref}
                      WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                      OUTPUT_VARIABLE ref_file OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      if(ref_file AND NOT IS_ABSOLUTE "${ref_file}")
        set(ref_file "${CMAKE_SOURCE_DIR}/${ref_file}")
      endif()
      if(ref_file AND EXISTS "${ref_file}")
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${ref_file}")
      endif()
    endforeach()

    execute_process(COMMAND ${GIT_EXECUTABLE} tag --points-at HEAD --list "v[0-9]*"
                    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                    OUTPUT_VARIABLE perftrack_tags OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    string(REPLACE "\n" ";" perftrack_tags "${perftrack_tags}")
    foreach(tag IN LISTS perftrack_tags)
      if(NOT tag STREQUAL "v${PROJECT_VERSION}")
        message(FATAL_ERROR "HEAD is tagged ${tag} but project(VERSION) says ${PROJECT_VERSION}: "
                            "make them agree (docs/install.md, 'Releasing')")
      endif()
    endforeach()
  endif()
endif()
message(STATUS "perftrack ${PROJECT_VERSION}, commit ${PERFTRACK_COMMIT}")
