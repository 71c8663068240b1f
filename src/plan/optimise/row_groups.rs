//! Groups of one row: an aggregating WITH whose grouping keys include
//! variables no two of its input rows share makes one group per input
//! row, so a table of groups only costs (a lookup per row, then a pass
//! over the groups). Such a WITH becomes `Op::RowGroups`, which projects
//! each row as it comes (its aggregates over that row alone) and streams
//! it on (`eval/ops/row_groups.rs`): the operators after it read the rows
//! before it directly, and a parallel section can run through it.
//!
//! Which variables tell the rows apart is followed through the operators
//! of a single query, as sets of slots whose values no two rows share
//! (equal as grouping sees them):
//!
//! - the one empty row a query starts from: the empty set (one row);
//! - matches counted per node (`Op::CountPerNode`, one row per node of
//!   its grouping end): that node;
//! - a first MATCH of a single node, not optional: that node;
//! - an aggregating projection: its grouping keys (as the slots of the
//!   projected row they take); a DISTINCT one: all its items; another
//!   projection: the sets it projects unchanged (`WITH r, ...`);
//! - an operator that keeps at most one row per input row (a filter, an
//!   anti-join, a group join): what its input had;
//! - anything else (a MATCH, UNWIND, the other counting strategies, which
//!   may hand over a node more than once): nothing.
//!
//! The WITH must have no ORDER BY, SKIP, LIMIT or DISTINCT (it would need
//! all its rows first), and the projection its rows reach next must not
//! stop early (LIMIT without ORDER BY): streamed, the groups after that
//! LIMIT would go unevaluated, and a grouping evaluates them all (an
//! error among them is the statement's).

use crate::plan::ops::{CountPerNodeOp, Op, PKind, ProjectOp};

/// Turns each aggregating WITH whose input rows are groups of their own
/// into `Op::RowGroups`.
pub fn choose(ops: &mut [Op]) {
    let mut apart: Vec<Vec<usize>> = vec![vec![]];
    let mut chosen = Vec::new();
    // The part's last projection (RETURN) gives the statement's rows.
    let last = ops.len().saturating_sub(1);
    let mut first = true;
    for (i, op) in ops.iter().enumerate() {
        if let Op::Project(p) = op
            && i < last
            && one_row_each(p, &apart)
        {
            chosen.push(i);
        }
        apart = after(op, apart, first);
        first &= matches!(op, Op::Parallel);
    }
    for i in chosen.into_iter().rev() {
        if !reaches_an_early_stop(ops, i)
            && let Op::Project(p) = &ops[i]
        {
            ops[i] = Op::RowGroups(p.clone());
        }
    }
}

/// Whether each group of `p` holds one input row: it aggregates, and one
/// of the sets of slots telling its input rows apart is among its keys.
fn one_row_each(p: &ProjectOp, apart: &[Vec<usize>]) -> bool {
    if p.aggregates.is_empty()
        || p.distinct
        || !p.order_by.is_empty()
        || p.skip.is_some()
        || p.limit.is_some()
        || !p.group_sort.is_empty()
    {
        return false;
    }
    let keys: Vec<usize> = key_slots(p).map(|(_, s)| s).collect();
    apart.iter().any(|set| set.iter().all(|s| keys.contains(s)))
}

/// The grouping keys of `p` that are a slot of its input as they are:
/// each with its position in the projected row.
fn key_slots(p: &ProjectOp) -> impl Iterator<Item = (usize, usize)> + '_ {
    p.items
        .iter()
        .zip(&p.is_key)
        .enumerate()
        .filter_map(|(i, (item, key))| match item.kind {
            PKind::Slot(s) if *key => Some((i, s)),
            _ => None,
        })
}

/// The sets of slots telling apart the rows `op` makes, from those of its
/// input (`first`: the input is the one empty row a query starts from).
fn after(op: &Op, apart: Vec<Vec<usize>>, first: bool) -> Vec<Vec<usize>> {
    match op {
        Op::CountPerNode(CountPerNodeOp { m, counted }) if first => m
            .patterns
            .first()
            .map(|p| vec![vec![p.nodes[counted.group_node].slot]])
            .unwrap_or_default(),
        Op::Match(m)
            if first
                && !m.optional
                && m.patterns.len() == 1
                && m.patterns[0].rels.is_empty()
                && m.patterns[0].join.is_none() =>
        {
            vec![vec![m.patterns[0].nodes[0].slot]]
        }
        Op::Filter(_) | Op::AntiJoin(_) | Op::GroupJoin(_) | Op::Parallel => apart,
        Op::Project(p) | Op::RowGroups(p) if !p.aggregates.is_empty() => {
            // The keys as the projected row has them (a key that is not a
            // plain slot still tells groups apart: it is one of the keys).
            let keys = p.is_key.iter().enumerate().filter(|(_, k)| **k).map(|(i, _)| i);
            vec![keys.collect()]
        }
        Op::Project(p) | Op::RowGroups(p) => {
            let mut out: Vec<Vec<usize>> = Vec::new();
            if p.distinct {
                out.push((0..p.items.len()).collect());
            }
            // A set every slot of which the projection passes on as it is.
            let position = |s: usize| p.items.iter().position(|x| matches!(x.kind, PKind::Slot(t) if t == s));
            out.extend(
                apart
                    .iter()
                    .filter_map(|set| set.iter().map(|s| position(*s)).collect::<Option<Vec<usize>>>()),
            );
            out
        }
        _ => Vec::new(),
    }
}

/// Whether the rows of projection `i`, streamed, would reach a projection
/// that stops taking rows early (LIMIT without ORDER BY or aggregates)
/// before any operator that takes them all.
fn reaches_an_early_stop(ops: &[Op], i: usize) -> bool {
    // Later projections were chosen first (`choose` goes backwards): one
    // that streams passes the rows on to the next.
    for op in &ops[i + 1..] {
        match op {
            Op::Project(p) => return p.aggregates.is_empty() && p.order_by.is_empty() && p.limit.is_some(),
            Op::Create(_) | Op::Update(_) => return false,
            _ => {}
        }
    }
    false
}
