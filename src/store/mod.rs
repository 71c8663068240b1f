//! The graph store: nodes with labels and properties, relationships with a
//! type and properties, and the indexes queries need (id, label, alias, typed
//! adjacency). This is the only module that knows petgraph is underneath.

mod acyclic;
mod adjacency;
mod keys;
mod names;
mod node_map;
mod node_set;
mod prop_index;
mod props;
mod rel_types;
mod symbols;
mod txn;
mod type_stats;
mod value_stats;
pub mod zones;

use std::sync::Arc;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use rustc_hash::FxHashMap as HashMap;

use crate::value::{Map, Value};
use adjacency::{Adjacency, Pending};
use keys::{IdIndex, Refused};
use props::Shapes;
pub use props::{Props, PropsRef};
use rel_types::RelTypes;
use symbols::LabelSets;
pub use symbols::{Sym, Symbols};
pub use type_stats::{IdBounds, TypeStats};
pub use value_stats::ValueStats;

pub use node_map::{LabelTest, NodeMap};
pub use node_set::NodeSet;
pub use prop_index::{
    BUILD_COST, Entries, EntryRef, IndexCreated, IndexDef, IndexError, IndexInfo, IndexKey, IndexView, KeyRef, Lookup,
    PropIndex, RangeEnd,
};
pub use txn::{Changes, Mark};

/// Handle of a node; stable for the life of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct NodeId(u32);

/// Handle of a relationship; stable once loading has finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelId(u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}
/// The node indexes that `sorted` (ascending, without repeats) holds, as
/// one range, when it holds every id from its first to its last.
pub fn id_run(sorted: &[NodeId]) -> Option<std::ops::Range<usize>> {
    let (first, last) = (sorted.first()?.index(), sorted.last()?.index());
    (last.checked_sub(first)? + 1 == sorted.len()).then_some(first..last + 1)
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

/// An interned set of labels (see [`Graph::label_set`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelSet(u32);

impl LabelSet {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A node's weight in petgraph: its label set and key list (both
/// interned), and where its values start in the graph's value column.
#[derive(Debug, Clone)]
pub struct NodeData {
    labels: u32,
    shape: u32,
    first: u32,
}

/// A node as the evaluator and renderers see it.
#[derive(Clone, Copy)]
pub struct NodeRef<'g> {
    pub id: NodeId,
    graph: &'g Graph,
    data: &'g NodeData,
}

impl<'g> NodeRef<'g> {
    fn label_syms(&self) -> &'g [Sym] {
        self.graph.label_sets.get(self.data.labels)
    }
    pub fn labels(&self) -> impl Iterator<Item = &'g str> + 'g {
        let g = self.graph;
        self.label_syms().iter().map(move |s| g.symbols.name(*s))
    }
    pub fn has_label(&self, label: &str) -> bool {
        match self.graph.symbols.get(label) {
            Some(sym) => self.label_syms().contains(&sym),
            None => false,
        }
    }
    /// As `has_label`, with the label already resolved to its symbol.
    pub fn has_label_sym(&self, sym: Sym) -> bool {
        self.label_syms().contains(&sym)
    }
    pub fn prop(&self, key: &str) -> Option<&'g Value> {
        self.props().get(key)
    }
    pub fn props(&self) -> PropsRef<'g> {
        let keys = self.graph.shapes.get(self.data.shape);
        let first = self.data.first as usize;
        PropsRef::Columns {
            keys,
            values: &self.graph.values[first..first + keys.len()],
        }
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

/// Nodes next to each other whose values lie next to each other: node
/// `start + k` has key list `shape` and its values from `first + k * width`.
/// A node file makes one run (or a few, where a line leaves a field empty),
/// so a scan can read a key's values by stride without reading each node.
#[derive(Debug, Clone, Copy)]
struct NodeRun {
    start: u32,
    len: u32,
    shape: u32,
    first: u32,
    width: u32,
}

/// One property key resolved against every key list nodes use, so that
/// reading it from many nodes (a scan) compares no key strings: see
/// [`Graph::prop_key`].
pub struct PropKey<'g> {
    graph: &'g Graph,
    /// Per key list: the key's position in it, or `u32::MAX`.
    at: Vec<u32>,
}

impl<'g> PropKey<'g> {
    /// The node's value for the key, as `NodeRef::prop` gives it.
    #[inline]
    pub fn get(&self, n: NodeId) -> Option<&'g Value> {
        let d = &self.graph.g[NodeIndex::new(n.index())];
        match self.at.get(d.shape as usize) {
            Some(&i) if i != u32::MAX => self.graph.values.get(d.first as usize + i as usize),
            _ => None,
        }
    }

    /// Calls `f` with the value (or `None`) of each node whose index is in
    /// `nodes`, in order: run by run, by stride through the value column,
    /// without reading the nodes themselves.
    #[inline]
    pub fn for_each_in(&self, nodes: std::ops::Range<usize>, mut f: impl FnMut(Option<&'g Value>)) {
        let runs = &self.graph.runs;
        let mut i = runs.partition_point(|r| (r.start + r.len) as usize <= nodes.start);
        let mut at = nodes.start;
        while at < nodes.end
            && let Some(r) = runs.get(i)
        {
            let (k0, k1) = (
                at - r.start as usize,
                (nodes.end - r.start as usize).min(r.len as usize),
            );
            match self.at.get(r.shape as usize) {
                Some(&p) if p != u32::MAX => {
                    let w = r.width as usize;
                    let from = r.first as usize + p as usize + k0 * w;
                    let values = self.graph.values.get(from..).unwrap_or(&[]);
                    let mut seen = 0;
                    for v in values.iter().step_by(w.max(1)).take(k1 - k0) {
                        f(Some(v));
                        seen += 1;
                    }
                    // Never short, as the run's layout holds; if it were,
                    // the rest would read as missing.
                    for _ in seen..k1 - k0 {
                        f(None);
                    }
                }
                _ => (k0..k1).for_each(|_| f(None)),
            }
            at = r.start as usize + k1;
            i += 1;
        }
    }
}

