//! TRANSLATE: the plain openCypher that does what one of rolegraph's own
//! statements does, with node references resolved to ids, so the question
//! can be asked of Neo4j, Memgraph or FalkorDB after an export. A query in
//! the openCypher subset translates to itself.

use super::refs;
use crate::error::{Code, QueryError};
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
        StatementKind::Query(_)
        | StatementKind::CreateIndex(_)
        | StatementKind::DropIndex { .. }
        | StatementKind::ShowIndexes => vec![stmt.to_string()],
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
        StatementKind::Matrix { refs, types } => {
            let nodes = refs::resolve_distinct(graph, refs)?;
            let ids = refs.iter().map(|r| id_of(graph, r)).collect::<Result<Vec<_>, _>>()?;
            let types: Vec<&str> = if types.is_empty() {
                vec![super::matrix::DEFAULT_TYPE]
            } else {
                types.iter().map(|t| t.name.as_str()).collect()
            };
            matrix(&ids, &types, &super::matrix::column_names(graph, &nodes))
        }
        StatementKind::Path { from, to, via, all } => {
            let via: Vec<&str> = via.iter().map(|t| t.name.as_str()).collect();
            vec![path(&id_of(graph, from)?, &id_of(graph, to)?, &via, *all)]
        }
        StatementKind::Explain(_) | StatementKind::Profile(_) | StatementKind::Translate(_) => {
            return Err(QueryError::compile(
                Code::UntranslatableStatement,
                "TRANSLATE takes a query or DESCRIBE, OVERLAP, DIFF, PATH or MATRIX",
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
            Code::UntranslatableStatement,
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

/// The matrix, the counts per node, and the items several nodes reach.
/// Each starts from the same match: every relationship of the types from
/// one of the nodes, or to it for the types that are undirected in meaning.
fn matrix(ids: &[String], types: &[&str], columns: &[String]) -> Vec<String> {
    let list = |items: &[String]| format!("[{}]", items.join(", "));
    let quoted_types: Vec<String> = types.iter().map(|t| quote_string(t)).collect();
    let undirected: Vec<String> = crate::eval::domain::UNDIRECTED
        .iter()
        .map(|t| quote_string(t))
        .collect();
    let reach = format!(
        "MATCH (n)-[r]-(x) WHERE n.id IN {} AND type(r) IN {} AND (startNode(r) = n OR type(r) IN {})",
        list(ids),
        list(&quoted_types),
        list(&undirected)
    );
    let mark = quote_string(crate::eval::domain::matrix::MARK);
    let mark_space = quote_string(&format!("{} ", crate::eval::domain::matrix::MARK));
    // Per item, per node: one cell (the confidence only when every
    // relationship behind the claim states one) and the sources, each once.
    let position = format!("[i IN range(0, {}) WHERE {}[i] = node][0]", ids.len() - 1, list(ids));
    let cells: Vec<String> = ids
        .iter()
        .zip(columns)
        .map(|(id, col)| {
            format!(
                "coalesce([i IN range(0, size(nodes) - 1) WHERE nodes[i] = {id} | cells[i]][0], '') AS {}",
                crate::syntax::variable_name(col)
            )
        })
        .collect();
    // Sources are flattened by UNWIND (a relationship without any still
    // keeps its row), then collected once each.
    let table = format!(
        "{reach} \
         WITH type(r) AS type, x, n.id AS node, count(r) AS rels, collect(r.confidence) AS confidences, collect(r.sources) AS sources \
         WITH type, x, node, CASE WHEN size(confidences) = rels THEN {mark_space} + confidences[0] ELSE {mark} END AS cell, sources \
         ORDER BY type, x.name, {position} \
         WITH type, x, collect(node) AS nodes, collect(cell) AS cells, collect(sources) AS sources \
         UNWIND sources AS of_node UNWIND of_node AS of_rel \
         UNWIND CASE WHEN size(coalesce(of_rel, [])) = 0 THEN [null] ELSE of_rel END AS source \
         WITH type, x, nodes, cells, collect(DISTINCT source) AS sources \
         RETURN type, x.id AS id, x.name AS name, {}, sources, size(nodes) > 1 AS overlap \
         ORDER BY type, name, id",
        cells.join(", ")
    );
    let counts = format!(
        "{reach} WITH type(r) AS type, x, collect(DISTINCT n.id) AS nodes WITH collect(nodes) AS items \
         UNWIND {} AS id \
         RETURN id, size([i IN items WHERE id IN i AND size(i) = 1]) AS alone, size([i IN items WHERE id IN i AND size(i) > 1]) AS shared, \
         size([i IN items WHERE id IN i]) AS `in all`",
        list(ids)
    );
    let shared = format!(
        "{reach} WITH type(r) AS type, x, collect(DISTINCT n.id) AS nodes WHERE size(nodes) > 1 \
         RETURN type, x.id AS id, x.name AS name, nodes AS reached_by ORDER BY type, name, id"
    );
    vec![table, counts, shared]
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
