//! The library's facade: a graph, parameters and limits, and `run` to go
//! from query text to rows through parse → plan → evaluate.

use std::time::Instant;

use crate::Error;
use crate::diag::Diagnostic;
use crate::edits::{History, Unsaved};
use crate::error::QueryError;
use crate::eval::{self, Limits, Rows};
use crate::plan::{self, Params};
use crate::provenance::{self, Uncited};
use crate::store::{Graph, Mark};
use crate::syntax::{self, ast::Statement};
use crate::value::Value;

/// ```
/// let mut session = rolegraph::Session::builtin()?;
/// let rows = session.run("MATCH (r:Role) RETURN r.name AS name ORDER BY name")?;
/// assert_eq!(rows.columns, ["name"]);
/// assert!(rows.len() >= 8);
/// # Ok::<(), rolegraph::Error>(())
/// ```
pub struct Session {
    graph: Graph,
    params: Params,
    limits: Limits,
    /// Undo, redo and what is not saved yet.
    history: History,
    /// While a script runs as one unit (`--atomic`): where it started and
    /// the statements that changed the graph so far.
    unit: Option<(Mark, Vec<String>)>,
    /// How big a data file or script may be (`--max-file-size`).
    file_limits: crate::load::FileLimits,
    /// The data directory the graph was loaded from, if any: saving back
    /// into it may replace the files it was loaded from.
    source: Option<std::path::PathBuf>,
    /// Short query texts parsed and run before (syntax trees do not depend
    /// on the graph or the parameters, so a repeated text is not parsed
    /// again).
    parsed: std::collections::HashMap<String, std::sync::Arc<syntax::ast::Script>>,
    /// Set by `--connect`: statements run on a server, and `graph` holds
    /// the part of the server's graph the last answer mentioned.
    remote: Option<Box<crate::remote::Remote>>,
    /// When the graph cites its sources (see [`crate::provenance`]): the
    /// facts that cite none now, so a statement adding one is warned.
    cited: Option<Uncited>,
}

/// Texts kept in the parse cache; it starts over when full.
const PARSED: usize = 256;
/// The longest text (in bytes) whose trees the parse cache keeps.
const CACHED_TEXT: usize = 64 << 10;

impl Session {
    pub fn new(mut graph: Graph) -> Session {
        graph.start_journal();
        let cited = provenance::is_curated(&graph).then(Uncited::default);
        Session {
            cited,
            graph,
            params: Params::new(),
            limits: Limits::default(),
            history: History::default(),
            unit: None,
            file_limits: Default::default(),
            source: None,
            parsed: Default::default(),
            remote: None,
        }
    }

    /// A session whose statements run on a server (see [`crate::remote`]).
    pub fn remote(remote: crate::remote::Remote) -> Session {
        let mut s = Session::new(Graph::new(remote.graph_name()));
        s.remote = Some(Box::new(remote));
        s
    }

    /// The server this session runs on, if any.
    pub fn server(&mut self) -> Option<&mut crate::remote::Remote> {
        self.remote.as_deref_mut()
    }

    pub fn is_remote(&self) -> bool {
        self.remote.is_some()
    }

    /// A session on the built-in knowledge base.
    pub fn builtin() -> Result<Session, Error> {
        Ok(Session::new(crate::load::builtin()?))
    }

    /// Whether the store may build implicit indexes for this session's
    /// queries (see [`Graph::set_implicit_indexes`]).
    pub fn set_implicit_indexes(&mut self, on: bool) {
        self.graph.set_implicit_indexes(on);
    }

    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Replaces the graph (`:load`); parameters and limits stay.
    pub fn set_graph(&mut self, mut graph: Graph) {
        graph.start_journal();
        self.cited = provenance::is_curated(&graph).then(Uncited::default);
        self.graph = graph;
        self.history.reset();
        self.unit = None;
        self.source = None;
    }

    /// Records the data directory the graph was loaded from.
    pub fn set_source(&mut self, dir: &std::path::Path) {
        self.source = Some(dir.to_path_buf());
    }

    /// Whether anything changed the graph since it was loaded or saved
    /// (an undone change counts: see [`Session::unsaved`]).
    pub fn is_dirty(&self) -> bool {
        !self.history.unsaved().is_empty()
    }

    /// Every change since the graph was loaded or saved, in order.
    pub fn unsaved(&self) -> &[Unsaved] {
        self.history.unsaved()
    }

