//! The aligned table people read in a terminal, with a row count and,
//! optionally, the time the statement took.
//!
//! Given a width (a terminal's), a table is laid out so that no word or
//! number is ever split: as it is when it fits; else with cells wrapped at
//! spaces, each column at least as wide as its longest word; else (in
//! `auto` mode) expanded, one field a line, as psql's `\x auto` does. In
//! `table` mode a table that cannot fit is left whole for the caller to cut.

use std::cell::Cell;

use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width, presets};

use super::exact::{self, Holds};
use super::text::cell_text;
use crate::eval::Rows;
use crate::store::Graph;

/// How results are laid out in a terminal (`:mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TableMode {
    /// A table, wrapped at spaces when too wide; never expanded.
    Table,
    /// One field a line, every record under a `-[ RECORD n ]-` line.
    Expanded,
    /// A table while it fits the width, else expanded.
    #[default]
    Auto,
}

impl TableMode {
    pub const NAMES: [&'static str; 3] = ["table", "expanded", "auto"];

    pub fn parse(s: &str) -> Option<TableMode> {
        match s.to_ascii_lowercase().as_str() {
            "table" => Some(TableMode::Table),
            "expanded" | "x" => Some(TableMode::Expanded),
            "auto" => Some(TableMode::Auto),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TableMode::Table => "table",
            TableMode::Expanded => "expanded",
            TableMode::Auto => "auto",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// Show the elapsed time after the row count.
    pub timing: bool,
    /// Fit the table to this many columns (without splitting a word).
    pub width: Option<u16>,
    /// Table, expanded, or chosen by the width.
    pub mode: TableMode,
    /// CSV: make cells a spreadsheet would run as formulas inert.
    pub csv_safe: bool,
}

/// The layout a result gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Every cell on one line.
    Natural,
    /// Cells wrapped at spaces to fit the width.
    Wrapped,
    Expanded,
}

pub fn render(rows: &Rows, graph: &Graph, opts: &TableOptions) -> String {
    let mut out = body(rows, graph, opts);
    out.push_str(&summary(rows, opts));
    out.push('\n');
    // Sections (MATRIX's summary) follow, each its own table under its
    // title, without a row count or timing of their own.
    for section in &rows.sections {
        out.push('\n');
        if section.columns.is_empty() || section.rows.is_empty() {
            for line in section.title.iter().flat_map(|t| t.lines()) {
                out.push_str(&sanitize(line));
                out.push('\n');
            }
        } else {
            out.push_str(&body(section, graph, opts));
        }
    }
    out
}

/// The title and the table (or expanded records), without the count.
fn body(rows: &Rows, graph: &Graph, opts: &TableOptions) -> String {
    let mut out = String::new();
    if let Some(t) = &rows.title {
        out.push_str(&sanitize(t));
        out.push('\n');
    }
    if !rows.columns.is_empty() {
        let header: Vec<String> = rows.columns.iter().map(|c| sanitize(c)).collect();
        let cells: Vec<Vec<String>> = rows
            .rows
            .iter()
            .map(|r| r.iter().map(|v| sanitize(&cell_text(v, graph))).collect())
            .collect();
        match layout(&header, &cells, opts) {
            Layout::Expanded => out.push_str(&expanded(&header, &cells, opts.width)),
            layout => {
                let mut table = Table::new();
                table.load_style(presets::UTF8_FULL_CONDENSED);
                table.set_header(header.clone());
                for r in &cells {
                    table.add_row(r.clone());
                }
                match (layout, opts.width) {
                    (Layout::Wrapped, Some(w)) => {
                        table.set_content_arrangement(ContentArrangement::Dynamic);
                        table.set_width(w);
                        let constraints: Vec<ColumnConstraint> = min_widths(&header, &cells)
                            .into_iter()
                            // comfy-table counts the padding (a space each side) in the width.
                            .map(|m| {
                                ColumnConstraint::LowerBoundary(Width::Fixed((m + 2).min(u16::MAX as usize) as u16))
                            })
                            .collect();
                        table.set_constraints(constraints);
                    }
                    _ => {
                        table.set_content_arrangement(ContentArrangement::Disabled);
                    }
                }
                out.push_str(&table.to_string());
                out.push('\n');
            }
        }
    }
    out
}

/// Characters a string takes on screen, line by line: its widest line.
fn width_of(s: &str) -> usize {
    s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// The longest word (run of non-spaces) in a string.
fn longest_word(s: &str) -> usize {
    s.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0)
}

/// Screen columns a table takes when each column is `widths[i]` wide: one
/// space of padding on each side and a border between and around columns.
fn table_width(widths: &[usize]) -> usize {
    widths.iter().map(|w| w + 2).sum::<usize>() + widths.len() + 1
}

fn natural_widths(header: &[String], cells: &[Vec<String>]) -> Vec<usize> {
    (0..header.len())
        .map(|i| {
            cells
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| width_of(c))
                .chain([width_of(&header[i])])
                .max()
                .unwrap_or(0)
        })
        .collect()
}

fn min_widths(header: &[String], cells: &[Vec<String>]) -> Vec<usize> {
    (0..header.len())
        .map(|i| {
            cells
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| longest_word(c))
                .chain([longest_word(&header[i]), 1])
                .max()
                .unwrap_or(1)
        })
        .collect()
}

