//! Moving whole graphs: `push` loads a local graph into a server (indexes on
//! `id` first, then the nodes and relationships in batches, as the
//! statements of `export cypher`), `pull` reads a server's graph page by
//! page into a local one that `save` writes as graph-data.

use std::time::{Duration, Instant};

use super::mirror::Mirror;
use super::reply::{RValue, Table};
use super::{Remote, RemoteError};
use crate::export::cypher;
use crate::store::Graph;

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

/// Reads the whole server graph. `progress` hears (elements read, elements
/// in all) after each page.
pub fn pull(remote: &mut Remote, mut progress: impl FnMut(usize, usize)) -> Result<(Graph, Pulled), RemoteError> {
    let started = Instant::now();
    let f = remote.conn.id_function();
    let total = count(remote, "MATCH (n) RETURN count(n)")? + count(remote, "MATCH ()-[r]->() RETURN count(r)")?;
    let mut mirror = Mirror::new(&remote.graph_name());
    let mut done = Pulled::default();
    progress(0, total);
    for (pattern, var) in [("(n)", "n"), ("()-[r]->()", "r")] {
        let mut after: Option<i64> = None;
        loop {
            let from = after.map(|a| format!("WHERE {f}({var}) > {a} ")).unwrap_or_default();
            let t: Table = remote.conn.query(
                &format!("MATCH {pattern} {from}RETURN {f}({var}), {var} ORDER BY {f}({var}) LIMIT {PAGE}"),
                &[],
                true,
            )?;
            done.pages += 1;
            let n = t.rows.len();
            for row in &t.rows {
                if let Some(RValue::Int(i)) = row.first() {
                    after = Some(after.map_or(*i, |a| a.max(*i)));
                }
                match row.get(1) {
                    Some(RValue::Node(node)) => {
                        mirror.node(node)?;
                        done.nodes += 1;
                    }
                    Some(RValue::Rel(rel)) => {
                        mirror.rel(rel)?;
                        done.relationships += 1;
                    }
                    _ => {}
                }
            }
            progress(
                done.nodes + done.relationships,
                total.max(done.nodes + done.relationships),
            );
            if n < PAGE || after.is_none() {
                break;
            }
        }
    }
    done.elapsed = started.elapsed();
    Ok((mirror.graph, done))
}
