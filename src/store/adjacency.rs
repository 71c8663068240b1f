//! Typed adjacency: for every node, its relationships in each direction,
//! grouped by type so that one type is a contiguous run.
//!
//! Two layouts live side by side:
//! - **Frozen** (after a bulk load): the relationships were added to petgraph
//!   sorted by (start node, type), so a node's outgoing relationships are the
//!   id range `out_off[n]..out_off[n + 1]` and cost nothing per relationship;
//!   incoming ones are `in_rels[in_off[n]..in_off[n + 1]]`, 4 bytes each.
//!   Where the ids leave bits to spare (fewer than 2^32 / types
//!   relationships), each entry also carries its type's code in its high
//!   bits ([`InCodes`]): a node's incoming run of one type is then found
//!   in the list itself, not by reading each relationship's type at random.
//!   Endpoints are read from petgraph's edge list, types from their column.
//! - **Delta**: relationships added one at a time (CREATE, small files) go
//!   into small per-node lists, kept sorted by type.

use petgraph::graph::Edge;
use rustc_hash::FxHashMap as HashMap;

use super::rel_types::RelTypes;
use super::{Adj, Direction, NodeId, RelId, Sym};

/// The relationships as the adjacency reads them: endpoints and types.
#[derive(Clone, Copy)]
pub(super) struct Rels<'a> {
    pub(super) edges: &'a [Edge<(), u32>],
    pub(super) types: &'a RelTypes,
    /// Deleted relationships (see `txn.rs`), skipped; empty on a graph
    /// nothing was deleted from, which is then read at full speed.
    pub(super) dead: &'a rustc_hash::FxHashSet<u32>,
}

#[derive(Debug, Default, Clone)]
struct AdjList {
    out: Vec<(Sym, Adj)>,
    inc: Vec<(Sym, Adj)>,
}

#[derive(Debug, Default, Clone)]
pub(super) struct Adjacency {
    /// `out_off.len() - 1` nodes have a frozen range (none when empty).
    out_off: Vec<u32>,
    in_off: Vec<u32>,
    in_rels: Vec<u32>,
    /// How `in_rels` entries carry their types (see [`InCodes`]).
    in_codes: InCodes,
    delta: HashMap<NodeId, AdjList>,
}

/// The types packed into the frozen incoming lists: an entry is
/// `code << shift | id`, codes numbering the types the freeze saw in
/// their order, so codes sort as the types do (`code_of`, by type index:
/// `u32::MAX` for a type the lists never held). `shift` 32: no codes, the
/// ids alone (too many relationships or types to share 32 bits), and
/// types are read from the type column.
#[derive(Debug, Clone)]
struct InCodes {
    shift: u32,
    code_of: Vec<u32>,
}

impl Default for InCodes {
    fn default() -> InCodes {
        InCodes {
            shift: 32,
            code_of: Vec::new(),
        }
    }
}

impl InCodes {
    /// Codes for `rels` relationships of the sorted `types`, where they fit.
    fn new(rels: usize, types: Vec<Sym>) -> InCodes {
        let bits = |n: usize| usize::BITS - n.saturating_sub(1).leading_zeros();
        let (id_bits, code_bits) = (bits(rels), bits(types.len()));
        if id_bits + code_bits > 32 || id_bits >= 32 {
            return InCodes::default();
        }
        let mut code_of = vec![u32::MAX; types.last().map_or(0, |t| t.index() + 1)];
        for (code, t) in types.iter().enumerate() {
            code_of[t.index()] = code as u32;
        }
        InCodes {
            shift: id_bits,
            code_of,
        }
    }

    /// The code of type `t`, when the frozen lists hold it.
    #[inline]
    fn code_of(&self, t: Sym) -> Option<u32> {
        self.code_of.get(t.index()).copied().filter(|c| *c != u32::MAX)
    }

    fn packed(&self) -> bool {
        self.shift < 32
    }

    #[inline]
    fn id(&self, entry: u32) -> u32 {
        match self.shift {
            32 => entry,
            s => entry & ((1u32 << s) - 1),
        }
    }

