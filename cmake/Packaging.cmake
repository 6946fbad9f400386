# Installing and packaging. `cmake --install` lays out the binary, the docs and examples under
# share/doc/perftrack, and (with PERFTRACK_PACKAGE=ON) the man page and bash completion; `cpack`
# turns that tree into perftrack_<version>_<arch>.deb (ci/package.sh does both).
#
# Runtime dependencies are not listed here: dpkg-shlibdeps reads the libraries the binary really
# links and writes the Depends line, so a library added to the build later is declared without
# an edit to this file. Only what the binary runs rather than links is named by hand (the
# PostgreSQL server binaries of the embedded database).
include(GNUInstallDirs)

option(PERFTRACK_PACKAGE "Generate the man page and bash completion (needs help2man)" OFF)

install(TARGETS perftrack RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The docs keep the repository's layout, so the relative links between them still work.
install(FILES README.md CHANGELOG.md ARCHITECTURE.md perftrack.toml
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs FILES_MATCHING PATTERN "*.md")
install(DIRECTORY ci/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/ci/examples)
install(DIRECTORY examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

if(PERFTRACK_PACKAGE)
  find_program(HELP2MAN help2man REQUIRED)
  set(man_page ${CMAKE_BINARY_DIR}/man/perftrack.1.gz)
  add_custom_command(
    OUTPUT ${man_page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${CMAKE_COMMAND} -DPERFTRACK=$<TARGET_FILE:perftrack> -DHELP2MAN=${HELP2MAN}
            -DVERSION=${PROJECT_VERSION} -DOUT=${man_page} -P ${PERFTRACK_ROOT}/cmake/ManPage.cmake
    DEPENDS perftrack ${PERFTRACK_ROOT}/cmake/ManPage.cmake
    COMMENT "Generating the man page from perftrack --help")
  set(completion ${CMAKE_BINARY_DIR}/completion/perftrack)
  add_custom_command(
    OUTPUT ${completion}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/completion
    COMMAND $<TARGET_FILE:perftrack> completion bash > ${completion}
    DEPENDS perftrack
    COMMENT "Generating the bash completion from the command tree")
  add_custom_target(perftrack_package_files ALL DEPENDS ${man_page} ${completion})

  install(FILES ${man_page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME perftrack)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "continuous performance regression tracking")
# CPack puts the summary first and formats the paragraphs as the control file wants them.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "perftrack runs benchmark suites (Google Benchmark, plain commands) or ingests the results \
of common benchmark tools, stores every sample in PostgreSQL, compares each new run with a \
rolling baseline, flags the changes that are statistically significant and large enough to \
matter, renders a self-contained HTML report, and alerts by Slack, webhooks and GitHub.

With the recommended PostgreSQL server binaries installed it needs no database setup: an \
embedded cluster is started on first use.")
set(PERFTRACK_PACKAGE_MAINTAINER "perftrack maintainers" CACHE STRING
    "The Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT "${PERFTRACK_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# DEB-DEFAULT: perftrack_<version>_<arch>.deb
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The embedded database runs the server binaries it finds in /usr/lib/postgresql/*/bin; a team
# that points perftrack at a shared server does not need them, hence a recommendation. The
# client tools are what the CI examples use to carry the history as a dump.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql-client")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# The build keeps its debug info (RelWithDebInfo); the package ships the stripped binary.
set(CPACK_STRIP_FILES ON)
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR}/packages)
include(CPack)
