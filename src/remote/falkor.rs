//! FalkorDB through the `falkordb` crate: one connection (the crate finds
//! out whether the address is a standalone server, a cluster or Sentinel and
//! routes graphs and redirects itself), queries with a server-side timeout,
//! replies turned into [`Table`]s and failures into [`RemoteError`]s.

use std::num::NonZeroU8;
use std::time::Duration;

use falkordb::{FalkorClientBuilder, FalkorConnectionInfo, FalkorDBError, FalkorSyncClient, FalkorValue, SyncGraph};

use super::address::{Address, Protocol, percent_encode};
use super::reply::{RNode, RRel, RStats, RValue, Table};
use super::{Connection, RemoteError};

/// How long connecting may take before the server counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Beyond the server's own timeout, how long to wait for its answer before
/// the connection counts as hung.
const GRACE: Duration = Duration::from_secs(5);

pub struct Falkor {
    address: Address,
    password: Option<String>,
    client: Option<FalkorSyncClient>,
    graph: Option<SyncGraph>,
    /// The statement timeout; also bounds how long an answer may take.
    timeout: Option<Duration>,
}

impl Falkor {
    pub fn new(address: Address, password: Option<String>) -> Falkor {
        Falkor {
            address,
            password,
            client: None,
            graph: None,
            timeout: None,
        }
    }

    fn url_for(&self, host: &str, port: u16) -> String {
        let tls = matches!(self.address.protocol, Protocol::Falkor { tls: true });
        let scheme = if tls { "falkors" } else { "falkor" };
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
        format!("{scheme}://{auth}{host}:{port}")
    }

    /// Connects (again) when there is no live client.
    fn ensure(&mut self) -> Result<&mut SyncGraph, RemoteError> {
        if self.graph.is_none() {
            let mut last = None;
            for (host, port) in self.address.hosts.clone() {
                let info = match FalkorConnectionInfo::try_from(self.url_for(&host, port).as_str()) {
                    Ok(i) => i,
                    Err(e) => {
                        last = Some(self.classify(&e, true));
                        continue;
                    }
                };
                let built = FalkorClientBuilder::new()
                    .with_connection_info(info)
                    .with_num_connections(NonZeroU8::MIN)
                    .with_connect_timeout(Some(CONNECT_TIMEOUT))
                    .with_response_timeout(self.timeout.map(|t| t + GRACE))
                    .build();
                match built {
                    Ok(client) => {
                        let graph = client.select_graph(self.address.graph_or(super::DEFAULT_GRAPH));
                        self.client = Some(client);
                        self.graph = Some(graph);
                        break;
                    }
                    Err(e) => last = Some(self.classify(&e, true)),
                }
            }
            if self.graph.is_none() {
                return Err(last.unwrap_or_else(|| RemoteError::Unreachable {
                    address: self.address.to_string(),
                    why: "no host to connect to".into(),
                }));
            }
        }
        match self.graph.as_mut() {
            Some(g) => Ok(g),
            None => Err(RemoteError::Unreachable {
                address: self.address.to_string(),
                why: "not connected".into(),
            }),
        }
    }

    /// Drops the connection after a failure that may have broken it; the
    /// next statement connects again.
    fn forget(&mut self) {
        self.graph = None;
        self.client = None;
    }

