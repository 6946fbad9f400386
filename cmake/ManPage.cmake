# Writes perftrack.1.gz from the binary's own --help, so the man page never disagrees with the
# program. help2man turns the top-level help into the page; the help of every subcommand (found
# by walking the "Subcommands:" sections) becomes a COMMANDS section of it.
# Run at build time: cmake -DPERFTRACK=<binary> -DHELP2MAN=<help2man> -DVERSION=<x.y.z>
#                          -DOUT=<perftrack.1.gz> -P ManPage.cmake
foreach(var PERFTRACK HELP2MAN VERSION OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "ManPage.cmake: ${var} is not set")
  endif()
endforeach()

# roff treats a backslash as an escape and a leading '.' or "'" as a request.
function(roff_literal text out_var)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

set(commands_section "")
function(describe_subcommands path)
  execute_process(COMMAND ${PERFTRACK} ${path} --help
                  OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "perftrack ${path} --help exited ${rc}")
  endif()
  if(NOT path STREQUAL "")
    string(REPLACE ";" " " title "perftrack ${path}")
    # The footer (exit codes) is the same on every page; the top-level section has it once.
    string(FIND "${help}" "\nExit codes:" footer)
    string(SUBSTRING "${help}" 0 ${footer} body)
    roff_literal("${body}\n" body)
    set(commands_section "${commands_section}.SS \"${title}\"\n.nf\n${body}.fi\n")
  endif()
  # Subcommand lines: two spaces, the name, spaces, its description, in the section that
  # follows "Subcommands:" up to the next blank line.
  string(FIND "${help}" "\nSubcommands:\n" at)
  if(at EQUAL -1)
    set(commands_section "${commands_section}" PARENT_SCOPE)
    return()
  endif()
  math(EXPR at "${at} + 14")
  string(SUBSTRING "${help}" ${at} -1 rest)
  string(FIND "${rest}" "\n\n" end)
  string(SUBSTRING "${rest}" 0 ${end} rest)
  string(REPLACE "\n" ";" lines "${rest}")
  foreach(line IN LISTS lines)
    if(line MATCHES "^  ([a-z][a-z0-9-]*) ")
      set(sub_path ${path} ${CMAKE_MATCH_1})
      describe_subcommands("${sub_path}")
    endif()
  endforeach()
  set(commands_section "${commands_section}" PARENT_SCOPE)
endfunction()
describe_subcommands("")

get_filename_component(out_dir "${OUT}" DIRECTORY)
string(REGEX REPLACE "\\.gz$" "" page "${OUT}")
file(WRITE "${out_dir}/perftrack.h2m" "[COMMANDS]\n${commands_section}
[SEE ALSO]
/usr/share/doc/perftrack/README.md, and in /usr/share/doc/perftrack/docs: ci.md (CI setup and
alerts), runner.md (perftrack.toml), formats.md (input formats), detection.md (how a regression
is decided), report.md (the HTML report), install.md (installing and upgrading).
")
execute_process(
  COMMAND ${HELP2MAN} --no-info --version-string=${VERSION}
          --name=continuous\ performance\ regression\ tracking --section=1
          "--manual=User Commands" --source=perftrack\ ${VERSION}
          --include=${out_dir}/perftrack.h2m --output=${page} ${PERFTRACK}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed (${rc})")
endif()
# Debian installs man pages compressed; -n keeps the file byte-identical between builds.
execute_process(COMMAND gzip -9nf ${page} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip ${page} failed (${rc})")
endif()
