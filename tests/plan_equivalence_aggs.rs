//! Property: aggregates other than counts, taken over rows that a counting
//! operator hands over weighted (one row standing for the `n` matches of a
//! node, of a last hop, of a joined part), return the naive plan's rows:
//! `sum`, `avg`, `min`, `max` and `count` of an expression reading only the
//! variables the weighted row binds, beside counts, DISTINCT aggregates
//! and aggregates the counting cannot weight (percentiles, an
//! argument reading a counted variable), over one hop, two parts sharing a
//! node, chains, value joins and cycles, grouped or not, under a WITH or a
//! RETURN. Values include nulls, texts where numbers are summed (a type
//! error either way), integers whose sum overflows (all of one sign, so
//! that the order of adding does not decide whether it does) and floats
//! whose sums are exact in any order (so that rows compare exactly). Rows
//! are compared as multisets; seeds are fixed.

use std::fmt::Write;
use std::sync::Arc;

use rolegraph::Graph;
use rolegraph::eval::{Limits, run};
use rolegraph::plan::{Params, plan_statement_with};
use rolegraph::syntax::parse_script;
use rolegraph::value::{Map, Value};

mod common;
use common::SplitMix as Rng;

const LABELS: [&str; 3] = ["A", "B", "C"];
const TYPES: [&str; 2] = ["X", "Y"];
const NAMES: [&str; 4] = ["ann", "bob", "cy", "Ångström"];
/// Floats whose sums and averages come out the same in any order.
const FLOATS: [f64; 4] = [0.5, 1.25, -2.0, 3.0];

/// A random graph (3 to 10 nodes) and a description for failure messages.
fn graph(rng: &mut Rng) -> (Graph, String) {
    graph_with(rng, 3)
}

/// As [`graph`], with up to `per_node` relationships a node.
fn graph_with(rng: &mut Rng, per_node: usize) -> (Graph, String) {
    let mut g = Graph::new("random");
    let mut text = String::new();
    let n = 3 + rng.below(8);
    let mut ids = Vec::new();
    for i in 0..n {
        let labels: Vec<&str> = LABELS.iter().copied().filter(|_| rng.chance(45)).collect();
        let mut props = Map::new();
        props.insert(Arc::from("id"), Value::from(format!("n{i}")));
        if rng.chance(90) {
            props.insert(Arc::from("k"), Value::Int(rng.below(4) as i64));
        }
        if rng.chance(85) {
            let name = match rng.chance(8) {
                // Not a text: size() of it, sum() of it raise.
                true => Value::Int(rng.below(3) as i64),
                false => Value::from(*rng.pick(&NAMES)),
            };
            props.insert(Arc::from("name"), name);
        }
        if rng.chance(60) {
            props.insert(Arc::from("f"), Value::Float(*rng.pick(&FLOATS)));
        }
        if rng.chance(10) {
            // Two of these overflow a sum.
            props.insert(Arc::from("big"), Value::Int(1 << 62));
        }
        let _ = writeln!(text, "node {i} {labels:?} {props:?}");
        ids.push(g.add_node(&labels, props).expect("add node"));
    }
    for _ in 0..rng.below(per_node * n) {
        let (a, b) = (rng.below(n), rng.below(n));
        let t = *rng.pick(&TYPES);
        let _ = writeln!(text, "rel {a} -[{t}]-> {b}");
        g.add_rel(ids[a], ids[b], t, Map::new()).expect("add rel");
    }
    (g, text)
}

fn label(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => format!(":{}", rng.pick(&LABELS)),
        _ => String::new(),
    }
}

fn hop(rng: &mut Rng) -> String {
    let types = *rng.pick(&["", ":X", ":Y", ":X|Y"]);
    match rng.below(5) {
        0 | 1 => format!("-[{types}]->"),
        2 | 3 => format!("<-[{types}]-"),
        _ => format!("-[{types}]-"),
    }
}

