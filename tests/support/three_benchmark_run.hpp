#pragma once
// A small run in perftrack's native JSON for the client and server tests: three benchmarks
// (bench0..2 of suite "s", real_time in ns, lower is better) with 8 samples each around
// `level` (+10 per benchmark), a little spread that depends on the commit, and a commit time
// `commit_index` minutes after 2026-01-01T00:00Z. Identity (project, branch, commit) comes from
// the command line, as CI gives it.

#include <string>

namespace perftrack::testing {

std::string three_benchmark_run(int commit_index, double level);

}  // namespace perftrack::testing
