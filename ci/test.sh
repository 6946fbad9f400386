#!/usr/bin/env bash
# The README's test command: installs dependencies, builds with warnings as errors, starts a
# throwaway PostgreSQL, and runs every test (unit, integration against that server, CLI,
# browser). Safe to run twice.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/setup.sh --test

build_dir=${PERFTRACK_BUILD_DIR:-build-ci}
# Compile caching (ci/lib/ccache.sh): a second run, or a run of a clone elsewhere on the same
# machine, compiles only what changed. The tests run against the same binaries either way.
source ci/lib/ccache.sh
use_ccache "$(pwd)"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPERFTRACK_WERROR=ON "${ccache_flags[@]}"
cmake --build "$build_dir" -j "$(nproc)"

source ci/lib/test_postgres.sh
trap stop_test_postgres EXIT
start_test_postgres

if [[ ! -d ../shared/fixtures ]]; then
  echo "ci/test.sh: ../shared is not beside this checkout: the tests over its fixtures will" \
       "report SKIPPED (CI has it)"
fi
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" --timeout 900 "$@"
