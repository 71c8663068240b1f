//! Distinct starts (`Op::DistinctStarts`, chosen by
//! `plan/optimise/distinct_starts.rs`): the start nodes of a match that
//! have one, each once, for aggregates that see each value once and read
//! only the start. Each start's matching stops at its first match: the
//! last hop is taken as in [`distinct_pairs`](super::distinct_pairs),
//! marking the nodes it reaches, and stops once it has marked one. Runs
//! of the start nodes go to the threads, joined in order.

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::plan::ops::MatchOp;

/// One row per start node of `m` with a match, weighted 1, with the start
/// and the first end its match reached bound (nothing reads the end);
/// `None` (nothing handed over) when the last hop's conditions cannot be
/// checked as it marks nodes: the clause is then matched row by row.
pub(in crate::eval) fn distinct_starts(
    m: &MatchOp,
    env: &Env<'_>,
    sink: &mut crate::eval::pipeline::WeightedSink<'_>,
) -> Result<Option<bool>, QueryError> {
    super::distinct_pairs::each_pair(m, env, super::distinct_pairs::Pairs::FirstOnly, sink)
}
