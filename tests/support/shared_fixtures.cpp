#include "tests/support/shared_fixtures.hpp"

#include <algorithm>
#include <cstdlib>

namespace perftrack::testing {

namespace fs = std::filesystem;

std::optional<fs::path> shared_dir() {
    if (const char* v = std::getenv("PERFTRACK_SHARED_DIR"); v != nullptr && *v != '\0') {
        if (fs::is_directory(v)) return fs::path(v);
        return std::nullopt;
    }
    const fs::path candidate = fs::path(PERFTRACK_SOURCE_DIR).parent_path() / "shared";
    if (fs::is_directory(candidate / "fixtures")) return candidate;
    return std::nullopt;
}

std::vector<fs::path> shared_format_files(const std::string& folder) {
    std::vector<fs::path> files;
    auto dir = shared_dir();
    if (!dir) return files;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(*dir / "fixtures" / "formats" / folder, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file()) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    return files;
}

fs::path project_fixture(const std::string& relative) {
    return fs::path(PERFTRACK_SOURCE_DIR) / "tests" / "fixtures" / relative;
}

}  // namespace perftrack::testing
