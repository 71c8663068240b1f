//! Parse, plan and run arbitrary text with a row and a time limit: rows or
//! an error, never a panic, a stack overflow or a hang. The statements run
//! one by one on a private copy of a small graph (the built-in knowledge
//! base, or a tiny edited graph when the input's first byte is odd), so
//! the editing clauses (CREATE, SET, REMOVE, DELETE, MERGE) change it, and
//! after each statement:
//! - a statement that failed (an error at any row, a cancellation by the
//!   time or row limit) left the graph exactly as it was before it;
//! - one that changed the graph is undone back to exactly the state before
//!   it and redone to exactly the state after it.
//!
//! Both graphs start with named property indexes, and CREATE INDEX, DROP
//! INDEX and SHOW INDEXES are in the dictionary and the seeds: the state
//! compared includes every named index's definition and entries, and each
//! index is checked against the nodes it covers after every statement.
#![no_main]

use std::fmt::Write;
use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use rolegraph::store::{Direction, IndexKey};
use rolegraph::{Graph, Session};

fn builtin() -> &'static Graph {
    static GRAPH: OnceLock<Graph> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let mut s = Session::new(rolegraph::load::builtin().expect("the built-in graph loads"));
        s.run("CREATE INDEX role_name FOR (n:Role) ON (n.name); CREATE INDEX FOR (n:Team) ON (n.id)")
            .expect("the indexes build");
        s.graph().clone()
    })
}

/// A few nodes and relationships with ids, aliases, several labels and a
/// deleted node, so edits meet every index.
fn tiny() -> &'static Graph {
    static GRAPH: OnceLock<Graph> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let mut s = Session::new(Graph::new("tiny"));
        s.run(
            "CREATE (a:Role:Exec {id: 'a', name: 'Alpha', aliases: ['A1'], n: 1})-[:LEADS {w: 1}]->\
             (b:Team {id: 'b', name: 'Beta', n: 2})-[:WORKS_WITH]->(c:Skill {id: 'c', n: 3}), \
             (a)-[:REQUIRES {sources: ['s']}]->(c), (d {n: 4})-[:R]->(d), (:Gone {id: 'gone'});\
             MATCH (g:Gone) DELETE g; CREATE INDEX exec_n FOR (n:Exec) ON (n.n); \
             CREATE INDEX FOR (n:Skill) ON (n.id)",
        )
        .expect("the tiny graph builds");
        s.graph().clone()
    })
}

/// Everything a query can observe of the graph, as text.
fn fingerprint(g: &Graph) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} {}", g.node_count(), g.rel_count());
    for n in g.nodes() {
        let node = g.node(n);
        let labels: Vec<_> = node.labels().collect();
        let _ = writeln!(s, "{n:?} {labels:?} {:?}", node.props().to_map());
        for d in [Direction::Outgoing, Direction::Incoming] {
            let _ = writeln!(s, " {d:?} {:?} {}", g.neighbours(n, d, None), g.degree(n, d, None));
        }
        if let Some(k) = node.key() {
            assert_eq!(g.node_by_key(k), Some(n), "the id index finds {k}");
        }
    }
    for r in g.rels() {
        let rel = g.rel(r);
        let _ = writeln!(
            s,
            "{r:?} {:?} {} {:?} {:?}",
            rel.start(),
            rel.rel_type(),
            rel.end(),
            rel.props().to_map()
        );
    }
    let _ = writeln!(s, "{:?} {:?}", g.label_counts(), g.rel_type_counts());
    let mut keys: Vec<_> = g.keys().collect();
    keys.sort();
    let mut aliases: Vec<_> = g.aliases().map(|(a, ns)| format!("{a}={ns:?}")).collect();
    aliases.sort();
    let _ = writeln!(s, "{:?} {keys:?} {aliases:?}", g.property_keys());
    for info in g.index_list() {
        let (label, key) = (info.def.label.as_str(), info.def.key.as_str());
        let ix = g.index(label, key).expect("a listed index is there");
        let entries: Vec<(IndexKey, _)> = ix.ascending().map(|(k, n)| (k.clone(), n)).collect();
        // The index holds exactly the nodes with the label and a non-null key.
        let mut expected: Vec<(IndexKey, _)> = g
            .nodes()
            .filter(|&n| g.node(n).labels().any(|l| l == label))
            .filter_map(|n| Some((IndexKey::of(g.node(n).props().get(key)?)?, n)))
            .collect();
        expected.sort();
        assert_eq!(entries, expected, "index {} agrees with the nodes", info.def.name);
        assert_eq!(info.entries, entries.len(), "SHOW INDEXES counts index {}", info.def.name);
        let _ = writeln!(s, "{:?} {entries:?}", info.def);
    }
    s
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let graph = if data.first().is_some_and(|b| b % 2 == 1) {
        tiny()
    } else {
        builtin()
    };
    let mut session = Session::new(graph.clone());
    let limits = session.limits_mut();
    limits.timeout = Some(Duration::from_millis(200));
    limits.max_rows = Some(5_000);
    // Parameters so `$x` sometimes binds.
    session.set_param("x", rolegraph::Value::Int(1));
    session.set_param("s", rolegraph::Value::str("CTO"));
    session.set_param("m", rolegraph::Value::map(Default::default()));
    let Ok(script) = rolegraph::syntax::parse_script(text) else {
        return;
    };
    for stmt in &script.statements {
        let before = fingerprint(session.graph());
        let (undo_before, _) = session.undo_depth();
        match session.run_statement(stmt, text) {
            Err(e) => {
                assert_eq!(
                    fingerprint(session.graph()),
                    before,
                    "a failed statement ({e}) left changes"
                );
            }
            Ok(_) if session.undo_depth().0 > undo_before => {
                let after = fingerprint(session.graph());
                assert!(session.undo().is_some());
                assert_eq!(fingerprint(session.graph()), before, "undo restores the state before");
                assert!(session.redo().is_some());
                assert_eq!(fingerprint(session.graph()), after, "redo restores the state after");
            }
            Ok(_) => {
                assert_eq!(
                    fingerprint(session.graph()),
                    before,
                    "a statement that is no undo step changed nothing"
                );
            }
        }
    }
});
