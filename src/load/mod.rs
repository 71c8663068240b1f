//! Builds a [`Graph`] from data files: each file is read into positioned
//! records (`toml_files`), every check runs over all of them at once
//! (`validate`), and the graph is built only when nothing is wrong.

mod builtin;
mod csv;
mod error;
mod records;
pub mod schema;
pub mod size;
mod toml_files;
mod validate;

use std::path::Path;

use crate::store::Graph;

pub use builtin::builtin_files;
pub use error::{LoadError, LoadErrorKind, LoadErrors};
pub use size::FileLimits;
pub use validate::{is_kebab, kebab};

use records::Records;

/// A data file's path (as it should appear in messages) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    pub path: String,
    pub text: String,
}

/// Loads every `*.toml` file directly in `dir`, in file-name order. The graph
/// is named after the directory. Files over the default size limits are
/// refused; see [`load_dir_with`] for the limits and the warnings.
pub fn load_dir(dir: &Path) -> Result<Graph, LoadErrors> {
    load_dir_with(dir, &FileLimits::default()).map(|l| l.graph)
}

/// A graph loaded from a directory, and what the loader passed over.
#[derive(Debug)]
pub struct Loaded {
    pub graph: Graph,
    pub warnings: Vec<LoadWarning>,
}

/// Something in a data directory that was not loaded, though its name
/// says it is data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadWarning {
    #[error("skipped '{path}': it is {what}, not a regular file")]
    NotAFile { path: String, what: &'static str },
    #[error("skipped '{path}': {why}")]
    Unreadable { path: String, why: String },
}

/// [`load_dir`] with explicit size limits; entries named `*.toml` or `*.csv`
/// that are not regular files (FIFOs, devices, sockets, directories, broken
/// links, symlink loops) are skipped with a warning, never opened.
pub fn load_dir_with(dir: &Path, limits: &FileLimits) -> Result<Loaded, LoadErrors> {
    let shown = dir.display().to_string();
    let io = |msg: String| LoadErrors::from(LoadError::whole(LoadErrorKind::Io, &shown, msg));
    let entries = std::fs::read_dir(dir).map_err(|e| io(format!("cannot read data directory '{shown}': {e}")))?;
    let mut paths = Vec::new();
    let mut csv_paths = Vec::new();
    let mut warnings = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io(format!("cannot read data directory '{shown}': {e}")))?;
        let path = entry.path();
        let is_toml = path.extension().is_some_and(|x| x == "toml");
        let is_csv = path.extension().is_some_and(|x| x == "csv");
        if !is_toml && !is_csv {
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => {}
            Ok(m) => {
                warnings.push(LoadWarning::NotAFile {
                    path: path.display().to_string(),
                    what: file_kind(&m.file_type()),
                });
                continue;
            }
            Err(e) => {
                let why = match std::fs::symlink_metadata(&path) {
                    Ok(l) if l.file_type().is_symlink() && e.raw_os_error() == Some(libc::ELOOP) => {
                        "it is a symlink loop".to_string()
                    }
                    Ok(l) if l.file_type().is_symlink() && e.kind() == std::io::ErrorKind::NotFound => {
                        "it is a symlink to nothing".to_string()
                    }
                    _ => format!("cannot read it: {e}"),
                };
                warnings.push(LoadWarning::Unreadable {
                    path: path.display().to_string(),
                    why,
                });
                continue;
            }
        }
        if is_toml {
            paths.push(path);
        } else {
            csv_paths.push(path);
        }
    }
    warnings.sort_by_key(|w| w.to_string());
    match (paths.is_empty(), csv_paths.is_empty()) {
        (true, true) => return Err(io(format!("no .toml or .csv data files in '{shown}'"))),
        (false, false) => {
            return Err(io(format!(
                "'{shown}' holds both .toml and .csv data files; put each format in its own directory"
            )));
        }
        (true, false) => {
            csv_paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
            let graph = csv::load_csv_dir(&graph_name(dir), &csv_paths, limits.csv)?;
            return Ok(Loaded { graph, warnings });
        }
        (false, true) => {}
    }
    paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));

    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let path = p.display().to_string();
        match size::read_limited(&p, limits.toml, "TOML data files").map(String::from_utf8) {
            Ok(Ok(text)) => files.push(DataFile { path, text }),
            Ok(Err(e)) => errors.push(LoadError::not_utf8(&path, e)),
            Err(e) => errors.push(LoadError::read(&path, e)),
        }
    }
    if files.is_empty() && !errors.is_empty() {
        // Every file failed to read: those errors say why, not "no data files".
        return Err(LoadErrors::new(errors));
    }
    let name = graph_name(dir);
    match load_files(&name, &files) {
        Ok(graph) if errors.is_empty() => Ok(Loaded { graph, warnings }),
        Ok(_) => Err(LoadErrors::new(errors)),
        Err(more) => {
            errors.extend(more.0);
            Err(LoadErrors::new(errors))
        }
    }
}

/// What a directory entry is, in words.
fn file_kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
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
