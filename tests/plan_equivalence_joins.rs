//! Property: a value join split over threads returns the naive plan's
//! rows, and the rows (in order) or the error it returns on one thread.
//! The probe side's scan is large enough to be cut into morsels
//! (`Op::Parallel`), so the morsels share the join's table
//! (`eval/ops/hash_join.rs`, `SharedTables`); the build side is small.
//! Random graphs of 4,100 to 5,600 `:A` nodes and up to 40 `:C` nodes,
//! names that repeat (short and long texts, integers that `left()`
//! rejects, missing ones), relationships between them; random joins on
//! names, computed keys and integers, with conditions on the joined row,
//! counts and groups, row lists, and a join after a WITH whose rows read
//! an input the joined part's condition reads. Seeds are fixed; a failure
//! prints the seed, the graph's summary and the query.

use std::fmt::Write;
use std::sync::Arc;

use rolegraph::Graph;
use rolegraph::eval::{Limits, run};
use rolegraph::plan::{Params, plan_statement_with};
use rolegraph::syntax::parse_script;
use rolegraph::value::{Map, Value};

mod common;
use common::SplitMix as Rng;

/// Names the nodes share: short texts, long ones sharing a start or an
/// end, non-ASCII, empty.
const NAMES: [&str; 10] = [
    "ann",
    "bob",
    "cy",
    "dee",
    "annabel-lee of the long name",
    "annabel-lee of the long namf",
    "bob the builder, a long name",
    "Ångström ünïcode",
    "",
    "zz",
];

/// A random graph: `:A` nodes enough to be split, few `:C` nodes, `:X`
/// from each `:A` to up to two `:C`, `:Y` between `:C` nodes. With
/// `bad_names`, a few names are integers (`left()` rejects them).
fn graph(rng: &mut Rng, bad_names: bool) -> (Graph, String) {
    let mut g = Graph::new("joins");
    let a = 4100 + rng.below(1500);
    let c = 1 + rng.below(40);
    let name = |rng: &mut Rng| -> Option<Value> {
        match rng.below(20) {
            0 => None,
            1 if bad_names && rng.chance(5) => Some(Value::Int(rng.below(3) as i64)),
            _ => Some(Value::from(*rng.pick(&NAMES))),
        }
    };
    let node = |g: &mut Graph, rng: &mut Rng, label: &str, i: usize| {
        let mut props = Map::new();
        props.insert(Arc::from("id"), Value::from(format!("{}{i}", label.to_lowercase())));
        props.insert(Arc::from("k"), Value::Int(rng.below(5) as i64));
        if let Some(n) = name(rng) {
            props.insert(Arc::from("name"), n);
        }
        g.add_node(&[label], props).expect("add node")
    };
    let cs: Vec<_> = (0..c).map(|i| node(&mut g, rng, "C", i)).collect();
    let as_: Vec<_> = (0..a).map(|i| node(&mut g, rng, "A", i)).collect();
    for &x in &as_ {
        for _ in 0..rng.below(3) {
            g.add_rel(x, *rng.pick(&cs), "X", Map::new()).expect("add rel");
        }
    }
    for _ in 0..rng.below(2 * c) {
        g.add_rel(*rng.pick(&cs), *rng.pick(&cs), "Y", Map::new())
            .expect("add rel");
    }
    (g, format!("{a} :A nodes, {c} :C nodes, bad names: {bad_names}"))
}

