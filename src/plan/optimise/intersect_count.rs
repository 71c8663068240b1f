//! Counting a cycle's closing hops by intersection: when a MATCH (not
//! optional) feeds a projection that only counts, and the last hop the
//! matcher takes returns to a node bound before it (it closes a cycle,
//! as in `(a)-->(b)-->(c)-->(a)`), the last two hops are counted together
//! (`Op::IntersectCount`, run by `eval/ops/count_expand.rs`).
//!
//! The node between them (`c`) must be a neighbour of the node the first
//! of the two leaves (`b`) and of the bound node (`a`): the bound node's
//! neighbours along the closing hop are listed once, sorted, and each
//! neighbour of `b` is looked up there. Nothing is bound for `c` or the
//! two relationships; one row, weighted by the number of matches, stands
//! for them all.
//!
//! It applies when nothing reads the middle node or the two relationships
//! (no grouping key, no count of them, no condition, no path), the middle
//! node is this clause's own and appears once, neither it nor the closing
//! position has a property map, and the two hops are single hops without
//! property maps. Relationship uniqueness is kept exactly: each counted
//! pair of relationships is checked against the ones the match has used
//! and against each other when it runs.

use crate::plan::ops::{MatchOp, Op, PatternPlan, ProjectOp};

/// Replaces each qualifying MATCH followed by its projection by
/// [`Op::IntersectCount`].
pub fn choose(ops: &mut [Op]) {
    for i in 0..ops.len().saturating_sub(1) {
        if let [Op::Match(m), Op::Project(p), ..] = &ops[i..]
            && closes_counted(m, p)
        {
            ops[i] = Op::IntersectCount(m.clone());
        }
    }
}

/// The last two hops the matcher takes in `pat` (it expands rightwards
/// from the start node, then leftwards), each as (relationship step, node
/// it reaches), when they follow one another.
pub fn last_two_hops(pat: &PatternPlan) -> Option<[(usize, usize); 2]> {
    let l = pat.rels.len();
    match pat.start {
        0 if l >= 2 => Some([(l - 2, l - 1), (l - 1, l)]),
        s if s >= 2 => Some([(1, 1), (0, 0)]),
        _ => None,
    }
}

fn closes_counted(m: &MatchOp, p: &ProjectOp) -> bool {
    if m.optional || m.filter.is_some() {
        return false;
    }
    let Some(pat) = m.patterns.last() else {
        return false;
    };
    let Some([(r1, mid), (r2, end)]) = last_two_hops(pat) else {
        return false;
    };
    if pat.join.is_some() || pat.path_slot.is_some() {
        return false;
    }
    let (h1, h2) = (&pat.rels[r1], &pat.rels[r2]);
    if [h1, h2].iter().any(|h| h.var_len.is_some() || h.props.is_some()) {
        return false;
    }
    let (mid_n, end_n) = (&pat.nodes[mid], &pat.nodes[end]);
    if mid_n.props.is_some() || end_n.props.is_some() || mid_n.slot == end_n.slot {
        return false;
    }
    // Conditions checked once the middle node or the closing hop is bound.
    let l = pat.rels.len();
    if pat.filters.iter().skip(l - 1).any(|f| !f.is_empty()) {
        return false;
    }
    let node_uses = |s: usize| {
        m.patterns
            .iter()
            .flat_map(|q| q.nodes.iter())
            .filter(|n| n.slot == s)
            .count()
    };
    let rel_uses = |s: usize| {
        m.patterns
            .iter()
            .flat_map(|q| q.rels.iter())
            .filter(|r| r.slot == s)
            .count()
    };
    let own = |s: usize| m.new_slots.contains(&s);
    // The middle node and both relationships are bound only there; the
    // closing end is bound before (an input, or another position: every
    // other position is matched before the last hop).
    if !own(mid_n.slot) || node_uses(mid_n.slot) != 1 {
        return false;
    }
    if [h1.slot, h2.slot].iter().any(|&s| !own(s) || rel_uses(s) != 1) || h1.slot == h2.slot {
        return false;
    }
    if own(end_n.slot) && node_uses(end_n.slot) < 2 {
        return false;
    }
    let unbound = [mid_n.slot, h1.slot, h2.slot];
    let mut never_null: Vec<usize> = m
        .patterns
        .iter()
        .flat_map(|q| q.nodes.iter().map(|n| n.slot).chain(q.rels.iter().map(|r| r.slot)))
        .filter(|s| !unbound.contains(s))
        .collect();
    never_null.sort_unstable();
    never_null.dedup();
    crate::plan::rewrite::weighted_aggregates(p, &never_null)
        && crate::plan::rewrite::weighted_reads(p, &never_null)
            .is_some_and(|read| !read.iter().any(|s| unbound.contains(s)))
}
