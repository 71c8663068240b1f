//! Loader tests: inline TOML in, a graph or the exact errors out.

use super::*;
use crate::value::Value;

const SOURCES: &str = r#"[[node]]
label = "Source"
id = "cpo-vs-cto"
name = "CPO vs CTO"
title = "Chief Product Officer vs Chief Technology Officer"
author = "Marco Franzoni"
date = 2024-07-14

[[node]]
label = "Source"
id = "tech-triumvirate"
name = "Tech Triumvirate"
"#;

const ROLES: &str = r#"[schema]
labels = ["Committee"]
types = ["CHAIRS"]

[[node]]
label = "Role"
id = "chief-technology-officer"
name = "Chief Technology Officer"
aliases = ["CTO"]
sources = ["cpo-vs-cto"]
rank = 1
weight = 1_000.5
remote = true
tags = ["tech", "exec"]
meta = { since = 0x10, where = "here" }

[[node]]
labels = ["Team", "Committee"]
id = "engineering"
name = "Engineering"
aliases = ["Eng", "CTO"]
sources = ["tech-triumvirate", "cpo-vs-cto"]

[[rel]]
type = "LEADS"
from = "chief-technology-officer"
to = "engineering"
sources = ["cpo-vs-cto"]
confidence = "medium"

[[rel]]
type = "CHAIRS"
from = "engineering"
to = "engineering"
sources = ["cpo-vs-cto"]
"#;

fn file(path: &str, text: &str) -> DataFile {
    DataFile {
        path: path.into(),
        text: text.into(),
    }
}

fn errors_of(files: &[DataFile]) -> Vec<String> {
    match load_files("t", files) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e.iter().map(|e| e.to_string()).collect(),
    }
}

/// Errors of the sources file plus one file with `text`.
fn errors(text: &str) -> Vec<String> {
    errors_of(&[file("a.toml", text), file("sources.toml", SOURCES)])
}

const ROLE: &str =
    "[[node]]\nlabel = \"Role\"\nid = \"chief-technology-officer\"\nname = \"CTO\"\nsources = [\"cpo-vs-cto\"]\n";

#[test]
fn a_valid_graph_loads() {
    let g = load_files("t", &[file("roles.toml", ROLES), file("sources.toml", SOURCES)]).unwrap();
    assert_eq!(g.name(), "t");
    assert_eq!(g.node_count(), 4);
    assert_eq!(g.rel_count(), 2);
    let cto = g.node(g.node_by_key("chief-technology-officer").unwrap());
    assert!(cto.has_label("Role"));
    assert_eq!(cto.prop("name").unwrap().as_str(), Some("Chief Technology Officer"));
    assert_eq!(cto.prop("rank").unwrap().cypher_eq(&Value::Int(1)), Some(true));
    assert_eq!(cto.prop("weight").unwrap().cypher_eq(&Value::Float(1000.5)), Some(true));
    assert_eq!(cto.prop("remote").unwrap().cypher_eq(&Value::Bool(true)), Some(true));
    assert_eq!(cto.prop("tags").unwrap().to_string(), "['tech', 'exec']");
    assert_eq!(cto.prop("meta").unwrap().to_string(), "{since: 16, where: 'here'}");
    assert_eq!(cto.prop("sources").unwrap().to_string(), "['cpo-vs-cto']");
    assert_eq!(cto.prop("id").unwrap().as_str(), Some("chief-technology-officer"));
    assert!(cto.prop("label").is_none());
    let eng = g.node(g.node_by_key("engineering").unwrap());
    assert_eq!(eng.labels().collect::<Vec<_>>(), ["Team", "Committee"]);
    // Datetimes keep their text.
    let src = g.node(g.node_by_key("cpo-vs-cto").unwrap());
    assert_eq!(src.prop("date").unwrap().as_str(), Some("2024-07-14"));
    assert!(src.prop("sources").is_none());
    // An alias may name several nodes.
    assert_eq!(g.nodes_by_alias("cto").len(), 2);
    assert_eq!(g.nodes_by_alias("eng"), &[eng.id]);
    let leads = g.rels().map(|r| g.rel(r)).find(|r| r.rel_type() == "LEADS").unwrap();
    assert_eq!((leads.start(), leads.end()), (cto.id, eng.id));
    assert_eq!(leads.prop("confidence").unwrap().as_str(), Some("medium"));
    assert_eq!(leads.prop("sources").unwrap().to_string(), "['cpo-vs-cto']");
    assert!(leads.prop("type").is_none() && leads.prop("from").is_none());
    assert!(g.has_rel_type("CHAIRS"));
}

