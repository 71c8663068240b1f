//! The export command behind `rolegraph export ...` and the shell's
//! `:export`: parses what to draw, builds the DOT, renders it through
//! Graphviz when a picture is asked for, and writes the file atomically
//! (a temporary file in the target directory, renamed into place).
//!
//! Shell syntax (the words after `:export`):
//!
//! ```text
//! :export dot|svg|png|pdf FILE overlap <ref>, <ref>[, ...] [ON TYPE|TYPE]
//! :export dot|svg|png|pdf FILE diff <ref>, <ref>
//! :export dot|svg|png|pdf FILE matrix <ref>, <ref>[, ...] [ON TYPE|TYPE]
//! :export dot|svg|png|pdf FILE path <ref> TO <ref> [VIA TYPE|TYPE] [ALL]
//! :export dot|svg|png|pdf FILE orgchart [<ref>]
//! :export dot|svg|png|pdf FILE last
//! :export dot|svg|png|pdf FILE query <statement>
//! ```
//!
//! FILE `-` prints the DOT instead of writing it. References are ids, names
//! or aliases (quotes optional, needed only around a name with a comma).

use std::path::{Path, PathBuf};

pub mod csv_neo4j;
pub mod cypher;
mod error;
pub mod graphml;
pub mod json;

use crate::diag::Span;
use crate::eval::Rows;
use crate::plan::refs;
use crate::render::dot::{self, DiagramOptions, ImageError, ImageFormat};
use crate::render::exact::{self, Holds};
use crate::render::{html, mermaid};
use crate::session::Session;
use crate::store::{Graph, NodeId};
use crate::syntax::ast::NodeRefText;

pub use error::{ExportError, USAGE};

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    Overlap {
        refs: Vec<String>,
        types: Vec<String>,
    },
    Diff(String, String),
    /// MATRIX: references and the `ON` types.
    Matrix {
        refs: Vec<String>,
        types: Vec<String>,
    },
    Path {
        from: String,
        to: String,
        via: Vec<String>,
        all: bool,
    },
    OrgChart(Option<String>),
    /// The shell's previous result.
    Last,
    /// Run a statement and draw its result.
    Query(String),
}

/// What a diagram is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Dot,
    /// A picture drawn by Graphviz's `dot`.
    Picture(ImageFormat),
    /// A Mermaid flowchart (`.mmd`).
    Mermaid,
    /// A Mermaid flowchart in a Markdown code block (`.md`).
    Markdown,
    /// A self-contained HTML page around the SVG.
    Html,
}

impl Target {
    pub const WORDS: &'static str = "dot, svg, png, pdf, mermaid, markdown or html";

    /// A format's name (`--format`, `--render`, the shell's first word).
    pub fn from_word(w: &str) -> Option<Target> {
        Some(match w.to_ascii_lowercase().as_str() {
            "dot" | "gv" => Target::Dot,
            "mermaid" | "mmd" => Target::Mermaid,
            "markdown" | "md" => Target::Markdown,
            "html" | "htm" => Target::Html,
            other => Target::Picture(other.parse().ok()?),
        })
    }

    /// What a file's name asks for, by its extension.
    pub fn from_path(p: &Path) -> Option<Target> {
        Target::from_word(p.extension()?.to_str()?)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub what: What,
    pub target: Target,
    /// Title, sources, direction, size, dpi and legend.
    pub options: DiagramOptions,
    /// `None` writes to standard output (the caller prints [`Outcome::stdout`]).
    pub output: Option<PathBuf>,
}

/// What an export did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// For the user (empty when the result goes to standard output).
    pub message: String,
    /// The bytes to print when no file was named.
    pub stdout: Option<Vec<u8>>,
}

