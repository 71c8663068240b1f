#!/usr/bin/env python3
"""Run one of the shared peer runners (or report.py) on rolegraph's query set.

    python run_peer.py kuzu 10000        # ../shared/bench/peers/run_kuzu.py 10000
    python run_peer.py duckdb 100000
    python run_peer.py report 100000     # report.py: table and agreement check

BENCH_SET (base, wide, all; default all) picks the queries; BENCH_DATA,
BENCH_RESULTS as for the shared runners. Run it with the peers' virtual
environment's python (kuzu, duckdb installed).
"""
import os
import runpy
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import install, peers_dir  # noqa: E402

if len(sys.argv) != 3:
    sys.exit(__doc__)
engine, n = sys.argv[1], sys.argv[2]
install()
script = os.path.join(peers_dir(), "report.py" if engine == "report" else f"run_{engine}.py")
if not os.path.isfile(script):
    sys.exit(f"no {script}")
sys.argv = [script, n]
runpy.run_path(script, run_name="__main__")
