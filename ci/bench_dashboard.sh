#!/usr/bin/env bash
# The dashboard's speed (perftrack serve): a project page, a report page and a series page for
# 2,000 series x 500 commits x REPS repetitions stored in a throwaway PostgreSQL (the data of
# ci/bench_report.sh). Each page is fetched once cold (the server builds and caches the report
# model: history load and detection, as `perftrack report`), then REPEAT times warm; prints the
# cold time and the warm median (curl's time_total: request to last byte, on 127.0.0.1) and the
# page size. Target: warm pages under 1 s. Not a test: it takes minutes.
#
# Usage: ci/bench_dashboard.sh [build-dir] [--series N] [--commits N] [--reps N] [--repeat N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source ci/lib/bench_database.sh
bench_history_args 9 "$@"

bench_database_start "$build_dir"
db=$PERFTRACK_TEST_DSN
bench_history "$build_dir" "$series" "$commits" "$reps"
echo "ingesting ..." >&2
find "$data" -name '*.json' | sort | xargs -n 50 "$perftrack" ingest --quiet --db "$db" --format perftrack
"$perftrack" project public bench --db "$db" -q

"$perftrack" serve --db "$db" --listen 127.0.0.1:0 -q --rate-limit 0 >"$work/serve.out" &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true; stop_test_postgres >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do [[ -s $work/serve.out ]] && break; sleep 0.1; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/serve.out")
base=http://127.0.0.1:$port/p/bench

# One series of the data: the first benchmark's first series.
IFS=$'\t' read -r suite bench params metric < <(psql "$db" -X -At -F $'\t' -c \
  "SELECT b.suite, b.name, b.params::text, m.name FROM sample s JOIN benchmark b ON b.id = s.benchmark_id
   JOIN metric m ON m.id = s.metric_id LIMIT 1")
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
series_url="$base/series?testbed=ci&branch=main&suite=$(enc "$suite")&benchmark=$(enc "$bench")&params=$(enc "$params")&metric=$(enc "$metric")"

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
fetch() { curl -sf -o "$work/page" -w '%{time_total}\n' "$1"; }
echo "dashboard scale: $series series x $commits commits x $reps repetitions; warm: median of $repeat"
for name in project report series; do
  case $name in
    project) url=$base ;;
    report) url="$base/report?testbed=ci&branch=main" ;;
    series) url=$series_url ;;
  esac
  cold=$(fetch "$url")
  : >"$work/warm"
  for ((i = 0; i < repeat; i++)); do fetch "$url" >>"$work/warm"; done
  printf '  %-8s cold %6.2f s   warm median %6.3f s (min %.3f, max %.3f)   %s\n' "$name" "$cold" \
    "$(median <"$work/warm")" "$(sort -g "$work/warm" | head -1)" "$(sort -g "$work/warm" | tail -1)" \
    "$(stat -c %s "$work/page" | awk '{printf "%.2f MB", $1/1e6}')"
done
