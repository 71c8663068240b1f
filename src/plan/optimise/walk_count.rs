//! Counting walks: a first MATCH of one part, `(a)-[:T*min..max]->(b)`
//! (one directed variable-length hop between two different nodes),
//! followed by a projection that only counts its matches, grouped by `a`,
//! `b` or the walk's length (`length(p)`, `length(r)`, `size(r)`), is
//! counted without a row per path (`Op::WalkCount`, run by
//! `eval/ops/walk_count.rs`).
//!
//! Why the count of walks is the count of Cypher's matches: a match of a
//! variable-length hop is a trail (no relationship twice). When the
//! relationships of the hop's types form no directed cycle, no walk
//! along them, followed one way, can come back to a node, so none uses a
//! relationship twice: every walk is a trail, and the matches from a node
//! are its walks whose length is within the bounds and whose end passes
//! the far end's checks (the nodes in between have none to pass). The
//! store says whether the types are acyclic (`Graph::types_acyclic`, kept
//! current through every change); the operator asks when it runs, and
//! with a cycle the clause is matched row by row as planned.
//!
//! Walks are counted from one end, the root: the end whose node the rows
//! bind when only one is, else the one looked up by `id`, else the one
//! with fewer estimated start rows. When nothing reads the far end or the
//! length and the root is scanned, a node's walks are the sum of its
//! neighbours' (one step shorter), found once per node and kept for every
//! root that reaches it (`memo`); otherwise each root's walks are followed
//! level by level, each level a set of nodes with the number of walks
//! that end there.
//!
//! Conditions each read one end or none (and cannot raise an error, so
//! checking them per node rather than per path changes nothing); the
//! ends' property maps are constants or parameters.

use super::cost::Estimator;
use crate::plan::functions::Func;
use crate::plan::ops::{MatchOp, NodeStep, Op, PExpr, PKind, ProjectOp, TreeNode, WalkCountOp};
use crate::store::{Direction, Graph};
use crate::value::Value;

/// The highest upper bound counted by memoised sums: each node keeps one
/// count per length up to it.
pub const MEMO_MAX: u64 = 32;

/// Replaces the first MATCH by [`Op::WalkCount`] when it qualifies.
pub fn choose(ops: &mut [Op], graph: &Graph) {
    let [Op::Match(m), Op::Project(p), ..] = &*ops else {
        return;
    };
    let Some((op, project)) = plan(m, p, graph) else {
        return;
    };
    ops[0] = Op::WalkCount(op);
    ops[1] = Op::Project(project);
}

fn plan(m: &MatchOp, p: &ProjectOp, graph: &Graph) -> Option<(WalkCountOp, ProjectOp)> {
    let [q] = m.patterns.as_slice() else {
        return None;
    };
    if m.optional || q.join.is_some() {
        return None;
    }
    let ([n0, n1], [r]) = (q.nodes.as_slice(), q.rels.as_slice()) else {
        return None;
    };
    let (min, max) = r.var_len?;
    if r.props.is_some() || r.direction == Direction::Both || n0.slot == n1.slot || max.is_some_and(|x| x < min) {
        return None;
    }
    let mut ends = [end(n0, 0)?, end(n1, 1)?];
    // Conditions: each reads one end, or nothing.
    let mut constant = Vec::new();
    let mut conditions: Vec<&PExpr> = q.filters.iter().flatten().collect();
    conditions.extend(m.filter.as_ref());
    for (c, read) in super::pushdown::conjuncts(conditions)? {
        match read.as_slice() {
            [] if super::pushdown::cannot_raise(c, &[]) => constant.push(c.clone()),
            [s] if super::pushdown::cannot_raise(c, &[*s]) => {
                let e = ends.iter_mut().find(|e| e.slot == *s)?;
                e.conditions.push(c.clone());
            }
            _ => return None,
        }
    }
    // The projection: counts only, reading the ends and the walk only
    // through its length.
    let walk: Vec<usize> = q.path_slot.into_iter().chain([r.slot]).collect();
    let mut never_null = vec![n0.slot, n1.slot];
    never_null.extend(&walk);
    if !crate::plan::rewrite::weighted_counts(p, &never_null) {
        return None;
    }
    let mut probe = p.clone();
    let mut lengths = Vec::new();
    lengths_to(&mut probe, q.path_slot, r.slot, &mut |s| {
        lengths.push(s);
        PKind::Const(Value::Null)
    })?;
    let used = crate::plan::rewrite::projection_reads(&probe)?;
    if used.iter().any(|s| walk.contains(s)) || used.iter().any(|s| *s != n0.slot && *s != n1.slot) {
        return None;
    }
    let length_slot = lengths.first().copied();
    let mut project = p.clone();
    if let Some(slot) = length_slot {
        lengths_to(&mut project, q.path_slot, r.slot, &mut |_| PKind::Slot(slot))?;
    }
    let binds = |s: usize| used.contains(&s);
    // The root.
    let looked_up = |n: &NodeStep| super::lookup::has_id(n);
    let root = match (binds(n0.slot), binds(n1.slot), looked_up(n0), looked_up(n1)) {
        (_, _, true, false) => 0,
        (_, _, false, true) => 1,
        (true, false, _, _) => 0,
        (false, true, _, _) => 1,
        _ => {
            let conditions: Vec<PExpr> = ends.iter().flat_map(|e| e.conditions.iter().cloned()).collect();
            let est = Estimator::new(graph, &conditions, &m.patterns, 0);
            usize::from(est.start_rows(n1) < est.start_rows(n0))
        }
    };
    let [e0, e1] = ends;
    let (root_end, far_end) = if root == 0 { (e0, e1) } else { (e1, e0) };
    let direction = if root == 0 {
        r.direction
    } else {
        super::cost::flip_dir(r.direction)
    };
    let (bind_root, bind_far) = (binds(root_end.slot), binds(far_end.slot));
    // Memoised sums pay when many roots share the nodes they reach; from
    // a root looked up by id, levels visit only what is within the bounds.
    let memo = !bind_far
        && length_slot.is_none()
        && max.is_none_or(|x| x <= MEMO_MAX)
        && !looked_up(if root == 0 { n0 } else { n1 });
    let mut types = r.types.clone();
    types.sort_unstable();
    types.dedup();
    Some((
        WalkCountOp {
            m: m.clone(),
            root: root_end,
            far: far_end,
            types,
            direction,
            min,
            max,
            bind_root,
            bind_far,
            length_slot,
            constant,
            memo,
        },
        project,
    ))
}

