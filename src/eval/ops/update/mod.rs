//! The editing operators: SET, REMOVE, DELETE and MERGE (one file each).
//! Like CREATE, each gets every row that reaches it, changes the graph row
//! by row through the store's journaled methods (so a failure anywhere is
//! taken back whole by the session) and passes the rows on.

mod delete;
pub use delete::check_connected;
mod merge;
mod remove;
mod set;

use crate::error::{Code, QueryError};
use crate::eval::Stats;
use crate::eval::context::Guard;
use crate::eval::expr::{Env, eval, live_node, live_rel};
use crate::plan::ops::PExpr;
use crate::plan::update::UpdateOp;
use crate::store::{Graph, NodeId, RelId, StoreError};
use crate::value::{Map, Value};

pub fn run(
    op: &UpdateOp,
    rows: Vec<Vec<Value>>,
    graph: &mut Graph,
    guard: &Guard,
    stats: &mut Stats,
) -> Result<Vec<Vec<Value>>, QueryError> {
    match op {
        UpdateOp::Set(items) => {
            for row in &rows {
                guard.tick()?;
                set::apply(items, row, graph, guard, stats)?;
            }
            Ok(rows)
        }
        UpdateOp::Remove(items) => {
            for row in &rows {
                guard.tick()?;
                remove::apply(items, row, graph, guard, stats)?;
            }
            Ok(rows)
        }
        UpdateOp::Delete(d) => delete::run(d, rows, graph, guard, stats),
        UpdateOp::Merge(m) => merge::run(m, rows, graph, guard, stats),
    }
}

/// What a SET or REMOVE target evaluated to.
enum Entity {
    Node(NodeId),
    Rel(RelId),
    /// Null: the item does nothing.
    Nothing,
}

fn entity(e: &PExpr, graph: &Graph, guard: &Guard, row: &[Value], what: &str) -> Result<Entity, QueryError> {
    let env = Env {
        graph,
        guard,
        aggs: vec![],
    };
    match eval(e, &env, row)? {
        Value::Node(n) => {
            live_node(graph, n, e.span)?;
            Ok(Entity::Node(n))
        }
        Value::Rel(r) => {
            live_rel(graph, r, e.span)?;
            Ok(Entity::Rel(r))
        }
        Value::Null => Ok(Entity::Nothing),
        other => Err(QueryError::runtime(
            Code::InvalidArgumentType,
            format!("{what} needs a node or a relationship, not {}", other.type_name()),
            Some(e.span),
        )),
    }
}

/// The node whose labels SET or REMOVE change: `None` for null (the item
/// does nothing); a relationship is an error, since only nodes have labels.
fn labelled_node(
    e: &PExpr,
    graph: &Graph,
    guard: &Guard,
    row: &[Value],
    what: &str,
) -> Result<Option<NodeId>, QueryError> {
    match entity(e, graph, guard, row, what)? {
        Entity::Node(n) => Ok(Some(n)),
        Entity::Nothing => Ok(None),
        Entity::Rel(_) => Err(QueryError::runtime(
            Code::InvalidArgumentType,
            "only nodes have labels",
            Some(e.span),
        )),
    }
}

fn value(e: &PExpr, graph: &Graph, guard: &Guard, row: &[Value]) -> Result<Value, QueryError> {
    let env = Env {
        graph,
        guard,
        aggs: vec![],
    };
    eval(e, &env, row)
}

/// The properties of `e` now.
fn props_of(graph: &Graph, e: &Entity) -> Map {
    match e {
        Entity::Node(n) => graph.node(*n).props().to_map(),
        Entity::Rel(r) => graph.rel(*r).props().to_map(),
        Entity::Nothing => Map::new(),
    }
}

/// Replaces the properties of `e`.
fn put_props(graph: &mut Graph, e: &Entity, props: Map) -> Result<(), QueryError> {
    match e {
        Entity::Node(n) => graph
            .set_node_props(*n, crate::store::Props::from(props))
            .map_err(store_error),
        Entity::Rel(r) => {
            graph.set_rel_props(*r, crate::store::Props::from(props));
            Ok(())
        }
        Entity::Nothing => Ok(()),
    }
}

/// A property value as the store holds it, or the error for one it cannot.
fn storable(key: &str, v: Value, span: crate::diag::Span) -> Result<Value, QueryError> {
    if v.is_storable() {
        Ok(v)
    } else {
        Err(QueryError::runtime(
            Code::InvalidPropertyType,
            format!(
                "property '{key}' cannot hold {}: properties hold numbers, strings, booleans, temporal values and lists of them",
                v.type_name()
            ),
            Some(span),
        ))
    }
}

fn store_error(e: StoreError) -> QueryError {
    QueryError::runtime(Code::ConstraintValidationFailed, e.to_string(), None)
}
