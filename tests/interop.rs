//! Interoperability exports: the Neo4j admin-import CSV files load back
//! into rolegraph as the same graph; the JSON, GraphML and Cypher exports
//! hold every node, relationship and property.

use std::collections::BTreeMap;

use assert_cmd::Command;
use rolegraph::export::{csv_neo4j, cypher, graphml, json};
use rolegraph::load::load_dir;
use rolegraph::{Graph, Value};

fn rolegraph() -> Command {
    let mut c = Command::cargo_bin("rolegraph").expect("binary builds");
    c.env("NO_COLOR", "1").env_remove("RUST_BACKTRACE");
    c
}

/// Nodes by id: (labels, properties); relationships as a sorted multiset of
/// (start id, type, end id, properties), all as text.
fn canon(g: &Graph) -> (BTreeMap<String, String>, Vec<String>) {
    let props =
        |p: rolegraph::store::PropsRef<'_>| p.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
    let nodes = g
        .nodes()
        .map(|n| {
            let node = g.node(n);
            let mut labels: Vec<&str> = node.labels().collect();
            labels.sort();
            (
                node.key().expect("every node has an id").to_string(),
                format!("{labels:?} {{{}}}", props(node.props())),
            )
        })
        .collect();
    let mut rels: Vec<String> = g
        .rels()
        .map(|r| {
            let rel = g.rel(r);
            format!(
                "({})-[:{} {{{}}}]->({})",
                g.node(rel.start()).key().unwrap_or(""),
                rel.rel_type(),
                props(rel.props()),
                g.node(rel.end()).key().unwrap_or("")
            )
        })
        .collect();
    rels.sort();
    (nodes, rels)
}

#[test]
fn neo4j_csv_round_trips_the_builtin_graph() {
    let g = Graph::builtin().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("import");
    rolegraph()
        .args(["export", "csv", "--neo4j"])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("neo4j-admin-import.sh").exists());
    let back = load_dir(&out).unwrap_or_else(|e| panic!("loads back: {e:?}"));
    assert_eq!(back.node_count(), g.node_count());
    assert_eq!(back.rel_count(), g.rel_count());
    let (n1, r1) = canon(&g);
    let (n2, r2) = canon(&back);
    for (k, v) in &n1 {
        assert_eq!(Some(v), n2.get(k), "node {k}");
    }
    assert_eq!(r1, r2);
    // And through --data, as a user would.
    let out = rolegraph()
        .arg("--data")
        .arg(&out)
        .args(["--format", "csv", "-e", "MATCH ()-[r]->() RETURN count(r)"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).replace("\r\n", "\n");
    assert_eq!(stdout, format!("count(r)\n{}\n", g.rel_count()));
}

#[test]
fn neo4j_csv_types_and_awkward_values() {
    use rolegraph::value::Map;
    use std::sync::Arc;
    let mut g = Graph::new("t");
    let mut m = Map::new();
    m.insert(Arc::from("id"), Value::str("a,\"1\"\nx"));
    m.insert(Arc::from("n"), Value::Int(3));
    m.insert(Arc::from("x"), Value::Float(1.5));
    m.insert(Arc::from("ok"), Value::Bool(true));
    m.insert(
        Arc::from("tags"),
        Value::list(vec![Value::str("p, q"), Value::str("r")]),
    );
    m.insert(Arc::from("nums"), Value::list(vec![Value::Int(1), Value::Int(2)]));
    let a = g.add_node(&["A", "Extra Label"], m).unwrap();
    let mut m = Map::new();
    m.insert(Arc::from("id"), Value::str("b"));
    m.insert(Arc::from("n"), Value::Int(4));
    let b = g.add_node(&["B"], m).unwrap();
    let mut m = Map::new();
    m.insert(Arc::from("w"), Value::Float(0.25));
    g.add_rel(a, b, "HAS", m).unwrap();
    g.add_rel(b, a, "HAS", Map::new()).unwrap();
    let files = csv_neo4j::to_files(&g).unwrap();
    let header = |name: &str| {
        let (_, bytes) = files.iter().find(|(n, _)| n == name).unwrap();
        String::from_utf8_lossy(bytes).lines().next().unwrap().to_string()
    };
    assert_eq!(
        header("nodes_A_Extra_Label.csv"),
        "id:ID,:LABEL,n:int,nums:int[],ok:boolean,tags:string[],x:float"
    );
    assert_eq!(header("rels_HAS.csv"), ":START_ID,:END_ID,:TYPE,w:float");
    let dir = tempfile::tempdir().unwrap();
    csv_neo4j::write_dir(&g, dir.path()).unwrap();
    let back = load_dir(dir.path()).unwrap();
    assert_eq!(canon(&back), canon(&g));

    // No string id: refused with a reason, not a broken directory.
    let mut g = Graph::new("t");
    g.add_node(&["A"], Map::new()).unwrap();
    let err = csv_neo4j::to_files(&g).unwrap_err();
    assert!(
        matches!(err, rolegraph::export::ExportError::MissingIds { count: 1 }),
        "{err:?}"
    );
    assert!(err.to_string().contains("1 node has no string 'id'"), "{err}");
}

