//! Nodes by `name`, ignoring case: what the warning for a literal that
//! names no node looks up (`plan/literal_refs.rs`) on every query that
//! compares `name` with text. Reading every node's name per query cost as
//! much as the query itself on a large graph, so the names are indexed
//! when first asked and the index is dropped by any change to a node (one
//! added, deleted, revived, or its properties replaced): no upkeep while
//! loading or editing, never stale. It holds a hash of each case-folded
//! name beside its node, sorted (no allocation per node); a hit is
//! confirmed against the name itself.

use std::hash::Hasher;
use std::sync::OnceLock;

use super::{Graph, NodeId};
use crate::value::Value;

/// The index, or nothing until it is asked for.
#[derive(Debug, Clone, Default)]
pub(super) struct Names(OnceLock<Vec<(u64, NodeId)>>);

impl Names {
    /// Forgets the index (a node changed).
    pub(super) fn clear(&mut self) {
        self.0.take();
    }
}

/// The hash of `text` in lower case.
fn folded_hash(text: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for c in text.chars().flat_map(char::to_lowercase) {
        h.write_u32(c as u32);
    }
    h.finish()
}

impl Graph {
    /// Nodes whose `name` is `text`, ignoring case, in node order.
    pub fn nodes_by_name(&self, text: &str) -> Vec<NodeId> {
        let index = self.names.0.get_or_init(|| {
            let at = self.prop_key("name");
            let mut all: Vec<(u64, NodeId)> = self
                .nodes()
                .filter_map(|n| Some((folded_hash(at.get(n)?.as_str()?), n)))
                .collect();
            all.sort_unstable();
            all
        });
        let h = folded_hash(text);
        let from = index.partition_point(|(x, _)| *x < h);
        let lower = text.to_lowercase();
        index[from..]
            .iter()
            .take_while(|(x, _)| *x == h)
            .map(|(_, n)| *n)
            .filter(|n| {
                self.node(*n)
                    .prop("name")
                    .and_then(Value::as_str)
                    .is_some_and(|name| name.to_lowercase() == lower)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Graph;
    use crate::store::Props;
    use crate::value::{Map, Value};

    fn named(g: &mut Graph, name: &str) -> crate::store::NodeId {
        let mut m = Map::new();
        m.insert("name".into(), Value::String(name.into()));
        g.add_node(&["L"], m).unwrap()
    }

    #[test]
    fn names_are_found_in_any_case_and_follow_every_change() {
        let mut g = Graph::new("t");
        let a = named(&mut g, "Chief Data Officer");
        let b = named(&mut g, "chief data officer");
        named(&mut g, "Ünïcode Naïve");
        assert_eq!(g.nodes_by_name("CHIEF DATA OFFICER"), vec![a, b]);
        assert_eq!(g.nodes_by_name("üNÏCODE naïve").len(), 1);
        assert!(g.nodes_by_name("nobody").is_empty());
        // A node added after the index was built is found.
        let c = named(&mut g, "Chief Data Officer");
        assert_eq!(g.nodes_by_name("chief data officer"), vec![a, b, c]);
        // Renamed, deleted, undone: the index follows.
        g.start_journal();
        let mark = g.mark();
        let mut m = Map::new();
        m.insert("name".into(), Value::String("Renamed".into()));
        g.set_node_props(b, Props::from(m)).unwrap();
        assert_eq!(g.nodes_by_name("chief data officer"), vec![a, c]);
        assert_eq!(g.nodes_by_name("renamed"), vec![b]);
        assert!(g.delete_node(a));
        assert_eq!(g.nodes_by_name("chief data officer"), vec![c]);
        g.rollback_to(mark);
        assert_eq!(g.nodes_by_name("chief data officer"), vec![a, b, c]);
        assert!(g.nodes_by_name("renamed").is_empty());
    }
}