#[test]
fn syntax_errors_are_positioned() {
    let e = errors("[[node]]\nlabel = \"Role\"\nid = \"a\nname = \"b\"\nsources = [\"cpo-vs-cto\"]\n");
    assert_eq!(
        e,
        [
            "a.toml:3:8: invalid TOML: invalid basic string, expected `\"`; close the string on the same line, or use \"\"\" for text over several lines"
        ]
    );
    let e = errors(&format!("{ROLE}id = \"x\"\n"));
    assert_eq!(
        e,
        ["a.toml:6:1: invalid TOML: duplicate key; a key may appear once in each table: keep one of them"]
    );
}

#[test]
fn shape_errors_say_what_was_expected() {
    let e = errors("[[node]]\nlabel = \"Role\"\nname = \"A\"\nsources = \"cpo-vs-cto\"\n");
    assert_eq!(
        e,
        [
            "a.toml:1:1: expected `id = \"kebab-case-id\"` in this node",
            "a.toml:4:11: expected `sources` to be a list of Source ids, found a string",
        ]
    );
    let e = errors("[[rel]]\nfrom = \"a\"\nto = \"b\"\nsources = [\"cpo-vs-cto\", 3]\n");
    assert_eq!(
        e,
        [
            "a.toml:1:1: expected `type = \"...\"` (a relationship type) in this relationship",
            "a.toml:4:26: expected `sources` to be a list of Source ids, found an integer in it",
        ]
    );
    let e = errors("[[nodes]]\nid = \"a\"\n");
    assert_eq!(
        e,
        [
            "a.toml:1:3: unknown top-level key 'nodes'; expected `[schema]`, `[[node]]`, `[[rel]]` or `[[index]]`; did you mean `[[node]]`?"
        ]
    );
    let e = errors("[node]\nid = \"a\"\n");
    assert_eq!(
        e,
        [
            "a.toml:1:1: expected `[[node]]` (an array of tables), found a table; write each entry under its own `[[node]]` header"
        ]
    );
    let e = errors("[[node]]\nid = \"a\"\nlabel = 3\nlabels = [\"Role\"]\nsources = [\"cpo-vs-cto\"]\n");
    assert_eq!(
        e,
        [
            "a.toml:1:1: expected `name = \"...\"` in this node",
            "a.toml:4:1: give either `label` or `labels`, not both",
        ]
    );
}

#[test]
fn duplicate_ids_point_at_the_first() {
    let e = errors_of(&[
        file("a.toml", ROLE),
        file("b.toml", ROLE),
        file("sources.toml", SOURCES),
    ]);
    assert_eq!(
        e,
        [
            "b.toml:3:6: duplicate id 'chief-technology-officer' (first defined at a.toml:3:6); give each node its own id (ids are unique across all files), or merge the two entries"
        ]
    );
}

#[test]
fn ids_are_kebab_case_and_not_acronyms() {
    let e = errors("[[node]]\nlabel = \"Role\"\nid = \"Chief_Officer\"\nname = \"C\"\nsources = [\"cpo-vs-cto\"]\n");
    assert_eq!(
        e,
        [
            "a.toml:3:6: id 'Chief_Officer' is not kebab-case; expected lowercase words and digits joined by '-', e.g. 'chief-officer'"
        ]
    );
    let cto =
        "[[node]]\nlabel = \"Role\"\nid = \"cto\"\nname = \"Chief Technology Officer\"\nsources = [\"cpo-vs-cto\"]\n";
    let other = "[[node]]\nlabel = \"Role\"\nid = \"chief-tech\"\nname = \"T\"\naliases = [\"CTO\", \"Cio\"]\nsources = [\"cpo-vs-cto\"]\n";
    let e = errors(&format!("{cto}{other}"));
    assert_eq!(
        e,
        [
            "a.toml:3:6: id 'cto' is an acronym (alias 'CTO'); ids are spelled out; \
             spell it out, e.g. 'chief-technology-officer', and keep 'CTO' in `aliases`"
        ]
    );
    // "Cio" is not written in capitals, so an id `cio` would be allowed.
    let cio = "[[node]]\nlabel = \"Role\"\nid = \"cio\"\nname = \"X\"\nsources = [\"cpo-vs-cto\"]\n";
    assert!(
        load_files(
            "t",
            &[file("a.toml", &format!("{other}{cio}")), file("s.toml", SOURCES)]
        )
        .is_ok()
    );
}

