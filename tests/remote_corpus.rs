//! The differential corpus through `--connect`: the queries of
//! tests/falkordb.rs, the README's examples, the statements the example
//! questions are answered with (tests/knowledge_base.rs), and every domain
//! statement over the built-in roles, run on the built-in graph pushed to
//! FalkorDB — a standalone server, a primary with a replica (reads served by
//! the replica), and a three-node Redis Cluster — and locally. Results must
//! be the same, or a difference listed in docs/CONFORMANCE.md (the KNOWN list
//! of tests/falkordb.rs, and [`documented`] here). One session and one
//! corpus run per topology; each test skips, printing why, when FalkorDB
//! cannot be had.

#[macro_use]
mod falkor_server;

use falkor_server::Server;
use rolegraph::Session;
use rolegraph::remote::{Address, Remote, transfer};
use rolegraph::render::{self, Format, TableOptions};
use rolegraph::store::Graph;
use serde_json::Value as Json;

/// Differences documented in docs/CONFORMANCE.md ("Through --connect")
/// that are not in tests/falkordb.rs's KNOWN list, as rules over the
/// statement and both outcomes: the reason when one applies.
fn documented(text: &str, mine: &Outcome, theirs: &Outcome) -> Option<&'static str> {
    if text.contains("sum(") && agree_with(mine, theirs, true) {
        return Some("FalkorDB's sum() of integers is a float");
    }
    None
}

