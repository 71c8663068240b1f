//! Index seeks: a part whose start node has a label with an index on key
//! `k` looks its candidates up in the index instead of scanning the label,
//! when a WHERE condition (or an inline property) limits `n.k` to values
//! the index can find: `n.k = v`, `n.k IN list`, ranges (`<`, `<=`, `>`,
//! `>=`, either operand order, a lower and an upper end combined) and
//! `n.k STARTS WITH s`, each `v` reading only constants, parameters and
//! variables of earlier clauses. `n.id IN list` uses the store's id map
//! (`n.id = v` is already an id lookup, see [`super::lookup`]).
//!
//! The conditions stay where they are (pushed down as filters on the start
//! node), so a seek only has to find a superset of the nodes they keep:
//! values of other types, null and NaN are the filter's business, with
//! openCypher's comparison semantics. A seek is chosen when it finds
//! markedly fewer nodes than the label's scan visits; [`candidates`] gives
//! the cost model ([`super::cost`]) the same estimates.

use std::sync::Arc;

use super::order::{and_all, flatten_and};
use crate::plan::ops::{IndexSeek, IndexWant, MatchOp, PExpr, PKind, PatternPlan, SeekIndex, SeekLookup};
use crate::store::{Graph, Lookup, RangeEnd};
use crate::syntax::ast::BinaryOp;
use crate::value::Value;

/// Nodes read in an index's order (no sort) cost this much each against
/// one per node scanned: each is read at random (`ordered_scan.rs`).
pub const SEEK_FACTOR: f64 = 2.0;

/// What finding `found` nodes by a seek costs, in nodes scanned: each is
/// found in the index, and the found handles are sorted into node order
/// (`found · log₂ found` for the sort) before they are read. A scan reads
/// its label's nodes in order, and compiled conditions (zone maps, words)
/// make each node cheap, so a seek pays only when it finds few: at a
/// million nodes about one in twenty, at four hundred about one in eight.
/// (Measured at 1,000,000 roles, `STARTS WITH 'Senior'` finding 28%: the
/// seek 25–39 ms against 2.8–7 ms for the scan, about 1 + log₂ found times
/// the scan's cost per node.)
pub fn seek_cost(found: f64) -> f64 {
    found * (1.0 + found.max(2.0).log2())
}
/// The fraction of an index an equality on a value not known at planning
/// finds; IN a list finds this much per item.
const EQUALITY_SHARE: f64 = 0.1;
/// The fraction each end of a range on values not known at planning keeps.
const RANGE_END_SHARE: f64 = 1.0 / 3.0;
/// Items assumed in a list not known at planning.
const LIST_ITEMS: f64 = 3.0;

/// A seek a node of the clause could start with.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub slot: usize,
    pub seek: IndexSeek,
    /// Whether the index exists; otherwise the seek is one an implicit
    /// index would allow (its estimate from the label's statistics), which
    /// the plan can only ask for ([`choose`]).
    pub ready: bool,
}

/// Every seek the clause's nodes could start with, given its WHERE
/// conditions (split at top-level ANDs); `before`: slots bound by earlier
/// clauses, which a looked-up value may read.
pub fn candidates(graph: &Graph, conditions: &[PExpr], patterns: &[PatternPlan], before: usize) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut seen: Vec<usize> = Vec::new();
    for n in patterns.iter().flat_map(|p| p.nodes.iter()) {
        if n.slot < before || n.labels.is_empty() || seen.contains(&n.slot) {
            continue;
        }
        seen.push(n.slot);
        let mut forms: Vec<(Arc<str>, SeekLookup)> = Vec::new();
        if let Some(PExpr {
            kind: PKind::Map(entries),
            ..
        }) = &n.props
        {
            for (k, v) in entries {
                if &**k != "id" && known(v, before) {
                    forms.push((k.clone(), SeekLookup::Equal(v.clone())));
                }
            }
        }
        let mut ranges: Vec<(Arc<str>, RangeBound, RangeBound)> = Vec::new();
        for c in conditions {
            match condition(c, n.slot, before) {
                Some(Form::Lookup(k, l)) => forms.push((k, l)),
                Some(Form::End(k, e, inclusive, low)) => {
                    let at = match ranges.iter().position(|(rk, ..)| *rk == k) {
                        Some(i) => i,
                        None => {
                            ranges.push((k, None, None));
                            ranges.len() - 1
                        }
                    };
                    let end = if low { &mut ranges[at].1 } else { &mut ranges[at].2 };
                    if end.is_none() {
                        *end = Some((e, inclusive));
                    }
                }
                None => {}
            }
        }
        forms.extend(ranges.into_iter().map(|(k, lo, hi)| (k, SeekLookup::Range { lo, hi })));
        for label in &n.labels {
            for (key, lookup) in &forms {
                if let Some((seek, ready)) = make(graph, label, key, lookup) {
                    out.push(Candidate {
                        slot: n.slot,
                        seek,
                        ready,
                    });
                }
            }
        }
    }
    out
}