/// An aggregate over variable `v` (or, now and then, over `other`, which
/// the counting cannot weight).
fn aggregate(rng: &mut Rng, v: &str, other: &str) -> String {
    let v = if rng.chance(10) { other } else { v };
    match rng.below(16) {
        0 => format!("sum({v}.k)"),
        1 => format!("avg({v}.k)"),
        2 => format!("avg({v}.f)"),
        3 => format!("sum({v}.f)"),
        4 => format!("min({v}.name)"),
        5 => format!("max({v}.name)"),
        6 => format!("min({v}.f)"),
        7 => format!("max({v}.k)"),
        8 => format!("count({v}.name)"),
        9 => format!("count({v}.k + 1)"),
        10 => format!("sum(size({v}.name))"),
        11 => format!("sum({v}.big)"),
        12 => format!("count(DISTINCT {v}.name)"),
        13 => format!("percentileDisc({v}.k, 0.5)"),
        14 => format!("count({other})"),
        _ => "count(*)".to_string(),
    }
}

/// A MATCH of one of the counted shapes, the variable its aggregates
/// read and another one.
fn pattern(rng: &mut Rng) -> (String, &'static str, &'static str) {
    let (la, lb, lc) = (label(rng), label(rng), label(rng));
    match rng.below(5) {
        // One hop: matches counted per node of either end.
        0 | 1 => {
            let (v, o) = *rng.pick(&[("a", "b"), ("b", "a")]);
            (format!("MATCH (a{la}){}(b{lb})", hop(rng)), v, o)
        }
        // Two parts sharing a node: the last hop counted.
        2 => (
            format!("MATCH (a{la}){}(b{lb}), (a){}(c{lc})", hop(rng), hop(rng)),
            "a",
            "c",
        ),
        // A chain: counted by multiplying per node.
        3 => {
            let v = *rng.pick(&["a", "b", "c"]);
            (format!("MATCH (a{la}){}(b{lb}){}(c{lc})", hop(rng), hop(rng)), v, "c")
        }
        // A part joined by value: counted per key.
        _ => {
            let key = *rng.pick(&["a.k = c.k", "a.name = c.name", "a.id = c.id"]);
            (
                format!("MATCH (a{la}){}(b{lb}), (c{lc}) WHERE {key}", hop(rng)),
                "a",
                "c",
            )
        }
    }
}

fn weighted_query(rng: &mut Rng) -> String {
    let (m, v, other) = pattern(rng);
    let aggs: Vec<String> = (0..1 + rng.below(3))
        .enumerate()
        .map(|(i, _)| format!("{} AS x{i}", aggregate(rng, v, other)))
        .collect();
    let aggs = aggs.join(", ");
    match rng.below(5) {
        0 => format!("{m} RETURN {aggs}"),
        1 => format!("{m} RETURN {v}.k AS key, {aggs}"),
        2 => format!("{m} RETURN {v}, {aggs} ORDER BY {v}.id LIMIT 3"),
        3 => format!("{m} WITH {v}, {aggs} RETURN x0, count(*) AS n"),
        _ => format!("{m} RETURN {v}.name AS key, {aggs}"),
    }
}

/// The rows of `q` planned with or without the optimiser, sorted, or the
/// error code; and whether the plan counts (an operator handing over
/// weighted rows).
fn rows(g: &Graph, q: &str, optimise: bool) -> (Result<Vec<String>, String>, bool) {
    let script = match parse_script(q) {
        Ok(s) => s,
        Err(e) => return (Err(format!("syntax: {e:?}")), false),
    };
    let params = Params::new();
    let planned = match plan_statement_with(&script.statements[0], g, &params, q, optimise) {
        Ok(p) => p,
        Err(e) => return (Err(e.code.to_string()), false),
    };
    let plan = format!("{:?}", planned.plan);
    let counts = ["CountPerNode", "CountExpand", "FactorCount", "IntersectCount"]
        .iter()
        .any(|op| plan.contains(op));
    let mut g = g.clone();
    let result = run(&planned.plan, &mut g, &Limits::default()).map_err(|e| e.code.to_string());
    let out = result.map(|r| {
        let mut out: Vec<String> = r.rows.iter().map(|r| format!("{r:?}")).collect();
        out.sort();
        out
    });
    (out, counts)
}

