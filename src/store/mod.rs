//! The graph store: nodes with labels and properties, relationships with a
//! type and properties, and the indexes queries need (id, label, alias, typed
//! adjacency). This is the only module that knows petgraph is underneath.

mod props;
mod symbols;

use std::sync::Arc;

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use rustc_hash::FxHashMap as HashMap;

use crate::value::{Map, Value};
pub use props::Props;
pub use symbols::{Sym, Symbols};

/// Handle of a node; stable for the life of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct NodeId(u32);

/// Handle of a relationship; stable for the life of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelId(u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}
impl RelId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Which way to follow relationships from a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Outgoing,
    Incoming,
    Both,
}

#[derive(Debug, Clone)]
pub struct NodeData {
    labels: Box<[Sym]>,
    props: Props,
}

/// A relationship's type and properties; its endpoints are petgraph's.
#[derive(Debug, Clone)]
pub struct RelData {
    rel_type: Sym,
    props: Props,
}

/// A node as the evaluator and renderers see it.
#[derive(Clone, Copy)]
pub struct NodeRef<'g> {
    pub id: NodeId,
    graph: &'g Graph,
    data: &'g NodeData,
}

impl<'g> NodeRef<'g> {
    pub fn labels(&self) -> impl Iterator<Item = &'g str> + 'g {
        let g = self.graph;
        self.data.labels.iter().map(move |s| g.symbols.name(*s))
    }
    pub fn has_label(&self, label: &str) -> bool {
        match self.graph.symbols.get(label) {
            Some(sym) => self.data.labels.contains(&sym),
            None => false,
        }
    }
    /// As `has_label`, with the label already resolved to its symbol.
    pub fn has_label_sym(&self, sym: Sym) -> bool {
        self.data.labels.contains(&sym)
    }
    pub fn prop(&self, key: &str) -> Option<&'g Value> {
        self.data.props.get(key)
    }
    pub fn props(&self) -> &'g Props {
        &self.data.props
    }
    /// The node's `id` property when it is a string (built-in data always has one).
    pub fn key(&self) -> Option<&'g str> {
        self.prop("id").and_then(Value::as_str)
    }
    /// What a person reads: `name`, else `id`, else the internal handle.
    pub fn display_name(&self) -> String {
        if let Some(n) = self.prop("name").and_then(Value::as_str) {
            n.to_string()
        } else if let Some(k) = self.key() {
            k.to_string()
        } else {
            format!("#{}", self.id.0)
        }
    }
}

/// A relationship as the evaluator and renderers see it.
#[derive(Clone, Copy)]
pub struct RelRef<'g> {
    pub id: RelId,
    graph: &'g Graph,
    data: &'g RelData,
    start: NodeId,
    end: NodeId,
}

impl<'g> RelRef<'g> {
    pub fn rel_type(&self) -> &'g str {
        self.graph.symbols.name(self.data.rel_type)
    }
    pub fn type_sym(&self) -> Sym {
        self.data.rel_type
    }
    pub fn start(&self) -> NodeId {
        self.start
    }
    pub fn end(&self) -> NodeId {
        self.end
    }
    /// The endpoint that is not `from` (for a self-loop, `from` itself).
    pub fn other(&self, from: NodeId) -> NodeId {
        if self.start == from { self.end } else { self.start }
    }
    pub fn prop(&self, key: &str) -> Option<&'g Value> {
        self.data.props.get(key)
    }
    pub fn props(&self) -> &'g Props {
        &self.data.props
    }
}

/// One step of typed adjacency: the relationship and the node at its far end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adj {
    pub rel: RelId,
    pub other: NodeId,
}

#[derive(Debug, Default, Clone)]
struct AdjList {
    /// Sorted by type symbol so one type is a contiguous range.
    out: Vec<(Sym, Adj)>,
    inc: Vec<(Sym, Adj)>,
}

/// The property graph with its indexes.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    name: String,
    g: StableDiGraph<NodeData, RelData>,
    symbols: Symbols,
    adjacency: Vec<AdjList>,
    /// Ids are short strings that differ in a few bytes; FxHash spreads
    /// them badly, so this map uses foldhash.
    by_key: std::collections::HashMap<Arc<str>, NodeId, foldhash::fast::RandomState>,
    by_label: HashMap<Sym, Vec<NodeId>>,
    by_type_count: HashMap<Sym, usize>,
    /// Lower-cased aliases → nodes (an alias may name several). Names are
    /// searched, not indexed: an index would cost an allocation per node.
    by_alias: HashMap<String, Vec<NodeId>>,
    /// While loading in bulk, adjacency lists are sorted once at the end.
    bulk: bool,
    /// Every property key in use, for planning and completion.
    prop_keys: rustc_hash::FxHashSet<Arc<str>>,
}