/// A random value join between a large probe side (`a`, maybe with a hop)
/// and a small build side (`c`, maybe with a hop), or a join of two small
/// parts after a WITH that makes many rows. `ordered`: the query's rows
/// depend on the order matches arrive in (compared with one thread's
/// only, not the naive plan's).
fn query(rng: &mut Rng) -> (String, bool) {
    if rng.chance(20) {
        // Many input rows, each joining two small parts; the joined
        // part's condition reads the row (its table depends on it).
        let q = format!(
            "MATCH (a:A) WITH a.k AS j{} MATCH (b:C), (c:C) WHERE b.name = c.name AND c.k {} j RETURN j, count(*)",
            if rng.chance(50) { ", a.name AS m" } else { "" },
            rng.pick(&["<=", ">", "<>"]),
        );
        return (q, false);
    }
    let first = match rng.below(3) {
        0 => "(a:A)-[:X]->(b:C)",
        _ => "(a:A)",
    };
    let second = match rng.below(4) {
        0 => "(c:C)-[:Y]->(d:C)",
        _ => "(c:C)",
    };
    let key = |rng: &mut Rng, v: &str| match rng.below(6) {
        0 => format!("left({v}.name, 1)"),
        1 => format!("toLower({v}.name)"),
        2 => format!("{v}.k"),
        _ => format!("{v}.name"),
    };
    let (l, r) = (key(rng, "a"), key(rng, "c"));
    let mut q = format!("MATCH {first}, {second} WHERE {l} = {r}");
    if rng.chance(25) {
        q.push_str(" AND a.k <= c.k");
    }
    let (ret, ordered) = match rng.below(7) {
        0 => ("a.k AS k, count(*) AS n", false),
        1 => ("c.id AS c, count(a) AS n, min(a.id) AS first", false),
        2 => ("count(DISTINCT a) AS n", false),
        3 => ("a.id AS a, c.id AS c", false),
        4 => ("c.id AS c, collect(a.id)[0..4] AS some", true),
        5 => ("a.id AS a, c.id AS c ORDER BY a.k LIMIT 20", true),
        _ => ("count(*) AS n", false),
    };
    let _ = write!(q, " RETURN {ret}");
    (q, ordered)
}

/// The rows of `q` (in order) on `threads` threads, or the error code;
/// `split` is told whether the plan splits a section with a hash join.
fn rows(g: &Graph, q: &str, optimise: bool, threads: usize, split: &mut bool) -> Result<Vec<String>, String> {
    let script = parse_script(q).map_err(|e| format!("syntax: {e:?}"))?;
    let params = Params::new();
    let planned =
        plan_statement_with(&script.statements[0], g, &params, q, optimise).map_err(|e| e.code.to_string())?;
    let shown = format!("{:?}", planned.plan);
    *split = shown.contains("join: Some(") && shown.contains("Parallel");
    let limits = Limits {
        threads: Some(threads),
        ..Limits::default()
    };
    let result = run(&planned.plan, &mut g.clone(), &limits).map_err(|e| e.code.to_string())?;
    Ok(result.rows.iter().map(|r| format!("{r:?}")).collect())
}

fn sorted(rows: &Result<Vec<String>, String>) -> Result<Vec<String>, String> {
    rows.clone().map(|mut r| {
        r.sort();
        r
    })
}

#[test]
fn value_joins_split_over_threads_return_the_rows_of_one_thread_and_of_naive_plans() {
    let (mut checked, mut split, mut failed, mut after_with) = (0, 0, 0, 0);
    for seed in 0..48u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9).wrapping_add(1031));
        let (g, described) = graph(&mut rng, seed % 3 == 0);
        for _ in 0..3 {
            let (q, ordered) = query(&mut rng);
            let mut planned_split = false;
            let one = rows(&g, &q, true, 1, &mut planned_split);
            for threads in [2, 3] {
                let many = rows(&g, &q, true, threads, &mut false);
                assert_eq!(
                    many, one,
                    "seed {seed}: {threads} threads differ from one\nquery: {q}\ngraph: {described}"
                );
            }
            if !ordered {
                let naive = rows(&g, &q, false, 1, &mut false);
                assert_eq!(
                    sorted(&one),
                    sorted(&naive),
                    "seed {seed}: the optimised plan's rows differ from the naive plan's\nquery: {q}\ngraph: {described}"
                );
            }
            checked += 1;
            split += usize::from(planned_split);
            failed += usize::from(one.is_err());
            after_with += usize::from(planned_split && q.contains("WITH"));
        }
    }
    assert!(checked >= 140, "only {checked} queries ran");
    // Most of them split a section with a hash join; some fail (an error
    // met building or probing), some join after a WITH.
    assert!(split > 100, "only {split} plans split a section with a hash join");
    assert!(failed > 5, "only {failed} queries failed");
    assert!(after_with > 10, "only {after_with} joins after a WITH were split");
}
