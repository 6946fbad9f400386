#pragma once
// One store connection per worker thread, opened on first use and reopened after it broke (a
// PostgreSQL restart): the server recovers by itself. While the database is down every lease
// fails fast with StoreError (unavailable), which the API answers with 503 + Retry-After.

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/store.hpp"

namespace perftrack::server {

class StorePool {
  public:
    using Factory = std::function<std::unique_ptr<store::Store>()>;
    explicit StorePool(Factory factory) : m_factory(std::move(factory)) {}

    class Lease {
      public:
        Lease(StorePool& pool, std::unique_ptr<store::Store> store)
            : m_pool(pool), m_store(std::move(store)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() { m_pool.give_back(std::move(m_store)); }
        store::Store& operator*() { return *m_store; }
        store::Store* operator->() { return m_store.get(); }
        // The connection failed: close it instead of handing it to the next request.
        void discard() { m_store.reset(); }

      private:
        StorePool& m_pool;
        std::unique_ptr<store::Store> m_store;
    };

    // An idle connection, or a new one. Throws what the factory throws (StoreError).
    Lease lease();

  private:
    void give_back(std::unique_ptr<store::Store> store);
    Factory m_factory;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<store::Store>> m_idle;
};

}  // namespace perftrack::server
