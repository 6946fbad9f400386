#!/usr/bin/python3
"""How many pull-request checks would have failed on the real benchmark histories in
../shared/fixtures/histories/, without re-runs and with perftrack's default sequential re-runs.

    /usr/bin/python3 tools/real_pr_checks.py [--replay build/bench/perftrack_detect_pr_replay]
        [--reruns 5] [--min-baseline 10] [-v]

Every commit t of every series (from --min-baseline commits on) is checked as a pull request
would be: its run against the series' main history up to t - 1 (the merge-base), through the
same check as `perftrack check --branch ... --base-commit` (bench/perftrack_detect_pr_replay).
These histories have one run per commit, so a re-run of commit t is stood in for by the runs of
the next commits t + 1, t + 2, ... (nearly the same code: a step persists into them, a one-off
spike does not). That is a proxy: a real step at t + 1 would look like a re-run of t that
shifted. Each series is judged on its own (alpha without the Benjamini-Hochberg correction
across the series of a commit), so the per-commit failures are an upper bound. Prints per
dataset the checks, the failures without re-runs and with them, and the re-runs they took.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import convert_histories  # noqa: E402


def series_of(out_dir):
    """{(dataset, testbed, identity): {"unit", "direction", "runs": [(time, sha, samples)]}}."""
    series = {}
    for dataset in sorted(os.listdir(out_dir)):
        d = os.path.join(out_dir, dataset)
        for name in sorted(os.listdir(d)):
            if not name.endswith(".json") or name == "events.json":
                continue
            doc = json.load(open(os.path.join(d, name)))
            ctx = doc["context"]
            for r in doc["results"]:
                ident = json.dumps([r.get("suite", ""), r["benchmark"], r.get("params", {}),
                                    r["metric"], r["unit"]], sort_keys=True)
                s = series.setdefault((dataset, ctx["testbed"], ident),
                                      {"unit": r["unit"], "direction": r["direction"], "runs": []})
                s["runs"].append((ctx["commit_time"], ctx["commit"], r["samples"]))
    return series


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--replay", default=os.path.join(HERE, "..", "build", "bench",
                                                     "perftrack_detect_pr_replay"))
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "shared"))
    ap.add_argument("--reruns", type=int, default=5)
    ap.add_argument("--min-baseline", type=int, default=10,
                    help="check commits with at least this many earlier commits")
    ap.add_argument("-v", action="store_true", help="list every failing check")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sys.argv = ["convert_histories.py", tmp, "--shared", a.shared]
        with open(os.devnull, "w") as quiet:
            stdout, sys.stdout = sys.stdout, quiet
            try:
                convert_histories.main()
            finally:
                sys.stdout = stdout
        series = series_of(tmp)
    lines, keys, shas = [], [], []
    for key, s in sorted(series.items()):
        runs = sorted(s["runs"])
        # One run per commit: a commit measured twice keeps its first run.
        seen, commits = set(), []
        for when, sha, samples in runs:
            if sha not in seen:
                seen.add(sha)
                commits.append({"sha": sha, "time": when, "samples": samples})
        if len(commits) <= a.min_baseline:
            continue
        events = [{"t": t, "runs": [c["samples"] for c in commits[t:t + 1 + a.reruns]]}
                  for t in range(a.min_baseline, len(commits))]
        keys.append(key)
        shas.append([c["sha"] for c in commits])
        lines.append(json.dumps({"id": str(len(keys) - 1), "direction": s["direction"],
                                 "unit": s["unit"] or "1", "commits": commits, "events": events}))
    p = subprocess.run([a.replay, f"0,{a.reruns}"], input="\n".join(lines) + "\n",
                       capture_output=True, text=True, check=True)
    totals = {}
    for line in p.stdout.splitlines():
        r = json.loads(line)
        dataset = keys[int(r["id"])][0]
        testbed = keys[int(r["id"])][1]
        t = totals.setdefault(dataset, {"series": set(), 0: 0, a.reruns: 0, "checks": 0,
                                        "reruns": 0, "commits": set(), "failing": {0: set(),
                                                                                a.reruns: set()}})
        t["series"].add(r["id"])
        for c in r["checks"]:
            commit = (testbed, shas[int(r["id"])][c["t"]])
            t["commits"].add(commit)
            if c["status"] == "regression":
                t["failing"][r["n"]].add(commit)
            if r["n"] == 0:
                t["checks"] += 1
            else:
                t["reruns"] += c["runs_used"] - 1
            if c["status"] == "regression":
                t[r["n"]] += 1
                if a.v:
                    print(f"  {dataset} {keys[int(r['id'])][2]} t={c['t']} N={r['n']}: "
                          f"{c['change']:+.3f} [{c['ci_low']:+.3f}, {c['ci_high']:+.3f}]")
    print("Per series x commit (one series' verdict), and per commit (a pull request's check of")
    print("every series it measured fails when any of them regressed):")
    print(f"{'dataset':12s} {'series':>7s} {'checks':>8s} {'fail N=0':>9s} "
          f"{'fail re-runs':>13s} {'re-runs/check':>14s} {'commits':>8s} {'fail N=0':>9s} "
          f"{'fail re-runs':>13s}")
    for dataset, t in sorted(totals.items()):
        print(f"{dataset:12s} {len(t['series']):7d} {t['checks']:8d} {t[0]:9d} {t[a.reruns]:13d} "
              f"{t['reruns'] / t['checks']:14.3f} {len(t['commits']):8d} "
              f"{len(t['failing'][0]):9d} {len(t['failing'][a.reruns]):13d}")


if __name__ == "__main__":
    main()
