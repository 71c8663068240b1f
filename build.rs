//! Embeds the curated graph-data/*.toml into the binary, so `rolegraph` runs
//! from any directory: writes `$OUT_DIR/builtin_data.rs` with a
//! `FILES: &[(path, text)]` table that `src/load/builtin.rs` includes.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let data = root.join("graph-data");
    // A directory's mtime changes when files are added or removed in it.
    println!("cargo:rerun-if-changed=graph-data");
    println!("cargo:rerun-if-changed=build.rs");

    let mut names: Vec<String> = match std::fs::read_dir(&data) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".toml"))
            .collect(),
        // No data directory: embed nothing; `builtin()` then reports it.
        Err(_) => Vec::new(),
    };
    names.sort();

    let mut out = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    for n in &names {
        let path = data.join(n);
        println!("cargo:rerun-if-changed=graph-data/{n}");
        let abs = path.to_str().expect("graph-data paths are UTF-8");
        let _ = writeln!(out, "    ({:?}, include_str!({:?})),", format!("graph-data/{n}"), abs);
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_data.rs");
    std::fs::write(&dest, out).expect("write builtin_data.rs");
}
