//! Moving whole graphs: `push` loads a local graph into a server (indexes on
//! `id` first, then the nodes and relationships in batches, as the
//! statements of `export cypher`), `pull` reads a server's graph page by
//! page into a local one that `save` writes as graph-data.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;

use super::reply::{RValue, Table};
use super::{Remote, RemoteError};
use crate::export::cypher;
use crate::store::{Graph, NodeId, Props, Sym};
use crate::value::{Map, Value};

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pushed {
    pub nodes: usize,
    pub relationships: usize,
    pub indexes: usize,
    pub batches: usize,
    pub elapsed: Duration,
}

/// What a pull read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pulled {
    pub nodes: usize,
    pub relationships: usize,
    pub pages: usize,
    pub elapsed: Duration,
}

/// Rows per page when pulling.
pub const PAGE: usize = 10_000;

/// The batches `push` sends: `export cypher`'s statements, without their
/// comments and final semicolons.
pub fn batches(graph: &Graph) -> Vec<String> {
    cypher::to_cypher(graph)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .map(|l| l.trim_end_matches(';').to_string())
        .collect()
}

/// Loads `graph` into the server's (empty) graph. `progress` hears
/// (batches done, batches in all) after each batch.
pub fn push(remote: &mut Remote, graph: &Graph, mut progress: impl FnMut(usize, usize)) -> Result<Pushed, RemoteError> {
    let started = Instant::now();
    let existing = count(remote, "MATCH (n) RETURN count(n)")?;
    if existing > 0 {
        return Err(RemoteError::Server {
            address: remote.address().to_string(),
            message: format!(
                "graph '{}' already holds {existing} nodes; push loads into an empty graph (pass --replace to delete what is there first)",
                remote.graph_name()
            ),
        });
    }
    let key = if cypher::ids_are_keys(graph) {
        "id"
    } else {
        cypher::TEMP_ID
    };
    let mut done = Pushed::default();
    for (label, _) in graph.label_counts() {
        remote.conn.create_index(label, key)?;
        done.indexes += 1;
    }
    let batches = batches(graph);
    progress(0, batches.len());
    for (i, b) in batches.iter().enumerate() {
        let t = remote.conn.query(b, &[], false)?;
        done.nodes += t.stats.nodes_created;
        done.relationships += t.stats.relationships_created;
        done.batches += 1;
        progress(i + 1, batches.len());
    }
    remote.directory = None;
    done.elapsed = started.elapsed();
    Ok(done)
}

/// Deletes every node and relationship of the server's graph.
pub fn clear(remote: &mut Remote) -> Result<usize, RemoteError> {
    remote.directory = None;
    let t = remote.conn.query("MATCH (n) DETACH DELETE n", &[], false)?;
    Ok(t.stats.nodes_deleted)
}

fn count(remote: &mut Remote, text: &str) -> Result<usize, RemoteError> {
    let t = remote.conn.query(text, &[], true)?;
    match t.rows.first().and_then(|r| r.first()) {
        Some(RValue::Int(n)) => Ok(usize::try_from(*n).unwrap_or(0)),
        _ => Err(RemoteError::Protocol {
            address: remote.address().to_string(),
            why: format!("'{text}' did not return a count"),
        }),
    }
}

/// How the server's nodes are told apart while pulling, found by asking
/// it (never by its name).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Identity {
    /// `id()` gives every node a distinct integer (FalkorDB, Neo4j,
    /// Memgraph): nodes are read by ranges of it, which the server seeks,
    /// and relationships by the ranges of their start nodes; no sort.
    Integer { first: i64, last: i64 },
    /// Otherwise `elementId()` (kglite-bolt-server, whose `id()` is the
    /// `id` property): nodes, then relationships, a page at a time in the
    /// server's order of their element ids, each page starting after the
    /// last id of the one before.
    Element,
}

