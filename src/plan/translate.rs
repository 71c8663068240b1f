//! TRANSLATE: the plain openCypher that does what one of rolegraph's own
//! statements does, with node references resolved to ids, so the question
//! can be asked of Neo4j, Memgraph or FalkorDB after an export. A query in
//! the openCypher subset translates to itself.

use super::refs;
use crate::error::{ErrorClass, QueryError};
use crate::store::{Graph, NodeId};
use crate::syntax::ast::{NodeRefText, Statement, StatementKind};
use crate::value::quote_string;

/// The statements, in order, that stand for `stmt`.
pub fn translate(graph: &Graph, stmt: &Statement) -> Result<Vec<String>, QueryError> {
    // Each ends in ';' so the column pastes as a script.
    Ok(statements(graph, stmt)?.into_iter().map(|s| s + ";").collect())
}

fn statements(graph: &Graph, stmt: &Statement) -> Result<Vec<String>, QueryError> {
    Ok(match &stmt.kind {
        StatementKind::Query(_) => vec![stmt.to_string()],
        StatementKind::Describe(r) => describe(&id_of(graph, r)?),
        StatementKind::Overlap { refs, types, .. } => {
            let ids = refs.iter().map(|r| id_of(graph, r)).collect::<Result<Vec<_>, _>>()?;
            let types: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
            overlap(&ids, &types)
        }
        StatementKind::Diff { a, b, types, .. } => {
            let types: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
            diff(&id_of(graph, a)?, &id_of(graph, b)?, &types)
        }
        StatementKind::Path { from, to, via, all } => {
            let via: Vec<&str> = via.iter().map(|t| t.name.as_str()).collect();
            vec![path(&id_of(graph, from)?, &id_of(graph, to)?, &via, *all)]
        }
        StatementKind::Explain(_) | StatementKind::Profile(_) | StatementKind::Translate(_) => {
            return Err(QueryError::compile(
                ErrorClass::SemanticError,
                "UntranslatableStatement",
                "TRANSLATE takes a query or DESCRIBE, OVERLAP, DIFF or PATH",
                stmt.span,
            ));
        }
    })
}

/// The node's `id`, quoted as a Cypher string.
fn id_of(graph: &Graph, r: &NodeRefText) -> Result<String, QueryError> {
    let n: NodeId = refs::resolve(graph, r)?;
    match graph.node(n).key() {
        Some(k) => Ok(quote_string(k)),
        None => Err(QueryError::compile(
            ErrorClass::SemanticError,
            "UntranslatableStatement",
            format!("'{}' has no id property that another engine could find it by", r.text),
            r.span,
        )),
    }
}

fn describe(id: &str) -> Vec<String> {
    vec![
        format!("MATCH (n {{id: {id}}}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS properties"),
        format!(
            "MATCH (n {{id: {id}}})-[r]->(m) RETURN 'out' AS direction, type(r) AS type, m.id AS id, m.name AS name, r.sources AS sources, r.confidence AS confidence \
             UNION ALL MATCH (n {{id: {id}}})<-[r]-(m) RETURN 'in' AS direction, type(r) AS type, m.id AS id, m.name AS name, r.sources AS sources, r.confidence AS confidence"
        ),
    ]
}

/// `type(r) IN [...]` when OVERLAP names types.
fn type_filter(var: &str, types: &[&str]) -> String {
    if types.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = types.iter().map(|t| quote_string(t)).collect();
        format!(" AND type({var}) IN [{}]", list.join(", "))
    }
}

/// The region every node reaches, then each node's own part.
fn overlap(ids: &[String], types: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let matches: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| format!("(n{i} {{id: {id}}})-[r{i}]->(x)"))
        .collect();
    let same_type: Vec<String> = (1..ids.len()).map(|i| format!("type(r{i}) = type(r0)")).collect();
    let mut where_ = same_type.join(" AND ");
    where_.push_str(&type_filter("r0", types));
    let where_ = where_.trim_start_matches(" AND ").to_string();
    let reached: Vec<String> = (0..ids.len()).map(|i| format!("n{i}.id")).collect();
    let sources: Vec<String> = (0..ids.len()).map(|i| format!("r{i}.sources")).collect();
    out.push(format!(
        "MATCH {} WHERE {where_} RETURN 'all' AS region, type(r0) AS type, x.id AS id, x.name AS name, [{}] AS reached_by, [{}] AS sources ORDER BY type, name",
        matches.join(", "),
        reached.join(", "),
        sources.join(", ")
    ));
    for (i, id) in ids.iter().enumerate() {
        let others: Vec<String> = ids
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, o)| o.clone())
            .collect();
        out.push(format!(
            "MATCH (a {{id: {id}}})-[r]->(x) WHERE NOT type(r) IN [(o)-[s]->(x) WHERE o.id IN [{}] | type(s)]{} \
             RETURN 'only ' + a.id AS region, type(r) AS type, x.id AS id, x.name AS name, r.sources AS sources ORDER BY type, name",
            others.join(", "),
            type_filter("r", types)
        ));
    }
    out
}

fn diff(a: &str, b: &str, types: &[&str]) -> Vec<String> {
    let only = |x: &str, y: &str| {
        let filter = type_filter("r", types);
        format!(
            "MATCH (a {{id: {x}}}), (b {{id: {y}}}) MATCH (a)-[r]->(t) WHERE NOT type(r) IN [(b)-[s]->(t) | type(s)]{filter} \
             RETURN 'only' AS section, type(r) AS type, t.id AS id, t.name AS name, a.id AS side, r.sources AS sources ORDER BY type, name"
        )
    };
    let mut out = vec![only(a, b), only(b, a)];
    if !types.is_empty() && !types.contains(&"FOCUSES_ON") {
        return out;
    }
    out.push(format!(
            "MATCH (a {{id: {a}}})-[ra:FOCUSES_ON]->(p), (b {{id: {b}}})-[rb:FOCUSES_ON]->(q) WHERE p.dimension = q.dimension AND p <> q \
             RETURN 'opposite' AS section, p.dimension AS dimension, p.name AS a_pole, ra.sources AS a_sources, q.name AS b_pole, rb.sources AS b_sources ORDER BY dimension"
    ));
    out
}

/// Shortest paths in any direction, by a bounded search every engine runs.
fn path(from: &str, to: &str, via: &[&str], all: bool) -> String {
    let types = if via.is_empty() {
        String::new()
    } else {
        format!(":{}", via.join("|"))
    };
    let keep = if all { "" } else { "[..1]" };
    format!(
        "MATCH p = (a {{id: {from}}})-[{types}*1..8]-(b {{id: {to}}}) WITH length(p) AS hops, collect(p) AS paths ORDER BY hops LIMIT 1 \
         UNWIND paths{keep} AS p RETURN hops, [n IN nodes(p) | n.id] AS ids, [r IN relationships(p) | type(r)] AS types, [r IN relationships(p) | r.sources] AS sources"
    )
}
