//! Decorrelating `EXISTS { MATCH ... }`: a subquery that reads one node
//! of the outer row (`EXISTS { MATCH (r)-[:LEADS]->(t:Team) WHERE
//! t.name STARTS WITH 'S' }`) holds for exactly the nodes its MATCH binds
//! at that variable when matched once with the variable left free. Matched
//! that way, the planner may start where the subquery is most selective
//! (the teams whose name passes, a node looked up by id) and walk back to
//! the row's node; the nodes reached form a set, and each row asks whether
//! its node is in it (a semi-join; under NOT an anti-join).
//!
//! Whether that pays is a matter of cost, not of shape: the plan keeps the
//! estimated cost of matching once and of answering one row by matching
//! from its node (`SemiJoin::once_cost`, `row_cost`, from
//! [`super::order::clause_cost`]), and the evaluator answers rows one by
//! one until the work spent on them would have paid for matching once,
//! then makes the set (`eval/ops/semi_join.rs`).
//!
//! The set is exact for any pattern the subquery's MATCH can hold
//! (several hops, variable-length hops, several parts, the row's node
//! more than once): matching with the node free and keeping the matches
//! whose node is `n` gives the matches from `n`. What it changes is which
//! matches are looked at: those of every node, not only of the rows'. So
//! the subquery qualifies only when nothing it evaluates can raise an
//! error: its WHERE made of conditions that cannot (comparisons and
//! string tests of properties and constants, see `pushdown.rs`) and its
//! property maps of constants. A condition that can raise stays per row,
//! evaluated only on the matches the rows reach.

use super::order::{clause_cost, flatten_and};
use super::pushdown::{cannot_raise, element_slots};
use crate::plan::ops::{MatchOp, Op, PExpr, PKind, SemiJoin};
use crate::store::Graph;

/// What starting one row's subquery costs beyond its matching (its row,
/// its operators set up), in the cost model's units (a row made by a hop).
pub const ROW_COST: f64 = 8.0;

/// The semi-join for a subquery whose operators, bound from a row that
/// imports one node (at slot 0) and planned without the optimiser, are
/// `ops`; `None` when it does not qualify (see the module's comment).
/// Its `id` is left 0 for the binder to number.
pub fn exists(ops: &[Op], graph: &Graph) -> Option<SemiJoin> {
    let (m, filter) = match ops {
        [Op::Match(m)] => (m, None),
        [Op::Match(m), Op::Filter(f)] => (m, Some(f)),
        _ => return None,
    };
    if m.optional || !m.patterns.iter().any(|p| p.nodes.iter().any(|n| n.slot == 0)) {
        return None;
    }
    let mut conditions = Vec::new();
    if let Some(f) = filter.or(m.filter.as_ref()) {
        flatten_and(f.clone(), &mut conditions);
    }
    let elements = element_slots(m, 0);
    let safe = conditions.iter().all(|c| cannot_raise(c, &elements))
        && m.patterns
            .iter()
            .all(|p| p.nodes.iter().all(|n| constant_map(&n.props)) && p.rels.iter().all(|r| constant_map(&r.props)));
    if !safe {
        return None;
    }
    let once_cost = clause_cost(&m.patterns, &conditions, 0, m.width, graph);
    let mut free = MatchOp {
        filter: super::order::and_all(conditions.clone()),
        new_slots: (0..m.width).collect(),
        ..m.clone()
    };
    super::match_clause(&mut free, 0, graph);
    let (matches, estimate, nodes) = free_matches(&free, &conditions, 0, graph);
    let row_cost = until_first(
        clause_cost(&m.patterns, &conditions, 1, m.width, graph),
        matches,
        estimate,
        nodes,
    ) + ROW_COST;
    let mut ops = vec![Op::Match(free)];
    super::filter_op::split_where(&mut ops);
    Some(SemiJoin {
        ops,
        id: 0,
        once_cost,
        row_cost,
        estimate,
    })
}

/// Whether a pattern position's property map (`None`: it has none) holds
/// only constants: evaluating it cannot raise an error.
pub(crate) fn constant_map(e: &Option<PExpr>) -> bool {
    match e {
        None => true,
        Some(PExpr {
            kind: PKind::Map(entries),
            ..
        }) => entries.iter().all(|(_, v)| matches!(v.kind, PKind::Const(_))),
        Some(PExpr {
            kind: PKind::Const(crate::value::Value::Map(_)),
            ..
        }) => true,
        Some(_) => false,
    }
}

/// What answering one row costs when matching from its node stops at
/// the first match (`full`: the cost of all its matches). Of the nodes
/// the row's could be (`nodes`, the position's labels), `holding` have
/// matches, `matches` of them in all: a node with `k` matches finds its
/// first after about `1 / (k + 1)` of the work, one with none does all
/// of it. A subquery most nodes hold for many times over is cheap per
/// row however costly its whole match: it stays per row.
fn until_first(full: f64, matches: f64, holding: f64, nodes: f64) -> f64 {
    let share = (holding / nodes.max(1.0)).clamp(0.0, 1.0);
    let per_node = matches / holding.max(1.0);
    full * (share / (1.0 + per_node) + (1.0 - share))
}

/// The estimated number of distinct nodes the free match binds at `slot`:
/// its matches, at most the nodes with that position's labels.
pub(crate) fn node_estimate(m: &MatchOp, conditions: &[PExpr], slot: usize, graph: &Graph) -> f64 {
    free_matches(m, conditions, slot, graph).1
}

/// The free match's estimated matches, the distinct nodes it binds at
/// `slot` (at most the nodes with that position's labels) and that
/// bound: the nodes with those labels.
fn free_matches(m: &MatchOp, conditions: &[PExpr], slot: usize, graph: &Graph) -> (f64, f64, f64) {
    let est = super::cost::Estimator::new(graph, conditions, &m.patterns, 0);
    let mut bound = vec![false; m.width];
    let mut rows = 1.0;
    for p in &m.patterns {
        rows *= est.part(p, p.start, &bound).1;
        for s in super::order::part_slots(p) {
            if let Some(b) = bound.get_mut(s) {
                *b = true;
            }
        }
    }
    let cap = m
        .patterns
        .iter()
        .flat_map(|p| &p.nodes)
        .filter(|n| n.slot == slot)
        .map(|n| est.label_rows(n))
        .fold(f64::INFINITY, f64::min);
    let cap = cap.min(graph.node_count() as f64);
    (rows, rows.min(cap), cap)
}