    /// The kind of a failure, from the crate's error and the server's
    /// error code (the first word of a Redis error reply).
    fn classify(&self, e: &FalkorDBError, connecting: bool) -> RemoteError {
        let address = self.address.to_string();
        let text = e.to_string();
        let code_text = text.to_ascii_uppercase();
        let has = |w: &str| code_text.contains(w);
        if has("WRONGPASS") || has("NOAUTH") || has("INVALID USERNAME-PASSWORD") || has("AUTHENTICATION") {
            return RemoteError::Auth {
                address,
                why: server_words(&text),
            };
        }
        if has("READONLY") || has("READ ONLY REPLICA") || has("WRITE AGAINST A READ ONLY") {
            return RemoteError::ReadOnly { address };
        }
        if has("QUERY TIMED OUT") || has("TIMED OUT") || has("TIMEOUT") {
            return RemoteError::Timeout {
                address,
                after: self.timeout,
            };
        }
        match e {
            FalkorDBError::NoConnection
            | FalkorDBError::EmptyConnection
            | FalkorDBError::InvalidConnectionInfo(_)
            | FalkorDBError::SentinelConnection(_)
            | FalkorDBError::SentinelMastersCount => RemoteError::Unreachable {
                address,
                why: server_words(&text),
            },
            FalkorDBError::ConnectionDown => RemoteError::Dropped { address },
            FalkorDBError::RedisError(_) if connecting => RemoteError::Unreachable {
                address,
                why: server_words(&text),
            },
            FalkorDBError::RedisError(_) if is_io_failure(&code_text) => RemoteError::Dropped { address },
            FalkorDBError::RedisError(_) => RemoteError::Server {
                address,
                message: server_words(&text),
            },
            _ if connecting => RemoteError::Unreachable {
                address,
                why: server_words(&text),
            },
            _ => RemoteError::Protocol { address, why: text },
        }
    }
}

/// Words in an error that mean the connection broke rather than the query
/// failing.
fn is_io_failure(upper: &str) -> bool {
    [
        "BROKEN PIPE",
        "CONNECTION RESET",
        "CONNECTION REFUSED",
        "CONNECTION ABORTED",
        "UNEXPECTED EOF",
        "END OF FILE",
        "CONNECTION CLOSED",
        "IO ERROR",
        "OS ERROR",
        "CONNECTIONDOWN",
        "DROPPED",
    ]
    .iter()
    .any(|w| upper.contains(w))
}

/// The server's own message, without the crate's preamble.
fn server_words(text: &str) -> String {
    let t = text
        .strip_prefix("An error occurred while sending the request to Redis: ")
        .unwrap_or(text);
    t.trim().to_string()
}

fn timeout_ms(t: Duration) -> i64 {
    i64::try_from(t.as_millis()).unwrap_or(i64::MAX).max(1)
}