type Outcome = Result<Vec<Json>, String>;

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The string literals of a Rust source, with escapes and line
/// continuations applied (raw strings are not needed here).
fn literals(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            '/' if b.get(i + 1) == Some(&'/') => {
                while i < b.len() && b[i] != '\n' {
                    i += 1;
                }
            }
            '\'' => {
                // A char literal ('"' among them) or a lifetime.
                if b.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else if b.get(i + 1) == Some(&'\\') && b.get(i + 3) == Some(&'\'') {
                    i += 4;
                } else {
                    i += 1;
                }
            }
            '"' => {
                let mut s = String::new();
                i += 1;
                while i < b.len() && b[i] != '"' {
                    if b[i] == '\\' {
                        i += 1;
                        match b.get(i) {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some('\n') => {
                                while i + 1 < b.len() && b[i + 1].is_whitespace() {
                                    i += 1;
                                }
                            }
                            Some(c) => s.push(*c),
                            None => {}
                        }
                    } else {
                        s.push(b[i]);
                    }
                    i += 1;
                }
                out.push(s);
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// A statement of the corpus: its text, whether its rows come in a defined
/// order, and the documented reason it may differ.
struct Case {
    text: String,
    ordered: bool,
    known: Option<String>,
}

/// Does the text look like a read-only statement rolegraph parses?
fn statement(text: &str) -> bool {
    let t = text.trim_start();
    let starts = [
        "MATCH",
        "OPTIONAL",
        "UNWIND",
        "WITH",
        "RETURN",
        "DESCRIBE",
        "OVERLAP",
        "DIFF",
        "PATH",
        "TRANSLATE",
        "MATRIX",
    ];
    let writes = ["CREATE", "SET ", "DELETE", "MERGE", "REMOVE"];
    starts.iter().any(|s| t.starts_with(s))
        && !writes.iter().any(|w| t.contains(w))
        && !t.contains("{}")
        && rolegraph::syntax::parse_script(t).is_ok()
}

fn corpus(graph: &Graph) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    let mut add = |text: String, ordered: bool, known: Option<String>| {
        if !cases.iter().any(|c| c.text == text) {
            cases.push(Case { text, ordered, known });
        }
    };
    // The engine-comparison queries, with their ordering flag and the
    // documented differences.
    let src = std::fs::read_to_string(root().join("tests/falkordb.rs")).unwrap();
    let (q_start, k_start) = (src.find("const QUERIES").unwrap(), src.find("const KNOWN").unwrap());
    let known_lits = literals(&src[k_start..]);
    let queries = &src[q_start..k_start];
    for piece in queries.split("\n    (").skip(1) {
        if let Some(q) = literals(piece).into_iter().next() {
            let ordered = piece
                .trim_end()
                .trim_end_matches(|c: char| c == ',' || c == ')' || c == ']' || c == ';' || c.is_whitespace())
                .ends_with("true");
            let known = known_lits
                .iter()
                .position(|k| *k == q)
                .and_then(|i| known_lits.get(i + 1).cloned());
            add(q, ordered, known);
        }
    }
    // The README's examples.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for line in readme.lines() {
        let Some(rest) = line.strip_prefix("$ rolegraph ") else {
            continue;
        };
        if rest.contains("--connect") || rest.contains("--data") || rest.contains("--save") {
            continue;
        }
        for (open, close) in [("-e \"", '"'), ("-e '", '\'')] {
            if let Some(at) = rest.find(open) {
                let body = &rest[at + open.len()..];
                if let Some(end) = body.rfind(close) {
                    let q = body[..end].to_string();
                    if statement(&q) {
                        let ordered = q.contains("ORDER BY") || !q.starts_with("MATCH");
                        add(q, ordered, None);
                    }
                }
            }
        }
    }
    // The statements that answer the example questions.
    let kb = std::fs::read_to_string(root().join("tests/knowledge_base.rs")).unwrap();
    for q in literals(&kb) {
        if statement(&q) {
            let ordered = !q.trim_start().starts_with("MATCH") && !q.trim_start().starts_with("UNWIND");
            let ordered = ordered || q.contains("ORDER BY");
            add(q.trim().to_string(), ordered, None);
        }
    }
    // Every domain statement over the built-in roles.
    let mut roles: Vec<String> = graph
        .nodes()
        .filter(|n| graph.node(*n).has_label("Role"))
        .filter_map(|n| match graph.node(n).prop("id") {
            Some(rolegraph::value::Value::String(s)) => Some(s.to_string()),
            _ => None,
        })
        .collect();
    roles.sort();
    for (i, r) in roles.iter().enumerate() {
        add(format!("DESCRIBE {r}"), true, None);
        add(format!("TRANSLATE DESCRIBE {r}"), true, None);
        add(format!("PATH {r} TO chief-executive-officer"), true, None);
        add(format!("PATH {r} TO chief-executive-officer ALL"), true, None);
        let next = &roles[(i + 1) % roles.len()];
        let third = &roles[(i + 2) % roles.len()];
        for s in [
            format!("OVERLAP {r}, {next}"),
            format!("OVERLAP {r}, {next}, {third}"),
            format!("DIFF {r}, {next}"),
            format!("MATRIX {r}, {next}, {third}"),
        ] {
            if rolegraph::syntax::parse_script(&s).is_ok() {
                add(s, true, None);
            }
        }
    }
    cases
}

/// What a statement gave: its rows as JSON lines (sorted when unordered),
/// or its error message.
fn outcome(session: &mut Session, case: &Case) -> Outcome {
    let mut result = None;
    let ran = session.run_each(&case.text, |_, r| {
        result = Some(r);
        true
    });
    if let Err(e) = ran {
        return Err(e.message);
    }
    match result {
        Some(Ok(rows)) => {
            let text = render::render(&rows, session.graph(), Format::Jsonl, &TableOptions::default());
            let mut lines: Vec<Json> = text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap_or(Json::String(l.to_string())))
                .collect();
            if !case.ordered {
                lines.sort_by_key(|v| v.to_string());
            }
            Ok(lines)
        }
        Some(Err(e)) => Err(e.message),
        None => Ok(Vec::new()),
    }
}

/// Numbers compare with a little tolerance (FalkorDB sends doubles with 15
/// significant digits); all else exactly.
fn same(a: &Json, b: &Json, widen: bool) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) if x.is_f64() || y.is_f64() => {
            (widen || x.is_f64() == y.is_f64()) && {
                let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
                x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
            }
        }
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b, widen)),
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w, widen)))
        }
        _ => a == b,
    }
}

