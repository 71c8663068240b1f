//! MATRIX on the built-in knowledge base: the rows are checked against a
//! matrix built here from a plain MATCH, every output format is parsed back,
//! TRANSLATE's openCypher is run and must give the same rows, and bad
//! references and types get their caret.

use std::collections::BTreeMap;

use assert_cmd::Command as Cli;
use rolegraph::{Rows, Session, Value};

const CIO: &str = "chief-information-officer";
const CTO: &str = "chief-technology-officer";
const CPO: &str = "chief-product-officer";

fn session() -> Session {
    Session::builtin().expect("built-in graph loads")
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_list().expect("a list").iter().map(text).collect()
}

/// An expected matrix built from a plain MATCH: per (type, item id), the
/// item's name, per compared id its cell, and the sources (as a set).
type Expected = BTreeMap<(String, String), (String, BTreeMap<String, String>, Vec<String>)>;

fn expected(s: &mut Session, ids: &[&str], types: &[&str]) -> Expected {
    let list = |xs: &[&str]| xs.iter().map(|x| format!("'{x}'")).collect::<Vec<_>>().join(", ");
    let q = format!(
        "MATCH (r)-[x]->(i) WHERE r.id IN [{}] AND type(x) IN [{}] \
         RETURN type(x) AS t, i.id AS id, i.name AS name, r.id AS who, x.confidence AS conf, x.sources AS sources",
        list(ids),
        list(types)
    );
    let rows = s.run(&q).unwrap();
    let mut out: Expected = BTreeMap::new();
    for r in &rows.rows {
        let entry = out
            .entry((text(&r[0]), text(&r[1])))
            .or_insert_with(|| (text(&r[2]), BTreeMap::new(), Vec::new()));
        let cell = match &r[4] {
            Value::Null => "✓".to_string(),
            c => format!("✓ {}", text(c)),
        };
        entry.1.insert(text(&r[3]), cell);
        for src in strings(&r[5]) {
            if !entry.2.contains(&src) {
                entry.2.push(src);
            }
        }
    }
    for e in out.values_mut() {
        e.2.sort();
    }
    out
}

fn col(rows: &Rows, name: &str) -> usize {
    rows.columns
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows.columns))
}

/// The statement's rows in the same shape as [`expected`], given the
/// column name of each compared id.
fn actual(rows: &Rows, columns: &[(&str, &str)]) -> Expected {
    let mut out: Expected = BTreeMap::new();
    for r in &rows.rows {
        let mut cells = BTreeMap::new();
        for (id, c) in columns {
            let v = text(&r[col(rows, c)]);
            if !v.is_empty() {
                cells.insert(id.to_string(), v);
            }
        }
        let mut sources = strings(&r[col(rows, "sources")]);
        sources.sort();
        let before = out.insert(
            (text(&r[col(rows, "type")]), text(&r[col(rows, "id")])),
            (text(&r[col(rows, "name")]), cells, sources),
        );
        assert!(before.is_none(), "an item listed twice: {r:?}");
    }
    out
}

#[test]
fn rows_match_a_plain_match() {
    let mut s = session();
    let rows = s.run("MATRIX CTO, CPO, chief-information-officer").unwrap();
    assert_eq!(
        rows.columns,
        ["type", "id", "name", "CTO", "CPO", "CIO", "sources", "overlap"],
        "short columns: CIO is unique among the compared roles"
    );
    let cols = [(CTO, "CTO"), (CPO, "CPO"), (CIO, "CIO")];
    let want = expected(&mut s, &[CTO, CPO, CIO], &["RESPONSIBLE_FOR"]);
    assert!(want.len() > 20, "the built-in graph has many responsibilities");
    assert_eq!(actual(&rows, &cols), want);
    // `overlap` is true exactly where more than one role is marked.
    for r in &rows.rows {
        let marked = cols.iter().filter(|(_, c)| !text(&r[col(&rows, c)]).is_empty()).count();
        assert!(
            matches!(r[col(&rows, "overlap")], Value::Bool(b) if b == (marked > 1)),
            "{r:?}"
        );
    }
    // Sorted by type, then name.
    let names: Vec<String> = rows.rows.iter().map(|r| text(&r[2])).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    // A fact with a stated confidence, and one without, from the data.
    let governance = rows.rows.iter().find(|r| text(&r[1]) == "it-governance").unwrap();
    assert_eq!(text(&governance[3]), "✓ medium");
    assert_eq!(text(&governance[5]), "✓");
    assert_eq!(text(&governance[4]), "");
}

