//! Node index seek: the start nodes of a pattern part looked up in a
//! property index (or, for `id`, the store's id map) instead of scanning
//! their label (see `plan::optimise::seek`). The values are evaluated for
//! each input row. The seek finds every node the conditions it stands for
//! can keep (those conditions are still checked as filters), sorted by
//! node as a label's scan visits them, so later operators see the same
//! order.

use crate::eval::expr::{Env, eval};
use crate::eval::ops::label_scan::scan;
use crate::eval::ops::project::count_arg;
use crate::plan::ops::{IndexSeek, PExpr, PatternPlan, SeekIndex, SeekLookup};
use crate::store::{Entries, EntryRef, Graph, IndexView, Lookup, NodeId, RangeEnd};
use crate::value::Value;

/// The nodes `seek` finds for `row`, sorted and without repeats; `None`
/// when a value is of a kind the index does not answer (or fails to
/// evaluate): the caller then scans the label, and the filters decide
/// (and raise any error) as they would have.
pub(in crate::eval) fn seek_nodes(env: &Env<'_>, seek: &IndexSeek, row: &[Value]) -> Option<Vec<NodeId>> {
    let g = env.graph;
    let value = |e: &PExpr| eval(e, env, row).ok();
    let mut out = Vec::new();
    if seek.index == SeekIndex::IdMap {
        let list = match &seek.lookup {
            SeekLookup::In(e) => value(e)?,
            SeekLookup::Equal(e) => Value::list(vec![value(e)?]),
            _ => return None,
        };
        match list {
            Value::Null => {}
            Value::List(items) => {
                for v in items.iter() {
                    match v {
                        Value::String(s) => out.extend(g.node_by_key(s)),
                        Value::Null => {}
                        _ => return None,
                    }
                }
            }
            _ => return None,
        }
    } else {
        let ix = g.index(&seek.label, &seek.key)?;
        if let SeekLookup::Ordered { descending, skip } = &seek.lookup {
            let skip = count_arg(skip.as_ref(), env, "SKIP").ok()?.unwrap_or(0);
            return Some(OrderedScan::new(g, seek, *descending, skip)?.collect());
        }
        let simple = |v: &Value| matches!(v, Value::Int(_) | Value::Float(_) | Value::String(_) | Value::Bool(_));
        match &seek.lookup {
            SeekLookup::Equal(e) => match value(e)? {
                Value::Null => {}
                v if simple(&v) => out.extend(ix.visit(Lookup::Equal(&v))),
                _ => return None,
            },
            SeekLookup::In(e) => match value(e)? {
                Value::Null => {}
                Value::List(items) => {
                    for v in items.iter() {
                        match v {
                            Value::Null => {}
                            v if simple(v) => out.extend(ix.visit(Lookup::Equal(v))),
                            _ => return None,
                        }
                    }
                }
                _ => return None,
            },
            SeekLookup::Prefix(e) => match value(e)? {
                Value::Null => {}
                Value::String(s) => out.extend(ix.visit(Lookup::Prefix(&s))),
                _ => return None,
            },
            SeekLookup::Ordered { .. } => unreachable!("answered above"),
            SeekLookup::Range { lo, hi } => {
                let end = |x: &Option<(PExpr, bool)>| -> Option<Option<(Value, bool)>> {
                    match x {
                        None => Some(None),
                        Some((e, inclusive)) => Some(Some((value(e)?, *inclusive))),
                    }
                };
                let (lo, hi) = (end(lo)?, end(hi)?);
                let ends = lo.iter().chain(hi.iter());
                // A comparison with null is null: nothing passes.
                if ends.clone().any(|(v, _)| v.is_null()) {
                    return Some(out);
                }
                if !ends.clone().all(|(v, _)| simple(v)) {
                    return None;
                }
                out.extend(ix.visit(Lookup::Range(range_end(&lo), range_end(&hi))));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// `label`'s nodes in the order `ORDER BY n.k` puts them, read from the
/// index as the scan goes (a top-k above may stop it after a few): the
/// index's entries (by type as ORDER BY orders types, then by value) and
/// after them the nodes without a value; descending, those nodes first and
/// the values from the highest. Nodes with equal values stay in node
/// order, as a label scan visits them.
///
/// It may start at a position of that order (a SKIP): while the index
/// has no changes waiting beside its sorted array, a position there is a
/// rank, so the start is found without reading what comes before it
/// (descending: the nodes without a value are counted, not read, and the
/// run of equal values holding the start is entered part way); else the
/// nodes before the start are read and dropped.
pub(in crate::eval) struct OrderedScan<'g> {
    ix: IndexView<'g>,
    all: &'g [NodeId],
    entries: Entries<'g>,
    descending: bool,
    /// The nodes without a value, once found, still to give.
    without: Option<std::vec::IntoIter<NodeId>>,
    entries_done: bool,
    /// Descending: the run of equal values being given, in node order,
    /// how much of it is given, and the entry read past its end.
    run: Vec<NodeId>,
    given: usize,
    pending: Option<EntryRef<'g>>,
    /// Nodes still to read and drop before the first one given.
    to_skip: usize,
}

impl<'g> OrderedScan<'g> {
    /// The scan from position `skip` of the order.
    pub(in crate::eval) fn new(
        g: &'g Graph,
        seek: &IndexSeek,
        descending: bool,
        skip: usize,
    ) -> Option<OrderedScan<'g>> {
        let ix = g.index(&seek.label, &seek.key)?;
        let all = g.nodes_with_label(&seek.label);
        let mut scan = OrderedScan {
            ix,
            all,
            entries: ix.ascending(),
            descending,
            without: None,
            entries_done: false,
            run: Vec::new(),
            given: 0,
            pending: None,
            to_skip: skip,
        };
        let (valued, without) = (ix.len(), all.len().saturating_sub(ix.len()));
        if skip == 0 || !ix.settled() {
            return Some(scan);
        }
        let none = || Vec::new().into_iter();
        if !descending {
            // Ranks first, then the nodes without a value.
            if skip < valued {
                scan.entries = ix.ranks(skip, valued)?;
                scan.to_skip = 0;
            } else {
                scan.entries = ix.ranks(valued, valued)?;
                scan.entries_done = true;
                scan.to_skip = skip - valued;
            }
            return Some(scan);
        }
        // The nodes without a value first: read only when the start is
        // among them.
        if skip < without {
            return Some(scan);
        }
        scan.without = Some(none());
        scan.to_skip = 0;
        let q = skip - without;
        if q >= valued {
            scan.entries = ix.ranks(0, 0)?;
            return Some(scan);
        }
        // Position q from the top lies in the run of ranks a..b, which
        // starts at position valued - b and is given in node order.
        let (a, b) = ix.run_at(valued - 1 - q)?;
        scan.entries = ix.ranks(0, a)?;
        scan.run = ix.ranks(a, b)?.map(|(_, n)| n).collect();
        scan.given = q - (valued - b);
        Some(scan)
    }

    /// The label's nodes the index does not hold (read only when some are
    /// missing from it).
    fn without(&self) -> std::vec::IntoIter<NodeId> {
        if self.ix.len() >= self.all.len() {
            return Vec::new().into_iter();
        }
        let mut has = crate::store::NodeSet::default();
        for (_, n) in self.ix.ascending() {
            has.insert(n);
        }
        let missing: Vec<NodeId> = self.all.iter().copied().filter(|n| !has.contains(*n)).collect();
        missing.into_iter()
    }
}

impl Iterator for OrderedScan<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        while self.to_skip > 0 {
            self.to_skip -= 1;
            self.step()?;
        }
        self.step()
    }
}

