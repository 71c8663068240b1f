//! Expand: one hop from a bound node over the relationships of the hop's
//! types, binding the relationship and the node it reaches.

use crate::error::QueryError;
use crate::eval::matcher::{Emit, Matcher, flip_dir};
use crate::plan::ops::RelStep;
use crate::store::{Adj, Direction, NodeId};
use crate::value::Value;

/// How many candidates ahead a hop asks for the offsets of the lists the
/// next hop reads, and for the lists' ends (two stages, the second reading
/// what the first brought in).
const AHEAD_OFFSETS: usize = 8;
const AHEAD_TYPES: usize = 4;

impl<'a, 'g> Matcher<'a, 'g> {
    #[allow(clippy::too_many_arguments)]
    pub(in crate::eval) fn single_hop(
        &mut self,
        pi: usize,
        si: usize,
        ri: usize,
        rel: &RelStep,
        cur: NodeId,
        dir: Direction,
        to: usize,
        emit: &mut Emit<'_>,
    ) -> Result<bool, QueryError> {
        let p = &self.patterns[pi];
        // Known from the hop's type, or (an expand-into) from the earlier
        // part that bound the node.
        let labelled = self.labels[pi].implied[ri][usize::from(to == ri)] || self.labels_known(pi, to);
        let adjs = self.hop_candidates(pi, ri, cur, dir, to);
        // The hop after this one expands from the node this one binds: the
        // lists of nodes a few candidates ahead are asked for meanwhile.
        // Else the node itself, whose labels or properties are likely read
        // next.
        let ahead = adjs.len() > AHEAD_TYPES;
        let next = if ahead { self.next_expansion(pi, si, to) } else { None };
        let g = self.env.graph;
        for (k, &adj) in adjs.iter().enumerate() {
            if ahead {
                if let Some(a) = adjs.get(k + AHEAD_OFFSETS) {
                    match next {
                        Some(d) => g.prefetch_neighbours(a.other, d, true),
                        None => g.prefetch_node(a.other, true),
                    }
                }
                if let Some(a) = adjs.get(k + AHEAD_TYPES) {
                    match next {
                        Some(d) => g.prefetch_neighbours(a.other, d, false),
                        None => g.prefetch_node(a.other, false),
                    }
                }
            }
            self.env.guard.tick()?;
            let rel_was = self.assigned[rel.slot];
            if rel_was && !matches!(self.row[rel.slot], Value::Rel(r) if r == adj.rel) {
                continue;
            }
            if self.used.contains(&adj.rel) || !self.rel_ok(rel, adj.rel)? {
                continue;
            }
            let Some(undo) = self.bind_node_labelled(pi, to, adj.other, labelled)? else {
                continue;
            };
            self.row[rel.slot] = Value::Rel(adj.rel);
            self.assigned[rel.slot] = true;
            self.used.push(adj.rel);
            let hop = &mut self.traversed[ri];
            hop.clear();
            hop.push(adj.rel);
            let go_on = self.step(pi, si + 1, emit);
            self.used.pop();
            self.unbind(rel.slot, rel_was);
            self.unbind(p.nodes[to].slot, undo);
            if !go_on? {
                return Ok(false);
            }
        }
        self.recycle(adjs);
        Ok(true)
    }

    /// The direction of the expansion that follows step `si` of pattern
    /// `pi` when it starts from the node that step binds (node step `to`):
    /// the next hop of the pattern, or the first of the next part when
    /// that part starts there; `None` otherwise.
    fn next_expansion(&self, pi: usize, si: usize, to: usize) -> Option<Direction> {
        let slot = self.patterns[pi].nodes[to].slot;
        let (p, si) = match si + 1 < self.patterns[pi].rels.len() {
            true => (&self.patterns[pi], si + 1),
            false => (self.patterns.get(pi + 1).filter(|q| q.join.is_none())?, 0),
        };
        let right = p.rels.len().checked_sub(p.start)?;
        let (ri, from, flip) = match si < right {
            true => (p.start + si, p.start + si, false),
            false => {
                let ri = p.start.checked_sub(1 + (si - right))?;
                (ri, ri + 1, true)
            }
        };
        let r = p.rels.get(ri)?;
        (p.nodes[from].slot == slot).then(|| if flip { flip_dir(r.direction) } else { r.direction })
    }

    /// Keeps a hop's list of relationships for a later hop to fill.
    pub(in crate::eval) fn recycle(&self, mut adjs: Vec<Adj>) {
        let mut spare = self.spare_adjs.borrow_mut();
        if spare.len() < 16 {
            adjs.clear();
            spare.push(adjs);
        }
    }

    /// How many relationships of step `ri`'s types `node` has in `dir`.
    pub(in crate::eval) fn degree(&self, pi: usize, ri: usize, node: NodeId, dir: Direction) -> usize {
        let g = self.env.graph;
        let types = &self.patterns[pi].rels[ri].types;
        if types.is_empty() {
            return g.degree_sym(node, dir, None);
        }
        types
            .iter()
            .zip(&self.labels[pi].types[ri])
            .map(|(t, sym)| match sym {
                Some(s) => g.degree_sym(node, dir, Some(*s)),
                None => g.degree(node, dir, Some(t)),
            })
            .sum()
    }

    /// The relationships of step `ri` of pattern `pi` at `node` in `dir`.
    pub(in crate::eval) fn adjacent(&self, pi: usize, ri: usize, node: NodeId, dir: Direction) -> Vec<Adj> {
        let g = self.env.graph;
        let types = &self.patterns[pi].rels[ri].types;
        if types.is_empty() {
            return g.neighbours(node, dir, None);
        }
        let mut out = self.spare_adjs.borrow_mut().pop().unwrap_or_default();
        for (t, sym) in types.iter().zip(&self.labels[pi].types[ri]) {
            match sym {
                Some(s) => g.for_each_neighbour_sym(node, dir, Some(*s), |a| out.push(a)),
                None => g.for_each_neighbour(node, dir, Some(t), |a| out.push(a)),
            }
        }
        if types.len() > 1 {
            out.sort_by_key(|a| a.rel);
            out.dedup();
        }
        out
    }
}
