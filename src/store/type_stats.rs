//! What the store knows about each relationship type beyond its
//! relationships: how many there are, how many distinct nodes they start
//! and end at, the highest number of them one node starts or ends, and
//! the lowest and highest node id at their starts and at their ends.
//!
//! The count and the distinct start and end nodes are exact through every
//! change (CREATE, DELETE, undo, redo, loads): the store's mutators look
//! at the node's degree in the type after each change. The highest
//! degrees and the id bounds only ever widen while the graph changes (a
//! DELETE does not narrow them; undoing the change that widened them
//! does), so they are upper bounds, exact after a load into an empty
//! graph. The bounds always hold. With node ids given out in order and a node file loading
//! into one run of ids, "every REQUIRES ends at a Skill" follows from the
//! end bounds lying within the run of Skill nodes: a planner may then skip
//! the per-relationship label check, or count a skill's roles as its
//! number of incoming REQUIRES.

/// The smallest range of node ids that holds a set of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdBounds {
    pub lo: u32,
    pub hi: u32,
}

impl IdBounds {
    fn of(id: u32) -> IdBounds {
        IdBounds { lo: id, hi: id }
    }

    fn widen(&mut self, other: IdBounds) {
        self.lo = self.lo.min(other.lo);
        self.hi = self.hi.max(other.hi);
    }

    /// Whether every id in these bounds is in `sorted` (ascending, no repeats).
    pub fn within(&self, sorted: &[super::NodeId]) -> bool {
        super::id_run(sorted).is_some_and(|run| run.contains(&(self.lo as usize)) && run.contains(&(self.hi as usize)))
    }
}

/// One relationship type's statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeStats {
    /// Relationships of the type (exact).
    pub count: usize,
    /// Nodes at which at least one starts, and at which one ends (exact).
    pub start_nodes: usize,
    pub end_nodes: usize,
    /// The most that start at one node, and that end at one node (upper
    /// bounds while the graph changes, see the module's comment).
    pub max_out: usize,
    pub max_in: usize,
    pub starts: IdBounds,
    pub ends: IdBounds,
    /// Relationships that start and end at the same node (exact): with
    /// none, a node's relationships either way are its two lists' lengths.
    pub loops: usize,
}

impl TypeStats {
    /// The first relationship of a type, from `start` to `end`.
    pub fn of(start: u32, end: u32) -> TypeStats {
        TypeStats {
            count: 1,
            start_nodes: 1,
            end_nodes: 1,
            max_out: 1,
            max_in: 1,
            starts: IdBounds::of(start),
            ends: IdBounds::of(end),
            loops: usize::from(start == end),
        }
    }

    /// Counts one more relationship from `start` to `end` (counted only
    /// for the bounds: see [`TypeStats::degrees`]).
    pub fn add(&mut self, start: u32, end: u32) {
        self.count += 1;
        self.loops += usize::from(start == end);
        self.starts.widen(IdBounds::of(start));
        self.ends.widen(IdBounds::of(end));
    }

    /// One more relationship from a node that now has `out` of the type
    /// to one that now has `inc` of it.
    pub fn added(&mut self, start: u32, end: u32, out: usize, inc: usize) {
        self.add(start, end);
        self.start_nodes += usize::from(out == 1);
        self.end_nodes += usize::from(inc == 1);
        self.max_out = self.max_out.max(out);
        self.max_in = self.max_in.max(inc);
    }

    /// One relationship less, from a node that now has `out` of the type
    /// to one that now has `inc` of it (the bounds stay); `self_loop` when
    /// it started and ended at the same node.
    pub fn removed(&mut self, out: usize, inc: usize, self_loop: bool) {
        self.count = self.count.saturating_sub(1);
        self.loops = self.loops.saturating_sub(usize::from(self_loop));
        self.start_nodes = self.start_nodes.saturating_sub(usize::from(out == 0));
        self.end_nodes = self.end_nodes.saturating_sub(usize::from(inc == 0));
    }

    /// Adds the statistics of relationships at other nodes (a bulk load
    /// into a graph whose relationships of the type are all gone).
    pub fn merge(&mut self, other: TypeStats) {
        self.count += other.count;
        self.loops += other.loops;
        self.start_nodes += other.start_nodes;
        self.end_nodes += other.end_nodes;
        self.max_out = self.max_out.max(other.max_out);
        self.max_in = self.max_in.max(other.max_in);
        self.starts.widen(other.starts);
        self.ends.widen(other.ends);
    }