    #[inline]
    fn code(&self, entry: u32) -> u32 {
        entry.checked_shr(self.shift).unwrap_or(0)
    }

    fn pack(&self, id: u32, t: Sym) -> u32 {
        match self.code_of(t) {
            Some(code) if self.packed() => code << self.shift | id,
            _ => id,
        }
    }
}

/// A relationship waiting in a bulk load: start, end, type.
pub(super) type Pending = (u32, u32, Sym);

impl Adjacency {
    pub(super) fn is_frozen(&self) -> bool {
        !self.out_off.is_empty()
    }

    /// Bytes the adjacency holds on the heap (frozen part and delta lists).
    pub(super) fn heap_bytes(&self) -> usize {
        let delta: usize = self
            .delta
            .values()
            .map(|a| (a.out.capacity() + a.inc.capacity()) * std::mem::size_of::<(Sym, Adj)>() + 64)
            .sum();
        (self.out_off.capacity() + self.in_off.capacity() + self.in_rels.capacity()) * 4
            + self.in_codes.code_of.capacity() * 4
            + delta
    }

    /// Records a relationship added after the freeze (or without one).
    pub(super) fn insert(&mut self, rel: RelId, start: NodeId, end: NodeId, t: Sym) {
        insert_sorted(
            &mut self.delta.entry(start).or_default().out,
            t,
            Adj { rel, other: end },
        );
        insert_sorted(
            &mut self.delta.entry(end).or_default().inc,
            t,
            Adj { rel, other: start },
        );
    }

    /// Forgets a relationship added by [`Adjacency::insert`] (the undo of
    /// a CREATE).
    pub(super) fn remove(&mut self, rel: RelId, start: NodeId, end: NodeId) {
        for (node, out) in [(start, true), (end, false)] {
            if let Some(list) = self.delta.get_mut(&node) {
                let side = if out { &mut list.out } else { &mut list.inc };
                if let Some(i) = side.iter().rposition(|(_, a)| a.rel == rel) {
                    side.remove(i);
                }
                if list.out.is_empty() && list.inc.is_empty() {
                    self.delta.remove(&node);
                }
            }
        }
    }

    /// Lays out a bulk load in a graph that has no relationships yet:
    /// `add` is given `pending` sorted by (start node, type), the order in
    /// which they must enter petgraph (ids are positions in it). Returns the
    /// id each pending relationship got. The incoming lists are built on a
    /// second thread meanwhile.
    pub(super) fn freeze(&mut self, nodes: usize, pending: Vec<Pending>, add: impl FnOnce(&[Pending])) -> Vec<u32> {
        let (by_type, types) = type_order(&pending);
        let codes = InCodes::new(pending.len(), types);
        let (sorted, out_off, new_id, mut in_rels, in_off) = std::thread::scope(|scope| {
            let (items, by_type, codes) = (&pending, by_type.as_deref(), &codes);
            // The in-lists' entries are pending positions with their
            // types' codes (read here in order, not later at random).
            let incoming =
                scope.spawn(move || group(nodes, items, by_type, |p| p.1, |i| codes.pack(i, items[i as usize].2)));
            let (sorted, out_off, new_id) = sort_by_start(nodes, items, by_type);
            let (in_rels, in_off) = join(incoming);
            (sorted, out_off, new_id, in_rels, in_off)
        });
        // Sorted, the waiting list is not needed: freed before petgraph
        // takes the edges, it does not add to the load's peak memory.
        drop((pending, by_type));
        std::thread::scope(|scope| {
            let (new_id, codes, in_rels) = (&new_id, &codes, &mut in_rels);
            // In-lists hold pending positions until mapped to ids (their
            // codes kept).
            let remap = scope.spawn(move || {
                for r in in_rels.iter_mut() {
                    let pos = codes.id(*r);
                    *r = (*r - pos) | new_id[pos as usize];
                }
            });
            add(&sorted);
            join(remap);
        });
        self.out_off = out_off;
        self.in_off = in_off;
        self.in_rels = in_rels;
        self.in_codes = codes;
        new_id
    }

