#!/usr/bin/python3
"""Scores bench/perftrack_detect_replay output with the evaluation's own scorer.

    /usr/bin/python3 tools/score_detect_replay.py HISTORIES.jsonl OUT.jsonl [--family F] [-v]

Needs ../shared/eval (score.py) beside the checkout; prints online (delay 0 and 2) and offline
scores, per family, and with -v every history with a false alarm or a miss.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "shared", "eval"))
import score as S  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("histories")
    ap.add_argument("out")
    ap.add_argument("--family")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    hs = [json.loads(l) for l in open(a.histories) if l.strip()]
    res = {r["id"]: r for r in (json.loads(l) for l in open(a.out) if l.strip())}
    if a.family:
        hs = [h for h in hs if h["family"] == a.family]
    on = {h["id"]: res[h["id"]]["flags"] for h in hs}
    off = {h["id"]: res[h["id"]]["change_points"] for h in hs}
    for d in (0, 2):
        r = S.score_online(hs, on, d)
        print(f"online d{d}: P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
              f"FA/1k={r['false_alarms_per_1k']:.2f} tp={r['tp']} fp={r['fp']} fn={r['fn']} mde={r['mde']}")
        if d == 2:
            for f, v in r["by_family"].items():
                print(f"   {f:12s} F1={v['f1']:.3f} FA/1k={v['false_alarms_per_1k']:.2f} fp={v['fp']} fn={v['fn']}")
            print("   recall by bucket:", {b: (None if v["recall"] is None else round(v["recall"], 3), v["n"])
                                          for b, v in r["by_bucket"].items()})
    o = S.score_offline(hs, off)
    print(f"offline: P={o['precision']:.3f} R={o['recall']:.3f} F1={o['f1']:.3f} tp={o['tp']} fp={o['fp']} fn={o['fn']}")
    fams = sorted({h["family"] for h in hs})
    for f in fams:
        sub = [h for h in hs if h["family"] == f]
        o = S.score_offline(sub, off)
        print(f"   offline {f:12s} F1={o['f1']:.3f} fp={o['fp']} fn={o['fn']}")
    if a.v:
        for h in hs:
            m = S.match_online(on[h["id"]], h["truth"], 2)
            if m["fp"] or m["fn"]:
                p = {k: v for k, v in h["params"].items() if k != "base"}
                print(h["id"], "reps", h["reps"], p)
                print("   truth", [(t["index"], t["kind"][:3], t["magnitude"]) for t in h["truth"]])
                print("   flags", on[h["id"]], "impr", res[h["id"]]["improvements"], "cps", off[h["id"]])


if __name__ == "__main__":
    main()
