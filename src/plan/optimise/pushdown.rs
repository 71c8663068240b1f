//! Filtering early: a MATCH's WHERE is split at its top-level ANDs, and
//! each condition is checked as soon as the matcher has bound the
//! variables it reads, so a failed condition prunes the rest of the
//! expansion instead of being checked on every complete match. Conditions
//! keep their written order (a condition is never checked before one
//! written to its left), so a condition that would raise an error is
//! reached only when those to its left held, as with AND evaluated left to
//! right. One difference remains: a condition that is null prunes at once,
//! where AND would still evaluate the conditions to its right (whose
//! result could not make the row pass, but could raise an error).
//!
//! A part joined by a hash table (see [`super::order`]) is matched on its
//! own: only conditions on its own variables (and those bound before the
//! clause) are checked while building the table; conditions that also
//! read the rows it joins are checked on each joined row.

use super::order::{and_all, flatten_and};
use crate::plan::ops::{MatchOp, PExpr};

pub fn push_filters(m: &mut MatchOp, before: usize) {
    let Some(filter) = m.filter.take() else { return };
    let mut conjuncts = Vec::new();
    flatten_and(filter, &mut conjuncts);
    let mut residual: Vec<PExpr> = Vec::new();
    let mut at = (0, 0);
    for c in conjuncts {
        if !residual.is_empty() {
            residual.push(c);
            continue;
        }
        let mut used = Vec::new();
        match c.slots_read(&mut used).then(|| earliest(m, before, &used)).flatten() {
            Some(pos) => {
                at = at.max(pos);
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
