//! MATCH and OPTIONAL MATCH as a streaming operator: the clause's patterns
//! matched from each row (scans, lookups, expands and joins in the
//! matcher). A MATCH's WHERE is a filter operator of its own after it
//! (`plan/optimise/filter_op.rs`); OPTIONAL MATCH checks its WHERE on each
//! match here, since it decides whether the row of nulls is made.

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::eval::matcher::Matcher;
use crate::eval::ops::filter;
use crate::eval::pipeline::Sink;
use crate::plan::ops::MatchOp;
use crate::store::NodeId;
use crate::value::Value;

/// Sends every match of `m` from `row` to `next`; false when it asked to stop.
pub(in crate::eval) fn rows(
    m: &MatchOp,
    row: &[Value],
    env: &Env<'_>,
    next: &mut Sink<'_>,
) -> Result<bool, QueryError> {
    rows_from(m, row, None, None, env, next)
}

/// As [`rows`], the first part started from `starts` when given (one
/// morsel of its scan, see `ops/parallel.rs`), and `part_done(i)` called
/// (under PROFILE) for each row pattern part `i`, all but the last, makes.
pub(in crate::eval) fn rows_from(
    m: &MatchOp,
    row: &[Value],
    starts: Option<&[NodeId]>,
    part_done: Option<&dyn Fn(usize)>,
    env: &Env<'_>,
    next: &mut Sink<'_>,
) -> Result<bool, QueryError> {
    let mut matched = false;
    let mut matcher = Matcher::new(env, &m.patterns, row, m.width);
    if let Some(s) = starts {
        matcher.start_from(s);
    }
    if let Some(done) = part_done {
        matcher.count_parts(done);
    }
    let go_on = matcher.run(&mut |r| {
        if let Some(f) = &m.filter
            && !filter::passes(f, env, r)?
        {
            return Ok(true);
        }
        env.guard.tick()?;
        matched = true;
        next(&r[..m.width])
    })?;
    if go_on && m.optional && !matched {
        let r = super::widened(row, m.width);
        return next(&r);
    }
    Ok(go_on)
}
