//! The id index: a node's `id` property → the node. Built for loads of
//! millions of nodes, where a relationship file costs one lookup per line:
//!
//! - the table is open addressing with linear probing over 8-byte slots,
//!   each a 31-bit hash tag and a node number, so a million ids take 16 MiB
//!   and a probe is one cache line;
//! - the ids themselves are kept once, node after node, in one byte column;
//!   a tag match is confirmed by comparing the bytes there.
//!
//! Edits are rare next to loads: a node whose id changes (or that is
//! deleted) keeps its bytes in the column and gets an entry in a small
//! side table of ids changed since; an undone CREATE drops the last node.
//! The hash is seeded per process, so crafted ids cannot
//! be made to collide.

use std::hash::BuildHasher;

use super::NodeId;

/// Slots are at most this full (5/8) before the table doubles.
const FILL_NUM: usize = 5;
const FILL_DEN: usize = 8;
/// Set in every occupied slot, so that 0 means empty.
const USED: u64 = 1 << 63;

#[derive(Debug, Clone, Default)]
pub(super) struct IdIndex {
    slots: Vec<u64>,
    len: usize,
    /// Every node's id (empty when it has none), node after node.
    text: Vec<u8>,
    /// `ends[n]`: where node n's id ends in `text`.
    ends: Vec<u32>,
    hasher: foldhash::fast::RandomState,
    /// Nodes whose id was edited: their id now ("" for none).
    changed: rustc_hash::FxHashMap<u32, Box<str>>,
}

/// Why an id could not be added.
#[derive(Debug, PartialEq)]
pub(super) enum Refused {
    /// Another node has it.
    Taken(NodeId),
    /// The ids' text would pass 4 GiB.
    Full,
}

impl IdIndex {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Room for `n` more nodes with ids averaging `bytes_each`.
    pub(super) fn reserve(&mut self, n: usize, bytes_each: usize) {
        self.ends.reserve(n);
        self.text.reserve(n * bytes_each);
        let want = self.len + n;
        if want * FILL_DEN > self.slots.len() * FILL_NUM {
            self.rehash((want * FILL_DEN / FILL_NUM + 1).next_power_of_two());
        }
    }

    /// Records the next node (nodes are numbered in the order they are
    /// pushed) with its id, if it has one.
    pub(super) fn push(&mut self, node: NodeId, key: Option<&str>) -> Result<(), Refused> {
        debug_assert_eq!(node.index(), self.ends.len());
        let Some(key) = key else {
            self.ends.push(self.text.len() as u32);
            return Ok(());
        };
        let hash = self.hash(key.as_bytes());
        if let Some(other) = self.find(key.as_bytes(), hash) {
            return Err(Refused::Taken(other));
        }
        let Ok(end) = u32::try_from(self.text.len() + key.len()) else {
            return Err(Refused::Full);
        };
        if (self.len + 1) * FILL_DEN > self.slots.len() * FILL_NUM {
            self.rehash((self.slots.len() * 2).max(16));
        }
        self.text.extend_from_slice(key.as_bytes());
        self.ends.push(end);
        self.place(hash, node.0);
        self.len += 1;
        Ok(())
    }

    pub(super) fn get(&self, key: &str) -> Option<NodeId> {
        if self.len == 0 {
            return None;
        }
        self.find(key.as_bytes(), self.hash(key.as_bytes()))
    }

    /// Looks up many ids at once, appending one answer per key to `out`.
    /// A lookup in a large index waits on memory; asking for every key's
    /// slot before reading any lets those waits overlap.
    pub(super) fn get_many(&self, keys: &[&str], out: &mut Vec<Option<NodeId>>) {
        const BATCH: usize = 16;
        if self.len == 0 {
            out.extend(keys.iter().map(|_| None));
            return;
        }
        for chunk in keys.chunks(BATCH) {
            // Three rounds of requests: each key's slot; then where the
            // slot's node keeps its id; then the id's bytes.
            let mut hashes = [0u64; BATCH];
            for (h, k) in hashes.iter_mut().zip(chunk) {
                *h = self.hash(k.as_bytes());
                super::prefetch(&self.slots[self.home(*h)]);
            }
            let mut nodes = [usize::MAX; BATCH];
            for (n, h) in nodes.iter_mut().zip(&hashes[..chunk.len()]) {
                let s = self.slots[self.home(*h)];
                if s & !0xffff_ffff == Self::tag(*h) {
                    *n = s as u32 as usize;
                    super::prefetch(&self.ends[(*n).saturating_sub(1)]);
                }
            }
            for n in nodes.iter().filter(|n| **n != usize::MAX) {
                super::prefetch(self.text.as_ptr().wrapping_add(self.id_start(*n)));
            }
            for (h, k) in hashes.iter().zip(chunk) {
                out.push(self.find(k.as_bytes(), *h));
            }
        }
    }