    /// Whether `other` has wider bounds or higher degrees than these
    /// (what a journal must keep to take a change back).
    pub fn widened_by(&self, other: &TypeStats) -> bool {
        self.starts != other.starts
            || self.ends != other.ends
            || self.max_out != other.max_out
            || self.max_in != other.max_in
    }

    /// The statistics of a bulk load's relationships into a graph that
    /// had none, `sorted` by (start, type) as the frozen adjacency takes
    /// them: the counts and bounds come from [`TypeStats::add`] over
    /// them, and this sets the distinct start and end nodes and the
    /// highest degrees, exactly. Ends are counted in a table over each
    /// type's range of end ids, one type at a time.
    pub fn degrees(sorted: &[(u32, u32, super::Sym)], per_type: &mut [Option<TypeStats>]) {
        for s in per_type.iter_mut().flatten() {
            s.start_nodes = 0;
            s.end_nodes = 0;
            s.max_out = 0;
            s.max_in = 0;
        }
        let mut run = 0usize;
        for (i, &(s, _, t)) in sorted.iter().enumerate() {
            run += 1;
            let last = sorted.get(i + 1).is_none_or(|&(s2, _, t2)| s2 != s || t2 != t);
            if last {
                if let Some(Some(st)) = per_type.get_mut(t.index()) {
                    st.start_nodes += 1;
                    st.max_out = st.max_out.max(run);
                }
                run = 0;
            }
        }
        let mut counts: Vec<u32> = Vec::new();
        for (ti, st) in per_type.iter_mut().enumerate() {
            let Some(st) = st else { continue };
            let lo = st.ends.lo as usize;
            counts.clear();
            counts.resize(st.ends.hi as usize - lo + 1, 0);
            for &(_, e, t) in sorted {
                if t.index() == ti {
                    counts[e as usize - lo] += 1;
                }
            }
            st.end_nodes = counts.iter().filter(|&&c| c > 0).count();
            st.max_in = counts.iter().copied().max().unwrap_or(0) as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NodeId;

    fn ids(v: &[u32]) -> Vec<NodeId> {
        v.iter().map(|&i| NodeId(i)).collect()
    }

    #[test]
    fn bounds_are_within_a_list_only_when_it_is_a_run_that_covers_them() {
        let b = IdBounds { lo: 11, hi: 13 };
        assert!(b.within(&ids(&[10, 11, 12, 13, 14])));
        assert!(b.within(&ids(&[11, 12, 13])));
        assert!(!b.within(&ids(&[12, 13, 14])), "11 is not in it");
        assert!(!b.within(&ids(&[10, 11, 13, 14])), "a gap: 12 is not in it");
        assert!(!b.within(&ids(&[])));
        assert!(IdBounds::of(7).within(&ids(&[7])));
    }

    #[test]
    fn statistics_widen_with_every_relationship() {
        let mut s = TypeStats::of(5, 9);
        s.add(3, 10);
        s.add(6, 1);
        assert_eq!(s.count, 3);
        assert_eq!(s.starts, IdBounds { lo: 3, hi: 6 });
        assert_eq!(s.ends, IdBounds { lo: 1, hi: 10 });
    }

    #[test]
    fn a_bulk_load_counts_distinct_ends_and_highest_degrees() {
        use crate::store::Sym;
        let (a, b) = (Sym::from_index(0), Sym::from_index(1));
        // Sorted by (start, type): 1 -a-> 5, 1 -a-> 6, 1 -b-> 5, 2 -a-> 5.
        let sorted = [(1, 5, a), (1, 6, a), (1, 5, b), (2, 5, a)];
        let mut per_type: Vec<Option<TypeStats>> = vec![None, None];
        for &(s, e, t) in &sorted {
            match &mut per_type[t.index()] {
                Some(st) => st.add(s, e),
                none => *none = Some(TypeStats::of(s, e)),
            }
        }
        TypeStats::degrees(&sorted, &mut per_type);
        let sa = per_type[0].unwrap();
        assert_eq!(
            (sa.count, sa.start_nodes, sa.end_nodes, sa.max_out, sa.max_in),
            (3, 2, 2, 2, 2)
        );
        let sb = per_type[1].unwrap();
        assert_eq!(
            (sb.count, sb.start_nodes, sb.end_nodes, sb.max_out, sb.max_in),
            (1, 1, 1, 1, 1)
        );
    }
}
