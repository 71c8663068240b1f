//! Distinct pairs (`Op::DistinctPairs`) and pair counts
//! (`Op::PairCounts`), chosen by `plan/optimise/distinct_pairs.rs`: the
//! pairs of a match's start node and its last hop's end, each made once,
//! for aggregates that see each value once, or weighted by the pair's
//! number of matches, for aggregates that take a row's weight. The last
//! hop marks the nodes it reaches from one start at a time in a
//! [`Reach`](super::distinct_ends::Reach) set (counting each one's
//! matches for pair counts), emptied again before the next start. Runs of
//! the start nodes go to the threads, and their pairs are handed on in run
//! order: the order one thread makes them in.

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::eval::matcher::Matcher;
use crate::plan::ops::MatchOp;
use crate::store::{NodeId, NodeSet};
use crate::value::Value;

/// The (start, end) pairs of `m`'s matches, each once with its number of
/// matches (`Op::DistinctPairs`, see `plan/optimise/distinct_pairs.rs`):
/// the match runs from each node of its start's label scan in turn, its
/// last hop marking and counting the nodes it reaches, and `sink` gets one
/// row per node marked, weighted by its count, with the start and that
/// node bound. `None` (nothing handed over) when the last hop's conditions
/// cannot be checked that way: the clause is then matched row by row.
pub(in crate::eval) fn distinct_pairs(
    m: &MatchOp,
    env: &Env<'_>,
    sink: &mut crate::eval::pipeline::WeightedSink<'_>,
) -> Result<Option<bool>, QueryError> {
    each_pair(m, env, Pairs::Once, sink)
}

/// [`distinct_pairs`] with each pair weighted by its matches (`Op::PairCounts`).
pub(in crate::eval) fn pair_counts(
    m: &MatchOp,
    env: &Env<'_>,
    sink: &mut crate::eval::pipeline::WeightedSink<'_>,
) -> Result<Option<bool>, QueryError> {
    each_pair(m, env, Pairs::Counted, sink)
}

/// What [`each_pair`] hands on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(in crate::eval) enum Pairs {
    /// Each pair once, weight 1.
    Once,
    /// Each pair once, weighted by its matches.
    Counted,
    /// The first pair of each start with a match, weight 1.
    FirstOnly,
}

/// The pairs of `m`'s matches as `how` asks, to `sink`.
pub(in crate::eval) fn each_pair(
    m: &MatchOp,
    env: &Env<'_>,
    how: Pairs,
    sink: &mut crate::eval::pipeline::WeightedSink<'_>,
) -> Result<Option<bool>, QueryError> {
    let [p] = m.patterns.as_slice() else {
        return Ok(None);
    };
    let Some((_, last)) = p.last_hop() else {
        return Ok(None);
    };
    let (s_slot, x_slot) = (p.nodes[p.start].slot, p.nodes[last].slot);
    let starts = super::label_scan::scan(env.graph, &p.nodes[p.start].labels);
    if Matcher::collecting(env, &m.patterns, &[], m.width, NodeSet::default()).is_none() {
        return Ok(None);
    }
    let mut row = vec![Value::Null; m.width];
    if how != Pairs::FirstOnly
        && let Some(walk) = super::pair_walk::PairWalk::new(m, env.graph)
        && walk.through_middle_pays(env.graph)
    {
        // Through the middle nodes, runs of them to the threads; the
        // pairs grouped by start after.
        let middles = super::label_scan::scan(env.graph, &p.nodes[1].labels);
        let mut from_middle = p.clone();
        from_middle.start = 1;
        let runs = super::parallel::over_start_runs(env, &from_middle, &middles, |env, run| {
            let mut pairs = Vec::new();
            walk.through_middle(env, run, &mut pairs).map(|()| pairs)
        })
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
        let counting = how == Pairs::Counted;
        let done = super::pair_walk::PairWalk::by_start(env.graph, &runs, counting, &mut |s, x, n| {
            row[s_slot] = Value::Node(s);
            row[x_slot] = Value::Node(x);
            sink(&row, n)
        })?;
        if let Some(go_on) = done {
            return Ok(Some(go_on));
        }
    }
    if env.guard.threads() < 2 {
        // One thread: each start's pairs straight to the sink.
        let go_on = pairs_from(m, env, &starts, how, &mut |s, x, n| {
            row[s_slot] = Value::Node(s);
            row[x_slot] = Value::Node(x);
            sink(&row, n)
        })?;
        return Ok(Some(go_on));
    }
    let runs = super::parallel::over_start_runs(env, p, &starts, |env, run| {
        let mut pairs = Vec::new();
        pairs_from(m, env, run, how, &mut |s, x, n| {
            pairs.push((s, x, n));
            Ok(true)
        })
        .map(|_| pairs)
    });
    for run in runs {
        for (s, x, n) in run? {
            row[s_slot] = Value::Node(s);
            row[x_slot] = Value::Node(x);
            if !sink(&row, n)? {
                return Ok(Some(false));
            }
        }
    }
    Ok(Some(true))
}

