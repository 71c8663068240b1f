//! `--connect bolt://` and `neo4j://` (built with `--features bolt`):
//! the built-in graph pushed to a Bolt 5 server, then statements through
//! `--connect` compared with the local engine.
//!
//! - `kglite-bolt-server` (crates.io) is the peer that runs here. It is not
//!   built by the tests (it takes long): `cargo install kglite-bolt-server
//!   --root ~/.cache/rolegraph/kglite-bolt-server`, or name the binary in
//!   ROLEGRAPH_KGLITE_BOLT. Without it the test skips, saying so.
//! - A real Neo4j or Memgraph is used when ROLEGRAPH_NEO4J_URI or
//!   ROLEGRAPH_MEMGRAPH_URI names one (the graph there is replaced).

#[macro_use]
mod falkor_server;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use falkor_server::{free_port, run, skip};

/// kglite-bolt-server on a free 127.0.0.1 port, stopped by its pid.
struct Kglite {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Kglite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where kglite-bolt-server is looked for: ROLEGRAPH_KGLITE_BOLT (the
/// binary), then PATH, then the cache directory the install command below
/// fills.
fn kglite_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ROLEGRAPH_KGLITE_BOLT") {
        return Some(PathBuf::from(p));
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join(KGLITE)).collect::<Vec<_>>())
        .unwrap_or_default();
    let cached = dirs::home_dir().map(|h| h.join(".cache/rolegraph/kglite-bolt-server/bin").join(KGLITE));
    on_path.into_iter().chain(cached).find(|p| p.is_file())
}

const KGLITE: &str = "kglite-bolt-server";

