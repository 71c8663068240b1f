//! The interactive shell: a rustyline editor on a terminal, with one file
//! per concern: `validate` (when Enter runs the input), `complete`,
//! `highlight`, `hint`, `history`, `meta` (`:commands`, with `help` and
//! `schema`), `cancel` (Ctrl-C during a statement) and `lex` (the tokenizer
//! they share). This file is the loop and the running of input.

/// `print!` for the shell's own output (meta-commands, the greeting):
/// through [`Shell::say`], so a failed write is reported and ends the run.
macro_rules! say {
    ($shell:expr, $($arg:tt)*) => {{
        let text = format!($($arg)*);
        $shell.say(&text)
    }};
}

/// `println!` through [`Shell::say`].
macro_rules! sayln {
    ($shell:expr, $($arg:tt)*) => {{
        let text = format!("{}\n", format_args!($($arg)*));
        $shell.say(&text)
    }};
}

mod cancel;
mod complete;
mod help;
mod highlight;
mod hint;
mod history;
mod lex;
mod meta;
mod pager;
mod schema;
mod undo;
mod validate;

use std::cell::Cell;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustyline::error::ReadlineError;
use rustyline::{ColorMode, CompletionType, Config, EventHandler, KeyCode, KeyEvent, Modifiers};

use super::doc::{self, Document};
use super::script::print_error;
use super::{Exit, Output};
use crate::error::{Code, QueryError};
use crate::eval::Rows;
use crate::render::{self, Format};
use crate::session::Session;

pub type Editor = rustyline::Editor<Helper, rustyline::history::DefaultHistory>;

/// How deep `:source` may nest (a script that sources itself stops here).
const MAX_SOURCE_DEPTH: usize = 16;

/// The editor's helper: completion, hints, highlighting and validation, each
/// implemented in its own file.
pub struct Helper {
    vocab: complete::Vocabulary,
    color: bool,
    /// Width of the prompt, which continuation lines are indented by.
    indent: Arc<AtomicUsize>,
    /// Set while rustyline redraws the line for the last time (no bracket
    /// highlight then).
    final_refresh: Cell<bool>,
}

impl Helper {
    fn indent(&self) -> usize {
        self.indent.load(Ordering::Relaxed)
    }
}

impl rustyline::Helper for Helper {}

/// What running some input led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Ok,
    Failed,
    Cancelled,
    Quit,
}

/// The shell's state between inputs. Scripts (`-e`, `-f`, standard input)
/// run through the same state without an editor, so they accept the same
/// meta-commands; their results go into a [`Document`].
pub struct Shell<'s> {
    session: &'s mut Session,
    out: Output,
    cancel: Option<cancel::Cancel>,
    /// The terminal's width and height when results go to a terminal.
    width: Option<u16>,
    height: Option<u16>,
    /// Completion's vocabulary needs rebuilding (graph or params changed).
    vocab_stale: bool,
    clear_screen: bool,
    depth: usize,
    /// The last statement's result (`:export ... last` draws it).
    last: Option<Rows>,
    /// Leaving (or `:load`) with unsaved changes was refused once, with
    /// this many changes; the same command again goes.
    discard_warned: Option<(&'static str, usize)>,
    /// A script's results (None in the interactive shell).
    doc: Option<Document>,
    /// A script goes on after a failing statement.
    keep_going: bool,
    /// Output that could not be written ends the run with this exit.
    pub(crate) broken: Option<Exit>,
    /// Statements run so far (numbers them in a script's document).
    statements: usize,
    /// `:output FILE`: results go to this file (what was written so far).
    output_file: Option<(PathBuf, String)>,
    /// The shell's history, oldest first (`:history`).
    history: Vec<String>,
}

