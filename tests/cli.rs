//! The binary end to end: output formats, errors and exit codes, scripts,
//! parameters and `check`, on a small fixture organisation whose outputs
//! are stable (tests/fixtures/org) and on the built-in knowledge base.

use assert_cmd::Command;
use predicates::prelude::*;

const ORG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/org");

fn rolegraph() -> Command {
    let mut c = Command::cargo_bin("rolegraph").expect("binary builds");
    c.env("NO_COLOR", "1");
    c
}

/// Runs queries on the fixture graph; returns (stdout, stderr, exit code).
fn org(args: &[&str]) -> (String, String, i32) {
    let out = rolegraph().arg("--data").arg(ORG).args(args).output().expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn ok(args: &[&str]) -> String {
    let (out, err, code) = org(args);
    assert_eq!(code, 0, "expected success for {args:?}; stderr:\n{err}");
    out
}

fn fails(args: &[&str], expected_code: i32) -> String {
    let (out, err, code) = org(args);
    assert_eq!(
        code, expected_code,
        "exit code for {args:?}; stdout:\n{out}\nstderr:\n{err}"
    );
    err
}

#[test]
fn table_output() {
    insta::assert_snapshot!(ok(&[
        "-e",
        "MATCH (r:Role) RETURN r.name AS role, size(r.sources) AS cited ORDER BY role"
    ]));
}

#[test]
fn table_shows_nodes_relationships_and_paths_readably() {
    insta::assert_snapshot!(ok(&[
        "-e",
        "MATCH p = (h {id: 'head-of-platform'})-[r:REPORTS_TO*]->(top) RETURN top, length(p) AS hops, p ORDER BY hops",
    ]));
}

#[test]
fn json_output() {
    insta::assert_snapshot!(ok(&[
        "--format",
        "json",
        "-e",
        "MATCH (r:Role {id: 'chief-technology-officer'})-[l:LEADS]->(t:Team) RETURN r.name AS role, l, t",
    ]));
}

#[test]
fn json_is_one_array_even_when_empty() {
    let out = ok(&["--format", "json", "-e", "MATCH (r:Role {id: 'nobody'}) RETURN r"]);
    assert_eq!(out.trim(), "[]");
}

#[test]
fn jsonl_output() {
    insta::assert_snapshot!(ok(&[
        "--format",
        "jsonl",
        "-e",
        "UNWIND [1, 2.5, 'x', null, [true]] AS v RETURN v"
    ]));
}

#[test]
fn csv_output_follows_rfc_4180() {
    let out = ok(&[
        "--format",
        "csv",
        "-e",
        "RETURN 'a,b' AS comma, 'say \"hi\"' AS quote, 'two\nlines' AS newline, null AS nothing, [1, 'x'] AS list",
    ]);
    assert_eq!(
        out,
        "comma,quote,newline,nothing,list\r\n\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\"[1,\"\"x\"\"]\"\r\n"
    );
}

#[test]
fn markdown_output() {
    insta::assert_snapshot!(ok(&[
        "--format",
        "markdown",
        "-e",
        "MATCH (r:Role)-[:REQUIRES]->(s:Skill) RETURN s.name AS skill, collect(r.name) AS roles ORDER BY skill",
    ]));
}

#[test]
fn aggregation_groups_implicitly() {
    insta::assert_snapshot!(ok(&[
        "-e",
        "MATCH (r:Role)-[rel]->(x) RETURN type(rel) AS type, count(*) AS n, count(DISTINCT r) AS roles ORDER BY n DESC, type",
    ]));
}

#[test]
fn optional_match_keeps_rows_with_nulls() {
    insta::assert_snapshot!(ok(&[
        "-e",
        "MATCH (r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t) RETURN r.id AS role, t.name AS leads ORDER BY role",
    ]));
}

#[test]
fn describe_shows_properties_and_relationships_with_sources() {
    insta::assert_snapshot!(ok(&["-e", "DESCRIBE CTO"]));
}

#[test]
fn describe_accepts_ids_names_and_aliases_in_any_case() {
    let by_id = ok(&["-e", "DESCRIBE chief-technology-officer"]);
    assert_eq!(ok(&["-e", "DESCRIBE 'chief technology officer'"]), by_id);
    assert_eq!(ok(&["-e", "describe cto"]), by_id);
}

#[test]
fn ambiguous_alias_lists_every_candidate() {
    let err = fails(&["-e", "DESCRIBE CIO"], 1);
    assert!(
        err.contains("'CIO' is ambiguous: chief-information-officer (Chief Information Officer), chief-innovation-officer (Chief Innovation Officer)"),
        "{err}"
    );
}

#[test]
fn several_statements_and_parameters() {
    insta::assert_snapshot!(ok(&[
        "--param",
        "role=chief-technology-officer",
        "--param",
        "min=1",
        "-e",
        "MATCH (r {id: $role}) RETURN r.name AS name; MATCH (r:Role)-[x]->() WITH r, count(x) AS n WHERE n > $min RETURN r.id AS id, n ORDER BY id",
    ]));
}

#[test]
fn missing_parameter_is_an_error_with_help() {
    let err = fails(&["-e", "MATCH (r {id: $role}) RETURN r"], 1);
    insta::assert_snapshot!(err);
}

#[test]
fn bad_queries_get_positioned_errors() {
    let cases = [
        "MATCH (r:Role RETURN r",
        "MACH (r) RETURN r",
        "MATCH (r:Role) RETRUN r.name",
        "MATCH (r:Role)-[:]->(x) RETURN r",
        "MATCH (r:Role) RETURN x.name",
        "MATCH (r:Role) RETURN toUpperr(r.name)",
        "MATCH (r:Role) WHERE count(*) > 1 RETURN r",
        "MATCH (r:Role) RETURN r.name AS a, r.id AS a",
        "RETURN 'unterminated",
        "MATCH (r:Role)",
        "RETURN 1 / 0",
        "RETURN toUpper(1)",
        "DESCRIBE chief-tech-oficer",
        "MATCH (a)-[r]->(b) WITH a.name RETURN a",
        "RETURN 9223372036854775807 + 1",
    ];
    let mut all = String::new();
    for q in cases {
        let err = fails(&["-e", q], 1);
        assert!(err.contains("error: "), "{q}: {err}");
        assert!(err.contains(" --> query:"), "no position for {q}: {err}");
        all.push_str(&format!("$ rolegraph -e {q:?}\n{err}\n"));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn unknown_names_warn_with_the_closest() {
    let (out, err, code) = org(&["-e", "MATCH (r:Rol)-[:LEAD]->(t) RETURN t.nam"]);
    assert_eq!(code, 0);
    assert!(out.contains("0 rows"));
    insta::assert_snapshot!(err);
}

#[test]
fn usage_errors_exit_2() {
    rolegraph().arg("--no-such-flag").assert().code(2);
    rolegraph().args(["--format", "xml", "-e", "RETURN 1"]).assert().code(2);
    rolegraph()
        .args(["-f", "/definitely/not/here.cypher"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
    rolegraph()
        .args(["--param", "nonsense", "-e", "RETURN 1"])
        .assert()
        .code(2);
}

#[test]
fn data_errors_exit_3() {
    rolegraph()
        .args(["--data", "/definitely/not/a/dir", "-e", "RETURN 1"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("/definitely/not/a/dir"));
}

#[test]
fn version_and_help() {
    rolegraph()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
    rolegraph()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("--data"));
}

#[test]
fn script_stops_at_the_first_failing_statement_and_names_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("report.cypher");
    std::fs::write(
        &script,
        "// roles first\nMATCH (r:Role) RETURN count(r) AS roles;\n\nMATCH (r:Role)\nRETURN r.nme, undefinedVar;\nRETURN 'never printed' AS x;\n",
    )
    .unwrap();
    let out = rolegraph()
        .arg("--data")
        .arg(ORG)
        .arg("-f")
        .arg(&script)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("roles"), "{stdout}");
    assert!(!stdout.contains("never printed"), "{stdout}");
    assert!(stderr.contains(&format!("{}:5:15", script.display())), "{stderr}");

    // --keep-going runs the rest, still exiting 1.
    let out = rolegraph()
        .arg("--data")
        .arg(ORG)
        .arg("--keep-going")
        .arg("-f")
        .arg(&script)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("never printed"));
}

#[test]
fn statements_can_come_from_stdin() {
    rolegraph()
        .args(["--data", ORG, "--format", "csv"])
        .write_stdin("MATCH (t:Team) RETURN t.name AS team ORDER BY team;\n")
        .assert()
        .success()
        .stdout("team\r\nEngineering\r\nIT department\r\n");
}

#[test]
fn check_lints_without_running() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.cypher");
    let bad = dir.path().join("bad.cypher");
    std::fs::write(&good, "MATCH (r:Role) RETURN r.name;\nCREATE (:Role {id: 'x'});\n").unwrap();
    std::fs::write(&bad, "MATCH (r:Role)\nRETURN r.name, y;\n").unwrap();
    rolegraph()
        .args(["--data", ORG, "check"])
        .arg(&good)
        .assert()
        .success()
        .stdout(predicate::str::contains("ok"));
    // CREATE was only checked, so the graph still has no node 'x'.
    let err = rolegraph()
        .args(["--data", ORG, "check"])
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&err);
    assert!(err.contains(&format!("{}:2:16", bad.display())), "{err}");
}

