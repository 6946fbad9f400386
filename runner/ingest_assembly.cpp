#include "runner/ingest_assembly.hpp"

#include <fmt/format.h>

namespace perftrack::runner {

IngestAssembly::IngestAssembly(std::string format, formats::AdapterOptions options,
                               core::RunContext flags, ResolveEnvironment env)
    : m_format(std::move(format)),
      m_options(std::move(options)),
      m_flags(std::move(flags)),
      m_env(std::move(env)) {}

core::Result<ParseMessages> IngestAssembly::add(std::string_view source, std::string_view text) {
    auto parsed = formats::parse_results(m_format, text, source, m_options);
    if (!parsed) return tl::unexpected(parsed.error());
    ParseMessages messages;
    for (const auto& w : parsed->warnings)
        messages.warnings.push_back(fmt::format("{}: {}", source, w));
    for (const auto& n : parsed->notes) messages.notes.push_back(fmt::format("{}: {}", source, n));
    auto run = resolve_run(std::move(*parsed), m_flags, m_env);
    if (!run) {
        auto e = run.error();
        e.message = fmt::format("{}: {}", source, e.message);
        return tl::unexpected(std::move(e));
    }
    const std::string key = run_group_key(*run);
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (run_group_key(m_runs[i]) != key) continue;
        auto merged = merge_into(m_runs[i], std::move(*run), m_sources[i], source);
        if (!merged) return tl::unexpected(merged.error());
        m_sources[i] += fmt::format(", {}", source);
        return messages;
    }
    m_runs.push_back(std::move(*run));
    m_sources.emplace_back(source);
    return messages;
}

std::vector<store::RunToStore> IngestAssembly::finish(KeyWhenNone keys) && {
    for (auto& run : m_runs) {
        const bool derive = keys == KeyWhenNone::content && run.run_key.empty();
        if (derive) run.run_key = "pending";  // finish_run keeps a non-empty key
        finish_run(run);
        // The part key holds the content digest: the same upload again gets the same run key.
        if (derive)
            run.run_key = fmt::format("upload:{}:{}:{}", run.testbed, run.commit, run.part_key);
    }
    return std::move(m_runs);
}

}  // namespace perftrack::runner