/// An end of the hop with what the pattern asks of it, when its property
/// map reads no variable.
fn end(n: &NodeStep, at: usize) -> Option<TreeNode> {
    let mut props = Vec::new();
    if let Some(map) = &n.props {
        let mut read = Vec::new();
        if !map.slots_read(&mut read) || !read.is_empty() {
            return None;
        }
        props.push(map.clone());
    }
    Some(TreeNode {
        slot: n.slot,
        labels: n.labels.clone(),
        props,
        conditions: Vec::new(),
        not_equal: Vec::new(),
        at: (0, at),
    })
}

/// Replaces each `length(p)`, `length(r)` and `size(r)` in the
/// projection's items and aggregate arguments by `to(slot read)`; `None`
/// when an expression holds a construct this does not look into.
fn lengths_to(p: &mut ProjectOp, path: Option<usize>, rel: usize, to: &mut dyn FnMut(usize) -> PKind) -> Option<()> {
    let mut each = |e: &mut PExpr| -> Option<()> {
        rewrite(e, &mut |x| {
            let PKind::Call(f, args) = &x.kind else {
                return false;
            };
            let [
                PExpr {
                    kind: PKind::Slot(s), ..
                },
            ] = args.as_slice()
            else {
                return false;
            };
            let s = *s;
            let fits = match f {
                Func::Length => Some(s) == path || s == rel,
                Func::Size => s == rel,
                _ => false,
            };
            if fits {
                x.kind = to(s);
            }
            fits
        })
    };
    for e in &mut p.items {
        each(e)?;
    }
    for a in &mut p.aggregates {
        if let Some(e) = &mut a.arg {
            each(e)?;
        }
    }
    Some(())
}

/// Applies `f` to `e` and, where it returns false, to its sub-expressions;
/// `None` at a construct that binds slots of its own.
fn rewrite(e: &mut PExpr, f: &mut dyn FnMut(&mut PExpr) -> bool) -> Option<()> {
    if f(e) {
        return Some(());
    }
    match &mut e.kind {
        PKind::Const(_) | PKind::Slot(_) | PKind::Agg(_) => Some(()),
        PKind::Prop(b, _)
        | PKind::HasLabels(b, _)
        | PKind::Not(b)
        | PKind::Neg(b)
        | PKind::IsNull(b, _)
        | PKind::RegexConst(b, _) => rewrite(b, f),
        PKind::Index(a, b) | PKind::Binary(_, a, b) => {
            rewrite(a, f)?;
            rewrite(b, f)
        }
        PKind::Slice(a, b, c) => {
            rewrite(a, f)?;
            if let Some(b) = b {
                rewrite(b, f)?;
            }
            if let Some(c) = c {
                rewrite(c, f)?;
            }
            Some(())
        }
        PKind::List(items) | PKind::Call(_, items) => items.iter_mut().try_for_each(|x| rewrite(x, f)),
        PKind::Map(entries) => entries.iter_mut().try_for_each(|(_, v)| rewrite(v, f)),
        PKind::Case { operand, whens, else_ } => {
            if let Some(o) = operand {
                rewrite(o, f)?;
            }
            for (w, t) in whens {
                rewrite(w, f)?;
                rewrite(t, f)?;
            }
            if let Some(x) = else_ {
                rewrite(x, f)?;
            }
            Some(())
        }
        PKind::ListComp { .. }
        | PKind::Quantified { .. }
        | PKind::PatternExists(_)
        | PKind::PatternComp { .. }
        | PKind::Exists(_) => None,
    }
}