#[test]
fn json_holds_every_node_relationship_and_property() {
    let g = Graph::builtin().unwrap();
    let out = rolegraph().args(["export", "json"]).assert().success();
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(doc, json::to_json(&g));
    let nodes = doc["nodes"].as_array().unwrap();
    let rels = doc["relationships"].as_array().unwrap();
    assert_eq!(nodes.len(), g.node_count());
    assert_eq!(rels.len(), g.rel_count());
    for (n, j) in g.nodes().zip(nodes) {
        let node = g.node(n);
        assert_eq!(j["properties"].as_object().unwrap().len(), node.props().len());
        assert_eq!(j["labels"][0], node.labels().next().unwrap());
        assert_eq!(j["properties"]["id"], node.key().unwrap());
    }
    for (r, j) in g.rels().zip(rels) {
        let rel = g.rel(r);
        assert_eq!(j["type"], rel.rel_type());
        assert_eq!(j["start"], rel.start().index());
        assert_eq!(j["end"], rel.end().index());
        assert_eq!(j["properties"].as_object().unwrap().len(), rel.props().len());
    }
    assert_eq!(json::to_json_value(&Value::Float(f64::NAN)), serde_json::json!("NaN"));
}

#[test]
fn graphml_declares_typed_keys_and_escapes() {
    use rolegraph::value::Map;
    use std::sync::Arc;
    let g = Graph::builtin().unwrap();
    let text = graphml::to_graphml(&g);
    assert_eq!(text.matches("<node ").count(), g.node_count());
    assert_eq!(text.matches("<edge ").count(), g.rel_count());
    assert!(text.contains("attr.name=\"name\" attr.type=\"string\""));
    assert!(text.contains("organisation&apos;s"));
    assert!(!text.contains("organisation's"));

    let mut g = Graph::new("t");
    let mut m = Map::new();
    m.insert(Arc::from("id"), Value::str("<a & \"b\">"));
    m.insert(Arc::from("n"), Value::Int(3));
    m.insert(Arc::from("x"), Value::Float(2.0));
    m.insert(Arc::from("ok"), Value::Bool(false));
    m.insert(Arc::from("l"), Value::list(vec![Value::str("a"), Value::Int(1)]));
    let a = g.add_node(&["A"], m).unwrap();
    let mut m = Map::new();
    m.insert(Arc::from("x"), Value::Int(1));
    g.add_rel(a, a, "SELF", m).unwrap();
    let text = graphml::to_graphml(&g);
    assert!(text.contains("attr.name=\"n\" attr.type=\"long\""), "{text}");
    assert!(text.contains("attr.name=\"x\" attr.type=\"double\""), "{text}");
    assert!(text.contains("attr.name=\"ok\" attr.type=\"boolean\""), "{text}");
    assert!(text.contains("&lt;a &amp; &quot;b&quot;&gt;"), "{text}");
    assert!(text.contains("[&quot;a&quot;,1]"), "{text}");
    assert!(text.contains("source=\"n0\" target=\"n0\""), "{text}");
    // Well formed as far as tags go: every element opened is closed.
    for tag in ["graphml", "graph", "node", "edge"] {
        assert_eq!(
            text.matches(&format!("<{tag} ")).count(),
            text.matches(&format!("</{tag}>")).count()
        );
    }
}

