//! Count per node (`Op::CountPerNode`): a one-hop (or one-node) first
//! clause whose matches only feed counts grouped on one end. Each node of
//! that end is handed over once with its number of matches, instead of one
//! row per match.

use crate::error::QueryError;
use crate::eval::expr::{Env, eval, truth};
use crate::eval::matcher::{flip_dir, labels_implied};
use crate::eval::nodefilter::{NodeFilter, Skips};
use crate::eval::ops::index_seek::start_nodes;
use crate::plan::ops::{CountedExpand, PExpr, PatternPlan, SeekIndex};
use crate::store::zones::ZONE;
use crate::store::{Direction, LabelTest, NodeId, NodeSet};
use crate::value::Value;

/// A one-hop pattern planned as [`CountedExpand`]: calls `emit` with each
/// node the grouping reads and its number of matches, in the order the
/// ordinary matcher would first reach it. Returns false if `emit` asked to
/// stop.
pub fn count_matches(
    env: &Env<'_>,
    p: &PatternPlan,
    counted: CountedExpand,
    keyed: bool,
    emit: &mut dyn FnMut(NodeId, u64) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    count_matches_in(env, p, counted, keyed, None, emit)
}

/// Whether `p`'s matches counted per node can be counted over runs of its
/// start nodes apart: the counts are per start node, so each node's count
/// is its own, and the runs' counts one after another are the whole's.
pub fn splits(p: &PatternPlan, counted: CountedExpand) -> bool {
    !p.rels.is_empty() && counted.group_node == p.start
}