    /// The frozen outgoing relationships of `node` (of type `sym`): a
    /// range of relationship ids; empty for a node newer than the freeze.
    fn out_range(&self, rels: Rels<'_>, node: NodeId, sym: Option<Sym>) -> std::ops::Range<usize> {
        let n = node.index();
        if n + 1 >= self.out_off.len() {
            return 0..0;
        }
        let range = self.out_off[n] as usize..self.out_off[n + 1] as usize;
        type_range(range, sym, |i| rels.types.get(i))
    }

    /// The frozen incoming relationships of `node` (of type `sym`): a range
    /// of positions in `in_rels`.
    fn in_range(&self, rels: Rels<'_>, node: NodeId, sym: Option<Sym>) -> std::ops::Range<usize> {
        let n = node.index();
        if n + 1 >= self.in_off.len() {
            return 0..0;
        }
        let range = self.in_off[n] as usize..self.in_off[n + 1] as usize;
        let ids = &self.in_rels;
        let codes = &self.in_codes;
        if !codes.packed() {
            return type_range(range, sym, |i| rels.types.get(ids[i] as usize));
        }
        match sym.map(|s| codes.code_of(s)) {
            None => range,
            // A type the frozen lists never held.
            Some(None) => range.start..range.start,
            Some(Some(code)) => type_range(range, Some(code), |i| codes.code(ids[i])),
        }
    }

    pub(super) fn for_each(
        &self,
        rels: Rels<'_>,
        node: NodeId,
        dir: Direction,
        sym: Option<Sym>,
        mut f: impl FnMut(Adj),
    ) {
        if rels.dead.is_empty() {
            return self.each(rels, node, dir, sym, f);
        }
        let dead = rels.dead;
        self.each(rels, node, dir, sym, |a| {
            if !dead.contains(&(a.rel.index() as u32)) {
                f(a)
            }
        })
    }

    /// [`Adjacency::for_each`], deleted relationships included.
    fn each(&self, rels: Rels<'_>, node: NodeId, dir: Direction, sym: Option<Sym>, mut f: impl FnMut(Adj)) {
        let edges = rels.edges;
        let delta = self.delta.get(&node);
        if matches!(dir, Direction::Outgoing | Direction::Both) {
            for i in self.out_range(rels, node, sym) {
                f(Adj {
                    rel: RelId(i as u32),
                    other: NodeId(edges[i].target().index() as u32),
                });
            }
            if let Some(d) = delta {
                for (_, a) in &d.out[list_range(&d.out, sym)] {
                    f(*a);
                }
            }
        }
        if matches!(dir, Direction::Incoming | Direction::Both) {
            let skip_loops = dir == Direction::Both;
            // Each relationship's start is read from petgraph's edge list,
            // at random: its line is asked for a few relationships ahead.
            const AHEAD: usize = 12;
            let ids = &self.in_rels[self.in_range(rels, node, sym)];
            let codes = &self.in_codes;
            for &r in ids.iter().take(AHEAD) {
                super::prefetch(edges.as_ptr().wrapping_add(codes.id(r) as usize));
            }
            for (k, &r) in ids.iter().enumerate() {
                if let Some(&ahead) = ids.get(k + AHEAD) {
                    super::prefetch(edges.as_ptr().wrapping_add(codes.id(ahead) as usize));
                }
                let r = codes.id(r);
                let other = NodeId(edges[r as usize].source().index() as u32);
                if skip_loops && other == node {
                    continue; // a self-loop, already seen as outgoing
                }
                f(Adj { rel: RelId(r), other });
            }
            if let Some(d) = delta {
                for (_, a) in &d.inc[list_range(&d.inc, sym)] {
                    if skip_loops && a.other == node {
                        continue;
                    }
                    f(*a);
                }
            }
        }
    }

