//! Plan rewrites that keep a query's meaning and change its cost.
//!
//! **Counting per node.** `MATCH (r:Role)-[:REQUIRES]->(s:Skill)
//! RETURN s.name, count(r)` makes one row per relationship only to count
//! them per skill. When a one-hop MATCH is the first clause and the
//! aggregation after it groups on one end of the pattern and only counts
//! (non-DISTINCT `count(*)` or `count` of a pattern variable, never null
//! there), the matcher can instead count matches per node of that end and
//! hand each node over once, with its count as a weight.
//!
//! **Collecting distinct ends.** `MATCH (a:Role {id: 'r2'})-[:REQUIRES]->
//! (:Skill)<-[:REQUIRES]-(b:Role) WHERE b.id <> 'r2' RETURN count(DISTINCT b)`
//! needs only the set of nodes the last hop reaches, not a row for each of
//! the million matches. When a MATCH is the first clause, the aggregation
//! after it is only that count, the last hop is a single typed hop
//! without properties, and the conditions on its end compare a property
//! of it with a constant, the matcher takes that hop as a loop that marks
//! each end node in a set; the count then sees each node once.

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
    // A single node: conditions on it (pushed into the pattern) are
    // checked during the count; see `scan_per_node`.
    if pat.nodes.len() == 1 && pat.path_slot.is_none() && pat.nodes[0].props.is_none() {
        let n = pat.nodes[0].slot;
        let mut used = Vec::new();
        if only_counts(p, &[n]) && p.items.iter().all(|e| e.slots_read(&mut used)) && used.iter().all(|s| *s == n) {
            m.counted = Some(CountedExpand { group_node: 0 });
        }
        return;
    }
    if pat.filters.iter().any(|f| !f.is_empty()) {
        return;
    }
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
        if !e.slots_read(&mut used) {
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

pub fn distinct_end(ops: &mut [Op]) {
    let [Op::Match(m), Op::Project(p), ..] = ops else {
        return;
    };
    if m.optional || m.filter.is_some() || m.counted.is_some() || m.patterns.len() != 1 {
        return;
    }
    let pat = &m.patterns[0];
    let Some((ri, ni)) = pat.last_hop() else { return };
    let (rel, end) = (&pat.rels[ri], &pat.nodes[ni]);
    if pat.path_slot.is_some() || rel.var_len.is_some() || rel.props.is_some() || end.props.is_some() {
        return;
    }
    // The end's variable is bound only there.
    let x = end.slot;
    if pat.nodes.iter().enumerate().any(|(i, n)| i != ni && n.slot == x) {
        return;
    }
    // The projection: count(DISTINCT x), and nothing else read from rows.
    let counts_x = |a: &super::ops::AggSpec| {
        a.func == AggFunc::Count && a.distinct && matches!(&a.arg, Some(PExpr { kind: PKind::Slot(s), .. }) if *s == x)
    };
    if p.keep_input
        || p.sort_sees_input
        || p.is_key.iter().any(|k| *k)
        || !matches!(p.aggregates.as_slice(), [a] if counts_x(a))
    {
        return;
    }
    let mut read = Vec::new();
    if !p.items.iter().all(|e| e.slots_read(&mut read)) || !read.is_empty() {
        return;
    }
    // Conditions after the last hop: a property of x against a constant.
    let last = pat.filters.get(pat.rels.len()).map(Vec::as_slice).unwrap_or(&[]);
    if !last.iter().all(|c| c.prop_against_constant(x).is_some()) {
        return;
    }
    m.distinct_end = true;
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