    /// Asks for the slot where `key` would be, ahead of a lookup or push.
    pub(super) fn prefetch(&self, key: &str) {
        if !self.slots.is_empty() {
            super::prefetch(&self.slots[self.home(self.hash(key.as_bytes()))]);
        }
    }

    fn hash(&self, key: &[u8]) -> u64 {
        self.hasher.hash_one(key)
    }

    /// The slot where probing for `hash` starts (the table is not empty).
    fn home(&self, hash: u64) -> usize {
        hash as usize & (self.slots.len() - 1)
    }

    /// Where node `n`'s id starts in `text`.
    fn id_start(&self, n: usize) -> usize {
        if n == 0 { 0 } else { self.ends[n - 1] as usize }
    }

    /// The id of node `n` as the index holds it (empty when it has none).
    fn key_of(&self, n: usize) -> &[u8] {
        if !self.changed.is_empty()
            && let Some(k) = self.changed.get(&(n as u32))
        {
            return k.as_bytes();
        }
        &self.text[self.id_start(n)..self.ends[n] as usize]
    }

    /// Every id with its node, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, NodeId)> {
        self.slots.iter().filter(|s| **s != 0).map(|s| {
            let n = *s as u32;
            // Bytes were copied from a `str` whole, so they are UTF-8.
            (
                std::str::from_utf8(self.key_of(n as usize)).unwrap_or_default(),
                NodeId(n),
            )
        })
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.slots.capacity() * 8 + self.text.capacity() + self.ends.capacity() * 4
    }

    /// Gives back spare room once a load has finished.
    pub(super) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Gives `node` (already pushed) the id `key`, or none; refused
    /// when another node has it, leaving the index as it was.
    pub(super) fn set(&mut self, node: NodeId, key: Option<&str>) -> Result<(), Refused> {
        if let Some(k) = key
            && let Some(other) = self.find(k.as_bytes(), self.hash(k.as_bytes()))
        {
            return if other == node {
                Ok(())
            } else {
                Err(Refused::Taken(other))
            };
        }
        let new = key.unwrap_or("");
        self.unplace(node.0);
        let original = &self.text[self.id_start(node.index())..self.ends[node.index()] as usize];
        if original == new.as_bytes() {
            self.changed.remove(&node.0);
        } else {
            self.changed.insert(node.0, new.into());
        }
        if key.is_some() {
            if (self.len + 1) * FILL_DEN > self.slots.len() * FILL_NUM {
                self.rehash((self.slots.len() * 2).max(16));
            }
            self.place(self.hash(new.as_bytes()), node.0);
            self.len += 1;
        }
        Ok(())
    }

    /// Forgets the last node pushed (the undo of a CREATE).
    pub(super) fn pop(&mut self, node: NodeId) {
        debug_assert_eq!(node.index() + 1, self.ends.len());
        self.unplace(node.0);
        self.changed.remove(&node.0);
        self.text.truncate(self.id_start(node.index()));
        self.ends.pop();
    }

    /// Takes `node`'s slot out of the table, if it has one, moving later
    /// slots of the probe run back so that every lookup still finds them.
    fn unplace(&mut self, node: u32) {
        let key = self.key_of(node as usize);
        if self.slots.is_empty() {
            return;
        }
        let hash = self.hash(key);
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            match self.slots[i] {
                0 => return,
                s if s as u32 == node => break,
                _ => i = (i + 1) & mask,
            }
        }
        let mut hole = i;
        let mut j = (i + 1) & mask;
        while self.slots[j] != 0 {
            let s = self.slots[j];
            let home = self.home(self.hash(self.key_of(s as u32 as usize)));
            // The slot may fill the hole when the hole lies on its probe
            // path, between its home and where it is now.
            if hole.wrapping_sub(home) & mask < j.wrapping_sub(home) & mask {
                self.slots[hole] = s;
                hole = j;
            }
            j = (j + 1) & mask;
        }
        self.slots[hole] = 0;
        self.len -= 1;
    }

    fn tag(hash: u64) -> u64 {
        USED | (hash >> 33) << 32
    }

    fn find(&self, key: &[u8], hash: u64) -> Option<NodeId> {
        let mask = self.slots.len().wrapping_sub(1);
        let tag = Self::tag(hash);
        let mut i = hash as usize & mask;
        loop {
            let s = *self.slots.get(i)?;
            if s == 0 {
                return None;
            }
            if s & !0xffff_ffff == tag && same(self.key_of(s as u32 as usize), key) {
                return Some(NodeId(s as u32));
            }
            i = (i + 1) & mask;
        }
    }

    fn place(&mut self, hash: u64, node: u32) {
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = Self::tag(hash) | node as u64;
    }

    fn rehash(&mut self, size: usize) {
        // Lookups land all over the table: see `huge_vec`.
        let old = std::mem::replace(&mut self.slots, super::huge_vec(size, 0));
        for s in old.into_iter().filter(|s| *s != 0) {
            let n = s as u32;
            let hash = self.hash(self.key_of(n as usize));
            self.place(hash, n);
        }
    }
}

