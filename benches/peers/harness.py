"""Glue between rolegraph's query sets and the shared peer harness.

The shared runners (../shared/bench/peers/run_<engine>.py, common.py,
report.py) read their queries with `from queries import QUERIES, cypher, sql`.
install() loads the shared queries.py as the module `queries`, merges this
folder's PARAMS into it and replaces its QUERIES by the chosen set, so the
shared runners run our queries unchanged (nothing under shared/ is written):

    "base"  Q1-Q8 as shared
    "wide"  W01-W143 of queries_wide.py
    "all"   both (the default; BENCH_SET chooses)

BENCH_PEERS names the shared folder (default ../shared/bench/peers beside the
repository).
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SETS = ("base", "wide", "all")


def peers_dir():
    return os.path.realpath(os.environ.get("BENCH_PEERS") or os.path.join(REPO, "..", "shared", "bench", "peers"))


def install(which=None):
    """Register the module `queries` with the chosen set; returns it."""
    which = which or os.environ.get("BENCH_SET", "all")
    if which not in SETS:
        sys.exit(f"BENCH_SET must be one of {', '.join(SETS)}, not {which!r}")
    peers = peers_dir()
    if not os.path.isfile(os.path.join(peers, "queries.py")):
        sys.exit(f"no queries.py in {peers} (set BENCH_PEERS)")
    for d in (HERE, peers):  # the shared modules (common, gen_org) and ours
        if d not in sys.path:
            sys.path.insert(0, d)
    spec = importlib.util.spec_from_file_location("queries", os.path.join(peers, "queries.py"))
    q = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(q)
    import queries_wide
    for k, v in queries_wide.PARAMS.items():
        if q.PARAMS.get(k, v) != v:
            sys.exit(f"parameter ${k} differs between queries.py and queries_wide.py")
    q.PARAMS.update(queries_wide.PARAMS)  # render() reads the module's PARAMS
    ids = [x["id"] for x in q.QUERIES + queries_wide.WIDE]
    if len(ids) != len(set(ids)):
        sys.exit("duplicate query ids")
    q.QUERIES = {"base": q.QUERIES, "wide": queries_wide.WIDE, "all": q.QUERIES + queries_wide.WIDE}[which]
    q.SET = which
    sys.modules["queries"] = q
    return q


def rendered(which=None, engine="rolegraph"):
    """The chosen set as rolegraph bench reads it: [{id, title, text, ordered}]."""
    q = install(which)
    return [{"id": x["id"], "title": x["title"], "text": q.cypher(x, engine)[0],
             "ordered": bool(x.get("ordered", False))} for x in q.QUERIES]


if __name__ == "__main__":
    # python3 harness.py [base|wide|all]: the set as JSON for `rolegraph bench --queries`
    import json
    json.dump(rendered(sys.argv[1] if len(sys.argv) > 1 else None), sys.stdout, indent=1)
    print()
