//! Top-k: `ORDER BY … LIMIT k` (with SKIP, the first SKIP + LIMIT) keeps
//! only the `k` best rows seen so far, in a binary heap whose root is the
//! worst of them. A row that cannot enter is dropped at once, so sorting
//! `n` rows under a limit takes `n log k` comparisons and memory for `k`
//! rows, whatever feeds it (a scan, an expand, the groups of an
//! aggregation).
//!
//! Ties keep the rows that came first, as the stable sort without a limit
//! does: each row carries its arrival number, which breaks ties.

use std::cmp::Ordering;

use crate::value::Value;

/// The `k` first rows by some keys.
pub struct TopK {
    k: usize,
    /// One flag per key: true when that key sorts descending.
    descending: Vec<bool>,
    /// A max-heap (by [`TopK::cmp`]) of the rows kept.
    heap: Vec<Entry>,
    /// Arrival number of the next row.
    seq: u64,
}

struct Entry {
    keys: Vec<Value>,
    seq: u64,
    row: Vec<Value>,
}

impl TopK {
    /// Keeps the first `k` rows by keys sorting as `descending` says.
    pub fn new(k: usize, descending: Vec<bool>) -> TopK {
        TopK {
            k,
            descending,
            heap: Vec::with_capacity(k.min(4096)),
            seq: 0,
        }
    }

    /// Whether a row with sort keys `keys` arriving now would be kept:
    /// true while fewer than `k` rows are held, or when it sorts before
    /// the worst of them.
    pub fn admits(&self, keys: &[Value]) -> bool {
        if self.heap.len() < self.k {
            return true;
        }
        match self.heap.first() {
            // Arriving later, a row equal to the worst loses the tie.
            Some(worst) => self.cmp_keys(keys, &worst.keys) == Ordering::Less,
            None => false,
        }
    }

    /// For input sorted by the first key: whether a row whose first key is
    /// `first`, and every row after it, can be left unread. True once `k`
    /// rows are held and `first` sorts strictly after the worst one's
    /// (ties are read, the other keys decide them). Values of the types
    /// an index does not order as ORDER BY does (maps, nodes, lists,
    /// temporal values...) never end the input.
    pub fn rest_cannot_enter(&self, first: &Value) -> bool {
        if self.heap.len() < self.k {
            return false;
        }
        let Some(worst) = self.heap.first() else {
            return true;
        };
        let ordered = matches!(
            first,
            Value::String(_) | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Null
        );
        ordered && compare(&self.descending[..1], std::slice::from_ref(first), &worst.keys[..1]) == Ordering::Greater
    }

    /// Whether a row whose first sort keys are `prefix` cannot be kept:
    /// `k` rows are held and `prefix` sorts strictly after the worst one's
    /// first keys (on a tie the keys after them decide, so it may be).
    /// Lets a caller skip building a row from its cheapest keys alone.
    pub fn cannot_enter(&self, prefix: &[Value]) -> bool {
        let n = prefix.len().min(self.descending.len());
        self.heap.len() >= self.k
            && self.heap.first().is_some_and(|worst| {
                compare(&self.descending[..n], &prefix[..n], &worst.keys[..n]) == Ordering::Greater
            })
    }

    /// How a row arriving now whose first sort keys are `prefix` stands
    /// against the worst row kept, on those keys: `None` while fewer than
    /// `k` rows are held (any row enters). `Greater` means it cannot
    /// enter, `Less` that it enters whatever its other keys; on `Equal`
    /// the keys after `prefix` decide, and when `prefix` is every key the
    /// row loses the tie (it came later).
    pub fn versus_worst(&self, prefix: &[Value]) -> Option<Ordering> {
        if self.k == 0 {
            return Some(Ordering::Greater);
        }
        if self.heap.len() < self.k {
            return None;
        }
        let worst = self.heap.first()?;
        let n = prefix.len().min(self.descending.len());
        Some(compare(&self.descending[..n], &prefix[..n], &worst.keys[..n]))
    }

    /// How sort key `i` of a row arriving now stands against the worst
    /// row kept's, for a row whose keys before it tie with that row's
    /// (see [`TopK::versus_worst`]).
    pub fn versus_worst_at(&self, i: usize, v: &Value) -> Option<Ordering> {
        if self.k == 0 {
            return Some(Ordering::Greater);
        }
        if self.heap.len() < self.k {
            return None;
        }
        let (worst, desc) = (self.heap.first()?, *self.descending.get(i)?);
        let o = v.total_cmp(worst.keys.get(i)?);
        Some(if desc { o.reverse() } else { o })
    }

    /// The number of sort keys.
    pub fn keys(&self) -> usize {
        self.descending.len()
    }

    /// Offers a row with its sort keys; the caller may have checked
    /// [`TopK::admits`] first to avoid building rows that cannot enter.
    pub fn push(&mut self, keys: Vec<Value>, row: Vec<Value>) {
        let seq = self.seq;
        self.seq += 1;
        if self.k == 0 {
            return;
        }
        let e = Entry { keys, seq, row };
        if self.heap.len() < self.k {
            self.heap.push(e);
            self.sift_up(self.heap.len() - 1);
        } else if self.cmp(&e, &self.heap[0]) == Ordering::Less {
            self.heap[0] = e;
            self.sift_down(0);
        }
    }

    /// The rows kept, first first.
    pub fn into_sorted(self) -> Vec<Vec<Value>> {
        let TopK {
            descending, mut heap, ..
        } = self;
        let order = |a: &Entry, b: &Entry| compare(&descending, &a.keys, &b.keys).then(a.seq.cmp(&b.seq));
        heap.sort_unstable_by(order);
        heap.into_iter().map(|e| e.row).collect()
    }

