#!/usr/bin/env python3
"""Writes result files of bench/scale_100m.sh's synthetic history: SERIES series (benchmarks x 4
params x 2 metrics, as ci/lib/report_history.py) with REPS repetitions, one file per run.

Usage: scale_history.py OUT_DIR --series N --reps N --run COMMIT,TESTBED,BRANCH [--run ...]
Prints the files' names. Deterministic per (commit, testbed, branch): a resumed build writes
the same files again. The sha and commit time depend on the commit number and branch only, so
testbeds share commits.

Generating 1,000 files of 100,000 samples must cost less than ingesting them: each series'
values are its level times (1 + k / 1000) for an integer k drawn around 0 (1 % noise, 0.5 %
run-to-run shift), so every value's text is computed once per process and a file is a join.
"""
import argparse
import datetime
import hashlib
import json
import os
import zlib

import numpy as np

SPREAD = 60  # k in [-SPREAD, SPREAD]: 6 standard deviations of the noise


def sha_of(commit, branch):
    return hashlib.sha1(f"{branch}:{commit}".encode()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--series", type=int, required=True)
    ap.add_argument("--reps", type=int, required=True)
    ap.add_argument("--run", action="append", required=True, help="COMMIT,TESTBED,BRANCH")
    a = ap.parse_args()
    if a.series < 8 or a.series % 8 != 0 or a.reps < 1:
        ap.error("--series must be a positive multiple of 8, --reps positive")
    runs = []
    for spec in a.run:
        parts = spec.split(",")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1] or not parts[2]:
            ap.error(f"--run {spec}: expected COMMIT,TESTBED,BRANCH")
        runs.append((int(parts[0]), parts[1], parts[2]))
    os.makedirs(a.out_dir, exist_ok=True)

    # Fixed per series (same seed in every process): levels and a few +20 % steps.
    rng = np.random.default_rng(20261206)
    n = a.series
    lower = np.arange(n) % 2 == 0
    levels = np.where(lower, 10 ** rng.uniform(3, 8, n), 10 ** rng.uniform(3, 7, n))
    step_at = np.where(rng.random(n) < 0.05, rng.integers(0, 1000, n), -1)
    k = np.arange(-SPREAD, SPREAD + 1)
    # text[s][j]: series s at level (unstepped, stepped) and noise k[j], six significant digits.
    text = {}
    for stepped in (False, True):
        lv = levels * np.where(lower, 1.2, 0.8) if stepped else levels
        v = lv[:, None] * (1 + k[None, :] / 1000.0)
        text[stepped] = [[f"{x:.6g}" for x in row] for row in v]

    heads = []
    benchmarks = n // 8
    for b in range(benchmarks):
        for framework in ("pytorch", "tensorflow"):
            for mode in ("eager", "compiled"):
                for metric, unit, direction in (("real_time", "ns", "lower"),
                                                ("throughput", "items/s", "higher")):
                    heads.append(f'{{"suite":"suite_{b % 10}","benchmark":"op_{b}",'
                                 f'"params":{{"framework":"{framework}","mode":"{mode}"}},'
                                 f'"metric":"{metric}","unit":"{unit}",'
                                 f'"direction":"{direction}","samples":[')

    for commit, testbed, branch in runs:
        noise = np.random.default_rng([commit, zlib.crc32(testbed.encode()),
                                       zlib.crc32(branch.encode())])
        draws = noise.normal(0, 5, (n, 1)) + noise.normal(0, 10, (n, a.reps))
        idx = np.clip(np.rint(draws), -SPREAD, SPREAD).astype(int) + SPREAD
        stepped = (step_at >= 0) & (commit >= step_at)
        parts = []
        for s in range(n):
            t = text[bool(stepped[s])][s]
            parts.append(heads[s] + ",".join(t[j] for j in idx[s]) + "]}")
        when = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc) + \
            datetime.timedelta(hours=6 * commit)
        context = {"project": "bench", "testbed": testbed, "branch": branch,
                   "commit": sha_of(commit, branch),
                   "commit_time": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                   "commit_subject": f"Change number {commit}",
                   "run_id": f"scale-{testbed}-{branch}-{commit}"}
        if branch != "main":
            context["parent_commit"] = sha_of(commit, "main")
        name = os.path.join(a.out_dir, f"run_{testbed}_{branch}_{commit:05d}.json")
        with open(name + ".tmp", "w") as f:
            f.write('{"version":1,"context":' + json.dumps(context, separators=(",", ":")) +
                    ',"results":[' + ",".join(parts) + "]}")
        os.replace(name + ".tmp", name)
        print(name)


if __name__ == "__main__":
    main()
