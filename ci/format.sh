#!/usr/bin/env bash
# clang-format (.clang-format at the root) over the project's C++ files: those git tracks or
# would track (build directories and whatever .gitignore names are left out).
#   ci/format.sh           formats them in place
#   ci/format.sh --check   changes nothing; lists the files that differ from their formatted
#                          text and exits 1 when there is any (0 when all are formatted)
# Needs clang-format (ci/setup.sh --test installs Debian 12's, version 14).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

check=0
case ${1:-} in
  --check) check=1 ;;
  "") ;;
  *)
    echo "ci/format.sh: unknown argument $1 (usage: ci/format.sh [--check])" >&2
    exit 2 ;;
esac
if ! command -v clang-format >/dev/null; then
  echo "ci/format.sh: clang-format not found; install it with 'bash ci/setup.sh --test'" >&2
  exit 2
fi

files=()
while IFS= read -r -d '' f; do
  [[ -f $f ]] && files+=("$f")
done < <(git ls-files -z --cached --others --exclude-standard -- '*.cpp' '*.hpp' '*.h' '*.cc')
if ((${#files[@]} == 0)); then
  echo "ci/format.sh: no C++ files found (run it inside the git checkout)" >&2
  exit 2
fi

if ((check == 0)); then
  printf '%s\0' "${files[@]}" | xargs -0 -n 20 -P "$(nproc)" clang-format -i
  echo "ci/format.sh: formatted ${#files[@]} files"
  exit 0
fi

# Each file whose formatted text differs, one a line (sorted, so two runs compare).
differ=$(printf '%s\0' "${files[@]}" | xargs -0 -n 1 -P "$(nproc)" sh -c \
  'clang-format "$1" | cmp -s - "$1" || printf "%s\n" "$1"' _ | sort)
if [[ -z $differ ]]; then
  echo "ci/format.sh: all ${#files[@]} files are formatted"
  exit 0
fi
echo "$differ"
echo "ci/format.sh: $(wc -l <<<"$differ") of ${#files[@]} files differ from clang-format's output; run ci/format.sh to format them" >&2
exit 1