#[test]
fn create_changes_the_in_memory_graph_and_reports_counts() {
    let out = ok(&[
        "-e",
        "CREATE (:Role {id: 'chief-data-officer', name: 'Chief Data Officer'})-[:REPORTS_TO {sources: ['handbook']}]->(:Role {id: 'board', name: 'Board'})",
        "-e",
        "MATCH (r:Role {id: 'chief-data-officer'})-[:REPORTS_TO]->(b) RETURN b.name AS boss",
    ]);
    insta::assert_snapshot!(out);
}

#[test]
fn timing_is_shown_when_asked() {
    let out = ok(&["--timing", "-e", "RETURN 1 AS one"]);
    assert!(
        predicate::str::is_match(r"1 row \(\d+\.\d ms\)").unwrap().eval(&out),
        "{out}"
    );
}

#[test]
fn built_in_graph_runs_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    rolegraph()
        .current_dir(dir.path())
        .args(["-e", "MATCH (r:Role) RETURN r.name ORDER BY r.name"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Chief Technology Officer"));
}

#[test]
fn built_in_describe_cto_shows_sources() {
    rolegraph()
        .args(["-e", "DESCRIBE CTO"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Chief Technology Officer (chief-technology-officer) :Role",
        ))
        .stdout(predicate::str::contains("cpo-vs-cto"));
}

#[test]
fn built_in_describe_cio_reports_the_ambiguity() {
    rolegraph()
        .args(["-e", "DESCRIBE CIO"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "'CIO' is ambiguous: chief-information-officer (Chief Information Officer), chief-innovation-officer (Chief Innovation Officer)",
        ));
}

#[test]
fn an_unclosed_csv_quote_is_a_data_error_not_a_long_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Role.csv"), "id,name\nr1,\"Chief\nr2,ok\n").unwrap();
    rolegraph()
        .arg("--data")
        .arg(dir.path())
        .args(["-e", "RETURN 1"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("this quote is never closed"))
        .stderr(predicate::str::contains("Role.csv:2:4"))
        .stderr(predicate::str::contains("nothing was loaded"));
}

