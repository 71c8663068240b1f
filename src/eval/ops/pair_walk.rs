//! Two-hop pair walk: the physical strategy of `Op::DistinctPairs` and
//! `Op::PairCounts` (`eval/ops/distinct_pairs.rs`) for a pattern of two
//! directed hops, `(s)-[:A]-(m)-[:B]-(x)`, with nothing to check but
//! labels. From one start node it reads the first hop's relationships,
//! checks each middle node's labels (unless the hop's type statistics
//! imply them), reads that node's second-hop relationships and marks each
//! end that has the end's labels, counting its matches when asked: no
//! matcher, no row, no binding per match. A second-hop relationship that
//! is the first hop's own is skipped (one MATCH binds a relationship
//! once).
//!
//! `PairWalk::new` says whether a pattern is of that shape (anything
//! else, such as WHERE conditions, property maps, undirected or
//! variable-length hops, goes through the matcher as before).

use crate::plan::ops::MatchOp;
use crate::store::{Direction, Graph, LabelTest, NodeId, NodeSet, Sym};

/// The most pairs [`PairWalk::through_middle`] keeps before grouping
/// them by start (eight bytes each).
const MAX_HELD_PAIRS: f64 = 32_000_000.0;

/// One hop as taken from the start: its types (empty: any type), its
/// direction, and the labels to check on the node it reaches (`None`:
/// none, or implied by the types' statistics).
struct Hop {
    types: Vec<Option<Sym>>,
    /// How many relationships its types have.
    rels: f64,
    dir: Direction,
    labels: Option<LabelTest>,
}

/// The pairs of one start's two-hop matches, marked in a set.
pub(in crate::eval) struct PairWalk {
    first: Hop,
    second: Hop,
    /// The first hop taken back, from the middle node to the start
    /// (through the middle, see [`PairWalk::through_middle`]).
    back: Hop,
    /// The middle node's labels (scanned through the middle), and a test
    /// of all of them when there are several.
    mid_labels: Vec<String>,
    mid_test: Option<LabelTest>,
    /// A label or every type of a hop the graph lacks: nothing matches.
    none: bool,
}

/// What a walk from one start left: the ends in the order first reached
/// and, when counting, each one's matches.
#[derive(Default)]
pub(in crate::eval) struct Marks {
    seen: NodeSet,
    pub(in crate::eval) fresh: Vec<NodeId>,
    pub(in crate::eval) counts: Vec<u64>,
    /// Each fresh node's position (counting only).
    at: rustc_hash::FxHashMap<NodeId, u32>,
}

impl Marks {
    /// Marks end `e` of one more match.
    #[inline]
    fn mark(&mut self, e: NodeId, counting: bool) {
        if self.seen.insert(e) {
            if counting {
                self.at.insert(e, self.fresh.len() as u32);
            }
            self.fresh.push(e);
            self.counts.push(1);
        } else if counting && let Some(&i) = self.at.get(&e) {
            self.counts[i as usize] += 1;
        }
    }

    /// Empties the marks for the next start.
    pub(in crate::eval) fn clear(&mut self) {
        for &n in &self.fresh {
            self.seen.remove(n);
        }
        self.fresh.clear();
        self.counts.clear();
        self.at.clear();
    }
}

