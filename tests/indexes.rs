//! Property indexes: CREATE INDEX, DROP INDEX and SHOW INDEXES (typed
//! errors with a caret, undo, unsaved changes), and every index kept equal
//! to what a fresh build would hold through every editing clause, undo,
//! redo and statements that fail part-way.

use assert_cmd::Command;
use rolegraph::error::Code;
use rolegraph::{Error, Graph, Session, Value};

fn rolegraph() -> Command {
    let mut c = Command::cargo_bin("rolegraph").expect("binary builds");
    c.env("NO_COLOR", "1").env_remove("RUST_BACKTRACE");
    c
}

/// Every index's entries, checked against the nodes: each node with the
/// label and a non-null value is there once, in ORDER BY's order (equal
/// values by node), and nothing else is. Returns a summary to compare states.
fn checked(g: &Graph) -> String {
    let mut out = String::new();
    for info in g.index_list() {
        let d = &info.def;
        let ix = g.index(&d.label, &d.key).expect("a listed index exists");
        let got: Vec<_> = ix.ascending().map(|(_, n)| n).collect();
        let mut want: Vec<_> = g
            .nodes_with_label(&d.label)
            .iter()
            .copied()
            .filter(|n| g.node(*n).prop(&d.key).is_some_and(|v| !v.is_null()))
            .collect();
        let key = |n: &rolegraph::store::NodeId| g.node(*n).prop(&d.key).cloned().unwrap_or(Value::Null);
        want.sort_by(|a, b| key(a).total_cmp(&key(b)).then(a.cmp(b)));
        assert_eq!(got, want, "index {} on :{}({})", d.name, d.label, d.key);
        assert_eq!(info.entries, want.len());
        out.push_str(&format!("{} :{}({}) {:?}\n", d.name, d.label, d.key, got));
    }
    out
}

fn code_of(e: &Error) -> Code {
    match e {
        Error::Query(q) => q.code,
        other => panic!("not a query error: {other}"),
    }
}

#[test]
fn index_statements_create_show_drop_with_typed_errors() {
    let mut s = Session::builtin().expect("built-in graph");
    assert!(!s.is_dirty());
    let rows = s.run("CREATE INDEX FOR (r:Role) ON (r.name)").unwrap();
    assert_eq!(rows.stats.indexes_added, 1);
    assert!(s.is_dirty(), "creating an index is an unsaved change");
    s.run("CREATE INDEX skill_id IF NOT EXISTS FOR (s:Skill) ON (s.id)")
        .unwrap();
    let shown = s.run("SHOW INDEXES").unwrap();
    assert_eq!(shown.columns, ["name", "label", "key", "entries"]);
    let names: Vec<&str> = shown.rows.iter().filter_map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["Role_name", "skill_id"]);
    let roles = s
        .run("MATCH (r:Role) WHERE r.name IS NOT NULL RETURN count(*)")
        .unwrap();
    assert_eq!(shown.rows[0][3].to_string(), roles.rows[0][0].to_string());
    checked(s.graph());

    let e = s.run("CREATE INDEX FOR (x:Role) ON (x.name)").unwrap_err();
    assert_eq!(code_of(&e), Code::EquivalentIndexExists);
    let e = s.run("CREATE INDEX skill_id FOR (x:Team) ON (x.name)").unwrap_err();
    assert_eq!(code_of(&e), Code::IndexAlreadyExists);
    let e = s.run("DROP INDEX skil_id").unwrap_err();
    assert_eq!(code_of(&e), Code::IndexNotFound);
    let Error::Query(q) = &e else { unreachable!() };
    assert_eq!(
        q.span.map(|sp| (sp.start, sp.end)),
        Some((11, 18)),
        "the caret is under the name"
    );
    assert!(q.help.as_deref().unwrap_or("").contains("skill_id"), "{:?}", q.help);
    let e = s.run("CREATE INDEX FOR (x:Role) ON (y.name)").unwrap_err();
    assert_eq!(code_of(&e), Code::UndefinedVariable);
    let e = s.run("CREATE INDEX FOR (x:Role) ON (x.name, x.id)").unwrap_err();
    assert_eq!(code_of(&e), Code::UnsupportedIndex);
    // IF NOT EXISTS and IF EXISTS are not errors, and change nothing.
    let depth = s.undo_depth();
    let r = s.run("CREATE INDEX IF NOT EXISTS FOR (x:Role) ON (x.name)").unwrap();
    assert_eq!(r.stats.indexes_added, 0);
    assert!(!r.warnings.is_empty());
    s.run("DROP INDEX nothing_here IF EXISTS").unwrap();
    assert_eq!(s.undo_depth(), depth);

    assert_eq!(s.run("DROP INDEX Role_name").unwrap().stats.indexes_removed, 1);
    assert_eq!(s.run("SHOW INDEXES").unwrap().rows.len(), 1);
    // Undo brings the index back, redo drops it again.
    assert_eq!(s.undo().as_deref(), Some("DROP INDEX Role_name"));
    assert_eq!(s.run("SHOW INDEXES").unwrap().rows.len(), 2);
    checked(s.graph());
    s.redo();
    assert_eq!(s.run("SHOW INDEXES").unwrap().rows.len(), 1);
}

