//! OVERLAP, DIFF and PATH on the built-in knowledge base: the answers to
//! questions Q12, Q17, Q20 and Q22 of shared/questions.md, with their
//! sources, plus ordering, formats and errors.

use rolegraph::{Rows, Session, Value};

fn run(q: &str) -> Rows {
    Session::builtin()
        .unwrap()
        .run(q)
        .unwrap_or_else(|e| panic!("{q}: {e}"))
}

fn s(v: &Value) -> String {
    match v {
        Value::String(x) => x.to_string(),
        Value::Null => String::new(),
        other => format!("{other:?}"),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_list()
        .unwrap_or_else(|| panic!("not a list: {v:?}"))
        .iter()
        .map(s)
        .collect()
}

fn col(rows: &Rows, name: &str) -> usize {
    rows.columns
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows.columns))
}

/// The rows whose first three columns (region/section, type, id) match.
fn find<'a>(rows: &'a Rows, first: &str, rel_type: &str, id: &str) -> Vec<&'a Vec<Value>> {
    rows.rows
        .iter()
        .filter(|r| s(&r[0]) == first && s(&r[1]) == rel_type && s(&r[2]) == id)
        .collect()
}

/// OVERLAP: the one row for (region, type, id), as (reacher → sources) and
/// the confidences.
fn overlap_item(rows: &Rows, region: &str, rel_type: &str, id: &str) -> (Vec<(String, Vec<String>)>, Vec<String>) {
    let found = find(rows, region, rel_type, id);
    assert_eq!(found.len(), 1, "{region} {rel_type} {id}: {found:?}");
    let r = found[0];
    let by = strings(&r[col(rows, "reached_by")]);
    let sources: Vec<Vec<String>> = r[col(rows, "sources")].as_list().unwrap().iter().map(strings).collect();
    let conf = strings(&r[col(rows, "confidence")]);
    assert_eq!(by.len(), sources.len());
    (by.into_iter().zip(sources).collect(), conf)
}

fn assert_sources(item: &[(String, Vec<String>)], who: &str, expected: &[&str]) {
    let (_, got) = item
        .iter()
        .find(|(w, _)| w == who)
        .unwrap_or_else(|| panic!("{who} missing in {item:?}"));
    for e in expected {
        assert!(got.iter().any(|g| g == e), "{who}: {e} missing from {got:?}");
    }
}

const CIO: &str = "chief-information-officer";
const CTO: &str = "chief-technology-officer";
const CPO: &str = "chief-product-officer";
const CINO: &str = "chief-innovation-officer";

