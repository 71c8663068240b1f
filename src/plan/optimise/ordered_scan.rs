//! Ordered index scans: `ORDER BY n.k … LIMIT` over the nodes of a label
//! with an index on `k` reads the label in the index's order, and the
//! top-k heap ends the input as soon as the rest cannot enter it.
//!
//! It applies to a query part whose first operator is a MATCH (nothing
//! bound before it) whose first pattern part starts at `n` by a label scan
//! (the cost model chose `n`; this pass never moves a start), followed
//! only by operators that keep the order of `n`'s rows (filters, UNWIND,
//! further MATCH clauses, each matched per row in turn) and then a
//! projection that sorts, without aggregates or DISTINCT, with a LIMIT and
//! `n.k` as its first sort key. The scan visits the label's nodes in the
//! order ORDER BY puts their `k` (ascending: values, then the nodes
//! without one; descending: the nodes without one first), and the
//! projection knows its input arrives sorted by the first key
//! (`ProjectOp::input_sorted`): once the heap holds the limit, the first
//! row whose first key sorts strictly after the worst kept ends the input.
//! Ties on the first key are all read, so the other keys decide between
//! them as in a full sort.
//!
//! When the MATCH is the projection's whole input, one node of one label
//! without conditions (each node is one row, in the scan's order), and
//! the sort has that one key, the scan's order is the sorted order, ties
//! included (they stay in node order, as the sort keeps them). The
//! projection's SKIP then moves into the scan, which starts at that
//! position (found by rank in the index, see `eval/ops/index_seek.rs`);
//! such a page is chosen with or without a LIMIT.

use std::sync::Arc;

use super::cost::{Estimator, SCAN_COST};
use super::seek::SEEK_FACTOR;
use crate::plan::ops::{IndexSeek, IndexWant, MatchOp, Op, PExpr, PKind, ProjectOp, SeekIndex, SeekLookup};
use crate::store::Graph;
use crate::value::Value;

/// Rewrites the part's operators in place when the shape above holds.
pub fn choose(ops: &mut [Op], graph: &Graph) {
    let Some(pi) = ops
        .iter()
        .position(|o| !matches!(o, Op::Match(_) | Op::Filter(_) | Op::Unwind(_)))
    else {
        return;
    };
    let (before, after) = ops.split_at_mut(pi);
    let Some(Op::Project(project)) = after.first_mut() else {
        return;
    };
    let alone = before.len() == 1;
    let Some(Op::Match(m)) = before.first_mut() else { return };
    // Each node of the label one row, in the scan's order.
    let one_row_a_node = alone
        && m.filter.is_none()
        && m.patterns.len() == 1
        && m.patterns[0].rels.is_empty()
        && m.patterns[0].filters.iter().all(Vec::is_empty)
        && m.patterns[0].nodes[m.patterns[0].start].labels.len() == 1
        && m.patterns[0].nodes[m.patterns[0].start].props.is_none();
    let page = one_row_a_node && project.order_by.len() == 1 && project.skip.is_some();
    if m.optional || (project.limit.is_none() && !page) || project.distinct || !project.aggregates.is_empty() {
        return;
    }
    let Some(first) = project.order_by.first() else { return };
    let Some((slot, key)) = sort_property(&first.expr, project) else {
        return;
    };
    let descending = first.descending;
    // The sort's node elsewhere in the first part: the part starts there
    // instead when reading it in order until the page is full costs less
    // than the whole match (see `start_at_sorted_node`).
    if m.patterns.first().is_some_and(|p| p.nodes[p.start].slot != slot) {
        let first_rows = match (&project.skip, &project.limit) {
            (Some(s), Some(l)) => constant(s) + constant(l),
            (None, Some(l)) => constant(l),
            _ => return,
        };
        if !rows_tied_look_alike(project) || !start_at_sorted_node(m, slot, &key, first_rows, graph) {
            return;
        }
    }
    let Some(p) = m.patterns.first_mut() else { return };
    let start = &p.nodes[p.start];
    if start.slot != slot || p.seek.is_some() || p.join.is_some() {
        return;
    }
    // A property index, named or implicit (the id map has no order to
    // read).
    let Some((label, index)) = start.labels.iter().find_map(|l| {
        let ix = graph.index(l, &key)?;
        Some((
            l,
            ix.name()
                .map_or(SeekIndex::Implicit, |n| SeekIndex::Named(n.to_string())),
        ))
    }) else {
        // Without one, the part is matched in full before the projection
        // keeps its first rows; read in the key's order, it would stop
        // after about SKIP + LIMIT of them. The work is the cost model's
        // (a hop's row 1, a scanned node SCAN_COST), counted in scanned
        // nodes, as the store weighs a build.
        if p.want.is_none()
            && let Some(label) = start.labels.iter().min_by_key(|l| graph.nodes_with_label(l).len())
        {
            // Rows read: SKIP + LIMIT, or LIMIT alone for a page that
            // starts at its position.
            let first = match (&project.skip, &project.limit) {
                (Some(_), Some(l)) if page => constant(l),
                (Some(s), Some(l)) => constant(s) + constant(l),
                (None, Some(l)) => constant(l),
                (Some(s), None) if page => (graph.nodes_with_label(label).len() as f64 - constant(s)).max(0.0),
                _ => f64::INFINITY,
            };
            let est = Estimator::new(graph, &[], std::slice::from_ref(p), 0);
            let (cost, rows) = est.part(p, p.start, &[]);
            // One node alone: a top-k scan compares values in place.
            let whole = if p.rels.is_empty() {
                graph.nodes_with_label(label).len() as f64
            } else {
                cost / SCAN_COST
            };
            let read = whole * (first / rows.max(1.0)).min(1.0);
            p.want = Some(IndexWant {
                label: label.clone(),
                key,
                saved: (whole - SEEK_FACTOR * read).max(0.0),
            });
        }
        return;
    };
    p.seek = Some(IndexSeek {
        label: label.clone(),
        key,
        index,
        lookup: SeekLookup::Ordered {
            descending,
            skip: if page { project.skip.take() } else { None },
        },
        estimate: graph.nodes_with_label(label).len() as f64,
    });
    project.input_sorted = true;
}