#[test]
fn cypher_script_creates_every_node_and_relationship() {
    let g = Graph::builtin().unwrap();
    let out = rolegraph().args(["export", "cypher"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(text, cypher::to_cypher(&g));
    let statements: Vec<&str> = text.lines().filter(|l| !l.starts_with("//")).collect();
    assert!(statements.iter().all(|s| s.ends_with(';')));
    assert!(!text.contains("_rg_id"), "the built-in graph has ids");
    // Each node is one map in a node statement; each relationship one {s: ...}.
    let node_rows: usize = statements
        .iter()
        .filter(|s| s.contains(" CREATE (n"))
        .map(|s| s.matches("id: '").count())
        .sum();
    assert!(node_rows >= g.node_count());
    let rel_rows: usize = statements.iter().map(|s| s.matches("{s: '").count()).sum();
    assert_eq!(rel_rows, g.rel_count());
    assert!(text.contains(r"organisation\'s"));

    // Written to a file through the atomic writer.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("graph.cypher");
    rolegraph()
        .args(["export", "cypher", "-o"])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    rolegraph().args(["export", "csv"]).assert().code(2);
}

#[test]
fn shell_export_writes_every_format() {
    let mut session = rolegraph::Session::builtin().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (word, file) in [
        ("cypher", "g.cypher"),
        ("json", "g.json"),
        ("graphml", "g.graphml"),
        ("csv", "csv"),
    ] {
        let path = dir.path().join(file);
        let msg = rolegraph::export::export_command(&mut session, &format!("{word} '{}'", path.display()), None)
            .unwrap_or_else(|e| panic!("{word}: {e}"));
        assert!(msg.starts_with("wrote "), "{word}: {msg}");
        assert!(path.exists(), "{word}");
    }
    assert_eq!(
        load_dir(&dir.path().join("csv")).unwrap().rel_count(),
        session.graph().rel_count()
    );
    let printed = rolegraph::export::export_command(&mut session, "json -", None).unwrap();
    assert!(printed.starts_with('{'));
    assert!(rolegraph::export::export_command(&mut session, "json", None).is_err());
}

/// The statements of an exported script (comments dropped).
fn statements(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.starts_with("//") && !l.trim().is_empty())
        .collect()
}

/// `export cypher`, run by rolegraph on an empty graph, gives the same
/// graph: exported again it is the same script, statement for statement.
#[test]
fn the_cypher_export_reads_back_as_the_same_graph() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("graph.cypher");
    rolegraph()
        .args(["export", "cypher", "-o"])
        .arg(&script)
        .assert()
        .success();
    let saved = dir.path().join("again");
    let out = rolegraph()
        .arg("--empty")
        .arg("-f")
        .arg(&script)
        .arg("--save")
        .arg(&saved)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let again = load_dir(&saved).unwrap();
    let original = Graph::builtin().unwrap();
    assert_eq!(canon(&again), canon(&original));
    let out = rolegraph()
        .arg("--data")
        .arg(&saved)
        .args(["export", "cypher"])
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&script).unwrap();
    assert_eq!(statements(&String::from_utf8_lossy(&out.stdout)), statements(&text));
}

/// The same for a graph whose nodes lack ids (the script numbers them with
/// a temporary property and removes it at the end), with every kind of
/// value, labels or none, parallel relationships and self-loops.
#[test]
fn a_cypher_export_without_ids_reads_back_as_the_same_graph() {
    let mut g = Graph::new("g");
    let values = [
        ("nan", Value::Float(f64::NAN)),
        ("inf", Value::Float(f64::INFINITY)),
        ("negzero", Value::Float(-0.0)),
        ("third", Value::Float(1.0 / 3.0)),
        ("big", Value::Int(i64::MIN)),
        ("text", Value::str("it's \"quoted\" \\ back\nline 漢字 🦀")),
        ("list", Value::list(vec![Value::Int(1), Value::str("two")])),
        ("empty", Value::list(vec![])),
        ("odd key", Value::Bool(true)),
    ];
    let mut nodes = Vec::new();
    for i in 0..12 {
        let mut props: rolegraph::value::Map = values
            .iter()
            .take(i % values.len() + 1)
            .map(|(k, v)| (std::sync::Arc::from(*k), v.clone()))
            .collect();
        props.insert(std::sync::Arc::from("n"), Value::Int(i as i64));
        let labels: Vec<&str> = match i % 3 {
            0 => vec![],
            1 => vec!["A"],
            _ => vec!["A", "B c"],
        };
        nodes.push(g.add_node(&labels, props).unwrap());
    }
    for w in nodes.windows(2) {
        g.add_rel(w[0], w[1], "NEXT", Default::default()).unwrap();
        g.add_rel(
            w[0],
            w[1],
            "NEXT",
            [(std::sync::Arc::from("w"), Value::Float(0.5))].into_iter().collect(),
        )
        .unwrap();
        g.add_rel(w[1], w[1], "SELF LOOP", Default::default()).unwrap();
    }
    let text = cypher::to_cypher(&g);
    assert!(text.contains("_rg_id"), "no ids: the script numbers the nodes");
    let mut s = rolegraph::Session::new(Graph::new("g"));
    for q in statements(&text) {
        s.run(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    }
    // Nodes come back grouped by labels, so in another order: compare
    // them by their own number `n`.
    let by_n = |g: &Graph| {
        let n_of = |n| {
            g.node(n)
                .prop("n")
                .cloned()
                .map(|v| format!("{v:?}"))
                .unwrap_or_default()
        };
        let mut nodes: Vec<String> = g
            .nodes()
            .map(|n| {
                let node = g.node(n);
                let mut labels: Vec<&str> = node.labels().collect();
                labels.sort();
                let props: Vec<String> = node.props().iter().map(|(k, v)| format!("{k}={v:?}")).collect();
                format!("{labels:?} {props:?}")
            })
            .collect();
        nodes.sort();
        let mut rels: Vec<String> = g
            .rels()
            .map(|r| {
                let rel = g.rel(r);
                let props: Vec<String> = rel.props().iter().map(|(k, v)| format!("{k}={v:?}")).collect();
                format!(
                    "{}-{}->{} {props:?}",
                    n_of(rel.start()),
                    rel.rel_type(),
                    n_of(rel.end())
                )
            })
            .collect();
        rels.sort();
        (nodes, rels)
    };
    assert_eq!(by_n(s.graph()), by_n(&g));
    assert!(s.graph().nodes().all(|n| s.graph().node(n).prop("_rg_id").is_none()));
}
