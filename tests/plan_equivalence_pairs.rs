//! Property: conditions comparing two nodes' properties (`a.k < b.j`)
//! give the naive plan's rows, whether the matcher checks them on a bound
//! row (compiled, `eval/pairfilter.rs`) or a counted last hop checks them
//! on each end it counts (`Op::CountExpand` with conditions after the
//! hop). Random small graphs whose values mix strings of every length
//! (shared starts, non-ASCII, empty), integers, floats (NaN included),
//! booleans and missing keys; random one- and two-hop patterns in every
//! direction, comparisons of every kind on any keys, alone or beside
//! conditions the evaluator checks. Seeds are fixed; a failure prints
//! the seed, the graph and the query.

use std::fmt::Write;
use std::sync::Arc;

use rolegraph::Graph;
use rolegraph::eval::{Limits, run};
use rolegraph::plan::{Params, plan_statement_with};
use rolegraph::syntax::parse_script;
use rolegraph::value::{Map, Value};

mod common;
use common::SplitMix as Rng;

const LABELS: [&str; 2] = ["A", "B"];
const TYPES: [&str; 2] = ["X", "Y"];
/// String values: short ones, ones sharing their first eight bytes or
/// more, one a prefix of another, non-ASCII, empty.
const TEXTS: [&str; 9] = [
    "a",
    "ab",
    "b",
    "annabel-lee x",
    "annabel-lee y",
    "annabel-lee",
    "Ångström",
    "",
    "a\u{0}",
];

/// A value of any kind a comparison meets, mostly strings and integers.
fn value(rng: &mut Rng) -> Option<Value> {
    Some(match rng.below(12) {
        0..=3 => Value::from(*rng.pick(&TEXTS)),
        4..=7 => Value::Int(rng.below(4) as i64 - 1),
        8 => Value::Float(*rng.pick(&[0.5, 1.0, f64::NAN, -0.0])),
        9 => Value::Bool(rng.chance(50)),
        10 => Value::Null,
        _ => return None,
    })
}

/// Three to seven nodes with one or two labels (or none), keys `s` (mostly
/// strings), `k` (mostly integers) and `v` (anything), some missing;
/// relationships of two types, self-loops and parallel ones included.
fn graph(rng: &mut Rng) -> (Graph, String) {
    let mut g = Graph::new("pairs");
    let mut text = String::new();
    let n = 3 + rng.below(5);
    let mut ids = Vec::new();
    for i in 0..n {
        let labels: Vec<&str> = LABELS.iter().copied().filter(|_| rng.chance(60)).collect();
        let mut props = Map::new();
        props.insert(Arc::from("id"), Value::from(format!("n{i}")));
        if rng.chance(85) {
            let s = match rng.chance(85) {
                true => Value::from(*rng.pick(&TEXTS)),
                false => value(rng).unwrap_or(Value::Int(1)),
            };
            props.insert(Arc::from("s"), s);
        }
        if rng.chance(85) {
            let k = match rng.chance(85) {
                true => Value::Int(rng.below(3) as i64),
                false => value(rng).unwrap_or(Value::Int(0)),
            };
            props.insert(Arc::from("k"), k);
        }
        if let Some(v) = value(rng) {
            props.insert(Arc::from("v"), v);
        }
        let _ = writeln!(text, "node {i} {labels:?} {props:?}");
        ids.push(g.add_node(&labels, props).expect("add node"));
    }
    for _ in 0..rng.below(4 * n) {
        let (a, b, t) = (rng.below(n), rng.below(n), *rng.pick(&TYPES));
        let _ = writeln!(text, "rel {a} -[{t}]-> {b}");
        g.add_rel(ids[a], ids[b], t, Map::new()).expect("add rel");
    }
    (g, text)
}

const OPS: [&str; 6] = ["=", "<>", "<", "<=", ">", ">="];
const KEYS: [&str; 5] = ["id", "s", "k", "v", "missing"];

/// A comparison of a property of `x` with one of `y` (either order).
fn comparison(rng: &mut Rng, x: &str, y: &str) -> String {
    let (kx, ky) = match rng.chance(60) {
        true => {
            let k = *rng.pick(&KEYS);
            (k, k)
        }
        false => (*rng.pick(&KEYS), *rng.pick(&KEYS)),
    };
    let op = *rng.pick(&OPS);
    match rng.chance(50) {
        true => format!("{x}.{kx} {op} {y}.{ky}"),
        false => format!("{y}.{ky} {op} {x}.{kx}"),
    }
}

