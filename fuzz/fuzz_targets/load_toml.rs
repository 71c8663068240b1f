//! The TOML data loader on arbitrary text: a graph or positioned errors,
//! never a panic. A 0xFF byte splits the input into several files, so
//! cross-file checks (duplicate ids, dangling endpoints, sources) run too.
//! Every error must carry its file and render without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolegraph::load::{DataFile, load_files};

fuzz_target!(|data: &[u8]| {
    let files: Vec<DataFile> = data
        .split(|b| *b == 0xFF)
        .take(8)
        .enumerate()
        .map(|(i, part)| DataFile {
            path: format!("f{i}.toml"),
            text: String::from_utf8_lossy(part).into_owned(),
        })
        .collect();
    match load_files("fuzz", &files) {
        Ok(g) => {
            // What loaded must be consistent with what the index says.
            for n in g.nodes() {
                let node = g.node(n);
                if let Some(k) = node.key() {
                    assert_eq!(g.node_by_key(k), Some(n));
                }
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors.iter() {
                assert!(!e.file.is_empty());
                assert!(e.line > 0 || e.span.is_none());
                let _ = e.render();
            }
            let _ = errors.render();
        }
    }
});
