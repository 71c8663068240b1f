//! The optimiser's choices, end to end: on a generated organisation (roles,
//! skills, teams in the proportions of the peer benchmark), EXPLAIN shows
//! the plan chosen for representative shapes (operator kinds in order and
//! where each part starts), and the rows are checked against counts the
//! test computes from the data it wrote.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value as Json;

const ROLES: usize = 3000;
const SKILLS: usize = 150;
const TEAMS: usize = 60;

mod common;
use common::Rng;

/// The relationships the test wrote, as (from, to) index pairs per type.
struct Org {
    requires: Vec<(usize, usize)>,
    leads: Vec<(usize, usize)>,
    works_with: Vec<(usize, usize)>,
    role_names: Vec<String>,
    team_names: Vec<String>,
}

fn write_org(dir: &Path) -> Org {
    let mut rng = Rng(0x5eed_1234_abcd);
    // Every 50th role is named like a team, so a join on names has matches.
    let role_names: Vec<String> = (0..ROLES)
        .map(|i| {
            if i % 50 == 0 {
                format!("Team {}", (i / 50) % TEAMS)
            } else {
                format!("Role {i}")
            }
        })
        .collect();
    let team_names: Vec<String> = (0..TEAMS).map(|j| format!("Team {j}")).collect();
    let mut requires = Vec::new();
    let mut leads = Vec::new();
    let mut works_with = Vec::new();
    for r in 0..ROLES {
        let mut skills: Vec<usize> = (0..6).map(|_| rng.below(SKILLS)).collect();
        skills.sort_unstable();
        skills.dedup();
        requires.extend(skills.into_iter().map(|s| (r, s)));
        // Most roles lead one team, some none, some two.
        for _ in 0..rng.below(3) {
            let t = rng.below(TEAMS);
            if !leads.contains(&(r, t)) {
                leads.push((r, t));
            }
        }
        let t = rng.below(TEAMS);
        works_with.push((r, t));
        if r % 3 == 0 {
            // Some roles work with a team they lead.
            if let Some(&(_, led)) = leads.iter().rev().find(|(x, _)| *x == r)
                && led != t
            {
                works_with.push((r, led));
            }
        }
    }
    let nodes = |file: &str, prefix: &str, names: &[String]| {
        let mut s = String::from("id,name\n");
        for (i, n) in names.iter().enumerate() {
            s.push_str(&format!("{prefix}{i},{n}\n"));
        }
        std::fs::write(dir.join(file), s).expect("write nodes");
    };
    nodes("Role.csv", "r", &role_names);
    let skill_names: Vec<String> = (0..SKILLS).map(|i| format!("Skill {i}")).collect();
    nodes("Skill.csv", "skill", &skill_names);
    nodes("Team.csv", "team", &team_names);
    let rels = |file: &str, to: &str, pairs: &[(usize, usize)]| {
        let mut s = String::from("from_id,to_id\n");
        for (a, b) in pairs {
            s.push_str(&format!("r{a},{to}{b}\n"));
        }
        std::fs::write(dir.join(file), s).expect("write relationships");
    };
    rels("REQUIRES.csv", "skill", &requires);
    rels("LEADS.csv", "team", &leads);
    rels("WORKS_WITH.csv", "team", &works_with);
    Org {
        requires,
        leads,
        works_with,
        role_names,
        team_names,
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

    /// EXPLAIN's steps: (operator, detail).
    fn plan(&self, q: &str) -> Vec<(String, String)> {
        self.json(&format!("EXPLAIN {q}"))
            .into_iter()
            .map(|r| {
                (
                    r["operator"].as_str().expect("operator").to_string(),
                    r["detail"].as_str().expect("detail").to_string(),
                )
            })
            .collect()
    }

    fn operators(&self, q: &str) -> Vec<String> {
        self.plan(q).into_iter().map(|(o, _)| o).collect()
    }

    fn number(&self, q: &str) -> i64 {
        let rows = self.json(q);
        assert_eq!(rows.len(), 1, "{q}");
        let obj = rows[0].as_object().expect("an object");
        obj.values().next().and_then(Json::as_i64).expect("an integer")
    }
}

fn degree(pairs: &[(usize, usize)]) -> HashMap<usize, i64> {
    let mut d = HashMap::new();
    for (a, _) in pairs {
        *d.entry(*a).or_insert(0) += 1;
    }
    d
}

#[test]
fn a_part_whose_node_is_bound_expands_from_it_and_never_rescans() {
    let f = fixture();
    let q = "MATCH (r:Role)-[:REQUIRES]->(s:Skill), (r)-[:LEADS]->(t:Team) RETURN count(*)";
    let plan = f.plan(q);
    let ops: Vec<&str> = plan.iter().map(|(o, _)| o.as_str()).collect();
    // Only counted: per role, its skills times its teams (two degrees).
    assert_eq!(ops, ["FactorCount", "Aggregate"], "{plan:?}");
    assert!(plan[0].1.starts_with("scan :Role"), "{plan:?}");
    // A condition on two nodes that does not tell them apart: matched,
    // the second part's last hop only counted (nothing reads the skill).
    let q4 = "MATCH (r:Role)-[:REQUIRES]->(s:Skill), (r)-[:LEADS]->(t:Team) WHERE r.id + '' <> t.id RETURN count(*)";
    let plan = f.plan(q4);
    let ops: Vec<&str> = plan.iter().map(|(o, _)| o.as_str()).collect();
    assert_eq!(ops, ["Expand", "CountExpand", "Aggregate"], "{plan:?}");
    // One scan for the whole clause; the other part starts at the bound role.
    let scans = plan.iter().filter(|(_, d)| d.contains("scan")).count();
    assert_eq!(scans, 1, "{plan:?}");
    assert!(
        plan.iter().any(|(_, d)| d.starts_with("node 0 bound earlier")),
        "{plan:?}"
    );
    let req = degree(&f.org.requires);
    let leads = degree(&f.org.leads);
    let expected: i64 = req.iter().map(|(r, n)| n * leads.get(r).copied().unwrap_or(0)).sum();
    assert!(expected > 0);
    assert_eq!(f.number(q), expected);
    assert_eq!(f.number(q4), expected);
    // Written the other way round: the same plan shape and count.
    let q2 = "MATCH (r)-[:LEADS]->(t:Team), (r:Role)-[:REQUIRES]->(s:Skill) RETURN count(*)";
    assert_eq!(f.operators(q2), ["FactorCount", "Aggregate"]);
    // Reading the skill, every match is a row.
    let q3 =
        "MATCH (r:Role)-[:REQUIRES]->(s:Skill), (r)-[:LEADS]->(t:Team) RETURN count(DISTINCT s.name + t.name) >= 0";
    assert_eq!(f.operators(q3), ["Expand", "Expand", "Aggregate"]);
    assert_eq!(f.number(q2), expected);
}

#[test]
fn the_smallest_start_is_chosen_from_statistics() {
    let f = fixture();
    // Teams are fewer than roles, and each is led by many: the part starts
    // at the team and expands to the roles, then to their skills. (The
    // counts read two nodes' properties: every match is a row, not counted
    // per node.)
    let plan = f.plan("MATCH (s:Skill)<-[:REQUIRES]-(r:Role)-[:LEADS]->(t:Team) RETURN count(t.name + r.name)");
    assert!(plan[0].1.starts_with("scan :Team (node 2)"), "{plan:?}");
    // A node looked up by id starts the match wherever it is written.
    let plan =
        f.plan("MATCH (s:Skill)<-[:REQUIRES]-(r:Role)-[:LEADS]->(t:Team {id: 'team3'}) RETURN count(t.name + r.name)");
    assert!(plan[0].1.starts_with("lookup :Team {id: 'team3'} (node 2)"), "{plan:?}");
    let plan = f.plan(
        "MATCH (t:Team)<-[:LEADS]-(r:Role), (r)-[:REQUIRES]->(s:Skill {id: 'skill7'}) RETURN count(t.name + r.name)",
    );
    assert!(plan[0].1.contains("lookup :Skill {id: 'skill7'}"), "{plan:?}");
    assert!(plan[1].1.starts_with("node 1 bound earlier"), "{plan:?}");
    let expected: i64 = f
        .org
        .requires
        .iter()
        .filter(|(_, s)| *s == 7)
        .map(|(r, _)| f.org.leads.iter().filter(|(x, _)| x == r).count() as i64)
        .sum();
    assert_eq!(
        f.number(
            "MATCH (t:Team)<-[:LEADS]-(r:Role), (r)-[:REQUIRES]->(s:Skill {id: 'skill7'}) RETURN count(t.name + r.name)"
        ),
        expected
    );
}

#[test]
fn two_parts_over_the_same_pair_of_nodes_check_adjacency() {
    let f = fixture();
    let q = "MATCH (r:Role)-[:LEADS]->(t:Team), (r)-[:WORKS_WITH]->(t) RETURN count(*)";
    let plan = f.plan(q);
    let ops: Vec<&str> = plan.iter().map(|(o, _)| o.as_str()).collect();
    assert_eq!(ops, ["Expand", "Expand", "Aggregate"], "{plan:?}");
    assert!(
        plan[1].1.contains("bound earlier") && plan[1].1.ends_with("(bound)"),
        "{plan:?}"
    );
    let expected = f.org.leads.iter().filter(|p| f.org.works_with.contains(p)).count() as i64;
    assert!(expected > 0);
    assert_eq!(f.number(q), expected);
}

#[test]
fn a_value_equality_between_independent_parts_is_a_hash_join_built_on_the_smaller_side() {
    let f = fixture();
    let expected = f
        .org
        .role_names
        .iter()
        .map(|r| f.org.team_names.iter().filter(|t| *t == r).count() as i64)
        .sum::<i64>();
    assert!(expected > 0);
    // Role 0 is named like team 0.
    assert_eq!(f.org.role_names[0], f.org.team_names[0]);
    for (q, expected) in [
        (
            "MATCH (r:Role), (t:Team) WHERE r.name = t.name RETURN count(*)",
            expected,
        ),
        (
            "MATCH (t:Team), (r:Role) WHERE r.name = t.name RETURN count(*)",
            expected,
        ),
        (
            "MATCH (t:Team), (r:Role) WHERE t.name = r.name AND r.id <> 'r0' RETURN count(*)",
            expected - 1,
        ),
    ] {
        let plan = f.plan(q);
        let ops: Vec<&str> = plan.iter().map(|(o, _)| o.as_str()).collect();
        // Only counted, the joined part is counted per key, no row per pair.
        assert_eq!(ops, ["Expand", "HashJoinCount", "Aggregate"], "{q}: {plan:?}");
        assert!(
            plan[0].1.starts_with("scan :Role"),
            "{q}: the larger side probes: {plan:?}"
        );
        assert!(
            plan[1].1.contains("scan :Team"),
            "{q}: the smaller side builds: {plan:?}"
        );
        assert_eq!(f.number(q), expected, "{q}");
    }
    // A count through a join on computed keys: each role's row weighted by
    // the teams under its key; grouped by the probe side's property too.
    // A key read from the joined side makes a row per pair.
    let prefix = |s: &str| s.chars().take(6).collect::<String>();
    let per_role: Vec<i64> = f
        .org
        .role_names
        .iter()
        .map(|r| f.org.team_names.iter().filter(|t| prefix(t) == prefix(r)).count() as i64)
        .collect();
    let total: i64 = per_role.iter().sum();
    assert!(total > 0 && per_role.contains(&0));
    let q = "MATCH (r:Role), (t:Team) WHERE left(r.name, 6) = left(t.name, 6) RETURN count(*)";
    let ops: Vec<String> = f.plan(q).into_iter().map(|(o, _)| o).collect();
    assert_eq!(ops, ["Expand", "HashJoinCount", "Aggregate"]);
    assert_eq!(f.number(q), total);
    let q = "MATCH (r:Role), (t:Team) WHERE left(r.name, 6) = left(t.name, 6) \
             RETURN count(r) AS n, count(DISTINCT r) AS roles";
    assert_eq!(f.plan(q)[1].0, "HashJoinCount");
    let rows = f.json(q);
    assert_eq!(rows[0]["n"].as_i64(), Some(total));
    assert_eq!(
        rows[0]["roles"].as_i64(),
        Some(per_role.iter().filter(|n| **n > 0).count() as i64)
    );
    let q = "MATCH (r:Role), (t:Team) WHERE left(r.name, 6) = left(t.name, 6) RETURN t.id AS t, count(*) AS n";
    assert_eq!(f.plan(q)[1].0, "HashJoin");
    let n: i64 = f.json(q).iter().map(|r| r["n"].as_i64().unwrap_or(0)).sum();
    assert_eq!(n, total);
    // The joined rows carry both sides' variables.
    let rows = f.json("MATCH (r:Role), (t:Team) WHERE r.name = t.name RETURN r.id AS r, t.id AS t ORDER BY r LIMIT 2");
    assert_eq!(rows.len(), 2);
    for row in rows {
        let r: usize = row["r"].as_str().unwrap()[1..].parse().unwrap();
        let t: usize = row["t"].as_str().unwrap()[4..].parse().unwrap();
        assert_eq!(f.org.role_names[r], f.org.team_names[t]);
    }
    // A condition reading both sides besides the equality is checked on
    // each joined row.
    // Only counted, the joined part is still counted per probing row: each
    // match under the key checked, no row made for it.
    let q = "MATCH (r:Role), (t:Team) WHERE r.name = t.name AND r.id < t.id RETURN count(*)";
    let plan = f.plan(q);
    assert!(plan[1].1.contains("checked on each joined row"), "{plan:?}");
    let ops: Vec<&str> = plan.iter().map(|(o, _)| o.as_str()).collect();
    assert_eq!(ops, ["Expand", "HashJoinCount", "Aggregate"], "{q}: {plan:?}");
    let expected = f
        .org
        .role_names
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            f.org
                .team_names
                .iter()
                .enumerate()
                .filter(move |(_, t)| *t == r)
                .map(move |(j, _)| (format!("r{i}"), format!("team{j}")))
        })
        .filter(|(a, b)| a < b)
        .count() as i64;
    assert_eq!(f.number(q), expected);
    // Computed keys with conditions the matcher compiles (two nodes'
    // properties) and evaluates (anything else), counted per probing row.
    let pairs: Vec<(usize, usize)> = (0..f.org.role_names.len())
        .flat_map(|i| (0..f.org.team_names.len()).map(move |j| (i, j)))
        .filter(|&(i, j)| prefix(&f.org.role_names[i]) == prefix(&f.org.team_names[j]))
        .collect();
    let by_name = pairs
        .iter()
        .filter(|(i, j)| f.org.role_names[*i] < f.org.team_names[*j])
        .count() as i64;
    let by_size = pairs
        .iter()
        .filter(|(i, j)| f.org.role_names[*i].len() > f.org.team_names[*j].len())
        .count() as i64;
    assert!(
        by_name > 0 && by_name < total && by_size > 0 && by_size < total,
        "{by_name} {by_size} {total}"
    );
    for (q, expected) in [
        (
            "MATCH (r:Role), (t:Team) WHERE left(r.name, 6) = left(t.name, 6) AND r.name < t.name RETURN count(*)",
            by_name,
        ),
        (
            "MATCH (r:Role), (t:Team) WHERE left(r.name, 6) = left(t.name, 6) \
             AND size(r.name) > size(t.name) RETURN count(r)",
            by_size,
        ),
    ] {
        let ops: Vec<String> = f.plan(q).into_iter().map(|(o, _)| o).collect();
        assert_eq!(ops, ["Expand", "HashJoinCount", "Aggregate"], "{q}");
        assert_eq!(f.number(q), expected, "{q}");
    }
}

