//! How many distinct values a label's nodes hold for a key: what the
//! planner's equality selectivity (one in that many) comes from.
//!
//! A property index on the label and key knows it exactly (it keeps the
//! number of distinct values it holds as nodes join and leave it, see
//! `prop_index.rs`). Otherwise it is estimated when asked, from an evenly
//! spread sample of the label's nodes as they are now, so it needs no
//! upkeep and is never stale: every value is read when the label has at
//! most [`SAMPLE`] nodes (exact), else the sample's counts are scaled up
//! with Haas and Stokes' Duj1 estimator, which gives the node count for a
//! key whose sampled values are all different and the sample's count for
//! one whose values all repeat. Integers and floats of one value count as
//! one value only in an index; here 1 and 1.0 are two.

use super::{Graph, NodeId, prop_index::IndexKey};

/// Nodes read to estimate a label's distinct values for a key.
pub const SAMPLE: usize = 1024;

/// A label's values for one key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueStats {
    /// Nodes with the label.
    pub nodes: usize,
    /// Of those, the ones with a (non-null) value for the key.
    pub with_value: f64,
    /// Distinct values among them (at least 1 when any has one).
    pub distinct: f64,
    /// Whether both figures are exact (an index, or every node read).
    pub exact: bool,
}

impl ValueStats {
    /// The fraction of the label's nodes equal to one given value: the
    /// nodes with a value over the distinct values, of all nodes.
    pub fn equality_selectivity(&self) -> f64 {
        if self.nodes == 0 || self.distinct < 1.0 {
            return 0.0;
        }
        self.with_value / self.distinct / self.nodes as f64
    }
}

/// The sampled estimates made so far, by label (`None`: every node) and
/// key, kept until a node changes (the store clears it wherever it clears
/// the name index, and when labels move): the planner asks for the same
/// few on every query, and a sample costs a sort.
#[derive(Default)]
pub(super) struct StatsCache(std::sync::Mutex<Vec<Kept>>);

/// One kept estimate: label (`None`: every node), key, statistics.
type Kept = (Option<Box<str>>, Box<str>, ValueStats);

impl StatsCache {
    /// Forgets every estimate (a node changed).
    pub(super) fn clear(&mut self) {
        if let Ok(v) = self.0.get_mut() {
            v.clear();
        }
    }

    fn get_or(&self, label: Option<&str>, key: &str, make: impl FnOnce() -> ValueStats) -> ValueStats {
        let found = |v: &[Kept]| {
            v.iter()
                .find(|(l, k, _)| l.as_deref() == label && &**k == key)
                .map(|e| e.2)
        };
        if let Ok(v) = self.0.lock()
            && let Some(s) = found(&v)
        {
            return s;
        }
        let s = make();
        if let Ok(mut v) = self.0.lock() {
            v.push((label.map(Into::into), key.into(), s));
        }
        s
    }
}

/// A copy starts with no estimates (they are remade when asked).
impl Clone for StatsCache {
    fn clone(&self) -> StatsCache {
        StatsCache::default()
    }
}

impl std::fmt::Debug for StatsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StatsCache")
    }
}

impl Graph {
    /// `label`'s nodes and their values for `key` (see the module's comment).
    pub fn value_stats(&self, label: &str, key: &str) -> ValueStats {
        let nodes = self.nodes_with_label(label);
        if let Some(ix) = self.index(label, key) {
            return ValueStats {
                nodes: nodes.len(),
                with_value: ix.len() as f64,
                distinct: ix.distinct() as f64,
                exact: true,
            };
        }
        self.stats.get_or(Some(label), key, || {
            self.sampled(nodes.len(), nodes.iter().copied(), key)
        })
    }

    /// Every node's values for `key`, whatever its labels: what an
    /// equality on an unlabelled node keeps.
    pub fn value_stats_all(&self, key: &str) -> ValueStats {
        self.stats
            .get_or(None, key, || self.sampled(self.node_count(), self.nodes(), key))
    }

