//! Property indexes: for one (label, key), every node with the label and a
//! value for the key (null is never indexed), sorted by value in the order
//! ORDER BY uses ([`Value::total_cmp`]), nodes of equal values by handle.
//! A sorted array of node numbers (the values stay in the store) answers
//! equality, IN, ranges, STARTS WITH and ordered scans; see [`PropIndex`].
//!
//! Indexes are kept current by the store's private mutators (`txn.rs`),
//! which undo and rollback also go through, so a taken-back change takes
//! its index entries back too. A bulk load skips the upkeep and rebuilds
//! every index at its end. Creating and dropping a named index is recorded
//! in the journal like any change. An index without a name is implicit:
//! the one on `id` a plan asks for, built on first use and not saved.

use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::Arc;

use super::{Graph, KeyPositions, NodeId, Sym};
use crate::value::{Text, Value};

/// A value as an index orders it: the classes in ORDER BY's order (maps,
/// nodes, relationships, lists, paths first, then strings, booleans,
/// numbers), numbers by their value as a float (integers before floats of
/// equal value, NaN last), so that every integer and float that `=` makes
/// equal lies in one run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum IndexKey {
    Other(OtherKey),
    Str(Text),
    Bool(bool),
    Num(NumKey),
}

/// A number's place: the float's bits in total order, integers (0) before
/// floats (1), then the exact integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct NumKey {
    bits: u64,
    kind: u8,
    exact: i64,
}

/// Values of the rarely indexed classes, ordered by [`Value::total_cmp`].
#[derive(Debug, Clone)]
pub struct OtherKey(Value);

impl PartialEq for OtherKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for OtherKey {}
impl PartialOrd for OtherKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OtherKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The bits of `f` in an order where every float sorts as it compares
/// (-0.0 as 0.0), and NaN after every number.
fn float_bits(f: f64) -> u64 {
    if f.is_nan() {
        return u64::MAX;
    }
    let b = (if f == 0.0 { 0.0 } else { f }).to_bits();
    if b >> 63 == 1 { !b } else { b | 1 << 63 }
}

impl NumKey {
    fn int(i: i64) -> NumKey {
        NumKey {
            bits: float_bits(i as f64),
            kind: 0,
            exact: i,
        }
    }
    fn float(f: f64) -> NumKey {
        NumKey {
            bits: float_bits(f),
            kind: 1,
            exact: 0,
        }
    }
    /// Below every number whose float value is `f`.
    fn lowest(f: f64) -> NumKey {
        NumKey {
            bits: float_bits(f),
            kind: 0,
            exact: i64::MIN,
        }
    }
    /// Above every number whose float value is `f`.
    fn highest(f: f64) -> NumKey {
        NumKey {
            bits: float_bits(f),
            kind: 1,
            exact: i64::MAX,
        }
    }
}

impl IndexKey {
    /// The key of a value; `None` for null, which is never indexed.
    pub fn of(v: &Value) -> Option<IndexKey> {
        Some(match v {
            Value::Null => return None,
            Value::String(s) => IndexKey::Str(s.clone()),
            Value::Bool(b) => IndexKey::Bool(*b),
            Value::Int(i) => IndexKey::Num(NumKey::int(*i)),
            Value::Float(f) => IndexKey::Num(NumKey::float(*f)),
            other => IndexKey::Other(OtherKey(other.clone())),
        })
    }

    /// The key as a [`KeyRef`], which orders as this one does.
    pub fn as_ref(&self) -> KeyRef<'_> {
        match self {
            IndexKey::Other(OtherKey(v)) => KeyRef::Other(OtherRef(v)),
            IndexKey::Str(s) => KeyRef::Str(s.as_str()),
            IndexKey::Bool(b) => KeyRef::Bool(*b),
            IndexKey::Num(n) => KeyRef::Num(*n),
        }
    }
}

/// A value's key borrowed from the value: ordered exactly as
/// [`IndexKey`] orders, made without cloning anything. Lookups compare
/// the values they find in the store through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyRef<'a> {
    Other(OtherRef<'a>),
    Str(&'a str),
    Bool(bool),
    Num(NumKey),
}

/// A value of the rarely indexed classes, ordered by [`Value::total_cmp`].
#[derive(Debug, Clone, Copy)]
pub struct OtherRef<'a>(&'a Value);

impl PartialEq for OtherRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for OtherRef<'_> {}
impl PartialOrd for OtherRef<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OtherRef<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(other.0)
    }
}

impl<'a> KeyRef<'a> {
    /// The key of a value; `None` for null, which is never indexed.
    pub fn of(v: &'a Value) -> Option<KeyRef<'a>> {
        Some(match v {
            Value::Null => return None,
            Value::String(s) => KeyRef::Str(s.as_str()),
            Value::Bool(b) => KeyRef::Bool(*b),
            Value::Int(i) => KeyRef::Num(NumKey::int(*i)),
            Value::Float(f) => KeyRef::Num(NumKey::float(*f)),
            other => KeyRef::Other(OtherRef(other)),
        })
    }

    /// Whether two keys are one value to `=`: numbers by their float
    /// value (which sorts them into one run), anything else by key.
    fn same_value(self, other: KeyRef<'_>) -> bool {
        match (self, other) {
            (KeyRef::Num(x), KeyRef::Num(y)) => x.bits == y.bits,
            (KeyRef::Other(x), KeyRef::Other(y)) => x == y,
            (KeyRef::Str(x), KeyRef::Str(y)) => x == y,
            (KeyRef::Bool(x), KeyRef::Bool(y)) => x == y,
            _ => false,
        }
    }

    fn starts_with(self, prefix: &str) -> bool {
        matches!(self, KeyRef::Str(s) if s.starts_with(prefix))
    }
}

type Entry = (IndexKey, NodeId);

/// An entry as lookups give it: its key (borrowed from the store or from
/// the index) and its node.
pub type EntryRef<'a> = (KeyRef<'a>, NodeId);

/// The nodes of a label with a value for a key, in value order.
///
/// Most of it is one array of node numbers sorted by (value, node): 4
/// bytes a node, the values left in the store and read from there as a
/// lookup's binary search compares them. Changes since the array was
/// sorted are kept beside it, with their keys: entries added (a node
/// created, or given the key or the label) and array entries taken out
/// (with the key they were sorted by, since the store's value may have
/// changed or gone). Lookups merge the two; when the changes grow past a
/// share of the array, the array is merged anew.
#[derive(Debug, Clone)]
pub struct PropIndex {
    /// `None` for an implicit index (see the module's comment).
    name: Option<Arc<str>>,
    label: Sym,
    key: Arc<str>,
    /// Where nodes keep the key.
    at: KeyPositions,
    /// The entries when the array was last sorted.
    sorted: Vec<NodeId>,
    /// Entries added since.
    added: BTreeSet<Entry>,
    /// Nodes of `sorted` taken out since, with the keys they were sorted by.
    gone: HashMap<NodeId, IndexKey>,
    /// Distinct values among the entries (numbers by their value).
    distinct: usize,
}

/// The changes kept beside the sorted array before it is merged anew: at
/// least this many, or a sixteenth of the array.
const SETTLE_MIN: usize = 256;

/// Where a range of an index starts or ends, in the classes of values.
type KeyBound = Bound<Entry>;

fn from_key(k: IndexKey, inclusive: bool) -> KeyBound {
    if inclusive {
        Bound::Included((k, NodeId(0)))
    } else {
        Bound::Excluded((k, NodeId(u32::MAX)))
    }
}

