//! Filtering early: a MATCH's WHERE is split at its top-level ANDs, and
//! each condition is checked as soon as the matcher has bound the
//! variables it reads, so a failed condition prunes the rest of the
//! expansion instead of being checked on every complete match. A condition
//! that may raise an error keeps its written order (it is never checked
//! before one written to its left, nor one to its right before it), so it
//! is reached only when those to its left held, as with AND evaluated left
//! to right. A condition that cannot raise (a comparison or string test of
//! properties and constants, say) is checked as soon as its variables are
//! bound, even before conditions to its left that cannot raise either: a
//! filter on the start node prunes there whatever is written before it.
//! One difference remains: a condition that is null prunes at once,
//! where AND would still evaluate the conditions to its right (whose
//! result could not make the row pass, but could raise an error).
//!
//! A part joined by a hash table (see [`super::order`]) is matched on its
//! own: only conditions on its own variables (and those bound before the
//! clause) are checked while building the table; conditions that also
//! read the rows it joins are checked on each joined row.

use super::order::{and_all, flatten_and};
use crate::plan::ops::{MatchOp, PExpr, PKind};
use crate::syntax::ast::BinaryOp;

/// Starts the first pattern part of `m` at its node `ni`, placing the
/// clause's conditions again for that start (an optimiser pass that moves
/// a start after the join order was chosen).
pub fn restart_at(m: &mut MatchOp, ni: usize) {
    let before = m.new_slots.first().copied().unwrap_or(m.width);
    let mut conditions: Vec<PExpr> = m.patterns[0].filters.drain(..).flatten().collect();
    conditions.extend(m.filter.take());
    m.filter = and_all(conditions);
    m.patterns[0].start = ni;
    m.patterns[0].want = None;
    push_filters(m, before);
}

pub fn push_filters(m: &mut MatchOp, before: usize) {
    let Some(filter) = m.filter.take() else { return };
    let mut conjuncts = Vec::new();
    flatten_and(filter, &mut conjuncts);
    let mut residual: Vec<PExpr> = Vec::new();
    let elements = element_slots(m, before);
    // Where the conditions placed so far are checked, the latest of all
    // and the latest of those that may raise an error.
    let mut latest = (0, 0);
    let mut latest_raising = (0, 0);
    for c in conjuncts {
        if !residual.is_empty() {
            residual.push(c);
            continue;
        }
        let mut used = Vec::new();
        match c.slots_read(&mut used).then(|| earliest(m, before, &used)).flatten() {
            Some(pos) => {
                // A condition that cannot raise may be checked before
                // others to its left that cannot either: which of them
                // prunes a match first changes nothing else.
                let safe = cannot_raise(&c, &elements);
                let mut at = pos.max(if safe { latest_raising } else { latest });
                // A condition kept after one to its right may land in a
                // joined part's own matching, which sees only its own
                // variables: one reading earlier parts waits for the join.
                let part = &m.patterns[at.0];
                if part.join.is_some() && at.1 <= part.rels.len() {
                    let own = super::order::part_slots(part);
                    if !used.iter().all(|s| *s < before || own.contains(s)) {
                        at.1 = part.rels.len() + 1;
                    }
                }
                latest = latest.max(at);
                if !safe {
                    latest_raising = latest_raising.max(at);
                }
                let p = &mut m.patterns[at.0];
                if at.1 > p.rels.len()
                    && let Some(join) = &mut p.join
                {
                    join.after.push(c);
                    continue;
                }
                if p.filters.is_empty() {
                    p.filters = vec![Vec::new(); p.rels.len() + 1];
                }
                p.filters[at.1].push(c);
            }
            None => residual.push(c),
        }
    }
    m.filter = and_all(residual);
}

/// The slots the clause binds to a node or to one relationship (not a
/// list of them, nor a path): reading a property of one cannot fail.
pub(crate) fn element_slots(m: &MatchOp, before: usize) -> Vec<usize> {
    let nodes = m.patterns.iter().flat_map(|p| p.nodes.iter().map(|n| n.slot));
    let rels = m
        .patterns
        .iter()
        .flat_map(|p| p.rels.iter().filter(|r| r.var_len.is_none()).map(|r| r.slot));
    nodes.chain(rels).filter(|s| *s >= before).collect()
}

