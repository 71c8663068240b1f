//! DOT output: golden files for the diagrams (each also laid out by
//! Graphviz's `dot` when it is installed), hostile names in DOT, CSV and
//! JSON, and the export command's files.
//!
//! Regenerate the golden files after a reviewed change with
//! `UPDATE_GOLDEN=1 cargo test --test dot`, then read the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::Command as Cli;
use rolegraph::Session;
use rolegraph::export::{ExportError, What, build_dot};

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/dot")
        .join(format!("{name}.dot"))
}

fn dot_installed() -> bool {
    Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success())
}

/// Lays `text` out with `dot -Tsvg` and returns the SVG; `None` (with the
/// reason printed) when Graphviz is not installed.
fn dot_svg(text: &str) -> Option<String> {
    if !dot_installed() {
        println!("skipped: graphviz 'dot' not installed");
        return None;
    }
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "dot failed: {stderr}");
    assert!(stderr.trim().is_empty(), "dot warned: {stderr}");
    Some(String::from_utf8(out.stdout).unwrap())
}

fn check_golden(name: &str, actual: &str) {
    let path = golden_path(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run UPDATE_GOLDEN=1 cargo test --test dot)", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output at line {}:\n  golden: {:?}\n  actual: {:?}\n(after review: UPDATE_GOLDEN=1 cargo test --test dot)",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
    assert_well_formed(actual);
    if let Some(svg) = dot_svg(actual) {
        assert!(svg.contains("<svg"), "{name}: no SVG");
    }
}

/// Checks DOT text without Graphviz: every quoted string ends on its line,
/// and outside quotes there is nothing but DOT punctuation and our
/// attribute names. A name that broke out of its quotes fails here.
fn assert_well_formed(text: &str) {
    let mut in_quote = false;
    let mut escaped = false;
    let mut depth = 0i32;
    let mut html_depth = 0i32;
    for (i, c) in text.chars().enumerate() {
        if in_quote {
            assert!(c != '\n', "raw newline inside a quoted string at char {i}");
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_quote = false;
            }
            continue;
        }
        if html_depth > 0 {
            assert!(
                !c.is_control() || c == '\n',
                "raw control character inside an HTML label at char {i}"
            );
            match c {
                '<' => html_depth += 1,
                '>' => html_depth -= 1,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_quote = true,
            '<' => html_depth = 1,
            '{' => depth += 1,
            '}' => depth -= 1,
            c if c.is_ascii_alphanumeric() || " \n=[]-_>;".contains(c) => {}
            c => panic!(
                "unexpected {c:?} outside quotes at char {i}:\n{}",
                &text[..i.min(text.len())]
            ),
        }
        assert!(depth >= 0, "unbalanced braces");
    }
    assert!(!in_quote, "unterminated quoted string");
    assert_eq!(html_depth, 0, "unterminated HTML label");
    assert_eq!(depth, 0, "unbalanced braces");
}

fn builtin_dot(what: What) -> String {
    build_dot(&mut Session::builtin().unwrap(), &what, None).unwrap()
}

fn refs(r: &[&str]) -> Vec<String> {
    r.iter().map(|s| s.to_string()).collect()
}

#[test]
fn golden_overlap_cio_cto() {
    let dot = builtin_dot(What::Overlap {
        refs: refs(&["Chief Information Officer", "CTO"]),
        types: vec![],
    });
    check_golden("overlap-cio-cto", &dot);
}

#[test]
fn golden_overlap_cio_cto_cpo() {
    let dot = builtin_dot(What::Overlap {
        refs: refs(&["chief-information-officer", "CTO", "CPO"]),
        types: vec![],
    });
    // Every non-empty region of the three-set Venn diagram is a cluster;
    // the empty ones are named in a note instead of drawn as boxes.
    let mut session = Session::builtin().unwrap();
    let rows = session.run("OVERLAP chief-information-officer, CTO, CPO").unwrap();
    let regions: std::collections::BTreeSet<String> = rows
        .column("region")
        .unwrap()
        .into_iter()
        .map(|v| v.as_str().unwrap().to_string())
        .filter(|r| r != "between")
        .collect();
    assert_eq!(dot.matches("\n  \"region:").count(), regions.len());
    assert_eq!(regions.len() < 7, dot.contains("Empty, not drawn"), "{regions:?}");
    assert!(!dot.contains(": nothing"));
    // Names, not ids, in what a reader sees.
    assert!(!dot.contains("label=\"Chief Information Officer\\n(chief-information-officer)\""));
    check_golden("overlap-cio-cto-cpo", &dot);
}