fn to_key(k: IndexKey, inclusive: bool) -> KeyBound {
    if inclusive {
        Bound::Included((k, NodeId(u32::MAX)))
    } else {
        Bound::Excluded((k, NodeId(0)))
    }
}

/// One end of a range condition (`n.k > 3`: a lower end, exclusive).
#[derive(Debug, Clone, Copy)]
pub struct RangeEnd<'v> {
    pub value: &'v Value,
    pub inclusive: bool,
}

/// Which class of values a range compares within: openCypher's `<` and
/// friends compare numbers with numbers, strings with strings, booleans
/// with booleans, lists with lists, and nothing across.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Str,
    Bool,
    Num,
    List,
}

fn class(v: &Value) -> Option<Class> {
    match v {
        Value::String(_) => Some(Class::Str),
        Value::Bool(_) => Some(Class::Bool),
        Value::Int(_) | Value::Float(_) => Some(Class::Num),
        Value::List(_) => Some(Class::List),
        _ => None,
    }
}

/// The whole run of a class, as bounds.
fn class_bounds(c: Class) -> (KeyBound, KeyBound) {
    match c {
        Class::Str => (
            from_key(IndexKey::Str(Text::new("")), true),
            to_key(IndexKey::Bool(false), false),
        ),
        Class::Bool => (
            from_key(IndexKey::Bool(false), true),
            to_key(IndexKey::Bool(true), true),
        ),
        Class::Num => (
            from_key(IndexKey::Num(NumKey::lowest(f64::NEG_INFINITY)), true),
            // NaN compares with nothing.
            to_key(IndexKey::Num(NumKey::lowest(f64::NAN)), false),
        ),
        // Lists are few in an index; all of them, and `<` on each.
        Class::List => (Bound::Unbounded, to_key(IndexKey::Str(Text::new("")), false)),
    }
}

impl PropIndex {
    fn build(graph: &Graph, name: Option<Arc<str>>, label: Sym, key: Arc<str>) -> PropIndex {
        let at = graph.key_positions(&key);
        let nodes = graph.by_label.get(&label).map(Vec::as_slice).unwrap_or(&[]);
        let keyed: Vec<EntryRef<'_>> = match super::id_run(nodes) {
            // A run of consecutive nodes (a label loaded from one file):
            // the values read by stride through the value column.
            Some(run) => {
                let mut keyed = Vec::with_capacity(nodes.len());
                let mut n = nodes.iter();
                graph.prop_key(&key).for_each_in(run, |v| {
                    let node = n.next();
                    if let (Some(k), Some(&node)) = (v.and_then(KeyRef::of), node) {
                        keyed.push((k, node));
                    }
                });
                keyed
            }
            None => nodes
                .iter()
                .filter_map(|&n| Some((KeyRef::of(graph.node_prop(n, &at)?)?, n)))
                .collect(),
        };
        let (order, distinct) = sort_order(&keyed);
        let sorted = order.iter().map(|&i| keyed[i as usize].1).collect();
        PropIndex {
            name,
            label,
            key,
            at,
            sorted,
            added: BTreeSet::new(),
            gone: HashMap::new(),
            distinct,
        }
    }

    /// The index read with the graph whose nodes it holds.
    fn view<'g>(&'g self, graph: &'g Graph) -> IndexView<'g> {
        IndexView { ix: self, graph }
    }

    /// Whether `(k, n)` is an entry of the sorted array still in the index.
    fn in_sorted(&self, graph: &Graph, k: &IndexKey, n: NodeId) -> bool {
        if self.gone.contains_key(&n) {
            return false;
        }
        let v = self.view(graph);
        let at = v.first_not_below(k.as_ref(), n, true);
        self.sorted.get(at) == Some(&n)
    }

    fn add(&mut self, graph: &Graph, k: IndexKey, n: NodeId) {
        if self.in_sorted(graph, &k, n) || self.added.contains(&(k.clone(), n)) {
            return;
        }
        let fresh = !self.view(graph).value_taken(k.as_ref(), n);
        self.added.insert((k, n));
        if fresh {
            self.distinct += 1;
        }
        self.settle(graph);
    }

    fn take(&mut self, graph: &Graph, k: IndexKey, n: NodeId) {
        let taken = if self.added.remove(&(k.clone(), n)) {
            true
        } else if self.in_sorted(graph, &k, n) {
            self.gone.insert(n, k.clone());
            true
        } else {
            false
        };
        if taken && !self.view(graph).value_taken(k.as_ref(), n) {
            self.distinct -= 1;
        }
        self.settle(graph);
    }

    /// Merges the changes into the sorted array once they are many.
    fn settle(&mut self, graph: &Graph) {
        if self.added.len() + self.gone.len() <= SETTLE_MIN.max(self.sorted.len() / 16) {
            return;
        }
        let merged: Vec<NodeId> = self.view(graph).ascending().map(|(_, n)| n).collect();
        self.sorted = merged;
        self.added.clear();
        self.gone.clear();
        self.at = graph.key_positions(&self.key);
    }

    pub fn len(&self) -> usize {
        self.sorted.len() - self.gone.len() + self.added.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index's name; `None` for an implicit one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// How many distinct values the index holds (an integer and a float
    /// of one value are one).
    pub fn distinct(&self) -> usize {
        self.distinct
    }

    /// The bytes the index holds beyond its own size (the sorted array and
    /// the changes beside it, roughly).
    pub fn heap_bytes(&self) -> usize {
        self.sorted.capacity() * std::mem::size_of::<NodeId>()
            + (self.added.len() + self.gone.len()) * (std::mem::size_of::<Entry>() + 16)
    }
}

/// A property index read with the graph whose nodes it holds (the sorted
/// array's values are read from the store): what [`Graph::index`] gives.
#[derive(Debug, Clone, Copy)]
pub struct IndexView<'g> {
    ix: &'g PropIndex,
    graph: &'g Graph,
}

/// The index's entries between two bounds, in order (both ways).
pub type Entries<'g> = Merge<Kept<'g>, std::iter::Map<std::collections::btree_set::Range<'g, Entry>, EntryOf<'g>>>;

type EntryOf<'g> = fn(&'g Entry) -> EntryRef<'g>;

fn entry_ref(e: &Entry) -> EntryRef<'_> {
    (e.0.as_ref(), e.1)
}

