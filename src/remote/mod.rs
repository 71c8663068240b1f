//! The remote engine: statements run on a live graph server instead of the
//! in-memory graph. rolegraph still parses (and binds) every statement
//! first, so mistakes keep their carets; openCypher goes to the server as
//! written; DESCRIBE, OVERLAP, DIFF and PATH fetch the nodes and
//! relationships they look at and are assembled locally by the same
//! evaluator, so their rows, every format and every diagram are the same
//! as on a local graph. A server is reached through a [`Connection`]; the
//! one here is FalkorDB's ([`falkor`]).

pub mod address;
#[cfg(feature = "bolt")]
mod bolt;
mod compact;
mod domain;
mod falkor;
pub mod mirror;
pub mod reply;
pub mod schema;
pub mod split;
pub mod tls;
pub mod transfer;

use std::time::{Duration, Instant};

pub use address::{Address, Protocol};
use mirror::Mirror;
pub use reply::{RValue, Table};

use crate::error::{Code, QueryError};
use crate::eval::{self, Limits, Rows, Stats};
use crate::plan::{self, Params};
use crate::store::Graph;
use crate::syntax::ast::{Clause, Statement, StatementKind};

/// The graph used when a FalkorDB URL names none.
pub const DEFAULT_GRAPH: &str = "roles";

/// Why talking to a server failed. Each names the server (without its
/// password), so a message says where the problem is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RemoteError {
    #[error("'{url}' is not a server address: {why}")]
    BadUrl { url: String, why: String },
    #[error("cannot reach {address}: {why}")]
    Unreachable { address: String, why: String },
    /// The server's TLS certificate did not verify; nothing was sent.
    #[error(
        "{address} presented a TLS certificate that does not verify: {why}; trust the authority that signed it with --ca-cert FILE (or {})",
        tls::CA_CERT_VAR
    )]
    Certificate { address: String, why: String },
    /// The file of trusted certificate authorities cannot be used.
    #[error("cannot use '{}' as the certificate authority (--ca-cert): {why}", path.display())]
    CaFile { path: std::path::PathBuf, why: String },
    #[error("{address} refused the credentials: {why}")]
    Auth { address: String, why: String },
    #[error("the connection to {address} was lost during the statement; the next statement connects again")]
    Dropped { address: String },
    #[error("{address} did not finish the statement within {}", match after { Some(t) => format!("{:.3} s (--timeout)", t.as_secs_f64()), None => "the time allowed".to_string() })]
    Timeout { address: String, after: Option<Duration> },
    #[error("query cancelled; {address} may still finish it, the next statement connects again")]
    Cancelled { address: String },
    #[error("{address} is a read-only replica and refused a statement that writes; connect to the primary to write")]
    ReadOnly { address: String },
    /// The server's own error message, as it gave it.
    #[error("{address}: {message}")]
    Server { address: String, message: String },
    #[error("{address} sent an answer rolegraph could not read: {why}")]
    Protocol { address: String, why: String },
    #[error("{what} is not supported for {address}")]
    Unsupported { address: String, what: String },
    #[error("the answer cannot be shown as a graph: {why}")]
    Mirror { why: String },
}

impl RemoteError {
    /// The detail code a [`QueryError`] carries for this error.
    pub fn code(&self) -> Code {
        match self {
            RemoteError::BadUrl { .. } => Code::BadServerAddress,
            RemoteError::Unreachable { .. } => Code::ServerUnreachable,
            RemoteError::Certificate { .. } => Code::CertificateRejected,
            RemoteError::CaFile { .. } => Code::BadCaCertificate,
            RemoteError::Auth { .. } => Code::AuthenticationFailed,
            RemoteError::Dropped { .. } => Code::ConnectionDropped,
            RemoteError::Timeout { .. } => Code::Timeout,
            RemoteError::ReadOnly { .. } => Code::ReadOnlyReplica,
            RemoteError::Cancelled { .. } => Code::Cancelled,
            RemoteError::Server { .. } => Code::ServerError,
            RemoteError::Protocol { .. } => Code::ProtocolError,
            RemoteError::Unsupported { .. } => Code::Unsupported,
            RemoteError::Mirror { .. } => Code::UnrepresentableAnswer,
        }
    }

