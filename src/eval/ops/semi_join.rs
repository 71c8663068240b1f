//! `EXISTS { MATCH ... }` as a semi-join on a set made once (planned by
//! `plan/optimise/decorrelate.rs`): the subquery's MATCH is matched with
//! the row's node left free, from wherever it is most selective, and the
//! nodes it binds there are every node the subquery holds for. Each row
//! then asks whether its node is in the set.
//!
//! Rows are answered one by one (matching from the row's node) until the
//! work they took, by the plan's estimate, would have paid for matching
//! once (`SemiJoin::rows_before`); then the set is made. A statement with
//! few rows never makes it. The set lives in the execution context by
//! `SemiJoin::id`; the graph cannot change while the section that asks
//! runs (an update ends a section, see `pipeline.rs`).

use std::rc::Rc;

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::eval::pipeline::stream;
use crate::eval::profile::Probe;
use crate::plan::ops::{PExpr, PKind, SemiJoin};
use crate::store::NodeSet;
use crate::value::Value;

/// Where a semi-join stands in an execution.
#[derive(Debug, Clone)]
pub enum SemiState {
    /// Rows answered one by one so far.
    Asked(u64),
    /// The nodes the subquery holds for.
    Ready(Rc<NodeSet>),
}

/// Whether the subquery holds for `node` (the row's value of the node it
/// imports), from the set once it is made; `None` while rows are still
/// answered one by one, or for a value that is neither a node nor null.
pub(in crate::eval) fn member(s: &SemiJoin, env: &Env<'_>, node: &Value) -> Result<Option<bool>, QueryError> {
    let set = match env.guard.semi_join(s.id) {
        SemiState::Ready(set) => set,
        SemiState::Asked(n) if n < s.rows_before() => {
            env.guard.set_semi_join(s.id, SemiState::Asked(n + 1));
            return Ok(None);
        }
        SemiState::Asked(_) => made(s, env)?,
    };
    Ok(match node {
        Value::Node(n) => Some(set.contains(*n)),
        // No node to match from: the subquery has no row.
        Value::Null => Some(false),
        _ => None,
    })
}

/// The set of a `[NOT] EXISTS { ... }` condition on the node in row slot
/// `slot`, and whether the condition is negated, for a caller about to
/// ask it for `rows` rows at once (a scan that checks each node against
/// the set instead of evaluating the condition): when the condition is
/// one answered from a set (`SubqueryPlan::once`, importing that slot
/// only) and the set is made, or the rows asked so far with these would
/// pay for making it (it is made now). `None` otherwise: the rows are
/// then asked one by one.
pub(in crate::eval) fn node_set(
    c: &PExpr,
    slot: usize,
    env: &Env<'_>,
    rows: u64,
) -> Result<Option<(Rc<NodeSet>, bool)>, QueryError> {
    let (negated, sub) = match &c.kind {
        PKind::Not(inner) => match &inner.kind {
            PKind::Exists(sub) => (true, sub),
            _ => return Ok(None),
        },
        PKind::Exists(sub) => (false, sub),
        _ => return Ok(None),
    };
    let (Some(once), [imported]) = (&sub.once, sub.imports.as_slice()) else {
        return Ok(None);
    };
    if *imported != slot {
        return Ok(None);
    }
    let set = match env.guard.semi_join(once.id) {
        SemiState::Ready(set) => set,
        SemiState::Asked(n) if n.saturating_add(rows) < once.rows_before() => return Ok(None),
        SemiState::Asked(_) => made(once, env)?,
    };
    Ok(Some((set, negated)))
}

/// Makes the set of `s` and keeps it in the execution context.
fn made(s: &SemiJoin, env: &Env<'_>) -> Result<Rc<NodeSet>, QueryError> {
    let set = Rc::new(matching_nodes(s, env)?);
    env.guard.note_made(s.id, set.len() as u64);
    env.guard.set_semi_join(s.id, SemiState::Ready(set.clone()));
    Ok(set)
}

/// The nodes the free match binds at slot 0.
fn matching_nodes(s: &SemiJoin, env: &Env<'_>) -> Result<NodeSet, QueryError> {
    let mut seen = NodeSet::default();
    seen.reserve_nodes(env.graph.node_bound());
    stream(&s.ops, 0, &[], env, Probe::default(), &mut |r| {
        if let Some(Value::Node(n)) = r.first() {
            seen.insert(*n);
        }
        Ok(true)
    })?;
    Ok(seen)
}
