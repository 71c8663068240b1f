//! Format-independent records: what a data file says (nodes, relationships,
//! schema declarations), each field with the file and span it came from. The
//! TOML reader produces them; a CSV reader can produce the same, and the
//! checks in `validate` never know which format they came from.

use std::sync::Arc;

use crate::diag::Span;
use crate::value::Map;

use super::error::{LoadError, LoadErrorKind};

/// A file being loaded; errors keep a share of its text.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: String,
    pub text: Arc<str>,
    /// Written by `save` (it has a top-level `[saved]` table): a snapshot of
    /// a graph, so the curation rules (sources, id style, endpoint labels,
    /// one relationship per triple, `name`) do not apply to its records.
    pub saved: bool,
}

/// Where something is: which file (index into [`Records::files`]) and where in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loc {
    pub file: usize,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub loc: Loc,
}

/// The `sources` of a record. `Malformed` means the reader already reported
/// it, so the checks must not report it again as missing.
#[derive(Debug, Clone, PartialEq)]
pub enum Citations {
    Absent,
    Malformed,
    Listed(Located<Vec<Located<String>>>),
}

#[derive(Debug, Clone)]
pub struct NodeRecord {
    /// The record as a whole (a `[[node]]` header, a CSV row).
    pub loc: Loc,
    pub id: Located<String>,
    /// Empty when the reader found none (and reported it).
    pub labels: Vec<Located<String>>,
    pub aliases: Vec<Located<String>>,
    pub sources: Citations,
    /// Every property, `id`, `name`, `aliases` and `sources` included.
    pub props: Map,
}

#[derive(Debug, Clone)]
pub struct RelRecord {
    pub loc: Loc,
    pub rel_type: Located<String>,
    pub from: Located<String>,
    pub to: Located<String>,
    pub sources: Citations,
    /// Every property, `sources` included.
    pub props: Map,
}

/// An `[[index]]` entry: a named property index on `label`'s `key`.
#[derive(Debug, Clone)]
pub struct IndexRecord {
    pub loc: Loc,
    pub name: Located<String>,
    pub label: Located<String>,
    pub key: Located<String>,
}

/// Everything read from a set of files, with the problems found so far.
#[derive(Debug, Clone, Default)]
pub struct Records {
    pub files: Vec<SourceText>,
    pub declared_labels: Vec<Located<String>>,
    pub declared_types: Vec<Located<String>>,
    pub nodes: Vec<NodeRecord>,
    pub rels: Vec<RelRecord>,
    pub indexes: Vec<IndexRecord>,
    pub errors: Vec<LoadError>,
}

impl Records {
    /// Registers a file and returns its index for [`Loc`]s.
    pub fn add_file(&mut self, path: &str, text: &str) -> usize {
        self.files.push(SourceText {
            path: path.to_string(),
            text: Arc::from(text),
            saved: false,
        });
        self.files.len() - 1
    }

    /// Whether the record at `loc` comes from a file `save` wrote.
    pub fn saved(&self, loc: Loc) -> bool {
        self.files[loc.file].saved
    }

    /// An error positioned at `loc` (not yet recorded).
    pub fn error_at(&self, kind: LoadErrorKind, loc: Loc, message: impl Into<String>) -> LoadError {
        let f = &self.files[loc.file];
        LoadError::at(kind, &f.path, &f.text, loc.span, message)
    }

    /// Records an error at `loc` with an optional help line.
    pub fn report(&mut self, kind: LoadErrorKind, loc: Loc, message: impl Into<String>, help: Option<String>) {
        let e = self.error_at(kind, loc, message).with_help(help);
        self.errors.push(e);
    }

    /// `file:line:column` of `loc`, for messages that point at a second place.
    pub fn location(&self, loc: Loc) -> String {
        self.error_at(LoadErrorKind::Shape, loc, "").location()
    }
}