/// Python 3, whose json and csv modules judge our documents; None (and a
/// printed reason) where it is not installed.
fn python() -> Option<&'static str> {
    let found = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        println!("skipped: python3 not installed (it checks the JSON and CSV documents)");
    }
    found.then_some("python3")
}

/// Runs `code` in Python with `input` on its standard input; returns stdout.
fn py(code: &str, input: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .arg("-c")
        .arg(code)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python rejected the document:\n{}\n---\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(input)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const SCRIPT: &str = "// a report\nMATCH (r:Role) RETURN r.name AS role ORDER BY role LIMIT 2;\nMATCH (t:Team) RETURN t.name AS team, [t.id, 1] AS parts ORDER BY team;\nRETURN '=1+2' AS formula, {a: [1, 2]} AS m;\n";

#[test]
fn a_script_of_several_statements_is_one_document_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("report.cypher");
    std::fs::write(&script, SCRIPT).unwrap();
    let script = script.to_str().unwrap();

    // JSON: one array of {statement, text, columns, rows, warnings}.
    let json = ok(&["--format", "json", "-f", script]);
    if python().is_some() {
        let got = py(
            "import json,sys\nd=json.load(sys.stdin)\nfor s in d: print(s['statement'], s['text'].split()[0], s['columns'], len(s['rows']), s['warnings'])",
            json.as_bytes(),
        );
        assert_eq!(
            got,
            "1 MATCH ['role'] 2 []\n2 MATCH ['team', 'parts'] 2 []\n3 RETURN ['formula', 'm'] 1 []\n"
        );
    }
    assert!(json.starts_with("[\n  {\n    \"statement\": 1,"), "{json}");

    // JSON lines: every line says which statement it comes from.
    let jsonl = ok(&["--format", "jsonl", "-f", script]);
    if python().is_some() {
        let got = py(
            "import json,sys\nfor l in sys.stdin: print(json.loads(l)['statement'], end=' ')",
            jsonl.as_bytes(),
        );
        assert_eq!(got, "1 1 2 2 3 ");
    }

    // CSV: one table per file with --output-dir; refused on stdout.
    let err = fails(&["--format", "csv", "-f", script], 2);
    assert!(err.contains("--output-dir"), "{err}");
    let out_dir = dir.path().join("out");
    let printed = ok(&[
        "--format",
        "csv",
        "--output-dir",
        out_dir.to_str().unwrap(),
        "-f",
        script,
    ]);
    assert_eq!(printed, "");
    let second = std::fs::read(out_dir.join("2.csv")).unwrap();
    let third = std::fs::read(out_dir.join("3.csv")).unwrap();
    if python().is_some() {
        let read = "import csv,sys,json\nrows=list(csv.reader(sys.stdin))\nprint(rows)";
        assert_eq!(
            py(read, &second),
            "[['team', 'parts'], ['Engineering', '[\"engineering\",1]'], ['IT department', '[\"it-department\",1]']]\n"
        );
        assert_eq!(py(read, &third), "[['formula', 'm'], ['=1+2', '{\"a\":[1,2]}']]\n");
    }
    // Formulas neutralised on request.
    let safe = ok(&[
        "--format",
        "csv",
        "--safe-csv",
        "-e",
        "RETURN '=1+2' AS f, '-x' AS g, -3 AS n",
    ]);
    assert_eq!(safe, "f,g,n\r\n'=1+2,'-x,-3\r\n");

    // One statement prints as it always did.
    let single = ok(&["--format", "json", "-e", "RETURN 1 AS a"]);
    assert_eq!(single, "[\n  {\n    \"a\": 1\n  }\n]\n");
    let single = ok(&["--format", "jsonl", "-e", "RETURN 1 AS a"]);
    assert_eq!(single, "{\"a\":1}\n");
}

