#!/usr/bin/env bash
# The untrusted half of the fork pull-request pattern (docs/ci.md, "Pull requests from forks"):
# runs the benchmarks and leaves their result files in OUT_DIR for the workflow to upload as an
# artifact. It needs no token, no database and no network: a fork's code runs here.
#
#   collect.sh OUT_DIR BENCHMARK_BINARY...
#
# Each Google Benchmark binary writes OUT_DIR/<name>.json (PERFTRACK_REPETITIONS, default 10,
# every repetition kept; BENCHMARK_FILTER, a regex, selects benchmarks). Nothing else of the PR is trusted later: the upload job takes project, branch, commit
# and PR number from GitHub's own event, never from these files.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: collect.sh OUT_DIR BENCHMARK_BINARY..." >&2
    exit 2
fi
out=$1
shift
mkdir -p "$out"
repetitions=${PERFTRACK_REPETITIONS:-10}
for binary in "$@"; do
    name=$(basename "$binary")
    "$binary" --benchmark_repetitions="$repetitions" --benchmark_filter="${BENCHMARK_FILTER:-.}" \
        --benchmark_out="$out/$name.json" --benchmark_out_format=json >/dev/null
    echo "collect.sh: $out/$name.json"
done
