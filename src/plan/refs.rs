//! Resolves the node references of DESCRIBE, OVERLAP, DIFF, PATH and MATRIX: an id,
//! a name or an alias, case-insensitive; an ambiguous alias lists every
//! candidate, an unknown one suggests the closest.

use crate::diag::closest;
use crate::error::{Code, QueryError};
use crate::store::{Graph, NodeId};
use crate::syntax::ast::NodeRefText;

pub fn resolve(graph: &Graph, r: &NodeRefText) -> Result<NodeId, QueryError> {
    let text = r.text.trim();
    if let Some(id) = graph.node_by_key(text) {
        return Ok(id);
    }
    let lower = text.to_lowercase();
    if let Some(id) = graph.node_by_key(&lower) {
        return Ok(id);
    }
    // A name typed with spaces or in another case often matches an id.
    let as_id: String = lower.split_whitespace().collect::<Vec<_>>().join("-");
    if let Some(id) = graph.node_by_key(&as_id) {
        return Ok(id);
    }
    let mut found: Vec<NodeId> = graph.nodes_by_alias(text).to_vec();
    for n in graph.nodes_by_name(text) {
        if !found.contains(&n) {
            found.push(n);
        }
    }
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(unknown(graph, r)),
        many => {
            let mut list: Vec<String> = many
                .iter()
                .map(|n| {
                    let node = graph.node(*n);
                    format!("{} ({})", node.key().unwrap_or("?"), node.display_name())
                })
                .collect();
            list.sort();
            Err(QueryError::compile(
                Code::AmbiguousReference,
                format!("'{}' is ambiguous: {}", r.text, list.join(", ")),
                r.span,
            )
            .with_help(Some("name one of them by id or full name".into())))
        }
    }
}

/// Resolves a list of references that must name different nodes
/// (OVERLAP, MATRIX): a second reference to a node already listed is an
/// error at that reference.
pub fn resolve_distinct(graph: &Graph, rs: &[NodeRefText]) -> Result<Vec<NodeId>, QueryError> {
    let mut nodes = Vec::with_capacity(rs.len());
    for r in rs {
        let n = resolve(graph, r)?;
        if nodes.contains(&n) {
            return Err(QueryError::compile(
                Code::DuplicateReference,
                format!("'{}' names a node already listed", r.text),
                r.span,
            ));
        }
        nodes.push(n);
    }
    Ok(nodes)
}

fn unknown(graph: &Graph, r: &NodeRefText) -> QueryError {
    let keys = graph.keys().collect::<Vec<_>>();
    let aliases: Vec<&str> = graph.aliases().map(|(a, _)| a).collect();
    let best = closest(&r.text, keys.iter().copied().chain(aliases.iter().copied()));
    let help = best.map(|b| {
        let resolved = graph
            .node_by_key(b)
            .or_else(|| graph.nodes_by_alias(b).first().copied())
            .map(|n| graph.node(n));
        match resolved {
            Some(n) if n.key() != Some(b) => format!("did you mean '{}' ({})?", n.key().unwrap_or(b), n.display_name()),
            _ => format!("did you mean '{b}'?"),
        }
    });
    QueryError::compile(
        Code::UnknownReference,
        format!("no node has the id, name or alias '{}'", r.text),
        r.span,
    )
    .with_help(help)
}
