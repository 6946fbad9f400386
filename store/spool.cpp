#include "store/spool.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/file_io.hpp"
#include "core/fnv1a.hpp"
#include "core/json_util.hpp"
#include "core/native_format.hpp"

namespace perftrack::store {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int k_spool_version = 1;

std::string file_safe(const std::string& text) {
    std::string out;
    for (char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        out += ok ? c : '_';
    }
    if (out.size() > 80) out.resize(80);
    return out;
}

}  // namespace

fs::path spool_dir(const fs::path& home) {
    return home / "spool";
}

std::string spool_json(const RunToStore& run) {
    json doc = json::object();
    doc["perftrack_spool"] = k_spool_version;
    json id = json::object();
    id["project"] = run.project;
    id["testbed"] = run.testbed;
    id["branch"] = run.branch;
    id["commit"] = run.commit;
    if (run.commit_time_us) id["commit_time_us"] = *run.commit_time_us;
    id["commit_subject"] = run.commit_subject;
    id["parent_commit"] = run.parent_commit;
    id["run_key"] = run.run_key;
    id["part_key"] = run.part_key;
    id["started_at_us"] = run.started_at_us;
    id["ended_at_us"] = run.ended_at_us;
    id["context"] = run.context;
    id["fingerprint"] = run.fingerprint;
    doc["identity"] = std::move(id);
    doc["run"] = json::parse(core::to_native_json(run.results));
    return doc.dump();
}

core::Result<RunToStore> parse_spool_json(std::string_view text, std::string_view source) {
    auto doc = core::parse_json_document(text, source);
    if (!doc) return tl::unexpected(doc.error());
    try {
        if (!doc->is_object() || doc->value("perftrack_spool", 0) != k_spool_version)
            return core::input_error(source, "", "not a perftrack spool file (version 1)");
        const json& id = doc->at("identity");
        RunToStore run;
        run.project = id.at("project").get<std::string>();
        run.testbed = id.at("testbed").get<std::string>();
        run.branch = id.at("branch").get<std::string>();
        run.commit = id.at("commit").get<std::string>();
        if (id.contains("commit_time_us"))
            run.commit_time_us = id.at("commit_time_us").get<std::int64_t>();
        run.commit_subject = id.value("commit_subject", "");
        run.parent_commit = id.value("parent_commit", "");
        run.run_key = id.at("run_key").get<std::string>();
        run.part_key = id.at("part_key").get<std::string>();
        run.started_at_us = id.at("started_at_us").get<std::int64_t>();
        run.ended_at_us = id.at("ended_at_us").get<std::int64_t>();
        run.context = id.value("context", json::object());
        run.fingerprint = id.value("fingerprint", json::object());
        auto results = core::parse_native(doc->at("run").dump(), source);
        if (!results) return tl::unexpected(results.error());
        run.results = std::move(*results);
        return run;
    } catch (const json::exception& e) {
        return core::input_error(source, "", fmt::format("damaged spool file: {}", e.what()));
    }
}

core::Result<fs::path> spool_run(const fs::path& home, const RunToStore& run) {
    const fs::path file =
        spool_dir(home) /
        fmt::format("{:020d}-{}-{}.json", run.started_at_us, file_safe(run.run_key),
                    fmt::format("{:016x}", core::fnv1a64(run.run_key + '\x1f' + run.part_key))
                        .substr(0, 8));
    if (auto ok = core::write_file_atomic(file, spool_json(run)); !ok)
        return tl::unexpected(ok.error());
    return file;
}

std::vector<fs::path> spooled_files(const fs::path& home) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(spool_dir(home), ec)) {
        const auto name = entry.path().filename().string();
        if (entry.is_regular_file() && entry.path().extension() == ".json" && name[0] != '.')
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

core::Result<RunToStore> read_spooled_run(const fs::path& file) {
    auto text = core::read_input_file(file);
    if (!text) return tl::unexpected(text.error());
    return parse_spool_json(*text, file.string());
}

}  // namespace perftrack::store