#[test]
fn an_optional_match_over_a_join_keeps_rows_without_partners() {
    let f = fixture();
    let q = "MATCH (r:Role) WHERE r.id IN ['r0', 'r1'] OPTIONAL MATCH (t:Team), (x:Role) WHERE x.name = t.name AND x = r RETURN r.id AS r, t.id AS t ORDER BY r";
    let rows = f.json(q);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["t"], Json::from("team0"));
    assert_eq!(rows[1]["t"], Json::Null);
}

#[test]
fn node_variables_a_where_proves_equal_are_matched_as_one_node() {
    let f = fixture();
    let expected = f.org.leads.iter().filter(|p| f.org.works_with.contains(p)).count() as i64;
    assert!(expected > 0);
    // Equal ids (every node has one, ids are unique) or the same node: the
    // second part starts at a bound node and checks adjacency.
    for q in [
        "MATCH (a:Role)-[:LEADS]->(t:Team), (c:Role)-[:WORKS_WITH]->(u:Team) WHERE a.id = c.id AND t.id = u.id RETURN count(*)",
        "MATCH (a:Role)-[:LEADS]->(t:Team), (c:Role)-[:WORKS_WITH]->(u:Team) WHERE c = a AND u = t RETURN count(*)",
    ] {
        let plan = f.plan(q);
        let ops: Vec<&str> = plan.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(ops, ["Expand", "Expand", "Aggregate"], "{q}\n{plan:?}");
        assert!(
            plan[1].1.contains("bound earlier") && plan[1].1.contains("(bound)"),
            "{q}\n{plan:?}"
        );
        assert_eq!(f.number(q), expected, "{q}");
    }
    // Variables read after the clause keep their own bindings: the same
    // count, through a join on the values.
    let kept = "MATCH (a:Role)-[:LEADS]->(t:Team), (c:Role)-[:WORKS_WITH]->(u:Team) WHERE a.id = c.id AND t.id = u.id WITH a, c, t, u RETURN count(*)";
    let plan = f.plan(kept);
    assert!(
        plan.iter().any(|(_, d)| d.contains("lookup") || d.contains("table")),
        "{plan:?}"
    );
    assert_eq!(f.number(kept), expected);
}

#[test]
fn an_id_equality_with_another_part_looks_the_node_up_after_that_part() {
    let f = fixture();
    let (leader, _) = f.org.leads[0];
    let q = format!(
        "MATCH (a:Role {{id: 'r{leader}'}})-[:LEADS]->(t:Team), (b:Role)-[:WORKS_WITH]->(u:Team) WHERE u.id = t.id WITH b, t, u RETURN count(DISTINCT b)"
    );
    let plan = f.plan(&q);
    let ops: Vec<&str> = plan.iter().map(|(o, _)| o.as_str()).collect();
    assert_eq!(ops, ["Expand", "Expand", "Project", "Aggregate"], "{plan:?}");
    assert!(
        plan[0].1.starts_with(&format!("lookup :Role {{id: 'r{leader}'}}")),
        "{plan:?}"
    );
    assert!(plan[1].1.starts_with("lookup :Team {id: ...} (node 1)"), "{plan:?}");
    // Written the other way round, the looked-up part still comes second.
    let q2 = format!(
        "MATCH (b:Role)-[:WORKS_WITH]->(u:Team), (a:Role {{id: 'r{leader}'}})-[:LEADS]->(t:Team) WHERE t.id = u.id WITH b, t, u RETURN count(DISTINCT b)"
    );
    let plan2 = f.plan(&q2);
    assert!(plan2[0].1.starts_with("lookup :Role"), "{plan2:?}");
    let workers = working_with_teams_led_by(&f, leader);
    assert!(!workers.is_empty());
    assert_eq!(f.number(&q), workers.len() as i64);
    assert_eq!(f.number(&q2), workers.len() as i64);
}

#[test]
fn a_selective_condition_makes_the_larger_label_the_cheaper_start() {
    let f = fixture();
    // Every 50th role is named "Team …": the prefix keeps 2% of the roles,
    // so scanning them and following their one or two WORKS_WITH costs
    // less than following every WORKS_WITH from the 60 teams.
    let q = "MATCH (r:Role)-[:WORKS_WITH]->(t:Team) WHERE r.name STARTS WITH 'Team' RETURN count(*)";
    let plan: Vec<(String, String)> = f.plan(q).into_iter().filter(|(o, _)| o != "Parallel").collect();
    assert!(plan[0].1.starts_with("scan :Role (node 0)"), "{plan:?}");
    assert!(plan[0].1.contains("checked at the start node"), "{plan:?}");
    let expected = f.org.works_with.iter().filter(|(r, _)| r % 50 == 0).count() as i64;
    assert!(expected > 0);
    assert_eq!(f.number(q), expected);
}

