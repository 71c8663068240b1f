//! What a server's graph holds, for the shell's `:schema` and completion:
//! labels and relationship types with their counts, the labels at each
//! type's ends, the property keys per label and per type, and the ids,
//! names and aliases DESCRIBE and its kin take.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::reply::RValue;
use super::{Remote, RemoteError};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerSchema {
    pub labels: BTreeMap<String, usize>,
    pub types: BTreeMap<String, usize>,
    /// Per type: the labels at its start and at its end.
    pub ends: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>,
    pub label_keys: BTreeMap<String, BTreeSet<String>>,
    pub type_keys: BTreeMap<String, BTreeSet<String>>,
    /// Node ids, and ids, names and aliases, for completing references.
    pub ids: Vec<String>,
    pub refs: Vec<String>,
}

fn text(v: &RValue) -> Option<String> {
    match v {
        RValue::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn count(v: &RValue) -> usize {
    match v {
        RValue::Int(i) => usize::try_from(*i).unwrap_or(0),
        _ => 0,
    }
}

fn texts(v: &RValue) -> Vec<String> {
    match v {
        RValue::List(items) => items.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    }
}

impl ServerSchema {
    /// Asks the server (a few scans of its graph).
    pub fn read(remote: &mut Remote) -> Result<ServerSchema, RemoteError> {
        let mut s = ServerSchema::default();
        let mut q = |text: &str| remote.conn.query(text, &[], true);
        for row in q("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*)")?.rows {
            if let [l, n] = row.as_slice()
                && let Some(l) = text(l)
            {
                s.labels.insert(l, count(n));
            }
        }
        for row in q("MATCH (a)-[r]->(b) RETURN type(r), labels(a), labels(b), count(*)")?.rows {
            if let [t, a, b, n] = row.as_slice()
                && let Some(t) = text(t)
            {
                *s.types.entry(t.clone()).or_default() += count(n);
                let e = s.ends.entry(t).or_default();
                e.0.extend(texts(a));
                e.1.extend(texts(b));
            }
        }
        for row in q("MATCH (n) UNWIND labels(n) AS l UNWIND keys(n) AS k RETURN DISTINCT l, k")?.rows {
            if let [l, k] = row.as_slice()
                && let (Some(l), Some(k)) = (text(l), text(k))
            {
                s.label_keys.entry(l).or_default().insert(k);
            }
        }
        for row in q("MATCH ()-[r]->() UNWIND keys(r) AS k RETURN DISTINCT type(r), k")?.rows {
            if let [t, k] = row.as_slice()
                && let (Some(t), Some(k)) = (text(t), text(k))
            {
                s.type_keys.entry(t).or_default().insert(k);
            }
        }
        let mut ids = BTreeSet::new();
        let mut refs = BTreeSet::new();
        for row in q("MATCH (n) RETURN n.id, n.name, n.aliases")?.rows {
            if let [id, name, aliases] = row.as_slice() {
                if let Some(id) = text(id) {
                    ids.insert(id.clone());
                    refs.insert(id);
                }
                refs.extend(text(name));
                refs.extend(texts(aliases));
            }
        }
        s.ids = ids.into_iter().collect();
        s.refs = refs.into_iter().collect();
        Ok(s)
    }

    /// The shell's `:schema`, laid out as for a local graph.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Labels ({}):", self.labels.len());
        let lw = self.labels.keys().map(|l| l.len()).max().unwrap_or(0) + 1;
        for (l, n) in &self.labels {
            let _ = writeln!(out, "  :{l:<lw$} {n:>6}");
        }
        let _ = writeln!(out, "Relationship types ({}):", self.types.len());
        let tw = self.types.keys().map(|t| t.len()).max().unwrap_or(0) + 1;
        let join = |s: &BTreeSet<String>| -> String {
            if s.is_empty() {
                "()".to_string()
            } else {
                format!("(:{})", s.iter().cloned().collect::<Vec<_>>().join("|"))
            }
        };
        for (t, n) in &self.types {
            let (from, to) = self.ends.get(t).map(|(f, t)| (join(f), join(t))).unwrap_or_default();
            let _ = writeln!(out, "  :{t:<tw$} {n:>6}  {from}-->{to}");
        }
        let _ = writeln!(out, "Property keys:");
        let kw = self
            .label_keys
            .keys()
            .chain(self.type_keys.keys())
            .map(|k| k.len())
            .max()
            .unwrap_or(0)
            + 2;
        for (l, keys) in &self.label_keys {
            let keys = keys.iter().cloned().collect::<Vec<_>>().join(", ");
            let _ = writeln!(out, "  :{l:<kw$} {keys}");
        }
        for (t, keys) in &self.type_keys {
            if !keys.is_empty() {
                let name = format!("[:{t}]");
                let keys = keys.iter().cloned().collect::<Vec<_>>().join(", ");
                let _ = writeln!(out, "  {name:<w$} {keys}", w = kw + 1);
            }
        }
        out
    }
}
