//! OPTIONAL MATCH kept only where it finds nothing (`Op::AntiJoin`,
//! planned by `plan/optimise/anti_join.rs`): each row for which the
//! clause's patterns (and its WHERE) have no match is passed on once, its
//! new variables null; a row with a match is dropped at its first match.
//! A single pattern without a WHERE is asked as a pattern predicate is
//! (`pattern_exists.rs`: from a degree, one neighbour, or a set made once
//! from a constant anchor).

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::eval::matcher::Matcher;
use crate::eval::ops::{filter, pattern_exists};
use crate::eval::pipeline::Sink;
use crate::plan::ops::MatchOp;
use crate::value::Value;

/// Sends `row`, its new slots null, to `next` when `m` has no match from it.
pub(in crate::eval) fn rows(
    m: &MatchOp,
    row: &[Value],
    env: &Env<'_>,
    next: &mut Sink<'_>,
) -> Result<bool, QueryError> {
    if has_match(m, row, env)? {
        return Ok(true);
    }
    let r = super::widened(row, m.width);
    next(&r)
}

fn has_match(m: &MatchOp, row: &[Value], env: &Env<'_>) -> Result<bool, QueryError> {
    if let ([p], None) = (m.patterns.as_slice(), &m.filter) {
        return pattern_exists::exists(p, env, row);
    }
    let mut found = false;
    Matcher::new(env, &m.patterns, row, m.width).run(&mut |r| {
        if let Some(f) = &m.filter
            && !filter::passes(f, env, r)?
        {
            return Ok(true);
        }
        found = true;
        Ok(false)
    })?;
    Ok(found)
}
