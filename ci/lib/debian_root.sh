# shellcheck shell=bash
# Sourced by ci/test_package.sh and ci/test_action.sh: a clean, minimal Debian 12 root to install
# and run perftrack in, as a new machine would be.
#
# The root is made by debootstrap (minbase variant) from the same mirror apt uses here, once;
# a tar of it is cached in $DEBIAN_ROOT_CACHE (a week at most), and every test unpacks a fresh
# copy. The scripts run themselves inside a private mount and PID namespace
# (in_private_namespace): the root's /proc and /dev/shm vanish with it, and so does every process
# started in the root (the embedded PostgreSQL server too), even when a test fails half-way.

DEBIAN_SUITE=bookworm
DEBIAN_ROOT_CACHE=${DEBIAN_ROOT_CACHE:-build-pkg/debian-root}

# Re-executes the calling script in a new mount + PID namespace unless it already runs in one.
# Usage (first thing in a script): in_private_namespace "$@"
in_private_namespace() {
  if [[ -z ${PERFTRACK_IN_PRIVATE_NAMESPACE:-} ]]; then
    PERFTRACK_IN_PRIVATE_NAMESPACE=1 exec unshare --mount --pid --fork --kill-child \
      --propagation private bash "$0" "$@"
  fi
}

# The Debian mirror apt uses on this machine (deb822 .sources or one-line .list entries).
debian_mirror() {
  local uri
  uri=$(awk '
    /^Types:/ { deb = ($0 ~ /[[:space:]]deb([[:space:]]|$)/) }
    /^URIs:/ { uris = $2 }
    /^Suites:/ && deb && $0 ~ /[[:space:]]'"$DEBIAN_SUITE"'([[:space:]]|$)/ { print uris; exit }
  ' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  if [[ -z $uri ]]; then
    uri=$(awk '$1 == "deb" && $3 == "'"$DEBIAN_SUITE"'" { print $2; exit }' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# Prints the path of the cached tar of a pristine root, making it first if needed.
debian_root_tarball() {
  local tarball=$DEBIAN_ROOT_CACHE/$DEBIAN_SUITE-minbase.tar
  if [[ -f $tarball && -z $(find "$tarball" -mtime +7) ]]; then
    echo "$tarball"
    return
  fi
  local mirror work
  mirror=$(debian_mirror)
  mkdir -p "$DEBIAN_ROOT_CACHE"
  work=$(mktemp -d "$DEBIAN_ROOT_CACHE/debootstrap.XXXXXX")
  echo "debian_root: debootstrap $DEBIAN_SUITE (minbase) from $mirror, once (cached in $tarball)" >&2
  if ! debootstrap --variant=minbase "$DEBIAN_SUITE" "$work" "$mirror" >"$work.log" 2>&1; then
    tail -20 "$work.log" >&2
    rm -rf --one-file-system "$work"
    return 1
  fi
  tar -C "$work" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
  rm -rf --one-file-system "$work" "$work.log"
  echo "$tarball"
}

# Unpacks a fresh root into $1 (which must not exist) and prepares it to run programs:
# the host's Debian sources, no service starts from maintainer scripts (as in Debian's
# container images), /proc and a /dev/shm for PostgreSQL's shared memory.
debian_root_create() {
  local root=$1 tarball
  tarball=$(debian_root_tarball)
  mkdir -p "$root"
  tar -C "$root" -xf "$tarball"
  local mirror
  mirror=$(debian_mirror)
  cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $DEBIAN_SUITE main
deb $mirror $DEBIAN_SUITE-updates main
EOF
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
  mount -t proc proc "$root/proc"
  mkdir -p "$root/dev/shm"
  mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
}

# Unmounts and removes a root made by debian_root_create (safe to call twice, or on a root
# that was never finished).
debian_root_remove() {
  local root=$1
  [[ -d $root ]] || return 0
  # A test that failed half-way may leave the embedded PostgreSQL running in the root, which
  # keeps its mounts busy. As the init of the private PID namespace (in_private_namespace),
  # kill -1 reaches exactly the processes started inside it.
  if (($$ == 1)); then
    kill -KILL -1 2>/dev/null || true
    sleep 0.5
  fi
  umount "$root/dev/shm" 2>/dev/null || true
  umount "$root/proc" 2>/dev/null || true
  if findmnt -rn -o TARGET | grep -q "^$(realpath "$root")/"; then
    echo "debian_root: $root still has mounts; not removing it" >&2
    return 1
  fi
  rm -rf --one-file-system "$root"
}

# Runs a command in the root as root, with a clean environment (plus any NAME=VALUE given
# before the command: in_root ROOT [NAME=VALUE...] CMD ARGS...).
in_root() {
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# The same as an ordinary user of the root (created by the caller).
in_root_as() {
  local root=$1 user=$2
  shift 2
  chroot "$root" /usr/sbin/runuser -u "$user" -- /usr/bin/env -i \
    PATH=/usr/local/bin:/usr/bin:/bin HOME="/home/$user" LANG=C.UTF-8 "$@"
}
