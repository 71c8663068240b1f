//! Count per node from the counted end (a strategy of `Op::CountPerNode`):
//! a one-hop pattern whose matches are counted per node of its far end
//! (the end the scan would reach), where the near end needs no check (it
//! has no labels, or the store's statistics show that every relationship
//! of the hop's types has them at that end). A far node's number of
//! matches is then its degree over the types, read from its own lists:
//! no relationship is visited. The far nodes visited are those whose ids
//! lie within the bounds of the types' ends at the far end (the store's
//! statistics), or the far label's nodes when fewer; the far labels, when
//! the statistics do not imply them, are checked once per far node.
//!
//! Chosen per execution (the statistics it reads may change between
//! statements, and are fixed while a section runs), by [`choose`], which
//! EXPLAIN asks too; only where it visits no more nodes than the scan of
//! the near end plus the relationships it would expand.

use std::borrow::Cow;

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::eval::labels::PatternLabels;
use crate::eval::matcher::{flip_dir, labels_implied};
use crate::eval::ops::label_scan::scan;
use crate::plan::ops::{CountedExpand, PatternPlan};
use crate::store::{Direction, Graph, NodeId, Sym};

/// How a pattern's matches are counted from its far end's degrees.
pub(in crate::eval) struct FarEnd<'g> {
    /// The hop's types (none: any type).
    types: Vec<Sym>,
    /// The hop's direction seen from the far end.
    dir: Direction,
    /// The far nodes to visit, in id order.
    nodes: Cow<'g, [NodeId]>,
    /// Whether each far node's labels are checked.
    check: bool,
}

/// The hop's types as the count reads them, each once (`:A|A` is `:A`),
/// and whether the hop had types to resolve (false: any type, `types`
/// empty). Any type between labelled nodes: the types the graph has but
/// those whose ends cannot carry the labels by the store's statistics.
pub(in crate::eval) fn hop_types(g: &Graph, p: &PatternPlan, lab: &PatternLabels) -> (Vec<Sym>, bool) {
    let (s, o) = (p.start, 1 - p.start);
    let rel = &p.rels[0];
    let dir = if s == 0 { rel.direction } else { flip_dir(rel.direction) };
    let mut types: Vec<Sym> = rel.types.iter().filter_map(|t| g.sym(t)).collect();
    let resolved = rel.types.is_empty()
        && p.nodes.iter().any(|n| !n.labels.is_empty())
        && lab.syms.iter().flatten().all(Option::is_some);
    if resolved {
        types = g
            .rel_type_counts()
            .into_iter()
            .filter_map(|(t, _)| g.sym(t))
            .filter(|&t| lab.type_can_join(g, t, s, o, dir))
            .collect();
    }
    types.sort_unstable();
    types.dedup();
    (types, !rel.types.is_empty() || resolved)
}

/// Whether `p`, counted per node as `counted` says, is counted from its
/// far end's degrees on `g` now, and how.
pub(in crate::eval) fn choose<'g>(
    g: &'g Graph,
    p: &PatternPlan,
    counted: CountedExpand,
    lab: &PatternLabels,
) -> Option<FarEnd<'g>> {
    if p.rels.len() != 1 || p.nodes.len() != 2 || p.seek.is_some() || counted.optional {
        return None;
    }
    let (s, o) = (p.start, 1 - p.start);
    if counted.group_node != o || lab.syms.iter().flatten().any(Option::is_none) {
        return None;
    }
    let rel = &p.rels[0];
    let dir = if s == 0 { rel.direction } else { flip_dir(rel.direction) };
    let (types, typed) = hop_types(g, p, lab);
    if typed && types.is_empty() {
        return None;
    }
    let implied = |ni: usize, from: bool| {
        p.nodes[ni].labels.is_empty()
            || (!types.is_empty() && types.iter().all(|&t| labels_implied(g, &lab.syms, ni, t, dir, from)))
    };
    if !implied(s, true) {
        return None;
    }
    let far_labels = &p.nodes[o].labels;
    let check = !implied(o, false);
    // The far nodes: within the types' bounds at the far end, or the far
    // label's, whichever are fewer (any type: every node, or the label's).
    let ends: &[bool] = match flip_dir(dir) {
        Direction::Outgoing => &[true],
        Direction::Incoming => &[false],
        Direction::Both => &[true, false],
    };
    let ranges: Vec<std::ops::Range<usize>> = match types.is_empty() {
        true => std::iter::once(0..g.node_bound()).collect(),
        false => g.type_end_ranges(&types, ends),
    };
    let within: usize = ranges.iter().map(ExactSizeIterator::len).sum();
    let labelled = (!far_labels.is_empty()).then(|| scan(g, far_labels));
    // What the scan from the near end would visit: its nodes and their
    // relationships of the types.
    let near = scan(g, &p.nodes[s].labels).len();
    let rels: usize = match types.is_empty() {
        true => g.rel_count(),
        false => types.iter().map(|&t| g.type_count_sym(t)).sum(),
    };
    let fewest = labelled.as_ref().map_or(within, |l| l.len().min(within));
    if fewest > near + rels {
        return None;
    }
    let nodes = match labelled {
        Some(l) if l.len() < within => l,
        _ => Cow::Owned(ranges.into_iter().flat_map(|r| g.nodes_in(r)).collect()),
    };
    Some(FarEnd {
        types,
        dir: flip_dir(dir),
        nodes,
        check,
    })
}

/// Calls `emit` with each far node that has matches and its number of
/// them, in id order. Returns false if `emit` asked to stop.
pub(in crate::eval) fn count(
    env: &Env<'_>,
    p: &PatternPlan,
    far: &FarEnd<'_>,
    lab: &PatternLabels,
    emit: &mut dyn FnMut(NodeId, u64) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    let g = env.graph;
    let o = 1 - p.start;
    let ok = |b: NodeId| !far.check || lab.has_labels(g, p, o, b);
    if let [t] = far.types.as_slice() {
        // Degrees asked for a few nodes ahead (see `Graph::degrees_sym`).
        let mut outcome = Ok(true);
        g.degrees_sym(&far.nodes, far.dir, *t, |b, n| {
            outcome = env.guard.tick().and_then(|()| match n > 0 && ok(b) {
                true => emit(b, n as u64),
                false => Ok(true),
            });
            matches!(outcome, Ok(true))
        });
        return outcome;
    }
    for &b in far.nodes.iter() {
        env.guard.tick()?;
        let n: u64 = match far.types.as_slice() {
            [] => g.degree_sym(b, far.dir, None) as u64,
            ts => ts.iter().map(|&t| g.degree_sym(b, far.dir, Some(t)) as u64).sum(),
        };
        if n > 0 && ok(b) && !emit(b, n)? {
            return Ok(false);
        }
    }
    Ok(true)
}