#[test]
fn on_types_and_undirected_types() {
    let mut s = session();
    let rows = s.run("MATRIX CTO, CPO ON REQUIRES|LEADS").unwrap();
    let want = expected(&mut s, &[CTO, CPO], &["REQUIRES", "LEADS"]);
    assert_eq!(actual(&rows, &[(CTO, "CTO"), (CPO, "CPO")]), want);
    let types: Vec<String> = rows.rows.iter().map(|r| text(&r[0])).collect();
    assert!(types.iter().any(|t| t == "LEADS") && types.iter().any(|t| t == "REQUIRES"));
    assert!(types.windows(2).all(|w| w[0] <= w[1]), "grouped by type: {types:?}");
    // COLLABORATES_WITH is meant both ways: a role reaches whoever it
    // collaborates with, whichever way the fact is stored.
    let rows = s.run("MATRIX CTO, CPO ON COLLABORATES_WITH").unwrap();
    let both = s
        .run(&format!(
            "MATCH (a)-[:COLLABORATES_WITH]-(b) WHERE a.id IN ['{CTO}', '{CPO}'] RETURN DISTINCT a.id, b.id"
        ))
        .unwrap();
    let marked: usize = rows
        .rows
        .iter()
        .map(|r| [3, 4].iter().filter(|i| !text(&r[**i]).is_empty()).count())
        .sum();
    assert_eq!(marked, both.rows.len());
}

#[test]
fn summary_counts_and_shared_items() {
    let mut s = session();
    let rows = s.run("MATRIX CTO, CPO, chief-information-officer").unwrap();
    let want = expected(&mut s, &[CTO, CPO, CIO], &["RESPONSIBLE_FOR"]);
    let count = |id: &str, shared: Option<bool>| {
        want.values()
            .filter(|(_, cells, _)| cells.contains_key(id))
            .filter(|(_, cells, _)| shared.is_none_or(|sh| (cells.len() > 1) == sh))
            .count() as i64
    };
    // The per-role table below the matrix.
    let per = &rows.sections[0];
    assert_eq!(per.columns, ["column", "id", "name", "alone", "shared", "in all"]);
    for (i, id) in [CTO, CPO, CIO].iter().enumerate() {
        let r = &per.rows[i];
        assert_eq!(text(&r[1]), *id);
        assert_eq!(
            format!("{:?}", &r[3..]),
            format!(
                "{:?}",
                [
                    Value::Int(count(id, Some(false))),
                    Value::Int(count(id, Some(true))),
                    Value::Int(count(id, None))
                ]
            )
        );
    }
    // The shared items: what an organisation must settle.
    let shared = &rows.sections[1];
    let want_shared: Vec<String> = want
        .iter()
        .filter(|(_, (_, cells, _))| cells.len() > 1)
        .map(|((_, id), _)| id.clone())
        .collect();
    let mut got: Vec<String> = shared.rows.iter().map(|r| text(&r[1])).collect();
    got.sort();
    let mut want_sorted = want_shared.clone();
    want_sorted.sort();
    assert_eq!(got, want_sorted);
    assert!(
        shared
            .title
            .as_ref()
            .unwrap()
            .contains(&format!("({})", want_shared.len()))
    );
    // In JSON and CSV: the same counts as footer rows.
    let footer: Vec<(String, Vec<Value>)> = rows
        .footer_rows
        .iter()
        .map(|r| (text(&r[1]), r[3..6].to_vec()))
        .collect();
    assert_eq!(footer[0].0, "alone");
    assert_eq!(
        format!("{:?}", footer[0].1),
        format!(
            "{:?}",
            vec![
                Value::Int(count(CTO, Some(false))),
                Value::Int(count(CPO, Some(false))),
                Value::Int(count(CIO, Some(false)))
            ]
        )
    );
    assert_eq!(footer[2].0, "in all");
}

#[test]
fn columns_fall_back_to_ids_when_aliases_clash() {
    let rows = session()
        .run("MATRIX chief-information-officer, chief-innovation-officer, CTO ON REQUIRES")
        .unwrap();
    assert_eq!(
        &rows.columns[3..6],
        ["chief-information-officer", "chief-innovation-officer", "CTO"]
    );
    let t = rows.title.unwrap();
    assert!(
        t.contains("chief-information-officer: Chief Information Officer"),
        "{t}"
    );
}

