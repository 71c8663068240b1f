//! IntersectCount (`Op::IntersectCount`, chosen by
//! `plan/optimise/intersect_count.rs`): the last two hops of a counted
//! pattern close a cycle back to a node bound before them, and are
//! counted together by looking each neighbour of the current node up in
//! the bound node's neighbours along the closing hop (listed once per
//! bound node, sorted), with no row per match. Run by the matcher like
//! `CountExpand` (see `count_expand.rs`), on morsels too.

use crate::eval::matcher::{Matcher, flip_dir};
use crate::store::{Direction, NodeId};
use crate::value::Value;

impl<'a, 'g> Matcher<'a, 'g> {
    /// The matches of the last two hops of pattern `pi` together, from
    /// `cur` (`Op::IntersectCount`): the first leaves `cur` in `dir` for a
    /// middle node nothing reads, the second returns from it to the node
    /// the pattern bound before (closing a cycle). The middle node must be
    /// among that node's neighbours along the closing hop, listed once per
    /// bound node sorted by neighbour: each neighbour of `cur` is looked up
    /// there. A pair of relationships counts when neither was used by the
    /// match and they differ.
    pub(in crate::eval) fn count_closing(&self, pi: usize, cur: NodeId, dir: Direction) -> u64 {
        let (g, p, lab) = (self.env.graph, &self.patterns[pi], &self.labels[pi]);
        let Some([(r1, mid), (r2, end)]) = crate::plan::optimise::intersect_count::last_two_hops(p) else {
            return 0;
        };
        let Value::Node(target) = self.row[p.nodes[end].slot] else {
            return 0;
        };
        // The closing position may ask for labels its other position did not.
        if !lab.has_labels(g, p, end, target) {
            return 0;
        }
        // Both hops go the same way along the pattern: rightwards from a
        // start at 0, leftwards otherwise.
        let closing_dir = match p.start {
            0 => p.rels[r2].direction,
            _ => flip_dir(p.rels[r2].direction),
        };
        let mut cache = self.closing.borrow_mut();
        if cache.as_ref().is_none_or(|(t, _)| *t != target) {
            let mut list = cache.take().map(|(_, l)| l).unwrap_or_default();
            list.clear();
            // From the bound node back along the closing hop.
            let adjs = self.adjacent(pi, r2, target, flip_dir(closing_dir));
            list.extend(adjs.iter().map(|a| (a.other, a.rel)));
            self.recycle(adjs);
            list.sort_unstable();
            *cache = Some((target, list));
        }
        let Some((_, closing)) = cache.as_ref() else {
            return 0;
        };
        if closing.is_empty() {
            return 0;
        }
        let labelled = lab.implied[r1][usize::from(mid == r1)];
        let mut n = 0u64;
        let adjs = self.adjacent(pi, r1, cur, dir);
        for a in &adjs {
            if self.used.contains(&a.rel) {
                continue;
            }
            let lo = closing.partition_point(|(m, _)| *m < a.other);
            let here = closing[lo..]
                .iter()
                .take_while(|(m, _)| *m == a.other)
                .filter(|(_, r)| *r != a.rel && !self.used.contains(r))
                .count() as u64;
            if here > 0 && (labelled || lab.has_labels(g, p, mid, a.other)) {
                n += here;
            }
        }
        self.recycle(adjs);
        n
    }
}
