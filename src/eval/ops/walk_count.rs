//! Counting walks (`Op::WalkCount`, planned by
//! `plan/optimise/walk_count.rs`): the matches of one variable-length hop
//! counted as walks along types with no directed cycle, one weighted row
//! per group instead of one row per path.
//!
//! Memoised (`memo`): a node's walks of each length up to the bounds are
//! the sums of its neighbours' one step shorter; each node reached is
//! summed once, after its neighbours (depth first, on an explicit stack),
//! and kept for every later root. Level by level otherwise: from each
//! root, the nodes one more step away with the number of walks that end
//! at each, until the upper bound or no node is left.

use crate::error::QueryError;
use crate::eval::expr::{Env, eval, truth};
use crate::eval::fixed_props::FixedProps;
use crate::eval::nodefilter::NodeFilter;
use crate::eval::ops::id_lookup;
use crate::eval::ops::label_scan::scan;
use crate::eval::pipeline::WeightedSink;
use crate::plan::ops::{NodeStep, PExpr, TreeNode, WalkCountOp};
use crate::store::{Direction, Graph, LabelTest, NodeId, NodeMap, Sym};
use crate::value::Value;

/// Counts `op`'s matches into `sink`. `None` when the hop's types have a
/// directed cycle in this graph: the caller then matches the clause row by
/// row.
pub(in crate::eval) fn count(
    op: &WalkCountOp,
    env: &Env<'_>,
    sink: &mut WeightedSink<'_>,
) -> Result<Option<bool>, QueryError> {
    let g = env.graph;
    let types: Vec<Sym> = op.types.iter().filter_map(|t| g.sym(t)).collect();
    if types.is_empty() && !op.types.is_empty() {
        // No relationship of any of the types: only `*0..` matches,
        // which the row-by-row plan finds as cheaply.
        return Ok(if op.min == 0 { None } else { Some(true) });
    }
    if !g.types_acyclic(&types) {
        return Ok(None);
    }
    let width = op.m.width;
    let mut row = vec![Value::Null; width];
    for c in &op.constant {
        if truth(eval(c, env, &row)?, c.span)? != Some(true) {
            return Ok(Some(true));
        }
    }
    let (Some(mut root), Some(mut far)) = (End::new(env, &op.root, width), End::new(env, &op.far, width)) else {
        // A label the graph does not have: no match.
        return Ok(Some(true));
    };
    let step = NodeStep {
        slot: op.root.slot,
        labels: op.root.labels.clone(),
        props: op.root.props.first().cloned(),
    };
    let (candidates, check_labels) = match id_lookup::lookup(env, &step, &row)? {
        Some(found) => (std::borrow::Cow::Owned(found), true),
        None => (scan(g, &op.root.labels), op.root.labels.len() > 1),
    };
    let walks = Walks {
        g,
        types: match types.as_slice() {
            [] => vec![None],
            ts => ts.iter().copied().map(Some).collect(),
        },
        dir: op.direction,
    };
    // Ungrouped, the rows all look alike: their matches are added up here
    // and handed over as one.
    let grouped = op.bind_root || op.bind_far || op.length_slot.is_some();
    let mut total = 0u64;
    let mut add = |_: &[Value], n: u64| -> Result<bool, QueryError> {
        total = total.saturating_add(n);
        Ok(true)
    };
    let out: &mut WeightedSink<'_> = if grouped { sink } else { &mut add };
    let go_on = if op.memo {
        memoised(
            op,
            env,
            &walks,
            &candidates,
            check_labels,
            &mut root,
            &mut far,
            &mut row,
            out,
        )?
    } else {
        by_levels(
            op,
            env,
            &walks,
            &candidates,
            check_labels,
            &mut root,
            &mut far,
            &mut row,
            out,
        )?
    };
    if !grouped && total > 0 {
        return sink(&row, total).map(Some);
    }
    Ok(Some(go_on))
}

/// The hop's relationships from a node, one way.
struct Walks<'g> {
    g: &'g Graph,
    /// `None`: any type.
    types: Vec<Option<Sym>>,
    dir: Direction,
}

impl Walks<'_> {
    fn each(&self, v: NodeId, mut f: impl FnMut(NodeId)) {
        for &t in &self.types {
            self.g.for_each_neighbour_sym(v, self.dir, t, |a| f(a.other));
        }
    }
}

