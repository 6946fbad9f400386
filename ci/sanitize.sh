#!/usr/bin/env bash
# The unit and integration suites built with AddressSanitizer and UndefinedBehaviorSanitizer
# (gcc's -fsanitize=address,undefined) in their own build directory, run against a throwaway
# PostgreSQL. Any report fails the run: UBSan does not recover, ASan stops at the first error,
# LeakSanitizer runs at exit. Usage: ci/sanitize.sh [ctest args...]
# Not part of ci/test.sh: it roughly doubles the build and the run (see README, "Development").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/setup.sh --test

build_dir=${PERFTRACK_SANITIZE_BUILD_DIR:-build-asan}
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
# GCC 12 reports false -Wmaybe-uninitialized inside std::function and <regex> once ASan's
# instrumentation changes what it inlines (GCC's manual warns that -fsanitize=address can give
# false warnings); with warnings as errors that stops the build, so this one warning is off
# here, and stays on in every other build.
compile_only=-Wno-maybe-uninitialized
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPERFTRACK_WERROR=ON \
  -DPERFTRACK_BUILD_BENCH=OFF "${launcher[@]}" \
  -DCMAKE_CXX_FLAGS="$sanitize $compile_only" -DCMAKE_EXE_LINKER_FLAGS="$sanitize"
cmake --build "$build_dir" -j "$(nproc)"

source ci/lib/test_postgres.sh
trap stop_test_postgres EXIT
start_test_postgres

# abort_on_error: a report ends the process with SIGABRT, so a test child that is reported can
# never look like a clean exit.
# handle_segv=0: some tests crash a benchmark child with SIGSEGV on purpose and check that it is
# reported as killed by SIGSEGV; with ASan's handler the child would die of SIGABRT instead. A
# real segfault still kills the test, it just has no ASan report.
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:handle_segv=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" --timeout 1800 -L 'unit|integration' "$@"