/// A small random generator (no dependency), seeded per test.
struct Rng(u64);
impl Rng {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below.max(1)
    }
}

fn value(rng: &mut Rng) -> String {
    match rng.next(9) {
        0 => "null".into(),
        1 => format!("{}", rng.next(5) as f64 + 0.5),
        2 => format!("'{}'", rng.next(5)),
        3 => "true".into(),
        4 => "0.0 / 0.0".into(),
        5 => format!("[{}]", rng.next(3)),
        _ => format!("{}", rng.next(6)),
    }
}

fn edit(rng: &mut Rng) -> String {
    let (k, v) = (["k", "j"][rng.next(2) as usize], value(rng));
    let label = ["A", "B"][rng.next(2) as usize];
    let pick = format!("MATCH (n:{label}) WITH n ORDER BY id(n) SKIP {} LIMIT 2", rng.next(6));
    match rng.next(10) {
        0 => format!("CREATE (:{label} {{k: {v}, j: {}}})", value(rng)),
        1 => format!("UNWIND range(1, 3) AS i CREATE (:A:B {{k: {v}, i: i}})"),
        2 => format!("{pick} SET n.{k} = {v}"),
        3 => format!("{pick} REMOVE n.{k}"),
        4 => format!("{pick} SET n:{}", ["A", "B"][rng.next(2) as usize]),
        5 => format!("{pick} REMOVE n:{label}"),
        6 => format!("{pick} DETACH DELETE n"),
        7 => format!(
            "MERGE (n:{label} {{k: {}}}) ON MATCH SET n.j = {}",
            rng.next(6),
            value(rng)
        ),
        8 => format!("{pick} SET n = {{k: {v}}}"),
        _ => format!("{pick} SET n += {{j: {v}, k: {}}}", value(rng)),
    }
}