impl<'g> IndexView<'g> {
    /// The key node `n` of the sorted array was sorted by.
    #[inline]
    fn key_of(&self, n: NodeId) -> Option<KeyRef<'g>> {
        if !self.ix.gone.is_empty()
            && let Some(k) = self.ix.gone.get(&n)
        {
            return Some(k.as_ref());
        }
        KeyRef::of(self.graph.node_prop(n, &self.ix.at)?)
    }

    /// Where `(k, n)` sorts against entry `m` of the sorted array.
    #[inline]
    fn cmp_at(&self, m: NodeId, k: KeyRef<'_>, n: NodeId) -> std::cmp::Ordering {
        match self.key_of(m) {
            Some(x) => x.cmp(&k).then(m.cmp(&n)),
            // Never for an entry of the array; sorted last.
            None => std::cmp::Ordering::Greater,
        }
    }

    /// The first position of the sorted array whose entry is not below
    /// `(k, n)` (with `inclusive`), or is above it (without).
    fn first_not_below(&self, k: KeyRef<'_>, n: NodeId, inclusive: bool) -> usize {
        use std::cmp::Ordering::*;
        self.ix.sorted.partition_point(|&m| match self.cmp_at(m, k, n) {
            Less => true,
            Equal => !inclusive,
            Greater => false,
        })
    }

    /// The stretch `lo..hi` of the sorted array between `from` and `to`.
    fn positions(&self, from: &KeyBound, to: &KeyBound) -> (usize, usize) {
        let lo = match from {
            Bound::Unbounded => 0,
            Bound::Included((k, n)) => self.first_not_below(k.as_ref(), *n, true),
            Bound::Excluded((k, n)) => self.first_not_below(k.as_ref(), *n, false),
        };
        let hi = match to {
            Bound::Unbounded => self.ix.sorted.len(),
            Bound::Included((k, n)) => self.first_not_below(k.as_ref(), *n, false),
            Bound::Excluded((k, n)) => self.first_not_below(k.as_ref(), *n, true),
        };
        (lo, hi)
    }

    /// The entries between `from` and `to`, in order.
    fn entries(&self, from: &KeyBound, to: &KeyBound) -> Entries<'g> {
        let (lo, hi) = self.positions(from, to);
        let kept = Kept {
            view: *self,
            nodes: self.ix.sorted[lo..hi.max(lo)].iter(),
        };
        let added = self
            .ix
            .added
            .range((from.clone(), to.clone()))
            .map(entry_ref as EntryOf<'g>);
        Merge::new(kept, added)
    }

    /// Whether an entry other than node `n`'s holds `k`'s value.
    fn value_taken(&self, k: KeyRef<'_>, n: NodeId) -> bool {
        let (from, to) = match k {
            KeyRef::Num(x) => {
                let at = |kind, exact| {
                    IndexKey::Num(NumKey {
                        bits: x.bits,
                        kind,
                        exact,
                    })
                };
                (from_key(at(0, i64::MIN), true), to_key(at(1, i64::MAX), true))
            }
            _ => {
                let owned = match k {
                    KeyRef::Other(OtherRef(v)) => IndexKey::Other(OtherKey(v.clone())),
                    KeyRef::Str(s) => IndexKey::Str(Text::new(s)),
                    KeyRef::Bool(b) => IndexKey::Bool(b),
                    KeyRef::Num(x) => IndexKey::Num(x),
                };
                (from_key(owned.clone(), true), to_key(owned, true))
            }
        };
        self.entries(&from, &to).any(|(_, m)| m != n)
    }

    pub fn len(&self) -> usize {
        self.ix.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ix.is_empty()
    }

    /// The index's name; `None` for an implicit one.
    pub fn name(&self) -> Option<&'g str> {
        self.ix.name()
    }

    /// How many distinct values the index holds (an integer and a float
    /// of one value are one).
    pub fn distinct(&self) -> usize {
        self.ix.distinct()
    }

    /// Appends the nodes whose value may equal `v` (the caller's filter
    /// decides): none for null or NaN, both integers and floats of a
    /// number's value.
    pub fn equal(&self, v: &Value, out: &mut Vec<NodeId>) {
        out.extend(self.visit(Lookup::Equal(v)));
    }

    /// Appends the nodes whose value may lie between `lo` and `hi` (each
    /// end optional): values of the ends' class only, none when the ends'
    /// classes differ or an end is null or NaN. Numbers of equal float
    /// value at an end are kept (integers beyond 2^53 may differ).
    pub fn range(&self, lo: Option<RangeEnd<'_>>, hi: Option<RangeEnd<'_>>, out: &mut Vec<NodeId>) {
        out.extend(self.visit(Lookup::Range(lo, hi)));
    }

    /// Appends the nodes whose value is a string starting with `prefix`.
    pub fn prefix(&self, prefix: &str, out: &mut Vec<NodeId>) {
        out.extend(self.visit(Lookup::Prefix(prefix)));
    }

    /// The nodes `lookup` finds, in value order (see [`IndexView::equal`],
    /// [`IndexView::range`] and [`IndexView::prefix`] for what each may
    /// find beyond the exact answer).
    pub fn visit(&self, lookup: Lookup<'_>) -> Box<dyn Iterator<Item = NodeId> + 'g> {
        let nodes = |e: Entries<'g>| e.map(|(_, n)| n);
        match lookup {
            Lookup::Equal(v) => match equal_bounds(v) {
                Some((from, to)) => Box::new(nodes(self.entries(&from, &to))),
                None => Box::new(std::iter::empty()),
            },
            Lookup::Range(lo, hi) => match range_bounds(lo, hi) {
                Some((from, to)) => Box::new(nodes(self.entries(&from, &to))),
                None => Box::new(std::iter::empty()),
            },
            Lookup::Prefix(prefix) => {
                let from = from_key(IndexKey::Str(Text::new(prefix)), true);
                let prefix: Box<str> = prefix.into();
                Box::new(
                    self.entries(&from, &Bound::Unbounded)
                        .take_while(move |(k, _)| k.starts_with(&prefix))
                        .map(|(_, n)| n),
                )
            }
        }
    }

    /// How many nodes `lookup` finds, counting no further than `cap`.
    /// Planning asks this of every seek it weighs, so it must not read
    /// each entry: while no entry of the sorted array has been taken out,
    /// the array's share is the distance between two binary searches and
    /// only the few entries added beside it are walked (a prefix's end is
    /// found by a third search, its entries being adjacent). With
    /// removals pending, the entries are read, up to `cap`.
    pub fn count(&self, lookup: Lookup<'_>, cap: usize) -> usize {
        if !self.ix.gone.is_empty() {
            return self.visit(lookup).take(cap).count();
        }
        let between = |(from, to): (KeyBound, KeyBound)| {
            let (lo, hi) = self.positions(&from, &to);
            hi.saturating_sub(lo) + self.ix.added.range((from, to)).count()
        };
        let n = match lookup {
            Lookup::Equal(v) => equal_bounds(v).map_or(0, between),
            Lookup::Range(lo, hi) => range_bounds(lo, hi).map_or(0, between),
            Lookup::Prefix(prefix) => {
                let from = from_key(IndexKey::Str(Text::new(prefix)), true);
                let (lo, _) = self.positions(&from, &Bound::Unbounded);
                let kept =
                    self.ix.sorted[lo..].partition_point(|&m| self.key_of(m).is_some_and(|k| k.starts_with(prefix)));
                let added = (self.ix.added.range((from, Bound::Unbounded)))
                    .take_while(|(k, _)| k.as_ref().starts_with(prefix))
                    .count();
                kept + added
            }
        };
        n.min(cap)
    }

    /// Every entry in ascending order; equal values are adjacent.
    pub fn ascending(&self) -> Entries<'g> {
        self.entries(&Bound::Unbounded, &Bound::Unbounded)
    }

    /// Whether no change waits beside the sorted array: a position in it
    /// is then an entry's rank in [`IndexView::ascending`].
    pub fn settled(&self) -> bool {
        self.ix.added.is_empty() && self.ix.gone.is_empty()
    }

    /// The entries of ranks `lo..hi` in ascending order (clamped to the
    /// index's length); `None` while changes wait (see
    /// [`IndexView::settled`]), when ranks cost a walk from the start.
    pub fn ranks(&self, lo: usize, hi: usize) -> Option<Entries<'g>> {
        if !self.settled() {
            return None;
        }
        let hi = hi.min(self.ix.sorted.len());
        let kept = Kept {
            view: *self,
            nodes: self.ix.sorted[lo.min(hi)..hi].iter(),
        };
        // Settled: nothing was added.
        let added = self.ix.added.range::<Entry, _>(..);
        Some(Merge::new(kept, added.map(entry_ref as EntryOf<'g>)))
    }

    /// The ranks `a..b` of the run of entries whose key is the one of rank
    /// `i` (equal keys, as [`KeyRef`] compares them); `None` while changes
    /// wait or past the end.
    pub fn run_at(&self, i: usize) -> Option<(usize, usize)> {
        if !self.settled() {
            return None;
        }
        let k = self.key_of(*self.ix.sorted.get(i)?)?;
        let key = |m: &NodeId| self.key_of(*m);
        let a = self.ix.sorted[..i].partition_point(|m| key(m).is_some_and(|x| x < k));
        let b = i + self.ix.sorted[i..].partition_point(|m| key(m).is_some_and(|x| x <= k));
        Some((a, b))
    }
}

/// The entries of a stretch of the sorted array still in the index, with
/// the keys they were sorted by.
#[derive(Debug, Clone)]
pub struct Kept<'g> {
    view: IndexView<'g>,
    nodes: std::slice::Iter<'g, NodeId>,
}