/// Whether `q` has an aggregate a counting plan takes weighted: one that
/// is not a count of all rows or of a variable, nor DISTINCT.
fn weighs(q: &str) -> bool {
    ["sum(", "avg(", "min(", "max(", "count(a.", "count(b.", "count(c."]
        .iter()
        .any(|f| q.contains(f))
}

#[test]
fn weighted_aggregates_return_the_rows_of_naive_plans() {
    let (mut checked, mut weighted, mut failed) = (0, 0, 0);
    for seed in 0..2000u64 {
        let mut rng = Rng(seed.wrapping_mul(2_654_435_761).wrapping_add(29));
        let (g, described) = graph(&mut rng);
        for _ in 0..3 {
            let q = weighted_query(&mut rng);
            let (naive, _) = rows(&g, &q, false);
            let (optimised, counts) = rows(&g, &q, true);
            assert_eq!(
                optimised, naive,
                "seed {seed}: the optimised plan's rows differ from the naive plan's\nquery: {q}\ngraph:\n{described}"
            );
            match naive {
                Ok(_) => checked += 1,
                Err(_) => failed += 1,
            }
            weighted += usize::from(counts && weighs(&q));
        }
    }
    // Most queries ran; some raised (a text summed, an overflow) alike.
    assert!(checked > 4500, "only {checked} queries ran");
    assert!(failed > 50, "only {failed} queries raised an error");
    // The counting operators took weighted aggregates often enough.
    assert!(weighted > 1500, "only {weighted} counted plans weighted an aggregate");
}

/// A grouping key computed from variable `v`'s properties: string
/// functions (some raising on an integer name or a negative length),
/// `split(…)[i]`, concatenation, integer arithmetic (overflowing on
/// `big`, dividing by zero), CASE, and forms left to the general
/// evaluator.
fn computed_key(rng: &mut Rng, v: &str) -> String {
    let keys = [
        format!("left({v}.name, 2)"),
        format!("right({v}.name, 1)"),
        format!("left({v}.name, {v}.k - 1)"),
        format!("substring({v}.name, 1)"),
        format!("substring({v}.name, 0, 2)"),
        format!("substring({v}.name, {v}.k)"),
        format!("substring({v}.name, 1, {v}.k - 2)"),
        format!("toLower({v}.name)"),
        format!("toUpper(left({v}.name, 1))"),
        format!("trim({v}.name)"),
        format!("size({v}.name)"),
        format!("split({v}.name, 'n')[0]"),
        format!("split({v}.name, 'n')[-1]"),
        format!("split({v}.name, '')[{v}.k]"),
        format!("size(split({v}.name, 'n'))"),
        format!("{v}.name + '!'"),
        format!("{v}.name + {v}.k"),
        format!("toLower({v}.id) + toUpper(left({v}.name, 1))"),
        format!("{v}.k / 2"),
        format!("{v}.k % 3"),
        format!("{v}.k * 3 - 1"),
        format!("{v}.big * ({v}.k + 1)"),
        format!("10 / ({v}.k - 1)"),
        format!("{v}.f * 2"),
        format!("CASE WHEN {v}.k > 1 THEN 'hi' ELSE 'lo' END"),
        format!("CASE {v}.name WHEN 'ann' THEN 1 WHEN 'bob' THEN 2 END"),
        format!("CASE WHEN {v}.name STARTS WITH 'b' THEN left({v}.name, 1) ELSE {v}.f END"),
        format!("coalesce({v}.name, 'none')"),
        format!("{v}.name[0..2]"),
        format!("{v}.k"),
    ];
    rng.pick(&keys).clone()
}

