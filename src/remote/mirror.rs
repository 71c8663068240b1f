//! A local copy of the part of a remote graph that one answer mentions:
//! server nodes and relationships become nodes and relationships of an
//! in-memory [`Graph`], so rows hold ordinary values and every renderer,
//! format and diagram works on them unchanged.

use std::collections::HashMap;
use std::sync::Arc;

use super::RemoteError;
use super::reply::{ElementId, RNode, RRel, RValue, Table};
use crate::store::{Graph, NodeId, RelId};
use crate::value::{Map, Path, Value};

pub struct Mirror {
    pub graph: Graph,
    nodes: HashMap<ElementId, NodeId>,
    rels: HashMap<ElementId, RelId>,
}

impl Mirror {
    pub fn new(name: &str) -> Mirror {
        Mirror {
            graph: Graph::new(name),
            nodes: HashMap::new(),
            rels: HashMap::new(),
        }
    }

    pub fn has_node(&self, id: &str) -> bool {
        self.nodes.contains_key(id)
    }

    /// The local node for a server node, added the first time.
    pub fn node(&mut self, n: &RNode) -> Result<NodeId, RemoteError> {
        if let Some(id) = self.nodes.get(&n.id) {
            return Ok(*id);
        }
        let mut props = Map::new();
        for (k, v) in &n.props {
            let v = self.value(v)?;
            if !v.is_null() {
                props.insert(Arc::from(k.as_str()), v);
            }
        }
        let local = self.graph.add_node(&n.labels, props).map_err(|e| RemoteError::Mirror {
            why: format!("{e} (rolegraph needs each node's id to be unique)"),
        })?;
        self.nodes.insert(n.id.clone(), local);
        Ok(local)
    }

    /// The local relationship for a server one; both ends must have been
    /// added (see [`Mirror::missing_ends`]).
    pub fn rel(&mut self, r: &RRel) -> Result<RelId, RemoteError> {
        if let Some(id) = self.rels.get(&r.id) {
            return Ok(*id);
        }
        let (Some(&a), Some(&b)) = (self.nodes.get(&r.start), self.nodes.get(&r.end)) else {
            return Err(RemoteError::Mirror {
                why: format!("relationship {} came without its end nodes", r.id),
            });
        };
        let mut props = Map::new();
        for (k, v) in &r.props {
            let v = self.value(v)?;
            if !v.is_null() {
                props.insert(Arc::from(k.as_str()), v);
            }
        }
        let local = self
            .graph
            .add_rel(a, b, &r.rel_type, props)
            .map_err(|e| RemoteError::Mirror { why: e.to_string() })?;
        self.rels.insert(r.id.clone(), local);
        Ok(local)
    }

    pub fn value(&mut self, v: &RValue) -> Result<Value, RemoteError> {
        Ok(match v {
            RValue::Null => Value::Null,
            RValue::Bool(b) => Value::Bool(*b),
            RValue::Int(i) => Value::Int(*i),
            RValue::Float(f) => Value::Float(*f),
            RValue::String(s) | RValue::Other(s) => Value::str(s),
            RValue::List(items) => Value::list(items.iter().map(|i| self.value(i)).collect::<Result<_, _>>()?),
            RValue::Map(entries) => {
                let mut m = Map::new();
                for (k, v) in entries {
                    m.insert(Arc::from(k.as_str()), self.value(v)?);
                }
                Value::map(m)
            }
            RValue::Node(n) => Value::Node(self.node(n)?),
            RValue::Rel(r) => Value::Rel(self.rel(r)?),
            RValue::Path { nodes, rels } => {
                let nodes = nodes.iter().map(|n| self.node(n)).collect::<Result<Vec<_>, _>>()?;
                let rels = rels.iter().map(|r| self.rel(r)).collect::<Result<Vec<_>, _>>()?;
                Value::Path(Arc::new(Path { nodes, rels }))
            }
        })
    }

    /// Adds every node of `table` first, so relationships find their ends.
    pub fn add_nodes_of(&mut self, table: &Table) -> Result<(), RemoteError> {
        fn walk(m: &mut Mirror, v: &RValue) -> Result<(), RemoteError> {
            match v {
                RValue::Node(n) => {
                    m.node(n)?;
                }
                RValue::Path { nodes, .. } => {
                    for n in nodes {
                        m.node(n)?;
                    }
                }
                RValue::List(items) => {
                    for i in items {
                        walk(m, i)?;
                    }
                }
                RValue::Map(entries) => {
                    for (_, v) in entries {
                        walk(m, v)?;
                    }
                }
                _ => {}
            }
            Ok(())
        }
        for row in &table.rows {
            for v in row {
                walk(self, v)?;
            }
        }
        Ok(())
    }

    /// Ends of relationships in `table` that no node of it (or of the
    /// mirror) stands for: the server must be asked for them.
    pub fn missing_ends(&self, table: &Table) -> Vec<ElementId> {
        fn walk(m: &Mirror, v: &RValue, out: &mut Vec<ElementId>) {
            match v {
                RValue::Rel(r) => {
                    for end in [&r.start, &r.end] {
                        if !m.has_node(end) && !out.contains(end) {
                            out.push(end.clone());
                        }
                    }
                }
                RValue::List(items) => items.iter().for_each(|i| walk(m, i, out)),
                RValue::Map(entries) => entries.iter().for_each(|(_, v)| walk(m, v, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for row in &table.rows {
            for v in row {
                walk(self, v, &mut out);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(id: &str, key: &str) -> RNode {
        RNode {
            id: id.into(),
            labels: vec!["Role".into()],
            props: vec![("id".into(), RValue::String(key.into()))],
        }
    }

    #[test]
    fn the_same_server_node_is_one_local_node() {
        let mut m = Mirror::new("g");
        let a = m.node(&n("1", "a")).unwrap();
        assert_eq!(m.node(&n("1", "a")).unwrap(), a);
        let b = m.node(&n("2", "b")).unwrap();
        let r = RRel {
            id: "7".into(),
            rel_type: "LEADS".into(),
            start: "1".into(),
            end: "2".into(),
            props: vec![],
        };
        let v = m.value(&RValue::Rel(r)).unwrap();
        let Value::Rel(rid) = v else { panic!("{v:?}") };
        assert_eq!(m.graph.rel(rid).start(), a);
        assert_eq!(m.graph.rel(rid).end(), b);
        assert_eq!(m.graph.node_count(), 2);
    }

    #[test]
    fn a_relationship_without_its_ends_is_an_error_not_a_panic() {
        let mut m = Mirror::new("g");
        let r = RRel {
            id: "7".into(),
            rel_type: "LEADS".into(),
            start: "1".into(),
            end: "2".into(),
            props: vec![],
        };
        assert!(matches!(m.value(&RValue::Rel(r)), Err(RemoteError::Mirror { .. })));
    }

    #[test]
    fn two_server_nodes_with_one_id_are_reported() {
        let mut m = Mirror::new("g");
        m.node(&n("1", "a")).unwrap();
        assert!(matches!(m.node(&n("2", "a")), Err(RemoteError::Mirror { .. })));
    }
}
