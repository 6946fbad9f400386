// From parsed results to a run to store: the context's precedence (flags > the file's own > CI
// > git), the errors for what is missing, the run key derivation, merging the files of one run,
// and part keys that stay the ones already stored.
#include "runner/run_assembly.hpp"

#include <cstring>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace perftrack::runner {
namespace {

core::Measurement measurement(std::string benchmark, std::vector<double> samples) {
    core::Measurement m;
    m.series.suite = "s";
    m.series.benchmark = std::move(benchmark);
    m.series.metric = "real_time";
    m.series.unit = "ns";
    m.samples = std::move(samples);
    return m;
}

core::RunResults results_with(std::vector<core::Measurement> measurements) {
    core::RunResults r;
    r.measurements = std::move(measurements);
    return r;
}

// No git (git_dir empty), a fixed clock and host.
ResolveEnvironment offline(core::RunContext ci = {}) {
    ResolveEnvironment env;
    env.ci = std::move(ci);
    env.now_us = 1'700'000'000'000'000;
    env.host_name = "host-a";
    return env;
}

core::RunContext identity(std::string commit = "c1") {
    core::RunContext c;
    c.project = "p";
    c.branch = "main";
    c.commit = std::move(commit);
    return c;
}

TEST(RunAssembly, FlagsBeatTheFileWhichBeatsCi) {
    core::RunContext flags;
    flags.project = "from-flags";
    core::RunResults results = results_with({measurement("BM_A", {1, 2})});
    results.context.project = "from-file";
    results.context.branch = "file-branch";
    results.context.commit = "c1";
    core::RunContext ci;
    ci.project = "from-ci";
    ci.branch = "ci-branch";
    ci.testbed = "ci-box";
    ci.ci_provider = "github";
    ci.pull_request = "42";
    auto run = resolve_run(results, flags, offline(ci));
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(run->project, "from-flags");
    EXPECT_EQ(run->branch, "file-branch");
    EXPECT_EQ(run->testbed, "ci-box");
    EXPECT_EQ(run->commit, "c1");
    EXPECT_EQ(run->context.at("ci_provider"), "github");
    EXPECT_EQ(run->context.at("pull_request"), "42");
    EXPECT_EQ(run->started_at_us, 1'700'000'000'000'000);
    EXPECT_EQ(run->results.measurements.size(), 1u);
    EXPECT_TRUE(run->run_key.empty());  // random, assigned by finish_run
}

TEST(RunAssembly, CiCommitDetailsOnlyCountForTheCiCommit) {
    core::RunContext ci = identity("ci-commit");
    ci.commit_time = "2024-05-01T12:30:00Z";
    ci.commit_subject = "CI's commit";
    ci.parent_commit = "ci-parent";
    auto other = resolve_run(results_with({}), identity("c1"), offline(ci));
    ASSERT_TRUE(other) << other.error().message;
    EXPECT_EQ(other->commit, "c1");
    EXPECT_FALSE(other->commit_time_us);
    EXPECT_EQ(other->commit_subject, "");
    EXPECT_EQ(other->parent_commit, "");

    auto same = resolve_run(results_with({}), identity("ci-commit"), offline(ci));
    ASSERT_TRUE(same) << same.error().message;
    EXPECT_EQ(same->commit_time_us, 1714566600000000);
    EXPECT_EQ(same->commit_subject, "CI's commit");
    EXPECT_EQ(same->parent_commit, "ci-parent");
}

TEST(RunAssembly, WhatIsMissingIsAUsageErrorNamingTheFlag) {
    const auto error_without = [](auto erase) {
        core::RunContext flags = identity();
        erase(flags);
        auto run = resolve_run(results_with({}), flags, offline());
        EXPECT_FALSE(run);
        if (run) return std::string();
        EXPECT_EQ(run.error().kind, core::ErrorKind::usage);
        return run.error().message;
    };
    EXPECT_EQ(error_without([](core::RunContext& c) { c.project.reset(); }),
              "no project: pass --project (or run inside a git repository)");
    EXPECT_EQ(error_without([](core::RunContext& c) { c.branch.reset(); }),
              "no branch: pass --branch (or run inside a git repository on a branch)");
    EXPECT_EQ(error_without([](core::RunContext& c) { c.commit.reset(); }),
              "no commit: pass --commit (or run inside a git repository)");
    EXPECT_EQ(error_without([](core::RunContext& c) { c.commit_time = "yesterday"; }),
              "commit time \"yesterday\" is not ISO 8601 (e.g. 2024-05-01T12:30:00Z)");
}

TEST(RunAssembly, TheTestbedDefaultsToTheHostName) {
    auto run = resolve_run(results_with({}), identity(), offline());
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(run->testbed, "host-a");
}

TEST(RunAssembly, RunKeyFromRunIdElseGroupElseCiJob) {
    const auto key_of = [](core::RunContext flags, core::RunContext ci) {
        auto run = resolve_run(results_with({}), flags, offline(ci));
        EXPECT_TRUE(run) << run.error().message;
        return run ? run->run_key : std::string();
    };
    core::RunContext ci;
    ci.ci_run_key = "github:123:1";
    core::RunContext flags = identity();
    EXPECT_EQ(key_of(flags, ci), "github:123:1:host-a:c1");
    flags.run_group = "nightly";
    EXPECT_EQ(key_of(flags, ci), "group:nightly:host-a:c1");
    flags.run_id = "my-run";
    EXPECT_EQ(key_of(flags, ci), "my-run");
}

TEST(RunAssembly, MergingTwoFilesOfOneRunRefusesASeriesInBoth) {
    auto a = resolve_run(results_with({measurement("BM_A", {1})}), identity(), offline());
    auto b = resolve_run(results_with({measurement("BM_B", {2})}), identity(), offline());
    ASSERT_TRUE(a && b);
    EXPECT_EQ(run_group_key(*a), run_group_key(*b));
    b->results.warnings.push_back("debug build");
    ASSERT_TRUE(merge_into(*a, *b, "a.json", "b.json"));
    EXPECT_EQ(a->results.measurements.size(), 2u);
    EXPECT_EQ(a->results.warnings, std::vector<std::string>{"debug build"});

    auto again = merge_into(*a, *b, "a.json", "c.json");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, core::ErrorKind::input);
    EXPECT_EQ(again.error().message,
              "c.json: benchmark \"BM_B\" metric \"real_time\" is also in a.json for the same "
              "run; ingest them separately with different --run-id values");
}

// The part key's digest, computed here independently: FNV-1a over each series key and the
// bytes of its samples, then each failure's benchmark and message, from perftrack's
// historical offset basis.
std::uint64_t expected_digest(const core::RunResults& r) {
    std::uint64_t h = 1469598103934665603ull;
    const auto add = [&h](const void* data, std::size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < size; ++i) {
            h ^= p[i];
            h *= 1099511628211ull;
        }
    };
    for (const auto& m : r.measurements) {
        const std::string key = m.series.key();
        add(key.data(), key.size());
        add(m.samples.data(), m.samples.size() * sizeof(double));
    }
    for (const auto& f : r.failures) {
        add(f.benchmark.data(), f.benchmark.size());
        add(f.message.data(), f.message.size());
    }
    return h;
}