#[test]
fn q12_responsibilities_the_cio_and_cto_share() {
    let rows = run("OVERLAP \"Chief Information Officer\", CTO");
    assert_eq!(
        rows.columns,
        ["region", "type", "id", "name", "reached_by", "sources", "confidence"]
    );
    let cases: [(&str, &[&str], &[&str]); 13] = [
        (
            "technology-strategy",
            &["tech-triumvirate"],
            &[
                "tech-triumvirate",
                "cpo-vs-cto",
                "cio-vs-cto-puzzle",
                "cto-vs-innovation-officer",
            ],
        ),
        (
            "infrastructure-management",
            &[
                "tech-triumvirate",
                "cpo-vs-cto",
                "cio-vs-cto-puzzle",
                "cio-cto-differences",
            ],
            &["tech-triumvirate", "cpo-vs-cto", "cto-vs-innovation-officer"],
        ),
        (
            "business-technology-alignment",
            &["tech-triumvirate", "cio-vs-cto-puzzle", "cio-cto-differences"],
            &[
                "tech-triumvirate",
                "cpo-vs-cto",
                "cto-vs-innovation-officer",
                "cio-cto-differences",
            ],
        ),
        (
            "data-security",
            &["tech-triumvirate", "cpo-vs-cto", "cio-vs-cto-puzzle"],
            &["cpo-vs-cto"],
        ),
        (
            "regulatory-compliance",
            &["cpo-vs-cto", "cio-vs-cto-puzzle"],
            &["cpo-vs-cto"],
        ),
        ("it-governance", &["tech-triumvirate"], &["cpo-vs-cto"]),
        ("technology-budgets", &["tech-triumvirate"], &["cpo-vs-cto"]),
        ("resource-allocation", &["cpo-vs-cto"], &["cpo-vs-cto"]),
        (
            "vendor-relationships",
            &["tech-triumvirate", "cio-cto-differences"],
            &["cio-cto-differences"],
        ),
        ("strategic-planning", &["tech-triumvirate"], &["cpo-vs-cto"]),
        (
            "process-optimization",
            &["tech-triumvirate", "cio-vs-cto-puzzle"],
            &["cpo-vs-cto"],
        ),
        ("digital-transformation", &["tech-triumvirate"], &["cpo-vs-cto"]),
        ("data-driven-strategy", &["tech-triumvirate"], &["tech-triumvirate"]),
    ];
    for (id, cio, cto) in cases {
        let (item, _) = overlap_item(&rows, "all", "RESPONSIBLE_FOR", id);
        assert_sources(&item, CIO, cio);
        assert_sources(&item, CTO, cto);
    }
    // Medium-confidence claims say so, per claimant.
    let (_, conf) = overlap_item(&rows, "all", "RESPONSIBLE_FOR", "it-governance");
    assert_eq!(conf, ["", "medium"]);
    let (_, conf) = overlap_item(&rows, "all", "RESPONSIBLE_FOR", "digital-transformation");
    assert_eq!(conf, ["medium", ""]);
    // Both lead the IT department and report to the CEO or the COO.
    let (item, _) = overlap_item(&rows, "all", "LEADS", "it-department");
    assert_sources(&item, CIO, &["cpo-vs-cto", "cio-cto-differences"]);
    assert_sources(&item, CTO, &["cpo-vs-cto"]);
    for boss in ["chief-executive-officer", "chief-operating-officer"] {
        let (item, _) = overlap_item(&rows, "all", "REPORTS_TO", boss);
        assert_sources(&item, CIO, &["cpo-vs-cto"]);
        assert_sources(&item, CTO, &["cpo-vs-cto"]);
    }
    // What only one reaches is its own region.
    overlap_item(&rows, &format!("only {CIO}"), "RESPONSIBLE_FOR", "information-systems");
    overlap_item(
        &rows,
        &format!("only {CTO}"),
        "RESPONSIBLE_FOR",
        "research-and-development",
    );
    // Their collaboration is a relationship between them, not an overlap.
    assert_eq!(find(&rows, "between", "COLLABORATES_WITH", CTO).len(), 1);
}

#[test]
fn q17_what_the_cio_cto_and_cpo_have_in_common() {
    let rows = run("OVERLAP chief-information-officer, CTO, CPO");
    let regions: Vec<String> = rows.rows.iter().map(|r| s(&r[0])).collect();
    // Every region present comes in Venn order: all, pairs, each alone, between.
    let order = [
        "all".to_string(),
        format!("{CIO} & {CTO}"),
        format!("{CTO} & {CPO}"),
        format!("only {CIO}"),
        format!("only {CTO}"),
        format!("only {CPO}"),
        "between".to_string(),
    ];
    let mut last = 0;
    for r in &regions {
        let pos = order
            .iter()
            .position(|o| o == r)
            .unwrap_or_else(|| panic!("region {r}"));
        assert!(pos >= last, "region {r} out of order");
        last = pos;
    }
    for skill in ["leadership", "business-acumen", "communication"] {
        let (item, _) = overlap_item(&rows, "all", "REQUIRES", skill);
        assert_eq!(item.len(), 3);
    }
    let (item, _) = overlap_item(&rows, "all", "REQUIRES", "leadership");
    assert_sources(&item, CIO, &["tech-triumvirate", "cio-cto-differences"]);
    assert_sources(&item, CTO, &["cpo-vs-cto", "cio-cto-differences"]);
    assert_sources(&item, CPO, &["cpo-vs-cto"]);
    for skill in [
        "technical-expertise",
        "emotional-intelligence",
        "inspiring-others",
        "continuous-learning",
    ] {
        let (_, conf) = overlap_item(&rows, "all", "REQUIRES", skill);
        assert!(conf.iter().any(|c| c == "medium"), "{skill}: {conf:?}");
    }
    let (item, _) = overlap_item(&rows, "all", "RESPONSIBLE_FOR", "strategic-planning");
    assert_sources(&item, CIO, &["tech-triumvirate"]);
    assert_sources(&item, CTO, &["cpo-vs-cto"]);
    assert_sources(&item, CPO, &["cpo-vs-cto"]);
    let (item, _) = overlap_item(&rows, "all", "RESPONSIBLE_FOR", "process-optimization");
    assert_sources(&item, CIO, &["tech-triumvirate", "cio-vs-cto-puzzle"]);
    overlap_item(&rows, "all", "RESPONSIBLE_FOR", "data-driven-strategy");
    // They collaborate with each other.
    let between: Vec<(String, String)> = rows
        .rows
        .iter()
        .filter(|r| s(&r[0]) == "between")
        .map(|r| (strings(&r[4])[0].clone(), s(&r[2])))
        .collect();
    for pair in [(CIO, CTO), (CIO, CPO), (CTO, CPO)] {
        assert!(
            between.contains(&(pair.0.to_string(), pair.1.to_string())),
            "{pair:?} in {between:?}"
        );
    }
    // No shared team, no shared reporting line.
    for t in ["LEADS", "WORKS_WITH", "REPORTS_TO"] {
        assert!(
            !rows.rows.iter().any(|r| s(&r[0]) == "all" && s(&r[1]) == t),
            "all three share a {t}"
        );
    }
}

