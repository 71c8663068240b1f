//! Neo4j, Memgraph and other Bolt 5 servers through the `neo4j` crate
//! (blocking): every statement runs on a worker thread while the caller
//! watches the cancel flag and the answer deadline, so Ctrl-C and a hung
//! server end the wait and the shell goes on; the driver is then dropped and
//! the next statement connects again. `bolt://` talks to one server,
//! `neo4j://` asks it for a routing table and sends reads to readers.

// The closures return the driver's own error type, large as it is.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use neo4j::driver::auth::AuthToken;
use neo4j::driver::{ConnectionConfig, Driver, DriverConfig, EagerResult, RoutingControl};
use neo4j::transaction::TransactionTimeout;
use neo4j::{Neo4jError, ValueReceive, ValueSend};

use super::address::{Address, Protocol};
use super::reply::{RNode, RRel, RStats, RValue, Table};
use super::{Connection, RemoteError, SchemaLists};
use crate::value::Value;

/// How long connecting may take before the server counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Beyond the statement's timeout, how long to wait for an answer.
const GRACE: Duration = Duration::from_secs(5);
/// How often a waiting statement looks at its cancel flag.
const POLL: Duration = Duration::from_millis(20);

pub struct Bolt {
    address: Address,
    password: Option<String>,
    driver: Option<Arc<Driver>>,
    timeout: Option<Duration>,
    cancel: Option<Arc<AtomicBool>>,
}

impl Bolt {
    pub fn new(address: Address, password: Option<String>) -> Bolt {
        Bolt {
            address,
            password,
            driver: None,
            timeout: None,
            cancel: None,
        }
    }

    fn driver(&mut self) -> Result<Arc<Driver>, RemoteError> {
        if let Some(d) = &self.driver {
            return Ok(d.clone());
        }
        let (routing, tls) = match self.address.protocol {
            Protocol::Bolt { routing, tls } => (routing, tls),
            Protocol::Falkor { .. } => (false, false),
        };
        let Some((host, port)) = self.address.hosts.first().cloned() else {
            return Err(RemoteError::Unreachable {
                address: self.address.to_string(),
                why: "no host to connect to".into(),
            });
        };
        let mut conn =
            ConnectionConfig::new(neo4j::address::Address::from((host.as_str(), port))).with_routing(routing);
        conn = if tls {
            // The system's authorities plus --ca-cert, as for falkors://.
            // The handshake is made once here, so a certificate that does
            // not verify is said at once, typed, whatever the driver does.
            let trust = super::tls::Trust::load(self.address.ca_cert.as_deref())?;
            let config = Arc::new(trust.client_config());
            super::tls::check_handshake(self.address.to_string(), &host, port, &config, CONNECT_TIMEOUT)?;
            conn.with_encryption_custom_tls_config(Arc::unwrap_or_clone(config))
        } else {
            conn.with_encryption_disabled()
        };
        let auth = match (&self.address.user, &self.password) {
            (Some(u), p) => AuthToken::new_basic_auth(u.clone(), p.clone().unwrap_or_default()),
            (None, Some(p)) => AuthToken::new_basic_auth("neo4j", p.clone()),
            (None, None) => AuthToken::new_none_auth(),
        };
        let config = DriverConfig::new()
            .with_auth(Arc::new(auth))
            .with_connection_timeout(CONNECT_TIMEOUT)
            // The driver's default is a minute; a server that takes the
            // connection and never answers the Bolt handshake is reported
            // sooner (one statement at a time never waits for the pool).
            .with_connection_acquisition_timeout(CONNECT_TIMEOUT + GRACE)
            .with_fetch_all();
        let driver = Arc::new(Driver::new(conn, config));
        self.driver = Some(driver.clone());
        Ok(driver)
    }

