//! Grouped starts: a first MATCH whose rows feed a grouping keyed by one
//! of its nodes starts at that node when the grouping then costs less
//! than the start the cost model chose saves.
//!
//! The matcher makes every row of one start node before the next, so
//! starting at the grouping node `g` hands the grouping its rows in runs,
//! one run per group: the group's state (a count, a DISTINCT set, a
//! collected list) is the one just used. Started elsewhere, the same rows
//! reach the groups in no order, and once the groups outnumber what the
//! caches hold, each row waits for its group's state to come from
//! memory. `MATCH (m:Role)<-[:REPORTS_TO]-(r)-[:LEADS]->(t:Team) WITH m,
//! count(DISTINCT t)` is cheapest to match from the few teams, and much
//! cheaper to group when matched from the managers.
//!
//! The choice weighs the estimated match from `g` against the chosen one
//! plus a cost per row for rows landing at random groups
//! ([`SCATTER_COST`], more for states that grow: DISTINCT and collect),
//! charged only when the groups are many ([`GROUPS_IN_CACHE`]). Only the
//! rows' order changes: a grouping's groups come in the order their first
//! rows arrive, which no query without ORDER BY may rely on.
//!
//! It applies to a part whose first operator is a MATCH of one pattern
//! part (nothing bound before it, not OPTIONAL, no index seek or join
//! chosen for it), followed only by operators that keep each input row's
//! rows together (filters, anti- and group joins, further MATCH clauses,
//! UNWIND), then an aggregating projection with a grouping key that is
//! `g` or a property of `g`.

use super::cost::Estimator;
use crate::plan::functions::AggFunc;
use crate::plan::ops::{MatchOp, Op, PExpr, PKind, ProjectOp};
use crate::store::Graph;

/// The cost (in the estimator's units: one row made by a hop) of a row
/// that finds its group's state out of cache, for counts, sums and the
/// like; [`GROWING_FACTOR`] times that for states that grow with their
/// rows.
pub const SCATTER_COST: f64 = 0.5;

/// How much more a row costs at a random group when the group's state
/// grows (DISTINCT sets, collected lists).
const GROWING_FACTOR: f64 = 4.0;

/// Groups whose states stay in cache whatever the order of the rows.
const GROUPS_IN_CACHE: f64 = 16_384.0;

/// Moves the first MATCH's start to the grouping node when the shape
/// above holds and the estimates favour it.
pub fn choose(ops: &mut [Op], graph: &Graph) {
    let Some(pi) = ops.iter().position(|o| {
        !matches!(
            o,
            Op::Match(_) | Op::Filter(_) | Op::AntiJoin(_) | Op::GroupJoin(_) | Op::Unwind(_)
        )
    }) else {
        return;
    };
    let (before, after) = ops.split_at_mut(pi);
    let Some(Op::Project(p)) = after.first() else {
        return;
    };
    let Some(Op::Match(m)) = before.first_mut() else {
        return;
    };
    if p.aggregates.is_empty() {
        return;
    }
    for g in grouping_nodes(p) {
        if start_at_group(m, g, scatter_cost(p), graph) {
            return;
        }
    }
}

/// The node slots the projection groups by: keys that are a node
/// variable or one of its properties, in the order of the keys.
fn grouping_nodes(p: &ProjectOp) -> Vec<usize> {
    let mut slots = Vec::new();
    for (item, _) in p.items.iter().zip(&p.is_key).filter(|(_, k)| **k) {
        let slot = match &item.kind {
            PKind::Slot(s) => *s,
            PKind::Prop(base, _) => match base.kind {
                PKind::Slot(s) => s,
                _ => continue,
            },
            _ => continue,
        };
        if !slots.contains(&slot) {
            slots.push(slot);
        }
    }
    slots
}

/// The cost per row of reaching a random group of `p`.
fn scatter_cost(p: &ProjectOp) -> f64 {
    let growing = p.aggregates.iter().any(|a| {
        a.distinct
            || matches!(
                a.func,
                AggFunc::Collect | AggFunc::PercentileCont | AggFunc::PercentileDisc
            )
    });
    match growing {
        true => SCATTER_COST * GROWING_FACTOR,
        false => SCATTER_COST,
    }
}

/// Starts `m`'s pattern at the node in slot `g` when its estimated cost
/// beats the chosen start's plus the scattered grouping's; the part's
/// conditions are placed again for the new start.
fn start_at_group(m: &mut MatchOp, g: usize, scatter: f64, graph: &Graph) -> bool {
    let [p] = m.patterns.as_slice() else {
        return false;
    };
    if m.optional || p.seek.is_some() || p.join.is_some() || p.top.is_some() || !m.new_slots.contains(&g) {
        return false;
    }
    let at: Vec<usize> = (0..p.nodes.len()).filter(|&i| p.nodes[i].slot == g).collect();
    let [gi] = at.as_slice() else {
        return false;
    };
    let gi = *gi;
    if gi == p.start || p.rels.iter().any(|r| r.var_len.is_some()) {
        return false;
    }
    let conditions: Vec<PExpr> = p.filters.iter().flatten().chain(&m.filter).cloned().collect();
    let before = m.new_slots.first().copied().unwrap_or(m.width);
    let est = Estimator::new(graph, &conditions, &m.patterns, before);
    let (now, rows) = est.part(p, p.start, &[]);
    let (from_group, _) = est.part(p, gi, &[]);
    let groups = est.label_rows(&p.nodes[gi]).min(rows);
    if !from_group.is_finite() || groups <= GROUPS_IN_CACHE || from_group >= now + rows * scatter {
        return false;
    }
    super::pushdown::restart_at(m, gi);
    true
}