/// DIFF rows for (section, type, id) by side: side → sources.
fn diff_rows(rows: &Rows, section: &str, rel_type: &str, id: &str) -> Vec<(String, Vec<String>, String)> {
    find(rows, section, rel_type, id)
        .into_iter()
        .map(|r| (s(&r[4]), strings(&r[5]), s(&r[7])))
        .collect()
}

#[test]
fn q20_how_the_cio_differs_from_the_cto() {
    let rows = run("DIFF chief-information-officer, CTO");
    assert_eq!(
        rows.columns,
        [
            "section",
            "type",
            "id",
            "name",
            "side",
            "sources",
            "confidence",
            "detail"
        ]
    );
    // Opposite poles, each with its sources.
    let poles = [
        (
            "internal",
            CIO,
            &["cpo-vs-cto", "cio-vs-cto-puzzle", "cio-cto-differences"][..],
        ),
        (
            "external",
            CTO,
            &["cpo-vs-cto", "cio-vs-cto-puzzle", "cio-cto-differences"][..],
        ),
        ("bottom-line", CIO, &["cio-cto-differences"][..]),
        ("top-line", CTO, &["cio-cto-differences"][..]),
        ("productivity", CIO, &["cio-cto-differences"][..]),
        ("innovation", CTO, &["cio-cto-differences"][..]),
        ("employees", CIO, &["cio-cto-differences"][..]),
        ("customers", CTO, &["cio-cto-differences"][..]),
        ("present", CIO, &["cio-vs-cto-puzzle"][..]),
        ("future", CTO, &["cio-vs-cto-puzzle"][..]),
        ("business-focused", CIO, &["tech-triumvirate"][..]),
        ("technical", CTO, &["tech-triumvirate"][..]),
    ];
    for (pole, side, sources) in poles {
        let found = diff_rows(&rows, "opposite", "FOCUSES_ON", pole);
        let (_, got, _) = found
            .iter()
            .find(|(w, _, _)| w == side)
            .unwrap_or_else(|| panic!("{pole} for {side}: {found:?}"));
        for e in sources {
            assert!(got.iter().any(|g| g == e), "{pole}: {e} missing from {got:?}");
        }
    }
    // The sources disagree: 003 calls the CTO internal; 004 gives the CIO a future.
    let internal = diff_rows(&rows, "disputed", "FOCUSES_ON", "internal");
    assert_eq!(
        internal,
        [(
            CTO.to_string(),
            vec!["cto-vs-innovation-officer".to_string()],
            "both poles of internal-external".to_string()
        )]
    );
    let future = diff_rows(&rows, "disputed", "FOCUSES_ON", "future");
    assert_eq!(future[0].0, CIO);
    assert_eq!(future[0].1, ["cio-cto-differences"]);
    // Responsibilities and skills only one of them has.
    for id in [
        "information-systems",
        "it-operations",
        "data-management",
        "software-implementation",
        "it-strategy",
        "researching-new-systems",
        "profitability",
        "project-management",
    ] {
        assert_eq!(diff_rows(&rows, "only", "RESPONSIBLE_FOR", id)[0].0, CIO, "{id}");
    }
    for id in [
        "research-and-development",
        "technical-vision",
        "technology-roadmap",
        "technology-architecture",
        "technical-leadership",
        "system-reliability",
        "coding-standards",
        "agile-delivery",
        "revenue-growth",
    ] {
        assert_eq!(diff_rows(&rows, "only", "RESPONSIBLE_FOR", id)[0].0, CTO, "{id}");
    }
    for id in [
        "cybersecurity",
        "data-analytics",
        "infrastructure-expertise",
        "it-background",
    ] {
        assert_eq!(diff_rows(&rows, "only", "REQUIRES", id)[0].0, CIO, "{id}");
    }
    for id in [
        "software-architecture",
        "cloud-computing",
        "artificial-intelligence",
        "problem-solving",
        "analytical-skills",
        "mentoring",
    ] {
        assert_eq!(diff_rows(&rows, "only", "REQUIRES", id)[0].0, CTO, "{id}");
    }
    // Shared things are not differences.
    assert!(diff_rows(&rows, "only", "RESPONSIBLE_FOR", "technology-strategy").is_empty());
}

