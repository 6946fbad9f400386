#!/usr/bin/env bash
# The README's main job: install what is needed, build, start the embedded PostgreSQL, run
# perftrack's own Google Benchmark suite and ingest its results for the last commits of this
# repository, then print the database status.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)

bash ci/setup.sh

build_dir=${PERFTRACK_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build_dir" -j "$(nproc)" --target perftrack perftrack_bench
perftrack="$repo/$build_dir/perftrack"

"$perftrack" db start
out=$(mktemp -d /tmp/perftrack-main-XXXXXX)
trap 'rm -rf "$out"' EXIT
# The benchmarks that need no database, kept short so the job takes a minute or two.
"$repo/$build_dir/perftrack_bench" --benchmark_filter='^BM_(Parse|Render|Stats|Check)' \
  --benchmark_repetitions=5 --benchmark_min_time=0.05 \
  --benchmark_out="$out/bench.json" --benchmark_out_format=json >/dev/null 2>"$out/bench.log" \
  || { cat "$out/bench.log" >&2; exit 4; }
"$perftrack" ingest --format gbench --suite perftrack_bench --project perftrack \
  --testbed "$(hostname)" "$out/bench.json"
"$perftrack" db status
