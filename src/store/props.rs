//! Properties: [`Props`], a boxed slice of pairs sorted by key, is how a
//! relationship stores them and how a node's arrive; [`PropsRef`] is how
//! callers read either. A node keeps only its values, in the graph's value
//! column, beside a key list shared by every node with the same keys (see
//! `Shapes`), so a million nodes with `id` and `name` cost 48 bytes each
//! and no allocation of their own.

use std::sync::Arc;

use crate::value::{Map, Value};

#[derive(Debug, Clone, Default)]
pub struct Props(Box<[(Arc<str>, Value)]>);

impl Props {
    /// From entries in any order; a later duplicate key wins.
    pub fn from_entries(mut entries: Vec<(Arc<str>, Value)>) -> Props {
        entries.reverse();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|a, b| a.0 == b.0);
        Props(entries.into_boxed_slice())
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_ref().get(key)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_ref(&self) -> PropsRef<'_> {
        PropsRef::Pairs(&self.0)
    }

    /// The values in key order, as a node stores them (its keys are
    /// interned apart, by [`Shapes::intern`]).
    pub(super) fn into_values(self) -> impl Iterator<Item = Value> {
        self.0.into_vec().into_iter().map(|(_, v)| v)
    }

    /// Bytes on the heap for the entries (not what the values point to).
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of_val(&*self.0)
    }
}

impl From<Map> for Props {
    fn from(m: Map) -> Props {
        // A BTreeMap iterates in key order already.
        Props(m.into_iter().collect::<Vec<_>>().into_boxed_slice())
    }
}

/// An element's properties, borrowed: a relationship's pairs, or a node's
/// shared keys and its own values. Either way sorted by key.
#[derive(Debug, Clone, Copy)]
pub enum PropsRef<'a> {
    Pairs(&'a [(Arc<str>, Value)]),
    Columns { keys: &'a [Arc<str>], values: &'a [Value] },
}

type Pair<'a> = &'a (Arc<str>, Value);
type Entry<'a> = (&'a Arc<str>, &'a Value);
type PairIter<'a> = std::iter::Map<std::slice::Iter<'a, (Arc<str>, Value)>, fn(Pair<'a>) -> Entry<'a>>;
type ColumnIter<'a> = std::iter::Zip<std::slice::Iter<'a, Arc<str>>, std::slice::Iter<'a, Value>>;
/// The entries of a [`PropsRef`], in key order.
pub type PropsIter<'a> = std::iter::Chain<PairIter<'a>, ColumnIter<'a>>;

impl<'a> PropsRef<'a> {
    pub fn get(self, key: &str) -> Option<&'a Value> {
        // Elements have a handful of properties: a scan that compares
        // lengths first beats a binary search of string comparisons.
        let same = |k: &Arc<str>| k.len() == key.len() && **k == *key;
        match self {
            PropsRef::Pairs(p) if p.len() <= 8 => p.iter().find(|(k, _)| same(k)).map(|(_, v)| v),
            PropsRef::Pairs(p) => p.binary_search_by(|(k, _)| (**k).cmp(key)).ok().map(|i| &p[i].1),
            PropsRef::Columns { keys, values } => {
                let i = if keys.len() <= 8 {
                    keys.iter().position(same)
                } else {
                    keys.binary_search_by(|k| (**k).cmp(key)).ok()
                };
                i.map(|i| &values[i])
            }
        }
    }

    pub fn len(self) -> usize {
        match self {
            PropsRef::Pairs(p) => p.len(),
            PropsRef::Columns { values, .. } => values.len(),
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    pub fn iter(self) -> PropsIter<'a> {
        let (pairs, keys, values) = match self {
            PropsRef::Pairs(p) => (p, &[][..], &[][..]),
            PropsRef::Columns { keys, values } => (&[][..], keys, values),
        };
        let pair: fn(Pair<'a>) -> Entry<'a> = |(k, v)| (k, v);
        pairs.iter().map(pair).chain(keys.iter().zip(values))
    }

    pub fn keys(self) -> impl Iterator<Item = &'a Arc<str>> {
        self.iter().map(|(k, _)| k)
    }

    pub fn to_map(self) -> Map {
        self.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

impl<'a> IntoIterator for PropsRef<'a> {
    type Item = Entry<'a>;
    type IntoIter = PropsIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The distinct key lists of nodes, each stored once.
#[derive(Debug, Clone, Default)]
pub(super) struct Shapes {
    lists: Vec<Box<[Arc<str>]>>,
    ids: rustc_hash::FxHashMap<Box<[Arc<str>]>, u32>,
    last: Option<u32>,
}

impl Shapes {
    /// The number of the key list of `props`, and whether it is new.
    pub(super) fn intern(&mut self, props: &Props) -> (u32, bool) {
        // Nodes of one file share their key strings: a pointer check first.
        if let Some(l) = self.last {
            let list = &self.lists[l as usize];
            if list.len() == props.len()
                && list
                    .iter()
                    .zip(props.0.iter())
                    .all(|(a, (b, _))| Arc::ptr_eq(a, b) || a == b)
            {
                return (l, false);
            }
        }
        let keys: Box<[Arc<str>]> = props.0.iter().map(|(k, _)| k.clone()).collect();
        let (id, new) = match self.ids.get(&keys) {
            Some(id) => (*id, false),
            None => {
                let id = self.lists.len() as u32;
                self.lists.push(keys.clone());
                self.ids.insert(keys, id);
                (id, true)
            }
        };
        self.last = Some(id);
        (id, new)
    }

    /// For each list, where `key` is in it (`u32::MAX` where it is not).
    pub(super) fn positions(&self, key: &str) -> Vec<u32> {
        self.lists
            .iter()
            .map(|l| l.iter().position(|k| **k == *key).map_or(u32::MAX, |i| i as u32))
            .collect()
    }

    pub(super) fn get(&self, id: u32) -> &[Arc<str>] {
        &self.lists[id as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_lookup_and_last_duplicate_wins() {
        let p = Props::from_entries(vec![
            ("b".into(), Value::Int(1)),
            ("a".into(), Value::Int(2)),
            ("b".into(), Value::Int(3)),
        ]);
        assert_eq!(p.len(), 2);
        assert!(matches!(p.get("b"), Some(Value::Int(3))));
        assert!(p.get("c").is_none());
        assert_eq!(p.as_ref().keys().map(|k| &**k).collect::<Vec<_>>(), ["a", "b"]);
        let mut shapes = Shapes::default();
        assert_eq!(shapes.intern(&p), (0, true));
        assert_eq!(shapes.intern(&p.clone()), (0, false));
        let (keys, values) = (shapes.get(0), p.clone().into_values().collect::<Vec<_>>());
        let columns = PropsRef::Columns { keys, values: &values };
        assert!(matches!(columns.get("b"), Some(Value::Int(3))));
        assert!(columns.get("c").is_none());
        assert_eq!(format!("{:?}", columns.to_map()), format!("{:?}", p.as_ref().to_map()));
        assert_eq!(columns.into_iter().count(), 2);
    }
}