    /// Takes back the last statement that changed the graph; its text, or
    /// `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Option<String> {
        let text = self.history.undo(&mut self.graph);
        self.recount_cited();
        text
    }

    fn recount_cited(&mut self) {
        if self.cited.is_some() {
            self.cited = Some(Uncited::of(&self.graph));
        }
    }

    /// Makes the last undone statement again; its text, or `None`.
    pub fn redo(&mut self) -> Option<String> {
        let text = self.history.redo(&mut self.graph);
        self.recount_cited();
        text
    }

    /// How many statements can be undone and redone.
    pub fn undo_depth(&self) -> (usize, usize) {
        (self.history.can_undo(), self.history.can_redo())
    }

    /// Runs the statements from here to [`Session::end_unit`] as one unit:
    /// they are undone together, and all taken back when one fails.
    pub fn begin_unit(&mut self) {
        if self.unit.is_none() {
            self.unit = Some((self.graph.mark(), Vec::new()));
        }
    }

    /// Ends a unit: keeps its changes (`commit`) or takes them all back.
    /// Returns how many statements of it had changed the graph.
    pub fn end_unit(&mut self, commit: bool) -> usize {
        let Some((mark, texts)) = self.unit.take() else {
            return 0;
        };
        if commit {
            let changes = self.graph.take_since(mark);
            self.history.done(&texts.join("; "), changes);
        } else {
            self.graph.rollback_to(mark);
        }
        texts.len()
    }

    /// Writes the graph into `dir` as graph-data files (see [`crate::save`])
    /// and clears the unsaved-changes flag.
    pub fn save(&mut self, dir: &std::path::Path) -> Result<crate::save::Saved, crate::save::SaveError> {
        let mut saved = crate::save::save_from(&self.graph, dir, self.source.as_deref())?;
        if self.graph.has_label(provenance::SOURCE) {
            let uncited = Uncited::of(&self.graph);
            if !uncited.is_empty() {
                let verb = if uncited.nodes.len() + uncited.rels.len() == 1 {
                    "cites"
                } else {
                    "cite"
                };
                saved.uncited = Some(format!("{} {verb}", uncited.describe()));
            }
        }
        self.history.saved();
        Ok(saved)
    }

    pub fn set_param(&mut self, name: impl Into<String>, value: Value) {
        self.params.insert(name.into(), value);
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn clear_params(&mut self) {
        self.params.clear();
    }

    /// How big a data file or script may be, for `:load` and `:source`.
    pub fn file_limits(&self) -> crate::load::FileLimits {
        self.file_limits
    }

    pub fn set_file_limits(&mut self, limits: crate::load::FileLimits) {
        self.file_limits = limits;
    }

    pub fn limits_mut(&mut self) -> &mut Limits {
        &mut self.limits
    }

    /// Runs every statement of `text` and returns the last one's rows.
    pub fn run(&mut self, text: &str) -> Result<Rows, Error> {
        let mut last = Rows::default();
        let mut failure = None;
        self.run_each(text, |_, r| match r {
            Ok(rows) => {
                last = rows;
                true
            }
            Err(e) => {
                failure = Some(e);
                false
            }
        })?;
        match failure {
            Some(e) => Err(e.into()),
            None => Ok(last),
        }
    }

    /// Checks every statement's syntax first (a syntax error anywhere runs
    /// nothing), then runs them in order, handing each result to `each`;
    /// stops when `each` returns false. The text is parsed a statement at a
    /// time, as `-f` does (see [`syntax::split::parse_in_turn`]): a long
    /// script takes the memory of a few statements' trees.
    pub fn run_each(
        &mut self,
        text: &str,
        mut each: impl FnMut(&Statement, Result<Rows, QueryError>) -> bool,
    ) -> Result<(), QueryError> {
        if let Some(script) = self.parsed.get(text).cloned() {
            self.run_in_order(&script.statements, text, &mut each);
            return Ok(());
        }
        let in_turn = match syntax::split::parse_in_turn(text, 0..text.len()) {
            Ok(s) => s,
            Err(e) if self.remote.is_some() => {
                self.pass_through(text, e.into(), &mut each);
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        // A short text's trees are kept, so the same text again (a
        // benchmark's repeated query) is not parsed again.
        let mut kept = (text.len() <= CACHED_TEXT).then(Vec::new);
        for script in in_turn {
            let script = script?;
            if !self.run_in_order(&script.statements, text, &mut each) {
                kept = None;
                break;
            }
            if let Some(kept) = kept.as_mut() {
                kept.extend(script.statements);
            }
        }
        if let Some(statements) = kept {
            if self.parsed.len() >= PARSED {
                self.parsed.clear();
            }
            let script = syntax::ast::Script { statements };
            self.parsed.insert(text.to_string(), std::sync::Arc::new(script));
        }
        Ok(())
    }

    /// Runs `statements` in order until `each` returns false; whether it
    /// never did.
    fn run_in_order(
        &mut self,
        statements: &[Statement],
        text: &str,
        each: &mut impl FnMut(&Statement, Result<Rows, QueryError>) -> bool,
    ) -> bool {
        for stmt in statements {
            let result = self.run_statement(stmt, text);
            if !each(stmt, result) {
                return false;
            }
        }
        true
    }

    /// On a server, a script rolegraph cannot parse runs statement by
    /// statement: those it parses as usual, the others as written, with a
    /// note; where the server refuses one too, rolegraph's error (with its
    /// caret) says what the server said.
    fn pass_through(
        &mut self,
        text: &str,
        error: QueryError,
        each: &mut impl FnMut(&Statement, Result<Rows, QueryError>) -> bool,
    ) {
        for piece in crate::remote::split::statements(text) {
            // The piece alone, its spans indexing `text`.
            let span = crate::diag::Span::new(piece.start, piece.end);
            let (stmt, result) = match syntax::parse_statement_at(text, piece.clone()) {
                Ok(script) if script.statements.len() == 1 => {
                    let stmt = script.statements[0].clone();
                    let r = self.run_statement(&stmt, text);
                    (stmt, r)
                }
                parsed => {
                    let mine: QueryError = match parsed {
                        Err(e) => e.into(),
                        Ok(_) => error.clone(),
                    };
                    let stmt = Statement {
                        kind: syntax::ast::StatementKind::Query(syntax::ast::Query {
                            parts: Vec::new(),
                            unions: Vec::new(),
                        }),
                        span,
                    };
                    let r = self.run_unparsed(&text[piece], mine, span);
                    (stmt, r)
                }
            };
            if !each(&stmt, result) {
                break;
            }
        }
    }

    fn run_unparsed(&mut self, source: &str, mine: QueryError, span: crate::diag::Span) -> Result<Rows, QueryError> {
        let Some(remote) = self.remote.as_deref_mut() else {
            return Err(mine);
        };
        match remote.run_raw(source, &self.params, &self.limits) {
            Ok((mut rows, graph)) => {
                self.graph = graph;
                rows.warnings.push(
                    Diagnostic::warning(
                        format!(
                            "rolegraph does not parse this statement ({}); it ran on the server as written",
                            mine.message
                        ),
                        Some(span),
                    )
                    .with_help(None),
                );
                Ok(rows)
            }
            Err(crate::remote::RemoteError::Server { address, message }) => {
                Err(crate::remote::also_refused(mine, &address, &message))
            }
            Err(e) => Err(e.into_query_error(Some(span))),
        }
    }

    /// A statement is all or nothing: when it fails or is cancelled, every
    /// change it made is taken back before the error is returned.
    pub fn run_statement(&mut self, stmt: &Statement, text: &str) -> Result<Rows, QueryError> {
        if let Some(remote) = self.remote.as_deref_mut() {
            let (rows, graph) = remote.run(stmt, text, &self.params, &self.limits)?;
            self.graph = graph;
            return Ok(rows);
        }
        let started = Instant::now();
        let planned = plan::plan_statement(stmt, &self.graph, &self.params, text)?;
        let mark = self.graph.mark();
        let mut rows = match eval::run(&planned.plan, &mut self.graph, &self.limits) {
            Ok(rows) => rows,
            Err(e) => {
                self.graph.rollback_to(mark);
                return Err(e);
            }
        };
        let stmt_text = text.get(stmt.span.start..stmt.span.end).unwrap_or(text);
        let mut warnings = planned.warnings;
        if let Some(before) = &self.cited
            && self.graph.changed_since(mark)
            && self.graph.node_count() + self.graph.rel_count() <= provenance::CHECK_LIMIT
        {
            let now = Uncited::of(&self.graph);
            // The caret under the statement's first word.
            let first = stmt_text.find(char::is_whitespace).unwrap_or(stmt_text.len());
            let at = crate::diag::Span::new(stmt.span.start, stmt.span.start + first);
            warnings.extend(provenance::warning(&self.graph, before, &now, at));
            self.cited = Some(now);
        }
        match &mut self.unit {
            Some((_, texts)) => {
                if self.graph.changed_since(mark) {
                    texts.push(stmt_text.trim().to_string());
                }
            }
            None => {
                let changes = self.graph.take_since(mark);
                self.history.done(stmt_text, changes);
            }
        }
        warnings.append(&mut rows.warnings);
        rows.warnings = warnings;
        rows.elapsed = started.elapsed();
        Ok(rows)
    }

    /// Parses and binds every statement without running it: the warnings,
    /// or the first error (a syntax error anywhere before any other). A
    /// statement at a time (see [`syntax::split::parse_in_turn`]), so a long
    /// script takes the memory of a few statements' trees.
    pub fn check(&self, text: &str) -> Result<Vec<Diagnostic>, QueryError> {
        let mut warnings = Vec::new();
        for script in syntax::split::parse_in_turn(text, 0..text.len())? {
            for stmt in &script?.statements {
                warnings.extend(plan::plan_statement(stmt, &self.graph, &self.params, text)?.warnings);
            }
        }
        Ok(warnings)
    }
}
