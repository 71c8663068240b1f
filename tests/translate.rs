//! TRANSLATE prints plain openCypher for rolegraph's own statements. The
//! translations are checked the only way that means anything: running them
//! here and comparing with what the statement itself returns.

use std::collections::BTreeSet;

use rolegraph::{Rows, Session, Value};

fn session() -> Session {
    Session::builtin().expect("built-in graph loads")
}

fn translated(s: &mut Session, stmt: &str) -> Vec<String> {
    let rows = s
        .run(&format!("TRANSLATE {stmt}"))
        .unwrap_or_else(|e| panic!("TRANSLATE {stmt}: {e}"));
    assert_eq!(rows.columns, ["cypher"]);
    rows.rows
        .iter()
        .map(|r| r[0].as_str().expect("a string").to_string())
        .collect()
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        other => other.to_string(),
    }
}

/// The named columns of every row, as a set of tuples.
fn set(rows: &Rows, cols: &[&str]) -> BTreeSet<Vec<String>> {
    let idx: Vec<usize> = cols
        .iter()
        .map(|c| {
            rows.columns
                .iter()
                .position(|x| x == c)
                .unwrap_or_else(|| panic!("no column {c} in {:?}", rows.columns))
        })
        .collect();
    rows.rows
        .iter()
        .map(|r| idx.iter().map(|&i| text(&r[i])).collect())
        .collect()
}

#[test]
fn describe_translates_to_the_same_relationships() {
    let mut s = session();
    let native = s.run("DESCRIBE CTO").unwrap();
    let t = translated(&mut s, "DESCRIBE CTO");
    assert_eq!(t.len(), 2);
    assert!(t.iter().all(|q| q.ends_with(';')));
    let rels = s.run(&t[1]).unwrap();
    assert_eq!(
        set(&rels, &["direction", "type", "id"]),
        set(&native, &["direction", "type", "id"])
    );
    let node = s.run(&t[0]).unwrap();
    assert_eq!(node.rows.len(), 1);
    assert_eq!(text(&node.rows[0][0]), "chief-technology-officer");
}

#[test]
fn overlap_translates_to_the_same_shared_region() {
    let mut s = session();
    let native = s.run("OVERLAP CTO, CPO").unwrap();
    let t = translated(&mut s, "OVERLAP CTO, CPO");
    assert_eq!(t.len(), 3, "the shared region and each node's own part");
    let shared = s.run(&t[0]).unwrap();
    let native_shared: BTreeSet<Vec<String>> = native
        .rows
        .iter()
        .filter(|r| text(&r[0]) == "all")
        .map(|r| vec![text(&r[1]), text(&r[2])])
        .collect();
    // OVERLAP also follows COLLABORATES_WITH and SIMILAR_TO both ways; the
    // translation follows stored directions, so compare the directed types.
    let directed = |set: BTreeSet<Vec<String>>| -> BTreeSet<Vec<String>> {
        set.into_iter()
            .filter(|r| r[0] != "COLLABORATES_WITH" && r[0] != "SIMILAR_TO")
            .collect()
    };
    let got = directed(set(&shared, &["type", "id"]));
    assert!(!got.is_empty(), "the CTO and the CPO share responsibilities");
    assert_eq!(got, directed(native_shared));
    for q in &t[1..] {
        s.run(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    }
}

#[test]
fn diff_translates_to_the_same_opposite_poles() {
    let mut s = session();
    let native = s.run("DIFF CTO, chief-innovation-officer").unwrap();
    let t = translated(&mut s, "DIFF CTO, chief-innovation-officer");
    assert_eq!(t.len(), 3);
    let opposite = s.run(&t[2]).unwrap();
    let dims: BTreeSet<String> = opposite.rows.iter().map(|r| text(&r[1])).collect();
    let native_has = |dim: &str| {
        native
            .rows
            .iter()
            .any(|r| text(&r[0]) == "opposite" && r.iter().any(|v| text(v).contains(dim)))
    };
    assert!(dims.contains("execution-ideation"), "{dims:?}");
    assert!(native_has("execution-ideation"));
    for q in &t[..2] {
        assert!(!s.run(q).unwrap().rows.is_empty(), "{q}");
    }
}

#[test]
fn path_translates_to_the_same_hop_count() {
    let mut s = session();
    let stmt = "PATH CPO TO chief-executive-officer VIA REPORTS_TO|COLLABORATES_WITH ALL";
    let native = s.run(stmt).unwrap();
    let t = translated(&mut s, stmt);
    let rows = s.run(&t[0]).unwrap();
    assert!(!rows.rows.is_empty());
    let hops = match rows.rows[0][0] {
        Value::Int(h) => h,
        ref other => panic!("hops: {other:?}"),
    };
    let native_hops = native.rows.iter().filter(|r| text(&r[0]) == "1").count() as i64;
    assert_eq!(hops, native_hops, "the first path's steps");
}

#[test]
fn a_plain_query_translates_to_itself() {
    let mut s = session();
    let q = "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN r.name AS role, count(t) AS teams ORDER BY teams DESC, role";
    let t = translated(&mut s, q);
    assert_eq!(t.len(), 1);
    let cols = ["role", "teams"];
    assert_eq!(set(&s.run(&t[0]).unwrap(), &cols), set(&s.run(q).unwrap(), &cols));
}

#[test]
fn references_resolve_as_elsewhere_and_nested_statements_are_refused() {
    let mut s = session();
    let err = s.run("TRANSLATE DESCRIBE CIO").unwrap_err().to_string();
    assert!(err.contains("ambiguous"), "{err}");
    let err = s.run("TRANSLATE EXPLAIN DESCRIBE CTO").unwrap_err().to_string();
    assert!(err.contains("TRANSLATE takes"), "{err}");
}
