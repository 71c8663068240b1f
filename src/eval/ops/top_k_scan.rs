//! Top-k scan (`PatternPlan::top`, chosen by `plan/optimise/top_k_scan.rs`):
//! a label scan under ORDER BY … LIMIT on the scanned node's properties
//! keeps aside the `SKIP + LIMIT` nodes that sort first (ties to
//! the node scanned first), comparing their values where the store keeps
//! them; only those nodes are then bound, in scan order, and their rows
//! made. The projection's top-k sorts them as it would have sorted all.
//! Blocks of nodes whose first sort key all sorts after the worst node
//! kept are skipped whole, from the store's block summaries; on several
//! threads each scans a share of the nodes (see [`survivors`]).
//!
//! A sort key computed from the node (`plan/optimise/top_k_scan.rs`) is
//! computed once per node that passes the conditions, prepared as a
//! grouping key is (`eval/keyexpr.rs`: properties read in place), the
//! general evaluator deciding what that cannot; a node kept holds its
//! computed keys beside it. A projected item that could raise an error
//! is evaluated on each such node as well, for that error only.
//!
//! The scan's WHERE conditions are checked first, compiled (see
//! `nodefilter.rs`); when one does not compile, when SKIP or LIMIT is not
//! a non-negative integer, when a node was deleted by the statement, or
//! when a computed key or a projected item raises an error, nothing is
//! kept aside and the scan runs as before (the projection reports what it
//! reports).

use std::cmp::Ordering;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering as AtomicOrdering};

use crate::error::QueryError;
use crate::eval::expr::{Env, eval};
use crate::eval::keyexpr::KeyExpr;
use crate::eval::labels::PatternLabels;
use crate::eval::matcher::{Emit, Matcher};
use crate::eval::nodefilter::{NodeFilter, Skips};
use crate::plan::functions::Func;
use crate::plan::ops::{PExpr, PKind, StartTopK, TopKey};
use crate::store::zones::{ZONE, Zone, Zones};
use crate::store::{Graph, KeyPositions, NodeId};
use crate::value::Value;

/// Nodes scanned between two looks at the clock and the cancel flag.
const CHECK_EVERY: usize = 256;

static NULL: Value = Value::Null;

