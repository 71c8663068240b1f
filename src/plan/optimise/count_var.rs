//! `count(x)` of a variable that cannot be null is `count(*)`.
//!
//! `count(x)` counts the rows where `x` is not null. A node or
//! relationship variable that a non-optional MATCH's pattern names is
//! never null in that clause's rows: a match binds it to a graph element,
//! and a row that brought it in as null (from an earlier OPTIONAL MATCH)
//! matches nothing. Nothing between that MATCH and the projection that
//! counts may null it again: further MATCH clauses (OPTIONAL MATCH only
//! nulls its own new variables), WHERE filters and UNWIND leave the slots
//! they did not bind as they were. So `count(x)` there becomes
//! `count(*)`, and every counting strategy written for `count(*)` (per
//! node, per type, the last hop counted, a tree of hops multiplied out)
//! takes it too.
//!
//! Not rewritten: `count(DISTINCT x)` (it counts values, not rows), a
//! variable only an OPTIONAL MATCH binds, and anything across a WITH or
//! an editing clause (the walk back from the projection stops there).

use crate::plan::functions::AggFunc;
use crate::plan::ops::{Op, PExpr, PKind};

/// Rewrites, in every projection, `count(x)` of a never-null variable
/// into `count(*)`.
pub fn count_star(ops: &mut [Op]) {
    for i in 0..ops.len() {
        if !matches!(&ops[i], Op::Project(_)) {
            continue;
        }
        let never_null = bound_before(&ops[..i]);
        if never_null.is_empty() {
            continue;
        }
        let Op::Project(p) = &mut ops[i] else {
            continue;
        };
        for a in &mut p.aggregates {
            if a.func == AggFunc::Count
                && !a.distinct
                && matches!(&a.arg, Some(PExpr { kind: PKind::Slot(s), .. }) if never_null.contains(s))
            {
                a.arg = None;
            }
        }
    }
}

/// The slots of the rows reaching the end of `ops` that hold a node or
/// relationship a non-optional MATCH matched since the last projection.
fn bound_before(ops: &[Op]) -> Vec<usize> {
    let mut slots = Vec::new();
    for op in ops.iter().rev() {
        match op {
            Op::Match(m) => {
                if !m.optional {
                    for pat in &m.patterns {
                        slots.extend(pat.nodes.iter().map(|n| n.slot));
                        slots.extend(pat.rels.iter().map(|r| r.slot));
                    }
                }
            }
            Op::Filter(_) | Op::Unwind(_) => {}
            // A projection starts a new scope; an editing clause, or a
            // strategy another pass chose, ends what this pass knows.
            _ => break,
        }
    }
    slots
}
