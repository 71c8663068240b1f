//! FalkorDB over RESP with the `redis` crate: rolegraph finds out what the
//! address is (a standalone server, a primary and its replicas, a Redis
//! Cluster, or a Sentinel), sends `GRAPH.QUERY`/`GRAPH.RO_QUERY` with
//! `--compact`, and reads the replies itself ([`super::compact`]).
//!
//! - Standalone: every seed host is asked its `ROLE`. Writes go to the
//!   primary; reads go to a replica when one of the seeds is one (after a
//!   write, `WAIT` lets the replica catch up so a read sees it). A URL that
//!   names only a replica reads from it, and a write there is refused with
//!   [`RemoteError::ReadOnly`].
//! - Cluster: the graph's key decides the shard; redirects are followed by
//!   the crate's cluster connection.
//! - Sentinel: the sentinel names the primary and its replicas, which are
//!   then used as above; connecting again asks again, so a failover is
//!   followed.
//!
//! A statement can be cancelled (Ctrl-C): it then runs on a worker thread
//! while the caller watches the cancel flag, and on cancel the connection
//! is closed (`CLIENT KILL`) and dropped; the next statement connects again.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use redis::{ErrorKind, RedisError, ServerErrorKind, Value as Resp};

use super::address::{Address, Protocol, percent_encode};
use super::compact::{self, Names, Unreadable};
use super::reply::{RValue, Table};
use super::{Connection, ProfileStep, RemoteError, SchemaLists};

/// How long connecting may take before the server counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Beyond the server's own timeout, how long to wait for its answer before
/// the connection counts as hung.
const GRACE: Duration = Duration::from_secs(5);
/// How long a write waits for replicas to acknowledge it before a read is
/// sent to one of them.
const WAIT_REPLICAS_MS: u64 = 10_000;
/// How often a cancellable statement looks at its cancel flag.
const POLL: Duration = Duration::from_millis(20);

pub struct Falkor {
    address: Address,
    password: Option<String>,
    links: Option<Links>,
    /// The statement timeout; also bounds how long an answer may take.
    timeout: Option<Duration>,
    /// The names the graph's label, type and key numbers stand for.
    names: Names,
    cancel: Option<Arc<AtomicBool>>,
    /// The certificate authorities trusted (PEM), read at the first TLS
    /// connection.
    trust: Option<Vec<u8>>,
}

/// The connections of one topology.
struct Links {
    /// Writes (and reads when there is no reader).
    primary: Link,
    /// A replica for reads.
    reader: Option<Link>,
    /// Replicas the primary has, to WAIT for after a write.
    replicas: usize,
}

enum Link {
    Single {
        con: redis::Connection,
        host: String,
        port: u16,
        /// The server's id for this connection, to close it on cancel.
        client_id: Option<i64>,
    },
    Cluster(Box<redis::cluster::ClusterConnection>),
}

impl Link {
    fn run(&mut self, cmd: &redis::Cmd) -> redis::RedisResult<Resp> {
        match self {
            Link::Single { con, .. } => cmd.query(con),
            Link::Cluster(con) => cmd.query(&mut **con),
        }
    }

    fn set_read_timeout(&self, t: Option<Duration>) {
        let _ = match self {
            Link::Single { con, .. } => con.set_read_timeout(t),
            Link::Cluster(con) => con.set_read_timeout(t),
        };
    }
}

/// One command for the worker, and where it goes.
#[derive(Clone, Copy, PartialEq)]
enum Route {
    Read,
    Write,
}

impl Falkor {
    pub fn new(address: Address, password: Option<String>) -> Falkor {
        Falkor {
            address,
            password,
            links: None,
            timeout: None,
            names: Names::default(),
            cancel: None,
            trust: None,
        }
    }

