#!/usr/bin/env python3
"""Tables of the wider benchmark: every query, rolegraph against each peer.

    python3 benches/peers/summarise_wide.py RESULTS_DIR N [N ...]
    python3 benches/peers/summarise_wide.py --slow RESULTS_DIR N    # only the queries
                                                                    # where rolegraph loses
    python3 benches/peers/summarise_wide.py --findings RESULTS_DIR N ROLEGRAPH DATA_DIR
        # the same, each with its text, times and rolegraph's EXPLAIN (ROLEGRAPH, the
        # binary, run on DATA_DIR/N), as markdown

For each N, RESULTS_DIR/N/*.json (run_wide.sh: the peers' runners and
run_rolegraph.sh in one run): median ms per engine, rolegraph ÷ each peer,
rolegraph ÷ the faster peer, and a mark: ✗ rolegraph slower than the faster
peer, ✗✗ more than 2× it; "≠" when the engines' results differ. Query order
and titles come from harness.py (Q1-Q8 then W01-W143). Standard library only.
"""
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import install  # noqa: E402


def fmt(v):
    if v is None:
        return "—"
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}" if v >= 1 else f"{v:.3f}"


def ratio(a, b):
    if a is None or not b:
        return "—"
    r = a / b
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def load(results, n):
    runs = {}
    for p in sorted(glob.glob(os.path.join(results, str(n), "*.json"))):
        r = json.load(open(p))
        runs[r["engine"]] = r
    return runs


def median(run, qid):
    return run["queries"].get(qid, {}).get("median_ms") if run else None


def rows(results, n, queries):
    """(query, rolegraph ms, {peer: ms}, faster peer (name, ms), agree?) per query."""
    runs = load(results, n)
    rg = runs.get("rolegraph")
    peers = {e: r for e, r in runs.items() if e != "rolegraph"}
    out = []
    for q in queries:
        mine = median(rg, q["id"])
        times = {e: median(r, q["id"]) for e, r in peers.items()}
        have = [(t, e) for e, t in times.items() if t is not None]
        best = min(have) if have else (None, None)
        answers = {json.dumps(r["queries"][q["id"]]["result"]) for r in runs.values()
                   if "result" in r["queries"].get(q["id"], {})}
        out.append((q, mine, times, best, len(answers) <= 1))
    return runs, out


def table(results, n, queries):
    runs, data = rows(results, n, queries)
    if "rolegraph" not in runs:
        return [f"(no rolegraph results at N = {n:,})"]
    peers = [e for e in runs if e != "rolegraph"]
    head = ("| query | rolegraph | " + " | ".join(peers) + " | "
            + " | ".join(f"÷ {p}" for p in peers) + " | ÷ faster peer | |")
    out = [head, "|---" * (head.count("|") - 1) + "|"]
    for name, key in (("load (s)", "load_s"), ("RSS after load (MiB)", "rss_after_load_mb")):
        vals = [runs[e].get(key) for e in peers]
        mine = runs["rolegraph"].get(key)
        best = min((v for v in vals if v is not None), default=None)
        out.append(f"| {name} | {fmt(mine)} | " + " | ".join(map(fmt, vals)) + " | "
                   + " | ".join(ratio(mine, v) for v in vals) + f" | {ratio(mine, best)} | |")
    lose = worse2 = 0
    for q, mine, times, best, agree in data:
        mark = ""
        if mine is None:
            mark = "✗✗ no result"
            lose += 1
            worse2 += 1
        elif best[0] is not None and mine > best[0]:
            lose += 1
            mark = "✗✗" if mine > 2 * best[0] else "✗"
            worse2 += mine > 2 * best[0]
        if not agree:
            mark += " ≠"
        out.append(f"| {q['id']} {q['title']} | {fmt(mine)} | " + " | ".join(fmt(times[p]) for p in peers)
                   + " | " + " | ".join(ratio(mine, times[p]) for p in peers)
                   + f" | {ratio(mine, best[0])} | {mark.strip()} |")
    other = ", ".join(f"{e} {r['info'].get('other_cpu_cores', '?')}" for e, r in runs.items())
    commit = runs["rolegraph"]["info"].get("commit", "?")
    out += ["", f"Median ms of 10 timed runs after a warm-up (fewer for slow queries). "
            f"rolegraph at {commit}. {lose} of {len(data)} queries slower than the faster peer, "
            f"{worse2} of them over 2× it (or without a result). "
            f"CPU used by other processes while each engine ran, in cores: {other}."]
    return out


def slow(results, n, queries):
    """The queries where rolegraph is slower than the faster peer, slowest ratio first."""
    _, data = rows(results, n, queries)
    lost = [(mine / best[0] if mine else float("inf"), q, mine, best, times) for q, mine, times, best, _ in data
            if best[0] is not None and (mine is None or mine > best[0])]
    return sorted(lost, key=lambda x: -x[0])


def findings(results, n, queries, binary, data):
    """Markdown: every query rolegraph loses, with its text, times and EXPLAIN."""
    cypher = install("all").cypher
    lost = slow(results, n, queries)
    commit = load(results, n)["rolegraph"]["info"].get("commit", "?")
    out = [f"### N = {n:,} (rolegraph at {commit}): {len(lost)} queries slower than the faster peer", ""]
    for r, q, mine, best, times in lost:
        text = cypher(q, "rolegraph")[0]
        peers = ", ".join(f"{e} {fmt(t)} ms" for e, t in times.items())
        shown = "no result (timeout or error)" if mine is None else f"{fmt(mine)} ms, {r:.1f}× the faster peer"
        out += [f"#### {q['id']} {q['title']}: {shown}", "", f"peers: {peers}", "", "```cypher", text, "```", ""]
        try:
            p = subprocess.run([binary, "--data", os.path.join(data, str(n)), "--format", "markdown",
                                "-e", "EXPLAIN " + text], capture_output=True, text=True, timeout=120)
            out += [(p.stdout or p.stderr).strip(), ""]
        except (OSError, subprocess.SubprocessError) as e:
            out += [f"(EXPLAIN failed: {e})", ""]
    return out


def main():
    args = sys.argv[1:]
    if args[:1] == ["--findings"]:
        if len(args) != 5:
            sys.exit(__doc__)
        print("\n".join(findings(args[1], int(args[2]), install("all").QUERIES, args[3], args[4])))
        return
    only_slow = args[:1] == ["--slow"]
    args = args[1:] if only_slow else args
    if len(args) < 2:
        sys.exit(__doc__)
    results, ns = args[0], [int(x) for x in args[1:]]
    queries = install("all").QUERIES
    out = []
    for n in ns:
        if only_slow:
            for r, q, mine, best, times in slow(results, n, queries):
                peers = ", ".join(f"{e} {fmt(t)}" for e, t in times.items())
                out.append(f"N={n:,} {q['id']} {r:.1f}× rolegraph {fmt(mine)} ms; {peers}")
        else:
            out += [f"### N = {n:,}", ""] + table(results, n, queries) + [""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
