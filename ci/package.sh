#!/usr/bin/env bash
# Builds the Debian package with CPack: build-pkg/packages/perftrack_<version>_<arch>.deb, and
# its SHA-256 beside it (the file a release publishes and the GitHub Action verifies).
# The last line printed is the package's path. Safe to run twice: an unchanged tree rebuilds
# nothing. PERFTRACK_PACKAGE_BUILD_DIR picks another build directory.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash ci/setup.sh --package

build_dir=${PERFTRACK_PACKAGE_BUILD_DIR:-build-pkg}
launcher=()
if command -v ccache >/dev/null && [[ -z ${CCACHE_DISABLE:-} ]]; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# Only the binary and what is generated from it: no tests, no benchmarks. Warnings are not
# errors here (ci/test.sh gates on them); this script also builds on the machines of users
# whose compiler may warn about something new.
# PERFTRACK_BUILD_COMMIT names the commit when the tree has no .git (a release tarball).
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPERFTRACK_PACKAGE=ON \
  -DPERFTRACK_BUILD_TESTS=OFF -DPERFTRACK_BUILD_BENCH=OFF \
  -DPERFTRACK_BUILD_COMMIT="${PERFTRACK_BUILD_COMMIT:-}" "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"

rm -f "$build_dir"/packages/perftrack_*.deb "$build_dir"/packages/perftrack_*.deb.sha256
(cd "$build_dir" && cpack -G DEB >/dev/null)
debs=("$build_dir"/packages/perftrack_*.deb)
if ((${#debs[@]} != 1)) || [[ ! -f ${debs[0]} ]]; then
  echo "ci/package.sh: expected one package in $build_dir/packages, found: ${debs[*]}" >&2
  exit 1
fi
deb=$(realpath "${debs[0]}")
(cd "$(dirname "$deb")" && sha256sum "$(basename "$deb")" >"$(basename "$deb").sha256")

dpkg-deb --field "$deb" Package Version Architecture Depends Recommends Suggests Installed-Size
echo "size: $(stat -c %s "$deb") bytes"
echo "$deb"
