//! A WITH whose input rows are each a group of their own (`Op::RowGroups`,
//! chosen by `plan/optimise/row_groups.rs`): each row is projected as it
//! comes, its aggregates taken over that row alone, and sent on when the
//! WITH's WHERE holds. The rows and their order are those the grouping
//! would make (its groups come in first-seen order), without a table of
//! groups or the rows held until the input ends.

use super::aggregate::{over_one_row, quick_over_one_row};
use crate::error::QueryError;
use crate::eval::expr::{Env, eval, truth};
use crate::eval::pipeline::Sink;
use crate::plan::ops::{PExpr, PKind, ProjectOp};
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
    // The usual WITH after counting (`WITH r, count(x) AS n`): every item
    // a variable or a plain count, none of which can fail, so no state
    // is made for the aggregates.
    let mut out = Vec::with_capacity(p.items.len());
    for item in &p.items {
        match quick(p, item, row, counted) {
            Some(v) => out.push(v),
            None => break,
        }
    }
    if out.len() == p.items.len() {
        return kept(p, out, env);
    }
    out.clear();
    let group = Env {
        graph: env.graph,
        guard: env.guard,
        aggs: over_one_row(p, row, counted, env)?,
    };
    for item in &p.items {
        out.push(eval(item, &group, row)?);
    }
    kept(p, out, env)
}

/// `out` when the WITH's WHERE keeps it.
fn kept(p: &ProjectOp, out: Vec<Value>, env: &Env<'_>) -> Result<Option<Vec<Value>>, QueryError> {
    if let Some(f) = &p.filter
        && truth(eval(f, env, &out)?, f.span)? != Some(true)
    {
        return Ok(None);
    }
    Ok(Some(out))
}

/// An item of `p` over `row` alone (standing for `counted` rows) that
/// needs neither the evaluator nor aggregate states: a variable passed
/// on, or an aggregate [`quick_over_one_row`] gives. `None` for anything
/// else.
fn quick(p: &ProjectOp, item: &PExpr, row: &[Value], counted: Option<u64>) -> Option<Value> {
    match &item.kind {
        PKind::Slot(s) => row.get(*s).cloned(),
        PKind::Agg(j) => quick_over_one_row(p.aggregates.get(*j)?, row, counted),
        _ => None,
    }
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
