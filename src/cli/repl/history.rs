//! Where the shell's history lives: `--history FILE`, else
//! `$XDG_DATA_HOME/rolegraph/history` (`~/.local/share/rolegraph/history`);
//! `--no-history` keeps it in memory only. One entry per input, however many
//! lines it spans (rustyline's file format escapes the newlines).

use std::path::{Path, PathBuf};

use super::Editor;

/// The history file to use, if any.
pub fn path(explicit: Option<&Path>, disabled: bool) -> Option<PathBuf> {
    if disabled {
        return None;
    }
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    // dirs honours XDG_DATA_HOME only when it is absolute, as the spec says.
    dirs::data_dir().map(|d| d.join("rolegraph").join("history"))
}

/// Loads the history file; a missing file is a first run, not an error.
pub fn load(editor: &mut Editor, path: &Path) {
    if !path.exists() {
        return;
    }
    if let Err(e) = editor.load_history(path) {
        eprintln!("warning: cannot read history from {}: {e}", path.display());
    }
}

/// Records `entry` and appends it to the file at once, so a crash loses
/// nothing. Problems are reported once, then history stays in memory.
pub fn add(editor: &mut Editor, path: &mut Option<PathBuf>, entry: &str) {
    let entry = entry.trim_end();
    if entry.trim().is_empty() {
        return;
    }
    let _ = editor.add_history_entry(entry);
    let Some(p) = path.as_deref() else { return };
    if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(e) = editor.append_history(p) {
        eprintln!(
            "warning: cannot write history to {}: {e}; history is kept for this session only",
            p.display()
        );
        *path = None;
    }
}