impl<'s> Shell<'s> {
    fn new(session: &'s mut Session, out: &Output) -> Shell<'s> {
        Shell {
            session,
            out: out.clone(),
            cancel: None,
            width: None,
            height: None,
            vocab_stale: true,
            clear_screen: false,
            depth: 0,
            last: None,
            discard_warned: None,
            doc: None,
            keep_going: false,
            broken: None,
            statements: 0,
            output_file: None,
            history: Vec::new(),
        }
    }

    /// A shell without an editor that runs scripts into `doc`.
    pub fn script(session: &'s mut Session, out: &Output, doc: Document, keep_going: bool) -> Shell<'s> {
        let mut shell = Shell::new(session, out);
        shell.doc = Some(doc);
        shell.keep_going = keep_going;
        shell
    }

    /// Runs a script's text whose syntax the caller checked (see
    /// [`first_syntax_error`]); `base` is the directory its relative paths
    /// start from.
    pub fn run_script(&mut self, text: &str, origin: &str, base: Option<&Path>) -> Flow {
        self.run_pieces(text, origin, base)
    }

    /// Writes `text` to standard output. The first write that fails is
    /// reported (a closed pipe quietly) and ends the run with its exit;
    /// later output is dropped.
    pub(crate) fn say(&mut self, text: &str) {
        if self.broken.is_some() {
            return;
        }
        if let Err(e) = crate::output::stdout(text.as_bytes()) {
            self.broken = Some(Exit::from_output(&e));
        }
    }

    /// Ends a script's document.
    pub fn finish(&mut self) -> Result<(), crate::output::OutputError> {
        let format = self.out.format;
        match self.doc.as_mut() {
            Some(doc) => doc.finish(format),
            None => Ok(()),
        }
    }
}

/// Runs the shell until `:quit` or Ctrl-D.
pub fn run(session: &mut Session, out: &Output, history_file: Option<&Path>, no_history: bool) -> Exit {
    let cancel = cancel::Cancel::install();
    session.limits_mut().cancel = Some(cancel.flag());
    let stdout_tty = std::io::stdout().is_terminal();
    let config = Config::builder()
        .history_ignore_space(true)
        .history_ignore_dups(true)
        .expect("a valid history setting")
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .color_mode(if stdout_tty {
            ColorMode::Forced
        } else {
            ColorMode::Disabled
        })
        .build();
    let mut editor = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot start the line editor: {e}");
            return Exit::Usage;
        }
    };
    let indent = Arc::new(AtomicUsize::new(0));
    editor.set_helper(Some(Helper {
        vocab: complete::Vocabulary::default(),
        color: out.color,
        indent: indent.clone(),
        final_refresh: Cell::new(false),
    }));
    for key in [KeyEvent(KeyCode::Enter, Modifiers::NONE), KeyEvent::ctrl('J')] {
        editor.bind_sequence(
            key,
            EventHandler::Conditional(Box::new(validate::EnterHandler { indent: indent.clone() })),
        );
    }
    let mut history_path = history::path(history_file, no_history);
    if let Some(p) = &history_path {
        history::load(&mut editor, p);
    }