/// [`count_matches`] over run `i` of `of` equal runs of the start nodes
/// (`part`), when [`splits`] holds; over all of them with `None`.
pub fn count_matches_in(
    env: &Env<'_>,
    p: &PatternPlan,
    counted: CountedExpand,
    keyed: bool,
    part: Option<(usize, usize)>,
    emit: &mut dyn FnMut(NodeId, u64) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    if p.rels.is_empty() {
        return scan_per_node(env, p, emit, keyed);
    }
    let g = env.graph;
    let (s, o) = (p.start, 1 - p.start);
    let rel = &p.rels[0];
    let dir = if s == 0 { rel.direction } else { flip_dir(rel.direction) };
    // The graph cannot change while counting, so a label it lacks now
    // means no match, and each end's labels become one table lookup.
    let lab = env.guard.pattern_labels(g, p);
    if lab.syms[s].iter().any(Option::is_none) {
        return Ok(true);
    }
    // Each type once; any type between labelled nodes: those whose ends
    // can carry the labels (see `count_far_end::hop_types`).
    let (types, typed) = super::count_far_end::hop_types(g, p, &lab);
    // The far end's matches counted from its own degrees.
    if let Some(far) = super::count_far_end::choose(g, p, counted, &lab) {
        return super::count_far_end::count(env, p, &far, &lab, emit);
    }
    // No node has the far end's labels, or no relationship the types.
    let none = lab.syms[o].iter().any(Option::is_none) || (typed && types.is_empty());
    if none && !counted.optional {
        return Ok(true);
    }
    // OPTIONAL: every start node is handed over, with zero when it has no match.
    let keep = |n: u64| n > 0 || counted.optional;
    let single = match types.as_slice() {
        [] => Some(None),
        [t] => Some(Some(*t)),
        _ => None,
    };
    // An end whose labels every relationship of the hop's types has
    // there, by the store's statistics, needs no check per relationship.
    let implied =
        |ni: usize| !types.is_empty() && types.iter().all(|&t| labels_implied(g, &lab.syms, ni, t, dir, ni == s));
    // The graph cannot change while counting: the tables made for this
    // execution cover every label set, and each check is one lookup.
    let tables: Vec<Option<&LabelTest>> = (0..2)
        .map(|ni| match p.nodes[ni].labels.is_empty() || implied(ni) {
            true => None,
            false => lab.tables[ni].as_ref(),
        })
        .collect();
    let ok = |ni: usize, n: NodeId| tables[ni].is_none_or(|t| t.holds(g, n));
    // With the far end unchecked, a node's matches are its relationships
    // of the types: the sum of its degrees.
    let degree = |a: NodeId, d: Direction| -> u64 {
        match types.as_slice() {
            [] => g.degree_sym(a, d, None) as u64,
            ts => ts.iter().map(|&t| g.degree_sym(a, d, Some(t)) as u64).sum(),
        }
    };
    let candidates = start_nodes(env, p);
    // Scanned from its only label (or its index): the start end needs no
    // check.
    let check_start = (p.nodes[s].labels.len() > 1 || p.seek.as_ref().is_some_and(|k| k.index == SeekIndex::IdMap))
        && tables[s].is_some();
    let far_free = tables[o].is_none();
    // Calls `f` with the far node of every match from `a`.
    let each_match = |a: NodeId, f: &mut dyn FnMut(NodeId)| match single {
        Some(t) => g.for_each_neighbour_sym(a, dir, t, |adj| {
            if ok(o, adj.other) {
                f(adj.other)
            }
        }),
        None => {
            let mut adjs = Vec::new();
            for t in &types {
                g.for_each_neighbour_sym(a, dir, Some(*t), |adj| adjs.push(adj));
            }
            adjs.sort_by_key(|a| a.rel);
            adjs.dedup();
            for adj in adjs {
                if ok(o, adj.other) {
                    f(adj.other)
                }
            }
        }
    };
    if counted.group_node == s {
        let candidates: &[NodeId] = match part {
            Some((i, of)) => {
                let n = candidates.len();
                &candidates[n * i / of.max(1)..n * (i + 1) / of.max(1)]
            }
            None => &candidates,
        };
        if let [t] = types.as_slice()
            && far_free
            && !check_start
            && !none
        {
            // Degrees asked for a few nodes ahead (see `Graph::degrees_sym`).
            let mut outcome = Ok(true);
            g.degrees_sym(candidates, dir, *t, |a, n| {
                outcome = env.guard.tick().and_then(|()| match keep(n as u64) {
                    true => emit(a, n as u64),
                    false => Ok(true),
                });
                matches!(outcome, Ok(true))
            });
            return outcome;
        }
        for &a in candidates.iter() {
            env.guard.tick()?;
            if check_start && !ok(s, a) {
                continue;
            }
            let n = if none {
                0
            } else if far_free {
                degree(a, dir)
            } else {
                let mut n = 0u64;
                each_match(a, &mut |_| n += 1);
                n
            };
            if keep(n) && !emit(a, n)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    // Grouping on the far end: count per far node in a dense table.
    let mut counts = g.node_map(0u32);
    let mut first_seen: Vec<NodeId> = Vec::new();
    for &a in candidates.iter() {
        env.guard.tick()?;
        if check_start && !ok(s, a) {
            continue;
        }
        match single {
            // The common case without a call per match.
            Some(t) => g.for_each_neighbour_sym(a, dir, t, |adj| {
                let b = adj.other;
                if ok(o, b) {
                    let c = &mut counts[b];
                    if *c == 0 {
                        first_seen.push(b);
                    }
                    *c += 1;
                }
            }),
            None => each_match(a, &mut |b| {
                let c = &mut counts[b];
                if *c == 0 {
                    first_seen.push(b);
                }
                *c += 1;
            }),
        }
    }
    for b in first_seen {
        if !emit(b, counts[b] as u64)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A one-node pattern planned as [`CountedExpand`]: the nodes with its
/// labels that pass its WHERE conditions. With no grouping keys the count
/// is all that is needed: it is taken in one pass, split over the cores
/// when every condition compares a property with a constant.
fn scan_per_node(
    env: &Env<'_>,
    p: &PatternPlan,
    emit: &mut dyn FnMut(NodeId, u64) -> Result<bool, QueryError>,
    keyed: bool,
) -> Result<bool, QueryError> {
    let g = env.graph;
    let node = &p.nodes[0];
    let lab = env.guard.pattern_labels(g, p);
    if lab.syms[0].iter().any(Option::is_none) {
        return Ok(true);
    }
    let candidates = start_nodes(env, p);
    // Scanned from its only label: a node needs checking only with more.
    // The graph cannot change during the scan, so the table made for it
    // covers every label set (and is shared by the scanning threads).
    let table = lab.tables[0].as_ref();
    let several = node.labels.len() > 1 || p.seek.as_ref().is_some_and(|k| k.index == SeekIndex::IdMap);
    let labels_ok = |n: NodeId| !several || table.is_some_and(|t| t.holds(g, n));
    let conditions: &[PExpr] = p.filters.first().map(Vec::as_slice).unwrap_or(&[]);
    // The conditions compiled for checks on a node's handle (see
    // `nodefilter.rs`), when all of them are about this node, or are
    // `[NOT] EXISTS { ... }` of it answered from a set of nodes made once
    // (see `semi_join.rs`; made now if the scan's nodes pay for it):
    // those are checked by membership.
    let mut compiled: Option<Vec<&NodeFilter>> = Some(Vec::new());
    let mut sets = Vec::new();
    for (f, c) in lab.filters.first().into_iter().flatten().zip(conditions) {
        match f.as_ref().filter(|f| f.slot == node.slot) {
            Some(f) => compiled.iter_mut().for_each(|v| v.push(f)),
            None if !keyed && !several => match super::semi_join::node_set(c, node.slot, env, candidates.len() as u64)?
            {
                Some(set) => sets.push(set),
                None => compiled = None,
            },
            None => compiled = None,
        }
    }
    let sets: Vec<(&NodeSet, bool)> = sets.iter().map(|(s, negated)| (&**s, *negated)).collect();
    let in_sets = |n: NodeId| sets.iter().all(|(s, negated)| s.contains(n) != *negated);
    if !keyed && let Some(tests) = &compiled {
        // Conditions on one key over a run of node ids that all have the
        // label: the values are read by stride, without reading each node.
        let one_key = tests
            .iter()
            .map(|t| t.single_key().map(|k| &**k.key()))
            .collect::<Option<Vec<&str>>>()
            .filter(|k| !k.is_empty() && k.iter().all(|x| *x == k[0]));
        if let (Some(keys), Some(run)) = (one_key, crate::store::id_run(&candidates))
            && !several
            && sets.is_empty()
        {
            let key = g.prop_key(keys[0]);
            // Blocks of nodes none of which can pass are skipped whole.
            let skips = Skips::new(g, tests.iter().copied(), &candidates);
            // A node a condition cannot decide (see
            // `NodeFilter::undecided`) sends the count to the rows below,
            // where the evaluator decides (and raises what it raises).
            let undecided = std::sync::atomic::AtomicBool::new(false);
            let total = count_blocks(env, run.len(), |r| {
                let mut n = 0;
                let (mut at, to) = (run.start + r.start, run.start + r.end);
                while at < to {
                    let end = ((at / ZONE + 1) * ZONE).min(to);
                    if skips.as_ref().is_none_or(|s| !s.skip(at / ZONE)) {
                        key.for_each_in(at..end, |v| {
                            n += tests.iter().all(|t| match t.holds_value(g, v) {
                                Some(b) => b,
                                None => {
                                    if !t.exact() && t.undecided_value(v) {
                                        undecided.store(true, std::sync::atomic::Ordering::Relaxed);
                                    }
                                    false
                                }
                            }) as u64
                        });
                    }
                    at = end;
                }
                n
            })?;
            if !undecided.into_inner() {
                return match total {
                    0 => Ok(true),
                    _ => emit(candidates[0], total),
                };
            }
        } else {
            let undecided = std::sync::atomic::AtomicBool::new(false);
            // The sets last: a node a compiled condition cannot decide
            // sends the count to the rows below whatever its membership.
            let passes = |n: NodeId| {
                labels_ok(n)
                    && tests.iter().all(|t| match t.holds(g, n) {
                        Some(b) => b,
                        None => {
                            if !t.exact() && t.undecided(g, n) {
                                undecided.store(true, std::sync::atomic::Ordering::Relaxed);
                            }
                            false
                        }
                    })
                    && in_sets(n)
            };
            // (From a label's scan: ascending ids.)
            let skips = match p.seek {
                None => Skips::new(g, tests.iter().copied(), &candidates),
                Some(_) => None,
            };
            let total = match &skips {
                Some(s) => count_blocks(env, candidates.len(), |r| count_unskipped(&candidates[r], s, &passes))?,
                None => count_parallel(env, &candidates, passes)?,
            };
            if !undecided.into_inner() {
                return match candidates.first() {
                    Some(first) if total > 0 => emit(*first, total),
                    _ => Ok(true),
                };
            }
        }
    }
    // `[NOT] (x)-[:T]->()` alone: the degrees asked for in a batch.
    if !keyed
        && !several
        && let [c] = conditions
        && let Some((negated, sym, dir)) = super::pattern_exists::degree_test(c, node.slot, env)
    {
        let (mut total, mut first, mut outcome) = (0u64, None, Ok(()));
        g.degrees_sym(&candidates, dir, sym, |n, d| {
            outcome = env.guard.tick();
            if (d > 0) != negated {
                total += 1;
                first.get_or_insert(n);
            }
            outcome.is_ok()
        });
        outcome?;
        return match first {
            Some(n) => emit(n, total),
            None => Ok(true),
        };
    }
    let mut row = vec![Value::Null; node.slot + 1];
    let (mut total, mut first) = (0u64, None);
    for &n in candidates.iter() {
        env.guard.tick()?;
        if !labels_ok(n) {
            continue;
        }
        row[node.slot] = Value::Node(n);
        let mut pass = true;
        for (ci, c) in conditions.iter().enumerate() {
            let known = lab.filters[0][ci].as_ref().and_then(|f| f.check(g, &row));
            let holds = match known {
                Some(t) => t,
                None => truth(eval(c, env, &row)?, c.span)?,
            };
            if holds != Some(true) {
                pass = false;
                break;
            }
        }
        if !pass {
            continue;
        }
        if keyed {
            if !emit(n, 1)? {
                return Ok(false);
            }
        } else {
            total += 1;
            // The first node stands for the group. (Kept apart from the
            // row: a pattern predicate reads the slots past the node's as
            // its own, unbound.)
            first.get_or_insert(n);
        }
    }
    if !keyed
        && total > 0
        && let Some(n) = first
    {
        return emit(n, total);
    }
    Ok(true)
}

/// How many of `items` (ascending ids) pass `f`, those of the blocks
/// `skips` tells none passes in left out unchecked.
fn count_unskipped(items: &[NodeId], skips: &Skips<'_>, f: &impl Fn(NodeId) -> bool) -> u64 {
    let mut n = 0;
    let mut i = 0;
    while let Some(first) = items.get(i) {
        let b = first.index() / ZONE;
        // The items of block `b`: `i..j`.
        let j = i + items[i..].partition_point(|x| x.index() / ZONE == b);
        if !skips.skip(b) {
            n += items[i..j].iter().filter(|x| f(**x)).count() as u64;
        }
        i = j;
    }
    n
}

/// How many of `items` pass `f`, split over the cores for large inputs
/// (see [`count_blocks`]).
fn count_parallel(env: &Env<'_>, items: &[NodeId], f: impl Fn(NodeId) -> bool + Sync) -> Result<u64, QueryError> {
    count_blocks(env, items.len(), |r| items[r].iter().filter(|x| f(**x)).count() as u64)
}

/// The sum of `count` over blocks of `0..len`, split over the cores for
/// large inputs; the calling thread checks the guard (timeout, Ctrl-C)
/// between its blocks and stops the others when it fails.
pub(in crate::eval) fn count_blocks(
    env: &Env<'_>,
    len: usize,
    count: impl Fn(std::ops::Range<usize>) -> u64 + Sync,
) -> Result<u64, QueryError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    const BLOCK: usize = 1 << 14;
    let cores = env.guard.threads();
    let threads = if len < 1 << 16 { 1 } else { cores };
    let per = len.div_ceil(threads).max(1);
    let stop = AtomicBool::new(false);
    let part = |part: std::ops::Range<usize>, guard: Option<&crate::eval::Guard>| -> Result<u64, QueryError> {
        let mut n = 0;
        let mut at = part.start;
        while at < part.end {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            if let Some(g) = guard
                && let Err(e) = g.check()
            {
                stop.store(true, Ordering::Relaxed);
                return Err(e);
            }
            let to = (at + BLOCK).min(part.end);
            n += count(at..to);
            at = to;
        }
        Ok(n)
    };
    std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads)
            .map(|t| scope.spawn(move || part(t * per..((t + 1) * per).min(len), None)))
            .collect();
        let own = part(0..per.min(len), Some(env.guard));
        let mut total = own?;
        for h in others {
            total += h.join().unwrap_or(Ok(0))?;
        }
        Ok(total)
    })
}
