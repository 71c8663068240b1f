//! Counting an OPTIONAL MATCH per row as a group join: `MATCH (s:Skill)
//! OPTIONAL MATCH (s)<-[:REQUIRES]-(x:Role)-[:REPORTS_TO*]->(:Role {id:
//! $a}) WITH s, count(x) AS n` needs, for each row, only the number of
//! matches from its node `s`. Matched once with `s` left free, the clause
//! has exactly the matches of every node together (as for a decorrelated
//! `EXISTS`, see [`super::decorrelate`]), so the planner may start where it
//! is most selective (here the role looked up by id, walking its reports
//! backwards) and count the matches per node it binds at `s`; each row
//! then takes its node's count, or 0 (`Op::GroupJoin`,
//! `eval/ops/group_join.rs`). No row per match is made.
//!
//! The projection right after the clause must only count: its grouping
//! keys and other items read none of the clause's variables, and each
//! aggregate is a non-DISTINCT `count(*)` or `count(x)` of a node or
//! relationship the clause binds (never null in a match). The clause's
//! number of matches goes into one of its own slots and `count(x)`
//! becomes the sum of it; `count(*)`, which also counts the row of nulls
//! of a row without a match, the sum of another slot holding the matches
//! or 1.
//!
//! The clause must read exactly one variable of the rows before it, a
//! node, and nothing it evaluates may raise an error (its WHERE made of
//! conditions that cannot, its property maps of constants): matching with
//! the node free looks at the matches of every node, not only of the
//! rows'. A part joined by value (a hash join inside the clause) is left
//! as it is.
//!
//! Whether matching once pays is decided as for the semi-join: rows are
//! counted one by one, by matching from their node, until the work spent
//! on them would have paid for matching once (the cost model's estimate
//! of that, `SemiJoin::once_cost`). A count visits every match, so one
//! row can cost far more than the average (a popular skill): the work is
//! measured as rows are counted (see `eval/ops/group_join.rs`).

use super::decorrelate::{ROW_COST, constant_map, node_estimate};
use super::order::{and_all, clause_cost, flatten_and};
use super::pushdown::{cannot_raise, element_slots};
use crate::plan::functions::AggFunc;
use crate::plan::ops::{GroupJoinOp, MatchOp, Op, PExpr, PKind, ProjectOp, SemiJoin};
use crate::store::Graph;

/// Turns each OPTIONAL MATCH that qualifies (see the module's comment)
/// into a group join, and the projection after it into sums of the counts
/// it hands over. `next_id` numbers the table's state and the free
/// clause's patterns (unique in the statement).
pub fn choose(ops: &mut [Op], graph: &Graph, next_id: &mut dyn FnMut() -> usize) {
    for i in 0..ops.len().saturating_sub(1) {
        let (Op::Match(m), Op::Project(p)) = (&ops[i], &ops[i + 1]) else {
            continue;
        };
        let Some(node) = reads_one_node(m) else { continue };
        let Some(counted) = counted(m, p) else { continue };
        let Some(once) = once(m, node, graph, next_id) else {
            continue;
        };
        // The slots that receive the counts: the clause's own, which
        // nothing after it reads but the counts rewritten below.
        let (matches, rows) = match (m.new_slots.as_slice(), counted.rows) {
            ([a, ..], false) => (*a, None),
            ([a, b, ..], true) => (*a, Some(*b)),
            _ => continue,
        };
        let Op::Project(p) = &mut ops[i + 1] else {
            unreachable!("matched above")
        };
        for a in &mut p.aggregates {
            let slot = match a.arg {
                None => rows.unwrap_or(matches),
                Some(_) => matches,
            };
            let span = a.arg.as_ref().map(|e| e.span).unwrap_or_default();
            a.func = AggFunc::Sum;
            a.arg = Some(PExpr::new(PKind::Slot(slot), span));
        }
        let Op::Match(m) = &ops[i] else {
            unreachable!("matched above")
        };
        let m = MatchOp {
            optional: false,
            ..m.clone()
        };
        ops[i] = Op::GroupJoin(GroupJoinOp {
            m,
            node,
            once,
            matches,
            rows,
        });
    }
}

