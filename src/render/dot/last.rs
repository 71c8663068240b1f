//! The last result as a picture: an OVERLAP, DIFF or PATH result is drawn
//! with its own diagram; any other result draws the nodes, relationships
//! and paths its rows hold (inside lists and maps too).

use std::collections::BTreeSet;

use super::overlap::name_and_id;
use super::{DiagramOptions, Direction, Legend, Stroke, edge, node, print, type_colour, type_words};
use crate::eval::Rows;
use crate::eval::domain::{PathResult, Subgraph, rel_sources};
use crate::store::{Graph, NodeId, RelId};
use crate::value::Value;

/// The DOT for a result, or `None` when it holds nothing to draw. An
/// OVERLAP, DIFF or PATH result gets its own diagram; any other is titled
/// `title` (the statement, when the caller has it).
pub fn last(graph: &Graph, rows: &Rows, title: &str, opts: &DiagramOptions) -> Option<String> {
    if let Some(sub) = &rows.subgraph {
        return Some(match &**sub {
            Subgraph::Overlap(o) => super::overlap(graph, o, opts),
            Subgraph::Diff(d) => super::diff(graph, d, opts),
            Subgraph::Path(p) => path(graph, p, opts),
            Subgraph::Matrix(m) => super::matrix(graph, m, opts),
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
    Some(elements(graph, title, &nodes, &rels, &path_rels, opts))
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
    let label = node_ref.display_name();
    let mut tip = name_and_id(graph, n);
    if !labels.is_empty() {
        tip.push_str(&format!(" :{}", labels.join(":")));
    }
    let id = node_id(graph, n);
    node(
        &id,
        &[
            ("label", &label),
            ("tooltip", &tip),
            ("id", &id),
            ("shape", "box"),
            ("style", "rounded,filled"),
            ("fillcolor", if highlight { "#ffe599" } else { "#cfe2f3" }),
        ],
    )
}

/// An edge's label: the type in words, then its sources and confidence
/// unless sources are turned off; and its tooltip, which always has them.
fn rel_label(graph: &Graph, r: RelId, opts: &DiagramOptions) -> (String, String) {
    let rel = graph.rel(r);
    let t = rel.rel_type();
    let (sources, confidence) = rel_sources(graph, r);
    let mut label = type_words(t);
    if !opts.no_sources && !sources.is_empty() {
        label.push_str(&format!("\n[{}]", sources.join(", ")));
    }
    if let Some(c) = &confidence {
        label.push_str(&format!(" ({c})"));
    }
    let tip = format!(
        "{} {t} {} [{}]{}",
        name_and_id(graph, rel.start()),
        name_and_id(graph, rel.end()),
        sources.join(", "),
        confidence.map(|c| format!(" ({c})")).unwrap_or_default()
    );
    (label, tip)
}

fn rel_stmt(graph: &Graph, r: RelId, bold: bool, opts: &DiagramOptions) -> super::Stmt {
    let rel = graph.rel(r);
    let t = rel.rel_type();
    let (label, tip) = rel_label(graph, r, opts);
    edge(
        &node_id(graph, rel.start()),
        &node_id(graph, rel.end()),
        &[
            ("label", &label),
            ("tooltip", &tip),
            ("id", &format!("rel:{}", r.index())),
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
    opts: &DiagramOptions,
) -> String {
    let mut body: Vec<_> = nodes.iter().map(|n| node_stmt(graph, *n, false)).collect();
    let all: BTreeSet<RelId> = rels.union(path_rels).copied().collect();
    let mut types = BTreeSet::new();
    for r in &all {
        types.insert(graph.rel(*r).rel_type().to_string());
        body.push(rel_stmt(graph, *r, path_rels.contains(r), opts));
    }
    print(
        "result",
        title,
        &legend_of(&types),
        opts,
        Direction::LeftRight,
        &[("nodesep", "0.3")],
        body,
    )
}

/// A PATH result: its chains left to right, each hop labelled with its
/// type and sources; an arrow points the way the relationship is stored.
pub fn path(graph: &Graph, p: &PathResult, opts: &DiagramOptions) -> String {
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
            let (label, tip) = rel_label(graph, *r, opts);
            let element = format!("rel:{}", r.index());
            let (a, b) = (path.nodes[i], path.nodes[i + 1]);
            let mut attrs = vec![
                ("label", label.as_str()),
                ("tooltip", tip.as_str()),
                ("id", element.as_str()),
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
        let how = if p.paths.len() > 1 {
            format!("The {} shortest paths", p.paths.len())
        } else {
            "The shortest path".to_string()
        };
        let via = if p.via.is_empty() {
            String::new()
        } else {
            let v: Vec<String> = p.via.iter().map(|t| type_words(t)).collect();
            format!(" (via {})", v.join(", "))
        };
        format!(
            "{how} from {} to {}{via}",
            graph.node(p.from).display_name(),
            graph.node(p.to).display_name()
        )
    };
    print(
        "path",
        &title,
        &legend_of(&types),
        opts,
        Direction::LeftRight,
        &[("nodesep", "0.3")],
        body,
    )
}

/// One entry per relationship type drawn.
fn legend_of(types: &BTreeSet<String>) -> Legend {
    let mut key = Legend::default();
    for t in types {
        key.explained(&type_words(t), type_colour(t), Stroke::Solid, t);
    }
    key
}