#[test]
fn a_condition_that_cannot_fail_is_checked_where_its_node_is_bound() {
    let f = fixture();
    // The match starts at the team looked up; its condition is written
    // second but checked there, before any hop.
    let q = "MATCH (r:Role)-[:LEADS]->(t:Team {id: 'team3'}) \
             WHERE r.name STARTS WITH 'Role 1' AND t.name STARTS WITH 'Nobody' RETURN count(*)";
    let plan = f.plan(q);
    assert!(plan[0].1.starts_with("lookup :Team {id: 'team3'} (node 1)"), "{plan:?}");
    assert!(
        plan[0].1.contains("1 WHERE condition checked at the start node")
            && plan[0].1.contains("1 WHERE condition checked after 1 hop"),
        "{plan:?}"
    );
    assert_eq!(f.number(q), 0);
    // A condition that can raise keeps its place: written first, it is
    // evaluated (and fails) before the one on the team can prune.
    let raising = "MATCH (r:Role)-[:LEADS]->(t:Team {id: 'team3'}) \
                   WHERE 1 / (size(r.name) - size(r.name)) = 1 AND t.name STARTS WITH 'Nobody' RETURN count(*)";
    let out = Command::cargo_bin("rolegraph")
        .expect("binary builds")
        .env("NO_COLOR", "1")
        .arg("--data")
        .arg(f.dir.path())
        .args(["-e", raising])
        .output()
        .expect("runs");
    assert!(!out.status.success(), "the division by zero is raised");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("zero"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Written after the team's condition, it is never reached.
    let pruned = "MATCH (r:Role)-[:LEADS]->(t:Team {id: 'team3'}) \
                  WHERE t.name STARTS WITH 'Nobody' AND 1 / (size(r.name) - size(r.name)) = 1 RETURN count(*)";
    assert_eq!(f.number(pruned), 0);
}

#[test]
fn a_condition_against_an_outer_rows_value_is_compiled_once_per_row() {
    let f = fixture();
    let filtered = "(a filtered scan: read in place, no row until a node passes)";
    let fixed = "against a value fixed per outer row";
    let names = &f.org.role_names;
    let count = |keep: &dyn Fn(&str) -> bool| names.iter().filter(|n| keep(n)).count() as i64;
    // The other side reads a node another part found (by id), a value an
    // UNWIND gives, a node an earlier clause bound: the scan checks the
    // condition in place, as it would a literal.
    let cases: [(&str, &[&str], i64); 4] = [
        (
            "MATCH (a:Role {id: 'r7'}), (b:Role) WHERE b.name ENDS WITH right(a.name, 1) RETURN count(b)",
            &["Expand", "Expand", "Aggregate"],
            count(&|n| n.ends_with('7')),
        ),
        (
            "UNWIND ['Role 1', 'Team 1'] AS p MATCH (r:Role) WHERE r.name STARTS WITH p RETURN count(*)",
            &["Unwind", "Expand", "Aggregate"],
            count(&|n| n.starts_with("Role 1")) + count(&|n| n.starts_with("Team 1")),
        ),
        (
            "MATCH (t:Team {id: 'team5'}) MATCH (r:Role) WHERE r.name < t.name RETURN count(*)",
            &["Expand", "Expand", "Aggregate"],
            count(&|n| n < "Team 5"),
        ),
        (
            "MATCH (a:Role {id: 'r50'}), (b:Role) WHERE b.name IN [a.name, 'Role 3'] RETURN count(*)",
            &["Expand", "Expand", "Aggregate"],
            count(&|n| n == names[50] || n == "Role 3"),
        ),
    ];
    for (q, ops, expected) in cases {
        let plan = f.plan(q);
        let kinds: Vec<&str> = plan.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(kinds, ops, "{q}: {plan:?}");
        let scan = &plan[1].1;
        assert!(
            scan.starts_with("scan :Role") && scan.contains(filtered) && scan.contains(fixed),
            "{q}: {plan:?}"
        );
        assert!(expected > 0, "{q}");
        assert_eq!(f.number(q), expected, "{q}");
    }
    // A node reached by a hop, against the node it was reached from.
    let q = "MATCH (t:Team {id: 'team3'})<-[:LEADS]-(r:Role) WHERE r.name STARTS WITH left(t.name, 4) RETURN count(*)";
    let plan = f.plan(q);
    assert!(
        plan.iter().any(|(_, d)| d.contains(&format!("after 1 hop (1 {fixed}"))),
        "{plan:?}"
    );
    let expected = f
        .org
        .leads
        .iter()
        .filter(|(r, t)| *t == 3 && names[*r].starts_with("Team"))
        .count() as i64;
    assert_eq!(f.number(q), expected);
    // A null value keeps no node; a value raising an error raises it as
    // the evaluator does, and not at all when no node is scanned.
    let none = "MATCH (a:Role {id: 'r7'}), (b:Role) WHERE b.name STARTS WITH a.missing RETURN count(*)";
    assert_eq!(f.number(none), 0);
    let raising = "MATCH (a:Role {id: 'r7'}), (b:LABEL) WHERE b.name STARTS WITH left(a.name, -1) RETURN count(*)";
    let run = |q: &str| {
        Command::cargo_bin("rolegraph")
            .expect("binary builds")
            .arg("--data")
            .arg(f.dir.path())
            .args(["-e", q])
            .output()
            .expect("runs")
            .status
            .success()
    };
    assert!(!run(&raising.replace("LABEL", "Role")));
    assert_eq!(f.number(&raising.replace("LABEL", "Nobody")), 0);
}

#[test]
fn label_scans_check_their_conditions_in_place_and_keep_only_what_a_limit_reaches() {
    let f = fixture();
    let filtered = "(a filtered scan: read in place, no row until a node passes)";
    let top = "a top-k scan";
    // Conditions on the scanned node alone, of every compiled kind, on
    // any label: checked in the scan.
    for q in [
        "MATCH (r:Role) WHERE r.name = 'Role 7' RETURN r.id",
        "MATCH (t:Team) WHERE t.name STARTS WITH 'Team 1' AND t.name ENDS WITH '3' RETURN t.id",
        "MATCH (s:Skill) WHERE s.name >= 'Skill 1' AND s.name < 'Skill 2' OR s.id IN ['s1', 's2'] RETURN s.id",
        "MATCH (r:Role) WHERE r.name CONTAINS '9' AND NOT r.id IS NULL RETURN r.id",
    ] {
        let plan = f.plan(q);
        assert!(plan[..2].iter().any(|(_, d)| d.contains(filtered)), "{q}: {plan:?}");
    }
    // A condition comparing two of the node's properties, or a function
    // of it, is evaluated (one against another node's value is compiled
    // per outer row: see the next test).
    for q in [
        "MATCH (r:Role) WHERE r.name < r.id RETURN count(*)",
        "MATCH (r:Role) WHERE size(r.name) = 6 RETURN r.id",
    ] {
        let plan = f.plan(q);
        assert!(!plan.iter().any(|(_, d)| d.contains(filtered)), "{q}: {plan:?}");
    }
    // ORDER BY the scanned node's properties under LIMIT: a top-k scan,
    // with or without conditions, through an alias, descending, with SKIP.
    for q in [
        "MATCH (r:Role) RETURN r.id, r.name ORDER BY r.name, r.id LIMIT 10",
        "MATCH (r:Role) WHERE r.name STARTS WITH 'Role 1' RETURN r.id AS id ORDER BY id DESC SKIP 20 LIMIT 5",
        "MATCH (t:Team) RETURN t.name AS n ORDER BY n DESC LIMIT 3",
        // Keys computed from the node's properties, through an alias or
        // written out.
        "MATCH (r:Role) RETURN r.id ORDER BY size(r.name), r.id LIMIT 3",
        "MATCH (s:Skill) RETURN s.id, size(s.name) AS len ORDER BY len DESC, s.id LIMIT 5",
        "MATCH (t:Team) WHERE t.name STARTS WITH 'Team' RETURN left(t.name, 6) AS l ORDER BY l DESC, t.id LIMIT 2",
        // An item that could raise an error is evaluated on every node.
        "MATCH (r:Role) RETURN toUpper(r.name) AS u ORDER BY size(r.name) LIMIT 3",
    ] {
        let plan = f.plan(q);
        assert!(plan.iter().any(|(_, d)| d.contains(top)), "{q}: {plan:?}");
    }
    // Not when rows are grouped, when a hop follows, without a LIMIT, or
    // when a key is not the node's property.
    for q in [
        "MATCH (r:Role) RETURN r.name, count(*) AS c ORDER BY r.name LIMIT 3",
        "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN r.id ORDER BY r.name LIMIT 3",
        "MATCH (r:Role) RETURN r.id ORDER BY r.name",
        // A key whose value changes from call to call.
        "MATCH (r:Role) RETURN r.id ORDER BY rand() LIMIT 3",
    ] {
        let plan = f.plan(q);
        assert!(!plan.iter().any(|(_, d)| d.contains(top)), "{q}: {plan:?}");
    }
    // The rows: the first names in order, as a sort of every role gives.
    let mut names = f.org.role_names.clone();
    names.sort();
    let rows = f.json("MATCH (r:Role) RETURN r.name AS n ORDER BY n SKIP 2 LIMIT 4");
    let got: Vec<&str> = rows.iter().map(|r| r["n"].as_str().expect("a name")).collect();
    assert_eq!(got, names[2..6].iter().map(String::as_str).collect::<Vec<_>>());
    // By a computed key: the longest names, ties by name, as a sort of
    // every role gives.
    let mut by_len = f.org.role_names.clone();
    by_len.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    let rows = f.json("MATCH (r:Role) RETURN r.name AS n, size(r.name) AS len ORDER BY len DESC, n SKIP 1 LIMIT 3");
    let got: Vec<&str> = rows.iter().map(|r| r["n"].as_str().expect("a name")).collect();
    assert_eq!(got, by_len[1..4].iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn a_top_k_scan_over_a_large_label_shares_its_scan_itself_not_in_morsels() {
    // Morsels would each keep and project SKIP + LIMIT nodes; the scan
    // cuts itself into one share per thread and binds only the nodes kept
    // over all of them, so no parallel section is placed around it.
    use rolegraph::{Graph, Session};
    let mut s = Session::new(Graph::new("t"));
    s.run("UNWIND range(1, 9000) AS i CREATE (:P {id: 'p' + toString(i), g: i % 17})")
        .expect("create");
    s.limits_mut().threads = Some(2);
    for q in [
        "MATCH (p:P) RETURN p.id ORDER BY p.id SKIP 15 LIMIT 10",
        "MATCH (p:P) RETURN p.id ORDER BY p.g DESC, p.id LIMIT 3",
    ] {
        let plan = s.run(&format!("EXPLAIN {q}")).expect("explain");
        let at = plan
            .columns
            .iter()
            .position(|c| c == "operator")
            .expect("operator column");
        let ops: Vec<String> = plan
            .rows
            .iter()
            .filter_map(|r| r[at].as_str().map(str::to_string))
            .collect();
        let want: &[&str] = if q.contains("SKIP") {
            &["Expand", "Project", "TopK", "Skip", "Limit"]
        } else {
            &["Expand", "Project", "TopK", "Limit"]
        };
        assert_eq!(ops, want, "{q}");
        assert!(format!("{:?}", plan.rows).contains("each scans a share"), "{q}");
    }
}

#[test]
fn a_top_k_scan_by_a_computed_key_raises_what_the_projection_raises() {
    // One node's name is a number: size() of it is an error whichever
    // node the heap would have kept.
    use rolegraph::{Graph, Session};
    let mut s = Session::new(Graph::new("t"));
    s.run("UNWIND range(1, 600) AS i CREATE (:P {id: 'p' + toString(i), name: 'name ' + toString(i)})")
        .expect("create");
    s.run("CREATE (:P {id: 'odd', name: 12})").expect("create");
    let q = "MATCH (p:P) RETURN p.id, size(p.name) AS len ORDER BY len DESC, p.id LIMIT 2";
    let plan = s.run(&format!("EXPLAIN {q}")).expect("explain");
    assert!(format!("{:?}", plan.rows).contains("a top-k scan"), "{:?}", plan.rows);
    let err = s.run(q).expect_err("size() of a number");
    assert!(err.to_string().contains("size()"), "{err}");
    // So does an item that is not a sort key.
    let q2 = "MATCH (p:P) RETURN p.id, toUpper(p.name) AS u ORDER BY p.id LIMIT 2";
    let plan = s.run(&format!("EXPLAIN {q2}")).expect("explain");
    assert!(format!("{:?}", plan.rows).contains("a top-k scan"), "{:?}", plan.rows);
    let err = s.run(q2).expect_err("toUpper() of a number");
    assert!(err.to_string().contains("toUpper()"), "{err}");
    // Without that node, the longest names, ties by id.
    s.run("MATCH (p:P {id: 'odd'}) DELETE p").expect("delete");
    let rows = s.run(q).expect("run").rows;
    assert_eq!(format!("{rows:?}").matches("Int(8)").count(), 2, "{rows:?}");
}

#[test]
fn a_pattern_predicate_with_a_constant_anchor_answers_as_walking_from_each_row() {
    let f = fixture();
    // Past the first rows, each predicate is answered from the set of
    // roles it matches from, made once from the node looked up by id.
    let with4: HashSet<usize> = f
        .org
        .requires
        .iter()
        .filter(|(_, s)| *s == 4)
        .map(|(r, _)| *r)
        .collect();
    assert!(!with4.is_empty());
    let q = "MATCH (r:Role) WHERE NOT (r)-[:REQUIRES]->(:Skill {id: 'skill4'}) RETURN count(r)";
    assert_eq!(f.number(q), (ROLES - with4.len()) as i64);
    let q = "MATCH (r:Role) WHERE (r)-[:REQUIRES]->(:Skill {id: 'skill4'}) RETURN count(r)";
    assert_eq!(f.number(q), with4.len() as i64);
    // Two hops through a skill to role 5: role 5 itself would need two
    // relationships to one skill (each is used once in a match).
    let skills5: HashSet<usize> = f
        .org
        .requires
        .iter()
        .filter(|(r, _)| *r == 5)
        .map(|(_, s)| *s)
        .collect();
    let sharing: HashSet<usize> = f
        .org
        .requires
        .iter()
        .filter(|(r, s)| *r != 5 && skills5.contains(s))
        .map(|(r, _)| *r)
        .collect();
    assert!(sharing.len() > 100);
    let q = "MATCH (r:Role) WHERE (r)-[:REQUIRES]->(:Skill)<-[:REQUIRES]-(:Role {id: 'r5'}) RETURN count(r)";
    assert_eq!(f.number(q), sharing.len() as i64);
    // The same predicate written as a comprehension is matched per row.
    let per_row = "MATCH (r:Role) WHERE size([(r)-[:REQUIRES]->(:Skill)<-[:REQUIRES]-(:Role {id: 'r5'}) | 1]) > 0 \
                   RETURN count(r)";
    assert_eq!(f.number(per_row), sharing.len() as i64);
    // Two predicates anchored at role k (one that leads a team): a team it
    // leads that `r` leads too (by another relationship, so `r` is not
    // role k), and one that `r` works with (another type: role k itself
    // may be `r`).
    let k = (9..ROLES)
        .find(|k| f.org.leads.iter().any(|(r, _)| r == k))
        .expect("a leader");
    let led: HashSet<usize> = f.org.leads.iter().filter(|(r, _)| *r == k).map(|(_, t)| *t).collect();
    let leads_too: HashSet<usize> = f
        .org
        .leads
        .iter()
        .filter(|(r, t)| *r != k && led.contains(t))
        .map(|(r, _)| *r)
        .collect();
    let works_with: HashSet<usize> = f
        .org
        .works_with
        .iter()
        .filter(|(_, t)| led.contains(t))
        .map(|(r, _)| *r)
        .collect();
    let expected = leads_too.intersection(&works_with).count() as i64;
    assert!(expected > 0);
    let q = format!(
        "MATCH (r:Role) WHERE (r)-[:LEADS]->(:Team)<-[:LEADS]-(:Role {{id: 'r{k}'}}) \
         AND (r)-[:WORKS_WITH]->(:Team)<-[:LEADS]-(:Role {{id: 'r{k}'}}) RETURN count(r)"
    );
    assert_eq!(f.number(&q), expected);
}

#[test]
fn a_scan_probing_a_hash_join_looks_each_key_up_before_binding() {
    let f = fixture();
    let probe = "each node's key looked up in the next part's table before it is bound";
    // The smaller side (teams) is the table; the roles' scan probes it,
    // with or without conditions of its own, compiled or not.
    for q in [
        "MATCH (r:Role), (t:Team) WHERE r.name = t.name RETURN count(*)",
        "MATCH (t:Team), (r:Role) WHERE t.name = r.name AND r.id STARTS WITH 'r1' RETURN count(*)",
        "MATCH (r:Role), (t:Team) WHERE r.name = t.name AND size(r.id) > 2 RETURN count(*)",
    ] {
        let plan = f.plan(q);
        assert!(plan[1].0.starts_with("HashJoin"), "{q}: {plan:?}");
        assert!(plan[0].1.contains(probe), "{q}: {plan:?}");
    }
    // The count: roles named like a team.
    let teams: std::collections::HashSet<&String> = f.org.team_names.iter().collect();
    let named = f.org.role_names.iter().filter(|n| teams.contains(n)).count() as i64;
    assert!(named > 0);
    assert_eq!(
        f.number("MATCH (r:Role), (t:Team) WHERE r.name = t.name RETURN count(*)"),
        named
    );
    // A probe that is not the scanned node's property is evaluated per row.
    let plan = f.plan("MATCH (r:Role), (t:Team) WHERE r.name + '' = t.name RETURN count(*)");
    assert!(!plan.iter().any(|(_, d)| d.contains(probe)), "{plan:?}");
}

#[test]
fn a_hash_join_evaluates_no_key_the_pairs_would_not() {
    use rolegraph::{Graph, Session};
    let mut s = Session::new(Graph::new("keys"));
    // Integer names: `left` of one is a type error, raised only where
    // the pairs would evaluate it (both sides have a match).
    s.run("UNWIND range(1, 300) AS i CREATE (:C {name: i, id: 'c' + toString(i)})")
        .unwrap();
    s.run("UNWIND range(1, 300) AS i CREATE (:B {id: 'b' + toString(i)})")
        .unwrap();
    for q in [
        "MATCH (a:C), (x:A) WHERE left(a.name, 1) = x.id RETURN count(x)",
        "MATCH (x:A), (a:C) WHERE x.id = left(a.name, 1) RETURN count(*)",
        "MATCH (a:C), (x:A) WHERE x.id = left(a.name, 1) RETURN a.id, count(*)",
    ] {
        assert!(joined(&mut s, q), "{q}");
        let rows = s.run(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        assert!(rows.rows.len() <= 1, "{q}");
    }
    // Keys that are all null on one side: the pairs still evaluate the
    // other side's key, and so raise.
    for q in [
        "MATCH (a:C), (b:B) WHERE left(a.name, 1) = b.k RETURN count(*)",
        "MATCH (b:B), (a:C) WHERE b.k = left(a.name, 1) RETURN count(b)",
    ] {
        assert!(joined(&mut s, q), "{q}");
        assert!(s.run(q).is_err(), "{q}: the pairs raise");
    }
    s.run("CREATE (:A {id: '1'})").unwrap();
    let q = "MATCH (a:C), (x:A) WHERE left(a.name, 1) = x.id RETURN count(x)";
    assert!(s.run(q).is_err(), "{q}: the pairs raise once :A has a node");
}

#[test]
fn a_value_join_over_a_large_scan_splits_its_probe_side_over_the_threads() {
    use rolegraph::{Graph, Session};
    let mut s = Session::new(Graph::new("split joins"));
    s.run("UNWIND range(0, 5999) AS i CREATE (:P {i: i, name: 'n' + toString(i % 700), k: i % 7})")
        .unwrap();
    s.run("UNWIND range(0, 49) AS i CREATE (:Q {i: i, name: 'n' + toString(i * 3), k: i % 5})")
        .unwrap();
    s.run("MATCH (p:P), (q:Q) WHERE p.i % 50 = q.i CREATE (p)-[:R]->(q)")
        .unwrap();
    s.limits_mut().threads = Some(2);
    // Counted from the data: p's name is n(i % 700), q's n(3j); p has an
    // R relationship to q i % 50, and p.k = i % 7, q.k = j % 5.
    let named = (0..6000).filter(|i| i % 700 % 3 == 0 && i % 700 < 150).count();
    let per_k: Vec<String> = (0..5)
        .map(|k| {
            let ps = (0..6000).filter(|i| i % 7 == k).count();
            format!("[Int({k}), Int({})]", ps * 10)
        })
        .collect();
    // The probe side (6,000 nodes) is cut into morsels; the smaller side
    // builds the table, once, read by every morsel.
    for (q, ops, expected) in [
        (
            "MATCH (p:P), (q:Q) WHERE p.name = q.name RETURN count(*)",
            &["Parallel", "Expand", "HashJoinCount", "Aggregate"][..],
            vec![format!("[Int({named})]")],
        ),
        (
            "MATCH (p:P)-[:R]->(x:Q), (q:Q) WHERE p.k = q.k RETURN q.k, count(*) ORDER BY q.k",
            &["Parallel", "Expand", "HashJoin", "Aggregate", "Sort"][..],
            per_k.clone(),
        ),
    ] {
        assert_eq!(operators(&mut s, q), ops, "{q}");
        let plan = session_plan(&mut s, q);
        assert!(plan.contains("built once") && plan.contains("scan :Q"), "{q}: {plan}");
        assert_eq!(shown(&mut s, q), expected, "{q}");
        s.limits_mut().threads = Some(1);
        assert_eq!(shown(&mut s, q), expected, "{q} on one thread");
        s.limits_mut().threads = Some(2);
    }
}

/// The operators EXPLAIN lists for `q` in a session.
fn operators(s: &mut rolegraph::Session, q: &str) -> Vec<String> {
    let rows = s.run(&format!("EXPLAIN {q}")).unwrap_or_else(|e| panic!("{q}: {e}"));
    let at = rows
        .columns
        .iter()
        .position(|c| c == "operator")
        .expect("an operator column");
    rows.rows
        .iter()
        .filter_map(|r| r[at].as_str().map(str::to_string))
        .collect()
}

/// Whether the plan of `q` in a session joins a part by a hash table.
fn joined(s: &mut rolegraph::Session, q: &str) -> bool {
    operators(s, q).iter().any(|o| o.starts_with("HashJoin"))
}

/// The rows of `q` in a session, as text.
fn shown(s: &mut rolegraph::Session, q: &str) -> Vec<String> {
    let rows = s.run(q).unwrap_or_else(|e| panic!("{q}: {e}")).rows;
    rows.iter().map(|r| format!("{r:?}")).collect()
}

/// The EXPLAIN details of `q` in a session, joined.
fn session_plan(s: &mut rolegraph::Session, q: &str) -> String {
    let rows = s.run(&format!("EXPLAIN {q}")).unwrap_or_else(|e| panic!("{q}: {e}"));
    let at = rows
        .columns
        .iter()
        .position(|c| c == "detail")
        .expect("a detail column");
    let details: Vec<&str> = rows.rows.iter().filter_map(|r| r[at].as_str()).collect();
    details.join(" | ")
}

/// The number after "would save ~" in an EXPLAIN detail.
fn saving(detail: &str) -> f64 {
    let at = detail.find("would save ~").expect("a wanted index") + "would save ~".len();
    let digits: String = detail[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().expect("a number")
}

#[test]
fn an_implicit_index_is_built_once_the_scans_it_would_save_have_paid_for_it() {
    use rolegraph::{Graph, Session};
    let mut s = Session::new(Graph::new("implicit"));
    s.run("UNWIND range(0, 1999) AS i CREATE (:Role {id: 'r' + toString(i), name: 'Role ' + toString(i % 500)})")
        .unwrap();
    let q = "MATCH (r:Role) WHERE r.name = 'Role 7' RETURN r.id ORDER BY r.id";
    let before = session_plan(&mut s, q);
    assert!(
        before.contains("scan :Role") && before.contains("an index on :Role(name) would save"),
        "{before}"
    );
    let expected = shown(&mut s, q);
    assert_eq!(expected.len(), 4);
    // EXPLAIN runs nothing and adds nothing towards a build.
    for _ in 0..200 {
        session_plan(&mut s, q);
    }
    assert!(session_plan(&mut s, q).contains("scan :Role"));
    // Each run adds what it would have saved; the build comes with the
    // run that brings the sum to BUILD_COST scans of the label.
    let per_run = saving(&before);
    let needed = (rolegraph::store::BUILD_COST * 2000.0 / per_run).ceil() as usize;
    for run in 2..=needed {
        let p = session_plan(&mut s, q);
        assert!(p.contains("scan :Role"), "built after {run} runs, not {needed}: {p}");
        assert_eq!(shown(&mut s, q), expected);
    }
    let after = session_plan(&mut s, q);
    assert!(
        after.contains("index seek :Role(name) equality, implicit index"),
        "{after}"
    );
    assert_eq!(shown(&mut s, q), expected);
    // Not a named index: not listed, not saved.
    assert!(s.run("SHOW INDEXES").unwrap().rows.is_empty());
    // Kept up to date by edits and their undo.
    s.run("CREATE (:Role {id: 'new', name: 'Role 7'})").unwrap();
    assert_eq!(shown(&mut s, q).len(), 5);
    s.undo();
    assert_eq!(shown(&mut s, q), expected);
    // An ORDER BY … LIMIT on the key then reads it in order.
    let page = "MATCH (r:Role) RETURN r.name, r.id ORDER BY r.name, r.id SKIP 10 LIMIT 3";
    let p = session_plan(&mut s, page);
    assert!(
        p.contains("index seek :Role(name) in ascending order, implicit index"),
        "{p}"
    );
    let rows = s.run(page).unwrap().rows;
    let got: Vec<String> = rows.iter().map(|r| format!("{} {}", r[0], r[1])).collect();
    // Names 'Role 0', 'Role 1', 'Role 10', 'Role 100', … each on four
    // roles (ids in text order): rows 8 to 11 are Role 10's.
    assert_eq!(
        got,
        ["'Role 10' 'r1510'", "'Role 10' 'r510'", "'Role 100' 'r100'"],
        "{rows:?}"
    );
}

#[test]
fn a_deep_page_after_a_hop_reads_the_start_in_order_once_indexed() {
    use rolegraph::{Graph, Session};
    let mut s = Session::new(Graph::new("pages"));
    s.run("UNWIND range(0, 299) AS i CREATE (:Team {id: 't' + toString(1000 + i)})")
        .unwrap();
    s.run(
        "UNWIND range(0, 2999) AS i MATCH (t:Team {id: 't' + toString(1000 + i % 300)}) \
         CREATE (:Role {id: 'r' + toString(10000 + i)})-[:LEADS]->(t)",
    )
    .unwrap();
    let q = "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN t.id, r.id ORDER BY t.id, r.id SKIP 100 LIMIT 5";
    let before = session_plan(&mut s, q);
    assert!(before.contains("an index on :Team(id) would save"), "{before}");
    let expected = shown(&mut s, q);
    // The whole join made 3,000 rows to keep 105: one run pays for an
    // index on 300 teams.
    let after = session_plan(&mut s, q);
    assert!(
        after.contains("index seek :Team(id) in ascending order, implicit index"),
        "{after}"
    );
    assert_eq!(shown(&mut s, q), expected);
    let rows = s.run(q).unwrap().rows;
    let first: Vec<String> = rows.iter().map(|r| format!("{} {}", r[0], r[1])).collect();
    // Teams t1000…t1009 lead ten roles each: the 101st row is t1010's first.
    assert_eq!(first[0], "'t1010' 'r10010'", "{first:?}");
}

/// A role `k` leading two teams, and the roles working with one of them.
fn working_with_what_one_leads(f: &Fixture) -> (usize, HashSet<usize>) {
    let k = (0..ROLES)
        .find(|k| f.org.leads.iter().filter(|(r, _)| r == k).count() == 2)
        .expect("a role leading two teams");
    (k, working_with_teams_led_by(f, k))
}

/// The roles working with a team role `leader` leads.
fn working_with_teams_led_by(f: &Fixture, leader: usize) -> HashSet<usize> {
    let led: HashSet<usize> = f
        .org
        .leads
        .iter()
        .filter(|(r, _)| *r == leader)
        .map(|(_, t)| *t)
        .collect();
    f.org
        .works_with
        .iter()
        .filter(|(_, t)| led.contains(t))
        .map(|(r, _)| *r)
        .collect()
}

#[test]
fn an_exists_subquery_on_one_node_is_matched_once_from_its_selective_end() {
    let f = fixture();
    // Teams whose name starts with 'Team 1' (1, 10..19): matched once from
    // the filtered scan of the 60 teams back to the roles leading them,
    // not from each of the 3,000 roles.
    let chosen: HashSet<usize> = (0..TEAMS)
        .filter(|t| f.org.team_names[*t].starts_with("Team 1"))
        .collect();
    let leaders: HashSet<usize> = f
        .org
        .leads
        .iter()
        .filter(|(_, t)| chosen.contains(t))
        .map(|(r, _)| *r)
        .collect();
    assert!(leaders.len() > 100);
    let q = "MATCH (r:Role) WHERE EXISTS { MATCH (r)-[:LEADS]->(t:Team) WHERE t.name STARTS WITH 'Team 1' } \
             RETURN count(r)";
    let plan = f.plan(q);
    assert_eq!(plan[0].0, "SemiJoin", "{plan:?}");
    assert!(plan[0].1.contains("scan :Team (node 1)"), "{plan:?}");
    assert_eq!(f.number(q), leaders.len() as i64);
    // NOT EXISTS over two hops to a node looked up by id: the roles that
    // work with no team role k leads.
    let (k, with) = working_with_what_one_leads(&f);
    let q = format!(
        "MATCH (r:Role) WHERE NOT EXISTS {{ MATCH (r)-[:WORKS_WITH]->(:Team)<-[:LEADS]-(:Role {{id: 'r{k}'}}) }} \
         RETURN count(r)"
    );
    let plan = f.plan(&q);
    assert_eq!(plan[0].0, "SemiJoin", "{plan:?}");
    assert!(
        plan[0].1.contains(&format!("lookup :Role {{id: 'r{k}'}} (node 2)")),
        "{plan:?}"
    );
    // The roles are counted as scanned, each checked against the set.
    assert_eq!(plan[1].0, "CountPerNode", "{plan:?}");
    assert_eq!(f.number(&q), (ROLES - with.len()) as i64);
    // Reading a second variable of the row, the subquery stays per row.
    let q = "MATCH (r:Role), (t:Team {id: 'team3'}) WHERE EXISTS { MATCH (r)-[:LEADS]->(t) } RETURN count(r)";
    assert!(!f.operators(q).contains(&"SemiJoin".to_string()));
}

#[test]
fn an_optional_match_kept_only_where_it_found_nothing_is_an_anti_join() {
    let f = fixture();
    let leaders: HashSet<usize> = f.org.leads.iter().map(|(r, _)| *r).collect();
    assert!(leaders.len() < ROLES);
    let q = "MATCH (r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t:Team) WITH r, t WHERE t IS NULL RETURN count(r)";
    let ops = f.operators(q);
    assert!(ops.contains(&"AntiJoin".to_string()), "{ops:?}");
    assert!(!ops.contains(&"OptionalExpand".to_string()), "{ops:?}");
    assert_eq!(f.number(q), (ROLES - leaders.len()) as i64);
    // With a WHERE of its own: roles leading no team named 'Team 1...'.
    let chosen: HashSet<usize> = (0..TEAMS)
        .filter(|t| f.org.team_names[*t].starts_with("Team 1"))
        .collect();
    let leading: HashSet<usize> = f
        .org
        .leads
        .iter()
        .filter(|(_, t)| chosen.contains(t))
        .map(|(r, _)| *r)
        .collect();
    let q = "MATCH (r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t:Team) WHERE t.name STARTS WITH 'Team 1' \
             WITH r, t WHERE t IS NULL RETURN count(r)";
    assert!(f.operators(q).contains(&"AntiJoin".to_string()));
    assert_eq!(f.number(q), (ROLES - leading.len()) as i64);
    // A LIMIT in the WITH counts the rows with a match: kept as written.
    let q = "MATCH (r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t:Team) WITH r, t LIMIT 10 WHERE t IS NULL RETURN count(r)";
    assert!(!f.operators(q).contains(&"AntiJoin".to_string()));
}

#[test]
fn case_folding_comparisons_are_checked_in_place_and_leave_errors_to_the_evaluator() {
    use rolegraph::{Graph, Session};
    let mut s = Session::new(Graph::new("folding"));
    s.run("UNWIND range(0, 299) AS i CREATE (:Role {id: 'r' + toString(i), name: 'Data Lead ' + toString(i)})")
        .unwrap();
    s.run("CREATE (:Role {id: 'x1', name: 'ÄRGER data 1'}), (:Role {id: 'x2'})")
        .unwrap();
    let filtered = "(a filtered scan: read in place, no row until a node passes)";
    for q in [
        "MATCH (r:Role) WHERE toLower(r.name) CONTAINS 'data 1' RETURN count(r)",
        "MATCH (r:Role) WHERE 'DATA LEAD 7' = toUpper(r.name) RETURN r.id",
    ] {
        let p = session_plan(&mut s, q);
        assert!(
            p.contains(filtered) || p.contains("nodes counted as scanned"),
            "{q}: {p}"
        );
    }
    // Only the non-ASCII name has 'data 1' ('data lead 1' does not).
    assert_eq!(
        shown(
            &mut s,
            "MATCH (r:Role) WHERE toLower(r.name) CONTAINS 'data 1' RETURN count(r)"
        ),
        ["[Int(1)]"]
    );
    assert_eq!(
        shown(
            &mut s,
            "MATCH (r:Role) WHERE toLower(r.name) STARTS WITH 'data lead 1' RETURN count(*)"
        ),
        ["[Int(111)]"]
    );
    assert_eq!(
        shown(
            &mut s,
            "MATCH (r:Role) WHERE toUpper(r.name) = 'ÄRGER DATA 1' RETURN r.id"
        ),
        ["[String(\"x1\")]"]
    );
    // In text order: 'data lead 299', 'data lead 3'…'9', '30'…'99', and
    // 'ärger data 1' after every ASCII letter.
    assert_eq!(
        shown(
            &mut s,
            "MATCH (r:Role) WHERE toLower(r.name) >= 'data lead 299' RETURN count(*)"
        ),
        ["[Int(79)]"]
    );
    // A name that is not a string: toLower raises its error, by every
    // path (a count, a filtered scan, a top-k scan).
    s.run("CREATE (:Role {id: 'y', name: 7})").unwrap();
    for q in [
        "MATCH (r:Role) WHERE toLower(r.name) CONTAINS 'data 1' RETURN count(r)",
        "MATCH (r:Role) WHERE toLower(r.name) CONTAINS 'data 1' RETURN r.id",
        "MATCH (r:Role) WHERE toLower(r.name) CONTAINS 'data 1' RETURN r.id ORDER BY r.id LIMIT 2",
        "MATCH (r:Role)-[:X]->() WHERE toLower(r.name) CONTAINS 'data 1' RETURN r.id",
    ] {
        let e = s.run(q).map(|r| r.rows.len());
        assert!(format!("{e:?}").contains("toLower()"), "{q}: {e:?}");
    }
}

#[test]
fn a_counted_last_hop_checks_comparisons_with_bound_nodes_on_each_end() {
    let f = fixture();
    // Roles working with one team, pairs ordered by name: the last hop is
    // counted at each team, each end's name compared with the first role's
    // (read once). Equal names (every 50th role is named like a team) do
    // not count.
    let mut by_team: HashMap<usize, Vec<usize>> = HashMap::new();
    for (r, t) in &f.org.works_with {
        by_team.entry(*t).or_default().push(*r);
    }
    let names = &f.org.role_names;
    let mut ordered = 0i64;
    let mut unequal = 0i64;
    for roles in by_team.values() {
        for a in roles {
            for b in roles {
                ordered += i64::from(names[*a] < names[*b]);
                unequal += i64::from(names[*a] != names[*b]);
            }
        }
    }
    assert!(ordered > 0 && unequal > 2 * ordered - 10);
    let q = "MATCH (a:Role)-[:WORKS_WITH]->(t:Team)<-[:WORKS_WITH]-(b:Role) WHERE a.name < b.name RETURN count(*)";
    assert_eq!(f.operators(q), ["CountExpand", "Aggregate"], "{q}");
    assert_eq!(f.number(q), ordered, "{q}");
    let q = "MATCH (a:Role)-[:WORKS_WITH]->(t:Team)<-[:WORKS_WITH]-(b:Role) WHERE b.name <> a.name RETURN count(*)";
    assert_eq!(f.operators(q), ["CountExpand", "Aggregate"], "{q}");
    assert_eq!(f.number(q), unequal, "{q}");
    // A role leading a team of its own name: one hop, keys of two labels.
    let same = f
        .org
        .leads
        .iter()
        .filter(|(r, t)| names[*r] == f.org.team_names[*t])
        .count() as i64;
    let q = "MATCH (a:Role)-[:LEADS]->(t:Team) WHERE t.name = a.name RETURN count(*)";
    assert_eq!(f.operators(q), ["CountExpand", "Aggregate"], "{q}");
    assert_eq!(f.number(q), same, "{q}");
    // Reading the end keeps it bound row by row; the rows agree.
    let q = "MATCH (a:Role)-[:LEADS]->(t:Team) WHERE t.name = a.name RETURN count(t.id)";
    assert_eq!(f.number(q), same, "{q}");
}

#[test]
fn a_count_of_a_variable_a_match_binds_is_counted_as_rows() {
    let f = fixture();
    let req = degree(&f.org.requires);
    let total: i64 = req.values().sum();
    // count(s) and count(e) of a non-optional MATCH's variables are
    // count(*): every REQUIRES runs from a role to a skill, so the count
    // is the type's own, no row per skill.
    for counted in ["*", "s", "e", "r"] {
        let q = format!("MATCH (r:Role)-[e:REQUIRES]->(s:Skill) RETURN count({counted})");
        assert_eq!(f.operators(&q), ["CountPerType", "Aggregate"], "{q}");
        assert_eq!(f.number(&q), total, "{q}");
        // From a skill found by its name, the last hop counted at it.
        let q = format!("MATCH (s:Skill {{name: 'Skill 3'}})<-[e:REQUIRES]-(r:Role) RETURN count({counted})");
        assert_eq!(f.operators(&q), ["CountExpand", "Aggregate"], "{q}");
        let at3 = f.org.requires.iter().filter(|(_, s)| *s == 3).count() as i64;
        assert_eq!(f.number(&q), at3, "{q}");
    }
    // Grouped by one end: counted per node.
    let q = "MATCH (r:Role)-[:REQUIRES]->(s:Skill) RETURN s.name AS k, count(r) AS n ORDER BY n DESC, k LIMIT 1";
    assert_eq!(f.operators(q)[0], "CountPerNode", "{q}");
    // A variable only an OPTIONAL MATCH binds may be null: counted per row.
    let q = "MATCH (r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t:Team) WITH r, count(t) AS c WHERE c = 0 RETURN count(*)";
    let unled = (0..ROLES).filter(|r| !f.org.leads.iter().any(|(x, _)| x == r)).count() as i64;
    assert!(unled > 0);
    assert_eq!(f.number(q), unled, "{q}");
    // count(DISTINCT x) counts values, not rows.
    let q = "MATCH (r:Role)-[:REQUIRES]->(s:Skill) RETURN count(DISTINCT s)";
    assert_ne!(f.operators(q)[0], "CountExpand", "{q}");
    let skills = f.org.requires.iter().map(|(_, s)| *s).collect::<HashSet<_>>().len() as i64;
    assert_eq!(f.number(q), skills);
    // Across a WITH, a variable not named again by the later MATCH keeps
    // its rows: `t` passes through and the hop is expanded per row.
    let q = "MATCH (t:Team) WITH t MATCH (r:Role)-[:LEADS]->(x:Team) WHERE x = t RETURN count(t)";
    assert_eq!(f.number(q), f.org.leads.len() as i64, "{q}");
}

#[test]
fn a_counted_cycle_is_closed_by_intersecting_neighbours() {
    let f = fixture();
    let (leads, works) = (&f.org.leads, &f.org.works_with);
    // Roles that work with a team they lead: a cycle of two hops back to
    // the team the match starts at (the smaller label).
    let q = "MATCH (t:Team)<-[:LEADS]-(r:Role)-[:WORKS_WITH]->(t) RETURN count(*)";
    assert_eq!(f.operators(q), ["IntersectCount", "Aggregate"]);
    let both: i64 = leads
        .iter()
        .map(|p| works.iter().filter(|w| *w == p).count() as i64)
        .sum();
    assert!(both > 0);
    assert_eq!(f.number(q), both);
    // A cycle of four hops through two roles and two teams: a leads t,
    // b works with t and leads u, and a works with u.
    let q4 = "MATCH (t:Team)<-[:WORKS_WITH]-(b:Role)-[:LEADS]->(u:Team)<-[:WORKS_WITH]-(a:Role)-[:LEADS]->(t) \
              RETURN count(*)";
    assert_eq!(f.operators(q4), ["IntersectCount", "Aggregate"]);
    let mut by_team: HashMap<usize, Vec<usize>> = HashMap::new();
    for &(b, t) in works {
        by_team.entry(t).or_default().push(b);
    }
    let mut led: HashMap<usize, Vec<usize>> = HashMap::new();
    for &(b, u) in leads {
        led.entry(b).or_default().push(u);
    }
    let mut pairs: HashMap<(usize, usize), i64> = HashMap::new();
    for &w in works {
        *pairs.entry(w).or_insert(0) += 1;
    }
    let mut four = 0i64;
    for &(a, t) in leads {
        for &b in by_team.get(&t).map(Vec::as_slice).unwrap_or(&[]) {
            for &u in led.get(&b).map(Vec::as_slice).unwrap_or(&[]) {
                // With a = b and u = t, both LEADS (and both WORKS_WITH)
                // would be one relationship: not a match.
                if (a, u) != (b, t) {
                    four += pairs.get(&(a, u)).copied().unwrap_or(0);
                }
            }
        }
    }
    assert!(four > 0);
    assert_eq!(f.number(q4), four);
    // Reading the node between the last two hops: each match is a row,
    // and the count is the same.
    let q5 = "MATCH (t:Team)<-[:LEADS]-(r:Role)-[:WORKS_WITH]->(t) RETURN count(DISTINCT r) >= 0 AS any, count(*)";
    assert!(!f.operators(q5).contains(&"IntersectCount".to_string()));
    let rows = f.json(q5);
    assert_eq!(rows[0]["count(*)"].as_i64(), Some(both), "{rows:?}");
}

#[test]
fn distinct_values_per_group_are_made_from_pairs_of_ends() {
    let f = fixture();
    // Per team, the skills its roles require: each (team, skill) once.
    let q = "MATCH (t:Team)<-[:WORKS_WITH]-(r:Role)-[:REQUIRES]->(s:Skill) \
             WITH t, collect(DISTINCT s.name) AS k RETURN t.name AS t, size(k) AS n, k ORDER BY t";
    let ops = f.operators(q);
    assert_eq!(ops[0], "DistinctPairs", "{ops:?}");
    let mut skills: HashMap<usize, HashSet<usize>> = HashMap::new();
    for &(r, t) in &f.org.works_with {
        for &(r2, s) in &f.org.requires {
            if r2 == r {
                skills.entry(t).or_default().insert(s);
            }
        }
    }
    let rows = f.json(q);
    assert_eq!(rows.len(), skills.len());
    for row in &rows {
        let name = row["t"].as_str().expect("a name");
        let t = f.org.team_names.iter().position(|n| n == name).expect("a team");
        assert_eq!(row["n"].as_i64(), Some(skills[&t].len() as i64), "{row:?}");
    }
    // Read row by row (the middle node read): the same lists, in the same order.
    let slow = q.replace("s.name)", "s.name + left(r.name, 0))");
    assert!(!f.operators(&slow).contains(&"DistinctPairs".to_string()));
    assert_eq!(f.json(&slow), rows);
}

#[test]
fn distinct_counts_per_end_are_pairs_started_at_that_end() {
    let f = fixture();
    // Per skill, the teams its roles work with: the join order may start
    // at the roles in the middle; the pairs start at the grouped end, and
    // a group that is one skill counts each team of its pairs once.
    let q = "MATCH (s:Skill)<-[:REQUIRES]-(r:Role)-[:WORKS_WITH]->(t:Team) \
             RETURN s.id AS s, count(DISTINCT t) AS n ORDER BY n DESC, s LIMIT 5";
    assert_eq!(f.operators(q), ["DistinctPairs", "Aggregate", "TopK", "Limit"]);
    let mut teams: HashMap<usize, HashSet<usize>> = HashMap::new();
    for &(r, s) in &f.org.requires {
        for &(r2, t) in &f.org.works_with {
            if r2 == r {
                teams.entry(s).or_default().insert(t);
            }
        }
    }
    let mut want: Vec<(String, i64)> = teams
        .iter()
        .map(|(s, t)| (format!("skill{s}"), t.len() as i64))
        .collect();
    want.sort_by(|(a, n), (b, m)| m.cmp(n).then(a.cmp(b)));
    let got: Vec<(String, i64)> = f
        .json(q)
        .iter()
        .map(|r| {
            (
                r["s"].as_str().expect("an id").to_string(),
                r["n"].as_i64().expect("a count"),
            )
        })
        .collect();
    assert_eq!(got, want[..5]);
    // Reading the node between: a row per match, the same rows.
    let slow = q.replace("count(DISTINCT t)", "count(DISTINCT t) + 0 * count(r)");
    assert!(!f.operators(&slow).contains(&"DistinctPairs".to_string()));
    assert_eq!(f.json(&slow), f.json(q));
}

#[test]
fn pairs_grouped_by_both_ends_are_counted_per_start_node() {
    let f = fixture();
    // Skills required together, each pair once with a.id < b.id: the WHERE
    // reads both ends, and is checked as the last hop marks its nodes.
    let q = "MATCH (a:Skill)<-[:REQUIRES]-(r:Role)-[:REQUIRES]->(b:Skill) WHERE a.id < b.id \
             RETURN a.id AS a, b.id AS b, count(*) AS n ORDER BY n DESC, a, b LIMIT 5";
    assert_eq!(f.operators(q), ["PairCounts", "Aggregate", "TopK", "Limit"]);
    let mut by_role: HashMap<usize, Vec<usize>> = HashMap::new();
    for &(r, s) in &f.org.requires {
        by_role.entry(r).or_default().push(s);
    }
    let mut pairs: HashMap<(String, String), i64> = HashMap::new();
    for skills in by_role.values() {
        for &x in skills {
            for &y in skills {
                let (a, b) = (format!("skill{x}"), format!("skill{y}"));
                if a < b {
                    *pairs.entry((a, b)).or_insert(0) += 1;
                }
            }
        }
    }
    let mut want: Vec<_> = pairs.into_iter().collect();
    want.sort_by(|(ka, na), (kb, nb)| nb.cmp(na).then(ka.cmp(kb)));
    let got: Vec<((String, String), i64)> = f
        .json(q)
        .iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().expect("an id").to_string();
            ((text("a"), text("b")), r["n"].as_i64().expect("a count"))
        })
        .collect();
    assert_eq!(got, want[..5]);
    // Reading the node between: a row per match, the same rows.
    let slow = q.replace("count(*)", "count(r.name + '')");
    assert!(!f.operators(&slow).contains(&"PairCounts".to_string()));
    assert_eq!(f.json(&slow), f.json(q));
}

#[test]
fn distinct_ends_read_alone_stop_at_each_nodes_first_match() {
    let f = fixture();
    // Teams some role works with that leads another team: one such role
    // per team is enough.
    let mut want: HashSet<usize> = HashSet::new();
    for &(r, t) in &f.org.works_with {
        if f.org.leads.iter().any(|&(r2, u)| r2 == r && u != t) {
            want.insert(t);
        }
    }
    let ones = want
        .iter()
        .filter(|&&t| f.org.team_names[t].starts_with("Team 1"))
        .count();
    assert!(ones > 0 && ones < want.len());
    // The team read is where the match starts, or the match is turned to
    // start there (one group, a count: the order of rows does not matter).
    for (q, n) in [
        (
            "MATCH (t:Team)<-[:WORKS_WITH]-(r:Role)-[:LEADS]->(u:Team) WHERE t <> u RETURN count(DISTINCT t) AS n",
            want.len(),
        ),
        (
            "MATCH (u:Team)<-[:LEADS]-(r:Role)-[:WORKS_WITH]->(t:Team) WHERE u <> t RETURN count(DISTINCT t) AS n",
            want.len(),
        ),
        (
            "MATCH (t:Team)<-[:WORKS_WITH]-(r:Role)-[:LEADS]->(u:Team) WHERE t <> u AND t.name STARTS WITH 'Team 1' \
             RETURN count(DISTINCT t) AS n",
            ones,
        ),
    ] {
        assert_eq!(f.operators(q), ["DistinctStarts", "Aggregate"], "{q}");
        assert_eq!(f.number(q), n as i64, "{q}");
    }
    // Every match counted: row by row.
    let all = "MATCH (t:Team)<-[:WORKS_WITH]-(r:Role)-[:LEADS]->(u:Team) WHERE t <> u RETURN count(t) AS n";
    assert!(!f.operators(all).contains(&"DistinctStarts".to_string()));
}

#[test]
fn label_scans_skip_blocks_of_nodes_whose_summaries_no_node_passes() {
    use rolegraph::{Graph, Session};
    let mut s = Session::new(Graph::new("zones"));
    s.set_implicit_indexes(false);
    // Three blocks of nodes (1024 each, the last short): names grouped by
    // kind, integers, then strings, a float and integers mixed.
    s.run(
        "UNWIND range(0, 2999) AS i \
         CREATE (:Z {id: 'z' + right('0000' + toString(i), 5), \
                     name: CASE WHEN i < 1024 THEN 'Alpha ' WHEN i < 2048 THEN 'Beta ' ELSE 'Gamma ' END + toString(i), \
                     k: CASE WHEN i = 2500 THEN 2500.0 WHEN i >= 2048 AND i % 3 = 0 THEN 'x' + toString(i) ELSE i END})",
    )
    .expect("create");
    assert_eq!(s.graph().zones_made("id"), 0);
    for c in [
        "z.id >= 'z00500' AND z.id < 'z00510'",
        "z.id = 'z02047'",
        "z.id IN ['z00001', 'z02999', 'nope']",
        "z.name STARTS WITH 'Beta 15'",
        "z.name STARTS WITH 'Gamma'",
        "z.name STARTS WITH ''",
        "z.name < 'Alpha 5'",
        "'Beta' <= z.name",
        "z.name > 'Gamma 2999'",
        "z.name >= 'Gamma 2999'",
        "z.name = 'Alpha 1' OR z.k = 3000",
        "z.k < 100",
        "z.k >= 2040 AND z.k < 2600",
        "z.k = 2500",
        "z.k IN [5, 2999]",
        "z.k > 2990 OR z.id = 'z00007'",
        "2000 < z.k",
        "z.k <> 5",
        "z.k STARTS WITH 'x2'",
        "z.k = 'x2049'",
        "z.k >= 'x' AND z.name < 'Beta'",
        // Bounds equal to a block's least or greatest value.
        "z.id <= 'z01024'",
        "z.id >= 'z02047'",
        "z.name <= 'Beta 1024'",
        "z.k <= 1024",
        "z.k >= 1023",
        "z.k > 1022 AND z.k < 1025",
    ] {
        // The same condition, evaluated by the evaluator on every node.
        let reference = format!("({c}) = true");
        for (q, r) in [
            (
                format!("MATCH (z:Z) WHERE {c} RETURN count(z)"),
                format!("MATCH (z:Z) WHERE {reference} RETURN count(z)"),
            ),
            (
                format!("MATCH (z:Z) WHERE {c} RETURN z.id"),
                format!("MATCH (z:Z) WHERE {reference} RETURN z.id"),
            ),
            (
                format!("MATCH (z:Z) WHERE {c} RETURN z.id ORDER BY size(z.name) DESC, z.id LIMIT 3"),
                format!("MATCH (z:Z) WHERE {reference} RETURN z.id ORDER BY size(z.name) DESC, z.id LIMIT 3"),
            ),
        ] {
            let got = s.run(&q).unwrap_or_else(|e| panic!("{q}: {e}")).rows;
            let want = s.run(&r).unwrap_or_else(|e| panic!("{r}: {e}")).rows;
            assert_eq!(format!("{got:?}"), format!("{want:?}"), "{q}");
        }
    }
    // The scans summarised the blocks of the keys they read.
    assert_eq!(s.graph().zones_made("id"), 3);
    assert_eq!(s.graph().zones_made("name"), 3);
    // A change forgets them.
    s.run("MATCH (z:Z {id: 'z00001'}) SET z.name = 'Omega'").expect("set");
    assert_eq!(s.graph().zones_made("name"), 0);
    assert_eq!(
        format!(
            "{:?}",
            s.run("MATCH (z:Z) WHERE z.name STARTS WITH 'Omega' RETURN z.id")
                .expect("run")
                .rows
        ),
        format!(
            "{:?}",
            s.run("MATCH (z:Z) WHERE z.id = 'z00001' RETURN z.id")
                .expect("run")
                .rows
        )
    );
}

#[test]
fn a_with_where_over_renamed_properties_is_checked_in_the_match() {
    let f = fixture();
    // The WITH only renames the role's properties: its WHERE becomes the
    // MATCH's, checked at the scanned node (no projection of every role
    // before the test).
    let q = "MATCH (r:Role) WITH r.name AS name, r.id AS id WHERE name STARTS WITH 'Team' RETURN count(*)";
    let plan = f.plan(q);
    let ops: Vec<&str> = plan.iter().map(|(o, _)| o.as_str()).collect();
    assert!(!ops.contains(&"Filter"), "{plan:?}");
    assert!(
        plan.iter()
            .any(|(o, d)| o == "Expand" && d.starts_with("scan :Role") && d.contains("WHERE condition")),
        "{plan:?}"
    );
    let expected = f.org.role_names.iter().filter(|n| n.starts_with("Team")).count() as i64;
    assert!(expected > 0);
    assert_eq!(f.number(q), expected);
    // A computed item stays as written: its WHERE filters projected rows.
    let kept = "MATCH (r:Role) WITH toUpper(r.name) AS name WHERE name STARTS WITH 'TEAM' RETURN count(*)";
    let plan = f.plan(kept);
    assert!(
        plan.iter().any(|(o, d)| o == "Filter" && d == "WITH ... WHERE"),
        "{plan:?}"
    );
    assert_eq!(f.number(kept), expected);
}

#[test]
fn a_pattern_predicate_beyond_one_plain_hop_is_matched_once_as_its_exists_subquery() {
    let f = fixture();
    // Roles leading team 7, asked as a pattern predicate with a property
    // map: planned as the EXISTS subquery it means, a semi-join.
    let leaders: HashSet<usize> = f.org.leads.iter().filter(|(_, t)| *t == 7).map(|(r, _)| *r).collect();
    assert!(!leaders.is_empty());
    let q = "MATCH (r:Role) WHERE (r)-[:LEADS]->(:Team {name: 'Team 7'}) RETURN count(r)";
    let plan = f.plan(q);
    assert_eq!(plan[0].0, "SemiJoin", "{plan:?}");
    assert_eq!(f.number(q), leaders.len() as i64);
    // Negated, over two hops to a role given by name: an anti-join on the
    // same set (the roles that work with no team role k leads).
    let (k, with) = working_with_what_one_leads(&f);
    let name = &f.org.role_names[k];
    let q = format!(
        "MATCH (r:Role) WHERE NOT (r)-[:WORKS_WITH]->(:Team)<-[:LEADS]-(:Role {{name: '{name}'}}) RETURN count(r)"
    );
    let plan = f.plan(&q);
    assert_eq!(plan[0].0, "SemiJoin", "{plan:?}");
    assert_eq!(f.number(&q), (ROLES - with.len()) as i64);
    // Given by id, it is anchored: answered from a set made once already
    // (eval/ops/anchored_exists.rs).
    let q =
        format!("MATCH (r:Role) WHERE NOT (r)-[:WORKS_WITH]->(:Team)<-[:LEADS]-(:Role {{id: 'r{k}'}}) RETURN count(r)");
    assert!(
        !f.operators(&q).contains(&"SemiJoin".to_string()),
        "{:?}",
        f.operators(&q)
    );
    assert_eq!(f.number(&q), (ROLES - with.len()) as i64);
    // One plain hop is answered from the adjacency, row by row.
    let q = "MATCH (r:Role) WHERE (r)-[:LEADS]->(:Team) RETURN count(r)";
    assert!(
        !f.operators(q).contains(&"SemiJoin".to_string()),
        "{:?}",
        f.operators(q)
    );
}

#[test]
fn property_maps_of_counted_patterns_are_checked_on_every_node() {
    let f = fixture();
    // A walk counted from teams given by a property map: only team 7's.
    let leaders = f.org.leads.iter().filter(|(_, t)| *t == 7).count() as i64;
    assert!(leaders > 0);
    let q = "MATCH (t:Team {name: 'Team 7'})<-[:LEADS*1..1]-(r:Role) RETURN count(*)";
    assert_eq!(f.operators(q)[0], "WalkCount", "{:?}", f.plan(q));
    assert_eq!(f.number(q), leaders);
    let q = "MATCH (t:Team {name: 'Team 7', missing: 1})<-[:LEADS*1..1]-(r:Role) RETURN count(*)";
    assert_eq!(f.number(q), 0);
    // Counted by factors, the role given by a property map.
    let role = f.org.role_names.iter().position(|n| n == "Role 7").expect("role 7");
    let skills = f.org.requires.iter().filter(|(r, _)| *r == role).count() as i64;
    let teams = f.org.leads.iter().filter(|(r, _)| *r == role).count() as i64;
    let q = "MATCH (r:Role {name: 'Role 7'})-[:REQUIRES]->(s:Skill), (r)-[:LEADS]->(t:Team) RETURN count(*)";
    assert_eq!(f.number(q), skills * teams, "{:?}", f.plan(q));
}

#[test]
fn a_label_an_earlier_part_gives_a_bound_node_is_not_checked_again() {
    let f = fixture();
    // The roles are reached from the teams through LEADS, whose starts the
    // store's statistics show are all roles: the second part starts at the
    // bound role without checking its label.
    let q =
        "MATCH (r:Role)-[:REQUIRES]->(s:Skill), (r)-[:LEADS]->(t:Team) WHERE (r)-[:WORKS_WITH]->(t) RETURN count(*)";
    let plan = f.plan(q);
    let ops: Vec<&str> = plan.iter().map(|(o, _)| o.as_str()).collect();
    assert_eq!(ops.last(), Some(&"Aggregate"), "{plan:?}");
    let bound = plan
        .iter()
        .find(|(_, d)| d.starts_with("node 0 bound earlier :Role"))
        .unwrap_or_else(|| panic!("{plan:?}"));
    assert!(bound.1.contains("node 0's labels not checked"), "{plan:?}");
    let req = degree(&f.org.requires);
    let works: HashSet<(usize, usize)> = f.org.works_with.iter().copied().collect();
    let expected: i64 = f
        .org
        .leads
        .iter()
        .filter(|rt| works.contains(rt))
        .map(|(r, _)| req.get(r).copied().unwrap_or(0))
        .sum();
    assert!(expected > 0);
    assert_eq!(f.number(q), expected);
    // A label no LEADS start has is still checked (and no row passes).
    let q2 = "MATCH (r:Skill)-[:REQUIRES]-(s), (r)-[:LEADS]->(t:Team) RETURN count(*)";
    let plan = f.plan(q2);
    assert!(plan.iter().all(|(_, d)| !d.contains("labels not checked")), "{plan:?}");
    assert_eq!(f.number(q2), 0);
}

#[test]
fn an_undirected_hop_between_nodes_alike_is_counted_once_per_relationship() {
    let f = fixture();
    // Both ends without labels, a condition reading both: every
    // relationship from its start's list, checked both ways round.
    let q = "MATCH (a)-[:REQUIRES]-(b) WHERE a.id < b.id RETURN count(*)";
    assert_eq!(f.operators(q), ["SymmetricCount", "Aggregate"]);
    let plan = f.plan(q);
    assert!(
        plan[0].1.contains("counted once from its start's outgoing list"),
        "{plan:?}"
    );
    // Role ids (`r…`) sort before skill ids (`s…`): each REQUIRES passes
    // one way round.
    assert_eq!(f.number(q), f.org.requires.len() as i64);
    // Labels alike on both ends, and a condition on one node only, stay
    // row by row; so do different labels.
    assert_ne!(
        f.operators("MATCH (a:Role)-[:REQUIRES]-(b:Role) WHERE a.id STARTS WITH 'r1' RETURN count(*)")[0],
        "SymmetricCount"
    );
    assert_ne!(
        f.operators("MATCH (a:Role)-[:REQUIRES]-(b:Skill) WHERE a.id < b.id RETURN count(*)")[0],
        "SymmetricCount"
    );
    assert_eq!(
        f.number("MATCH (a:Role)-[:REQUIRES]-(b:Role) WHERE a.id < b.id RETURN count(*)"),
        0
    );
}

#[test]
fn counts_per_far_node_read_its_degrees_where_the_near_labels_are_implied() {
    let f = fixture();
    // Every REQUIRES and LEADS starts at a role (the store's statistics):
    // each far node's count is its number of incoming REQUIRES and LEADS,
    // no relationship visited, whatever its labels.
    let q = "MATCH (r:Role)-[:REQUIRES|LEADS]->(x) RETURN labels(x)[0] AS kind, count(*) AS n ORDER BY kind";
    assert_eq!(f.operators(q), ["CountPerNode", "Aggregate", "Sort"]);
    let plan = f.plan(q);
    assert!(
        plan[0]
            .1
            .contains("read from node 1's degrees (node 0 needs no label check)"),
        "{plan:?}"
    );
    let rows = f.json(q);
    let got: Vec<(String, i64)> = rows
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().expect("kind").to_string(),
                r["n"].as_i64().expect("n"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Skill".to_string(), f.org.requires.len() as i64),
            ("Team".to_string(), f.org.leads.len() as i64)
        ]
    );
    // A far end without labels, reached over two types: each node the
    // types' statistics say may be at their ends, by its degrees.
    let q = "MATCH (r:Role)-[:LEADS|WORKS_WITH]->(t) RETURN t.name AS t, count(*) AS n ORDER BY n DESC, t LIMIT 1";
    assert!(f.plan(q)[0].1.contains("read from node 1's degrees"), "{:?}", f.plan(q));
    let mut per_team: HashMap<usize, i64> = HashMap::new();
    for (_, t) in f.org.leads.iter().chain(&f.org.works_with) {
        *per_team.entry(*t).or_insert(0) += 1;
    }
    let most = per_team.values().copied().max().expect("teams");
    assert_eq!(f.json(q)[0]["n"].as_i64(), Some(most));
    // A near end whose labels the types do not imply (skills at no
    // REQUIRES start) is counted by expanding, and has no match.
    let q = "MATCH (s:Skill)-[:REQUIRES]->(x) RETURN x.id AS x, count(*) AS n";
    assert!(
        f.plan(q).iter().all(|(_, d)| !d.contains("degrees (node")),
        "{:?}",
        f.plan(q)
    );
    assert!(f.json(q).is_empty());
}
