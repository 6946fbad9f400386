#!/usr/bin/env bash
# The ML suite tracked per commit, in a fresh embedded database: a reduced suite (PyTorch eager
# and torch.compile training of the MLP at batch 32) runs at synthetic commits of one branch,
# one `perftrack run` each. The last two commits differ from the others only in the model
# width (--width-scale, 2 by default: the MLP's hidden layers grow from 512/256 to 1024/512),
# a real slowdown. Then `perftrack check` judges the last commit and `perftrack report` draws
# the history.
#
#   bash examples/ml/track_commits.sh [OUT_DIR]      (after bash ci/setup.sh --ml and a build)
#
# Writes OUT_DIR/check.json (check --format json), OUT_DIR/check.txt and OUT_DIR/report.html.
# ML_TRACK_BASE_COMMITS (default 6) commits at width 1 come first; ML_TRACK_WIDTH_SCALE sets the
# wider model; ML_TRACK_SELECT (space-separated globs) replaces the configurations measured.
# Exit status: 0 when check flagged a regression (as it should), 1 when it did not.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
perftrack=${PERFTRACK_BIN:-$root/build/perftrack}
python=${PERFTRACK_ML_VENV:-$root/build/ml-venv}/bin/python
out=${1:-$(mktemp -d)}
base_commits=${ML_TRACK_BASE_COMMITS:-6}
wide=${ML_TRACK_WIDTH_SCALE:-2}
read -r -a globs <<<"${ML_TRACK_SELECT:-train_step/pytorch/eager/mlp/32 train_step/pytorch/torch.compile/mlp/32}"

for tool in "$perftrack" "$python"; do
  if [[ ! -x $tool ]]; then
    echo "track_commits.sh: $tool is missing (bash ci/setup.sh --ml; build perftrack)" >&2
    exit 2
  fi
done
mkdir -p "$out"
# A database of its own, removed at the end: nothing else's history leaks into the check.
PERFTRACK_HOME=$(mktemp -d)
export PERFTRACK_HOME
cleanup() {
  "$perftrack" db stop >/dev/null 2>&1 || true
  rm -rf "$PERFTRACK_HOME"
}
trap cleanup EXIT

select=()
for g in "${globs[@]}"; do select+=(--select "$g"); done
identity=(--project ml-frameworks-track --testbed ml-track --branch main)
records=$out/records.json
commits=()
total=$((base_commits + 2))
for ((i = 1; i <= total; i++)); do
  scale=1
  ((i > base_commits)) && scale=$wide
  sha=$(printf 'feedface%032d' "$i")
  commits+=("$sha")
  echo "track_commits.sh: commit $i/$total ($sha), --width-scale $scale" >&2
  "$perftrack" run "${identity[@]}" --commit "$sha" \
    --commit-time "$(printf '2026-01-%02dT12:00:00Z' "$i")" --quiet \
    --type command --name ml_frameworks --repetitions 1 \
    --results "$records" --format records \
    --params framework,mode,model,batch_size --ignore-fields num_iterations,warmup_time_ms \
    -- "$python" "$here/ml_suite.py" --out "$records" --work-dir "$out/work" \
    "${select[@]}" --threads 1 --width-scale "$scale" >/dev/null
done

last=${commits[-1]}
status=0
"$perftrack" check "${identity[@]}" --commit "$last" --format json >"$out/check.json" || status=$?
"$perftrack" check "${identity[@]}" --commit "$last" --format text --no-fail | tee "$out/check.txt"
"$perftrack" report "${identity[@]}" --out "$out/report.html" >/dev/null
echo "track_commits.sh: check.json, check.txt and report.html in $out" >&2
if ((status != 1)); then
  echo "track_commits.sh: check did not flag the wider model (exit $status)" >&2
  exit 1
fi