impl PairWalk {
    /// The walk for `m`'s one pattern, when it is two directed fixed hops
    /// from an end node, with no property map, no WHERE condition and no
    /// path variable (labels only); `None` otherwise.
    pub(in crate::eval) fn new(m: &MatchOp, g: &Graph) -> Option<PairWalk> {
        let [p] = m.patterns.as_slice() else {
            return None;
        };
        if p.rels.len() != 2
            || m.filter.is_some()
            || p.path_slot.is_some()
            || p.join.is_some()
            || p.seek.is_some()
            || p.top.is_some()
            || p.filters.iter().any(|f| !f.is_empty())
            || p.nodes.iter().any(|n| n.props.is_some())
            || p.rels.iter().any(|r| r.var_len.is_some() || r.props.is_some())
            || p.rels.iter().any(|r| r.direction == Direction::Both)
            || p.nodes[p.start.min(2)].labels.len() > 1
        {
            return None;
        }
        let slots = [p.nodes[0].slot, p.nodes[1].slot, p.nodes[2].slot];
        if slots[0] == slots[1] || slots[1] == slots[2] || slots[0] == slots[2] {
            return None;
        }
        // The hops as taken from the start: written order from node 0,
        // reversed (and flipped) from node 2.
        let (order, flip) = match p.start {
            0 => ([0, 1], false),
            2 => ([1, 0], true),
            _ => return None,
        };
        // Rel `i` joins nodes `i` and `i + 1`; taken from the start it
        // reaches the latter, reversed the former.
        let reached = |i: usize| if flip { i } else { i + 1 };
        let mut none = false;
        // Hop `k` as taken from the start (`back`: the first one taken
        // from the middle to the start).
        let mut hop = |k: usize, back: bool| {
            let r = &p.rels[order[k]];
            let dir = match (flip != back, r.direction) {
                (false, d) => d,
                (true, Direction::Outgoing) => Direction::Incoming,
                (true, _) => Direction::Outgoing,
            };
            let rels: f64 = match r.types.is_empty() {
                true => g.rel_count() as f64,
                false => {
                    let mut names: Vec<&String> = r.types.iter().collect();
                    names.sort();
                    names.dedup();
                    names.iter().map(|t| g.type_count(t) as f64).sum()
                }
            };
            let types: Vec<Option<Sym>> = match r.types.is_empty() {
                true => vec![None],
                false => {
                    let mut ts: Vec<Sym> = r.types.iter().filter_map(|t| g.sym(t)).collect();
                    ts.sort();
                    ts.dedup();
                    none |= ts.is_empty();
                    ts.into_iter().map(Some).collect()
                }
            };
            let node = match back {
                false => &p.nodes[reached(order[k])],
                true => &p.nodes[p.start],
            };
            let syms: Option<Vec<Sym>> = node.labels.iter().map(|l| g.sym(l)).collect();
            let Some(syms) = syms else {
                none = true;
                return Hop {
                    types,
                    rels,
                    dir,
                    labels: None,
                };
            };
            // The reached node is a relationship's start when the hop is
            // taken against it.
            let at_start = dir == Direction::Incoming;
            let implied = syms.is_empty()
                || types
                    .iter()
                    .all(|t| t.is_some_and(|t| syms.iter().all(|&l| g.type_ends_have_label(t, at_start, l))));
            Hop {
                types,
                rels,
                dir,
                labels: (!implied).then(|| g.label_test(&syms)),
            }
        };
        let first = hop(0, false);
        let second = hop(1, false);
        let back = hop(0, true);
        let mid_labels = p.nodes[1].labels.clone();
        let mid_test = match mid_labels.iter().map(|l| g.sym(l)).collect::<Option<Vec<Sym>>>() {
            Some(syms) if syms.len() > 1 => Some(g.label_test(&syms)),
            Some(_) => None,
            None => {
                none = true;
                None
            }
        };
        Some(PairWalk {
            first,
            second,
            back,
            mid_labels,
            mid_test,
            none,
        })
    }

    /// Whether the pairs of every start are better made through the
    /// middle nodes (one pass over their label in storage order, each
    /// middle's two lists read side by side) than from each start (a
    /// middle read at random per first-hop relationship): when the
    /// first hop's relationships are at least a quarter of the middle
    /// label's nodes (most middles are visited anyway), and the pairs
    /// kept before being grouped by start stay below [`MAX_HELD_PAIRS`].
    pub(in crate::eval) fn through_middle_pays(&self, g: &Graph) -> bool {
        if self.none {
            return false;
        }
        let middles = super::label_scan::scan(g, &self.mid_labels).len().max(1) as f64;
        let (first, second) = (self.first.rels, self.second.rels);
        let held = first * (second / middles);
        4.0 * first >= middles && held <= MAX_HELD_PAIRS
    }

