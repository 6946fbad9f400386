#!/usr/bin/env bash
# Uploads through the API (perftrack serve) vs direct `perftrack ingest` into the same
# throwaway PostgreSQL: the same result file stored RUNS times under distinct run ids, by
# PARALLEL concurrent clients each way (curl processes for the API, perftrack processes for
# ingest, as CI jobs do). Prints runs/s of both and their ratio (target: the API >= 80 % of
# direct ingest). Usage: ci/bench_serve.sh [build-dir] [runs] [parallel]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${1:-build}
runs=${2:-200}
parallel=${3:-4}
source ci/lib/bench_database.sh
bench_database_start "$build_dir"
file=$PWD/tests/fixtures/formats/gbench/aggregates-only-1.7.1.json
db=$PERFTRACK_TEST_DSN

token=$("$perftrack" token create --db "$db" --project api --scope ingest -q)
"$perftrack" serve --db "$db" --listen 127.0.0.1:0 -q --rate-limit 0 >"$work/serve.out" &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true; stop_test_postgres >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do [[ -s $work/serve.out ]] && break; sleep 0.1; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/serve.out")

now() { date +%s.%N; }

start=$(now)
seq "$runs" | xargs -P "$parallel" -I{} "$perftrack" ingest --db "$db" --quiet --project direct \
  --branch main --commit c{} --testbed bench --run-id direct-{} "$file" 2>"$work/ingest.err"
direct_s=$(echo "$(now) - $start" | bc)

start=$(now)
seq "$runs" | xargs -P "$parallel" -I{} curl -sf -o /dev/null -X POST \
  -H "Authorization: Bearer $token" --data-binary @"$file" \
  "http://127.0.0.1:$port/api/v1/projects/api/runs?branch=main&commit=c{}&testbed=bench&run-id=api-{}"
api_s=$(echo "$(now) - $start" | bc)

stored=$(psql "$db" -Atc "SELECT count(*) FROM run r JOIN project p ON p.id = r.project_id WHERE p.name = 'api'")
[[ $stored == "$runs" ]] || { echo "bench_serve: $stored API runs stored, expected $runs" >&2; exit 1; }
python3 - "$runs" "$direct_s" "$api_s" "$parallel" <<'PY'
import sys
runs, direct, api, par = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
d, a = runs / direct, runs / api
print(f"direct ingest: {runs} runs in {direct:.2f} s = {d:.1f} runs/s ({par} parallel processes)")
print(f"API upload:    {runs} runs in {api:.2f} s = {a:.1f} runs/s ({par} parallel curl)")
print(f"API / direct:  {100 * a / d:.0f} % (target >= 80 %)")
PY
