//! Distinct starts: a first MATCH of one part whose rows feed only
//! aggregates that see each value once (DISTINCT ones, `min`, `max`),
//! reading nothing but one end node of the pattern, needs only to know
//! which nodes of that end have a match at all: each one's matching can
//! stop at its first match (`Op::DistinctStarts`, run by
//! `eval/ops/distinct_starts.rs`). `MATCH (t:Team)<-[:WORKS_WITH]-(r:Role)
//! -[:LEADS]->(u:Team) WHERE t <> u RETURN count(DISTINCT t)` asks, per
//! team, for one role working with it that leads another team.
//!
//! The end read must be where the match starts, or the match is started
//! from it (its conditions pushed down again, as
//! `rewrite::distinct_end` does): then the rows come in another order,
//! so only when that changes nothing (one group, and only counts, minima
//! and maxima). The start is its label's scan (no index seek, no
//! properties in the pattern), and the last hop's conditions are checked
//! as it marks nodes (`distinct_pairs::last_hop_checkable`).
//!
//! It is chosen when the cost model expects at least two matches a start
//! node: below that, stopping early saves little.

use crate::plan::functions::AggFunc;
use crate::plan::ops::{AggSpec, MatchOp, Op, ProjectOp};
use crate::store::Graph;

/// Replaces the first MATCH by [`Op::DistinctStarts`] when it qualifies.
pub fn choose(ops: &mut [Op], graph: &Graph) {
    let [Op::Match(m), Op::Project(p), ..] = &*ops else {
        return;
    };
    if let Some(m) = starts_suffice(m, p, graph) {
        ops[0] = Op::DistinctStarts(m);
    }
}

/// The clause, started from the node read if need be, when it qualifies.
fn starts_suffice(m: &MatchOp, p: &ProjectOp, graph: &Graph) -> Option<MatchOp> {
    let [pat] = m.patterns.as_slice() else {
        return None;
    };
    if m.optional
        || m.filter.is_some()
        || pat.rels.is_empty()
        || pat.join.is_some()
        || pat.path_slot.is_some()
        || pat.seek.is_some()
        || pat.top.is_some()
    {
        return None;
    }
    let once = |a: &AggSpec| match a.distinct {
        true => a.percentile.is_none() && a.arg.is_some(),
        false => matches!(a.func, AggFunc::Min | AggFunc::Max),
    };
    if p.aggregates.is_empty() || p.keep_input || p.sort_sees_input || !p.aggregates.iter().all(once) {
        return None;
    }
    let mut read = Vec::new();
    let readable = p.items.iter().all(|e| e.slots_read(&mut read))
        && p.aggregates
            .iter()
            .all(|a| a.arg.as_ref().is_none_or(|e| e.slots_read(&mut read)));
    read.sort_unstable();
    read.dedup();
    let (true, &[v]) = (readable, read.as_slice()) else {
        return None;
    };
    let own = |slot: usize| m.new_slots.contains(&slot) && pat.nodes.iter().filter(|n| n.slot == slot).count() == 1;
    if !own(v) {
        return None;
    }
    let at = pat.nodes.iter().position(|n| n.slot == v)?;
    let last = pat.nodes.len() - 1;
    let started = if at == pat.start {
        m.clone()
    } else {
        // Started from the node read: the rows' order changes.
        let order_free = p.is_key.iter().all(|k| !k)
            && p.aggregates
                .iter()
                .all(|a| matches!(a.func, AggFunc::Count | AggFunc::Min | AggFunc::Max));
        if !order_free || (at != 0 && at != last) {
            return None;
        }
        let mut flipped = m.clone();
        let before = m.new_slots.first().copied().unwrap_or(m.width);
        let mut conditions: Vec<_> = flipped.patterns[0].filters.drain(..).flatten().collect();
        conditions.extend(flipped.filter.take());
        flipped.filter = super::order::and_all(conditions);
        flipped.patterns[0].start = at;
        super::pushdown::push_filters(&mut flipped, before);
        if flipped.filter.is_some() {
            return None;
        }
        flipped
    };
    let pat = &started.patterns[0];
    let (ri, ni) = pat.last_hop()?;
    let (rel, end, start) = (&pat.rels[ri], &pat.nodes[ni], &pat.nodes[pat.start]);
    if rel.var_len.is_some()
        || rel.props.is_some()
        || end.props.is_some()
        || start.props.is_some()
        || start.labels.len() != 1
        || end.slot == start.slot
        || !super::distinct_pairs::last_hop_checkable(pat)
    {
        return None;
    }
    let (est, rows) = super::distinct_pairs::first_part_rows(&started, graph);
    (rows >= 2.0 * est.label_rows(start)).then_some(started)
}
