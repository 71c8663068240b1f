//! Filter: a WHERE condition kept only when it is true (not false, not null).

use crate::error::QueryError;
use crate::eval::expr::{Env, eval, truth};
use crate::eval::pipeline::Sink;
use crate::plan::ops::PExpr;
use crate::value::Value;

/// Whether `row` passes `f`.
#[inline]
pub(in crate::eval) fn passes(f: &PExpr, env: &Env<'_>, row: &[Value]) -> Result<bool, QueryError> {
    Ok(truth(eval(f, env, row)?, f.span)? == Some(true))
}

/// Sends `row` on to `next` if it passes `f` (`Op::Filter`).
pub(in crate::eval) fn rows(f: &PExpr, row: &[Value], env: &Env<'_>, next: &mut Sink<'_>) -> Result<bool, QueryError> {
    if passes(f, env, row)? { next(row) } else { Ok(true) }
}
