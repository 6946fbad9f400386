#!/usr/bin/env bash
# The README's check speed figure and how it grows with history (issue 16): `perftrack check` of
# the newest commit of a branch holding SHORT commits, then the same branch grown to LONG
# commits (2,000 series x 10 repetitions by default), the whole command from a throwaway
# PostgreSQL, median of REPEAT runs (hyperfine). Next to each: PostgreSQL alone fetching, with
# one SQL query, the sample rows the check reads (the runs of its replay window, see
# reports/detect/replay.hpp: up to 64 + 64 commits before the checked one), and the 31 newest
# runs (the 30-commit baseline plus the checked commit: what the detector's verdict rests on).
# Not a test: it takes a few minutes (the generated result files are kept in the build dir).
#
# --compare BIN also times another perftrack binary (an older build) on the same database, so a
# change is measured against what it replaces in one run (the machine is noisy: ratios).
#
# Usage: ci/bench_check.sh [build-dir] [--series N] [--short N] [--long N] [--reps N] [--repeat N]
#                          [--compare BIN]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=build
if [[ $# -gt 0 && $1 != --* ]]; then build_dir=$1; shift; fi
series=2000 short=50 long=500 reps=10 repeat=5 compare=
while [[ $# -gt 0 ]]; do
  case $1 in
    --series) series=$2; shift 2 ;;
    --short) short=$2; shift 2 ;;
    --long) long=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --compare) compare=$(realpath "$2"); shift 2 ;;
    *) echo "usage: $0 [build-dir] [--series N] [--short N] [--long N] [--reps N] [--repeat N]" >&2
       exit 2 ;;
  esac
done
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

source ci/lib/bench_database.sh
bench_database_start "$build_dir"
# A newer compared binary needs its own (additive) migrations; this build accepts a newer schema
# whose extra migrations are additive, and an older compared binary finds nothing to migrate.
[[ -n $compare ]] && "$compare" db migrate --quiet --db "$PERFTRACK_TEST_DSN"
bench_history "$build_dir" "$series" "$long" "$reps"
mapfile -t files < <(find "$data" -name 'run_*.json' | sort)

# Runs the check of the newest commit and the two SQL fetches; prints one result line.
measure() {
  local commits=$1
  local sha
  sha=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["context"]["commit"])' \
    "${files[$((commits - 1))]}")
  # The replay window of the newest position (replay_window_start with the default settings:
  # 64 commits of warm-up before the 64-commit block that holds the position).
  local p=$((commits - 1)) block window_start window
  block=$((p / 64 * 64))
  window_start=$((block > 64 ? block - 64 : 0))
  window=$((p - window_start + 1))
  local rows="SELECT s.run_id, s.benchmark_id, s.metric_id, s.samples FROM sample s WHERE s.run_id IN
    (SELECT r.id FROM run r JOIN commit c ON c.id = r.commit_id ORDER BY c.commit_time DESC LIMIT"
  local args="check --db '$PERFTRACK_TEST_DSN' --project bench --testbed ci --branch main --commit $sha --no-fail --quiet --no-notify"
  local other=()
  [[ -n $compare ]] && other=(-n compared "$compare $args")
  hyperfine --style none --warmup 1 --runs "$repeat" --export-json "$work/h.json" \
    -n check "$perftrack $args" "${other[@]}" \
    -n window "psql '$PERFTRACK_TEST_DSN' -X -q -c 'COPY ($rows $window)) TO STDOUT' >/dev/null" \
    -n baseline "psql '$PERFTRACK_TEST_DSN' -X -q -c 'COPY ($rows 31)) TO STDOUT' >/dev/null" \
    >/dev/null
  python3 - "$work/h.json" "$commits" "$window" <<'EOF'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"{sys.argv[2]:>5} commits: check {r['check']:.3f} s | SQL of its {sys.argv[3]}-run window "
      f"{r['window']:.3f} s (check {r['check'] / r['window']:.1f}x) | SQL of 31 runs "
      f"{r['baseline']:.3f} s (check {r['check'] / r['baseline']:.1f}x)")
if "compared" in r:
    print(f"       --compare binary: check {r['compared']:.3f} s (this build takes "
          f"{r['check'] / r['compared']:.2f}x its time)")
EOF
}

echo "ingesting $short commits ..." >&2
printf '%s\n' "${files[@]:0:short}" | xargs -n 50 "$perftrack" ingest --quiet \
  --db "$PERFTRACK_TEST_DSN" --format perftrack
psql "$PERFTRACK_TEST_DSN" -X -q -c "VACUUM ANALYZE"
echo "check scale: $series series x $reps repetitions, medians of $repeat (hyperfine)"
measure "$short" | tee "$work/short"
echo "ingesting up to $long commits ..." >&2
printf '%s\n' "${files[@]:short:long-short}" | xargs -n 50 "$perftrack" ingest --quiet \
  --db "$PERFTRACK_TEST_DSN" --format perftrack
psql "$PERFTRACK_TEST_DSN" -X -q -c "VACUUM ANALYZE"
measure "$long" | tee "$work/long"
if [[ -n $compare ]]; then
  # The history reads changed shape (sample rows by primary key, per run): the whole-branch read
  # of `report` too, so it is timed against the compared binary as well.
  hyperfine --style none --warmup 1 --runs 3 --export-json "$work/r.json" \
    -n report "$perftrack report --db '$PERFTRACK_TEST_DSN' --project bench --testbed ci --branch main --format json --out $work/r1.json" \
    -n compared "$compare report --db '$PERFTRACK_TEST_DSN' --project bench --testbed ci --branch main --format json --out $work/r2.json" \
    >/dev/null
  python3 - "$work/r.json" "$long" <<'EOF'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"{sys.argv[2]:>5} commits: report --format json {r['report']:.2f} s, --compare binary "
      f"{r['compared']:.2f} s ({r['report'] / r['compared']:.2f}x)")
EOF
fi
