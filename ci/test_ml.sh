#!/usr/bin/env bash
# The optional test target of the ML-framework example suite (examples/ml): installs LibTorch
# and python3-torch (~1 GB, once), builds perftrack with -DPERFTRACK_ML_EXAMPLES=ON in its own
# build directory, and runs the tests labelled `ml` (the real ml_bench binary and
# torch_bench.py on a small slice). ci/test.sh does not need any of this; CI may skip this job.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/setup.sh --ml

build_dir=${PERFTRACK_ML_BUILD_DIR:-build-ml}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPERFTRACK_WERROR=ON \
  -DPERFTRACK_ML_EXAMPLES=ON
# Each file that includes torch needs ~1 GB of memory and ~15 s to compile: two jobs at most.
cmake --build "$build_dir" -j 2 --target ml_bench ml_tests
ctest --test-dir "$build_dir" -L ml --output-on-failure --timeout 900 "$@"
