#pragma once
// 64-bit FNV-1a (Fowler, Noll, Vo; draft-eastlake-fnv): a fast hash that is the same in every
// build and on every machine (std::hash is not), for names and keys derived from content.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace perftrack::core {

// FNV-1a's 64-bit parameters.
inline constexpr std::uint64_t k_fnv1a_offset_basis = 14695981039346656037ull;
inline constexpr std::uint64_t k_fnv1a_prime = 1099511628211ull;

// The offset basis perftrack used from its first release for identities it stores, one digit
// short of FNV-1a's (a typo). It stays wherever a hash is an identity that already exists on
// disk or in databases: changing it would change the identity.
//   - run part keys (runner/run_assembly.cpp): stored in run_part; re-ingesting the same results
//     must still find the key stored before, or the samples would be stored twice;
//   - the directory of an embedded cluster relocated under /var/lib/perftrack/clusters, and its
//     socket directory, which initdb wrote into that cluster's postgresql.conf
//     (store/embedded/local_cluster.cpp).
// The hash is as good with either basis; only the values differ. New uses take the real one.
inline constexpr std::uint64_t k_legacy_identity_offset_basis = 1469598103934665603ull;

class Fnv1a64 {
  public:
    constexpr explicit Fnv1a64(std::uint64_t offset_basis = k_fnv1a_offset_basis)
        : m_hash(offset_basis) {}
    constexpr Fnv1a64& add(std::string_view bytes) {
        for (const char c : bytes) add_byte(static_cast<unsigned char>(c));
        return *this;
    }
    // The object representation of `size` bytes at `data` (e.g. the bits of doubles).
    Fnv1a64& add_bytes(const void* data, std::size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < size; ++i) add_byte(p[i]);
        return *this;
    }
    constexpr std::uint64_t value() const { return m_hash; }

  private:
    constexpr void add_byte(unsigned char byte) {
        m_hash ^= byte;
        m_hash *= k_fnv1a_prime;
    }
    std::uint64_t m_hash;
};

constexpr std::uint64_t fnv1a64(std::string_view bytes,
                                std::uint64_t offset_basis = k_fnv1a_offset_basis) {
    return Fnv1a64(offset_basis).add(bytes).value();
}

}  // namespace perftrack::core