/// How a sort key is read from a scanned node.
enum Read<'p> {
    /// A property, where the store keeps it.
    Prop(KeyPositions),
    /// Computed: the prepared key, and the expression for the evaluator.
    Computed(KeyExpr, &'p PExpr),
    /// `size()` of a property: the length of a string (in characters) or
    /// list read in place, the prepared key deciding anything else.
    Size(KeyPositions, KeyExpr, &'p PExpr),
}

/// The property `e` is `size()` of, when it is that of the node in `slot`.
fn size_of_prop(e: &PExpr, slot: usize) -> Option<&std::sync::Arc<str>> {
    let PKind::Call(Func::Size, args) = &e.kind else {
        return None;
    };
    let [arg] = args.as_slice() else { return None };
    let PKind::Prop(base, key) = &arg.kind else { return None };
    matches!(base.kind, PKind::Slot(s) if s == slot).then_some(key)
}

/// A share of a scan on a thread of its own scans at least this many
/// nodes: starting a thread costs about what scanning a few thousand
/// nodes does.
const MIN_SHARE: usize = 3000;

/// The same when blocks can be skipped (see [`block_zones`]): most of a
/// share may then be skipped, so a share is worth a thread only when
/// reading it whole would cost many times starting one. At N = 100,000,
/// `ORDER BY r.id SKIP 1500 LIMIT 10` skipping blocks took 1.2–1.4 ms on
/// one thread and 1.9–6.1 on two shares (busy machine, `bench --runs 10
/// --threads 1|2`, interleaved).
const MIN_SHARE_SKIPPING: usize = 65_536;

/// A share scans at least this many nodes per node it keeps, so that the
/// shares' kept nodes, sorted together, stay few next to the scan.
const SCANNED_PER_KEPT: usize = 16;

/// The nodes of `nodes` (a scan, in scan order) that pass the start
/// node's conditions and sort among the first `SKIP + LIMIT` by `top`'s
/// keys, in scan order; `None` when the scan must run as before.
///
/// On several threads (`--threads`), a scan large enough next to what it
/// keeps is cut into one contiguous share per thread, each keeping its
/// own first `SKIP + LIMIT`; those are sorted together (ties to the
/// earlier position, as one pass would) and only the first `SKIP +
/// LIMIT` of them are bound. A share that must run as before, or fails,
/// decides as the first such node would have on one thread: the shares
/// are read in scan order.
///
/// Sorting by a property first, blocks of nodes whose values for it all
/// sort after the worst node kept so far are skipped whole, from the
/// store's block summaries (`store/zones.rs`, made on the first such
/// scan; see [`beyond`]); shares skip blocks beyond one another's worst
/// kept as well ([`SharedBar`]), so a share whose own nodes all sort late
/// does not read them all.
pub(in crate::eval) fn survivors(
    env: &Env<'_>,
    top: &StartTopK,
    nodes: &[NodeId],
    lab: &PatternLabels,
    slot: usize,
) -> Result<Option<Vec<NodeId>>, QueryError> {
    let g = env.graph;
    let tests = lab.filters.first().map(Vec::as_slice).unwrap_or(&[]);
    if !tests
        .iter()
        .all(|t| t.as_ref().is_some_and(|t| t.slot == slot && t.exact()))
    {
        return Ok(None);
    }
    let (Some(skip), Some(limit)) = (count(top.skip.as_ref(), env), count(Some(&top.limit), env)) else {
        return Ok(None);
    };
    let k = skip.saturating_add(limit);
    if k >= nodes.len() {
        return Ok(None);
    }
    let zones = block_zones(g, top, nodes);
    let zones = zones.as_deref();
    let least = if zones.is_some() { MIN_SHARE_SKIPPING } else { MIN_SHARE };
    let shares = shares(nodes.len(), k, least, env.guard.threads());
    let mut kept = if shares < 2 {
        match select(env, top, nodes, 0, tests, slot, k, zones, None)? {
            Some(kept) => kept,
            None => return Ok(None),
        }
    } else {
        let len = nodes.len().div_ceil(shares);
        let shared = top.keys.first().map(|(_, desc)| SharedBar::new(*desc));
        let shared = shared.as_ref().filter(|_| zones.is_some());
        let found = super::parallel::on_threads(env, shares, |env, i| {
            let from = (i * len).min(nodes.len());
            let to = (from + len).min(nodes.len());
            select(env, top, &nodes[from..to], from, tests, slot, k, zones, shared)
        });
        let mut all = Vec::with_capacity(shares * k);
        for share in found {
            match share? {
                Some(kept) => all.extend(kept),
                None => return Ok(None),
            }
        }
        let keys = reads(top, g, slot);
        let mut heap = Heap {
            g,
            keys: &keys,
            entries: all,
            worst: None,
            spare: Vec::new(),
        };
        heap.cut(k);
        heap.entries
    };
    kept.sort_unstable_by_key(|e| e.pos);
    Ok(Some(kept.into_iter().map(|e| e.node).collect()))
}

/// Into how many shares a scan of `n` nodes keeping `k` is cut on
/// `threads` threads (one: not cut), each of at least `least` nodes.
fn shares(n: usize, k: usize, least: usize, threads: usize) -> usize {
    let least = least.max(k.saturating_mul(SCANNED_PER_KEPT));
    threads.min(n / least).max(1)
}

/// How each sort key is read from a scanned node.
fn reads<'p>(top: &'p StartTopK, g: &Graph, slot: usize) -> Vec<(Read<'p>, bool)> {
    top.keys
        .iter()
        .map(|(key, desc)| {
            let read = match key {
                TopKey::Prop(key) => Read::Prop(g.key_positions(key)),
                TopKey::Computed(e) => match size_of_prop(e, slot) {
                    Some(key) => Read::Size(g.key_positions(key), KeyExpr::new(e, g), e),
                    None => Read::Computed(KeyExpr::new(e, g), e),
                },
            };
            (read, *desc)
        })
        .collect()
}

/// The block summaries of the first sort key, when it is a property and
/// the scan sorts by properties alone with no item to check (the one
/// case where a node is dropped on its first key, see [`select`]), no
/// node was deleted by the statement, and the scanned nodes are not too
/// few among the blocks they span for summarising those to pay.
fn block_zones(g: &Graph, top: &StartTopK, nodes: &[NodeId]) -> Option<Arc<Zones>> {
    let Some((TopKey::Prop(key), _)) = top.keys.first() else {
        return None;
    };
    if !top.checks.is_empty() || top.keys.iter().any(|(k, _)| !matches!(k, TopKey::Prop(_))) || g.has_deleted_nodes() {
        return None;
    }
    let (first, last) = (nodes.first()?.index(), nodes.last()?.index());
    if last.checked_sub(first)? >= 8 * nodes.len() {
        return None;
    }
    g.zones(key, first / ZONE..last / ZONE + 1)
}

/// The worst kept node's first key as a block summary compares it: a
/// string by its first eight bytes, an integer.
#[derive(Clone, Copy)]
enum Bar {
    Str(u64),
    Int(i64),
}

