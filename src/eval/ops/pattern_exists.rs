//! Pattern predicates as a semi-join (`WHERE (m)-[:WORKS_WITH]->(t)`,
//! `NOT (r)<-[:REPORTS_TO]-()`): whether the pattern has a match for the
//! current row. A pattern of one plain hop from a bound node is answered
//! from the adjacency alone: with both ends bound, from the end with fewer
//! relationships of the hop's types (as expand-into does); with the other
//! end free, from the node's degree when nothing is asked of that end
//! (no labels, or labels every relationship of the type has there),
//! else by looking for one neighbour with its labels. A pattern anchored at
//! a node looked up by a constant id is answered from the set of nodes it
//! matches from, made once (`anchored_exists.rs`). Any other pattern is
//! matched, stopping at the first match.

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::eval::matcher::{Matcher, flip_dir};
use crate::plan::ops::{PExpr, PKind, PatternPlan};
use crate::store::{Direction, NodeId, Sym};
use crate::value::Value;

/// Whether `p` matches from `row`.
pub(in crate::eval) fn exists(p: &PatternPlan, env: &Env<'_>, row: &[Value]) -> Result<bool, QueryError> {
    if let Some(found) = one_hop(p, env, row) {
        env.guard.tick()?;
        return Ok(found);
    }
    if let Some(found) = super::anchored_exists::member(p, env, row)? {
        env.guard.tick()?;
        return Ok(found);
    }
    let mut found = false;
    Matcher::new(env, std::slice::from_ref(p), row, 0).run(&mut |_| {
        found = true;
        Ok(false)
    })?;
    Ok(found)
}

/// The answer for a pattern of one plain hop (no variable length, no
/// properties, no relationship variable bound before) with at least one
/// end bound in `row`; `None` for any other pattern.
fn one_hop(p: &PatternPlan, env: &Env<'_>, row: &[Value]) -> Option<bool> {
    let [rel] = p.rels.as_slice() else { return None };
    let plain = rel.var_len.is_none()
        && rel.props.is_none()
        && rel.slot >= row.len()
        && p.nodes.iter().all(|n| n.props.is_none())
        && p.filters.iter().all(Vec::is_empty)
        && p.join.is_none()
        && p.seek.is_none();
    if !plain {
        return None;
    }
    let (g, lab) = (env.graph, env.guard.pattern_labels(env.graph, p));
    // A bound end: its node, or no match when it holds something else or
    // lacks the position's labels.
    let bound = |ni: usize| -> Option<Result<NodeId, ()>> {
        let v = row.get(p.nodes[ni].slot)?;
        Some(match v {
            Value::Node(n) if lab.has_labels(g, p, ni, *n) => Ok(*n),
            _ => Err(()),
        })
    };
    let (from, to) = match (bound(0), bound(1)) {
        (Some(Err(())), _) | (_, Some(Err(()))) => return Some(false),
        (Some(Ok(a)), b) => ((0, a), b.map(|b| b.unwrap_or(a))),
        (None, Some(Ok(b))) => ((1, b), None),
        (None, None) => return None,
    };
    let (fi, cur) = from;
    let other = 1 - fi;
    // The same variable at both ends: it must come back to this node.
    let target = to.or((p.nodes[other].slot == p.nodes[fi].slot).then_some(cur));
    let dir = if fi == 0 {
        rel.direction
    } else {
        flip_dir(rel.direction)
    };
    // The hop's types (none: any); a type the graph lacks has no relationship.
    // No labels to check at the other end: it has none, or the type's
    // statistics show every relationship of it has them there.
    let free = lab.implied[0][fi];
    let found_by = |sym: Option<Sym>| -> bool {
        match target {
            Some(t) => {
                // From the end with fewer relationships of the type.
                let (a, b, d) = if g.degree_sym(t, flip_dir(dir), sym) < g.degree_sym(cur, dir, sym) {
                    (t, cur, flip_dir(dir))
                } else {
                    (cur, t, dir)
                };
                any_neighbour(g, a, d, sym, |n| n == b)
            }
            None if free && dir != Direction::Both => g.degree_sym(cur, dir, sym) > 0,
            None => any_neighbour(g, cur, dir, sym, |n| free || lab.has_labels(g, p, other, n)),
        }
    };
    Some(match rel.types.is_empty() {
        true => found_by(None),
        false => lab.types[0].iter().flatten().any(|s| found_by(Some(*s))),
    })
}

/// Whether a neighbour of `n` (by `dir` and `sym`) passes `keep`.
fn any_neighbour(
    g: &crate::store::Graph,
    n: NodeId,
    dir: Direction,
    sym: Option<Sym>,
    keep: impl Fn(NodeId) -> bool,
) -> bool {
    let mut found = false;
    g.for_each_neighbour_sym(n, dir, sym, |adj| {
        if !found && keep(adj.other) {
            found = true;
        }
    });
    found
}

/// For a scan that checks a condition on each node `x` at `slot`: when
/// the condition is `(x)-[:T]->()` or `NOT (x)-[:T]->()` that
/// [`one_hop`] answers from `x`'s degree alone (one type, directed,
/// nothing asked of the free end, no labels asked again of `x`), whether
/// it is negated, the type and the direction from `x`: the scan can ask
/// for the degrees of its nodes in a batch (`Graph::degrees_sym`, which
/// reads each node's relationships from memory a few nodes ahead).
pub(in crate::eval) fn degree_test(c: &PExpr, slot: usize, env: &Env<'_>) -> Option<(bool, Sym, Direction)> {
    let (negated, p) = match &c.kind {
        PKind::Not(inner) => match &inner.kind {
            PKind::PatternExists(p) => (true, p),
            _ => return None,
        },
        PKind::PatternExists(p) => (false, p),
        _ => return None,
    };
    let ([rel], [n0, n1]) = (p.rels.as_slice(), p.nodes.as_slice()) else {
        return None;
    };
    let plain = rel.var_len.is_none()
        && rel.props.is_none()
        && rel.slot > slot
        && rel.direction != Direction::Both
        && n0.props.is_none()
        && n1.props.is_none()
        && p.filters.iter().all(Vec::is_empty)
        && p.join.is_none()
        && p.seek.is_none()
        && p.path_slot.is_none();
    // `x` at one end; the other end the predicate's own (past the row).
    let fi = match (n0.slot == slot, n1.slot == slot) {
        (true, false) => 0,
        (false, true) => 1,
        _ => return None,
    };
    if !plain || p.nodes[1 - fi].slot <= slot || !p.nodes[fi].labels.is_empty() || rel.types.len() != 1 {
        return None;
    }
    let lab = env.guard.pattern_labels(env.graph, p);
    let [Some(sym)] = lab.types[0].as_slice() else {
        return None;
    };
    if !lab.implied[0][fi] {
        return None;
    }
    let dir = if fi == 0 {
        rel.direction
    } else {
        flip_dir(rel.direction)
    };
    Some((negated, *sym, dir))
}
