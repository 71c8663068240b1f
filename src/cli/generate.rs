//! Files generated from the command-line definition itself, so they never
//! drift from it: shell completion scripts (clap_complete) and the manual
//! pages (clap_mangen).

use std::path::Path;

use clap::CommandFactory;

use super::{Args, Exit};

pub fn completions(shell: clap_complete::Shell) -> Exit {
    let mut cmd = Args::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "rolegraph", &mut buf);
    match crate::output::stdout(&buf) {
        Ok(()) => Exit::Ok,
        Err(e) => Exit::from_output(&e),
    }
}

/// The page of `cmd` as roff.
fn page(cmd: clap::Command) -> Vec<u8> {
    let mut buf = Vec::new();
    // Rendering into memory cannot fail.
    let _ = clap_mangen::Man::new(cmd).render(&mut buf);
    buf
}

pub fn man(dir: Option<&Path>) -> Exit {
    let cmd = Args::command();
    let Some(dir) = dir else {
        return match crate::output::stdout(&page(cmd)) {
            Ok(()) => Exit::Ok,
            Err(e) => Exit::from_output(&e),
        };
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return Exit::OutputError;
    }
    let mut pages = vec![("rolegraph.1".to_string(), page(cmd.clone()))];
    for sub in cmd.get_subcommands() {
        let name = format!("rolegraph-{}", sub.get_name());
        let file = format!("{name}.1");
        // clap takes a static name here; this runs once and exits.
        let name: &'static str = name.leak();
        pages.push((file, page(sub.clone().name(name))));
    }
    for (file, text) in pages {
        let path = dir.join(&file);
        if let Err(e) = crate::output::write_file(&path, &text) {
            eprintln!("error: {e}");
            return Exit::OutputError;
        }
        eprintln!("wrote {}", path.display());
    }
    Exit::Ok
}
