#pragma once
// Series are judged independently, so long replays (backtest, report) split the series over
// the machine's cores. Results are written by index, so the output does not depend on the
// number of threads.

#include <cstddef>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace perftrack::reports::detect {

// Calls f(i) for i in [0, n) on up to hardware_concurrency() threads (contiguous chunks);
// rethrows the first exception after every thread has finished.
inline void parallel_for(std::size_t n, const std::function<void(std::size_t)>& f) {
    const std::size_t threads =
        std::max<std::size_t>(1, std::min<std::size_t>(std::thread::hardware_concurrency(), n));
    if (threads <= 1) {
        for (std::size_t i = 0; i < n; ++i) f(i);
        return;
    }
    std::vector<std::exception_ptr> errors(threads);
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            try {
                for (std::size_t i = n * t / threads; i < n * (t + 1) / threads; ++i) f(i);
            } catch (...) {
                errors[t] = std::current_exception();
            }
        });
    }
    for (auto& th : pool) th.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace perftrack::reports::detect
