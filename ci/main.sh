#!/usr/bin/env bash
# The README's main job: perftrack tracks its own speed over the last commits of this repository.
#
#  1. installs what is needed (ci/setup.sh) and builds the perftrack tool from the checkout;
#  2. starts the embedded PostgreSQL ($PERFTRACK_HOME, default ~/.local/share/perftrack);
#  3. for each of the last N commits of the current branch (first parent, oldest first; N is
#     PERFTRACK_MAIN_COMMITS, default 4) checks the commit out into a git worktree under
#     build/selfbench/, builds that commit's Google Benchmark suite (bench/, Release) and runs it
#     with `perftrack run` as the repository's perftrack.toml describes, storing one run per commit;
#  4. checks the newest commit against the earlier ones (`perftrack check`, report only) and
#     writes report.html (`perftrack report`), then prints the database status.
#
# History is real, never replayed: every point on the report is a measurement of that commit's
# code on this machine. The worktree is kept, so a second run rebuilds incrementally, and a
# commit that already has a run for this testbed is not measured again. A commit that does not
# build is reported and skipped. A shallow clone has fewer commits: fetch more history
# (`git fetch --unshallow`) for a longer trend.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)

bash ci/setup.sh

commits_wanted=${PERFTRACK_MAIN_COMMITS:-4}
build_dir=${PERFTRACK_BUILD_DIR:-build}
jobs=$(nproc)
# Compile caching (ci/lib/ccache.sh): the per-commit builds below compile mostly the same files
# as this one, and a second run compiles nothing it compiled before.
source ci/lib/ccache.sh
use_ccache "$repo"
started=$SECONDS
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DPERFTRACK_WERROR=OFF "${ccache_flags[@]}" >/dev/null
cmake --build "$build_dir" -j "$jobs" --target perftrack
echo "main: perftrack built in $((SECONDS - started)) s"
perftrack="$repo/$build_dir/perftrack"

"$perftrack" db start

branch=$(git rev-parse --abbrev-ref HEAD)
[[ "$branch" == "HEAD" ]] && branch=main # a detached checkout (CI): record it as main
testbed=${PERFTRACK_TESTBED:-$(hostname)}
mapfile -t commits < <(git rev-list --first-parent --reverse --max-count="$commits_wanted" HEAD)
if ((${#commits[@]} < commits_wanted)); then
  echo "main: only ${#commits[@]} commit(s) in this clone's history (git fetch --unshallow for more)"
fi

# One worktree for all commits: checking out the next commit only touches the files that
# changed, so each further build is incremental.
worktree="$repo/$build_dir/selfbench/src"
git worktree prune
if [[ ! -e "$worktree/.git" ]]; then
  mkdir -p "$(dirname "$worktree")"
  git worktree add --detach "$worktree" "${commits[0]}" >/dev/null
fi

stored_commits() {
  "$perftrack" report --project perftrack --testbed "$testbed" --branch "$branch" --format json \
    2>/dev/null || true
}

measured=0
for sha in "${commits[@]}"; do
  short=${sha:0:10}
  subject=$(git log -1 --format=%s "$sha")
  if stored_commits | grep -q "\"$sha\""; then
    echo "main: $short already measured on $testbed ($subject)"
    continue
  fi
  echo "main: $short: building ($subject)"
  git -C "$worktree" checkout --quiet --detach --force "$sha"
  # Only the suite (it depends on the perftrack binary, whose path it embeds): no tests. The
  # worktree lies under the repository, so with CCACHE_BASEDIR at the repository its files
  # compile to the same cache entries as the build above wherever they did not change.
  started=$SECONDS
  if ! { cmake -S "$worktree" -B "$worktree/build" -DCMAKE_BUILD_TYPE=Release -DPERFTRACK_WERROR=OFF \
      -DPERFTRACK_BUILD_TESTS=OFF "${ccache_flags[@]}" >/dev/null &&
    cmake --build "$worktree/build" -j "$jobs" --target perftrack_bench >"$worktree/build.log" 2>&1; }; then
    echo "main: $short does not build; skipped (see $worktree/build.log)" >&2
    continue
  fi
  echo "main: $short: built in $((SECONDS - started)) s"
  # The suite as the repository describes it today, run against this commit's binary: the
  # config is copied beside the worktree's build so its relative binary path resolves there.
  cp "$repo/perftrack.toml" "$worktree/.perftrack-main.toml"
  echo "main: $short: running the suite"
  (cd "$worktree" && "$perftrack" run --config .perftrack-main.toml --branch "$branch" \
    --testbed "$testbed" --run-id "main-job-$testbed-$sha")
  measured=$((measured + 1))
done
echo "main: measured $measured new commit(s); ${#commits[@]} commit(s) in the trend"

# The newest commit against the earlier ones: informational here (the gate is for CI).
"$perftrack" check --project perftrack --testbed "$testbed" --branch "$branch" \
  --commit "${commits[-1]}" --no-fail

"$perftrack" report --project perftrack --testbed "$testbed" --branch "$branch" \
  --out "$repo/report.html"
echo "main: wrote $repo/report.html"
"$perftrack" db status