    /// Runs `work` on a worker thread, waiting for it unless the statement
    /// is cancelled or its answer is overdue.
    fn off_thread<T: Send + 'static>(
        &mut self,
        work: impl FnOnce(&Driver) -> Result<T, Neo4jError> + Send + 'static,
    ) -> Result<T, RemoteError> {
        let driver = self.driver()?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(work(&driver));
        });
        let deadline = self.timeout.map(|t| Instant::now() + t + GRACE);
        loop {
            match rx.recv_timeout(POLL) {
                Ok(Ok(v)) => return Ok(v),
                Ok(Err(e)) => {
                    let err = self.classify(&e);
                    if matches!(err, RemoteError::Dropped { .. } | RemoteError::Unreachable { .. }) {
                        self.driver = None;
                    }
                    return Err(err);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if self.cancel.as_ref().is_some_and(|c| c.load(Ordering::SeqCst)) {
                        self.driver = None;
                        return Err(RemoteError::Cancelled {
                            address: self.address.to_string(),
                        });
                    }
                    if deadline.is_some_and(|d| Instant::now() >= d) {
                        self.driver = None;
                        return Err(RemoteError::Timeout {
                            address: self.address.to_string(),
                            after: self.timeout,
                        });
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    self.driver = None;
                    return Err(RemoteError::Dropped {
                        address: self.address.to_string(),
                    });
                }
            }
        }
    }

    fn classify(&self, e: &Neo4jError) -> RemoteError {
        let address = self.address.to_string();
        if let Neo4jError::Disconnect { source: Some(io), .. } = e
            && let Some(t) = super::tls::tls_error(io)
        {
            return super::tls::handshake_error(address, t);
        }
        match e {
            Neo4jError::ServerError { error, .. } => {
                let code = error.code();
                let message = error.message().to_string();
                if code.contains("Security.Unauthorized") || code.contains("Security.AuthenticationRateLimit") {
                    RemoteError::Auth { address, why: message }
                } else if code.contains("NotALeader")
                    || code.contains("ForbiddenOnReadOnlyDatabase")
                    || code.contains("WriteOnReadOnlyAccessMode")
                {
                    RemoteError::ReadOnly { address }
                } else if code.contains("TransactionTimedOut") || code.contains("Transaction.Terminated") {
                    RemoteError::Timeout {
                        address,
                        after: self.timeout,
                    }
                } else {
                    RemoteError::Server {
                        address,
                        message: format!("{message} ({code})"),
                    }
                }
            }
            Neo4jError::Disconnect { message, .. } => {
                if self.driver.is_none() || message.contains("connect") && !message.contains("lost") {
                    RemoteError::Unreachable {
                        address,
                        why: message.clone(),
                    }
                } else {
                    RemoteError::Dropped { address }
                }
            }
            Neo4jError::Timeout { .. } => RemoteError::Timeout {
                address,
                after: self.timeout,
            },
            Neo4jError::InvalidConfig { message, .. } => RemoteError::Unreachable {
                address,
                why: message.clone(),
            },
            other => RemoteError::Protocol {
                address,
                why: other.to_string(),
            },
        }
    }

    fn database(&self) -> Option<Arc<String>> {
        self.address.graph.clone().map(Arc::new)
    }
}

fn send(v: &Value) -> ValueSend {
    match v {
        Value::Null => ValueSend::Null,
        Value::Bool(b) => ValueSend::Boolean(*b),
        Value::Int(i) => ValueSend::Integer(*i),
        Value::Float(f) => ValueSend::Float(*f),
        Value::String(s) => ValueSend::String(s.to_string()),
        Value::List(items) => ValueSend::List(items.iter().map(send).collect()),
        Value::Map(m) => ValueSend::Map(m.iter().map(|(k, v)| (k.to_string(), send(v))).collect()),
        // Graph elements are not parameters a server takes.
        other => ValueSend::String(format!("{other:?}")),
    }
}

