//! Interned names for labels and relationship types, so each node and
//! relationship stores a small integer instead of a string.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(u32);

impl Sym {
    pub fn index(self) -> usize {
        self.0 as usize
    }
    pub(crate) fn from_index(i: usize) -> Sym {
        Sym(i as u32)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Symbols {
    names: Vec<Arc<str>>,
    ids: HashMap<Arc<str>, Sym>,
}

impl Symbols {
    pub fn intern(&mut self, name: &str) -> Sym {
        if let Some(s) = self.ids.get(name) {
            return *s;
        }
        let s = Sym(self.names.len() as u32);
        let name: Arc<str> = Arc::from(name);
        self.names.push(name.clone());
        self.ids.insert(name, s);
        s
    }

    pub fn get(&self, name: &str) -> Option<Sym> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, s: Sym) -> &str {
        &self.names[s.0 as usize]
    }
}

/// Interned label sets: a node stores the small number of its set, so the
/// common case (one label shared by a million nodes) costs 4 bytes a node.
#[derive(Debug, Clone, Default)]
pub struct LabelSets {
    sets: Vec<Box<[Sym]>>,
    ids: HashMap<Box<[Sym]>, u32>,
}

impl LabelSets {
    /// The number of the set holding exactly `labels` (in this order).
    pub fn intern(&mut self, labels: &[Sym]) -> u32 {
        if let Some(id) = self.ids.get(labels) {
            return *id;
        }
        let id = self.sets.len() as u32;
        self.sets.push(labels.into());
        self.ids.insert(labels.into(), id);
        id
    }

    pub fn get(&self, id: u32) -> &[Sym] {
        &self.sets[id as usize]
    }

    pub fn len(&self) -> usize {
        self.sets.len()
    }
}