#[test]
fn q22_how_the_cto_differs_from_the_chief_innovation_officer() {
    let rows = run("DIFF CTO, \"Chief Innovation Officer\"");
    let from_003 = vec!["cto-vs-innovation-officer".to_string()];
    // Operational vs strategic, execution vs ideation, internal vs both.
    for (pole, side) in [
        ("operational", CTO),
        ("strategic", CINO),
        ("execution", CTO),
        ("ideation", CINO),
        ("internal", CTO),
        ("internal", CINO),
        ("external", CINO),
    ] {
        let found = diff_rows(&rows, "opposite", "FOCUSES_ON", pole);
        assert!(
            found.iter().any(|(w, src, _)| w == side && *src == from_003),
            "{pole} {side}: {found:?}"
        );
    }
    // Saying "both internal and external" in one source is not a dispute.
    assert!(
        !rows.rows.iter().any(|r| s(&r[0]) == "disputed" && s(&r[4]) == CINO),
        "no dispute about the Chief Innovation Officer"
    );
    for id in [
        "innovation-strategy",
        "cross-functional-collaboration",
        "market-research",
        "fostering-creativity",
        "innovation-process-management",
        "innovation-culture",
    ] {
        let found = diff_rows(&rows, "only", "RESPONSIBLE_FOR", id);
        assert_eq!(found.len(), 1, "{id}");
        assert_eq!(found[0].0, CINO);
        assert_eq!(found[0].1, from_003);
    }
    // Risk management is 003's for the Chief Innovation Officer, but cpo-vs-cto has the CTO
    // mitigate risks too (medium), so it is not a difference.
    assert!(diff_rows(&rows, "only", "RESPONSIBLE_FOR", "risk-management").is_empty());
    for id in [
        "technology-strategy",
        "product-development",
        "infrastructure-management",
        "technical-leadership",
        "technology-architecture",
    ] {
        let found = diff_rows(&rows, "only", "RESPONSIBLE_FOR", id);
        assert_eq!(found.len(), 1, "{id}");
        assert_eq!(found[0].0, CTO);
        assert!(found[0].1.contains(&from_003[0]), "{id}: {:?}", found[0].1);
    }
    // The CTO both leads and works with engineering, per different sources.
    let eng: Vec<String> = rows
        .rows
        .iter()
        .filter(|r| s(&r[0]) == "disputed" && s(&r[2]) == "engineering")
        .map(|r| s(&r[1]))
        .collect();
    assert_eq!(eng, ["LEADS", "WORKS_WITH"]);
}

#[test]
fn path_explains_a_connection_hop_by_hop() {
    let rows = run("PATH infrastructure-overseer TO CPO VIA VARIANT_OF|LEADS|WORKS_WITH");
    assert_eq!(
        rows.columns,
        [
            "path",
            "step",
            "from",
            "type",
            "direction",
            "to",
            "name",
            "sources",
            "confidence"
        ]
    );
    let hops: Vec<(String, String, String, String)> = rows
        .rows
        .iter()
        .map(|r| (s(&r[2]), s(&r[3]), s(&r[4]), s(&r[5])))
        .collect();
    assert_eq!(
        hops,
        [
            (
                "infrastructure-overseer".into(),
                "VARIANT_OF".into(),
                "->".into(),
                CTO.into()
            ),
            (CTO.into(), "LEADS".into(), "->".into(), "engineering".into()),
            ("engineering".into(), "WORKS_WITH".into(), "<-".into(), CPO.into()),
        ]
    );
    assert_eq!(strings(&rows.rows[0][7]), ["cpo-vs-cto"]);
    let title = rows.title.as_deref().unwrap();
    assert!(title.contains("length 3, 1 path"), "{title}");
    assert!(
        title.contains("(Infrastructure Overseer)-[:VARIANT_OF {cpo-vs-cto}]->(Chief Technology Officer)"),
        "{title}"
    );
}