    /// A hint that `node`'s lists in `dir` will be read soon, in two
    /// stages a few nodes apart (the second reads what the first asked
    /// for): `first`, the offsets that bound the lists; then the lists'
    /// ends, and for outgoing lists the types and far ends there.
    pub(super) fn prefetch(&self, rels: Rels<'_>, node: NodeId, dir: Direction, first: bool) {
        let n = node.index();
        let out = matches!(dir, Direction::Outgoing | Direction::Both);
        let inc = matches!(dir, Direction::Incoming | Direction::Both);
        if n + 1 >= self.out_off.len() {
            return;
        }
        if first {
            if out {
                super::prefetch(self.out_off.as_ptr().wrapping_add(n));
            }
            if inc {
                super::prefetch(self.in_off.as_ptr().wrapping_add(n));
            }
            return;
        }
        if out {
            let (lo, hi) = (self.out_off[n] as usize, self.out_off[n + 1] as usize);
            if lo < hi {
                rels.types.prefetch(lo);
                rels.types.prefetch(hi - 1);
                super::prefetch(rels.edges.as_ptr().wrapping_add(lo));
            }
        }
        if inc {
            let (lo, hi) = (self.in_off[n] as usize, self.in_off[n + 1] as usize);
            if lo < hi {
                super::prefetch(self.in_rels.as_ptr().wrapping_add(lo));
                super::prefetch(self.in_rels.as_ptr().wrapping_add(hi - 1));
            }
        }
    }

    /// A hint that the far ends of `node`'s first few incoming
    /// relationships of type `sym` (any type with `None`) will be read
    /// soon. The lists lie in node order, but each relationship's start
    /// is read from the edge list at random; a scan in node order asks
    /// for those a few nodes ahead.
    /// Asks for the first relationships of `node`'s frozen outgoing run of
    /// type `sym` (its far ends), once the node's offsets and types have
    /// come in (see [`Adjacency::prefetch`]).
    pub(super) fn prefetch_out_run(&self, rels: Rels<'_>, node: NodeId, sym: Option<Sym>) {
        const LINES: usize = 2;
        let range = self.out_range(rels, node, sym);
        if !range.is_empty() {
            let per_line = 64 / std::mem::size_of::<Edge<(), u32>>();
            for i in (range.start..range.end).step_by(per_line.max(1)).take(LINES) {
                super::prefetch(rels.edges.as_ptr().wrapping_add(i));
            }
        }
    }

    pub(super) fn prefetch_sources(&self, rels: Rels<'_>, node: NodeId, sym: Option<Sym>) {
        const FIRST: usize = 4;
        let range = self.in_range(rels, node, sym);
        let end = range.end.min(range.start + FIRST);
        for &r in &self.in_rels[range.start..end] {
            super::prefetch(rels.edges.as_ptr().wrapping_add(self.in_codes.id(r) as usize));
        }
    }

    /// The degree of each of `nodes` in `dir` (incoming or either way,
    /// a self-loop once) for type `sym`, handed to `f` until it returns
    /// false; either way, `loops` says whether the type has self-loops to
    /// look for. The ends of each node's frozen in-list and then their
    /// types lie at random: they are asked for a few nodes ahead, in two
    /// stages. No relationship may be deleted (the lists' lengths are
    /// counted).
    pub(super) fn counts_in(
        &self,
        rels: Rels<'_>,
        nodes: &[NodeId],
        dir: Direction,
        sym: Sym,
        loops: bool,
        mut f: impl FnMut(NodeId, usize) -> bool,
    ) {
        const LISTS: usize = 16;
        const TYPES: usize = 8;
        let ends = |n: NodeId| match (self.in_off.get(n.index()), self.in_off.get(n.index() + 1)) {
            (Some(&lo), Some(&hi)) if lo < hi => Some((lo as usize, hi as usize - 1)),
            _ => None,
        };
        for (k, &n) in nodes.iter().enumerate() {
            if let Some((lo, hi)) = nodes.get(k + LISTS).and_then(|&a| ends(a)) {
                super::prefetch(self.in_rels.as_ptr().wrapping_add(lo));
                super::prefetch(self.in_rels.as_ptr().wrapping_add(hi));
            }
            if !self.in_codes.packed()
                && let Some((lo, hi)) = nodes.get(k + TYPES).and_then(|&a| ends(a))
            {
                rels.types.prefetch(self.in_rels[lo] as usize);
                rels.types.prefetch(self.in_rels[hi] as usize);
            }
            let d = match loops {
                true => self.count_both(rels, n, Some(sym)),
                false => self.count(rels, n, dir, Some(sym)),
            };
            if !f(n, d) {
                return;
            }
        }
    }

