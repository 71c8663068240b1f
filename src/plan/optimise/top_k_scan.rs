//! Top-k scans: `MATCH (n:L) [WHERE …] RETURN … ORDER BY n.a, n.b … LIMIT k`
//! without an index to read in order. Every node of the label is still
//! visited, but only the `SKIP + LIMIT` best by the sort keys (ties going
//! to the node scanned first) are bound and projected; the projection's
//! own top-k then orders those few as before. The rows the projection
//! would keep are all among them, in the order they would have arrived,
//! so the result is the one the full projection makes.
//!
//! It applies to a query part whose first operator is a MATCH of one
//! pattern part that is a single node scanned by one label (no hop, no
//! inline properties, no index seek, no path) followed directly by a
//! projection with ORDER BY and LIMIT, without aggregates, DISTINCT or a
//! WHERE of its own, whose every sort key reads a property of that node
//! (directly, through a projected item or an alias) or is computed from
//! that node's properties and constants only (`size(n.name)`, `left(n.id,
//! 3)`, `n.level * 2`, through an alias or written out), with no
//! function whose value changes from one call to the next. A computed key
//! is computed once per scanned node, on every node, so an error it
//! raises is raised as before; so is each projected item that could
//! raise one (anything but the node, its properties and constants),
//! which must then read nothing but the node either. The scan's WHERE
//! conditions must be ones it can check on a node's handle; the
//! evaluator decides that, and scans as before otherwise.

use super::ordered_scan::sort_property;
use crate::plan::ops::{Op, PExpr, PKind, ProjectOp, StartTopK, TopKey};

/// Marks the part's scan when the shape above holds.
pub fn choose(ops: &mut [Op]) {
    let [Op::Match(m), Op::Project(project), ..] = ops else {
        return;
    };
    if m.optional
        || m.filter.is_some()
        || m.patterns.len() != 1
        || project.distinct
        || !project.aggregates.is_empty()
        || project.filter.is_some()
        || project.input_sorted
        || project.order_by.is_empty()
    {
        return;
    }
    let Some(limit) = &project.limit else { return };
    let p = &mut m.patterns[0];
    let start = &p.nodes[p.start];
    if !p.rels.is_empty()
        || p.join.is_some()
        || p.seek.is_some()
        || p.path_slot.is_some()
        || start.labels.len() != 1
        || start.props.is_some()
    {
        return;
    }
    let mut keys = Vec::with_capacity(project.order_by.len());
    // The projected items a computed key stands for.
    let mut covered = vec![false; project.items.len()];
    for k in &project.order_by {
        match sort_property(&k.expr, project) {
            Some((slot, key)) if slot == start.slot => keys.push((TopKey::Prop(key), k.descending)),
            Some(_) => return,
            None => match computed(&k.expr, project, start.slot, &mut covered) {
                Some(e) => keys.push((TopKey::Computed(e), k.descending)),
                None => return,
            },
        }
    }
    // A projected item that could raise an error on a node not kept is
    // evaluated on every node too.
    let mut checks = Vec::new();
    for (item, &c) in project.items.iter().zip(&covered) {
        let safe = c
            || match &item.kind {
                PKind::Slot(_) | PKind::Const(_) => true,
                PKind::Prop(base, _) => matches!(base.kind, PKind::Slot(_)),
                _ => false,
            };
        if !safe {
            if !reads_only(item, start.slot) {
                return;
            }
            checks.push(item.clone());
        }
    }
    p.top = Some(StartTopK {
        keys,
        checks,
        skip: project.skip.clone(),
        limit: limit.clone(),
    });
}

/// Sort key `e` (over the projected row, then the input row when the sort
/// sees it) as an expression over the input row, when it is computed from
/// the node in `slot` and constants only (see the module notes); the
/// projected items it reads are marked in `covered`.
fn computed(e: &PExpr, project: &ProjectOp, slot: usize, covered: &mut [bool]) -> Option<PExpr> {
    let mut out = e.clone();
    to_input(&mut out, project, covered)?;
    reads_only(&out, slot).then_some(out)
}

/// Replaces each projected slot `e` reads by the item it holds, and each
/// input slot by its own number.
fn to_input(e: &mut PExpr, project: &ProjectOp, covered: &mut [bool]) -> Option<()> {
    let n = project.items.len();
    match &mut e.kind {
        PKind::Slot(i) if *i < n => {
            covered[*i] = true;
            *e = project.items[*i].clone();
            Some(())
        }
        PKind::Slot(i) if project.sort_sees_input => {
            *i -= n;
            Some(())
        }
        PKind::Slot(_) => None,
        PKind::Const(_) => Some(()),
        PKind::Prop(b, _) | PKind::Not(b) | PKind::Neg(b) | PKind::IsNull(b, _) => to_input(b, project, covered),
        PKind::Binary(_, a, b) | PKind::Index(a, b) => {
            to_input(a, project, covered)?;
            to_input(b, project, covered)
        }
        PKind::Slice(a, b, c) => {
            to_input(a, project, covered)?;
            if let Some(b) = b {
                to_input(b, project, covered)?;
            }
            if let Some(c) = c {
                to_input(c, project, covered)?;
            }
            Some(())
        }
        PKind::List(items) | PKind::Call(_, items) => items.iter_mut().try_for_each(|x| to_input(x, project, covered)),
        PKind::Case { operand, whens, else_ } => {
            if let Some(o) = operand {
                to_input(o, project, covered)?;
            }
            for (w, t) in whens {
                to_input(w, project, covered)?;
                to_input(t, project, covered)?;
            }
            if let Some(x) = else_ {
                to_input(x, project, covered)?;
            }
            Some(())
        }
        _ => None,
    }
}

/// Whether `e` (over the input row) reads nothing but the node in `slot`
/// and constants, and gives the same value each time it is evaluated.
fn reads_only(e: &PExpr, slot: usize) -> bool {
    e.fixed_given(&|s| s == slot)
}