/// An aggregate of a value computed from `v`'s properties (the general
/// evaluator's errors included: `size` of an integer name, a negative
/// length, an overflow).
fn computed_aggregate(rng: &mut Rng, v: &str) -> String {
    let f = *rng.pick(&["count", "min", "max", "sum", "avg"]);
    let arg = match f {
        "sum" | "avg" => match rng.below(4) {
            0 => format!("size({v}.name)"),
            1 => format!("{v}.k % 3 - 1"),
            2 => format!("{v}.big * ({v}.k + 1)"),
            _ => format!("size(split({v}.name, 'n')[0])"),
        },
        _ => computed_key(rng, v),
    };
    format!("{f}({arg})")
}

/// A query grouping by a computed key; and whether its rows come in the
/// same order in both plans (a scan of one node), so that of several
/// rows raising, the same one raises first.
fn computed_key_query(rng: &mut Rng) -> (String, bool) {
    let (m, v, other) = match rng.below(4) {
        0 => (format!("MATCH ({}{})", "a", label(rng)), "a", "a"),
        1 => (format!("OPTIONAL MATCH (a{}){}(b)", label(rng), hop(rng)), "b", "a"),
        _ => pattern(rng),
    };
    let m = match (rng.chance(25), m.contains(" WHERE ")) {
        (true, true) => format!("{m} AND {v}.k <> 2"),
        (true, false) => format!("{m} WHERE {v}.k <> 2"),
        (false, _) => m,
    };
    let in_order = !m.contains('-');
    let key = computed_key(rng, v);
    let aggs: Vec<String> = (0..1 + rng.below(2))
        .enumerate()
        .map(|(i, _)| match rng.chance(40) {
            true => format!("{} AS x{i}", computed_aggregate(rng, v)),
            false => format!("{} AS x{i}", aggregate(rng, v, other)),
        })
        .collect();
    let aggs = aggs.join(", ");
    let q = match rng.below(6) {
        0 => format!("{m} RETURN {key} AS key, {aggs} ORDER BY x0 DESC, key LIMIT 2"),
        5 => format!("{m} RETURN {aggs}"),
        1 => format!("{m} RETURN {key} AS key, {v}.k AS k2, {aggs}"),
        2 => format!("{m} WITH {key} AS key, {aggs} RETURN key, x0"),
        _ => format!("{m} RETURN {key} AS key, {aggs}"),
    };
    (q, in_order)
}

#[test]
fn computed_grouping_keys_return_the_rows_of_naive_plans() {
    let (mut checked, mut failed, mut prepared, mut exact) = (0, 0, 0, 0);
    for seed in 0..1500u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9).wrapping_add(7));
        let (g, described) = graph(&mut rng);
        for _ in 0..3 {
            let (q, in_order) = computed_key_query(&mut rng);
            let (naive, _) = rows(&g, &q, false);
            let (mut optimised, _) = rows(&g, &q, true);
            // Matched in another order (from the other end of a hop, or
            // counted per node), a different row may raise first: both
            // raise, but maybe not the same error.
            if !in_order && optimised.is_err() && naive.is_err() {
                optimised = naive.clone();
            }
            assert_eq!(
                optimised, naive,
                "seed {seed}: the optimised plan's rows differ from the naive plan's\nquery: {q}\ngraph:\n{described}"
            );
            let naive_failed = naive.is_err();
            match naive {
                Ok(_) => checked += 1,
                Err(_) => failed += 1,
            }
            prepared += usize::from(prepares_keys(&g, &q));
            exact += usize::from(in_order && naive_failed);
        }
    }
    // Errors compared exactly, code for code.
    assert!(exact > 150, "only {exact} errors compared exactly");
    assert!(checked > 3000, "only {checked} queries ran");
    assert!(failed > 200, "only {failed} queries raised an error");
    assert!(prepared > 3500, "only {prepared} plans prepared their keys");
}

