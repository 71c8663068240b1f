//! Distinct pairs (`Op::DistinctPairs`, chosen by
//! `plan/optimise/distinct_pairs.rs`): the pairs of a match's start node
//! and its last hop's end, each made once, for aggregates that see each
//! value once. The last hop marks the nodes it reaches from one start at a
//! time in a [`Reach`](super::distinct_ends::Reach) set, emptied again before the next start.

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::eval::matcher::Matcher;
use crate::plan::ops::MatchOp;
use crate::store::NodeSet;
use crate::value::Value;

/// The (start, end) pairs of `m`'s matches, each once
/// (`Op::DistinctPairs`, see `plan/optimise/distinct_pairs.rs`): the
/// match runs from each node of its start's label scan in turn, its last
/// hop marking the nodes it reaches, and `sink` gets one row per node
/// marked with the start and that node bound. `None` (nothing handed
/// over) when the last hop's conditions cannot be checked that way: the
/// clause is then matched row by row.
pub(in crate::eval) fn distinct_pairs(
    m: &MatchOp,
    env: &Env<'_>,
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
    let Some(mut matcher) = Matcher::collecting(env, &m.patterns, &[], m.width, NodeSet::default()) else {
        return Ok(None);
    };
    let mut fresh = Vec::new();
    let mut row = vec![Value::Null; m.width];
    for i in 0..starts.len() {
        env.guard.tick()?;
        if let Some(r) = matcher.reach.as_mut() {
            r.fresh = Some(std::mem::take(&mut fresh));
        }
        matcher.start_from(&starts[i..=i]);
        matcher.run(&mut |_| Ok(true))?;
        if let Some(r) = matcher.reach.as_mut() {
            fresh = r.fresh.take().unwrap_or_default();
            for &n in &fresh {
                r.seen.remove(n);
            }
        }
        row[s_slot] = Value::Node(starts[i]);
        for &n in &fresh {
            row[x_slot] = Value::Node(n);
            if !sink(&row, 1)? {
                return Ok(Some(false));
            }
        }
        fresh.clear();
    }
    Ok(Some(true))
}