    /// Relationships at `node` of type `sym` either way, a self-loop once
    /// (deleted ones counted too): its outgoing range is found once, and
    /// the self-loops in it counted in order.
    pub(super) fn count_both(&self, rels: Rels<'_>, node: NodeId, sym: Option<Sym>) -> usize {
        let out = self.out_range(rels, node, sym);
        let loops = out
            .clone()
            .filter(|&i| rels.edges[i].target().index() == node.index())
            .count();
        let mut total = out.len() + self.in_range(rels, node, sym).len() - loops;
        if let Some(d) = self.delta.get(&node) {
            let outs = &d.out[list_range(&d.out, sym)];
            total += outs.len() + list_range(&d.inc, sym).len();
            total -= outs.iter().filter(|(_, a)| a.other == node).count();
        }
        total
    }

    /// Number of relationships at `node` (no self-loop adjustment for Both).
    pub(super) fn count(&self, rels: Rels<'_>, node: NodeId, dir: Direction, sym: Option<Sym>) -> usize {
        if !rels.dead.is_empty() {
            // Ranges count deleted relationships too: count one by one.
            let mut n = 0;
            for d in [Direction::Outgoing, Direction::Incoming] {
                if dir == d || dir == Direction::Both {
                    self.for_each(rels, node, d, sym, |_| n += 1);
                }
            }
            return n;
        }
        let delta = self.delta.get(&node);
        let mut total = 0;
        if matches!(dir, Direction::Outgoing | Direction::Both) {
            total += self.out_range(rels, node, sym).len() + delta.map_or(0, |d| list_range(&d.out, sym).len());
        }
        if matches!(dir, Direction::Incoming | Direction::Both) {
            total += self.in_range(rels, node, sym).len() + delta.map_or(0, |d| list_range(&d.inc, sym).len());
        }
        total
    }
}

fn join<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// When `items` are not in type order (each file of a load holds one type,
/// so they usually are): their positions in type order, by a counting
/// sort; and the types they hold, in order (both from one pass).
fn type_order(items: &[Pending]) -> (Option<Vec<u32>>, Vec<Sym>) {
    let mut seen: Vec<bool> = Vec::new();
    let mut sorted = true;
    let mut last = None;
    for p in items {
        let t = p.2.index();
        if last != Some(t) {
            sorted &= last.is_none_or(|l| l <= t);
            if t >= seen.len() {
                seen.resize(t + 1, false);
            }
            seen[t] = true;
            last = Some(t);
        }
    }
    let types = (0..seen.len()).filter(|&t| seen[t]).map(Sym::from_index).collect();
    match sorted {
        true => (None, types),
        false => (
            Some(group(seen.len(), items, None, |p| p.2.index() as u32, |i| i).0),
            types,
        ),
    }
}

/// Offsets of the groups of `items` by `key` (a node, or a type, index
/// below `nodes`).
fn offsets(nodes: usize, items: &[Pending], key: impl Fn(&Pending) -> u32) -> Vec<u32> {
    let mut off = vec![0u32; nodes + 1];
    for it in items {
        off[key(it) as usize + 1] += 1;
    }
    for i in 0..nodes {
        off[i + 1] += off[i];
    }
    off
}

/// Visits the positions of `items` in type order.
fn in_type_order(items: &[Pending], by_type: Option<&[u32]>, mut f: impl FnMut(u32)) {
    match by_type {
        None => (0..items.len() as u32).for_each(&mut f),
        Some(perm) => perm.iter().copied().for_each(f),
    }
}

