//! Tables the evaluator keeps per node without knowing how the store
//! numbers its nodes: [`NodeMap`], a value per node, and [`LabelTest`],
//! whether a node has a given set of labels in one lookup.

use std::ops::{Index, IndexMut};

use super::{Graph, NodeId, Sym};

/// A value for every node of a graph, found by the node in one step.
#[derive(Debug, Clone)]
pub struct NodeMap<T> {
    values: Vec<T>,
}

impl<T: Clone> NodeMap<T> {
    /// `init` for every node `graph` has now (nodes created later are not
    /// in it: see [`NodeMap::get`]).
    pub(super) fn new(nodes: usize, init: T) -> NodeMap<T> {
        NodeMap {
            values: vec![init; nodes],
        }
    }
}

impl<T> NodeMap<T> {
    /// The value of `n`, `None` for a node newer than the map.
    pub fn get(&self, n: NodeId) -> Option<&T> {
        self.values.get(n.index())
    }

    /// The value of `n` to change, `None` for a node newer than the map.
    pub fn get_mut(&mut self, n: NodeId) -> Option<&mut T> {
        self.values.get_mut(n.index())
    }
}

impl<T> Index<NodeId> for NodeMap<T> {
    type Output = T;

    fn index(&self, n: NodeId) -> &T {
        &self.values[n.index()]
    }
}

impl<T> IndexMut<NodeId> for NodeMap<T> {
    fn index_mut(&mut self, n: NodeId) -> &mut T {
        &mut self.values[n.index()]
    }
}

/// Whether a node holds every label of a set, answered from the node's
/// interned label set: one load per node instead of a look at each label.
#[derive(Debug, Clone)]
pub struct LabelTest {
    /// Per label set the graph had when the test was made.
    holds: Vec<bool>,
}

impl LabelTest {
    pub(super) fn new(graph: &Graph, syms: &[Sym]) -> LabelTest {
        LabelTest {
            holds: graph.label_sets_holding(syms),
        }
    }

    /// Whether `n` has the labels; `None` when its set of labels is newer
    /// than the test (made since, by CREATE or SET): ask the node then.
    pub fn check(&self, graph: &Graph, n: NodeId) -> Option<bool> {
        self.holds.get(graph.label_set_of(n).index()).copied()
    }

    /// [`LabelTest::check`] for a graph that has not changed since the
    /// test was made: a set it does not know is taken as not holding.
    pub fn holds(&self, graph: &Graph, n: NodeId) -> bool {
        self.check(graph, n) == Some(true)
    }
}