/// `a == b`, without a call to `memcmp`: ids are short, and a call per
/// lookup shows in a load's profile.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut words = a.chunks_exact(8).zip(b.chunks_exact(8));
    if !words.all(|(x, y)| x == y) {
        return false;
    }
    let tail = a.len() / 8 * 8;
    a[tail..].iter().zip(&b[tail..]).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_duplicates_refused_and_nodes_without_ids_skipped() {
        let mut ix = IdIndex::default();
        let long = "an-identifier-longer-than-twenty-two-bytes";
        let keys = [Some("r1"), None, Some(""), Some("ünïcödé-ïd"), None, Some(long)];
        for (i, k) in keys.iter().enumerate() {
            ix.push(NodeId(i as u32), *k).unwrap();
        }
        assert_eq!(ix.len(), 4);
        assert_eq!(ix.get("r1"), Some(NodeId(0)));
        assert_eq!(ix.get(""), Some(NodeId(2)));
        assert_eq!(ix.get("ünïcödé-ïd"), Some(NodeId(3)));
        assert_eq!(ix.get(long), Some(NodeId(5)));
        assert_eq!(ix.get("r2"), None);
        assert_eq!(ix.push(NodeId(6), Some("r1")), Err(Refused::Taken(NodeId(0))));
        let mut all: Vec<_> = ix.iter().collect();
        all.sort();
        assert_eq!(all.len(), 4);
        assert_eq!(all[0], ("", NodeId(2)));
    }

    #[test]
    fn ids_change_and_go_and_every_other_id_is_still_found() {
        let mut ix = IdIndex::default();
        for i in 0..2000u32 {
            let k = (i % 7 != 3).then(|| format!("n{i}"));
            ix.push(NodeId(i), k.as_deref()).unwrap();
        }
        let mut want: Vec<Option<String>> = (0..2000u32).map(|i| (i % 7 != 3).then(|| format!("n{i}"))).collect();
        // Change, drop and give ids in a scattered order; a taken id is refused.
        for step in 0..3000u32 {
            let n = (step * 7919) % 2000;
            let new = match step % 3 {
                0 => None,
                1 => Some(format!("m{step}")),
                _ => Some(format!("n{n}")),
            };
            match ix.set(NodeId(n), new.as_deref()) {
                Ok(()) => want[n as usize] = new,
                Err(Refused::Taken(other)) => assert_eq!(want[other.index()], new),
                Err(e) => panic!("{e:?}"),
            }
        }
        assert_eq!(ix.set(NodeId(5), Some("")), Ok(()));
        want[5] = Some(String::new());
        ix.pop(NodeId(1999));
        want.pop();
        for (n, k) in want.iter().enumerate() {
            if let Some(k) = k {
                assert_eq!(ix.get(k), Some(NodeId(n as u32)), "{k}");
            }
        }
        assert_eq!(ix.len(), want.iter().filter(|k| k.is_some()).count());
        assert_eq!(ix.get("n1999"), None);
    }

    #[test]
    fn growth_keeps_every_id() {
        let mut ix = IdIndex::default();
        for i in 0..100_000u32 {
            ix.push(NodeId(i), Some(&format!("n{i}"))).unwrap();
        }
        for i in (0..100_000u32).step_by(7) {
            assert_eq!(ix.get(&format!("n{i}")), Some(NodeId(i)));
        }
        assert_eq!(ix.get("n100000"), None);
        let keys: Vec<String> = (0..40)
            .map(|i| format!("n{}", i * 2000))
            .chain(["none".into()])
            .collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let mut found = Vec::new();
        ix.get_many(&keys, &mut found);
        assert_eq!(found.len(), 41);
        assert!((0..40).all(|i| found[i] == Some(NodeId(i as u32 * 2000))));
        assert_eq!(found[40], None);
        assert_eq!(ix.iter().count(), 100_000);
    }
}
