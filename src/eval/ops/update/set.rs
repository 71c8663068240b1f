//! SET: properties (one, `= map`, `+= map`) and labels.

use super::{Entity, entity, labelled_node, props_of, put_props, storable, value};
use crate::error::{Code, QueryError};
use crate::eval::Stats;
use crate::eval::context::Guard;
use crate::eval::expr::{live_node, live_rel};
use crate::plan::update::SetOp;
use crate::store::Graph;
use crate::value::{Map, Value};

pub(super) fn apply(
    items: &[SetOp],
    row: &[Value],
    graph: &mut Graph,
    guard: &Guard,
    stats: &mut Stats,
) -> Result<(), QueryError> {
    for item in items {
        match item {
            SetOp::Prop { target, key, value: v } => {
                let e = entity(target, graph, guard, row, "SET")?;
                if matches!(e, Entity::Nothing) {
                    continue;
                }
                let new = value(v, graph, guard, row)?;
                let mut props = props_of(graph, &e);
                if new.is_null() {
                    if props.remove(key).is_none() {
                        continue;
                    }
                } else {
                    props.insert(key.clone(), storable(key, new, v.span)?);
                }
                stats.properties_set += 1;
                put_props(graph, &e, props)?;
            }
            SetOp::Replace { target, value: v } | SetOp::Merge { target, value: v } => {
                let e = entity(target, graph, guard, row, "SET")?;
                if matches!(e, Entity::Nothing) {
                    continue;
                }
                let given = match value(v, graph, guard, row)? {
                    Value::Map(m) => m.as_ref().clone(),
                    Value::Node(n) => {
                        live_node(graph, n, v.span)?;
                        graph.node(n).props().to_map()
                    }
                    Value::Rel(r) => {
                        live_rel(graph, r, v.span)?;
                        graph.rel(r).props().to_map()
                    }
                    Value::Null => Map::new(),
                    other => {
                        return Err(QueryError::runtime(
                            Code::InvalidArgumentType,
                            format!("SET needs a map of properties, not {}", other.type_name()),
                            Some(v.span),
                        ));
                    }
                };
                let mut props = match item {
                    SetOp::Merge { .. } => props_of(graph, &e),
                    _ => Map::new(),
                };
                for (k, x) in given {
                    if x.is_null() {
                        props.remove(&k);
                    } else {
                        let x = storable(&k, x, v.span)?;
                        props.insert(k, x);
                        stats.properties_set += 1;
                    }
                }
                put_props(graph, &e, props)?;
            }
            SetOp::Labels { target, labels } => {
                let Some(n) = labelled_node(target, graph, guard, row, "SET")? else {
                    continue;
                };
                let mut now: Vec<String> = graph.node(n).labels().map(str::to_string).collect();
                for l in labels {
                    if !now.contains(l) {
                        now.push(l.clone());
                        stats.labels_added += 1;
                    }
                }
                graph.set_node_labels(n, &now);
            }
        }
    }
    Ok(())
}