    let mut shell = Shell::new(session, out);
    shell.cancel = Some(cancel);
    shell.history = editor.history().iter().cloned().collect();
    let hint = "Statements end with ';' and may span lines. :help (or help) for help, :quit or Ctrl-D to leave.";
    let greeting = match shell.session.server() {
        Some(server) => format!(
            "rolegraph {} on '{}' at {}\n{hint}\n",
            env!("CARGO_PKG_VERSION"),
            server.graph_name(),
            server.address()
        ),
        None => {
            let g = shell.session.graph();
            format!(
                "rolegraph {} on '{}' ({}, {})\n{hint}\n",
                env!("CARGO_PKG_VERSION"),
                g.name(),
                crate::save::counted(g.node_count(), "node", "nodes"),
                crate::save::counted(g.rel_count(), "relationship", "relationships")
            )
        }
    };
    shell.say(&greeting);
    if let Some(broken) = shell.broken {
        return broken;
    }
    loop {
        if shell.vocab_stale {
            if let Some(h) = editor.helper_mut() {
                h.vocab = match shell.session.server() {
                    // A server that cannot say now completes nothing; the
                    // statement that follows reports why.
                    Some(server) => crate::remote::schema::ServerSchema::read(server)
                        .map(|s| complete::Vocabulary::of_server(&s))
                        .unwrap_or_default(),
                    None => complete::Vocabulary::of(shell.session.graph()),
                };
                h.vocab.params = shell.session.params().keys().cloned().collect();
            }
            shell.vocab_stale = false;
        }
        let prompt = format!("{}> ", shell.session.graph().name());
        indent.store(prompt.chars().count(), Ordering::Relaxed);
        match editor.readline(&prompt) {
            Ok(input) => {
                // The continuation indent is the prompt's, not the statement's.
                let input = validate::strip_indent(&input, indent.load(Ordering::Relaxed));
                history::add(&mut editor, &mut history_path, &input);
                if !input.trim().is_empty() && shell.history.last() != Some(&input) {
                    shell.history.push(input.trim_end().to_string());
                }
                let dims = if stdout_tty { editor.dimensions() } else { None };
                shell.width = dims.map(|(cols, _)| cols);
                shell.height = dims.map(|(_, rows)| rows);
                let flow = match validate::shell_word(&input) {
                    Some(command) => meta::run(&mut shell, command, None),
                    None => shell.run_text(&input, "input", None),
                };
                if shell.clear_screen {
                    let _ = editor.clear_screen();
                    shell.clear_screen = false;
                }
                if let Some(broken) = shell.broken {
                    return broken;
                }
                if flow == Flow::Quit {
                    break;
                }
            }
            // Ctrl-C at the prompt clears what was typed.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => {
                if shell.may_quit() {
                    break;
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                break;
            }
        }
    }
    Exit::Ok
}

/// A piece of input: statements, or one meta-command line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Code(std::ops::Range<usize>),
    Meta(std::ops::Range<usize>),
}

/// Splits `text` into statements and meta-command lines. A line starting
/// with `:` is a meta-command only where a statement could start (so
/// `MATCH (n\n:Role)` stays one statement).
fn split(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut seg = 0;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        if line.trim_start().starts_with(':')
            && matches!(
                validate::completeness(&text[seg..line_start]),
                validate::Completeness::Empty | validate::Completeness::Complete
            )
        {
            if !text[seg..line_start].trim().is_empty() {
                pieces.push(Piece::Code(seg..line_start));
            }
            pieces.push(Piece::Meta(line_start..line_end));
            seg = line_end;
        }
        line_start = line_end;
    }
    if !text[seg..].trim().is_empty() {
        pieces.push(Piece::Code(seg..text.len()));
    }
    pieces
}

/// A piece of a script, for counting what it will print.
pub enum ScriptPiece<'t> {
    Code(&'t str),
    Meta(&'t str),
}

pub fn split_script(text: &str) -> Vec<ScriptPiece<'_>> {
    split(text)
        .into_iter()
        .map(|p| match p {
            Piece::Code(r) => ScriptPiece::Code(&text[r]),
            Piece::Meta(r) => ScriptPiece::Meta(text[r].trim()),
        })
        .collect()
}

/// How many pieces of statements `text` has between its meta-command lines.
pub fn code_pieces(text: &str) -> usize {
    split(text).iter().filter(|p| matches!(p, Piece::Code(_))).count()
}

/// The first syntax error in the statements of `text` (its meta-command
/// lines left out), each statement parsed alone; positions are those of
/// the whole `text`.
pub fn first_syntax_error(text: &str) -> Option<crate::syntax::SyntaxError> {
    split(text).into_iter().find_map(|piece| match piece {
        Piece::Code(r) => crate::syntax::split::statements(text, r)
            .with_semicolons()
            .find_map(|stmt| crate::syntax::parse_statement_at(text, stmt).err()),
        Piece::Meta(_) => None,
    })
}

