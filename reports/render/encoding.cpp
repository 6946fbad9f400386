#include "reports/render/encoding.hpp"

#include <boost/archive/iterators/base64_from_binary.hpp>
#include <boost/archive/iterators/transform_width.hpp>

namespace perftrack::reports::render {

std::string base64_encode(std::span<const std::uint8_t> bytes) {
    // Six bits at a time, each mapped to its character; the last group is padded with '='.
    using Encoder = boost::archive::iterators::base64_from_binary<
        boost::archive::iterators::transform_width<const std::uint8_t*, 6, 8>>;
    std::string out(Encoder(bytes.data()), Encoder(bytes.data() + bytes.size()));
    out.append((3 - bytes.size() % 3) % 3, '=');
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
