//! The CSV data loader on arbitrary files: a graph or positioned errors,
//! never a panic. A 0xFF byte splits the input into files; the first byte
//! of each picks its name (a label, a relationship type, or Neo4j-style
//! node and relationship files). The loader reads paths, so the files go
//! to a private directory in memory-backed /dev/shm where there is one.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "Role.csv",
    "Team.csv",
    "LEADS.csv",
    "nodes.csv",
    "rels.csv",
    "Source.csv",
    "REPORTS_TO.csv",
];

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let d = base.join(format!("rolegraph-fuzz-csv-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("a scratch directory");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let d = dir();
    for entry in std::fs::read_dir(d).into_iter().flatten().flatten() {
        let _ = std::fs::remove_file(entry.path());
    }
    for part in data.split(|b| *b == 0xFF).take(6) {
        let Some((&pick, body)) = part.split_first() else {
            continue;
        };
        let name = NAMES[pick as usize % NAMES.len()];
        std::fs::write(d.join(name), body).expect("write");
    }
    match rolegraph::load::load_dir(d) {
        Ok(g) => {
            for n in g.nodes() {
                if let Some(k) = g.node(n).key() {
                    assert_eq!(g.node_by_key(k), Some(n));
                }
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors.iter() {
                let _ = e.render();
            }
        }
    }
});
