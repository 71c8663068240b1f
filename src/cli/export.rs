//! `rolegraph export WHAT ARGS... [-o FILE] [--render FORMAT]`: the command
//! line's face of [`crate::export`]; prints, and maps the outcome to an exit
//! code.

use std::path::Path;

use super::Exit;
use crate::export::{self, Request};
use crate::render::dot::ImageFormat;
use crate::session::Session;

pub fn run(session: &mut Session, what: &str, words: &[String], output: Option<&Path>, render: Option<&str>) -> Exit {
    let text = std::iter::once(what)
        .chain(words.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    let what = match export::parse_what(&text) {
        Ok(w) => w,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Exit::Usage;
        }
    };
    // An explicit --render wins; else a picture's file name asks for one.
    let render = match render {
        Some(r) => match r.parse::<ImageFormat>() {
            Ok(f) => Some(f),
            Err(msg) => {
                eprintln!("error: {msg}");
                return Exit::Usage;
            }
        },
        None => output
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .and_then(|e| e.parse::<ImageFormat>().ok()),
    };
    let req = Request {
        what,
        render,
        output: output.map(Path::to_path_buf),
    };
    report(export::export(session, &req, None))
}

/// `rolegraph export cypher|json|graphml [-o FILE]`, `export csv --neo4j DIR`.
pub fn run_data(
    session: &Session,
    format: export::DataFormat,
    words: &[String],
    output: Option<&Path>,
    neo4j: Option<&Path>,
) -> Exit {
    if !words.is_empty() {
        eprintln!(
            "error: export {} takes no arguments (got '{}')",
            format.word(),
            words.join(" ")
        );
        return Exit::Usage;
    }
    let target = match (format, neo4j) {
        (export::DataFormat::CsvNeo4j, Some(dir)) => Some(dir),
        (export::DataFormat::CsvNeo4j, None) => {
            eprintln!("error: export csv needs --neo4j DIR (the directory to write the files into)");
            return Exit::Usage;
        }
        (_, Some(_)) => {
            eprintln!("error: --neo4j goes with export csv");
            return Exit::Usage;
        }
        (_, None) => output,
    };
    report(export::export_data(session.graph(), format, target))
}

/// Writes what an export sends to standard output and its message, or the
/// error; the exit code.
fn report(result: Result<export::Outcome, String>) -> Exit {
    match result {
        Ok(out) => {
            if let Some(bytes) = &out.stdout
                && let Err(e) = crate::output::stdout(bytes)
            {
                return Exit::from_output(&e);
            }
            if !out.message.is_empty() {
                eprintln!("{}", out.message);
            }
            Exit::Ok
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            Exit::QueryError
        }
    }
}
