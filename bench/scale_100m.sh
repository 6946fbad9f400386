#!/usr/bin/env bash
# Issue 16, "flat as history grows": builds a database of SERIES x COMMITS x REPS samples (100 M
# by default: 10,000 series x 1,000 commits x 10 repetitions on testbed "ci", branch "main";
# plus a second testbed "ci-arm" on the last ARM commits and PRS one-commit pull-request
# branches) through `perftrack ingest`, on a PostgreSQL configured like the embedded default
# (fsync on, shared_buffers 128MB). It prints:
#   - ingest rate (samples/s, median of 3 batches of BATCH commits) at 10 % and at 100 % full;
#   - `check` of main's newest commit (hyperfine median of REPEAT) when main holds SHORT commits
#     (database ~5 % full) and at the end (COMMITS commits, full), and of ci-arm's newest commit
#     (a SHORT-commit history inside the full database);
#   - table and index sizes and disk per million samples.
# Resumable: the database and a progress log live in SCRATCH; run it again to continue. With
# --stop-at HH:MM (UTC) it stops ingesting at that time and measures the size it reached.
# Not a test: the full size takes about an hour on a 2-core machine. Run it under nice.
#
# Usage: bench/scale_100m.sh [--build-dir DIR] [--scratch DIR] [--series N] [--commits N]
#          [--reps N] [--arm N] [--prs N] [--short N] [--batch N] [--repeat N] [--stop-at HH:MM]
#          [--keep] [--perftrack BIN]
# --perftrack BIN measures that binary (e.g. an older build) instead of building this checkout's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=build scratch=build/scale series=10000 commits=1000 reps=10 arm=50 prs=10 short=50
batch=10 repeat=5 stop_at= keep=0 binary=
usage() {
  sed -n '/^# Usage:/,/^$/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while [[ $# -gt 0 ]]; do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    --scratch) scratch=$2; shift 2 ;;
    --series) series=$2; shift 2 ;;
    --commits) commits=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --arm) arm=$2; shift 2 ;;
    --prs) prs=$2; shift 2 ;;
    --short) short=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --stop-at) stop_at=$(date -u -d "$2" +%s) || usage; shift 2 ;;
    --keep) keep=1; shift ;;
    --perftrack) binary=$(realpath "$2"); shift 2 ;;
    *) usage ;;
  esac
done
for n in "$series" "$commits" "$reps" "$arm" "$prs" "$short" "$batch" "$repeat"; do
  [[ $n =~ ^[0-9]+$ ]] || usage
