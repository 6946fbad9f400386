#!/usr/bin/env bash
# Installs perftrack for the GitHub Action (action.yml) — or anywhere, run by hand.
#
# From a release: downloads perftrack_<version>_<arch>.deb and its .sha256 from the GitHub
# release v<version>, verifies the checksum (and PERFTRACK_SHA256 when pinned), and installs it
# with `apt-get install ./perftrack_….deb`, which pulls its dependencies from the distribution.
# The release package is built on Debian 12; elsewhere, or when the release cannot be had, it
# falls back to building the same package from source (ci/package.sh) and installing that.
#
# Settings (environment; the Action maps its inputs to them):
#   PERFTRACK_VERSION          version to install; default: project(VERSION) of the source tree
#                              this script belongs to (the Action's own checkout at its ref)
#   PERFTRACK_INSTALL_FROM     auto (release, else source; default) | release | source
#   PERFTRACK_SHA256           expected SHA-256 of the .deb (optional pin)
#   PERFTRACK_RELEASE_REPOSITORY  owner/name whose releases hold the package; default: the
#                              Action's repository (from its path), else $GITHUB_REPOSITORY
#   PERFTRACK_RELEASE_BASE_URL download base; default $GITHUB_SERVER_URL/<repo>/releases/download
#                              (the package is <base>/v<version>/perftrack_<version>_<arch>.deb)
# Writes `version` and `installed-from` to $GITHUB_OUTPUT when that is set.
set -euo pipefail

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
say() { echo "perftrack install: $*"; }
fail() {
  echo "perftrack install: error: $*" >&2
  exit 2
}

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null; then
  SUDO=(sudo)
else
  fail "need root or sudo to install packages"
fi
export DEBIAN_FRONTEND=noninteractive
apt_get() { "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 -q "$@"; }

from=${PERFTRACK_INSTALL_FROM:-auto}
case $from in auto | release | source) ;; *) fail "PERFTRACK_INSTALL_FROM is '$from': use auto, release or source" ;; esac

version=${PERFTRACK_VERSION:-}
version=${version#v}
if [[ -z $version ]]; then
  version=$(sed -n 's/^project(perftrack VERSION \([0-9][0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")
  [[ -n $version ]] || fail "no PERFTRACK_VERSION given and none found in $source_dir/CMakeLists.txt"
fi
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "version '$version' is not of the form 1.2.3"

installed_version() { perftrack --version 2>/dev/null | awk '{ print $2 }' || true; }

finish() {
  say "installed: $(perftrack --version) (from $1)"
  if [[ -n ${GITHUB_OUTPUT:-} ]]; then
    {
      echo "version=$(installed_version)"
      echo "installed-from=$1"
    } >>"$GITHUB_OUTPUT"
  fi
  exit 0
}

if [[ $(installed_version) == "$version" && $from != source ]]; then
  finish "already installed"
fi

apt_updated=0
apt_update_once() {
  if ((apt_updated == 0)); then
    apt_get update
    apt_updated=1
  fi
}

# The release package: Debian 12 only, the architectures releases are built for.
release_fits_system() {
  local id version_id
  id=$(. /etc/os-release && echo "${ID:-}")
  version_id=$(. /etc/os-release && echo "${VERSION_ID:-}")
  if [[ $id != debian || $version_id != 12 ]]; then
    say "the release package is built for Debian 12; this is ${id:-unknown} ${version_id:-}"
    return 1
  fi
}

release_repository() {
  if [[ -n ${PERFTRACK_RELEASE_REPOSITORY:-} ]]; then
    echo "$PERFTRACK_RELEASE_REPOSITORY"
  elif [[ ${GITHUB_ACTION_PATH:-} =~ /_actions/([^/]+)/([^/]+)/[^/]+/?$ ]]; then
    # A used action is checked out at .../_actions/OWNER/REPO/REF (github.action_repository
    # is not reliably set inside composite actions).
    echo "${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
  else
    echo "${GITHUB_REPOSITORY:-}"
  fi
}

download() {  # url file
  curl --fail --silent --show-error --location --retry 3 --connect-timeout 10 --max-time 300 \
    --proto '=https,http' -o "$2" "$1"
}

install_deb() {  # path to a .deb
  local deb=$1
  apt_update_once
  # apt reads local packages as its unprivileged _apt user: a world-readable place avoids its
  # "download is performed unsandboxed" warning.
  apt_get install -y "$(realpath "$deb")"
}

install_release() {
  release_fits_system || return 1
  local arch repo base name work
  arch=$(dpkg --print-architecture)
  name=perftrack_${version}_${arch}.deb
  base=${PERFTRACK_RELEASE_BASE_URL:-}
  if [[ -z $base ]]; then
    repo=$(release_repository)
    [[ -n $repo ]] || {
      say "no repository to download the release from (set PERFTRACK_RELEASE_REPOSITORY)"
      return 1
    }
    base=${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download
  fi
  if ! command -v curl >/dev/null; then
    apt_update_once
    apt_get install -y --no-install-recommends curl ca-certificates
  fi
  work=$(mktemp -d)
  chmod 755 "$work"
  say "downloading $base/v$version/$name"
  if ! download "$base/v$version/$name" "$work/$name" ||
    ! download "$base/v$version/$name.sha256" "$work/$name.sha256"; then
    say "release v$version has no $name"
    rm -rf "$work"
    return 1
  fi
  local actual published
  actual=$(sha256sum "$work/$name" | awk '{ print $1 }')
  published=$(awk '{ print $1 }' "$work/$name.sha256")
  # A mismatch is never a reason to fall back quietly: someone should look.
  if [[ $actual != "$published" ]]; then
    fail "$name: SHA-256 $actual does not match the published $published"
  fi
  if [[ -n ${PERFTRACK_SHA256:-} && $actual != "$PERFTRACK_SHA256" ]]; then
    fail "$name: SHA-256 $actual does not match PERFTRACK_SHA256 ($PERFTRACK_SHA256)"
  fi
  say "$name: SHA-256 verified"
  install_deb "$work/$name"
  rm -rf "$work"
}

install_source() {
  [[ -f $source_dir/ci/package.sh ]] || fail "no source tree at $source_dir to build from"
  local tree
  tree=$(sed -n 's/^project(perftrack VERSION \([0-9][0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")
  if [[ $tree != "$version" ]]; then
    fail "cannot build $version from source: the source tree at $source_dir is $tree"
  fi
  say "building perftrack $version from source in $source_dir (several minutes)"
  apt_update_once
  local log
  log=$(mktemp)
  PERFTRACK_PACKAGE_BUILD_DIR=${PERFTRACK_PACKAGE_BUILD_DIR:-$source_dir/build-pkg} \
    bash "$source_dir/ci/package.sh" | tee "$log"
  install_deb "$(tail -1 "$log")"
  rm -f "$log"
}

case $from in
  release)
    install_release || fail "could not install the release package of $version"
    finish release
    ;;
  source)
    install_source
    finish source
    ;;
  auto)
    if install_release; then finish release; fi
    say "falling back to building from source"
    install_source
    finish source
    ;;
esac
