#!/usr/bin/env bash
# rolegraph's wider benchmark: Q1-Q8 (shared) and W01-W143 (queries_wide.py) in
# Kùzu, DuckDB and rolegraph, one run on one machine, then the peers' report
# (table and agreement check) and our summary (ratios to each peer).
#
#   benches/peers/run_wide.sh 10000
#   BENCH_DATA=/tmp/bench/data BENCH_RESULTS=/tmp/bench/results BENCH_VENV=/tmp/bench/venv \
#     benches/peers/run_wide.sh 100000
#
# Environment:
#   BENCH_DATA, BENCH_RESULTS, BENCH_VENV  data, results and the peers' virtual environment
#                           (default: target/peers/{data,results,venv} in the repository)
#   BENCH_SET               base, wide or all (default all)
#   ENGINES                 peers to run (default "kuzu duckdb"; any run_<name>.py of the harness)
#   BENCH_PEERS             the shared harness (default ../shared/bench/peers beside the repo)
#   LIMIT_S                 seconds allowed to each peer's whole run (default 3600)
#   BENCH_TIMEOUT           seconds allowed to one rolegraph query run (default 120)
# Exit status: 1 if the engines disagree on any query (report.py), else 0.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
N=${1:?usage: run_wide.sh N}
export BENCH_PEERS=$(realpath -m "${BENCH_PEERS:-$REPO/../shared/bench/peers}")
export BENCH_DATA=$(realpath -m "${BENCH_DATA:-$REPO/target/peers/data}")
export BENCH_RESULTS=$(realpath -m "${BENCH_RESULTS:-$REPO/target/peers/results}")
export BENCH_SET=${BENCH_SET:-all}
VENV=$(realpath -m "${BENCH_VENV:-$REPO/target/peers/venv}")
ENGINES=${ENGINES:-"kuzu duckdb"}
LIMIT_S=${LIMIT_S:-3600}
if [ ! -x "$VENV/bin/python" ]; then
  # only the peers named in ENGINES, at the harness's pinned versions
  pins=$(for e in $ENGINES; do grep -i "^$e==" "$BENCH_PEERS/requirements.txt"; done)
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q $pins || exit 1
fi
PY=$VENV/bin/python
[ -f "$BENCH_DATA/$N/meta.json" ] || python3 "$BENCH_PEERS/gen_org.py" "$N" --out "$BENCH_DATA" >/dev/null || exit 1
rm -rf "${BENCH_RESULTS:?}/$N" && mkdir -p "$BENCH_RESULTS/$N"
for e in $ENGINES; do
  timeout "$LIMIT_S" "$PY" "$HERE/run_peer.py" "$e" "$N" 2>&1 | tee "$BENCH_RESULTS/$N/$e.log" \
    || echo "run_peer.py $e $N failed or ran over ${LIMIT_S} s (see $BENCH_RESULTS/$N/$e.log)"
done
PYTHON=$PY "$HERE/run_rolegraph.sh" "$N" "$BENCH_RESULTS" || echo "run_rolegraph.sh $N failed"
"$PY" "$HERE/run_peer.py" report "$N" > /dev/null
status=$?
python3 "$HERE/summarise_wide.py" "$BENCH_RESULTS" "$N" > "$BENCH_RESULTS/$N-summary.md"
echo "wrote $BENCH_RESULTS/$N.md (report.py) and $BENCH_RESULTS/$N-summary.md"
exit $status