#[test]
fn endpoints_must_exist() {
    let e = errors(&format!(
        "{ROLE}[[rel]]\ntype = \"REPORTS_TO\"\nfrom = \"chief-technology-officer\"\nto = \"chief-technology-oficer\"\nsources = [\"cpo-vs-cto\"]\n"
    ));
    assert_eq!(
        e,
        ["a.toml:9:6: unknown node 'chief-technology-oficer' in `to`; did you mean 'chief-technology-officer'?"]
    );
}

#[test]
fn everything_cites_known_sources() {
    let e = errors(
        "[[node]]\nlabel = \"Role\"\nid = \"a\"\nname = \"A\"\n\n[[node]]\nlabel = \"Role\"\nid = \"b\"\nname = \"B\"\nsources = []\n\n\
         [[rel]]\ntype = \"REPORTS_TO\"\nfrom = \"a\"\nto = \"b\"\nsources = [\"cpo-vs-ct\", \"b\"]\n\n[[rel]]\ntype = \"SIMILAR_TO\"\nfrom = \"a\"\nto = \"b\"\n",
    );
    assert_eq!(
        e,
        [
            "a.toml:1:1: node 'a' cites no source; add `sources = [\"...\"]` with the ids of the Source nodes that state it",
            "a.toml:10:11: node 'b' cites no source (`sources` is empty); cite at least one Source id",
            "a.toml:16:12: unknown source 'cpo-vs-ct'; did you mean 'cpo-vs-cto'?",
            "a.toml:16:25: 'b' is a Role, not a Source",
            "a.toml:18:1: relationship SIMILAR_TO from 'a' to 'b' cites no source; \
             add `sources = [\"...\"]` with the ids of the Source nodes that state it",
        ]
    );
}

#[test]
fn labels_and_types_come_from_the_schema() {
    let e = errors(&format!(
        "{ROLE}[[node]]\nlabel = \"Skil\"\nid = \"coding\"\nname = \"Coding\"\nsources = [\"cpo-vs-cto\"]\n\n\
         [[node]]\nlabel = \"Committee\"\nid = \"board\"\nname = \"Board\"\nsources = [\"cpo-vs-cto\"]\n\n\
         [[rel]]\ntype = \"LEAD\"\nfrom = \"chief-technology-officer\"\nto = \"board\"\nsources = [\"cpo-vs-cto\"]\n\n\
         [[rel]]\ntype = \"LEADS\"\nfrom = \"chief-technology-officer\"\nto = \"coding\"\nsources = [\"cpo-vs-cto\"]\n"
    ));
    assert_eq!(
        e,
        [
            "a.toml:7:9: unknown label 'Skil'; did you mean 'Skill'?",
            "a.toml:13:9: unknown label 'Committee'; declare it in a `[schema]` table: labels = [\"Committee\"]",
            "a.toml:19:8: unknown relationship type 'LEAD'; did you mean 'LEADS'?",
        ]
    );
}

#[test]
fn built_in_endpoint_labels_are_checked() {
    let e = errors(&format!(
        "{ROLE}[[node]]\nlabel = \"Skill\"\nid = \"coding\"\nname = \"Coding\"\nsources = [\"cpo-vs-cto\"]\n\n\
         [[rel]]\ntype = \"LEADS\"\nfrom = \"coding\"\nto = \"coding\"\nsources = [\"cpo-vs-cto\"]\n"
    ));
    assert_eq!(
        e,
        [
            "a.toml:14:8: LEADS goes from a Role to a Team, but 'coding' is a Skill",
            "a.toml:15:6: LEADS goes from a Role to a Team, but 'coding' is a Skill",
        ]
    );
}

