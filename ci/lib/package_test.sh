# The start shared by ci/test_package.sh and ci/test_action.sh, sourced after
# ci/lib/debian_root.sh and in_private_namespace: the step / fail / elapsed helpers, the tools
# both need (ci/setup.sh --package-test), and the Debian package built from this checkout:
# $deb (its path), $deb_name and $version.

t_start=$(date +%s.%N)
# Seconds since the date +%s.%N value $1, to a tenth.
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
step() { echo "== $*"; }
# write_slower_gbench IN OUT: the Google Benchmark file IN with every time 30 % slower, written
# to OUT: the slowdown both package tests expect check to call a regression.
write_slower_gbench() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
for b in doc["benchmarks"]:
    for key in ("real_time", "cpu_time"):
        if key in b:
            b[key] *= 1.3
json.dump(doc, open(sys.argv[2], "w"), indent=1)
EOF
}
fail() {
  echo "ci/$(basename "$0"): FAILED: $*" >&2
  exit 1
}

bash ci/setup.sh --package-test
deb=$(bash ci/package.sh | tee /dev/stderr | tail -1)
deb_name=$(basename "$deb")
version=$(dpkg-deb --field "$deb" Version)
