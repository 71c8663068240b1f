//! DESCRIBE, OVERLAP, DIFF, PATH and MATRIX on a server: their references are
//! resolved against a directory of the server's nodes (ids, names, aliases)
//! by the same rules as locally, so ambiguity and did-you-mean behave the
//! same; then the nodes and relationships the statement looks at are
//! fetched into a [`Mirror`], where the local evaluator answers it.
//!
//! DESCRIBE, OVERLAP, DIFF and MATRIX look one hop around their nodes. PATH is a
//! breadth-first search run one layer per query from the start node until
//! the layer holding the end node is complete, which contains every
//! shortest path between them.

use std::collections::HashSet;

use super::mirror::Mirror;
use super::reply::{ElementId, RNode, RRel, RValue, Table};
use super::{Remote, RemoteError};
use crate::error::QueryError;
use crate::plan::refs;
use crate::store::{Graph, NodeId};
use crate::syntax::ast::{NodeRefText, Statement, StatementKind};
use crate::value::{Map, Value, quote_string};

/// The server's nodes by id, name and alias, for resolving references.
pub struct Directory {
    graph: Graph,
    /// Element id of each directory node, by its index.
    element: Vec<ElementId>,
}

/// Nodes asked for per query while walking a PATH's layers.
const LAYER_BATCH: usize = 5000;

/// The statement with its references replaced by the ids they resolve to,
/// and the part of the server's graph it needs.
pub fn fetch(remote: &mut Remote, stmt: &Statement, text: &str) -> Result<(Statement, Mirror), QueryError> {
    let _ = text;
    let mut stmt = stmt.clone();
    let mut mirror = Mirror::new(&remote.graph_name());
    let span = Some(stmt.span);
    let err = |e: RemoteError| e.into_query_error(span);
    // The statement that does the work, under EXPLAIN, PROFILE, TRANSLATE.
    let mut core = &mut stmt;
    let mut translate = false;
    loop {
        match core.kind {
            StatementKind::Explain(ref mut inner) | StatementKind::Profile(ref mut inner) => core = inner,
            StatementKind::Translate(ref mut inner) => {
                translate = true;
                core = inner;
            }
            _ => break,
        }
    }
    let refs_of: Vec<&mut NodeRefText> = match &mut core.kind {
        StatementKind::Describe(r) => vec![r],
        StatementKind::Overlap { refs, .. } | StatementKind::Matrix { refs, .. } => refs.iter_mut().collect(),
        StatementKind::Diff { a, b, .. } => vec![a, b],
        StatementKind::Path { from, to, .. } => vec![from, to],
        _ => vec![],
    };
    if refs_of.is_empty() {
        return Ok((stmt.clone(), mirror));
    }
    if remote.directory.is_none() {
        remote.directory = Some(directory(remote).map_err(err)?);
    }
    let Some(dir) = remote.directory.as_ref() else {
        return Ok((stmt.clone(), mirror));
    };
    let mut found: Vec<ElementId> = Vec::new();
    for r in refs_of {
        let n: NodeId = refs::resolve(&dir.graph, r)?;
        found.push(dir.element[n.index()].clone());
        if let Some(key) = dir.graph.node(n).key() {
            // Resolved once, against the whole graph: the mirror holds only
            // part of it, where a name might resolve differently.
            r.text = key.to_string();
        }
    }
    let via: Option<Vec<String>> = match &core.kind {
        StatementKind::Path { via, .. } => Some(via.iter().map(|t| t.name.clone()).collect()),
        _ => None,
    };
    let f = remote.conn.id_function();
    let found_list = found
        .iter()
        .map(|i| remote.conn.element_literal(i))
        .collect::<Vec<_>>()
        .join(", ");
    let table = if translate {
        remote
            .conn
            .query(
                &format!("MATCH (n) WHERE {f}(n) IN [{}] RETURN n", found_list),
                &[],
                true,
            )
            .map_err(err)?
    } else if let Some(via) = via {
        path_region(remote, &found[0], &found[1], &via).map_err(err)?
    } else {
        remote
            .conn
            .query(
                &format!(
                    "MATCH (n) WHERE {f}(n) IN [{}] OPTIONAL MATCH (n)-[r]-(m) RETURN n, r, m",
                    found_list
                ),
                &[],
                true,
            )
            .map_err(err)?
    };
    fill(&mut mirror, &table).map_err(err)?;
    Ok((stmt, mirror))
}

/// FalkorDB's integer ids as numbers, other element ids as strings.
pub(super) fn element_literal(id: &str) -> String {
    match id.parse::<i64>() {
        Ok(n) => n.to_string(),
        Err(_) => quote_string(id),
    }
}