/// Errors the store itself can raise while building a graph.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    #[error("a node with id '{0}' already exists")]
    DuplicateKey(String),
    #[error("no such node")]
    MissingNode,
}

impl Graph {
    pub fn new(name: impl Into<String>) -> Graph {
        Graph {
            name: name.into(),
            ..Graph::default()
        }
    }

    /// The graph's name (shown in the REPL prompt).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn set_name(&mut self, name: impl Into<String>) {
        self.name = name.into();
    }

    pub fn node_count(&self) -> usize {
        self.g.node_count()
    }

    pub fn rel_count(&self) -> usize {
        self.g.edge_count()
    }

    /// Adds a node. A string `id` property must be unique; `name` and the
    /// strings in `aliases` are indexed for case-insensitive lookup.
    pub fn add_node<S: AsRef<str>>(&mut self, labels: &[S], props: Map) -> Result<NodeId, StoreError> {
        self.add_node_props(labels, Props::from(props))
    }

    /// Adds a node whose properties are already in store form.
    pub fn add_node_props<S: AsRef<str>>(&mut self, labels: &[S], props: Props) -> Result<NodeId, StoreError> {
        let key = props.get("id").and_then(Value::as_str).map(Arc::<str>::from);
        if let Some(k) = &key
            && self.by_key.contains_key(k)
        {
            return Err(StoreError::DuplicateKey(k.to_string()));
        }
        let mut syms: Vec<Sym> = Vec::with_capacity(labels.len());
        for l in labels {
            let s = self.symbols.intern(l.as_ref());
            if !syms.contains(&s) {
                syms.push(s);
            }
        }
        let mut aliases: Vec<String> = Vec::new();
        if let Some(Value::List(list)) = props.get("aliases") {
            aliases.extend(list.iter().filter_map(Value::as_str).map(str::to_lowercase));
        }
        self.note_keys(&props);
        let idx = self.g.add_node(NodeData {
            labels: syms.clone().into_boxed_slice(),
            props,
        });
        let id = NodeId(idx.index() as u32);
        if self.adjacency.len() <= id.index() {
            self.adjacency.resize_with(id.index() + 1, AdjList::default);
        }
        for s in syms {
            self.by_label.entry(s).or_default().push(id);
        }
        if let Some(k) = key {
            self.by_key.insert(k, id);
        }
        aliases.sort();
        aliases.dedup();
        for a in aliases {
            self.by_alias.entry(a).or_default().push(id);
        }
        Ok(id)
    }

    /// Reserves room for this many more nodes and relationships.
    pub fn reserve(&mut self, nodes: usize, rels: usize) {
        self.g.reserve_nodes(nodes);
        self.g.reserve_edges(rels);
        self.adjacency.reserve(nodes);
        self.by_key.reserve(nodes);
    }

    /// Starts a bulk load: relationships are appended unsorted until
    /// [`Graph::end_bulk`] sorts every adjacency list once.
    pub fn begin_bulk(&mut self) {
        self.bulk = true;
    }

    pub fn end_bulk(&mut self) {
        self.bulk = false;
        for a in &mut self.adjacency {
            // Stable: within a type, insertion order is kept.
            a.out.sort_by_key(|(t, _)| *t);
            a.inc.sort_by_key(|(t, _)| *t);
        }
    }

    /// Adds a relationship between two existing nodes.
    pub fn add_rel(&mut self, start: NodeId, end: NodeId, rel_type: &str, props: Map) -> Result<RelId, StoreError> {
        self.add_rel_props(start, end, rel_type, Props::from(props))
    }

    /// Adds a relationship whose properties are already in store form.
    pub fn add_rel_props(
        &mut self,
        start: NodeId,
        end: NodeId,
        rel_type: &str,
        props: Props,
    ) -> Result<RelId, StoreError> {
        if !self.contains_node(start) || !self.contains_node(end) {
            return Err(StoreError::MissingNode);
        }
        let t = self.symbols.intern(rel_type);
        self.note_keys(&props);
        let e = self.g.add_edge(
            NodeIndex::new(start.index()),
            NodeIndex::new(end.index()),
            RelData { rel_type: t, props },
        );
        let rel = RelId(e.index() as u32);
        let (out, inc) = (Adj { rel, other: end }, Adj { rel, other: start });
        if self.bulk {
            self.adjacency[start.index()].out.push((t, out));
            self.adjacency[end.index()].inc.push((t, inc));
        } else {
            insert_sorted(&mut self.adjacency[start.index()].out, t, out);
            insert_sorted(&mut self.adjacency[end.index()].inc, t, inc);
        }
        *self.by_type_count.entry(t).or_default() += 1;
        Ok(rel)
    }

    /// Adds a label to an existing node (no-op if present).
    pub fn add_label(&mut self, node: NodeId, label: &str) {
        let s = self.symbols.intern(label);
        if let Some(d) = self.g.node_weight_mut(NodeIndex::new(node.index()))
            && !d.labels.contains(&s)
        {
            let mut labels = d.labels.to_vec();
            labels.push(s);
            d.labels = labels.into_boxed_slice();
            self.by_label.entry(s).or_default().push(node);
        }
    }

    pub fn contains_node(&self, id: NodeId) -> bool {
        // Nodes are never removed, so every index below the count exists.
        id.index() < self.adjacency.len()
    }

    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        let data = &self.g[NodeIndex::new(id.index())];
        NodeRef { id, graph: self, data }
    }

    pub fn rel(&self, id: RelId) -> RelRef<'_> {
        let e = EdgeIndex::new(id.index());
        let data = &self.g[e];
        let (s, t) = self.g.edge_endpoints(e).expect("relationship ids come from this graph");
        RelRef {
            id,
            graph: self,
            data,
            start: NodeId(s.index() as u32),
            end: NodeId(t.index() as u32),
        }
    }

    /// Every node, in insertion order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.g.node_indices().map(|i| NodeId(i.index() as u32))
    }

    /// Every relationship, in insertion order.
    pub fn rels(&self) -> impl Iterator<Item = RelId> + '_ {
        self.g.edge_indices().map(|i| RelId(i.index() as u32))
    }

    /// The node whose `id` property is `key`.
    pub fn node_by_key(&self, key: &str) -> Option<NodeId> {
        self.by_key.get(key).copied()
    }

    /// Nodes carrying `label`, in insertion order.
    pub fn nodes_with_label(&self, label: &str) -> &[NodeId] {
        self.symbols
            .get(label)
            .and_then(|s| self.by_label.get(&s))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Nodes one of whose aliases is `text`, ignoring case.
    pub fn nodes_by_alias(&self, text: &str) -> &[NodeId] {
        self.by_alias
            .get(&text.to_lowercase())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Nodes whose `name` is `text`, ignoring case (a scan).
    pub fn nodes_by_name(&self, text: &str) -> Vec<NodeId> {
        let lower = text.to_lowercase();
        self.g
            .node_indices()
            .filter(|i| {
                self.g[*i]
                    .props
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.len() == lower.len() && n.to_lowercase() == lower)
            })
            .map(|i| NodeId(i.index() as u32))
            .collect()
    }

    /// Every alias (lower-cased) with its nodes.
    pub fn aliases(&self) -> impl Iterator<Item = (&str, &[NodeId])> {
        self.by_alias.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Every node key (`id` property).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.by_key.keys().map(|k| &**k)
    }

    /// The relationships at `node` in `dir`, restricted to `rel_type` if given.
    /// With `Both`, a self-loop is reported once.
    pub fn neighbours(&self, node: NodeId, dir: Direction, rel_type: Option<&str>) -> Vec<Adj> {
        let mut out = Vec::new();
        self.for_each_neighbour(node, dir, rel_type, |a| out.push(a));
        out
    }

    /// Visits the relationships at `node` without allocating.
    pub fn for_each_neighbour(&self, node: NodeId, dir: Direction, rel_type: Option<&str>, f: impl FnMut(Adj)) {
        let sym = match rel_type {
            Some(t) => match self.symbols.get(t) {
                Some(s) => Some(s),
                None => return,
            },
            None => None,
        };
        self.for_each_neighbour_sym(node, dir, sym, f)
    }

    /// The symbol of a label or relationship type, if the graph has used it.
    pub fn sym(&self, name: &str) -> Option<Sym> {
        self.symbols.get(name)
    }

    /// As [`Graph::for_each_neighbour`], with the type already resolved.
    pub fn for_each_neighbour_sym(&self, node: NodeId, dir: Direction, sym: Option<Sym>, mut f: impl FnMut(Adj)) {
        let Some(adj) = self.adjacency.get(node.index()) else {
            return;
        };
        let pick = |list: &[(Sym, Adj)]| -> std::ops::Range<usize> {
            match sym {
                None => 0..list.len(),
                Some(s) => {
                    let lo = list.partition_point(|(t, _)| *t < s);
                    let hi = list.partition_point(|(t, _)| *t <= s);
                    lo..hi
                }
            }
        };
        if matches!(dir, Direction::Outgoing | Direction::Both) {
            for (_, a) in &adj.out[pick(&adj.out)] {
                f(*a);
            }
        }
        if matches!(dir, Direction::Incoming | Direction::Both) {
            for (_, a) in &adj.inc[pick(&adj.inc)] {
                if dir == Direction::Both && a.other == node {
                    continue; // self-loop already seen as outgoing
                }
                f(*a);
            }
        }
    }

    /// Number of relationships at `node` in `dir` of `rel_type` (any if None).
    pub fn degree(&self, node: NodeId, dir: Direction, rel_type: Option<&str>) -> usize {
        let mut n = 0;
        self.for_each_neighbour(node, dir, rel_type, |_| n += 1);
        n
    }

    /// Labels in use with their node counts, sorted by name.
    pub fn label_counts(&self) -> Vec<(&str, usize)> {
        let mut v: Vec<_> = self
            .by_label
            .iter()
            .map(|(s, ns)| (self.symbols.name(*s), ns.len()))
            .collect();
        v.sort();
        v
    }

    /// Relationship types in use with their counts, sorted by name.
    pub fn rel_type_counts(&self) -> Vec<(&str, usize)> {
        let mut v: Vec<_> = self
            .by_type_count
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(s, n)| (self.symbols.name(*s), *n))
            .collect();
        v.sort();
        v
    }

    /// Every property key used on a node or relationship, sorted.
    pub fn property_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.prop_keys.iter().map(|k| &**k).collect();
        keys.sort_unstable();
        keys
    }

    pub fn has_property_key(&self, key: &str) -> bool {
        self.prop_keys.contains(key)
    }

    fn note_keys(&mut self, props: &Props) {
        for k in props.keys() {
            if !self.prop_keys.contains(&**k) {
                self.prop_keys.insert(k.clone());
            }
        }
    }

    pub fn has_label(&self, label: &str) -> bool {
        self.symbols
            .get(label)
            .is_some_and(|s| self.by_label.get(&s).is_some_and(|v| !v.is_empty()))
    }

    pub fn has_rel_type(&self, t: &str) -> bool {
        self.symbols
            .get(t)
            .is_some_and(|s| self.by_type_count.get(&s).is_some_and(|n| *n > 0))
    }
}

