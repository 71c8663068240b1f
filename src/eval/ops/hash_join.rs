//! Hash join: a pattern part that shares no variable with the parts before
//! it but is joined to them by a WHERE equality (`PatternPlan::join`). Its
//! matches are found once per execution into a table keyed by its side of
//! the equality; each row so far looks its own side up there.
//!
//! The join evaluates no key the pairs would not: the naive plan checks
//! the equality on every pair, so a key (and any condition of the joined
//! part) is evaluated only when the other side has a match. The table is
//! built when the first row reaches the part (or, for a scan that probes
//! it, when the first node is checked), an error while building it is kept
//! and raised only when a row is joined, and a row's key is not evaluated
//! when the part has no match at all.
//!
//! A row's key is evaluated once per run of rows that bind the same nodes
//! and relationships in the slots it reads: rows expanded from one node
//! (`s.id = 'skill' + substring(t.id, 4)` over each team's leaders) come
//! in runs, and the key's strings are made once for the run.

use std::hash::BuildHasher;

use crate::error::QueryError;
use crate::eval::expr::{eval, truth};
use crate::eval::matcher::{Emit, Matcher};
use crate::plan::ops::{PExpr, PatternPlan};
use crate::store::RelId;
use crate::value::{GroupKeyRef, Value};

/// A joined part's matches, by key (see `PatternPlan::join`).
pub(in crate::eval) struct JoinTable {
    /// The slots the part binds (beyond those bound on input).
    slots: Vec<usize>,
    entries: Vec<JoinEntry>,
    /// Each distinct key (as grouping tells keys apart) by its number in
    /// `keys`; looked up with a borrowed value, so a probe clones nothing.
    index: hashbrown::HashTable<u32>,
    /// Each distinct key with the entries that have it.
    keys: Vec<(Value, Vec<u32>)>,
    hasher: foldhash::fast::RandomState,
    /// A bit per fingerprint of the string keys (see [`fingerprint`]): a
    /// probe whose bit is clear has no match, known without hashing it.
    strings: Vec<u64>,
    /// Whether some match uses a relationship (which a row's own could
    /// be: then each is checked against the row's).
    has_rels: bool,
    /// Whether the part has any match (null keys included: the pairs
    /// would evaluate the row's key against those too).
    matched: bool,
    /// An error met while building: raised when a row is joined, not
    /// before (a plan with no row to join would not have met it).
    pub(in crate::eval) failed: Option<QueryError>,
    /// The slots the row's side of the equality reads, when it reads slots
    /// only and gives the same value each time (no `rand()`, no current
    /// instant): rows that bind the same nodes and relationships there
    /// (a run of rows expanded from one node) share one key.
    probe_reads: Option<Vec<usize>>,
    /// The last row's values of `probe_reads` and its key.
    last: Option<(Vec<Value>, Value)>,
}

/// Bits in [`JoinTable::strings`].
const STRING_BITS: usize = 1 << 16;

/// A cheap fingerprint of a text, to [`STRING_BITS`]: its length, first
/// eight bytes and last eight, mixed.
#[inline(always)]
fn fingerprint(b: &[u8]) -> usize {
    let word = |x: &[u8]| x.iter().fold(0u64, |w, c| (w << 8) | u64::from(*c));
    let (first, last) = match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        (Some(f), Some(l)) => (u64::from_le_bytes(*f), u64::from_le_bytes(*l)),
        _ => (word(b), 0),
    };
    let x = (first ^ (b.len() as u64).rotate_left(32)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ last.wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
    (x >> 48) as usize % STRING_BITS
}

impl JoinTable {
    /// Whether the key kept in `last` is `row`'s: each slot the key reads
    /// holds the node or relationship it held for that key's row.
    fn remembered(&self, row: &[Value]) -> bool {
        let (Some(reads), Some((values, _))) = (&self.probe_reads, &self.last) else {
            return false;
        };
        reads.iter().zip(values).all(|(s, v)| match (&row[*s], v) {
            (Value::Node(a), Value::Node(b)) => a == b,
            (Value::Rel(a), Value::Rel(b)) => a == b,
            _ => false,
        })
    }

