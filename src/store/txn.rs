//! Changing a graph after it is built, and taking changes back. Every
//! change a statement makes (CREATE, SET, REMOVE, DELETE, MERGE) goes
//! through the methods here, which record in the graph's journal what
//! undoes it. A statement that fails is rolled back to the mark taken
//! before it ran; one that succeeds hands its changes to the session,
//! whose undo is [`Graph::revert`], which returns what redoes them.
//!
//! Deleted nodes and relationships stay in petgraph as tombstones (their
//! handles are never reused, so an undo can bring them back as they
//! were); every index forgets them and every iterator skips them. Undoing
//! a CREATE removes the last node or relationship for real.

use std::sync::Arc;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::type_stats::TypeStats;
use super::{Graph, LabelSet, NodeId, NodeRun, Props, RelId, StoreError, Sym};
use crate::value::Value;

/// One recorded change, as what reverting it does.
#[derive(Debug, Clone)]
pub(super) enum Change {
    /// Nodes `from..to` were added (they are the last ones).
    NodesAdded(u32, u32),
    /// Nodes from the first number on were taken off the end; adding them
    /// again in order redoes it.
    NodesRemoved(u32, Vec<(LabelSet, Props)>),
    RelsAdded(u32, u32),
    RelsRemoved(u32, Vec<(NodeId, NodeId, Sym, Props)>),
    /// A relationship type's statistics before a change widened them.
    TypeStats(Sym, Option<TypeStats>),
    KeyAdded(Arc<str>),
    KeyRemoved(Arc<str>),
    /// A node's labels before a change.
    NodeLabels(NodeId, LabelSet),
    /// A node's properties before a change.
    NodeProps(NodeId, Props),
    RelProps(RelId, Props),
    NodeDeleted(NodeId),
    NodeRevived(NodeId),
    RelDeleted(RelId),
    RelRevived(RelId),
    /// The named index was created.
    IndexCreated(Arc<str>),
    /// The index was dropped.
    IndexDropped(super::IndexDef),
}

/// A position in the journal (see [`Graph::mark`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark(usize);

/// The changes of one statement (or of a script run as one unit), in the
/// order they were made: what [`Graph::revert`] takes back.
#[derive(Debug, Clone, Default)]
pub struct Changes(Vec<Change>);

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends later changes (a script run as one unit).
    pub fn extend(&mut self, later: Changes) {
        self.0.extend(later.0)
    }
}

impl Graph {
    /// Starts recording changes (a session does; a load does not, so
    /// loading costs nothing for it).
    pub fn start_journal(&mut self) {
        if self.journal.is_none() {
            self.journal = Some(Vec::new());
        }
    }

    /// Where the journal is now: [`Graph::rollback_to`] returns here.
    /// Changes after a mark are never merged into an entry before it.
    pub fn mark(&mut self) -> Mark {
        let at = self.journal.as_ref().map_or(0, Vec::len);
        self.sealed = at;
        Mark(at)
    }

    /// Whether anything changed since `mark`.
    pub fn changed_since(&self, mark: Mark) -> bool {
        self.journal.as_ref().map_or(0, Vec::len) > mark.0
    }

    /// Takes back every change made since `mark`, newest first: the graph
    /// is then as it was when the mark was taken.
    pub fn rollback_to(&mut self, mark: Mark) {
        let Some(journal) = self.journal.as_mut() else { return };
        let tail = journal.split_off(mark.0.min(journal.len()));
        let _ = self.revert(Changes(tail));
    }

    /// The changes made since `mark`, which leave the journal.
    pub fn take_since(&mut self, mark: Mark) -> Changes {
        match self.journal.as_mut() {
            Some(j) => Changes(j.split_off(mark.0.min(j.len()))),
            None => Changes::default(),
        }
    }

    /// Takes back `changes` (the newest made), newest first; returns the
    /// changes that make them again (reverting those redoes them).
    pub fn revert(&mut self, changes: Changes) -> Changes {
        let journal = self.journal.take();
        let inverse = changes.0.into_iter().rev().map(|c| self.revert_one(c)).collect();
        self.journal = journal;
        Changes(inverse)
    }

