//! Lookups by id: a WHERE condition `n.id = x`, where `n` is a node of the
//! clause and `x` reads nothing the clause binds (a constant, a parameter,
//! a variable of an earlier clause) or only variables of other parts of the
//! clause, joins `n`'s properties as `{id: x}`, so that a part starting at
//! `n` looks the node up in the id index instead of scanning (and the
//! estimates count it as one node). A part whose properties read another
//! part's variables is ordered after it (see `order.rs`); such lookups
//! never chain (a part they look up from is not itself looked up from
//! another), so an order always exists. A node that already has an `id`
//! property keeps it and the condition.
//!
//! The value must be one that cannot raise an error (a constant or
//! parameter, a variable, a property of one): a lookup evaluates it before
//! the node's part is matched, where the condition alone would be
//! evaluated only on complete matches, so `c.id = left(a.name, 1)` over an
//! integer name must not raise when `c` has no candidate at all. Such a
//! condition stays in the WHERE (a hash join evaluates its keys only where
//! both sides have a match).

use super::order::{and_all, flatten_and};
use crate::plan::ops::{MatchOp, PExpr, PKind};
use crate::syntax::ast::BinaryOp;

pub fn ids_to_lookups(m: &mut MatchOp, before: usize) {
    let Some(filter) = m.filter.take() else { return };
    let mut conditions = Vec::new();
    flatten_and(filter, &mut conditions);
    let mut rest = Vec::with_capacity(conditions.len());
    // Parts looked up from other parts' variables, and those read.
    let mut targets: Vec<usize> = Vec::new();
    let mut sources: Vec<usize> = Vec::new();
    for c in conditions {
        let Some((slot, value)) = id_equality(m, &c, before).filter(|(_, v)| quiet(v)) else {
            rest.push(c);
            continue;
        };
        let Some(target) = m.patterns.iter().position(|p| p.nodes.iter().any(|n| n.slot == slot)) else {
            rest.push(c);
            continue;
        };
        let mut used = Vec::new();
        value.slots_read(&mut used);
        let read: Vec<usize> = used.iter().filter(|s| **s >= before).copied().collect();
        let from: Vec<usize> = (0..m.patterns.len())
            .filter(|i| {
                read.iter()
                    .any(|s| super::order::part_slots(&m.patterns[*i]).contains(s))
            })
            .collect();
        let local = from.contains(&target)
            || read.iter().any(|s| {
                !from
                    .iter()
                    .any(|i| super::order::part_slots(&m.patterns[*i]).contains(s))
            });
        let chains = sources.contains(&target) || from.iter().any(|i| targets.contains(i));
        if local || (!from.is_empty() && chains) {
            rest.push(c);
            continue;
        }
        let value = value.clone();
        if add_id(m, slot, &value) {
            if !from.is_empty() {
                targets.push(target);
                sources.extend(from);
            }
        } else {
            rest.push(c);
        }
    }
    m.filter = and_all(rest);
}

/// `slot.id = x` or `x = slot.id`, `x` not reading `slot` (nor anything
/// within a comprehension or pattern). When both sides are ids, the node
/// looked up is one whose part has no id lookup yet.
fn id_equality<'c>(m: &MatchOp, c: &'c PExpr, before: usize) -> Option<(usize, &'c PExpr)> {
    let PKind::Binary(BinaryOp::Eq, l, r) = &c.kind else {
        return None;
    };
    let mut found = Vec::new();
    for (a, b) in [(l, r), (r, l)] {
        if let PKind::Prop(base, key) = &a.kind
            && &**key == "id"
            && let PKind::Slot(s) = base.kind
            && s >= before
        {
            let mut used = Vec::new();
            if b.slots_read(&mut used) && !used.contains(&s) {
                found.push((s, &**b));
            }
        }
    }
    let has_lookup = |slot: usize| {
        m.patterns
            .iter()
            .find(|p| p.nodes.iter().any(|n| n.slot == slot))
            .is_some_and(|p| p.nodes.iter().any(has_id))
    };
    let first = found.first().copied();
    found.into_iter().find(|(s, _)| !has_lookup(*s)).or(first)
}

/// Whether evaluating `value` cannot raise an error: a constant (or a
/// parameter, bound as one), a variable, or a property of a variable.
fn quiet(value: &PExpr) -> bool {
    match &value.kind {
        PKind::Const(_) | PKind::Slot(_) => true,
        PKind::Prop(base, _) => matches!(base.kind, PKind::Slot(_)),
        _ => false,
    }
}

/// Whether a node's property map looks it up by `id` (one node, no scan).
pub(super) fn has_id(n: &crate::plan::ops::NodeStep) -> bool {
    matches!(&n.props, Some(PExpr { kind: PKind::Map(entries), .. }) if entries.iter().any(|(k, _)| &**k == "id"))
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