/// The cheapest seek for the node at `slot`, with any of `labels`, of
/// an index that exists.
pub fn best<'c>(candidates: &'c [Candidate], slot: usize, labels: &[String]) -> Option<&'c IndexSeek> {
    cheapest(candidates, slot, labels, true)
}

/// The cheapest seek among those with an index (`ready`) or without.
fn cheapest<'c>(candidates: &'c [Candidate], slot: usize, labels: &[String], ready: bool) -> Option<&'c IndexSeek> {
    candidates
        .iter()
        .filter(|c| c.ready == ready && c.slot == slot && labels.contains(&c.seek.label))
        .map(|c| &c.seek)
        .min_by(|a, b| a.estimate.total_cmp(&b.estimate))
}

/// Gives each part whose start node is unbound, and has a seek that finds
/// markedly fewer nodes than its label's scan, that seek.
pub fn choose(m: &mut MatchOp, before: usize, graph: &Graph) {
    let mut conditions = Vec::new();
    if let Some(f) = m.filter.take() {
        flatten_and(f, &mut conditions);
    }
    let found = candidates(graph, &conditions, &m.patterns, before);
    m.filter = and_all(conditions);
    if found.is_empty() {
        return;
    }
    let mut bound: Vec<usize> = Vec::new();
    for p in &mut m.patterns {
        let n = &p.nodes[p.start];
        let id_lookup =
            matches!(&n.props, Some(PExpr { kind: PKind::Map(e), .. }) if e.iter().any(|(k, _)| &**k == "id"));
        if n.slot >= before && !bound.contains(&n.slot) && !id_lookup {
            let scan = n
                .labels
                .iter()
                .map(|l| graph.nodes_with_label(l).len())
                .min()
                .unwrap_or(0) as f64;
            if let Some(seek) = best(&found, n.slot, &n.labels)
                && seek_cost(seek.estimate) < scan
            {
                p.seek = Some(seek.clone());
            } else if let Some(seek) = cheapest(&found, n.slot, &n.labels, false)
                && seek_cost(seek.estimate) < scan
                && best(&found, n.slot, &n.labels).is_none_or(|s| s.estimate > seek.estimate)
            {
                p.want = Some(IndexWant {
                    label: seek.label.clone(),
                    key: seek.key.clone(),
                    saved: scan - seek_cost(seek.estimate),
                });
            }
        }
        bound.extend(super::order::part_slots(p));
    }
}

/// One end of a range: its value and whether it is inclusive.
type RangeBound = Option<(PExpr, bool)>;

enum Form {
    Lookup(Arc<str>, SeekLookup),
    /// One end of a range: key, value, inclusive, whether a lower end.
    End(Arc<str>, PExpr, bool, bool),
}

/// What condition `c` asks of a property of the node at `slot`, when an
/// index can answer it.
fn condition(c: &PExpr, slot: usize, before: usize) -> Option<Form> {
    use BinaryOp::*;
    let PKind::Binary(op, l, r) = &c.kind else {
        return None;
    };
    let key_of = |e: &PExpr| match &e.kind {
        PKind::Prop(base, key) if matches!(base.kind, PKind::Slot(s) if s == slot) => Some(key.clone()),
        _ => None,
    };
    match op {
        Eq => {
            for (a, b) in [(l, r), (r, l)] {
                if let Some(k) = key_of(a)
                    && known(b, before)
                {
                    return Some(Form::Lookup(k, SeekLookup::Equal((**b).clone())));
                }
            }
            None
        }
        In => {
            let k = key_of(l)?;
            known(r, before).then(|| Form::Lookup(k, SeekLookup::In((**r).clone())))
        }
        StartsWith => {
            let k = key_of(l)?;
            known(r, before).then(|| Form::Lookup(k, SeekLookup::Prefix((**r).clone())))
        }
        Lt | Le | Gt | Ge => {
            let inclusive = matches!(op, Le | Ge);
            // `n.k < v`: an upper end; `v < n.k`: a lower one.
            if let Some(k) = key_of(l)
                && known(r, before)
            {
                return Some(Form::End(k, (**r).clone(), inclusive, matches!(op, Gt | Ge)));
            }
            if let Some(k) = key_of(r)
                && known(l, before)
            {
                return Some(Form::End(k, (**l).clone(), inclusive, matches!(op, Lt | Le)));
            }
            None
        }
        _ => None,
    }
}

/// Whether `e` reads only constants, parameters and earlier clauses'
/// variables (so it can be evaluated before the node is matched).
fn known(e: &PExpr, before: usize) -> bool {
    let mut used = Vec::new();
    e.slots_read(&mut used) && used.iter().all(|s| *s < before)
}

