//! The curated graph-data/ files, embedded at build time by `build.rs` so the
//! binary needs no data directory at run time.

use super::DataFile;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_data.rs"));
}

/// The embedded files, in file-name order, with paths like "graph-data/roles.toml".
pub fn builtin_files() -> Vec<DataFile> {
    embedded::FILES
        .iter()
        .map(|(path, text)| DataFile {
            path: path.to_string(),
            text: text.to_string(),
        })
        .collect()
}
