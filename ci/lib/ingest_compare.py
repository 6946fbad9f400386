#!/usr/bin/env python3
"""Ingest speed side by side (issue 16): `perftrack ingest` of 1,000,000 samples (10,000 series x
100 repetitions, one native result file) against `psql -c "\\copy"` of the same rows into the
same sample table, interleaved round by round so both see the same machine load. Each round
stores a new run, so the table grows as it does in production. Prints the medians (wall time,
and the client process's CPU time), the ratio of the medians and the median of the per-round
ratios. --compare BIN adds another perftrack binary (an older build) to every round.

Usage: ingest_compare.py --db DSN --perftrack BIN [--compare BIN] [--rounds N] [--work DIR]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

SERIES = 10000
SAMPLES = 100


def value(series, i):
    return 1000.0 + ((series * 31 + i * 7) % 997) / 8.0


def write_native(path):
    with open(path, "w") as out:
        out.write('{"version":1,"results":[')
        for s in range(SERIES):
            if s:
                out.write(",")
            samples = ",".join(repr(value(s, i)) for i in range(SAMPLES))
            out.write(f'{{"benchmark":"bench_{s // 4}","params":{{"n":{s % 4}}},'
                      f'"metric":"real_time","unit":"ns","direction":"lower","samples":[{samples}]}}')
        out.write("]}")


def timed(argv):
    """Wall seconds and the child's CPU seconds (user + sys)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"ingest_compare: {argv[0]} failed: {err.strip()}")
    return wall, usage.ru_utime + usage.ru_stime


def psql(dsn, sql):
    return subprocess.run(["psql", dsn, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--perftrack", required=True)
    ap.add_argument("--compare")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--work")
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="pt-ingest-compare-")
    native = os.path.join(work, "run.json")
    write_native(native)
    tag = f"{os.getpid()}-{int(time.time())}"

    def ingest(binary, key):
        return timed([binary, "ingest", "--quiet", "--db", a.db, "--project", "bench", "--testbed",
                      "t", "--branch", "main", "--commit", key, "--run-id", key, "--format",
                      "perftrack", native])

    # A first ingest creates the project, benchmarks and metric (outside the timing), as in
    # production where the series already exist.
    ingest(a.perftrack, f"warmup-{tag}")
    ids = psql(a.db, "SELECT b.id FROM benchmark b JOIN project p ON p.id = b.project_id "
                     "WHERE p.name = 'bench' ORDER BY b.name, b.params").split()
    metric = psql(a.db, "SELECT m.id FROM metric m JOIN project p ON p.id = m.project_id "
                        "WHERE p.name = 'bench' AND m.name = 'real_time'")
    # benchmark ids in series order: bench_{s // 4} with n = s % 4 (names sort as text).
    by_name = psql(a.db, "SELECT b.name || ':' || (b.params->>'n') || ':' || b.id FROM benchmark b "
                         "JOIN project p ON p.id = b.project_id WHERE p.name = 'bench'").split()
    lookup = {tuple(x.rsplit(":", 2)[:2]): x.rsplit(":", 1)[1] for x in by_name}
    if len(ids) < SERIES // 4:
        sys.exit("ingest_compare: the warm-up ingest created no benchmarks")
    rows = os.path.join(work, "rows.tsv")

    results = {"perftrack": [], "psql": [], "compare": []}
    for r in range(a.rounds):
        results["perftrack"].append(ingest(a.perftrack, f"pt-{tag}-{r}"))
        if a.compare:
            results["compare"].append(ingest(a.compare, f"cmp-{tag}-{r}"))
        run_id = psql(a.db, "INSERT INTO run (project_id, testbed_id, branch_id, commit_id, "
                            "run_key, started_at, ended_at, status) SELECT project_id, testbed_id, "
                            "branch_id, commit_id, 'psql-" + f"{tag}-{r}" + "', now(), now(), "
                            "'complete' FROM run ORDER BY id LIMIT 1 RETURNING id")
        with open(rows, "w") as out:
            for s in range(SERIES):
                b = lookup[(f"bench_{s // 4}", str(s % 4))]
                samples = ",".join(repr(value(s, i)) for i in range(SAMPLES))
                out.write(f"{run_id}\t{b}\t{metric}\t{{{samples}}}\n")
        results["psql"].append(timed(["psql", a.db, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                                      "\\copy sample (run_id, benchmark_id, metric_id, samples) "
                                      f"FROM '{rows}'"]))

    def med(name, i):
        return statistics.median(x[i] for x in results[name])

    pt, ps = med("perftrack", 0), med("psql", 0)
    per_round = statistics.median(p[0] / q[0] for p, q in zip(results["perftrack"], results["psql"]))
    print(f"ingest of {SERIES * SAMPLES:,} samples ({SERIES:,} series x {SAMPLES}), medians of "
          f"{a.rounds} interleaved rounds:")
    print(f"  perftrack ingest {pt * 1000:.0f} ms, psql \\copy {ps * 1000:.0f} ms: {pt / ps:.2f}x "
          f"(median of per-round ratios {per_round:.2f}x)")
    print(f"  client CPU (user + sys): perftrack {med('perftrack', 1) * 1000:.0f} ms, "
          f"psql {med('psql', 1) * 1000:.0f} ms")
    if a.compare:
        cm = med("compare", 0)
        print(f"  --compare binary {cm * 1000:.0f} ms ({cm / ps:.2f}x psql; this build takes "
              f"{pt / cm:.2f}x its time), client CPU {med('compare', 1) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
