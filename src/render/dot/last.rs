//! The last result as a picture: an OVERLAP, DIFF or PATH result is drawn
//! with its own diagram; any other result draws the nodes, relationships
//! and paths its rows hold (inside lists and maps too).

use std::collections::BTreeSet;

use super::{Legend, Stroke, edge, node, print, type_colour};
use crate::eval::Rows;
use crate::eval::domain::{PathResult, Subgraph, rel_sources};
use crate::store::{Graph, NodeId, RelId};
use crate::value::Value;

/// The DOT for a result, or `None` when it holds nothing to draw.
pub fn last(graph: &Graph, rows: &Rows) -> Option<String> {
    if let Some(sub) = &rows.subgraph {
        return Some(match &**sub {
            Subgraph::Overlap(o) => super::overlap(graph, o),
            Subgraph::Diff(d) => super::diff(graph, d),
            Subgraph::Path(p) => path(graph, p),
        });
    }
    let mut nodes = BTreeSet::new();
    let mut rels = BTreeSet::new();
    let mut path_rels = BTreeSet::new();
    for row in &rows.rows {
        for v in row {
            collect(v, &mut nodes, &mut rels, &mut path_rels);
        }
    }
    for r in rels.iter().chain(&path_rels) {
        let rel = graph.rel(*r);
        nodes.insert(rel.start());
        nodes.insert(rel.end());
    }
    if nodes.is_empty() {
        return None;
    }
    Some(elements(graph, "Last result", &nodes, &rels, &path_rels))
}

fn collect(v: &Value, nodes: &mut BTreeSet<NodeId>, rels: &mut BTreeSet<RelId>, path_rels: &mut BTreeSet<RelId>) {
    match v {
        Value::Node(n) => {
            nodes.insert(*n);
        }
        Value::Rel(r) => {
            rels.insert(*r);
        }
        Value::Path(p) => {
            nodes.extend(p.nodes.iter().copied());
            path_rels.extend(p.rels.iter().copied());
        }
        Value::List(l) => l.iter().for_each(|x| collect(x, nodes, rels, path_rels)),
        Value::Map(m) => m.values().for_each(|x| collect(x, nodes, rels, path_rels)),
        _ => {}
    }
}

fn node_id(graph: &Graph, n: NodeId) -> String {
    match graph.node(n).key() {
        Some(k) => format!("node:{k}"),
        None => format!("node:#{}", n.index()),
    }
}

fn node_stmt(graph: &Graph, n: NodeId, highlight: bool) -> super::Stmt {
    let node_ref = graph.node(n);
    let labels: Vec<&str> = node_ref.labels().collect();
    let mut label = node_ref.display_name();
    if !labels.is_empty() {
        label.push_str(&format!("\n:{}", labels.join(":")));
    }
    node(
        &node_id(graph, n),
        &[
            ("label", &label),
            ("shape", "box"),
            ("style", "rounded,filled"),
            ("fillcolor", if highlight { "#ffe599" } else { "#cfe2f3" }),
        ],
    )
}

fn rel_stmt(graph: &Graph, r: RelId, bold: bool) -> super::Stmt {
    let rel = graph.rel(r);
    let t = rel.rel_type();
    let (sources, confidence) = rel_sources(graph, r);
    let mut label = t.to_string();
    if !sources.is_empty() {
        label.push('\n');
        label.push_str(&sources.join(", "));
    }
    if let Some(c) = confidence {
        label.push_str(&format!("\n({c})"));
    }
    node_pair_edge(graph, rel.start(), rel.end(), t, &label, bold)
}

fn node_pair_edge(graph: &Graph, a: NodeId, b: NodeId, t: &str, label: &str, bold: bool) -> super::Stmt {
    edge(
        &node_id(graph, a),
        &node_id(graph, b),
        &[
            ("label", label),
            ("color", type_colour(t)),
            ("fontcolor", type_colour(t)),
            ("penwidth", if bold { "2.5" } else { "1.2" }),
        ],
    )
}

fn elements(
    graph: &Graph,
    title: &str,
    nodes: &BTreeSet<NodeId>,
    rels: &BTreeSet<RelId>,
    path_rels: &BTreeSet<RelId>,
) -> String {
    let mut body: Vec<_> = nodes.iter().map(|n| node_stmt(graph, *n, false)).collect();
    let all: BTreeSet<RelId> = rels.union(path_rels).copied().collect();
    let mut types = BTreeSet::new();
    for r in &all {
        types.insert(graph.rel(*r).rel_type().to_string());
        body.push(rel_stmt(graph, *r, path_rels.contains(r)));
    }
    print("result", title, &legend_of(&types), &[("rankdir", "LR")], body)
}

/// A PATH result: its chains left to right, each hop labelled with its
/// type and sources; an arrow points the way the relationship is stored.
pub fn path(graph: &Graph, p: &PathResult) -> String {
    let mut nodes: Vec<NodeId> = Vec::new();
    for n in p.paths.iter().flat_map(|x| x.nodes.iter()).chain([&p.from, &p.to]) {
        if !nodes.contains(n) {
            nodes.push(*n);
        }
    }
    let mut body: Vec<_> = nodes
        .iter()
        .map(|n| node_stmt(graph, *n, *n == p.from || *n == p.to))
        .collect();
    let mut seen = BTreeSet::new();
    let mut types = BTreeSet::new();
    for path in &p.paths {
        for (i, r) in path.rels.iter().enumerate() {
            if !seen.insert(*r) {
                continue;
            }
            let rel = graph.rel(*r);
            let t = rel.rel_type();
            types.insert(t.to_string());
            let (sources, confidence) = rel_sources(graph, *r);
            let mut label = t.to_string();
            if !sources.is_empty() {
                label.push('\n');
                label.push_str(&sources.join("\n"));
            }
            if let Some(c) = confidence {
                label.push_str(&format!("\n({c})"));
            }
            let (a, b) = (path.nodes[i], path.nodes[i + 1]);
            let mut attrs = vec![
                ("label", label.as_str()),
                ("color", type_colour(t)),
                ("fontcolor", type_colour(t)),
                ("penwidth", "2"),
            ];
            if rel.start() != a {
                attrs.push(("dir", "back"));
            }
            body.push(edge(&node_id(graph, a), &node_id(graph, b), &attrs));
        }
    }
    let title = if p.paths.is_empty() {
        format!(
            "No path between {} and {}",
            graph.node(p.from).display_name(),
            graph.node(p.to).display_name()
        )
    } else {
        format!(
            "Path: {} to {}",
            graph.node(p.from).display_name(),
            graph.node(p.to).display_name()
        )
    };
    print("path", &title, &legend_of(&types), &[("rankdir", "LR")], body)
}

/// One entry per relationship type drawn.
fn legend_of(types: &BTreeSet<String>) -> Legend {
    let mut key = Legend::default();
    for t in types {
        key.entry(t, type_colour(t), Stroke::Solid);
    }
    key
}