    fn url_for(&self, host: &str, port: u16) -> String {
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_string()
        };
        let auth = match (&self.address.user, &self.password) {
            (Some(u), Some(p)) => format!("{}:{}@", percent_encode(u), percent_encode(p)),
            (Some(u), None) => format!("{}@", percent_encode(u)),
            (None, Some(p)) => format!(":{}@", percent_encode(p)),
            (None, None) => String::new(),
        };
        let scheme = if self.tls() { "rediss" } else { "redis" };
        format!("{scheme}://{auth}{host}:{port}/")
    }

    fn tls(&self) -> bool {
        matches!(self.address.protocol, Protocol::Falkor { tls: true })
    }

    fn answer_deadline(&self) -> Option<Duration> {
        self.timeout.map(|t| t + GRACE)
    }

    /// The certificates a TLS connection trusts: the system's and the
    /// `--ca-cert` file's.
    fn certificates(&mut self) -> Result<redis::TlsCertificates, RemoteError> {
        if self.trust.is_none() {
            let trust = super::tls::Trust::load(self.address.ca_cert.as_deref())?;
            self.trust = Some(trust.pem());
        }
        Ok(redis::TlsCertificates {
            client_tls: None,
            root_cert: self.trust.clone(),
        })
    }

    fn client(&mut self, host: &str, port: u16) -> Result<redis::Client, RemoteError> {
        let url = self.url_for(host, port);
        let client = if self.tls() {
            let certs = self.certificates()?;
            redis::Client::build_with_tls(url.as_str(), certs)
        } else {
            redis::Client::open(url.as_str())
        };
        client.map_err(|e| self.classify(&e, true))
    }

    fn open(&mut self, host: &str, port: u16) -> Result<redis::Connection, RemoteError> {
        let client = self.client(host, port)?;
        let con = client
            .get_connection_with_timeout(CONNECT_TIMEOUT)
            .map_err(|e| self.classify(&e, true))?;
        let _ = con.set_read_timeout(Some(CONNECT_TIMEOUT));
        Ok(con)
    }

    fn single(&self, host: &str, port: u16, mut con: redis::Connection) -> Link {
        let client_id = redis::cmd("CLIENT").arg("ID").query::<i64>(&mut con).ok();
        let _ = con.set_read_timeout(self.answer_deadline());
        Link::Single {
            con,
            host: host.to_string(),
            port,
            client_id,
        }
    }

    /// Connects to whatever the address is.
    fn connect(&mut self) -> Result<Links, RemoteError> {
        let mut last = None;
        let mut opened = Vec::new();
        for (host, port) in self.address.hosts.clone() {
            match self.open(&host, port) {
                Ok(con) => opened.push((host, port, con)),
                Err(e @ RemoteError::Auth { .. }) => return Err(e),
                Err(e) => last = Some(e),
            }
        }
        let Some((_, _, first)) = opened.first_mut() else {
            return Err(last.unwrap_or_else(|| RemoteError::Unreachable {
                address: self.address.to_string(),
                why: "no host to connect to".into(),
            }));
        };
        let info: String = redis::cmd("INFO")
            .arg("server")
            .query(first)
            .map_err(|e| self.classify(&e, true))?;
        let mode = info
            .lines()
            .find_map(|l| l.strip_prefix("redis_mode:"))
            .unwrap_or("standalone")
            .trim()
            .to_string();
        match mode.as_str() {
            "cluster" => {
                let seeds: Vec<String> = self.address.hosts.iter().map(|(h, p)| self.url_for(h, *p)).collect();
                let mut b = redis::cluster::ClusterClient::builder(seeds).connection_timeout(CONNECT_TIMEOUT);
                if self.tls() {
                    b = b.certs(self.certificates()?);
                }
                if let Some(t) = self.answer_deadline() {
                    b = b.response_timeout(t);
                }
                let con = b
                    .build()
                    .and_then(|c| c.get_connection())
                    .map_err(|e| self.classify(&e, true))?;
                let _ = con.set_read_timeout(self.answer_deadline());
                Ok(Links {
                    primary: Link::Cluster(Box::new(con)),
                    reader: None,
                    replicas: 0,
                })
            }
            "sentinel" => {
                let (_, _, con) = opened.swap_remove(0);
                self.through_sentinel(con)
            }
            _ => self.standalone(opened),
        }
    }

    /// Finds the primary (and a replica) among connected seed hosts.
    fn standalone(&self, opened: Vec<(String, u16, redis::Connection)>) -> Result<Links, RemoteError> {
        let mut primary = None;
        let mut reader = None;
        let mut replicas = 0;
        for (host, port, mut con) in opened {
            let role: Resp = redis::cmd("ROLE")
                .query(&mut con)
                .map_err(|e| self.classify(&e, true))?;
            let (is_primary, known) = match &role {
                Resp::Array(items) => match items.first() {
                    Some(Resp::BulkString(r)) if r.as_slice() == b"master" => (
                        true,
                        match items.get(2) {
                            Some(Resp::Array(rs)) => rs.len(),
                            _ => 0,
                        },
                    ),
                    _ => (false, 0),
                },
                _ => (true, 0),
            };
            if is_primary && primary.is_none() {
                replicas = known;
                primary = Some(self.single(&host, port, con));
            } else if !is_primary && reader.is_none() {
                reader = Some(self.single(&host, port, con));
            }
        }
        match (primary, reader) {
            (Some(primary), reader) => Ok(Links {
                primary,
                reader,
                replicas,
            }),
            // Only a replica: it reads, and refuses writes itself.
            (None, Some(replica)) => Ok(Links {
                primary: replica,
                reader: None,
                replicas: 0,
            }),
            (None, None) => Err(RemoteError::Unreachable {
                address: self.address.to_string(),
                why: "no server answered".into(),
            }),
        }
    }

    /// Asks a sentinel for the primary and a replica of the one service it
    /// watches and connects to them.
    fn through_sentinel(&mut self, mut con: redis::Connection) -> Result<Links, RemoteError> {
        let address = self.address.to_string();
        let masters: Resp = redis::cmd("SENTINEL")
            .arg("MASTERS")
            .query(&mut con)
            .map_err(|e| self.classify(&e, true))?;
        let names: Vec<String> = match &masters {
            Resp::Array(ms) => ms.iter().filter_map(|m| field(m, "name")).collect(),
            _ => vec![],
        };
        let [service] = names.as_slice() else {
            return Err(RemoteError::Unreachable {
                address,
                why: format!(
                    "the sentinel watches {} primaries ({}); rolegraph needs exactly one",
                    names.len(),
                    names.join(", ")
                ),
            });
        };
        let at: Vec<String> = redis::cmd("SENTINEL")
            .arg("GET-MASTER-ADDR-BY-NAME")
            .arg(service)
            .query(&mut con)
            .map_err(|e| self.classify(&e, true))?;
        let [host, port] = at.as_slice() else {
            return Err(RemoteError::Unreachable {
                address,
                why: format!("the sentinel knows no primary for '{service}'"),
            });
        };
        let port: u16 = port.parse().map_err(|_| RemoteError::Protocol {
            address: address.clone(),
            why: format!("the sentinel gave the port '{port}'"),
        })?;
        let mut opened = vec![(host.clone(), port, self.open(host, port)?)];
        let replicas: Resp = redis::cmd("SENTINEL")
            .arg("REPLICAS")
            .arg(service)
            .query(&mut con)
            .unwrap_or(Resp::Nil);
        if let Resp::Array(rs) = &replicas {
            for r in rs {
                let flags = field(r, "flags").unwrap_or_default();
                if flags.contains("down") || flags.contains("disconnected") {
                    continue;
                }
                if let (Some(h), Some(p)) = (field(r, "ip"), field(r, "port").and_then(|p| p.parse().ok()))
                    && let Ok(c) = self.open(&h, p)
                {
                    opened.push((h, p, c));
                    break;
                }
            }
        }
        self.standalone(opened)
    }

    /// Drops the connections after a failure that may have broken them;
    /// the next statement connects again.
    fn forget(&mut self) {
        self.links = None;
    }

    /// The kind of a failure.
    fn classify(&self, e: &RedisError, connecting: bool) -> RemoteError {
        let address = self.address.to_string();
        if let Some(t) = super::tls::tls_error(e) {
            return super::tls::handshake_error(address, t);
        }
        if connecting && e.is_timeout() {
            let secs = CONNECT_TIMEOUT.as_secs();
            let why = if self.tls() {
                format!("no answer to the TLS handshake within {secs} s; does that port take TLS?")
            } else {
                format!("no answer within {secs} s")
            };
            return RemoteError::Unreachable { address, why };
        }
        let words = server_words(e);
        let upper = words.to_ascii_uppercase();
        let code = e.code().unwrap_or_default().to_ascii_uppercase();
        if e.kind() == ErrorKind::AuthenticationFailed
            || matches!(code.as_str(), "WRONGPASS" | "NOAUTH" | "NOPERM")
            || upper.contains("INVALID USERNAME-PASSWORD")
        {
            return RemoteError::Auth { address, why: words };
        }
        if e.kind() == ErrorKind::Server(ServerErrorKind::ReadOnly) || code == "READONLY" {
            return RemoteError::ReadOnly { address };
        }
        if upper.contains("QUERY TIMED OUT") || (!connecting && e.is_timeout()) {
            return RemoteError::Timeout {
                address,
                after: self.timeout,
            };
        }
        if e.kind() == ErrorKind::InvalidClientConfig {
            return RemoteError::BadUrl {
                url: address,
                why: words,
            };
        }
        if connecting && (e.is_io_error() || e.is_connection_refusal() || e.is_timeout()) {
            let why = if !self.tls() && e.is_connection_dropped() && !e.is_connection_refusal() {
                format!("{words}: it closed the connection; if that port takes TLS, connect with falkors://")
            } else {
                words
            };
            return RemoteError::Unreachable { address, why };
        }
        if e.is_io_error() || e.is_connection_dropped() || e.is_unrecoverable_error() && e.code().is_none() {
            return RemoteError::Dropped { address };
        }
        match e.kind() {
            ErrorKind::Server(_) | ErrorKind::Extension => RemoteError::Server {
                address,
                message: words,
            },
            _ if connecting => RemoteError::Unreachable { address, why: words },
            ErrorKind::Parse | ErrorKind::UnexpectedReturnType => RemoteError::Protocol { address, why: words },
            _ => RemoteError::Server {
                address,
                message: words,
            },
        }
    }

    /// Runs one command on the link its route picks; cancellable when a
    /// cancel flag is set. Connects first if needed.
    fn send(&mut self, cmd: redis::Cmd, route: Route) -> Result<Resp, RemoteError> {
        if self.links.is_none() {
            self.links = Some(self.connect()?);
        }
        let Some(mut links) = self.links.take() else {
            return Err(RemoteError::Unreachable {
                address: self.address.to_string(),
                why: "not connected".into(),
            });
        };
        let run = move |links: &mut Links| -> redis::RedisResult<Resp> {
            let waits = links.reader.is_some() && links.replicas > 0;
            match (route, links.reader.as_mut()) {
                (Route::Read, Some(reader)) => reader.run(&cmd),
                (Route::Write, _) if waits => {
                    let out = links.primary.run(&cmd);
                    // So that the next read, served by a replica, sees it.
                    let _ = redis::cmd("WAIT")
                        .arg(links.replicas)
                        .arg(WAIT_REPLICAS_MS)
                        .query::<Resp>(match &mut links.primary {
                            Link::Single { con, .. } => con,
                            Link::Cluster(con) => &mut **con,
                        });
                    out
                }
                _ => links.primary.run(&cmd),
            }
        };
        let result = match self.cancel.clone() {
            None => {
                let r = run(&mut links);
                self.links = Some(links);
                r
            }
            Some(flag) => {
                let victims = links_to_kill(&links, route);
                let (tx, rx) = mpsc::channel();
                std::thread::spawn(move || {
                    let r = run(&mut links);
                    let _ = tx.send((links, r));
                });
                loop {
                    match rx.recv_timeout(POLL) {
                        Ok((links, r)) => {
                            self.links = Some(links);
                            break r;
                        }
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            if flag.load(Ordering::SeqCst) {
                                self.kill(&victims);
                                return Err(RemoteError::Cancelled {
                                    address: self.address.to_string(),
                                });
                            }
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => {
                            return Err(RemoteError::Dropped {
                                address: self.address.to_string(),
                            });
                        }
                    }
                }
            }
        };
        result.map_err(|e| {
            let err = self.classify(&e, false);
            if matches!(
                err,
                RemoteError::Dropped { .. } | RemoteError::Timeout { .. } | RemoteError::Protocol { .. }
            ) {
                self.forget();
            }
            err
        })
    }

    /// Closes the connections a cancelled statement waits on, so that the
    /// worker thread ends; the server finishes the statement or stops it at
    /// its own timeout.
    fn kill(&mut self, victims: &[(String, u16, i64)]) {
        for (host, port, id) in victims {
            if let Ok(mut con) = self.open(host, *port) {
                let _ = redis::cmd("CLIENT")
                    .arg("KILL")
                    .arg("ID")
                    .arg(*id)
                    .query::<Resp>(&mut con);
            }
        }
    }

    fn graph(&self) -> &str {
        self.address.graph_or(super::DEFAULT_GRAPH)
    }

    /// Reads the graph's label, type and key names again.
    fn refresh_names(&mut self) -> Result<(), RemoteError> {
        let lists = self.labels_unsorted()?;
        self.names = Names {
            labels: lists.labels,
            types: lists.types,
            keys: lists.keys,
        };
        Ok(())
    }

    fn labels_unsorted(&mut self) -> Result<SchemaLists, RemoteError> {
        let mut lists = SchemaLists::default();
        for (proc_, i) in [
            ("CALL db.labels()", 0),
            ("CALL db.relationshipTypes()", 1),
            ("CALL db.propertyKeys()", 2),
        ] {
            let t = self.query(proc_, &[], true)?;
            let names = t
                .rows
                .into_iter()
                .filter_map(|r| match r.into_iter().next() {
                    Some(RValue::String(s)) => Some(s),
                    _ => None,
                })
                .collect();
            match i {
                0 => lists.labels = names,
                1 => lists.types = names,
                _ => lists.keys = names,
            }
        }
        Ok(lists)
    }

    fn graph_command(&self, read_only: bool, text: &str, params: &[(String, crate::value::Value)]) -> redis::Cmd {
        let mut cmd = redis::cmd(if read_only { "GRAPH.RO_QUERY" } else { "GRAPH.QUERY" });
        cmd.arg(self.graph()).arg(with_params(text, params)).arg("--compact");
        if let Some(t) = self.timeout {
            cmd.arg("timeout").arg(timeout_ms(t));
        }
        cmd
    }

    fn query_once(
        &mut self,
        text: &str,
        params: &[(String, crate::value::Value)],
        read_only: bool,
    ) -> Result<Table, RemoteError> {
        let cmd = self.graph_command(read_only, text, params);
        let reply = self.send(cmd, if read_only { Route::Read } else { Route::Write })?;
        match compact::table(&reply, &self.names) {
            Ok(t) => Ok(t),
            Err(Unreadable::StaleNames) => {
                self.refresh_names()?;
                compact::table(&reply, &self.names).map_err(|e| self.unreadable(e))
            }
            Err(e) => Err(self.unreadable(e)),
        }
    }

    fn unreadable(&self, e: Unreadable) -> RemoteError {
        RemoteError::Protocol {
            address: self.address.to_string(),
            why: match e {
                Unreadable::StaleNames => "a label, type or property number the graph does not list".into(),
                Unreadable::Shape(s) => s,
            },
        }
    }
}