/// How many of the statements in `text` answer with a table (see
/// [`crate::syntax::ast::Statement::returns_table`]), and meta-commands
/// that print rows; a sourced script counts as several. A statement that
/// does not parse counts as none (running the script reports it).
pub fn tables_in(text: &str) -> usize {
    split(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Code(r) => crate::syntax::split::statements(text, r)
                .with_semicolons()
                .filter_map(|stmt| crate::syntax::parse_statement_at(text, stmt).ok())
                .map(|script| script.statements.iter().filter(|s| s.returns_table()).count())
                .sum::<usize>(),
            Piece::Meta(r) => meta_results(text[r].trim()),
        })
        .sum()
}

/// How many results a meta-command line prints: `:params` and `:sources`
/// one, `:source FILE` as many as the file has (counted as several).
pub fn meta_results(line: &str) -> usize {
    let mut words = line.split_whitespace();
    match (words.next().unwrap_or(""), words.next()) {
        (":source", _) => 2,
        (":sources", _) | (":params", None) => 1,
        _ => 0,
    }
}

/// `text` with everything outside `range` blanked (newlines kept), so
/// positions and line numbers in messages are those of the whole text.
fn blank_outside(text: &str, range: std::ops::Range<usize>) -> String {
    let blank = |s: &str| -> String { s.chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect() };
    format!(
        "{}{}{}",
        blank(&text[..range.start]),
        &text[range.clone()],
        blank(&text[range.end..])
    )
}

