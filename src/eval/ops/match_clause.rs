//! MATCH and OPTIONAL MATCH as a streaming operator: the clause's patterns
//! matched from each row (scans, lookups, expands and joins in the matcher),
//! its WHERE on each match, and for OPTIONAL MATCH the row of nulls when
//! nothing matched.

use crate::error::QueryError;
use crate::eval::describe::Role;
use crate::eval::expr::Env;
use crate::eval::matcher::Matcher;
use crate::eval::ops::filter;
use crate::eval::pipeline::stream;
use crate::eval::profile::Probe;
use crate::plan::ops::{MatchOp, Op};
use crate::value::Value;

pub(in crate::eval) fn stream_match(
    m: &MatchOp,
    rest: &[Op],
    at: usize,
    row: &[Value],
    env: &Env<'_>,
    probe: Probe<'_>,
    sink: &mut dyn FnMut(&[Value]) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    // A clause's patterns are matched together: its rows and time are the
    // last pattern's step.
    let expand = probe.step(at, Role::Expand(m.patterns.len().saturating_sub(1)));
    let filter = match m.filter {
        Some(_) => probe.step(at, Role::MatchFilter),
        None => expand,
    };
    let caller = probe.switch(expand);
    let mut matched = false;
    let mut go_on = Matcher::new(env, &m.patterns, row, m.width).run(&mut |r| {
        probe.count(expand, 1);
        if let Some(f) = &m.filter {
            probe.switch(filter);
            if !filter::passes(f, env, r)? {
                probe.switch(expand);
                return Ok(true);
            }
            probe.count(filter, 1);
        }
        env.guard.tick()?;
        matched = true;
        let go_on = stream(rest, at + 1, &r[..m.width], env, probe, sink);
        probe.switch(expand);
        go_on
    })?;
    if go_on && m.optional && !matched {
        // The row of nulls leaves through the clause's last step.
        probe.count(filter, 1);
        let mut r = row.to_vec();
        r.resize(m.width, Value::Null);
        go_on = stream(rest, at + 1, &r, env, probe, sink)?;
    }
    probe.switch(caller);
    Ok(go_on)
}
