//! DELETE and DETACH DELETE: nodes, relationships and paths. DETACH
//! DELETE deletes a node's relationships with it; a node deleted without
//! them must have none left when the statement ends ([`check_connected`]),
//! so `DELETE n, r` and `DELETE n WITH r DELETE r` both work.

use super::value;
use crate::diag::Span;
use crate::error::{Code, QueryError};
use crate::eval::Stats;
use crate::eval::context::Guard;
use crate::plan::update::DeleteOp;
use crate::store::{Direction, Graph, NodeId};
use crate::value::Value;

pub(super) fn run(
    op: &DeleteOp,
    rows: Vec<Vec<Value>>,
    graph: &mut Graph,
    guard: &Guard,
    stats: &mut Stats,
) -> Result<Vec<Vec<Value>>, QueryError> {
    for row in &rows {
        guard.tick()?;
        for e in &op.exprs {
            let v = value(e, graph, guard, row)?;
            let mut del = Deleter {
                detach: op.detach,
                graph: &mut *graph,
                guard,
                stats: &mut *stats,
                span: e.span,
            };
            del.value(v)?;
        }
    }
    Ok(rows)
}

/// The error for the first node this statement deleted that still has a
/// relationship; run once the statement's last clause has run.
pub fn check_connected(graph: &Graph, guard: &Guard) -> Result<(), QueryError> {
    for (n, span) in guard.take_deleted() {
        if graph.has_live_rels(n) {
            return Err(QueryError::runtime(
                Code::DeleteConnectedNode,
                format!(
                    "cannot delete node '{}': it still has relationships",
                    graph.node(n).display_name()
                ),
                Some(span),
            )
            .with_help(Some("DETACH DELETE deletes a node with its relationships".into())));
        }
    }
    Ok(())
}

struct Deleter<'a> {
    detach: bool,
    graph: &'a mut Graph,
    guard: &'a Guard,
    stats: &'a mut Stats,
    span: Span,
}

impl Deleter<'_> {
    fn value(&mut self, v: Value) -> Result<(), QueryError> {
        match v {
            Value::Null => {}
            Value::Rel(r) => {
                if self.graph.delete_rel(r) {
                    self.stats.relationships_deleted += 1;
                }
            }
            Value::Node(n) => self.node(n),
            Value::Path(p) => {
                for &r in &p.rels {
                    if self.graph.delete_rel(r) {
                        self.stats.relationships_deleted += 1;
                    }
                }
                for &n in &p.nodes {
                    self.node(n);
                }
            }
            // A list of entities (collect(n), nodes(p)) deletes each.
            Value::List(items) => {
                for x in items.iter() {
                    self.value(x.clone())?;
                }
            }
            other => {
                return Err(QueryError::runtime(
                    Code::InvalidArgumentType,
                    format!("DELETE takes nodes, relationships or paths, not {}", other.type_name()),
                    Some(self.span),
                ));
            }
        }
        Ok(())
    }

    fn node(&mut self, n: NodeId) {
        if self.graph.is_deleted_node(n) {
            return;
        }
        if self.detach {
            for a in self.graph.neighbours(n, Direction::Both, None) {
                if self.graph.delete_rel(a.rel) {
                    self.stats.relationships_deleted += 1;
                }
            }
        }
        if self.graph.delete_node(n) {
            self.stats.nodes_deleted += 1;
            self.guard.note_deleted(n, self.span);
        }
    }
}
