//! Zone maps: for each block of [`ZONE`] consecutive node ids, a summary
//! of one key's values among the block's nodes: the least and greatest
//! string (by its first eight bytes) and integer, whether any value is
//! of another type, and whether a node has none (or null). A scan checking `n.k >= 'r500' AND n.k < 'r51'` skips
//! every block none of whose values can pass (`eval/nodefilter.rs`
//! decides that from the summary). Data loaded in order (ids numbered as
//! they were made, names grouped by kind) leaves most blocks outside a
//! narrow condition; where values are scattered, every block is read as
//! before, one summary check per block more.
//!
//! Nothing is made at load time: a scan asks for the blocks it reads, and
//! those not summarised yet are summarised then (one pass over their
//! values), once per key; the summaries are kept until a node changes, as
//! the value statistics are (`value_stats.rs`). A summary may cover more
//! values than the block's live nodes have (a node deleted since), never
//! fewer.

use std::sync::Arc;

use super::Graph;
use crate::value::Value;

/// Nodes per block.
pub const ZONE: usize = 1024;

/// One block's summary of one key's values.
#[derive(Debug, Clone, Copy)]
pub struct Zone {
    /// Least and greatest first eight bytes of the strings, as numbers
    /// that order as the bytes do, shorter text padded with zeros
    /// (`str_lo > str_hi`: no string).
    pub str_lo: u64,
    pub str_hi: u64,
    /// Least and greatest integer (`int_lo > int_hi`: no integer).
    pub int_lo: i64,
    pub int_hi: i64,
    /// A value that is neither a string, an integer nor null.
    pub other: bool,
    /// A node without the key, or with null: what a descending sort puts
    /// first (`eval/ops/top_k_scan.rs`).
    pub nulls: bool,
    built: bool,
}

impl Zone {
    const EMPTY: Zone = Zone {
        str_lo: u64::MAX,
        str_hi: 0,
        int_lo: i64::MAX,
        int_hi: i64::MIN,
        other: false,
        nulls: false,
        built: false,
    };

    #[inline]
    fn add(&mut self, v: Option<&Value>) {
        match v {
            None | Some(Value::Null) => self.nulls = true,
            Some(Value::String(s)) => {
                let h = s.head8();
                self.str_lo = self.str_lo.min(h);
                self.str_hi = self.str_hi.max(h);
            }
            Some(Value::Int(i)) => {
                self.int_lo = self.int_lo.min(*i);
                self.int_hi = self.int_hi.max(*i);
            }
            Some(_) => self.other = true,
        }
    }

    /// Whether the block has a string value.
    #[inline]
    pub fn has_strings(&self) -> bool {
        self.str_lo <= self.str_hi
    }

    /// Whether the block has an integer value.
    #[inline]
    pub fn has_ints(&self) -> bool {
        self.int_lo <= self.int_hi
    }
}

/// One key's block summaries, by block number (node index / [`ZONE`]).
#[derive(Debug, Clone, Default)]
pub struct Zones(Vec<Zone>);

impl Zones {
    /// Block `b`'s summary, once made.
    #[inline]
    pub fn get(&self, b: usize) -> Option<&Zone> {
        self.0.get(b).filter(|z| z.built)
    }
}

impl Graph {
    /// How many blocks of `key` are summarised (for tests).
    pub fn zones_made(&self, key: &str) -> usize {
        let Ok(cache) = self.zones.0.lock() else { return 0 };
        cache
            .iter()
            .find(|(k, _)| &**k == key)
            .map_or(0, |(_, z)| z.0.iter().filter(|z| z.built).count())
    }
}

/// The summaries made so far, per key (see the module notes).
#[derive(Default)]
pub(super) struct ZoneCache(std::sync::Mutex<Vec<(Box<str>, Arc<Zones>)>>);

impl ZoneCache {
    /// Forgets every summary (a node changed).
    pub(super) fn clear(&mut self) {
        if let Ok(v) = self.0.get_mut() {
            v.clear();
        }
    }
}

impl Clone for ZoneCache {
    fn clone(&self) -> ZoneCache {
        ZoneCache::default()
    }
}

impl std::fmt::Debug for ZoneCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ZoneCache")
    }
}

impl Graph {
    /// `key`'s block summaries, with every block from `blocks` made (see
    /// the module notes). `None` if the cache cannot be used.
    pub fn zones(&self, key: &str, blocks: std::ops::Range<usize>) -> Option<Arc<Zones>> {
        let mut cache = self.zones.0.lock().ok()?;
        let at = match cache.iter().position(|(k, _)| &**k == key) {
            Some(i) => i,
            None => {
                cache.push((key.into(), Arc::new(Zones::default())));
                cache.len() - 1
            }
        };
        let entry = &mut cache[at].1;
        let nodes = self.node_count();
        let blocks = blocks.start..blocks.end.min(nodes.div_ceil(ZONE));
        if blocks.clone().all(|b| entry.get(b).is_some()) {
            return Some(entry.clone());
        }
        // Scans holding the summaries so far keep them; this copy gains the blocks.
        let zones = Arc::make_mut(entry);
        if zones.0.len() < blocks.end {
            zones.0.resize(blocks.end, Zone::EMPTY);
        }
        let values = self.prop_key(key);
        for b in blocks {
            let z = &mut zones.0[b];
            if !z.built {
                *z = Zone::EMPTY;
                values.for_each_in(b * ZONE..((b + 1) * ZONE).min(nodes), |v| z.add(v));
                z.built = true;
            }
        }
        Some(entry.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;

    #[test]
    fn a_block_summary_covers_its_values_and_is_forgotten_on_change() {
        let mut g = Graph::new("zones");
        for i in 0..(ZONE * 2 + 10) {
            let mut props = Map::new();
            props.insert("id".into(), Value::from(format!("n{i:05}")));
            if i % 7 == 0 {
                props.insert("k".into(), Value::Int(i as i64));
            }
            g.add_node(&["A"], props).expect("node");
        }
        let z = g.zones("id", 0..1).expect("zones");
        assert!(z.get(1).is_none(), "only the blocks asked for are made");
        let b0 = *z.get(0).expect("made");
        assert_eq!(b0.str_lo.to_be_bytes(), *b"n00000\0\0");
        assert_eq!(b0.str_hi.to_be_bytes(), *b"n01023\0\0");
        assert!(!b0.has_ints() && !b0.other && !b0.nulls);
        let z = g.zones("k", 0..3).expect("zones");
        let b2 = *z.get(2).expect("made");
        assert!(!b2.has_strings() && b2.nulls);
        assert_eq!((b2.int_lo, b2.int_hi), (2051, 2051));
        // A new node's value is summarised once asked again.
        let mut props = Map::new();
        props.insert("k".into(), Value::Float(1.5));
        g.add_node(&["A"], props).expect("node");
        let z = g.zones("k", 0..3).expect("zones");
        assert!(z.get(2).expect("made").other);
    }
}