    /// Offers the rows `later` kept, which arrived after every row this
    /// one saw (a later morsel of a parallel operator): in their arrival
    /// order, so ties still go to the row that came first. A row `later`
    /// dropped lost to `k` rows that came before it, so it would lose here
    /// too: the result is the one a single heap over all the rows keeps.
    pub fn absorb(&mut self, later: TopK) {
        let mut entries = later.heap;
        entries.sort_unstable_by_key(|e| e.seq);
        for e in entries {
            self.push(e.keys, e.row);
        }
    }

    fn cmp_keys(&self, a: &[Value], b: &[Value]) -> Ordering {
        compare(&self.descending, a, b)
    }

    fn cmp(&self, a: &Entry, b: &Entry) -> Ordering {
        self.cmp_keys(&a.keys, &b.keys).then(a.seq.cmp(&b.seq))
    }

    fn sift_up(&mut self, mut i: usize) {
        while i > 0 {
            let parent = (i - 1) / 2;
            if self.cmp(&self.heap[i], &self.heap[parent]) != Ordering::Greater {
                break;
            }
            self.heap.swap(i, parent);
            i = parent;
        }
    }

    fn sift_down(&mut self, mut i: usize) {
        let n = self.heap.len();
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut largest = i;
            if l < n && self.cmp(&self.heap[l], &self.heap[largest]) == Ordering::Greater {
                largest = l;
            }
            if r < n && self.cmp(&self.heap[r], &self.heap[largest]) == Ordering::Greater {
                largest = r;
            }
            if largest == i {
                return;
            }
            self.heap.swap(i, largest);
            i = largest;
        }
    }
}

/// Compares two rows' keys in ORDER BY's order (`Value::total_cmp`, each
/// key reversed when descending).
pub fn compare(descending: &[bool], a: &[Value], b: &[Value]) -> Ordering {
    for ((x, y), desc) in a.iter().zip(b).zip(descending) {
        let o = x.total_cmp(y);
        let o = if *desc { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency on a crate's streams).
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn keeps_what_a_stable_sort_keeps() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for round in 0..300 {
            let n = (next(&mut state) % 60) as usize;
            let k = (next(&mut state) % 12) as usize;
            let desc = vec![next(&mut state).is_multiple_of(2), next(&mut state).is_multiple_of(2)];
            // Few distinct keys, so that ties are common.
            let rows: Vec<(Vec<Value>, Vec<Value>)> = (0..n)
                .map(|i| {
                    let a = Value::Int((next(&mut state) % 4) as i64);
                    let b = if next(&mut state).is_multiple_of(5) {
                        Value::Null
                    } else {
                        Value::from(format!("s{}", next(&mut state) % 3).as_str())
                    };
                    (vec![a, b], vec![Value::Int(i as i64)])
                })
                .collect();
            let mut top = TopK::new(k, desc.clone());
            for (keys, row) in rows.clone() {
                top.push(keys, row);
            }
            let mut all = rows;
            all.sort_by(|x, y| compare(&desc, &x.0, &y.0));
            let expected: Vec<String> = all.into_iter().take(k).map(|(_, r)| format!("{r:?}")).collect();
            let got: Vec<String> = top.into_sorted().iter().map(|r| format!("{r:?}")).collect();
            assert_eq!(got, expected, "round {round}, n {n}, k {k}");
        }
    }

    #[test]
    fn heaps_of_consecutive_runs_absorbed_keep_what_one_heap_keeps() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for round in 0..300 {
            let n = (next(&mut state) % 80) as usize;
            let k = (next(&mut state) % 12) as usize;
            let desc = vec![next(&mut state).is_multiple_of(2)];
            let rows: Vec<(Vec<Value>, Vec<Value>)> = (0..n)
                .map(|i| {
                    (
                        vec![Value::Int((next(&mut state) % 5) as i64)],
                        vec![Value::Int(i as i64)],
                    )
                })
                .collect();
            let mut one = TopK::new(k, desc.clone());
            for (keys, row) in rows.clone() {
                one.push(keys, row);
            }
            // Three consecutive runs, each in a heap of its own.
            let cut1 = (next(&mut state) as usize) % (n + 1);
            let cut2 = cut1 + (next(&mut state) as usize) % (n - cut1 + 1);
            let mut heaps = [cut1..cut2, cut2..n].map(|r| {
                let mut h = TopK::new(k, desc.clone());
                for (keys, row) in rows[r].iter().cloned() {
                    h.push(keys, row);
                }
                h
            });
            let mut merged = TopK::new(k, desc.clone());
            for (keys, row) in rows[..cut1].iter().cloned() {
                merged.push(keys, row);
            }
            for h in std::mem::replace(&mut heaps, [TopK::new(0, vec![]), TopK::new(0, vec![])]) {
                merged.absorb(h);
            }
            let show = |t: TopK| format!("{:?}", t.into_sorted());
            assert_eq!(show(merged), show(one), "round {round}, n {n}, k {k}");
        }
    }

    #[test]
    fn admits_only_rows_that_would_enter() {
        let mut top = TopK::new(2, vec![false]);
        assert!(top.admits(&[Value::Int(5)]));
        top.push(vec![Value::Int(5)], vec![]);
        top.push(vec![Value::Int(3)], vec![]);
        assert!(
            !top.admits(&[Value::Int(5)]),
            "a tie with the worst arrives later and loses"
        );
        assert!(top.admits(&[Value::Int(4)]));
        assert_eq!(top.heap.len(), 2);
    }
}