/// One end's checks, resolved for this execution.
struct End<'a> {
    node: &'a TreeNode,
    labels: Option<LabelTest>,
    props: FixedProps<'a>,
    conditions: Vec<(Option<NodeFilter>, &'a PExpr)>,
    scratch: Vec<Value>,
}

impl<'a> End<'a> {
    fn new(env: &Env<'_>, node: &'a TreeNode, width: usize) -> Option<End<'a>> {
        let g = env.graph;
        let syms: Vec<Sym> = node.labels.iter().map(|l| g.sym(l)).collect::<Option<_>>()?;
        Some(End {
            node,
            labels: (!syms.is_empty()).then(|| g.label_test(&syms)),
            props: FixedProps::new(&node.props),
            conditions: node.conditions.iter().map(|c| (NodeFilter::compile(g, c), c)).collect(),
            scratch: vec![Value::Null; width],
        })
    }

    /// Whether `v` passes the end's checks (its labels only when `labels`).
    fn holds(&mut self, env: &Env<'_>, v: NodeId, labels: bool) -> Result<bool, QueryError> {
        let g = env.graph;
        if labels && self.labels.as_ref().is_some_and(|l| !l.holds(g, v)) {
            return Ok(false);
        }
        if !self.props.hold(env, &self.scratch, v)? {
            return Ok(false);
        }
        for (compiled, c) in &self.conditions {
            let kept = match compiled.as_ref().map(|f| f.holds(g, v)) {
                Some(kept) => kept,
                None => {
                    self.scratch[self.node.slot] = Value::Node(v);
                    let kept = truth(eval(c, env, &self.scratch)?, c.span)?;
                    self.scratch[self.node.slot] = Value::Null;
                    kept
                }
            };
            if kept != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Per root, the walks within the bounds ending at a node that passes the
/// far end's checks, from counts kept per node and length: entry `j` of a
/// node's counts is its walks of length `j`, except with no upper bound
/// the last, `min`, which is its walks of length `min` or more.
#[allow(clippy::too_many_arguments)]
fn memoised(
    op: &WalkCountOp,
    env: &Env<'_>,
    walks: &Walks<'_>,
    candidates: &[NodeId],
    check_labels: bool,
    root: &mut End<'_>,
    far: &mut End<'_>,
    row: &mut [Value],
    out: &mut WeightedSink<'_>,
) -> Result<bool, QueryError> {
    let min = op.min as usize;
    let width = match op.max {
        None => min + 1,
        Some(max) => max as usize + 1,
    };
    let mut at: NodeMap<u32> = env.graph.node_map(u32::MAX);
    let mut table: Vec<u64> = Vec::new();
    let mut stack: Vec<(NodeId, bool)> = Vec::new();
    let mut next: Vec<NodeId> = Vec::new();
    let mut counts = vec![0u64; width];
    // Per node, where its counts are in `table`, or [`OPEN`] while it is
    // on the stack, or `u32::MAX` before.
    const OPEN: u32 = u32::MAX - 1;
    let done = |at: &NodeMap<u32>, n: NodeId| at.get(n).is_none_or(|&i| i != u32::MAX);
    for &v in candidates {
        env.guard.tick()?;
        if !root.holds(env, v, check_labels)? {
            continue;
        }
        stack.push((v, false));
        while let Some((u, summed)) = stack.pop() {
            let state = at.get(u).copied().unwrap_or(0);
            if state < OPEN {
                continue;
            }
            if !summed {
                // On the stack already: met again only along a cycle,
                // which the store ruled out (and then it ends here).
                if state == OPEN {
                    continue;
                }
                env.guard.tick()?;
                if let Some(slot) = at.get_mut(u) {
                    *slot = OPEN;
                }
                stack.push((u, true));
                walks.each(u, |c| next.push(c));
                stack.extend(next.drain(..).filter(|&c| !done(&at, c)).map(|c| (c, false)));
                continue;
            }
            // Every neighbour is summed (none can be on the stack below:
            // that would be a cycle).
            counts.fill(0);
            counts[0] = u64::from(far.holds(env, u, true)?);
            walks.each(u, |c| next.push(c));
            for c in next.drain(..) {
                let Some(&i) = at.get(c).filter(|&&i| i < OPEN) else {
                    continue;
                };
                let theirs = &table[i as usize * width..][..width];
                match op.max {
                    None if min == 0 => counts[0] = counts[0].saturating_add(theirs[0]),
                    None => {
                        for j in 1..min {
                            counts[j] = counts[j].saturating_add(theirs[j - 1]);
                        }
                        counts[min] = counts[min].saturating_add(theirs[min - 1]).saturating_add(theirs[min]);
                    }
                    Some(_) => {
                        for j in 1..width {
                            counts[j] = counts[j].saturating_add(theirs[j - 1]);
                        }
                    }
                }
            }
            if let Some(slot) = at.get_mut(u) {
                *slot = (table.len() / width) as u32;
                table.extend_from_slice(&counts);
            }
        }
        let Some(&i) = at.get(v).filter(|&&i| i < OPEN) else {
            continue;
        };
        let mine = &table[i as usize * width..][..width];
        let n = match op.max {
            None => mine[min],
            Some(_) => mine[min.min(width)..].iter().fold(0u64, |a, &b| a.saturating_add(b)),
        };
        if n == 0 {
            continue;
        }
        if op.bind_root {
            row[op.root.slot] = Value::Node(v);
        }
        if !out(row, n)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// From each root, level by level: the nodes `k` steps away with the
/// number of walks of length `k` that end at each.
#[allow(clippy::too_many_arguments)]
fn by_levels(
    op: &WalkCountOp,
    env: &Env<'_>,
    walks: &Walks<'_>,
    candidates: &[NodeId],
    check_labels: bool,
    root: &mut End<'_>,
    far: &mut End<'_>,
    row: &mut [Value],
    out: &mut WeightedSink<'_>,
) -> Result<bool, QueryError> {
    // Per node, the level it was last put in (a number unique to one
    // level of one root) and where in that level.
    let mut seen: NodeMap<(u32, u32)> = env.graph.node_map((0, 0));
    let mut stamp = 0u32;
    let mut level: Vec<(NodeId, u64)> = Vec::new();
    let mut next: Vec<(NodeId, u64)> = Vec::new();
    for &v in candidates {
        env.guard.tick()?;
        if !root.holds(env, v, check_labels)? {
            continue;
        }
        if op.bind_root {
            row[op.root.slot] = Value::Node(v);
        }
        level.clear();
        level.push((v, 1));
        let mut k = 0u64;
        let mut per_root = 0u64;
        loop {
            if k >= op.min {
                let mut per_level = 0u64;
                for &(u, n) in &level {
                    env.guard.tick()?;
                    if !far.holds(env, u, true)? {
                        continue;
                    }
                    if op.bind_far {
                        row[op.far.slot] = Value::Node(u);
                        if let Some(s) = op.length_slot {
                            row[s] = Value::Int(k as i64);
                        }
                        if !out(row, n)? {
                            return Ok(false);
                        }
                    } else {
                        per_level = per_level.saturating_add(n);
                    }
                }
                if let Some(s) = op.length_slot.filter(|_| !op.bind_far && per_level > 0) {
                    row[s] = Value::Int(k as i64);
                    if !out(row, per_level)? {
                        return Ok(false);
                    }
                } else {
                    per_root = per_root.saturating_add(per_level);
                }
            }
            // No walk along acyclic types is longer than the graph has
            // nodes (and none of a cycle the store ruled out gets past it).
            if op.max == Some(k) || k >= env.graph.node_bound() as u64 {
                break;
            }
            if stamp == u32::MAX {
                seen = env.graph.node_map((0, 0));
                stamp = 0;
            }
            stamp += 1;
            next.clear();
            for &(u, n) in &level {
                env.guard.tick()?;
                walks.each(u, |c| {
                    if let Some(s) = seen.get_mut(c) {
                        if s.0 == stamp {
                            let e = &mut next[s.1 as usize].1;
                            *e = e.saturating_add(n);
                        } else {
                            *s = (stamp, next.len() as u32);
                            next.push((c, n));
                        }
                    }
                });
            }
            if next.is_empty() {
                break;
            }
            std::mem::swap(&mut level, &mut next);
            k += 1;
        }
        if per_root > 0 && !out(row, per_root)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The length of a matched path or relationship list, as `length()` gives
/// it (what the projection reads in its place).
pub(in crate::eval) fn length_of(v: &Value) -> Value {
    match v {
        Value::Path(p) => Value::Int(p.rels.len() as i64),
        Value::List(l) => Value::Int(l.len() as i64),
        _ => Value::Null,
    }
}
