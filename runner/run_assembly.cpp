#include "runner/run_assembly.hpp"

#include <cstring>
#include <random>
#include <set>

#include <fmt/format.h>
#include <unistd.h>

#include "core/fnv1a.hpp"
#include "core/time.hpp"
#include "runner/context/ci_environment.hpp"
#include "runner/context/git_info.hpp"

namespace perftrack::runner {

using core::ErrorKind;
using core::fail;

namespace {

std::string random_hex(std::size_t bytes) {
    std::random_device rd;
    std::string out;
    for (std::size_t i = 0; i < bytes; ++i) out += fmt::format("{:02x}", rd() & 0xffu);
    return out;
}

}  // namespace

ResolveEnvironment current_environment() {
    ResolveEnvironment env;
    env.ci = context_from_ci();
    env.git_dir = std::filesystem::current_path();
    env.now_us = core::now_epoch_us();
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0 && host[0] != '\0') {
        env.host_name = host;
    } else {
        env.host_name = "localhost";
    }
    return env;
}

core::Result<store::RunToStore> resolve_run(core::RunResults results, const core::RunContext& flags,
                                            const ResolveEnvironment& env) {
    core::RunContext ctx = flags;
    core::merge_context(ctx, results.context);
    // CI values describe the CI checkout: commit details only count for that commit.
    core::RunContext ci = env.ci;
    if (ctx.commit && ci.commit && *ctx.commit != *ci.commit) {
        ci.commit_time.reset();
        ci.commit_subject.reset();
        ci.parent_commit.reset();
    }
    core::merge_context(ctx, ci);

    const bool need_git =
        !ctx.commit || !ctx.branch || !ctx.project || !ctx.commit_time || !ctx.commit_subject;
    if (need_git && !env.git_dir.empty()) {
        core::RunContext head = context_from_git(env.git_dir);
        if (!ctx.commit || (head.commit && *ctx.commit == *head.commit)) {
            core::merge_context(ctx, head);
        } else {
            if (!ctx.branch) ctx.branch = head.branch;
            if (!ctx.project) ctx.project = head.project;
            if (!ctx.commit_time || !ctx.commit_subject)
                core::merge_context(ctx, context_from_git(env.git_dir, ctx.commit));
        }
    }
    if (!ctx.testbed) ctx.testbed = env.host_name;
    if (!ctx.project)
        return fail(ErrorKind::usage,
                    "no project: pass --project (or run inside a git repository)");
    if (!ctx.branch)
        return fail(ErrorKind::usage,
                    "no branch: pass --branch (or run inside a git repository on a branch)");
    if (!ctx.commit)
        return fail(ErrorKind::usage, "no commit: pass --commit (or run inside a git repository)");

    store::RunToStore run;
    run.project = *ctx.project;
    run.testbed = *ctx.testbed;
    run.branch = *ctx.branch;
    run.commit = *ctx.commit;
    if (ctx.commit_time) {
        auto t = core::parse_iso8601_us(*ctx.commit_time);
        if (!t)
            return fail(
                ErrorKind::usage,
                fmt::format("commit time \"{}\" is not ISO 8601 (e.g. 2024-05-01T12:30:00Z)",
                            *ctx.commit_time));
        run.commit_time_us = *t;
    }
    run.commit_subject = ctx.commit_subject.value_or("");
    run.parent_commit = ctx.parent_commit.value_or("");
    if (ctx.run_id) {
        run.run_key = *ctx.run_id;
    } else if (ctx.run_group) {
        run.run_key = fmt::format("group:{}:{}:{}", *ctx.run_group, run.testbed, run.commit);
    } else if (ctx.ci_run_key) {
        run.run_key = fmt::format("{}:{}:{}", *ctx.ci_run_key, run.testbed, run.commit);
    }
    run.started_at_us = env.now_us;
    run.ended_at_us = env.now_us;
    auto put = [&](const char* key, const std::optional<std::string>& v) {
        if (v) run.context[key] = *v;
    };
    put("ci_provider", ctx.ci_provider);
    put("ci_run_key", ctx.ci_run_key);
    put("ci_job_url", ctx.ci_job_url);
    put("pull_request", ctx.pull_request);
    put("run_group", ctx.run_group);
    put("shard", ctx.shard);
    run.fingerprint = ctx.fingerprint;
    results.context = ctx;
    run.results = std::move(results);
    return run;
}

std::string run_group_key(const store::RunToStore& run) {
    return fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", run.project, run.testbed, run.branch,
                       run.commit, run.run_key);
}

core::Result<void> merge_into(store::RunToStore& into, store::RunToStore more,
                              std::string_view into_source, std::string_view more_source) {
    std::set<std::string> keys;
    for (const auto& m : into.results.measurements) keys.insert(m.series.key());
    for (auto& m : more.results.measurements) {
        if (keys.count(m.series.key()) != 0)
            return fail(ErrorKind::input,
                        fmt::format("{}: benchmark \"{}\" metric \"{}\" is also in {} for the same "
                                    "run; ingest them separately with different --run-id values",
                                    more_source, m.series.benchmark, m.series.metric, into_source));
        into.results.measurements.push_back(std::move(m));
    }
    for (auto& f : more.results.failures) into.results.failures.push_back(std::move(f));
    for (auto& w : more.results.warnings) into.results.warnings.push_back(std::move(w));
    for (auto& n : more.results.notes) into.results.notes.push_back(std::move(n));
    for (const auto& [k, v] : more.fingerprint.items())
        if (!into.fingerprint.contains(k)) into.fingerprint[k] = v;
    return {};
}

void finish_run(store::RunToStore& run) {
    if (run.run_key.empty()) run.run_key = "local:" + random_hex(16);
    // FNV-1a over the series identities and sample bits: equal content, equal part key. The
    // keys are stored (run_part), so the basis is the one they were always made with.
    core::Fnv1a64 h(core::k_legacy_identity_offset_basis);
    for (const auto& m : run.results.measurements) {
        h.add(m.series.key());
        h.add_bytes(m.samples.data(), m.samples.size() * sizeof(double));
    }
    for (const auto& f : run.results.failures) h.add(f.benchmark).add(f.message);
    const auto shard = run.results.context.shard;
    run.part_key =
        fmt::format("{}{:016x}", shard ? "shard " + *shard + " " : std::string(), h.value());
}

}  // namespace perftrack::runner
