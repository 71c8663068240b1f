#!/usr/bin/env python3
"""Markdown tables for docs/PERFORMANCE.md from the peer-benchmark results.

    python3 benches/peers/summarise.py RESULTS_DIR DATA_DIR N [N ...]

For each N (RESULTS_DIR/N/*.json, one run of run_all.sh plus
run_rolegraph.sh): rolegraph against the fastest peer on every row, with the
ratio, and at N = 1,000,000 the issue's targets. Then how rolegraph's
numbers grow with N, and its bytes per relationship (RSS after load less RSS
before load, over the relationship count in DATA_DIR/N/meta.json).
Standard library only.
"""
import glob
import json
import os
import sys

QUERIES = ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8"]
# The targets at N = 1,000,000 (load s, RSS after load MiB, query ms).
TARGETS = {"load": 3.0, "rss": 650.0, "Q1": 0.03, "Q2": 0.05, "Q3": 0.1, "Q4": 0.1,
           "Q5": 25.0, "Q6": 15.0, "Q7": 3.0, "Q8": 8.0}
LABELS = {"load": "load (s)", "rss": "RSS after load (MiB)"}


def fmt(v):
    if v is None:
        return "—"
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}" if v >= 1 else f"{v:.3f}"


def value(run, row):
    if row == "load":
        return run["load_s"]
    if row == "rss":
        return run["rss_after_load_mb"]
    q = run["queries"].get(row, {})
    return q.get("median_ms")


def runs_at(results, n):
    runs = {}
    for p in sorted(glob.glob(os.path.join(results, str(n), "*.json"))):
        r = json.load(open(p))
        runs[r["engine"]] = r
    return runs


def compare(runs, n):
    rg = runs.get("rolegraph")
    peers = {e: r for e, r in runs.items() if e != "rolegraph"}
    if rg is None or not peers:
        return [f"(no rolegraph or no peer results at N = {n:,})"]
    target = n == 1_000_000
    head = "| | rolegraph | fastest peer | rolegraph ÷ fastest peer |" + (" target | rolegraph ÷ target |" if target else "")
    out = [head, "|---" * (head.count("|") - 1) + "|"]
    for row in ["load", "rss"] + QUERIES:
        mine = value(rg, row)
        best = min(((value(r, row), e) for e, r in peers.items() if value(r, row) is not None), default=(None, None))
        ratio = f"{mine / best[0]:.2f}×" if mine is not None and best[0] else "—"
        line = f"| {LABELS.get(row, row + ' (ms)')} | {fmt(mine)} | {fmt(best[0])} ({best[1]}) | {ratio} |"
        if target:
            t = TARGETS[row]
            miss = "—" if mine is None else f"{mine / t:.2f}×" + (" ✗" if mine > t else " ✓")
            line += f" {fmt(t)} | {miss} |"
        out.append(line)
    return out


def main():
    results, data, ns = sys.argv[1], sys.argv[2], [int(x) for x in sys.argv[3:]]
    out = []
    for n in ns:
        runs = runs_at(results, n)
        out += [f"### N = {n:,}", ""] + compare(runs, n) + [""]
    # growth of rolegraph's numbers with N
    rg = {n: runs_at(results, n).get("rolegraph") for n in ns}
    have = [n for n in ns if rg[n]]
    if len(have) > 1:
        head = "| | " + " | ".join(f"N = {n:,}" for n in have) + " | " + " | ".join(
            f"×{have[i + 1] // have[i]} N" for i in range(len(have) - 1)) + " |"
        out += ["### rolegraph as N grows", "", head, "|---" * (head.count("|") - 1) + "|"]
        for row in ["load", "rss"] + QUERIES:
            vals = [value(rg[n], row) for n in have]
            steps = [f"{b / a:.1f}×" if a and b else "—" for a, b in zip(vals, vals[1:])]
            out.append(f"| {LABELS.get(row, row + ' (ms)')} | " + " | ".join(map(fmt, vals)) + " | " + " | ".join(steps) + " |")
        out += [""]
    # bytes per relationship
    out += ["### Memory per relationship", "", "| N | relationships | RSS before load (MiB) | RSS after load (MiB) | bytes per relationship |",
            "|---|---|---|---|---|"]
    for n in have:
        meta = json.load(open(os.path.join(data, str(n), "meta.json")))
        rels = meta["total_relationships"]
        before, after = rg[n]["info"]["rss_before_load_mb"], rg[n]["rss_after_load_mb"]
        out.append(f"| {n:,} | {rels:,} | {before:.1f} | {after:.1f} | {(after - before) * 2**20 / rels:.0f} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