/// One line of GRAPH.PROFILE: `    Operator | detail | Records produced:
/// N, Execution time: T ms`, four spaces of indent per level.
fn profile_step(line: &str) -> ProfileStep {
    let body = line.trim_start_matches(' ');
    let depth = (line.len() - body.len()) / 4;
    let mut parts: Vec<&str> = body.split(" | ").collect();
    let mut rows = None;
    let mut ms = None;
    if let Some(last) = parts.last()
        && last.starts_with("Records produced")
    {
        for item in last.split(", ") {
            match item.split_once(": ") {
                Some(("Records produced", n)) => rows = n.trim().parse().ok(),
                Some(("Execution time", t)) => ms = t.trim_end_matches(" ms").trim().parse().ok(),
                _ => {}
            }
        }
        parts.pop();
    }
    ProfileStep {
        depth,
        operator: parts.first().map_or_else(String::new, |s| s.trim().to_string()),
        detail: parts.get(1..).map(|d| d.join(" | ")).unwrap_or_default(),
        rows,
        ms,
    }
}

/// A field of a sentinel's flat `[name, value, …]` record.
fn field(record: &Resp, name: &str) -> Option<String> {
    let Resp::Array(items) = record else { return None };
    items.chunks(2).find_map(|kv| match kv {
        [Resp::BulkString(k), Resp::BulkString(v)] if k.as_slice() == name.as_bytes() => {
            Some(String::from_utf8_lossy(v).into_owned())
        }
        _ => None,
    })
}

