//! A script runs the same way however it comes: through the library
//! (`Session::run`, `Session::run_each`), `-e` (one or several), `-f` and
//! standard input. A syntax error anywhere runs nothing; otherwise the
//! statements run in order, and the first that fails stops the script with
//! the ones before it kept and its own changes taken back. Whatever happens,
//! a run prints one valid document: a new user's first script, which creates
//! a few nodes and then asks one question, is one JSON array and one CSV
//! table.

use assert_cmd::Command;
use rolegraph::{Graph, Session, Value};
use serde_json::Value as Json;

fn rolegraph() -> Command {
    let mut c = Command::cargo_bin("rolegraph").expect("binary builds");
    c.env("NO_COLOR", "1");
    c
}

struct Out {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run(args: &[&str], stdin: Option<&str>) -> Out {
    let mut c = rolegraph();
    c.args(args);
    if let Some(text) = stdin {
        c.write_stdin(text.as_bytes().to_vec());
    }
    let out = c.output().expect("runs");
    Out {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// A statement that creates a node tagged `k` and returns `k`.
fn made(k: i64) -> String {
    format!("CREATE (:S {{k: {k}}}) RETURN {k} AS k")
}

/// The `k` of every statement a script's JSON document shows (statements
/// print as they run, so these are the ones that ran).
fn ks_of_json(doc: &str) -> Vec<i64> {
    let doc: Json = serde_json::from_str(doc).unwrap_or_else(|e| panic!("not JSON ({e}):\n{doc}"));
    let entries = doc.as_array().unwrap_or_else(|| panic!("not an array: {doc}"));
    entries
        .iter()
        .flat_map(|e| e["rows"].as_array().cloned().unwrap_or_default())
        .map(|row| row["k"].as_i64().expect("k is a number"))
        .collect()
}

/// How many `S` nodes the session's graph has.
fn s_nodes(s: &mut Session) -> i64 {
    let rows = s.run("MATCH (s:S) RETURN count(s) AS n").unwrap();
    match rows.rows[0][0] {
        Value::Int(n) => n,
        ref v => panic!("count is {v:?}"),
    }
}

/// The library's run of `script` on an empty graph: the `k` of every
/// statement that ran, whether it failed, and how many `S` nodes stayed.
/// `Session::run_each` and `Session::run` must agree.
fn library(script: &str) -> (Vec<i64>, bool, i64) {
    let mut s = Session::new(Graph::new("scratch"));
    let mut ran = Vec::new();
    let mut failed = false;
    let outcome = s.run_each(script, |_, r| match r {
        Ok(rows) => {
            ran.extend(rows.rows.iter().map(|row| match row[0] {
                Value::Int(k) => k,
                ref v => panic!("k is {v:?}"),
            }));
            true
        }
        Err(_) => {
            failed = true;
            false
        }
    });
    let failed = failed || outcome.is_err();
    let nodes = s_nodes(&mut s);
    let mut whole = Session::new(Graph::new("scratch"));
    assert_eq!(whole.run(script).is_err(), failed, "{script}");
    assert_eq!(s_nodes(&mut whole), nodes, "{script}");
    (ran, failed, nodes)
}

/// What a script does through `-e`, `-f` and standard input: the `k` of
/// every statement that ran, and the exit code (all three must agree).
fn binary(script: &str) -> (Vec<i64>, i32) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("script.cypher");
    std::fs::write(&file, script).unwrap();
    let file = file.to_str().unwrap();
    let base = ["--empty", "--format", "json"];
    let by_e = run(&[&base[..], &["-e", script]].concat(), None);
    let by_f = run(&[&base[..], &["-f", file]].concat(), None);
    let by_stdin = run(&[&base[..], &["-f", "-"]].concat(), Some(script));
    let ran = ks_of_json(&by_e.stdout);
    for other in [&by_f, &by_stdin] {
        assert_eq!(ks_of_json(&other.stdout), ran, "{script}\n{}", other.stderr);
        assert_eq!(other.code, by_e.code, "{script}\n{}", other.stderr);
    }
    (ran, by_e.code)
}

#[test]
fn the_library_and_the_binary_run_a_script_the_same_way() {
    let cases: [(String, &[i64], bool); 4] = [
        (format!("{}; {}; {}", made(1), made(2), made(3)), &[1, 2, 3], false),
        // A failure at run time: the ones before it stay, its own change goes.
        (
            format!("{}; CREATE (:S {{k: 2}}) RETURN 2 / 0 AS k; {}", made(1), made(3)),
            &[1],
            true,
        ),
        // A syntax error in the last statement: nothing runs.
        (
            format!("{};\n{};\nCREATE (:S {{k: 3}}) RETRN 3 AS k", made(1), made(2)),
            &[],
            true,
        ),
        // ... nor in the first.
        (format!("RETURN 1 +; {}", made(2)), &[], true),
    ];
    for (script, expected, fails) in cases {
        let (ran, failed, nodes) = library(&script);
        assert_eq!(ran, expected, "library: {script}");
        assert_eq!(failed, fails, "library: {script}");
        assert_eq!(nodes, expected.len() as i64, "library: the S nodes left by {script}");
        let (ran, code) = binary(&script);
        assert_eq!(ran, expected, "binary: {script}");
        assert_eq!(code, if fails { 1 } else { 0 }, "binary: {script}");
    }
}

#[test]
fn a_syntax_error_anywhere_in_a_run_runs_nothing() {
    // Several -e: the third does not parse, so the first two never run.
    let one = made(1);
    let two = made(2);
    let o = run(
        &[
            "--empty",
            "--format",
            "json",
            "-e",
            &one,
            "-e",
            &two,
            "-e",
            "RETRN 3 AS k",
        ],
        None,
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(ks_of_json(&o.stdout), Vec::<i64>::new(), "{}", o.stdout);
    assert!(o.stderr.contains("query 3:1:1"), "{}", o.stderr);
    // Meta-command lines between statements do not split the check.
    let script =
        format!("{one};\n:param p => 2\nCREATE (:S {{k: $p}}) RETURN $p AS k;\nMATCH (s:S) RETRN count(s) AS k;\n");
    for args in [&["-f", "-"][..], &["-e", &script][..]] {
        let stdin = (args[1] == "-").then_some(script.as_str());
        let o = run(&[&["--empty", "--format", "json"][..], args].concat(), stdin);
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert_eq!(ks_of_json(&o.stdout), Vec::<i64>::new(), "{}", o.stdout);
        assert!(o.stderr.contains(":4:13"), "{}", o.stderr);
    }
    // Without the error, the same script runs through (the check is no
    // refusal of meta-commands).
    let fixed = script.replace("RETRN", "RETURN");
    let o = run(&["--empty", "--format", "json", "-f", "-"], Some(&fixed));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(ks_of_json(&o.stdout), vec![1, 2, 2]);
}

/// What a new user writes first: a few nodes, then a question.
const FIRST_SCRIPT: &str = "// my team\n\
CREATE (:Person {name: 'Ann', title: 'CTO'});\n\
CREATE (:Person {name: 'Bob', title: 'Engineer, \"platform\"'});\n\
MATCH (p:Person) RETURN p.name AS name, p.title AS title ORDER BY name;\n";

#[test]
fn a_first_script_prints_one_json_document_and_one_csv_table() {
    // On the built-in graph, as a new user would run it (the CREATEs are
    // warned about their missing sources).
    let o = run(&["--format", "json", "-f", "-"], Some(FIRST_SCRIPT));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let doc: Json = serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", o.stdout));
    let entries = doc.as_array().expect("one array");
    assert_eq!(entries.len(), 3, "{doc}");
    assert_eq!(entries[0]["columns"], serde_json::json!([]));
    assert_eq!(entries[0]["warnings"][0]["severity"], "warning");
    assert_eq!(
        entries[2]["rows"],
        serde_json::json!([{"name": "Ann", "title": "CTO"}, {"name": "Bob", "title": "Engineer, \"platform\""}])
    );

    // JSON lines: every line is a JSON object.
    let o = run(&["--format", "jsonl", "-f", "-"], Some(FIRST_SCRIPT));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let lines: Vec<Json> = o.stdout.lines().map(|l| serde_json::from_str(l).expect(l)).collect();
    assert_eq!(lines.len(), 2, "{}", o.stdout);
    assert_eq!(lines[1]["statement"], 3);

    // CSV: the CREATEs have no table; the question is the one table.
    let o = run(&["--format", "csv", "-f", "-"], Some(FIRST_SCRIPT));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let mut reader = csv::Reader::from_reader(o.stdout.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["name", "title"]);
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        records,
        vec![vec!["Ann", "CTO"], vec!["Bob", "Engineer, \"platform\""]],
        "{}",
        o.stdout
    );
    assert!(o.stderr.contains("citing no source"), "{}", o.stderr);

    // A second question is a second table: refused before anything runs.
    let two = format!("{FIRST_SCRIPT}RETURN 1 AS one;\n");
    let o = run(&["--format", "csv", "-f", "-"], Some(&two));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    assert!(o.stderr.contains("--output-dir"), "{}", o.stderr);
}

#[test]
fn a_script_failing_part_way_is_still_one_valid_document() {
    let script = "RETURN 1 AS k; RETURN 1 / 0 AS k; RETURN 3 AS k";
    let o = run(&["--empty", "--format", "json", "-e", script], None);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(ks_of_json(&o.stdout), vec![1]);
    let o = run(&["--empty", "--format", "json", "--keep-going", "-e", script], None);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(ks_of_json(&o.stdout), vec![1, 3]);
    // A syntax error: nothing ran, and the document is an empty array.
    let o = run(
        &["--empty", "--format", "json", "-e", "RETURN 1 AS k; RETURN 2 +"],
        None,
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(o.stdout.trim(), "[]");
    // CSV with one table and a failure before it: nothing on stdout but
    // the error on stderr.
    let o = run(
        &["--empty", "--format", "csv", "-e", "CREATE (:S); RETURN 1 / 0 AS k"],
        None,
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(o.stdout, "");
    assert!(o.stderr.contains("division by zero"), "{}", o.stderr);
}

#[test]
fn the_library_points_into_the_whole_text_as_the_binary_does() {
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!("RETURN {i} AS k;\n"));
    }
    text.push_str("RETURN 1 +;\n");
    let mut s = Session::new(Graph::new("scratch"));
    let Err(rolegraph::Error::Query(e)) = s.run(&text) else {
        panic!("a syntax error")
    };
    let span = e.span.expect("a span");
    assert_eq!(rolegraph::diag::line_col(&text, span.start), (301, 11), "{e}");
    let o = run(&["--empty", "-f", "-"], Some(&text));
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("<stdin>:301:11"), "{}", o.stderr);
}

#[test]
fn the_library_runs_a_long_script_that_one_parse_of_the_whole_text_would_refuse() {
    // Lists of digits cost the parser more steps per byte than a whole
    // text's budget allows, though each statement is well within its own:
    // the library, like `-f`, parses a statement at a time.
    let list = vec!["7"; 150].join(",");
    let n = 4_000;
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!("RETURN size([{list}]) + {i} AS n; // ;'\n"));
    }
    assert!(
        rolegraph::syntax::parse_script(&text).is_err(),
        "one parse of the whole text is refused"
    );
    let mut s = Session::new(Graph::new("scratch"));
    let rows = s.run(&text).expect("runs a statement at a time");
    assert!(
        matches!(rows.rows[0][0], Value::Int(v) if v == 150 + n - 1),
        "{:?}",
        rows.rows[0][0]
    );
}