    pub(super) fn log(&mut self, c: Change) {
        let Some(j) = self.journal.as_mut() else { return };
        let open = j.len() > self.sealed;
        match (j.last_mut().filter(|_| open), &c) {
            (Some(Change::NodesAdded(_, to)), Change::NodesAdded(a, b)) if *to == *a => *to = *b,
            (Some(Change::RelsAdded(_, to)), Change::RelsAdded(a, b)) if *to == *a => *to = *b,
            _ => j.push(c),
        }
    }

    pub(super) fn journaling(&self) -> bool {
        self.journal.is_some()
    }

    fn revert_one(&mut self, c: Change) -> Change {
        match c {
            Change::NodesAdded(from, to) => {
                let mut gone: Vec<(LabelSet, Props)> = (from..to).rev().map(|n| self.pop_node(NodeId(n))).collect();
                gone.reverse();
                Change::NodesRemoved(from, gone)
            }
            Change::NodesRemoved(from, nodes) => {
                let n = nodes.len() as u32;
                for (labels, props) in nodes {
                    let added = self.add_node_in(labels, props);
                    debug_assert!(added.is_ok(), "the node's id was free before");
                }
                Change::NodesAdded(from, from + n)
            }
            Change::RelsAdded(from, to) => {
                let mut gone: Vec<_> = (from..to).rev().map(|r| self.pop_rel(RelId(r))).collect();
                gone.reverse();
                Change::RelsRemoved(from, gone)
            }
            Change::RelsRemoved(from, rels) => {
                let n = rels.len() as u32;
                for (s, e, t, p) in rels {
                    self.insert_rel(s, e, t, p);
                }
                Change::RelsAdded(from, from + n)
            }
            Change::TypeStats(t, was) => {
                let now = self.by_type.get(&t).copied();
                match was {
                    Some(s) => self.by_type.insert(t, s),
                    None => self.by_type.remove(&t),
                };
                Change::TypeStats(t, now)
            }
            Change::KeyAdded(k) => {
                self.prop_keys.remove(&k);
                Change::KeyRemoved(k)
            }
            Change::KeyRemoved(k) => {
                self.prop_keys.insert(k.clone());
                Change::KeyAdded(k)
            }
            Change::NodeLabels(n, set) => {
                let now = self.label_set_of(n);
                self.put_labels(n, set);
                Change::NodeLabels(n, now)
            }
            Change::NodeProps(n, props) => {
                let now = Props::from(self.node(n).props().to_map());
                let put = self.put_node_props(n, props);
                debug_assert!(put.is_ok(), "the node's id was free before");
                Change::NodeProps(n, now)
            }
            Change::RelProps(r, props) => Change::RelProps(r, self.put_rel_props(r, props)),
            Change::NodeDeleted(n) => {
                self.revive_node(n);
                Change::NodeRevived(n)
            }
            Change::NodeRevived(n) => {
                self.kill_node(n);
                Change::NodeDeleted(n)
            }
            Change::RelDeleted(r) => {
                self.revive_rel(r);
                Change::RelRevived(r)
            }
            Change::RelRevived(r) => {
                self.kill_rel(r);
                Change::RelDeleted(r)
            }
            Change::IndexCreated(name) => match self.unmake_index(&name) {
                Some(def) => Change::IndexDropped(def),
                None => Change::IndexCreated(name),
            },
            Change::IndexDropped(def) => {
                self.remake_index(&def);
                Change::IndexCreated(def.name.as_str().into())
            }
        }
    }

    /// Whether `n` was deleted (a tombstone: its handle still reads).
    /// Whether any node is marked deleted (by the statement running).
    pub fn has_deleted_nodes(&self) -> bool {
        !self.dead_nodes.is_empty()
    }

    pub fn is_deleted_node(&self, n: NodeId) -> bool {
        !self.dead_nodes.is_empty() && self.dead_nodes.contains(&n.0)
    }