/// One property key resolved against the key lists nodes used when it was
/// made, kept apart from the graph (unlike [`PropKey`]) so that an
/// execution can hold it while the graph grows: a node whose key list is
/// newer is read by name (see [`Graph::node_prop`]).
#[derive(Debug, Clone)]
pub struct KeyPositions {
    key: Arc<str>,
    /// Per key list: the key's position in it, or `u32::MAX`.
    at: Vec<u32>,
}

impl KeyPositions {
    pub fn key(&self) -> &Arc<str> {
        &self.key
    }
}

/// A relationship as the evaluator and renderers see it.
#[derive(Clone, Copy)]
pub struct RelRef<'g> {
    pub id: RelId,
    graph: &'g Graph,
    rel_type: Sym,
    props: &'g Props,
    start: NodeId,
    end: NodeId,
}

impl<'g> RelRef<'g> {
    pub fn rel_type(&self) -> &'g str {
        self.graph.symbols.name(self.rel_type)
    }
    /// The type as the store's symbol.
    pub fn type_sym(&self) -> Sym {
        self.rel_type
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
        self.props.get(key)
    }
    pub fn props(&self) -> PropsRef<'g> {
        self.props.as_ref()
    }
}

/// One step of typed adjacency: the relationship and the node at its far end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adj {
    pub rel: RelId,
    pub other: NodeId,
}

/// The property graph with its indexes. Nodes and relationships are
/// petgraph's (relationship types sit in a column beside them); relationship
/// properties sit in a side table that exists only once one has any.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    name: String,
    g: DiGraph<NodeData, (), u32>,
    /// The type of each relationship, by id (petgraph's edge weight is empty).
    rel_types: RelTypes,
    symbols: Symbols,
    label_sets: LabelSets,
    /// Nodes' key lists, and their values, node after node.
    shapes: Shapes,
    values: Vec<Value>,
    /// Every node in one run (see [`NodeRun`]), in node order.
    runs: Vec<NodeRun>,
    /// Empty, or one entry per relationship.
    rel_props: Vec<Props>,
    no_props: Props,
    adjacency: Adjacency,
    /// Relationships of a bulk load, added to petgraph at its end.
    pending: Vec<Pending>,
    pending_props: Vec<(u32, Props)>,
    /// `id` property → node (see `keys.rs`).
    by_key: IdIndex,
    /// Each label's nodes, in ascending order.
    by_label: HashMap<Sym, Vec<NodeId>>,
    by_type: HashMap<Sym, TypeStats>,
    /// Lower-cased aliases → nodes (an alias may name several).
    by_alias: HashMap<String, Vec<NodeId>>,
    /// Nodes by name, ignoring case, built when first asked (`names.rs`).
    names: names::Names,
    /// Sampled value statistics, kept until a node changes (`value_stats.rs`).
    stats: value_stats::StatsCache,
    /// Block summaries of keys' values, made by the scans that read them
    /// and kept until a node changes (`zones.rs`).
    zones: zones::ZoneCache,
    /// While loading in bulk, relationships wait in `pending`.
    bulk: bool,
    /// Every property key in use, for planning and completion.
    prop_keys: rustc_hash::FxHashSet<Arc<str>>,
    /// What undoes each change since the journal started (see `txn.rs`);
    /// `None` while loading.
    journal: Option<Vec<txn::Change>>,
    /// Journal entries below this are before the last mark: closed.
    sealed: usize,
    /// Deleted nodes and relationships (tombstones, see `txn.rs`).
    dead_nodes: rustc_hash::FxHashSet<u32>,
    dead_rels: rustc_hash::FxHashSet<u32>,
    /// Property indexes (see `prop_index.rs`).
    indexes: prop_index::Indexes,
    /// Which sets of types were found to have no directed cycle, kept
    /// until a relationship changes (`acyclic.rs`).
    acyclic: acyclic::AcyclicCache,
}

