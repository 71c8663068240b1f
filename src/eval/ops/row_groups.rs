//! A WITH whose input rows are each a group of their own (`Op::RowGroups`,
//! chosen by `plan/optimise/row_groups.rs`): each row is projected as it
//! comes, its aggregates taken over that row alone, and sent on when the
//! WITH's WHERE holds. The rows and their order are those the grouping
//! would make (its groups come in first-seen order), without a table of
//! groups or the rows held until the input ends.

use super::aggregate::over_one_row;
use crate::error::QueryError;
use crate::eval::expr::{Env, eval, truth};
use crate::eval::pipeline::Sink;
use crate::plan::ops::ProjectOp;
use crate::value::Value;

/// The row `p` makes of `row` (standing for `counted` rows, as matches
/// counted per node are handed over), or `None` when its WHERE drops it.
pub(in crate::eval) fn project(
    p: &ProjectOp,
    row: &[Value],
    counted: Option<u64>,
    env: &Env<'_>,
) -> Result<Option<Vec<Value>>, QueryError> {
    env.guard.tick()?;
    let group = Env {
        graph: env.graph,
        guard: env.guard,
        aggs: over_one_row(p, row, counted, env)?,
    };
    let mut out = Vec::with_capacity(p.items.len());
    for item in &p.items {
        out.push(eval(item, &group, row)?);
    }
    if let Some(f) = &p.filter
        && truth(eval(f, env, &out)?, f.span)? != Some(true)
    {
        return Ok(None);
    }
    Ok(Some(out))
}

/// Sends the row `p` makes of `row` (if its WHERE keeps it) to `out`.
pub(in crate::eval) fn rows(
    p: &ProjectOp,
    row: &[Value],
    env: &Env<'_>,
    out: &mut Sink<'_>,
) -> Result<bool, QueryError> {
    match project(p, row, None, env)? {
        Some(r) => out(&r),
        None => Ok(true),
    }
}
