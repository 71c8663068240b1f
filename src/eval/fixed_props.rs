//! A node position's property maps that read no variable (constants and
//! parameters: `(r:Role {name: 'x'})` where an operator checks the
//! position itself, as walk counting and factored counting do). Each map
//! is evaluated once, when the first node is checked (so an error it
//! raises comes where it came when each node evaluated it), then compared
//! with each node's properties in place, without a map made per node.

use super::expr::{Env, eval};
use super::matcher::props_match;
use crate::error::QueryError;
use crate::plan::ops::PExpr;
use crate::store::NodeId;
use crate::value::Value;

pub(in crate::eval) struct FixedProps<'p> {
    maps: &'p [PExpr],
    /// The maps' values, once evaluated.
    values: Option<Vec<Value>>,
}

impl<'p> FixedProps<'p> {
    pub(in crate::eval) fn new(maps: &'p [PExpr]) -> FixedProps<'p> {
        FixedProps { maps, values: None }
    }

    /// Whether node `n` has every property the maps ask for; `row` is what
    /// the maps are evaluated against (they read none of it).
    pub(in crate::eval) fn hold(&mut self, env: &Env<'_>, row: &[Value], n: NodeId) -> Result<bool, QueryError> {
        if self.maps.is_empty() {
            return Ok(true);
        }
        let values = match &mut self.values {
            Some(v) => v,
            slot => {
                let mut all = Vec::with_capacity(self.maps.len());
                for m in self.maps {
                    let v = eval(m, env, row)?;
                    if !matches!(v, Value::Map(_) | Value::Null) {
                        // What a value that is not a map raises.
                        return props_match(v, |_| None, m.span);
                    }
                    all.push(v);
                }
                slot.insert(all)
            }
        };
        let data = env.graph.node(n);
        Ok(values.iter().all(|v| match v {
            Value::Map(m) => m
                .iter()
                .all(|(k, w)| data.prop(k).and_then(|p| p.cypher_eq(w)) == Some(true)),
            _ => true,
        }))
    }
}
