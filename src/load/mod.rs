//! Builds a [`Graph`] from data files: each file is read into positioned
//! records (`toml_files`), every check runs over all of them at once
//! (`validate`), and the graph is built only when nothing is wrong.

mod builtin;
mod csv;
mod error;
mod records;
pub mod schema;
mod toml_files;
mod validate;

use std::path::Path;

use crate::store::Graph;

pub use builtin::builtin_files;
pub use error::{LoadError, LoadErrorKind, LoadErrors};
pub use validate::{is_kebab, kebab};

use records::Records;

/// A data file's path (as it should appear in messages) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    pub path: String,
    pub text: String,
}

/// Loads every `*.toml` file directly in `dir`, in file-name order. The graph
/// is named after the directory.
pub fn load_dir(dir: &Path) -> Result<Graph, LoadErrors> {
    let shown = dir.display().to_string();
    let io = |msg: String| LoadErrors::from(LoadError::whole(LoadErrorKind::Io, &shown, msg));
    let entries = std::fs::read_dir(dir).map_err(|e| io(format!("cannot read data directory '{shown}': {e}")))?;
    let mut paths = Vec::new();
    let mut csv_paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io(format!("cannot read data directory '{shown}': {e}")))?;
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        if path.extension().is_some_and(|x| x == "toml") {
            paths.push(path);
        } else if path.extension().is_some_and(|x| x == "csv") {
            csv_paths.push(path);
        }
    }
    match (paths.is_empty(), csv_paths.is_empty()) {
        (true, true) => return Err(io(format!("no .toml or .csv data files in '{shown}'"))),
        (false, false) => {
            return Err(io(format!(
                "'{shown}' holds both .toml and .csv data files; put each format in its own directory"
            )));
        }
        (true, false) => {
            csv_paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
            return csv::load_csv_dir(&graph_name(dir), &csv_paths);
        }
        (false, true) => {}
    }
    paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));

    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let path = p.display().to_string();
        match std::fs::read_to_string(&p) {
            Ok(text) => files.push(DataFile { path, text }),
            Err(e) => errors.push(LoadError::whole(
                LoadErrorKind::Io,
                &path,
                format!("cannot read '{path}': {e}"),
            )),
        }
    }
    let name = graph_name(dir);
    match load_files(&name, &files) {
        Ok(g) if errors.is_empty() => Ok(g),
        Ok(_) => Err(LoadErrors::new(errors)),
        Err(more) => {
            errors.extend(more.0);
            Err(LoadErrors::new(errors))
        }
    }
}

/// The directory's own name ("." and ".." resolved), else "graph".
fn graph_name(dir: &Path) -> String {
    let named = |p: &Path| p.file_name().and_then(|n| n.to_str()).map(str::to_string);
    named(dir)
        .or_else(|| dir.canonicalize().ok().and_then(|p| named(&p)))
        .unwrap_or_else(|| "graph".to_string())
}

/// Loads `files` (all TOML for now) into a graph called `name`.
pub fn load_files(name: &str, files: &[DataFile]) -> Result<Graph, LoadErrors> {
    if files.is_empty() {
        return Err(LoadError::whole(LoadErrorKind::Io, name, "no data files to load").into());
    }
    let mut records = Records::default();
    for f in files {
        // Other formats (CSV: one file per label or relationship type) read
        // into the same records here, chosen by extension.
        toml_files::read_toml(&mut records, &f.path, &f.text);
    }
    validate::build(name, records)
}

impl Graph {
    /// Loads a data directory (graph-data TOML, or CSV): see [`load_dir`].
    pub fn load(dir: impl AsRef<Path>) -> Result<Graph, LoadErrors> {
        load_dir(dir.as_ref())
    }

    /// The built-in knowledge base: see [`builtin`].
    pub fn builtin() -> Result<Graph, LoadErrors> {
        builtin()
    }
}

/// The curated knowledge base embedded at build time, as the graph "roles".
pub fn builtin() -> Result<Graph, LoadErrors> {
    load_files("roles", &builtin_files())
}

#[cfg(test)]
mod tests;
