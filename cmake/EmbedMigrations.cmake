# Generates a C++ file holding every store/migrations/NNNN_name.sql as a string, so the binary
# carries its schema and `perftrack db migrate` needs no files beside it.
# Usage: cmake -DMIGRATIONS_DIR=... -DOUTPUT=... -P EmbedMigrations.cmake
file(GLOB files RELATIVE ${MIGRATIONS_DIR} ${MIGRATIONS_DIR}/*.sql)
list(SORT files)
set(body "")
foreach(f IN LISTS files)
  if(NOT f MATCHES "^([0-9][0-9][0-9][0-9])_([a-z0-9_]+)\\.sql$")
    message(FATAL_ERROR "migration file name must be NNNN_name.sql: ${f}")
  endif()
  string(REGEX REPLACE "^0*([0-9]+)_.*" "\\1" version ${f})
  file(READ ${MIGRATIONS_DIR}/${f} sql)
  # Every migration says whether binaries that predate it can still use the database after it
  # (store/migrations/README.md); a file that does not say is refused.
  if(sql MATCHES "\n-- compatibility: additive[ \n]")
    set(additive true)
  elseif(sql MATCHES "\n-- compatibility: breaking[ \n]")
    set(additive false)
  else()
    message(FATAL_ERROR "migration ${f} must declare '-- compatibility: additive' or "
                        "'-- compatibility: breaking' on a line of its own")
  endif()
  string(APPEND body "    {${version}, \"${f}\", R\"perftrack_sql(${sql})perftrack_sql\", ${additive}},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp
"// Generated from store/migrations/*.sql by cmake/EmbedMigrations.cmake. Do not edit.
#include \"store/migrations.hpp\"

namespace perftrack::store {
namespace {
const Migration k_migrations[] = {
${body}};
}  // namespace
std::span<const Migration> migrations() { return k_migrations; }
}  // namespace perftrack::store
")
configure_file(${OUTPUT}.tmp ${OUTPUT} COPYONLY)