/// `:export` in the shell: `words` are what follows `:export`; `last` is the
/// previous result, for `last`. Returns the message to show.
pub fn export_command(session: &mut Session, words: &str, last: Option<&Rows>) -> Result<String, ExportError> {
    if let Some(format) = DataFormat::parse(split_word(words.trim()).0) {
        let (file, rest) = split_file(split_word(words.trim()).1)?;
        if file.is_empty() || !rest.trim().is_empty() {
            return Err(ExportError::DataUsage { format });
        }
        let out = export_data(session.graph(), format, (file != "-").then(|| Path::new(&file)))?;
        return match out.stdout {
            Some(bytes) => Ok(String::from_utf8_lossy(&bytes).trim_end().to_string()),
            None => Ok(out.message),
        };
    }
    let req = parse_command(words)?;
    let out = export(session, &req, last)?;
    match out.stdout {
        Some(bytes) => Ok(String::from_utf8_lossy(&bytes).trim_end().to_string()),
        None => Ok(out.message),
    }
}

/// A whole-graph export for other tools and engines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DataFormat {
    /// An openCypher script of `CREATE`s ([`cypher`]).
    Cypher,
    /// Neo4j admin-import CSV files in a directory ([`csv_neo4j`]).
    CsvNeo4j,
    /// One JSON document ([`json`]).
    Json,
    /// GraphML ([`graphml`]).
    GraphMl,
}

impl DataFormat {
    pub fn parse(word: &str) -> Option<DataFormat> {
        Some(match word.to_ascii_lowercase().as_str() {
            "cypher" => DataFormat::Cypher,
            "csv" => DataFormat::CsvNeo4j,
            "json" => DataFormat::Json,
            "graphml" => DataFormat::GraphMl,
            _ => return None,
        })
    }

    pub fn word(self) -> &'static str {
        match self {
            DataFormat::Cypher => "cypher",
            DataFormat::CsvNeo4j => "csv",
            DataFormat::Json => "json",
            DataFormat::GraphMl => "graphml",
        }
    }
}

/// Writes the whole graph in `format` to `output` (for CSV, a directory,
/// required), or returns it to print when `output` is `None`.
pub fn export_data(graph: &Graph, format: DataFormat, output: Option<&Path>) -> Result<Outcome, ExportError> {
    let (text, what) = match format {
        DataFormat::CsvNeo4j => {
            let dir = output.ok_or(ExportError::NoDirectory)?;
            let message = csv_neo4j::write_dir(graph, dir)?;
            return Ok(Outcome { message, stdout: None });
        }
        DataFormat::Cypher => (cypher::to_cypher(graph), "Cypher"),
        DataFormat::Json => (json::to_json_text(graph), "JSON"),
        DataFormat::GraphMl => {
            let (text, changed) = exact::watch(|| graphml::to_graphml(graph));
            let warnings = exact::warnings(graph, "GraphML", &changed, Holds::Xml);
            return deliver(output, text.as_bytes(), "GraphML", warnings.join("\n"));
        }
    };
    deliver(output, text.as_bytes(), what, String::new())
}

/// Parses `FORMAT FILE WHAT ARGS...`.
pub fn parse_command(words: &str) -> Result<Request, ExportError> {
    let words = words.trim();
    let (format, rest) = split_word(words);
    if format.is_empty() {
        return Err(ExportError::Usage);
    }
    let target = Target::from_word(format).ok_or_else(|| ExportError::UnknownFormat {
        word: format.to_string(),
    })?;
    let (file, rest) = split_file(rest)?;
    if file.is_empty() {
        return Err(ExportError::MissingFile);
    }
    let output = (file != "-").then(|| PathBuf::from(file));
    Ok(Request {
        what: parse_what(rest)?,
        target,
        output,
        options: DiagramOptions::default(),
    })
}

