#!/usr/bin/env bash
# The README's report speed figures: `perftrack report` over 2,000 series x 500 commits x 10
# repetitions (10 M samples) stored in a throwaway PostgreSQL. Measures, REPEAT times each:
#   - perftrack report --out report.html (whole command: load, detection, HTML, atomic write):
#     wall time and peak RSS (/usr/bin/time -v), the file size, and the time split that
#     --verbose prints (history + detection + alerts vs rendering);
#   - perftrack report --format json (same content as data);
#   - PostgreSQL alone streaming the same sample rows out: COPY (SELECT ...) TO STDOUT via psql.
# Prints the median of each and the ratio report / COPY. Not a test: it takes a few minutes.
#
# Usage: ci/bench_report.sh [build-dir] [--series N] [--commits N] [--reps N] [--repeat N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source ci/lib/bench_database.sh
bench_history_args 3 "$@"
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

bench_database_start "$build_dir"
common=(--db "$PERFTRACK_TEST_DSN" --project bench --testbed ci --branch main)
bench_history "$build_dir" "$series" "$commits" "$reps"
echo "ingesting ..." >&2
start=$(date +%s.%N)
find "$data" -name '*.json' | sort | xargs -n 50 "$perftrack" ingest --quiet \
  --db "$PERFTRACK_TEST_DSN" --format perftrack
echo "ingest: $(echo "$(date +%s.%N) - $start" | bc) s" >&2

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
# Runs "$@" under /usr/bin/time -v; appends "wall_s rss_mib" to $1's file, stderr kept in $work/err.
measure() {
  local out=$1; shift
  /usr/bin/time -v -o "$work/time" "$@" >/dev/null 2>"$work/err"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time")
  echo "$wall $rss" >>"$out"
}

for ((i = 0; i < repeat; i++)); do
  measure "$work/html" "$perftrack" report "${common[@]}" --verbose --out "$work/report.html"
  grep -o 'history, detection and alerts [0-9.]* s; html rendering [0-9.]* s' "$work/err" |
    awk '{print $5, $9}' >>"$work/split"
  measure "$work/json" "$perftrack" report "${common[@]}" --format json --out "$work/report.json"
  measure "$work/copy" psql "$PERFTRACK_TEST_DSN" -X -q -c \
    "COPY (SELECT run_id, benchmark_id, metric_id, samples FROM sample) TO STDOUT"
done

html_s=$(cut -d' ' -f1 "$work/html" | median)
html_rss=$(cut -d' ' -f2 "$work/html" | median)
json_s=$(cut -d' ' -f1 "$work/json" | median)
json_rss=$(cut -d' ' -f2 "$work/json" | median)
copy_s=$(cut -d' ' -f1 "$work/copy" | median)
model_s=$(cut -d' ' -f1 "$work/split" | median)
render_s=$(cut -d' ' -f2 "$work/split" | median)
samples=$(psql "$PERFTRACK_TEST_DSN" -X -At -c "SELECT sum(cardinality(samples)) FROM sample")
cat <<EOF
report scale: $series series x $commits commits x $reps repetitions ($samples samples), medians of $repeat
  perftrack report --out report.html   ${html_s} s, peak RSS ${html_rss} MiB, file $(stat -c %s "$work/report.html" | awk '{printf "%.2f MB", $1/1e6}')
    of which history + detection + alerts ${model_s} s, HTML rendering ${render_s} s
  perftrack report --format json       ${json_s} s, peak RSS ${json_rss} MiB, file $(stat -c %s "$work/report.json" | awk '{printf "%.2f MB", $1/1e6}')
  PostgreSQL COPY of the sample rows   ${copy_s} s
  ratio report.html / COPY             $(echo "scale=1; $html_s / $copy_s" | bc)
EOF
