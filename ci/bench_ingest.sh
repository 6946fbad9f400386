#!/usr/bin/env bash
# Reproduces the README's ingest speed figure: perftrack ingest of 1,000,000 samples vs
# psql \copy of the same rows into the same table, on a throwaway PostgreSQL configured like the
# embedded default (fsync on). Usage: ci/bench_ingest.sh [build-dir]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${1:-build}
cmake --build "$build_dir" -j "$(nproc)" --target perftrack perftrack_bench
source ci/lib/test_postgres.sh
trap stop_test_postgres EXIT
PERFTRACK_TEST_PG_DURABLE=1 start_test_postgres
"$build_dir/perftrack" db migrate --quiet --db "$PERFTRACK_TEST_DSN"
PERFTRACK_BENCH_DSN=$PERFTRACK_TEST_DSN "$build_dir/perftrack_bench" \
  --benchmark_filter='BM_PerftrackIngest|BM_PsqlCopy' --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true