TEST(RunAssembly, PartKeysAreTheContentDigestTheyAlwaysWere) {
    core::RunContext flags = identity();
    flags.run_id = "r";
    auto run = resolve_run(results_with({measurement("BM_A", {1.5, 2.5})}), flags, offline());
    ASSERT_TRUE(run);
    run->results.failures.push_back({"s", "BM_Crash", core::Params::object(), "SIGSEGV"});
    finish_run(*run);
    EXPECT_EQ(run->run_key, "r");
    EXPECT_EQ(run->part_key, fmt::format("{:016x}", expected_digest(run->results)));
    // A key stored by earlier releases for this content: re-ingesting it must find it.
    EXPECT_EQ(run->part_key, "04f23ef516b3bba8");

    flags.shard = "2/4";
    auto shard = resolve_run(results_with({measurement("BM_A", {1.5, 2.5})}), flags, offline());
    ASSERT_TRUE(shard);
    finish_run(*shard);
    EXPECT_EQ(shard->part_key.rfind("shard 2/4 ", 0), 0u) << shard->part_key;
}

TEST(RunAssembly, WithoutAnyKeyTheRunKeyIsRandom) {
    auto a = resolve_run(results_with({}), identity(), offline());
    auto b = resolve_run(results_with({}), identity(), offline());
    ASSERT_TRUE(a && b);
    finish_run(*a);
    finish_run(*b);
    EXPECT_EQ(a->run_key.rfind("local:", 0), 0u);
    EXPECT_EQ(a->run_key.size(), std::strlen("local:") + 32);
    EXPECT_NE(a->run_key, b->run_key);
    EXPECT_EQ(a->part_key, b->part_key);  // same (empty) content
}

}  // namespace
}  // namespace perftrack::runner