impl Shell<'_> {
    /// False (after a warning) the first time the user leaves with changes
    /// that were never saved; leaving again goes.
    fn may_quit(&mut self) -> bool {
        undo::may_discard(self, ":quit")
    }

    /// Runs statements and meta-commands; stops at the first failure
    /// (a script with `--keep-going` goes on, and fails at the end).
    /// `base` is the directory of the script the text comes from. A syntax
    /// error anywhere in the text runs nothing, even where meta-command
    /// lines part its statements.
    fn run_text(&mut self, text: &str, origin: &str, base: Option<&Path>) -> Flow {
        if !self.session.is_remote()
            && code_pieces(text) > 1
            && let Some(e) = first_syntax_error(text)
        {
            print_error(&QueryError::from(e), origin, text);
            return Flow::Failed;
        }
        self.run_pieces(text, origin, base)
    }

    /// [`Shell::run_text`] once the text's syntax was checked.
    fn run_pieces(&mut self, text: &str, origin: &str, base: Option<&Path>) -> Flow {
        let mut failed = false;
        for piece in split(text) {
            let flow = match piece {
                Piece::Meta(r) => meta::run(self, &text[r], base),
                Piece::Code(r) => self.run_statements(text, r, origin),
            };
            if self.broken.is_some() {
                return Flow::Failed;
            }
            match flow {
                Flow::Ok => {}
                Flow::Failed if self.keep_going => failed = true,
                other => return other,
            }
        }
        if failed { Flow::Failed } else { Flow::Ok }
    }

    /// `:source FILE`.
    fn source(&mut self, path: &Path) -> Flow {
        if self.depth >= MAX_SOURCE_DEPTH {
            eprintln!(
                "error: {}: scripts nested more than {MAX_SOURCE_DEPTH} deep (does it source itself?)",
                path.display()
            );
            return Flow::Failed;
        }
        let limit = self.session.file_limits().script;
        let text = match crate::load::size::read_limited(path, limit, "scripts").map(String::from_utf8) {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                eprintln!("error: {} is not UTF-8 text", path.display());
                return Flow::Failed;
            }
            Err(crate::load::size::ReadError::Io { source, .. }) => {
                eprintln!("error: cannot read {}: {source}", path.display());
                return Flow::Failed;
            }
            Err(e) => {
                eprintln!("error: {e}");
                return Flow::Failed;
            }
        };
        let base: PathBuf = path.parent().map(Path::to_path_buf).unwrap_or_default();
        self.depth += 1;
        let flow = self.run_text(&text, &path.display().to_string(), Some(&base));
        self.depth -= 1;
        flow
    }

    /// Runs the statements in `text[range]` one at a time: every one is
    /// parsed first (a syntax error anywhere runs nothing), then each is
    /// run in its turn (see [`crate::syntax::split::parse_in_turn`]), so a
    /// script of any length takes the memory of a few statements' trees;
    /// positions in messages are those of the whole `text`.
    fn run_statements(&mut self, text: &str, range: std::ops::Range<usize>, origin: &str) -> Flow {
        let statements = match crate::syntax::split::parse_in_turn(text, range.clone()) {
            Ok(s) => s,
            Err(_) if self.session.is_remote() => {
                // On a server, what rolegraph cannot parse may still be the
                // server's openCypher: the session passes it through.
                let code = if range == (0..text.len()) {
                    text.to_string()
                } else {
                    blank_outside(text, range)
                };
                return self.run_on_server(&code, origin);
            }
            Err(e) => {
                print_error(&QueryError::from(e), origin, text);
                return Flow::Failed;
            }
        };
        let mut failed = false;
        for script in statements {
            let flow = match script {
                Ok(script) => self.run_parsed(&script, text, origin),
                Err(e) => {
                    print_error(&QueryError::from(e), origin, text);
                    Flow::Failed
                }
            };
            match flow {
                Flow::Ok => {}
                Flow::Failed if self.keep_going && self.broken.is_none() => failed = true,
                other => return other,
            }
        }
        if failed { Flow::Failed } else { Flow::Ok }
    }

    /// Runs parsed statements whose spans index `text`.
    fn run_parsed(&mut self, script: &crate::syntax::ast::Script, text: &str, origin: &str) -> Flow {
        let mut failed = false;
        for stmt in &script.statements {
            if let Some(c) = &self.cancel {
                c.reset();
            }
            self.statements += 1;
            // A failed or cancelled statement is taken back whole (see
            // `Session::run_statement`): the graph is as before it.
            let result = self.session.run_statement(stmt, text);
            match result {
                Ok(rows) => {
                    if !rows.stats.is_empty() {
                        self.vocab_stale = true;
                    }
                    let own = text.get(stmt.span.start..stmt.span.end).unwrap_or("").trim();
                    self.print_rows(&rows, origin, text, own);
                    self.last = Some(rows);
                    if self.broken.is_some() {
                        return Flow::Failed;
                    }
                }
                Err(e) => {
                    let cancelled = e.code == Code::Cancelled;
                    if cancelled {
                        eprintln!("cancelled");
                    } else {
                        print_error(&e, origin, text);
                    }
                    if cancelled {
                        return Flow::Cancelled;
                    }
                    if !self.keep_going {
                        return Flow::Failed;
                    }
                    failed = true;
                }
            }
        }
        if failed { Flow::Failed } else { Flow::Ok }
    }

    /// Runs text rolegraph cannot parse on the server (see
    /// [`Session::run_each`]).
    fn run_on_server(&mut self, text: &str, origin: &str) -> Flow {
        if let Some(c) = &self.cancel {
            c.reset();
        }
        let mut results = Vec::new();
        let keep_going = self.keep_going;
        let _ = self.session.run_each(text, |stmt, r| {
            let failed = r.is_err();
            results.push((stmt.span, r));
            !failed || keep_going
        });
        self.vocab_stale = true;
        let mut failed = false;
        for (span, r) in results {
            match r {
                Ok(rows) => {
                    self.statements += 1;
                    let own = text.get(span.start..span.end).unwrap_or(text).trim();
                    self.print_rows(&rows, origin, text, own);
                    self.last = Some(rows);
                    if self.broken.is_some() {
                        return Flow::Failed;
                    }
                }
                Err(e) => {
                    print_error(&e, origin, text);
                    failed = true;
                }
            }
        }
        if failed { Flow::Failed } else { Flow::Ok }
    }

    /// Prints a result (and its warnings) in the current format: into the
    /// script's document, into the `:output` file, or to the terminal, where
    /// tables fit its width (see `render::table`), whatever still does not
    /// fit is cut with a note, and long output goes through the pager.
    /// `:max-rows` cuts the rows shown, with a note.
    fn print_rows(&mut self, rows: &Rows, origin: &str, text: &str, statement: &str) {
        for w in &rows.warnings {
            crate::cli::paint::eprint(&w.render(origin, text));
        }
        let cut;
        let rows = match self.out.max_rows {
            Some(n) if rows.rows.len() > n => {
                eprintln!(
                    "note: showing the first {n} of {} rows (:max-rows {n}; :max-rows off shows all)",
                    rows.rows.len()
                );
                cut = Rows {
                    rows: rows.rows[..n].to_vec(),
                    ..rows.clone()
                };
                &cut
            }
            _ => rows,
        };
        let format = self.out.format;
        if self.out.table.timing && format != Format::Table {
            // Machine formats keep standard output clean: the time goes to stderr.
            eprintln!("{}", render::summary(rows, &self.out.table));
        }
        if let Some(doc) = self.doc.as_mut()
            && self.output_file.is_none()
        {
            let entry = doc::Entry {
                index: self.statements.max(1),
                text: statement,
                rows,
                source: text,
            };
            if let Err(e) = doc.emit(&entry, self.session.graph(), format, &self.out.table) {
                self.broken = Some(match e {
                    doc::DocError::Output(e) => Exit::from_output(&e),
                    other => {
                        eprintln!("error: {other}");
                        Exit::Usage
                    }
                });
            }
            return;
        }
        let mut opts = self.out.table.clone();
        let to_terminal = self.output_file.is_none() && self.width.is_some();
        if format == Format::Table && to_terminal {
            opts.width = self.width;
        }
        let (mut s, warnings) = render::render_warned(rows, self.session.graph(), format, &opts);
        for w in warnings {
            eprintln!("{w}");
        }
        if let Some((path, written)) = self.output_file.as_mut() {
            written.push_str(&s);
            if let Err(e) = crate::output::write_file(path, written.as_bytes()) {
                eprintln!("error: {e}; results go to the terminal again");
                self.output_file = None;
                self.say(&s);
            }
            return;
        }
        if let (Format::Table, Some(w)) = (format, self.width) {
            let (fitted, cut) = fit(&s, w as usize);
            if cut {
                s = fitted;
                s.push_str(&format!(
                    "note: the table is wider than the terminal ({w} columns) and was cut; :mode expanded, :format csv or json shows all of it\n"
                ));
            }
        }
        if to_terminal && self.out.pager && pager::pages(&s, self.height) && pager::show(&s) {
            return;
        }
        self.say(&s);
    }
}

