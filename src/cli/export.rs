//! `rolegraph export WHAT ARGS... [-o FILE] [--render FORMAT]`: the command
//! line's face of [`crate::export`]; prints, and maps the outcome to an exit
//! code.

use std::io::Write;
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
    match export::export(session, &req, None) {
        Ok(out) => {
            if let Some(bytes) = &out.stdout {
                let mut stdout = std::io::stdout().lock();
                let _ = stdout.write_all(bytes);
                let _ = stdout.flush();
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