fn kglite() -> Result<Kglite, String> {
    let bin = kglite_binary().ok_or(
        "kglite-bolt-server is not installed: not on PATH, not in ~/.cache/rolegraph/kglite-bolt-server/bin, and ROLEGRAPH_KGLITE_BOLT is not set (install it once with: cargo install kglite-bolt-server --root ~/.cache/rolegraph/kglite-bolt-server; the tests do not build it, it takes about 25 minutes)",
    )?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let port = free_port()?;
    let child = Command::new(&bin)
        .arg("--graph")
        .arg(dir.path().join("roles.kgl"))
        .args([
            "--storage",
            "memory",
            "--bind",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let child = falkor_server::accepting(child, port, "kglite-bolt-server")?;
    Ok(Kglite { child, port, _dir: dir })
}

/// Nodes as their `id` property, relationships as [type, start, end]:
/// what a graph value says without its properties.
fn skeleton(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::Object(o) if o.contains_key("labels") && o.contains_key("properties") => {
            o.get("id").cloned().unwrap_or(J::Null)
        }
        J::Object(o) if o.contains_key("start") && o.contains_key("end") && o.contains_key("type") => {
            J::Array(vec![o["type"].clone(), o["start"].clone(), o["end"].clone()])
        }
        J::Object(o) => J::Object(o.iter().map(|(k, v)| (k.clone(), skeleton(v))).collect()),
        J::Array(a) => J::Array(a.iter().map(skeleton).collect()),
        other => other.clone(),
    }
}

/// Pushes the built-in graph to `url`, pulls it back, and compares the
/// graph and statements with the local engine. `own`: the properties the
/// server adds to nodes of its own (kglite-bolt-server: `title`, `type`;
/// docs/CONFORMANCE.md); where there are some, statements compare nodes and
/// relationships without their properties and DESCRIBE, which lists them,
/// is left out.
fn differential(url: &str, own: &[&str]) {
    let o = run(&["push", "--replace", "--connect", url]);
    assert_eq!(o.code, 0, "push: {}", o.stderr);
    let local_count = run(&["--format", "csv", "-e", "MATCH (n) RETURN count(n) AS n"]);
    let remote_count = run(&[
        "--connect",
        url,
        "--format",
        "csv",
        "-e",
        "MATCH (n) RETURN count(n) AS n",
    ]);
    assert_eq!(remote_count.stdout, local_count.stdout, "{}", remote_count.stderr);
    // Push then pull gives the same graph: the same nodes, labels and
    // properties (but those the server adds of its own), and the same
    // relationships with theirs.
    let dir = tempfile::tempdir().unwrap();
    let pulled = dir.path().join("pulled");
    let o = run(&["pull", "--connect", url, "-o", pulled.to_str().unwrap()]);
    assert_eq!(o.code, 0, "pull: {}", o.stderr);
    let counts = |args: &[&str]| {
        let q = |text: &str| {
            let o = run(&[args, &["--format", "csv", "-e", text]].concat());
            assert_eq!(o.code, 0, "{text}: {}", o.stderr);
            o.stdout.lines().nth(1).unwrap_or_default().to_string()
        };
        (q("MATCH (n) RETURN count(n)"), q("MATCH ()-[r]->() RETURN count(r)"))
    };
    let (nodes, rels) = counts(&[]);
    assert!(
        o.stderr
            .contains(&format!("pulled {nodes} nodes and {rels} relationships")),
        "{}",
        o.stderr
    );
    let from_pull = ["--data", pulled.to_str().unwrap()];
    assert_eq!(counts(&from_pull), (nodes, rels));
    let rows = |args: &[&str], q: &str| -> Vec<serde_json::Value> {
        let o = run(&[args, &["--format", "jsonl", "-e", q]].concat());
        assert_eq!(o.code, 0, "{q}: {}", o.stderr);
        o.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let q = "MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS p";
    let by_id = |rows: Vec<serde_json::Value>| -> std::collections::BTreeMap<String, serde_json::Value> {
        rows.into_iter().map(|r| (r["id"].to_string(), r)).collect()
    };
    let mine = by_id(rows(&[], q));
    let mut theirs = by_id(rows(&from_pull, q));
    for (id, row) in theirs.iter_mut() {
        let local = mine.get(id).and_then(|m| m["p"].as_object());
        if let (Some(p), Some(local)) = (row["p"].as_object_mut(), local) {
            p.retain(|k, _| local.contains_key(k) || !own.contains(&k.as_str()));
        }
    }
    assert_eq!(theirs, mine);
    let q = "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, properties(r) AS p";
    let sorted = |mut v: Vec<serde_json::Value>| {
        v.sort_by_key(|r| r.to_string());
        v
    };
    assert_eq!(sorted(rows(&from_pull, q)), sorted(rows(&[], q)));
    check_statements(url, own.is_empty());
}

/// The statements of [`differential`], through `url` and locally.
fn check_statements(url: &str, all_properties: bool) {
    let mut statements = vec![
        "MATCH (r:Role) RETURN r.name ORDER BY r.name",
        "MATCH (r:Role)-[x:REQUIRES]->(:Skill {id: 'leadership'}) RETURN r.name AS role, x.sources AS sources ORDER BY role",
        "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n ORDER BY t",
        "OVERLAP chief-information-officer, CTO, CPO",
        "DIFF CTO, chief-innovation-officer",
        "PATH \"Chief Innovation Officer\" TO chief-executive-officer",
        "PATH CPO TO chief-executive-officer ALL",
        "MATCH p = (:Role {id: 'chief-technology-officer'})-[:REPORTS_TO]->(b) RETURN p ORDER BY b.id",
        "MATCH p = (:Role {id: 'chief-innovation-officer'})-[:COLLABORATES_WITH]-(m) RETURN p, m ORDER BY m.id",
    ];
    if all_properties {
        statements.extend(["DESCRIBE CTO", "DESCRIBE 'Technology Visionary'"]);
    }
    for q in statements {
        let mine = run(&["--format", "json", "-e", q]);
        let theirs = run(&["--connect", url, "--format", "json", "-e", q]);
        assert_eq!(theirs.code, 0, "{q}: {}", theirs.stderr);
        if all_properties {
            assert_eq!(theirs.stdout, mine.stdout, "{q}");
        } else {
            let a: serde_json::Value = serde_json::from_str(&mine.stdout).unwrap();
            let b: serde_json::Value = serde_json::from_str(&theirs.stdout).unwrap();
            assert_eq!(skeleton(&b), skeleton(&a), "{q}");
        }
    }
    // A mistake keeps its caret; a reference is resolved as locally.
    let o = run(&["--connect", url, "-e", "DESCRIBE CIO"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("'CIO' is ambiguous"), "{}", o.stderr);
}

#[test]
fn bolt_statements_agree_with_the_local_engine_on_kglite() {
    if !cfg!(feature = "bolt") {
        return skip("built without --features bolt (cargo test --release --features bolt --test bolt)");
    }
    // kglite-bolt-server is optional even where ROLEGRAPH_REQUIRE_FALKORDB
    // makes a missing FalkorDB fail.
    let server = match kglite() {
        Ok(s) => s,
        Err(why) => return skip(&why),
    };
    differential(&format!("bolt://127.0.0.1:{}", server.port), &["title", "type"]);
}

#[test]
fn bolt_statements_agree_on_neo4j_and_memgraph_when_named() {
    if !cfg!(feature = "bolt") {
        return skip("built without --features bolt (cargo test --release --features bolt --test bolt)");
    }
    for var in ["ROLEGRAPH_NEO4J_URI", "ROLEGRAPH_MEMGRAPH_URI"] {
        match std::env::var(var) {
            Ok(url) => differential(&url, &[]),
            Err(_) => skip(&format!("{var} is not set")),
        }
    }
}

#[test]
fn a_bolt_server_that_is_down_is_a_clear_error() {
    if !cfg!(feature = "bolt") {
        let o = run(&["--connect", "bolt://127.0.0.1:1", "-e", "RETURN 1"]);
        assert_ne!(o.code, 0, "{}", o.stderr);
        assert!(o.stderr.contains("--features bolt"), "{}", o.stderr);
        return;
    }
    let port = free_port().unwrap();
    let url = format!("bolt://127.0.0.1:{port}");
    let o = run(&["--connect", &url, "-e", "RETURN 1"]);
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains(&format!("cannot reach {url}")), "{}", o.stderr);
}
