//! An OPTIONAL MATCH counted per row (`Op::GroupJoin`, planned by
//! `plan/optimise/group_join.rs`): each row is passed on once, the
//! clause's new slots null but two, which hold its number of matches from
//! the row's node (what `count(x)` becomes the sum of) and that number or
//! 1 without any (what `count(*)` becomes the sum of).
//!
//! Rows are counted one by one (matching from the row's node) until the
//! work they took would have paid for matching the clause once with the
//! node free (the plan's `SemiJoin::once_cost`, as for a decorrelated
//! `EXISTS`); then the clause is matched once and its matches counted per
//! node into a table, and every later row reads its node's count there (0
//! when absent). The work is measured, not estimated: the units the guard
//! counts (a node scanned, a relationship followed) while a row is
//! counted, plus the cost model's start-up cost of a row. So rows whose
//! nodes have far more matches than the average (a popular skill) make
//! the table sooner, and a statement with few rows never makes it.
//!
//! A clause of one typed hop from the row's node to a node it asks
//! nothing of but labels every relationship of those types gives its end
//! (by the store's statistics) has as many matches as the node has such
//! relationships: each row reads its degrees, and no table is made.
//!
//! The table lives in the execution context by the plan's id; the graph
//! cannot change while the section that reads it runs (an update ends a
//! section, see `pipeline.rs`).

use std::rc::Rc;

use rustc_hash::FxHashMap;

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::eval::matcher::{flip_dir, labels_implied};
use crate::eval::ops::match_clause;
use crate::eval::pipeline::{Sink, stream};
use crate::eval::profile::Probe;
use crate::plan::ops::GroupJoinOp;
use crate::plan::optimise::decorrelate::ROW_COST;
use crate::store::{Direction, NodeId, Sym};
use crate::value::Value;

/// Where a group join stands in an execution.
#[derive(Debug, Clone)]
pub enum GroupState {
    /// No row has come yet.
    Fresh,
    /// Each row's count is its node's degrees along these types this way
    /// (decided at the first row: see [`degree_plan`]).
    Degrees(Direction, Rc<[Sym]>),
    /// The work spent so far counting rows one by one.
    Counting(u64),
    /// The number of matches of each node that has any.
    Ready(Rc<FxHashMap<NodeId, u64>>),
}

/// Sends `row`, with its counts, to `next`.
pub(in crate::eval) fn rows(
    g: &GroupJoinOp,
    row: &[Value],
    env: &Env<'_>,
    next: &mut Sink<'_>,
) -> Result<bool, QueryError> {
    let node = match row.get(g.node) {
        Some(Value::Node(n)) => Some(*n),
        _ => None,
    };
    // One typed hop read as degrees (see the module's notes; decided once
    // per execution), or the clause matched from the row or read from the
    // table.
    let degrees = match env.guard.group_join(g.once.id) {
        GroupState::Degrees(dir, types) => Some((dir, types)),
        GroupState::Fresh => {
            let plan = degree_plan(g, env);
            let state = match &plan {
                Some((dir, types)) => GroupState::Degrees(*dir, types.clone()),
                None => GroupState::Counting(0),
            };
            env.guard.set_group_join(g.once.id, state);
            plan
        }
        _ => None,
    };
    let graph = env.graph;
    let read = |n: NodeId, (dir, types): (Direction, Rc<[Sym]>)| {
        graph
            .contains_node(n)
            .then(|| types.iter().map(|&t| graph.degree_sym(n, dir, Some(t)) as u64).sum())
    };
    let n = match node.zip(degrees).and_then(|(n, d)| read(n, d)) {
        Some(d) => d,
        None => match (node, table(g, env)?) {
            (Some(node), Ok(t)) => t.get(&node).copied().unwrap_or(0),
            // Counted from the row (a null node has no match), stopped at a
            // match once the row has taken what the table would cost: the
            // table is made then and gives this row's count too.
            (_, table) => {
                let left = match table {
                    Err(spent) => g.once.once_cost - spent as f64,
                    Ok(_) => f64::INFINITY,
                };
                let before = env.guard.work();
                let taken = || u64::from(env.guard.work().wrapping_sub(before));
                let mut n = 0u64;
                let mut over = false;
                match_clause::rows(&g.m, row, env, &mut |_| {
                    n += 1;
                    over = node.is_some() && taken() as f64 > left;
                    Ok(!over)
                })?;
                if let Err(spent) = table {
                    let spent = spent.saturating_add(taken()).saturating_add(ROW_COST as u64);
                    env.guard.set_group_join(g.once.id, GroupState::Counting(spent));
                }
                match (over, node) {
                    (true, Some(node)) => build(g, env)?.get(&node).copied().unwrap_or(0),
                    _ => n,
                }
            }
        },
    };
    let mut r = super::widened(row, g.m.width);
    let int = |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
    r[g.matches] = int(n);
    if let Some(s) = g.rows {
        r[s] = int(n.max(1));
    }
    next(&r)
}

