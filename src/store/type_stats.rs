//! What the store knows about each relationship type beyond its
//! relationships: how many there are, and the lowest and highest node id
//! at their starts and at their ends.
//!
//! The bounds only ever widen (relationships are never removed), so they
//! always hold. With node ids given out in order and a node file loading
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
    pub count: usize,
    pub starts: IdBounds,
    pub ends: IdBounds,
}

impl TypeStats {
    pub fn of(start: u32, end: u32) -> TypeStats {
        TypeStats {
            count: 1,
            starts: IdBounds::of(start),
            ends: IdBounds::of(end),
        }
    }

    /// Counts one more relationship from `start` to `end`.
    pub fn add(&mut self, start: u32, end: u32) {
        self.merge(TypeStats::of(start, end));
    }

    pub fn merge(&mut self, other: TypeStats) {
        self.count += other.count;
        self.starts.widen(other.starts);
        self.ends.widen(other.ends);
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
        s.merge(TypeStats::of(6, 1));
        assert_eq!(s.count, 3);
        assert_eq!(s.starts, IdBounds { lo: 3, hi: 6 });
        assert_eq!(s.ends, IdBounds { lo: 1, hi: 10 });
    }
}
