//! Plan rewrites that keep a query's meaning and change its cost.
//!
//! **Counting per node.** `MATCH (r:Role)-[:REQUIRES]->(s:Skill)
//! RETURN s.name, count(r)` makes one row per relationship only to count
//! them per skill. When a one-hop MATCH is the first clause and the
//! aggregation after it groups on one end of the pattern and only counts
//! (non-DISTINCT `count(*)` or `count` of a pattern variable, never null
//! there), the matcher can instead count matches per node of that end and
//! hand each node over once, with its count as a weight.

use super::ops::{CountedExpand, Op, PExpr, PKind, ProjectOp};
use crate::plan::functions::AggFunc;

pub fn count_per_node(ops: &mut [Op]) {
    let [Op::Match(m), Op::Project(p), ..] = ops else {
        return;
    };
    if m.optional || m.filter.is_some() || m.patterns.len() != 1 {
        return;
    }
    let pat = &m.patterns[0];
    if pat.nodes.len() != 2 || pat.rels.len() != 1 || pat.path_slot.is_some() {
        return;
    }
    let rel = &pat.rels[0];
    if rel.var_len.is_some() || rel.props.is_some() || pat.nodes.iter().any(|n| n.props.is_some()) {
        return;
    }
    let (n0, n1) = (pat.nodes[0].slot, pat.nodes[1].slot);
    if n0 == n1 || !only_counts(p, &[n0, n1, rel.slot]) {
        return;
    }
    // Which end do the projected items read? (Neither: any end will do.)
    let mut used = Vec::new();
    for e in &p.items {
        if !slots(e, &mut used) {
            return;
        }
    }
    let group_node = match (used.contains(&n0), used.contains(&n1)) {
        (true, true) => return,
        (true, false) => 0,
        (false, true) => 1,
        (false, false) => pat.start,
    };
    if used.iter().any(|s| *s != n0 && *s != n1) {
        return;
    }
    m.counted = Some(CountedExpand { group_node });
}

/// Every aggregate is a non-DISTINCT count of all rows or of one of
/// `never_null`, and the projection needs no input row past grouping.
fn only_counts(p: &ProjectOp, never_null: &[usize]) -> bool {
    !p.aggregates.is_empty()
        && !p.keep_input
        && !p.sort_sees_input
        && p.aggregates.iter().all(|a| {
            a.func == AggFunc::Count
                && !a.distinct
                && match &a.arg {
                    None => true,
                    Some(PExpr {
                        kind: PKind::Slot(s), ..
                    }) => never_null.contains(s),
                    Some(_) => false,
                }
        })
}

/// Adds the row slots `e` reads to `out`; false when `e` holds a construct
/// that binds slots of its own (comprehensions, pattern predicates), which
/// this rewrite does not look into.
fn slots(e: &PExpr, out: &mut Vec<usize>) -> bool {
    match &e.kind {
        PKind::Const(_) | PKind::Agg(_) => true,
        PKind::Slot(s) => {
            out.push(*s);
            true
        }
        PKind::Prop(b, _) | PKind::HasLabels(b, _) | PKind::Not(b) | PKind::Neg(b) | PKind::IsNull(b, _) => {
            slots(b, out)
        }
        PKind::RegexConst(b, _) => slots(b, out),
        PKind::Index(a, b) | PKind::Binary(_, a, b) => slots(a, out) && slots(b, out),
        PKind::Slice(a, b, c) => {
            slots(a, out) && b.as_deref().is_none_or(|x| slots(x, out)) && c.as_deref().is_none_or(|x| slots(x, out))
        }
        PKind::List(items) | PKind::Call(_, items) => items.iter().all(|x| slots(x, out)),
        PKind::Map(entries) => entries.iter().all(|(_, v)| slots(v, out)),
        PKind::Case { operand, whens, else_ } => {
            operand.as_deref().is_none_or(|x| slots(x, out))
                && whens.iter().all(|(w, t)| slots(w, out) && slots(t, out))
                && else_.as_deref().is_none_or(|x| slots(x, out))
        }
        PKind::ListComp { .. } | PKind::Quantified { .. } | PKind::PatternExists(_) | PKind::PatternComp { .. } => {
            false
        }
    }
}
