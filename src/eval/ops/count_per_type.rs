//! Count per type (`Op::CountPerType`, chosen by
//! `plan::rewrite::count_per_type`): a one-hop first clause whose matches
//! only feed counts grouped by the relationship's type. Each type's
//! matches are counted, and one row per type (its relationship slot bound
//! to one relationship of the type) stands for them all.
//!
//! A directed hop whose types' statistics imply both ends' labels (or the
//! ends have none) matches every relationship of the type once: its count
//! is the type's count. A type whose ends cannot carry a node's labels (no
//! node of the label lies within the bounds of the ids at that end) has
//! none. Any other type is counted by walking the start node's
//! relationships of the type, checking the far end's labels.

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::eval::matcher::labels_implied;
use crate::eval::ops::label_scan::scan;
use crate::plan::ops::PatternPlan;
use crate::store::{Direction, RelId, Sym};

/// Calls `emit` with one relationship of each type that has matches and
/// the number of matches of that type; false if `emit` asked to stop.
pub(in crate::eval) fn count(
    env: &Env<'_>,
    p: &PatternPlan,
    emit: &mut dyn FnMut(RelId, u64) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    let g = env.graph;
    let lab = env.guard.pattern_labels(g, p);
    if lab.syms.iter().flatten().any(Option::is_none) {
        return Ok(true);
    }
    // Walked from node 0 towards node 1.
    let rel = &p.rels[0];
    let dir = rel.direction;
    // Each type once, in name order: the rows' first-seen order does not
    // depend on how the store numbers types.
    let mut named: Vec<(&str, Sym)> = match rel.types.is_empty() {
        true => g.rel_type_counts().into_iter().map(|(t, _)| t).collect::<Vec<_>>(),
        false => rel.types.iter().map(String::as_str).collect(),
    }
    .into_iter()
    .filter_map(|t| g.sym(t).map(|s| (t, s)))
    .collect();
    named.sort_unstable();
    named.dedup();
    let starts = scan(g, &p.nodes[0].labels);
    let check_start = p.nodes[0].labels.len() > 1;
    for (name, t) in named {
        env.guard.tick()?;
        if !lab.type_can_join(g, t, 0, 1, dir) {
            continue;
        }
        let implied = dir != Direction::Both
            && (0..2).all(|ni| p.nodes[ni].labels.is_empty() || labels_implied(g, &lab.syms, ni, t, dir, ni == 0));
        let mut n = 0u64;
        let mut one: Option<RelId> = None;
        if implied {
            n = g.type_stats(name).map_or(0, |s| s.count as u64);
            // One relationship of the type for the row: the first from a
            // start node that has one.
            for &a in starts.iter() {
                if one.is_some() {
                    break;
                }
                env.guard.tick()?;
                g.for_each_neighbour_sym(a, dir, Some(t), |adj| {
                    one.get_or_insert(adj.rel);
                });
            }
        } else {
            let far = lab.tables[1].as_ref();
            let start_table = lab.tables[0].as_ref();
            for &a in starts.iter() {
                env.guard.tick()?;
                if check_start && !start_table.is_some_and(|tb| tb.holds(g, a)) {
                    continue;
                }
                g.for_each_neighbour_sym(a, dir, Some(t), |adj| {
                    if p.nodes[1].labels.is_empty() || far.is_some_and(|tb| tb.holds(g, adj.other)) {
                        n += 1;
                        one.get_or_insert(adj.rel);
                    }
                });
            }
        }
        if let Some(r) = one
            && n > 0
            && !emit(r, n)?
        {
            return Ok(false);
        }
    }
    Ok(true)
}