/// Positions of `items` grouped by `key` (as [`offsets`]), each group in
/// type order and then by position, with the group offsets: a stable
/// counting sort. Each position `i` is written as `entry(i)`.
fn group(
    nodes: usize,
    items: &[Pending],
    by_type: Option<&[u32]>,
    key: impl Fn(&Pending) -> u32,
    entry: impl Fn(u32) -> u32,
) -> (Vec<u32>, Vec<u32>) {
    let off = offsets(nodes, items, &key);
    let mut next = off.clone();
    let mut order = vec![0u32; items.len()];
    in_type_order(items, by_type, |i| {
        let slot = &mut next[key(&items[i as usize]) as usize];
        order[*slot as usize] = entry(i);
        *slot += 1;
    });
    (order, off)
}

/// `items` sorted by (start, type) as [`group`] orders them, the offsets
/// of each start node's run, and where each item went.
fn sort_by_start(nodes: usize, items: &[Pending], by_type: Option<&[u32]>) -> (Vec<Pending>, Vec<u32>, Vec<u32>) {
    if by_type.is_none()
        && let Some(runs) = sorted_runs(items)
    {
        return merge_runs(nodes, items, &runs);
    }
    counting_sort_by_start(nodes, items, by_type)
}

fn counting_sort_by_start(
    nodes: usize,
    items: &[Pending],
    by_type: Option<&[u32]>,
) -> (Vec<Pending>, Vec<u32>, Vec<u32>) {
    let off = offsets(nodes, items, |p| p.0);
    let mut next = off.clone();
    let mut sorted = vec![(0, 0, Sym::from_index(0)); items.len()];
    let mut new_id = vec![0u32; items.len()];
    in_type_order(items, by_type, |i| {
        let it = items[i as usize];
        let slot = &mut next[it.0 as usize];
        sorted[*slot as usize] = it;
        new_id[i as usize] = *slot;
        *slot += 1;
    });
    (sorted, off, new_id)
}

/// Runs of `items` (already in type order) of one type with start nodes
/// that never decrease, if there are few: a file of relationships listed
/// by start node, as exports and the benchmark's generator write them, is
/// one run.
fn sorted_runs(items: &[Pending]) -> Option<Vec<std::ops::Range<usize>>> {
    const MAX_RUNS: usize = 64;
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..items.len() {
        let (a, b) = (items[i - 1], items[i]);
        if a.2 != b.2 || b.0 < a.0 {
            runs.push(start..i);
            start = i;
            if runs.len() > MAX_RUNS {
                return None;
            }
        }
    }
    runs.push(start..items.len());
    Some(runs)
}

/// As [`sort_by_start`] for items made of sorted runs: a merge, which
/// reads and writes memory in order where the counting sort writes at
/// random. Runs are in type order, so for each node taking each run's
/// items in turn keeps them in type order and then by position.
fn merge_runs(nodes: usize, items: &[Pending], runs: &[std::ops::Range<usize>]) -> (Vec<Pending>, Vec<u32>, Vec<u32>) {
    let mut sorted = Vec::with_capacity(items.len());
    let mut new_id = vec![0u32; items.len()];
    let mut off = Vec::with_capacity(nodes + 1);
    let mut heads: Vec<usize> = runs.iter().map(|r| r.start).collect();
    off.push(0);
    for n in 0..nodes as u32 {
        for (head, run) in heads.iter_mut().zip(runs) {
            while *head < run.end && items[*head].0 == n {
                new_id[*head] = sorted.len() as u32;
                sorted.push(items[*head]);
                *head += 1;
            }
        }
        off.push(sorted.len() as u32);
    }
    (sorted, off, new_id)
}