/// The seek of `lookup` on `label`'s `key`, with its estimate and whether
/// its index exists (`id`: the id map answers IN lists). Without an index
/// the estimate comes from the label's statistics: what an implicit index
/// would find.
fn make(graph: &Graph, label: &str, key: &Arc<str>, lookup: &SeekLookup) -> Option<(IndexSeek, bool)> {
    let Some(ix) = graph.index(label, key) else {
        let list_len = |list: &PExpr| match &list.kind {
            PKind::Const(Value::List(items)) => items.len() as f64,
            PKind::Const(_) => 0.0,
            PKind::List(items) => items.len() as f64,
            _ => LIST_ITEMS,
        };
        if &**key == "id"
            && let SeekLookup::In(list) = lookup
        {
            return Some((
                IndexSeek {
                    label: label.to_string(),
                    key: key.clone(),
                    index: SeekIndex::IdMap,
                    lookup: lookup.clone(),
                    estimate: list_len(list),
                },
                true,
            ));
        }
        let nodes = graph.nodes_with_label(label).len() as f64;
        let equal = || graph.value_stats(label, key).equality_selectivity() * nodes;
        let estimate = match lookup {
            SeekLookup::Ordered { .. } => nodes,
            SeekLookup::Equal(_) => equal(),
            SeekLookup::In(list) => (equal() * list_len(list)).min(nodes),
            SeekLookup::Prefix(_) => nodes * EQUALITY_SHARE,
            SeekLookup::Range { lo, hi } => {
                let ends = lo.is_some() as i32 + hi.is_some() as i32;
                nodes * RANGE_END_SHARE.powi(ends)
            }
        };
        return Some((
            IndexSeek {
                label: label.to_string(),
                key: key.clone(),
                index: SeekIndex::Implicit,
                lookup: lookup.clone(),
                estimate,
            },
            false,
        ));
    };
    let entries = ix.len() as f64;
    // Counted exactly for constants, but no further than a count from
    // which the label's scan is cheaper (`seek_cost` is at least twice
    // the count): past it the seek is never chosen (see [`choose`]), and
    // the cost model ignores it (`cost::start_rows`).
    let cap = graph.nodes_with_label(label).len() / 2 + 1;
    let constant = |e: &PExpr| match &e.kind {
        PKind::Const(v) => Some(v.clone()),
        _ => None,
    };
    let estimate = match lookup {
        SeekLookup::Ordered { .. } => graph.nodes_with_label(label).len() as f64,
        SeekLookup::Equal(v) => match constant(v) {
            Some(v) => ix.count(Lookup::Equal(&v), cap) as f64,
            None => entries * EQUALITY_SHARE,
        },
        SeekLookup::In(list) => match constant(list) {
            Some(Value::List(items)) => items.iter().map(|v| ix.count(Lookup::Equal(v), cap) as f64).sum(),
            Some(_) => 0.0,
            None if let PKind::List(items) = &list.kind
                && items.iter().all(|i| constant(i).is_some()) =>
            {
                items
                    .iter()
                    .filter_map(constant)
                    .map(|v| ix.count(Lookup::Equal(&v), cap) as f64)
                    .sum()
            }
            None => {
                let n = match &list.kind {
                    PKind::List(items) => items.len() as f64,
                    _ => LIST_ITEMS,
                };
                entries * (EQUALITY_SHARE * n).min(1.0)
            }
        },
        SeekLookup::Prefix(p) => match constant(p) {
            Some(Value::String(s)) => ix.count(Lookup::Prefix(&s), cap) as f64,
            Some(_) => 0.0,
            None => entries * EQUALITY_SHARE,
        },
        SeekLookup::Range { lo, hi } => {
            let lo_v = lo.as_ref().map(|(e, i)| (constant(e), *i));
            let hi_v = hi.as_ref().map(|(e, i)| (constant(e), *i));
            let all_known = lo_v.iter().chain(hi_v.iter()).all(|(v, _)| v.is_some());
            if all_known {
                let end = |x: &Option<(Option<Value>, bool)>| -> Option<(Value, bool)> {
                    x.as_ref().and_then(|(v, i)| v.clone().map(|v| (v, *i)))
                };
                let (l, h) = (end(&lo_v), end(&hi_v));
                ix.count(Lookup::Range(range_end(&l), range_end(&h)), cap) as f64
            } else {
                let ends = lo.is_some() as i32 + hi.is_some() as i32;
                entries * RANGE_END_SHARE.powi(ends)
            }
        }
    };
    Some((
        IndexSeek {
            label: label.to_string(),
            key: key.clone(),
            index: ix
                .name()
                .map_or(SeekIndex::Implicit, |n| SeekIndex::Named(n.to_string())),
            lookup: lookup.clone(),
            estimate,
        },
        true,
    ))
}

fn range_end(x: &Option<(Value, bool)>) -> Option<RangeEnd<'_>> {
    x.as_ref().map(|(value, inclusive)| RangeEnd {
        value,
        inclusive: *inclusive,
    })
}