#[test]
fn several_statements_stay_one_document_when_one_fails() {
    let (out, err, code) = org(&["--format", "json", "-e", "RETURN 1 AS a; RETURN nope; RETURN 3 AS c"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("nope"), "{err}");
    let parsed: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(parsed.as_array().map(Vec::len), Some(1), "{out}");
    // Several -e count together.
    let out = ok(&["--format", "json", "-e", "RETURN 1 AS a", "-e", "RETURN 2 AS b"]);
    let parsed: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(parsed[1]["rows"][0]["b"], 2, "{out}");
}

#[test]
fn scripts_take_meta_commands_however_they_are_run() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("meta.cypher");
    std::fs::write(
        &script,
        ":format csv\n:param role => 'chief-technology-officer'\n:param {min: 1}\nMATCH (r {id: $role}) RETURN r.name AS name, $min AS min;\n",
    )
    .unwrap();
    let want = "name,min\r\nChief Technology Officer,1\r\n";
    assert_eq!(ok(&["-f", script.to_str().unwrap()]), want);
    rolegraph()
        .args(["--data", ORG])
        .write_stdin(std::fs::read(&script).unwrap())
        .assert()
        .success()
        .stdout(want);
    rolegraph()
        .args(["--data", ORG, "-f", "-"])
        .write_stdin(std::fs::read(&script).unwrap())
        .assert()
        .success()
        .stdout(want);
    // A malformed :param is an error, not a strange string.
    let err = fails(&["-e", ":param => 'x'\nRETURN 1;"], 1);
    assert!(err.contains("parameter name"), "{err}");
}

