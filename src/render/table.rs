//! The aligned table people read in a terminal, with a row count and,
//! optionally, the time the statement took.

use comfy_table::{ContentArrangement, Table, presets};

use super::text::cell_text;
use crate::eval::Rows;
use crate::store::Graph;

#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// Show the elapsed time after the row count.
    pub timing: bool,
    /// Fit the table to this many columns (wrapping long cells).
    pub width: Option<u16>,
}

pub fn render(rows: &Rows, graph: &Graph, opts: &TableOptions) -> String {
    let mut out = String::new();
    if let Some(t) = &rows.title {
        out.push_str(&sanitize(t));
        out.push('\n');
    }
    if !rows.columns.is_empty() {
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL_CONDENSED);
        match opts.width {
            Some(w) => {
                table.set_content_arrangement(ContentArrangement::Dynamic);
                table.set_width(w);
            }
            None => {
                table.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        table.set_header(rows.columns.iter().map(|c| sanitize(c)));
        for r in &rows.rows {
            table.add_row(r.iter().map(|v| sanitize(&cell_text(v, graph))));
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    out.push_str(&summary(rows, opts));
    out.push('\n');
    out
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
    ] {
        if count > 0 {
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

/// Control characters would move the cursor or ring the bell; show them
/// escaped instead.
fn sanitize(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\n') {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\n' => "\n".to_string(),
            '\t' => "\\t".to_string(),
            '\r' => "\\r".to_string(),
            c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
            c => c.to_string(),
        })
        .collect()
}