fn run_bin(args: &[&str]) -> (i32, String, String) {
    let out = Cli::cargo_bin("rolegraph").unwrap().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_format_carries_the_matrix() {
    let q = "MATRIX CTO, CPO";
    let mut s = session();
    let rows = s.run(q).unwrap();
    let n = rows.rows.len();

    let (code, out, err) = run_bin(&["--format", "json", "-e", q]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let arr = json.as_array().unwrap();
    assert_eq!(arr.len(), 1 + n + 3, "column ids, the items, three count rows");
    assert_eq!(arr[0]["type"], "column");
    assert_eq!(arr[0]["CTO"], CTO);
    assert_eq!(arr[1]["type"], "RESPONSIBLE_FOR");
    assert!(arr[1]["sources"].is_array() && arr[1]["overlap"].is_boolean());
    assert_eq!(arr[n + 3]["type"], "summary");
    assert_eq!(arr[n + 3]["id"], "in all");
    assert!(arr[n + 3]["CTO"].as_i64().unwrap() > 0);

    let (code, out, _) = run_bin(&["--format", "jsonl", "-e", q]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1 + n + 3);
    for line in out.lines() {
        let _: serde_json::Value = serde_json::from_str(line).unwrap();
    }

    let (code, out, _) = run_bin(&["--format", "csv", "-e", q]);
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, ["type", "id", "name", "CTO", "CPO", "sources", "overlap"]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 1 + n + 3);
    let sources: Vec<String> = serde_json::from_str(&records[1][5]).unwrap();
    assert!(!sources.is_empty());

    let (code, out, _) = run_bin(&["--format", "markdown", "-e", q]);
    assert_eq!(code, 0);
    assert!(
        out.contains("| type | id | name | CTO | CPO | sources | overlap |"),
        "{out}"
    );
    assert!(
        out.contains("| column | id | name | alone | shared | in all |"),
        "{out}"
    );
    assert!(out.contains("| type | id | name | reached by |"), "{out}");
    // Three tables: the matrix, per role, the shared items.
    assert_eq!(out.lines().filter(|l| l.starts_with("|---|")).count(), 3);

    let (code, out, _) = run_bin(&["-e", q]);
    assert_eq!(code, 0);
    assert!(out.starts_with("MATRIX ON RESPONSIBLE_FOR: "), "{out}");
    assert!(out.contains(&format!("{n} rows")));
    assert!(out.contains("Per column: items it reaches alone"), "{out}");
    assert!(out.contains("Reached by more than one ("), "{out}");
}

#[test]
fn translate_gives_the_same_rows() {
    let mut s = session();
    for q in [
        "MATRIX CTO, CPO, chief-information-officer",
        "MATRIX CTO, CPO, CEO ON REQUIRES|LEADS|WORKS_WITH|FOCUSES_ON",
        "MATRIX CTO, CPO ON COLLABORATES_WITH|REPORTS_TO|SIMILAR_TO",
    ] {
        let native = s.run(q).unwrap();
        let t = s.run(&format!("TRANSLATE {q}")).unwrap();
        let statements: Vec<String> = t.rows.iter().map(|r| text(&r[0])).collect();
        assert_eq!(statements.len(), 3, "{q}");
        let table = s.run(&statements[0]).unwrap();
        assert_eq!(table.columns, native.columns, "{q}");
        assert_eq!(format!("{:?}", table.rows), format!("{:?}", native.rows), "{q}");
        // The counts per node.
        let counts = s.run(&statements[1]).unwrap();
        let want: Vec<Vec<Value>> = native.sections[0]
            .rows
            .iter()
            .map(|r| vec![r[1].clone(), r[3].clone(), r[4].clone(), r[5].clone()])
            .collect();
        assert_eq!(format!("{:?}", counts.rows), format!("{:?}", want), "{q}");
        // The shared items.
        let shared = s.run(&statements[2]).unwrap();
        let ids = |rows: &Rows| rows.rows.iter().map(|r| text(&r[1])).collect::<Vec<_>>();
        assert_eq!(ids(&shared), ids(&native.sections[1]), "{q}");
    }
}

#[test]
fn bad_references_and_types_are_pointed_at() {
    let (code, _, err) = run_bin(&["-e", "MATRIX CTO, Chief Prodct Officer"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("unexpected 'Prodct'") && err.contains("quote names with spaces"),
        "{err}"
    );

    let (code, _, err) = run_bin(&["-e", "MATRIX CTO, 'Chief Prodct Officer'"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean"), "{err}");
    let caret_line = err.lines().find(|l| l.contains('^')).unwrap_or_else(|| panic!("{err}"));
    let source_line = err.lines().find(|l| l.contains("MATRIX CTO")).unwrap();
    let col = caret_line.find('^').unwrap();
    assert_eq!(
        &source_line[col..col + 1],
        "'",
        "the caret is under the reference:\n{err}"
    );

    let (code, _, err) = run_bin(&["-e", "MATRIX CIO, CTO"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("ambiguous") && err.contains(CIO) && err.contains("chief-innovation-officer"),
        "{err}"
    );

    let (code, _, err) = run_bin(&["-e", "MATRIX CTO, chief-technology-officer"]);
    assert_eq!(code, 1);
    assert!(err.contains("already listed"), "{err}");

    let (code, _, err) = run_bin(&["-e", "MATRIX CTO"]);
    assert_eq!(code, 1);
    assert!(err.contains('^'), "{err}");

    // An unknown type is a warning with the closest one, as for OVERLAP:
    // the statement runs (and finds nothing of that type).
    let (code, out, err) = run_bin(&["-e", "MATRIX CTO, CPO ON REQUIRS"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("REQUIRS") && err.contains("did you mean 'REQUIRES'"),
        "{err}"
    );
    assert!(err.contains('^'), "{err}");
    assert!(out.contains("0 items"), "{out}");
}

#[test]
fn explain_names_the_step() {
    let rows = session().run("EXPLAIN MATRIX CTO, CPO").unwrap();
    assert_eq!(text(&rows.rows[0][1]), "Matrix");
}