/// The one slot of the rows before it that OPTIONAL MATCH `m` reads,
/// when there is exactly one and a node of its patterns holds it; `None`
/// too when a part is joined by value, or something it evaluates could
/// raise an error.
fn reads_one_node(m: &MatchOp) -> Option<usize> {
    if !m.optional || m.patterns.iter().any(|p| p.join.is_some()) {
        return None;
    }
    let own = |s: &usize| m.new_slots.contains(s);
    let mut read = Vec::new();
    for p in &m.patterns {
        read.extend(p.nodes.iter().map(|n| n.slot));
        read.extend(p.rels.iter().map(|r| r.slot));
        for e in p.nodes.iter().filter_map(|n| n.props.as_ref()) {
            e.slots_read(&mut read).then_some(())?;
        }
        for e in p.rels.iter().filter_map(|r| r.props.as_ref()) {
            e.slots_read(&mut read).then_some(())?;
        }
    }
    let conditions = conditions(m);
    for c in &conditions {
        c.slots_read(&mut read).then_some(())?;
    }
    read.retain(|s| !own(s));
    read.sort_unstable();
    read.dedup();
    let [node] = read.as_slice() else { return None };
    let elements = element_slots(m, 0);
    let safe = conditions.iter().all(|c| cannot_raise(c, &elements))
        && m.patterns
            .iter()
            .all(|p| p.nodes.iter().all(|n| constant_map(&n.props)) && p.rels.iter().all(|r| constant_map(&r.props)));
    let is_node = m.patterns.iter().any(|p| p.nodes.iter().any(|n| n.slot == *node));
    (safe && is_node).then_some(*node)
}

/// Every WHERE condition of `m`, wherever the optimiser placed it.
fn conditions(m: &MatchOp) -> Vec<PExpr> {
    let mut out = Vec::new();
    if let Some(f) = &m.filter {
        flatten_and(f.clone(), &mut out);
    }
    out.extend(m.patterns.iter().flat_map(|p| p.filters.iter().flatten().cloned()));
    out
}

/// What the projection after `m` counts.
struct Counted {
    /// Whether it counts rows (`count(*)`).
    rows: bool,
}

fn counted(m: &MatchOp, p: &ProjectOp) -> Option<Counted> {
    if p.aggregates.is_empty() || p.keep_input || p.sort_sees_input {
        return None;
    }
    let elements: Vec<usize> = element_slots(m, 0)
        .into_iter()
        .filter(|s| m.new_slots.contains(s))
        .collect();
    let mut rows = false;
    for a in &p.aggregates {
        if a.func != AggFunc::Count || a.distinct || a.percentile.is_some() {
            return None;
        }
        match &a.arg {
            None => rows = true,
            Some(PExpr {
                kind: PKind::Slot(s), ..
            }) if elements.contains(s) => {}
            Some(_) => return None,
        }
    }
    let mut read = Vec::new();
    if !p.items.iter().all(|e| e.slots_read(&mut read)) || read.iter().any(|s| m.new_slots.contains(s)) {
        return None;
    }
    Some(Counted { rows })
}

/// `m` planned to be matched once with `node` free, with the costs that
/// decide when that pays.
fn once(m: &MatchOp, node: usize, graph: &Graph, next_id: &mut dyn FnMut() -> usize) -> Option<SemiJoin> {
    let before = *m.new_slots.first()?;
    let conditions = conditions(m);
    // The patterns as bound: the optimiser's choices for one row undone.
    let patterns: Vec<_> = m
        .patterns
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p.filters.clear();
            p.seek = None;
            p.top = None;
            p.want = None;
            p.start = 0;
            p.id = next_id();
            p
        })
        .collect();
    let once_cost = clause_cost(&patterns, &conditions, 0, m.width, graph);
    let row_cost = clause_cost(&patterns, &conditions, before, m.width, graph) + ROW_COST;
    let mut free = MatchOp {
        optional: false,
        patterns,
        filter: and_all(conditions.clone()),
        new_slots: (0..m.width).collect(),
        width: m.width,
    };
    super::match_clause(&mut free, 0, graph);
    let estimate = node_estimate(&free, &conditions, node, graph);
    let mut ops = vec![Op::Match(free)];
    super::filter_op::split_where(&mut ops);
    Some(SemiJoin {
        ops,
        id: next_id(),
        once_cost,
        row_cost,
        estimate,
    })
}