#[test]
fn path_all_lists_every_shortest_path_in_a_stable_order() {
    let a = run("PATH chief-information-officer TO CPO VIA LEADS|WORKS_WITH|REQUIRES ALL");
    let b = run("PATH chief-information-officer TO CPO VIA LEADS|WORKS_WITH|REQUIRES ALL");
    assert_eq!(a.rows.len(), b.rows.len());
    for (x, y) in a.rows.iter().zip(&b.rows) {
        assert_eq!(format!("{x:?}"), format!("{y:?}"));
    }
    let paths: std::collections::BTreeSet<i64> = a
        .rows
        .iter()
        .map(|r| match r[0] {
            Value::Int(i) => i,
            _ => panic!(),
        })
        .collect();
    assert!(paths.len() > 1, "several shortest paths through shared skills");
    // Every path has the same length (two hops: role, skill, role).
    assert!(a.rows.iter().all(|r| matches!(r[1], Value::Int(1) | Value::Int(2))));
}

#[test]
fn path_between_unconnected_nodes_is_empty() {
    let rows = run("PATH CTO TO CPO VIA REPORTS_TO");
    assert!(rows.is_empty());
    assert!(rows.title.unwrap().contains("not connected"));
}

#[test]
fn overlap_on_types_restricts_the_relationships() {
    let rows = run("OVERLAP chief-information-officer, CTO ON REPORTS_TO|LEADS");
    let types: std::collections::BTreeSet<String> = rows.rows.iter().map(|r| s(&r[1])).collect();
    assert_eq!(
        types.into_iter().collect::<Vec<_>>(),
        ["LEADS", "REPORTS_TO"],
        "only the ON types"
    );
}

#[test]
fn four_way_overlap_has_every_non_empty_region() {
    let rows = run("OVERLAP chief-information-officer, CTO, CPO, chief-innovation-officer");
    let all = find(&rows, "all", "REQUIRES", "leadership");
    assert!(
        all.is_empty(),
        "the Chief Innovation Officer needs no leadership skill (Q35)"
    );
    let three = format!("{CIO} & {CTO} & {CPO}");
    assert_eq!(find(&rows, &three, "REQUIRES", "leadership").len(), 1);
    assert!(rows.title.unwrap().contains(&format!("only {CINO}")));
}

#[test]
fn ambiguous_references_are_reported() {
    let err = Session::builtin().unwrap().run("OVERLAP CIO, CTO").unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("ambiguous"), "{msg}");
    assert!(msg.contains(CIO) && msg.contains(CINO), "{msg}");
}

#[test]
fn results_are_deterministic_and_render_in_every_format() {
    let mut session = Session::builtin().unwrap();
    for q in [
        "OVERLAP chief-information-officer, CTO, CPO",
        "DIFF CTO, chief-innovation-officer",
        "PATH chief-digital-officer TO chief-executive-officer ALL",
    ] {
        let a = session.run(q).unwrap();
        let b = session.run(q).unwrap();
        assert_eq!(format!("{:?}", a.rows), format!("{:?}", b.rows), "{q}");
        assert!(a.subgraph.is_some(), "{q} remembers a subgraph");
        for f in ["table", "json", "jsonl", "csv", "markdown"] {
            let out = rolegraph::render::render(
                &a,
                session.graph(),
                f.parse().unwrap(),
                &rolegraph::render::TableOptions::default(),
            );
            assert!(!out.is_empty(), "{q} as {f}");
        }
        let json: serde_json::Value = serde_json::from_str(&rolegraph::render::render(
            &a,
            session.graph(),
            "json".parse().unwrap(),
            &Default::default(),
        ))
        .unwrap();
        assert_eq!(json.as_array().unwrap().len(), a.rows.len());
    }
}

