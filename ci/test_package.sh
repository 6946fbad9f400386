#!/usr/bin/env bash
# The clean-system install test (not part of ci/test.sh): builds the Debian package, makes a
# minimal Debian 12 root with debootstrap, installs the package there with
# `apt-get install ./perftrack_….deb` (so its declared dependencies are all that is there), and
# runs perftrack in that root: --version, the man page and completion, ingest of a real Google
# Benchmark file into the embedded database, check (unchanged, then a regression), report —
# as root (the server runs as the `postgres` account) and as an ordinary user.
# Anything the package forgot to declare fails here. Prints the package size and the times.
# Needs root (chroot, mounts). About 3 minutes with the root cached, 5 without.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source ci/lib/debian_root.sh
in_private_namespace "$@"

source ci/lib/package_test.sh
expected_version="perftrack $version (commit $(git rev-parse --short=12 HEAD))"

root=$(realpath -m build-pkg/test-root)
trap 'debian_root_remove "$root"' EXIT
debian_root_remove "$root"
step "a clean Debian 12 root in $root"
root_from="from the cached debootstrap"
[[ -f $DEBIAN_ROOT_CACHE/$DEBIAN_SUITE-minbase.tar ]] || root_from="debootstrap, cached for the next run"
t=$(date +%s.%N)
debian_root_create "$root"
t_root=$(elapsed "$t")

cp "$deb" "$root/tmp/$deb_name"
fixture=tests/fixtures/formats/gbench/repetitions3-1.7.1.json
mkdir -p "$root/srv/results"
cp "$fixture" "$root/srv/results/bench.json"
write_slower_gbench "$fixture" "$root/srv/results/slower.json"
chmod -R a+rX "$root/srv/results"

step "apt-get update in the root"
t=$(date +%s.%N)
in_root "$root" apt-get -q update >/dev/null
t_update=$(elapsed "$t")
step "apt-get install ./$deb_name"
t=$(date +%s.%N)
in_root "$root" apt-get -q install -y "/tmp/$deb_name" >"$root/tmp/install.log" 2>&1 ||
  {
    tail -30 "$root/tmp/install.log"
    fail "apt-get install of the package"
  }
t_install=$(elapsed "$t")
grep -E "newly installed" "$root/tmp/install.log" || true

step "perftrack --version"
got=$(in_root "$root" perftrack --version)
echo "$got"
[[ $got == "$expected_version" ]] || fail "--version printed '$got', expected '$expected_version'"

step "files the package installs"
for f in /usr/share/man/man1/perftrack.1.gz /usr/share/bash-completion/completions/perftrack \
  /usr/share/doc/perftrack/README.md /usr/share/doc/perftrack/CHANGELOG.md \
  /usr/share/doc/perftrack/docs/install.md /usr/share/doc/perftrack/docs/ci.md \
  /usr/share/doc/perftrack/ci/examples/github-actions.yml /usr/share/doc/perftrack/examples/ml/README.md; do
  [[ -s $root$f ]] || fail "$f is missing"
done
# The man page names every subcommand; the completion script completes them.
man_text=$(zcat "$root/usr/share/man/man1/perftrack.1.gz")
for sub in ingest run check report backtest baseline alerts db push; do
  grep -q "^\.SS \"perftrack $sub\"" <<<"$man_text" || fail "the man page has no section for $sub"
done
got=$(in_root "$root" bash -c 'source /usr/share/bash-completion/completions/perftrack &&
  COMP_WORDS=(perftrack ch); COMP_CWORD=1; _perftrack; echo "${COMPREPLY[*]}"')
[[ $got == check ]] || fail "completing 'perftrack ch' gave '$got'"

# A history of four commits, then a fifth with the same results (no change) and a sixth 30 %
# slower (a regression), in the embedded database.
exercise() {  # label, then the command prefix that runs a program in the root as some user
  local label=$1
  shift
  local run=("$@") i out code
  step "$label: ingest 5 commits of a real Google Benchmark file into the embedded database"
  for i in 1 2 3 4 5; do
    "${run[@]}" perftrack ingest --format gbench --project demo --testbed clean-root \
      --branch main --commit "c$i" --commit-time "2024-05-0${i}T12:00:00Z" /srv/results/bench.json
  done
  step "$label: check (unchanged)"
  "${run[@]}" perftrack check --project demo --testbed clean-root --branch main --commit c5 ||
    fail "$label: check of an unchanged commit"
  step "$label: ingest a 30 % slower commit and check it (a regression: exit 1)"
  "${run[@]}" perftrack ingest --format gbench --project demo --testbed clean-root --branch main \
    --commit c6 --commit-time 2024-05-06T12:00:00Z /srv/results/slower.json
  code=0
  out=$("${run[@]}" perftrack check --project demo --testbed clean-root --branch main --commit c6) || code=$?
  echo "$out"
  ((code == 1)) || fail "$label: check of the slower commit exited $code, expected 1"
  grep -q "^regression .*real_time" <<<"$out" || fail "$label: no real_time regression reported"
  step "$label: report"
  "${run[@]}" perftrack report --project demo --testbed clean-root --out /tmp/report.html
  grep -q "train_step" "$root/tmp/report.html" || fail "$label: the report does not show train_step"
  rm -f "$root/tmp/report.html"
  out=$("${run[@]}" perftrack db status)
  echo "$out"
  grep -qx "server account: $server_account" <<<"$out" || fail "$label: the server does not run as $server_account"
  grep -q "^data directory: $data_dir" <<<"$out" || fail "$label: the data directory is not under $data_dir"
  "${run[@]}" perftrack db stop
}

# As root PostgreSQL runs as `postgres`, which cannot enter /root: the cluster moves to
# /var/lib/perftrack/clusters. An ordinary user's lives in their home.
server_account=postgres data_dir=/var/lib/perftrack/clusters/
exercise "as root" in_root "$root" PERFTRACK_HOME=/root/perftrack
in_root "$root" useradd --create-home bench
server_account=bench data_dir=/home/bench/.local/share/perftrack/
exercise "as user bench" in_root_as "$root" bench

size=$(stat -c %s "$deb")
installed_kb=$(dpkg-deb --field "$deb" Installed-Size)
echo
echo "ci/test_package.sh: PASSED"
echo "  package:                 $deb_name, $(awk -v s="$size" 'BEGIN { printf "%.1f MiB", s / 1048576 }') ($size bytes), installed $((installed_kb / 1024)) MiB"
echo "  Depends:                 $(dpkg-deb --field "$deb" Depends)"
echo "  clean root:              ${t_root} s ($root_from)"
echo "  apt-get update:          ${t_update} s"
echo "  apt-get install ./deb:   ${t_install} s (with its dependencies and the recommended PostgreSQL)"
echo "  whole test:              $(elapsed "$t_start") s"
