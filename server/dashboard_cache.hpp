#pragma once
// A small in-process cache for the dashboard: what took seconds to compute (a report model of
// thousands of series, a check) kept under a key, with the project's data version (see
// store::DashboardReader::data_version) it was computed from. A lookup with another version is
// a miss, so a new run or baseline reset shows at once; nothing here must survive the process
// (several instances each keep their own). Least recently used entries go first.

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace perftrack::server::dashboard {

template <typename T>
class VersionedCache {
  public:
    explicit VersionedCache(std::size_t capacity) : m_capacity(capacity) {}

    std::shared_ptr<T> find(const std::string& key, const std::string& version) {
        const std::lock_guard lock(m_mutex);
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            if (it->key != key) continue;
            if (it->version != version) {
                m_entries.erase(it);
                return nullptr;
            }
            m_entries.splice(m_entries.begin(), m_entries, it);
            return m_entries.front().value;
        }
        return nullptr;
    }

    void put(const std::string& key, const std::string& version, std::shared_ptr<T> value) {
        const std::lock_guard lock(m_mutex);
        m_entries.remove_if([&](const Entry& e) { return e.key == key; });
        m_entries.push_front({key, version, std::move(value)});
        while (m_entries.size() > m_capacity) m_entries.pop_back();
    }

  private:
    struct Entry {
        std::string key;
        std::string version;
        std::shared_ptr<T> value;
    };
    std::size_t m_capacity;
    std::mutex m_mutex;
    std::list<Entry> m_entries;
};

}  // namespace perftrack::server::dashboard