fn agree(a: &Outcome, b: &Outcome) -> bool {
    agree_with(a, b, false)
}

/// `widen`: an integer equals a float of the same value.
fn agree_with(a: &Outcome, b: &Outcome, widen: bool) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b, widen)),
        (Err(x), Err(y)) => x == y,
        _ => false,
    }
}

/// Pushes the built-in graph to `url`, runs the corpus there and locally,
/// and fails on any difference that is not documented.
fn differential(url: &str, topology: &str) {
    let graph = rolegraph::load::builtin().unwrap();
    let mut remote = Remote::connect(Address::parse(url).unwrap(), None).unwrap();
    transfer::push(&mut remote, &graph, |_, _| {}).unwrap();
    let mut there = Session::remote(remote);
    let mut here = Session::new(graph.clone());
    let cases = corpus(&graph);
    let mut failures = Vec::new();
    let mut known = 0;
    for case in &cases {
        let mine = outcome(&mut here, case);
        let theirs = outcome(&mut there, case);
        if agree(&mine, &theirs) {
            continue;
        }
        let why = case
            .known
            .clone()
            .or_else(|| documented(&case.text, &mine, &theirs).map(str::to_string));
        match why {
            Some(why) => {
                eprintln!("{topology}: documented difference ({why}): {}", case.text);
                known += 1;
            }
            None => failures.push(format!("{}\n  local:  {:?}\n  remote: {:?}", case.text, mine, theirs)),
        }
    }
    eprintln!(
        "{topology}: {} statements: {} agree, {known} documented differences, {} failures",
        cases.len(),
        cases.len() - known - failures.len(),
        failures.len()
    );
    assert!(cases.len() > 200, "the corpus has only {} statements", cases.len());
    assert!(
        failures.is_empty(),
        "{topology}: {} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_corpus_agrees_on_a_standalone_server() {
    let s = or_skip!(Server::start(&[]));
    differential(&s.url("roles"), "standalone");
}

#[test]
fn the_corpus_agrees_through_a_replica_and_a_write_there_is_refused() {
    let primary = or_skip!(Server::start(&[]));
    let replica = or_skip!(primary.replica());
    let both = format!("falkor://127.0.0.1:{},127.0.0.1:{}/roles", primary.port, replica.port);
    differential(&both, "primary and replica");
    // The reads went to the replica.
    let stats: String = redis::cmd("INFO")
        .arg("commandstats")
        .query(&mut replica.redis())
        .unwrap();
    assert!(stats.contains("cmdstat_graph.RO_QUERY:calls="), "{stats}");
    // A URL naming only the replica reads, and a write there is a clear
    // error naming it.
    let only = replica.url("roles");
    let mut s = Session::remote(Remote::connect(Address::parse(&only).unwrap(), None).unwrap());
    let rows = s
        .run("MATCH (r:Role {id: 'chief-technology-officer'}) RETURN r.name")
        .unwrap();
    assert_eq!(rows.rows.len(), 1);
    let e = s.run("CREATE (:Role {id: 'x'})").unwrap_err().to_string();
    assert!(e.contains("read-only replica"), "{e}");
    assert!(e.contains(&format!("127.0.0.1:{}", replica.port)), "{e}");
    // The session goes on.
    assert!(s.run("RETURN 1").is_ok());
}

#[test]
fn the_corpus_agrees_on_a_three_node_cluster() {
    let nodes = or_skip!(Server::cluster());
    let seeds: Vec<String> = nodes.iter().map(|n| format!("127.0.0.1:{}", n.port)).collect();
    differential(&format!("falkor://{}/roles", seeds.join(",")), "cluster");
    // Any one node is enough: the graph is found on its shard.
    for n in &nodes {
        let mut s = Session::remote(Remote::connect(Address::parse(&n.url("roles")).unwrap(), None).unwrap());
        let rows = s.run("MATCH (r:Role) RETURN count(r)").unwrap();
        assert_eq!(rows.rows.len(), 1);
    }
}