#[test]
fn golden_diff_cto_innovation_officer() {
    let dot = builtin_dot(What::Diff("CTO".into(), "Chief Innovation Officer".into()));
    for c in ["\"only:0\"[", "\"only:1\"[", "\"opposite\"[", "\"disputed\"["] {
        assert!(dot.contains(c), "{c}");
    }
    // Nothing twice: a pole or a disputed claim is not listed again among
    // a side's own items, and every element id is unique.
    let ids: Vec<&str> = dot
        .match_indices("ID=\"")
        .map(|(i, _)| {
            let rest = &dot[i + 4..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an element drawn twice");
    let mut session = Session::builtin().unwrap();
    let rows = session.run("DIFF CTO, 'Chief Innovation Officer'").unwrap();
    let col = |name: &str| rows.columns.iter().position(|c| c == name).unwrap();
    let mut checked = 0;
    for row in &rows.rows {
        let section = row[col("section")].as_str().unwrap_or_default();
        if section != "opposite" && section != "disputed" {
            continue;
        }
        let side = if row[col("side")].as_str() == Some("chief-technology-officer") {
            0
        } else {
            1
        };
        let (t, id) = (row[col("type")].as_str().unwrap(), row[col("id")].as_str().unwrap());
        assert!(
            !dot.contains(&format!("ID=\"item:only:{side}:{t}:{id}\"")),
            "{t} {id} is shown under '{section}' and listed again"
        );
        checked += 1;
    }
    assert!(checked > 0);
    assert!(dot.contains("How Chief Technology Officer and Chief Innovation Officer differ"));
    check_golden("diff-cto-chief-innovation-officer", &dot);
}

#[test]
fn golden_orgchart() {
    let dot = builtin_dot(What::OrgChart(None));
    // The CTO reports to the CEO or the COO: both edges dashed.
    for boss in ["chief-executive-officer", "chief-operating-officer"] {
        let line = dot
            .lines()
            .find(|l| l.contains(&format!("\"role:{boss}\" -> \"role:chief-technology-officer\"")))
            .unwrap_or_else(|| panic!("edge from {boss}"));
        assert!(line.contains("style=\"dashed\""), "{line}");
    }
    assert!(
        dot.contains("constraint=\"false\""),
        "collaboration does not shape the layout"
    );
    // Variants beside their role by a flat edge, never a `rank=same` group
    // (which Graphviz 2.43 cannot lay out next to clusters).
    assert!(dot.contains("minlen=\"0\""), "variants beside their role");
    assert!(!dot.contains("rank="), "no rank groups");
    // Sources are one footnote, not a label on every edge.
    assert!(!dot.contains("label=\"cpo-vs-cto\""));
    assert!(dot.contains("Sources: "));
    assert!(dot.contains("cpo-vs-cto (Chief Product"));
    // The footnote is wrapped, so it does not set the drawing's width.
    let note = &dot[dot.find("Sources: ").unwrap()..];
    let note = &note[..note.find("</FONT>").unwrap()];
    assert!(
        note.split("<BR/>").count() > 1 && note.split("<BR/>").all(|l| l.chars().count() <= 110),
        "{note}"
    );
    check_golden("orgchart", &dot);
}

/// The role matrix: one HTML-like table, a column per role (its id in the
/// cell's ID, so the HTML page finds its facts), a cell per claim whose ID
/// names the relationship, shaded rows for shared items, the counts last.
#[test]
fn golden_matrix_cto_cpo_cio() {
    let mut session = Session::builtin().unwrap();
    let dot = build_dot(
        &mut session,
        &What::Matrix {
            refs: refs(&["CTO", "CPO", "chief-information-officer"]),
            types: vec![],
        },
        None,
    )
    .unwrap();
    assert!(dot.contains(
        "Who is responsible for what: Chief Technology Officer, Chief Product Officer and Chief Information Officer"
    ));
    for id in [
        "chief-technology-officer",
        "chief-product-officer",
        "chief-information-officer",
    ] {
        assert!(dot.contains(&format!("ID=\"node:{id}\"")), "{id}");
    }
    let rows = session.run("MATRIX CTO, CPO, chief-information-officer").unwrap();
    let claims: usize = rows
        .rows
        .iter()
        .map(|r| {
            r[3..6]
                .iter()
                .filter(|v| !matches!(v, rolegraph::Value::String(s) if s.is_empty()))
                .count()
        })
        .sum();
    assert_eq!(dot.matches("ID=\"rel:").count(), claims, "one cell per claim");
    let shared = rows.sections[1].rows.len();
    // Each shared row shades its name, its cells and its sources.
    assert_eq!(dot.matches("BGCOLOR=\"#fde9c4\" HREF=\"#\" ID=\"item:").count(), shared);
    assert!(dot.contains("Items alone") && dot.contains("Items in all"));
    assert!(dot.contains("✓<BR/><FONT POINT-SIZE=\"11\">medium</FONT>"));
    check_golden("matrix-cto-cpo-cio", &dot);
    // Without sources: no sources column and no footnote.
    let bare = rolegraph::export::build_dot_warned(
        &mut session,
        &What::Matrix {
            refs: refs(&["CTO", "CPO"]),
            types: vec![],
        },
        None,
        &rolegraph::render::dot::DiagramOptions {
            no_sources: true,
            ..Default::default()
        },
    )
    .unwrap()
    .0;
    assert!(!bare.contains("<B>Sources</B>") && !bare.contains("Sources: "));
    assert_well_formed(&bare);
}

#[test]
fn four_role_overlap_is_valid_and_complete() {
    let dot = builtin_dot(What::Overlap {
        refs: refs(&["chief-information-officer", "CTO", "CPO", "chief-innovation-officer"]),
        types: vec![],
    });
    // Each of the 15 regions is drawn or named as empty, never both.
    let drawn = dot.matches("\n  \"region:").count();
    let empty = match dot.find("Empty, not drawn: ") {
        Some(i) => {
            let rest = &dot[i..];
            rest[..rest.find("</FONT>").unwrap()].split("; ").count()
        }
        None => 0,
    };
    assert_eq!(drawn + empty, 15, "{drawn} drawn, {empty} empty");
    assert_well_formed(&dot);
    dot_svg(&dot);
}

#[test]
fn path_and_query_results_draw() {
    let path = builtin_dot(What::Path {
        from: "infrastructure-overseer".into(),
        to: "CPO".into(),
        via: refs(&["VARIANT_OF", "LEADS", "WORKS_WITH"]),
        all: false,
    });
    assert!(path.contains("\"node:engineering\" -> \"node:chief-product-officer\""));
    assert!(path.contains("dir=\"back\""), "a hop stored the other way");
    assert_well_formed(&path);
    dot_svg(&path);
    let query = builtin_dot(What::Query("MATCH p = (:Role)-[:REPORTS_TO]->(:Role) RETURN p".into()));
    assert!(query.contains("REPORTS_TO"));
    assert_well_formed(&query);
    dot_svg(&query);
}

#[test]
fn output_is_deterministic() {
    for _ in 0..3 {
        let a = builtin_dot(What::Overlap {
            refs: refs(&["chief-information-officer", "CTO", "CPO"]),
            types: vec![],
        });
        let b = builtin_dot(What::Overlap {
            refs: refs(&["chief-information-officer", "CTO", "CPO"]),
            types: vec![],
        });
        assert_eq!(a, b);
    }
}

// ------------------------------------------------------------ hostile names

const HOSTILE: &str = "He said \"hi\" \\ {x} <b>\nsecond line, with; commas & \u{7}bell \u{1b}[31m Zoë 東京 \\";

/// A small graph whose names and dimension try to break every format.
fn hostile_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let toml_str = |s: &str| {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    };
    let nodes = format!(
        r#"
[[node]]
label = "Source"
id = "src-a"
name = "Source A"
title = {hostile}
file = "a.txt"

[[node]]
label = "Role"
id = "role-a"
name = {hostile}
sources = ["src-a"]

[[node]]
label = "Role"
id = "role-b"
name = "Plain, \"B\" role"
sources = ["src-a"]

[[node]]
label = "Team"
id = "team-x"
name = "R&D <team> {{y}} [z] -> \\N"
sources = ["src-a"]

[[node]]
label = "Focus"
id = "pole-p"
name = "Pole P"
dimension = {hostile}
sources = ["src-a"]

[[node]]
label = "Focus"
id = "pole-q"
name = "Pole Q"
dimension = {hostile}
sources = ["src-a"]
"#,
        hostile = toml_str(HOSTILE)
    );
    let rels = r#"
[[rel]]
type = "LEADS"
from = "role-a"
to = "team-x"
sources = ["src-a"]

[[rel]]
type = "WORKS_WITH"
from = "role-b"
to = "team-x"
sources = ["src-a"]

[[rel]]
type = "FOCUSES_ON"
from = "role-a"
to = "pole-p"
sources = ["src-a"]

[[rel]]
type = "FOCUSES_ON"
from = "role-b"
to = "pole-q"
sources = ["src-a"]

[[rel]]
type = "REPORTS_TO"
from = "role-a"
to = "role-b"
sources = ["src-a"]

[[rel]]
type = "COLLABORATES_WITH"
from = "role-b"
to = "role-a"
sources = ["src-a"]
"#;
    std::fs::write(dir.path().join("nodes.toml"), nodes).unwrap();
    std::fs::write(dir.path().join("rels.toml"), rels).unwrap();
    dir
}

/// How many distinct nodes the DOT declares (statements that start with a
/// quoted id and are not edges).
fn declared_ids(dot: &str) -> usize {
    let mut ids = std::collections::BTreeSet::new();
    for line in dot.lines() {
        let t = line.trim_start();
        if !t.starts_with('"') {
            continue;
        }
        let mut end = 1;
        let mut escaped = false;
        for (i, c) in t.char_indices().skip(1) {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                end = i;
                break;
            }
        }
        if !t[end + 1..].starts_with(" -> ") {
            ids.insert(t[..=end].to_string());
        }
    }
    ids.len()
}

fn hostile_session(dir: &Path) -> Session {
    Session::new(rolegraph::load::load_dir(dir).unwrap_or_else(|e| panic!("{}", e.render())))
}

#[test]
fn hostile_names_cannot_break_dot() {
    let dir = hostile_dir();
    let mut session = hostile_session(dir.path());
    let overlap = session.run("OVERLAP role-a, role-b").unwrap();
    let last = session.run("DIFF role-a, role-b").unwrap();
    let whats = [
        What::Overlap {
            refs: refs(&["role-a", "role-b"]),
            types: vec![],
        },
        What::Diff("role-a".into(), "role-b".into()),
        What::Matrix {
            refs: refs(&["role-a", "role-b"]),
            types: refs(&["LEADS", "WORKS_WITH", "FOCUSES_ON"]),
        },
        What::Path {
            from: "role-a".into(),
            to: "team-x".into(),
            via: vec![],
            all: true,
        },
        What::OrgChart(None),
        What::OrgChart(Some("role-a".into())),
        What::Query("MATCH p = (a)-[r]->(b) RETURN a, r, b, p".into()),
        What::Last,
    ];
    for what in whats {
        let dot = build_dot(&mut session, &what, Some(&last)).unwrap();
        assert_well_formed(&dot);
        // The escaped forms are there, the raw ones are not.
        assert!(
            dot.contains(
                r#"He said \"hi\" \\ {x} <b>\nsecond line, with; commas &amp; \\x07bell \\x1b[31m Zoë 東京 \\"#
            ) || dot.contains(
                r#"He said &quot;hi&quot; \ {x} &lt;b&gt;<BR/>second line, with; commas &amp; \x07bell \x1b[31m Zoë 東京 \"#
            ),
            "{what:?}:\n{dot}"
        );
        assert!(
            !dot.contains('\u{7}') && !dot.contains('\u{1b}'),
            "raw control characters"
        );
        if let Some(svg) = dot_svg(&dot) {
            // One SVG node per node statement: nothing injected, nothing split.
            assert_eq!(svg.matches("class=\"node\"").count(), declared_ids(&dot), "{what:?}");
            assert!(svg.contains("He said &quot;hi&quot; \\ {x} &lt;b&gt;"), "{what:?}");
            assert!(svg.contains("second line, with; commas &amp; \\x07bell"), "{what:?}");
        }
    }
    // The overlap row remembers its subgraph for `last`.
    let dot = build_dot(&mut session, &What::Last, Some(&overlap)).unwrap();
    assert!(dot.contains("\n  \"region:"), "{dot}");
}

#[test]
fn hostile_names_survive_csv_and_json() {
    let dir = hostile_dir();
    for (q, col) in [
        ("MATCH (r:Role {id: 'role-a'}) RETURN r.name AS name", "name"),
        ("DIFF role-a, role-b", "name"),
    ] {
        let out = Cli::cargo_bin("rolegraph")
            .unwrap()
            .args(["--data", dir.path().to_str().unwrap(), "--format", "csv", "-e", q])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut reader = csv::Reader::from_reader(&out.stdout[..]);
        let headers = reader.headers().unwrap().clone();
        let i = headers.iter().position(|h| h == col).unwrap();
        let names: Vec<String> = reader.records().map(|r| r.unwrap()[i].to_string()).collect();
        assert!(names.iter().any(|n| n == HOSTILE), "{q}: {names:?}");

        let out = Cli::cargo_bin("rolegraph")
            .unwrap()
            .args(["--data", dir.path().to_str().unwrap(), "--format", "json", "-e", q])
            .output()
            .unwrap();
        assert!(out.status.success());
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            json.as_array().unwrap().iter().any(|row| row[col] == HOSTILE),
            "{q}: {json}"
        );
    }
}

