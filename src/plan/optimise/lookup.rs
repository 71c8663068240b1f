//! Lookups by id: a WHERE condition `n.id = x`, where `n` is a node of the
//! clause and `x` reads nothing the clause binds (a constant, a parameter,
//! a variable of an earlier clause), joins `n`'s properties as `{id: x}`,
//! so that a part starting at `n` looks the node up in the id index
//! instead of scanning (and the estimates count it as one node). A node
//! that already has an `id` property keeps it and the condition.

use super::order::{and_all, flatten_and};
use crate::plan::ops::{MatchOp, PExpr, PKind};
use crate::syntax::ast::BinaryOp;

pub fn ids_to_lookups(m: &mut MatchOp, before: usize) {
    let Some(filter) = m.filter.take() else { return };
    let mut conditions = Vec::new();
    flatten_and(filter, &mut conditions);
    let mut rest = Vec::with_capacity(conditions.len());
    for c in conditions {
        match id_equality(&c, before) {
            Some((slot, value)) if add_id(m, slot, value) => {}
            _ => rest.push(c),
        }
    }
    m.filter = and_all(rest);
}

/// `slot.id = x` or `x = slot.id`, `x` reading only slots below `before`.
fn id_equality(c: &PExpr, before: usize) -> Option<(usize, &PExpr)> {
    let PKind::Binary(BinaryOp::Eq, l, r) = &c.kind else {
        return None;
    };
    for (a, b) in [(l, r), (r, l)] {
        if let PKind::Prop(base, key) = &a.kind
            && &**key == "id"
            && let PKind::Slot(s) = base.kind
            && s >= before
        {
            let mut used = Vec::new();
            if b.slots_read(&mut used) && used.iter().all(|u| *u < before) {
                return Some((s, b));
            }
        }
    }
    None
}

/// Adds `{id: value}` to the first node step bound to `slot`; false when
/// it has an `id` already, or properties that are not a map expression.
fn add_id(m: &mut MatchOp, slot: usize, value: &PExpr) -> bool {
    let Some(step) = m
        .patterns
        .iter_mut()
        .flat_map(|p| p.nodes.iter_mut())
        .find(|n| n.slot == slot)
    else {
        return false;
    };
    match &mut step.props {
        None => {
            step.props = Some(PExpr::new(PKind::Map(vec![("id".into(), value.clone())]), value.span));
            true
        }
        Some(PExpr {
            kind: PKind::Map(entries),
            ..
        }) if !entries.iter().any(|(k, _)| &**k == "id") => {
            entries.push(("id".into(), value.clone()));
            true
        }
        _ => false,
    }
}