/// Asks the server which [`Identity`] it offers for `nodes` nodes.
fn identity(remote: &mut Remote, nodes: usize) -> Result<Identity, RemoteError> {
    match remote.conn.query(
        "MATCH (n) RETURN count(DISTINCT id(n)), min(id(n)), max(id(n))",
        &[],
        true,
    ) {
        Ok(t) => {
            if let Some([RValue::Int(distinct), RValue::Int(first), RValue::Int(last)]) =
                t.rows.first().map(Vec::as_slice)
                && usize::try_from(*distinct).is_ok_and(|d| d == nodes)
            {
                return Ok(Identity::Integer {
                    first: *first,
                    last: *last,
                });
            }
        }
        // A server without id() may still have elementId().
        Err(RemoteError::Server { .. }) => {}
        Err(e) => return Err(e),
    }
    let address = remote.address().to_string();
    match remote.conn.query("MATCH (n) RETURN elementId(n) LIMIT 1", &[], true) {
        Ok(t) => match t.rows.first().and_then(|r| r.first()) {
            Some(RValue::String(_) | RValue::Int(_)) => Ok(Identity::Element),
            other => Err(RemoteError::Unsupported {
                address,
                what: format!(
                    "pull from a server whose id() does not tell its nodes apart and whose elementId() gives {other:?}"
                ),
            }),
        },
        Err(RemoteError::Server { message, .. }) => Err(RemoteError::Unsupported {
            address,
            what: format!(
                "pull from a server whose id() does not tell its nodes apart and that has no elementId() ({message})"
            ),
        }),
        Err(e) => Err(e),
    }
}

/// Reads the whole server graph into a local one built in bulk, by the
/// [`Identity`] the server offers; the server's ids are mapped to local
/// nodes as they come. `progress` hears (elements read, elements in all)
/// after each page.
pub fn pull(remote: &mut Remote, mut progress: impl FnMut(usize, usize)) -> Result<(Graph, Pulled), RemoteError> {
    let started = Instant::now();
    let nodes = count(remote, "MATCH (n) RETURN count(n)")?;
    let rels = count(remote, "MATCH ()-[r]->() RETURN count(r)")?;
    let mut reader = Reader {
        graph: Graph::new(remote.graph_name()),
        done: Pulled::default(),
        total: nodes + rels,
        types: HashMap::new(),
        address: remote.address().to_string(),
    };
    reader.graph.begin_bulk();
    reader.graph.reserve(nodes, rels);
    progress(0, reader.total);
    if nodes > 0 {
        match identity(remote, nodes)? {
            Identity::Integer { first, last } => {
                by_ranges(remote, &mut reader, first, last, nodes, rels, &mut progress)?
            }
            Identity::Element => by_element_ids(remote, &mut reader, nodes, &mut progress)?,
        }
    }
    let Reader {
        mut graph, mut done, ..
    } = reader;
    graph.end_bulk();
    done.elapsed = started.elapsed();
    Ok((graph, done))
}

/// The graph a pull builds, and what it has read.
struct Reader {
    graph: Graph,
    done: Pulled,
    total: usize,
    types: HashMap<String, Sym>,
    address: String,
}

impl Reader {
    fn bad(&self, why: String) -> RemoteError {
        RemoteError::Protocol {
            address: self.address.clone(),
            why,
        }
    }

