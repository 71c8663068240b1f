//! Non-interactive front end: runs statements from `-e`, a file or
//! standard input, printing results to stdout and problems to stderr.

use std::io::Read;
use std::path::Path;

use super::{Exit, Output};
use crate::error::QueryError;
use crate::eval::Rows;
use crate::render;
use crate::session::Session;

/// Prints a result and its warnings; a failed write is an error (a closed
/// pipe included, which the caller ends on quietly).
pub fn print_rows(
    rows: &Rows,
    session: &Session,
    out: &Output,
    origin: &str,
    text: &str,
) -> Result<(), crate::output::OutputError> {
    for w in &rows.warnings {
        eprint!("{}", w.render(origin, text));
    }
    let s = render::render(rows, session.graph(), out.format, &out.table);
    crate::output::stdout(s.as_bytes())
}

pub fn print_error(e: &QueryError, origin: &str, text: &str) {
    eprint!("{}", e.diagnostic().render(origin, text));
}

/// Runs every statement of `text`; stops at the first failure unless
/// `keep_going`.
pub fn run_text(session: &mut Session, text: &str, origin: &str, out: &Output, keep_going: bool) -> Exit {
    let mut status = Exit::Ok;
    let mut results: Vec<Result<Rows, QueryError>> = Vec::new();
    let parsed = session.run_each(text, |_, r| {
        let failed = r.is_err();
        results.push(r);
        !failed || keep_going
    });
    // Results are printed after the run so output order is stable; the
    // session is borrowed mutably while statements run.
    for r in results {
        match r {
            Ok(rows) => {
                if let Err(e) = print_rows(&rows, session, out, origin, text) {
                    return Exit::from_output(&e);
                }
            }
            Err(e) => {
                print_error(&e, origin, text);
                status = Exit::QueryError;
            }
        }
    }
    if let Err(e) = parsed {
        print_error(&e, origin, text);
        status = Exit::QueryError;
    }
    status
}

pub fn run_file(session: &mut Session, path: &Path, out: &Output, keep_going: bool) -> Exit {
    let (origin, text) = match read_source(path) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Exit::Usage;
        }
    };
    run_text(session, &text, &origin, out, keep_going)
}

fn read_source(path: &Path) -> Result<(String, String), String> {
    if path == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(("<stdin>".into(), s));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok((path.display().to_string(), text))
}

/// `rolegraph check FILE...`: parse and bind, never run.
pub fn check_files(session: &Session, files: &[std::path::PathBuf]) -> Exit {
    let mut status = Exit::Ok;
    for f in files {
        let (origin, text) = match read_source(f) {
            Ok(x) => x,
            Err(msg) => {
                eprintln!("error: {msg}");
                status = Exit::Usage;
                continue;
            }
        };
        match session.check(&text) {
            Ok(warnings) => {
                for w in &warnings {
                    eprint!("{}", w.render(&origin, &text));
                }
                println!(
                    "{origin}: ok{}",
                    if warnings.is_empty() {
                        String::new()
                    } else {
                        format!(" ({} warning(s))", warnings.len())
                    }
                );
            }
            Err(e) => {
                print_error(&e, &origin, &text);
                if status == Exit::Ok {
                    status = Exit::QueryError;
                }
            }
        }
    }
    status
}