// ------------------------------------------------------------ the command

#[test]
fn export_command_writes_files_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("overlap.dot");
    Cli::cargo_bin("rolegraph")
        .unwrap()
        .args(["export", "overlap", "chief-information-officer,CTO", "-o"])
        .arg(&out)
        .assert()
        .success();
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        written,
        std::fs::read_to_string(golden_path("overlap-cio-cto")).unwrap()
    );
    // Nothing else is left in the directory (no temporary file).
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [std::ffi::OsString::from("overlap.dot")]);

    // Without -o the DOT goes to standard output.
    let stdout = Cli::cargo_bin("rolegraph")
        .unwrap()
        .args(["export", "orgchart"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        String::from_utf8(stdout).unwrap(),
        std::fs::read_to_string(golden_path("orgchart")).unwrap()
    );

    // A bad reference is an error (exit 1); a bad request a usage error (2).
    Cli::cargo_bin("rolegraph")
        .unwrap()
        .args(["export", "overlap", "CIO,CTO"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("ambiguous"));
    Cli::cargo_bin("rolegraph")
        .unwrap()
        .args(["export", "venn", "a,b"])
        .assert()
        .code(2);
}

#[test]
fn render_svg_uses_graphviz() {
    if !dot_installed() {
        println!("skipped: graphviz 'dot' not installed (apt-get install graphviz)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("org.svg");
    let out = Cli::cargo_bin("rolegraph")
        .unwrap()
        .args(["export", "orgchart", "--render", "svg", "-o"])
        .arg(&svg)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
}

/// A picture that cannot be made (no `dot` on the PATH) is an error with
/// the reason, and nothing is written: no picture, no stray `.dot`.
#[test]
fn a_picture_without_graphviz_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let empty_path = tempfile::tempdir().unwrap();
    for (name, extra) in [
        ("x.png", &[][..]),
        ("x.svg", &[][..]),
        ("x.pdf", &[][..]),
        ("page.html", &[][..]),
        ("y.dot", &["--render", "png"][..]),
    ] {
        let file = dir.path().join(name);
        let out = Cli::cargo_bin("rolegraph")
            .unwrap()
            .env("PATH", empty_path.path())
            .args(["export", "overlap", "CTO,CPO"])
            .args(extra)
            .arg("-o")
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains("'dot'") && stderr.contains("apt-get install graphviz"),
            "{name}: {stderr}"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(left.is_empty(), "{name}: wrote {left:?}");
    }
    // DOT and Mermaid need no Graphviz.
    let out = Cli::cargo_bin("rolegraph")
        .unwrap()
        .env("PATH", empty_path.path())
        .args(["export", "overlap", "CTO,CPO", "-o"])
        .arg(dir.path().join("ok.mmd"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `-o x.jpg` names a picture rolegraph cannot make: refused (a usage
/// error) rather than DOT text written into a file called x.jpg.
#[test]
fn unknown_picture_extensions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["x.jpg", "x.gif", "x.jpeg", "x.webp"] {
        let file = dir.path().join(name);
        let out = Cli::cargo_bin("rolegraph")
            .unwrap()
            .args(["export", "orgchart", "-o"])
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        let ext = name.split('.').next_back().unwrap();
        assert!(
            stderr.contains(&format!("'.{ext}'")) && stderr.contains("--format"),
            "{stderr}"
        );
        assert!(!file.exists(), "{name} was written");
    }
    // --format says what to write, whatever the name.
    let file = dir.path().join("chart.txt");
    let out = Cli::cargo_bin("rolegraph")
        .unwrap()
        .args(["export", "orgchart", "--format", "dot", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("digraph"));
    // No extension at all: DOT, as before.
    let file = dir.path().join("chart");
    let out = Cli::cargo_bin("rolegraph")
        .unwrap()
        .args(["export", "orgchart", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn shell_words_export() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.dot");
    let mut session = Session::builtin().unwrap();
    let words = format!("dot {} diff CTO, \"Chief Innovation Officer\"", file.display());
    let msg = rolegraph::export::export_command(&mut session, &words, None).unwrap();
    assert!(msg.starts_with("wrote DOT to"), "{msg}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        std::fs::read_to_string(golden_path("diff-cto-chief-innovation-officer")).unwrap()
    );
    let err = rolegraph::export::export_command(&mut session, "dot - last", None).unwrap_err();
    assert!(matches!(err, ExportError::NoPreviousResult), "{err:?}");
    assert!(err.to_string().contains("no previous result"), "{err}");
    let rows = session.run("MATCH (r:Role) RETURN r.name").unwrap();
    let err = rolegraph::export::export_command(&mut session, "dot - last", Some(&rows)).unwrap_err();
    assert!(matches!(err, ExportError::NothingToDraw), "{err:?}");
    assert!(err.to_string().contains("no nodes"), "{err}");
    // A mistake in the words is a usage error, matched by its variant.
    let err = rolegraph::export::export_command(&mut session, "dot - diff a, b, c", None).unwrap_err();
    assert!(matches!(err, ExportError::DiffReferences) && err.is_usage(), "{err:?}");
    let err = rolegraph::export::export_command(&mut session, "gif x.gif last", None).unwrap_err();
    assert!(
        matches!(&err, ExportError::UnknownFormat { word } if word == "gif"),
        "{err:?}"
    );
    // A statement's error keeps the statement and renders its caret once.
    let err = rolegraph::export::export_command(&mut session, "dot - query MATCH (n) RETURN m", None).unwrap_err();
    let ExportError::Statement { statement, error } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(statement, "MATCH (n) RETURN m");
    assert!(matches!(&**error, rolegraph::Error::Query(q) if q.code == rolegraph::error::Code::UndefinedVariable));
    let shown = err.render();
    assert!(
        shown.starts_with("error: ") && !shown.starts_with("error: error"),
        "{shown}"
    );
    assert!(shown.contains('^'), "{shown}");
}

// ------------------------------------------------- every kind through `dot`

/// A generated organisation of `n` roles (n >= 3): a chief executive, a
/// layer of vice presidents and the rest as their directors, each leading a
/// team and working with a neighbour's team, all cited from one source. The
/// names are long on purpose: legibility is what the tests look at.
fn org_dir(n: usize) -> tempfile::TempDir {
    assert!(n >= 3);
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = String::from(
        "[[node]]\nlabel = \"Source\"\nid = \"acme-org-chart\"\nname = \"Acme org chart\"\ntitle = \"Acme Corp organisation chart, spring edition\"\n\n",
    );
    let mut rels = String::new();
    let vps = (n - 1).div_ceil(4).max(1);
    for i in 0..n {
        let (id, name) = match i {
            0 => ("role-0".to_string(), "Chief Executive Officer".to_string()),
            i if i <= vps => (format!("role-{i}"), format!("Vice President of Division {i}")),
            i => (format!("role-{i}"), format!("Director of Programme {i}")),
        };
        nodes.push_str(&format!(
            "[[node]]\nlabel = \"Role\"\nid = \"{id}\"\nname = \"{name}\"\nsources = [\"acme-org-chart\"]\n\n\
             [[node]]\nlabel = \"Team\"\nid = \"team-{i}\"\nname = \"Team {i} operations\"\nsources = [\"acme-org-chart\"]\n\n"
        ));
        rels.push_str(&format!(
            "[[rel]]\ntype = \"LEADS\"\nfrom = \"{id}\"\nto = \"team-{i}\"\nsources = [\"acme-org-chart\"]\n\n"
        ));
        if i > 0 {
            let boss = if i <= vps { 0 } else { 1 + (i - vps - 1) % vps };
            rels.push_str(&format!(
                "[[rel]]\ntype = \"REPORTS_TO\"\nfrom = \"{id}\"\nto = \"role-{boss}\"\nsources = [\"acme-org-chart\"]\n\n\
                 [[rel]]\ntype = \"WORKS_WITH\"\nfrom = \"{id}\"\nto = \"team-{}\"\nsources = [\"acme-org-chart\"]\n\n",
                (i + 1) % n
            ));
        }
    }
    std::fs::write(dir.path().join("nodes.toml"), nodes).unwrap();
    std::fs::write(dir.path().join("rels.toml"), rels).unwrap();
    dir
}

/// Every diagram kind lays out with the installed Graphviz (Debian 12's is
/// 2.43, which fails on `rank=same` groups beside clusters): overlaps of two
/// and three roles, DIFF, PATH and PATH ALL, the whole org chart and the
/// chart centred on each role in turn, query results, and a user's own
/// organisation with teams.
#[test]
fn every_diagram_kind_lays_out_with_graphviz() {
    if !dot_installed() {
        println!("skipped: graphviz 'dot' not installed (apt-get install graphviz)");
        return;
    }
    let mut session = Session::builtin().unwrap();
    let mut whats = vec![
        What::Overlap {
            refs: refs(&["chief-information-officer", "CTO"]),
            types: vec![],
        },
        What::Overlap {
            refs: refs(&["chief-information-officer", "CTO", "CPO"]),
            types: vec![],
        },
        What::Diff("CTO".into(), "chief-innovation-officer".into()),
        What::Matrix {
            refs: refs(&["CTO", "CPO", "chief-information-officer"]),
            types: vec![],
        },
        What::Matrix {
            refs: refs(&["CTO", "CPO", "CEO", "chief-innovation-officer"]),
            types: refs(&["REQUIRES", "LEADS", "WORKS_WITH", "FOCUSES_ON", "COLLABORATES_WITH"]),
        },
        What::Path {
            from: "CPO".into(),
            to: "chief-executive-officer".into(),
            via: vec![],
            all: false,
        },
        What::Path {
            from: "CPO".into(),
            to: "chief-executive-officer".into(),
            via: vec![],
            all: true,
        },
        What::OrgChart(None),
        What::Query("MATCH p = (:Role)-[:REPORTS_TO]->() RETURN p".into()),
        What::Query("MATCH (r:Role)-[x:LEADS]->(t:Team) RETURN r, x, t".into()),
    ];
    let roles = session.run("MATCH (r:Role) RETURN r.id ORDER BY r.id").unwrap();
    assert!(roles.rows.len() >= 10);
    for row in &roles.rows {
        let rolegraph::Value::String(id) = &row[0] else {
            panic!("{row:?}")
        };
        whats.push(What::OrgChart(Some(id.to_string())));
    }
    for what in &whats {
        let dot = build_dot(&mut session, what, None).unwrap();
        assert_well_formed(&dot);
        let svg = dot_svg(&dot).unwrap();
        assert!(svg.contains("<svg"), "{what:?}");
    }
    let org = org_dir(8);
    let mut session = hostile_session(org.path());
    for what in [
        What::OrgChart(None),
        What::OrgChart(Some("role-5".into())),
        What::Overlap {
            refs: refs(&["role-1", "role-2"]),
            types: vec![],
        },
        What::Diff("role-1".into(), "role-5".into()),
        What::Matrix {
            refs: refs(&["role-1", "role-2", "role-3"]),
            types: refs(&["LEADS", "WORKS_WITH"]),
        },
        What::Path {
            from: "role-7".into(),
            to: "role-0".into(),
            via: vec![],
            all: true,
        },
    ] {
        let dot = build_dot(&mut session, &what, None).unwrap();
        assert_well_formed(&dot);
        assert!(dot_svg(&dot).unwrap().contains("<svg"), "{what:?}");
    }
}

/// The command line's example, `export orgchart CTO -o org.png`, makes a PNG.
#[test]
fn orgchart_png_of_one_role() {
    if !dot_installed() {
        println!("skipped: graphviz 'dot' not installed (apt-get install graphviz)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for who in ["CTO", "CEO", "COO", "Technology Visionary"] {
        let png = dir.path().join("org.png");
        let out = Cli::cargo_bin("rolegraph")
            .unwrap()
            .args(["export", "orgchart", who, "-o"])
            .arg(&png)
            .output()
            .unwrap();
        assert!(out.status.success(), "{who}: {}", String::from_utf8_lossy(&out.stderr));
        let bytes = std::fs::read(&png).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{who}");
    }
}

// ------------------------------------------------------------ fit a slide

/// The drawing's size in points and its font sizes, from dot's SVG.
fn svg_measure(svg: &str) -> (f64, f64, Vec<f64>) {
    let attr = |name: &str| -> f64 {
        let i = svg.find("<svg width").unwrap();
        let tag = &svg[i..];
        let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let v = &tag[at..];
        v[..v.find("pt\"").unwrap()].parse().unwrap()
    };
    let fonts = svg
        .match_indices("font-size=\"")
        .map(|(i, m)| {
            let v = &svg[i + m.len()..];
            v[..v.find('"').unwrap()].parse::<f64>().unwrap()
        })
        .collect();
    (attr("width"), attr("height"), fonts)
}

/// Scaled to fit a 1920x1080 screen (one SVG point to a pixel at scale 1),
/// how large the node text comes out.
fn text_at_1080p(width: f64, height: f64, font: f64) -> f64 {
    font * (1920.0 / width).min(1080.0 / height)
}

/// The defaults fit a 16:9 slide by layout: the overlap of three roles is
/// no taller than it is wide, and the DIFF too; at 1920x1080 their node
/// text (14 pt) stays at least 12 px, and the smallest print at least 10.
#[test]
fn overlap_and_diff_fit_a_slide() {
    let mut session = Session::builtin().unwrap();
    for (what, name) in [
        (
            What::Overlap {
                refs: refs(&["chief-information-officer", "CTO", "CPO"]),
                types: vec![],
            },
            "overlap of three",
        ),
        (
            What::Overlap {
                refs: refs(&["chief-information-officer", "CTO"]),
                types: vec![],
            },
            "overlap of two",
        ),
        (What::Diff("CTO".into(), "chief-innovation-officer".into()), "diff"),
        (
            What::Matrix {
                refs: refs(&["CTO", "CPO", "chief-information-officer"]),
                types: vec![],
            },
            "matrix of three",
        ),
    ] {
        let dot = build_dot(&mut session, &what, None).unwrap();
        assert!(dot.contains("fontsize=\"14\""), "{name}: node text is 14 pt");
        let Some(svg) = dot_svg(&dot) else { return };
        let (w, h, fonts) = svg_measure(&svg);
        let smallest = fonts.iter().copied().fold(f64::MAX, f64::min);
        println!(
            "{name}: {w}x{h} pt, node text at 1920x1080: {:.1} px, smallest: {:.1} px",
            text_at_1080p(w, h, 14.0),
            text_at_1080p(w, h, smallest)
        );
        assert!(h <= w, "{name}: {w}x{h} pt is taller than wide");
        assert!(text_at_1080p(w, h, 14.0) >= 12.0, "{name}: {w}x{h} pt");
        assert!(
            text_at_1080p(w, h, smallest) >= 10.0,
            "{name}: {w}x{h} pt, {smallest} pt text"
        );
    }
}

/// A generated organisation of 30 roles stays legible: laid out without
/// warnings, every role and team drawn once, text no smaller than 12 pt
/// and, at 1920x1080 across two slides' width, node text at least 8 px.
#[test]
fn orgchart_of_thirty_roles_is_legible() {
    let org = org_dir(30);
    let mut session = hostile_session(org.path());
    let dot = build_dot(&mut session, &What::OrgChart(None), None).unwrap();
    let declared = dot
        .lines()
        .filter(|l| l.starts_with("  \"role:role-") && !l.contains(" -> "))
        .count();
    assert_eq!(declared, 30);
    for i in 0..30 {
        assert_eq!(dot.matches(&format!("Team {i} operations<")).count(), 1, "team {i}");
    }
    assert!(dot.contains("Sources: acme-org-chart (Acme Corp organisation chart, spring edition)"));
    assert!(!dot.contains("label=\"acme-org-chart\""));
    let Some(svg) = dot_svg(&dot) else { return };
    let (w, h, fonts) = svg_measure(&svg);
    let smallest = fonts.iter().copied().fold(f64::MAX, f64::min);
    println!("org chart of 30: {w}x{h} pt, smallest text {smallest} pt");
    assert!(smallest >= 12.0);
    assert!(text_at_1080p(w / 2.0, h, 14.0) >= 8.0, "{w}x{h} pt");
}

// ------------------------------------------------------------ options

fn export_args(args: &[&str]) -> std::process::Output {
    Cli::cargo_bin("rolegraph")
        .unwrap()
        .arg("export")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn diagram_options_reach_the_dot() {
    let ok = |args: &[&str]| -> String {
        let out = export_args(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let dot = ok(&["diff", "CTO,chief-innovation-officer", "--title", "CTO & co <draft>"]);
    assert!(dot.contains("<B>CTO &amp; co &lt;draft&gt;</B>"));
    // Sources leave the labels (the tooltips keep them).
    let with = ok(&["path", "CPO", "TO", "chief-executive-officer", "ALL"]);
    let without = ok(&["path", "CPO", "TO", "chief-executive-officer", "ALL", "--no-sources"]);
    let labels = |d: &str| -> Vec<String> {
        d.match_indices("label=\"")
            .map(|(i, m)| {
                let v = &d[i + m.len()..];
                v[..v.find('"').unwrap()].to_string()
            })
            .collect()
    };
    assert!(labels(&with).iter().any(|l| l.contains("cpo-vs-cto")));
    assert!(!labels(&without).iter().any(|l| l.contains("cpo-vs-cto")), "{without}");
    assert!(without.contains("tooltip=\"Chief"));
    let dot = ok(&[
        "overlap",
        "CPO,CTO",
        "--direction",
        "lr",
        "--size",
        "1920x1080px",
        "--dpi",
        "192",
    ]);
    assert!(dot.contains("rankdir=\"LR\""));
    assert!(dot.contains("size=\"10,5.625\"") && dot.contains("dpi=\"192\""));
    let none = ok(&["overlap", "CPO,CTO", "--legend", "none"]);
    let compact = ok(&["overlap", "CPO,CTO", "ON", "RESPONSIBLE_FOR"]);
    let full = ok(&["overlap", "CPO,CTO", "--legend", "full"]);
    assert!(!none.contains('\u{25A0}') && compact.contains('\u{25A0}'));
    assert!(full.contains("what is reached by RESPONSIBLE_FOR") && !compact.contains("what is reached by"));
    // Only the kinds that occur: this overlap reaches no team it leads.
    assert!(compact.contains("> responsible for<"), "{compact}");
    assert!(!compact.contains("> leads<"), "{compact}");
    for (args, msg) in [
        (
            &["overlap", "CPO,CTO", "--direction", "up"][..],
            "unknown direction 'up'",
        ),
        (&["overlap", "CPO,CTO", "--legend", "big"][..], "unknown legend 'big'"),
        (&["overlap", "CPO,CTO", "--size", "wide"][..], "cannot read size 'wide'"),
        (&["overlap", "CPO,CTO", "--dpi", "0"][..], "cannot read dpi '0'"),
    ] {
        let out = export_args(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(msg), "{args:?}");
    }
}

/// Exports run their statement through the session: its errors come with
/// the statement and a caret, its warnings are shown.
#[test]
fn exports_run_through_the_session() {
    let out = export_args(&["overlap", "CTO,Chief Prodct Officer"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("OVERLAP 'CTO', 'Chief Prodct Officer'") && err.contains('^'),
        "{err}"
    );
    assert!(err.contains("did you mean 'chief-product-officer'"), "{err}");
    let out = export_args(&["overlap", "CPO,CTO", "ON", "RESPONSIBLE_FOR|LEDS"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success());
    assert!(
        err.contains("warning: the graph has no relationship type 'LEDS'"),
        "{err}"
    );
    assert!(err.contains("did you mean 'LEADS'"), "{err}");
}