impl<'g> Kept<'g> {
    #[inline]
    fn entry(&self, n: NodeId) -> Option<EntryRef<'g>> {
        if !self.view.ix.gone.is_empty() && self.view.ix.gone.contains_key(&n) {
            return None;
        }
        Some((self.view.key_of(n)?, n))
    }
}

impl<'g> Iterator for Kept<'g> {
    type Item = EntryRef<'g>;

    fn next(&mut self) -> Option<EntryRef<'g>> {
        loop {
            let n = *self.nodes.next()?;
            if let Some(e) = self.entry(n) {
                return Some(e);
            }
        }
    }
}

impl<'g> DoubleEndedIterator for Kept<'g> {
    fn next_back(&mut self) -> Option<EntryRef<'g>> {
        loop {
            let n = *self.nodes.next_back()?;
            if let Some(e) = self.entry(n) {
                return Some(e);
            }
        }
    }
}

/// Two sorted streams of entries merged into one, from either end (each
/// entry is in one stream only).
#[derive(Debug, Clone)]
pub struct Merge<A: Iterator, B: Iterator> {
    a: A,
    b: B,
    /// Entries read from a stream's front or back and not given yet.
    a_front: Option<A::Item>,
    a_back: Option<A::Item>,
    b_front: Option<B::Item>,
    b_back: Option<B::Item>,
}

impl<'g, A, B> Merge<A, B>
where
    A: DoubleEndedIterator<Item = EntryRef<'g>>,
    B: DoubleEndedIterator<Item = EntryRef<'g>>,
{
    fn new(a: A, b: B) -> Self {
        Merge {
            a,
            b,
            a_front: None,
            a_back: None,
            b_front: None,
            b_back: None,
        }
    }
}

impl<'g, A, B> Iterator for Merge<A, B>
where
    A: DoubleEndedIterator<Item = EntryRef<'g>>,
    B: DoubleEndedIterator<Item = EntryRef<'g>>,
{
    type Item = EntryRef<'g>;

    fn next(&mut self) -> Option<EntryRef<'g>> {
        // A stream read to its end from the front may still hold the
        // entry its back has read.
        if self.a_front.is_none() {
            self.a_front = self.a.next().or_else(|| self.a_back.take());
        }
        if self.b_front.is_none() {
            self.b_front = self.b.next().or_else(|| self.b_back.take());
        }
        match (&self.a_front, &self.b_front) {
            (Some(x), Some(y)) if y < x => self.b_front.take(),
            (Some(_), _) => self.a_front.take(),
            (None, _) => self.b_front.take(),
        }
    }
}

impl<'g, A, B> DoubleEndedIterator for Merge<A, B>
where
    A: DoubleEndedIterator<Item = EntryRef<'g>>,
    B: DoubleEndedIterator<Item = EntryRef<'g>>,
{
    fn next_back(&mut self) -> Option<EntryRef<'g>> {
        if self.a_back.is_none() {
            self.a_back = self.a.next_back().or_else(|| self.a_front.take());
        }
        if self.b_back.is_none() {
            self.b_back = self.b.next_back().or_else(|| self.b_front.take());
        }
        match (&self.a_back, &self.b_back) {
            (Some(x), Some(y)) if y > x => self.b_back.take(),
            (Some(_), _) => self.a_back.take(),
            (None, _) => self.b_back.take(),
        }
    }
}

/// The order of a label's entries as the index sorts them: positions in
/// `entries` (which are in node order). When every value is a string
/// (the common case: ids and names), by each string's first 24 bytes
/// read once, in order, as three integers (most ids and names differ
/// within them, so most comparisons are of integers in one array, not of
/// strings reached through the store); entries whose 24 bytes tie are
/// then sorted by string and node. With the order, the number of
/// distinct values (numbers by their value): neighbours whose first 24
/// bytes differ are different strings without comparing the strings.
fn sort_order(entries: &[EntryRef<'_>]) -> (Vec<u32>, usize) {
    let all_str = entries.iter().all(|(k, _)| matches!(k, KeyRef::Str(_)));
    if !all_str || entries.len() < 64 {
        let mut order: Vec<u32> = (0..entries.len() as u32).collect();
        order.sort_unstable_by(|a, b| entries[*a as usize].cmp(&entries[*b as usize]));
        let distinct = order
            .windows(2)
            .filter(|w| !entries[w[0] as usize].0.same_value(entries[w[1] as usize].0))
            .count()
            + usize::from(!order.is_empty());
        return (order, distinct);
    }
    fn text<'a>(e: &EntryRef<'a>) -> &'a [u8] {
        match e.0 {
            KeyRef::Str(t) => t.as_bytes(),
            _ => &[],
        }
    }
    // (the first 24 bytes, zero-padded; position in `entries`): positions
    // follow node order, so equal strings end in node order.
    let mut order: Vec<([u64; 3], u32)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let b = text(e);
            let mut c = [0u8; 24];
            let n = b.len().min(24);
            c[..n].copy_from_slice(&b[..n]);
            let word = |k: usize| {
                u64::from_be_bytes([
                    c[k],
                    c[k + 1],
                    c[k + 2],
                    c[k + 3],
                    c[k + 4],
                    c[k + 5],
                    c[k + 6],
                    c[k + 7],
                ])
            };
            ([word(0), word(8), word(16)], i as u32)
        })
        .collect();
    order.sort_unstable_by_key(|x| x.0);
    // A tie on the padded prefix: a zero byte may stand for the end of a
    // shorter string, or the strings go on past 24 bytes.
    let mut a = 0;
    let mut distinct = 0;
    while a < order.len() {
        let mut b = a + 1;
        while b < order.len() && order[b].0 == order[a].0 {
            b += 1;
        }
        distinct += 1;
        if b - a > 1 {
            order[a..b].sort_unstable_by(|x, y| {
                text(&entries[x.1 as usize])
                    .cmp(text(&entries[y.1 as usize]))
                    .then(x.1.cmp(&y.1))
            });
            distinct += order[a..b]
                .windows(2)
                .filter(|w| text(&entries[w[0].1 as usize]) != text(&entries[w[1].1 as usize]))
                .count();
        }
        a = b;
    }
    (order.into_iter().map(|(_, i)| i).collect(), distinct)
}

