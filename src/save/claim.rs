//! Which files of an existing directory a save may replace. rolegraph
//! replaces only what it owns: files it saved itself (each carries the
//! `[saved]` table with `by = "rolegraph ..."` near its top) and, when
//! saving back into the directory the graph was loaded from, the data files
//! it loaded. Any other `*.toml` or `*.csv` would be loaded with the graph
//! next time, and removing it would destroy someone's file, so the save is
//! refused with the names. Other files (a README, notes) are carried over
//! untouched, but only into a directory that already holds a saved or
//! loaded graph: an unrelated non-empty directory is refused.

use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::path::Path;

use super::SaveError;

/// What saving into a directory will do to what is there.
#[derive(Debug, Default)]
pub struct Claim {
    /// Files that are not data, carried into the new directory.
    pub keep: Vec<OsString>,
    /// Data files the graph was loaded from that the save replaces (sorted).
    pub replaced: Vec<String>,
}

/// Inspects `target` (resolved; it may not exist). `loaded_from` is the
/// directory the session's graph came from, if any.
pub fn inspect(target: &Path, loaded_from: Option<&Path>) -> Result<Claim, SaveError> {
    let io = |source: std::io::Error| SaveError::Io {
        dir: target.display().to_string(),
        source,
    };
    let entries = match fs::read_dir(target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Claim::default()),
        Err(e) => return Err(io(e)),
        Ok(entries) => entries,
    };
    let reloaded = loaded_from
        .and_then(|d| d.canonicalize().ok())
        .is_some_and(|d| d == target);
    let mut claim = Claim::default();
    let mut ours = 0;
    let mut foreign = Vec::new();
    let mut others = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        let shown = name.to_string_lossy().into_owned();
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() {
            return Err(SaveError::Refused {
                dir: target.display().to_string(),
                why: format!(
                    "it holds the directory '{shown}'; save into a new directory or one that holds only a graph rolegraph saved"
                ),
            });
        }
        let path = entry.path();
        let data = path.extension().is_some_and(|x| x == "toml" || x == "csv");
        if !data {
            others.push(name);
        } else if saved_by_rolegraph(&path) {
            ours += 1;
        } else if reloaded {
            claim.replaced.push(shown);
        } else {
            foreign.push(shown);
        }
    }
    if !foreign.is_empty() {
        foreign.sort();
        return Err(SaveError::Refused {
            dir: target.display().to_string(),
            why: format!(
                "it holds data files rolegraph did not save: {}; they would be loaded with the graph, and rolegraph never removes files it does not own. \
                 Save into a new or empty directory, or move those files away",
                foreign.join(", ")
            ),
        });
    }
    if ours == 0 && claim.replaced.is_empty() && !others.is_empty() {
        let mut names: Vec<String> = others.iter().map(|n| n.to_string_lossy().into_owned()).collect();
        names.sort();
        return Err(SaveError::Refused {
            dir: target.display().to_string(),
            why: format!(
                "it is not empty and holds no graph rolegraph saved (it holds: {}); save into a new or empty directory",
                names.join(", ")
            ),
        });
    }
    claim.replaced.sort();
    claim.keep = others;
    Ok(claim)
}

/// True when the file's first lines carry the mark every saved file has.
fn saved_by_rolegraph(path: &Path) -> bool {
    let mut head = Vec::with_capacity(1024);
    let read = fs::File::open(path).and_then(|f| f.take(1024).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    let head = String::from_utf8_lossy(&head);
    let mut lines = head
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.is_empty());
    lines.next() == Some("[saved]") && lines.next().is_some_and(|l| l.starts_with("by = \"rolegraph "))
}