    pub fn is_deleted_rel(&self, r: RelId) -> bool {
        !self.dead_rels.is_empty() && self.dead_rels.contains(&r.0)
    }

    /// One more than the highest node handle ever given (deleted nodes
    /// included): the size of a table indexed by node.
    pub fn node_bound(&self) -> usize {
        self.g.node_count()
    }

    /// Whether `n` has a relationship that is not deleted.
    pub fn has_live_rels(&self, n: NodeId) -> bool {
        let mut any = false;
        self.adjacency
            .for_each(self.rels_view(), n, super::Direction::Both, None, |_| any = true);
        any
    }

    /// Replaces a node's properties. A string `id` must stay unique.
    pub fn set_node_props(&mut self, n: NodeId, props: Props) -> Result<(), StoreError> {
        let was = Props::from(self.node(n).props().to_map());
        self.put_node_props(n, props)?;
        self.log(Change::NodeProps(n, was));
        Ok(())
    }

    /// Replaces a node's labels.
    pub fn set_node_labels<S: AsRef<str>>(&mut self, n: NodeId, labels: &[S]) {
        let set = self.label_set(labels);
        let was = self.label_set_of(n);
        if set == was {
            return;
        }
        self.put_labels(n, set);
        self.log(Change::NodeLabels(n, was));
    }

    /// Replaces a relationship's properties.
    pub fn set_rel_props(&mut self, r: RelId, props: Props) {
        self.note_keys(props.as_ref());
        let was = self.put_rel_props(r, props);
        self.log(Change::RelProps(r, was));
    }

    /// Deletes a relationship; false when it already was.
    pub fn delete_rel(&mut self, r: RelId) -> bool {
        if self.is_deleted_rel(r) {
            return false;
        }
        self.kill_rel(r);
        self.log(Change::RelDeleted(r));
        true
    }

    /// Deletes a node; false when it already was. Its relationships are
    /// the caller's to delete first (see [`Graph::has_live_rels`]).
    pub fn delete_node(&mut self, n: NodeId) -> bool {
        if self.is_deleted_node(n) || n.index() >= self.g.node_count() {
            return false;
        }
        self.kill_node(n);
        self.log(Change::NodeDeleted(n));
        true
    }

    fn pop_node(&mut self, n: NodeId) -> (LabelSet, Props) {
        self.names.clear();
        self.stats.clear();
        self.zones.clear();
        debug_assert_eq!(n.index() + 1, self.g.node_count());
        let labels = self.label_set_of(n);
        let props = Props::from(self.node(n).props().to_map());
        let data = self.g[NodeIndex::new(n.index())].clone();
        self.unindex_node(n, &props);
        self.by_key.pop(n);
        if let Some(r) = self.runs.last_mut() {
            if r.len > 1 {
                r.len -= 1;
            } else {
                self.runs.pop();
            }
        }
        if data.first as usize + props.len() == self.values.len() {
            self.values.truncate(data.first as usize);
        }
        self.g.remove_node(NodeIndex::new(n.index()));
        (labels, props)
    }

    fn pop_rel(&mut self, r: RelId) -> (NodeId, NodeId, Sym, Props) {
        debug_assert_eq!(r.index() + 1, self.g.edge_count());
        let rel = self.rel(r);
        let (s, e, t) = (rel.start(), rel.end(), rel.rel_type);
        let props = rel.props.clone();
        self.adjacency.remove(r, s, e);
        self.rel_types.pop();
        self.rel_props.truncate(r.index());
        self.g.remove_edge(EdgeIndex::new(r.index()));
        self.type_degrees_changed(t, s, e, false);
        (s, e, t, props)
    }

    /// Takes a node out of the label, alias and property indexes.
    fn unindex_node(&mut self, n: NodeId, props: &Props) {
        self.index_out(n);
        let syms: Vec<Sym> = self.label_sets.get(self.label_set_of(n).0).to_vec();
        for s in syms {
            self.unlabel(n, s);
        }
        for a in aliases(props) {
            if let Some(list) = self.by_alias.get_mut(&a) {
                list.retain(|x| *x != n);
                if list.is_empty() {
                    self.by_alias.remove(&a);
                }
            }
        }
    }

