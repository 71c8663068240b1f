//! Aggregates over one hop, end to end: on a generated organisation loaded
//! from CSV (so the adjacency is frozen and the store's statistics vouch
//! for each type's end labels), EXPLAIN shows the counting operator each
//! shape is planned with (operator kinds in order), and the rows equal
//! answers the test computes from the data it wrote: degrees either way
//! with self-loops, several types, OPTIONAL MATCH with zero counts,
//! count(DISTINCT) and top-k over groups with ties.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value as Json;

mod common;
use common::Rng;

const ROLES: usize = 600;
const TEAMS: usize = 40;

/// The relationships written, as (from, to) index pairs per type.
struct Org {
    collab: Vec<(usize, usize)>,
    reports: Vec<(usize, usize)>,
    leads: Vec<(usize, usize)>,
    works_with: Vec<(usize, usize)>,
}

fn write_org(dir: &Path) -> Org {
    let mut rng = Rng(0xa66_5eed);
    let mut collab = Vec::new();
    let mut reports = Vec::new();
    let mut leads = Vec::new();
    let mut works_with = Vec::new();
    for r in 0..ROLES {
        for _ in 0..rng.below(4) {
            collab.push((r, rng.below(ROLES)));
        }
        if r % 97 == 5 {
            collab.push((r, r)); // a self-loop counts once either way
        }
        if r > 0 {
            reports.push((r, (r - 1) / 4));
        }
        // Teams 30 and up are led by nobody (OPTIONAL counts them as zero).
        if r % 3 != 0 {
            leads.push((r, rng.below(30)));
        }
        works_with.push((r, rng.below(TEAMS)));
    }
    let nodes = |file: &str, prefix: &str, n: usize| {
        let mut s = String::from("id,name\n");
        for i in 0..n {
            s.push_str(&format!("{prefix}{i},{prefix} {}\n", i % 7));
        }
        std::fs::write(dir.join(file), s).expect("write nodes");
    };
    nodes("Role.csv", "r", ROLES);
    nodes("Team.csv", "t", TEAMS);
    let rels = |file: &str, to: &str, pairs: &[(usize, usize)]| {
        let mut s = String::from("from_id,to_id\n");
        for (a, b) in pairs {
            s.push_str(&format!("r{a},{to}{b}\n"));
        }
        std::fs::write(dir.join(file), s).expect("write relationships");
    };
    rels("COLLABORATES_WITH.csv", "r", &collab);
    rels("REPORTS_TO.csv", "r", &reports);
    rels("LEADS.csv", "t", &leads);
    rels("WORKS_WITH.csv", "t", &works_with);
    Org {
        collab,
        reports,
        leads,
        works_with,
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    org: Org,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let org = write_org(dir.path());
    Fixture { dir, org }
}

impl Fixture {
    fn json(&self, q: &str) -> Vec<Json> {
        let out = Command::cargo_bin("rolegraph")
            .expect("binary builds")
            .env("NO_COLOR", "1")
            .arg("--data")
            .arg(self.dir.path())
            .args(["--format", "json", "-e", q])
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{q} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        match serde_json::from_slice(&out.stdout).expect("valid JSON") {
            Json::Array(rows) => rows,
            other => panic!("expected an array, got {other}"),
        }
    }

    fn operators(&self, q: &str) -> Vec<String> {
        self.json(&format!("EXPLAIN {q}"))
            .into_iter()
            .map(|r| r["operator"].as_str().expect("operator").to_string())
            .collect()
    }

    /// The rows as (column values as text), in order.
    fn rows(&self, q: &str) -> Vec<Vec<String>> {
        self.json(q)
            .into_iter()
            .map(|r| {
                r.as_object()
                    .expect("an object")
                    .values()
                    .map(|v| match v {
                        Json::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect()
    }
}

/// Rows of (key, count) sorted by count descending then key, first `k`.
fn top(counts: &BTreeMap<String, i64>, k: usize) -> Vec<Vec<String>> {
    let mut v: Vec<(&String, &i64)> = counts.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.into_iter()
        .take(k)
        .map(|(key, n)| vec![key.clone(), n.to_string()])
        .collect()
}

#[test]
fn undirected_counts_per_node_are_degrees_with_self_loops_once() {
    let f = fixture();
    let q = "MATCH (r:Role)-[:COLLABORATES_WITH]-(o:Role) RETURN r.id, count(o) AS n ORDER BY n DESC, r.id LIMIT 12";
    assert_eq!(f.operators(q), ["CountPerNode", "Aggregate", "TopK", "Limit"]);
    let mut degree: BTreeMap<String, i64> = BTreeMap::new();
    for &(a, b) in &f.org.collab {
        *degree.entry(format!("r{a}")).or_default() += 1;
        if a != b {
            *degree.entry(format!("r{b}")).or_default() += 1;
        }
    }
    assert_eq!(f.rows(q), top(&degree, 12));
    // Every node's count, grouped by the node itself.
    let q =
        "MATCH (r:Role)-[:COLLABORATES_WITH]-(o:Role) WITH r, count(*) AS n RETURN sum(n) AS total, count(r) AS roles";
    assert_eq!(f.operators(q)[0], "CountPerNode");
    let total: i64 = degree.values().sum();
    assert_eq!(f.rows(q), [[total.to_string(), degree.len().to_string()]]);
}

#[test]
fn counts_over_several_types_add_each_types_degree() {
    let f = fixture();
    let q = "MATCH (r:Role)-[:LEADS|WORKS_WITH]->(t:Team) RETURN t.id, count(*) AS n ORDER BY n DESC, t.id LIMIT 6";
    assert_eq!(f.operators(q), ["CountPerNode", "Aggregate", "TopK", "Limit"]);
    let mut per_team: BTreeMap<String, i64> = BTreeMap::new();
    for &(_, t) in f.org.leads.iter().chain(&f.org.works_with) {
        *per_team.entry(format!("t{t}")).or_default() += 1;
    }
    assert_eq!(f.rows(q), top(&per_team, 6));
    // Grouped on the start end instead: each role's leads and teams.
    let q = "MATCH (r:Role)-[:WORKS_WITH|LEADS|WORKS_WITH]->(t:Team) RETURN r.id, count(t) AS n ORDER BY n DESC, r.id LIMIT 5";
    assert_eq!(f.operators(q)[0], "CountPerNode");
    let mut per_role: BTreeMap<String, i64> = BTreeMap::new();
    for &(r, _) in f.org.leads.iter().chain(&f.org.works_with) {
        *per_role.entry(format!("r{r}")).or_default() += 1;
    }
    assert_eq!(f.rows(q), top(&per_role, 5));
}

#[test]
fn optional_match_counts_include_nodes_without_a_match() {
    let f = fixture();
    let mut leaders = vec![0i64; TEAMS];
    for &(_, t) in &f.org.leads {
        leaders[t] += 1;
    }
    assert!(leaders.contains(&0));
    // The histogram of leaders per team, zero included.
    let q = "MATCH (t:Team) OPTIONAL MATCH (t)<-[:LEADS]-(r:Role) WITH t, count(r) AS leaders \
             RETURN leaders, count(*) AS teams ORDER BY leaders";
    assert_eq!(f.operators(q), ["CountPerNode", "AggregatePerRow", "Aggregate", "Sort"]);
    let mut histogram: BTreeMap<i64, i64> = BTreeMap::new();
    for &n in &leaders {
        *histogram.entry(n).or_default() += 1;
    }
    let expected: Vec<Vec<String>> = histogram
        .iter()
        .map(|(k, v)| vec![k.to_string(), v.to_string()])
        .collect();
    assert_eq!(f.rows(q), expected);
    // count(*) counts the row of nulls a team without leaders gets.
    let q = "MATCH (t:Team) OPTIONAL MATCH (t)<-[:LEADS]-(r:Role) WITH t, count(*) AS c \
             WHERE c < 2 RETURN count(t) AS n";
    assert_eq!(f.operators(q)[0], "CountPerNode");
    let few = leaders.iter().filter(|&&n| n < 2).count();
    assert_eq!(f.rows(q), [[few.to_string()]]);
    // Direct reports of every role, leaves (no reports) included.
    let q = "MATCH (m:Role) OPTIONAL MATCH (m)<-[:REPORTS_TO]-(d:Role) WITH m, count(d) AS reports \
             RETURN reports, count(*) AS roles ORDER BY reports";
    assert_eq!(f.operators(q)[0], "CountPerNode");
    let mut reports = vec![0i64; ROLES];
    for &(_, m) in &f.org.reports {
        reports[m] += 1;
    }
    let mut histogram: BTreeMap<i64, i64> = BTreeMap::new();
    for &n in &reports {
        *histogram.entry(n).or_default() += 1;
    }
    let expected: Vec<Vec<String>> = histogram
        .iter()
        .map(|(k, v)| vec![k.to_string(), v.to_string()])
        .collect();
    assert_eq!(f.rows(q), expected);
    // A label the OPTIONAL MATCH asks of the first clause's node decides
    // between a match and a row of nulls: matched as written.
    let q = "MATCH (t:Team) OPTIONAL MATCH (t:Role)<-[:LEADS]-(r:Role) WITH t, count(r) AS n RETURN sum(n) AS s";
    assert_ne!(f.operators(q)[0], "CountPerNode");
    assert_eq!(f.rows(q), [["0".to_string()]]);
}

/// Counts per node under ORDER BY … LIMIT, grouped by the counted node or
/// its id: each node's counts are a whole group, offered to the top-k
/// heap as they come (EXPLAIN says so), and the rows are the data's top
/// rows, ties broken by the id (most counts tie here), SKIP applied, and
/// nodes an OPTIONAL MATCH keeps without a match counted as zero. A key
/// that does not tell nodes apart keeps the table of groups.
#[test]
fn counts_per_node_under_a_limit_go_to_the_heap_as_they_come() {
    let f = fixture();
    let whole = |q: &str| {
        f.json(&format!("EXPLAIN {q}"))
            .iter()
            .any(|r| r["detail"].as_str().is_some_and(|d| d.contains("a whole group")))
    };
    let mut out: BTreeMap<String, i64> = BTreeMap::new();
    for &(r, _) in &f.org.collab {
        *out.entry(format!("r{r}")).or_default() += 1;
    }
    let q = "MATCH (r:Role)-[:COLLABORATES_WITH]->(o:Role) RETURN r.id AS id, count(*) AS n \
             ORDER BY n DESC, id SKIP 3 LIMIT 7";
    assert!(whole(q), "{:?}", f.operators(q));
    assert_eq!(f.rows(q), top(&out, 10)[3..].to_vec());
    // Every key ties but the id, descending this time.
    let q = "MATCH (r:Role)-[:COLLABORATES_WITH]->(o:Role) WITH r, count(o) AS n WHERE n >= 0 \
             RETURN r.id AS id, n ORDER BY n DESC, id DESC LIMIT 3";
    let mut v: Vec<(&String, &i64)> = out.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(b.0.cmp(a.0)));
    let expected: Vec<Vec<String>> = v
        .iter()
        .take(3)
        .map(|(k, n)| vec![k.to_string(), n.to_string()])
        .collect();
    assert_eq!(f.rows(q), expected);
    let q = "MATCH (r:Role)-[:COLLABORATES_WITH]->(o:Role) RETURN r.id AS id, count(*) AS n \
             ORDER BY n DESC, id DESC LIMIT 3";
    assert!(whole(q));
    assert_eq!(f.rows(q), expected);
    // Teams without a leader first: zero counts are groups too.
    let mut leaders: BTreeMap<String, i64> = (0..TEAMS).map(|t| (format!("t{t}"), 0)).collect();
    for &(_, t) in &f.org.leads {
        *leaders.entry(format!("t{t}")).or_default() += 1;
    }
    let q = "MATCH (t:Team) OPTIONAL MATCH (t)<-[:LEADS]-(r:Role) RETURN t.id AS id, count(r) AS n \
             ORDER BY n, id LIMIT 12";
    assert!(whole(q), "{:?}", f.operators(q));
    let mut v: Vec<(&String, &i64)> = leaders.iter().collect();
    v.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)));
    let expected: Vec<Vec<String>> = v
        .iter()
        .take(12)
        .map(|(k, n)| vec![k.to_string(), n.to_string()])
        .collect();
    assert_eq!(f.rows(q), expected);
    // Names repeat: groups by name need the table.
    let q = "MATCH (r:Role)-[:COLLABORATES_WITH]->(o:Role) RETURN r.name AS nm, count(*) AS n ORDER BY n DESC LIMIT 3";
    assert!(!whole(q));
}

/// DISTINCT values of one end of a hop take each node of that end once,
/// as counts per node do (its count ignored): the plan counts per node,
/// and the rows are the data's distinct values, in the order a row per
/// match would first give them.
#[test]
fn distinct_values_of_one_end_take_each_node_once() {
    let f = fixture();
    let q = "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN DISTINCT t.id AS id ORDER BY id";
    assert_eq!(f.operators(q), ["CountPerNode", "Project", "Distinct", "Sort"]);
    let led: BTreeSet<String> = f.org.leads.iter().map(|(_, t)| format!("t{t}")).collect();
    let expected: Vec<Vec<String>> = led.iter().map(|t| vec![t.clone()]).collect();
    assert_eq!(f.rows(q), expected);
    // Both ends read: a row per match.
    let q = "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN DISTINCT t.id, r.id";
    assert_ne!(f.operators(q)[0], "CountPerNode");
}

/// A WITH grouping by a node no two of its input rows share (each node's
/// matches counted once, a node scanned once) makes a group of each row:
/// it projects the rows as they come (`AggregatePerRow`) and the next
/// projection reads them directly; a key that does not tell the rows
/// apart keeps the grouping.
#[test]
fn a_grouping_whose_rows_are_each_a_group_projects_them_as_they_come() {
    let f = fixture();
    let mut reports = vec![0i64; ROLES];
    for &(_, m) in &f.org.reports {
        reports[m] += 1;
    }
    let managers: Vec<i64> = reports.iter().copied().filter(|&n| n > 0).collect();
    // The least, most and average direct reports of a manager.
    let q = "MATCH (m:Role)<-[:REPORTS_TO]-(r:Role) WITH m, count(r) AS k RETURN min(k), max(k), avg(k)";
    assert_eq!(f.operators(q), ["CountPerNode", "AggregatePerRow", "Aggregate"]);
    let (lo, hi) = (managers.iter().min().unwrap(), managers.iter().max().unwrap());
    let avg = managers.iter().sum::<i64>() as f64 / managers.len() as f64;
    let row = &f.json(q)[0];
    assert_eq!(row["min(k)"].as_i64(), Some(*lo));
    assert_eq!(row["max(k)"].as_i64(), Some(*hi));
    assert!((row["avg(k)"].as_f64().unwrap() - avg).abs() < 1e-9);
    // A WHERE on the WITH, then a hop from the kept nodes: the teams led
    // by managers with at least 4 reports, counted per team.
    let q = "MATCH (m:Role)<-[:REPORTS_TO]-(r:Role) WITH m, count(r) AS k WHERE k >= 4 \
             MATCH (m)-[:LEADS]->(t:Team) RETURN t.id AS t, count(m) AS n ORDER BY n DESC, t LIMIT 5";
    let ops = f.operators(q);
    assert_eq!(ops[..3], ["CountPerNode", "AggregatePerRow", "Expand"], "{ops:?}");
    let mut per_team: BTreeMap<String, i64> = BTreeMap::new();
    for &(r, t) in &f.org.leads {
        if reports[r] >= 4 {
            *per_team.entry(format!("t{t}")).or_default() += 1;
        }
    }
    assert_eq!(f.rows(q), top(&per_team, 5));
    // Each role scanned once, aggregates of every kind over its one row,
    // then a WITH grouped by that node again (its rows still apart).
    let q = "MATCH (r:Role) WITH r, collect(r.id) AS ids, sum(size(r.name)) AS s, count(*) AS c \
             WITH r, ids, s, count(*) AS again WHERE again = 1 RETURN sum(s) AS total, count(ids) AS n";
    assert_eq!(
        f.operators(q),
        ["Expand", "AggregatePerRow", "AggregatePerRow", "Aggregate"]
    );
    let total: usize = (0..ROLES).map(|i| format!("r {}", i % 7).len()).sum();
    assert_eq!(f.rows(q), [[total.to_string(), ROLES.to_string()]]);
    // A key that does not tell the rows apart: grouped.
    let q = "MATCH (m:Role)<-[:REPORTS_TO]-(r:Role) WITH m.name AS name, count(r) AS k RETURN k, count(*) AS c";
    assert_eq!(f.operators(q), ["CountPerNode", "Aggregate", "Aggregate"]);
    // The rows a LIMIT without ORDER BY stops taking are not left
    // unprojected: grouped.
    let q = "MATCH (r:Role) WITH r, count(*) AS c RETURN c LIMIT 3";
    assert_eq!(f.operators(q)[1], "Aggregate");
}

/// An OPTIONAL MATCH with a WHERE or several hops, counted per row, is a
/// group join (a table of counts per node, matched once from where the
/// pattern is most selective); the counts equal those of the matches
/// written out, zero included, and `count(*)` counts a row without a match
/// once. A WHERE that could raise keeps the clause matched row by row.
#[test]
fn optional_match_counts_per_row_come_from_a_table_of_counts_per_node() {
    let f = fixture();
    // Whether role `r` reports to role `top` through one or more hops.
    let under = |mut r: usize, top: usize| {
        while r > 0 {
            r = (r - 1) / 4;
            if r == top {
                return true;
            }
        }
        false
    };
    let q = "MATCH (t:Team) OPTIONAL MATCH (t)<-[:LEADS]-(r:Role)-[:REPORTS_TO*]->(:Role {id: 'r1'}) \
             WITH t, count(r) AS n RETURN t.id AS team, n ORDER BY n DESC, team LIMIT 8";
    assert_eq!(
        f.operators(q),
        [
            "Expand",
            "CountTable",
            "GroupJoin",
            "AggregatePerRow",
            "Project",
            "TopK",
            "Limit"
        ]
    );
    let mut per_team: BTreeMap<String, i64> = (0..TEAMS).map(|t| (format!("t{t}"), 0)).collect();
    for &(r, t) in &f.org.leads {
        if under(r, 1) {
            *per_team.entry(format!("t{t}")).or_default() += 1;
        }
    }
    assert_eq!(f.rows(q), top(&per_team, 8));
    // A WHERE on the far node, and a histogram of the counts (zero included).
    let q = "MATCH (t:Team) OPTIONAL MATCH (t)<-[:LEADS]-(r:Role) WHERE r.name STARTS WITH 'r 3' \
             WITH t, count(r) AS n RETURN n, count(*) AS teams ORDER BY n";
    assert_eq!(f.operators(q)[..3], ["Expand", "CountTable", "GroupJoin"]);
    let mut leaders = vec![0i64; TEAMS];
    for &(r, t) in &f.org.leads {
        if r % 7 == 3 {
            leaders[t] += 1;
        }
    }
    let mut histogram: BTreeMap<i64, i64> = BTreeMap::new();
    for &n in &leaders {
        *histogram.entry(n).or_default() += 1;
    }
    let expected: Vec<Vec<String>> = histogram
        .iter()
        .map(|(k, v)| vec![k.to_string(), v.to_string()])
        .collect();
    assert_eq!(f.rows(q), expected);
    // count(*) counts the row of nulls of a team without such a leader.
    let q = "MATCH (t:Team) OPTIONAL MATCH (t)<-[:LEADS]-(r:Role) WHERE r.name STARTS WITH 'r 3' \
             WITH t, count(*) AS c, count(r) AS n RETURN sum(c) AS rows, sum(n) AS leaders";
    assert_eq!(f.operators(q)[2], "GroupJoin");
    let rows: i64 = leaders.iter().map(|&n| n.max(1)).sum();
    let total: i64 = leaders.iter().sum();
    assert_eq!(f.rows(q), [[rows.to_string(), total.to_string()]]);
    // A condition that could raise an error stays per row, with the same counts.
    let q = "MATCH (t:Team) OPTIONAL MATCH (t)<-[:LEADS]-(r:Role) WHERE size(r.name) = 3 AND r.name ENDS WITH '3' \
             WITH t, count(r) AS n RETURN n, count(*) AS teams ORDER BY n";
    assert_eq!(f.operators(q)[1], "OptionalExpand");
    assert_eq!(f.rows(q), expected);
}

/// A counted last hop after an UNWIND (or any operator handing rows on one
/// at a time) is counted for each of its rows, as it is for the one row a
/// query starts from: the counts are the data's, a value listed twice
/// counted twice, one without a node nothing.
#[test]
fn counted_last_hops_after_an_unwind_count_each_row() {
    let f = fixture();
    let q = "UNWIND ['t1', 't2', 't1', 'nobody', 't29'] AS tid MATCH (t:Team {id: tid})<-[:LEADS]-(r:Role) \
             RETURN tid, count(r) AS n ORDER BY tid";
    let ops = f.operators(q);
    assert!(ops.iter().any(|o| o == "CountExpand"), "{ops:?}");
    let led = |t: usize| f.org.leads.iter().filter(|(_, x)| *x == t).count();
    let mut expected = vec![
        vec!["t1".to_string(), (2 * led(1)).to_string()],
        vec!["t2".to_string(), led(2).to_string()],
        vec!["t29".to_string(), led(29).to_string()],
    ];
    expected.retain(|r| r[1] != "0");
    assert_eq!(f.rows(q), expected);
}

/// An OPTIONAL MATCH of one typed hop to a node whose label the type's
/// statistics imply, counted per row after another, reads each row's
/// degrees: the table of counts is never made (PROFILE shows it made no
/// row), and the sums are the data's, zero counts, self-loops and both
/// directions included.
#[test]
fn optional_counts_of_one_hop_are_read_as_degrees() {
    let f = fixture();
    let profile = |q: &str| -> Vec<(String, i64)> {
        f.json(&format!("PROFILE {q}"))
            .into_iter()
            .map(|r| {
                (
                    r["operator"].as_str().unwrap_or_default().to_string(),
                    r["rows"].as_i64().unwrap_or(-1),
                )
            })
            .collect()
    };
    let q = "MATCH (r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t:Team) WITH r, count(t) AS l \
             OPTIONAL MATCH (r)-[:WORKS_WITH]->(u:Team) WITH r, l, count(u) AS w, count(*) AS c \
             OPTIONAL MATCH (r)-[:COLLABORATES_WITH]-(o:Role) WITH r, l, w, c, count(o) AS k \
             RETURN sum(l) AS l, sum(w) AS w, sum(c) AS c, sum(k) AS k";
    let ops = profile(q);
    let tables: Vec<i64> = ops.iter().filter(|(o, _)| o == "CountTable").map(|(_, n)| *n).collect();
    assert!(!tables.is_empty() && tables.iter().all(|n| *n == 0), "{ops:?}");
    let loops = f.org.collab.iter().filter(|(a, b)| a == b).count();
    let expected = [
        f.org.leads.len().to_string(),
        f.org.works_with.len().to_string(),
        // Every role works with a team: no row of nulls.
        ROLES.to_string(),
        // Either way, a relationship counts at both ends, a self-loop once.
        (2 * f.org.collab.len() - loops).to_string(),
    ];
    assert_eq!(f.rows(q), [expected]);
    // A far node asked for more than its label is matched, not read as a degree.
    let q = "MATCH (r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t:Team {id: 't3'}) WITH r, count(t) AS l RETURN sum(l) AS l";
    let led = f.org.leads.iter().filter(|(_, t)| *t == 3).count();
    assert_eq!(f.rows(q), [[led.to_string()]]);
}

#[test]
fn count_distinct_of_an_end_counts_each_node_once() {
    let f = fixture();
    let q = "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN count(DISTINCT t) AS n";
    assert_eq!(f.operators(q), ["CountPerNode", "Aggregate"]);
    let led: BTreeSet<usize> = f.org.leads.iter().map(|&(_, t)| t).collect();
    assert_eq!(f.rows(q), [[led.len().to_string()]]);
    // Beside a count of the matches, per team name.
    let q = "MATCH (r:Role)-[:WORKS_WITH]->(t:Team) RETURN t.name AS name, count(DISTINCT t) AS teams, count(r) AS n \
             ORDER BY name";
    assert_eq!(f.operators(q)[0], "CountPerNode");
    let mut per_name: BTreeMap<String, (BTreeSet<usize>, i64)> = BTreeMap::new();
    for &(_, t) in &f.org.works_with {
        let e = per_name.entry(format!("t {}", t % 7)).or_default();
        e.0.insert(t);
        e.1 += 1;
    }
    let expected: Vec<Vec<String>> = per_name
        .iter()
        .map(|(k, (teams, n))| vec![k.clone(), teams.len().to_string(), n.to_string()])
        .collect();
    assert_eq!(f.rows(q), expected);
}

/// Counts over tree patterns of several hops are multiplied out per node
/// (`FactorCount`), and equal the counts of the matches written out.
/// Aggregates reading only the grouped end of a hop (a sum, a minimum, a
/// count of a property) take each node of that end once, its value
/// weighted by the node's matches; one reading both ends goes row by row.
#[test]
fn aggregates_of_one_end_are_weighted_by_its_matches() {
    let f = fixture();
    let q = "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN sum(size(t.id)) AS s, count(t.name) AS c, \
             min(t.id) AS lo, max(t.id) AS hi";
    assert_eq!(f.operators(q), ["CountPerNode", "Aggregate"]);
    let ids: Vec<String> = f.org.leads.iter().map(|&(_, t)| format!("t{t}")).collect();
    let s: usize = ids.iter().map(String::len).sum();
    let (lo, hi) = (ids.iter().min().expect("leads"), ids.iter().max().expect("leads"));
    assert_eq!(
        f.rows(q),
        [[s.to_string(), ids.len().to_string(), lo.clone(), hi.clone()]]
    );
    // Grouped by a property of the weighted end, over two types.
    let q = "MATCH (r:Role)-[:WORKS_WITH|LEADS]->(t:Team) RETURN t.name AS name, sum(size(t.id)) AS s ORDER BY name";
    assert_eq!(f.operators(q), ["CountPerNode", "Aggregate", "Sort"]);
    let mut per_name: BTreeMap<String, usize> = BTreeMap::new();
    for &(_, t) in f.org.leads.iter().chain(&f.org.works_with) {
        *per_name.entry(format!("t {}", t % 7)).or_default() += format!("t{t}").len();
    }
    let want: Vec<Vec<String>> = per_name.into_iter().map(|(k, s)| vec![k, s.to_string()]).collect();
    assert_eq!(f.rows(q), want);
    // The same through a WITH whose groups are single nodes.
    let q = "MATCH (r:Role)-[:WORKS_WITH|LEADS]->(t:Team) WITH t, sum(size(t.id)) AS s \
             RETURN t.name AS name, sum(s) AS s ORDER BY name";
    assert_eq!(f.operators(q), ["CountPerNode", "AggregatePerRow", "Aggregate", "Sort"]);
    assert_eq!(f.rows(q), want);
    // Reading both ends: one row per match.
    let q = "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN sum(size(t.id) + size(r.id)) AS s";
    assert!(!f.operators(q).contains(&"CountPerNode".to_string()));
    let both: usize = f.org.leads.iter().map(|&(r, t)| format!("t{t}r{r}").len()).sum();
    assert_eq!(f.rows(q), [[both.to_string()]]);
}

#[test]
fn counts_over_several_hops_multiply_per_node() {
    let f = fixture();
    let org = &f.org;
    let per = |pairs: &[(usize, usize)], end: bool, n: usize| {
        let mut v = vec![0i64; n];
        for &(a, b) in pairs {
            v[if end { b } else { a }] += 1;
        }
        v
    };
    // Leaders times workers of each team.
    let q = "MATCH (a:Role)-[:LEADS]->(t:Team)<-[:WORKS_WITH]-(b:Role) RETURN count(*)";
    assert_eq!(f.operators(q), ["FactorCount", "Aggregate"]);
    let (leads, works) = (per(&org.leads, true, TEAMS), per(&org.works_with, true, TEAMS));
    let expected: i64 = (0..TEAMS).map(|t| leads[t] * works[t]).sum();
    assert_eq!(f.rows(q), [[expected.to_string()]]);
    // Two parts joined on a role: its collaborations times its teams.
    let q = "MATCH (r:Role)-[:COLLABORATES_WITH]->(o:Role), (r)-[:LEADS]->(t:Team) RETURN count(*)";
    assert_eq!(f.operators(q), ["FactorCount", "Aggregate"]);
    let (collab, led) = (per(&org.collab, false, ROLES), per(&org.leads, false, ROLES));
    let expected: i64 = (0..ROLES).map(|r| collab[r] * led[r]).sum();
    assert_eq!(f.rows(q), [[expected.to_string()]]);
    // The same, the second part after a WITH that only passes the first
    // clause's variables on (its types apart): folded into one MATCH
    // (`plan/merge_match.rs`), then factorised; with a type shared, or a
    // variable dropped, the WITH stays.
    let q = "MATCH (r:Role)-[:COLLABORATES_WITH]->(o:Role) WITH r, o MATCH (r)-[:LEADS]->(t:Team) RETURN count(*)";
    assert_eq!(f.operators(q), ["FactorCount", "Aggregate"]);
    assert_eq!(f.rows(q), [[expected.to_string()]]);
    for q in [
        "MATCH (r:Role)-[:COLLABORATES_WITH]->(o:Role) WITH r, o MATCH (r)-[:COLLABORATES_WITH]->(t:Role) RETURN count(*)",
        "MATCH (r:Role)-[:COLLABORATES_WITH]->(o:Role) WITH r MATCH (r)-[:LEADS]->(t:Team) RETURN count(*)",
    ] {
        assert!(f.operators(q).contains(&"Project".to_string()), "{q}");
    }
    // One type twice, meeting at the team, the two roles told apart by
    // id; grouped by the team, from a manager looked up by id.
    let q = "MATCH (a:Role)-[:WORKS_WITH]->(t:Team)<-[:WORKS_WITH]-(b:Role)-[:REPORTS_TO]->(m:Role {id: 'r1'}) \
             WHERE a.id <> b.id RETURN t.id, count(*) AS n ORDER BY n DESC, t.id LIMIT 5";
    assert_eq!(f.operators(q), ["FactorCount", "Aggregate", "TopK", "Limit"]);
    let mut per_team: BTreeMap<String, i64> = BTreeMap::new();
    for &(b, m) in &org.reports {
        for &(b2, t) in org.works_with.iter().filter(|_| m == 1) {
            if b2 != b {
                continue;
            }
            let others = org.works_with.iter().filter(|&&(a, t2)| t2 == t && a != b).count() as i64;
            if others > 0 {
                *per_team.entry(format!("t{t}")).or_default() += others;
            }
        }
    }
    assert_eq!(f.rows(q), top(&per_team, 5));
    // A chain of one type: two hops can only be one relationship if it
    // were a self-loop, and REPORTS_TO has none.
    let q = "MATCH (a:Role)-[:REPORTS_TO]->(b:Role)-[:REPORTS_TO]->(c:Role) RETURN c.id, count(*) AS n \
             ORDER BY n DESC, c.id LIMIT 4";
    assert_eq!(f.operators(q)[0], "FactorCount");
    let mut chains: BTreeMap<String, i64> = BTreeMap::new();
    for &(_, b) in &org.reports {
        for &(_, c) in org.reports.iter().filter(|&&(x, _)| x == b) {
            *chains.entry(format!("r{c}")).or_default() += 1;
        }
    }
    assert_eq!(f.rows(q), top(&chains, 4));
}

/// Where two hops could bind one relationship, the count is not
/// multiplied out (or, when the plan relied on a type having no
/// self-loops and it has some, matched row by row): Cypher's rule that a
/// MATCH uses a relationship once still holds.
#[test]
fn factorised_counts_keep_relationships_distinct() {
    let f = fixture();
    let org = &f.org;
    // The same type into one team, nothing telling the roles apart.
    let q = "MATCH (a:Role)-[:WORKS_WITH]->(t:Team)<-[:WORKS_WITH]-(b:Role) RETURN count(*)";
    assert_ne!(f.operators(q)[0], "FactorCount");
    let mut works = vec![0i64; TEAMS];
    for &(_, t) in &org.works_with {
        works[t] += 1;
    }
    let expected: i64 = works.iter().map(|w| w * (w - 1).max(0)).sum();
    assert_eq!(f.rows(q), [[expected.to_string()]]);
    // A chain of a type with self-loops: planned on the statistics of a
    // type, checked when it runs, and matched row by row.
    let q = "MATCH (a:Role)-[:COLLABORATES_WITH]->(b:Role)-[:COLLABORATES_WITH]->(c:Role) RETURN count(*)";
    assert!(org.collab.iter().any(|(a, b)| a == b));
    let mut expected = 0i64;
    for (i, &(_, b)) in org.collab.iter().enumerate() {
        expected += org
            .collab
            .iter()
            .enumerate()
            .filter(|&(j, &(x, _))| x == b && j != i)
            .count() as i64;
    }
    assert_eq!(f.rows(q), [[expected.to_string()]]);
}

/// Counts grouped by relationship type are read off each type's count
/// where the store's statistics imply both ends' labels (`CountPerType`),
/// walked per node where they do not, and skip types whose ends cannot
/// carry the labels.
#[test]
fn counts_per_relationship_type_come_from_each_types_count() {
    let f = fixture();
    let org = &f.org;
    let q = "MATCH (r:Role)<-[e]-(:Role) RETURN type(e) AS t, count(*) AS n ORDER BY t";
    assert_eq!(f.operators(q), ["CountPerType", "Aggregate", "Sort"]);
    assert_eq!(
        f.rows(q),
        [
            ["COLLABORATES_WITH".to_string(), org.collab.len().to_string()],
            ["REPORTS_TO".to_string(), org.reports.len().to_string()],
        ]
    );
    // Undirected: a relationship between two roles matches either way
    // round, a self-loop once.
    let q = "MATCH (a:Role)-[e]-(b:Role) RETURN type(e) AS t, count(e) AS n ORDER BY t";
    assert_eq!(f.operators(q)[0], "CountPerType");
    let loops = org.collab.iter().filter(|(a, b)| a == b).count();
    assert_eq!(
        f.rows(q),
        [
            [
                "COLLABORATES_WITH".to_string(),
                (2 * org.collab.len() - loops).to_string()
            ],
            ["REPORTS_TO".to_string(), (2 * org.reports.len()).to_string()],
        ]
    );
    // Any type into a label, not grouped: the sum of the types' counts,
    // since every LEADS and WORKS_WITH runs from a role to a team.
    let q = "MATCH (r:Role)-[e]->(t:Team) RETURN count(e) AS n";
    let both = org.leads.len() + org.works_with.len();
    assert_eq!(f.operators(q), ["CountPerType", "Aggregate"]);
    assert_eq!(f.rows(q), [[both.to_string()]]);
    // Once one WORKS_WITH runs from a team, that type's count is no longer
    // the answer: counted per team from the types that can end there.
    let csv = f.dir.path().join("WORKS_WITH.csv");
    let mut text = std::fs::read_to_string(&csv).expect("read");
    text.push_str("t1,t2\n");
    std::fs::write(&csv, text).expect("write");
    assert_eq!(f.operators(q)[0], "CountPerNode");
    assert_eq!(f.rows(q), [[both.to_string()]]);
    assert_eq!(
        f.rows("MATCH (r)-[e]->(t:Team) RETURN count(e) AS n"),
        [[(both + 1).to_string()]]
    );
}

/// Counts over a variable-length hop along a type with no directed cycle
/// (REPORTS_TO: each role reports to one with a smaller number) are
/// counted as walks (`WalkCount`), per length from a role looked up by id
/// and per manager over every role, bounded or not; along a type with
/// cycles (COLLABORATES_WITH, self-loops included) the same plan matches
/// row by row and the counts are those of the paths written out.
#[test]
fn counts_over_variable_length_hops_count_walks() {
    let f = fixture();
    let parent = |r: usize| (r - 1) / 4;
    let ancestors = |mut r: usize| {
        let mut up = Vec::new();
        while r > 0 {
            r = parent(r);
            up.push(r);
        }
        up
    };
    // Roles below r0 per depth.
    let q = "MATCH p = (c:Role {id: 'r0'})<-[:REPORTS_TO*]-(r:Role) RETURN length(p) AS d, count(*) AS n ORDER BY d";
    assert_eq!(f.operators(q), ["WalkCount", "Aggregate", "Sort"]);
    let mut per_depth: BTreeMap<usize, i64> = BTreeMap::new();
    for r in 1..ROLES {
        *per_depth.entry(ancestors(r).len()).or_default() += 1;
    }
    let expected: Vec<Vec<String>> = per_depth
        .iter()
        .map(|(d, n)| vec![d.to_string(), n.to_string()])
        .collect();
    assert_eq!(f.rows(q), expected);
    // Every manager's roles below, at any depth and at depths 2 to 3.
    for (bounds, lo, hi) in [("*", 1, usize::MAX), ("*2..3", 2, 3)] {
        let q = format!(
            "MATCH (m:Role)<-[:REPORTS_TO{bounds}]-(x:Role) RETURN m.id, count(x) AS n ORDER BY n DESC, m.id LIMIT 5"
        );
        assert_eq!(f.operators(&q), ["WalkCount", "Aggregate", "TopK", "Limit"]);
        let mut below: BTreeMap<String, i64> = BTreeMap::new();
        for x in 1..ROLES {
            for (d, m) in ancestors(x).into_iter().enumerate() {
                if (lo..=hi).contains(&(d + 1)) {
                    *below.entry(format!("r{m}")).or_default() += 1;
                }
            }
        }
        assert_eq!(f.rows(&q), top(&below, 5));
    }
    // A chain of three fixed hops of one type: the first and the last
    // could be one relationship only around a directed cycle, which
    // REPORTS_TO has none of; counted by multiplying per node.
    let q = "MATCH (a:Role)-[:REPORTS_TO]->(b:Role)-[:REPORTS_TO]->(c:Role)-[:REPORTS_TO]->(d:Role) RETURN count(*)";
    assert_eq!(f.operators(q), ["FactorCount", "Aggregate"]);
    let deep = (1..ROLES).filter(|&r| ancestors(r).len() >= 3).count();
    assert!(deep > 0);
    assert_eq!(f.rows(q), [[deep.to_string()]]);
    // With cycles: planned the same, counted row by row.
    let q = "MATCH (a:Role {id: 'r5'})-[:COLLABORATES_WITH*1..3]->(b:Role) RETURN count(*)";
    assert_eq!(f.operators(q)[0], "WalkCount");
    let written = "MATCH (a:Role {id: 'r5'})-[:COLLABORATES_WITH*1..3]->(b:Role) WITH b RETURN count(*)";
    assert_ne!(f.operators(written)[0], "WalkCount");
    let (counted, expected) = (f.rows(q), f.rows(written));
    assert_ne!(expected, [["0"]]);
    assert_eq!(counted, expected);
}

/// A list collected only to be measured is a count: `size(collect(r))`,
/// and a WITH's list that later clauses only measure, are counted per
/// node; a list also read otherwise is collected row by row.
#[test]
fn lists_collected_only_to_be_measured_are_counted() {
    let f = fixture();
    let want = f.rows("MATCH (r:Role)-[:LEADS]->(t:Team) RETURN t.id AS t, count(r) AS n ORDER BY t");
    for q in [
        "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN t.id AS t, size(collect(r)) AS n ORDER BY t",
        "MATCH (r:Role)-[:LEADS]->(t:Team) WITH t, collect(r) AS rs RETURN t.id AS t, size(rs) AS n ORDER BY t",
        "MATCH (r:Role)-[:LEADS]->(t:Team) WITH t, collect(r) AS rs WITH t, rs RETURN t.id AS t, size(rs) AS n ORDER BY t",
    ] {
        assert_eq!(f.operators(q)[0], "CountPerNode", "{q}");
        assert_eq!(f.rows(q), want, "{q}");
    }
    // Every role has an id: its count is the rows' count, per node.
    let q =
        "MATCH (r:Role)-[:LEADS]->(t:Team) WITH t, collect(r.id) AS ids RETURN t.id AS t, size(ids) AS n ORDER BY t";
    assert_eq!(f.operators(q)[0], "CountPerNode", "{q}");
    assert_eq!(f.rows(q), want, "{q}");
    // Not where the statement edits first (the statistics are from before
    // it): the ids set to null are not counted.
    let q = "MATCH (r:Role) WHERE r.id ENDS WITH '1' SET r.id = null WITH r MATCH (r)-[:LEADS]->(t:Team) RETURN count(r.id) AS n";
    assert_eq!(f.rows(q), [["0".to_string()]], "{q}");
    let q = "MATCH (r:Role)-[:LEADS]->(t:Team) WITH t, collect(r) AS rs RETURN t.id AS t, size(rs) AS n, rs[0] IS NULL AS none ORDER BY t";
    assert_eq!(f.operators(q)[0], "Expand");
    let sizes: Vec<Vec<String>> = f.rows(q).into_iter().map(|r| r[..2].to_vec()).collect();
    assert_eq!(sizes, want);
}

/// A grouping over many groups fed by a match the cost model would start
/// elsewhere starts at the grouping node, so that each group's rows come
/// together (`plan/optimise/group_start.rs`); the rows are those of the
/// data. With few groups the cheaper start stays.
#[test]
fn a_grouping_over_many_groups_is_fed_from_its_node() {
    const MANY: usize = 40_000;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = Rng(0x05ee_d9a7);
    let mut roles = String::from("id,name\n");
    let mut reports = String::from("from_id,to_id\n");
    let mut leads = String::from("from_id,to_id\n");
    // Each manager's reports and the teams they lead.
    let mut teams_of: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    let led: Vec<Vec<usize>> = (0..MANY)
        .map(|r| {
            roles.push_str(&format!("r{r},role {r}\n"));
            let ts: Vec<usize> = (0..1 + rng.below(2)).map(|_| rng.below(TEAMS)).collect();
            for t in &ts {
                leads.push_str(&format!("r{r},t{t}\n"));
            }
            ts
        })
        .collect();
    for (r, ts) in led.iter().enumerate().skip(1) {
        let m = (r - 1) / 2;
        reports.push_str(&format!("r{r},r{m}\n"));
        teams_of.entry(m).or_default().extend(ts.iter().copied());
    }
    let mut teams = String::from("id,name\n");
    for t in 0..TEAMS {
        teams.push_str(&format!("t{t},team {t}\n"));
    }
    for (file, text) in [
        ("Role.csv", roles),
        ("Team.csv", teams),
        ("REPORTS_TO.csv", reports),
        ("LEADS.csv", leads),
    ] {
        std::fs::write(dir.path().join(file), text).expect("write");
    }
    let f = Fixture {
        dir,
        org: Org {
            collab: vec![],
            reports: vec![],
            leads: vec![],
            works_with: vec![],
        },
    };
    let q = "MATCH (m:Role)<-[:REPORTS_TO]-(r:Role)-[:LEADS]->(t:Team) WITH m, count(DISTINCT t) AS teams \
             RETURN teams, count(m) AS managers ORDER BY teams";
    let plan = f.json(&format!("EXPLAIN {q}"));
    let first = plan
        .iter()
        .find(|r| r["operator"] == "Expand")
        .unwrap_or_else(|| panic!("no Expand in {plan:?}"));
    assert!(
        first["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("scan :Role (node 0)")),
        "{plan:?}"
    );
    let mut expected: BTreeMap<usize, usize> = BTreeMap::new();
    for teams in teams_of.values() {
        *expected.entry(teams.len()).or_default() += 1;
    }
    let expected: Vec<Vec<String>> = expected
        .iter()
        .map(|(k, n)| vec![k.to_string(), n.to_string()])
        .collect();
    assert_eq!(f.rows(q), expected);
    // Counted per team name over few groups: started where it is cheapest.
    let q = "MATCH (m:Role)<-[:REPORTS_TO]-(r:Role)-[:LEADS]->(t:Team) RETURN t.name AS team, count(DISTINCT m) AS n \
             ORDER BY team LIMIT 3";
    let plan = f.json(&format!("EXPLAIN {q}"));
    assert!(
        !plan.iter().any(|r| r["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("scan :Role (node 0)"))),
        "{plan:?}"
    );
}

/// Grouping keys computed from one node's property (a string function,
/// arithmetic on a string's size) are evaluated in place, row by row
/// (EXPLAIN says so on the Aggregate), over nodes scanned and nodes
/// reached by a hop, and group as the values they compute.
#[test]
fn computed_grouping_keys_are_evaluated_in_place() {
    let f = fixture();
    let detail = |q: &str| -> Vec<(String, String)> {
        f.json(&format!("EXPLAIN {q}"))
            .into_iter()
            .map(|r| {
                let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
                (s("operator"), s("detail"))
            })
            .collect()
    };
    let in_place = "keys computed per row in place";
    let q = "MATCH (r:Role) RETURN right(r.name, 1) AS d, count(*) AS n ORDER BY n DESC, d LIMIT 3";
    assert_eq!(f.operators(q), ["CountPerNode", "Aggregate", "TopK", "Limit"]);
    let ops = detail(q);
    assert!(ops[1].1.contains(in_place), "{ops:?}");
    // Names are `r {i % 7}`: 600 = 85 × 7 + 5, so digits 0 to 4 have 86.
    assert_eq!(f.rows(q), [["0", "86"], ["1", "86"], ["2", "86"]]);
    // A key that is a property is not computed: nothing said.
    let q = "MATCH (r:Role) RETURN r.name AS d, count(*) AS n ORDER BY n DESC, d LIMIT 3";
    let ops = detail(q);
    assert!(!ops[1].1.contains(in_place), "{ops:?}");
    // Over the teams a hop reaches, with a sum reading the other end.
    let q = "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN toUpper(t.name) + '/' + (size(t.id) % 2) AS k, \
             sum(size(r.id)) AS s ORDER BY k";
    let ops = detail(q);
    let agg = ops.iter().find(|(o, _)| o == "Aggregate").expect("an Aggregate");
    assert!(agg.1.contains(in_place), "{ops:?}");
    let mut want: BTreeMap<String, usize> = BTreeMap::new();
    for &(r, t) in &f.org.leads {
        let key = format!("T {}/{}", t % 7, format!("t{t}").len() % 2);
        *want.entry(key).or_default() += format!("r{r}").len();
    }
    let want: Vec<Vec<String>> = want.into_iter().map(|(k, s)| vec![k, s.to_string()]).collect();
    assert_eq!(f.rows(q), want);
    // Computed arguments of aggregates, with or without keys.
    let q = "MATCH (r:Role) RETURN max(left(r.name, 3) + right(r.id, 1)) AS m, sum(size(r.id) % 3) AS s";
    let ops = detail(q);
    let agg = ops.iter().find(|(o, _)| o == "Aggregate").expect("an Aggregate");
    assert!(agg.1.contains("arguments computed per row in place"), "{ops:?}");
    let m = (0..ROLES)
        .map(|i| format!("r {}{}", i % 7, i % 10))
        .max()
        .expect("roles");
    let s: usize = (0..ROLES).map(|i| format!("r{i}").len() % 3).sum();
    assert_eq!(f.rows(q), [[m, s.to_string()]]);
    // A key that raises on some row raises: a negative length.
    let q = "MATCH (r:Role) RETURN left(r.name, size(r.id) - 4) AS k, count(*) AS n";
    let out = Command::cargo_bin("rolegraph")
        .expect("binary builds")
        .arg("--data")
        .arg(f.dir.path())
        .args(["-e", q])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("must not be negative"), "{err}");
}
