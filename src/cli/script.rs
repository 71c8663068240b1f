//! Non-interactive front end: runs statements and meta-commands from `-e`,
//! files or standard input, printing one document of results to stdout (see
//! `doc`) and problems to stderr.

use std::path::{Path, PathBuf};

use super::doc::{DocError, Document};
use super::repl::{Flow, ScriptPiece, Shell, code_pieces, first_syntax_error, meta_results, split_script, tables_in};
use super::{Exit, Output};
use crate::error::QueryError;
use crate::load::size::ReadError;
use crate::render::Format;
use crate::session::Session;

pub fn print_error(e: &QueryError, origin: &str, text: &str) {
    super::paint::eprint(&e.diagnostic().render(origin, text));
}

/// A script to run: its name in messages, its text, and the directory its
/// relative paths start from (a file's own; none for `-e` and stdin).
pub struct Input {
    pub origin: String,
    pub text: String,
    pub base: Option<PathBuf>,
}

/// Why a script (`-f FILE`, standard input, `rolegraph check FILE`) was not read.
#[derive(Debug, thiserror::Error)]
pub enum ScriptError {
    /// The system refused to give it; `origin` is its name in messages.
    #[error("cannot read {}: {source}", if origin == STDIN { "standard input" } else { origin })]
    Io { origin: String, source: std::io::Error },
    /// Over the size limit for scripts.
    #[error(transparent)]
    TooBig(ReadError),
    #[error("{origin} is not UTF-8 text (byte {valid_up_to})")]
    NotUtf8 { origin: String, valid_up_to: usize },
}

/// Standard input's name in messages.
const STDIN: &str = "<stdin>";

impl Input {
    pub fn read(path: &Path, limit: u64) -> Result<Input, ScriptError> {
        let (origin, text) = read_source(path, limit)?;
        let base = (path != Path::new("-")).then(|| path.parent().map(Path::to_path_buf).unwrap_or_default());
        Ok(Input { origin, text, base })
    }
}

/// Runs the inputs in order through the shell's runner (so scripts take the
/// same meta-commands as the shell), writing one document for the run;
/// stops at the first failure unless `keep_going`.
pub fn run_inputs(
    session: &mut Session,
    inputs: &[Input],
    out: &Output,
    keep_going: bool,
    output_dir: Option<&Path>,
) -> Exit {
    let results: usize = inputs.iter().map(|i| results_in(&i.text)).sum();
    let multi = results > 1;
    if let Some(dir) = output_dir {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("error: cannot create --output-dir {}: {e}", dir.display());
            return Exit::Usage;
        }
    } else if multi && out.format == Format::Csv && inputs.iter().map(|i| tables_in(&i.text)).sum::<usize>() > 1 {
        // Statements that only edit the graph print nothing in CSV, so a
        // script that edits and then asks one question is one table.
        eprintln!("error: {}", DocError::SeveralCsv);
        return Exit::Usage;
    }
    let remote = session.is_remote();
    let doc = Document::new(multi, output_dir.map(Path::to_path_buf));
    let mut shell = Shell::script(session, out, doc, keep_going);
    // A syntax error anywhere in the run runs nothing: every input (each
    // `-e`, each file) is checked before the first statement runs. One
    // input of statements alone is checked as it runs (see
    // `Shell::run_statements`); a server may take what rolegraph does not
    // parse, so there each statement goes in its turn.
    let pieces: usize = inputs.iter().map(|i| code_pieces(&i.text)).sum();
    if pieces > 1 && !remote {
        for input in inputs {
            if let Some(e) = first_syntax_error(&input.text) {
                print_error(&QueryError::from(e), &input.origin, &input.text);
                if let Err(e) = shell.finish() {
                    return Exit::from_output(&e);
                }
                return Exit::QueryError;
            }
        }
    }
    let mut status = Exit::Ok;
    for input in inputs {
        let flow = shell.run_script(&input.text, &input.origin, input.base.as_deref());
        if let Some(broken) = shell.broken {
            return broken;
        }
        match flow {
            Flow::Ok => {}
            Flow::Quit => break,
            Flow::Failed | Flow::Cancelled => {
                status = Exit::QueryError;
                if !keep_going {
                    break;
                }
            }
        }
    }
    if let Err(e) = shell.finish() {
        return Exit::from_output(&e);
    }
    status
}

/// How many results a script's text prints: its statements, and the
/// meta-commands that print rows; a sourced script counts as several.
fn results_in(text: &str) -> usize {
    split_script(text)
        .into_iter()
        .map(|piece| match piece {
            // Counted, not parsed: a script is parsed a statement at a time.
            ScriptPiece::Code(code) => crate::syntax::split::statements(code, 0..code.len()).count(),
            ScriptPiece::Meta(line) => meta_results(line),
        })
        .sum()
}

/// A script's name for messages and its text, read with the session's
/// size limit (a stream such as standard input or `/dev/zero` up to it).
fn read_source(path: &Path, limit: u64) -> Result<(String, String), ScriptError> {
    use crate::load::size::{read_limited, read_stream};
    let stdin = path == Path::new("-");
    let origin = if stdin {
        STDIN.to_string()
    } else {
        path.display().to_string()
    };
    let read = if stdin {
        read_stream(std::io::stdin().lock(), STDIN, limit, "scripts", 0)
    } else {
        read_limited(path, limit, "scripts")
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(ReadError::Io { source, .. }) => return Err(ScriptError::Io { origin, source }),
        Err(e) => return Err(ScriptError::TooBig(e)),
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok((origin, text)),
        Err(e) => Err(ScriptError::NotUtf8 {
            valid_up_to: e.utf8_error().valid_up_to(),
            origin,
        }),
    }
}

/// `rolegraph check FILE...`: parse and bind, never run.
pub fn check_files(session: &Session, files: &[std::path::PathBuf]) -> Exit {
    let mut status = Exit::Ok;
    for f in files {
        let (origin, text) = match read_source(f, session.file_limits().script) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("error: {e}");
                status = Exit::Usage;
                continue;
            }
        };
        match session.check(&text) {
            Ok(warnings) => {
                for w in &warnings {
                    super::paint::eprint(&w.render(&origin, &text));
                }
                let line = format!(
                    "{origin}: ok{}\n",
                    if warnings.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", crate::save::counted(warnings.len(), "warning", "warnings"))
                    }
                );
                if let Err(e) = crate::output::stdout(line.as_bytes()) {
                    return Exit::from_output(&e);
                }
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
