# Sourced by ci/main.sh and ci/test.sh: compile through ccache when it is installed (ci/setup.sh
# installs it), so that a second run, and builds of other checkouts of the same files, take
# their objects from the cache instead of compiling them again.
#
#   use_ccache ROOT   sets ccache_flags (CMake arguments; empty without ccache) and points
#                     CCACHE_BASEDIR at ROOT: paths under ROOT are hashed relative to the build
#                     directory, so a worktree under ROOT (ci/main.sh's per-commit builds) whose
#                     build directory sits at the same depth shares the entries of the main build.
#
# CCACHE_NOHASHDIR: with -g (ci/test.sh's RelWithDebInfo) ccache otherwise hashes the working
# directory, and a clone elsewhere would miss every entry; the cost is that debug info of a hit
# names the first clone's directory, which no test reads. PERFTRACK_NO_CCACHE=1 turns it off.
use_ccache() {
  # Empty launcher: a build directory configured with ccache before stops using it.
  ccache_flags=(-DCMAKE_CXX_COMPILER_LAUNCHER=)
  if [[ ${PERFTRACK_NO_CCACHE:-0} == 1 ]] || ! command -v ccache >/dev/null; then
    return 0
  fi
  export CCACHE_BASEDIR=$1
  export CCACHE_NOHASHDIR=1
  ccache_flags=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
}
