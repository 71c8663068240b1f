//! REMOVE: properties and labels.

use super::{entity, labelled_node, props_of, put_props};
use crate::error::QueryError;
use crate::eval::Stats;
use crate::eval::context::Guard;
use crate::plan::update::RemoveOp;
use crate::store::Graph;
use crate::value::Value;

pub(super) fn apply(
    items: &[RemoveOp],
    row: &[Value],
    graph: &mut Graph,
    guard: &Guard,
    stats: &mut Stats,
) -> Result<(), QueryError> {
    for item in items {
        match item {
            RemoveOp::Prop { target, key } => {
                let e = entity(target, graph, guard, row, "REMOVE")?;
                let mut props = props_of(graph, &e);
                if props.remove(key).is_some() {
                    stats.properties_set += 1;
                    put_props(graph, &e, props)?;
                }
            }
            RemoveOp::Labels { target, labels } => {
                let Some(n) = labelled_node(target, graph, guard, row, "REMOVE")? else {
                    continue;
                };
                let now: Vec<String> = graph.node(n).labels().map(str::to_string).collect();
                let kept: Vec<&String> = now.iter().filter(|l| !labels.contains(l)).collect();
                if kept.len() != now.len() {
                    stats.labels_removed += now.len() - kept.len();
                    graph.set_node_labels(n, &kept);
                }
            }
        }
    }
    Ok(())
}