/// Moves the start of `m`'s first part to its node bound to `slot` (whose
/// `key` the sort reads first) when that node has a label with an index on
/// the key and the cost model expects the ordered read of that label,
/// stopped after `first_rows` rows (SKIP + LIMIT) and the ties of the
/// last, to cost less than the match from the start it chose. Without an
/// index, the work it would save is noted for the store instead
/// (`PatternPlan::want`), and the start stays. The part's conditions are
/// placed again for the new start.
fn start_at_sorted_node(m: &mut MatchOp, slot: usize, key: &Arc<str>, first_rows: f64, graph: &Graph) -> bool {
    let Some(p) = m.patterns.first() else { return false };
    let Some(ni) = p.nodes.iter().position(|n| n.slot == slot) else {
        return false;
    };
    if m.optional || p.seek.is_some() || p.join.is_some() || p.path_slot.is_some() || !m.new_slots.contains(&slot) {
        return false;
    }
    // The node's labels wherever the clause names it (a match has them all).
    let mut labels = p.nodes[ni].labels.clone();
    for l in m
        .patterns
        .iter()
        .flat_map(|q| &q.nodes)
        .filter(|n| n.slot == slot)
        .flat_map(|n| &n.labels)
    {
        if !labels.contains(l) {
            labels.push(l.clone());
        }
    }
    if labels.is_empty() {
        return false;
    }
    let mut p = p.clone();
    p.nodes[ni].labels = labels;
    let node = &p.nodes[ni];
    let est = Estimator::new(graph, &[], std::slice::from_ref(&p), 0);
    let (now, _) = est.part(&p, p.start, &[]);
    let (from_node, rows) = est.part(&p, ni, &[]);
    let ordered = SEEK_FACTOR * from_node * (first_rows / rows.max(1.0)).min(1.0);
    if ordered >= now {
        return false;
    }
    if !node.labels.iter().any(|l| graph.index(l, key).is_some()) {
        if p.want.is_none()
            && let Some(label) = node.labels.iter().min_by_key(|l| graph.nodes_with_label(l).len())
        {
            let want = IndexWant {
                label: label.clone(),
                key: key.clone(),
                saved: (now - ordered) / SCAN_COST,
            };
            m.patterns[0].want = Some(want);
        }
        return false;
    }
    m.patterns[0].nodes[ni].labels = p.nodes[ni].labels.clone();
    super::pushdown::restart_at(m, ni);
    true
}

/// Whether rows the sort cannot order apart also project alike: every
/// projected column is one of the sort keys. Started elsewhere, the
/// match makes its rows in another order, and a LIMIT keeps a different
/// few of the rows that tie on every key; only then is that not seen.
fn rows_tied_look_alike(p: &ProjectOp) -> bool {
    (0..p.items.len()).all(|i| {
        p.order_by
            .iter()
            .any(|k| matches!(k.expr.kind, PKind::Slot(s) if s == i))
    })
}

/// The number a SKIP or LIMIT gives when it is a constant; a parameter
/// or expression counts as ten rows.
pub(super) fn constant(e: &PExpr) -> f64 {
    match &e.kind {
        PKind::Const(Value::Int(i)) => (*i).max(0) as f64,
        _ => 10.0,
    }
}

/// The node slot and key of a sort key that reads `n.k` of the input row.
pub(super) fn sort_property(e: &PExpr, op: &ProjectOp) -> Option<(usize, Arc<str>)> {
    // A sort key reads the projected row (then the input row, when kept).
    let input_slot = |i: usize| -> Option<usize> {
        match op.items.get(i) {
            Some(PExpr {
                kind: PKind::Slot(s), ..
            }) => Some(*s),
            Some(_) => None,
            None if op.sort_sees_input => Some(i - op.items.len()),
            None => None,
        }
    };
    match &e.kind {
        PKind::Prop(base, key) => match base.kind {
            PKind::Slot(i) => Some((input_slot(i)?, key.clone())),
            _ => None,
        },
        PKind::Slot(i) => match &op.items.get(*i)?.kind {
            PKind::Prop(base, key) => match base.kind {
                PKind::Slot(s) => Some((s, key.clone())),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}
