#!/usr/bin/env bash
# The GitHub Action's benchmark step (action.yml maps its inputs to these variables):
#   mode run:    perftrack run --check [--config FILE] [-- COMMAND]   (runs the suites, stores, checks)
#   mode ingest: perftrack ingest FILES, then perftrack check          (results a step produced)
# then, when asked, perftrack report --out FILE. The check writes the step summary and, with a
# token, the commit status and the sticky PR comment itself (docs/ci.md); this script only
# assembles the command lines. Exits with the check's exit code (0 fine, 1 regression, 2 bad
# input, 3 database unavailable and the run spooled, 4 a benchmark failed, 5 perftrack failed: a
# bug).
#
#   PERFTRACK_MODE            auto (ingest when PERFTRACK_FILES is set, else run) | run | ingest
#   PERFTRACK_RUN             run mode: the benchmark command, split like a shell command line
#   PERFTRACK_CONFIG          run mode: perftrack.toml to use (default: ./perftrack.toml)
#   PERFTRACK_FILES           ingest mode: result files, whitespace-separated, globs allowed
#   PERFTRACK_FORMAT          ingest mode: their format (default: detected)
#   PERFTRACK_DATABASE_URL    PostgreSQL URL (else PERFTRACK_DB as set, else the embedded database)
#   PERFTRACK_PROJECT_NAME, PERFTRACK_TESTBED_NAME, PERFTRACK_BASELINE_BRANCH
#   PERFTRACK_FAIL_ON_REGRESSION  true (default) | false (--no-fail)
#   PERFTRACK_CHECK_ARGS      more check flags (e.g. "--min-change 5"), split like a command line
#   PERFTRACK_REPORT          write the HTML report to this file (default: none)
#   PERFTRACK_GITHUB_TOKEN    token for the commit status and the PR comment (exported as GITHUB_TOKEN)
set -euo pipefail

fail() {
  echo "perftrack action: error: $*" >&2
  exit 2
}
# Splits a command line into words the way the shell quotes them ('...', "...", backslashes),
# without running anything in it: xargs does the quote removal, printf hands the words back.
split_words() {  # name text
  local -n out=$1
  out=()
  [[ -n $2 ]] || return 0
  local words
  words=$(xargs -r printf '%s\n' <<<"$2") || fail "cannot split into words (unbalanced quotes?): $2"
  # shellcheck disable=SC2034 # out is the caller's array
  mapfile -t out <<<"$words"
}

command -v perftrack >/dev/null || fail "perftrack is not installed (the Action's install step installs it)"

mode=${PERFTRACK_MODE:-auto}
if [[ $mode == auto ]]; then
  if [[ -n ${PERFTRACK_FILES:-} ]]; then mode=ingest; else mode=run; fi
fi
case $mode in run | ingest) ;; *) fail "mode is '$mode': use run, ingest or auto" ;; esac

[[ -z ${PERFTRACK_DATABASE_URL:-} ]] || export PERFTRACK_DB=$PERFTRACK_DATABASE_URL
[[ -z ${PERFTRACK_GITHUB_TOKEN:-} ]] || export GITHUB_TOKEN=$PERFTRACK_GITHUB_TOKEN

scope=()
[[ -z ${PERFTRACK_PROJECT_NAME:-} ]] || scope+=(--project "$PERFTRACK_PROJECT_NAME")
[[ -z ${PERFTRACK_TESTBED_NAME:-} ]] || scope+=(--testbed "$PERFTRACK_TESTBED_NAME")

check=()
[[ -z ${PERFTRACK_BASELINE_BRANCH:-} ]] || check+=(--baseline-branch "$PERFTRACK_BASELINE_BRANCH")
case ${PERFTRACK_FAIL_ON_REGRESSION:-true} in
  true) ;;
  false) check+=(--no-fail) ;;
  *) fail "fail-on-regression is '${PERFTRACK_FAIL_ON_REGRESSION}': use true or false" ;;
esac
extra=()
split_words extra "${PERFTRACK_CHECK_ARGS:-}"
check+=("${extra[@]}")

show() { echo "+ perftrack $(printf '%q ' "$@")"; }
status=0
if [[ $mode == run ]]; then
  args=(run "${scope[@]}" --check "${check[@]}")
  [[ -z ${PERFTRACK_CONFIG:-} ]] || args+=(--config "$PERFTRACK_CONFIG")
  benchmark=()
  split_words benchmark "${PERFTRACK_RUN:-}"
  ((${#benchmark[@]} == 0)) || args+=(-- "${benchmark[@]}")
  show "${args[@]}"
  perftrack "${args[@]}" || status=$?
else
  [[ -n ${PERFTRACK_FILES:-} ]] || fail "mode ingest needs files"
  files=()
  read -ra patterns <<<"$PERFTRACK_FILES"
  for pattern in "${patterns[@]}"; do
    matches=()
    for f in $pattern; do [[ -e $f ]] && matches+=("$f"); done
    ((${#matches[@]} > 0)) || fail "files: nothing matches '$pattern'"
    files+=("${matches[@]}")
  done
  args=(ingest "${scope[@]}")
  [[ -z ${PERFTRACK_FORMAT:-} ]] || args+=(--format "$PERFTRACK_FORMAT")
  show "${args[@]}" "${files[@]}"
  perftrack "${args[@]}" "${files[@]}" || status=$?
  if ((status == 0)); then
    show check "${scope[@]}" "${check[@]}"
    perftrack check "${scope[@]}" "${check[@]}" || status=$?
  fi
fi

# The report also when the check failed: it shows why.
if [[ -n ${PERFTRACK_REPORT:-} ]] && ((status != 2 && status != 3)); then
  report=(report "${scope[@]}" --format html --out "$PERFTRACK_REPORT")
  # On a pull request: the PR's own run against the baseline branch.
  branch=${GITHUB_HEAD_REF:-${GITHUB_REF_NAME:-}}
  [[ -z $branch ]] || report+=(--branch "$branch")
  [[ -z ${GITHUB_SHA:-} ]] || report+=(--commit "$GITHUB_SHA")
  report+=(--baseline-branch "${PERFTRACK_BASELINE_BRANCH:-main}")
  if [[ -n ${GITHUB_REPOSITORY:-} ]]; then
    report+=(--commit-url "${GITHUB_SERVER_URL:-https://github.com}/$GITHUB_REPOSITORY/commit/{sha}")
  fi
  show "${report[@]}"
  perftrack "${report[@]}" || echo "perftrack action: warning: the report could not be written" >&2
fi

if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  echo "exit-code=$status" >>"$GITHUB_OUTPUT"
  [[ -z ${PERFTRACK_REPORT:-} || ! -f ${PERFTRACK_REPORT} ]] || echo "report=$PERFTRACK_REPORT" >>"$GITHUB_OUTPUT"
fi
exit "$status"