/// The pairs from each of `starts` in turn to `emit` (start, end, matches)
/// until it returns false (then false); with [`Pairs::FirstOnly`], the
/// first pair of each start, the match stopped there.
fn pairs_from(
    m: &MatchOp,
    env: &Env<'_>,
    starts: &[NodeId],
    how: Pairs,
    emit: &mut dyn FnMut(NodeId, NodeId, u64) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    if how != Pairs::FirstOnly
        && let Some(walk) = super::pair_walk::PairWalk::new(m, env.graph)
    {
        // Two hops with labels only to check: walked without the matcher.
        let counting = how == Pairs::Counted;
        let mut marks = super::pair_walk::Marks::default();
        for &s in starts {
            env.guard.tick()?;
            walk.walk(env.graph, s, counting, &mut marks);
            for (&n, &c) in marks.fresh.iter().zip(&marks.counts) {
                if !emit(s, n, if counting { c } else { 1 })? {
                    return Ok(false);
                }
            }
            marks.clear();
        }
        return Ok(true);
    }
    let Some(mut matcher) = Matcher::collecting(env, &m.patterns, &[], m.width, NodeSet::default()) else {
        // Checked by the caller on the same pattern and graph.
        return Ok(true);
    };
    let s_slot = m.patterns[0].nodes[m.patterns[0].start].slot;
    let first_only = how == Pairs::FirstOnly;
    if let Some(r) = matcher.reach.as_mut() {
        r.first_only = first_only;
        r.counting = how == Pairs::Counted;
        if !first_only {
            r.defer_tests_on(s_slot);
        }
    }
    // The start alone, for the tests deferred to each pair.
    let mut start_row = vec![Value::Null; m.width];
    let (mut fresh, mut counts) = (Vec::new(), Vec::new());
    for i in 0..starts.len() {
        env.guard.tick()?;
        if let Some(r) = matcher.reach.as_mut() {
            r.fresh = Some(std::mem::take(&mut fresh));
        }
        matcher.start_from(&starts[i..=i]);
        matcher.run(&mut |_| Ok(true))?;
        counts.clear();
        if let Some(r) = matcher.reach.as_mut() {
            fresh = r.fresh.take().unwrap_or_default();
            std::mem::swap(&mut counts, &mut r.counts);
            r.at.clear();
            for &n in &fresh {
                r.seen.remove(n);
            }
            if r.defers() {
                start_row[s_slot] = Value::Node(starts[i]);
                r.deferred_row(&start_row);
                for (n, c) in fresh.iter().zip(counts.iter_mut()) {
                    if !r.deferred_hold(*n) {
                        *c = 0;
                    }
                }
            }
        }
        let take = if first_only { 1 } else { fresh.len() };
        // A count of 0: a pair the deferred tests dropped.
        for (&n, &c) in fresh.iter().zip(&counts).take(take).filter(|(_, c)| **c > 0) {
            if !emit(starts[i], n, if how == Pairs::Counted { c } else { 1 })? {
                return Ok(false);
            }
        }
        fresh.clear();
    }
    Ok(true)
}