    /// The values for `key` of an evenly spread sample of `nodes` (all
    /// of them when there are at most [`SAMPLE`]), `count` in all.
    fn sampled(&self, count: usize, nodes: impl Iterator<Item = NodeId>, key: &str) -> ValueStats {
        let at = self.prop_key(key);
        let step = count.div_ceil(SAMPLE).max(1);
        let mut keys: Vec<IndexKey> = nodes
            .step_by(step)
            .filter_map(|n| at.get(n).and_then(IndexKey::of))
            .collect();
        let read = count.div_ceil(step);
        keys.sort_unstable();
        let (mut distinct, mut once) = (0usize, 0usize);
        let mut i = 0;
        while i < keys.len() {
            let mut j = i + 1;
            while j < keys.len() && keys[j] == keys[i] {
                j += 1;
            }
            distinct += 1;
            once += usize::from(j - i == 1);
            i = j;
        }
        if step == 1 {
            return ValueStats {
                nodes: count,
                with_value: keys.len() as f64,
                distinct: distinct as f64,
                exact: true,
            };
        }
        // The sample stands for the nodes with a value.
        let n = keys.len() as f64;
        let with_value = count as f64 * n / read.max(1) as f64;
        let duj1 = if n == 0.0 {
            0.0
        } else {
            n * distinct as f64 / (n - once as f64 + once as f64 * n / with_value.max(n))
        };
        ValueStats {
            nodes: count,
            with_value,
            distinct: duj1.clamp(distinct as f64, with_value.max(distinct as f64)),
            exact: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Graph;
    use crate::value::{Map, Value};

    fn graph(n: usize, value: impl Fn(usize) -> Option<Value>) -> Graph {
        let mut g = Graph::new("t");
        for i in 0..n {
            let mut m = Map::new();
            if let Some(v) = value(i) {
                m.insert("v".into(), v);
            }
            g.add_node(&["L"], m).unwrap();
        }
        g
    }

    #[test]
    fn a_small_label_is_read_whole() {
        let g = graph(100, |i| (i % 4 != 0).then_some(Value::Int((i % 10) as i64)));
        let s = g.value_stats("L", "v");
        assert!(s.exact);
        assert_eq!((s.nodes, s.with_value, s.distinct), (100, 75.0, 10.0));
        assert_eq!(g.value_stats("L", "missing").distinct, 0.0);
        assert_eq!(g.value_stats("Nope", "v").nodes, 0);
    }

    #[test]
    fn estimates_kept_between_queries_follow_every_change() {
        let mut g = graph(10, |i| Some(Value::Int((i % 2) as i64)));
        assert_eq!(g.value_stats("L", "v").distinct, 2.0);
        assert_eq!(g.value_stats_all("v").distinct, 2.0);
        let mut m = Map::new();
        m.insert("v".into(), Value::Int(7));
        let n = g.add_node(&["L"], m).unwrap();
        assert_eq!(g.value_stats("L", "v").distinct, 3.0);
        assert_eq!(g.value_stats_all("v").distinct, 3.0);
        let mut m = Map::new();
        m.insert("v".into(), Value::Int(8));
        g.set_node_props(n, m.into()).unwrap();
        assert_eq!(g.value_stats("L", "v").distinct, 3.0);
        assert_eq!(g.value_stats("L", "v").nodes, 11);
        g.set_node_labels(n, &["M"]);
        assert_eq!(g.value_stats("L", "v").nodes, 10);
        assert_eq!(g.value_stats("M", "v").distinct, 1.0);
        g.delete_node(n);
        assert_eq!(g.value_stats("M", "v").nodes, 0);
        // A copy makes its own.
        assert_eq!(g.clone().value_stats("L", "v").distinct, 2.0);
    }

    #[test]
    fn a_large_label_is_estimated_from_a_sample() {
        let unique = graph(20_000, |i| Some(Value::Int(i as i64)));
        let s = unique.value_stats("L", "v");
        assert!(!s.exact);
        assert!(s.distinct > 15_000.0 && s.distinct <= 20_000.0, "{s:?}");
        let few = graph(20_000, |i| Some(Value::String(format!("v{}", i % 7).into())));
        let s = few.value_stats("L", "v");
        assert_eq!(s.distinct, 7.0, "{s:?}");
        assert!((s.equality_selectivity() - 1.0 / 7.0).abs() < 1e-9);
    }

    #[test]
    fn an_index_knows_its_distinct_values_through_changes() {
        let mut g = graph(50, |i| Some(Value::Int((i % 5) as i64)));
        g.create_index(None, "L", "v", false).unwrap();
        assert_eq!(g.value_stats("L", "v").distinct, 5.0);
        g.start_journal();
        let mark = g.mark();
        let mut m = Map::new();
        m.insert("v".into(), Value::Int(99));
        g.add_node(&["L"], m).unwrap();
        assert_eq!(g.value_stats("L", "v").distinct, 6.0);
        g.rollback_to(mark);
        assert_eq!(g.value_stats("L", "v").distinct, 5.0);
    }
}