#[test]
fn timing_goes_to_stderr_for_machine_formats() {
    let (out, err, code) = org(&["--timing", "--format", "csv", "-e", "RETURN 1 AS a"]);
    assert_eq!(code, 0);
    assert_eq!(out, "a\r\n1\r\n");
    assert!(err.contains("1 row (") && err.contains(" ms)"), "{err}");
}

#[test]
fn describe_carries_its_header_and_confidence_in_every_format() {
    let json = rolegraph()
        .args(["--format", "json", "-e", "DESCRIBE CTO"])
        .output()
        .unwrap();
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let rows = v.as_array().unwrap();
    let fact = |what: &str| {
        rows.iter()
            .find(|r| r["direction"] == "node" && r["type"] == what)
            .unwrap_or_else(|| panic!("no {what} row in {v}"))
            .clone()
    };
    assert!(fact("aliases")["name"].as_array().unwrap().contains(&"CTO".into()));
    assert!(fact("description")["name"].as_str().unwrap().len() > 20);
    assert!(!fact("name")["sources"].as_array().unwrap().is_empty());
    assert!(rows.iter().all(|r| r.get("confidence").is_some()));
    assert!(rows.iter().any(|r| r["confidence"] == "medium"), "{v}");
    let csv = rolegraph()
        .args(["--format", "csv", "-e", "DESCRIBE CTO"])
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&csv.stdout);
    assert!(
        csv.starts_with("direction,type,id,name,sources,confidence\r\nnode,name,"),
        "{csv}"
    );
    assert!(csv.contains("node,description,chief-technology-officer,"), "{csv}");
    let table = rolegraph().args(["-e", "DESCRIBE CTO"]).output().unwrap();
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.contains("┆ confidence │") && table.contains("┆ medium"),
        "{table}"
    );
}

#[test]
fn errors_are_coloured_when_asked_and_plain_otherwise() {
    let (_, err, code) = org(&["--color", "always", "-e", "MACH (n) RETURN n"]);
    assert_eq!(code, 1);
    assert!(err.contains("\x1b[1;31merror:"), "{err:?}");
    let (_, err, _) = org(&["--color", "never", "-e", "MACH (n) RETURN n"]);
    assert!(
        err.starts_with("error: unexpected 'MACH'") && !err.contains('\x1b'),
        "{err:?}"
    );
    // auto: stderr is not a terminal here.
    let (_, err, _) = org(&["-e", "MACH (n) RETURN n"]);
    assert!(!err.contains('\x1b'), "{err:?}");
    let err = fails(&["--color", "sometimes", "-e", "RETURN 1"], 2);
    assert!(err.contains("sometimes"), "{err}");
}

#[test]
fn completions_and_the_manual_are_generated_from_the_options() {
    for (shell, marker) in [
        ("bash", "_rolegraph()"),
        ("zsh", "#compdef rolegraph"),
        ("fish", "complete -c rolegraph"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = ok(&["completions", shell]);
        assert!(out.contains(marker), "{shell}: {out}");
        assert!(
            out.contains("output-dir") && out.contains("safe-csv"),
            "{shell} lacks options"
        );
    }
    // bash can read what it is given.
    if std::process::Command::new("bash").arg("--version").output().is_ok() {
        let script = ok(&["completions", "bash"]);
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("rolegraph.bash");
        std::fs::write(&f, script).unwrap();
        let st = std::process::Command::new("bash").arg("-n").arg(&f).status().unwrap();
        assert!(st.success(), "bash -n rejects the completion script");
    }
    let err = fails(&["completions", "tcsh"], 2);
    assert!(err.contains("tcsh"), "{err}");
    let page = ok(&["man"]);
    assert!(page.starts_with(".ie") || page.contains(".TH rolegraph"), "{page}");
    for part in [".SH NAME", "\\-\\-output\\-dir", "\\-\\-safe\\-csv", "completions"] {
        assert!(page.contains(part), "{part} not in the page");
    }
    let dir = tempfile::tempdir().unwrap();
    ok(&["man", "--dir", dir.path().to_str().unwrap()]);
    for f in ["rolegraph.1", "rolegraph-export.1", "rolegraph-check.1"] {
        assert!(dir.path().join(f).exists(), "{f} not written");
    }
}
