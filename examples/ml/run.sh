#!/usr/bin/env bash
# One command for the ML framework suite: installs the pinned environment (once), builds
# perftrack, runs examples/ml/perftrack.toml (every configuration, stored as one run in
# perftrack's database: $PERFTRACK_DB, else the embedded one under $PERFTRACK_HOME) and writes
# the report to build/ml-suite/report.html. Arguments go to `perftrack run` (e.g. --testbed).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

bash ci/setup.sh --ml
build_dir=${PERFTRACK_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j 2 --target perftrack
status=0
"$build_dir/perftrack" run --config examples/ml/perftrack.toml "$@" || status=$?
# 4: some configurations failed (they are stored as failures, the rest as results): still worth
# a report. Anything else is an error of the run itself.
if ((status != 0 && status != 4)); then exit "$status"; fi
# The variant tables (framework x mode against each framework's eager mode) show these metrics,
# in this order, in the page's selector.
"$build_dir/perftrack" report --project ml-frameworks --out build/ml-suite/report.html \
  --compare-metric step_time --compare-metric p95_latency --compare-metric throughput \
  --compare-metric peak_memory --compare-metric compile_time
exit "$status"
