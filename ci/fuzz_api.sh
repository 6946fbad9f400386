#!/usr/bin/env bash
# Fuzzes the HTTP API from its description (docs/api.yaml) with schemathesis: a throwaway
# PostgreSQL, a real `perftrack serve` on 127.0.0.1, a project with an admin token, then
# schemathesis's examples, coverage and fuzzing phases against every operation with the checks
# that matter (no 5xx, status codes and response bodies as described). Exit non-zero on any
# finding. Traffic goes to 127.0.0.1 only: the base URL is set here and proxies are cleared.
#
# Usage: ci/fuzz_api.sh [--max-examples N] [--seed N] [--build-dir DIR]
#   --max-examples  test cases per operation in the fuzzing phase (default 100: under a minute)
#   PERFTRACK_BIN   the perftrack binary (default: BUILD_DIR/perftrack of this checkout; not built)
# Reports (JUnit, NDJSON events) go to BUILD_DIR/fuzz-api-report.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Pinned: a new schemathesis release may add checks or change its flags.
schemathesis_version=4.32.5
max_examples=100
seed=
build_dir=build
while [[ $# -gt 0 ]]; do
  case $1 in
    --max-examples) max_examples=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fuzz_api: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ $max_examples =~ ^[1-9][0-9]*$ ]] || { echo "fuzz_api: --max-examples must be a positive integer" >&2; exit 2; }

perftrack=${PERFTRACK_BIN:-$build_dir/perftrack}
[[ -x $perftrack ]] || { echo "fuzz_api: no perftrack binary at $perftrack (build it, or set PERFTRACK_BIN)" >&2; exit 2; }
perftrack=$(realpath "$perftrack")

# The venv is made once and reused while it holds the pinned version.
venv=$build_dir/fuzz-venv
if [[ ! -x $venv/bin/schemathesis ]] ||
   [[ $("$venv/bin/schemathesis" --version 2>/dev/null) != *" $schemathesis_version" ]]; then
  echo "fuzz_api: installing schemathesis $schemathesis_version into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "schemathesis==$schemathesis_version"
fi

work=$(mktemp -d /tmp/pt-fuzz-api-XXXXXX)
serve_pid=
source ci/lib/test_postgres.sh
cleanup() {
  [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  stop_test_postgres >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
start_test_postgres >/dev/null
db=$PERFTRACK_TEST_DSN
export PERFTRACK_HOME=$work/home NO_COLOR=1
"$perftrack" db migrate --quiet --db "$db"

# One project, fuzz, with an admin token (every scope) that schemathesis sends on every request.
token=$("$perftrack" token create --db "$db" --project fuzz --scope admin -q)

# The rate limit would turn most of the run into 429s; it has its own tests.
"$perftrack" serve --db "$db" --listen 127.0.0.1:0 --rate-limit 0 >"$work/serve.out" \
  2>"$work/serve.err" &
serve_pid=$!
for _ in $(seq 200); do [[ -s $work/serve.out ]] && break; sleep 0.1; done
port=$(sed -n '1s/^listening on .*:\([0-9]*\)$/\1/p' "$work/serve.out")
[[ -n $port ]] || { echo "fuzz_api: perftrack serve did not start:" >&2; cat "$work/serve.err" >&2; exit 1; }
base=http://127.0.0.1:$port

# Some history so the read endpoints have a project, branch and testbed to find: six commits,
# the last twice as slow, and a check of it, which opens alerts for ack and resolve.
fixture=tests/fixtures/formats/gbench/aggregates-only-1.7.1.json
python3 - "$fixture" "$work/slow.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
for b in data["benchmarks"]:
    for key in ("real_time", "cpu_time"):
        if b.get("aggregate_name") != "cv" and key in b:
            b[key] *= 2
json.dump(data, open(sys.argv[2], "w"))
PY
for i in 1 2 3 4 5 6; do
  file=$fixture
  [[ $i == 6 ]] && file=$work/slow.json
  "$perftrack" ingest --db "$db" --quiet --project fuzz --branch main --commit "c$i" \
    --commit-time "2026-01-0${i}T00:00:00Z" --testbed fuzz "$file" 2>/dev/null
done
"$perftrack" check --db "$db" --project fuzz --branch main --testbed fuzz --commit c6 \
  --no-notify >/dev/null 2>&1 || true
alerts=$("$perftrack" alerts list --db "$db" --project fuzz --format json | python3 -c \
  'import json, sys; print(len(json.load(sys.stdin)))' 2>/dev/null || echo "?")
echo "fuzz_api: project fuzz: 6 runs, $alerts alerts"

report_dir=$(realpath -m "$build_dir/fuzz-api-report")
rm -rf "$report_dir"
args=(run docs/api.yaml --url "$base" --header "Authorization: Bearer $token"
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
  --phases examples,coverage,fuzzing --max-examples "$max_examples" --workers 2 --continue-on-failure
  --request-timeout 30 --report junit,ndjson --report-dir "$report_dir" --no-color)
[[ -n $seed ]] && args+=(--seed "$seed")
echo "fuzz_api: schemathesis $schemathesis_version against $base (max $max_examples examples per operation)"
status=0
# No proxy may carry the traffic elsewhere; the token is masked in schemathesis's output.
env -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY -u ALL_PROXY -u all_proxy \
  NO_PROXY=127.0.0.1 no_proxy=127.0.0.1 PERFTRACK_FUZZ_CACHE="$(realpath -m "$build_dir/fuzz-api-cache")" \
  "$venv/bin/schemathesis" --config-file ci/fuzz_api.toml "${args[@]}" || status=$?

# The server must still answer after the run.
curl -sf -o /dev/null "$base/api/v1/health" || { echo "fuzz_api: the server no longer answers" >&2; status=1; }
# The access log (stderr) has every request's status: a 5xx that schemathesis did not report
# (a response it could not tie to an operation) still counts.
if grep -q '"status":5[0-9][0-9]' "$work/serve.err"; then
  echo "fuzz_api: the server answered 5xx:" >&2
  grep '"status":5[0-9][0-9]' "$work/serve.err" | head -20 >&2
  status=1
fi
echo "fuzz_api: $(grep -c '"status":' "$work/serve.err") requests served"
echo "fuzz_api: reports in $report_dir; exit $status"
exit "$status"
