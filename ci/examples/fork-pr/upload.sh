#!/usr/bin/env bash
# The trusted half of the fork pull-request pattern (docs/ci.md, "Pull requests from forks"):
# runs in a workflow_run job that holds PERFTRACK_TOKEN but never runs the PR's code. It stores
# the result files of the untrusted job through the perftrack server and writes the check as a
# Markdown comment.
#
#   upload.sh RESULTS_DIR COMMENT_FILE
#
# Environment (every identity from GitHub's event, none from the artifact):
#   PERFTRACK_SERVER, PERFTRACK_TOKEN   the server and an ingest+read token of the project
#   PROJECT, TESTBED                    where the results belong
#   PR_NUMBER, HEAD_SHA                 the pull request and the commit that ran
#   RUN_KEY                             idempotency key (e.g. "gh-<run id>-<attempt>")
#   BASE_BRANCH, BASE_COMMIT            optional: the baseline branch (main) and the merge-base
#
# Exit codes are perftrack's: 0 stored and checked (the check's verdict is in the comment, the
# job does not fail on it), 2 a bad file or flag or a refused token (the message says which),
# 3 the server was unreachable (re-run the job).
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: upload.sh RESULTS_DIR COMMENT_FILE" >&2
    exit 2
fi
dir=$1
comment=$2
for v in PERFTRACK_SERVER PERFTRACK_TOKEN PROJECT TESTBED PR_NUMBER HEAD_SHA RUN_KEY; do
    if [[ -z ${!v:-} ]]; then
        echo "upload.sh: $v is not set" >&2
        exit 2
    fi
done
# The artifact is untrusted input: only plain *.json files directly in the folder, by name.
[[ $PR_NUMBER =~ ^[0-9]+$ ]] || { echo "upload.sh: PR_NUMBER is not a number" >&2; exit 2; }
[[ $HEAD_SHA =~ ^[0-9a-f]{7,64}$ ]] || { echo "upload.sh: HEAD_SHA is not a commit" >&2; exit 2; }
files=()
while IFS= read -r -d '' f; do files+=("$f"); done \
    < <(find "$dir" -maxdepth 1 -type f -name '*.json' -print0 | sort -z)
if [[ ${#files[@]} -eq 0 ]]; then
    echo "upload.sh: no result files in $dir" >&2
    exit 2
fi

branch="pr-$PR_NUMBER"
# Flags beat whatever context a result file claims (perftrack's precedence: flags > file).
perftrack ingest --format gbench --project "$PROJECT" --testbed "$TESTBED" \
    --branch "$branch" --commit "$HEAD_SHA" --run-id "$RUN_KEY" "${files[@]}"

check=(perftrack check --format markdown --no-fail --project "$PROJECT" --testbed "$TESTBED"
       --branch "$branch" --commit "$HEAD_SHA" --baseline-branch "${BASE_BRANCH:-main}")
if [[ -n ${BASE_COMMIT:-} ]]; then check+=(--base-commit "$BASE_COMMIT"); fi
"${check[@]}" >"$comment"
echo "upload.sh: stored $((${#files[@]})) file(s) as run $RUN_KEY on branch $branch; comment in $comment"
