//! One valid document per run: how the results of a script (`-e`, `-f`,
//! standard input) are written when it has several statements. JSON is one
//! array of `{statement, text, columns, rows, warnings}`; JSON lines carry
//! the statement's number; CSV holds one table: the statements that only
//! edit the graph print nothing, and a run with more than one table writes
//! one file per statement into `--output-dir` (refused on standard output,
//! before anything runs). With one statement, every format prints as it
//! always has. `--output-dir` works for every format: one file per
//! statement, named by its number.

use std::path::PathBuf;

use serde_json::{Value as Json, json};

use crate::diag::{Diagnostic, Severity, line_col};
use crate::eval::Rows;
use crate::output::{self, OutputError};
use crate::render::{self, Format, TableOptions};
use crate::store::Graph;

/// Why a result could not be added to the document.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(
        "CSV holds one table, and this run has several statements; use --output-dir DIR to write one CSV file per statement, or --format json or jsonl for one document"
    )]
    SeveralCsv,
}

/// The results of one run, written as they come.
pub struct Document {
    /// The run has several statements (decided before it starts).
    multi: bool,
    /// Where `--output-dir` puts one file per statement.
    dir: Option<PathBuf>,
    /// The JSON array has been opened on standard output.
    json_open: bool,
    /// CSV tables written to standard output so far.
    csv_tables: usize,
}

/// A statement's result and where it came from.
pub struct Entry<'a> {
    /// 1-based number of the statement in the run.
    pub index: usize,
    /// The statement's own text.
    pub text: &'a str,
    pub rows: &'a Rows,
    /// The text the warnings' positions index, and its name.
    pub source: &'a str,
}

impl Document {
    pub fn new(multi: bool, dir: Option<PathBuf>) -> Document {
        Document {
            multi,
            dir,
            json_open: false,
            csv_tables: 0,
        }
    }

    /// Writes one statement's result in `format`.
    pub fn emit(&mut self, e: &Entry, graph: &Graph, format: Format, opts: &TableOptions) -> Result<(), DocError> {
        if let Some(dir) = &self.dir {
            let text = warned(render::render_warned(e.rows, graph, format, opts));
            let path = dir.join(format!("{}.{}", e.index, format.extension()));
            output::write_file(&path, text.as_bytes())?;
            return Ok(());
        }
        let text = match format {
            Format::Json if self.multi => {
                let obj = render::statement_object(e.index, e.text, e.rows, graph, warnings_json(e));
                let pretty = serde_json::to_string_pretty(&obj).unwrap_or_default();
                let mut s = String::from(if self.json_open { ",\n" } else { "[\n" });
                self.json_open = true;
                for (i, line) in pretty.lines().enumerate() {
                    if i > 0 {
                        s.push('\n');
                    }
                    s.push_str("  ");
                    s.push_str(line);
                }
                s
            }
            Format::Jsonl if self.multi => render::render_lines_of(e.rows, graph, e.index),
            // A statement that only edited the graph has no table to add.
            Format::Csv if self.multi && e.rows.columns.is_empty() => return Ok(()),
            Format::Csv => {
                if self.csv_tables > 0 {
                    return Err(DocError::SeveralCsv);
                }
                self.csv_tables += 1;
                warned(render::render_warned(e.rows, graph, format, opts))
            }
            _ => warned(render::render_warned(e.rows, graph, format, opts)),
        };
        output::stdout(text.as_bytes())?;
        Ok(())
    }

    /// Closes the document: the JSON array ends (an empty one when JSON
    /// was asked for and nothing came).
    pub fn finish(&mut self, format: Format) -> Result<(), OutputError> {
        if self.json_open {
            self.json_open = false;
            return output::stdout(b"\n]\n");
        }
        if self.multi && self.dir.is_none() && format == Format::Json {
            return output::stdout(b"[]\n");
        }
        Ok(())
    }
}

/// The text, after its warnings (what the format could not hold exactly)
/// went to standard error.
fn warned((text, warnings): (String, Vec<String>)) -> String {
    for w in warnings {
        eprintln!("{w}");
    }
    text
}

/// A statement's warnings as JSON: message, line, column, help.
fn warnings_json(e: &Entry) -> Vec<Json> {
    e.rows.warnings.iter().map(|d| diagnostic_json(d, e.source)).collect()
}

pub fn diagnostic_json(d: &Diagnostic, source: &str) -> Json {
    let (line, column) = match d.span {
        Some(s) => {
            let (l, c) = line_col(source, s.start);
            (json!(l), json!(c))
        }
        None => (Json::Null, Json::Null),
    };
    json!({
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "message": d.message,
        "line": line,
        "column": column,
        "help": d.help,
    })
}