    pub fn into_query_error(self, span: Option<crate::diag::Span>) -> QueryError {
        QueryError::runtime(self.code(), self.to_string(), span)
    }
}

/// The labels, relationship types and property keys a server holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaLists {
    pub labels: Vec<String>,
    pub types: Vec<String>,
    pub keys: Vec<String>,
}

/// One operator of a server's profile.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileStep {
    /// 0 for the root; a child is one deeper than its parent.
    pub depth: usize,
    pub operator: String,
    /// What the operator works on, as the server words it.
    pub detail: String,
    /// The rows it produced, when the server counts them.
    pub rows: Option<i64>,
    /// Its own time in milliseconds, when the server gives it.
    pub ms: Option<f64>,
}

/// One server, as the engine needs it. Implementations reconnect on the
/// next call after a failure that broke the connection.
pub trait Connection: Send {
    fn address(&self) -> &Address;
    /// Connects (logging in) if not connected.
    fn ping(&mut self) -> Result<(), RemoteError>;
    /// The longest a statement may run (None: no limit).
    fn set_timeout(&mut self, timeout: Option<Duration>);
    /// The flag that cancels a running statement when set (Ctrl-C).
    fn set_cancel(&mut self, _cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>) {}
    /// Runs `text` with these parameters. `read_only`
    /// statements may be served by a replica.
    fn query(
        &mut self,
        text: &str,
        params: &[(String, crate::value::Value)],
        read_only: bool,
    ) -> Result<Table, RemoteError>;
    /// The server's plan for `text`, one line per operator.
    fn explain(&mut self, text: &str, params: &[(String, crate::value::Value)]) -> Result<Vec<String>, RemoteError>;
    /// Runs `text` under the server's profiler and returns its operators,
    /// the root first. `Unsupported` when the server has no profiler (the
    /// statement is then profiled locally on what it fetched).
    fn profile(
        &mut self,
        _text: &str,
        _params: &[(String, crate::value::Value)],
        _read_only: bool,
    ) -> Result<Vec<ProfileStep>, RemoteError> {
        Err(RemoteError::Unsupported {
            address: self.address().to_string(),
            what: "PROFILE on the server".into(),
        })
    }
    fn labels(&mut self) -> Result<SchemaLists, RemoteError>;
    /// Makes sure an index on `label`.`key` exists.
    fn create_index(&mut self, label: &str, key: &str) -> Result<(), RemoteError>;
    /// The function giving a node's element id in the server's Cypher.
    fn id_function(&self) -> &'static str {
        "id"
    }
    /// An element id as a literal of the server's Cypher: FalkorDB's are
    /// integers, Bolt's are text.
    fn element_literal(&self, id: &str) -> String {
        domain::element_literal(id)
    }
}

/// A session's remote engine.
pub struct Remote {
    conn: Box<dyn Connection>,
    /// Every node's id, name, aliases and labels, for resolving DESCRIBE's
    /// and its kin's references as the local engine does; dropped after
    /// any statement that may have written.
    directory: Option<domain::Directory>,
}

impl Remote {
    /// Connects to the server `address` names and checks that it answers.
    pub fn connect(address: Address, password: Option<String>) -> Result<Remote, RemoteError> {
        let mut conn: Box<dyn Connection> = match address.protocol {
            Protocol::Falkor { .. } => Box::new(falkor::Falkor::new(address, password)),
            #[cfg(feature = "bolt")]
            Protocol::Bolt { .. } => Box::new(bolt::Bolt::new(address, password)),
            #[cfg(not(feature = "bolt"))]
            Protocol::Bolt { .. } => {
                let _ = password;
                return Err(RemoteError::Unsupported {
                    address: address.to_string(),
                    what: "Bolt (Neo4j, Memgraph) in this build (build with: cargo build --release --features bolt)"
                        .into(),
                });
            }
        };
        conn.ping()?;
        Ok(Remote { conn, directory: None })
    }

    pub fn address(&self) -> &Address {
        self.conn.address()
    }

    pub fn connection(&mut self) -> &mut dyn Connection {
        &mut *self.conn
    }

    /// The name the graph goes by in prompts and exports.
    pub fn graph_name(&self) -> String {
        self.conn.address().graph_or(DEFAULT_GRAPH).to_string()
    }

    pub fn schema(&mut self) -> Result<SchemaLists, RemoteError> {
        self.conn.labels()
    }

