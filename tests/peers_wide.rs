//! The peer benchmark's queries (the shared Q1–Q8 and W01–W143 of
//! benches/peers/queries_wide.py) on a generated organisation of 2,000 roles:
//! every answer rolegraph gives equals the one Kùzu and DuckDB agreed on
//! (tests/golden/peers_2000.json, written by benches/peers/make_golden.py).
//! It runs the real binary's `bench` on the real generator's data; it needs
//! python3 and ROLEGRAPH_SHARED (default ../shared), and skips saying so
//! without them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

fn shared() -> PathBuf {
    PathBuf::from(std::env::var("ROLEGRAPH_SHARED").unwrap_or_else(|_| "../shared".to_string()))
}

fn python() -> Option<&'static str> {
    ["python3", "python"].into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    })
}

fn run(cmd: &mut Command, what: &str) -> Vec<u8> {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Rows in one order whatever the engine's: unordered queries sorted by text.
fn rows(v: &Json, ordered: bool) -> Vec<String> {
    let mut rows: Vec<String> = v.as_array().expect("rows").iter().map(|r| r.to_string()).collect();
    if !ordered {
        rows.sort();
    }
    rows
}

#[test]
fn every_benchmark_query_answers_as_the_peers_do() {
    let peers = shared().join("bench").join("peers");
    if !peers.join("gen_org.py").is_file() {
        println!("skipped: no gen_org.py in {} (set ROLEGRAPH_SHARED)", peers.display());
        return;
    }
    let Some(py) = python() else {
        println!("skipped: no python3 to run gen_org.py and render the queries");
        return;
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let golden: Json =
        serde_json::from_str(&std::fs::read_to_string(repo.join("tests/golden/peers_2000.json")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    run(
        Command::new(py)
            .arg(peers.join("gen_org.py"))
            .arg("2000")
            .arg("--out")
            .arg(dir.path()),
        "gen_org.py 2000",
    );
    let queries = run(
        Command::new(py)
            .arg(repo.join("benches/peers/harness.py"))
            .arg("all")
            .env("BENCH_PEERS", &peers),
        "harness.py all",
    );
    let qfile = dir.path().join("queries.json");
    std::fs::write(&qfile, &queries).unwrap();
    let listed: Json = serde_json::from_slice(&queries).unwrap();
    let listed = listed.as_array().unwrap();
    assert!(listed.len() >= 151, "{} queries", listed.len());
    let out = dir.path().join("rolegraph.json");
    run(
        Command::new(env!("CARGO_BIN_EXE_rolegraph"))
            .arg("--data")
            .arg(dir.path().join("2000"))
            .args(["bench", "--runs", "1", "--warmup", "1", "--queries"])
            .arg(&qfile)
            .arg("--out")
            .arg(&out),
        "rolegraph bench",
    );
    let mine: Json = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let mut wrong = Vec::new();
    for q in listed {
        let id = q["id"].as_str().unwrap();
        let Some(expected) = golden["queries"].get(id) else {
            wrong.push(format!(
                "{id}: no agreed answer in peers_2000.json (run make_golden.py)"
            ));
            continue;
        };
        let ordered = expected["ordered"].as_bool().unwrap();
        let got = &mine["queries"][id];
        if let Some(e) = got.get("error") {
            wrong.push(format!("{id}: error {e}\n  {}", q["text"]));
        } else if rows(&got["result"], ordered) != rows(&expected["result"], ordered) {
            wrong.push(format!(
                "{id}: rolegraph {}\n  peers {}\n  {}",
                got["result"], expected["result"], q["text"]
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} queries differ:\n{}",
        wrong.len(),
        listed.len(),
        wrong.join("\n")
    );
}