/// Cuts every table line (one drawn with box characters) longer than
/// `width` characters, ending it with `…`. Other lines (DESCRIBE's summary)
/// wrap in the terminal as text does.
fn fit(s: &str, width: usize) -> (String, bool) {
    let mut cut = false;
    let mut out = String::with_capacity(s.len());
    for line in s.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let boxed = body.starts_with(|c: char| ('\u{2500}'..='\u{257F}').contains(&c));
        if boxed && width > 1 && body.chars().count() > width {
            cut = true;
            out.extend(body.chars().take(width - 1));
            out.push('…');
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    (out, cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_split_into_statements_and_meta_commands() {
        let text = ":format csv\nMATCH (n)\n:Role\nRETURN n;\n  :source x.cypher\nRETURN 1";
        let pieces: Vec<&str> = split(text)
            .into_iter()
            .map(|p| match p {
                Piece::Code(r) | Piece::Meta(r) => text[r].trim(),
            })
            .collect();
        assert_eq!(
            pieces,
            [
                ":format csv",
                "MATCH (n)\n:Role\nRETURN n;",
                ":source x.cypher",
                "RETURN 1"
            ]
        );
        let blanked = blank_outside("ab\ncd\nef", 3..5);
        assert_eq!(blanked, "  \ncd\n  ");
    }

    #[test]
    fn wide_lines_are_cut_with_an_ellipsis() {
        assert_eq!(fit("│abcdef\nab\n", 4), ("│ab…\nab\n".to_string(), true));
        assert_eq!(fit("title line\n", 4), ("title line\n".to_string(), false));
        assert_eq!(fit("ab\n", 4), ("ab\n".to_string(), false));
    }
}