/// One lookup in an index.
#[derive(Debug, Clone, Copy)]
pub enum Lookup<'v> {
    Equal(&'v Value),
    Range(Option<RangeEnd<'v>>, Option<RangeEnd<'v>>),
    Prefix(&'v str),
}

/// The entries that may equal `v`; `None` when none can.
fn equal_bounds(v: &Value) -> Option<(KeyBound, KeyBound)> {
    Some(match v {
        Value::Null => return None,
        Value::Float(f) if f.is_nan() => return None,
        Value::Int(_) | Value::Float(_) => {
            let f = match v {
                Value::Int(i) => *i as f64,
                Value::Float(f) => *f,
                _ => return None,
            };
            (
                from_key(IndexKey::Num(NumKey::lowest(f)), true),
                to_key(IndexKey::Num(NumKey::highest(f)), true),
            )
        }
        // Lists and maps equal by their items' `=`, which the total
        // order does not follow: every such value is a candidate.
        Value::List(_) | Value::Map(_) => (Bound::Unbounded, to_key(IndexKey::Str(Text::new("")), false)),
        other => {
            let k = IndexKey::of(other)?;
            (from_key(k.clone(), true), to_key(k, true))
        }
    })
}

/// The entries that may lie between `lo` and `hi`; `None` when none can.
fn range_bounds(lo: Option<RangeEnd<'_>>, hi: Option<RangeEnd<'_>>) -> Option<(KeyBound, KeyBound)> {
    let ends: Vec<&Value> = lo.iter().chain(hi.iter()).map(|e| e.value).collect();
    let c = ends.first().and_then(|v| class(v))?;
    if ends
        .iter()
        .any(|v| class(v) != Some(c) || matches!(v, Value::Float(f) if f.is_nan()))
    {
        return None;
    }
    let (mut from, mut to) = class_bounds(c);
    let bound = |e: &RangeEnd<'_>, low: bool| -> Option<KeyBound> {
        Some(match e.value {
            Value::Int(_) | Value::Float(_) => {
                let f = match e.value {
                    Value::Int(i) => *i as f64,
                    Value::Float(f) => *f,
                    _ => return None,
                };
                if low {
                    from_key(IndexKey::Num(NumKey::lowest(f)), true)
                } else {
                    to_key(IndexKey::Num(NumKey::highest(f)), true)
                }
            }
            Value::String(_) | Value::Bool(_) => {
                let k = IndexKey::of(e.value)?;
                if low {
                    from_key(k, e.inclusive)
                } else {
                    to_key(k, e.inclusive)
                }
            }
            _ => return None,
        })
    };
    if let Some(e) = &lo
        && let Some(b) = bound(e, true)
    {
        from = b;
    }
    if let Some(e) = &hi
        && let Some(b) = bound(e, false)
    {
        to = b;
    }
    if empty_range(&from, &to) {
        return None;
    }
    Some((from, to))
}

/// Whether `from..to` holds nothing (`BTreeSet::range` panics on a range
/// whose start is after its end).
fn empty_range(from: &KeyBound, to: &KeyBound) -> bool {
    match (from, to) {
        (Bound::Included(a) | Bound::Excluded(a), Bound::Included(b) | Bound::Excluded(b)) => {
            a > b || (a == b && !(matches!(from, Bound::Included(_)) && matches!(to, Bound::Included(_))))
        }
        _ => false,
    }
}

/// The graph's indexes.
#[derive(Debug, Clone, Default)]
pub(super) struct Indexes {
    list: Vec<PropIndex>,
    /// For each (label, key) without an index that plans have wanted one
    /// on: the scan work (nodes read) such an index would have saved the
    /// queries run so far (see [`Graph::note_index_use`]).
    demand: Vec<(Sym, Arc<str>, f64)>,
    /// No implicit index is built (see [`Graph::set_implicit_indexes`]).
    no_implicit: bool,
}

/// What building an implicit index costs, in nodes a filtered scan reads,
/// per node of the label: building costs about this many scans of the
/// label. Measured 2026-12-07 (one thread, `rolegraph --data
/// /tmp/bench/data/N --threads 1 --timing -e Q ...`, W30–W33 as the scans,
/// `CREATE INDEX` on `Role(name)` and `Role(id)` as the builds): at
/// N = 100,000 scans 0.6–0.8 ms, builds 6.5–8 ms (name) and 3.1 ms (id),
/// 10 and 4.5 scans; at N = 1,000,000 scans 6.5–9.5 ms, builds 120–145 ms
/// and 40–68 ms, 17 and 8 scans. Between them, 12 (it was 30, from
/// builds that sorted slower and read each node's record).
pub const BUILD_COST: f64 = 12.0;

/// A named index as it is saved and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDef {
    pub name: String,
    pub label: String,
    pub key: String,
}

/// A named index with its size, for SHOW INDEXES.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexInfo {
    pub def: IndexDef,
    pub entries: usize,
}

/// What CREATE INDEX did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexCreated {
    /// A new index, with its name (given or made).
    Created(String),
    /// `IF NOT EXISTS`, and the index (its name) was there.
    Existed(String),
}

/// Why an index could not be created or dropped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    #[error("an index named '{name}' already exists (on :{label}({key}))")]
    NameTaken { name: String, label: String, key: String },
    #[error("an index on :{label}({key}) already exists, named '{name}'")]
    Equivalent { name: String, label: String, key: String },
    #[error("there is no index named '{name}'")]
    Unknown { name: String, closest: Option<String> },
}

impl Indexes {
    pub(super) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    fn find(&self, label: Sym, key: &str) -> Option<usize> {
        self.list.iter().position(|i| i.label == label && &*i.key == key)
    }

    fn named(&self, name: &str) -> Option<usize> {
        self.list.iter().position(|i| i.name.as_deref() == Some(name))
    }
}

impl Graph {
    /// Creates a named index on `label`'s `key` (the name made up when
    /// none is given). With `if_not_exists`, an index of that name or on
    /// that label and key is not an error.
    pub fn create_index(
        &mut self,
        name: Option<&str>,
        label: &str,
        key: &str,
        if_not_exists: bool,
    ) -> Result<IndexCreated, IndexError> {
        let sym = self.symbols.intern(label);
        if let Some(name) = name
            && let Some(i) = self.indexes.named(name)
        {
            let ix = &self.indexes.list[i];
            if if_not_exists {
                return Ok(IndexCreated::Existed(name.to_string()));
            }
            return Err(IndexError::NameTaken {
                name: name.to_string(),
                label: self.symbols.name(ix.label).to_string(),
                key: ix.key.to_string(),
            });
        }
        let at = self.indexes.find(sym, key);
        if let Some(i) = at
            && let Some(existing) = &self.indexes.list[i].name
        {
            if if_not_exists {
                return Ok(IndexCreated::Existed(existing.to_string()));
            }
            return Err(IndexError::Equivalent {
                name: existing.to_string(),
                label: label.to_string(),
                key: key.to_string(),
            });
        }
        let name: Arc<str> = match name {
            Some(n) => n.into(),
            None => self.fresh_index_name(label, key).into(),
        };
        match at {
            // An implicit index on the same key becomes this one.
            Some(i) => self.indexes.list[i].name = Some(name.clone()),
            None => {
                let ix = PropIndex::build(self, Some(name.clone()), sym, key.into());
                self.indexes.list.push(ix);
            }
        }
        self.log(super::txn::Change::IndexCreated(name.clone()));
        Ok(IndexCreated::Created(name.to_string()))
    }

    /// `Label_key`, or with a number after it when that name is taken.
    fn fresh_index_name(&self, label: &str, key: &str) -> String {
        let base = format!("{label}_{key}");
        let mut name = base.clone();
        let mut k = 2;
        while self.indexes.named(&name).is_some() {
            name = format!("{base}_{k}");
            k += 1;
        }
        name
    }

