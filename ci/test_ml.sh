#!/usr/bin/env bash
# The optional test target of the ML framework suite (examples/ml): creates the pinned Python
# environment (bash ci/setup.sh --ml, ~3 GB once), builds perftrack, then runs
#   1. the suite's unit tests (NumPy reference, comparisons, timing, memory), and each
#      framework's model tests in a process of its own;
#   2. the end-to-end test: every mode of every model in a tiny configuration, the equivalence
#      checks, a failure record, and the records through the real `perftrack ingest` and
#      `perftrack run --config examples/ml/perftrack.toml`;
#   3. the per-commit test: examples/ml/track_commits.sh, whose check must flag the slowdown.
# ci/test.sh needs none of this. About 15 minutes on 2 cores (torch.compile compiles C++ from
# a cold cache in every configuration). Extra arguments go to unittest (e.g. -k Track).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/setup.sh --ml

build_dir=${PERFTRACK_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPERFTRACK_WERROR=ON
cmake --build "$build_dir" -j 2 --target perftrack
export PERFTRACK_BIN=$PWD/$build_dir/perftrack
python=${PERFTRACK_ML_VENV:-$PWD/build/ml-venv}/bin/python

cd examples/ml
# One process per module: the frameworks are never imported into one process together.
for module in tests.test_common tests.test_driver tests.test_torch tests.test_tensorflow \
              tests.test_jax tests.test_end_to_end tests.test_track_commits; do
  echo "ci/test_ml.sh: $module"
  "$python" -m unittest "$module" "$@"
done
