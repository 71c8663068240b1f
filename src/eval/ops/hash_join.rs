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
//!
//! Once built, a table is only read: the key memo above is the matcher's
//! ([`Joined`]), not the table's. The morsels of a parallel section (see
//! `ops/parallel.rs`) share one table per joined part and input row
//! ([`SharedTables`], in the execution context): the first matcher to
//! reach the part builds it, on whichever thread, and every other waits
//! for it and reads it, so a section split into sixteen morsels builds
//! its table once, not sixteen times. An error met while building is
//! kept in the table and raised by each morsel when a row of it is
//! joined; the morsels' states are merged in order, so the error reported
//! is the one a single thread would have met first.

use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, OnceLock};

use crate::error::QueryError;
use crate::eval::expr::{eval, truth};
use crate::eval::matcher::{Emit, Matcher};
use crate::eval::pairfilter::PairFilter;
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
    /// Sized to the keys once the table is built (see [`JoinTable::seal`]).
    strings: Vec<u64>,
    /// How far a fingerprint is shifted right to give a bit of `strings`.
    shift: u32,
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
}

/// A matcher's hold on a joined part's table: the table (its own, or
/// shared with the other morsels of a parallel section) and the key of
/// the last row it probed with.
pub(in crate::eval) struct Joined {
    table: Arc<JoinTable>,
    memo: KeyMemo,
    /// The join's conditions (`HashJoin::after`), each compiled as a
    /// comparison of two nodes' properties when it is one (see
    /// `eval/pairfilter.rs`); the others are evaluated on the joined row.
    after: Vec<Option<PairFilter>>,
}

/// The last row's values of the slots the probe key reads
/// ([`JoinTable::probe_reads`]) and its key.
#[derive(Default)]
struct KeyMemo {
    last: Option<(Vec<Value>, Value)>,
}

/// Bits of [`JoinTable::strings`] per distinct string key: about one
/// probe in twenty without a match then finds its bit set.
const BITS_PER_KEY: usize = 16;
/// The fewest and most bits of [`JoinTable::strings`] (8 KiB, 1 MiB).
const MIN_BITS: u32 = 16;
const MAX_BITS: u32 = 23;

/// A cheap fingerprint of a text: its length, first eight bytes and last
/// eight, mixed (a table keeps its top bits).
#[inline(always)]
fn fingerprint(b: &[u8]) -> u64 {
    let word = |x: &[u8]| x.iter().fold(0u64, |w, c| (w << 8) | u64::from(*c));
    let (first, last) = match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        (Some(f), Some(l)) => (u64::from_le_bytes(*f), u64::from_le_bytes(*l)),
        _ => (word(b), 0),
    };
    (first ^ (b.len() as u64).rotate_left(32)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        ^ last.wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
}

