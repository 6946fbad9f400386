#include "reports/render/encoding.hpp"

#include <array>

namespace perftrack::reports::render {

namespace {
constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}
}  // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const std::uint32_t v =
            (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
        out += k_alphabet[(v >> 18) & 63];
        out += k_alphabet[(v >> 12) & 63];
        out += k_alphabet[(v >> 6) & 63];
        out += k_alphabet[v & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const std::uint32_t v = std::uint32_t{bytes[i]} << 16;
        out += k_alphabet[(v >> 18) & 63];
        out += k_alphabet[(v >> 12) & 63];
        out += "==";
    } else if (rest == 2) {
        const std::uint32_t v =
            (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8);
        out += k_alphabet[(v >> 18) & 63];
        out += k_alphabet[(v >> 12) & 63];
        out += k_alphabet[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::vector<std::uint8_t> out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        std::array<int, 4> s{};
        int padding = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const char c = text[i + k];
            if (c == '=' && last && k >= 2) {
                ++padding;
                s[k] = 0;
                continue;
            }
            if (padding > 0) return std::nullopt;  // data after '='
            s[k] = sextet(c);
            if (s[k] < 0) return std::nullopt;
        }
        const std::uint32_t v =
            (static_cast<std::uint32_t>(s[0]) << 18) | (static_cast<std::uint32_t>(s[1]) << 12) |
            (static_cast<std::uint32_t>(s[2]) << 6) | static_cast<std::uint32_t>(s[3]);
        out.push_back(static_cast<std::uint8_t>(v >> 16));
        if (padding < 2) out.push_back(static_cast<std::uint8_t>(v >> 8));
        if (padding < 1) out.push_back(static_cast<std::uint8_t>(v));
    }
    return out;
}

std::string encode_varints(std::span<const std::int64_t> values) {
    std::vector<std::uint8_t> bytes;
    bytes.reserve(values.size() * 2);
    for (const std::int64_t v : values) {
        std::uint64_t z =
            (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
        while (z >= 0x80) {
            bytes.push_back(static_cast<std::uint8_t>((z & 0x7F) | 0x80));
            z >>= 7;
        }
        bytes.push_back(static_cast<std::uint8_t>(z));
    }
    return base64_encode(bytes);
}

std::optional<std::vector<std::int64_t>> decode_varints(std::string_view text) {
    auto bytes = base64_decode(text);
    if (!bytes) return std::nullopt;
    std::vector<std::int64_t> out;
    std::uint64_t z = 0;
    int shift = 0;
    bool pending = false;
    for (const std::uint8_t b : *bytes) {
        if (shift > 63) return std::nullopt;
        z |= std::uint64_t{b & 0x7Fu} << shift;
        pending = true;
        if ((b & 0x80) != 0) {
            shift += 7;
            continue;
        }
        out.push_back(static_cast<std::int64_t>(z >> 1) ^ -static_cast<std::int64_t>(z & 1));
        z = 0;
        shift = 0;
        pending = false;
    }
    if (pending) return std::nullopt;
    return out;
}

std::vector<std::int64_t> deltas(std::span<const std::int64_t> values) {
    std::vector<std::int64_t> out;
    out.reserve(values.size());
    std::int64_t previous = 0;
    for (const std::int64_t v : values) {
        out.push_back(v - previous);
        previous = v;
    }
    return out;
}

}  // namespace perftrack::reports::render
