#!/usr/bin/env bash
# Measures the overhead of `perftrack run`: everything it does besides running the benchmark
# processes (listing the benchmarks, reading the JSON, the gbench adapter, resolving context,
# the testbed probe, storing the run in PostgreSQL), as a share of the suite's wall time, for
# 200 benchmarks x 10 repetitions (bench/runner_overhead/synthetic_suite.cpp).
#
# perftrack measures it itself (--verbose prints "runner overhead: X s of Y s wall (Z %)"): Y is
# the command's wall time from the start of `run` to the end of storing, and the benchmark
# processes' time is the sum of their fork-to-reap wall times; listing the benchmarks counts as
# overhead. The script repeats the run and prints every ratio and the median.
#
#   bash bench/runner_overhead.sh [BUILD_DIR]        RUNS=5 to repeat more (default 3)
#
# Needs perftrack and runner_overhead_suite built in BUILD_DIR (default: build). Starts a
# throwaway PostgreSQL (ci/lib/test_postgres.sh) unless PERFTRACK_DB is set.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${1:-build}
runs=${RUNS:-3}
perftrack="$build_dir/perftrack"
suite="$build_dir/runner_overhead_suite"
for f in "$perftrack" "$suite"; do
  [[ -x "$f" ]] || { echo "runner_overhead: $f is missing; build it: cmake --build $build_dir --target perftrack runner_overhead_suite" >&2; exit 2; }
done

if [[ -z "${PERFTRACK_DB:-}" ]]; then
  source ci/lib/test_postgres.sh
  trap stop_test_postgres EXIT
  start_test_postgres >/dev/null
  export PERFTRACK_DB="$PERFTRACK_TEST_DSN"
fi
home=$(mktemp -d /tmp/perftrack-overhead-XXXXXX)
chmod 711 "$home"
trap 'rm -rf "$home"; declare -F stop_test_postgres >/dev/null && stop_test_postgres' EXIT

ratios=()
for i in $(seq 1 "$runs"); do
  line=$(PERFTRACK_HOME="$home" "$perftrack" run --verbose --quiet --project overhead \
           --testbed overhead-bench --branch main --commit "overhead-$i" --run-id "overhead-$$-$i" \
           -r 10 -- "$suite" --benchmark_min_time=0.01 2>&1 >/dev/null \
         | grep 'runner overhead:' || true)
  [[ -n "$line" ]] || { echo "runner_overhead: run $i printed no overhead line" >&2; exit 1; }
  pct=$(sed -E 's/.*\(([0-9.]+) %\).*/\1/' <<<"$line")
  echo "run $i: ${line#perftrack: }"
  ratios+=("$pct")
done
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "runner overhead, median of $runs runs: ${median} % of the suite's wall time (budget: 2 %)"