impl KeyMemo {
    /// Whether the key kept is `row`'s: each slot the key reads (`reads`)
    /// holds the node or relationship it held for that key's row.
    fn remembered(&self, reads: Option<&[usize]>, row: &[Value]) -> bool {
        let (Some(reads), Some((values, _))) = (reads, &self.last) else {
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
    fn remember(&mut self, reads: Option<&[usize]>, row: &[Value], key: Value) -> &Value {
        let mut values = self.last.take().map(|(v, _)| v).unwrap_or_default();
        values.clear();
        if let Some(reads) = reads {
            values.extend(reads.iter().map(|s| row[*s].clone()));
        }
        &self.last.insert((values, key)).1
    }
}

impl JoinTable {
    /// An empty table of a part binding `slots`, probed with a key
    /// reading `probe_reads` (see the field).
    fn new(slots: Vec<usize>, probe_reads: Option<Vec<usize>>) -> JoinTable {
        JoinTable {
            slots,
            entries: Vec::new(),
            index: hashbrown::HashTable::new(),
            keys: Vec::new(),
            hasher: foldhash::fast::RandomState::default(),
            strings: Vec::new(),
            shift: 64,
            has_rels: false,
            matched: false,
            failed: None,
            probe_reads,
        }
    }

    /// The entries whose key may equal `key` (the same under grouping;
    /// `=` still decides), or `None`.
    #[inline]
    pub(in crate::eval) fn candidates(&self, key: &Value) -> Option<&[u32]> {
        if let Value::String(t) = key
            && !self.strings.is_empty()
        {
            let bit = (fingerprint(t.as_bytes()) >> self.shift) as usize;
            if self.strings[bit / 64] & (1 << (bit % 64)) == 0 {
                return None;
            }
        }
        let hash = self.hasher.hash_one(GroupKeyRef(std::slice::from_ref(key)));
        self.index
            .find(hash, |&k| self.keys[k as usize].0.equivalent(key))
            .map(|&k| self.keys[k as usize].1.as_slice())
    }

    /// Sets the bits of the string keys, once all are in: as many bits as
    /// [`BITS_PER_KEY`] for each, a power of two within [`MIN_BITS`] and
    /// [`MAX_BITS`]. Without string keys, there are no bits (and no probe
    /// is turned away by them).
    fn seal(&mut self) {
        let texts = self.keys.iter().filter(|(k, _)| matches!(k, Value::String(_))).count();
        if texts == 0 {
            return;
        }
        let log = (texts * BITS_PER_KEY)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(MIN_BITS, MAX_BITS);
        self.shift = 64 - log;
        self.strings = vec![0; (1 << log) / 64];
        for (k, _) in &self.keys {
            if let Value::String(t) = k {
                let bit = (fingerprint(t.as_bytes()) >> self.shift) as usize;
                self.strings[bit / 64] |= 1 << (bit % 64);
            }
        }
    }

    fn insert(&mut self, key: &Value, entry: u32) {
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
        let mut joined = self.take_joined(pi);
        let go_on = self.probe(pi, &mut joined, emit);
        self.tables[pi] = Some(joined);
        go_on
    }

    /// The row so far joined with the matches of part `pi` in `joined`.
    fn probe(&mut self, pi: usize, joined: &mut Joined, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        let patterns = self.patterns;
        let join = patterns[pi].join.as_ref().expect("a joined part");
        let Joined { table, memo, after } = joined;
        // A row to join meets the error of building, if there was one.
        if let Some(err) = &table.failed {
            return Err(err.clone());
        }
        // No match to join: the row's key is not evaluated (as matching
        // the pairs would not evaluate the equality, nor raise its error).
        if !table.matched {
            return Ok(true);
        }
        let reads = table.probe_reads.as_deref();
        let key = match memo.remembered(reads, &self.row) {
            true => &memo.last.as_ref().expect("remembered").1,
            false => {
                let key = eval(&join.probe, self.env, &self.row)?;
                memo.remember(reads, &self.row, key)
            }
        };
        // Counted whole (`Op::CountExpand` over a joined last part, nothing
        // after it reading the part): the row stands for the matches under
        // its key that pass the join's conditions. With no condition, a
        // text key equals exactly the keys grouped with it; otherwise
        // each match is compared with `=` and checked, one by one, but
        // no row is made for it.
        if let Some(weight) = self.count_last
            && pi + 1 == patterns.len()
        {
            let n = match key {
                Value::String(_) if join.after.is_empty() && (!table.has_rels || self.used.is_empty()) => {
                    self.env.guard.tick()?;
                    table.candidates(key).map_or(0, <[u32]>::len) as u64
                }
                _ => self.count_joined(table, key, &join.after, after)?,
            };
            if n == 0 {
                return Ok(true);
            }
            weight.set(n);
            return self.part(pi + 1, emit);
        }
        if let Some(weight) = self.count_last {
            weight.set(1);
        }
        let mut go_on = Ok(true);
        if !key.is_null()
            && let Some(matches) = table.candidates(key)
        {
            for &i in matches {
                let e = &table.entries[i as usize];
                if !self.joins(e, key) {
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
                go_on = self.joined(pi, &join.after, after, emit);
                self.used.truncate(mark);
                for s in &table.slots {
                    self.unbind(*s, false);
                }
                if !matches!(go_on, Ok(true)) {
                    break;
                }
            }
        }
        go_on
    }

    /// A joined row: the join's conditions, then the next part.
    fn joined(
        &mut self,
        pi: usize,
        after: &[PExpr],
        compiled: &[Option<PairFilter>],
        emit: &mut Emit<'_>,
    ) -> Result<bool, QueryError> {
        if !self.conditions_hold(after, compiled)? {
            return Ok(true);
        }
        self.part(pi + 1, emit)
    }

    /// Whether every condition of the join holds on the row as bound: a
    /// compiled comparison reads the two nodes' values in place, any
    /// other condition (or a slot not holding a live node) is evaluated.
    fn conditions_hold(&self, after: &[PExpr], compiled: &[Option<PairFilter>]) -> Result<bool, QueryError> {
        for (c, f) in after.iter().zip(compiled) {
            let t = match f.as_ref().and_then(|f| f.check(self.env.graph, &self.row)) {
                Some(t) => t,
                None => truth(eval(c, self.env, &self.row)?, c.span)?,
            };
            if t != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether candidate `e` (of the table's group for `key`) joins the
    /// row: its key equal to `key` under `=` (a text key's group holds
    /// only equal texts; other keys are compared), and none of its
    /// relationships used by the row.
    fn joins(&self, e: &JoinEntry, key: &Value) -> bool {
        (matches!(key, Value::String(_)) || e.key.cypher_eq(key) == Some(true))
            && !e.rels.iter().any(|r| self.used.contains(r))
    }

    /// The number of the table's matches under `key` that the row joins:
    /// equal to it under `=`, using none of the row's relationships, and
    /// passing the join's conditions (each checked with the match bound,
    /// in the order the rows would be made, so an error is the one they
    /// would raise first).
    fn count_joined(
        &mut self,
        table: &JoinTable,
        key: &Value,
        after: &[PExpr],
        compiled: &[Option<PairFilter>],
    ) -> Result<u64, QueryError> {
        let mut n = 0;
        if key.is_null() {
            return Ok(0);
        }
        let Some(matches) = table.candidates(key) else {
            return Ok(0);
        };
        for &i in matches {
            let e = &table.entries[i as usize];
            if !self.joins(e, key) {
                continue;
            }
            self.env.guard.tick()?;
            if after.is_empty() {
                n += 1;
                continue;
            }
            for (s, v) in table.slots.iter().zip(&e.values) {
                self.row[*s] = v.clone();
                self.assigned[*s] = true;
            }
            let held = self.conditions_hold(after, compiled);
            for s in &table.slots {
                self.unbind(*s, false);
            }
            n += u64::from(held?);
        }
        Ok(n)
    }

    /// The table of joined part `pi`, built now if it was not yet.
    pub(in crate::eval) fn join_table(&mut self, pi: usize) -> &JoinTable {
        if self.tables.get(pi).is_none_or(Option::is_none) {
            let joined = self.take_joined(pi);
            self.tables[pi] = Some(joined);
        }
        &self.tables[pi].as_ref().expect("kept above").table
    }

    /// Part `pi`'s table with this matcher's key memo, taken out of
    /// `tables` (put back by the caller): the one this matcher holds, else
    /// the one the morsels of a parallel section share for this part and
    /// input row (built now if no morsel has yet), else one built now.
    fn take_joined(&mut self, pi: usize) -> Joined {
        if self.tables.len() <= pi {
            self.tables.resize_with(pi + 1, || None);
        }
        if let Some(joined) = self.tables[pi].take() {
            return joined;
        }
        let p = &self.patterns[pi];
        let table = match self.env.guard.shared_join_tables() {
            Some(shared) => shared.table(p.id, &self.row[..self.input_len], || self.build_table(p)),
            None => Arc::new(self.build_table(p)),
        };
        let after = p
            .join
            .as_ref()
            .map(|j| j.after.iter().map(|c| PairFilter::compile(self.env.graph, c)).collect())
            .unwrap_or_default();
        Joined {
            table,
            memo: KeyMemo::default(),
            after,
        }
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
        let mut reads = Vec::new();
        let probe_reads = (join.probe.slots_read(&mut reads) && join.probe.repeatable()).then(|| {
            reads.sort_unstable();
            reads.dedup();
            reads
        });
        let mut table = JoinTable::new(slots, probe_reads);
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
        table.seal();
        table
    }
}

/// The tables of joined parts that the morsels of a parallel section share
/// (see the module's comment), kept in the execution context while the
/// section runs: by `PatternPlan::id`, the tables built for the last few
/// input rows, each with that row.
#[derive(Default)]
pub(in crate::eval) struct SharedTables {
    parts: Mutex<Vec<Vec<Arc<SharedTable>>>>,
}

/// One part's table for one input row, built by the first matcher that
/// needs it while the others wait.
struct SharedTable {
    input: Vec<Value>,
    table: OnceLock<Arc<JoinTable>>,
}

/// The input rows a part's tables are kept for: a section over rows that
/// differ (after a WITH) builds a table per row, as one thread does.
const KEPT_INPUTS: usize = 4;

impl SharedTables {
    /// Part `id`'s table for the input row `input`: the one built for the
    /// same row, or `build()`'s.
    pub(in crate::eval) fn table(
        &self,
        id: usize,
        input: &[Value],
        build: impl FnOnce() -> JoinTable,
    ) -> Arc<JoinTable> {
        let shared = {
            let mut parts = self.parts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if parts.len() <= id {
                parts.resize_with(id + 1, Vec::new);
            }
            let kept = &mut parts[id];
            match kept.iter().find(|t| same_row(&t.input, input)) {
                Some(t) => Arc::clone(t),
                None => {
                    let t = Arc::new(SharedTable {
                        input: input.to_vec(),
                        table: OnceLock::new(),
                    });
                    if kept.len() == KEPT_INPUTS {
                        kept.remove(0);
                    }
                    kept.push(Arc::clone(&t));
                    t
                }
            }
        };
        Arc::clone(shared.table.get_or_init(|| Arc::new(build())))
    }
}

/// Whether two input rows are the same row to build a table from: equal
/// scalars (floats to the bit, texts to the byte, no conversion between
/// numbers), the same nodes and relationships, and the very same lists,
/// maps, paths and temporal values.
fn same_row(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (Value::Null, Value::Null) => true,
            (Value::Bool(x), Value::Bool(y)) => x == y,
            (Value::Int(x), Value::Int(y)) => x == y,
            (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
            (Value::String(x), Value::String(y)) => x.as_bytes() == y.as_bytes(),
            (Value::Node(x), Value::Node(y)) => x == y,
            (Value::Rel(x), Value::Rel(y)) => x == y,
            (Value::List(x), Value::List(y)) => Arc::ptr_eq(x, y),
            (Value::Map(x), Value::Map(y)) => Arc::ptr_eq(x, y),
            (Value::Path(x), Value::Path(y)) => Arc::ptr_eq(x, y),
            (Value::Temporal(x), Value::Temporal(y)) => Arc::ptr_eq(x, y),
            _ => false,
        })
}

/// Tables are read by the morsels on every thread.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<JoinTable>();
    shared::<SharedTables>();
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morsels_share_a_table_built_once_per_part_and_input_row() {
        let shared = SharedTables::default();
        let builds = std::sync::atomic::AtomicUsize::new(0);
        let build = || {
            builds.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            JoinTable::new(vec![], None)
        };
        let row = vec![
            Value::Int(1),
            Value::str("a long text, not kept inline"),
            Value::list(vec![]),
        ];
        // Four threads ask for part 3's table from the same row: one builds.
        let tables: Vec<Arc<JoinTable>> = std::thread::scope(|s| {
            let ask = || shared.table(3, &row, build);
            let asked: Vec<_> = (0..4).map(|_| s.spawn(ask)).collect();
            asked.into_iter().map(|t| t.join().expect("no panic")).collect()
        });
        assert_eq!(builds.load(std::sync::atomic::Ordering::Relaxed), 1);
        assert!(tables.windows(2).all(|w| Arc::ptr_eq(&w[0], &w[1])));
        // A clone of the row is the same row; another part, or a row that
        // differs in any way (1.0 is not 1, another list is not the same
        // list even when equal), has a table of its own.
        assert!(Arc::ptr_eq(&shared.table(3, &row.clone(), build), &tables[0]));
        let others = [
            vec![Value::Float(1.0), row[1].clone(), row[2].clone()],
            vec![
                row[0].clone(),
                Value::str("a long text, not kept inline!"),
                row[2].clone(),
            ],
            vec![row[0].clone(), row[1].clone(), Value::list(vec![])],
            row[..2].to_vec(),
        ];
        for other in &others {
            assert!(!Arc::ptr_eq(&shared.table(3, other, build), &tables[0]), "{other:?}");
        }
        assert!(!Arc::ptr_eq(&shared.table(4, &row, build), &tables[0]));
        assert_eq!(builds.load(std::sync::atomic::Ordering::Relaxed), 6);
        // Floats are compared to the bit: 0.0 and -0.0 are two rows.
        let zero = shared.table(5, &[Value::Float(0.0)], build);
        assert!(!Arc::ptr_eq(&shared.table(5, &[Value::Float(-0.0)], build), &zero));
    }
}