/// Errors the store itself can raise while building a graph.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    #[error("a node with id '{0}' already exists")]
    DuplicateKey(String),
    #[error("no such node")]
    MissingNode,
    #[error("the graph is full: its nodes' property values or ids pass what it can index (4 Gi values, 4 GiB of ids)")]
    Full,
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
        self.g.node_count() - self.dead_nodes.len()
    }

    pub fn rel_count(&self) -> usize {
        self.g.edge_count() + self.pending.len() - self.dead_rels.len()
    }

    /// Adds a node. A string `id` property must be unique; `name` and the
    /// strings in `aliases` are indexed for case-insensitive lookup.
    pub fn add_node<S: AsRef<str>>(&mut self, labels: &[S], props: Map) -> Result<NodeId, StoreError> {
        self.add_node_props(labels, Props::from(props))
    }

    /// Adds a node whose properties are already in store form.
    pub fn add_node_props<S: AsRef<str>>(&mut self, labels: &[S], props: Props) -> Result<NodeId, StoreError> {
        let set = self.label_set(labels);
        self.add_node_in(set, props)
    }

    /// The interned set of `labels` (duplicates dropped, order kept), for
    /// adding many nodes with the same labels.
    pub fn label_set<S: AsRef<str>>(&mut self, labels: &[S]) -> LabelSet {
        let mut syms: Vec<Sym> = Vec::with_capacity(labels.len());
        for l in labels {
            let s = self.symbols.intern(l.as_ref());
            if !syms.contains(&s) {
                syms.push(s);
            }
        }
        LabelSet(self.label_sets.intern(&syms))
    }

    /// Adds a node with an interned label set.
    pub fn add_node_in(&mut self, labels: LabelSet, props: Props) -> Result<NodeId, StoreError> {
        self.names.clear();
        self.stats.clear();
        self.zones.clear();
        let id = NodeId(self.g.node_count() as u32);
        let Ok(first) = u32::try_from(self.values.len() + props.len()).map(|end| end - props.len() as u32) else {
            return Err(StoreError::Full);
        };
        let key = match props.get("id") {
            Some(Value::String(k)) => Some(&**k),
            _ => None,
        };
        match self.by_key.push(id, key) {
            Ok(()) => {}
            Err(Refused::Taken(_)) => return Err(StoreError::DuplicateKey(key.unwrap_or_default().to_string())),
            Err(Refused::Full) => return Err(StoreError::Full),
        }
        if let Some(Value::List(list)) = props.get("aliases") {
            let mut aliases: Vec<String> = list.iter().filter_map(Value::as_str).map(str::to_lowercase).collect();
            aliases.sort();
            aliases.dedup();
            for a in aliases {
                self.by_alias.entry(a).or_default().push(id);
            }
        }
        for &s in self.label_sets.get(labels.0) {
            self.by_label.entry(s).or_default().push(id);
        }
        let (shape, new) = self.shapes.intern(&props);
        if new {
            self.note_keys(props.as_ref());
        }
        let width = props.len() as u32;
        match self.runs.last_mut() {
            Some(r)
                if r.shape == shape
                    && r.start + r.len == id.0
                    && r.first as u64 + r.len as u64 * r.width as u64 == first as u64 =>
            {
                r.len += 1
            }
            _ => self.runs.push(NodeRun {
                start: id.0,
                len: 1,
                shape,
                first,
                width,
            }),
        }
        self.values.extend(props.into_values());
        let idx = self.g.add_node(NodeData {
            labels: labels.0,
            shape,
            first,
        });
        debug_assert_eq!(idx.index(), id.index());
        self.index_in(id);
        self.log(txn::Change::NodesAdded(id.0, id.0 + 1));
        Ok(id)
    }

    /// Reserves room for this many more nodes and relationships.
    pub fn reserve(&mut self, nodes: usize, rels: usize) {
        self.g.reserve_exact_nodes(nodes);
        self.by_key.reserve(nodes, 8);
        if self.bulk {
            self.pending.reserve_exact(rels);
        } else {
            self.g.reserve_edges(rels);
        }
    }

    /// Starts a bulk load: relationships wait until [`Graph::end_bulk`]
    /// adds them all at once in the compact frozen layout.
    pub fn begin_bulk(&mut self) {
        self.bulk = true;
    }

    /// Ends a bulk load. On a graph that had no relationships before, the
    /// waiting ones are added sorted by start node and type, which is what
    /// lets the adjacency be a set of ranges; otherwise one by one.
    pub fn end_bulk(&mut self) {
        self.stats.clear();
        self.zones.clear();
        self.acyclic.clear();
        self.bulk = false;
        let pending = std::mem::take(&mut self.pending);
        let mut props = std::mem::take(&mut self.pending_props);
        for list in self.by_label.values_mut() {
            list.shrink_to_fit();
        }
        self.by_key.shrink_to_fit();
        self.values.shrink_to_fit();
        if !self.indexes.is_empty() {
            self.rebuild_indexes();
        }
        if pending.is_empty() {
            return;
        }
        if self.g.edge_count() > 0 || self.adjacency.is_frozen() {
            let mut props = props.into_iter().peekable();
            for (i, &(s, e, t)) in pending.iter().enumerate() {
                let p = match props.next_if(|(j, _)| *j as usize == i) {
                    Some((_, p)) => p,
                    None => Props::default(),
                };
                self.insert_rel(NodeId(s), NodeId(e), t, p);
            }
            return;
        }
        let count = pending.len();
        self.g.reserve_exact_edges(count);
        self.rel_types.reserve_exact(count);
        let (g, rel_types) = (&mut self.g, &mut self.rel_types);
        let mut per_type: Vec<Option<TypeStats>> = Vec::new();
        let new_id = self.adjacency.freeze(g.node_count(), pending, |sorted| {
            std::thread::scope(|scope| {
                // Types and their counts on a second thread, edges here.
                scope.spawn(|| {
                    for &(s, e, t) in sorted {
                        rel_types.push(t);
                        if per_type.len() <= t.index() {
                            per_type.resize(t.index() + 1, None);
                        }
                        match &mut per_type[t.index()] {
                            Some(stats) => stats.add(s, e),
                            none => *none = Some(TypeStats::of(s, e)),
                        }
                    }
                    TypeStats::degrees(sorted, &mut per_type);
                });
                // petgraph links each relationship into its end node's
                // list: a write at random, so the end node is asked for a
                // few ahead.
                const AHEAD: usize = 16;
                let nodes = g.raw_nodes().as_ptr();
                for (k, &(s, e, _)) in sorted.iter().enumerate() {
                    if let Some(&(_, ahead, _)) = sorted.get(k + AHEAD) {
                        prefetch(nodes.wrapping_add(ahead as usize));
                    }
                    g.add_edge(NodeIndex::new(s as usize), NodeIndex::new(e as usize), ());
                }
            })
        });
        for (t, stats) in per_type.into_iter().enumerate() {
            if let Some(stats) = stats {
                self.add_type_stats(Sym::from_index(t), stats);
            }
        }
        if !props.is_empty() {
            self.rel_props = vec![Props::default(); count];
            for (i, p) in props.drain(..) {
                self.rel_props[new_id[i as usize] as usize] = p;
            }
        }
    }

    /// Adds a relationship between two existing nodes.
    pub fn add_rel(&mut self, start: NodeId, end: NodeId, rel_type: &str, props: Map) -> Result<RelId, StoreError> {
        self.add_rel_props(start, end, rel_type, Props::from(props))
    }

    /// Adds a relationship whose properties are already in store form. Not
    /// deferred by a bulk load: the id it returns is final.
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
        self.note_keys(props.as_ref());
        Ok(self.insert_rel(start, end, t, props))
    }

    /// The symbol for a relationship type or label, interning it.
    pub fn intern(&mut self, name: &str) -> Sym {
        self.symbols.intern(name)
    }

    /// Adds a relationship to a bulk load (or at once outside one).
    pub fn push_rel(&mut self, start: NodeId, end: NodeId, t: Sym, props: Props) -> Result<(), StoreError> {
        if !self.contains_node(start) || !self.contains_node(end) {
            return Err(StoreError::MissingNode);
        }
        self.note_keys(props.as_ref());
        if !self.bulk {
            self.insert_rel(start, end, t, props);
            return Ok(());
        }
        if !props.is_empty() {
            self.pending_props.push((self.pending.len() as u32, props));
        }
        self.pending.push((start.0, end.0, t));
        Ok(())
    }

    /// As [`Graph::push_rel`] for many relationships of one type without
    /// properties, whose ends came from this graph's id index.
    pub fn push_rels(&mut self, t: Sym, pairs: &[(NodeId, NodeId)]) -> Result<(), StoreError> {
        let nodes = self.g.node_count();
        if pairs.iter().any(|(s, e)| s.index() >= nodes || e.index() >= nodes) {
            return Err(StoreError::MissingNode);
        }
        if !self.bulk {
            for &(s, e) in pairs {
                self.insert_rel(s, e, t, Props::default());
            }
            return Ok(());
        }
        self.pending.extend(pairs.iter().map(|(s, e)| (s.0, e.0, t)));
        Ok(())
    }

    fn insert_rel(&mut self, start: NodeId, end: NodeId, t: Sym, props: Props) -> RelId {
        let e = self
            .g
            .add_edge(NodeIndex::new(start.index()), NodeIndex::new(end.index()), ());
        self.rel_types.push(t);
        self.acyclic.clear();
        let rel = RelId(e.index() as u32);
        if !props.is_empty() || !self.rel_props.is_empty() {
            // The side table starts with the first relationship that has properties.
            self.rel_props.resize_with(rel.index(), Props::default);
            self.rel_props.push(props);
        }
        self.adjacency.insert(rel, start, end, t);
        let out = self
            .adjacency
            .count(self.rels_view(), start, Direction::Outgoing, Some(t));
        let inc = self
            .adjacency
            .count(self.rels_view(), end, Direction::Incoming, Some(t));
        let was = self.by_type.get(&t).copied();
        let now = match was {
            Some(mut w) => {
                w.added(start.0, end.0, out, inc);
                w
            }
            None => TypeStats::of(start.0, end.0),
        };
        if self.journaling() && was.is_none_or(|w| w.widened_by(&now)) {
            self.log(txn::Change::TypeStats(t, was));
        }
        self.by_type.insert(t, now);
        self.log(txn::Change::RelsAdded(rel.0, rel.0 + 1));
        rel
    }

    fn add_type_stats(&mut self, t: Sym, stats: TypeStats) {
        self.by_type.entry(t).and_modify(|s| s.merge(stats)).or_insert(stats);
    }

    /// Whether every relationship of type `t` has a node with `label` at
    /// its start (`at_start`) or at its end. False when unsure: it holds
    /// when the ends' ids lie within a run of ids that all have the label
    /// (see `type_stats.rs`). No relationships of the type: true.
    pub fn type_ends_have_label(&self, t: Sym, at_start: bool, label: Sym) -> bool {
        let Some(stats) = self.by_type.get(&t) else {
            return true;
        };
        let bounds = if at_start { stats.starts } else { stats.ends };
        self.by_label.get(&label).is_some_and(|nodes| bounds.within(nodes))
    }

    /// Whether no relationship of type `t` has a node with `label` at its
    /// start (`at_start`) or at its end: no node of the label has an id
    /// within the bounds of those ends' ids (which always hold, see
    /// `type_stats.rs`). False when unsure; true when the type has no
    /// relationships.
    pub fn type_ends_lack_label(&self, t: Sym, at_start: bool, label: Sym) -> bool {
        let Some(stats) = self.by_type.get(&t) else {
            return true;
        };
        if stats.count == 0 {
            return true;
        }
        let bounds = if at_start { stats.starts } else { stats.ends };
        let Some(nodes) = self.by_label.get(&label) else {
            return true;
        };
        // The label's nodes are kept in id order.
        let first = nodes.partition_point(|n| (n.index() as u64) < u64::from(bounds.lo));
        nodes.get(first).is_none_or(|n| n.index() as u64 > u64::from(bounds.hi))
    }

    /// The ranges of node ids at which relationships of `types` may start
    /// (`at_start` true) or end (false), for each of `at_start`: the
    /// bounds of those ends' ids (see `type_stats.rs`), which always hold,
    /// merged where they overlap, in id order. A type without
    /// relationships adds none.
    pub fn type_end_ranges(&self, types: &[Sym], at_start: &[bool]) -> Vec<std::ops::Range<usize>> {
        let mut ranges: Vec<std::ops::Range<usize>> = types
            .iter()
            .filter_map(|t| self.by_type.get(t).filter(|s| s.count > 0))
            .flat_map(|s| at_start.iter().map(move |&a| if a { s.starts } else { s.ends }))
            .map(|b| b.lo as usize..(b.hi as usize + 1).min(self.node_bound()))
            .filter(|r| !r.is_empty())
            .collect();
        ranges.sort_unstable_by_key(|r| r.start);
        let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }

    /// The nodes the graph holds with ids in `ids`, in id order.
    pub fn nodes_in(&self, ids: std::ops::Range<usize>) -> impl Iterator<Item = NodeId> + '_ {
        (ids.start..ids.end.min(self.node_bound()))
            .map(|i| NodeId(i as u32))
            .filter(|n| self.contains_node(*n))
    }

    pub fn contains_node(&self, id: NodeId) -> bool {
        // Undone nodes are removed from the end, deleted ones kept as
        // tombstones: every index below the count exists.
        id.index() < self.g.node_count() && !self.is_deleted_node(id)
    }

    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        let data = &self.g[NodeIndex::new(id.index())];
        NodeRef { id, graph: self, data }
    }

    pub fn rel(&self, id: RelId) -> RelRef<'_> {
        let e = &self.g.raw_edges()[id.index()];
        RelRef {
            id,
            graph: self,
            rel_type: self.rel_types.get(id.index()),
            props: self.rel_props.get(id.index()).unwrap_or(&self.no_props),
            start: NodeId(e.source().index() as u32),
            end: NodeId(e.target().index() as u32),
        }
    }

    /// Every node, in insertion order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.g
            .node_indices()
            .map(|i| NodeId(i.index() as u32))
            .filter(|n| !self.is_deleted_node(*n))
    }

    /// Every relationship, in id order (insertion order, except that a
    /// bulk load adds its relationships grouped by start node).
    pub fn rels(&self) -> impl Iterator<Item = RelId> + '_ {
        self.g
            .edge_indices()
            .map(|i: EdgeIndex<u32>| RelId(i.index() as u32))
            .filter(|r| !self.is_deleted_rel(*r))
    }

    /// The interned label set of a node.
    pub(crate) fn label_set_of(&self, n: NodeId) -> LabelSet {
        LabelSet(self.g[NodeIndex::new(n.index())].labels)
    }

    /// A test of whether a node has all of `syms` in one lookup.
    pub fn label_test(&self, syms: &[Sym]) -> LabelTest {
        LabelTest::new(self, syms)
    }

    /// `init` for every node the graph has now, found by node.
    pub fn node_map<T: Clone>(&self, init: T) -> NodeMap<T> {
        NodeMap::new(self.node_bound(), init)
    }

    /// For every label set (indexed by [`LabelSet::index`]), whether it
    /// holds all of `syms`: a node's labels are then checked with one load.
    fn label_sets_holding(&self, syms: &[Sym]) -> Vec<bool> {
        (0..self.label_sets.len())
            .map(|i| {
                let set = self.label_sets.get(i as u32);
                syms.iter().all(|s| set.contains(s))
            })
            .collect()
    }

    /// True when every node has a string `id` (so `n.id` is never null).
    pub fn every_node_has_key(&self) -> bool {
        self.by_key.len() == self.g.node_count()
    }

    /// The node whose `id` property is `key`.
    pub fn node_by_key(&self, key: &str) -> Option<NodeId> {
        self.by_key.get(key)
    }

    /// As [`Graph::node_by_key`] for many keys at once, appending one answer
    /// per key to `out`: faster on a large graph, where lookups overlap
    /// their waits on memory.
    pub fn nodes_by_keys(&self, keys: &[&str], out: &mut Vec<Option<NodeId>>) {
        self.by_key.get_many(keys, out)
    }

    /// `key` resolved for fast reads from many nodes (see [`PropKey`]).
    pub fn prop_key(&self, key: &str) -> PropKey<'_> {
        PropKey {
            graph: self,
            at: self.shapes.positions(key),
        }
    }

    /// `key` resolved for reads by [`Graph::node_prop`].
    pub fn key_positions(&self, key: &Arc<str>) -> KeyPositions {
        KeyPositions {
            key: key.clone(),
            at: self.shapes.positions(key),
        }
    }

    /// Node `n`'s value for `key`, as `NodeRef::prop` gives it, found
    /// without comparing key names (but for key lists newer than `key`).
    #[inline]
    pub fn node_prop(&self, n: NodeId, key: &KeyPositions) -> Option<&Value> {
        let d = &self.g[NodeIndex::new(n.index())];
        match key.at.get(d.shape as usize) {
            Some(&i) if i != u32::MAX => self.values.get(d.first as usize + i as usize),
            Some(_) => None,
            None => self.node(n).prop(&key.key),
        }
    }

    /// A hint that a node with id `key` will be added or looked up soon:
    /// a loader that reads ahead lets the index's memory arrive meanwhile.
    pub fn prefetch_key(&self, key: &str) {
        self.by_key.prefetch(key)
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

    /// Every alias (lower-cased) with its nodes.
    pub fn aliases(&self) -> impl Iterator<Item = (&str, &[NodeId])> {
        self.by_alias.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Every node key (`id` property).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.by_key.iter().map(|(k, _)| k)
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
    pub fn for_each_neighbour_sym(&self, node: NodeId, dir: Direction, sym: Option<Sym>, f: impl FnMut(Adj)) {
        if !self.contains_node(node) {
            return;
        }
        self.adjacency.for_each(self.rels_view(), node, dir, sym, f)
    }

    /// A hint that `node`'s relationships in `dir` will be read soon (a
    /// matcher expanding from nodes it already holds in a list): given in
    /// two stages a few nodes apart, `first` and then not, as each stage
    /// reads what the one before asked for. It changes nothing else.
    pub fn prefetch_neighbours(&self, node: NodeId, dir: Direction, first: bool) {
        self.adjacency.prefetch(self.rels_view(), node, dir, first)
    }

    /// A hint that the nodes at the far end of `node`'s relationships of
    /// type `sym` (any with `None`) in `dir` will be asked for soon (a
    /// scan in node order, a few nodes ahead). Outgoing lists hold their
    /// far ends in order; only incoming ones need the hint.
    pub fn prefetch_far_ends(&self, node: NodeId, dir: Direction, sym: Option<Sym>) {
        if dir != Direction::Outgoing && self.contains_node(node) {
            self.adjacency.prefetch_sources(self.rels_view(), node, sym)
        }
    }

    /// A hint that `node`'s outgoing relationships of type `sym` (any with
    /// `None`) will be read soon, given a few nodes after
    /// [`Graph::prefetch_neighbours`]'s two stages asked for its offsets
    /// and types: the first of them, with their far ends. It changes
    /// nothing else.
    pub fn prefetch_out_run(&self, node: NodeId, sym: Option<Sym>) {
        if self.contains_node(node) {
            self.adjacency.prefetch_out_run(self.rels_view(), node, sym)
        }
    }

    /// A hint that node `node`'s labels and properties will be read soon,
    /// in the same two stages as [`Graph::prefetch_neighbours`]: `first`,
    /// the node's record; then its first property values.
    pub fn prefetch_node(&self, node: NodeId, first: bool) {
        let nodes = self.g.raw_nodes();
        let Some(n) = nodes.get(node.index()) else {
            return;
        };
        match first {
            true => prefetch(n as *const _),
            false => prefetch(self.values.as_ptr().wrapping_add(n.weight.first as usize)),
        }
    }

    fn rels_view(&self) -> adjacency::Rels<'_> {
        adjacency::Rels {
            edges: self.g.raw_edges(),
            types: &self.rel_types,
            dead: &self.dead_rels,
        }
    }

    /// Number of relationships at `node` in `dir` of `rel_type` (any if None).
    pub fn degree(&self, node: NodeId, dir: Direction, rel_type: Option<&str>) -> usize {
        let sym = match rel_type {
            Some(t) => match self.symbols.get(t) {
                Some(s) => Some(s),
                None => return 0,
            },
            None => None,
        };
        self.degree_sym(node, dir, sym)
    }

    /// As [`Graph::degree`], with the type already resolved; no neighbour is visited.
    pub fn degree_sym(&self, node: NodeId, dir: Direction, sym: Option<Sym>) -> usize {
        if !self.contains_node(node) {
            return 0;
        }
        let rels = self.rels_view();
        if dir == Direction::Both {
            // A self-loop is in both lists but counts once. With deleted
            // relationships the lists' lengths overcount: visit them.
            if !rels.dead.is_empty() {
                let mut n = 0;
                self.for_each_neighbour_sym(node, dir, sym, |_| n += 1);
                return n;
            }
            return match self.type_loops(sym) {
                0 => self.adjacency.count(rels, node, dir, sym),
                _ => self.adjacency.count_both(rels, node, sym),
            };
        }
        self.adjacency.count(rels, node, dir, sym)
    }

    /// [`Graph::degree_sym`] for each of `nodes` in turn, handed to `f`
    /// until it returns false: faster than one call per node, as each
    /// node's relationships are asked for from memory a few nodes ahead.
    pub fn degrees_sym(&self, nodes: &[NodeId], dir: Direction, sym: Sym, mut f: impl FnMut(NodeId, usize) -> bool) {
        let rels = self.rels_view();
        match dir {
            Direction::Incoming | Direction::Both if rels.dead.is_empty() => {
                let loops = dir == Direction::Both && self.type_loops(Some(sym)) > 0;
                self.adjacency.counts_in(rels, nodes, dir, sym, loops, f)
            }
            _ => {
                for &n in nodes {
                    if !f(n, self.degree_sym(n, dir, Some(sym))) {
                        return;
                    }
                }
            }
        }
    }

    /// Self-loops of type `sym` (of any type: `None`), from the statistics.
    fn type_loops(&self, sym: Option<Sym>) -> usize {
        match sym {
            Some(t) => self.by_type.get(&t).map_or(0, |s| s.loops),
            None => self.by_type.values().map(|s| s.loops).sum(),
        }
    }

    /// Bytes the store holds on the heap for its structure: petgraph's node
    /// and edge lists, the adjacency, property tables, node runs and the id index.
    /// Property values' own strings are not counted.
    pub fn structure_bytes(&self) -> usize {
        let nodes = self.g.capacity().0 * std::mem::size_of::<petgraph::graph::Node<NodeData, u32>>();
        let edges =
            self.g.capacity().1 * std::mem::size_of::<petgraph::graph::Edge<(), u32>>() + self.rel_types.heap_bytes();
        let props: usize = self.values.capacity() * std::mem::size_of::<Value>()
            + self.rel_props.capacity() * std::mem::size_of::<Props>()
            + self.rel_props.iter().map(Props::heap_bytes).sum::<usize>();
        let keys = self.by_key.heap_bytes();
        let runs = self.runs.capacity() * std::mem::size_of::<NodeRun>();
        nodes + edges + props + keys + runs + self.adjacency.heap_bytes()
    }

    /// Relationship type `t`'s statistics (see `type_stats.rs`): its
    /// count, the distinct nodes at its starts and ends, the highest
    /// degree at one node each way; `None` for a type the graph has never held.
    pub fn type_stats(&self, t: &str) -> Option<TypeStats> {
        self.symbols.get(t).and_then(|s| self.by_type.get(&s)).copied()
    }

    /// How many relationships of type `t` the graph holds (by symbol).
    pub fn type_count_sym(&self, t: Sym) -> usize {
        self.by_type.get(&t).map_or(0, |s| s.count)
    }

    /// How many relationships of type `t` the graph holds (0 for a type
    /// it does not know): a statistic for the planner's estimates.
    pub fn type_count(&self, t: &str) -> usize {
        self.symbols
            .get(t)
            .and_then(|s| self.by_type.get(&s))
            .map_or(0, |s| s.count)
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
            .by_type
            .iter()
            .filter(|(_, n)| n.count > 0)
            .map(|(s, n)| (self.symbols.name(*s), n.count))
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

    fn note_keys(&mut self, props: PropsRef<'_>) {
        for k in props.keys() {
            if !self.prop_keys.contains(&**k) {
                self.prop_keys.insert(k.clone());
                self.log(txn::Change::KeyAdded(k.clone()));
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
            .is_some_and(|s| self.by_type.get(&s).is_some_and(|n| n.count > 0))
    }
}

/// `n` copies of `fill` in memory the kernel is asked to back with huge
/// pages, for large tables read or written at random: with 4 KiB pages
/// most such accesses also miss the TLB (costly under virtualisation),
/// with 2 MiB pages almost none do. The advice is given before the pages
/// are first touched; a kernel without huge pages ignores it.
fn huge_vec<T: Clone>(n: usize, fill: T) -> Vec<T> {
    let mut v = Vec::with_capacity(n);
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let at = v.as_ptr() as usize;
        let (start, end) = (
            at.next_multiple_of(HUGE),
            (at + n * std::mem::size_of::<T>()) & !(HUGE - 1),
        );
        if end > start {
            #[allow(unsafe_code)]
            // SAFETY: advice about pages this vector owns and has not
            // touched yet; it changes no contents.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE)
            };
        }
    }
    v.resize(n, fill);
    v
}

/// A hint that `items[i]` will be read soon (nothing when there is none):
/// for tables made outside the store and read at random.
#[inline]
pub fn prefetch_at<T>(items: &[T], i: usize) {
    if let Some(x) = items.get(i) {
        prefetch(x)
    }
}

/// Asks the processor to bring the cache line at `x` in: a hint, which
/// neither reads nor faults, so `x` may point anywhere.
#[inline]
fn prefetch<T>(x: *const T) {
    // SAFETY: a prefetch has no effect the program can see and cannot
    // fault; SSE, which it needs, is part of every x86-64 processor.
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code)]
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(x.cast())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(pairs: &[(&str, Value)]) -> Map {
        pairs.iter().map(|(k, v)| (Arc::from(*k), v.clone())).collect()
    }

    /// Type `t`'s statistics counted from the relationships themselves.
    fn counted_stats(g: &Graph, t: &str) -> (usize, usize, usize, usize, usize) {
        let mut out: HashMap<NodeId, usize> = HashMap::default();
        let mut inc: HashMap<NodeId, usize> = HashMap::default();
        let mut count = 0;
        for r in g.rels().filter(|r| g.rel(*r).rel_type() == t) {
            count += 1;
            *out.entry(g.rel(r).start()).or_default() += 1;
            *inc.entry(g.rel(r).end()).or_default() += 1;
        }
        let max = |m: &HashMap<NodeId, usize>| m.values().copied().max().unwrap_or(0);
        (count, out.len(), inc.len(), max(&out), max(&inc))
    }

    /// The exact statistics agree with a count; the highest degrees are at least the counted ones.
    fn check_stats(g: &Graph, t: &str) {
        let (count, starts, ends, max_out, max_in) = counted_stats(g, t);
        let loops = g
            .rels()
            .filter(|r| g.rel(*r).rel_type() == t && g.rel(*r).start() == g.rel(*r).end())
            .count();
        assert_eq!(g.type_stats(t).map_or(0, |s| s.loops), loops, "{t}: self-loops");
        let s = g.type_stats(t).unwrap_or(TypeStats {
            count: 0,
            start_nodes: 0,
            end_nodes: 0,
            max_out: 0,
            max_in: 0,
            starts: IdBounds { lo: 0, hi: 0 },
            ends: IdBounds { lo: 0, hi: 0 },
            loops: 0,
        });
        assert_eq!(
            (s.count, s.start_nodes, s.end_nodes),
            (count, starts, ends),
            "{t}: {s:?}"
        );
        assert!(
            s.max_out >= max_out && s.max_in >= max_in,
            "{t}: {s:?} against {max_out}, {max_in}"
        );
        assert_eq!(g.type_count(t), count);
    }

    #[test]
    fn type_statistics_stay_exact_through_loads_changes_and_undo() {
        let mut g = Graph::new("t");
        g.begin_bulk();
        let nodes: Vec<NodeId> = (0..40).map(|_| g.add_node(&["N"], Map::new()).unwrap()).collect();
        let (a, b) = (g.intern("A"), g.intern("B"));
        for i in 0..40usize {
            for k in 0..(i % 4) {
                g.push_rel(nodes[i], nodes[(i * 7 + k) % 13], a, Props::default())
                    .unwrap();
            }
            if i % 3 == 0 {
                g.push_rel(nodes[i], nodes[i], b, Props::default()).unwrap();
            }
        }
        g.end_bulk();
        let s = g.type_stats("A").unwrap();
        assert_eq!(
            counted_stats(&g, "A"),
            (s.count, s.start_nodes, s.end_nodes, s.max_out, s.max_in)
        );
        check_stats(&g, "B");
        g.start_journal();
        let before = g.mark();
        let r = g.add_rel(nodes[1], nodes[2], "A", Map::new()).unwrap();
        g.add_rel(nodes[2], nodes[39], "C", Map::new()).unwrap();
        for t in ["A", "B", "C"] {
            check_stats(&g, t);
        }
        let deleted: Vec<RelId> = g.rels().filter(|x| g.rel(*x).start() == nodes[3] || *x == r).collect();
        for x in &deleted {
            assert!(g.delete_rel(*x));
        }
        for t in ["A", "B", "C"] {
            check_stats(&g, t);
        }
        let changes = g.take_since(before);
        let redo = g.revert(changes);
        for t in ["A", "B", "C"] {
            check_stats(&g, t);
        }
        assert_eq!(g.type_stats("A").unwrap(), s, "undo gives the loaded statistics back");
        g.revert(redo);
        for t in ["A", "B", "C"] {
            check_stats(&g, t);
        }
        let mark = g.mark();
        g.add_rel(nodes[5], nodes[6], "B", Map::new()).unwrap();
        g.rollback_to(mark);
        check_stats(&g, "B");
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

    /// A bulk load (frozen ranges) and one-by-one inserts (delta lists)
    /// must answer every adjacency question alike, and a relationship
    /// added after the freeze joins the frozen ones.
    #[test]
    fn bulk_and_incremental_adjacency_agree() {
        let types = ["B", "A", "C"];
        let edges: Vec<(usize, usize, &str, bool)> = (0..200)
            .map(|i| ((i * 7) % 13, (i * 5 + 3) % 13, types[i % 3], i % 10 == 0))
            .chain([(4, 4, "A", false), (4, 4, "A", true)])
            .collect();
        let build = |bulk: bool| {
            let mut g = Graph::new("t");
            let ids: Vec<NodeId> = (0..13)
                .map(|i| {
                    g.add_node(&["N"], props(&[("id", format!("n{i}").as_str().into())]))
                        .unwrap()
                })
                .collect();
            if bulk {
                g.begin_bulk();
            }
            for &(s, e, t, p) in &edges {
                let pr = if p {
                    props(&[("w", Value::Int(s as i64))])
                } else {
                    Map::new()
                };
                let sym = g.intern(t);
                g.push_rel(ids[s], ids[e], sym, Props::from(pr)).unwrap();
            }
            g.end_bulk();
            (g, ids)
        };
        let (a, ids) = build(false);
        let (mut b, _) = build(true);
        let seen = |g: &Graph, n: NodeId, d: Direction, t: Option<&str>| -> Vec<(String, NodeId, Option<String>)> {
            g.neighbours(n, d, t)
                .into_iter()
                .map(|x| {
                    let r = g.rel(x.rel);
                    (r.rel_type().to_string(), x.other, r.prop("w").map(|v| v.to_string()))
                })
                .collect()
        };
        for &n in &ids {
            for d in [Direction::Outgoing, Direction::Incoming, Direction::Both] {
                for t in [None, Some("A"), Some("B"), Some("C"), Some("Z")] {
                    assert_eq!(seen(&a, n, d, t), seen(&b, n, d, t), "{n:?} {d:?} {t:?}");
                    assert_eq!(a.degree(n, d, t), b.degree(n, d, t));
                    // Counted without visiting: a self-loop once either way.
                    assert_eq!(b.degree(n, d, t), seen(&b, n, d, t).len(), "{n:?} {d:?} {t:?}");
                    if let Some(sym) = t.and_then(|t| b.sym(t)) {
                        for g in [&a, &b] {
                            let mut each = Vec::new();
                            g.degrees_sym(&ids, d, sym, |m, k| {
                                each.push((m, k));
                                true
                            });
                            let one: Vec<_> = ids.iter().map(|&m| (m, g.degree_sym(m, d, Some(sym)))).collect();
                            assert_eq!(each, one, "{d:?} {t:?}");
                        }
                    }
                }
            }
        }
        assert_eq!(
            b.degree(ids[4], Direction::Both, Some("A")),
            a.degree(ids[4], Direction::Both, Some("A"))
        );
        assert_eq!(a.rel_type_counts(), b.rel_type_counts());
        // After the freeze: a new relationship shows up beside the frozen ones.
        let before = b.degree(ids[1], Direction::Outgoing, Some("A"));
        let r = b.add_rel(ids[1], ids[2], "A", props(&[("w", Value::Int(99))])).unwrap();
        assert_eq!(b.degree(ids[1], Direction::Outgoing, Some("A")), before + 1);
        assert!(
            b.neighbours(ids[2], Direction::Incoming, Some("A"))
                .contains(&Adj { rel: r, other: ids[1] })
        );
        assert_eq!(b.rel(r).prop("w").map(|v| v.to_string()), Some("99".to_string()));
    }
}
