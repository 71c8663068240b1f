//! Why an export failed: the words did not say what to export, there was
//! nothing to draw, a reference or a statement failed, Graphviz could not
//! draw, or the file could not be written. Each variant carries what its
//! message needs; front ends render it once ([`ExportError::is_usage`] tells
//! a mistake in the command from a failure while doing it).

use std::path::PathBuf;

use super::DataFormat;
use crate::error::QueryError;
use crate::output::OutputError;
use crate::render::dot::{INSTALL_HINT, ImageError, ImageFormat};

/// The forms the shell's `:export` takes (shown after a usage mistake).
pub const USAGE: &str = "usage: :export cypher|json|graphml FILE | csv DIR | dot|svg|png|pdf|mermaid|markdown|html FILE overlap <ref>, <ref>[, ...] [ON TYPE|TYPE] \
     | diff <ref>, <ref> | matrix <ref>, <ref>[, ...] [ON TYPE|TYPE] | path <ref> TO <ref> [VIA TYPE|TYPE] [ALL] | orgchart [<ref>] | last | query <statement>";

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    // ---- the command's words
    /// Nothing after `:export`.
    #[error("{USAGE}")]
    Usage,
    /// A whole-graph export without its one FILE (or with more words).
    #[error("usage: :export {} FILE", format.word())]
    DataUsage { format: DataFormat },
    /// A first word that names no format.
    #[error("unknown format '{word}' (expected {})\n{USAGE}", super::Target::WORDS)]
    UnknownFormat { word: String },
    #[error("missing FILE\n{USAGE}")]
    MissingFile,
    /// A quoted file name whose quote is never closed.
    #[error("unclosed {quote} around the file name")]
    UnclosedQuote { quote: char },
    /// No kind of diagram named.
    #[error("what to export?\n{USAGE}")]
    MissingWhat,
    /// A word that is not a kind of diagram.
    #[error("cannot export '{word}' (expected overlap, diff, matrix, path, orgchart, last or query)")]
    UnknownWhat { word: String },
    /// OVERLAP or MATRIX with fewer than two references.
    #[error("{what} needs at least two references separated by commas")]
    TooFewReferences { what: &'static str },
    #[error("diff needs exactly two references separated by a comma")]
    DiffReferences,
    #[error("path needs '<ref> TO <ref>'")]
    PathEnds,
    /// `ON` or `VIA` followed by an empty type.
    #[error("{keyword} needs relationship types separated by '|'")]
    EmptyType { keyword: &'static str },

    // ---- what to draw
    /// The statement behind the diagram failed.
    #[error("{}", statement_error(statement, error))]
    Statement {
        statement: String,
        error: Box<crate::Error>,
    },
    /// An org chart's root that names no node.
    #[error("{}", with_help(_0))]
    Reference(Box<QueryError>),
    /// `last` with no previous result.
    #[error("there is no previous result to export (in a script, use: export query <statement>)")]
    NoPreviousResult,
    #[error(
        "the result holds no nodes, relationships or paths to draw \
         (return nodes, relationships or paths, or run OVERLAP, DIFF or PATH)"
    )]
    NothingToDraw,
    /// The Neo4j CSV export names nodes by their `id`; these have none.
    #[error(
        "{} no string 'id' property; the Neo4j CSV export names nodes by it (export cypher works without one)",
        nodes_have(*count)
    )]
    MissingIds { count: usize },
    /// The CSV export without a directory to write into.
    #[error("the CSV export needs a directory: export csv --neo4j DIR")]
    NoDirectory,

    // ---- drawing and writing
    /// A picture asked for without Graphviz: nothing is written.
    #[error(
        "cannot draw {}: Graphviz's 'dot' is not installed; {INSTALL_HINT} (or write the DOT text with -o FILE.dot or --format dot)",
        picture(*format, output.as_deref())
    )]
    NoGraphviz {
        format: ImageFormat,
        output: Option<PathBuf>,
    },
    /// An HTML page needs Graphviz for its SVG.
    #[error("an HTML page needs Graphviz's 'dot' to draw its SVG; {INSTALL_HINT}")]
    NoGraphvizForHtml,
    /// Graphviz ran and failed.
    #[error(transparent)]
    Graphviz(ImageError),
    /// A file could not be written (the system's error inside).
    #[error(transparent)]
    Write(#[from] OutputError),
    /// The CSV export's directory could not be made.
    #[error("cannot create {}: {source}", .dir.display())]
    CreateDir { dir: PathBuf, source: std::io::Error },
    /// The CSV writer failed (on memory, so only on a bug or no memory).
    #[error("cannot write CSV: {0}")]
    Csv(#[from] ::csv::Error),
}

impl ExportError {
    /// True when the command itself was wrong (the words, not the graph or
    /// the file system): the command line exits with its usage code.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            ExportError::Usage
                | ExportError::DataUsage { .. }
                | ExportError::UnknownFormat { .. }
                | ExportError::MissingFile
                | ExportError::UnclosedQuote { .. }
                | ExportError::MissingWhat
                | ExportError::UnknownWhat { .. }
                | ExportError::TooFewReferences { .. }
                | ExportError::DiffReferences
                | ExportError::PathEnds
                | ExportError::EmptyType { .. }
                | ExportError::NoDirectory
        )
    }

    /// The error as a front end prints it: a statement's caret diagnostic
    /// as it is (it begins with "error:"), anything else after "error: ".
    pub fn render(&self) -> String {
        match self {
            ExportError::Statement { error, .. } if matches!(**error, crate::Error::Query(_)) => self.to_string(),
            _ => format!("error: {self}"),
        }
    }
}

/// A statement's error with its caret under the statement (named `export`).
fn statement_error(statement: &str, error: &crate::Error) -> String {
    match error {
        crate::Error::Query(q) => q.diagnostic().render("export", statement).trim_end().to_string(),
        other => other.to_string(),
    }
}

fn with_help(e: &QueryError) -> String {
    match &e.help {
        Some(h) => format!("{}; {h}", e.message),
        None => e.message.clone(),
    }
}

fn nodes_have(count: usize) -> String {
    if count == 1 {
        "1 node has".to_string()
    } else {
        format!("{count} nodes have")
    }
}

/// The picture that could not be drawn: its file, or its format.
fn picture(format: ImageFormat, output: Option<&std::path::Path>) -> String {
    match output {
        Some(p) => p.display().to_string(),
        None => format!("a {} picture", format.extension().to_uppercase()),
    }
}