/// The part of `range` (sorted by type, read with `ty`) holding type `sym`.
fn type_range<T: Ord + Copy>(
    range: std::ops::Range<usize>,
    sym: Option<T>,
    ty: impl Fn(usize) -> T,
) -> std::ops::Range<usize> {
    let Some(s) = sym else { return range };
    let (lo, hi) = (range.start, range.end);
    // Often a list holds one type only, or none of this one: two reads.
    match range.is_empty() || ty(lo) > s || ty(hi - 1) < s {
        true => return lo..lo,
        false if ty(lo) == s && ty(hi - 1) == s => return range,
        false => {}
    }
    // Lists are short; a binary search over the positions.
    let first = lo + partition(hi - lo, |k| ty(lo + k) < s);
    let last = first + partition(hi - first, |k| ty(first + k) <= s);
    first..last
}

/// The number of leading positions in 0..len for which `pred` holds.
fn partition(len: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) { lo = mid + 1 } else { hi = mid }
    }
    lo
}

fn list_range(list: &[(Sym, Adj)], sym: Option<Sym>) -> std::ops::Range<usize> {
    match sym {
        None => 0..list.len(),
        Some(s) => {
            let lo = list.partition_point(|(t, _)| *t < s);
            let hi = list.partition_point(|(t, _)| *t <= s);
            lo..hi
        }
    }
}