/// Parses `WHAT ARGS...` (also what the command line's `export` gets).
pub fn parse_what(text: &str) -> Result<What, ExportError> {
    let (kind, rest) = split_word(text.trim());
    let rest = rest.trim();
    match kind.to_ascii_lowercase().as_str() {
        "overlap" => {
            let (refs_text, types) = split_types(rest, "ON")?;
            let refs = split_refs(refs_text);
            if refs.len() < 2 {
                return Err(ExportError::TooFewReferences { what: "overlap" });
            }
            Ok(What::Overlap { refs, types })
        }
        "matrix" => {
            let (refs_text, types) = split_types(rest, "ON")?;
            let refs = split_refs(refs_text);
            if refs.len() < 2 {
                return Err(ExportError::TooFewReferences { what: "matrix" });
            }
            Ok(What::Matrix { refs, types })
        }
        "diff" => match &split_refs(rest)[..] {
            [a, b] => Ok(What::Diff(a.clone(), b.clone())),
            _ => Err(ExportError::DiffReferences),
        },
        "path" => {
            let (head, all) = match rest.rsplit_once(char::is_whitespace) {
                Some((h, w)) if w.eq_ignore_ascii_case("all") => (h.trim_end(), true),
                _ => (rest, false),
            };
            let (ends, via) = split_types(head, "VIA")?;
            let Some((from, to)) = split_keyword(ends, "TO") else {
                return Err(ExportError::PathEnds);
            };
            Ok(What::Path {
                from: unquote(from),
                to: unquote(to),
                via,
                all,
            })
        }
        "orgchart" | "org" => Ok(What::OrgChart((!rest.is_empty()).then(|| unquote(rest)))),
        "last" if rest.is_empty() => Ok(What::Last),
        "query" if !rest.is_empty() => Ok(What::Query(rest.to_string())),
        "" => Err(ExportError::MissingWhat),
        other => Err(ExportError::UnknownWhat {
            word: other.to_string(),
        }),
    }
}

/// Builds the DOT and writes it (or the picture) where the request says;
/// the message warns about every node whose text the format could not hold
/// exactly (see [`exact`]).
pub fn export(session: &mut Session, req: &Request, last: Option<&Rows>) -> Result<Outcome, ExportError> {
    let (outcome, changed) = exact::watch(|| export_unwatched(session, req, last));
    let mut outcome = outcome?;
    let (name, holds) = match req.target {
        Target::Dot => ("DOT".to_string(), Holds::Drawing),
        Target::Picture(f) => (f.extension().to_uppercase(), Holds::Drawing),
        Target::Html => ("HTML".to_string(), Holds::Drawing),
        Target::Mermaid => ("Mermaid".to_string(), Holds::Text),
        Target::Markdown => ("Markdown".to_string(), Holds::Text),
    };
    let warnings = exact::warnings(session.graph(), &name, &changed, holds);
    if !warnings.is_empty() {
        let mut lines = warnings;
        if !outcome.message.is_empty() {
            lines.push(std::mem::take(&mut outcome.message));
        }
        outcome.message = lines.join("\n");
    }
    Ok(outcome)
}

fn export_unwatched(session: &mut Session, req: &Request, last: Option<&Rows>) -> Result<Outcome, ExportError> {
    let format = match req.target {
        Target::Dot => {
            let (text, warnings) = build_dot_warned(session, &req.what, last, &req.options)?;
            return deliver(req.output.as_deref(), text.as_bytes(), "DOT", warnings);
        }
        Target::Mermaid | Target::Markdown => {
            let (text, warnings) = build_mermaid(session, &req.what, last, &req.options)?;
            let (text, name) = match req.target {
                Target::Markdown => (mermaid::markdown(&text), "Markdown"),
                _ => (text, "Mermaid"),
            };
            return deliver(req.output.as_deref(), text.as_bytes(), name, warnings);
        }
        Target::Html => {
            let (text, warnings) = build_dot_warned(session, &req.what, last, &req.options)?;
            let svg = match dot::render_image(&text, ImageFormat::Svg) {
                Ok(svg) => String::from_utf8_lossy(&svg).into_owned(),
                Err(ImageError::NotInstalled) => return Err(ExportError::NoGraphvizForHtml),
                Err(e) => return Err(ExportError::Graphviz(e)),
            };
            let title = req.options.title.clone().unwrap_or_else(|| page_title(&req.what));
            let page = html::page(session.graph(), &title, &svg);
            return deliver(req.output.as_deref(), page.as_bytes(), "HTML", warnings);
        }
        Target::Picture(f) => f,
    };
    let (text, warnings) = build_dot_warned(session, &req.what, last, &req.options)?;
    match dot::render_image(&text, format) {
        Ok(bytes) => deliver(
            req.output.as_deref(),
            &bytes,
            &format.extension().to_uppercase(),
            warnings,
        ),
        // A picture that was asked for and not made is a failure: nothing
        // is written, and the message says how to get one.
        Err(ImageError::NotInstalled) => Err(ExportError::NoGraphviz {
            format,
            output: req.output.clone(),
        }),
        Err(e) => Err(ExportError::Graphviz(e)),
    }
}