/// Whether evaluating condition `c` can never raise an error: comparisons,
/// string predicates, `IN` a list, `IS [NOT] NULL` and label tests over
/// constants and properties of `elements`, and AND/OR/XOR/NOT of such
/// conditions (openCypher makes an incomparable pair null, not an error).
pub(crate) fn cannot_raise(c: &PExpr, elements: &[usize]) -> bool {
    use crate::plan::ops::PKind;
    use crate::syntax::ast::BinaryOp as B;
    let value = |e: &PExpr| match &e.kind {
        PKind::Const(_) => true,
        PKind::Slot(s) => elements.contains(s),
        PKind::Prop(base, _) => matches!(base.kind, PKind::Slot(s) if elements.contains(&s)),
        _ => false,
    };
    match &c.kind {
        PKind::Binary(
            B::Eq | B::Ne | B::Lt | B::Le | B::Gt | B::Ge | B::StartsWith | B::EndsWith | B::Contains,
            l,
            r,
        ) => value(l) && value(r),
        PKind::Binary(B::In, l, r) => {
            value(l)
                && match &r.kind {
                    PKind::Const(v) => matches!(v, crate::value::Value::List(_)),
                    PKind::List(items) => items.iter().all(value),
                    _ => false,
                }
        }
        PKind::Binary(B::And | B::Or | B::Xor, l, r) => cannot_raise(l, elements) && cannot_raise(r, elements),
        PKind::Not(x) => cannot_raise(x, elements),
        PKind::IsNull(x, _) => value(x) || cannot_raise(x, elements),
        PKind::HasLabels(x, _) => matches!(x.kind, PKind::Slot(s) if elements.contains(&s)),
        _ => false,
    }
}

/// The first (pattern, hops) after which every slot in `used` is bound,
/// following the matcher's order: patterns left to right; in each, the
/// start node, then hops rightwards, then leftwards. Paths are bound only
/// at the end of their pattern, so conditions on them stay in the WHERE.
/// A joined part's own matching sees only its slots and those bound
/// before the clause; `(pattern, hops + 1)` is the point after its join.
fn earliest(m: &MatchOp, before: usize, used: &[usize]) -> Option<(usize, usize)> {
    let mut bound: Vec<usize> = (0..before).collect();
    for (pi, p) in m.patterns.iter().enumerate() {
        let mut local = if p.join.is_some() {
            (0..before).collect()
        } else {
            bound.clone()
        };
        local.push(p.nodes[p.start].slot);
        let right = p.rels.len() - p.start;
        for k in 0..=p.rels.len() {
            if k > 0 {
                let si = k - 1;
                let (ri, to) = if si < right {
                    (p.start + si, p.start + si + 1)
                } else {
                    let ri = p.start - 1 - (si - right);
                    (ri, ri)
                };
                local.push(p.rels[ri].slot);
                local.push(p.nodes[to].slot);
            }
            if used.iter().all(|s| local.contains(s)) {
                return Some((pi, k));
            }
        }
        local.extend(p.path_slot);
        if p.join.is_some() {
            bound.extend(local);
            if used.iter().all(|s| bound.contains(s)) {
                return Some((pi, p.rels.len() + 1));
            }
        } else {
            bound = local;
        }
    }
    None
}

/// The conjuncts of `conditions` (each split at AND), each with the slots
/// it reads, sorted and without repeats; `None` when one reads something
/// other than slots (a subquery, a pattern), which the callers do not
/// place. Conjuncts come in the order a stack of them pops.
pub fn conjuncts(mut conditions: Vec<&PExpr>) -> Option<Vec<(&PExpr, Vec<usize>)>> {
    let mut out = Vec::new();
    while let Some(c) = conditions.pop() {
        if let PKind::Binary(BinaryOp::And, l, r) = &c.kind {
            conditions.push(l);
            conditions.push(r);
            continue;
        }
        let mut read = Vec::new();
        if !c.slots_read(&mut read) {
            return None;
        }
        read.sort_unstable();
        read.dedup();
        out.push((c, read));
    }
    Some(out)
}
