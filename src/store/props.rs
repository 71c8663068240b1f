//! Property storage for nodes and relationships: a boxed slice sorted by
//! key. An element without properties costs no allocation, and one with a
//! few costs one small allocation (a map would cost hundreds of bytes).

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
        // Elements have a handful of properties: a scan that compares
        // lengths first beats a binary search of string comparisons.
        if self.0.len() <= 8 {
            return self
                .0
                .iter()
                .find(|(k, _)| k.len() == key.len() && **k == *key)
                .map(|(_, v)| v);
        }
        self.0
            .binary_search_by(|(k, _)| (**k).cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &Arc<str>> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn to_map(&self) -> Map {
        self.0.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
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

impl<'a> IntoIterator for &'a Props {
    type Item = (&'a Arc<str>, &'a Value);
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, (Arc<str>, Value)>, fn(&'a (Arc<str>, Value)) -> (&'a Arc<str>, &'a Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
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
        assert_eq!(p.keys().map(|k| &**k).collect::<Vec<_>>(), ["a", "b"]);
    }
}
