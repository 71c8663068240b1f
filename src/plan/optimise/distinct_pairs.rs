//! Distinct pairs: a first MATCH of one part, two hops or more, whose
//! rows feed only aggregates that see each value once (DISTINCT ones,
//! `min`, `max`) and grouping keys, all reading nothing but the node the
//! match starts from and the node its last hop reaches, makes each such
//! pair of nodes once (`Op::DistinctPairs`, run by
//! `eval/ops/distinct_ends.rs`). `MATCH (t:Team)<-[:WORKS_WITH]-(r:Role)
//! -[:FOCUSES_ON]->(f:Focus) WITH t, collect(DISTINCT f.name)` needs each
//! (team, focus) pair once, not once per role joining them.
//!
//! From each node of the start's label scan, the nodes the last hop
//! reaches are marked in a set (as `Op::DistinctEnds` does for all
//! starts together) and a row is made per node marked. Rows that repeat
//! a pair change none of these aggregates (a DISTINCT aggregate, a
//! minimum or a maximum sees the same values either way), and nothing
//! else reads the nodes and relationships between.
//!
//! Pair counts (`Op::PairCounts`): each pair's row weighted by its number
//! of matches, so counts, sums, averages, minima and maxima
//! (`rewrite::weighted_aggregates`) grouped by both nodes are served too: `MATCH (a:Skill)<-[:REQUIRES]-
//! (r:Role)-[:REQUIRES]->(b:Skill) WHERE a.id < b.id RETURN a.id, b.id,
//! count(*)` groups one weighted row per pair of skills, and the WHERE,
//! reading the end and the start, is checked as the last hop marks.
//!
//! A part the join order starts in the middle of a chain is tried from
//! either end too (when that costs at most twice as much). Grouped by the
//! start alone, a `count(DISTINCT x)` or `collect(DISTINCT x)` of the end
//! node needs no set per group (each pair comes once:
//! `AggSpec::distinct_given`), and such pairs are made even when they do
//! not repeat: `MATCH (x:Responsibility)<-[:RESPONSIBLE_FOR]-(r:Role)
//! -[:REPORTS_TO]->(m:Role) RETURN x.id, count(DISTINCT m)` counts each
//! responsibility's pairs. A two-hop part with labels only to check is
//! walked without the matcher (`eval/ops/pair_walk.rs`), through the
//! middle nodes when most of them are visited anyway.
//!
//! It is chosen when the cost model expects the rows to repeat pairs:
//! at least twice as many rows as pairs can exist (start nodes times the
//! end's label), and four rows a start node (each start runs the match
//! once with its own set); with weights, the four rows a start suffice.

use super::cost::Estimator;
use crate::plan::functions::AggFunc;
use crate::plan::ops::{MatchOp, Op, PKind, ProjectOp};
use crate::store::Graph;

/// Replaces the first MATCH by [`Op::DistinctPairs`] or [`Op::PairCounts`] when it qualifies.
///
/// The pairs are those of the part's start and last hop's end: a part
/// that the join order starts elsewhere (in the middle of a chain) is
/// tried started at either end as well, the order chosen first.
pub fn choose(ops: &mut [Op], graph: &Graph) {
    let [Op::Match(m), Op::Project(p), ..] = &mut *ops else {
        return;
    };
    let mut tried = vec![m.clone()];
    if let [pat] = m.patterns.as_slice()
        && pat.rels.len() >= 2
        && pat.rels.iter().all(|r| r.var_len.is_none())
    {
        for end in [0, pat.nodes.len() - 1] {
            if end != pat.start {
                let mut again = m.clone();
                super::pushdown::restart_at(&mut again, end);
                tried.push(again);
            }
        }
    }
    let planned = first_part_cost(&tried[0], graph);
    // Restarted: only where matching from the end costs at most twice
    // the order chosen.
    tried.retain(|m| first_part_cost(m, graph) <= 2.0 * planned);
    // A start whose groups need no DISTINCT sets first; then the first
    // start (the order chosen before the others) whose pairs repeat.
    let givens = |m: &MatchOp| gives_distinct(m, p);
    let chosen = tried
        .iter()
        .position(|m| givens(m) && pairs_suffice(m, p, graph, true) == Some(true))
        .map(|i| (i, true))
        .or_else(|| {
            tried
                .iter()
                .position(|m| pairs_suffice(m, p, graph, false).is_some())
                .map(|i| (i, false))
        });
    let Some((i, given)) = chosen else {
        return;
    };
    let m = tried.swap_remove(i);
    let once = given || pairs_suffice(&m, p, graph, false) == Some(true);
    if given {
        given_distinct(&m, p);
    }
    ops[0] = if once { Op::DistinctPairs(m) } else { Op::PairCounts(m) };
}

