#!/usr/bin/env bash
# Side by side on the database bench/scale_100m.sh built (run it with --keep first), so the
# machine's load hits both sides of each ratio alike:
#   - ingest at 100 % full vs 10 % full: schema "ten" holds the first tenth of the runs (same
#     tables, indexes and foreign keys); each round ingests one new commit into each;
#   - declarative partitioning: schema "part" holds every run, its sample table partitioned by
#     RANGE (run_id) (runs are numbered in ingest order: partitioning by time), PART_RUNS runs per
#     partition. `check` of main's newest commit and ingest, in interleaved rounds,
#     against the flat table in "public".
# perftrack reads the schema from the connection's search_path (options=-csearch_path=...).
#
# Usage: bench/scale_compare.sh --scratch DIR [--build-dir DIR | --perftrack BIN] [--rounds N]
#          [--part-runs N] [--series N] [--reps N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=build scratch= rounds=5 part_runs=100 series=10000 reps=10 binary=
usage() {
  sed -n '/^# Usage:/,/^$/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while [[ $# -gt 0 ]]; do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    --perftrack) binary=$(realpath "$2"); shift 2 ;;
    --scratch) scratch=$(realpath "$2"); shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --part-runs) part_runs=$2; shift 2 ;;
    --series) series=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ -n $scratch && -f $scratch/pgdata/PG_VERSION ]] ||
  { echo "scale_compare: --scratch must hold bench/scale_100m.sh's database (--keep)" >&2; exit 2; }
