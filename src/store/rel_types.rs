//! The type of every relationship, one byte each while a graph has at most
//! 256 types (every graph we know of), four bytes each beyond that. Keeping
//! types out of petgraph's edge weight saves three bytes a relationship and
//! puts a node's run of types in a few cache lines, where the adjacency's
//! binary search for one type reads them.

use super::Sym;

#[derive(Debug, Clone)]
pub(super) enum RelTypes {
    /// `codes[i]` indexes `syms`.
    Narrow {
        codes: Vec<u8>,
        syms: Vec<Sym>,
    },
    Wide(Vec<Sym>),
}

impl Default for RelTypes {
    fn default() -> RelTypes {
        RelTypes::Narrow {
            codes: Vec::new(),
            syms: Vec::new(),
        }
    }
}

impl RelTypes {
    #[inline]
    pub(super) fn get(&self, rel: usize) -> Sym {
        match self {
            RelTypes::Narrow { codes, syms } => syms[codes[rel] as usize],
            RelTypes::Wide(v) => v[rel],
        }
    }

    /// A hint that relationship `rel`'s type will be read soon.
    #[inline]
    pub(super) fn prefetch(&self, rel: usize) {
        match self {
            RelTypes::Narrow { codes, .. } => super::prefetch(codes.as_ptr().wrapping_add(rel)),
            RelTypes::Wide(v) => super::prefetch(v.as_ptr().wrapping_add(rel)),
        }
    }

    pub(super) fn push(&mut self, t: Sym) {
        match self {
            RelTypes::Narrow { codes, syms } => {
                if let Some(&last) = codes.last()
                    && syms[last as usize] == t
                {
                    codes.push(last);
                    return;
                }
                let code = match syms.iter().position(|s| *s == t) {
                    Some(c) => c,
                    None if syms.len() < 256 => {
                        syms.push(t);
                        syms.len() - 1
                    }
                    None => {
                        let mut wide: Vec<Sym> = codes.iter().map(|c| syms[*c as usize]).collect();
                        wide.push(t);
                        *self = RelTypes::Wide(wide);
                        return;
                    }
                };
                codes.push(code as u8);
            }
            RelTypes::Wide(v) => v.push(t),
        }
    }

    /// Forgets the last relationship's type (the undo of a CREATE).
    pub(super) fn pop(&mut self) {
        match self {
            RelTypes::Narrow { codes, .. } => {
                codes.pop();
            }
            RelTypes::Wide(v) => {
                v.pop();
            }
        }
    }

    pub(super) fn reserve_exact(&mut self, n: usize) {
        match self {
            RelTypes::Narrow { codes, .. } => codes.reserve_exact(n),
            RelTypes::Wide(v) => v.reserve_exact(n),
        }
    }

    pub(super) fn heap_bytes(&self) -> usize {
        match self {
            RelTypes::Narrow { codes, syms } => codes.capacity() + syms.capacity() * 4,
            RelTypes::Wide(v) => v.capacity() * 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_until_the_257th_type_then_wide() {
        let mut t = RelTypes::default();
        for i in 0..300 {
            t.push(Sym::from_index(i));
            t.push(Sym::from_index(0));
        }
        assert!(matches!(t, RelTypes::Wide(_)));
        for i in 0..300 {
            assert_eq!(t.get(2 * i), Sym::from_index(i));
            assert_eq!(t.get(2 * i + 1), Sym::from_index(0));
        }
    }
}
