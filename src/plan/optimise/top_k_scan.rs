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
//! (directly, through a projected item or an alias). The scan's WHERE
//! conditions must be ones it can check on a node's handle; the
//! evaluator decides that, and scans as before otherwise.

use super::ordered_scan::sort_property;
use crate::plan::ops::{Op, StartTopK};

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
    for k in &project.order_by {
        match sort_property(&k.expr, project) {
            Some((slot, key)) if slot == start.slot => keys.push((key, k.descending)),
            _ => return,
        }
    }
    p.top = Some(StartTopK {
        keys,
        skip: project.skip.clone(),
        limit: limit.clone(),
    });
}
