#!/usr/bin/env python3
"""CPU time of `perftrack check`, two binaries interleaved (README, Speed).

On a machine shared with other builds, wall-clock medians move with the load; the CPU time
(user + sys) of the perftrack process moves much less, and interleaving the two binaries run by
run exposes both to the same load. The database is the caller's (for example the one
ci/bench_check.sh fills, or any database holding the branch).

Usage: ci/lib/check_cpu_time.py --db DSN --commit SHA [--runs N] [--project P --testbed T
       --branch B] THIS_PERFTRACK OTHER_PERFTRACK
"""
import argparse
import os
import resource
import statistics
import subprocess
import time

parser = argparse.ArgumentParser()
parser.add_argument("--db", required=True)
parser.add_argument("--commit", required=True)
parser.add_argument("--runs", type=int, default=7)
parser.add_argument("--project", default="bench")
parser.add_argument("--testbed", default="ci")
parser.add_argument("--branch", default="main")
parser.add_argument("binaries", nargs=2)
args = parser.parse_args()

env = dict(os.environ, NO_COLOR="1")
results = {b: {"wall": [], "cpu": []} for b in args.binaries}
for _ in range(args.runs):
    for binary in args.binaries:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([binary, "check", "--db", args.db, "--project", args.project, "--testbed",
                        args.testbed, "--branch", args.branch, "--commit", args.commit,
                        "--no-fail", "--quiet", "--no-notify"],
                       stdout=subprocess.DEVNULL, env=env, check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        results[binary]["wall"].append(wall)
        results[binary]["cpu"].append(after.ru_utime - before.ru_utime +
                                      after.ru_stime - before.ru_stime)
median = {b: {k: statistics.median(v) for k, v in r.items()} for b, r in results.items()}
for binary in args.binaries:
    print(f"{binary}: wall median {median[binary]['wall']:.3f} s, CPU (user+sys) median "
          f"{median[binary]['cpu']:.3f} s ({args.runs} interleaved runs)")
this, other = args.binaries
print(f"first / second: wall {median[this]['wall'] / median[other]['wall']:.2f}x, "
      f"CPU {median[this]['cpu'] / median[other]['cpu']:.2f}x")