/// A random pattern of one or two hops from `a` to `b` (through `m`) with
/// a comparison of `a`'s and `b`'s properties, sometimes beside another
/// condition (on `b` alone, or one the evaluator checks), counted,
/// counted per group, or returned row by row; and
/// the end compared with a variable bound by an earlier clause (a node,
/// or a map the compiled check cannot read).
fn query(rng: &mut Rng) -> String {
    let label = |rng: &mut Rng| match rng.below(3) {
        0 => String::new(),
        _ => format!(":{}", rng.pick(&LABELS)),
    };
    let hop = |rng: &mut Rng| {
        let types = *rng.pick(&["", ":X", ":Y", ":X|Y"]);
        match rng.below(3) {
            0 => format!("-[{types}]->"),
            1 => format!("<-[{types}]-"),
            _ => format!("-[{types}]-"),
        }
    };
    let (la, lb) = (label(rng), label(rng));
    let pattern = match rng.below(3) {
        0 => format!("(a{la}){}(b{lb})", hop(rng)),
        _ => format!("(a{la}){}(m{}){}(b{lb})", hop(rng), label(rng), hop(rng)),
    };
    let mut conditions = vec![comparison(rng, "a", "b")];
    match rng.below(8) {
        0 => conditions.push("b.s STARTS WITH 'a'".into()),
        1 => conditions.push("b.k IN [a.k, 1]".into()),
        2 => conditions.push("(b.k = a.k OR b.s = 'a')".into()),
        3 => conditions.push(comparison(rng, "b", "a")),
        4 => conditions.insert(0, "(a.v <> b.v XOR b.k > 0)".into()),
        5 => conditions.push(comparison(rng, "a", "b")),
        _ => {}
    }
    let wheres = conditions.join(" AND ");
    let ret = match rng.below(6) {
        0 => "a.k AS g, count(*) AS n".to_string(),
        1 => "a.id AS a, b.id AS b".to_string(),
        2 => "count(DISTINCT a) AS d, count(*) AS n".to_string(),
        _ => "count(*) AS n".to_string(),
    };
    match rng.below(6) {
        0 => format!("MATCH (a{la}) WITH a MATCH {pattern} WHERE {wheres} RETURN {ret}"),
        1 => format!(
            "WITH {{k: 1, s: 'ab', id: 'n2', v: 0.5, missing: null}} AS a MATCH (c){}(b{lb}) WHERE {} RETURN count(*) AS n",
            hop(rng),
            comparison(rng, "a", "b")
        ),
        _ => format!("MATCH {pattern} WHERE {wheres} RETURN {ret}"),
    }
}

/// The rows of `q` planned with or without the optimiser, sorted, or the
/// error code.
fn rows(g: &Graph, q: &str, optimise: bool) -> Result<Vec<String>, String> {
    let script = parse_script(q).map_err(|e| format!("syntax: {e:?}"))?;
    let params = Params::new();
    let planned =
        plan_statement_with(&script.statements[0], g, &params, q, optimise).map_err(|e| e.code.to_string())?;
    let mut g = g.clone();
    let result = run(&planned.plan, &mut g, &Limits::default()).map_err(|e| e.code.to_string())?;
    let mut out: Vec<String> = result.rows.iter().map(|r| format!("{r:?}")).collect();
    out.sort();
    Ok(out)
}

/// Whether EXPLAIN of `q` lists an operator named `name`.
fn explains(g: &Graph, q: &str, name: &str) -> bool {
    let Ok(script) = parse_script(&format!("EXPLAIN {q}")) else {
        return false;
    };
    let params = Params::new();
    let Ok(planned) = plan_statement_with(&script.statements[0], g, &params, q, true) else {
        return false;
    };
    let mut g = g.clone();
    run(&planned.plan, &mut g, &Limits::default()).is_ok_and(|r| {
        r.rows
            .iter()
            .any(|row| matches!(&row[1], Value::String(s) if &**s == name))
    })
}

#[test]
fn comparisons_of_two_nodes_return_the_rows_of_naive_plans() {
    let (mut checked, mut counted) = (0, 0);
    for seed in 0..1500u64 {
        let mut rng = Rng(seed.wrapping_mul(2_654_435_761).wrapping_add(101));
        let (g, described) = graph(&mut rng);
        for _ in 0..3 {
            let q = query(&mut rng);
            counted += usize::from(explains(&g, &q, "CountExpand"));
            let naive = rows(&g, &q, false);
            let optimised = rows(&g, &q, true);
            assert_eq!(
                optimised, naive,
                "seed {seed}: the optimised plan's rows differ from the naive plan's\nquery: {q}\ngraph:\n{described}"
            );
            checked += usize::from(naive.is_ok());
        }
    }
    eprintln!("{checked} queries ran, {counted} counted the last hop");
    assert!(checked > 3500, "only {checked} queries ran");
    assert!(
        counted > 1500,
        "only {counted} plans counted the last hop with its conditions"
    );
}
