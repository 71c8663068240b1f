//! Count expand (`Op::CountExpand`): nothing reads the last hop's
//! relationship or end, so at each node it leaves its matches are counted
//! and one row, weighted by that count, stands for them all.

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::eval::matcher::{Matcher, labels_implied};
use crate::plan::ops::MatchOp;
use crate::store::{Adj, Direction, NodeId};
use crate::value::Value;

use crate::eval::pipeline::WeightedSink;

/// Matches `m` from `row`, its last hop counted: `sink` gets each row
/// with the number of the last hop's matches it stands for.
pub(in crate::eval) fn count_last_hop(
    m: &MatchOp,
    row: &[Value],
    env: &Env<'_>,
    sink: &mut WeightedSink<'_>,
) -> Result<bool, QueryError> {
    count_last_hop_from(m, row, None, env, sink)
}

/// As [`count_last_hop`], the first part started from `starts` when given
/// (one morsel of its scan, see `ops/parallel.rs`).
pub(in crate::eval) fn count_last_hop_from(
    m: &MatchOp,
    row: &[Value],
    starts: Option<&[NodeId]>,
    env: &Env<'_>,
    sink: &mut WeightedSink<'_>,
) -> Result<bool, QueryError> {
    let weight = std::cell::Cell::new(1);
    let mut matcher = Matcher::new(env, &m.patterns, row, m.width);
    matcher.count_last_hop(&weight);
    if let Some(s) = starts {
        matcher.start_from(s);
    }
    matcher.run(&mut |r| {
        env.guard.tick()?;
        sink(&r[..m.width], weight.get())
    })
}

impl<'a, 'g> Matcher<'a, 'g> {
    /// The matches of a last hop no one reads (step `ri` of pattern `pi`
    /// from `cur` in `dir` to node `to`): relationships not used yet whose
    /// other end has the node's labels.
    pub(in crate::eval) fn count_hop(&self, pi: usize, ri: usize, cur: NodeId, dir: Direction, to: usize) -> u64 {
        let (g, p, lab) = (self.env.graph, &self.patterns[pi], &self.labels[pi]);
        if let Some(n) = self.count_by_degree(pi, ri, cur, dir, to) {
            return n;
        }
        let check = !p.nodes[to].labels.is_empty();
        let mut n = 0u64;
        let mut visit = |adj: Adj| {
            if !self.used.contains(&adj.rel) && (!check || lab.has_labels(g, p, to, adj.other)) {
                n += 1;
            }
        };
        let types = &p.rels[ri].types;
        if types.len() <= 1 {
            match (types.first(), lab.types[ri].first()) {
                (None, _) => g.neighbours(cur, dir, None).into_iter().for_each(visit),
                (Some(_), Some(Some(s))) => g.for_each_neighbour_sym(cur, dir, Some(*s), &mut visit),
                (Some(t), _) => g.for_each_neighbour(cur, dir, Some(t), &mut visit),
            }
            return n;
        }
        self.adjacent(pi, ri, cur, dir).into_iter().for_each(visit);
        n
    }

    /// The count of [`Matcher::count_hop`] read off the node's degree in
    /// the hop's one type, when no relationship needs looking at: the far
    /// node's labels are implied by the store's statistics for that type
    /// (or there are none), and the relationships this match has used
    /// already are subtracted where they lie in the counted run. `None`
    /// when a check per relationship is needed.
    fn count_by_degree(&self, pi: usize, ri: usize, cur: NodeId, dir: Direction, to: usize) -> Option<u64> {
        let (g, p, lab) = (self.env.graph, &self.patterns[pi], &self.labels[pi]);
        let [Some(t)] = lab.types[ri].as_slice() else {
            return None;
        };
        if dir == Direction::Both || p.rels[ri].types.len() != 1 {
            return None;
        }
        if !p.nodes[to].labels.is_empty() && !labels_implied(g, &lab.syms, to, *t, dir, false) {
            return None;
        }
        let at_cur = |r: &crate::store::RelId| {
            let rel = g.rel(*r);
            rel.type_sym() == *t
                && match dir {
                    Direction::Outgoing => rel.start() == cur,
                    _ => rel.end() == cur,
                }
        };
        let taken = self.used.iter().filter(|r| at_cur(r)).count();
        Some((g.degree_sym(cur, dir, Some(*t)) - taken) as u64)
    }
}