    /// Puts a node into the label, alias and property indexes.
    fn index_node(&mut self, n: NodeId, props: &Props) {
        self.stats.clear();
        self.zones.clear();
        self.index_in(n);
        let syms: Vec<Sym> = self.label_sets.get(self.label_set_of(n).0).to_vec();
        for s in syms {
            let list = self.by_label.entry(s).or_default();
            if let Err(i) = list.binary_search(&n) {
                list.insert(i, n);
            }
        }
        for a in aliases(props) {
            let list = self.by_alias.entry(a).or_default();
            if let Err(i) = list.binary_search(&n) {
                list.insert(i, n);
            }
        }
    }

    fn unlabel(&mut self, n: NodeId, s: Sym) {
        self.stats.clear();
        self.zones.clear();
        if let Some(list) = self.by_label.get_mut(&s) {
            if let Ok(i) = list.binary_search(&n) {
                list.remove(i);
            }
            if list.is_empty() {
                self.by_label.remove(&s);
            }
        }
    }

    fn put_labels(&mut self, n: NodeId, set: LabelSet) {
        self.stats.clear();
        self.zones.clear();
        let old: Vec<Sym> = self.label_sets.get(self.label_set_of(n).0).to_vec();
        let new: Vec<Sym> = self.label_sets.get(set.0).to_vec();
        let live = !self.is_deleted_node(n);
        if live {
            self.index_out(n);
        }
        for s in old.iter().filter(|s| !new.contains(s)) {
            if live {
                self.unlabel(n, *s);
            }
        }
        for s in new.iter().filter(|s| !old.contains(s)) {
            if live {
                let list = self.by_label.entry(*s).or_default();
                if let Err(i) = list.binary_search(&n) {
                    list.insert(i, n);
                }
            }
        }
        self.g[NodeIndex::new(n.index())].labels = set.0;
        if live {
            self.index_in(n);
        }
    }

    /// Replaces a node's properties and their indexes; refused (nothing
    /// changed) when the new `id` is another node's.
    fn put_node_props(&mut self, n: NodeId, props: Props) -> Result<(), StoreError> {
        let live = !self.is_deleted_node(n);
        if live {
            self.index_out(n);
        }
        let done = self.put_node_values(n, props);
        if live {
            self.index_in(n);
        }
        done
    }

    fn put_node_values(&mut self, n: NodeId, props: Props) -> Result<(), StoreError> {
        self.names.clear();
        self.stats.clear();
        self.zones.clear();
        let key = match props.get("id") {
            Some(Value::String(k)) => Some(k.to_string()),
            _ => None,
        };
        let live = !self.is_deleted_node(n);
        if live {
            match self.by_key.set(n, key.as_deref()) {
                Ok(()) => {}
                Err(super::keys::Refused::Taken(_)) => return Err(StoreError::DuplicateKey(key.unwrap_or_default())),
                Err(super::keys::Refused::Full) => return Err(StoreError::Full),
            }
            let old = Props::from(self.node(n).props().to_map());
            for a in aliases(&old) {
                if let Some(list) = self.by_alias.get_mut(&a) {
                    list.retain(|x| *x != n);
                    if list.is_empty() {
                        self.by_alias.remove(&a);
                    }
                }
            }
            for a in aliases(&props) {
                let list = self.by_alias.entry(a).or_default();
                if let Err(i) = list.binary_search(&n) {
                    list.insert(i, n);
                }
            }
        }
        self.note_keys(props.as_ref());
        let (shape, _) = self.shapes.intern(&props);
        let data = &mut self.g[NodeIndex::new(n.index())];
        if data.shape == shape {
            let first = data.first as usize;
            for (slot, v) in self.values[first..].iter_mut().zip(props.into_values()) {
                *slot = v;
            }
            return Ok(());
        }
        let width = props.len() as u32;
        let first = u32::try_from(self.values.len() + props.len())
            .map(|end| end - width)
            .map_err(|_| StoreError::Full)?;
        self.values.extend(props.into_values());
        data.shape = shape;
        data.first = first;
        self.relayout(n, shape, first, width);
        Ok(())
    }

