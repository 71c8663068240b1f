//! Expand-into: a hop whose both ends are already bound checks adjacency
//! from the end with fewer relationships of the hop's types, never
//! rescanning.

use crate::eval::matcher::{Matcher, flip_dir};
use crate::store::{Adj, Direction, NodeId};
use crate::value::Value;

impl<'a, 'g> Matcher<'a, 'g> {
    /// The relationships a single hop (step `ri` of pattern `pi` from `cur`
    /// in `dir` to node `to`) may take. With both ends bound (expand-into)
    /// they are found from the end with fewer relationships of the hop's
    /// types, keeping those that lead to the other end.
    pub(in crate::eval) fn hop_candidates(
        &self,
        pi: usize,
        ri: usize,
        cur: NodeId,
        dir: Direction,
        to: usize,
    ) -> Vec<Adj> {
        let slot = self.patterns[pi].nodes[to].slot;
        if self.assigned[slot]
            && let Value::Node(target) = self.row[slot]
            && self.degree(pi, ri, target, flip_dir(dir)) < self.degree(pi, ri, cur, dir)
        {
            let mut adjs = self.adjacent(pi, ri, target, flip_dir(dir));
            adjs.retain(|a| a.other == cur);
            for a in &mut adjs {
                a.other = target;
            }
            return adjs;
        }
        self.adjacent(pi, ri, cur, dir)
    }
}