#[test]
fn indexes_follow_every_editing_clause_undo_redo_and_failures() {
    let mut s = Session::builtin().expect("built-in graph");
    s.run("UNWIND range(0, 11) AS i CREATE (:A {k: i % 4, j: toString(i)}), (:B {k: toFloat(i % 3), j: i})")
        .unwrap();
    for q in [
        "CREATE INDEX FOR (n:A) ON (n.k)",
        "CREATE INDEX FOR (n:A) ON (n.j)",
        "CREATE INDEX FOR (n:B) ON (n.k)",
        "CREATE INDEX FOR (n:C) ON (n.k)",
    ] {
        s.run(q).unwrap();
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut states = vec![checked(s.graph())];
    let start = s.undo_depth().0;
    for step in 0..150 {
        let q = edit(&mut rng);
        if step % 7 == 3 {
            // The same edit, then a failure on its rows: the statement is
            // taken back whole (an edit that matched no row changed nothing).
            let failing = format!("{q} WITH 1 AS x UNWIND [1, 0] AS d RETURN 1 / d");
            let _ = s.run(&failing);
            assert_eq!(
                &checked(s.graph()),
                states.last().unwrap(),
                "after the failing {failing}"
            );
            continue;
        }
        let qs = if step % 11 == 5 {
            vec![
                "DROP INDEX A_j".to_string(),
                "CREATE INDEX A_j FOR (n:A) ON (n.j)".to_string(),
                q,
            ]
        } else {
            vec![q]
        };
        for q in qs {
            let depth = s.undo_depth().0;
            if let Err(e) = s.run(&q) {
                panic!("{q}: {e}")
            }
            if s.undo_depth().0 > depth {
                states.push(checked(s.graph()));
            }
        }
    }
    // Undo every statement: each earlier state comes back exactly.
    let all = states.clone();
    assert!(states.len() > 100, "{} statements changed the graph", states.len());
    while s.undo_depth().0 > start {
        s.undo();
        states.pop();
        assert_eq!(&checked(s.graph()), states.last().unwrap());
    }
    assert_eq!(states.len(), 1);
    for want in &all[1..] {
        s.redo();
        assert_eq!(&checked(s.graph()), want);
    }
}

#[test]
fn a_statement_failing_after_index_changes_takes_them_back() {
    let mut s = Session::builtin().expect("built-in graph");
    s.run("CREATE INDEX FOR (r:Role) ON (r.name)").unwrap();
    let before = checked(s.graph());
    for q in [
        "MATCH (r:Role) SET r.name = 'x' WITH r RETURN 1 / 0",
        "MATCH (r:Role) REMOVE r:Role WITH r RETURN 1 / 0",
        "MATCH (r:Role) DETACH DELETE r WITH 1 AS one RETURN 1 / 0",
        "CREATE (:Role {name: 'n'}) WITH 1 AS one RETURN 1 / 0",
    ] {
        assert!(s.run(q).is_err(), "{q}");
        assert_eq!(checked(s.graph()), before, "{q}");
    }
    // A script run as one unit that fails takes back the index it made.
    s.begin_unit();
    s.run("CREATE INDEX t FOR (t:Team) ON (t.name)").unwrap();
    s.end_unit(false);
    assert_eq!(s.graph().index_list().len(), 1);
}

#[test]
fn the_binary_runs_index_statements_with_carets() {
    let out = rolegraph()
        .args([
            "-e",
            "CREATE INDEX role_name FOR (r:Role) ON (r.name); SHOW INDEXES; DROP INDEX role_nam",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(!out.status.success());
    assert!(stdout.contains("1 index added"), "{stdout}");
    assert!(stdout.contains("role_name") && stdout.contains("Role"), "{stdout}");
    assert!(stderr.contains("there is no index named 'role_nam'"), "{stderr}");
    assert!(stderr.contains("^^^^^^^^"), "{stderr}");
    assert!(stderr.contains("did you mean 'role_name'"), "{stderr}");
}

#[test]
fn export_cypher_writes_the_indexes_and_reads_them_back() {
    let mut s = Session::builtin().expect("built-in graph");
    s.run("CREATE INDEX `role name` FOR (r:Role) ON (r.name)").unwrap();
    let text = rolegraph::export::cypher::to_cypher(s.graph());
    assert!(
        text.contains("CREATE INDEX `role name` IF NOT EXISTS FOR (n:Role) ON (n.name);"),
        "{text}"
    );
    let mut back = Session::new(Graph::new("back"));
    back.run(&text).unwrap();
    assert_eq!(checked(back.graph()), checked(s.graph()));
}

#[test]
fn saved_graphs_keep_their_indexes_and_load_them_back() {
    let mut s = Session::builtin().expect("built-in graph");
    s.run("CREATE INDEX `role name` FOR (r:Role) ON (r.name)").unwrap();
    s.run("CREATE INDEX FOR (t:Team) ON (t.size)").unwrap();
    // An index on a label no node has yet is kept too (its label is declared).
    s.run("CREATE INDEX future FOR (p:Project) ON (p.code)").unwrap();
    let dir = tempfile::tempdir().unwrap();
    s.save(dir.path()).expect("saves");
    let text = std::fs::read_to_string(dir.path().join("nodes.toml")).unwrap();
    assert!(
        text.contains("[[index]]\nname = \"role name\"\nlabel = \"Role\"\nkey = \"name\"\n"),
        "{text}"
    );
    let loaded = Graph::load(dir.path()).expect("the saved directory loads");
    assert_eq!(checked(&loaded), checked(s.graph()));
    let names: Vec<String> = loaded.index_list().into_iter().map(|i| i.def.name).collect();
    assert_eq!(names, ["Team_size", "future", "role name"]);

    // Through the binary: the loaded graph's indexes are there, and the
    // load is not an unsaved change.
    let out = rolegraph()
        .arg("--data")
        .arg(dir.path())
        .args(["-e", "SHOW INDEXES", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(shown.contains("role name,Role,name,"), "{shown}");
    assert!(shown.contains("future,Project,code,0"), "{shown}");
    let mut back = Session::new(loaded);
    assert!(!back.is_dirty());
    back.run("DROP INDEX future").unwrap();
    assert!(back.is_dirty());
}

#[test]
fn index_entries_in_data_files_are_checked_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| std::fs::write(dir.path().join("nodes.toml"), text).unwrap();
    let head = "[saved]\n\n[schema]\nlabels = [\"Thing\"]\n\n[[node]]\nlabel = \"Thing\"\nid = \"a\"\nk = 1\n";
    let check = |want: &[&str]| {
        let out = rolegraph()
            .arg("--data")
            .arg(dir.path())
            .args(["-e", "RETURN 1"])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        for w in want {
            assert!(err.contains(w), "missing {w:?} in:\n{err}");
        }
    };
    write(&format!(
        "{head}\n[[index]]\nname = \"i\"\nlabel = \"Thing\"\nkey = \"k\"\n\n[[index]]\nname = \"i\"\nlabel = \"Thing\"\nkey = \"j\"\n"
    ));
    check(&[
        "nodes.toml:17:8",
        "duplicate index name 'i' (first defined at",
        "nodes.toml:12:8",
    ]);
    write(&format!(
        "{head}\n[[index]]\nname = \"i\"\nlabel = \"Thing\"\nkey = \"k\"\n\n[[index]]\nname = \"j\"\nlabel = \"Thing\"\nkey = \"k\"\n"
    ));
    check(&["a second index on :Thing(k); 'i'"]);
    write(&format!(
        "{head}\n[[index]]\nname = \"i\"\nlabel = \"Thin\"\nkey = \"k\"\n"
    ));
    check(&["nodes.toml:13:9", "unknown label 'Thin'", "did you mean 'Thing'?"]);
    write(&format!(
        "{head}\n[[index]]\nname = \"i\"\nlabel = \"Thing\"\nkeys = \"k\"\n"
    ));
    check(&[
        "unknown key 'keys' in `[[index]]`",
        "did you mean 'key'?",
        "expected `key = \"...\"` (the property it indexes) in this index",
    ]);
    write(&format!("{head}\n[[index]]\nname = \"\"\nlabel = \"Thing\"\nkey = 3\n"));
    check(&[
        "expected `name` to be the index's name, found an empty string",
        "expected `key` to be a string, found an integer",
    ]);
    write(&format!("{head}\n[index]\nname = \"i\"\n"));
    check(&["expected `[[index]]` (an array of tables), found a table"]);
}
