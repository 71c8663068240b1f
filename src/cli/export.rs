//! `rolegraph export WHAT ARGS... [-o FILE] [--render FORMAT]`: the command
//! line's face of [`crate::export`]; prints, and maps the outcome to an exit
//! code.

use std::path::Path;

use super::Exit;
use super::args::DiagramArgs;
use crate::export::{self, Request, Target};
use crate::render::dot::{DiagramOptions, OptionError, parse_dpi};
use crate::session::Session;

/// The diagram options from the command line's words.
pub fn diagram_options(a: &DiagramArgs) -> Result<DiagramOptions, OptionError> {
    Ok(DiagramOptions {
        title: a.title.clone(),
        no_sources: a.no_sources,
        direction: a.direction.as_deref().map(str::parse).transpose()?,
        size: a.size.as_deref().map(str::parse).transpose()?,
        dpi: a.dpi.as_deref().map(parse_dpi).transpose()?,
        legend: a.legend.as_deref().map(str::parse).transpose()?.unwrap_or_default(),
    })
}

pub fn run(
    session: &mut Session,
    what: &str,
    words: &[String],
    output: Option<&Path>,
    render: Option<&str>,
    diagram: &DiagramArgs,
) -> Exit {
    let options = match diagram_options(diagram) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    };
    let text = std::iter::once(what)
        .chain(words.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    let what = match export::parse_what(&text) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("{}", e.render());
            return Exit::Usage;
        }
    };
    // An explicit --format or --render wins; else the file name's
    // extension; else DOT.
    let asked = diagram.format.as_deref().or(render);
    let target = match asked {
        Some(word) => match Target::from_word(word) {
            Some(t) => t,
            None => {
                eprintln!("error: unknown diagram format '{word}' (expected {})", Target::WORDS);
                return Exit::Usage;
            }
        },
        None => match output.map(|p| (p.extension(), Target::from_path(p))) {
            None | Some((None, _)) => Target::Dot,
            Some((_, Some(t))) => t,
            // Never write DOT text into a file named like a picture.
            Some((Some(ext), None)) => {
                eprintln!(
                    "error: cannot tell what to write from the extension '.{}' (expected .dot, .svg, .png, .pdf, .mmd, .md or .html); \
                     name one with --format dot|svg|png|pdf|mermaid|markdown|html",
                    ext.to_string_lossy(),
                );
                return Exit::Usage;
            }
        },
    };
    let req = Request {
        what,
        target,
        output: output.map(Path::to_path_buf),
        options,
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
fn report(result: Result<export::Outcome, export::ExportError>) -> Exit {
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
        Err(e) => {
            eprintln!("{}", e.render());
            if e.is_usage() { Exit::Usage } else { Exit::QueryError }
        }
    }
}