fn insert_sorted(list: &mut Vec<(Sym, Adj)>, t: Sym, a: Adj) {
    let pos = list.partition_point(|(s, _)| *s <= t);
    list.insert(pos, (t, a));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The merge of sorted runs and the counting sort order alike.
    #[test]
    fn merging_runs_agrees_with_the_counting_sort() {
        let t = Sym::from_index;
        // Three runs (types 1, 1 again after a drop in start, then 4).
        let items: Vec<Pending> = vec![
            (0, 5, t(1)),
            (2, 1, t(1)),
            (2, 0, t(1)),
            (4, 4, t(1)),
            (1, 3, t(1)),
            (3, 3, t(1)),
            (0, 0, t(4)),
            (3, 1, t(4)),
            (4, 2, t(4)),
        ];
        let runs = sorted_runs(&items).unwrap();
        assert_eq!(runs, vec![0..4, 4..6, 6..9]);
        assert_eq!(merge_runs(6, &items, &runs), counting_sort_by_start(6, &items, None));
        // Items of mixed types are put in type order, stably.
        let mixed: Vec<Pending> = vec![(0, 0, t(2)), (1, 1, t(0)), (2, 2, t(2)), (3, 3, t(1)), (4, 4, t(0))];
        assert_eq!(type_order(&mixed), (Some(vec![1, 4, 3, 0, 2]), vec![t(0), t(1), t(2)]));
        assert_eq!(type_order(&items), (None, vec![t(1), t(4)]));
        // A file in no order at all is not merged.
        let shuffled: Vec<Pending> = (0..200u32).map(|i| ((i * 37) % 101, i % 7, t(0))).collect();
        assert!(sorted_runs(&shuffled).is_none());
    }

    /// A frozen adjacency of `items` over `nodes` nodes, with the edge
    /// list and type column it reads.
    fn frozen(
        nodes: usize,
        items: Vec<Pending>,
    ) -> (Adjacency, petgraph::Graph<(), (), petgraph::Directed, u32>, RelTypes) {
        let mut g = petgraph::Graph::<(), (), petgraph::Directed, u32>::default();
        for _ in 0..nodes {
            g.add_node(());
        }
        let mut types = RelTypes::default();
        let mut adj = Adjacency::default();
        adj.freeze(nodes, items, |sorted| {
            for &(a, b, t) in sorted {
                g.add_edge(a.into(), b.into(), ());
                types.push(t);
            }
        });
        (adj, g, types)
    }

    /// Both layouts of the incoming lists (types packed beside the ids,
    /// and ids alone with the types read from the column) list and count
    /// what the relationships say, for every node, direction and type,
    /// types absent from the graph included.
    #[test]
    fn incoming_lists_packed_or_not_agree_with_the_relationships() {
        let t = Sym::from_index;
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        for round in 0..40 {
            let nodes = 1 + next(20) as usize;
            let count = next(120) as usize;
            // Types 1, 3, 4 and 7 (0, 2, 5 are asked for but never held).
            let kinds = [1, 3, 4, 7];
            let items: Vec<Pending> = (0..count)
                .map(|_| {
                    let k = kinds[next(kinds.len() as u64) as usize];
                    (next(nodes as u64) as u32, next(nodes as u64) as u32, t(k))
                })
                .collect();
            let (packed, g, types) = frozen(nodes, items);
            assert!(packed.in_codes.packed(), "round {round}: a small graph packs its types");
            let mut plain = packed.clone();
            plain.in_rels = plain.in_rels.iter().map(|&e| plain.in_codes.id(e)).collect();
            plain.in_codes = InCodes::default();
            let dead = rustc_hash::FxHashSet::default();
            let rels = Rels {
                edges: g.raw_edges(),
                types: &types,
                dead: &dead,
            };
            for n in 0..nodes {
                let node = NodeId(n as u32);
                for dir in [Direction::Outgoing, Direction::Incoming, Direction::Both] {
                    for sym in [
                        None,
                        Some(t(0)),
                        Some(t(1)),
                        Some(t(2)),
                        Some(t(3)),
                        Some(t(4)),
                        Some(t(5)),
                        Some(t(7)),
                    ] {
                        let mut want: Vec<(u32, u32)> = Vec::new();
                        for (i, e) in g.raw_edges().iter().enumerate() {
                            let (a, b) = (e.source().index(), e.target().index());
                            if sym.is_some_and(|s| types.get(i) != s) {
                                continue;
                            }
                            if matches!(dir, Direction::Outgoing | Direction::Both) && a == n {
                                want.push((i as u32, b as u32));
                            }
                            if matches!(dir, Direction::Incoming | Direction::Both)
                                && b == n
                                && !(dir == Direction::Both && a == n)
                            {
                                want.push((i as u32, a as u32));
                            }
                        }
                        want.sort_unstable();
                        for (layout, adj) in [("packed", &packed), ("plain", &plain)] {
                            let mut got = Vec::new();
                            adj.for_each(rels, node, dir, sym, |a| got.push((a.rel.0, a.other.0)));
                            got.sort_unstable();
                            assert_eq!(got, want, "round {round}, {layout}, node {n}, {dir:?}, {sym:?}");
                            let counted = match dir {
                                Direction::Both => adj.count_both(rels, node, sym),
                                d => adj.count(rels, node, d, sym),
                            };
                            assert_eq!(
                                counted,
                                want.len(),
                                "round {round}, {layout}, node {n}, {dir:?}, {sym:?}"
                            );
                        }
                        if let (Direction::Incoming, Some(s)) = (dir, sym) {
                            let all: Vec<NodeId> = (0..nodes as u32).map(NodeId).collect();
                            for (layout, adj) in [("packed", &packed), ("plain", &plain)] {
                                let mut got = vec![usize::MAX; nodes];
                                adj.counts_in(rels, &all, dir, s, false, |a, d| {
                                    got[a.index()] = d;
                                    true
                                });
                                assert_eq!(
                                    got[n],
                                    want.len(),
                                    "round {round}, {layout}, counts_in, node {n}, {s:?}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    /// Codes share the 32 bits with ids only where both fit.
    #[test]
    fn types_are_packed_only_where_ids_leave_room() {
        let t = Sym::from_index;
        let few = InCodes::new(100, vec![t(2), t(9), t(40)]);
        assert_eq!((few.shift, few.packed()), (7, true));
        let e = few.pack(99, t(40));
        assert_eq!((few.id(e), few.code(e)), (99, 2));
        assert!(InCodes::new(1 << 31, vec![t(0), t(1)]).packed());
        assert!(!InCodes::new(1 << 31, vec![t(0), t(1), t(2)]).packed());
        assert!(!InCodes::new(1 << 20, (0..8192).map(t).collect()).packed());
        assert!(InCodes::new(1 << 20, (0..4096).map(t).collect()).packed());
        assert!(InCodes::new(1 << 31, vec![t(0)]).packed());
    }
}
