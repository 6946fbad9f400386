#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace perftrack::testing {

// A fresh directory under $TMPDIR (mode 0711, so an unprivileged PostgreSQL server started
// from it can traverse it), removed when the object dies unless PERFTRACK_KEEP_TEST_DIRS=1.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(std::string_view name) const { return m_path / name; }
    // Writes `content` to path()/name and returns the full path.
    std::filesystem::path write(std::string_view name, std::string_view content) const;

  private:
    std::filesystem::path m_path;
};

std::string read_file(const std::filesystem::path& path);

}  // namespace perftrack::testing