    /// Runs one parsed statement; the rows' nodes and relationships live in
    /// the graph returned with them.
    pub fn run(
        &mut self,
        stmt: &Statement,
        text: &str,
        params: &Params,
        limits: &Limits,
    ) -> Result<(Rows, Graph), QueryError> {
        let started = Instant::now();
        self.conn.set_timeout(limits.timeout);
        self.conn.set_cancel(limits.cancel.clone());
        let at = Some(stmt.span);
        let (mut rows, graph) = match &stmt.kind {
            StatementKind::Query(_) => {
                // rolegraph's own check first: an error in its subset keeps
                // its caret; one it does not know (a function it lacks) is
                // the server's to judge.
                let checked = plan::plan_statement(stmt, &Graph::new(""), params, text);
                let source = &text[stmt.span.start..stmt.span.end];
                let result = self.query(source, params, !writes(stmt), limits);
                match (checked, result) {
                    (Ok(_), Ok(r)) => r,
                    (Err(mine), Ok((mut rows, graph))) => {
                        rows.warnings.push(crate::diag::Diagnostic::warning(
                            format!(
                                "rolegraph would refuse this statement ({}); it ran on the server as written",
                                mine.message
                            ),
                            mine.span,
                        ));
                        (rows, graph)
                    }
                    (Err(mine), Err(RemoteError::Server { address, message })) => {
                        return Err(also_refused(mine, &address, &message));
                    }
                    (_, Err(e)) => return Err(e.into_query_error(at)),
                }
            }
            StatementKind::Explain(inner) if matches!(inner.kind, StatementKind::Query(_)) => {
                let source = &text[inner.span.start..inner.span.end];
                let lines = self
                    .conn
                    .explain(source, &literals(params))
                    .map_err(|e| e.into_query_error(at))?;
                let rows = Rows {
                    columns: vec!["plan".into()],
                    rows: lines.into_iter().map(|l| vec![crate::value::Value::str(&l)]).collect(),
                    title: Some(format!("the plan of {}", self.conn.address())),
                    ..Rows::default()
                };
                (rows, Graph::new(self.graph_name()))
            }
            StatementKind::Profile(inner) if matches!(inner.kind, StatementKind::Query(_)) => {
                let source = &text[inner.span.start..inner.span.end];
                let read_only = !writes(inner);
                if !read_only {
                    self.directory = None;
                }
                match self.conn.profile(source, &literals(params), read_only) {
                    Ok(steps) => (self.profile_rows(steps, started), Graph::new(self.graph_name())),
                    // No profiler there: profiled locally on what it fetched.
                    Err(RemoteError::Unsupported { .. }) => self.fetched(stmt, text, params, limits)?,
                    Err(e) => return Err(e.into_query_error(at)),
                }
            }
            _ => self.fetched(stmt, text, params, limits)?,
        };
        rows.elapsed = started.elapsed();
        Ok((rows, graph))
    }

    /// Runs a statement locally on the part of the server's graph it looks
    /// at (DESCRIBE and its kin).
    fn fetched(
        &mut self,
        stmt: &Statement,
        text: &str,
        params: &Params,
        limits: &Limits,
    ) -> Result<(Rows, Graph), QueryError> {
        let (stmt, mirror) = domain::fetch(self, stmt, text)?;
        let mut graph = mirror.graph;
        let planned = plan::plan_statement(&stmt, &graph, params, text)?;
        let mut rows = eval::run(&planned.plan, &mut graph, limits)?;
        rows.warnings = planned.warnings;
        Ok((rows, graph))
    }

