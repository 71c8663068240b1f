//! Join ordering: the order in which a MATCH clause's pattern parts are
//! matched, where each part starts, and how each joins the parts before it.
//!
//! Every order of up to [`EXHAUSTIVE`] parts is costed (beyond that, the
//! cheapest next part is taken each time). Given the slots bound so far, a
//! part that shares a variable with them expands from it (both ends bound:
//! the hop only checks adjacency); a part that shares none but is tied to
//! them by a WHERE equality `x = y` (each side reading only one side's
//! variables) becomes a hash join, built once from the part's own matches;
//! any other part is matched again for each row (a cross product). Within
//! a part, the start is the node from which matching costs least. Costs
//! come from [`super::cost`]; ties keep the order as written and the
//! former preference (a bound node, an `id` lookup, a label, any node).

use super::cost::Estimator;
use crate::plan::ops::{HashJoin, MatchOp, PExpr, PKind, PatternPlan};
use crate::store::Graph;
use crate::syntax::ast::BinaryOp;

/// Parts up to which every order is tried.
const EXHAUSTIVE: usize = 6;
/// A hash table's build costs this much per row, against one per row
/// scanned or probed: so the smaller side builds.
const BUILD_FACTOR: f64 = 3.0;

/// The plan chosen for one part, given the parts before it.
#[derive(Debug, Clone)]
struct Choice {
    start: usize,
    /// Index of the WHERE condition the part joins on.
    join: Option<(usize, JoinSides)>,
}

#[derive(Debug, Clone, Copy)]
struct JoinSides {
    /// Whether the condition's left side is the probe (rows so far).
    probe_is_left: bool,
}

pub fn order(m: &mut MatchOp, before: usize, graph: &Graph) {
    let mut conditions = Vec::new();
    if let Some(f) = m.filter.take() {
        flatten_and(f, &mut conditions);
    }
    let est = Estimator::new(graph, &conditions, &m.patterns, before);
    let width = m.width;
    let n = m.patterns.len();
    let best = if n <= EXHAUSTIVE {
        let mut best: Option<(f64, Vec<usize>, Vec<Choice>)> = None;
        permutations(n, &mut |perm| {
            let (cost, choices) = cost_of(&m.patterns, perm, before, width, &est, &conditions);
            if best.as_ref().is_none_or(|(c, _, _)| cost < *c * (1.0 - 1e-9)) {
                best = Some((cost, perm.to_vec(), choices));
            }
        });
        match best {
            Some((cost, p, c)) if cost.is_finite() => Some((p, c)),
            // No order binds what every part's properties read first.
            _ => Some(greedy(&m.patterns, before, width, &est, &conditions)),
        }
    } else {
        Some(greedy(&m.patterns, before, width, &est, &conditions))
    };
    let Some((perm, choices)) = best else {
        m.filter = and_all(conditions);
        return;
    };
    let mut taken: Vec<Option<PatternPlan>> = std::mem::take(&mut m.patterns).into_iter().map(Some).collect();
    let mut used_conditions = Vec::new();
    for (i, choice) in perm.iter().zip(&choices) {
        let mut p = taken[*i].take().expect("each part once");
        p.start = choice.start;
        if let Some((ci, sides)) = choice.join
            && let PKind::Binary(_, l, r) = &conditions[ci].kind
        {
            let (probe, build) = if sides.probe_is_left { (l, r) } else { (r, l) };
            p.join = Some(HashJoin {
                probe: (**probe).clone(),
                build: (**build).clone(),
                after: Vec::new(),
            });
            used_conditions.push(ci);
        }
        m.patterns.push(p);
    }
    let rest = conditions
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !used_conditions.contains(i))
        .map(|(_, c)| c)
        .collect();
    m.filter = and_all(rest);
}

/// The estimated cost of matching `patterns` once from a row whose slots
/// below `before` are bound, in the order [`order`] would choose (the
/// patterns as bound, before `order` has run; `conditions` the WHERE split
/// at its top-level ANDs).
pub fn clause_cost(patterns: &[PatternPlan], conditions: &[PExpr], before: usize, width: usize, graph: &Graph) -> f64 {
    let est = Estimator::new(graph, conditions, patterns, before);
    let n = patterns.len();
    if n <= EXHAUSTIVE {
        let mut best = f64::INFINITY;
        permutations(n, &mut |perm| {
            best = best.min(cost_of(patterns, perm, before, width, &est, conditions).0);
        });
        if best.is_finite() {
            return best;
        }
    }
    let (perm, _) = greedy(patterns, before, width, &est, conditions);
    cost_of(patterns, &perm, before, width, &est, conditions).0
}

