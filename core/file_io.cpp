#include "core/file_io.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace perftrack::core {

namespace fs = std::filesystem;

std::string human_bytes(std::uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    if (u == 0) return fmt::format("{} B", bytes);
    return fmt::format("{:.{}f} {}", v, v < 10 ? 1 : 0, units[u]);
}

Result<std::string> read_input_file(const fs::path& path, std::uint64_t max_bytes) {
    if (path == "-") {
        std::string text{std::istreambuf_iterator<char>(std::cin),
                         std::istreambuf_iterator<char>()};
        if (text.size() > max_bytes)
            return fail(ErrorKind::input,
                        fmt::format("<stdin>: input is larger than the limit of {}",
                                    human_bytes(max_bytes)),
                        "raise the limit with --max-input-size");
        return text;
    }
    const std::string name = path.string();
    int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT) return fail(ErrorKind::input, fmt::format("{}: no such file", name));
        return fail(ErrorKind::input, fmt::format("{}: cannot open: {}", name, std::strerror(err)));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return fail(ErrorKind::input, fmt::format("{}: cannot stat: {}", name, std::strerror(err)));
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        return fail(ErrorKind::input, fmt::format("{}: is a directory, not a result file", name));
    }
    if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes) {
        ::close(fd);
        return fail(ErrorKind::input,
                    fmt::format("{}: file is {}, larger than the input limit of {}; not parsed",
                                name, human_bytes(static_cast<std::uint64_t>(st.st_size)),
                                human_bytes(max_bytes)),
                    "raise the limit with --max-input-size if this is really one result file");
    }
    std::string text;
    if (S_ISREG(st.st_mode)) text.reserve(static_cast<std::size_t>(st.st_size));
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            return fail(ErrorKind::input,
                        fmt::format("{}: read failed: {}", name, std::strerror(err)));
        }
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > max_bytes) {
            ::close(fd);
            return fail(ErrorKind::input,
                        fmt::format("{}: input is larger than the limit of {}; not parsed", name,
                                    human_bytes(max_bytes)),
                        "raise the limit with --max-input-size");
        }
    }
    ::close(fd);
    return text;
}

std::string read_file_tail(const std::filesystem::path& path, std::uintmax_t offset,
                           std::uintmax_t max_bytes) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec || size <= offset) return {};
    const std::uintmax_t from = std::max(offset, size > max_bytes ? size - max_bytes : 0);
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    in.seekg(static_cast<std::streamoff>(from));
    std::string text(static_cast<std::size_t>(size - from), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

Result<void> write_file_atomic(const fs::path& path, std::string_view content) {
    std::error_code ec;
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    fs::create_directories(dir, ec);
    if (ec)
        return fail(ErrorKind::input,
                    fmt::format("{}: cannot create directory: {}", dir.string(), ec.message()));
    std::random_device rd;
    const fs::path tmp =
        dir / fmt::format(".{}.tmp-{}-{:x}", path.filename().string(), ::getpid(), rd());
    const std::string tmp_name = tmp.string();
    int fd = ::open(tmp_name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(ErrorKind::input,
                    fmt::format("{}: cannot create: {}", tmp_name, std::strerror(errno)));
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            ::unlink(tmp_name.c_str());
            return fail(ErrorKind::input,
                        fmt::format("{}: write failed: {}", path.string(), std::strerror(err)));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp_name.c_str());
        return fail(ErrorKind::input,
                    fmt::format("{}: write failed: {}", path.string(), std::strerror(err)));
    }
    if (::rename(tmp_name.c_str(), path.string().c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp_name.c_str());
        return fail(ErrorKind::input,
                    fmt::format("{}: cannot replace: {}", path.string(), std::strerror(err)));
    }
    // Make the rename itself durable.
    int dfd = ::open(dir.string().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

}  // namespace perftrack::core
