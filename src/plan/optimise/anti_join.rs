//! OPTIONAL MATCH kept only where it found nothing, as an anti-join:
//! `MATCH (r:Role) OPTIONAL MATCH (r)<-[:COLLABORATES_WITH]-(o:Role)
//! WITH r, o WHERE o IS NULL` keeps the rows for which the pattern has no
//! match, once each, with its variables null. A row with matches makes
//! rows whose `o` is a node, which the WITH's WHERE drops; so the OPTIONAL
//! MATCH can stop at a row's first match and make nothing, and make the
//! row of nulls only when there is none (`Op::AntiJoin`,
//! `eval/ops/anti_join.rs`), instead of making every match for the
//! projection to drop.
//!
//! It applies when the WITH right after the OPTIONAL MATCH does not
//! aggregate and has no SKIP or LIMIT (which would count the dropped
//! rows), its WHERE is `x IS NULL` for a node or relationship variable the
//! OPTIONAL MATCH binds (which a match makes non-null) and conditions that
//! cannot raise, its items and sort keys are variables or properties of
//! the clause's nodes and relationships, and the OPTIONAL MATCH's own
//! WHERE and property maps cannot raise either: no error the dropped rows
//! (or the matches after a row's first) would have raised is lost.

use super::order::flatten_and;
use super::pushdown::{cannot_raise, element_slots};
use crate::plan::ops::{MatchOp, Op, PExpr, PKind, ProjectOp};

/// Turns each OPTIONAL MATCH that qualifies (see the module's comment)
/// into an anti-join.
pub fn choose(ops: &mut [Op]) {
    for i in 0..ops.len().saturating_sub(1) {
        let (Op::Match(m), Op::Project(p)) = (&ops[i], &ops[i + 1]) else {
            continue;
        };
        if m.optional && qualifies(m, p) {
            let Op::Match(m) = std::mem::replace(&mut ops[i], Op::Parallel) else {
                unreachable!("matched above")
            };
            ops[i] = Op::AntiJoin(m);
        }
    }
}

fn qualifies(m: &MatchOp, p: &ProjectOp) -> bool {
    if !p.aggregates.is_empty() || p.skip.is_some() || p.limit.is_some() {
        return false;
    }
    let elements = element_slots(m, 0);
    let new_elements: Vec<usize> = elements.iter().copied().filter(|s| m.new_slots.contains(s)).collect();
    // The input slot a projected-row slot stands for, when it is one.
    let input_slot = |s: usize| match p.items.get(s) {
        Some(PExpr {
            kind: PKind::Slot(x), ..
        }) => Some(*x),
        Some(_) => None,
        None if p.keep_input => Some(s - p.items.len()),
        None => None,
    };
    let plain = |e: &PExpr| match &e.kind {
        PKind::Slot(_) => true,
        PKind::Prop(base, _) => matches!(base.kind, PKind::Slot(s) if elements.contains(&s)),
        _ => false,
    };
    if !p.items.iter().all(plain) || !p.order_by.iter().all(|k| plain(&k.expr)) {
        return false;
    }
    let Some(filter) = &p.filter else { return false };
    let mut conditions = Vec::new();
    flatten_and(filter.clone(), &mut conditions);
    // The projected row's positions holding the clause's nodes and
    // relationships (what `cannot_raise` may read properties of).
    let width = p.items.len() + if p.keep_input { m.width } else { 0 };
    let projected: Vec<usize> = (0..width)
        .filter(|&s| input_slot(s).is_some_and(|x| elements.contains(&x)))
        .collect();
    let is_null_of_new = |c: &PExpr| {
        matches!(&c.kind, PKind::IsNull(x, false)
            if matches!(x.kind, PKind::Slot(s) if input_slot(s).is_some_and(|x| new_elements.contains(&x))))
    };
    if !conditions.iter().any(is_null_of_new) || !conditions.iter().all(|c| cannot_raise(c, &projected)) {
        return false;
    }
    let mut own = Vec::new();
    if let Some(f) = &m.filter {
        flatten_and(f.clone(), &mut own);
    }
    let constant_map = |e: &Option<PExpr>| match e {
        None => true,
        Some(PExpr {
            kind: PKind::Map(entries),
            ..
        }) => entries.iter().all(|(_, v)| matches!(v.kind, PKind::Const(_))),
        Some(_) => false,
    };
    own.iter().all(|c| cannot_raise(c, &elements))
        && m.patterns.iter().all(|pat| {
            pat.filters.iter().flatten().all(|c| cannot_raise(c, &elements))
                && pat.nodes.iter().all(|n| constant_map(&n.props))
                && pat.rels.iter().all(|r| constant_map(&r.props))
                && pat
                    .join
                    .as_ref()
                    .is_none_or(|j| j.after.iter().all(|c| cannot_raise(c, &elements)))
        })
}