done
((series % 8 == 0 && series > 0 && commits >= short && short > 0 && batch > 0 && arm <= commits)) ||
  { echo "scale_100m: --series must be a multiple of 8, --short <= --commits" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

if [[ -z $binary ]]; then
  cmake --build "$build_dir" -j2 --target perftrack >/dev/null
  binary=$build_dir/perftrack
fi
mkdir -p "$scratch"
scratch=$(realpath "$scratch")
# A copy: rebuilding the build directory during the hour-long run must not change what it measures.
cp "$binary" "$scratch/perftrack"
perftrack=$scratch/perftrack
files=$scratch/files log=$scratch/progress.csv results=$scratch/results.txt
mkdir -p "$files"

# --- the server: PGDATA in SCRATCH, kept between runs of this script -------------------------
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as=()
if [[ $(id -u) -eq 0 ]]; then
  as=(runuser -u postgres --)
  chown postgres:postgres "$scratch"
fi
chmod 711 "$scratch"
if [[ ! -f $scratch/pgdata/PG_VERSION ]]; then
  "${as[@]}" "$bindir/initdb" -D "$scratch/pgdata" -U postgres -A trust -E UTF8 --locale=C \
    >"$scratch/initdb.log"
  # As perftrack's embedded cluster (store/embedded/local_cluster.cpp), durable.
  cat >>"$scratch/pgdata/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$scratch'
port = 5432
max_connections = 60
shared_buffers = 128MB
max_wal_size = 2GB
CONF
fi
"${as[@]}" "$bindir/pg_ctl" -D "$scratch/pgdata" -l "$scratch/server.log" -w -t 120 start >/dev/null
stop_server() {
  "${as[@]}" "$bindir/pg_ctl" -D "$scratch/pgdata" -m fast -w stop >/dev/null 2>&1 || true
}
trap stop_server EXIT
dsn="host=$scratch port=5432 user=postgres dbname=postgres"
export PERFTRACK_HOME=$scratch/home NO_COLOR=1
"$perftrack" db migrate --quiet --db "$dsn"
sql() { psql "$dsn" -X -q -At -c "$1"; }

# --- the plan: runs in ingest order, BATCH main commits per `perftrack ingest` -----------------
pr_every=$((prs > 0 ? commits / prs : 0))
target=$(((commits + arm + prs) * series * reps))
# Files of commit C: main on ci, ci-arm on the last ARM commits, a pull request every PR_EVERY.
runs_of() {
  local c=$1
  echo "$c ci main"
  ((c >= commits - arm)) && echo "$c ci-arm main"
  ((pr_every > 0 && c % pr_every == pr_every - 1)) && echo "$c ci pr-$((c / pr_every))"
  return 0
}
# Writes the files of commits FIRST..LAST (one python process: numpy's start-up is not free);
# their names go to LIST.
generate() {
  local first=$1 last=$2 list=$3 c specs=()
  for ((c = first; c <= last; c++)); do
    while read -r cc testbed branch; do specs+=(--run "$cc,$testbed,$branch"); done < <(runs_of "$c")
  done
  python3 bench/scale_history.py "$files" --series "$series" --reps "$reps" "${specs[@]}" >"$list.tmp"
  mv "$list.tmp" "$list"
}
# The last commit of the batch that starts at FIRST.
batch_end() {
  local first=$1 last
  last=$((first + batch - 1 < commits - 1 ? first + batch - 1 : commits - 1))
  # The short-history check is measured once main holds exactly SHORT commits.
  ((first < short && last >= short)) && last=$((short - 1))
  echo "$last"
}

# hyperfine median of `check` of one commit; prints seconds.
time_check() {
  local testbed=$1 c=$2
  local sha
  sha=$(python3 -c 'import hashlib,sys; print(hashlib.sha1(f"main:{sys.argv[1]}".encode()).hexdigest())' "$c")
  hyperfine --style none --warmup 1 --runs "$repeat" --export-json "$scratch/h.json" \
    "$perftrack check --db '$dsn' --project bench --testbed $testbed --branch main --commit $sha --no-fail --quiet --no-notify" \
    >/dev/null
  python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' \
    "$scratch/h.json"
}

[[ -f $log ]] || echo "first_commit,last_commit,runs,samples,total_samples,seconds" >"$log"
done_commits=$(tail -n 1 "$log" | cut -d, -f2)
[[ $done_commits =~ ^[0-9]+$ ]] && next=$((done_commits + 1)) || next=0
total=$(tail -n 1 "$log" | cut -d, -f5)
[[ $total =~ ^[0-9]+$ ]] || total=0
echo "scale: $series series x $commits commits x $reps repetitions (+$arm ci-arm, +$prs PR runs):" \
  "$target samples; resuming at commit $next" >&2
stopped=0
while ((next < commits)); do
  if [[ -n $stop_at ]] && (($(date +%s) >= stop_at)); then
    echo "scale: --stop-at reached at commit $next of $commits" >&2
    stopped=1
    break
  fi
  last=$(batch_end "$next")
  # This batch's files (written in the background during the previous ingest, or now), and
  # the next batch's, written while this one is ingested. The generator then competes with the
  # ingest for the CPU, at 10 % as at 100 %: it keeps the hour-long build within the hour.
  [[ -n ${prefetch_pid:-} ]] && wait "$prefetch_pid"
  [[ -s $files/batch-$next.list ]] || generate "$next" "$last" "$files/batch-$next.list"
  mapfile -t batch_files <"$files/batch-$next.list"
  prefetch_pid=
  if ((last + 1 < commits)); then
    generate "$((last + 1))" "$(batch_end $((last + 1)))" "$files/batch-$((last + 1)).list" &
    prefetch_pid=$!
  fi
  start=$(date +%s.%N)
  "$perftrack" ingest --quiet --db "$dsn" --format perftrack "${batch_files[@]}"
  end=$(date +%s.%N)
  rm -f "${batch_files[@]}" "$files/batch-$next.list"
  n=$((${#batch_files[@]} * series * reps))
  total=$((total + n))
  echo "$next,$last,${#batch_files[@]},$n,$total,$(echo "$end - $start" | bc)" >>"$log"
  printf '%s scale: commits %d-%d: %d runs in %.2f s, %d of %d samples\n' "$(date -u +%H:%M:%S)" \
    "$next" "$last" "${#batch_files[@]}" "$(echo "$end - $start" | bc)" "$total" "$target" >&2
  next=$((last + 1))
  if ((next == short)) && ! grep -q '^check_short ' "$results" 2>/dev/null; then
    sql "VACUUM ANALYZE"
    echo "check_short $(time_check ci $((short - 1))) $total" >>"$results"
  fi
done

[[ -n ${prefetch_pid:-} ]] && wait "$prefetch_pid"
rm -rf "$files"

# --- measurements on the database as built --------------------------------------------------
sql "VACUUM ANALYZE"
main_commits=$(($(tail -n 1 "$log" | cut -d, -f2) + 1))
check_long=$(time_check ci $((main_commits - 1)))
arm_runs=$(sql "SELECT count(*) FROM run r JOIN testbed t ON t.id = r.testbed_id WHERE t.name = 'ci-arm'")
check_arm=
((arm_runs > 0)) && check_arm=$(time_check ci-arm $((main_commits - 1)))
python3 - "$log" "$results" "$main_commits" "$check_long" "$arm_runs" "$check_arm" "$target" \
  "$stopped" <<'EOF'
import csv, statistics, sys
log, results, main_commits, check_long, arm_runs, check_arm, target, stopped = sys.argv[1:]
rows = list(csv.DictReader(open(log)))
total = int(rows[-1]["total_samples"])
def rate(batches):
    return statistics.median(int(b["samples"]) / float(b["seconds"]) for b in batches)
# Three batches around 10 % full (of what was built), and the last three (100 %). Batches that
# ended at the short-history check are shorter: all batches count by samples per second.
i10 = next(i for i, b in enumerate(rows) if int(b["total_samples"]) >= total / 10)
early = rows[max(0, i10 - 1):i10 + 2]
late = rows[-3:]
r10, r100 = rate(early), rate(late)
print(f"built: {total:,} samples ({100 * total / int(target):.0f} % of the {int(target):,} planned"
      f"{', stopped by --stop-at' if stopped == '1' else ''}); main holds {main_commits} commits")
print(f"ingest rate at 10 % full: {r10:,.0f} samples/s; at 100 %: {r100:,.0f} samples/s "
      f"(100 % / 10 %: {r100 / r10:.2f}); medians of 3 batches")
short = [l.split() for l in open(results)] if __import__("os").path.exists(results) else []
short = [l for l in short if l and l[0] == "check_short"]
if short:
    s = float(short[0][1])
    print(f"check of main's newest commit: {s:.3f} s at 50 commits ({int(short[0][2]):,} samples "
          f"in the database), {float(check_long):.3f} s at {main_commits} commits "
          f"({float(check_long) / s:.2f}x)")
if check_arm:
    print(f"check of ci-arm's newest commit ({arm_runs}-commit history, full database): "
          f"{float(check_arm):.3f} s")
EOF
psql "$dsn" -X -q -P footer=off -c "
SELECT c.relname AS relation, pg_size_pretty(pg_total_relation_size(c.oid)) AS total,
       pg_size_pretty(pg_relation_size(c.oid)) AS heap,
       pg_size_pretty(pg_total_relation_size(c.oid) - pg_relation_size(c.oid)
                      - pg_indexes_size(c.oid)) AS toast_fsm_vm,
       pg_size_pretty(pg_indexes_size(c.oid)) AS indexes
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6"
psql "$dsn" -X -q -P footer=off -c "
SELECT i.relname AS index, pg_size_pretty(pg_relation_size(i.oid)) AS size
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relname = 'sample' ORDER BY 1"
sql "SELECT 'sample rows: ' || count(*) || ', samples: ' || sum(cardinality(samples))
     || ', database: ' || pg_size_pretty(pg_database_size(current_database()))
     || ', disk per million samples: '
     || pg_size_pretty(pg_database_size(current_database()) * 1000000 / sum(cardinality(samples)))
     || ' (sample table and its indexes: '
     || pg_size_pretty(pg_total_relation_size('sample') * 1000000 / sum(cardinality(samples)))
     || ')' FROM sample"
if ((keep == 0 && stopped == 0)); then
  stop_server
  trap - EXIT
  rm -rf "$scratch"
fi
