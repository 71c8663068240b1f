#!/usr/bin/env python3
"""Write the answers the peers agree on, for tests/peers_wide.rs.

    BENCH_SET=all BENCH_DATA=D BENCH_RESULTS=R python run_peer.py duckdb 2000   # and kuzu
    python3 benches/peers/make_golden.py R 2000 tests/golden/peers_2000.json

Reads every R/N/<engine>.json except rolegraph's; refuses (exit 1) unless each
query has a result from at least two engines and they are all the same.
"""
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import install  # noqa: E402


def main():
    results, n, out = sys.argv[1], sys.argv[2], sys.argv[3]
    runs = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(results, n, "*.json")))]
    runs = [r for r in runs if r["engine"] != "rolegraph"]
    golden, bad = {}, []
    for q in install("all").QUERIES:
        answers = {e["engine"]: e["queries"].get(q["id"], {}).get("result") for e in runs}
        have = {json.dumps(a) for a in answers.values() if a is not None}
        if len(have) != 1 or sum(a is not None for a in answers.values()) < 2:
            bad.append(f"{q['id']}: {sorted(answers)} give {len(have)} different answers")
            continue
        golden[q["id"]] = {"ordered": bool(q.get("ordered", False)), "result": json.loads(have.pop()),
                           "engines": sorted(e for e, a in answers.items() if a is not None)}
    if bad:
        sys.exit("\n".join(bad))
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"n": int(n), "queries": golden}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, out)
    print(f"wrote {out}: {len(golden)} queries")


if __name__ == "__main__":
    main()