fn deliver(path: Option<&Path>, bytes: &[u8], what: &str, note: String) -> Result<Outcome, ExportError> {
    match path {
        None => Ok(Outcome {
            message: note,
            stdout: Some(bytes.to_vec()),
        }),
        Some(p) => {
            write_atomic(p, bytes)?;
            let mut message = format!("wrote {what} to {} ({} bytes)", p.display(), bytes.len());
            if !note.is_empty() {
                message = format!("{note}\n{message}");
            }
            Ok(Outcome { message, stdout: None })
        }
    }
}

/// The DOT text for `what`, with the default options.
pub fn build_dot(session: &mut Session, what: &What, last: Option<&Rows>) -> Result<String, ExportError> {
    build_dot_warned(session, what, last, &DiagramOptions::default()).map(|(text, _)| text)
}

/// The statement an OVERLAP, DIFF or PATH export runs: the references
/// written as string literals, so names with spaces or commas need no
/// quoting on the command line. Everything else (resolving the names,
/// the types, the warnings) is the session's, as for any statement.
pub fn statement_of(what: &What) -> Option<String> {
    let types = |ts: &[String]| ts.join("|");
    Some(match what {
        What::Overlap { refs, types: ts } => {
            let mut s = format!(
                "OVERLAP {}",
                refs.iter().map(|r| literal(r)).collect::<Vec<_>>().join(", ")
            );
            if !ts.is_empty() {
                s.push_str(&format!(" ON {}", types(ts)));
            }
            s
        }
        What::Diff(a, b) => format!("DIFF {}, {}", literal(a), literal(b)),
        What::Matrix { refs, types: ts } => {
            let mut s = format!(
                "MATRIX {}",
                refs.iter().map(|r| literal(r)).collect::<Vec<_>>().join(", ")
            );
            if !ts.is_empty() {
                s.push_str(&format!(" ON {}", types(ts)));
            }
            s
        }
        What::Path { from, to, via, all } => {
            let mut s = format!("PATH {} TO {}", literal(from), literal(to));
            if !via.is_empty() {
                s.push_str(&format!(" VIA {}", types(via)));
            }
            if *all {
                s.push_str(" ALL");
            }
            s
        }
        What::Query(q) => q.clone(),
        What::OrgChart(_) | What::Last => return None,
    })
}

