//! Id lookup: a pattern node whose properties give `id` as a string is
//! found through the store's key index instead of a scan.

use crate::error::QueryError;
use crate::eval::expr::{Env, eval};
use crate::plan::ops::NodeStep;
use crate::store::NodeId;
use crate::value::Value;

/// The node `n`'s `id` property names (none when no node has it), or
/// `None` when `n`'s properties give no string `id` for `row`.
pub(in crate::eval) fn lookup(env: &Env<'_>, n: &NodeStep, row: &[Value]) -> Result<Option<Vec<NodeId>>, QueryError> {
    if let Some(props) = &n.props
        && let Value::Map(m) = eval(props, env, row)?
        && let Some(Value::String(key)) = m.get("id")
    {
        return Ok(Some(env.graph.node_by_key(key).into_iter().collect()));
    }
    Ok(None)
}
