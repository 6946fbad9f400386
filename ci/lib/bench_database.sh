# Sourced by the benchmark drivers (ci/bench_check.sh, ci/bench_report.sh, ci/bench_dashboard.sh): builds the
# perftrack binary, starts a throwaway PostgreSQL (ci/lib/test_postgres.sh) migrated for it, and
# generates (once, kept in the build directory) a synthetic history of result files.

# bench_history_args DEFAULT_REPEAT ARG...: the arguments of ci/bench_report.sh and
# ci/bench_dashboard.sh, [build-dir] [--series N] [--commits N] [--reps N] [--repeat N]; sets
# $build_dir, $series, $commits, $reps and $repeat (exit 2 on anything else).
bench_history_args() {
  build_dir=build series=2000 commits=500 reps=10 repeat=$1
  shift
  if [[ $# -gt 0 && $1 != --* ]]; then build_dir=$1; shift; fi
  while [[ $# -gt 0 ]]; do
    case $1 in
      --series) series=$2; shift 2 ;;
      --commits) commits=$2; shift 2 ;;
      --reps) reps=$2; shift 2 ;;
      --repeat) repeat=$2; shift 2 ;;
      *) echo "usage: $0 [build-dir] [--series N] [--commits N] [--reps N] [--repeat N]" >&2; exit 2 ;;
    esac
  done
}

# bench_database_start BUILD_DIR: sets $perftrack and $work; stops the server and removes $work
# on exit.
bench_database_start() {
  cmake --build "$1" -j2 --target perftrack >/dev/null
  perftrack=$(realpath "$1/perftrack")
  work=$(mktemp -d)
  source ci/lib/test_postgres.sh
  trap 'stop_test_postgres >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  start_test_postgres >/dev/null
  export PERFTRACK_HOME=$work/home NO_COLOR=1
  "$perftrack" db migrate --quiet --db "$PERFTRACK_TEST_DSN"
}

# bench_history BUILD_DIR SERIES COMMITS REPS: sets $data to the directory of the generated
# files. Generating 10 M samples takes minutes, and the same files give the same measurement.
bench_history() {
  data=$1/bench-report-data/${2}x${3}x${4}
  if [[ ! -f $data/done ]]; then
    echo "generating $2 series x $3 commits x $4 repetitions ..." >&2
    rm -rf "$data"
    python3 ci/lib/report_history.py "$data" --series "$2" --commits "$3" --reps "$4"
    touch "$data/done"
  fi
}