/// The cost of matching the parts in order `perm`, and each one's plan.
fn cost_of(
    parts: &[PatternPlan],
    perm: &[usize],
    before: usize,
    width: usize,
    est: &Estimator<'_>,
    conditions: &[PExpr],
) -> (f64, Vec<Choice>) {
    let mut bound = vec![false; width.max(before)];
    bound[..before].iter_mut().for_each(|b| *b = true);
    let mut rows = 1.0;
    let mut total = 0.0;
    let mut choices = Vec::with_capacity(perm.len());
    for &i in perm {
        if !ready(&parts[i], &bound, before) {
            return (f64::INFINITY, choices);
        }
        let (cost, out, choice) = next_part(parts, i, &bound, before, rows, est, conditions, &choices);
        total += cost;
        rows = out;
        choices.push(choice);
        bind(&parts[i], &mut bound);
    }
    (total, choices)
}

/// Greedy order for many parts: the cheapest next part each time.
fn greedy(
    parts: &[PatternPlan],
    before: usize,
    width: usize,
    est: &Estimator<'_>,
    conditions: &[PExpr],
) -> (Vec<usize>, Vec<Choice>) {
    let mut bound = vec![false; width.max(before)];
    bound[..before].iter_mut().for_each(|b| *b = true);
    let mut rows = 1.0;
    let mut perm = Vec::new();
    let mut choices: Vec<Choice> = Vec::new();
    while perm.len() < parts.len() {
        let mut best: Option<(f64, f64, usize, Choice)> = None;
        let any_ready = parts
            .iter()
            .enumerate()
            .any(|(i, p)| !perm.contains(&i) && ready(p, &bound, before));
        for (i, p) in parts.iter().enumerate() {
            if perm.contains(&i) || (any_ready && !ready(p, &bound, before)) {
                continue;
            }
            let (cost, out, choice) = next_part(parts, i, &bound, before, rows, est, conditions, &choices);
            if best.as_ref().is_none_or(|(c, ..)| cost < *c * (1.0 - 1e-9)) {
                best = Some((cost, out, i, choice));
            }
        }
        let (_, out, i, choice) = best.expect("a part is left");
        rows = out;
        perm.push(i);
        choices.push(choice);
        bind(&parts[i], &mut bound);
    }
    (perm, choices)
}

/// The cost and output rows of matching `p` after `rows` rows whose bound
/// slots are `bound`, and how.
#[allow(clippy::too_many_arguments)]
fn next_part(
    parts: &[PatternPlan],
    i: usize,
    bound: &[bool],
    before: usize,
    rows: f64,
    est: &Estimator<'_>,
    conditions: &[PExpr],
    earlier: &[Choice],
) -> (f64, f64, Choice) {
    let p = &parts[i];
    let (start, part_cost, part_rows) = best_start(p, bound, est);
    let slots = part_slots(p);
    let shares = slots
        .iter()
        .any(|s| *s >= before && bound.get(*s).copied().unwrap_or(false));
    // A part whose properties read other parts' variables is matched per
    // row, after them: its own matches depend on the row.
    if !shares && needs(p, before).is_empty() && bound[before..].iter().any(|b| *b) {
        let taken: Vec<usize> = earlier.iter().filter_map(|c| c.join.map(|(ci, _)| ci)).collect();
        if let Some((ci, sides)) = join_condition(conditions, &taken, &slots, bound, before) {
            // Built once from the part's own matches (starting afresh:
            // nothing of the rows so far is bound in it), probed per row.
            let unbound: Vec<bool> = (0..bound.len()).map(|s| s < before).collect();
            let (start, build_cost, build_rows) = best_start(p, &unbound, est);
            let out = match &conditions[ci].kind {
                PKind::Binary(_, l, r) if sides.probe_is_left => est.join_rows(rows, build_rows, l, r, parts),
                PKind::Binary(_, l, r) => est.join_rows(rows, build_rows, r, l, parts),
                _ => rows * build_rows / rows.max(build_rows).max(1.0),
            };
            let cost = BUILD_FACTOR * build_cost + rows + out;
            return (
                cost,
                out,
                Choice {
                    start,
                    join: Some((ci, sides)),
                },
            );
        }
    }
    (rows * part_cost, rows * part_rows, Choice { start, join: None })
}

/// The cheapest start of `p`: (node index, cost, rows). Ties go to a
/// bound node, then an `id` lookup, a label, any node; then the first.
fn best_start(p: &PatternPlan, bound: &[bool], est: &Estimator<'_>) -> (usize, f64, f64) {
    let mut best: Option<(usize, f64, f64, u8)> = None;
    for (i, n) in p.nodes.iter().enumerate() {
        let (cost, rows) = est.part(p, i, bound);
        let class = if bound.get(n.slot).copied().unwrap_or(false) {
            0
        } else if super::lookup::has_id(n) {
            1
        } else if !n.labels.is_empty() {
            2
        } else {
            3
        };
        let better = match &best {
            None => true,
            Some((_, c, _, k)) => cost < *c * (1.0 - 1e-9) || (cost <= *c * (1.0 + 1e-9) && class < *k),
        };
        if better {
            best = Some((i, cost, rows, class));
        }
    }
    let (i, c, r, _) = best.expect("a pattern has a node");
    (i, c, r)
}

