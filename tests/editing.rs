//! Editing the graph: every statement is all or nothing (an error or a
//! cancellation at any row leaves the graph exactly as before it, indexes
//! and statistics included), a script can run as one unit (`--atomic`),
//! and the changes of the last statements can be undone and redone.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use assert_cmd::Command;
use rolegraph::{Graph, Session, Value};

fn rolegraph() -> Command {
    let mut c = Command::cargo_bin("rolegraph").expect("binary builds");
    c.env("NO_COLOR", "1").env_remove("RUST_BACKTRACE");
    c
}

/// Everything a query or a front end can observe of a graph, as text:
/// every node and relationship with labels, type and properties, the
/// counts per label and type, the property keys, the id and alias indexes.
fn fingerprint(g: &Graph) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    writeln!(s, "{} nodes, {} rels", g.node_count(), g.rel_count()).unwrap();
    for n in g.nodes() {
        let node = g.node(n);
        let labels: Vec<_> = node.labels().collect();
        writeln!(s, "{n:?} {labels:?} {:?}", node.props().to_map()).unwrap();
        assert_eq!(g.node_by_key(node.key().unwrap_or("\u{0}none")), node.key().map(|_| n));
    }
    for r in g.rels() {
        let rel = g.rel(r);
        writeln!(
            s,
            "{r:?} {:?}-[{}]->{:?} {:?}",
            rel.start(),
            rel.rel_type(),
            rel.end(),
            rel.props().to_map()
        )
        .unwrap();
    }
    writeln!(s, "labels {:?}", g.label_counts()).unwrap();
    writeln!(s, "types {:?}", g.rel_type_counts()).unwrap();
    writeln!(s, "keys {:?}", g.property_keys()).unwrap();
    let mut ids: Vec<_> = g.keys().collect();
    ids.sort();
    writeln!(s, "ids {ids:?}").unwrap();
    let mut aliases: Vec<_> = g.aliases().map(|(a, ns)| format!("{a}={ns:?}")).collect();
    aliases.sort();
    writeln!(s, "aliases {aliases:?}").unwrap();
    for n in g.nodes() {
        for d in [
            rolegraph::store::Direction::Outgoing,
            rolegraph::store::Direction::Incoming,
        ] {
            writeln!(s, "{n:?} {d:?} {:?} {}", g.neighbours(n, d, None), g.degree(n, d, None)).unwrap();
        }
    }
    s
}

/// A small deterministic generator (no dependence on time or machine).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// Statements that change the graph and then fail at row `k` of `n`.
fn failing_at(k: u64, n: u64) -> Vec<String> {
    vec![
        format!(
            "UNWIND range(1, {n}) AS i CREATE (:X {{i: i, name: 'x' + i}}) WITH i CREATE (:Y {{v: 1 / (i - {k})}})"
        ),
        format!(
            "MATCH (r:Role) WITH r LIMIT 3 UNWIND range(1, {n}) AS i CREATE (r)-[:TEMP {{i: i}}]->(:Z {{id: 'z' + i, aliases: ['ZZ' + i]}}) WITH i CREATE (:W {{w: 10 / (i - {k})}})"
        ),
        format!(
            "UNWIND range(1, {n}) AS i CREATE (:Role {{id: 'role-' + i}}) WITH i CREATE ({{id: 'role-' + ({k} - i + 1)}})"
        ),
    ]
}

#[test]
fn a_statement_failing_at_any_row_leaves_the_graph_as_it_was() {
    let mut s = Session::builtin().expect("built-in graph");
    // Some earlier edits, so the journal has work before the mark.
    s.run("CREATE (:Kept {id: 'kept', aliases: ['KP']})-[:KEPT_REL {w: 1}]->(:Kept2)")
        .unwrap();
    let before = fingerprint(s.graph());
    let mut rng = Lcg(7);
    for _ in 0..12 {
        let n = 2 + rng.next(40);
        let k = 1 + rng.next(n);
        for q in failing_at(k, n) {
            let e = s.run(&q).expect_err(&q);
            assert!(matches!(e, rolegraph::Error::Query(_)), "{q}: {e}");
            assert_eq!(fingerprint(s.graph()), before, "after {q}");
        }
    }
    // The graph still takes edits afterwards, and they keep.
    s.run("CREATE (:After {id: 'after'})").unwrap();
    assert!(s.graph().node_by_key("after").is_some());
}