    /// Keeps `key` as the key of `row`, in the last row's list of values
    /// (a key that changes on every row allocates nothing per row).
    fn remember(&mut self, row: &[Value], key: Value) {
        let mut values = self.last.take().map(|(v, _)| v).unwrap_or_default();
        values.clear();
        if let Some(reads) = &self.probe_reads {
            values.extend(reads.iter().map(|s| row[*s].clone()));
        }
        self.last = Some((values, key));
    }

    /// The entries whose key may equal `key` (the same under grouping;
    /// `=` still decides), or `None`.
    #[inline]
    pub(in crate::eval) fn candidates(&self, key: &Value) -> Option<&[u32]> {
        if let Value::String(t) = key {
            let bit = fingerprint(t.as_bytes());
            if self.strings[bit / 64] & (1 << (bit % 64)) == 0 {
                return None;
            }
        }
        let hash = self.hasher.hash_one(GroupKeyRef(std::slice::from_ref(key)));
        self.index
            .find(hash, |&k| self.keys[k as usize].0.equivalent(key))
            .map(|&k| self.keys[k as usize].1.as_slice())
    }

    fn insert(&mut self, key: &Value, entry: u32) {
        if let Value::String(t) = key {
            let bit = fingerprint(t.as_bytes());
            self.strings[bit / 64] |= 1 << (bit % 64);
        }
        let hash = self.hasher.hash_one(GroupKeyRef(std::slice::from_ref(key)));
        let keys = &mut self.keys;
        match self.index.find(hash, |&k| keys[k as usize].0.equivalent(key)) {
            Some(&k) => keys[k as usize].1.push(entry),
            None => {
                let k = keys.len() as u32;
                keys.push((key.clone(), vec![entry]));
                let hasher = &self.hasher;
                self.index.insert_unique(hash, k, |&k| {
                    hasher.hash_one(GroupKeyRef(std::slice::from_ref(&keys[k as usize].0)))
                });
            }
        }
    }
}

/// One match of a joined part.
struct JoinEntry {
    key: Value,
    /// The values of the table's slots.
    values: Vec<Value>,
    /// The relationships the match uses (unique within the clause).
    rels: Vec<RelId>,
}

impl<'a, 'g> Matcher<'a, 'g> {
    /// A part joined by a hash table: its matches (found once) whose key
    /// equals the row's, each with the row so far.
    pub(in crate::eval) fn join_part(&mut self, pi: usize, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        let patterns = self.patterns;
        let p = &patterns[pi];
        let join = p.join.as_ref().expect("a joined part");
        if self.tables.len() <= pi {
            self.tables.resize_with(pi + 1, || None);
        }
        let table = match self.tables[pi].take() {
            Some(t) => t,
            None => self.build_table(p),
        };
        // No match to join: the row's key is not evaluated (as matching
        // the pairs would not evaluate the equality, nor raise its error).
        // A row to join meets the error of building, if there was one.
        if table.failed.is_some() || !table.matched {
            let failed = table.failed.clone();
            self.tables[pi] = Some(table);
            return failed.map_or(Ok(true), Err);
        }
        let mut table = table;
        if !table.remembered(&self.row) {
            let key = eval(&join.probe, self.env, &self.row)?;
            table.remember(&self.row, key);
        }
        let key = &table.last.as_ref().expect("remembered above").1;
        let mut go_on = Ok(true);
        // Counted whole (`Op::CountExpand` over a joined last part, nothing
        // reading it or checked on the joined row): the row stands for the
        // matches under its key. A text key equals exactly the keys
        // grouped with it; other keys (numbers, lists) are compared one
        // by one with `=`.
        if let Some(weight) = self.count_last
            && pi + 1 == patterns.len()
            && join.after.is_empty()
            && (!table.has_rels || self.used.is_empty())
            && let Value::String(_) = key
        {
            let n = table.candidates(key).map_or(0, <[u32]>::len) as u64;
            if n > 0 {
                weight.set(n);
                go_on = self.env.guard.tick().and_then(|()| self.part(pi + 1, emit));
            }
            self.tables[pi] = Some(table);
            return go_on;
        }
        if let Some(weight) = self.count_last {
            weight.set(1);
        }
        if !key.is_null()
            && let Some(matches) = table.candidates(key)
        {
            for &i in matches {
                let e = &table.entries[i as usize];
                if e.key.cypher_eq(key) != Some(true) || e.rels.iter().any(|r| self.used.contains(r)) {
                    continue;
                }
                if let Err(err) = self.env.guard.tick() {
                    go_on = Err(err);
                    break;
                }
                for (s, v) in table.slots.iter().zip(&e.values) {
                    self.row[*s] = v.clone();
                    self.assigned[*s] = true;
                }
                let mark = self.used.len();
                self.used.extend_from_slice(&e.rels);
                go_on = self.joined(pi, &join.after, emit);
                self.used.truncate(mark);
                for s in &table.slots {
                    self.unbind(*s, false);
                }
                if !matches!(go_on, Ok(true)) {
                    break;
                }
            }
        }
        self.tables[pi] = Some(table);
        go_on
    }