impl Bar {
    fn of(v: &Value) -> Option<Bar> {
        match v {
            Value::String(s) => Some(Bar::Str(s.head8())),
            Value::Int(i) => Some(Bar::Int(*i)),
            _ => None,
        }
    }
}

/// Whether every value a block summary `z` covers sorts strictly after
/// `bar` in the sort's order (`desc`: descending), so that none of its
/// nodes can displace the worst node kept. Ascending, strings sort before
/// integers and both before null; descending, the other way round. A
/// block with a value of another type, or a bar that is neither a string
/// nor an integer, is never skipped. A string's first eight bytes
/// ordering strictly after the bar's decide it is after the bar.
fn beyond(z: &Zone, bar: Bar, desc: bool) -> bool {
    if z.other {
        return false;
    }
    match (bar, desc) {
        (Bar::Str(h), false) => !z.has_strings() || z.str_lo > h,
        (Bar::Str(h), true) => !z.has_ints() && !z.nulls && (!z.has_strings() || z.str_hi < h),
        (Bar::Int(i), false) => !z.has_strings() && (!z.has_ints() || z.int_lo > i),
        (Bar::Int(i), true) => !z.nulls && (!z.has_ints() || z.int_hi < i),
    }
}

/// The bars of a scan's shares, shared: each share publishes its own as
/// it moves, and skips a block beyond the best published (a node after
/// one share's worst kept cannot be among the first `SKIP + LIMIT`: that
/// share keeps as many before it). The best string bar and integer bar
/// each (least ascending, greatest descending), with whether any was
/// published.
struct SharedBar {
    desc: bool,
    text: AtomicU64,
    has_text: AtomicBool,
    int: AtomicI64,
    has_int: AtomicBool,
}

impl SharedBar {
    fn new(desc: bool) -> SharedBar {
        SharedBar {
            desc,
            text: AtomicU64::new(if desc { 0 } else { u64::MAX }),
            has_text: AtomicBool::new(false),
            int: AtomicI64::new(if desc { i64::MIN } else { i64::MAX }),
            has_int: AtomicBool::new(false),
        }
    }

    fn publish(&self, bar: Bar) {
        match bar {
            Bar::Str(h) => {
                match self.desc {
                    true => self.text.fetch_max(h, AtomicOrdering::AcqRel),
                    false => self.text.fetch_min(h, AtomicOrdering::AcqRel),
                };
                self.has_text.store(true, AtomicOrdering::Release);
            }
            Bar::Int(i) => {
                match self.desc {
                    true => self.int.fetch_max(i, AtomicOrdering::AcqRel),
                    false => self.int.fetch_min(i, AtomicOrdering::AcqRel),
                };
                self.has_int.store(true, AtomicOrdering::Release);
            }
        }
    }

    fn beyond(&self, z: &Zone) -> bool {
        (self.has_text.load(AtomicOrdering::Acquire)
            && beyond(z, Bar::Str(self.text.load(AtomicOrdering::Acquire)), self.desc))
            || (self.has_int.load(AtomicOrdering::Acquire)
                && beyond(z, Bar::Int(self.int.load(AtomicOrdering::Acquire)), self.desc))
    }
}