/// `s` as a Cypher string literal.
fn literal(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// What a diagram request found to draw.
enum Drawing {
    /// A result (OVERLAP, DIFF and PATH carry their subgraph), with the
    /// title for a plain result.
    Rows(Box<Rows>, String),
    /// The org chart, whole or around a role.
    Org(Option<NodeId>),
}

/// Runs the request's statement through the session (or finds the org
/// chart's root, or takes the previous result); the warnings rendered.
fn find_drawing(session: &mut Session, what: &What, last: Option<&Rows>) -> Result<(Drawing, String), ExportError> {
    if let Some(statement) = statement_of(what) {
        let rows = match session.run(&statement) {
            Ok(rows) => rows,
            Err(e) => {
                return Err(ExportError::Statement {
                    statement,
                    error: Box::new(e),
                });
            }
        };
        let warnings: Vec<String> = rows
            .warnings
            .iter()
            .map(|w| w.render("export", &statement).trim_end().to_string())
            .collect();
        let title = format!("Result of {}", one_line(&statement));
        return Ok((Drawing::Rows(Box::new(rows), title), warnings.join("\n")));
    }
    Ok(match what {
        What::Last => {
            let rows = last.ok_or(ExportError::NoPreviousResult)?;
            (
                Drawing::Rows(Box::new(rows.clone()), "The previous result".to_string()),
                String::new(),
            )
        }
        What::OrgChart(root) => {
            let graph = session.graph();
            let root = root.as_deref().map(|r| resolve(graph, r)).transpose()?;
            (Drawing::Org(root), String::new())
        }
        _ => unreachable!("statements are handled above"),
    })
}

/// The DOT text for `what`, and the statement's warnings rendered.
pub fn build_dot_warned(
    session: &mut Session,
    what: &What,
    last: Option<&Rows>,
    opts: &DiagramOptions,
) -> Result<(String, String), ExportError> {
    let (drawing, warnings) = find_drawing(session, what, last)?;
    let graph = session.graph();
    let text = match &drawing {
        Drawing::Rows(rows, title) => dot::last(graph, rows, title, opts).ok_or(ExportError::NothingToDraw)?,
        Drawing::Org(root) => dot::orgchart(graph, *root, opts),
    };
    Ok((text, warnings))
}

/// The Mermaid flowchart for `what`, and the statement's warnings.
pub fn build_mermaid(
    session: &mut Session,
    what: &What,
    last: Option<&Rows>,
    opts: &DiagramOptions,
) -> Result<(String, String), ExportError> {
    let (drawing, warnings) = find_drawing(session, what, last)?;
    let graph = session.graph();
    let text = match &drawing {
        Drawing::Rows(rows, title) => mermaid::last(graph, rows, title, opts).ok_or(ExportError::NothingToDraw)?,
        Drawing::Org(root) => mermaid::orgchart(graph, *root, opts),
    };
    Ok((text, warnings))
}

/// The HTML page's title: what was asked for.
fn page_title(what: &What) -> String {
    match what {
        What::OrgChart(None) => "Org chart".to_string(),
        What::OrgChart(Some(r)) => format!("Org chart around {r}"),
        What::Last => "The previous result".to_string(),
        other => statement_of(other).map(|s| one_line(&s)).unwrap_or_default(),
    }
}

/// A statement on one line, shortened for a title.
fn one_line(s: &str) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 90 {
        format!("{}...", flat.chars().take(87).collect::<String>())
    } else {
        flat
    }
}

fn resolve(graph: &Graph, text: &str) -> Result<NodeId, ExportError> {
    let r = NodeRefText {
        text: text.to_string(),
        span: Span::new(0, text.len()),
    };
    refs::resolve(graph, &r).map_err(|e| ExportError::Reference(Box::new(e)))
}

/// Writes `bytes` to `path` as [`crate::output::write_file`] does: a
/// regular file (links followed) through a temporary file renamed into
/// place, a FIFO or a device in place, anything else refused.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::output::write_file(path, bytes)?;
    Ok(())
}

// ------------------------------------------------------------------ words

/// The first whitespace-separated word and the rest.
fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

/// The FILE word, which may be quoted to hold spaces.
fn split_file(s: &str) -> Result<(String, &str), ExportError> {
    let s = s.trim_start();
    if let Some(q) = s.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = s[1..].find(q).ok_or(ExportError::UnclosedQuote { quote: q })?;
        return Ok((s[1..1 + end].to_string(), &s[end + 2..]));
    }
    let (w, rest) = split_word(s);
    Ok((w.to_string(), rest))
}

/// Splits `text` at the last whole word `keyword` (any case, outside
/// quotes) into what comes before and the `|`-separated types after it.
fn split_types<'a>(text: &'a str, keyword: &'static str) -> Result<(&'a str, Vec<String>), ExportError> {
    match split_keyword(text, keyword) {
        None => Ok((text.trim(), Vec::new())),
        Some((before, after)) => {
            let types: Vec<String> = after
                .split('|')
                .map(|t| t.trim().trim_start_matches(':').trim().to_string())
                .collect();
            if types.iter().any(String::is_empty) {
                return Err(ExportError::EmptyType { keyword });
            }
            Ok((before, types))
        }
    }
}

