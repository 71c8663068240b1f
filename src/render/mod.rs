//! Turns rows into text: an aligned table, JSON, JSON lines, CSV or
//! markdown. Renderers never run queries; they look nodes up in the graph
//! only to print them.

mod csv;
pub mod dot;
pub mod exact;
pub mod html;
mod json;
mod markdown;
pub mod mermaid;
mod table;
mod text;
pub mod titles;

use std::str::FromStr;

use crate::eval::Rows;
use crate::store::Graph;

pub use json::value_json;
pub use json::{row_objects, statement_object};
pub use table::{TableMode, TableOptions, summary};
pub use text::{cell_text, value_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
    Markdown,
}

impl Format {
    pub const NAMES: [&'static str; 5] = ["table", "json", "jsonl", "csv", "markdown"];
}

/// A name that is no result format: the word, and a near name if any.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format '{found}' (expected one of: {}){}", Format::NAMES.join(", "), help.as_ref().map(|h| format!("; {h}")).unwrap_or_default())]
pub struct UnknownFormat {
    pub found: String,
    /// "did you mean 'json'?"
    pub help: Option<String>,
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Format, UnknownFormat> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "table" => Format::Table,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::Jsonl,
            "csv" => Format::Csv,
            "markdown" | "md" => Format::Markdown,
            other => {
                return Err(UnknownFormat {
                    found: other.to_string(),
                    help: crate::diag::did_you_mean(other, Format::NAMES),
                });
            }
        })
    }
}

/// Renders a result in `format`. The table also shows the row count and,
/// when `opts.timing` is set, the elapsed time.
pub fn render(rows: &Rows, graph: &Graph, format: Format, opts: &TableOptions) -> String {
    match format {
        Format::Table => table::render(rows, graph, opts),
        Format::Json => json::render(rows, graph),
        Format::Jsonl => json::render_lines(rows, graph, None),
        Format::Csv => csv::render(rows, graph, opts.csv_safe),
        Format::Markdown => markdown::render(rows, graph),
    }
}

/// Renders like [`render`], and the warnings for the text `format` could
/// not hold exactly: one line per node, naming it (see [`exact`]).
pub fn render_warned(rows: &Rows, graph: &Graph, format: Format, opts: &TableOptions) -> (String, Vec<String>) {
    let (text, changed) = exact::watch(|| render(rows, graph, format, opts));
    let title = match format {
        Format::Markdown => "Markdown",
        other => other.name(),
    };
    (text, exact::warnings(graph, title, &changed, exact::Holds::Text))
}

/// JSON lines whose objects say which statement of a script they come from.
pub fn render_lines_of(rows: &Rows, graph: &Graph, statement: usize) -> String {
    json::render_lines(rows, graph, Some(statement))
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }

    /// The file extension of a result written in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Table => "txt",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Markdown => "md",
        }
    }
}
