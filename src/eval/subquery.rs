//! Runs `EXISTS { ... }` subqueries for one outer row. The subquery's row
//! starts with the outer values it imports; its operators run as a
//! statement's would, read-only, and it stops as soon as the answer is
//! known: at the first row that leaves its last operator.

use super::expr::Env;
use super::ops::project::Projector;
use super::pipeline::stream;
use super::profile::Probe;
use crate::error::{Code, QueryError};
use crate::plan::ops::{Op, PartPlan, SubqueryPlan};
use crate::value::Value;

/// True when `sub` yields at least one row for `row`.
pub fn exists(sub: &SubqueryPlan, env: &Env<'_>, row: &[Value]) -> Result<bool, QueryError> {
    if let (Some(once), [slot]) = (&sub.once, sub.imports.as_slice())
        && let Some(found) = super::ops::semi_join::member(once, env, row.get(*slot).unwrap_or(&Value::Null))?
    {
        env.guard.tick()?;
        return Ok(found);
    }
    let start: Vec<Value> = sub
        .imports
        .iter()
        .map(|&s| row.get(s).cloned().unwrap_or(Value::Null))
        .collect();
    for part in &sub.parts {
        if has_row(part, env, &start)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether one single query yields a row from `start`.
fn has_row(part: &PartPlan, env: &Env<'_>, start: &[Value]) -> Result<bool, QueryError> {
    let mut rows = vec![start.to_vec()];
    let mut rest: &[Op] = &part.ops;
    loop {
        let at = part.ops.len() - rest.len();
        let cut = rest
            .iter()
            .position(|o| !matches!(o, Op::Match(_) | Op::Filter(_) | Op::Unwind(_)))
            .unwrap_or(rest.len());
        let (streaming, after) = rest.split_at(cut);
        match after.first() {
            None => {
                // The last operators stream: the first row answers.
                let mut found = false;
                for row in &rows {
                    stream(streaming, at, row, env, Probe::default(), &mut |_| {
                        found = true;
                        Ok(false)
                    })?;
                    if found {
                        break;
                    }
                }
                return Ok(found);
            }
            Some(Op::Project(p)) => {
                let mut sink = Projector::new(p);
                for row in &rows {
                    if !stream(streaming, at, row, env, Probe::default(), &mut |r| sink.push(r, env))? {
                        break;
                    }
                }
                let mut inner = Env {
                    graph: env.graph,
                    guard: env.guard,
                    aggs: vec![],
                };
                rows = sink.finish(&mut inner, &mut |_, _| {})?;
                if rows.is_empty() {
                    return Ok(false);
                }
                env.guard.check_rows(rows.len())?;
                rest = &after[1..];
                if rest.is_empty() {
                    return Ok(true);
                }
            }
            Some(_) => {
                // The planner refuses editing clauses in a subquery.
                return Err(QueryError::runtime(
                    Code::InternalError,
                    "a subquery was planned with an editing clause",
                    None,
                ));
            }
        }
    }
}
