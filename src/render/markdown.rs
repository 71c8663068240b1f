//! Markdown (GitHub) tables, for pasting results into a wiki or an issue.

use super::exact::{self, Holds};
use super::text::cell_text;
use crate::eval::Rows;
use crate::store::Graph;

pub fn render(rows: &Rows, graph: &Graph) -> String {
    let mut s = table(rows, graph);
    // Sections (MATRIX's summary) follow, each its own table under its title.
    for section in &rows.sections {
        s.push('\n');
        if section.columns.is_empty() || section.rows.is_empty() {
            for line in section.title.iter().flat_map(|t| t.lines()) {
                s.push_str(&escape(line.trim_start()));
                s.push_str("  \n");
            }
        } else {
            s.push_str(&table(section, graph));
        }
    }
    s
}

fn table(rows: &Rows, graph: &Graph) -> String {
    let mut s = String::new();
    if let Some(t) = &rows.title {
        for line in t.lines() {
            s.push_str(&escape(line.trim_start()));
            s.push_str("  \n");
        }
        s.push('\n');
    }
    s.push_str(&format!(
        "| {} |\n",
        rows.columns.iter().map(|c| escape(c)).collect::<Vec<_>>().join(" | ")
    ));
    s.push_str(&format!("|{}\n", "---|".repeat(rows.columns.len())));
    for r in &rows.rows {
        let cells: Vec<String> = r.iter().map(|v| escape(&cell_text(v, graph))).collect();
        s.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    s
}

/// Escapes what would break a table cell or be read as markup; control
/// characters are written visibly (see [`exact`]).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut lossy = false;
    while let Some(c) = chars.next() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("<br>"),
            c if exact::needs_escape(c, Holds::Text) => {
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
