#!/usr/bin/env python3
"""Writes a synthetic branch history as native perftrack result files, one per commit, for the
report speed measurement (ci/bench_report.sh): SERIES series (suites x benchmarks x params x
two metrics) over COMMITS commits with REPS repetitions each, 1 % noise, a few +20 % steps.

Usage: report_history.py OUT_DIR [--series 2000] [--commits 500] [--reps 10]
Deterministic (fixed seed), so runs of the script measure the same data.
"""
import argparse
import datetime
import json
import os
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--series", type=int, default=2000)
    ap.add_argument("--commits", type=int, default=500)
    ap.add_argument("--reps", type=int, default=10)
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    rng = random.Random(20241122)

    # series = benchmarks x 4 params combinations x 2 metrics
    benchmarks = a.series // 8
    series = []
    for b in range(benchmarks):
        for framework in ("pytorch", "tensorflow"):
            for mode in ("eager", "compiled"):
                for metric, unit, direction in (("real_time", "ns", "lower"),
                                                ("throughput", "items/s", "higher")):
                    level = 10 ** rng.uniform(3, 8) if metric == "real_time" else 10 ** rng.uniform(3, 7)
                    step_at = rng.randrange(a.commits) if rng.random() < 0.05 else None
                    series.append(dict(suite=f"suite_{b % 10}", benchmark=f"op_{b}",
                                       params={"framework": framework, "mode": mode},
                                       metric=metric, unit=unit, direction=direction,
                                       level=level, step_at=step_at))
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    for c in range(a.commits):
        sha = "%040x" % rng.getrandbits(160)
        when = (start + datetime.timedelta(hours=6 * c)).strftime("%Y-%m-%dT%H:%M:%SZ")
        results = []
        for s in series:
            level = s["level"]
            if s["step_at"] is not None and c >= s["step_at"]:
                level *= 1.2 if s["direction"] == "lower" else 0.8
            run_shift = rng.gauss(0, 0.005)
            samples = [float("%.6g" % (level * (1 + run_shift + rng.gauss(0, 0.01))))
                       for _ in range(a.reps)]
            results.append({"suite": s["suite"], "benchmark": s["benchmark"], "params": s["params"],
                            "metric": s["metric"], "unit": s["unit"], "direction": s["direction"],
                            "samples": samples})
        doc = {"version": 1,
               "context": {"project": "bench", "testbed": "ci", "branch": "main", "commit": sha,
                           "commit_time": when, "commit_subject": f"Change number {c}",
                           "run_id": f"bench-run-{c}"},
               "results": results}
        with open(os.path.join(a.out_dir, "run_%04d.json" % c), "w") as f:
            json.dump(doc, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
