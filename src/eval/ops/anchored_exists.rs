//! Pattern predicates with a constant anchor as a semi-join on a set made
//! once (`WHERE NOT (r)-[:REQUIRES]->(:Skill {id: 'skill4'})`,
//! `WHERE (r)<-[:REPORTS_TO*1..2]-(:Role {id: $m})`): when the pattern
//! reads one node of the row and has a node looked up by a constant `id`,
//! matching it from that node once, with the row's node left free, gives
//! every node of the row's side that has a match. Each row then asks
//! whether its node is among them, instead of walking from it.
//!
//! The set is made only once the predicate has been asked [`AFTER`]
//! times in the execution, so a handful of rows still walk from their own
//! node (the anchor's side may be the larger one). It is kept in the
//! execution context by pattern; the graph cannot change while the
//! section that asks runs (an update ends a section, see `pipeline.rs`).

use std::rc::Rc;

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::eval::matcher::Matcher;
use crate::plan::ops::{PExpr, PKind, PatternPlan};
use crate::store::NodeSet;
use crate::value::Value;

/// Rows a predicate answers by walking from each before its set is made.
pub(in crate::eval) const AFTER: u32 = 16;

/// Where a pattern predicate stands in an execution (see the module's comment).
#[derive(Debug, Clone)]
pub enum Anchored {
    /// Not a pattern this applies to.
    No,
    /// Asked this many times so far.
    Asked(u32),
    /// The nodes of the row's side that have a match, and the row's slot
    /// holding that side's node.
    Ready { slot: usize, set: Rc<NodeSet> },
}

/// Whether `p` matches from `row`, answered from the set once it is made;
/// `None` when `p` is not such a pattern, its row node is not a node, or
/// the set is not made yet.
pub(in crate::eval) fn member(p: &PatternPlan, env: &Env<'_>, row: &[Value]) -> Result<Option<bool>, QueryError> {
    let state = env.guard.anchored(p.id, || {
        shape(p, row.len()).map_or(Anchored::No, |_| Anchored::Asked(0))
    });
    let (slot, set) = match state {
        Anchored::No => return Ok(None),
        Anchored::Ready { slot, set } => (slot, set),
        Anchored::Asked(n) if n < AFTER => {
            env.guard.set_anchored(p.id, Anchored::Asked(n + 1));
            return Ok(None);
        }
        Anchored::Asked(_) => {
            let Some((node, anchor)) = shape(p, row.len()) else {
                return Ok(None);
            };
            let (slot, set) = (p.nodes[node].slot, Rc::new(matching_nodes(p, node, anchor, env)?));
            env.guard.set_anchored(p.id, Anchored::Ready { slot, set: set.clone() });
            (slot, set)
        }
    };
    Ok(match row.get(slot) {
        Some(Value::Node(n)) => Some(set.contains(*n)),
        _ => None,
    })
}

/// The position of the one node `p` reads from a row `width` wide and of
/// its anchor (a node whose properties give `id` as a constant), when `p`
/// reads nothing else from the row and has no conditions of its own.
fn shape(p: &PatternPlan, width: usize) -> Option<(usize, usize)> {
    let outer: Vec<usize> = (0..p.nodes.len()).filter(|&i| p.nodes[i].slot < width).collect();
    let node = *outer.first()?;
    if outer.iter().any(|&i| p.nodes[i].slot != p.nodes[node].slot) {
        return None;
    }
    let constant = |e: &PExpr| {
        let mut read = Vec::new();
        e.slots_read(&mut read) && read.is_empty()
    };
    let plain = p
        .rels
        .iter()
        .all(|r| r.slot >= width && r.props.as_ref().is_none_or(constant))
        && p.nodes.iter().all(|n| n.props.as_ref().is_none_or(constant))
        && p.path_slot.is_none_or(|s| s >= width)
        && p.filters.iter().all(Vec::is_empty)
        && p.join.is_none()
        && p.seek.is_none();
    if !plain {
        return None;
    }
    let anchor = (0..p.nodes.len()).find(|&i| {
        p.nodes[i].slot >= width
            && matches!(&p.nodes[i].props, Some(PExpr { kind: PKind::Map(entries), .. })
                if entries.iter().any(|(k, _)| &**k == "id"))
    })?;
    Some((node, anchor))
}

/// Every node at position `node` of `p` from which `p` has a match: `p`
/// matched once from `anchor`, the row's node given a slot of its own.
fn matching_nodes(p: &PatternPlan, node: usize, anchor: usize, env: &Env<'_>) -> Result<NodeSet, QueryError> {
    let mut q = p.clone();
    let own = q
        .nodes
        .iter()
        .map(|n| n.slot)
        .chain(q.rels.iter().map(|r| r.slot))
        .chain(q.path_slot)
        .max()
        .unwrap_or(0)
        + 1;
    let outer = p.nodes[node].slot;
    for n in &mut q.nodes {
        if n.slot == outer {
            n.slot = own;
        }
    }
    q.start = anchor;
    let mut seen = NodeSet::default();
    let patterns = [q];
    Matcher::new(env, &patterns, &[], own + 1).run(&mut |r| {
        if let Value::Node(n) = r[own] {
            seen.insert(n);
        }
        Ok(true)
    })?;
    Ok(seen)
}
