#!/usr/bin/env bash
# Reproduces the README's ingest speed figure: perftrack ingest of 1,000,000 samples vs
# psql \copy of the same rows into the same table, interleaved round by round
# (ci/lib/ingest_compare.py), on a throwaway PostgreSQL configured like the embedded default
# (fsync on). --compare BIN also times another perftrack binary (an older build) in every round.
# Usage: ci/bench_ingest.sh [build-dir] [--rounds N] [--compare BIN]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=build
if [[ $# -gt 0 && $1 != --* ]]; then build_dir=$1; shift; fi
extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) extra+=(--rounds "$2"); shift 2 ;;
    --compare) extra+=(--compare "$(realpath "$2")"); shift 2 ;;
    *) echo "usage: $0 [build-dir] [--rounds N] [--compare BIN]" >&2; exit 2 ;;
  esac
done
cmake --build "$build_dir" -j 2 --target perftrack
source ci/lib/test_postgres.sh
trap stop_test_postgres EXIT
PERFTRACK_TEST_PG_DURABLE=1 start_test_postgres
"$build_dir/perftrack" db migrate --quiet --db "$PERFTRACK_TEST_DSN"
python3 ci/lib/ingest_compare.py --db "$PERFTRACK_TEST_DSN" --perftrack "$build_dir/perftrack" \
  "${extra[@]}"