/// The nodes of `nodes` (a share of the scan starting at position
/// `offset`) that pass the start node's `tests` and sort among its first
/// `k` by `top`'s keys, with their positions and computed keys, in no
/// particular order; `None` when the scan must run as before.
#[allow(clippy::too_many_arguments)]
fn select(
    env: &Env<'_>,
    top: &StartTopK,
    nodes: &[NodeId],
    offset: usize,
    tests: &[Option<NodeFilter>],
    slot: usize,
    k: usize,
    zones: Option<&Zones>,
    shared: Option<&SharedBar>,
) -> Result<Option<Vec<Entry>>, QueryError> {
    let g = env.graph;
    let keys = reads(top, g, slot);
    let computed = keys.iter().filter(|(r, _)| !matches!(r, Read::Prop(_))).count();
    // Projected items evaluated only for the errors they may raise.
    let checks: Vec<(KeyExpr, &PExpr)> = top.checks.iter().map(|e| (KeyExpr::new(e, g), e)).collect();
    let mut heap = Heap {
        g,
        keys: &keys,
        entries: Vec::with_capacity(2 * k.min(nodes.len())),
        worst: None,
        spare: Vec::new(),
    };
    // The row a computed key reads: the node in its slot.
    let mut row = vec![Value::Null; if computed + checks.len() > 0 { slot + 1 } else { 0 }];
    let mut values: Vec<Value> = Vec::with_capacity(computed);
    // Blocks of nodes none of which passes are skipped whole (see
    // `store/zones.rs`; not past a node deleted by the statement, which
    // sends the scan back to the evaluator); the block last looked at, and
    // whether it is.
    let skips = match g.has_deleted_nodes() {
        false => Skips::new(g, tests.iter().flatten(), nodes),
        true => None,
    };
    let mut current = (usize::MAX, false);
    // Sorting by properties alone, with no item to check: a node whose
    // first key sorts after the worst kept node's is dropped on that one
    // comparison (ties go on to the other keys and the position, which a
    // later node always loses). `bar` is that node's first value, looked
    // up again whenever the heap may have changed.
    let first = match keys.first() {
        Some((Read::Prop(at), desc)) if computed == 0 && checks.is_empty() => Some((at, *desc)),
        _ => None,
    };
    let mut bar: Option<&Value> = None;
    // The block whose values all sort after the bar (`beyond`) last looked
    // at, and whether they do; the bar only moves forward, so a block
    // found beyond it stays so.
    let mut zone = (usize::MAX, false);
    for (b, block) in nodes.chunks(CHECK_EVERY).enumerate() {
        env.guard.check()?;
        for (i, &n) in block.iter().enumerate() {
            if g.is_deleted_node(n) {
                return Ok(None);
            }
            if let (Some(z), Some((_, desc))) = (zones, first) {
                let zb = n.index() / ZONE;
                if zb != zone.0 {
                    let past = |z: &Zone| {
                        bar.and_then(Bar::of).is_some_and(|b| beyond(z, b, desc)) || shared.is_some_and(|s| s.beyond(z))
                    };
                    zone = (zb, z.get(zb).is_some_and(past));
                }
                if zone.1 {
                    continue;
                }
            }
            if skips.as_ref().is_some_and(|s| s.node_skipped(n, &mut current)) {
                continue;
            }
            if !tests.iter().flatten().all(|t| t.holds(g, n) == Some(true)) {
                continue;
            }
            if computed + checks.len() > 0 {
                // (The slot holds the last node: no value to drop.)
                match &mut row[slot] {
                    Value::Node(m) => *m = n,
                    v => *v = Value::Node(n),
                }
                for (key, e) in &checks {
                    if key.value(env, &row).is_none() && eval(e, env, &row).is_err() {
                        return Ok(None);
                    }
                }
                values.clear();
                for (read, _) in &keys {
                    let (key, e) = match read {
                        Read::Prop(_) => continue,
                        Read::Size(at, key, e) => match g.node_prop(n, at) {
                            Some(Value::String(s)) => {
                                values.push(Value::Int(s.char_count() as i64));
                                continue;
                            }
                            None | Some(Value::Null) => {
                                values.push(Value::Null);
                                continue;
                            }
                            _ => (key, e),
                        },
                        Read::Computed(key, e) => (key, e),
                    };
                    let v = match key.value(env, &row) {
                        Some(part) => part.into_value(),
                        None => match eval(e, env, &row) {
                            Ok(v) => v,
                            // Raised by the projection, as before.
                            Err(_) => return Ok(None),
                        },
                    };
                    values.push(v);
                }
            }
            if let (Some((at, desc)), Some(worst)) = (first, bar) {
                let o = order(g.node_prop(n, at).unwrap_or(&NULL), worst);
                if (if desc { o.reverse() } else { o }) == Ordering::Greater {
                    continue;
                }
            }
            let cut = heap.offer(k, n, offset + b * CHECK_EVERY + i, &mut values);
            if let Some((at, _)) = first
                && cut
                && let Some(w) = heap.worst
            {
                let worst = g.node_prop(heap.entries[w].node, at).unwrap_or(&NULL);
                if let (Some(s), Some(b)) = (shared, Bar::of(worst)) {
                    s.publish(b);
                }
                bar = Some(worst);
            }
        }
    }
    Ok(Some(heap.into_kept(k)))
}

/// SKIP or LIMIT as a count, when it is a non-negative integer (absent:
/// zero).
fn count(e: Option<&PExpr>, env: &Env<'_>) -> Option<usize> {
    let Some(e) = e else { return Some(0) };
    match eval(e, env, &[]).ok()? {
        Value::Int(i) => usize::try_from(i).ok(),
        _ => None,
    }
}

/// A node kept: its scan position and its computed sort keys.
struct Entry {
    node: NodeId,
    pos: usize,
    values: Vec<Value>,
}

