//! Symmetric counts (`Op::SymmetricCount`, run by
//! `eval/ops/symmetric_count.rs`): a first MATCH of one undirected hop
//! whose two ends ask for the same labels and nothing else, feeding only
//! an ungrouped count, `MATCH (a:L)-[:T]-(b:L) WHERE c(a, b) RETURN
//! count(*)`. Each relationship matches twice, once each way round (a
//! self-loop once), so it can be counted from its start's outgoing list
//! alone: one visit per relationship, the WHERE checked for (start, end)
//! and (end, start) with each node's values read once, where the matcher
//! visits every relationship from both ends (the second time through the
//! incoming list, whose far ends lie at random in the edge list).
//!
//! Taken only when there is a WHERE and each of its conditions reads both
//! nodes (`a.id < b.id`): without one, counting per node reads degrees
//! instead of visiting relationships, and a condition on one node alone
//! makes that node a selective start for the matcher's filtered scan.
//! And only when that count is Cypher's: the hop has no length, no
//! properties and no variable anything reads; the two node steps are
//! different variables with the same labels (as a set) and no
//! properties; every WHERE condition reads only the two nodes and
//! constants and cannot raise an error (so the order the two orientations
//! are checked in cannot show); the projection only counts rows
//! (`count(*)`), with no grouping key.

use crate::plan::ops::{MatchOp, Op};
use crate::store::Direction;

/// Replaces a first MATCH of that shape by `Op::SymmetricCount`.
pub fn choose(ops: &mut [Op]) {
    let [Op::Match(m), Op::Project(p), ..] = &*ops else {
        return;
    };
    if !symmetric(m) || p.is_key.iter().any(|k| *k) {
        return;
    }
    // Rows only counted: no node is bound in the row that stands for them.
    if crate::plan::rewrite::only_counts(p, &[]) {
        ops[0] = Op::SymmetricCount(m.clone());
    }
}

/// Whether `m` is one undirected hop between two node steps alike, with
/// WHERE conditions on those two nodes that cannot raise.
fn symmetric(m: &MatchOp) -> bool {
    if m.optional || m.filter.is_some() || m.patterns.len() != 1 {
        return false;
    }
    let pat = &m.patterns[0];
    let [a, b] = pat.nodes.as_slice() else {
        return false;
    };
    let [rel] = pat.rels.as_slice() else {
        return false;
    };
    let mut la = a.labels.clone();
    let mut lb = b.labels.clone();
    la.sort();
    la.dedup();
    lb.sort();
    lb.dedup();
    let ends = [a.slot, b.slot];
    rel.direction == Direction::Both
        && rel.var_len.is_none()
        && rel.props.is_none()
        && pat.path_slot.is_none()
        && pat.join.is_none()
        && pat.seek.is_none()
        && pat.top.is_none()
        && a.slot != b.slot
        && a.props.is_none()
        && b.props.is_none()
        && la == lb
        && pat.filters.iter().flatten().next().is_some()
        && pat.filters.iter().flatten().all(|c| {
            let mut read = Vec::new();
            c.slots_read(&mut read)
                && ends.iter().all(|s| read.contains(s))
                && read.iter().all(|s| ends.contains(s))
                && super::pushdown::cannot_raise(c, &ends)
        })
}