/// Adds the table's nodes and relationships in the server's id order (the
/// order they were created in, as on a local graph loaded from the same
/// data), so ties in the local evaluator's orderings fall the same way.
fn fill(mirror: &mut Mirror, table: &Table) -> Result<(), RemoteError> {
    let mut nodes: Vec<&RNode> = Vec::new();
    let mut rels: Vec<&RRel> = Vec::new();
    for row in &table.rows {
        for v in row {
            match v {
                RValue::Node(n) => nodes.push(n),
                RValue::Rel(r) => rels.push(r),
                _ => {}
            }
        }
    }
    let order = |id: &str| (id.parse::<i64>().unwrap_or(i64::MAX), id.to_string());
    nodes.sort_by_cached_key(|n| order(&n.id));
    rels.sort_by_cached_key(|r| order(&r.id));
    for n in nodes {
        mirror.node(n)?;
    }
    for r in rels {
        if mirror.has_node(&r.start) && mirror.has_node(&r.end) {
            mirror.rel(r)?;
        }
    }
    Ok(())
}

/// Every node's element id, id, name, aliases and labels.
fn directory(remote: &mut Remote) -> Result<Directory, RemoteError> {
    let f = remote.conn.id_function();
    let table = remote.conn.query(
        &format!("MATCH (n) RETURN {f}(n), labels(n), n.id, n.name, n.aliases"),
        &[],
        true,
    )?;
    let mut graph = Graph::new("directory");
    let mut element = Vec::with_capacity(table.rows.len());
    let mut rows: Vec<&Vec<RValue>> = table.rows.iter().collect();
    let order = |v: &RValue| match v {
        RValue::Int(i) => (*i, String::new()),
        RValue::String(s) => (i64::MAX, s.clone()),
        _ => (i64::MAX, String::new()),
    };
    rows.sort_by_cached_key(|r| order(&r[0]));
    let mut scratch = Mirror::new("directory");
    for row in rows {
        let [eid, labels, id, name, aliases] = row.as_slice() else {
            continue;
        };
        let labels: Vec<String> = match labels {
            RValue::List(l) => l
                .iter()
                .filter_map(|x| match x {
                    RValue::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => vec![],
        };
        let mut props = Map::new();
        for (k, v) in [("id", id), ("name", name), ("aliases", aliases)] {
            let v = scratch.value(v)?;
            if !v.is_null() {
                props.insert(k.into(), v);
            }
        }
        // An id that is not a string is no key locally either.
        if !matches!(props.get("id"), Some(Value::String(_))) {
            props.remove("id");
        }
        graph.add_node(&labels, props).map_err(|e| RemoteError::Mirror {
            why: format!("{e} (rolegraph needs each node's id to be unique)"),
        })?;
        element.push(match eid {
            RValue::Int(i) => i.to_string(),
            RValue::String(s) => s.clone(),
            other => format!("{other:?}"),
        });
    }
    Ok(Directory { graph, element })
}

/// The nodes within the distance of `to` from `from` (following `via`
/// types, either direction) and the relationships between them.
fn path_region(remote: &mut Remote, from: &str, to: &str, via: &[String]) -> Result<Table, RemoteError> {
    let f = remote.conn.id_function();
    let types = if via.is_empty() {
        String::new()
    } else {
        format!(
            ":{}",
            via.iter()
                .map(|t| crate::value::format_key(t))
                .collect::<Vec<_>>()
                .join("|")
        )
    };
    let mut all = remote.conn.query(
        &format!(
            "MATCH (n) WHERE {f}(n) IN [{}] RETURN n",
            remote.conn.element_literal(from)
        ),
        &[],
        true,
    )?;
    let mut seen: HashSet<ElementId> = HashSet::from([from.to_string()]);
    let mut frontier: Vec<ElementId> = vec![from.to_string()];
    while !frontier.is_empty() && !seen.contains(to) {
        let mut next = Vec::new();
        for chunk in frontier.chunks(LAYER_BATCH) {
            let list: Vec<String> = chunk.iter().map(|i| remote.conn.element_literal(i)).collect();
            let t = remote.conn.query(
                &format!(
                    "MATCH (n)-[r{types}]-(m) WHERE {f}(n) IN [{}] RETURN r, m",
                    list.join(", ")
                ),
                &[],
                true,
            )?;
            for row in &t.rows {
                if let Some(RValue::Node(m)) = row.get(1)
                    && seen.insert(m.id.clone())
                {
                    next.push(m.id.clone());
                }
            }
            all.rows.extend(t.rows);
        }
        frontier = next;
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_ids_print_as_numbers_or_strings() {
        assert_eq!(element_literal("42"), "42");
        assert_eq!(element_literal("4:ab:1"), "'4:ab:1'");
    }
}