/// The (host, port, client id) of the connections `route` may wait on.
fn links_to_kill(links: &Links, route: Route) -> Vec<(String, u16, i64)> {
    let mut out = Vec::new();
    let mut add = |l: &Link| {
        if let Link::Single {
            host,
            port,
            client_id: Some(id),
            ..
        } = l
        {
            out.push((host.clone(), *port, *id));
        }
    };
    match (route, &links.reader) {
        (Route::Read, Some(r)) => add(r),
        _ => add(&links.primary),
    }
    out
}

/// `CYPHER k=v … text`, the way FalkorDB takes parameters.
fn with_params(text: &str, params: &[(String, crate::value::Value)]) -> String {
    if params.is_empty() {
        return text.to_string();
    }
    let mut out = String::from("CYPHER");
    for (k, v) in params {
        out.push(' ');
        out.push_str(&crate::value::format_key(k));
        out.push('=');
        crate::export::cypher::literal(v, &mut out);
    }
    out.push(' ');
    out.push_str(text);
    out
}

/// The server's own words, without the crate's preamble.
fn server_words(e: &RedisError) -> String {
    match (e.code(), e.detail()) {
        (Some("ERR"), Some(detail)) => detail.trim().to_string(),
        (Some(code), Some(detail)) => format!("{code} {}", detail.trim()),
        (Some(code), None) => code.to_string(),
        _ => e.to_string(),
    }
}