if [[ -z $binary ]]; then
  cmake --build "$build_dir" -j2 --target perftrack >/dev/null
  binary=$(realpath "$build_dir/perftrack")
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as=()
[[ $(id -u) -eq 0 ]] && as=(runuser -u postgres --)
"${as[@]}" "$bindir/pg_ctl" -D "$scratch/pgdata" -l "$scratch/server.log" -w -t 120 start >/dev/null
trap '"${as[@]}" "$bindir/pg_ctl" -D "$scratch/pgdata" -m fast -w stop >/dev/null 2>&1 || true' EXIT
dsn="host=$scratch port=5432 user=postgres dbname=postgres"
export PERFTRACK_HOME=$scratch/home NO_COLOR=1
sql() { psql "$dsn" -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

# A copy of public's tables in schema S (sequences shared with public: ids stay unique), with
# public's keys, indexes and foreign keys; runs (and their samples) up to id MAX_RUN.
copy_schema() {
  local s=$1 max_run=$2 partitioned=$3
  sql "DROP SCHEMA IF EXISTS $s CASCADE; CREATE SCHEMA $s"
  local t
  for t in $(sql "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
    if [[ $t == sample && $partitioned == 1 ]]; then
      sql "CREATE TABLE $s.sample (LIKE public.sample INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
           PARTITION BY RANGE (run_id)"
      local max
      max=$(sql "SELECT COALESCE(max(id), 0) + 1000 FROM public.run")
      sql "SELECT format('CREATE TABLE $s.sample_%s PARTITION OF $s.sample FOR VALUES FROM (%s) TO (%s);',
                         lo, lo, lo + $part_runs)
           FROM generate_series(0, $max, $part_runs) lo" | psql "$dsn" -X -q -v ON_ERROR_STOP=1
    else
      sql "CREATE TABLE $s.$t (LIKE public.$t INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
    fi
  done
  for t in $(sql "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'sample'"); do
    sql "INSERT INTO $s.$t SELECT * FROM public.$t"
  done
  sql "INSERT INTO $s.sample SELECT * FROM public.sample WHERE run_id <= $max_run"
  # Primary keys, unique constraints, indexes and foreign keys as in public.
  sql "SELECT stmt || ';' FROM (
       SELECT format('ALTER TABLE $s.%I ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                     pg_get_constraintdef(oid)) AS stmt
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'u')
       UNION ALL
       SELECT replace(pg_get_indexdef(indexrelid), ' ON public.', ' ON $s.')
       FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
       WHERE c.relnamespace = 'public'::regnamespace AND NOT x.indisprimary
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
       UNION ALL
       SELECT format('ALTER TABLE $s.%I ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                     replace(pg_get_constraintdef(oid), 'REFERENCES ', 'REFERENCES $s.'))
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'f') q" |
    psql "$dsn" -X -q -v ON_ERROR_STOP=1
  # After the foreign keys: the runs' parts and alerts go with them.
  sql "DELETE FROM $s.run WHERE id > $max_run" >/dev/null
  sql "ANALYZE"
}

runs=$(sql "SELECT count(*) FROM run")
if [[ $(sql "SELECT count(*) FROM pg_namespace WHERE nspname IN ('ten', 'part')") != 2 ]]; then
  echo "copying the first tenth of the runs into schema ten ..." >&2
  copy_schema ten "$(sql "SELECT min(id) + $runs / 10 - 1 FROM run")" 0
  echo "copying every run into schema part (sample partitioned by run_id, $part_runs runs each) ..." >&2
  copy_schema part "$(sql "SELECT max(id) FROM run")" 1
fi
sql "VACUUM ANALYZE"

at() { echo "$dsn options=-csearch_path=$1"; }
# The history's newest commit (this script's own ingests are dated decades later).
newest=$(sql "SELECT c.sha FROM run r JOIN commit c ON c.id = r.commit_id JOIN testbed t ON t.id = r.testbed_id
              JOIN branch b ON b.id = r.branch_id WHERE t.name = 'ci' AND b.name = 'main'
                AND c.commit_time < '2030-01-01'
              ORDER BY c.commit_time DESC LIMIT 1")
run_check() {
  "$binary" check --db "$(at "$1")" --project bench --testbed ci --branch main \
    --commit "$newest" --no-fail --quiet --no-notify >/dev/null
}
# check rounds, interleaved (hyperfine would run all of one command, then the other: minutes
# apart on a shared machine), after one warm-up each.
: >"$scratch/check.csv"
for ((r = -1; r < rounds; r++)); do
  for s in public part; do
    start=$(date +%s.%N)
    run_check "$s"
    end=$(date +%s.%N)
    if ((r >= 0)); then echo "$s,$r,$(echo "$end - $start" | bc)" >>"$scratch/check.csv"; fi
  done
done

# Ingest rounds: one new commit per schema per round, interleaved.
files=$scratch/compare-files
mkdir -p "$files"
: >"$scratch/ingest.csv"
for ((r = 0; r < rounds; r++)); do
  offset=0
  for s in public ten part; do
    c=$((100000 + r * 3 + offset))
    offset=$((offset + 1))
    f=$(python3 bench/scale_history.py "$files" --series "$series" --reps "$reps" --run "$c,ci,main")
    start=$(date +%s.%N)
    "$binary" ingest --quiet --db "$(at $s)" --format perftrack "$f"
    end=$(date +%s.%N)
    rm -f "$f"
    echo "$s,$r,$(echo "$end - $start" | bc)" >>"$scratch/ingest.csv"
  done
done
rm -rf "$files"
python3 - "$scratch/check.csv" "$scratch/ingest.csv" "$series" "$reps" "$part_runs" <<'EOF'
import csv, statistics, sys
checks = list(csv.reader(open(sys.argv[1])))
c = {s: [float(x[2]) for x in checks if x[0] == s] for s in ("public", "part")}
rows = list(csv.reader(open(sys.argv[2])))
series, reps, part_runs = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
t = {s: [float(x[2]) for x in rows if x[0] == s] for s in ("public", "ten", "part")}
m = {s: statistics.median(v) for s, v in t.items()}
ratio = lambda a, b: statistics.median(x / y for x, y in zip(t[a], t[b]))
n = series * reps
print(f"check of main's newest commit, medians of {len(c['public'])} interleaved rounds: flat "
      f"{statistics.median(c['public']):.2f} s, partitioned by run_id ({part_runs} runs each) "
      f"{statistics.median(c['part']):.2f} s (per-round median ratio "
      f"{statistics.median(p / f for p, f in zip(c['part'], c['public'])):.2f}x)")
print(f"ingest of one {n:,}-sample run, medians of {len(t['public'])} interleaved rounds: "
      f"100 % full {m['public']:.2f} s ({n / m['public']:,.0f} samples/s), 10 % full "
      f"{m['ten']:.2f} s ({n / m['ten']:,.0f} samples/s): 100 %/10 % time "
      f"{ratio('public', 'ten'):.2f}x; partitioned 100 % {m['part']:.2f} s "
      f"({ratio('part', 'public'):.2f}x flat)")
EOF
