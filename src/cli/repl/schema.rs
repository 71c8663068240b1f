//! What `:schema` and `:sources` show, read from the graph as loaded (so a
//! loaded data directory shows its own labels and types).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::eval::Rows;
use crate::store::Graph;
use crate::value::Value;

/// Labels with counts, relationship types with counts and the labels seen at
/// each end, and the property keys of each label and type.
pub fn describe(graph: &Graph) -> String {
    let mut out = String::new();
    let labels = graph.label_counts();
    let _ = writeln!(out, "Labels ({}):", labels.len());
    let lw = labels.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 1;
    for (l, n) in &labels {
        let _ = writeln!(out, "  :{l:<lw$} {n:>6}");
    }

    let mut ends: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
    let mut rel_keys: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in graph.rels() {
        let rel = graph.rel(r);
        let e = ends.entry(rel.rel_type()).or_default();
        e.0.extend(graph.node(rel.start()).labels());
        e.1.extend(graph.node(rel.end()).labels());
        rel_keys
            .entry(rel.rel_type())
            .or_default()
            .extend(rel.props().keys().map(|k| &**k));
    }
    let types = graph.rel_type_counts();
    let _ = writeln!(out, "Relationship types ({}):", types.len());
    let tw = types.iter().map(|(t, _)| t.len()).max().unwrap_or(0) + 1;
    let join = |s: &BTreeSet<&str>| -> String {
        if s.is_empty() {
            "()".to_string()
        } else {
            format!("(:{})", s.iter().copied().collect::<Vec<_>>().join("|"))
        }
    };
    for (t, n) in &types {
        let (from, to) = ends.get(t).map(|(f, t)| (join(f), join(t))).unwrap_or_default();
        let _ = writeln!(out, "  :{t:<tw$} {n:>6}  {from}-->{to}");
    }

    let mut node_keys: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for id in graph.nodes() {
        let node = graph.node(id);
        for l in node.labels() {
            node_keys
                .entry(l)
                .or_default()
                .extend(node.props().keys().map(|k| &**k));
        }
    }
    let _ = writeln!(out, "Property keys:");
    let kw = node_keys
        .keys()
        .chain(rel_keys.keys())
        .map(|k| k.len())
        .max()
        .unwrap_or(0)
        + 2;
    for (l, keys) in &node_keys {
        let _ = writeln!(
            out,
            "  :{l:<kw$} {}",
            keys.iter().copied().collect::<Vec<_>>().join(", ")
        );
    }
    for (t, keys) in &rel_keys {
        if !keys.is_empty() {
            let name = format!("[:{t}]");
            let keys = keys.iter().copied().collect::<Vec<_>>().join(", ");
            let _ = writeln!(out, "  {name:<w$} {keys}", w = kw + 1);
        }
    }
    out
}

/// The Source nodes as rows: id, title, author, date.
pub fn sources(graph: &Graph) -> Rows {
    let columns = ["id", "title", "author", "date"];
    let rows = graph
        .nodes_with_label(crate::load::schema::SOURCE_LABEL)
        .iter()
        .map(|&n| {
            let node = graph.node(n);
            columns
                .iter()
                .map(|c| node.prop(c).cloned().unwrap_or(Value::Null))
                .collect()
        })
        .collect();
    Rows {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows,
        ..Rows::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_lists_counts_endpoints_and_keys() {
        let g = crate::load::builtin().unwrap();
        let s = describe(&g);
        assert!(s.contains("Labels (6):"), "{s}");
        assert!(s.contains("(:Role)-->(:Team)"), "{s}");
        assert!(
            s.lines().any(|l| l.starts_with("  :Role ") && l.contains("aliases")),
            "{s}"
        );
        let rows = sources(&g);
        assert_eq!(rows.columns, ["id", "title", "author", "date"]);
        assert_eq!(rows.len(), 5);
    }
}