fn props(m: HashMap<String, ValueReceive>) -> Vec<(String, RValue)> {
    let mut v: Vec<(String, RValue)> = m.into_iter().map(|(k, v)| (k, value(v))).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn node(n: neo4j::value::graph::Node) -> RNode {
    RNode {
        id: n.element_id,
        labels: n.labels,
        props: props(n.properties),
    }
}

fn value(v: ValueReceive) -> RValue {
    match v {
        ValueReceive::Null => RValue::Null,
        ValueReceive::Boolean(b) => RValue::Bool(b),
        ValueReceive::Integer(i) => RValue::Int(i),
        ValueReceive::Float(f) => RValue::Float(f),
        ValueReceive::String(s) => RValue::String(s),
        ValueReceive::Bytes(b) => RValue::List(b.into_iter().map(|x| RValue::Int(i64::from(x))).collect()),
        ValueReceive::List(items) => RValue::List(items.into_iter().map(value).collect()),
        ValueReceive::Map(m) => RValue::Map(props(m)),
        ValueReceive::Node(n) => RValue::Node(node(n)),
        ValueReceive::Relationship(r) => RValue::Rel(RRel {
            id: r.element_id,
            rel_type: r.type_,
            start: r.start_node_element_id,
            end: r.end_node_element_id,
            props: props(r.properties),
        }),
        ValueReceive::Path(p) => {
            // indices: (relationship, node) pairs; a relationship index is
            // 1-based, negative when it is walked against its direction.
            let nodes: Vec<RNode> = p.nodes.into_iter().map(node).collect();
            let mut order = vec![0usize];
            let mut rels = Vec::new();
            let mut at = 0usize;
            for pair in p.indices.chunks(2) {
                let [r, n] = pair else { break };
                let (Ok(n), Some(rel)) = (
                    usize::try_from(*n),
                    p.relationships.get(r.unsigned_abs().saturating_sub(1)),
                ) else {
                    break;
                };
                let (Some(from), Some(to)) = (nodes.get(at), nodes.get(n)) else {
                    break;
                };
                let (start, end) = if *r > 0 { (from, to) } else { (to, from) };
                rels.push(RRel {
                    id: rel.element_id.clone(),
                    rel_type: rel.type_.clone(),
                    start: start.id.clone(),
                    end: end.id.clone(),
                    props: props(rel.properties.clone()),
                });
                order.push(n);
                at = n;
            }
            RValue::Path {
                nodes: order.into_iter().filter_map(|i| nodes.get(i).cloned()).collect(),
                rels,
            }
        }
        other => RValue::Other(format!("{other:?}")),
    }
}

fn table(r: EagerResult) -> Table {
    let c = &r.summary.counters;
    let n = |x: i64| usize::try_from(x).unwrap_or(0);
    Table {
        columns: r.keys.iter().map(|k| k.to_string()).collect(),
        stats: RStats {
            nodes_created: n(c.nodes_created),
            nodes_deleted: n(c.nodes_deleted),
            relationships_created: n(c.relationships_created),
            relationships_deleted: n(c.relationships_deleted),
            labels_added: n(c.labels_added),
            properties_set: n(c.properties_set),
            indexes_created: n(c.indexes_added),
        },
        server_time: r.summary.result_available_after,
        rows: r
            .records
            .into_iter()
            .map(|rec| rec.into_values().map(value).collect())
            .collect(),
    }
}

fn plan_lines(p: &neo4j::summary::Plan, depth: usize, out: &mut Vec<String>) {
    let ids = if p.identifiers.is_empty() {
        String::new()
    } else {
        format!(" | {}", p.identifiers.join(", "))
    };
    out.push(format!("{}{}{ids}", "    ".repeat(depth), p.op_type));
    for c in &p.children {
        plan_lines(c, depth + 1, out);
    }
}

impl Connection for Bolt {
    fn address(&self) -> &Address {
        &self.address
    }

    fn ping(&mut self) -> Result<(), RemoteError> {
        self.off_thread(|d| d.verify_connectivity())
    }

    fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    fn set_cancel(&mut self, cancel: Option<Arc<AtomicBool>>) {
        self.cancel = cancel;
    }

    fn query(&mut self, text: &str, params: &[(String, Value)], read_only: bool) -> Result<Table, RemoteError> {
        let text = text.to_string();
        let params: HashMap<String, ValueSend> = params.iter().map(|(k, v)| (k.clone(), send(v))).collect();
        let db = self.database();
        let timeout = self
            .timeout
            .and_then(|t| TransactionTimeout::from_millis(i64::try_from(t.as_millis()).unwrap_or(i64::MAX).max(1)));
        self.off_thread(move |d| {
            let mut q = d
                .execute_query(text)
                .with_parameters(params)
                .with_routing_control(if read_only {
                    RoutingControl::Read
                } else {
                    RoutingControl::Write
                });
            if let Some(db) = db {
                q = q.with_database(db);
            }
            if let Some(t) = timeout {
                q = q.with_transaction_timeout(t);
            }
            q.run().map(table)
        })
    }

    fn explain(&mut self, text: &str, params: &[(String, Value)]) -> Result<Vec<String>, RemoteError> {
        let text = format!("EXPLAIN {text}");
        let params: HashMap<String, ValueSend> = params.iter().map(|(k, v)| (k.clone(), send(v))).collect();
        let db = self.database();
        let address = self.address.to_string();
        let plan = self.off_thread(move |d| {
            let mut q = d.execute_query(text).with_parameters(params);
            if let Some(db) = db {
                q = q.with_database(db);
            }
            q.run().map(|r| r.summary.plan)
        })?;
        match plan {
            Some(p) => {
                let mut out = Vec::new();
                plan_lines(&p, 0, &mut out);
                Ok(out)
            }
            None => Err(RemoteError::Unsupported {
                address,
                what: "EXPLAIN (the server sent no plan)".into(),
            }),
        }
    }

    fn labels(&mut self) -> Result<SchemaLists, RemoteError> {
        let mut lists = SchemaLists::default();
        for (proc_, i) in [
            ("CALL db.labels()", 0),
            ("CALL db.relationshipTypes()", 1),
            ("CALL db.propertyKeys()", 2),
        ] {
            // A server without one of the procedures has no such list.
            let Ok(t) = self.query(proc_, &[], true) else { continue };
            let mut names: Vec<String> = t
                .rows
                .into_iter()
                .filter_map(|r| match r.into_iter().next() {
                    Some(RValue::String(s)) => Some(s),
                    _ => None,
                })
                .collect();
            names.sort();
            match i {
                0 => lists.labels = names,
                1 => lists.types = names,
                _ => lists.keys = names,
            }
        }
        Ok(lists)
    }

    fn create_index(&mut self, label: &str, key: &str) -> Result<(), RemoteError> {
        let (l, k) = (crate::value::format_key(label), crate::value::format_key(key));
        // Neo4j 4.4 and 5; then Memgraph's form.
        let first = self.query(
            &format!("CREATE INDEX IF NOT EXISTS FOR (n:{l}) ON (n.{k})"),
            &[],
            false,
        );
        match first {
            Ok(_) => Ok(()),
            Err(RemoteError::Server { .. }) => match self.query(&format!("CREATE INDEX ON :{l}({k})"), &[], false) {
                Ok(_) => Ok(()),
                Err(RemoteError::Server { message, .. }) if message.to_ascii_lowercase().contains("already") => Ok(()),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    fn id_function(&self) -> &'static str {
        "elementId"
    }

    fn element_literal(&self, id: &str) -> String {
        crate::value::quote_string(id)
    }
}
