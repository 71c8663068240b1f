//! CREATE: adds nodes and relationships for each incoming row and counts
//! what it changed. Changes are in memory; saving is the front end's job.

use std::sync::Arc;

use crate::error::{Code, QueryError};
use crate::eval::Stats;
use crate::eval::context::Guard;
use crate::eval::expr::{Env, eval, type_error};
use crate::eval::functions::as_map;
use crate::plan::ops::{CreateOp, CreatePattern, PExpr};
use crate::store::{Graph, NodeId, StoreError};
use crate::value::{Map, Path, Value};

pub fn create(
    op: &CreateOp,
    input: Vec<Vec<Value>>,
    graph: &mut Graph,
    guard: &Guard,
    stats: &mut Stats,
) -> Result<Vec<Vec<Value>>, QueryError> {
    let mut out = Vec::with_capacity(input.len());
    for mut row in input {
        guard.tick()?;
        row.resize(op.width, Value::Null);
        for pattern in &op.patterns {
            create_part(pattern, &mut row, graph, guard, stats, false)?;
        }
        out.push(row);
    }
    Ok(out)
}

/// Creates one pattern part for `row`, filling in its slots. For MERGE
/// (`merge`), a property that is null is an error: the element could never
/// be matched by the pattern that made it.
pub(super) fn create_part(
    pattern: &CreatePattern,
    row: &mut [Value],
    graph: &mut Graph,
    guard: &Guard,
    stats: &mut Stats,
    merge: bool,
) -> Result<(), QueryError> {
    let mut ids: Vec<NodeId> = Vec::with_capacity(pattern.nodes.len());
    for n in &pattern.nodes {
        if n.bound || matches!(row[n.slot], Value::Node(_)) {
            match &row[n.slot] {
                Value::Node(id) => ids.push(*id),
                _ => {
                    return Err(QueryError::runtime(
                        Code::CreatingWithNull,
                        "cannot create a relationship to a node that is null",
                        None,
                    ));
                }
            }
            continue;
        }
        let props = props_of(n.props.as_ref(), graph, guard, row, merge)?;
        stats.properties_set += props.len();
        stats.labels_added += n.labels.len();
        let id = graph.add_node(&n.labels, props).map_err(store_error)?;
        stats.nodes_created += 1;
        row[n.slot] = Value::Node(id);
        ids.push(id);
    }
    let mut rels = Vec::with_capacity(pattern.rels.len());
    for r in &pattern.rels {
        let props = props_of(r.props.as_ref(), graph, guard, row, merge)?;
        stats.properties_set += props.len();
        let id = graph
            .add_rel(ids[r.from], ids[r.to], &r.rel_type, props)
            .map_err(store_error)?;
        stats.relationships_created += 1;
        row[r.slot] = Value::Rel(id);
        rels.push(id);
    }
    if let Some(ps) = pattern.path_slot {
        row[ps] = Value::Path(Arc::new(Path {
            nodes: ids.clone(),
            rels,
        }));
    }
    Ok(())
}

fn props_of(e: Option<&PExpr>, graph: &Graph, guard: &Guard, row: &[Value], merge: bool) -> Result<Map, QueryError> {
    let Some(e) = e else { return Ok(Map::new()) };
    let env = Env {
        graph,
        guard,
        aggs: vec![],
    };
    let v = eval(e, &env, row)?;
    let Some(mut m) = as_map(v) else {
        return Err(type_error("CREATE needs a map of properties", e.span));
    };
    if merge && let Some((k, _)) = m.iter().find(|(_, v)| v.is_null()) {
        return Err(QueryError::runtime(
            Code::MergeReadOwnWrites,
            format!("MERGE cannot use null for property '{k}': nothing it creates could match it"),
            Some(e.span),
        ));
    }
    // Setting a property to null means not setting it.
    m.retain(|_, v| !v.is_null());
    for (k, v) in &m {
        if !v.is_storable() {
            return Err(QueryError::runtime(
                Code::InvalidPropertyType,
                format!(
                    "property '{k}' cannot hold {}: properties hold numbers, strings, booleans, temporal values and lists of them",
                    v.type_name()
                ),
                Some(e.span),
            ));
        }
    }
    Ok(m)
}

fn store_error(e: StoreError) -> QueryError {
    QueryError::runtime(Code::ConstraintValidationFailed, e.to_string(), None)
}
