//! [`NodeSet`]: a set of a graph's nodes, one bit per node.

use super::NodeId;

/// A set of nodes as bits indexed by handle: inserting and testing are a
/// shift and a mask, and the members come out in handle order.
#[derive(Debug, Clone, Default)]
pub struct NodeSet {
    words: Vec<u64>,
}

impl NodeSet {
    /// Adds `n`; true when it was not in the set.
    #[inline]
    pub fn insert(&mut self, n: NodeId) -> bool {
        let (word, bit) = (n.index() / 64, 1u64 << (n.index() % 64));
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        let fresh = self.words[word] & bit == 0;
        self.words[word] |= bit;
        fresh
    }

    /// Takes `n` out of the set.
    #[inline]
    pub fn remove(&mut self, n: NodeId) {
        if let Some(w) = self.words.get_mut(n.index() / 64) {
            *w &= !(1u64 << (n.index() % 64));
        }
    }

    /// Whether `n` is in the set.
    #[inline]
    pub fn contains(&self, n: NodeId) -> bool {
        self.words
            .get(n.index() / 64)
            .is_some_and(|w| w & (1u64 << (n.index() % 64)) != 0)
    }

    /// Room for nodes below `nodes` without growing while inserting.
    pub fn reserve_nodes(&mut self, nodes: usize) {
        let words = nodes.div_ceil(64);
        if self.words.len() < words {
            self.words.resize(words, 0);
        }
    }

    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// The members, in handle order.
    pub fn iter(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let i = bits.trailing_zeros();
                bits &= bits - 1;
                Some(NodeId((w * 64) as u32 + i))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_come_out_once_in_order() {
        let mut s = NodeSet::default();
        assert!(s.is_empty());
        for i in [130u32, 0, 63, 64, 130, 5] {
            s.insert(NodeId(i));
        }
        assert!(!s.insert(NodeId(63)));
        assert_eq!(s.iter().map(|n| n.0).collect::<Vec<_>>(), vec![0, 5, 63, 64, 130]);
        assert_eq!(s.len(), 5);
        s.reserve_nodes(1000);
        assert_eq!(s.len(), 5);
    }
}