fn insert_sorted(list: &mut Vec<(Sym, Adj)>, t: Sym, a: Adj) {
    let pos = list.partition_point(|(s, _)| *s <= t);
    list.insert(pos, (t, a));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(pairs: &[(&str, Value)]) -> Map {
        pairs.iter().map(|(k, v)| (Arc::from(*k), v.clone())).collect()
    }

    #[test]
    fn indexes_follow_inserts() {
        let mut g = Graph::new("t");
        let a = g
            .add_node(
                &["Role"],
                props(&[
                    ("id", "a".into()),
                    ("name", "Alpha".into()),
                    ("aliases", Value::list(vec!["AL".into()])),
                ]),
            )
            .unwrap();
        let b = g.add_node(&["Role", "Team"], props(&[("id", "b".into())])).unwrap();
        let r = g.add_rel(a, b, "LEADS", Map::new()).unwrap();
        g.add_rel(a, b, "WORKS_WITH", Map::new()).unwrap();
        g.add_rel(b, b, "LEADS", Map::new()).unwrap();

        assert_eq!(g.node_by_key("a"), Some(a));
        assert_eq!(g.nodes_with_label("Role"), &[a, b]);
        assert_eq!(g.nodes_with_label("Team"), &[b]);
        assert_eq!(g.nodes_by_alias("al"), &[a]);
        assert_eq!(g.nodes_by_name("ALPHA"), vec![a]);
        assert_eq!(
            g.neighbours(a, Direction::Outgoing, Some("LEADS")),
            vec![Adj { rel: r, other: b }]
        );
        assert_eq!(g.degree(a, Direction::Outgoing, None), 2);
        assert_eq!(g.degree(b, Direction::Both, Some("LEADS")), 2, "self-loop counted once");
        assert_eq!(g.degree(a, Direction::Outgoing, Some("NOPE")), 0);
        assert_eq!(g.rel(r).rel_type(), "LEADS");
        assert!(matches!(
            g.add_node(&["Role"], props(&[("id", "a".into())])),
            Err(StoreError::DuplicateKey(_))
        ));
    }
}
