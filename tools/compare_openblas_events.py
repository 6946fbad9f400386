#!/usr/bin/python3
"""Compares the change points of `perftrack report --format json` for one OpenBLAS machine with
the OpenBLAS version changes recorded in events.json (tools/convert_histories.py).

    /usr/bin/python3 tools/compare_openblas_events.py REPORT.json EVENTS.json MACHINE [--margin 1]

Prints each version change (the first commit measured with the new version) with the number of
series that have a change point within the margin, then the change points that match no version
change, grouped by commit.
"""
import argparse
import collections
import json


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("events")
    ap.add_argument("machine")
    ap.add_argument("--margin", type=int, default=1)
    a = ap.parse_args()
    rep = json.load(open(a.report))
    versions = json.load(open(a.events)).get(a.machine, {})
    order = []
    for s in rep["series"]:
        for p in s["points"]:
            order.append((p["commit_time"], p["commit"]))
    commits = [c for _, c in sorted(set(order))]
    index = {c: i for i, c in enumerate(commits)}
    changes = []
    last = None
    for c in commits:
        v = versions.get(c)
        if v is None:
            continue
        if last is not None and v != last:
            changes.append((index[c], c, last, v))
        last = v
    by_commit = collections.Counter()
    signed = collections.defaultdict(list)
    for s in rep["series"]:
        for cp in s["change_points"]:
            by_commit[index[cp["commit"]]] += 1
            signed[index[cp["commit"]]].append(cp["change"])
    total = sum(by_commit.values())
    print(f"{a.machine}: {len(commits)} commits, {len(rep['series'])} series, {total} change points, "
          f"{len(changes)} version changes (margin {a.margin})")
    matched = set()
    for i, c, old, new in changes:
        near = [j for j in by_commit if abs(j - i) <= a.margin]
        n = sum(by_commit[j] for j in near)
        matched.update(near)
        moves = [x for j in near for x in signed[j]]
        faster = sum(1 for x in moves if x < 0)
        print(f"  version {old} -> {new} at commit #{i} {c[:10]}: {n} series stepped "
              f"({faster} faster, {n - faster} slower)")
    other = {j: by_commit[j] for j in by_commit if j not in matched}
    print(f"  change points away from version changes: {sum(other.values())} "
          f"at {len(other)} commits: " +
          ", ".join(f"#{j}({n})" for j, n in sorted(other.items())))


if __name__ == "__main__":
    main()
