//! Whether the relationships of a set of types form no directed cycle
//! (no self-loop either): then every walk along them, followed one way,
//! uses each relationship and each node at most once, so a
//! variable-length hop's matches are its walks and can be counted without
//! enumerating them (see `plan/optimise/walk_count.rs`).
//!
//! Found when first asked, by peeling off nodes with nothing left coming
//! in (Kahn's order): the types are acyclic exactly when every one of
//! their relationships is peeled. The answer is kept until a relationship
//! is created, deleted, undone or redone, or a load adds some (every
//! mutator that changes a type's statistics clears it).

use super::{Graph, Sym};

/// The answers found so far, by sorted set of types (empty: every type).
#[derive(Default)]
pub(super) struct AcyclicCache(std::sync::Mutex<Vec<(Vec<Sym>, bool)>>);

impl AcyclicCache {
    /// Forgets every answer (a relationship came or went).
    pub(super) fn clear(&mut self) {
        if let Ok(v) = self.0.get_mut() {
            v.clear();
        }
    }
}

/// A copy starts with no answers (they are found again when asked).
impl Clone for AcyclicCache {
    fn clone(&self) -> AcyclicCache {
        AcyclicCache::default()
    }
}

impl std::fmt::Debug for AcyclicCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AcyclicCache")
    }
}

impl Graph {
    /// Whether the relationships whose type is one of `types` (every
    /// relationship when empty) form no directed cycle, self-loops
    /// included.
    pub fn types_acyclic(&self, types: &[Sym]) -> bool {
        let mut key = types.to_vec();
        key.sort_unstable();
        key.dedup();
        if let Ok(v) = self.acyclic.0.lock()
            && let Some((_, a)) = v.iter().find(|(k, _)| *k == key)
        {
            return *a;
        }
        let answer = self.find_acyclic(&key);
        if let Ok(mut v) = self.acyclic.0.lock() {
            v.push((key, answer));
        }
        answer
    }

    fn find_acyclic(&self, types: &[Sym]) -> bool {
        // The relationships of the types, as (start, end), in one pass in
        // relationship order (reading each node's adjacency by type would
        // cost a search per node and type).
        let edges = self.g.raw_edges();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (i, e) in edges.iter().enumerate() {
            if !types.is_empty() && types.binary_search(&self.rel_types.get(i)).is_err() {
                continue;
            }
            if self.is_deleted_rel(super::RelId(i as u32)) {
                continue;
            }
            let (s, t) = (e.source().index() as u32, e.target().index() as u32);
            if s == t {
                return false;
            }
            pairs.push((s, t));
        }
        if pairs.is_empty() {
            return true;
        }
        // Each node's outgoing ends, grouped by start (a counting sort),
        // and what comes into each.
        let n = self.node_bound();
        let mut incoming = vec![0u32; n];
        let mut first = vec![0u32; n + 1];
        for &(s, t) in &pairs {
            incoming[t as usize] += 1;
            first[s as usize + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let mut next = first.clone();
        let mut ends = vec![0u32; pairs.len()];
        for &(s, t) in &pairs {
            ends[next[s as usize] as usize] = t;
            next[s as usize] += 1;
        }
        let mut ready: Vec<u32> = (0..n as u32)
            .filter(|&v| incoming[v as usize] == 0 && first[v as usize + 1] > first[v as usize])
            .collect();
        let mut peeled = 0usize;
        while let Some(v) = ready.pop() {
            let v = v as usize;
            for &t in &ends[first[v] as usize..first[v + 1] as usize] {
                peeled += 1;
                let left = &mut incoming[t as usize];
                *left -= 1;
                if *left == 0 {
                    ready.push(t);
                }
            }
        }
        peeled == pairs.len()
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Graph;
    use crate::value::Map;

    fn chain(cycle: bool) -> Graph {
        let mut g = Graph::new("t");
        let ids: Vec<_> = (0..4)
            .map(|i| {
                let mut props = Map::new();
                props.insert("id".into(), crate::value::Value::from(format!("n{i}")));
                g.add_node(&["N"], props).unwrap()
            })
            .collect();
        for w in ids.windows(2) {
            g.add_rel(w[0], w[1], "T", Map::new()).unwrap();
        }
        g.add_rel(ids[0], ids[2], "T", Map::new()).unwrap();
        if cycle {
            g.add_rel(ids[3], ids[1], "U", Map::new()).unwrap();
        }
        g
    }

    #[test]
    fn a_cycle_is_found_only_through_the_types_that_close_it() {
        let mut g = chain(true);
        let t = g.sym("T").unwrap();
        let u = g.sym("U").unwrap();
        assert!(g.types_acyclic(&[t]));
        assert!(g.types_acyclic(&[u]));
        assert!(!g.types_acyclic(&[t, u]));
        assert!(!g.types_acyclic(&[]));
        // The kept answer goes when a relationship comes.
        let n0 = g.node_by_key("n0").unwrap();
        let n3 = g.node_by_key("n3").unwrap();
        g.add_rel(n3, n0, "T", Map::new()).unwrap();
        assert!(!g.types_acyclic(&[t]));
        // A self-loop is a cycle.
        let mut h = chain(false);
        assert!(h.types_acyclic(&[]));
        let n1 = h.node_by_key("n1").unwrap();
        h.start_journal();
        let before = h.mark();
        let r = h.add_rel(n1, n1, "T", Map::new()).unwrap();
        assert!(!h.types_acyclic(&[]));
        // Deleted, and the deletion undone, and the creation undone.
        let deleted = h.mark();
        assert!(h.delete_rel(r));
        assert!(h.types_acyclic(&[]));
        h.rollback_to(deleted);
        assert!(!h.types_acyclic(&[]));
        h.rollback_to(before);
        assert!(h.types_acyclic(&[]));
    }
}