fn timeout_ms(t: Duration) -> u64 {
    u64::try_from(t.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl Connection for Falkor {
    fn address(&self) -> &Address {
        &self.address
    }

    fn set_timeout(&mut self, timeout: Option<Duration>) {
        if self.timeout != timeout {
            self.timeout = timeout;
            let deadline = self.answer_deadline();
            if let Some(l) = &self.links {
                l.primary.set_read_timeout(deadline);
                if let Some(r) = &l.reader {
                    r.set_read_timeout(deadline);
                }
            }
        }
    }

    fn set_cancel(&mut self, cancel: Option<Arc<AtomicBool>>) {
        self.cancel = cancel;
    }

    fn ping(&mut self) -> Result<(), RemoteError> {
        if self.links.is_none() {
            self.links = Some(self.connect()?);
        }
        Ok(())
    }

    fn query(
        &mut self,
        text: &str,
        params: &[(String, crate::value::Value)],
        read_only: bool,
    ) -> Result<Table, RemoteError> {
        match self.query_once(text, params, read_only) {
            // A graph that does not exist yet reads as an empty one; only a
            // read-write query may create it.
            Err(RemoteError::Server { message, .. }) if read_only && message.contains("empty key") => {
                self.query_once(text, params, false)
            }
            r => r,
        }
    }

    fn explain(&mut self, text: &str, params: &[(String, crate::value::Value)]) -> Result<Vec<String>, RemoteError> {
        let mut cmd = redis::cmd("GRAPH.EXPLAIN");
        cmd.arg(self.graph()).arg(with_params(text, params));
        let reply = self.send(cmd, Route::Read)?;
        compact::lines(&reply).map_err(|e| self.unreadable(e))
    }

    fn profile(
        &mut self,
        text: &str,
        params: &[(String, crate::value::Value)],
        read_only: bool,
    ) -> Result<Vec<ProfileStep>, RemoteError> {
        let mut cmd = redis::cmd("GRAPH.PROFILE");
        cmd.arg(self.graph()).arg(with_params(text, params));
        // GRAPH.PROFILE runs the statement and counts as a write to the
        // server, so even a read goes to the primary.
        let reply = match self.send(cmd, Route::Write) {
            Err(RemoteError::ReadOnly { .. }) if read_only => {
                return Err(RemoteError::Unsupported {
                    address: self.address.to_string(),
                    what: "PROFILE on a replica".into(),
                });
            }
            r => r?,
        };
        let lines = compact::lines(&reply).map_err(|e| self.unreadable(e))?;
        Ok(lines.iter().map(|l| profile_step(l)).collect())
    }

    fn labels(&mut self) -> Result<SchemaLists, RemoteError> {
        let mut lists = self.labels_unsorted()?;
        self.names = Names {
            labels: lists.labels.clone(),
            types: lists.types.clone(),
            keys: lists.keys.clone(),
        };
        lists.labels.sort();
        lists.types.sort();
        lists.keys.sort();
        Ok(lists)
    }

    fn create_index(&mut self, label: &str, key: &str) -> Result<(), RemoteError> {
        let text = format!(
            "CREATE INDEX FOR (n:{}) ON (n.{})",
            crate::value::format_key(label),
            crate::value::format_key(key)
        );
        match self.query(&text, &[], false) {
            Ok(_) => Ok(()),
            // Already there: what push wanted.
            Err(RemoteError::Server { message, .. }) if message.to_ascii_lowercase().contains("already") => Ok(()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_line_gives_its_operator_detail_rows_and_time() {
        let s =
            profile_step("        Conditional Traverse | (r)->(b) | Records produced: 4, Execution time: 0.114976 ms");
        assert_eq!(
            s,
            ProfileStep {
                depth: 2,
                operator: "Conditional Traverse".into(),
                detail: "(r)->(b)".into(),
                rows: Some(4),
                ms: Some(0.114976),
            }
        );
        let s = profile_step("Results | Records produced: 2, Execution time: 0.001342 ms");
        assert_eq!(
            (s.depth, s.operator.as_str(), s.detail.as_str(), s.rows),
            (0, "Results", "", Some(2))
        );
        // A line of another shape keeps its text as the operator.
        let s = profile_step("Something new");
        assert_eq!((s.operator.as_str(), s.rows, s.ms), ("Something new", None, None));
    }
}