    /// A node from its labels and properties as the server sent them.
    fn node(&mut self, labels: &[RValue], props: &RValue) -> Result<NodeId, RemoteError> {
        let labels: Vec<&str> = labels
            .iter()
            .filter_map(|l| match l {
                RValue::String(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        let node = self
            .graph
            .add_node(&labels, plain_map(props))
            .map_err(|e| RemoteError::Mirror {
                why: format!("{e} (rolegraph needs each node's id to be unique)"),
            })?;
        self.done.nodes += 1;
        Ok(node)
    }

    /// A relationship between two nodes read before (None: one was not,
    /// so the graph changed during the pull).
    fn rel(&mut self, ends: Option<(NodeId, NodeId)>, ty: &str, props: &RValue) -> Result<(), RemoteError> {
        let Some((start, end)) = ends else {
            return Err(RemoteError::Mirror {
                why: "the graph changed while it was pulled (a relationship's end node was not there); pull again"
                    .into(),
            });
        };
        let sym = match self.types.get(ty) {
            Some(s) => *s,
            None => {
                let s = self.graph.intern(ty);
                self.types.insert(ty.to_string(), s);
                s
            }
        };
        let mut props = plain_map(props);
        // A property `type` that repeats the relationship's type (as
        // kglite-bolt-server gives every relationship) says nothing more,
        // and graph-data files keep `type` for the type itself.
        if props.get("type").and_then(Value::as_str) == Some(ty) {
            props.remove("type");
        }
        self.graph
            .push_rel(start, end, sym, Props::from(props))
            .map_err(|e| RemoteError::Mirror { why: e.to_string() })?;
        self.done.relationships += 1;
        Ok(())
    }

    fn read(&self) -> (usize, usize) {
        let n = self.done.nodes + self.done.relationships;
        (n, self.total.max(n))
    }
}

/// [`Identity::Integer`]: nodes by ranges of `id()` from `first` to
/// `last`, then the relationships leaving each range of start nodes, each
/// range widened or narrowed so a page holds about [`PAGE`] rows. Ends are
/// found through an integer map.
#[allow(clippy::too_many_arguments)]
fn by_ranges(
    remote: &mut Remote,
    r: &mut Reader,
    first: i64,
    last: i64,
    nodes: usize,
    rels: usize,
    progress: &mut impl FnMut(usize, usize),
) -> Result<(), RemoteError> {
    let mut local: FxHashMap<i64, NodeId> = FxHashMap::default();
    local.reserve(nodes);
    let page = PAGE as i64;
    let span = last.saturating_sub(first).saturating_add(1);
    // Ranges are sized by the ids' spread (they need not be dense: a
    // server may give its own numbers), then each from the last one's
    // yield; none wider than all the ids.
    let sized = |per: usize| ((PAGE as f64 * span as f64 / per.max(1) as f64).ceil() as i64).clamp(1, span);
    let resize = |width: i64, got: usize| {
        if got == 0 {
            width.saturating_mul(2)
        } else {
            (width.saturating_mul(page) / got as i64).clamp(1, width.saturating_mul(4))
        }
        .clamp(1, span)
    };
    // Nodes.
    let mut width = sized(nodes);
    let mut lo = first;
    while lo <= last {
        let hi = lo.saturating_add(width);
        let t = remote.conn.query(
            &format!("MATCH (n) WHERE id(n) >= {lo} AND id(n) < {hi} RETURN id(n), labels(n), properties(n)"),
            &[],
            true,
        )?;
        r.done.pages += 1;
        for row in &t.rows {
            let [RValue::Int(id), RValue::List(labels), props] = row.as_slice() else {
                return Err(r.bad(format!("a node row had the shape {row:?}")));
            };
            let node = r.node(labels, props)?;
            local.insert(*id, node);
        }
        let (a, b) = r.read();
        progress(a, b);
        if hi == i64::MAX {
            break;
        }
        lo = hi;
        width = resize(width, t.rows.len());
    }
    // Relationships, by the ranges of their start nodes.
    let mut width = sized(rels);
    let mut lo = first;
    while lo <= last && rels > 0 {
        let hi = lo.saturating_add(width);
        let t = remote.conn.query(
            &format!(
                "MATCH (a)-[r]->(b) WHERE id(a) >= {lo} AND id(a) < {hi} RETURN id(a), id(b), type(r), properties(r)"
            ),
            &[],
            true,
        )?;
        r.done.pages += 1;
        for row in &t.rows {
            let [RValue::Int(a), RValue::Int(b), RValue::String(ty), props] = row.as_slice() else {
                return Err(r.bad(format!("a relationship row had the shape {row:?}")));
            };
            let ends = local.get(a).zip(local.get(b)).map(|(a, b)| (*a, *b));
            r.rel(ends, ty, props)?;
        }
        let (a, b) = r.read();
        progress(a, b);
        if hi == i64::MAX {
            break;
        }
        lo = hi;
        width = resize(width, t.rows.len());
    }
    Ok(())
}

/// A server's element id: text (Neo4j, kglite-bolt-server) or a number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Int(i64),
    Text(String),
}

impl Key {
    fn of(v: &RValue) -> Option<Key> {
        match v {
            RValue::Int(i) => Some(Key::Int(*i)),
            RValue::String(s) => Some(Key::Text(s.clone())),
            _ => None,
        }
    }

    fn value(&self) -> Value {
        match self {
            Key::Int(i) => Value::Int(*i),
            Key::Text(s) => Value::str(s),
        }
    }
}

/// [`Identity::Element`]: nodes, then relationships, [`PAGE`] at a time
/// in the order of their `elementId()`, each page the ones after the last
/// id of the page before (the server sorts; nothing is skipped or read
/// twice, as SKIP could). Ends are found through a map of element ids.
fn by_element_ids(
    remote: &mut Remote,
    r: &mut Reader,
    nodes: usize,
    progress: &mut impl FnMut(usize, usize),
) -> Result<(), RemoteError> {
    let mut local: FxHashMap<Key, NodeId> = FxHashMap::default();
    local.reserve(nodes);
    let node_pages = Pages {
        pattern: "MATCH (n)",
        key: "elementId(n)",
        columns: "elementId(n), labels(n), properties(n)",
    };
    node_pages.read(remote, r, progress, |r, row| {
        let [id, RValue::List(labels), props] = row else {
            return Err(r.bad(format!("a node row had the shape {row:?}")));
        };
        let Some(key) = Key::of(id) else {
            return Err(r.bad(format!("a node's elementId() was {id:?}")));
        };
        let node = r.node(labels, props)?;
        local.insert(key, node);
        Ok(())
    })?;
    let rel_pages = Pages {
        pattern: "MATCH (a)-[r]->(b)",
        key: "elementId(r)",
        columns: "elementId(r), elementId(a), elementId(b), type(r), properties(r)",
    };
    rel_pages.read(remote, r, progress, |r, row| {
        let [_, a, b, RValue::String(ty), props] = row else {
            return Err(r.bad(format!("a relationship row had the shape {row:?}")));
        };
        let end = |v: &RValue| Key::of(v).and_then(|k| local.get(&k).copied());
        r.rel(end(a).zip(end(b)), ty, props)
    })
}

/// The rows of `pattern`, a page at a time in the order of `key`.
struct Pages {
    pattern: &'static str,
    key: &'static str,
    columns: &'static str,
}

impl Pages {
    /// Reads every page, handing each row to `each`.
    fn read(
        &self,
        remote: &mut Remote,
        r: &mut Reader,
        progress: &mut impl FnMut(usize, usize),
        mut each: impl FnMut(&mut Reader, &[RValue]) -> Result<(), RemoteError>,
    ) -> Result<(), RemoteError> {
        let mut after: Option<Key> = None;
        loop {
            let (filter, params) = match &after {
                Some(k) => (
                    format!(" WHERE {} > $after", self.key),
                    vec![("after".to_string(), k.value())],
                ),
                None => (String::new(), Vec::new()),
            };
            let t = remote.conn.query(
                &format!(
                    "{}{filter} RETURN {} ORDER BY {} LIMIT {PAGE}",
                    self.pattern, self.columns, self.key
                ),
                &params,
                true,
            )?;
            r.done.pages += 1;
            for row in &t.rows {
                each(r, row)?;
            }
            let (a, b) = r.read();
            progress(a, b);
            match next(r, &t, after)? {
                Some(k) => after = Some(k),
                None => return Ok(()),
            }
        }
    }
}

/// Where the page after `t` starts: None when `t` was the last. A full
/// page whose last key is not past `after` means the server does not
/// order or compare its element ids, and the pull stops rather than loop.
fn next(r: &Reader, t: &Table, after: Option<Key>) -> Result<Option<Key>, RemoteError> {
    if t.rows.len() < PAGE {
        return Ok(None);
    }
    let last = t.rows.last().and_then(|row| row.first()).and_then(Key::of);
    match last {
        Some(k) if Some(&k) != after.as_ref() => Ok(Some(k)),
        _ => Err(r.bad("a page of elements ordered by elementId() did not move past the page before".into())),
    }
}

/// A property map as the server sent it, as a local one (nulls dropped).
fn plain_map(v: &RValue) -> Map {
    let mut m = Map::new();
    if let RValue::Map(entries) = v {
        for (k, v) in entries {
            let v = plain(v);
            if !v.is_null() {
                m.insert(Arc::from(k.as_str()), v);
            }
        }
    }
    m
}

/// A property value (never a node, relationship or path).
fn plain(v: &RValue) -> Value {
    match v {
        RValue::Null => Value::Null,
        RValue::Bool(b) => Value::Bool(*b),
        RValue::Int(i) => Value::Int(*i),
        RValue::Float(f) => Value::Float(*f),
        RValue::String(s) | RValue::Other(s) => Value::str(s),
        RValue::List(items) => Value::list(items.iter().map(plain).collect()),
        RValue::Map(_) => Value::map(plain_map(v)),
        RValue::Node(n) => Value::str(&n.id),
        RValue::Rel(r) => Value::str(&r.id),
        RValue::Path { .. } => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    //! `pull` against a server in memory that answers the statements pull
    //! sends, so both ways of paging run without a real server: integer
    //! ids, sparse and negative, and element ids that are text (sorted as
    //! text, as kglite-bolt-server's are).
    use super::*;
    use crate::remote::address::Address;
    use crate::remote::{Connection, SchemaLists};

    struct Fake {
        address: Address,
        /// (id(n) when it is a distinct integer, elementId(n), the `id`
        /// property), all of label Role
        nodes: Vec<(Option<i64>, String, String)>,
        /// (elementId(r), start, end) of type REPORTS_TO, the ends indexes
        /// into `nodes`
        rels: Vec<(String, usize, usize)>,
    }

    fn int(n: usize) -> RValue {
        RValue::Int(n as i64)
    }

    fn table(rows: Vec<Vec<RValue>>) -> Table {
        Table {
            rows,
            ..Table::default()
        }
    }

    impl Fake {
        fn ids(&self) -> Vec<i64> {
            self.nodes.iter().filter_map(|n| n.0).collect()
        }

        fn node_row(&self, i: usize, first: RValue) -> Vec<RValue> {
            let (_, _, key) = &self.nodes[i];
            vec![
                first,
                RValue::List(vec![RValue::String("Role".into())]),
                RValue::Map(vec![("id".into(), RValue::String(key.clone()))]),
            ]
        }

        fn after<'a>(&self, params: &'a [(String, Value)]) -> Option<&'a str> {
            params.iter().find(|(k, _)| k == "after").and_then(|(_, v)| match v {
                Value::String(s) => Some(&**s),
                _ => None,
            })
        }
    }

    /// `lo` and `hi` of `... >= lo AND ... < hi`.
    fn range(text: &str) -> (i64, i64) {
        let num = |after: &str| -> i64 {
            let at = text.find(after).unwrap() + after.len();
            let rest = &text[at..];
            let end = rest
                .find(|c: char| c != '-' && !c.is_ascii_digit())
                .unwrap_or(rest.len());
            rest[..end].parse().unwrap()
        };
        (num(">= "), num("< "))
    }

    impl Connection for Fake {
        fn address(&self) -> &Address {
            &self.address
        }
        fn ping(&mut self) -> Result<(), RemoteError> {
            Ok(())
        }
        fn set_timeout(&mut self, _: Option<Duration>) {}
        fn explain(&mut self, _: &str, _: &[(String, Value)]) -> Result<Vec<String>, RemoteError> {
            unreachable!()
        }
        fn labels(&mut self) -> Result<SchemaLists, RemoteError> {
            unreachable!()
        }
        fn create_index(&mut self, _: &str, _: &str) -> Result<(), RemoteError> {
            unreachable!()
        }
        fn query(&mut self, text: &str, params: &[(String, Value)], _: bool) -> Result<Table, RemoteError> {
            let ids = self.ids();
            Ok(match text {
                "MATCH (n) RETURN count(n)" => table(vec![vec![int(self.nodes.len())]]),
                "MATCH ()-[r]->() RETURN count(r)" => table(vec![vec![int(self.rels.len())]]),
                "MATCH (n) RETURN count(DISTINCT id(n)), min(id(n)), max(id(n))" => {
                    if ids.len() == self.nodes.len() {
                        let (lo, hi) = (ids.iter().min().unwrap(), ids.iter().max().unwrap());
                        table(vec![vec![int(ids.len()), RValue::Int(*lo), RValue::Int(*hi)]])
                    } else {
                        // As kglite: id() is the `id` property.
                        let s = |k: &String| RValue::String(k.clone());
                        let keys: Vec<&String> = self.nodes.iter().map(|n| &n.2).collect();
                        let (lo, hi) = (keys.iter().min().unwrap(), keys.iter().max().unwrap());
                        table(vec![vec![int(keys.len()), s(lo), s(hi)]])
                    }
                }
                "MATCH (n) RETURN elementId(n) LIMIT 1" => table(vec![vec![RValue::String(self.nodes[0].1.clone())]]),
                t if t.starts_with("MATCH (n) WHERE id(n) >= ") => {
                    let (lo, hi) = range(t);
                    let rows = (0..self.nodes.len())
                        .filter(|&i| self.nodes[i].0.is_some_and(|id| id >= lo && id < hi))
                        .map(|i| self.node_row(i, RValue::Int(self.nodes[i].0.unwrap())))
                        .collect();
                    table(rows)
                }
                t if t.starts_with("MATCH (a)-[r]->(b) WHERE id(a) >= ") => {
                    let (lo, hi) = range(t);
                    let id = |i: usize| self.nodes[i].0.unwrap();
                    let rows = self
                        .rels
                        .iter()
                        .filter(|r| id(r.1) >= lo && id(r.1) < hi)
                        .map(|r| {
                            vec![
                                RValue::Int(id(r.1)),
                                RValue::Int(id(r.2)),
                                RValue::String("REPORTS_TO".into()),
                                RValue::Map(vec![]),
                            ]
                        })
                        .collect();
                    table(rows)
                }
                t if t.starts_with("MATCH (n)") && t.ends_with(&format!("ORDER BY elementId(n) LIMIT {PAGE}")) => {
                    let mut order: Vec<usize> = (0..self.nodes.len())
                        .filter(|&i| self.after(params).is_none_or(|a| self.nodes[i].1.as_str() > a))
                        .collect();
                    order.sort_by(|&a, &b| self.nodes[a].1.cmp(&self.nodes[b].1));
                    order.truncate(PAGE);
                    table(
                        order
                            .into_iter()
                            .map(|i| self.node_row(i, RValue::String(self.nodes[i].1.clone())))
                            .collect(),
                    )
                }
                t if t.starts_with("MATCH (a)-[r]->(b)")
                    && t.ends_with(&format!("ORDER BY elementId(r) LIMIT {PAGE}")) =>
                {
                    let mut rels: Vec<&(String, usize, usize)> = self
                        .rels
                        .iter()
                        .filter(|r| self.after(params).is_none_or(|a| r.0.as_str() > a))
                        .collect();
                    rels.sort_by(|a, b| a.0.cmp(&b.0));
                    rels.truncate(PAGE);
                    let eid = |i: usize| RValue::String(self.nodes[i].1.clone());
                    table(
                        rels.into_iter()
                            .map(|r| {
                                vec![
                                    RValue::String(r.0.clone()),
                                    eid(r.1),
                                    eid(r.2),
                                    RValue::String("REPORTS_TO".into()),
                                    // As kglite-bolt-server: the type again.
                                    RValue::Map(vec![("type".into(), RValue::String("REPORTS_TO".into()))]),
                                ]
                            })
                            .collect(),
                    )
                }
                other => panic!("the fake server was sent {other}"),
            })
        }
    }

    /// `n` nodes, each reporting to the one before, as `fake` names them.
    fn org(n: usize, int_id: impl Fn(usize) -> Option<i64>) -> Fake {
        Fake {
            address: Address::parse("bolt://127.0.0.1:7687").unwrap(),
            // Element ids as decimal text: "10" sorts before "9".
            nodes: (0..n).map(|i| (int_id(i), i.to_string(), format!("r{i}"))).collect(),
            rels: (1..n).map(|i| (format!("{}", i * 7), i, i - 1)).collect(),
        }
    }

    fn pulled(fake: Fake) -> (Graph, Pulled) {
        let mut remote = Remote {
            conn: Box::new(fake),
            directory: None,
        };
        pull(&mut remote, |_, _| {}).unwrap()
    }

    /// Every node `r{i}` reports to `r{i-1}` and to no one else.
    fn check(g: &Graph, n: usize) {
        assert_eq!(g.node_count(), n);
        assert_eq!(g.rel_count(), n - 1);
        for r in g.rels() {
            let r = g.rel(r);
            let key = |x: NodeId| {
                g.node(x)
                    .key()
                    .unwrap()
                    .trim_start_matches('r')
                    .parse::<usize>()
                    .unwrap()
            };
            assert_eq!(key(r.start()), key(r.end()) + 1);
            assert!(r.prop("type").is_none());
        }
    }

    #[test]
    fn a_server_whose_id_is_not_a_distinct_integer_is_read_by_element_ids() {
        let n = 2 * PAGE + 345;
        let (g, p) = pulled(org(n, |_| None));
        check(&g, n);
        assert_eq!((p.nodes, p.relationships), (n, n - 1));
        // Three pages of nodes, three of relationships.
        assert_eq!(p.pages, 6);
    }

    #[test]
    fn integer_ids_are_read_by_ranges_even_when_sparse_and_negative() {
        let n = 2 * PAGE + 345;
        let (g, p) = pulled(org(n, |i| Some(i as i64 * 1_000 - 5_000_000)));
        check(&g, n);
        assert_eq!((p.nodes, p.relationships), (n, n - 1));
        // Ranges sized from the ids' spread: a handful of pages, not one
        // per thousand ids.
        assert!(p.pages < 20, "{} pages", p.pages);
    }

    #[test]
    fn an_empty_server_graph_is_pulled_as_an_empty_graph() {
        let (g, p) = pulled(org(0, |_| None));
        assert_eq!((g.node_count(), g.rel_count(), p.pages), (0, 0, 0));
    }
}
