#include "runner/shard.hpp"

#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "core/fnv1a.hpp"

namespace perftrack::runner {

namespace {
constexpr std::uint32_t k_max_shards = 10000;

std::optional<std::uint32_t> parse_uint(std::string_view text) {
    std::uint32_t value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
    return value;
}
}  // namespace

std::string Shard::text() const {
    return fmt::format("{}/{}", index, count);
}

core::Result<Shard> parse_shard(std::string_view text) {
    const auto slash = text.find('/');
    const auto bad = [&](std::string_view why) {
        return core::fail(core::ErrorKind::usage, fmt::format("--shard \"{}\": {}", text, why),
                          "write the shard as I/N, e.g. --shard 2/4 for the second of four");
    };
    if (slash == std::string_view::npos) return bad("expected I/N");
    const auto index = parse_uint(text.substr(0, slash));
    const auto count = parse_uint(text.substr(slash + 1));
    if (!index || !count) return bad("expected two whole numbers, I/N");
    if (*count < 1 || *count > k_max_shards)
        return bad(fmt::format("N must be between 1 and {}", k_max_shards));
    if (*index < 1 || *index > *count) return bad("I must be between 1 and N");
    return Shard{*index, *count};
}

std::uint64_t stable_name_hash(std::string_view name) {
    std::uint64_t h = core::fnv1a64(name);
    // SplitMix64 finaliser (Steele, Lea, Flood: "Fast splittable pseudorandom number
    // generators", 2014): every input bit affects every output bit.
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h;
}

bool in_shard(std::string_view name, const Shard& shard) {
    return stable_name_hash(name) % shard.count == shard.index - 1;
}

std::vector<std::string> select_shard(const std::vector<std::string>& names, const Shard& shard) {
    std::vector<std::string> out;
    for (const auto& n : names)
        if (in_shard(n, shard)) out.push_back(n);
    return out;
}

}  // namespace perftrack::runner
