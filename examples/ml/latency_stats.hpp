#pragma once
// Percentiles of latencies: per call inside one benchmark run (the latency_pNN counters) and
// across repetitions (Google Benchmark custom statistics "p50", "p95", "p99").

#include <vector>

namespace perftrack::examples::ml {

// The p-th percentile (0 <= p <= 100) of `values` by linear interpolation between the closest
// ranks (Hyndman & Fan type 7, numpy's default), so the Python script and this suite agree.
// Empty input gives 0: Google Benchmark calls statistics with whatever repetitions exist, and a
// statistic must not throw there. `values` is taken by value because it is sorted.
double percentile(std::vector<double> values, double p);

// Google Benchmark StatisticsFunc signatures: double(const std::vector<double>&).
double p50(const std::vector<double>& values);
double p95(const std::vector<double>& values);
double p99(const std::vector<double>& values);

}  // namespace perftrack::examples::ml