/// The nodes kept so far, by the sort keys, then position. Not a heap:
/// a node that sorts before the worst kept at the last cut (the bar,
/// `worst`) is appended, and once twice `k` are held they are cut back
/// to the `k` that sort first (a selection, linear in what is held), the
/// worst of them the new bar. Each node offered costs one comparison and
/// its share of a cut, in whatever order the scan meets the values: a
/// heap's sift costs a node that enters it many comparisons, and values
/// that arrive in the sort's order (ascending ids under a descending
/// sort) make nearly every node enter.
struct Heap<'k, 'p, 'g> {
    g: &'g Graph,
    keys: &'k [(Read<'p>, bool)],
    entries: Vec<Entry>,
    /// Where the worst of the `k` kept at the last cut is (`None`: no cut
    /// yet).
    worst: Option<usize>,
    /// Lists of computed keys of nodes cut, for the next nodes' keys.
    spare: Vec<Vec<Value>>,
}

impl Heap<'_, '_, '_> {
    /// Offers node `n` at scan position `pos` with its computed keys
    /// `values` (taken when it is kept). Returns whether the kept nodes
    /// were cut (the bar moved).
    fn offer(&mut self, k: usize, node: NodeId, pos: usize, values: &mut Vec<Value>) -> bool {
        if k == 0 {
            return false;
        }
        if let Some(w) = self.worst
            && self.cmp_new(node, pos, values, &self.entries[w]) != Ordering::Less
        {
            return false;
        }
        let taken = std::mem::replace(values, self.spare.pop().unwrap_or_default());
        self.entries.push(Entry {
            node,
            pos,
            values: taken,
        });
        let full = if self.worst.is_some() { 2 * k } else { k };
        if self.entries.len() < full {
            return false;
        }
        self.cut(k);
        true
    }

    /// Cuts the nodes held back to the `k` that sort first, the worst of
    /// them last.
    fn cut(&mut self, k: usize) {
        if k == 0 || self.entries.len() < k {
            return;
        }
        let (g, keys) = (self.g, self.keys);
        self.entries
            .select_nth_unstable_by(k - 1, |a, b| compare(g, keys, a.node, a.pos, &a.values, b));
        for mut e in self.entries.drain(k..) {
            e.values.clear();
            self.spare.push(e.values);
        }
        self.worst = Some(k - 1);
    }

    /// The `k` nodes that sort first among all offered, in no order.
    fn into_kept(mut self, k: usize) -> Vec<Entry> {
        if self.entries.len() > k {
            self.cut(k);
        }
        self.entries
    }

    /// ORDER BY's order of node `a` (at scan position `pos`, with computed
    /// keys `values`) and kept node `b`.
    #[inline]
    fn cmp_new(&self, a: NodeId, pos: usize, values: &[Value], b: &Entry) -> Ordering {
        compare(self.g, self.keys, a, pos, values, b)
    }
}

/// ORDER BY's order by `keys` of node `a` (at scan position `pos`, with
/// computed keys `values`) and kept node `b` (a missing value is null),
/// ties by scan position.
#[inline]
fn compare(g: &Graph, keys: &[(Read<'_>, bool)], a: NodeId, pos: usize, values: &[Value], b: &Entry) -> Ordering {
    let mut c = 0;
    for (read, desc) in keys {
        let o = match read {
            Read::Prop(key) => order(
                g.node_prop(a, key).unwrap_or(&NULL),
                g.node_prop(b.node, key).unwrap_or(&NULL),
            ),
            Read::Computed(..) | Read::Size(..) => {
                c += 1;
                order(&values[c - 1], &b.values[c - 1])
            }
        };
        let o = if *desc { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    pos.cmp(&b.pos)
}

/// [`Value::total_cmp`], two strings compared at once (by the bytes the
/// values keep of them, then by their bytes).
#[inline(always)]
fn order(x: &Value, y: &Value) -> Ordering {
    match (x, y) {
        (Value::String(a), Value::String(b)) => a.cmp(b),
        (Value::Int(a), Value::Int(b)) => a.cmp(b),
        _ => x.total_cmp(y),
    }
}

impl Matcher<'_, '_> {
    /// Part `pi` from the nodes [`survivors`] kept, bound into `slot` in
    /// turn (their start conditions hold).
    pub(in crate::eval) fn kept_scan(
        &mut self,
        pi: usize,
        slot: usize,
        kept: &[NodeId],
        emit: &mut Emit<'_>,
    ) -> Result<bool, QueryError> {
        for &n in kept {
            self.env.guard.tick()?;
            self.row[slot] = Value::Node(n);
            self.assigned[slot] = true;
            let go_on = self.advance(pi, 0, emit);
            self.unbind(slot, false);
            if !go_on? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