#[test]
fn duplicate_relationships_are_reported() {
    let rel = "[[rel]]\ntype = \"REPORTS_TO\"\nfrom = \"chief-technology-officer\"\nto = \"chief-technology-officer\"\nsources = [\"cpo-vs-cto\"]\n";
    let e = errors(&format!("{ROLE}{rel}{rel}"));
    assert_eq!(
        e,
        [
            "a.toml:11:1: duplicate relationship REPORTS_TO from 'chief-technology-officer' to 'chief-technology-officer' \
             (first at a.toml:6:1); merge their sources into one relationship"
        ]
    );
}

#[test]
fn every_error_is_reported_in_one_pass_sorted_and_nothing_loads() {
    let bad = "[[node]]\nlabel = \"Rol\"\nid = \"x\"\nname = \"X\"\nsources = [\"nope\"]\n\n[[rel]]\ntype = \"LEADS\"\nfrom = \"x\"\nto = \"y\"\nsources = [\"cpo-vs-cto\"]\n";
    let result = load_files(
        "t",
        &[
            file("b.toml", bad),
            file("a.toml", "oops\n"),
            file("sources.toml", SOURCES),
        ],
    );
    let errs = result.expect_err("nothing may load");
    let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        lines,
        [
            "a.toml:1:5: invalid TOML: key with no value, expected `=`; see graph-data/README.md: `key = value` lines under `[[node]]`, `[[rel]]` or `[schema]` headers",
            "b.toml:2:9: unknown label 'Rol'; did you mean 'Role'?",
            "b.toml:5:12: unknown source 'nope'; add a `Source` node with id 'nope', or cite a known one (the Source ids are cpo-vs-cto, tech-triumvirate)",
            "b.toml:10:6: unknown node 'y' in `to`; did you mean 'x'?",
        ]
    );
    assert!(errs.to_string().ends_with("\n4 errors; nothing was loaded"));
    assert_eq!(errs.0[2].kind, LoadErrorKind::Source);
}

#[test]
fn one_error_renders_as_a_caret_diagnostic() {
    let e = load_files("t", &[file("a.toml", &format!("{ROLE}[[rel]]\ntype = \"REPORTS_TO\"\nfrom = \"chief-technology-officer\"\nto = \"chief-technology-officer\"\nsources = [\"cpo-vs-ct\"]\n")), file("sources.toml", SOURCES)])
        .unwrap_err();
    assert_eq!(
        e.render(),
        "error: unknown source 'cpo-vs-ct'\n --> a.toml:10:12\n   |\n10 | sources = [\"cpo-vs-ct\"]\n   |            ^^^^^^^^^^^\n   = help: did you mean 'cpo-vs-cto'?\n\n1 error; nothing was loaded"
    );
}

#[test]
fn directories_must_exist_and_hold_toml() {
    let e = load_dir(std::path::Path::new("/nonexistent/rolegraph-data")).unwrap_err();
    assert_eq!(e.0[0].line, 0);
    assert!(
        e.0[0]
            .message
            .starts_with("cannot read data directory '/nonexistent/rolegraph-data': "),
        "{e}"
    );
    assert!(e.render().starts_with("error: cannot read data directory"));
    assert!(e.render().contains("\n --> /nonexistent/rolegraph-data\n"));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "not data").unwrap();
    let e = load_dir(dir.path()).unwrap_err();
    assert_eq!(
        e.0[0].message,
        format!("no .toml or .csv data files in '{}'", dir.path().display())
    );

    let data = dir.path().join("mydata");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("b.toml"), ROLES).unwrap();
    std::fs::write(data.join("a.toml"), SOURCES).unwrap();
    std::fs::write(data.join("README.md"), "ignored").unwrap();
    let g = load_dir(&data).unwrap();
    assert_eq!(g.name(), "mydata");
    assert_eq!(g.node_count(), 4);
    // Sorted file order: the sources of a.toml come first.
    assert_eq!(g.node(g.nodes().next().unwrap()).key(), Some("cpo-vs-cto"));
}

#[test]
fn builtin_files_are_the_graph_data_toml_files() {
    let files = builtin_files();
    assert!(!files.is_empty(), "graph-data/ held no .toml files at build time");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("graph-data");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("graph-data/{n}"))
        .collect();
    on_disk.sort();
    let embedded: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(embedded, on_disk);
}

#[test]
fn builtin_graph_loads() {
    match builtin() {
        Ok(g) => assert_eq!(g.name(), "roles"),
        Err(e) => panic!("the embedded graph-data does not load:\n{}", e.render()),
    }
}
