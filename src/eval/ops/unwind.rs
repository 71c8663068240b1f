//! UNWIND: one row per element of a list (none for null, the value itself
//! for anything else).

use crate::error::QueryError;
use crate::eval::expr::{Env, eval};
use crate::eval::pipeline::Sink;
use crate::plan::ops::UnwindOp;
use crate::value::Value;

/// Sends `row` with each element of `u`'s list to `next`; false when it
/// asked to stop.
pub(in crate::eval) fn rows(
    u: &UnwindOp,
    row: &[Value],
    env: &Env<'_>,
    next: &mut Sink<'_>,
) -> Result<bool, QueryError> {
    let items = match eval(&u.expr, env, row)? {
        Value::Null => return Ok(true),
        Value::List(l) => l,
        other => std::sync::Arc::new(vec![other]),
    };
    let mut r = super::widened(row, u.slot + 1);
    for x in items.iter() {
        env.guard.tick()?;
        r[u.slot] = x.clone();
        if !next(&r)? {
            return Ok(false);
        }
    }
    Ok(true)
}