fn layout(header: &[String], cells: &[Vec<String>], opts: &TableOptions) -> Layout {
    if opts.mode == TableMode::Expanded {
        return Layout::Expanded;
    }
    let Some(w) = opts.width.map(usize::from) else {
        return Layout::Natural;
    };
    if table_width(&natural_widths(header, cells)) <= w {
        return Layout::Natural;
    }
    if table_width(&min_widths(header, cells)) <= w {
        return Layout::Wrapped;
    }
    match opts.mode {
        TableMode::Auto => Layout::Expanded,
        _ => Layout::Natural,
    }
}

/// One field a line: `name │ value`, values wrapped at spaces to the width
/// (a word longer than the line stays whole), each record under its number.
fn expanded(header: &[String], cells: &[Vec<String>], width: Option<u16>) -> String {
    let key_w = header.iter().map(|h| width_of(h)).max().unwrap_or(0);
    let value_w = width.map(|w| (w as usize).saturating_sub(key_w + 3).max(10));
    let rule_w = width
        .map(|w| w as usize)
        .unwrap_or(key_w + 3 + 20)
        .min(key_w + 3 + 60)
        .max(16);
    let mut out = String::new();
    for (n, row) in cells.iter().enumerate() {
        let label = format!("-[ RECORD {} ]", n + 1);
        let dashes = rule_w.saturating_sub(label.chars().count());
        out.push_str(&label);
        out.push_str(&"-".repeat(dashes));
        out.push('\n');
        for (h, v) in header.iter().zip(row) {
            let lines = match value_w {
                Some(vw) => wrap_words(v, vw),
                None => v.lines().map(str::to_string).collect(),
            };
            let lines = if lines.is_empty() { vec![String::new()] } else { lines };
            for (i, line) in lines.iter().enumerate() {
                let key = if i == 0 { h.as_str() } else { "" };
                let pad = key_w - key.chars().count();
                out.push_str(key);
                out.push_str(&" ".repeat(pad));
                out.push_str(" │ ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// Splits `s` into lines of at most `width` characters at spaces (and at
/// its own line breaks); a word longer than `width` gets a line of its own.
fn wrap_words(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for text_line in s.split('\n') {
        let mut line = String::new();
        for word in text_line.split(' ').filter(|w| !w.is_empty()) {
            let need = if line.is_empty() {
                word.chars().count()
            } else {
                line.chars().count() + 1 + word.chars().count()
            };
            if need > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// "3 rows", "1 row, 2 nodes created", with the time when asked.
pub fn summary(rows: &Rows, opts: &TableOptions) -> String {
    let n = rows.rows.len();
    let mut parts = vec![format!("{n} row{}", if n == 1 { "" } else { "s" })];
    let s = rows.stats;
    for (count, what) in [
        (s.nodes_created, "node"),
        (s.relationships_created, "relationship"),
        (s.labels_added, "label"),
        (s.properties_set, "property"),
        (s.nodes_deleted, "node deleted"),
        (s.relationships_deleted, "relationship deleted"),
        (s.labels_removed, "label removed"),
        (s.indexes_added, "index added"),
        (s.indexes_removed, "index removed"),
    ] {
        if count > 0 {
            if let Some((noun, verb)) = what.split_once(' ') {
                let s = match (count, noun.ends_with('x')) {
                    (1, _) => "",
                    (_, true) => "es",
                    _ => "s",
                };
                parts.push(format!("{count} {noun}{s} {verb}"));
                continue;
            }
            let plural = if count == 1 {
                what.to_string()
            } else if what == "property" {
                "properties".into()
            } else {
                format!("{what}s")
            };
            let verb = if what == "property" {
                "set"
            } else if what == "label" {
                "added"
            } else {
                "created"
            };
            parts.push(format!("{count} {plural} {verb}"));
        }
    }
    let mut line = parts.join(", ");
    if opts.timing {
        line.push_str(&format!(" ({:.1} ms)", rows.elapsed.as_secs_f64() * 1000.0));
    }
    line
}

/// Control characters would move the cursor or ring the bell: they are
/// written visibly (`\x1b`, see [`exact`]) and the render is marked as
/// changed, so the front end warns naming the node. A `\r` or `\r\n` is a
/// line break, as `\n` is.
fn sanitize(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\n') {
        return s.to_string();
    }
    let after_cr = Cell::new(false);
    exact::escaped(
        s,
        Holds::Text,
        |out, c| {
            match c {
                '\r' => out.push('\n'),
                '\n' if after_cr.get() => {}
                c => out.push(c),
            }
            after_cr.set(c == '\r');
        },
        |out, visible| {
            after_cr.set(false);
            out.push_str(visible)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn rows(cols: &[&str], data: &[&[&str]]) -> Rows {
        Rows {
            columns: cols.iter().map(|c| c.to_string()).collect(),
            rows: data.iter().map(|r| r.iter().map(|c| Value::str(c)).collect()).collect(),
            ..Rows::default()
        }
    }

    fn opts(width: u16, mode: TableMode) -> TableOptions {
        TableOptions {
            width: Some(width),
            mode,
            ..TableOptions::default()
        }
    }

    /// Every word of the cells appears whole on some line.
    fn words_whole(out: &str, words: &[&str]) {
        for w in words {
            assert!(out.lines().any(|l| l.contains(w)), "'{w}' was split:\n{out}");
        }
    }

    #[test]
    fn narrow_tables_wrap_at_spaces_never_inside_a_word() {
        let g = Graph::new("t");
        let r = rows(
            &["type", "id", "name"],
            &[&[
                "FOCUSES_ON",
                "chief-technology-officer",
                "Aligning technology with business goals",
            ]],
        );
        let out = render(&r, &g, &opts(60, TableMode::Table));
        assert!(out.lines().all(|l| l.chars().count() <= 60), "{out}");
        words_whole(
            &out,
            &["FOCUSES_ON", "chief-technology-officer", "Aligning", "business"],
        );
        assert!(!out.contains("RECORD"));
    }

    #[test]
    fn a_table_that_cannot_fit_is_expanded_in_auto_mode() {
        let g = Graph::new("t");
        let r = rows(
            &["a_long_column", "another_long_column", "third"],
            &[&["chief-technology-officer", "chief-information-officer", "10"]],
        );
        let out = render(&r, &g, &opts(50, TableMode::Auto));
        assert!(out.starts_with("-[ RECORD 1 ]"), "{out}");
        words_whole(&out, &["chief-technology-officer", "chief-information-officer", "10"]);
        assert!(out.lines().all(|l| l.chars().count() <= 50), "{out}");
        // In table mode the table stays whole, for the caller to cut.
        let out = render(&r, &g, &opts(50, TableMode::Table));
        words_whole(&out, &["chief-technology-officer", "chief-information-officer"]);
        assert!(!out.contains("RECORD"));
        // Without a width nothing is wrapped or expanded.
        let out = render(&r, &g, &TableOptions::default());
        assert!(out.contains("│ chief-technology-officer ┆"), "{out}");
    }

    #[test]
    fn expanded_values_wrap_at_spaces() {
        assert_eq!(wrap_words("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap_words("averyveryverylongword x", 5), ["averyveryverylongword", "x"]);
        assert_eq!(wrap_words("", 5), [""]);
    }
}
