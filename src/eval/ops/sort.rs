//! Sort: ORDER BY over collected rows, stable; under SKIP + LIMIT only
//! the first rows are kept (through the top-k heap).

use super::top_k::{TopK, compare};
use crate::error::QueryError;
use crate::eval::expr::{Env, eval};
use crate::plan::ops::ProjectOp;
use crate::value::Value;

/// Sorts `rows` by the ORDER BY keys, stably. With `keep` (SKIP + LIMIT),
/// only the first `keep` rows are needed: they go through a top-k heap
/// and the rest are dropped.
pub(super) fn sort(
    op: &ProjectOp,
    rows: &mut Vec<Vec<Value>>,
    env: &Env<'_>,
    keep: Option<usize>,
) -> Result<(), QueryError> {
    let desc: Vec<bool> = op.order_by.iter().map(|s| s.descending).collect();
    if let Some(keep) = keep
        && keep < rows.len()
    {
        let mut top = TopK::new(keep, desc);
        for r in rows.drain(..) {
            let mut keys = Vec::with_capacity(op.order_by.len());
            for s in &op.order_by {
                keys.push(eval(&s.expr, env, &r)?);
            }
            if top.admits(&keys) {
                top.push(keys, r);
            }
        }
        *rows = top.into_sorted();
        return Ok(());
    }
    // Each row's keys, evaluated once, `k` per row in one vector.
    let k = op.order_by.len();
    let mut keys: Vec<Value> = Vec::with_capacity(rows.len() * k);
    for r in rows.iter() {
        for s in &op.order_by {
            keys.push(eval(&s.expr, env, r)?);
        }
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    // The position breaks ties, which makes the order stable.
    order.sort_unstable_by(|&i, &j| {
        compare(&desc, &keys[i * k..(i + 1) * k], &keys[j * k..(j + 1) * k]).then(i.cmp(&j))
    });
    let mut taken: Vec<Vec<Value>> = std::mem::take(rows);
    rows.extend(order.into_iter().map(|i| std::mem::take(&mut taken[i])));
    Ok(())
}
