//! Count expand (`Op::CountExpand`): nothing reads the last hop's
//! relationship or end, so at each node it leaves its matches are counted
//! and one row, weighted by that count, stands for them all.

use crate::error::QueryError;
use crate::eval::expr::{Env, eval, truth};
use crate::eval::matcher::{Matcher, labels_implied};
use crate::eval::nodefilter::NodeFilter;
use crate::eval::pairfilter::PairFilter;
use crate::plan::ops::MatchOp;
use crate::store::{Adj, Direction, NodeId};
use crate::value::Value;

use crate::eval::pipeline::WeightedSink;

/// Matches `m` from `row`, its last hop counted: `sink` gets each row
/// with the number of the last hop's matches it stands for.
/// With `close` (`Op::IntersectCount`), the last two hops are counted
/// together (see `intersect_count.rs`).
pub(in crate::eval) fn count_last_hop(
    m: &MatchOp,
    row: &[Value],
    close: bool,
    env: &Env<'_>,
    sink: &mut WeightedSink<'_>,
) -> Result<bool, QueryError> {
    count_last_hop_from(m, row, None, close, env, sink)
}

/// As [`count_last_hop`], the first part started from `starts` when given
/// (one morsel of its scan, see `ops/parallel.rs`).
pub(in crate::eval) fn count_last_hop_from(
    m: &MatchOp,
    row: &[Value],
    starts: Option<&[NodeId]>,
    close: bool,
    env: &Env<'_>,
    sink: &mut WeightedSink<'_>,
) -> Result<bool, QueryError> {
    let weight = std::cell::Cell::new(1);
    let mut matcher = Matcher::new(env, &m.patterns, row, m.width);
    matcher.count_last_hop(&weight);
    matcher.close_two = close;
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
    /// other end has the node's labels and passes the conditions checked
    /// after the last hop (see [`Matcher::end_checks`]).
    pub(in crate::eval) fn count_hop(
        &self,
        pi: usize,
        ri: usize,
        cur: NodeId,
        dir: Direction,
        to: usize,
    ) -> Result<u64, QueryError> {
        let (g, p, lab) = (self.env.graph, &self.patterns[pi], &self.labels[pi]);
        let conditions = p.filters.get(p.rels.len()).map(Vec::as_slice).unwrap_or(&[]);
        if conditions.is_empty()
            && let Some(n) = self.count_by_degree(pi, ri, cur, dir, to)
        {
            return Ok(n);
        }
        let checks = self.end_checks(pi, to, conditions);
        // A row with the end bound, for the conditions the evaluator checks.
        let mut bound_row: Option<Vec<Value>> = None;
        let mut failed = None;
        let check =
            !(p.nodes[to].labels.is_empty() || lab.implied[ri][usize::from(to == ri)] || self.labels_known(pi, to));
        let mut n = 0u64;
        let mut visit = |adj: Adj| {
            if failed.is_some() || self.used.contains(&adj.rel) || (check && !lab.has_labels(g, p, to, adj.other)) {
                return;
            }
            for (c, how) in conditions.iter().zip(&checks) {
                let known = match how {
                    EndCheck::Node(f) if !g.is_deleted_node(adj.other) => match f.holds(g, adj.other) {
                        None if f.undecided(g, adj.other) => None,
                        t => Some(t),
                    },
                    EndCheck::Pair {
                        f,
                        end_side,
                        other,
                        word,
                    } if !g.is_deleted_node(adj.other) => Some(f.holds_against(g, *end_side, adj.other, *other, *word)),
                    _ => None,
                };
                let holds = match known {
                    Some(t) => t,
                    None => {
                        let row = bound_row.get_or_insert_with(|| self.row.clone());
                        row[p.nodes[to].slot] = Value::Node(adj.other);
                        match eval(c, self.env, row).and_then(|v| truth(v, c.span)) {
                            Ok(t) => t,
                            Err(e) => {
                                failed = Some(e);
                                return;
                            }
                        }
                    }
                };
                if holds != Some(true) {
                    return;
                }
            }
            n += 1;
        };
        let types = &p.rels[ri].types;
        if types.len() <= 1 {
            match (types.first(), lab.types[ri].first()) {
                (None, _) => g.neighbours(cur, dir, None).into_iter().for_each(&mut visit),
                (Some(_), Some(Some(s))) => g.for_each_neighbour_sym(cur, dir, Some(*s), &mut visit),
                (Some(t), _) => g.for_each_neighbour(cur, dir, Some(t), &mut visit),
            }
        } else {
            self.adjacent(pi, ri, cur, dir).into_iter().for_each(&mut visit);
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(n),
        }
    }

    /// How each condition checked after the last hop of pattern `pi`
    /// (whose end is node `to`) is checked on a counted end without
    /// binding it: compiled on the end's handle, or as a comparison with
    /// a bound node whose value is read once here. Anything else (and a
    /// compiled check left undecided) is evaluated on a row with the end
    /// bound.
    fn end_checks(&self, pi: usize, to: usize, conditions: &[crate::plan::ops::PExpr]) -> Vec<EndCheck<'_>> {
        let (g, p, lab) = (self.env.graph, &self.patterns[pi], &self.labels[pi]);
        let at = p.rels.len();
        let x = p.nodes[to].slot;
        (0..conditions.len())
            .map(|ci| {
                if let Some(f) = lab.filters.get(at).and_then(|f| f.get(ci)?.as_ref())
                    && f.slot == x
                {
                    return EndCheck::Node(f);
                }
                if let Some(f) = lab.pairs.get(at).and_then(|f| f.get(ci)?.as_ref())
                    && let Some(end_side) = f.slots.iter().position(|&s| s == x)
                    && let Value::Node(o) = self.row[f.slots[1 - end_side]]
                    && !g.is_deleted_node(o)
                {
                    let other = f.value(g, 1 - end_side, o);
                    return EndCheck::Pair {
                        f,
                        end_side,
                        other,
                        word: crate::eval::pairfilter::ordered(other),
                    };
                }
                EndCheck::Eval
            })
            .collect()
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

/// How a condition after a counted last hop is checked on each end (see
/// [`Matcher::end_checks`]).
enum EndCheck<'m> {
    /// On the end's handle.
    Node(&'m NodeFilter),
    /// Against the other node's value (`other`), the end on side
    /// `end_side` of the comparison.
    Pair {
        f: &'m PairFilter,
        end_side: usize,
        other: Option<&'m Value>,
        /// `other` as an ordered word (see `pairfilter::ordered`).
        word: u64,
    },
    /// By the evaluator, on a row with the end bound.
    Eval,
}