/// Whether pairs started as `m` starts give some DISTINCT aggregate of
/// `p` (see [`given_distinct`]): the grouping keys read the start alone,
/// and a DISTINCT count or list takes the end node itself.
fn gives_distinct(m: &MatchOp, p: &ProjectOp) -> bool {
    let [pat] = m.patterns.as_slice() else {
        return false;
    };
    let Some((_, ni)) = pat.last_hop() else {
        return false;
    };
    let (s, x) = (pat.nodes[pat.start].slot, pat.nodes[ni].slot);
    let keys_on_start = p.items.iter().zip(&p.is_key).filter(|(_, k)| **k).all(|(e, _)| {
        let mut read = Vec::new();
        e.slots_read(&mut read) && read.iter().all(|r| *r == s)
    });
    let keyed = p.is_key.iter().any(|k| *k);
    keyed
        && keys_on_start
        && p.aggregates.iter().any(|a| {
            a.distinct
                && matches!(a.func, AggFunc::Count | AggFunc::Collect)
                && matches!(a.arg.as_ref().map(|e| &e.kind), Some(PKind::Slot(v)) if *v == x)
        })
}

/// Marks the DISTINCT counts and collects of the end node itself as
/// given by the pairs (`AggSpec::distinct_given`): each (start, end) pair
/// comes once, so a group that is one start node sees each end once.
fn given_distinct(m: &MatchOp, p: &mut ProjectOp) {
    let Some((pat, (_, ni))) = m.patterns.first().and_then(|pat| Some((pat, pat.last_hop()?))) else {
        return;
    };
    let (s, x) = (pat.nodes[pat.start].slot, pat.nodes[ni].slot);
    for a in &mut p.aggregates {
        let of_end = matches!(a.arg.as_ref().map(|e| &e.kind), Some(PKind::Slot(v)) if *v == x);
        if a.distinct && of_end && matches!(a.func, AggFunc::Count | AggFunc::Collect) {
            a.distinct_given = Some(s);
        }
    }
}