#[test]
fn a_cancelled_or_row_limited_statement_leaves_the_graph_as_it_was() {
    let mut s = Session::builtin().expect("built-in graph");
    let before = fingerprint(s.graph());
    let mut rng = Lcg(11);
    for _ in 0..10 {
        // A cancel flag already set stops the statement at its first
        // check (after a fixed number of units of work): where in the
        // CREATE that falls depends on the sizes, chosen at random.
        let n = 300 + rng.next(3000);
        let flag = Arc::new(AtomicBool::new(true));
        s.limits_mut().cancel = Some(flag);
        let q = format!("UNWIND range(1, {n}) AS i CREATE (:X {{i: i}})-[:R]->(:Y {{id: 'y' + i}})");
        let e = s.run(&q).expect_err("cancelled");
        assert!(e.to_string().contains("cancelled"), "{e}");
        assert_eq!(fingerprint(s.graph()), before);
        s.limits_mut().cancel = None;
        // A row budget passed part-way.
        let max = 1 + rng.next(n);
        s.limits_mut().max_rows = Some(max as usize);
        let e = s.run(&q).expect_err("row limit");
        assert!(e.to_string().contains("max-rows"), "{e}");
        assert_eq!(fingerprint(s.graph()), before);
        s.limits_mut().max_rows = None;
    }
}

#[test]
fn undo_takes_back_statements_one_by_one_and_redo_makes_them_again() {
    let mut s = Session::builtin().expect("built-in graph");
    let original = fingerprint(s.graph());
    let mut states = vec![original.clone()];
    for i in 0..120 {
        let q = match i % 3 {
            0 => format!("CREATE (:U {{id: 'u{i}', aliases: ['UU{i}'], i: {i}}})"),
            1 => format!("MATCH (r:Role) WITH r LIMIT 2 CREATE (r)-[:UR {{i: {i}}}]->(:V {{k{i}: true}})"),
            _ => format!("UNWIND range(1, 5) AS j CREATE (:W{i} {{j: j}})"),
        };
        s.run(&q).unwrap();
        states.push(fingerprint(s.graph()));
    }
    // A statement that changes nothing is not an undo step.
    s.run("MATCH (r:Role) RETURN count(r)").unwrap();
    assert_eq!(s.undo_depth(), (120, 0));
    for i in (0..120).rev() {
        assert!(s.undo().is_some());
        assert_eq!(fingerprint(s.graph()), states[i], "after undoing to step {i}");
    }
    assert_eq!(s.undo(), None);
    assert_eq!(fingerprint(s.graph()), original);
    assert!(s.is_dirty(), "undone changes still count as unsaved");
    for (i, state) in states.iter().enumerate().skip(1).take(60) {
        assert!(s.redo().is_some());
        assert_eq!(&fingerprint(s.graph()), state, "after redoing step {i}");
    }
    // A new statement forgets what could be redone.
    s.run("CREATE (:Fresh)").unwrap();
    assert_eq!(s.redo(), None);
    assert_eq!(s.undo_depth(), (61, 0));
}