    /// Drops the index named `name`: `Ok(false)` when there is none and
    /// `if_exists` says that is fine.
    pub fn drop_index(&mut self, name: &str, if_exists: bool) -> Result<bool, IndexError> {
        let Some(i) = self.indexes.named(name) else {
            if if_exists {
                return Ok(false);
            }
            let names: Vec<&str> = self.indexes.list.iter().filter_map(|i| i.name.as_deref()).collect();
            return Err(IndexError::Unknown {
                name: name.to_string(),
                closest: crate::diag::closest(name, names.iter().copied()).map(str::to_string),
            });
        };
        let def = self.index_def(&self.indexes.list[i]);
        self.indexes.list.remove(i);
        self.log(super::txn::Change::IndexDropped(def));
        Ok(true)
    }

    fn index_def(&self, ix: &PropIndex) -> IndexDef {
        IndexDef {
            name: ix.name.as_deref().unwrap_or_default().to_string(),
            label: self.symbols.name(ix.label).to_string(),
            key: ix.key.to_string(),
        }
    }

    /// The named indexes, sorted by name.
    pub fn index_list(&self) -> Vec<IndexInfo> {
        let mut v: Vec<IndexInfo> = self
            .indexes
            .list
            .iter()
            .filter(|i| i.name.is_some())
            .map(|i| IndexInfo {
                def: self.index_def(i),
                entries: i.len(),
            })
            .collect();
        v.sort_by(|a, b| a.def.name.cmp(&b.def.name));
        v
    }

    /// Builds the implicit index on `label`'s `key` if there is no index
    /// on it yet. Not a change: nothing is journalled, the index is kept
    /// current by every later change (and its undo) like a named one, and
    /// it is not saved.
    pub fn prepare_index(&mut self, label: &str, key: &str) {
        let Some(sym) = self.symbols.get(label) else { return };
        if self.bulk || self.indexes.find(sym, key).is_some() {
            return;
        }
        let ix = PropIndex::build(self, None, sym, key.into());
        self.indexes.list.push(ix);
        self.indexes.demand.retain(|(l, k, _)| !(*l == sym && **k == *key));
    }

    /// A query is about to scan `label` for a condition (or an order) on
    /// `key` that an index would answer, saving `saved` nodes read. The
    /// savings are added up per (label, key); once they reach what
    /// building the index costs ([`BUILD_COST`] per node of the label),
    /// the implicit index is built, and later plans seek it. Building
    /// when the scans it would have saved have cost as much as the build
    /// never spends more than twice what the best choice in hindsight
    /// would have (the ski-rental rule), whether the key is asked once or
    /// a thousand times. Returns whether it built the index.
    pub fn note_index_use(&mut self, label: &str, key: &str, saved: f64) -> bool {
        let Some(sym) = self.symbols.get(label) else {
            return false;
        };
        if self.indexes.no_implicit
            || self.bulk
            || self.indexes.find(sym, key).is_some()
            || saved.is_nan()
            || saved <= 0.0
        {
            return false;
        }
        let build = BUILD_COST * self.nodes_with_label(label).len() as f64;
        let at = match self
            .indexes
            .demand
            .iter()
            .position(|(l, k, _)| *l == sym && **k == *key)
        {
            Some(i) => i,
            None => {
                self.indexes.demand.push((sym, key.into(), 0.0));
                self.indexes.demand.len() - 1
            }
        };
        self.indexes.demand[at].2 += saved;
        if self.indexes.demand[at].2 < build {
            return false;
        }
        self.prepare_index(label, key);
        true
    }

    /// Whether queries may have implicit indexes built for them (on by
    /// default). Off, the implicit indexes built so far are dropped and
    /// every plan scans where no named index serves: what tests compare
    /// the indexed plans with.
    pub fn set_implicit_indexes(&mut self, on: bool) {
        self.indexes.no_implicit = !on;
        if !on {
            self.indexes.list.retain(|i| i.name.is_some());
            self.indexes.demand.clear();
        }
    }

    /// The scan work noted so far towards an implicit index on `label`'s
    /// `key` (see [`Graph::note_index_use`]).
    pub fn index_demand(&self, label: &str, key: &str) -> f64 {
        let Some(sym) = self.symbols.get(label) else { return 0.0 };
        self.indexes
            .demand
            .iter()
            .find(|(l, k, _)| *l == sym && **k == *key)
            .map_or(0.0, |d| d.2)
    }

