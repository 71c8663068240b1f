//! Cardinality estimates from the store's statistics.
//!
//! A node position is estimated by its smallest label's node count (every
//! node without a label), one node when it is bound or looked up by `id`,
//! and a tenth for each other property it must equal. A hop multiplies the
//! rows by the average degree of its types seen from the node it leaves:
//! relationships of the type divided by the nodes of that node's label
//! (both directions: the sum). A hop to a node already bound keeps the
//! fraction of rows that reach that one node (expand-into). Variable-length
//! hops add up the rows at each depth (up to five levels when unbounded).
//! A node an index seek can start at (see [`super::seek`]) is estimated by
//! the seek's count when that is smaller: exact for constants.

use crate::plan::ops::{NodeStep, PExpr, PKind, PatternPlan, RelStep};
use crate::store::{Direction, Graph};
use crate::syntax::ast::BinaryOp;

/// Estimates for one clause.
pub struct Estimator<'g> {
    graph: &'g Graph,
    /// `(slot, key)` for each WHERE condition `slot.key = constant`.
    equalities: Vec<(usize, String)>,
    /// The index seeks the clause's nodes could start with.
    seeks: Vec<super::seek::Candidate>,
}

/// Depths counted for an unbounded variable-length hop.
const UNBOUNDED_DEPTH: u64 = 5;
/// Rows kept by an equality on a property other than `id`.
const EQUALITY_SELECTIVITY: f64 = 0.1;

impl<'g> Estimator<'g> {
    /// `conditions`: the clause's WHERE, split at its top-level ANDs.
    pub fn new(graph: &'g Graph, conditions: &[PExpr], patterns: &[PatternPlan], before: usize) -> Estimator<'g> {
        let mut equalities = Vec::new();
        for c in conditions {
            if let PKind::Binary(BinaryOp::Eq, l, r) = &c.kind {
                for (a, b) in [(l, r), (r, l)] {
                    if let (PKind::Prop(base, key), PKind::Const(_)) = (&a.kind, &b.kind)
                        && let PKind::Slot(s) = base.kind
                    {
                        equalities.push((s, key.to_string()));
                    }
                }
            }
        }
        let seeks = super::seek::candidates(graph, conditions, patterns, before);
        Estimator {
            graph,
            equalities,
            seeks,
        }
    }

    /// Nodes with every label of `n` (its smallest label's count).
    pub fn label_rows(&self, n: &NodeStep) -> f64 {
        match n.labels.iter().map(|l| self.graph.nodes_with_label(l).len()).min() {
            Some(c) => c as f64,
            None => self.graph.node_count() as f64,
        }
    }

    /// The fraction of nodes with `n`'s labels that its properties and its
    /// WHERE equalities keep.
    fn selectivity(&self, n: &NodeStep) -> f64 {
        let mut keys: Vec<&str> = Vec::new();
        if let Some(PExpr {
            kind: PKind::Map(entries),
            ..
        }) = &n.props
        {
            keys.extend(entries.iter().map(|(k, _)| &**k));
        } else if n.props.is_some() {
            keys.push("?");
        }
        keys.extend(
            self.equalities
                .iter()
                .filter(|(s, _)| *s == n.slot)
                .map(|(_, k)| k.as_str()),
        );
        if keys.contains(&"id") {
            return 1.0 / self.label_rows(n).max(1.0);
        }
        EQUALITY_SELECTIVITY.powi(keys.len() as i32)
    }

    /// Rows when a part starts at `n` (unbound).
    pub fn start_rows(&self, n: &NodeStep) -> f64 {
        let rows = self.label_rows(n) * self.selectivity(n);
        match super::seek::best(&self.seeks, n.slot, &n.labels) {
            // Only a seek the optimiser would choose (its estimate is
            // capped where the scan becomes cheaper).
            Some(s) if s.estimate < rows && super::seek::SEEK_FACTOR * s.estimate < self.label_rows(n) => s.estimate,
            _ => rows,
        }
    }

    /// The average number of relationships of `rel`'s types a node at
    /// `from` has in direction `dir`.
    pub fn fanout(&self, from: &NodeStep, rel: &RelStep, dir: Direction) -> f64 {
        let g = self.graph;
        let rels = if rel.types.is_empty() {
            g.rel_count() as f64
        } else {
            rel.types.iter().map(|t| g.type_count(t) as f64).sum()
        };
        let per_node = rels / self.label_rows(from).max(1.0);
        match dir {
            Direction::Both => 2.0 * per_node,
            _ => per_node,
        }
    }

    /// The cost (rows made at every step) and output rows of matching `p`
    /// once from `start`, with `bound[slot]` true for bound slots.
    pub fn part(&self, p: &PatternPlan, start: usize, bound: &[bool]) -> (f64, f64) {
        let mut local: Vec<usize> = Vec::new();
        let is_bound = |s: usize, local: &[usize]| bound.get(s).copied().unwrap_or(false) || local.contains(&s);
        let s = &p.nodes[start];
        let mut rows = match &p.seek {
            _ if is_bound(s.slot, &local) => 1.0,
            // The seek the optimiser chose for this start.
            Some(seek) if start == p.start => seek.estimate.min(self.start_rows(s)),
            _ => self.start_rows(s),
        };
        local.push(s.slot);
        let mut cost = rows;
        let right = (start..p.rels.len()).map(|ri| (ri, ri, ri + 1, false));
        let left = (0..start).rev().map(|ri| (ri, ri + 1, ri, true));
        for (ri, from, to, flip) in right.chain(left) {
            let rel = &p.rels[ri];
            let dir = if flip { flip_dir(rel.direction) } else { rel.direction };
            let f = self.fanout(&p.nodes[from], rel, dir);
            let reach = match rel.var_len {
                None => f,
                Some((lo, hi)) => {
                    let hi = hi.unwrap_or(lo.max(1) + UNBOUNDED_DEPTH).min(lo + UNBOUNDED_DEPTH);
                    (lo..=hi).map(|k| f.powi(k as i32)).sum()
                }
            };
            rows *= reach;
            let target = &p.nodes[to];
            rows *= if is_bound(target.slot, &local) {
                1.0 / self.label_rows(target).max(1.0)
            } else {
                self.selectivity(target)
            };
            local.push(target.slot);
            cost += rows;
        }
        (cost, rows)
    }
}

pub fn flip_dir(d: Direction) -> Direction {
    match d {
        Direction::Outgoing => Direction::Incoming,
        Direction::Incoming => Direction::Outgoing,
        Direction::Both => Direction::Both,
    }
}