#[test]
fn a_failing_script_keeps_the_statements_before_the_failure() {
    let out = rolegraph()
        .args([
            "-e",
            "CREATE (:A {id: 'a1'}); CREATE (:A {id: 'a2'}) WITH 1 AS x CREATE (:A {v: 1 / 0})",
            "-e",
            "MATCH (a:A) RETURN a.id",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 node created"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("division by zero"), "{stderr}");
}

#[test]
fn atomic_runs_the_whole_script_as_one_unit() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("g");
    let script = dir.path().join("edit.cypher");
    std::fs::write(
        &script,
        "CREATE (:A {id: 'a1'});\nCREATE (:A {id: 'a2'});\nCREATE (:A {id: 'a1'});\n",
    )
    .unwrap();
    // The third statement fails (a duplicate id): nothing of the script
    // stays, and nothing is saved.
    let out = rolegraph()
        .args(["--atomic", "-f"])
        .arg(&script)
        .arg("--save")
        .arg(&save)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the changes of 2 statements were taken back"),
        "{stderr}"
    );
    assert!(!save.exists());
    // Without --atomic the two statements before the failure stay.
    rolegraph()
        .arg("-f")
        .arg(&script)
        .arg("--save")
        .arg(&save)
        .assert()
        .code(1);
    assert!(!save.exists(), "--save writes only after a script without errors");
    // A script that runs through keeps everything, saved once.
    std::fs::write(&script, "CREATE (:A {id: 'a1'});\nCREATE (:A {id: 'a2'});\n").unwrap();
    rolegraph()
        .args(["--atomic", "-f"])
        .arg(&script)
        .arg("--save")
        .arg(&save)
        .assert()
        .success();
    let out = rolegraph()
        .arg("--data")
        .arg(&save)
        .args(["--format", "csv", "-e", "MATCH (a:A) RETURN a.id ORDER BY a.id"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a.id\r\na1\r\na2\r\n");
}

/// The first `n` nodes by id, one row each with its position `i`.
fn rows_of(n: u64) -> String {
    format!(
        "MATCH (r) WITH r ORDER BY r.id LIMIT {n} WITH collect(r) AS rs \
         UNWIND range(0, size(rs) - 1) AS i WITH rs[i] AS r, i"
    )
}

/// One statement per editing clause (and form), each failing inside that
/// clause at row `k` of `n`, after the rows before it were changed.
fn clause_failing_at(k: u64, n: u64, tag: u64) -> Vec<(&'static str, String)> {
    let p = rows_of(n);
    vec![
        (
            "SET property",
            format!("{p} SET r.name = 'renamed ' + i, r.v = 1 / (i - {k})"),
        ),
        (
            "SET +=",
            format!("{p} SET r += {{name: 'm' + i, aliases: ['ALIAS' + i], w: 10 / (i - {k})}}"),
        ),
        (
            "SET = (new ids)",
            format!("{p} SET r = {{id: 'new-{tag}-' + i, name: 'n' + i}}, r.v = 1 / (i - {k})"),
        ),
        ("SET labels", format!("{p} SET r:Edited:Twice, r.v = 1 / (i - {k})")),
        (
            "REMOVE",
            format!("{p} REMOVE r.name, r:Role, CASE WHEN i = {k} THEN 1 / 0 ELSE r END.aliases"),
        ),
        (
            "DETACH DELETE",
            format!("{p} DETACH DELETE CASE WHEN i = {k} THEN 1 / 0 ELSE r END"),
        ),
        (
            "DELETE relationships",
            format!("{p} OPTIONAL MATCH (r)-[x]->() DELETE x, CASE WHEN i = {k} THEN 1 / 0 END"),
        ),
        (
            "DELETE connected nodes",
            format!(
                "{p} CREATE (r)-[:HOLD]->(:Anchor) WITH r, i OPTIONAL MATCH (r)-[x]-() \
                 WITH r, i, collect(x) AS xs DELETE r, CASE WHEN i <> {k} THEN xs END"
            ),
        ),
        (
            "MERGE pattern",
            format!(
                "{p} MERGE (r)-[:MERGED {{i: i}}]->(m:Merged {{k: i % 5}}) \
                 ON CREATE SET m.c = 10 / (i - {k}) ON MATCH SET m.c = m.c + 1"
            ),
        ),
        (
            "MERGE node",
            format!(
                "{p} MERGE (m:Merged {{id: 'merged-' + (i % 3)}}) \
                 ON CREATE SET m.first = 10 / (i - {k}) ON MATCH SET m.seen = 10 / (i - {k})"
            ),
        ),
        (
            "SET on relationships",
            format!(
                "{p} OPTIONAL MATCH (r)-[x]->() SET x.w = i, x += {{note: 'n' + i}} WITH i WHERE i = {k} RETURN 1 / 0"
            ),
        ),
    ]
}

#[test]
fn every_editing_clause_failing_at_any_row_leaves_the_graph_as_it_was() {
    let mut s = Session::builtin().expect("built-in graph");
    s.run("CREATE (:Kept {id: 'kept', aliases: ['KP']})-[:KEPT_REL {w: 1}]->(:Kept2)")
        .unwrap();
    let before = fingerprint(s.graph());
    let mut rng = Lcg(23);
    let mut failed = std::collections::BTreeMap::new();
    for _ in 0..8 {
        let n = 2 + rng.next(60);
        let k = rng.next(n);
        for (what, q) in clause_failing_at(k, n, 0) {
            let e = s.run(&q).expect_err(&q);
            assert!(matches!(e, rolegraph::Error::Query(_)), "{what}: {q}: {e}");
            assert_eq!(fingerprint(s.graph()), before, "{what}: after {q}");
            *failed.entry(what).or_insert(0) += 1;
        }
    }
    assert_eq!(failed.len(), 11, "{failed:?}");
    assert_eq!(s.undo_depth(), (1, 0), "a failed statement is no undo step");
}

#[test]
fn every_editing_clause_is_undone_and_redone_exactly() {
    let mut s = Session::builtin().expect("built-in graph");
    let original = fingerprint(s.graph());
    let mut states = vec![original.clone()];
    // Each statement of the list, run through (the failing row is past the end).
    let mut rng = Lcg(5);
    let mut done = 0;
    for round in 0..3 {
        let n = 2 + rng.next(30);
        for (what, q) in clause_failing_at(1000, n, round) {
            s.run(&q).unwrap_or_else(|e| panic!("{what}: {q}: {e}"));
            states.push(fingerprint(s.graph()));
            done += 1;
        }
    }
    assert_eq!(s.undo_depth().0, done);
    for i in (0..done).rev() {
        assert!(s.undo().is_some());
        assert_eq!(fingerprint(s.graph()), states[i], "undoing to step {i}");
    }
    assert_eq!(fingerprint(s.graph()), original);
    for (i, state) in states.iter().enumerate().skip(1) {
        assert!(s.redo().is_some());
        assert_eq!(&fingerprint(s.graph()), state, "redoing step {i}");
    }
}

#[test]
fn a_statement_of_every_editing_clause_cancelled_anywhere_leaves_the_graph_as_it_was() {
    // A cancel flag set before the statement stops it at the first check,
    // every 256 units of work. One statement goes through every clause,
    // each working on every row; with the number of rows drawn at random,
    // the check falls in a different clause (or after the last one: then
    // the statement succeeds, and undo must take it back).
    let mut s = Session::builtin().expect("built-in graph");
    let before = fingerprint(s.graph());
    let mut rng = Lcg(31);
    let (mut cancelled, mut finished) = (0, 0);
    for _ in 0..40 {
        let n = 1 + rng.next(200);
        let q = format!(
            "UNWIND range(1, {n}) AS i CREATE (x:T {{id: 't' + i, i: i}}) \
             SET x.a = i, x:L, x += {{b: i}} \
             REMOVE x.i, x:T \
             MERGE (m:M {{k: i % 7}}) ON CREATE SET m.c = 1 ON MATCH SET m.c = m.c + 1 \
             MERGE (x)-[:IN]->(m) \
             WITH x, m, i WHERE i % 2 = 0 \
             DETACH DELETE x"
        );
        s.limits_mut().cancel = Some(Arc::new(AtomicBool::new(true)));
        let r = s.run(&q);
        s.limits_mut().cancel = None;
        match r {
            Err(e) => {
                assert!(e.to_string().contains("cancelled"), "{e}");
                cancelled += 1;
            }
            Ok(_) => {
                finished += 1;
                assert!(s.undo().is_some());
            }
        }
        assert_eq!(fingerprint(s.graph()), before, "{n} rows");
    }
    assert!(
        cancelled > 20 && finished > 0,
        "{cancelled} cancelled, {finished} finished"
    );
}

/// The warnings of a statement, as text.
fn warnings(s: &mut Session, q: &str) -> String {
    let rows = s.run(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    rows.warnings
        .iter()
        .map(|w| format!("{w:?}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn an_edit_leaving_a_fact_without_sources_is_warned_and_counted_at_save() {
    let mut s = Session::builtin().expect("built-in graph");
    let link = "MATCH (a:Role {id: 'chief-technology-officer'}), (b:Role {id: 'chief-information-officer'}) ";
    // No sources: the warning names the rule and the relationship.
    let w = warnings(&mut s, &format!("{link} CREATE (a)-[:REPORTS_TO]->(b)"));
    assert!(
        w.contains("every relationship lists in `sources` the Source nodes"),
        "{w}"
    );
    assert!(
        w.contains("(chief-technology-officer)-[:REPORTS_TO]->(chief-information-officer)"),
        "{w}"
    );
    // Sources naming Source nodes: no warning; naming something else: one.
    let w = warnings(
        &mut s,
        &format!("{link} CREATE (a)-[:COLLABORATES_WITH {{sources: ['cpo-vs-cto']}}]->(b)"),
    );
    assert!(w.is_empty(), "{w}");
    let w = warnings(
        &mut s,
        &format!("{link} CREATE (b)-[:REPORTS_TO {{sources: ['chief-executive-officer']}}]->(a)"),
    );
    assert!(w.contains("citing no source"), "{w}");
    // A user's own Source node makes a citation.
    warnings(
        &mut s,
        "CREATE (:Source {id: 'acme-org-chart', title: 'Acme organisation chart'})",
    );
    let w = warnings(
        &mut s,
        &format!("{link} CREATE (b)-[:WORKS_WITH {{sources: ['acme-org-chart']}}]->(a)"),
    );
    assert!(w.is_empty(), "{w}");
    // Taking the sources off a fact, or a node without them, is warned too.
    let w = warnings(
        &mut s,
        "MATCH (:Role {id: 'chief-product-officer'})-[r:LEADS]->() SET r.sources = null",
    );
    assert!(w.contains("citing no source"), "{w}");
    let w = warnings(&mut s, "CREATE (:Team {id: 'platform-team', name: 'Platform team'})");
    assert!(w.contains("every node other than a Source"), "{w}");
    // Saving says how many facts cite nothing.
    let dir = tempfile::tempdir().unwrap();
    let saved = s.save(&dir.path().join("kb")).unwrap().to_string();
    let leads = s
        .run("MATCH (:Role {id: 'chief-product-officer'})-[r:LEADS]->() RETURN count(r)")
        .unwrap()
        .rows[0][0]
        .clone();
    let Value::Int(leads) = leads else { panic!("{leads:?}") };
    assert!(
        saved.contains(&format!("{} relationships and 1 node cite no source", 2 + leads)),
        "{saved}"
    );
    // Undone, the graph cites everything again, and the save says nothing.
    while s.undo().is_some() {}
    let saved = s.save(&dir.path().join("kb2")).unwrap().to_string();
    assert!(!saved.contains("no source"), "{saved}");
    // A graph that never cited sources is not held to the rule.
    let mut s = Session::new(Graph::new("plain"));
    let w = warnings(&mut s, "CREATE (:A)-[:R]->(:B)");
    assert!(w.is_empty(), "{w}");
}
