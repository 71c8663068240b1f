//! Top-k scan (`PatternPlan::top`, chosen by `plan/optimise/top_k_scan.rs`):
//! a label scan under ORDER BY … LIMIT on the scanned node's properties
//! keeps, in a heap, the `SKIP + LIMIT` nodes that sort first (ties to
//! the node scanned first), comparing their values where the store keeps
//! them; only those nodes are then bound, in scan order, and their rows
//! made. The projection's top-k sorts them as it would have sorted all.
//!
//! The scan's WHERE conditions are checked first, compiled (see
//! `nodefilter.rs`); when one does not compile, when SKIP or LIMIT is not
//! a non-negative integer, or when a node was deleted by the statement,
//! nothing is kept aside and the scan runs as before (the projection
//! reports what it reports).

use std::cmp::Ordering;

use crate::error::QueryError;
use crate::eval::expr::{Env, eval};
use crate::eval::labels::PatternLabels;
use crate::eval::matcher::{Emit, Matcher};
use crate::plan::ops::{PExpr, StartTopK};
use crate::store::{Graph, KeyPositions, NodeId};
use crate::value::Value;

/// Nodes scanned between two looks at the clock and the cancel flag.
const CHECK_EVERY: usize = 256;

static NULL: Value = Value::Null;

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
    let keys: Vec<(KeyPositions, bool)> = top
        .keys
        .iter()
        .map(|(key, desc)| (g.key_positions(key), *desc))
        .collect();
    let mut heap = Heap {
        g,
        keys: &keys,
        entries: Vec::with_capacity(k),
    };
    for (b, block) in nodes.chunks(CHECK_EVERY).enumerate() {
        env.guard.check()?;
        for (i, &n) in block.iter().enumerate() {
            if g.is_deleted_node(n) {
                return Ok(None);
            }
            if !tests.iter().flatten().all(|t| t.holds(g, n) == Some(true)) {
                continue;
            }
            heap.offer(k, (n, b * CHECK_EVERY + i));
        }
    }
    let mut kept = heap.entries;
    kept.sort_unstable_by_key(|e| e.1);
    Ok(Some(kept.into_iter().map(|e| e.0).collect()))
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

/// A max-heap of (node, scan position) by the sort keys, then position:
/// its root is the worst node kept.
struct Heap<'k, 'g> {
    g: &'g Graph,
    keys: &'k [(KeyPositions, bool)],
    entries: Vec<(NodeId, usize)>,
}

impl Heap<'_, '_> {
    fn offer(&mut self, k: usize, e: (NodeId, usize)) {
        if self.entries.len() < k {
            self.entries.push(e);
            let mut i = self.entries.len() - 1;
            while i > 0 {
                let parent = (i - 1) / 2;
                if self.cmp(self.entries[i], self.entries[parent]) != Ordering::Greater {
                    break;
                }
                self.entries.swap(i, parent);
                i = parent;
            }
        } else if k > 0 && self.cmp(e, self.entries[0]) == Ordering::Less {
            self.entries[0] = e;
            let mut i = 0;
            loop {
                let (l, r) = (2 * i + 1, 2 * i + 2);
                let mut big = i;
                if l < self.entries.len() && self.cmp(self.entries[l], self.entries[big]) == Ordering::Greater {
                    big = l;
                }
                if r < self.entries.len() && self.cmp(self.entries[r], self.entries[big]) == Ordering::Greater {
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

    /// ORDER BY's order of two scanned nodes (a missing value is null),
    /// ties by scan position.
    #[inline]
    fn cmp(&self, a: (NodeId, usize), b: (NodeId, usize)) -> Ordering {
        for (key, desc) in self.keys {
            let x = self.g.node_prop(a.0, key).unwrap_or(&NULL);
            let y = self.g.node_prop(b.0, key).unwrap_or(&NULL);
            let o = order(x, y);
            let o = if *desc { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.1.cmp(&b.1)
    }
}

/// [`Value::total_cmp`], two strings compared at once (by the bytes the
/// values keep of them, then by their bytes).
#[inline(always)]
fn order(x: &Value, y: &Value) -> Ordering {
    match (x, y) {
        (Value::String(a), Value::String(b)) => a.cmp(b),
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