    /// The (start, end) pair of every match through each of `middles`,
    /// appended to `out` in the middles' order.
    pub(in crate::eval) fn through_middle(
        &self,
        env: &crate::eval::expr::Env<'_>,
        middles: &[NodeId],
        out: &mut Vec<(NodeId, NodeId)>,
    ) -> Result<(), crate::error::QueryError> {
        if self.none {
            return Ok(());
        }
        let g = env.graph;
        let mut starts: Vec<(crate::store::RelId, NodeId)> = Vec::new();
        for &r in middles {
            env.guard.tick()?;
            if self.mid_test.as_ref().is_some_and(|l| !l.holds(g, r)) {
                continue;
            }
            starts.clear();
            for &t in &self.back.types {
                g.for_each_neighbour_sym(r, self.back.dir, t, |a| {
                    if self.back.labels.as_ref().is_none_or(|l| l.holds(g, a.other)) {
                        starts.push((a.rel, a.other));
                    }
                });
            }
            if starts.is_empty() {
                continue;
            }
            for &t in &self.second.types {
                g.for_each_neighbour_sym(r, self.second.dir, t, |b| {
                    if self.second.labels.as_ref().is_some_and(|l| !l.holds(g, b.other)) {
                        return;
                    }
                    for &(rel, s) in &starts {
                        if rel != b.rel {
                            out.push((s, b.other));
                        }
                    }
                });
            }
        }
        Ok(())
    }

    /// The pairs `runs` hold (in order), grouped by start in handle order:
    /// to `emit` each (start, end, matches) once, the ends of a start in
    /// the order first met. False when `emit` asked to stop; `None` when a
    /// node is newer than the graph's table of nodes (the graph changed:
    /// never while a clause reads it).
    pub(in crate::eval) fn by_start(
        g: &Graph,
        runs: &[Vec<(NodeId, NodeId)>],
        counting: bool,
        emit: &mut dyn FnMut(NodeId, NodeId, u64) -> Result<bool, crate::error::QueryError>,
    ) -> Result<Option<bool>, crate::error::QueryError> {
        // A counting sort by start: each start's count, then its bucket.
        let mut at = g.node_map(0u32);
        let mut starts = Vec::new();
        for &(s, _) in runs.iter().flatten() {
            let Some(c) = at.get_mut(s) else { return Ok(None) };
            if *c == 0 {
                starts.push(s);
            }
            *c += 1;
        }
        starts.sort_unstable();
        let mut total = 0u32;
        for &s in &starts {
            let Some(c) = at.get_mut(s) else { return Ok(None) };
            let n = *c;
            *c = total;
            total += n;
        }
        let mut ends = vec![NodeId::default(); total as usize];
        for &(s, e) in runs.iter().flatten() {
            let Some(c) = at.get_mut(s) else { return Ok(None) };
            ends[*c as usize] = e;
            *c += 1;
        }
        // Each bucket now ends where the next begins.
        let mut marks = Marks::default();
        let mut begin = 0usize;
        for &s in &starts {
            let Some(&end) = at.get(s) else { return Ok(None) };
            for &e in &ends[begin..end as usize] {
                marks.mark(e, counting);
            }
            begin = end as usize;
            for (&n, &c) in marks.fresh.iter().zip(&marks.counts) {
                if !emit(s, n, if counting { c } else { 1 })? {
                    return Ok(Some(false));
                }
            }
            marks.clear();
        }
        Ok(Some(true))
    }

    /// Marks the ends of `s`'s matches in `marks` (emptied before), in
    /// the order first reached, counting each one's matches when
    /// `counting`.
    pub(in crate::eval) fn walk(&self, g: &Graph, s: NodeId, counting: bool, marks: &mut Marks) {
        if self.none {
            return;
        }
        for &t1 in &self.first.types {
            g.for_each_neighbour_sym(s, self.first.dir, t1, |a| {
                if self.first.labels.as_ref().is_some_and(|l| !l.holds(g, a.other)) {
                    return;
                }
                for &t2 in &self.second.types {
                    g.for_each_neighbour_sym(a.other, self.second.dir, t2, |b| {
                        if b.rel == a.rel || self.second.labels.as_ref().is_some_and(|l| !l.holds(g, b.other)) {
                            return;
                        }
                        marks.mark(b.other, counting);
                    });
                }
            });
        }
    }
}
