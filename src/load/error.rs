//! Load errors as plain data: each one knows its file, position, message and
//! help, and keeps the file's text so it can be rendered as a caret
//! diagnostic without touching the file system again.

use std::fmt;
use std::sync::Arc;

use super::size::ReadError;
use crate::diag::{Diagnostic, Span, line_col};

/// What kind of problem a [`LoadError`] reports; lets callers and tests
/// tell the classes apart without matching on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LoadErrorKind {
    /// The data directory or a file could not be read, or holds no data.
    Io,
    /// The file is not UTF-8 text (a CSV or TOML data file alike): the
    /// error is at its first byte that is not part of a character.
    NotUtf8,
    /// The text is not valid TOML.
    Syntax,
    /// Valid TOML, but not the shape the format expects.
    Shape,
    /// A CSV field that does not hold its column's type (`age:int` = `x`).
    Value,
    DuplicateId,
    /// An id that is not kebab-case, or that is an acronym.
    BadId,
    UnknownNode,
    /// A missing, empty or unknown source citation.
    Source,
    /// An unknown label or relationship type, or wrong endpoint labels.
    Schema,
    DuplicateRel,
    /// Two `[[index]]` entries with one name, or on one label and key.
    DuplicateIndex,
}

/// One problem in the data, positioned in its file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct LoadError {
    pub kind: LoadErrorKind,
    /// The file's path as it was given (or the directory, for `Io` errors).
    pub file: String,
    /// 1-based; 0 when the error is about the whole file or directory.
    pub line: usize,
    /// 1-based, in characters; 0 when `line` is 0.
    pub column: usize,
    pub message: String,
    /// A suggestion, e.g. "did you mean 'cpo-vs-cto'?".
    pub help: Option<String>,
    /// Byte range in `text`, for the caret.
    pub span: Option<Span>,
    /// The file's text, shared with the other errors of the same file.
    pub text: Arc<str>,
    /// The system's error, for an `Io` error that came from one.
    pub source: Option<IoSource>,
}

/// An [`std::io::Error`] kept by a [`LoadError`]: shared so the error stays
/// `Clone`, compared by kind and text.
#[derive(Debug, Clone)]
pub struct IoSource(pub Arc<std::io::Error>);

impl fmt::Display for IoSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for IoSource {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for IoSource {
    fn eq(&self, other: &IoSource) -> bool {
        self.0.kind() == other.0.kind() && self.0.to_string() == other.0.to_string()
    }
}

impl LoadError {
    /// An error at `span` of a file whose text is `text`.
    pub fn at(kind: LoadErrorKind, file: &str, text: &Arc<str>, span: Span, message: impl Into<String>) -> LoadError {
        let (line, column) = line_col(text, span.start);
        LoadError {
            kind,
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            help: None,
            span: Some(span),
            text: Arc::clone(text),
            source: None,
        }
    }

    /// An error about a whole file or directory (no position).
    pub fn whole(kind: LoadErrorKind, file: &str, message: impl Into<String>) -> LoadError {
        LoadError {
            kind,
            file: file.to_string(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            span: None,
            text: Arc::from(""),
            source: None,
        }
    }

    /// A file that could not be read (too big, or the system refused):
    /// an `Io` error about the whole file, keeping the system's error.
    pub fn read(file: &str, e: ReadError) -> LoadError {
        let message = e.to_string();
        let source = match e {
            ReadError::Io { source, .. } => Some(IoSource(Arc::new(source))),
            ReadError::TooBig { .. } | ReadError::StreamTooBig { .. } => None,
        };
        LoadError {
            source,
            ..LoadError::whole(LoadErrorKind::Io, file, message)
        }
    }

    /// A data file that is not UTF-8 text, at the first byte that begins
    /// no character (or ends the file inside one). The error keeps the text
    /// up to the end of that line, the bad bytes shown as U+FFFD, so the
    /// caret points at them and `line`/`column` are those of the file.
    pub fn not_utf8(file: &str, e: std::string::FromUtf8Error) -> LoadError {
        let valid = e.utf8_error().valid_up_to();
        let mut bytes = e.into_bytes();
        let bad = bytes.get(valid).copied().unwrap_or(0);
        let line_end = bytes[valid..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |n| valid + n);
        let rest = String::from_utf8_lossy(&bytes[valid..line_end]).into_owned();
        bytes.truncate(valid);
        // The bytes before `valid` are UTF-8 (that is what `valid` says).
        let mut text = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        text.push_str(&rest);
        let text: Arc<str> = Arc::from(text);
        let span = Span::new(valid, valid + '\u{fffd}'.len_utf8());
        LoadError::at(
            LoadErrorKind::NotUtf8,
            file,
            &text,
            span,
            format!("'{file}' is not UTF-8 text: byte 0x{bad:02X} (at byte {valid}) begins no character"),
        )
        .with_help(Some(
            "save the file as UTF-8 (e.g. `iconv -f LATIN1 -t UTF-8`); rolegraph reads no other encoding".into(),
        ))
    }

    pub fn with_help(mut self, help: Option<String>) -> LoadError {
        self.help = help;
        self
    }

    /// `file:line:column` (or just `file` when there is no position).
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        }
    }

    /// The caret diagnostic, ending in a newline.
    pub fn render(&self) -> String {
        let d = Diagnostic::error(self.message.clone(), self.span).with_help(self.help.clone());
        let out = d.render(&self.file, &self.text);
        if self.span.is_some() {
            return out;
        }
        // Without a span the diagnostic names no origin; say which file it is.
        let (first, rest) = out.split_once('\n').unwrap_or((&out, ""));
        format!("{first}\n --> {}\n{rest}", self.file)
    }
}

/// One line: `file:line:column: message; help`.
impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)?;
        if let Some(h) = &self.help {
            write!(f, "; {h}")?;
        }
        Ok(())
    }
}

/// Every problem found in one pass over the data; when there is any, nothing
/// was loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.render())]
pub struct LoadErrors(pub Vec<LoadError>);

/// Errors [`LoadErrors::render`] shows; the rest are counted.
const SHOWN: usize = 50;

impl LoadErrors {
    /// Sorts by file, line and column so output is stable.
    pub fn new(mut errors: Vec<LoadError>) -> LoadErrors {
        errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        LoadErrors(errors)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, LoadError> {
        self.0.iter()
    }

    /// The first 50 errors as caret diagnostics, a blank line between them,
    /// how many more there are, then "N errors; nothing was loaded".
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Past the first few dozen nobody reads on, and rendering thousands
        // (each finding its line in a large file) took minutes.
        for e in self.0.iter().take(SHOWN) {
            out.push_str(&e.render());
            out.push('\n');
        }
        let n = self.0.len();
        if n > SHOWN {
            out.push_str(&format!("... and {} more not shown\n", n - SHOWN));
        }
        out.push_str(&format!(
            "{n} error{}; nothing was loaded",
            if n == 1 { "" } else { "s" }
        ));
        out
    }
}

impl From<LoadError> for LoadErrors {
    fn from(e: LoadError) -> LoadErrors {
        LoadErrors(vec![e])
    }
}

impl<'a> IntoIterator for &'a LoadErrors {
    type Item = &'a LoadError;
    type IntoIter = std::slice::Iter<'a, LoadError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
