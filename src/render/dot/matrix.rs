//! The MATRIX picture: one HTML-like table, as people draw a RACI chart.
//! A column per compared node (its name on its colour), a row per item
//! under a heading per relationship type, each cell marked where the node
//! reaches the item (with the confidence when one is stated), the sources
//! at the end of the row, and shaded rows for the items more than one node
//! reaches: what must be settled when duties are split. Counts per column
//! close the table. With many items the rows go into panels side by side,
//! as many as make the drawing fit a 16:9 frame best.

use super::pack::{FRAME, text_width};
use super::{DiagramOptions, Direction, Legend, Stroke, header_fill, html_attr, html_node, html_text, print};
use super::{type_colour, type_words, wrap_note};
use crate::eval::domain::matrix::{Matrix, cell};
use crate::eval::domain::{Reached, node_key};
use crate::store::Graph;

/// Shading of a row that more than one node reaches, and its legend mark.
const SHARED_FILL: &str = "#fde9c4";
const SHARED_MARK: &str = "#e69500";
/// Sources are wrapped at this many characters in their cell.
const SOURCES_WIDTH: usize = 34;
const FONT: f64 = 14.0;
const ROW: f64 = 22.0;

/// A line of a panel: a type heading or an item.
enum Line<'a> {
    Heading(&'a str),
    Item(&'a Reached),
}

pub fn matrix(graph: &Graph, m: &Matrix, opts: &DiagramOptions) -> String {
    let sources = !opts.no_sources;
    let several_types = m.types.len() > 1 || m.items.iter().any(|i| i.rel_type != m.items[0].rel_type);
    let mut lines: Vec<Line> = Vec::new();
    for item in &m.items {
        let new_type = match lines.iter().rev().find_map(|l| match l {
            Line::Item(i) => Some(i.rel_type.as_str()),
            Line::Heading(_) => None,
        }) {
            Some(t) => t != item.rel_type,
            None => true,
        };
        if several_types && new_type {
            lines.push(Line::Heading(&item.rel_type));
        }
        lines.push(Line::Item(item));
    }

    // Estimated panel width and row count, to choose how many panels.
    let name_w = m
        .items
        .iter()
        .map(|i| graph.node(i.node).display_name().chars().count() + 2)
        .max()
        .unwrap_or(10)
        .max(6);
    let col_w: f64 = m
        .compared
        .iter()
        .map(|n| text_width(graph.node(*n).display_name().chars().count().min(16), FONT).max(70.0) + 12.0)
        .sum();
    let src_w = if sources {
        text_width(SOURCES_WIDTH, 11.0) + 12.0
    } else {
        0.0
    };
    let panel_w = text_width(name_w, FONT) + 12.0 + col_w + src_w;
    let lines_h = |l: &Line| match l {
        Line::Heading(_) => ROW,
        Line::Item(i) if sources => ROW.max(wrap_note(&sources_of(i), SOURCES_WIDTH).len() as f64 * 14.0 + 6.0),
        Line::Item(_) => ROW,
    };
    // The title, legend and footnotes above; the count rows below.
    let above = 140.0 + 3.0 * ROW;
    let total_h: f64 = lines.iter().map(lines_h).sum();
    let panels = (1..=4)
        .map(|k| {
            let w = panel_w * k as f64 + 20.0 * (k - 1) as f64;
            let h = total_h / k as f64 + ROW * 2.0 + above;
            (k, (FRAME.0 / w).min(FRAME.1 / h))
        })
        .filter(|(k, _)| *k == 1 || lines.len() >= 12 * k)
        .fold(
            (1, f64::MIN),
            |best, (k, s)| if s > best.1 + 1e-9 { (k, s) } else { best },
        )
        .0;

    // Split at a height, never leaving a heading at a panel's foot.
    let per_panel = total_h / panels as f64;
    let mut chunks: Vec<Vec<&Line>> = vec![Vec::new()];
    let mut h = 0.0;
    for (i, l) in lines.iter().enumerate() {
        let last_heading = matches!(l, Line::Heading(_)) && i + 1 < lines.len();
        if h >= per_panel - 1.0 && chunks.len() < panels && !chunks.last().is_some_and(|c| c.is_empty()) {
            chunks.push(Vec::new());
            h = 0.0;
        }
        let _ = last_heading;
        chunks.last_mut().expect("one chunk").push(l);
        h += lines_h(l);
    }
    // A panel must not end on a heading: move it to the next one.
    for i in 0..chunks.len().saturating_sub(1) {
        if matches!(chunks[i].last(), Some(Line::Heading(_))) {
            let l = chunks[i].pop().expect("checked");
            chunks[i + 1].insert(0, l);
        }
    }

    let mut key = Legend::default();
    let mut any_medium = false;
    let mut panels_html = String::new();
    let last = chunks.len() - 1;
    for (ci, chunk) in chunks.iter().enumerate() {
        // A panel that starts in the middle of a type repeats its heading.
        let mut rows = header_row(graph, m, sources);
        if several_types && let Some(Line::Item(first)) = chunk.first() {
            rows.push_str(&heading_row(&first.rel_type, m.compared.len(), sources, true));
        }
        for l in chunk {
            match l {
                Line::Heading(t) => rows.push_str(&heading_row(t, m.compared.len(), sources, false)),
                Line::Item(item) => {
                    if item.claims.len() > 1 {
                        key.explained(
                            "reached by more than one",
                            SHARED_MARK,
                            Stroke::Box,
                            "shaded rows: to settle when duties are split",
                        );
                    }
                    any_medium |= item.has_medium();
                    rows.push_str(&item_row(graph, m, item, sources));
                }
            }
        }
        if ci == last {
            rows.push_str(&counts_rows(m, sources));
        }
        panels_html.push_str(&format!(
            "<TD VALIGN=\"TOP\"><TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"4\" COLOR=\"#bbbbbb\">{rows}</TABLE></TD>"
        ));
    }
    let html = format!("<TABLE BORDER=\"0\" CELLSPACING=\"16\" CELLPADDING=\"0\"><TR>{panels_html}</TR></TABLE>");
    if any_medium {
        key.note(&format!(
            "{} medium: the source states it with medium confidence",
            cell(None)
        ));
    }
    if m.items.is_empty() {
        key.note("No item is reached by any of them.");
    }
    if sources {
        let ids: std::collections::BTreeSet<String> = m.items.iter().flat_map(sources_list).collect();
        if !ids.is_empty() {
            key.note(&super::sources_note(graph, &ids));
        }
    }
    let title = crate::render::titles::matrix_title(graph, m);
    print(
        "matrix",
        &title,
        &key,
        opts,
        Direction::TopBottom,
        &[],
        vec![html_node("matrix", &html, &[("shape", "plain")])],
    )
}

fn sources_list(item: &Reached) -> Vec<String> {
    crate::eval::domain::matrix::item_sources(item)
}

fn sources_of(item: &Reached) -> String {
    sources_list(item).join(", ")
}

/// The column heads: "Item", each compared node on its colour, "Sources".
fn header_row(graph: &Graph, m: &Matrix, sources: bool) -> String {
    let mut row = String::from("<TR><TD ALIGN=\"LEFT\" BGCOLOR=\"#f2f2f2\"><B>Item</B></TD>");
    for (i, n) in m.compared.iter().enumerate() {
        let name = graph.node(*n).display_name();
        let col = &m.columns[i];
        let sub = if *col != name {
            format!("<BR/><FONT POINT-SIZE=\"11\">{}</FONT>", html_text(col))
        } else {
            String::new()
        };
        row.push_str(&format!(
            "<TD BGCOLOR=\"{}\" HREF=\"#\" ID=\"{}\" TOOLTIP=\"{}\"><B>{}</B>{sub}</TD>",
            header_fill(i),
            html_attr(&format!("node:{}", node_key(graph, *n))),
            html_attr(&super::overlap::name_and_id(graph, *n)),
            html_text(&wrap_note(&name, 16).join("\n")),
        ));
    }
    if sources {
        row.push_str("<TD ALIGN=\"LEFT\" BGCOLOR=\"#f2f2f2\"><B>Sources</B></TD>");
    }
    row.push_str("</TR>");
    row
}

fn heading_row(t: &str, width: usize, sources: bool, continued: bool) -> String {
    let span = 1 + width + usize::from(sources);
    format!(
        "<TR><TD COLSPAN=\"{span}\" ALIGN=\"LEFT\" BGCOLOR=\"#ffffff\"><FONT COLOR=\"{}\"><B>{}{}</B></FONT></TD></TR>",
        type_colour(t),
        html_text(&type_words(t)),
        if continued { " (continued)" } else { "" }
    )
}

fn item_row(graph: &Graph, m: &Matrix, item: &Reached, sources: bool) -> String {
    let fill = if item.claims.len() > 1 { SHARED_FILL } else { "#ffffff" };
    let key = node_key(graph, item.node);
    let mut row = format!(
        "<TR><TD ALIGN=\"LEFT\" BGCOLOR=\"{fill}\" HREF=\"#\" ID=\"{}\" TOOLTIP=\"{}\">{}</TD>",
        html_attr(&format!("item:{}:{key}", item.rel_type)),
        html_attr(&super::overlap::name_and_id(graph, item.node)),
        html_text(&graph.node(item.node).display_name())
    );
    for i in 0..m.compared.len() {
        match item.claims.iter().find(|c| c.by == i) {
            Some(c) => {
                let mark = match &c.confidence {
                    Some(conf) => format!(
                        "{}<BR/><FONT POINT-SIZE=\"11\">{}</FONT>",
                        html_text(&cell(None)),
                        html_text(conf)
                    ),
                    None => html_text(&cell(None)),
                };
                let tip = format!(
                    "{} {} {}: {}{}",
                    graph.node(m.compared[i]).display_name(),
                    item.rel_type,
                    graph.node(item.node).display_name(),
                    c.sources.join(", "),
                    c.confidence.as_deref().map(|x| format!(" ({x})")).unwrap_or_default()
                );
                row.push_str(&format!(
                    "<TD BGCOLOR=\"{fill}\" HREF=\"#\" ID=\"rel:{}\" TOOLTIP=\"{}\"><FONT COLOR=\"{}\"><B>{mark}</B></FONT></TD>",
                    c.rels[0].index(),
                    html_attr(&tip),
                    type_colour(&item.rel_type),
                ));
            }
            None => row.push_str(&format!("<TD BGCOLOR=\"{fill}\"> </TD>")),
        }
    }
    if sources {
        let lines: Vec<String> = wrap_note(&sources_of(item), SOURCES_WIDTH)
            .iter()
            .map(|l| html_text(l))
            .collect();
        row.push_str(&format!(
            "<TD ALIGN=\"LEFT\" BALIGN=\"LEFT\" BGCOLOR=\"{fill}\"><FONT POINT-SIZE=\"11\" COLOR=\"#555555\">{}</FONT></TD>",
            lines.join("<BR/>")
        ));
    }
    row.push_str("</TR>");
    row
}

/// The last rows: per column, how many items it reaches alone, shares,
/// and in all.
fn counts_rows(m: &Matrix, sources: bool) -> String {
    let counts = m.counts();
    let mut rows = String::new();
    for (k, label) in ["Items alone", "Items shared", "Items in all"].into_iter().enumerate() {
        // A heavier rule above the first count row.
        let sides = if k == 0 { " SIDES=\"LTRB\"" } else { "" };
        rows.push_str(&format!(
            "<TR><TD ALIGN=\"LEFT\" BGCOLOR=\"#f2f2f2\"{sides}><B>{label}</B></TD>"
        ));
        for (i, c) in counts.iter().enumerate() {
            let n = [c.0, c.1, c.2][k];
            rows.push_str(&format!("<TD BGCOLOR=\"{}\"><B>{n}</B></TD>", header_fill(i)));
        }
        if sources {
            rows.push_str("<TD BGCOLOR=\"#f2f2f2\"></TD>");
        }
        rows.push_str("</TR>");
    }
    rows
}
