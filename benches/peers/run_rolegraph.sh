#!/usr/bin/env bash
# rolegraph beside the peers of shared/bench/peers: build the release binary,
# load DATA_DIR/N/ (gen_org.py's CSVs) and time Q1-Q8 in one rolegraph process
# (`rolegraph bench`: one warm-up, ten timed runs each; load timed apart), and
# write RESULTS_DIR/N/rolegraph.json in the peers' JSON, so that their
# report.py shows rolegraph as a column and checks its answers.
#
#   benches/peers/run_rolegraph.sh 100000 /work/benchresults
#   BENCH_DATA=/work/benchdata benches/peers/run_rolegraph.sh 10000 /tmp/results
#
# Environment:
#   DATA_DIR or BENCH_DATA  where N/ lives (default: ../shared/bench/data beside the repo);
#                           N/ is generated with gen_org.py when it is missing
#   BENCH_PEERS             the peers' folder (default: ../shared/bench/peers beside the repo)
#   BENCH_SET               which queries: base (the shared Q1-Q8, the default), wide (W01-W143
#                           of benches/peers/queries_wide.py) or all (both); see harness.py
#   BENCH_TIMEOUT           seconds after which a query's run is stopped and reported as an
#                           error (default 120), so one slow query cannot hold up the rest
#   BENCH_RUNS, BENCH_WARMUP  timed and warm-up runs per query (default 10 and 1)
#   PYTHON                  python3 to use (the peers' scripts need only the standard library)
set -euo pipefail
N=${1:?usage: run_rolegraph.sh N RESULTS_DIR}
RESULTS_ARG=${2:?usage: run_rolegraph.sh N RESULTS_DIR}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$(realpath -m "${DATA_DIR:-${BENCH_DATA:-$REPO/../shared/bench/data}}")
PEERS=$(realpath -m "${BENCH_PEERS:-$REPO/../shared/bench/peers}")
RESULTS=$(realpath -m "$RESULTS_ARG")
PY=${PYTHON:-python3}
[ -f "$PEERS/queries.py" ] || { echo "no queries.py in $PEERS (set BENCH_PEERS)" >&2; exit 2; }

if [ ! -f "$DATA/$N/meta.json" ]; then
  echo "generating $DATA/$N with gen_org.py" >&2
  "$PY" "$PEERS/gen_org.py" "$N" --out "$DATA" >/dev/null
fi

(cd "$REPO" && cargo build --release --quiet --bin rolegraph)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
BIN=$TARGET/release/rolegraph

mkdir -p "$RESULTS/$N"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# The queries, rendered by the peers' own queries.py (with our set, harness.py):
# ids, text, ordered flag.
BENCH_PEERS="$PEERS" "$PY" "$REPO/benches/peers/harness.py" "${BENCH_SET:-base}" > "$WORK/queries.json"

"$BIN" --data "$DATA/$N" --timeout "${BENCH_TIMEOUT:-120}" bench --queries "$WORK/queries.json" --n "$N" \
  --runs "${BENCH_RUNS:-10}" --warmup "${BENCH_WARMUP:-1}" --out "$WORK/raw.json" \
  2>&1 | tee "$RESULTS/$N/rolegraph.log"

# Normalise exactly as the peers do (common.normalise: Python repr order) and
# record which commit was measured.
COMMIT=$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown)
BENCH_PEERS="$PEERS" PYTHONPATH="$REPO/benches/peers" "$PY" - "$WORK/raw.json" "$WORK/queries.json" "$RESULTS/$N/rolegraph.json" "$COMMIT" <<'PYEOF'
import json, sys
from harness import install
install()
from common import normalise
raw, queries, out, commit = sys.argv[1:5]
r = json.load(open(raw))
ordered = {q["id"]: q["ordered"] for q in json.load(open(queries))}
for qid, res in r["queries"].items():
    if "result" in res:
        res["result"] = normalise(res["result"], ordered.get(qid, False))
r["info"]["commit"] = commit
with open(out, "w") as f:
    json.dump(r, f, indent=1)
print(f"wrote {out}")
PYEOF