/// Whether the pairs serve: `Some(true)` made once each (the aggregates
/// see each value once), `Some(false)` counted (`Op::PairCounts`).
///
/// With `given` (pairs whose groups need no DISTINCT sets, see
/// [`gives_distinct`]), pairs made once need not repeat to pay: a mark
/// per match costs less than a set lookup per row.
fn pairs_suffice(m: &MatchOp, p: &ProjectOp, graph: &Graph, given: bool) -> Option<bool> {
    let [pat] = m.patterns.as_slice() else {
        return None;
    };
    if m.optional
        || m.filter.is_some()
        || pat.rels.len() < 2
        || pat.join.is_some()
        || pat.path_slot.is_some()
        || pat.seek.is_some()
        || pat.top.is_some()
    {
        return None;
    }
    let (ri, ni) = pat.last_hop()?;
    let (rel, end, start) = (&pat.rels[ri], &pat.nodes[ni], &pat.nodes[pat.start]);
    // The start is its one label's scan (the operator hands the matcher
    // one node of it at a time).
    if rel.var_len.is_some() || rel.props.is_some() || end.props.is_some() || start.props.is_some() {
        return None;
    }
    if start.labels.len() != 1 {
        return None;
    }
    let (s, x) = (start.slot, end.slot);
    let once = |slot: usize| m.new_slots.contains(&slot) && pat.nodes.iter().filter(|n| n.slot == slot).count() == 1;
    if s == x || !once(s) || !once(x) {
        return None;
    }
    // Aggregates a repeated row changes nothing in, or that take a row's
    // weight, and nothing read but the two nodes.
    let repeat_free = |a: &crate::plan::ops::AggSpec| match a.distinct {
        true => a.percentile.is_none() && a.arg.is_some(),
        false => matches!(a.func, AggFunc::Min | AggFunc::Max),
    };
    if p.aggregates.is_empty() || p.keep_input || p.sort_sees_input {
        return None;
    }
    let once = p.aggregates.iter().all(repeat_free);
    if !once && !crate::plan::rewrite::weighted_aggregates(p, &[s, x]) {
        return None;
    }
    let read = crate::plan::rewrite::weighted_reads(p, &[s, x])?;
    if read.iter().any(|r| *r != s && *r != x) {
        return None;
    }
    // Counted pairs pay for grouping by both nodes; grouping by one is
    // counted per node (`factor_count.rs`, `rewrite::count_per_node`).
    if !(once || read.contains(&s) && read.contains(&x)) {
        return None;
    }
    if !last_hop_checkable(pat) {
        return None;
    }
    // Worth it: pairs repeat, and each start has rows enough. Counted
    // pairs need only the rows enough: a mark and a count per match cost
    // less than a row grouped.
    let (est, rows) = first_part_rows(m, graph);
    let starts = est.label_rows(start);
    let pairs = (starts * est.label_rows(end)).min(rows);
    (rows >= 4.0 * starts && (!once || given || rows >= 2.0 * pairs)).then_some(once)
}

/// The estimated work of matching `m`'s first part from its start.
fn first_part_cost(m: &MatchOp, graph: &Graph) -> f64 {
    let Some(pat) = m.patterns.first() else {
        return f64::INFINITY;
    };
    let conditions: Vec<_> = pat.filters.iter().flatten().chain(&m.filter).cloned().collect();
    let before = m.new_slots.first().copied().unwrap_or(m.width);
    let est = Estimator::new(graph, &conditions, &m.patterns, before);
    est.part(pat, pat.start, &vec![false; m.width]).0
}

/// The estimator for `m` (its first part's conditions and new slots) and
/// the rows that part makes from its start, nothing bound.
pub(super) fn first_part_rows<'g>(m: &MatchOp, graph: &'g Graph) -> (Estimator<'g>, f64) {
    let pat = &m.patterns[0];
    let conditions: Vec<_> = pat.filters.iter().flatten().cloned().collect();
    let before = m.new_slots.first().copied().unwrap_or(m.width);
    let est = Estimator::new(graph, &conditions, &m.patterns, before);
    let (_, rows) = est.part(pat, pat.start, &vec![false; m.width]);
    (est, rows)
}

/// Whether the conditions on the last hop's end can be checked as the hop
/// marks nodes (`eval/ops/distinct_ends.rs`, `Reach`): the end's property
/// against a constant or against a property of a node bound before it,
/// or the end against such a node (`=`, `<>`).
pub fn last_hop_checkable(pat: &crate::plan::ops::PatternPlan) -> bool {
    let Some((_, ni)) = pat.last_hop() else {
        return false;
    };
    let x = pat.nodes[ni].slot;
    let earlier = |slot: usize| slot != x && pat.nodes.iter().any(|n| n.slot == slot);
    pat.filters.get(pat.rels.len()).is_none_or(|cs| {
        cs.iter().all(|c| {
            c.prop_against_constant(x).is_some()
                || c.prop_against_prop(x).is_some_and(|(_, _, o, _)| earlier(o))
                || c.node_against_node(x).is_some_and(|(_, o)| earlier(o))
        })
    })
}
