#include "server/store_pool.hpp"

namespace perftrack::server {

StorePool::Lease StorePool::lease() {
    {
        const std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            auto store = std::move(m_idle.back());
            m_idle.pop_back();
            return Lease(*this, std::move(store));
        }
    }
    // Connecting outside the lock: one slow connect must not stall the other workers.
    return Lease(*this, m_factory());
}

void StorePool::give_back(std::unique_ptr<store::Store> store) {
    if (!store) return;
    const std::lock_guard lock(m_mutex);
    m_idle.push_back(std::move(store));
}

}  // namespace perftrack::server