/// A WHERE condition `x = y` (not yet used for a join) where one side
/// reads only `slots` and slots bound before the clause (and at least one
/// of `slots`), the other only slots bound so far (and at least one bound
/// by an earlier part of the clause).
fn join_condition(
    conditions: &[PExpr],
    taken: &[usize],
    slots: &[usize],
    bound: &[bool],
    before: usize,
) -> Option<(usize, JoinSides)> {
    let side = |e: &PExpr| -> Option<Vec<usize>> {
        let mut used = Vec::new();
        e.slots_read(&mut used).then_some(used)
    };
    let own =
        |used: &[usize]| used.iter().all(|s| *s < before || slots.contains(s)) && used.iter().any(|s| *s >= before);
    let rows_so_far = |used: &[usize]| {
        used.iter().all(|s| bound.get(*s).copied().unwrap_or(false)) && used.iter().any(|s| *s >= before)
    };
    for (ci, c) in conditions.iter().enumerate() {
        if taken.contains(&ci) {
            continue;
        }
        let PKind::Binary(BinaryOp::Eq, l, r) = &c.kind else {
            continue;
        };
        let (Some(lu), Some(ru)) = (side(l), side(r)) else {
            continue;
        };
        if own(&ru) && rows_so_far(&lu) {
            return Some((ci, JoinSides { probe_is_left: true }));
        }
        if own(&lu) && rows_so_far(&ru) {
            return Some((ci, JoinSides { probe_is_left: false }));
        }
    }
    None
}

/// The variables of other parts of the clause that `p`'s node and
/// relationship properties read (they must be bound before `p` is matched).
pub fn needs(p: &PatternPlan, before: usize) -> Vec<usize> {
    let own = part_slots(p);
    let mut read = Vec::new();
    let props = p.nodes.iter().filter_map(|n| n.props.as_ref());
    for e in props.chain(p.rels.iter().filter_map(|r| r.props.as_ref())) {
        e.slots_read(&mut read);
    }
    read.retain(|s| *s >= before && !own.contains(s));
    read.sort_unstable();
    read.dedup();
    read
}

/// Whether every variable `p`'s properties read from other parts is bound.
fn ready(p: &PatternPlan, bound: &[bool], before: usize) -> bool {
    needs(p, before).iter().all(|s| bound.get(*s).copied().unwrap_or(false))
}

/// The slots a part binds: its nodes, relationships and path.
pub fn part_slots(p: &PatternPlan) -> Vec<usize> {
    let mut out: Vec<usize> = p.nodes.iter().map(|n| n.slot).collect();
    out.extend(p.rels.iter().map(|r| r.slot));
    out.extend(p.path_slot);
    out.sort_unstable();
    out.dedup();
    out
}

fn bind(p: &PatternPlan, bound: &mut Vec<bool>) {
    for s in part_slots(p) {
        if bound.len() <= s {
            bound.resize(s + 1, false);
        }
        bound[s] = true;
    }
}

/// Calls `f` with every permutation of `0..n`, in lexicographic order
/// (the order as written first).
fn permutations(n: usize, f: &mut dyn FnMut(&[usize])) {
    fn rec(prefix: &mut Vec<usize>, n: usize, f: &mut dyn FnMut(&[usize])) {
        if prefix.len() == n {
            f(prefix);
            return;
        }
        for i in 0..n {
            if !prefix.contains(&i) {
                prefix.push(i);
                rec(prefix, n, f);
                prefix.pop();
            }
        }
    }
    rec(&mut Vec::with_capacity(n), n, f);
}

/// The conditions of `a AND b AND ...`, left to right.
pub fn flatten_and(e: PExpr, out: &mut Vec<PExpr>) {
    match e.kind {
        PKind::Binary(BinaryOp::And, l, r) => {
            flatten_and(*l, out);
            flatten_and(*r, out);
        }
        kind => out.push(PExpr::new(kind, e.span)),
    }
}

/// `a AND b AND ...` of `conditions` (none: no condition).
pub fn and_all(conditions: Vec<PExpr>) -> Option<PExpr> {
    conditions.into_iter().reduce(|l, r| {
        let span = l.span;
        PExpr::new(PKind::Binary(BinaryOp::And, Box::new(l), Box::new(r)), span)
    })
}