impl OrderedScan<'_> {
    /// The next node of the order.
    fn step(&mut self) -> Option<NodeId> {
        if !self.descending {
            if !self.entries_done {
                match self.entries.next() {
                    Some((_, n)) => return Some(n),
                    None => self.entries_done = true,
                }
            }
            if self.without.is_none() {
                self.without = Some(self.without());
            }
            return self.without.as_mut()?.next();
        }
        if self.without.is_none() {
            self.without = Some(self.without());
        }
        if let Some(n) = self.without.as_mut()?.next() {
            return Some(n);
        }
        if self.given < self.run.len() {
            self.given += 1;
            return Some(self.run[self.given - 1]);
        }
        let (key, first) = self.pending.take().or_else(|| self.entries.next_back())?;
        self.run.clear();
        self.run.push(first);
        loop {
            match self.entries.next_back() {
                Some((k, n)) if k == key => self.run.push(n),
                other => {
                    self.pending = other;
                    break;
                }
            }
        }
        self.run.reverse();
        self.given = 1;
        Some(self.run[0])
    }
}

fn range_end(x: &Option<(Value, bool)>) -> Option<RangeEnd<'_>> {
    x.as_ref().map(|(value, inclusive)| RangeEnd {
        value,
        inclusive: *inclusive,
    })
}

/// The nodes a counted pattern (first clause: nothing bound) starts from:
/// its index seek's, or its start node's label scan.
pub(in crate::eval) fn start_nodes<'g>(env: &Env<'g>, p: &PatternPlan) -> std::borrow::Cow<'g, [NodeId]> {
    match p.seek.as_ref().and_then(|s| seek_nodes(env, s, &[])) {
        Some(found) => std::borrow::Cow::Owned(found),
        None => scan(env.graph, &p.nodes[p.start].labels),
    }
}
