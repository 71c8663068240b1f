//! Top-k scan (`PatternPlan::top`, chosen by `plan/optimise/top_k_scan.rs`):
//! a label scan under ORDER BY … LIMIT on the scanned node's properties
//! keeps, in a heap, the `SKIP + LIMIT` nodes that sort first (ties to
//! the node scanned first), comparing their values where the store keeps
//! them; only those nodes are then bound, in scan order, and their rows
//! made. The projection's top-k sorts them as it would have sorted all.
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

use crate::error::QueryError;
use crate::eval::expr::{Env, eval};
use crate::eval::keyexpr::KeyExpr;
use crate::eval::labels::PatternLabels;
use crate::eval::matcher::{Emit, Matcher};
use crate::eval::nodefilter::Skips;
use crate::plan::functions::Func;
use crate::plan::ops::{PExpr, PKind, StartTopK, TopKey};
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

/// The nodes of `nodes` (a scan, in scan order) that pass the start
/// node's conditions and sort among the first `SKIP + LIMIT` by `top`'s
/// keys, in scan order; `None` when the scan must run as before.
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
    let keys: Vec<(Read<'_>, bool)> = top
        .keys
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
        .collect();
    let computed = keys.iter().filter(|(r, _)| !matches!(r, Read::Prop(_))).count();
    // Projected items evaluated only for the errors they may raise.
    let checks: Vec<(KeyExpr, &PExpr)> = top.checks.iter().map(|e| (KeyExpr::new(e, g), e)).collect();
    let mut heap = Heap {
        g,
        keys: &keys,
        entries: Vec::with_capacity(k),
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
    for (b, block) in nodes.chunks(CHECK_EVERY).enumerate() {
        env.guard.check()?;
        for (i, &n) in block.iter().enumerate() {
            if g.is_deleted_node(n) {
                return Ok(None);
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
            heap.offer(k, n, b * CHECK_EVERY + i, &mut values);
            if let Some((at, _)) = first
                && heap.entries.len() == k
                && let Some(root) = heap.entries.first()
            {
                bar = Some(g.node_prop(root.node, at).unwrap_or(&NULL));
            }
        }
    }
    let mut kept = heap.entries;
    kept.sort_unstable_by_key(|e| e.pos);
    Ok(Some(kept.into_iter().map(|e| e.node).collect()))
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

/// A max-heap of kept nodes by the sort keys, then position: its root is
/// the worst node kept.
struct Heap<'k, 'p, 'g> {
    g: &'g Graph,
    keys: &'k [(Read<'p>, bool)],
    entries: Vec<Entry>,
}

impl Heap<'_, '_, '_> {
    /// Offers node `n` at scan position `pos` with its computed keys
    /// `values` (taken when it is kept).
    fn offer(&mut self, k: usize, node: NodeId, pos: usize, values: &mut Vec<Value>) {
        if self.entries.len() < k {
            self.entries.push(Entry {
                node,
                pos,
                values: std::mem::take(values),
            });
            let mut i = self.entries.len() - 1;
            while i > 0 {
                let parent = (i - 1) / 2;
                if self.cmp(&self.entries[i], &self.entries[parent]) != Ordering::Greater {
                    break;
                }
                self.entries.swap(i, parent);
                i = parent;
            }
        } else if k > 0 && self.cmp_new(node, pos, values, &self.entries[0]) == Ordering::Less {
            let root = &mut self.entries[0];
            root.node = node;
            root.pos = pos;
            // The root's old list is reused for the next node's keys.
            std::mem::swap(&mut root.values, values);
            let mut i = 0;
            loop {
                let (l, r) = (2 * i + 1, 2 * i + 2);
                let mut big = i;
                if l < self.entries.len() && self.cmp(&self.entries[l], &self.entries[big]) == Ordering::Greater {
                    big = l;
                }
                if r < self.entries.len() && self.cmp(&self.entries[r], &self.entries[big]) == Ordering::Greater {
                    big = r;
                }
                if big == i {
                    break;
                }
                self.entries.swap(i, big);
                i = big;
            }
        }
    }

    /// ORDER BY's order of two kept nodes.
    #[inline]
    fn cmp(&self, a: &Entry, b: &Entry) -> Ordering {
        self.cmp_new(a.node, a.pos, &a.values, b)
    }

    /// ORDER BY's order of node `a` (at scan position `pos`, with computed
    /// keys `values`) and kept node `b` (a missing value is null), ties by
    /// scan position.
    #[inline]
    fn cmp_new(&self, a: NodeId, pos: usize, values: &[Value], b: &Entry) -> Ordering {
        let mut c = 0;
        for (read, desc) in self.keys {
            let o = match read {
                Read::Prop(key) => order(
                    self.g.node_prop(a, key).unwrap_or(&NULL),
                    self.g.node_prop(b.node, key).unwrap_or(&NULL),
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