#[test]
fn diff_on_types_keeps_only_those_relationships() {
    let all = run("DIFF CTO, CPO");
    let on = run("DIFF CTO, CPO ON REQUIRES|LEADS");
    let t = col(&on, "type");
    assert!(!on.rows.is_empty());
    assert!(
        on.rows
            .iter()
            .all(|r| ["REQUIRES", "LEADS"].contains(&s(&r[t]).as_str()))
    );
    let text = |r: &Vec<Value>| r.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>();
    let expected: Vec<Vec<String>> = all
        .rows
        .iter()
        .filter(|r| ["REQUIRES", "LEADS"].contains(&s(&r[t]).as_str()) && s(&r[0]) == "only")
        .map(text)
        .collect();
    let got: Vec<Vec<String>> = on.rows.iter().filter(|r| s(&r[0]) == "only").map(text).collect();
    assert_eq!(got, expected);
    assert!(on.title.as_deref().unwrap().contains("ON REQUIRES|LEADS"));
    // An unknown type is a warning with the closest one.
    let rows = run("DIFF CTO, CPO ON REQUIRE");
    assert!(rows.rows.is_empty());
    assert!(
        rows.warnings
            .iter()
            .any(|w| w.help.as_deref().is_some_and(|h| h.contains("REQUIRES")))
    );
}

#[test]
fn summary_counts_what_the_detail_lists() {
    for (detail, summary, keys) in [
        (
            "DIFF CTO, CPO",
            "DIFF CTO, CPO SUMMARY",
            &["section", "side", "type"][..],
        ),
        (
            "OVERLAP CTO, CPO, chief-information-officer ON REQUIRES|RESPONSIBLE_FOR",
            "OVERLAP CTO, CPO, chief-information-officer ON REQUIRES|RESPONSIBLE_FOR SUMMARY",
            &["region", "type"][..],
        ),
    ] {
        let d = run(detail);
        let sm = run(summary);
        let mut want = keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        want.push("count".into());
        assert_eq!(sm.columns, want);
        let count = col(&sm, "count");
        let int = |v: &Value| match v {
            Value::Int(i) => *i,
            other => panic!("not a count: {other:?}"),
        };
        let total: i64 = sm.rows.iter().map(|r| int(&r[count])).sum();
        assert_eq!(total as usize, d.rows.len(), "{summary}");
        for r in &sm.rows {
            let n = d
                .rows
                .iter()
                .filter(|x| keys.iter().enumerate().all(|(i, k)| s(&x[col(&d, k)]) == s(&r[i])))
                .count();
            assert_eq!(n as i64, int(&r[count]), "{summary}: {r:?}");
        }
        assert!(sm.rows.len() < d.rows.len());
    }
}

#[test]
fn literals_compared_to_id_or_name_warn_when_they_are_another_spelling() {
    let mut session = Session::builtin().unwrap();
    for (q, spelling) in [
        ("MATCH (r:Role {name: 'CIO'}) RETURN r", "'Chief Information Officer'"),
        (
            "MATCH (r:Role) WHERE r.id = 'cto' RETURN r",
            "'chief-technology-officer'",
        ),
        ("MATCH (r) WHERE 'CPO' = r.id RETURN r", "'chief-product-officer'"),
        (
            "MATCH (r) WHERE r.name IN ['Chief Technology Officer', 'chief product officer'] RETURN r.id",
            "'Chief Product Officer'",
        ),
        (
            "MATCH (a)-[:REPORTS_TO]->(b {id: 'CEO'}) RETURN a",
            "'chief-executive-officer'",
        ),
        (
            "MATCH (a) WHERE exists((a)-->({name: 'cto'})) RETURN a",
            "'Chief Technology Officer'",
        ),
    ] {
        let rows = session.run(q).unwrap();
        let w = rows.warnings.iter().find(|w| w.message.contains("no node has the"));
        let w = w.unwrap_or_else(|| panic!("no warning for {q}: {:?}", rows.warnings));
        assert!(w.help.as_deref().unwrap().contains(spelling), "{q}: {w:?}");
    }
    // Right spellings, unknown words and CREATE get no such warning.
    for q in [
        "MATCH (r:Role {name: 'Chief Technology Officer'}) RETURN r",
        "MATCH (r) WHERE r.id = 'chief-technology-officer' RETURN r",
        "MATCH (r) WHERE r.name = 'no such thing at all' RETURN r",
        "MATCH (r) WHERE r.id <> 'cto' RETURN count(r)",
        "CREATE (r:Role {id: 'cto', name: 'CIO'}) RETURN r",
    ] {
        let rows = session.run(q).unwrap();
        assert!(
            !rows.warnings.iter().any(|w| w.message.contains("no node has the")),
            "{q}: {:?}",
            rows.warnings
        );
    }
}
