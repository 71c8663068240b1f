//! Parallel sections (`plan/optimise/parallel.rs`, `eval/ops/parallel.rs`):
//! which shapes run over morsels on several threads (read from EXPLAIN),
//! and that the threads never change an answer: every query gives the same
//! rows, in the same order, or the same error, on one, two and three
//! threads. Nothing here measures time.

use rolegraph::{Error, Graph, Session};

/// 6,000 `:P` nodes (a skewed number of `:R` relationships to 120 `:Q`
/// nodes: the first 40 reach every `:Q`, so the scan's first nodes carry
/// most of the work) and a `:K` chain through the `:P` nodes.
fn session() -> Session {
    let mut s = Session::new(Graph::new("parallel"));
    for stmt in [
        "UNWIND range(0, 5999) AS i CREATE (:P {i: i, g: i % 37, name: 'p' + toString((i * 7919) % 6000), \
         x: CASE WHEN i % 11 = 0 THEN null ELSE i * 0.5 END})",
        "UNWIND range(0, 119) AS i CREATE (:Q {i: i, name: 'q' + toString(i)})",
        "MATCH (p:P), (q:Q) WHERE p.i < 40 CREATE (p)-[:R]->(q)",
        "MATCH (p:P) WITH p MATCH (q:Q {i: (p.i * p.i) % 120}) CREATE (p)-[:R {w: p.i % 5}]->(q)",
        "MATCH (p:P) WHERE p.i % 4 = 1 WITH p MATCH (q:Q {i: (p.i * 13) % 120}) CREATE (p)-[:R]->(q)",
        "MATCH (a:P), (b:P) WHERE b.i = a.i + 1 CREATE (a)-[:K]->(b)",
    ] {
        s.run(stmt).unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    s
}

/// The rows of `q`, in order, on `threads` threads, or the error's code
/// and message.
fn answer(s: &mut Session, q: &str, threads: usize) -> Result<Vec<String>, String> {
    s.limits_mut().threads = Some(threads);
    match s.run(q) {
        // Debug output: floats to their last bit.
        Ok(rows) => Ok(rows.rows.iter().map(|r| format!("{r:?}")).collect()),
        Err(Error::Query(e)) => Err(format!("{:?}: {}", e.code, e.message)),
        Err(other) => panic!("{q}: not a query error: {other}"),
    }
}

/// The operators EXPLAIN lists for `q`.
fn operators(s: &mut Session, q: &str) -> Vec<String> {
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

const SAME_ON_ANY_THREADS: &[&str] = &[
    // Rows in scan order; a scan of few nodes with much to follow.
    "MATCH (q:Q)<-[r:R]-(p) RETURN q.i, p.i, r.w",
    "MATCH (p:P) RETURN p.i, p.name",
    "MATCH (p:P)-[r:R]->(q:Q) RETURN p.i, q.i, r.w",
    // Groups in first-seen order, with every kind of aggregate.
    "MATCH (p:P)-[:R]->(q:Q) RETURN q.i, count(*), collect(p.i)[0..5], min(p.name), max(p.x), sum(p.i), avg(p.i)",
    "MATCH (p:P)-[:R]->(q) RETURN count(DISTINCT q), collect(DISTINCT q.i), percentileDisc(p.i, 0.5), \
     percentileCont(p.x, 0.3), count(DISTINCT p.g), collect(DISTINCT p.g), min(DISTINCT p.name), sum(p.x)",
    "MATCH (p:P) RETURN p.g, collect(p.name), percentileDisc(DISTINCT p.i % 7, 0.9), count(p.x)",
    "MATCH (p:P) RETURN p.g % 3 AS k, collect(DISTINCT p.g) AS gs ORDER BY k",
    // A non-key item reading the group's first row.
    "MATCH (p:P)-[:R]->(q:Q) WITH q, count(*) AS n RETURN q.name, n",
    // Top-k with many ties: the first rows to arrive win them.
    "MATCH (p:P)-[:R]->(q:Q) RETURN p.g, q.i, p.i ORDER BY p.g DESC, q.i LIMIT 25",
    "MATCH (p:P) RETURN p.i ORDER BY p.g SKIP 100 LIMIT 10",
    // Top-k scans sharing their scan among the threads (ties to the
    // earlier share), by properties, nulls, computed keys, conditions.
    "MATCH (p:P) RETURN p.i, p.name ORDER BY p.name DESC SKIP 7 LIMIT 20",
    "MATCH (p:P) WHERE p.g > 3 RETURN p.i ORDER BY p.x DESC, p.i LIMIT 12",
    "MATCH (p:P) RETURN p.i ORDER BY p.g, p.name DESC SKIP 30 LIMIT 10",
    "MATCH (p:P) RETURN p.i, p.x ORDER BY p.x SKIP 140 LIMIT 5",
    "MATCH (p:P) RETURN p.i ORDER BY p.g * -1, p.i LIMIT 8",
    "MATCH (p:P)-[:R]->(q:Q) RETURN q.i, count(*) AS n ORDER BY n DESC LIMIT 7",
    "MATCH (p:P) RETURN DISTINCT p.g",
    "MATCH (p:P) RETURN DISTINCT p.g ORDER BY p.g LIMIT 3",
    // DISTINCT rows dropped as they come in each morsel, and again across them.
    "MATCH (p:P)-[:R]->(q:Q) RETURN DISTINCT q.i % 13 AS a, p.g % 3 AS b",
    "MATCH (p:P)-[:R]->(q:Q) RETURN DISTINCT q, p.g % 2 AS h LIMIT 40",
    "MATCH (p:P)-[:R]->(q:Q) WITH DISTINCT q, p.g % 5 AS h RETURN count(*), collect(h)[0..9]",
    // An undirected hop counted once per relationship, its starts in runs
    // over the threads (`Op::SymmetricCount`); counts per far node.
    "MATCH (a:P)-[:K]-(b:P) WHERE a.name < b.name RETURN count(*)",
    "MATCH (a)-[:R|K]-(b) WHERE a.i + 1 > b.i RETURN count(*)",
    "MATCH (p:P)-[:R]->(x) RETURN labels(x)[0] AS k, count(*) ORDER BY k",
    // Sections after WITH split the rows before them.
    "MATCH (p:P) WITH p WHERE p.i % 3 = 0 MATCH (p)-[:R]->(q) RETURN q.i, count(*) ORDER BY q.i",
    "MATCH (p:P) WITH p OPTIONAL MATCH (p)-[:K]->(n:P) RETURN p.i, n.i",
    "MATCH (p:P) WITH p, p.g AS g UNWIND [1, 2] AS k RETURN g, k, count(*)",
    "UNWIND range(1, 9000) AS i WITH i WHERE i % 2 = 0 RETURN i % 10 AS d, count(*), collect(i)[0..3]",
    // Counting strategies.
    "MATCH (p:P)-[:K]->(n)-[:K]->(m) RETURN count(*)",
    "MATCH (p:P)-[:R]->(q) RETURN p.g, count(*)",
    // Counts per start node, counted over runs of the nodes on each
    // thread: into a heap as they come (ties kept in arrival order), a
    // WITH of one group per row, zero counts of an OPTIONAL MATCH.
    "MATCH (p:P)-[:R]->(q:Q) RETURN p, count(*) AS n ORDER BY n DESC SKIP 2 LIMIT 9",
    "MATCH (p:P)-[:R]->(q:Q) RETURN p, count(q) AS n ORDER BY n, p DESC LIMIT 6",
    "MATCH (p:P)-[:R]->(q:Q) WITH p, count(q) AS n RETURN n, count(*) ORDER BY n",
    "MATCH (p:P) OPTIONAL MATCH (p)-[:K]->(n) RETURN p, count(n) AS c ORDER BY c LIMIT 5",
    "MATCH (p:P) WHERE p.name STARTS WITH 'p1' AND p.x > 100 RETURN count(*), sum(p.x)",
    // Counted per node, then projected over morsels of the nodes: keys
    // computed from the node, the optional form (zero counts), the far
    // end, top-k over the groups, and a second aggregation.
    "MATCH (p:P) RETURN left(p.name, 2) AS h, count(*), collect(p.i)[0..4] ORDER BY h",
    "MATCH (p:P) RETURN p.name STARTS WITH 'p1' AS h, count(*), collect(p.i)[0..4]",
    "MATCH (p:P) OPTIONAL MATCH (p)-[:K]->(n) RETURN p.g, count(n), count(*), collect(p.i)[0..3]",
    "MATCH (p:P)-[:K]->(n:P) RETURN n.g, count(p), sum(n.i)",
    "MATCH (p:P)-[:R]->(q:Q) RETURN p.name, count(*) ORDER BY count(*) DESC, p.name LIMIT 5",
    "MATCH (p:P)-[:R]->(q:Q) RETURN p.g, count(*) AS n ORDER BY n DESC LIMIT 3",
    "MATCH (p:P)<-[:K]-(n) WITH p, count(n) AS k RETURN min(k), max(k), avg(k), sum(k), collect(k)[0..3]",
    "MATCH (p:P)-[:R]->(q:Q) RETURN CASE WHEN p.i = 5000 THEN p.name * 2 ELSE p.g END AS k, count(*)",
    // An undirected hop and a variable-length one.
    "MATCH (p:P)-[:K]-(n) RETURN p.g, count(n)",
    "MATCH (p:P)-[:K*1..3]->(n) WHERE p.i % 50 = 0 RETURN p.i, count(n)",
    // Every node, without a label.
    "MATCH (n) RETURN labels(n), count(*)",
    // Errors: the first in row order, as one thread meets it.
    "MATCH (p:P) RETURN CASE WHEN p.i = 5900 THEN 1 / 0 WHEN p.i = 300 THEN p.name * 2 ELSE 1 END",
    "MATCH (p:P)-[:R]->(q) WITH p, q WHERE p.i > 4000 OR p.i = 10 RETURN q.i / (p.i - 10)",
];

#[test]
fn threads_never_change_an_answer() {
    let mut s = session();
    for q in SAME_ON_ANY_THREADS {
        let one = answer(&mut s, q, 1);
        for threads in [2, 3] {
            assert_eq!(answer(&mut s, q, threads), one, "{q} on {threads} threads");
        }
    }
}

#[test]
fn the_first_error_in_row_order_is_reported() {
    let mut s = session();
    let q = "MATCH (p:P) RETURN CASE WHEN p.i = 5900 THEN 1 / 0 WHEN p.i = 300 THEN p.name * 2 ELSE 1 END";
    for threads in [1, 2, 3] {
        let e = answer(&mut s, q, threads).expect_err("the query fails");
        assert!(e.starts_with("InvalidArgumentType"), "{threads} threads: {e}");
    }
}

#[test]
fn limits_hold_over_every_thread() {
    let mut s = session();
    s.limits_mut().max_rows = Some(100);
    for threads in [1, 2] {
        let e = answer(&mut s, "MATCH (p:P) RETURN p.i", threads).expect_err("past the row limit");
        assert!(e.starts_with("RowLimit"), "{threads} threads: {e}");
        let e = answer(&mut s, "MATCH (p:P) RETURN p.i, count(*)", threads).expect_err("past the row limit");
        assert!(e.starts_with("RowLimit"), "{threads} threads: {e}");
    }
    s.limits_mut().max_rows = None;
    s.limits_mut().max_paths = Some(1000);
    for threads in [1, 2] {
        // (A bare count of these paths is counted as walks, following none.)
        let q = "MATCH (p:P)-[:K*1..3]->(n) RETURN max(p.i), count(*)";
        let e = answer(&mut s, q, threads).expect_err("past the path limit");
        assert!(e.starts_with("PathLimit"), "{threads} threads: {e}");
    }
}

#[test]
fn profile_counts_the_rows_of_a_parallel_plan() {
    let mut s = session();
    let q = "MATCH (p:P)-[:R]->(q:Q) RETURN q.i, max(p.i)";
    let plain = answer(&mut s, q, 2).expect("rows");
    s.limits_mut().threads = Some(2);
    let profiled = s.run(&format!("PROFILE {q}")).expect("a profile");
    let op = profiled.columns.iter().position(|c| c == "operator").unwrap();
    let rows = profiled.columns.iter().position(|c| c == "rows").unwrap();
    let expand = profiled
        .rows
        .iter()
        .find(|r| r[op].as_str() == Some("Expand"))
        .expect("an Expand step");
    let matches = s.run("MATCH (:P)-[r:R]->(:Q) RETURN count(r)").unwrap().rows[0][0].clone();
    assert_eq!(format!("{:?}", expand[rows]), format!("{matches:?}"));
    assert_eq!(plain.len(), 120);
}

#[test]
fn large_scans_and_inputs_are_split_and_the_rest_is_not() {
    let mut s = session();
    let split = [
        // Reading both ends, matched row by row (`sum(p.i)` alone is
        // weighted per node: see tests/aggregate_plans.rs).
        "MATCH (p:P)-[:R]->(q) RETURN sum(p.i + size(q.name))",
        "MATCH (p:P) RETURN p.g, collect(p.i)",
        // Counted at each node the last hop leaves (the WHERE keeps it
        // from being multiplied out per node).
        "MATCH (p:P)-[:K]->(n)-[:K]->(m) WHERE p.i <> n.i RETURN count(*)",
        "MATCH (n) RETURN count(n.i)",
        "MATCH (p:P) RETURN DISTINCT p.g",
        // Few start nodes, many relationships to follow from them.
        "MATCH (q:Q)<-[:R]-(p) RETURN q.name, collect(p.i)",
        // Matches counted per node, the nodes then projected in morsels.
        "MATCH (p:P) RETURN left(p.name, 2) AS h, count(*)",
        "MATCH (p:P)-[:R]->(q:Q) RETURN p.name, count(*) ORDER BY count(*) DESC LIMIT 5",
        "MATCH (p:P) OPTIONAL MATCH (p)-[:K]->(n) RETURN p.g, count(n)",
    ];
    for q in split {
        assert_eq!(
            operators(&mut s, q).first().map(String::as_str),
            Some("Parallel"),
            "{q}"
        );
    }
    // The counted-per-node sections are that operator, not a row per match.
    for q in &split[split.len() - 3..] {
        assert_eq!(
            operators(&mut s, q).get(1).map(String::as_str),
            Some("CountPerNode"),
            "{q}"
        );
    }
    let alone = [
        // A small label, little to follow from it.
        "MATCH (q:Q) RETURN q.name, collect(q.i)",
        "MATCH (q:Q)-[:NONE]->(x) RETURN q.name, collect(x)",
        // LIMIT without ORDER BY stops the scan early.
        "MATCH (p:P) RETURN p.i LIMIT 3",
        // Floats added in hash order.
        "MATCH (p:P) RETURN sum(DISTINCT p.x)",
        // OPTIONAL MATCH first: a morsel without matches would add a row of nulls.
        "OPTIONAL MATCH (p:P) RETURN count(p)",
        // A start found by its properties.
        "MATCH (p:P {i: 3}) RETURN p.name",
        // Counted per node without grouping keys: one sum, nothing to split;
        // counted per node of a small label.
        "MATCH (p:P)-[:R]->(q:Q) RETURN count(*)",
        "MATCH (q:Q)<-[:R]-(p:P) RETURN q.name, count(*)",
        // Writing.
        "MATCH (p:P) WHERE p.i = -1 SET p.seen = true",
        // A top-k scan shares its scan among the threads itself, binding
        // only the nodes kept over all shares; morsels would each keep
        // (and project) SKIP + LIMIT nodes.
        "MATCH (p:P) RETURN p.i ORDER BY p.name SKIP 40 LIMIT 5",
        "MATCH (p:P) RETURN p.i ORDER BY p.name LIMIT 45",
        "MATCH (p:P) RETURN p.i ORDER BY p.name LIMIT 5",
    ];
    for q in alone {
        assert!(!operators(&mut s, q).iter().any(|o| o == "Parallel"), "{q}");
    }
    // After WITH, the evaluator splits the rows when there are enough (a
    // WITH with a WHERE that computes, which stays in the WITH and is not
    // folded into one MATCH).
    let ops = operators(
        &mut s,
        "MATCH (p:P) WITH p WHERE p.i + 0 >= 0 MATCH (p)-[:R]->(q) RETURN count(*)",
    );
    assert_eq!(ops.iter().filter(|o| *o == "Parallel").count(), 2, "{ops:?}");
}