    /// Gives node `n` a run of its own (its key list and values moved).
    fn relayout(&mut self, n: NodeId, shape: u32, first: u32, width: u32) {
        let at = n.index() as u32;
        let i = self.runs.partition_point(|r| r.start + r.len <= at);
        let Some(&r) = self.runs.get(i) else { return };
        let mut parts = Vec::with_capacity(3);
        if at > r.start {
            parts.push(NodeRun { len: at - r.start, ..r });
        }
        parts.push(NodeRun {
            start: at,
            len: 1,
            shape,
            first,
            width,
        });
        let after = r.start + r.len - (at + 1);
        if after > 0 {
            parts.push(NodeRun {
                start: at + 1,
                len: after,
                first: r.first + (at + 1 - r.start) * r.width,
                ..r
            });
        }
        self.runs.splice(i..i + 1, parts);
    }

    /// Replaces a relationship's properties; returns the old ones.
    fn put_rel_props(&mut self, r: RelId, props: Props) -> Props {
        if self.rel_props.len() <= r.index() {
            if props.is_empty() {
                return Props::default();
            }
            self.rel_props.resize_with(self.g.edge_count(), Props::default);
        }
        std::mem::replace(&mut self.rel_props[r.index()], props)
    }

    fn kill_node(&mut self, n: NodeId) {
        self.names.clear();
        self.stats.clear();
        self.zones.clear();
        let props = Props::from(self.node(n).props().to_map());
        let _ = self.by_key.set(n, None);
        self.unindex_node(n, &props);
        self.dead_nodes.insert(n.0);
    }

    fn revive_node(&mut self, n: NodeId) {
        self.names.clear();
        self.stats.clear();
        self.zones.clear();
        self.dead_nodes.remove(&n.0);
        let props = Props::from(self.node(n).props().to_map());
        let key = match props.get("id") {
            Some(Value::String(k)) => Some(k.to_string()),
            _ => None,
        };
        let set = self.by_key.set(n, key.as_deref());
        debug_assert!(set.is_ok(), "the node's id was free before");
        self.index_node(n, &props);
    }

    fn kill_rel(&mut self, r: RelId) {
        let rel = self.rel(r);
        let (t, s, e) = (rel.rel_type, rel.start(), rel.end());
        self.dead_rels.insert(r.0);
        self.type_degrees_changed(t, s, e, false);
    }

    fn revive_rel(&mut self, r: RelId) {
        self.dead_rels.remove(&r.0);
        let rel = self.rel(r);
        let (t, s, e) = (rel.rel_type, rel.start(), rel.end());
        self.type_degrees_changed(t, s, e, true);
    }

    /// Type `t`'s statistics after a relationship of it from `s` to `e`
    /// came back (`added`) or went: the degrees of its ends decide whether
    /// they still count among the type's start and end nodes.
    fn type_degrees_changed(&mut self, t: Sym, s: NodeId, e: NodeId, added: bool) {
        self.acyclic.clear();
        let view = self.rels_view();
        let out = self.adjacency.count(view, s, super::Direction::Outgoing, Some(t));
        let inc = self.adjacency.count(view, e, super::Direction::Incoming, Some(t));
        if let Some(st) = self.by_type.get_mut(&t) {
            if added {
                st.added(s.0, e.0, out, inc);
            } else {
                st.removed(out, inc, s == e);
            }
        }
    }
}

/// The lower-cased aliases `props` index (duplicates dropped).
fn aliases(props: &Props) -> Vec<String> {
    let Some(Value::List(list)) = props.get("aliases") else {
        return Vec::new();
    };
    let mut out: Vec<String> = list.iter().filter_map(Value::as_str).map(str::to_lowercase).collect();
    out.sort();
    out.dedup();
    out
}
