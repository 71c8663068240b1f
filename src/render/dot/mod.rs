//! DOT (Graphviz) output: Venn-style overlap diagrams, DIFF diagrams, org
//! charts and the last result, built as graphviz-rust syntax trees and
//! printed by its printer. That printer escapes nothing, so every id and
//! every attribute value goes through [`quote`], and only attribute names
//! (our own constants) are written bare. Output is deterministic: everything
//! is emitted in a sorted order, so DOT files diff cleanly.

mod diff;
mod image;
mod last;
mod orgchart;
mod overlap;

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph as DotGraph, GraphAttributes, Id, Node, NodeId as DotNodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

pub use diff::diff;
pub use image::{INSTALL_HINT, ImageError, ImageFormat, graphviz_available, render_image};
pub use last::{last, path};
pub use orgchart::orgchart;
pub use overlap::overlap;

/// The one quoting function: `s` as a DOT double-quoted string. Escapes `"`
/// and `\` (so no `\N`-style substitution can happen), turns a newline into
/// DOT's `\n` line break, writes other control characters visibly as `\xNN`
/// (raw ones would make the SVG invalid XML), and writes `&` as `&amp;`
/// because Graphviz decodes HTML entities in labels.
pub fn quote(s: &str) -> Id {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    Id::Escaped(out)
}

/// Attributes from (name, value) pairs; names are ours, values are quoted.
fn attrs(pairs: &[(&'static str, &str)]) -> Vec<Attribute> {
    pairs
        .iter()
        .map(|(k, v)| Attribute(Id::Plain((*k).to_string()), quote(v)))
        .collect()
}

fn node(id: &str, a: &[(&'static str, &str)]) -> Stmt {
    Stmt::Node(Node {
        id: DotNodeId(quote(id), None),
        attributes: attrs(a),
    })
}

fn edge(from: &str, to: &str, a: &[(&'static str, &str)]) -> Stmt {
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(
            Vertex::N(DotNodeId(quote(from), None)),
            Vertex::N(DotNodeId(quote(to), None)),
        ),
        attributes: attrs(a),
    })
}

/// A subgraph; a name starting with `cluster` makes Graphviz draw a box.
fn subgraph(id: &str, a: &[(&'static str, &str)], mut stmts: Vec<Stmt>) -> Stmt {
    if !a.is_empty() {
        stmts.insert(0, Stmt::GAttribute(GraphAttributes::Graph(attrs(a))));
    }
    Stmt::Subgraph(Subgraph { id: quote(id), stmts })
}

fn graph_attrs(a: &[(&'static str, &str)]) -> Stmt {
    Stmt::GAttribute(GraphAttributes::Graph(attrs(a)))
}

fn node_defaults(a: &[(&'static str, &str)]) -> Stmt {
    Stmt::GAttribute(GraphAttributes::Node(attrs(a)))
}

fn edge_defaults(a: &[(&'static str, &str)]) -> Stmt {
    Stmt::GAttribute(GraphAttributes::Edge(attrs(a)))
}

/// Prints a directed graph with the house style's defaults first.
fn print(name: &str, title: &str, graph_extra: &[(&'static str, &str)], body: Vec<Stmt>) -> String {
    let mut g_attrs: Vec<(&'static str, &str)> = vec![
        ("fontname", FONT),
        ("label", title),
        ("labelloc", "t"),
        ("fontsize", "16"),
    ];
    g_attrs.extend_from_slice(graph_extra);
    let mut stmts = vec![
        graph_attrs(&g_attrs),
        node_defaults(&[("fontname", FONT), ("fontsize", "10")]),
        edge_defaults(&[("fontname", FONT), ("fontsize", "9")]),
    ];
    stmts.extend(body);
    let g = DotGraph::DiGraph {
        id: quote(name),
        strict: false,
        stmts,
    };
    let mut s = g.print(&mut PrinterContext::default());
    s.push('\n');
    s
}

const FONT: &str = "Helvetica";

/// Edge colour of a relationship type: fixed for the schema's types, a
/// stable pick from the same palette for any other.
pub fn type_colour(t: &str) -> &'static str {
    const KNOWN: [(&str, &str); 9] = [
        ("RESPONSIBLE_FOR", "#1f77b4"),
        ("REQUIRES", "#2ca02c"),
        ("LEADS", "#d62728"),
        ("WORKS_WITH", "#ff7f0e"),
        ("COLLABORATES_WITH", "#9467bd"),
        ("REPORTS_TO", "#8c564b"),
        ("FOCUSES_ON", "#e377c2"),
        ("VARIANT_OF", "#7f7f7f"),
        ("SIMILAR_TO", "#17becf"),
    ];
    const OTHER: [&str; 6] = ["#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"];
    if let Some((_, c)) = KNOWN.iter().find(|(k, _)| *k == t) {
        return c;
    }
    let h = t.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
    OTHER[h as usize % OTHER.len()]
}

/// Fill colours for the compared nodes' header boxes, by position.
fn header_fill(i: usize) -> &'static str {
    const FILLS: [&str; 6] = ["#cfe2f3", "#fce5cd", "#d9ead3", "#ead1dc", "#fff2cc", "#d0e0e3"];
    FILLS[i % FILLS.len()]
}

/// A legend cluster: one coloured sample edge per relationship type, with
/// optional note lines under its title.
fn legend(types: &[String], notes: &[&str]) -> Stmt {
    let mut stmts = Vec::new();
    for t in types {
        let a = format!("legend:{t}:from");
        let b = format!("legend:{t}:to");
        stmts.push(node(
            &a,
            &[("shape", "point"), ("width", "0.08"), ("color", type_colour(t))],
        ));
        stmts.push(node(&b, &[("shape", "plaintext"), ("label", t)]));
        stmts.push(edge(&a, &b, &[("color", type_colour(t)), ("penwidth", "2")]));
    }
    // Notes go in the cluster's label: loose nodes would upset the layout.
    let label = lines("Legend", notes);
    subgraph(
        "cluster_legend",
        &[
            ("label", &label),
            ("style", "rounded"),
            ("color", "#999999"),
            ("fontsize", "10"),
        ],
        stmts,
    )
}

/// Multi-line label text for a group of names (one per line).
fn lines<S: AsRef<str>>(head: &str, items: &[S]) -> String {
    let mut s = head.to_string();
    for i in items {
        s.push('\n');
        s.push_str(i.as_ref());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> String {
        match quote(s) {
            Id::Escaped(x) => x,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn quote_escapes_what_dot_interprets() {
        assert_eq!(q("plain"), "\"plain\"");
        assert_eq!(q("He said \"hi\""), "\"He said \\\"hi\\\"\"");
        assert_eq!(q("a\\b"), "\"a\\\\b\"");
        assert_eq!(q("ends\\"), "\"ends\\\\\"");
        assert_eq!(q("two\nlines"), "\"two\\nlines\"");
        assert_eq!(q("crlf\r\nx"), "\"crlf\\nx\"");
        assert_eq!(q("bell\u{7}"), "\"bell\\\\x07\"");
        assert_eq!(q("R&D"), "\"R&amp;D\"");
        assert_eq!(q("{x} <b> ; ] ["), "\"{x} <b> ; ] [\"");
        assert_eq!(q("Zoë → 東京"), "\"Zoë → 東京\"");
    }

    #[test]
    fn unknown_types_get_a_stable_colour() {
        assert_eq!(type_colour("LEADS"), "#d62728");
        assert_eq!(type_colour("MENTORS"), type_colour("MENTORS"));
    }
}