    /// A joined row: the join's conditions, then the next part.
    fn joined(&mut self, pi: usize, after: &[PExpr], emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        for c in after {
            if truth(eval(c, self.env, &self.row)?, c.span)? != Some(true) {
                return Ok(true);
            }
        }
        self.part(pi + 1, emit)
    }

    /// The table of joined part `pi`, built now if it was not yet.
    pub(in crate::eval) fn join_table(&mut self, pi: usize) -> &JoinTable {
        if self.tables.len() <= pi {
            self.tables.resize_with(pi + 1, || None);
        }
        if self.tables[pi].is_none() {
            let patterns = self.patterns;
            self.tables[pi] = Some(self.build_table(&patterns[pi]));
        }
        self.tables[pi].as_ref().expect("built above")
    }

    /// Matches part `p` on its own (from the input row) into a table keyed
    /// by its side of the join. An error is kept in the table (`failed`).
    fn build_table(&self, p: &'a PatternPlan) -> JoinTable {
        let join = p.join.as_ref().expect("a joined part");
        let input = &self.row[..self.input_len];
        let mut slots: Vec<usize> = p
            .nodes
            .iter()
            .map(|n| n.slot)
            .chain(p.rels.iter().map(|r| r.slot))
            .chain(p.path_slot)
            .filter(|s| !self.assigned[*s])
            .collect();
        slots.sort_unstable();
        slots.dedup();
        let rel_slots: Vec<usize> = p.rels.iter().map(|r| r.slot).filter(|s| slots.contains(s)).collect();
        let mut table = JoinTable {
            slots,
            entries: Vec::new(),
            index: hashbrown::HashTable::new(),
            keys: Vec::new(),
            hasher: foldhash::fast::RandomState::default(),
            strings: vec![0; STRING_BITS / 64],
            has_rels: false,
            matched: false,
            failed: None,
            probe_reads: None,
            last: None,
        };
        let mut reads = Vec::new();
        if join.probe.slots_read(&mut reads) && join.probe.repeatable() {
            reads.sort_unstable();
            reads.dedup();
            table.probe_reads = Some(reads);
        }
        let mut sub = Matcher::new(self.env, std::slice::from_ref(p), input, self.row.len());
        sub.building = true;
        let env = self.env;
        let built = sub.run(&mut |r| {
            env.guard.tick()?;
            table.matched = true;
            let key = eval(&join.build, env, r)?;
            if key.is_null() {
                return Ok(true);
            }
            let mut rels = Vec::new();
            for s in &rel_slots {
                match &r[*s] {
                    Value::Rel(id) => rels.push(*id),
                    Value::List(l) => rels.extend(l.iter().filter_map(|v| match v {
                        Value::Rel(id) => Some(*id),
                        _ => None,
                    })),
                    _ => {}
                }
            }
            table.has_rels |= !rels.is_empty();
            let at = table.entries.len() as u32;
            table.insert(&key, at);
            table.entries.push(JoinEntry {
                key,
                values: table.slots.iter().map(|s| r[*s].clone()).collect(),
                rels,
            });
            Ok(true)
        });
        if let Err(err) = built {
            table.failed = Some(err);
        }
        table
    }
}
