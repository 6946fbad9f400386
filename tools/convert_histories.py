#!/usr/bin/python3
"""Converts the real benchmark histories in ../shared/fixtures/histories/ into perftrack's
native result files (one file per run), so they can be ingested and replayed:

    /usr/bin/python3 tools/convert_histories.py OUT_DIR [--shared ../shared]
    perftrack ingest --format perftrack OUT_DIR/<dataset>/*.json
    perftrack backtest / report --project <dataset> --testbed <testbed> --branch main

Datasets (project names):
  gab-ghpages   github-action-benchmark's gh-pages data.js (suite = the data.js entry name)
  mr-math       mr-math's gh-pages data.js (Google Benchmark)
  openblas      OpenBLAS BLAS-Benchmarks asv results, one testbed per machine; also writes
                openblas/events.json: the OpenBLAS version each result was measured with
                (from gh-pages-results-commit-log.txt), the known events to compare with
  django        Django asv results (testbed ubuntu-latest)

A development tool: nothing in perftrack reads ../shared.
"""
import argparse
import datetime as dt
import itertools
import json
import os
import re

HIGHER_UNITS = re.compile(r"(ops?/s|/sec|per ?sec|/s$|op/s|items/s|MB/s|GB/s|iter/s|x)", re.I)


def iso_from_ms(ms):
    return dt.datetime.fromtimestamp(ms / 1000.0, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write(out_dir, name, doc):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, name), "w") as f:
        json.dump(doc, f)


def convert_data_js(path, out_dir, project, testbed):
    text = open(path).read()
    data = json.loads(text[text.index("{"):].rstrip().rstrip(";"))
    count = 0
    for suite, entries in data["entries"].items():
        for i, e in enumerate(entries):
            seen = set()
            results = []
            for b in e["benches"]:
                if b["name"] in seen or not isinstance(b.get("value"), (int, float)):
                    continue
                seen.add(b["name"])
                unit = b.get("unit", "")
                direction = "higher" if HIGHER_UNITS.search(unit) and "/iter" not in unit else "lower"
                results.append({"suite": suite, "benchmark": b["name"], "metric": "value", "unit": unit,
                                "direction": direction, "samples": [float(b["value"])]})
            if not results:
                continue
            c = e["commit"]
            ctx = {"project": project, "testbed": testbed, "branch": "main", "commit": c["id"],
                   "commit_time": c["timestamp"], "run_id": f"{project}:{suite}:{i}"}
            write(out_dir, f"{abs(hash(suite)) % 10**8:08d}-{i:05d}.json",
                  {"version": 1, "context": ctx, "results": results})
            count += 1
    return count


def asv_param_sets(params):
    return list(itertools.product(*params)) if params else [()]


def asv_result_files(results_dir, machines):
    """(machine, file name, parsed result) of every asv result file of these machines, in
    file-name order."""
    for machine in machines:
        mdir = os.path.join(results_dir, machine)
        for fname in sorted(os.listdir(mdir)):
            if fname == "machine.json" or not fname.endswith(".json"):
                continue
            with open(os.path.join(mdir, fname)) as f:
                yield machine, fname, json.load(f)


def convert_asv(results_dir, out_dir, project, machines):
    benchmarks = json.load(open(os.path.join(results_dir, "benchmarks.json")))
    count = 0
    for machine, fname, r in asv_result_files(results_dir, machines):
        cols = r["result_columns"]
        results = []
        for bench, row in r["results"].items():
            # Benchmarks renamed since have no entry in benchmarks.json: time_* by name.
            meta = benchmarks.get(bench) or ({"type": "time", "unit": "seconds"}
                                             if bench.split(".")[-1].startswith("time_") else {})
            if meta.get("type") not in ("time", "peakmemory", "memory", "track"):
                continue
            rec = dict(zip(cols, row))
            values = rec.get("result")
            if values is None:
                continue
            names = meta.get("param_names") or [f"p{i}" for i in range(len(rec.get("params") or []))]
            combos = asv_param_sets(rec.get("params") or [])
            samples = rec.get("samples") or [None] * len(combos)
            for k, combo in enumerate(combos):
                if k >= len(values) or values[k] is None:
                    continue
                s = samples[k] if k < len(samples) and samples[k] else [values[k]]
                s = [float(v) for v in s if isinstance(v, (int, float))]
                if not s:
                    continue
                unit = meta.get("unit", "seconds")
                results.append({"benchmark": bench,
                                "params": {n: v.strip("'") for n, v in zip(names, combo)},
                                "metric": meta.get("type", "time"), "unit": unit,
                                "direction": "lower", "samples": s})
        if not results:
            continue
        ctx = {"project": project, "testbed": machine, "branch": "main",
               "commit": r["commit_hash"], "commit_time": iso_from_ms(r["date"]),
               "run_id": f"{project}:{machine}:{fname}"}
        write(out_dir, f"{machine}-{fname}", {"version": 1, "context": ctx, "results": results})
        count += 1
    return count


def openblas_events(log_path, results_dir, machines):
    """{machine: {result commit: OpenBLAS version}}. The gh-pages log names the wheel version of
    every "add results" commit per machine; a result file belongs to the first such commit made
    after its last benchmark started (the CI job commits its results minutes later)."""
    log = []
    for block in open(log_path).read().split("----"):
        if "add results for" not in block:
            continue
        date = re.search(r"Date: (\S+ \S+) ([+-]\d{4})", block)
        when = dt.datetime.strptime(date.group(1) + date.group(2), "%Y-%m-%d %H:%M:%S%z")
        versions = {m.group(1): m.group(2)
                    for m in re.finditer(r"^(gha-[\w-]+):\s*\nversion=(\S+)", block, re.M)}
        log.append((when.timestamp() * 1000.0, versions))
    log.sort(key=lambda e: e[0])
    events = {}
    for machine, fname, r in asv_result_files(results_dir, machines):
        i = r["result_columns"].index("started_at")
        started = max(v[i] for v in r["results"].values() if v and len(v) > i and v[i])
        for when, versions in log:
            if when >= started and machine in versions:
                events.setdefault(machine, {})[r["commit_hash"]] = versions[machine]
                break
    return events


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    a = ap.parse_args()
    h = os.path.join(a.shared, "fixtures", "histories")
    n = convert_data_js(os.path.join(h, "github-action-benchmark-ghpages", "data.js"),
                        os.path.join(a.out, "gab-ghpages"), "gab-ghpages", "gha")
    print("gab-ghpages", n, "runs")
    n = convert_data_js(os.path.join(h, "mr-math-gbench-ghpages", "data.js"),
                        os.path.join(a.out, "mr-math"), "mr-math", "gha")
    print("mr-math", n, "runs")
    ob = os.path.join(h, "openblas-blas-benchmarks-asv")
    machines = sorted(d for d in os.listdir(os.path.join(ob, "results"))
                      if os.path.isdir(os.path.join(ob, "results", d)))
    n = convert_asv(os.path.join(ob, "results"), os.path.join(a.out, "openblas"), "openblas", machines)
    with open(os.path.join(a.out, "openblas", "events.json"), "w") as f:
        json.dump(openblas_events(os.path.join(ob, "gh-pages-results-commit-log.txt"),
                                  os.path.join(ob, "results"), machines), f, indent=1)
    print("openblas", n, "runs on", machines)
    dj = os.path.join(h, "django-asv-ubuntu-latest-py3.12", "results")
    n = convert_asv(dj, os.path.join(a.out, "django"), "django", ["ubuntu-latest"])
    print("django", n, "runs")


if __name__ == "__main__":
    main()
