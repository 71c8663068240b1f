//! When Enter runs the input and when it starts a new line: a statement
//! ends at a `;` outside strings, comments and brackets; a meta-command
//! (`:help`) is one line. Continuation lines are indented to the prompt's
//! width, and the highlighter draws a `...>` marker over that indent (rustyline
//! has no continuation prompt of its own).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Cmd, ConditionalEventHandler, Event, EventContext, RepeatCount};

use super::Helper;
use super::lex::{self, Kind};

/// Whether `input` is ready to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    /// Nothing but whitespace and comments.
    Empty,
    /// A meta-command line.
    Meta,
    /// One or more statements, the last ended by `;`.
    Complete,
    /// More to type: no final `;`, or something left open.
    Incomplete,
    /// Inside a string, quoted name or block comment.
    OpenQuote,
}

pub fn completeness(input: &str) -> Completeness {
    if input.trim_start().starts_with(':') || shell_word(input).is_some() {
        return Completeness::Meta;
    }
    let toks = lex::tokens(input);
    if toks.last().is_some_and(|t| t.is_open()) {
        return Completeness::OpenQuote;
    }
    let Some(last) = toks.iter().rev().find(|t| !t.is_trivia()) else {
        return Completeness::Empty;
    };
    if !lex::open_brackets(input, &toks).is_empty() {
        return Completeness::Incomplete;
    }
    if last.kind == Kind::Punct && last.text(input) == ";" {
        Completeness::Complete
    } else {
        Completeness::Incomplete
    }
}

/// The words a newcomer types to get help or leave (`help`, `exit`,
/// `quit`, psql's `\q`, `\?`), alone on an otherwise empty input: the
/// meta-command they mean.
pub fn shell_word(input: &str) -> Option<&'static str> {
    let word = input.trim().trim_end_matches(';').trim_end();
    match word.to_ascii_lowercase().as_str() {
        "help" | "\\h" | "\\?" | "?" => Some(":help"),
        "exit" | "quit" | "\\q" | "bye" => Some(":quit"),
        _ => None,
    }
}

/// The input without the continuation indent the shell put at the start of
/// each continuation line (the `...>` marker is drawn over it), so
/// statements, their error positions and the history hold only what was
/// typed.
pub fn strip_indent(input: &str, indent: usize) -> String {
    if indent == 0 || !input.contains('\n') {
        return input.to_string();
    }
    let pad = " ".repeat(indent);
    let mut out = String::with_capacity(input.len());
    for (i, line) in input.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(line.strip_prefix(pad.as_str()).unwrap_or(line));
        } else {
            out.push_str(line);
        }
    }
    out
}

impl Validator for Helper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(match completeness(ctx.input()) {
            Completeness::Incomplete | Completeness::OpenQuote => ValidationResult::Incomplete,
            _ => ValidationResult::Valid(None),
        })
    }
}

/// Enter at the end of an unfinished statement (inside a quote too): a
/// newline plus the indent the continuation marker is drawn over, which
/// [`strip_indent`] takes off again. Anywhere else, rustyline's own
/// Enter (which asks the validator).
pub struct EnterHandler {
    pub indent: Arc<AtomicUsize>,
}

impl ConditionalEventHandler for EnterHandler {
    fn handle(&self, _evt: &Event, _n: RepeatCount, _positive: bool, ctx: &EventContext) -> Option<Cmd> {
        let line = ctx.line();
        let open = matches!(completeness(line), Completeness::Incomplete | Completeness::OpenQuote);
        if ctx.pos() != line.len() || !open {
            return None;
        }
        let indent = self.indent.load(Ordering::Relaxed);
        Some(Cmd::Insert(1, format!("\n{}", " ".repeat(indent))))
    }
}

#[cfg(test)]
mod tests {
    use super::Completeness::*;
    use super::*;

    #[test]
    fn statements_end_at_a_semicolon_outside_strings_comments_and_brackets() {
        for (input, want) in [
            ("", Empty),
            ("   \n ", Empty),
            ("// just a comment", Empty),
            ("MATCH (n) RETURN n;", Complete),
            ("MATCH (n)\nRETURN n;", Complete),
            ("RETURN 1; RETURN 2;", Complete),
            ("RETURN 1; // done", Complete),
            ("RETURN 1; /* done */  ", Complete),
            ("MATCH (n)", Incomplete),
            ("MATCH (n) RETURN n", Incomplete),
            ("RETURN 1; RETURN", Incomplete),
            ("RETURN 'a;'", Incomplete),
            ("RETURN 'a;", OpenQuote),
            ("RETURN \"it's;", OpenQuote),
            ("RETURN 1 /* ; ", OpenQuote),
            ("MATCH (`odd;", OpenQuote),
            ("RETURN 1 // ;", Incomplete),
            ("MATCH (n:Role;", Incomplete),
            ("RETURN [1, 2;", Incomplete),
            ("RETURN {a: 1};", Complete),
            ("RETURN 1);", Complete),
            (":help", Meta),
            ("  :schema", Meta),
            (":source x.cypher", Meta),
            ("help", Meta),
            (" EXIT ", Meta),
            ("quit;", Meta),
            ("\\q", Meta),
            ("help me", Incomplete),
        ] {
            assert_eq!(completeness(input), want, "{input:?}");
        }
    }

    #[test]
    fn the_continuation_indent_is_not_part_of_the_statement() {
        assert_eq!(strip_indent("MATCH (n)\n       RETURN n;", 7), "MATCH (n)\nRETURN n;");
        assert_eq!(strip_indent("RETURN 'a\n         b';", 7), "RETURN 'a\n  b';");
        assert_eq!(strip_indent("RETURN 1\n+ 2;", 7), "RETURN 1\n+ 2;");
        assert_eq!(shell_word("help"), Some(":help"));
        assert_eq!(shell_word("\\q"), Some(":quit"));
        assert_eq!(shell_word("RETURN 1;"), None);
    }
}