    /// The index on `label`'s `key`, if one is built.
    pub fn index(&self, label: &str, key: &str) -> Option<IndexView<'_>> {
        let sym = self.symbols.get(label)?;
        self.indexes.find(sym, key).map(|i| self.indexes.list[i].view(self))
    }

    /// Rebuilds every index from the nodes (after a bulk load).
    pub(super) fn rebuild_indexes(&mut self) {
        let list = std::mem::take(&mut self.indexes.list);
        self.indexes.list = list
            .into_iter()
            .map(|ix| PropIndex::build(self, ix.name, ix.label, ix.key))
            .collect();
    }

    /// Undoes the creation of the index named `name`; what redoes it.
    pub(super) fn unmake_index(&mut self, name: &str) -> Option<IndexDef> {
        let i = self.indexes.named(name)?;
        let def = self.index_def(&self.indexes.list[i]);
        self.indexes.list.remove(i);
        Some(def)
    }

    /// Makes the index `def` again (undoing its drop).
    pub(super) fn remake_index(&mut self, def: &IndexDef) {
        let sym = self.symbols.intern(&def.label);
        let name: Arc<str> = def.name.as_str().into();
        match self.indexes.find(sym, &def.key) {
            Some(i) => self.indexes.list[i].name = Some(name),
            None => {
                let ix = PropIndex::build(self, Some(name), sym, def.key.as_str().into());
                self.indexes.list.push(ix);
            }
        }
    }

    /// Node `n` joins the indexes of its labels, with its current
    /// properties (a no-op without indexes and during a bulk load).
    pub(super) fn index_in(&mut self, n: NodeId) {
        self.index_upkeep(n, true);
    }

    /// Node `n` leaves the indexes of its labels (as [`Graph::index_in`]
    /// put it there), before its properties or labels change.
    pub(super) fn index_out(&mut self, n: NodeId) {
        self.index_upkeep(n, false);
    }

    fn index_upkeep(&mut self, n: NodeId, join: bool) {
        if self.indexes.is_empty() || self.bulk {
            return;
        }
        // The indexes read the other nodes' values from the graph while
        // they change.
        let mut list = std::mem::take(&mut self.indexes.list);
        let d = &self.g[petgraph::graph::NodeIndex::new(n.index())];
        let labels = self.label_sets.get(d.labels);
        for ix in list.iter_mut().filter(|i| labels.contains(&i.label)) {
            if let Some(k) = self.node_prop(n, &ix.at).and_then(IndexKey::of) {
                match join {
                    true => ix.add(self, k, n),
                    false => ix.take(self, k, n),
                }
            }
        }
        self.indexes.list = list;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;

    fn node(g: &mut Graph, label: &str, v: Value) -> NodeId {
        let mut m = Map::new();
        m.insert("v".into(), v);
        g.add_node(&[label], m).unwrap()
    }

    fn sorted(mut v: Vec<NodeId>) -> Vec<NodeId> {
        v.sort();
        v
    }

    #[test]
    fn seeks_follow_opencypher_typing() {
        let mut g = Graph::new("t");
        let vals = [
            Value::Int(1),
            Value::Float(1.0),
            Value::str("1"),
            Value::Int(2),
            Value::Float(f64::NAN),
            Value::Null,
            Value::Bool(true),
            Value::str("apple"),
            Value::str("apricot"),
            Value::str("banana"),
            Value::Float(-0.0),
            Value::Int(0),
            Value::list(vec![Value::Int(1)]),
        ];
        let ids: Vec<NodeId> = vals.iter().map(|v| node(&mut g, "L", v.clone())).collect();
        node(&mut g, "M", Value::Int(1));
        g.create_index(None, "L", "v", false).unwrap();
        let ix = g.index("L", "v").unwrap();
        assert_eq!(ix.len(), 12, "null is not indexed");
        let eq = |v: Value| {
            let mut out = Vec::new();
            ix.equal(&v, &mut out);
            sorted(out)
        };
        assert_eq!(eq(Value::Int(1)), vec![ids[0], ids[1]]);
        assert_eq!(eq(Value::Float(1.0)), vec![ids[0], ids[1]]);
        assert_eq!(eq(Value::str("1")), vec![ids[2]]);
        assert_eq!(eq(Value::Float(f64::NAN)), vec![]);
        assert_eq!(eq(Value::Null), vec![]);
        assert_eq!(eq(Value::Int(0)), vec![ids[10], ids[11]]);
        let range = |lo: Option<(Value, bool)>, hi: Option<(Value, bool)>| {
            let mut out = Vec::new();
            ix.range(
                lo.as_ref().map(|(value, inclusive)| RangeEnd {
                    value,
                    inclusive: *inclusive,
                }),
                hi.as_ref().map(|(value, inclusive)| RangeEnd {
                    value,
                    inclusive: *inclusive,
                }),
                &mut out,
            );
            sorted(out)
        };
        // Numbers only, NaN never; an end's equal values are candidates.
        assert_eq!(range(Some((Value::Int(1), false)), None), vec![ids[0], ids[1], ids[3]]);
        assert_eq!(
            range(None, Some((Value::Float(1.5), true))),
            vec![ids[0], ids[1], ids[10], ids[11]]
        );
        assert_eq!(
            range(Some((Value::str("apple"), false)), Some((Value::str("b"), false))),
            vec![ids[8]]
        );
        assert_eq!(
            range(Some((Value::str("b"), true)), Some((Value::str("a"), true))),
            vec![]
        );
        assert_eq!(
            range(Some((Value::Int(0), true)), Some((Value::str("z"), true))),
            vec![]
        );
        assert_eq!(range(Some((Value::Bool(false), false)), None), vec![ids[6]]);
        let mut out = Vec::new();
        ix.prefix("ap", &mut out);
        assert_eq!(sorted(out), vec![ids[7], ids[8]]);
        // Ascending order is ORDER BY's.
        let order: Vec<NodeId> = ix.ascending().map(|(_, n)| n).collect();
        let mut want: Vec<usize> = (0..vals.len()).filter(|i| !vals[*i].is_null()).collect();
        want.sort_by(|a, b| vals[*a].total_cmp(&vals[*b]).then(a.cmp(b)));
        assert_eq!(order, want.into_iter().map(|i| ids[i]).collect::<Vec<_>>());
    }

    #[test]
    fn counts_agree_with_the_entries_read() {
        // The count by positions (no removal pending) and by reading (one
        // pending) must give what visiting the entries gives, with entries
        // added beside the array or not, for every kind of lookup.
        let mut g = Graph::new("t");
        let words = ["ap", "apple", "apricot", "b", "ba", "banana", "band", "c"];
        let mut ids = Vec::new();
        for (i, w) in words.iter().enumerate() {
            ids.push(node(&mut g, "L", Value::str(w)));
            ids.push(node(&mut g, "L", Value::Int(i as i64)));
        }
        node(&mut g, "L", Value::Float(2.0));
        g.create_index(None, "L", "v", false).unwrap();
        let check = |g: &Graph, when: &str| {
            let ix = g.index("L", "v").unwrap();
            fn end(value: &Value, inclusive: bool) -> RangeEnd<'_> {
                RangeEnd { value, inclusive }
            }
            let strs: Vec<Value> = ["", "a", "ap", "apple", "b", "ban", "banana", "bz", "c", "d"]
                .iter()
                .map(|w| Value::str(w))
                .collect();
            let nums: Vec<Value> = (-1..10)
                .map(Value::Int)
                .chain([Value::Float(2.0), Value::Float(2.5)])
                .collect();
            let mut lookups: Vec<Lookup<'_>> = Vec::new();
            for v in strs.iter().chain(&nums) {
                lookups.push(Lookup::Equal(v));
                lookups.push(Lookup::Range(Some(end(v, true)), None));
                lookups.push(Lookup::Range(None, Some(end(v, false))));
            }
            for w in ["", "a", "ap", "apr", "b", "ban", "band", "z"] {
                lookups.push(Lookup::Prefix(w));
            }
            for (a, b) in strs
                .iter()
                .zip(strs.iter().skip(3))
                .chain(nums.iter().zip(nums.iter().skip(4)))
            {
                lookups.push(Lookup::Range(Some(end(a, true)), Some(end(b, false))));
                lookups.push(Lookup::Range(Some(end(a, false)), Some(end(b, true))));
            }
            for l in lookups {
                let read = ix.visit(l).count();
                assert_eq!(ix.count(l, usize::MAX), read, "{when}: {l:?}");
                assert_eq!(ix.count(l, 1), read.min(1), "{when}: {l:?} capped");
            }
        };
        check(&g, "as built");
        node(&mut g, "L", Value::str("apex"));
        node(&mut g, "L", Value::Int(3));
        check(&g, "entries added");
        g.delete_node(ids[2]);
        check(&g, "an entry removed");
    }

    #[test]
    fn indexes_follow_edits_undo_and_rollback() {
        let mut g = Graph::new("t");
        g.start_journal();
        let a = node(&mut g, "L", Value::Int(1));
        let mark = g.mark();
        assert_eq!(
            g.create_index(Some("i"), "L", "v", false),
            Ok(IndexCreated::Created("i".into()))
        );
        assert!(matches!(
            g.create_index(Some("i"), "L", "w", false),
            Err(IndexError::NameTaken { .. })
        ));
        assert!(matches!(
            g.create_index(None, "L", "v", false),
            Err(IndexError::Equivalent { .. })
        ));
        assert_eq!(
            g.create_index(None, "L", "v", true),
            Ok(IndexCreated::Existed("i".into()))
        );
        let b = node(&mut g, "L", Value::Int(2));
        let seek = |g: &Graph, v: i64| {
            let mut out = Vec::new();
            if let Some(ix) = g.index("L", "v") {
                ix.equal(&Value::Int(v), &mut out);
            }
            out
        };
        assert_eq!(seek(&g, 2), vec![b]);
        let mut p = Map::new();
        p.insert("v".into(), Value::Int(3));
        g.set_node_props(a, p.into()).unwrap();
        assert_eq!(seek(&g, 1), vec![]);
        assert_eq!(seek(&g, 3), vec![a]);
        g.set_node_labels(b, &["M"]);
        assert_eq!(seek(&g, 2), vec![]);
        g.delete_node(a);
        assert_eq!(seek(&g, 3), vec![]);
        let changes = g.take_since(mark);
        let redo = g.revert(changes);
        assert!(g.index("L", "v").is_none());
        g.revert(redo);
        assert_eq!(seek(&g, 3), vec![], "a is deleted again");
        assert_eq!(g.index_list().len(), 1);
        let mark = g.mark();
        g.delete_node(b);
        assert!(g.drop_index("i", false).unwrap());
        assert!(matches!(g.drop_index("i", false), Err(IndexError::Unknown { .. })));
        assert!(!g.drop_index("i", true).unwrap());
        g.rollback_to(mark);
        assert_eq!(g.index_list()[0].def.name, "i");
        assert_eq!(g.index_list()[0].entries, 0, "b has label M, a is deleted");
    }

    #[test]
    fn string_entries_sort_as_keys_do() {
        // Shared beginnings longer than eight bytes, strings ending inside
        // and at the edge of a chunk, zero bytes, repeats (node order).
        let mut words: Vec<String> = Vec::new();
        let mut seed = 7u64;
        for i in 0..2000u32 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let pick = (seed >> 33) as usize;
            let stem = [
                "Associate Analytics ",
                "Associat",
                "Associate",
                "",
                "a\0",
                "a",
                "abcdefgh",
                "abcdefgh\0x",
            ][pick % 8];
            words.push(format!(
                "{stem}{}",
                if pick.is_multiple_of(3) {
                    String::new()
                } else {
                    (pick % 50).to_string()
                }
            ));
            let _ = i;
        }
        let entries: Vec<EntryRef<'_>> = words
            .iter()
            .enumerate()
            .map(|(i, w)| (KeyRef::Str(w), NodeId(i as u32)))
            .collect();
        let mut want = entries.clone();
        want.sort();
        let (order, distinct) = sort_order(&entries);
        let got: Vec<EntryRef<'_>> = order.into_iter().map(|i| entries[i as usize]).collect();
        assert_eq!(got, want);
        let mut values = words.clone();
        values.sort();
        values.dedup();
        assert_eq!(distinct, values.len());
    }

    /// Every lookup's answer, worked out from the nodes' values.
    fn expected(g: &Graph, label: &str, pass: impl Fn(&Value) -> bool) -> Vec<NodeId> {
        let mut v: Vec<NodeId> = g
            .nodes_with_label(label)
            .iter()
            .copied()
            .filter(|n| g.node(*n).prop("v").is_some_and(|x| !x.is_null() && pass(x)))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn the_sorted_array_and_its_changes_answer_as_the_values_do() {
        // Enough edits (creations, values set and removed, labels changed,
        // deletions, some undone) for the changes kept beside the sorted
        // array to be merged into it several times; after each batch every
        // kind of lookup and the order are checked against the values.
        let mut g = Graph::new("t");
        g.start_journal();
        let mut seed = 11u64;
        let mut rand = move |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        let value = |r: usize| match r % 7 {
            0 => Value::Int((r % 40) as i64),
            1 => Value::Float((r % 40) as f64),
            2 => Value::Null,
            3 => Value::Bool(r.is_multiple_of(2)),
            _ => Value::str(&format!("w{}", r % 300)),
        };
        let mut nodes: Vec<NodeId> = (0..600).map(|i| node(&mut g, "L", value(i * 13))).collect();
        g.create_index(Some("i"), "L", "v", false).unwrap();
        for round in 0..12 {
            let mark = g.mark();
            let made = nodes.len();
            for _ in 0..200 {
                match rand(6) {
                    0 => nodes.push(node(&mut g, "L", value(rand(1000)))),
                    1 | 2 => {
                        let n = nodes[rand(nodes.len())];
                        if !g.is_deleted_node(n) {
                            let mut p = Map::new();
                            p.insert("v".into(), value(rand(1000)));
                            g.set_node_props(n, p.into()).unwrap();
                        }
                    }
                    3 => {
                        let n = nodes[rand(nodes.len())];
                        if !g.is_deleted_node(n) {
                            g.set_node_labels(n, if rand(2) == 0 { &["M"] } else { &["L", "M"] });
                        }
                    }
                    4 => {
                        let n = nodes[rand(nodes.len())];
                        if !g.is_deleted_node(n) {
                            g.delete_node(n);
                        }
                    }
                    _ => {
                        let n = nodes[rand(nodes.len())];
                        if !g.is_deleted_node(n) {
                            g.set_node_labels(n, &["L"]);
                        }
                    }
                }
            }
            if round % 4 == 3 {
                let changes = g.take_since(mark);
                g.revert(changes);
                // The nodes this round made are gone.
                nodes.truncate(made);
            }
            let ix = g.index("L", "v").unwrap();
            let found = |lookup: Lookup<'_>| {
                let mut v: Vec<NodeId> = ix.visit(lookup).collect();
                v.sort();
                v
            };
            let all = expected(&g, "L", |_| true);
            assert_eq!(ix.len(), all.len(), "round {round}");
            for probe in [Value::Int(3), Value::Float(7.0), Value::str("w17"), Value::Bool(true)] {
                let num = |v: &Value| match v {
                    Value::Int(i) => Some(*i as f64),
                    Value::Float(f) => Some(*f),
                    _ => None,
                };
                let want = expected(&g, "L", |x| match (num(x), num(&probe)) {
                    (Some(a), Some(b)) => a == b,
                    _ => x.total_cmp(&probe).is_eq(),
                });
                assert_eq!(found(Lookup::Equal(&probe)), want, "round {round}: = {probe:?}");
            }
            let (lo, hi) = (Value::str("w1"), Value::str("w3"));
            let end = |value, inclusive| Some(RangeEnd { value, inclusive });
            let want = expected(
                &g,
                "L",
                |x| matches!(x, Value::String(s) if s.as_str() >= "w1" && s.as_str() < "w3"),
            );
            assert_eq!(
                found(Lookup::Range(end(&lo, true), end(&hi, false))),
                want,
                "round {round}"
            );
            let want = expected(&g, "L", |x| matches!(x, Value::String(s) if s.starts_with("w2")));
            assert_eq!(found(Lookup::Prefix("w2")), want, "round {round}");
            // Both ways, the order is ORDER BY's (ties by node).
            let mut want = all.clone();
            let v = |n: &NodeId| g.node(*n).prop("v").cloned().unwrap_or(Value::Null);
            want.sort_by(|a, b| v(a).total_cmp(&v(b)).then(a.cmp(b)));
            let asc: Vec<NodeId> = ix.ascending().map(|(_, n)| n).collect();
            assert_eq!(asc, want, "round {round}");
            let mut desc: Vec<NodeId> = ix.ascending().rev().map(|(_, n)| n).collect();
            desc.reverse();
            assert_eq!(desc, want, "round {round}");
            // Read from both ends at once.
            let mut both = ix.ascending();
            let (mut front, mut back) = (Vec::new(), Vec::new());
            loop {
                match (both.next(), both.next_back()) {
                    (Some(a), Some(b)) => {
                        front.push(a.1);
                        back.push(b.1);
                    }
                    (Some(a), None) => front.push(a.1),
                    (None, _) => break,
                }
            }
            back.reverse();
            front.extend(back);
            assert_eq!(front, want, "round {round}");
            // The distinct values, numbers by value.
            let mut keys: Vec<KeyRef<'_>> = all
                .iter()
                .filter_map(|n| g.node(*n).prop("v").and_then(KeyRef::of))
                .collect();
            keys.sort();
            keys.dedup_by(|a, b| a.same_value(*b));
            assert_eq!(ix.distinct(), keys.len(), "round {round}");
        }
    }

    #[test]
    fn bulk_loads_rebuild() {
        let mut g = Graph::new("t");
        g.create_index(None, "L", "v", false).unwrap();
        g.begin_bulk();
        let a = node(&mut g, "L", Value::str("x"));
        g.end_bulk();
        let mut out = Vec::new();
        g.index("L", "v").unwrap().equal(&Value::str("x"), &mut out);
        assert_eq!(out, vec![a]);
        assert_eq!(g.index_list()[0].def.name, "L_v");
    }
}