    /// A server's profile as the local PROFILE shows one: a step per
    /// operator, leaves first (the order they start producing rows), then
    /// the whole statement.
    fn profile_rows(&self, steps: Vec<ProfileStep>, started: Instant) -> Rows {
        use crate::value::Value;
        let returned = steps.first().and_then(|s| s.rows);
        let ms = |t: f64| Value::from(format!("{t:.3}"));
        let total = started.elapsed().as_secs_f64() * 1000.0;
        let mut rows: Vec<Vec<Value>> = steps
            .into_iter()
            .rev()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    Value::Int(i as i64 + 1),
                    Value::from(s.operator.as_str()),
                    Value::from(s.detail.as_str()),
                    s.rows.map_or(Value::Null, Value::Int),
                    s.ms.map_or(Value::Null, ms),
                ]
            })
            .collect();
        rows.push(vec![
            Value::str("all"),
            Value::str("Total"),
            Value::from("rows returned, whole statement (with the round trip)"),
            returned.map_or(Value::Null, Value::Int),
            ms(total),
        ]);
        Rows {
            columns: ["step", "operator", "detail", "rows", "ms"].map(String::from).to_vec(),
            rows,
            title: Some(format!("the profile of {}", self.conn.address())),
            ..Rows::default()
        }
    }

    /// Sends text rolegraph could not parse to the server as written.
    pub fn run_raw(&mut self, source: &str, params: &Params, limits: &Limits) -> Result<(Rows, Graph), RemoteError> {
        self.conn.set_timeout(limits.timeout);
        self.conn.set_cancel(limits.cancel.clone());
        let started = Instant::now();
        let (mut rows, graph) = self.query(source, params, false, limits)?;
        rows.elapsed = started.elapsed();
        Ok((rows, graph))
    }

    /// Runs `source` on the server and turns its answer into rows.
    fn query(
        &mut self,
        source: &str,
        params: &Params,
        read_only: bool,
        limits: &Limits,
    ) -> Result<(Rows, Graph), RemoteError> {
        if !read_only {
            self.directory = None;
        }
        let table = self.conn.query(source, &literals(params), read_only)?;
        if let Some(max) = limits.max_rows
            && table.rows.len() > max
        {
            return Err(RemoteError::Server {
                address: self.conn.address().to_string(),
                message: format!("the result has more than {max} rows (--max-rows)"),
            });
        }
        let mut mirror = Mirror::new(&self.graph_name());
        mirror.add_nodes_of(&table)?;
        let missing = mirror.missing_ends(&table);
        if !missing.is_empty() {
            let ends = self.nodes_by_element_id(&missing)?;
            mirror.add_nodes_of(&ends)?;
        }
        let mut rows = Vec::with_capacity(table.rows.len());
        for r in &table.rows {
            rows.push(r.iter().map(|v| mirror.value(v)).collect::<Result<Vec<_>, _>>()?);
        }
        let s = table.stats;
        Ok((
            Rows {
                columns: table.columns,
                rows,
                stats: Stats {
                    nodes_created: s.nodes_created,
                    relationships_created: s.relationships_created,
                    labels_added: s.labels_added,
                    properties_set: s.properties_set,
                    ..Stats::default()
                },
                ..Rows::default()
            },
            mirror.graph,
        ))
    }

    /// The server's nodes with these element ids.
    fn nodes_by_element_id(&mut self, ids: &[reply::ElementId]) -> Result<Table, RemoteError> {
        let f = self.conn.id_function();
        let list: Vec<String> = ids.iter().map(|i| self.conn.element_literal(i)).collect();
        self.conn.query(
            &format!("MATCH (n) WHERE {f}(n) IN [{}] RETURN n", list.join(", ")),
            &[],
            true,
        )
    }
}

/// rolegraph's error for a statement the server refused too, its help
/// followed by what the server said.
pub fn also_refused(mine: QueryError, address: &str, message: &str) -> QueryError {
    let server = format!("{address} also refused it: {}", message.trim());
    let help = match &mine.help {
        Some(h) => format!("{h} ({server})"),
        None => server,
    };
    mine.with_help(Some(help))
}

/// True when a query has a clause that writes.
fn writes(stmt: &Statement) -> bool {
    match &stmt.kind {
        // Anything but the reading clauses counts as a write, so a clause
        // added later is never sent where only reads are allowed.
        StatementKind::Query(q) => !q.parts.iter().all(|p| {
            p.clauses.iter().all(|c| {
                matches!(
                    c,
                    Clause::Match(_) | Clause::Unwind(_) | Clause::With(_) | Clause::Return(_)
                )
            })
        }),
        StatementKind::Explain(_) | StatementKind::Translate(_) => false,
        StatementKind::Profile(inner) => writes(inner),
        _ => false,
    }
}

/// Session parameters, sorted by name, for the server.
fn literals(params: &Params) -> Vec<(String, crate::value::Value)> {
    let mut out: Vec<(String, crate::value::Value)> = params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