/// How the matches of `g`'s clause from a row's node are read as its
/// degrees (the direction and the types, each once), when the clause is
/// one typed hop to a fresh node asked nothing but labels its
/// relationships' ends have by the statistics; `None` when it is not.
/// The graph does not change while a statement reads it, so this holds
/// for every row of an execution.
fn degree_plan(g: &GroupJoinOp, env: &Env<'_>) -> Option<(Direction, Rc<[Sym]>)> {
    let m = &g.m;
    let [p] = m.patterns.as_slice() else { return None };
    let [rel] = p.rels.as_slice() else { return None };
    let (s, o) = (p.start, 1 - p.start);
    let fresh = |slot: usize| m.new_slots.contains(&slot);
    if m.filter.is_some()
        || p.join.is_some()
        || p.path_slot.is_some()
        || p.filters.iter().any(|f| !f.is_empty())
        || rel.var_len.is_some()
        || rel.props.is_some()
        || rel.types.is_empty()
        || p.nodes[s].slot != g.node
        || !p.nodes[s].labels.is_empty()
        || p.nodes[s].props.is_some()
        || p.nodes[o].props.is_some()
        || !fresh(p.nodes[o].slot)
        || !fresh(rel.slot)
        || p.nodes[o].slot == g.node
    {
        return None;
    }
    let graph = env.graph;
    let dir = if s == 0 { rel.direction } else { flip_dir(rel.direction) };
    let lab = env.guard.pattern_labels(graph, p);
    // Each type once (`:A|A` is `:A`); a type the graph lacks has none.
    let mut types: Vec<Sym> = lab.types[0].iter().flatten().copied().collect();
    types.sort_unstable();
    types.dedup();
    let implied = types
        .iter()
        .all(|&t| p.nodes[o].labels.is_empty() || labels_implied(graph, &lab.syms, o, t, dir, false));
    implied.then(|| (dir, types.into()))
}

/// The table of counts, made now if the rows counted one by one have
/// taken the work matching once would; else the work they took.
fn table(g: &GroupJoinOp, env: &Env<'_>) -> Result<Result<Rc<FxHashMap<NodeId, u64>>, u64>, QueryError> {
    match env.guard.group_join(g.once.id) {
        GroupState::Ready(t) => Ok(Ok(t)),
        GroupState::Counting(spent) if (spent as f64) < g.once.once_cost => Ok(Err(spent)),
        GroupState::Fresh | GroupState::Degrees(..) if 0.0 < g.once.once_cost => Ok(Err(0)),
        GroupState::Counting(_) | GroupState::Fresh | GroupState::Degrees(..) => build(g, env).map(Ok),
    }
}

/// Matches the clause once with the node free and counts its matches per
/// node: the table every later row reads.
fn build(g: &GroupJoinOp, env: &Env<'_>) -> Result<Rc<FxHashMap<NodeId, u64>>, QueryError> {
    let mut counts: FxHashMap<NodeId, u64> = FxHashMap::default();
    stream(&g.once.ops, 0, &[], env, Probe::default(), &mut |r| {
        if let Some(Value::Node(n)) = r.get(g.node) {
            *counts.entry(*n).or_default() += 1;
        }
        Ok(true)
    })?;
    env.guard.note_made(g.once.id, counts.len() as u64);
    let t = Rc::new(counts);
    env.guard.set_group_join(g.once.id, GroupState::Ready(t.clone()));
    Ok(t)
}
