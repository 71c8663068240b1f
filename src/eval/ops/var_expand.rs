//! Variable-length expand: `-[*min..max]->`, depth first over trails (no
//! relationship twice), binding the relationships as a list.

use crate::error::QueryError;
use crate::eval::matcher::{Emit, Matcher};
use crate::plan::ops::RelStep;
use crate::store::{Adj, Direction, NodeId, RelId};
use crate::value::Value;

impl<'a, 'g> Matcher<'a, 'g> {
    #[allow(clippy::too_many_arguments)]
    pub(in crate::eval) fn var_hops(
        &mut self,
        pi: usize,
        si: usize,
        ri: usize,
        rel: &RelStep,
        cur: NodeId,
        dir: Direction,
        to: usize,
        flip: bool,
        min: u64,
        max: Option<u64>,
        emit: &mut Emit<'_>,
    ) -> Result<bool, QueryError> {
        // Depth-first over trails (no relationship twice), which also
        // guarantees termination on cyclic graphs.
        let mut trail: Vec<RelId> = Vec::new();
        let mut stack: Vec<(NodeId, Vec<Adj>, usize)> = Vec::new();
        let first = self.adjacent(pi, ri, cur, dir);
        if min == 0 && !self.try_var_end(pi, si, ri, rel, cur, &trail, to, flip, emit)? {
            return Ok(false);
        }
        if max == Some(0) {
            return Ok(true);
        }
        stack.push((cur, first, 0));
        while let Some((_, adjs, idx)) = stack.last_mut() {
            self.env.guard.tick()?;
            if *idx >= adjs.len() {
                stack.pop();
                trail.pop();
                continue;
            }
            let adj = adjs[*idx];
            *idx += 1;
            if trail.contains(&adj.rel) || self.used.contains(&adj.rel) || !self.rel_ok(rel, adj.rel)? {
                continue;
            }
            trail.push(adj.rel);
            self.env.guard.count_path()?;
            let depth = trail.len() as u64;
            if depth >= min && !self.try_var_end(pi, si, ri, rel, adj.other, &trail, to, flip, emit)? {
                return Ok(false);
            }
            if max.is_none_or(|m| depth < m) {
                let next = self.adjacent(pi, ri, adj.other, dir);
                stack.push((adj.other, next, 0));
            } else {
                trail.pop();
            }
        }
        Ok(true)
    }

    #[allow(clippy::too_many_arguments)]
    fn try_var_end(
        &mut self,
        pi: usize,
        si: usize,
        ri: usize,
        rel: &RelStep,
        end: NodeId,
        trail: &[RelId],
        to: usize,
        flip: bool,
        emit: &mut Emit<'_>,
    ) -> Result<bool, QueryError> {
        let p = &self.patterns[pi];
        let Some(undo) = self.bind_node(pi, to, end)? else {
            return Ok(true);
        };
        let mut in_order = trail.to_vec();
        if flip {
            in_order.reverse();
        }
        let list = Value::list(in_order.iter().map(|r| Value::Rel(*r)).collect());
        let rel_was = self.assigned[rel.slot];
        let ok = !rel_was || self.row[rel.slot].equivalent(&list);
        let mut go_on = Ok(true);
        if ok {
            self.row[rel.slot] = list;
            self.assigned[rel.slot] = true;
            let mark = self.used.len();
            self.used.extend_from_slice(trail);
            self.traversed[ri] = in_order;
            go_on = self.step(pi, si + 1, emit);
            self.used.truncate(mark);
            self.unbind(rel.slot, rel_was);
        }
        self.unbind(p.nodes[to].slot, undo);
        go_on
    }
}