/// Splits at the last whole word `keyword` outside quotes.
fn split_keyword<'a>(text: &'a str, keyword: &str) -> Option<(&'a str, &'a str)> {
    let mut quote: Option<char> = None;
    let mut found = None;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {
                let end = i + keyword.len();
                let starts_word = i == 0 || bytes[i - 1].is_ascii_whitespace();
                if starts_word
                    && end <= text.len()
                    && text.is_char_boundary(end)
                    && text[i..end].eq_ignore_ascii_case(keyword)
                    && (end == text.len() || bytes[end].is_ascii_whitespace())
                {
                    found = Some((i, end));
                }
            }
        }
    }
    let (i, end) = found?;
    Some((text[..i].trim(), text[end..].trim()))
}

/// Comma-separated references; quotes protect commas and are removed.
fn split_refs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ',' => out.push(std::mem::take(&mut cur)),
            None => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return s[1..s.len() - 1].to_string();
        }
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_shell_words() {
        let r = parse_command("dot out.dot overlap CIO-ref, \"Chief Technology Officer\" ON RESPONSIBLE_FOR|:REQUIRES")
            .unwrap();
        assert_eq!(r.target, Target::Dot);
        assert_eq!(r.output, Some(PathBuf::from("out.dot")));
        assert_eq!(
            r.what,
            What::Overlap {
                refs: vec!["CIO-ref".into(), "Chief Technology Officer".into()],
                types: vec!["RESPONSIBLE_FOR".into(), "REQUIRES".into()],
            }
        );
        let r = parse_command("svg 'my chart.svg' path Chief Information Officer to CPO via LEADS all").unwrap();
        assert_eq!(r.target, Target::Picture(ImageFormat::Svg));
        assert_eq!(r.output, Some(PathBuf::from("my chart.svg")));
        assert_eq!(
            r.what,
            What::Path {
                from: "Chief Information Officer".into(),
                to: "CPO".into(),
                via: vec!["LEADS".into()],
                all: true,
            }
        );
        assert_eq!(parse_command("dot - orgchart").unwrap().what, What::OrgChart(None));
        assert_eq!(parse_command("dot - last").unwrap().output, None);
        // A name containing the keyword's letters is not split.
        assert_eq!(
            parse_what("overlap Tonic, Ontology").unwrap(),
            What::Overlap {
                refs: vec!["Tonic".into(), "Ontology".into()],
                types: vec![],
            }
        );
        assert!(parse_command("gif x overlap a, b").is_err());
        assert!(parse_command("dot x overlap a").is_err());
        assert!(parse_command("dot").is_err());
        assert!(parse_what("diff a, b, c").is_err());
    }

    /// An export to a place that cannot be written is the io variant, the
    /// system's error inside; nothing is left behind.
    #[test]
    fn an_unwritable_place_is_the_io_variant() {
        use crate::output::OutputError;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain");
        std::fs::write(&file, "x").unwrap();
        let graph = Graph::new("t");
        let inside = file.join("out.json");
        let err = export_data(&graph, DataFormat::Json, Some(&inside)).unwrap_err();
        let ExportError::Write(OutputError::Write { path, source }) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(path, &inside.display().to_string());
        assert_eq!(source.kind(), std::io::ErrorKind::NotADirectory);
        assert!(
            err.render()
                .starts_with(&format!("error: cannot write {}: ", inside.display()))
        );
        // The CSV export's directory: its own variant, with the system's error.
        let err = export_data(&graph, DataFormat::CsvNeo4j, Some(&file.join("csv"))).unwrap_err();
        assert!(
            matches!(&err, ExportError::CreateDir { source, .. } if source.kind() == std::io::ErrorKind::NotADirectory),
            "{err:?}"
        );
        assert!(matches!(
            export_data(&graph, DataFormat::CsvNeo4j, None),
            Err(ExportError::NoDirectory)
        ));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    }
}