impl Falkor {
    fn query_once(&mut self, text: &str, params: &[(String, String)], read_only: bool) -> Result<Table, RemoteError> {
        let timeout = self.timeout;
        let result = {
            let graph = self.ensure()?;
            let mut q = if read_only {
                graph.ro_query(text)
            } else {
                graph.query(text)
            };
            for (k, v) in params {
                q = q.with_raw_param(k, v.clone());
            }
            if let Some(t) = timeout {
                q = q.with_timeout(timeout_ms(t));
            }
            match q.execute() {
                Ok(res) => {
                    let columns: Vec<String> = res.header.iter().map(|h| h.to_string()).collect();
                    let stats = stats(&res.stats);
                    let server_time = res
                        .stats
                        .iter()
                        .find_map(|s| s.strip_prefix("Query internal execution time: "))
                        .and_then(|s| s.split(' ').next())
                        .and_then(|ms| ms.parse::<f64>().ok())
                        .filter(|ms| ms.is_finite() && *ms >= 0.0)
                        .map(|ms| Duration::from_secs_f64(ms / 1000.0));
                    let mut rows = Vec::new();
                    let mut bad = None;
                    for row in res.data {
                        match row {
                            Ok(r) => rows.push(r.into_values().into_iter().map(value).collect()),
                            Err(e) => {
                                bad = Some(e);
                                break;
                            }
                        }
                    }
                    match bad {
                        Some(e) => Err(e),
                        None => Ok(Table {
                            columns,
                            rows,
                            stats,
                            server_time,
                        }),
                    }
                }
                Err(e) => Err(e),
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
}

impl Connection for Falkor {
    fn address(&self) -> &Address {
        &self.address
    }

    fn set_timeout(&mut self, timeout: Option<Duration>) {
        if self.timeout != timeout {
            self.timeout = timeout;
            // The answer deadline is a property of the connection.
            self.forget();
        }
    }

    fn ping(&mut self) -> Result<(), RemoteError> {
        // Building the client connects, logs in and asks for the topology.
        self.ensure().map(|_| ())
    }

    fn query(&mut self, text: &str, params: &[(String, String)], read_only: bool) -> Result<Table, RemoteError> {
        match self.query_once(text, params, read_only) {
            // A graph that does not exist yet reads as an empty one; only a
            // read-write query may create it.
            Err(RemoteError::Server { message, .. }) if read_only && message.contains("empty key") => {
                self.query_once(text, params, false)
            }
            r => r,
        }
    }

    fn explain(&mut self, text: &str, params: &[(String, String)]) -> Result<Vec<String>, RemoteError> {
        let result = {
            let graph = self.ensure()?;
            let mut q = graph.explain(text);
            for (k, v) in params {
                q = q.with_raw_param(k, v.clone());
            }
            q.execute().map(|plan| plan.plan().to_vec())
        };
        result.map_err(|e| {
            let err = self.classify(&e, false);
            if matches!(err, RemoteError::Dropped { .. }) {
                self.forget();
            }
            err
        })
    }

    fn labels(&mut self) -> Result<SchemaLists, RemoteError> {
        let mut lists = SchemaLists::default();
        for (proc_, out) in [
            ("CALL db.labels()", &mut lists.labels),
            ("CALL db.relationshipTypes()", &mut lists.types),
            ("CALL db.propertyKeys()", &mut lists.keys),
        ] {
            let t = self.query(proc_, &[], true)?;
            *out = t
                .rows
                .into_iter()
                .filter_map(|r| match r.into_iter().next() {
                    Some(RValue::String(s)) => Some(s),
                    _ => None,
                })
                .collect();
            out.sort();
        }
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

pub use super::SchemaLists;

fn stats(lines: &[String]) -> RStats {
    let mut s = RStats::default();
    for line in lines {
        let Some((what, n)) = line.split_once(": ") else {
            continue;
        };
        let n: usize = n.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
        match what {
            "Nodes created" => s.nodes_created = n,
            "Nodes deleted" => s.nodes_deleted = n,
            "Relationships created" => s.relationships_created = n,
            "Relationships deleted" => s.relationships_deleted = n,
            "Labels added" => s.labels_added = n,
            "Properties set" => s.properties_set = n,
            "Indices created" => s.indexes_created = n,
            _ => {}
        }
    }
    s
}

fn props(map: std::collections::HashMap<String, FalkorValue>) -> Vec<(String, RValue)> {
    let mut v: Vec<(String, RValue)> = map.into_iter().map(|(k, v)| (k, value(v))).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn node(n: falkordb::Node) -> RNode {
    RNode {
        id: n.entity_id.to_string(),
        labels: n.labels,
        props: props(n.properties),
    }
}

fn rel(e: falkordb::Edge) -> RRel {
    RRel {
        id: e.entity_id.to_string(),
        rel_type: e.relationship_type,
        start: e.src_node_id.to_string(),
        end: e.dst_node_id.to_string(),
        props: props(e.properties),
    }
}

fn value(v: FalkorValue) -> RValue {
    match v {
        FalkorValue::None => RValue::Null,
        FalkorValue::Bool(b) => RValue::Bool(b),
        FalkorValue::I64(i) => RValue::Int(i),
        FalkorValue::F64(f) => RValue::Float(f),
        FalkorValue::String(s) => RValue::String(s),
        FalkorValue::Array(items) => RValue::List(items.into_iter().map(value).collect()),
        FalkorValue::Map(m) => RValue::Map(props(m)),
        FalkorValue::Node(n) => RValue::Node(node(n)),
        FalkorValue::Edge(e) => RValue::Rel(rel(e)),
        FalkorValue::Path(p) => RValue::Path {
            nodes: p.nodes.into_iter().map(node).collect(),
            rels: p.relationships.into_iter().map(rel).collect(),
        },
        FalkorValue::Unparseable(s) => RValue::Other(s),
        other => RValue::Other(format!("{other:?}")),
    }
}
