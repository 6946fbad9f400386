#!/usr/bin/python3
"""PR-mode detection quality in-process: the evaluation's PR checks (../shared/eval, --mode pr)
replayed through bench/perftrack_detect_pr_replay instead of the CLI, scored with the
evaluation's own scorer. Seconds instead of an hour for the 200 dev histories; the real
measurement is still run_eval.py --mode pr.

    /usr/bin/python3 tools/pr_replay.py [--limit N] [--confirm 0,2] [--family F] [-v]
        [--data HISTORIES.jsonl] [--replay build/bench/perftrack_detect_pr_replay]

Per N it prints precision, recall, F1, false alarms per 1,000 negative checks, recall per
magnitude bucket and per family, and the average number of re-runs the checks took (the
runner stops re-running as soon as the check has decided; see runs_used).
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EVAL = os.path.join(HERE, "..", "..", "shared", "eval")
sys.path.insert(0, EVAL)
import gen  # noqa: E402
import score as S  # noqa: E402


STAGES = ["single_run", "wanted", "confirmed", "cleared", "undecided"]


def cases(histories, nmax):
    """One JSON line per history for the replay tool: main's commits and, per PR check, the
    candidate's runs (commit t's own run, then nmax re-runs)."""
    for h in histories:
        events = gen.pr_events(h)
        yield json.dumps({
            "id": h["id"], "direction": h["direction"], "unit": h["unit"],
            "commits": [{"sha": c["sha"], "time": c["time"], "samples": c["samples"]}
                        for c in h["commits"]],
            "events": [{"t": e["t"], "runs": gen.pr_candidate(h, e["t"], nmax)} for e in events]})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int)
    ap.add_argument("--confirm", default="0,2")
    ap.add_argument("--family")
    ap.add_argument("--data", help="histories made with gen.py --pr-state (default: dev preset)")
    ap.add_argument("--replay", default=os.path.join(HERE, "..", "build", "bench",
                                                     "perftrack_detect_pr_replay"))
    ap.add_argument("-v", action="store_true", help="list every wrong verdict")
    ap.add_argument("--out", help="also write the raw verdicts here (JSONL)")
    a = ap.parse_args()
    confirms = sorted({int(x) for x in a.confirm.split(",")})
    if a.data:
        hs = [json.loads(line) for line in open(a.data) if line.strip()]
    else:
        hs = gen.preset("dev", rerun_state=True)
    if a.limit:
        hs = hs[:a.limit]
    if a.family:
        hs = [h for h in hs if h["family"] == a.family]
    text = "\n".join(cases(hs, max(confirms))) + "\n"
    p = subprocess.run([a.replay, ",".join(str(n) for n in confirms)], input=text,
                       capture_output=True, text=True, check=True)
    if a.out:
        with open(a.out, "w") as f:
            f.write(p.stdout)
    got = {}
    for line in p.stdout.splitlines():
        r = json.loads(line)
        got.setdefault(r["n"], {})[r["id"]] = r["checks"]
    events = {h["id"]: gen.pr_events(h) for h in hs}
    by_id = {h["id"]: h for h in hs}
    for n in confirms:
        flags = {hid: [c["t"] for c in cs if c["status"] == "regression"]
                 for hid, cs in got[n].items()}
        ins = {hid: [c["t"] for c in cs if c["status"] == "insufficient_data"]
               for hid, cs in got[n].items()}
        r = S.score_pr(hs, events, flags, ins)
        used = [c["runs_used"] - 1 for cs in got[n].values() for c in cs]
        b = r["by_bucket"]
        print(f"N={n}: checks={r['checks']} P={r['precision']:.3f} R={r['recall']:.3f} "
              f"F1={r['f1']:.3f} FA/1k={r['false_alarms_per_1k']:.2f} (fp={r['fp']} fn={r['fn']}) "
              f">10%={b['>10%']['recall']:.3f} 5-10%={b['5-10%']['recall']:.3f} "
              f"2-5%={b['2-5%']['recall']:.3f} <2%={b['<2%']['recall']:.3f} "
              f"re-runs/check={sum(used) / len(used):.3f} ins={r['insufficient']}")
        print("    " + "  ".join(f"{f}: F1 {v['f1']:.2f} FA {v['false_alarms_per_1k']:.1f}"
                                 for f, v in r["by_family"].items()))
        print("    flag rate by kind: " + "  ".join(
            f"{k} {v['flag_rate']:.3f} ({v['flagged']}/{v['n']})" for k, v in r["by_kind"].items()))
        if a.v:
            for hid, cs in got[n].items():
                ev = {e["t"]: e for e in events[hid]}
                for c in cs:
                    e = ev[c["t"]]
                    if (c["status"] == "regression") != e["positive"]:
                        h = by_id[hid]
                        print(f"   {'FP' if not e['positive'] else 'FN'} {hid} t={c['t']} "
                              f"{e['kind']} {e['magnitude']} reps={h['reps']} "
                              f"run_cv={h['params']['run_cv']} -> {c['status']} "
                              f"{c['change']:+.4f} [{c['ci_low']:+.4f}, {c['ci_high']:+.4f}] "
                              f"p={c['p']:.2g} used={c['runs_used']} stage={STAGES[c['stage']]} "
                              f"reruns={c['rerun_change']}")


if __name__ == "__main__":
    main()
