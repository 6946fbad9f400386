#!/usr/bin/env bash
# Builds perftrack's libFuzzer targets (clang, in their own build directory) and runs one of
# them, or all of them one after the other, for SECONDS each, over a seed corpus made from the
# fixtures (tests/fixtures/formats/ and, when it is beside the checkout, ../shared/fixtures).
#
#   ci/fuzz.sh TARGET SECONDS     TARGET: native, gbench, pytest-benchmark, benchmarkdotnet,
#   ci/fuzz.sh all SECONDS                hyperfine, jmh, criterion, bmf, gab-json, catch2,
#                                         gobench, cargo-bench, records
#
# Runs at the lowest CPU priority (nice 19) so other builds on the machine keep their CPU.
# Crashing inputs land in $BUILD/fuzz-artifacts/TARGET/; keep each one as a regression test:
# tests/fixtures/formats/<format>/fuzz-<what>.bin. Exits 1 when any target found a problem.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

targets=(native gbench pytest-benchmark benchmarkdotnet hyperfine jmh criterion bmf gab-json
         catch2 gobench cargo-bench records)
if [[ $# -ne 2 || ! "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: ci/fuzz.sh TARGET|all SECONDS (targets: ${targets[*]})" >&2
  exit 2
fi
if [[ "$1" == all ]]; then
  selected=("${targets[@]}")
elif [[ " ${targets[*]} " == *" $1 "* ]]; then
  selected=("$1")
else
  echo "ci/fuzz.sh: unknown target \"$1\" (targets: ${targets[*]})" >&2
  exit 2
fi
seconds=$2

# clang 14 and its libFuzzer runtime, from Debian.
missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  SUDO=(); [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}"
fi

build=${PERFTRACK_FUZZ_BUILD_DIR:-build-fuzz}
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPERFTRACK_FUZZ=ON -DPERFTRACK_BUILD_TESTS=OFF -DPERFTRACK_BUILD_BENCH=OFF >/dev/null
fi
target_name() { echo "fuzz_${1//-/_}"; }
build_targets=()
for t in "${selected[@]}"; do build_targets+=("$(target_name "$t")"); done
nice -n 19 cmake --build "$build" -j "${PERFTRACK_FUZZ_JOBS:-2}" --target "${build_targets[@]}"

shared=../shared/fixtures/formats
# The fixture folders whose files seed each target.
seed_folders() {
  case "$1" in
    native) echo tests/fixtures/formats/perftrack ;;
    gbench) echo tests/fixtures/formats/gbench $shared/gbench ;;
    pytest-benchmark) echo tests/fixtures/formats/pytest-benchmark $shared/pytest-benchmark ;;
    benchmarkdotnet) echo tests/fixtures/formats/benchmarkdotnet $shared/benchmarkdotnet ;;
    hyperfine) echo tests/fixtures/formats/hyperfine $shared/hyperfine ;;
    jmh) echo tests/fixtures/formats/jmh $shared/jmh ;;
    criterion) echo tests/fixtures/formats/criterion $shared/criterion ;;
    bmf) echo tests/fixtures/formats/bmf $shared/bmf ;;
    gab-json) echo tests/fixtures/formats/gab-json $shared/gab-custom ;;
    catch2) echo tests/fixtures/formats/catch2 $shared/catch2-xml $shared/catch2-console ;;
    gobench) echo tests/fixtures/formats/gobench $shared/go-test-bench ;;
    cargo-bench) echo tests/fixtures/formats/cargo-bench $shared/cargo-bench ;;
    records) echo tests/fixtures/formats/records ;;
  esac
}

status=0
summary=()
for t in "${selected[@]}"; do
  name=$(target_name "$t")
  seeds="$build/fuzz-seeds/$t"
  corpus="$build/fuzz-corpus/$t"
  artifacts="$build/fuzz-artifacts/$t"
  log="$build/fuzz-logs/$t.log"
  rm -rf "$seeds"
  mkdir -p "$seeds" "$corpus" "$artifacts" "$(dirname "$log")"
  for dir in $(seed_folders "$t"); do
    [[ -d "$dir" ]] || continue
    find "$dir" -type f \( -name '*.json' -o -name '*.jsonl' -o -name '*.xml' -o -name '*.txt' \
      -o -name 'fuzz-*' \) -exec cp -t "$seeds" {} +
  done
  echo "ci/fuzz.sh: $name for ${seconds}s ($(ls "$seeds" | wc -l) seed files)"
  set +e
  nice -n 19 "$build/fuzz/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seeds" \
    >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  found=$(ls "$artifacts" | wc -l)
  summary+=("$t: rc=$rc executions=${execs:-?} corpus=$(ls "$corpus" | wc -l) artifacts=$found")
  if [[ $rc -ne 0 || $found -ne 0 ]]; then
    status=1
    echo "ci/fuzz.sh: $name found a problem (exit $rc); see $log and $artifacts/" >&2
    grep -E 'ERROR|SUMMARY|abort|: ' "$log" | grep -v '^#' | head -20 >&2 || true
  fi
done
printf '%s\n' "${summary[@]}"
exit $status