/// Whether the optimised plan of `q` evaluates its grouping keys as
/// prepared key expressions.
fn prepares_keys(g: &Graph, q: &str) -> bool {
    let script = parse_script(q).expect("parses");
    let params = Params::new();
    plan_statement_with(&script.statements[0], g, &params, q, true)
        .is_ok_and(|p| format!("{:?}", p.plan).contains("prepared_keys: true"))
}

/// A query grouping the matches of a chain by both of its ends: the pairs
/// of start and end counted (`PairCounts`), with a WHERE
/// comparing the end with the start, with the node between or with a
/// constant, and aggregates weighted, DISTINCT or (over the node between)
/// not weighted at all.
fn pair_query(rng: &mut Rng) -> String {
    let (la, lb, lc) = (label(rng), label(rng), label(rng));
    let m = match rng.below(3) {
        0 => format!("MATCH (a{la}){}(b{lb}){}(b2){}(c{lc})", hop(rng), hop(rng), hop(rng)),
        _ => format!("MATCH (a{la}){}(b{lb}){}(c{lc})", hop(rng), hop(rng)),
    };
    let cond = *rng.pick(&[
        "",
        " WHERE a.k < c.k",
        " WHERE c.name > a.name",
        " WHERE a.id <> c.id",
        " WHERE c.k = a.k",
        " WHERE a.f >= c.k",
        " WHERE c.k <= b.k",
        " WHERE c.name STARTS WITH 'a'",
        " WHERE a.k < c.k AND c.name <> 'bob'",
    ]);
    let aggs: Vec<String> = (0..1 + rng.below(2))
        .enumerate()
        .map(|(i, _)| {
            let v = *rng.pick(&["a", "c"]);
            format!("{} AS x{i}", aggregate(rng, v, "b"))
        })
        .collect();
    let aggs = aggs.join(", ");
    match rng.below(5) {
        0 => format!("{m}{cond} RETURN a.id AS s, c.id AS e, {aggs}"),
        1 => format!("{m}{cond} RETURN a.id AS s, c.id AS e, {aggs} ORDER BY x0 DESC, s, e LIMIT 3"),
        2 => format!("{m}{cond} RETURN a.k AS s, c.name AS e, {aggs}"),
        3 => format!("{m}{cond} WITH a, c, {aggs} RETURN x0, count(*) AS n"),
        _ => format!("{m}{cond} RETURN c, a, {aggs}"),
    }
}

#[test]
fn pairs_counted_by_both_ends_return_the_rows_of_naive_plans() {
    let (mut checked, mut paired) = (0, 0);
    for seed in 0..1500u64 {
        let mut rng = Rng(seed.wrapping_mul(0x2545_f491).wrapping_add(11));
        let (g, described) = graph_with(&mut rng, 8);
        for _ in 0..3 {
            let q = pair_query(&mut rng);
            let (naive, _) = rows(&g, &q, false);
            let (mut optimised, _) = rows(&g, &q, true);
            // Rows come in another order: of several raising, another may
            // raise first.
            if optimised.is_err() && naive.is_err() {
                optimised = naive.clone();
            }
            assert_eq!(
                optimised, naive,
                "seed {seed}: the optimised plan's rows differ from the naive plan's\nquery: {q}\ngraph:\n{described}"
            );
            checked += usize::from(naive.is_ok());
            paired += usize::from(plan_has(&g, &q, "PairCounts"));
        }
    }
    assert!(checked > 3000, "only {checked} queries ran");
    eprintln!("{checked} queries ran, {paired} counted pairs");
    assert!(paired > 600, "only {paired} plans counted pairs");
}

/// Whether the optimised plan of `q` holds operator `op`.
fn plan_has(g: &Graph, q: &str, op: &str) -> bool {
    let script = parse_script(q).expect("parses");
    let params = Params::new();
    plan_statement_with(&script.statements[0], g, &params, q, true).is_ok_and(|p| format!("{:?}", p.plan).contains(op))
}
