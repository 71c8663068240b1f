//! PROFILE end to end on the built-in knowledge base: one row per EXPLAIN
//! step with the rows it produced and its time, then a total; the counts
//! are checked against the plain queries that compute them. Also EXPLAIN's
//! description of how a pattern is matched.

use assert_cmd::Command;
use serde_json::Value as Json;

fn rolegraph() -> Command {
    let mut c = Command::cargo_bin("rolegraph").expect("binary builds");
    c.env("NO_COLOR", "1");
    c
}

/// Runs statements on the built-in graph; returns stdout, failing on a non-zero exit.
fn run(args: &[&str]) -> String {
    let out = rolegraph().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One statement's result as JSON objects.
fn json(q: &str) -> Vec<Json> {
    let out = run(&["--format", "json", "-e", q]);
    match serde_json::from_str(&out).expect("valid JSON") {
        Json::Array(rows) => rows,
        other => panic!("expected an array, got {other}"),
    }
}

/// The single number a plain query returns.
fn number(q: &str) -> i64 {
    let rows = json(q);
    assert_eq!(rows.len(), 1, "{q}");
    let obj = rows[0].as_object().expect("an object");
    assert_eq!(obj.len(), 1, "{q}");
    obj.values().next().and_then(Json::as_i64).expect("an integer")
}

/// A PROFILE row.
#[derive(Debug)]
struct Step {
    step: Option<i64>,
    operator: String,
    detail: String,
    rows: Option<i64>,
    ms: Option<String>,
}

fn profile(q: &str) -> Vec<Step> {
    let steps: Vec<Step> = json(&format!("PROFILE {q}"))
        .into_iter()
        .map(|r| Step {
            step: r["step"].as_i64(),
            operator: r["operator"].as_str().expect("operator").to_string(),
            detail: r["detail"].as_str().expect("detail").to_string(),
            rows: r["rows"].as_i64(),
            ms: r["ms"].as_str().map(String::from),
        })
        .collect();
    check_shape(q, &steps);
    steps
}

/// Steps numbered 1.. then a total; every time a non-negative number of
/// milliseconds with 3 decimals; the steps' times add up to at most the total.
fn check_shape(q: &str, steps: &[Step]) {
    let (total, each) = steps.split_last().expect("at least the total");
    assert_eq!(total.operator, "Total", "{q}");
    assert_eq!(total.step, None, "{q}");
    for (i, s) in each.iter().enumerate() {
        assert_eq!(s.step, Some(i as i64 + 1), "{q}: {s:?}");
    }
    let ms = |s: &Step| -> Option<f64> {
        let t = s.ms.as_deref()?;
        let (_, decimals) = t.split_once('.').expect("a decimal point");
        assert_eq!(decimals.len(), 3, "{q}: {t}");
        let v: f64 = t.parse().expect("a number");
        assert!(v >= 0.0, "{q}: {t}");
        Some(v)
    };
    let sum: f64 = each.iter().filter_map(ms).sum();
    let whole = ms(total).expect("the total has a time");
    // Each step is rounded to 0.001 ms.
    assert!(
        sum <= whole + 0.001 * each.len() as f64,
        "{q}: steps {sum} ms > total {whole} ms"
    );
}

fn operators(steps: &[Step]) -> Vec<&str> {
    steps.iter().map(|s| s.operator.as_str()).collect()
}

fn counts(steps: &[Step]) -> Vec<Option<i64>> {
    steps.iter().map(|s| s.rows).collect()
}

#[test]
fn count_of_roles_shows_the_scan_and_the_aggregate() {
    let roles = number("MATCH (r:Role) RETURN count(r)");
    assert_eq!(roles, 10);
    let p = profile("MATCH (r:Role) RETURN count(r)");
    assert_eq!(operators(&p), ["CountPerNode", "Aggregate", "Total"]);
    assert_eq!(counts(&p), [Some(roles), Some(1), Some(1)]);
    assert_eq!(
        p[0].detail,
        "scan :Role (node 0); nodes counted as scanned, no rows made"
    );
}

#[test]
fn collecting_distinct_ends_counts_the_ends_in_its_expand_step() {
    let q = "MATCH (r:Role)-[:REQUIRES]->(:Skill)<-[:REQUIRES]-(b:Role) RETURN count(DISTINCT b) AS n";
    let ends = number(q);
    assert!(ends > 1, "the query needs several ends");
    let p = profile(q);
    assert_eq!(operators(&p), ["DistinctEnds", "Aggregate", "Total"]);
    assert_eq!(counts(&p), [Some(ends), Some(1), Some(1)]);
    assert!(
        p[0].detail
            .ends_with("the last hop's ends collected into a set, no rows made"),
        "{}",
        p[0].detail
    );
}

#[test]
fn grouping_sorting_and_limit_count_their_rows() {
    let q = "MATCH (r:Role)-[:REQUIRES]->(s:Skill) RETURN s.name, count(r) AS n ORDER BY n DESC LIMIT 3";
    let matches = number("MATCH (r:Role)-[:REQUIRES]->(s:Skill) RETURN count(*)");
    let groups = number("MATCH (r:Role)-[:REQUIRES]->(s:Skill) RETURN count(DISTINCT s.name)");
    assert!(groups > 3, "the query needs more groups than its limit");
    let p = profile(q);
    assert_eq!(operators(&p), ["CountPerNode", "Aggregate", "TopK", "Limit", "Total"]);
    assert_eq!(
        counts(&p),
        // Under LIMIT the sort keeps only the rows the limit can reach.
        [Some(matches), Some(groups), Some(3), Some(3), Some(3)]
    );
    assert_eq!(json(q).len(), 3);
}

#[test]
fn where_counts_the_rows_it_keeps() {
    let kept = number("MATCH (r:Role) WHERE r.name STARTS WITH 'Chief' RETURN count(*)");
    assert!(0 < kept && kept < 10);
    let p = profile("MATCH (r:Role) WHERE r.name STARTS WITH 'Chief' RETURN r.name");
    // The condition is checked as soon as `r` is bound, inside the Expand.
    assert_eq!(operators(&p), ["Expand", "Project", "Total"]);
    assert_eq!(counts(&p), [Some(kept), Some(kept), Some(kept)]);
    assert!(
        p[0].detail.contains(
            "1 WHERE condition checked at the start node (a filtered scan: read in place, no row until a node passes)"
        ),
        "{}",
        p[0].detail
    );
    // A condition on a path cannot be checked early: it stays a Filter.
    let p = profile("MATCH q = (r:Role) WHERE length(q) = 0 AND r.name STARTS WITH 'Chief' RETURN r.name");
    assert_eq!(operators(&p), ["Expand", "Filter", "Project", "Total"]);
    assert_eq!(counts(&p), [Some(10), Some(kept), Some(kept), Some(kept)]);
}

#[test]
fn limit_without_order_stops_the_match_early() {
    let p = profile("MATCH (r:Role) RETURN r.name LIMIT 2");
    assert_eq!(operators(&p), ["Expand", "Project", "Limit", "Total"]);
    // The projection has its 2 rows after the second match, and matching stops.
    assert_eq!(counts(&p), [Some(2), Some(2), Some(2), Some(2)]);
}

#[test]
fn optional_match_counts_its_rows_of_nulls() {
    let roles = 10;
    let with_team = number("MATCH (r:Role)-[:LEADS]->(t:Team) RETURN count(*)");
    let without = number("MATCH (r:Role) WHERE NOT (r)-[:LEADS]->(:Team) RETURN count(*)");
    let p = profile("MATCH (r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t:Team) RETURN r.name, t.name");
    assert_eq!(operators(&p), ["Expand", "OptionalExpand", "Project", "Total"]);
    assert_eq!(
        counts(&p),
        [
            Some(roles),
            Some(with_team + without),
            Some(with_team + without),
            Some(with_team + without)
        ]
    );
    assert!(
        p[1].detail.starts_with("node 0 bound earlier; expand outgoing :LEADS"),
        "{}",
        p[1].detail
    );
}

#[test]
fn unwind_with_where_and_union() {
    let p = profile("UNWIND range(1, 5) AS x WITH x WHERE x % 2 = 1 RETURN x UNION UNWIND [5, 6, 6] AS x RETURN x");
    assert_eq!(
        operators(&p),
        [
            "Unwind", "Project", "Filter", "Project", "Union", "Unwind", "Project", "Total"
        ]
    );
    // 1, 3, 5 then 5, 6, 6: the union keeps 1, 3, 5, 6.
    assert_eq!(
        counts(&p),
        [Some(5), Some(5), Some(3), Some(3), Some(4), Some(3), Some(3), Some(4)]
    );
}

#[test]
fn patterns_matched_together_count_each_part_and_share_one_clock() {
    let roles = number("MATCH (a:Role) RETURN count(*)");
    let pairs = number("MATCH (a:Role), (b:Team) RETURN count(*)");
    let kept = number("MATCH (a:Role), (b:Team) WHERE a.name < b.name RETURN count(*)");
    let p = profile("MATCH (a:Role), (b:Team) WHERE a.name < b.name RETURN count(*)");
    assert!(kept < pairs);
    // The condition needs both patterns: it is checked once `b` is bound.
    // The first part made a row per role; its time is the second's.
    assert_eq!(operators(&p), ["Expand", "Expand", "Aggregate", "Total"]);
    assert_eq!(counts(&p), [Some(roles), Some(kept), Some(1), Some(1)]);
    assert_eq!(p[0].ms, None);
    // Its other side is the first part's node: compiled once per row.
    assert!(
        p[1].detail.contains(
            "1 WHERE condition checked at the start node (1 against a value fixed per outer row, compiled once per row)"
        ),
        "{}",
        p[1].detail
    );
}

#[test]
fn profile_steps_are_the_explain_steps() {
    for q in [
        "MATCH (r:Role {id: 'chief-technology-officer'})-[:REQUIRES]->(s) RETURN s.name",
        "MATCH (r:Role) WITH DISTINCT r.name AS n WHERE n <> 'x' RETURN n ORDER BY n SKIP 1 LIMIT 2",
        "MATCH (a)-[:REPORTS_TO*1..3]->(b:Role) RETURN a.name, b.name",
        "DESCRIBE CTO",
    ] {
        let explained = json(&format!("EXPLAIN {q}"));
        let p = profile(q);
        assert_eq!(p.len(), explained.len() + 1, "{q}");
        for (s, e) in p.iter().zip(&explained) {
            assert_eq!(Some(s.operator.as_str()), e["operator"].as_str(), "{q}");
            assert_eq!(Some(s.detail.as_str()), e["detail"].as_str(), "{q}");
        }
    }
}

#[test]
fn table_title_says_how_many_rows_the_statement_returned() {
    let out = run(&["-e", "PROFILE MATCH (r:Role) RETURN r.name"]);
    let title = out.lines().next().expect("a title");
    let (n, rest) = title.split_once(" rows returned in ").expect("the title");
    assert_eq!(n, "10", "{title}");
    let ms = rest.strip_suffix(" ms").expect("milliseconds");
    assert!(ms.parse::<f64>().expect("a number") >= 0.0);
    for col in ["step", "operator", "detail", "rows", "ms"] {
        assert!(out.contains(col), "{out}");
    }
}

#[test]
fn profile_of_create_creates() {
    let out = run(&[
        "-e",
        "PROFILE CREATE (a:Role {id: 'profiled', name: 'Profiled'})-[:REPORTS_TO]->(b:Role {id: 'profiled-boss', name: 'Boss'})",
        "-e",
        "MATCH (a:Role {id: 'profiled'})-[:REPORTS_TO]->(b) RETURN b.name",
    ]);
    assert!(
        out.contains("2 nodes created, 1 relationship created"),
        "the profile reports what CREATE changed:\n{out}"
    );
    assert!(
        out.contains("│ Boss"),
        "the second statement sees the created nodes:\n{out}"
    );
    let p = profile("CREATE (:Role {id: 'profiled', name: 'Profiled'})");
    assert_eq!(operators(&p), ["Create", "Total"]);
    assert_eq!(counts(&p), [Some(1), Some(0)]);
    let p = profile("UNWIND range(1, 3) AS i CREATE (:Team {id: 'team-' + toString(i), name: 'T'})");
    assert_eq!(operators(&p), ["Unwind", "Create", "Total"]);
    assert_eq!(counts(&p), [Some(3), Some(3), Some(0)]);
}

#[test]
fn explain_says_how_each_pattern_is_matched() {
    let detail = |q: &str| -> Vec<String> {
        json(&format!("EXPLAIN {q}"))
            .into_iter()
            .filter(|r| {
                r["operator"]
                    .as_str()
                    .is_some_and(|o| o.ends_with("Expand") || o.starts_with("Count") || o == "DistinctEnds")
            })
            .map(|r| r["detail"].as_str().expect("detail").to_string())
            .collect()
    };
    assert_eq!(
        detail("MATCH (r:Role {id: 'chief-technology-officer'})-[:REQUIRES]->(s) RETURN s.name"),
        ["lookup :Role {id: 'chief-technology-officer'} (node 0); expand outgoing :REQUIRES to node 1"]
    );
    assert_eq!(
        detail("MATCH (r:Role)-[:REQUIRES]->(s:Skill) RETURN s.name"),
        ["scan :Role (node 0); expand outgoing :REQUIRES to node 1 :Skill"]
    );
    assert_eq!(
        detail("MATCH (n) RETURN count(n)"),
        ["scan all nodes (node 0); nodes counted as scanned, no rows made"]
    );
    assert_eq!(detail("MATCH (n) RETURN n.name"), ["scan all nodes (node 0)"]);
    // The id lookup is the start even when it is on the right; hops to its
    // left are expanded against the pattern as written.
    assert_eq!(
        detail(
            "MATCH (s:Skill)<-[:REQUIRES]-(r:Role {id: 'chief-technology-officer'})-[:REPORTS_TO*1..3]->(b) RETURN b"
        ),
        ["lookup :Role {id: 'chief-technology-officer'} (node 1); \
          expand outgoing :REPORTS_TO var-length 1..3 to node 2; \
          expand outgoing :REQUIRES to node 0 :Skill"]
    );
    assert_eq!(
        detail("MATCH (r:Role) MATCH (r)-[x]-(t:Team) RETURN t"),
        [
            "scan :Role (node 0)",
            "node 0 bound earlier; expand either way (any type) to node 1 :Team"
        ]
    );
    assert_eq!(
        detail("MATCH (a:Role)<-[:REPORTS_TO*]-(b) RETURN b"),
        ["scan :Role (node 0); expand incoming :REPORTS_TO var-length 1.. to node 1"]
    );
}
