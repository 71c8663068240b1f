//! Moving whole graphs: `push` loads a local graph into a server (indexes on
//! `id` first, then the nodes and relationships in batches, as the
//! statements of `export cypher`), `pull` reads a server's graph page by
//! page into a local one that `save` writes as graph-data.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;

use super::reply::RValue;
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

/// Reads the whole server graph, without a sort on the server: nodes by
/// ranges of the server's node ids (which it seeks directly), then the
/// relationships leaving each range of start nodes, with the range widened
/// or narrowed so a page holds about [`PAGE`] rows. The local graph is built
/// in bulk, ends found through an integer map. `progress` hears (elements
/// read, elements in all) after each page.
pub fn pull(remote: &mut Remote, mut progress: impl FnMut(usize, usize)) -> Result<(Graph, Pulled), RemoteError> {
    let started = Instant::now();
    // Integer ids, for ranges (a Bolt element id is text): FalkorDB, Neo4j
    // and Memgraph all have id().
    let f = "id";
    let nodes = count(remote, "MATCH (n) RETURN count(n)")?;
    let rels = count(remote, "MATCH ()-[r]->() RETURN count(r)")?;
    let total = nodes + rels;
    let last = match remote
        .conn
        .query(&format!("MATCH (n) RETURN max({f}(n))"), &[], true)?
        .rows
        .first()
        .and_then(|r| r.first())
    {
        Some(RValue::Int(i)) => Some(*i),
        None | Some(RValue::Null) => None,
        // Paging needs integer ids; a server whose id() is something else
        // (kglite-bolt-server gives the `id` property) would be read as empty.
        Some(other) => {
            return Err(RemoteError::Unsupported {
                address: remote.address().to_string(),
                what: format!("pull from a server whose id() is not an integer (it gave {other:?})"),
            });
        }
    };
    let mut graph = Graph::new(remote.graph_name());
    graph.begin_bulk();
    graph.reserve(nodes, rels);
    let mut local: FxHashMap<i64, NodeId> = FxHashMap::default();
    local.reserve(nodes);
    let mut done = Pulled::default();
    let address = remote.address().to_string();
    let bad = |why: String| RemoteError::Protocol {
        address: address.clone(),
        why,
    };
    progress(0, total);
    let Some(last) = last else {
        graph.end_bulk();
        done.elapsed = started.elapsed();
        return Ok((graph, done));
    };
    // Nodes.
    let mut lo: i64 = 0;
    let width = PAGE as i64;
    while lo <= last {
        let hi = lo.saturating_add(width);
        let t = remote.conn.query(
            &format!("MATCH (n) WHERE {f}(n) >= {lo} AND {f}(n) < {hi} RETURN {f}(n), labels(n), properties(n)"),
            &[],
            true,
        )?;
        done.pages += 1;
        for row in &t.rows {
            let [RValue::Int(id), RValue::List(labels), props] = row.as_slice() else {
                return Err(bad(format!("a node row had the shape {row:?}")));
            };
            let labels: Vec<&str> = labels
                .iter()
                .filter_map(|l| match l {
                    RValue::String(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect();
            let node = graph
                .add_node(&labels, plain_map(props))
                .map_err(|e| RemoteError::Mirror {
                    why: format!("{e} (rolegraph needs each node's id to be unique)"),
                })?;
            local.insert(*id, node);
            done.nodes += 1;
        }
        progress(done.nodes, total.max(done.nodes));
        lo = hi;
    }
    // Relationships, by the ranges of their start nodes.
    let mut width: i64 = if rels == 0 {
        last.saturating_add(1)
    } else {
        ((PAGE as f64 * nodes.max(1) as f64 / rels as f64).ceil() as i64).clamp(1, PAGE as i64 * 100)
    };
    let mut types: HashMap<String, Sym> = HashMap::new();
    let mut lo: i64 = 0;
    while lo <= last {
        let hi = lo.saturating_add(width);
        let t = remote.conn.query(
            &format!(
                "MATCH (a)-[r]->(b) WHERE {f}(a) >= {lo} AND {f}(a) < {hi} RETURN {f}(a), {f}(b), type(r), properties(r)"
            ),
            &[],
            true,
        )?;
        done.pages += 1;
        for row in &t.rows {
            let [RValue::Int(a), RValue::Int(b), RValue::String(ty), props] = row.as_slice() else {
                return Err(bad(format!("a relationship row had the shape {row:?}")));
            };
            let (Some(&start), Some(&end)) = (local.get(a), local.get(b)) else {
                return Err(RemoteError::Mirror {
                    why: "the graph changed while it was pulled (a relationship's end node was not there); pull again"
                        .into(),
                });
            };
            let sym = match types.get(ty.as_str()) {
                Some(s) => *s,
                None => {
                    let s = graph.intern(ty);
                    types.insert(ty.clone(), s);
                    s
                }
            };
            graph
                .push_rel(start, end, sym, Props::from(plain_map(props)))
                .map_err(|e| RemoteError::Mirror { why: e.to_string() })?;
            done.relationships += 1;
        }
        progress(
            done.nodes + done.relationships,
            total.max(done.nodes + done.relationships),
        );
        lo = hi;
        // The next range is sized from this one's yield.
        let n = t.rows.len() as i64;
        width = if n == 0 {
            width.saturating_mul(2)
        } else {
            (width.saturating_mul(PAGE as i64) / n).clamp(1, width.saturating_mul(4))
        }
        .clamp(1, PAGE as i64 * 100);
    }
    graph.end_bulk();
    done.elapsed = started.elapsed();
    Ok((graph, done))
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
