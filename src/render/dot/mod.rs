//! DOT (Graphviz) output: Venn-style overlap diagrams, DIFF diagrams, org
//! charts and the last result, built as graphviz-rust syntax trees and
//! printed by its printer. That printer escapes nothing, so every id and
//! every attribute value goes through [`quote`], and only attribute names
//! (our own constants) are written bare. Output is deterministic: everything
//! is emitted in a sorted order, so DOT files diff cleanly.

mod diff;
mod image;
mod last;
mod matrix;
mod options;
mod orgchart;
mod overlap;
mod pack;

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph as DotGraph, GraphAttributes, Id, Node, NodeId as DotNodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use crate::render::exact::{self, Holds};

pub use diff::diff;
pub use image::{INSTALL_HINT, ImageError, ImageFormat, UnknownImageFormat, graphviz_available, render_image};
pub use last::{last, path};
pub use matrix::matrix;
pub use options::{DiagramOptions, Direction, LegendMode, OptionError, Size, parse_dpi};
pub use orgchart::orgchart;
pub(crate) use orgchart::{chart_roles, rels_within};
pub use overlap::overlap;

/// The one quoting function: `s` as a DOT double-quoted string. Escapes `"`
/// and `\` (so no `\N`-style substitution can happen), turns a newline into
/// DOT's `\n` line break, writes other control characters and what XML
/// forbids visibly (`\xNN`, `\u{fffe}`: raw ones would make the SVG invalid
/// XML; see [`exact`]), and writes `&` as `&amp;`
/// because Graphviz decodes HTML entities in labels.
pub fn quote(s: &str) -> Id {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    let mut lossy = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            c if exact::needs_escape(c, Holds::Drawing) => {
                lossy = true;
                out.push('\\');
                out.push_str(&exact::visible(c));
            }
            c => out.push(c),
        }
    }
    if lossy {
        exact::changed(s);
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

fn node_defaults(a: &[(&'static str, &str)]) -> Stmt {
    Stmt::GAttribute(GraphAttributes::Node(attrs(a)))
}

fn edge_defaults(a: &[(&'static str, &str)]) -> Stmt {
    Stmt::GAttribute(GraphAttributes::Edge(attrs(a)))
}

/// Prints a directed graph with the house style's defaults first. The
/// title, the legend and the notes go into the graph's own label (an
/// HTML-like table), never into nodes or clusters: a legend drawn as
/// sample edges in a cluster takes part in ranking, and Graphviz 2.43
/// (Debian 12) fails on it ("trouble in init_rank") next to the other
/// groups a diagram needs. A label takes no part in the layout at all.
fn print(
    name: &str,
    title: &str,
    key: &Legend,
    opts: &DiagramOptions,
    direction: Direction,
    graph_extra: &[(&'static str, &str)],
    body: Vec<Stmt>,
) -> String {
    let sized = opts.graph_attrs();
    let mut g_attrs: Vec<(&'static str, &str)> = vec![
        ("fontname", FONT),
        ("labelloc", "t"),
        ("labeljust", "c"),
        ("rankdir", opts.rankdir(direction)),
    ];
    g_attrs.extend_from_slice(graph_extra);
    g_attrs.extend(sized.iter().map(|(k, v)| (*k, v.as_str())));
    let mut g = attrs(&g_attrs);
    let title = opts.title.as_deref().unwrap_or(title);
    g.push(Attribute(
        Id::Plain("label".into()),
        key.graph_label(title, opts.legend),
    ));
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(g)),
        node_defaults(&[("fontname", FONT), ("fontsize", "14")]),
        edge_defaults(&[("fontname", FONT), ("fontsize", "12")]),
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

/// A node whose label is HTML-like markup (already escaped by the caller
/// with [`html_text`]).
fn html_node(id: &str, html: &str, a: &[(&'static str, &str)]) -> Stmt {
    let mut attributes = attrs(a);
    attributes.push(Attribute(Id::Plain("label".into()), Id::Html(format!("<{html}>"))));
    Stmt::Node(Node {
        id: DotNodeId(quote(id), None),
        attributes,
    })
}

/// "Sources: id (title); ...": the footnote naming the sources behind a
/// diagram, with each one's title when the graph has it.
pub(crate) fn sources_note(graph: &crate::store::Graph, ids: &std::collections::BTreeSet<String>) -> String {
    let parts: Vec<String> = ids
        .iter()
        .map(|s| {
            let title = graph
                .node_by_key(s)
                .and_then(|n| graph.node(n).prop("title").and_then(|v| v.as_str()).map(str::to_string));
            match title {
                Some(t) => format!("{s} ({t})"),
                None => s.clone(),
            }
        })
        .collect();
    format!("Sources: {}", parts.join("; "))
}

/// A relationship type in words for a heading: `RESPONSIBLE_FOR` is
/// "responsible for".
pub fn type_words(t: &str) -> String {
    t.to_lowercase().replace('_', " ")
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
pub(crate) fn header_fill(i: usize) -> &'static str {
    const FILLS: [&str; 6] = ["#cfe2f3", "#fce5cd", "#d9ead3", "#ead1dc", "#fff2cc", "#d0e0e3"];
    FILLS[i % FILLS.len()]
}

/// How an edge of a legend entry is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stroke {
    Solid,
    Dashed,
    Dotted,
    /// Not an edge: a box outlined in the colour (what a region lists).
    Box,
}

/// The key under a diagram's title: one entry per kind of edge or box that
/// occurs in the diagram (callers add only those), and notes.
#[derive(Debug, Clone, Default)]
pub struct Legend {
    entries: Vec<(String, &'static str, Stroke, String)>,
    notes: Vec<String>,
}

impl Legend {
    /// Adds an entry unless one with the same text is there.
    pub fn entry(&mut self, text: &str, colour: &'static str, stroke: Stroke) {
        self.explained(text, colour, stroke, "");
    }

    /// An entry with what it means, shown by the full legend.
    pub fn explained(&mut self, text: &str, colour: &'static str, stroke: Stroke, meaning: &str) {
        if !self.entries.iter().any(|(t, ..)| t == text) {
            self.entries
                .push((text.to_string(), colour, stroke, meaning.to_string()));
        }
    }

    pub fn note(&mut self, text: &str) {
        if !self.notes.iter().any(|n| n == text) {
            self.notes.push(text.to_string());
        }
    }

    /// The graph label: the title, then the entries (on one line, or one
    /// a line with their meaning for the full legend, or none), then the
    /// notes, as an HTML-like label.
    fn graph_label(&self, title: &str, mode: LegendMode) -> Id {
        let mut rows = format!(
            "<TR><TD><FONT POINT-SIZE=\"22\"><B>{}</B></FONT></TD></TR>",
            html_text(title)
        );
        let sample = |stroke: &Stroke| match stroke {
            Stroke::Solid => "\u{2501}\u{2501}\u{25B6}",
            Stroke::Dashed => "\u{254D}\u{254D}\u{25B6}",
            Stroke::Dotted => "\u{2509}\u{2509}\u{2509}",
            Stroke::Box => "\u{25A0}",
        };
        match mode {
            LegendMode::None => {}
            _ if self.entries.is_empty() => {}
            LegendMode::Compact => {
                let mut cells = String::new();
                for (text, colour, stroke, _) in &self.entries {
                    cells.push_str(&format!(
                        "<TD><FONT COLOR=\"{colour}\">{}</FONT> {}</TD>",
                        sample(stroke),
                        html_text(text)
                    ));
                }
                rows.push_str(&format!(
                    "<TR><TD><TABLE BORDER=\"0\" CELLSPACING=\"8\" CELLPADDING=\"0\"><TR>{cells}</TR></TABLE></TD></TR>"
                ));
            }
            LegendMode::Full => {
                let mut inner = String::new();
                for (text, colour, stroke, meaning) in &self.entries {
                    inner.push_str(&format!(
                        "<TR><TD ALIGN=\"RIGHT\"><FONT COLOR=\"{colour}\">{}</FONT></TD><TD ALIGN=\"LEFT\"><B>{}</B></TD><TD ALIGN=\"LEFT\">{}</TD></TR>",
                        sample(stroke),
                        html_text(text),
                        html_text(meaning)
                    ));
                }
                rows.push_str(&format!(
                    "<TR><TD><TABLE BORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"1\">{inner}</TABLE></TD></TR>"
                ));
            }
        }
        for n in &self.notes {
            let lines: Vec<String> = wrap_note(n, 110).iter().map(|l| html_text(l)).collect();
            rows.push_str(&format!(
                "<TR><TD><FONT POINT-SIZE=\"13\" COLOR=\"#555555\">{}</FONT></TD></TR>",
                lines.join("<BR/>")
            ));
        }
        Id::Html(format!(
            "<<TABLE BORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\">{rows}</TABLE>>"
        ))
    }
}

/// A note in lines of at most about `width` characters, broken at spaces,
/// so a long footnote (the sources) does not set the drawing's width.
pub(crate) fn wrap_note(note: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in note.split(' ') {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// `s` as an attribute value inside an HTML-like label (`ID`, `TOOLTIP`):
/// like [`html_text`], but a line break is a space (markup is not allowed
/// in an attribute).
pub fn html_attr(s: &str) -> String {
    html_text(&s.replace("\r\n", " ").replace('\n', " "))
}

/// `s` as text inside an HTML-like label: markup characters as entities, a
/// newline as a line break, other control characters written visibly as
/// `\xNN` (as [`quote`] does).
pub fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut lossy = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("<BR/>"),
            c if exact::needs_escape(c, Holds::Drawing) => {
                lossy = true;
                out.push_str(&exact::visible(c));
            }
            c => out.push(c),
        }
    }
    if lossy {
        exact::changed(s);
    }
    out
}

/// One entry of a listed group: what a reader sees and what the tooltip
/// (and the HTML page) adds.
pub(crate) struct ListItem {
    pub name: String,
    /// `name (id): sources`, for the tooltip.
    pub tip: String,
    /// Element id in the SVG (unique in the diagram).
    pub element: String,
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
        assert_eq!(q("non\u{fffe}\u{ffff}"), "\"non\\\\u{fffe}\\\\u{ffff}\"");
        assert_eq!(q("R&D"), "\"R&amp;D\"");
        assert_eq!(q("{x} <b> ; ] ["), "\"{x} <b> ; ] [\"");
        assert_eq!(q("Zoë → 東京"), "\"Zoë → 東京\"");
    }

    #[test]
    fn unknown_types_get_a_stable_colour() {
        assert_eq!(type_colour("LEADS"), "#d62728");
        assert_eq!(type_colour("MENTORS"), type_colour("MENTORS"));
    }

    #[test]
    fn long_notes_wrap_at_spaces() {
        let note = "Sources: one two three four five six seven";
        assert_eq!(
            wrap_note(note, 15),
            ["Sources: one", "two three four", "five six seven"]
        );
        assert_eq!(wrap_note("short", 110), ["short"]);
        // A word longer than the line stays whole, on a line of its own.
        assert_eq!(wrap_note("a verylongword b", 5), ["a", "verylongword", "b"]);
    }
}
