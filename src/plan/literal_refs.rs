//! A warning for a literal compared to `id` or `name` that matches no node
//! while it is another node's alias, name or id (`{name: 'CIO'}`, `WHERE
//! r.id = 'cto'`). Cypher's semantics stay (the query returns nothing); the
//! warning gives the spelling that finds the node. It looks at every
//! equality and `IN` list comparing an `id` or `name` property with string
//! literals, and at every `{id: ..}` / `{name: ..}` in a pattern that
//! matches (not one that creates).

use crate::diag::{Diagnostic, Span};
use crate::store::{Graph, NodeId};
use crate::syntax::ast::{
    BinaryOp, Clause, Expr, ExprKind, Literal, NodePattern, PatternPart, SetItem, Statement, StatementKind,
};
use crate::value::Value;

pub fn check(stmt: &Statement, graph: &Graph, out: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    match &stmt.kind {
        StatementKind::Query(q) => {
            for part in &q.parts {
                for clause in &part.clauses {
                    clause_literals(clause, &mut found);
                }
            }
        }
        StatementKind::Explain(inner) | StatementKind::Profile(inner) => return check(inner, graph, out),
        _ => return,
    }
    for (key, text, span) in found {
        if let Some(d) = warning(graph, key, &text, span)
            && !out.contains(&d)
        {
            out.push(d);
        }
    }
}

type Found = Vec<(&'static str, String, Span)>;

fn clause_literals(clause: &Clause, found: &mut Found) {
    match clause {
        Clause::Match(m) => {
            for p in &m.patterns {
                pattern_literals(p, found);
            }
            if let Some(w) = &m.where_ {
                expr_literals(w, found);
            }
        }
        Clause::Unwind(u) => expr_literals(&u.expr, found),
        Clause::With(p) | Clause::Return(p) => {
            for item in &p.items {
                expr_literals(&item.expr, found);
            }
            if let Some(w) = &p.where_ {
                expr_literals(w, found);
            }
        }
        // A pattern that creates (or merges, creating when nothing
        // matches) says what the new node is called.
        Clause::Create(_) | Clause::Merge(_) => {}
        Clause::Set(s) => {
            for item in &s.items {
                match item {
                    SetItem::Property { target, value, .. } => {
                        expr_literals(target, found);
                        expr_literals(value, found);
                    }
                    SetItem::Replace { value, .. } | SetItem::Merge { value, .. } => expr_literals(value, found),
                    SetItem::Labels { .. } => {}
                }
            }
        }
        Clause::Remove(_) => {}
        Clause::Delete(d) => {
            for e in &d.exprs {
                expr_literals(e, found);
            }
        }
    }
}

fn pattern_literals(p: &PatternPart, found: &mut Found) {
    node_literals(&p.start, found);
    for (rel, node) in &p.chain {
        if let Some(props) = &rel.props {
            expr_literals(props, found);
        }
        node_literals(node, found);
    }
}

fn node_literals(n: &NodePattern, found: &mut Found) {
    if let Some(Expr {
        kind: ExprKind::Map(entries),
        ..
    }) = &n.props
    {
        for (k, v) in entries {
            if let (Some(key), ExprKind::Literal(Literal::String(s))) = (ref_key(&k.name), &v.kind) {
                found.push((key, s.clone(), v.span));
            }
        }
    }
}

/// `id` and `name`, the properties a node is looked up by.
fn ref_key(key: &str) -> Option<&'static str> {
    match key {
        "id" => Some("id"),
        "name" => Some("name"),
        _ => None,
    }
}

fn property_key(e: &Expr) -> Option<&'static str> {
    match &e.kind {
        ExprKind::Property(_, k) => ref_key(&k.name),
        _ => None,
    }
}

fn expr_literals(e: &Expr, found: &mut Found) {
    match &e.kind {
        ExprKind::Binary(BinaryOp::Eq, a, b) => {
            for (prop, lit) in [(a, b), (b, a)] {
                if let (Some(key), ExprKind::Literal(Literal::String(s))) = (property_key(prop), &lit.kind) {
                    found.push((key, s.clone(), lit.span));
                }
            }
        }
        ExprKind::Binary(BinaryOp::In, a, b) => {
            if let (Some(key), ExprKind::List(items)) = (property_key(a), &b.kind) {
                for item in items {
                    if let ExprKind::Literal(Literal::String(s)) = &item.kind {
                        found.push((key, s.clone(), item.span));
                    }
                }
            }
        }
        ExprKind::PatternPredicate(p) => pattern_literals(p, found),
        ExprKind::PatternComprehension { pattern, .. } => pattern_literals(pattern, found),
        _ => {}
    }
    for child in super::walk::children(e) {
        expr_literals(child, found);
    }
}

/// The warning for `key = text`, when no node has it and others answer to it.
fn warning(graph: &Graph, key: &str, text: &str, span: Span) -> Option<Diagnostic> {
    let exact = match key {
        "id" => graph.node_by_key(text).is_some(),
        _ => graph
            .nodes_by_name(text)
            .into_iter()
            .any(|n| graph.node(n).prop("name").and_then(Value::as_str) == Some(text)),
    };
    if exact {
        return None;
    }
    // Every node the text names another way: an id in another case or
    // with spaces, an alias, a name in another case.
    let mut hits: Vec<(NodeId, &'static str)> = Vec::new();
    let lower = text.trim().to_lowercase();
    let as_id: String = lower.split_whitespace().collect::<Vec<_>>().join("-");
    for candidate in [lower.as_str(), as_id.as_str()] {
        if let Some(n) = graph.node_by_key(candidate) {
            hits.push((n, "a spelling of the id"));
        }
    }
    for n in graph.nodes_by_alias(text) {
        hits.push((*n, "an alias"));
    }
    for n in graph.nodes_by_name(text) {
        hits.push((n, "the name, in another case,"));
    }
    let mut seen = Vec::new();
    hits.retain(|(n, _)| {
        let new = !seen.contains(n);
        seen.push(*n);
        new
    });
    // What the node is called by the key the query compares.
    let spelled = |n: NodeId| -> Option<String> {
        let node = graph.node(n);
        match key {
            "id" => node.key().map(str::to_string),
            _ => node.prop("name").and_then(Value::as_str).map(str::to_string),
        }
    };
    let hits: Vec<(String, &str, String)> = hits
        .into_iter()
        .filter_map(|(n, how)| Some((spelled(n)?, how, graph.node(n).display_name())))
        .filter(|(right, _, _)| right != text)
        .collect();
    if hits.is_empty() {
        return None;
    }
    let described: Vec<String> = hits
        .iter()
        .map(|(right, how, name)| {
            if key == "id" {
                format!("{how} of '{right}' ({name})")
            } else {
                format!("{how} of '{right}'")
            }
        })
        .collect();
    let rights: Vec<String> = hits.iter().map(|(r, _, _)| format!("'{r}'")).collect();
    Some(
        Diagnostic::warning(
            format!(
                "no node has the {key} '{text}', so it matches nothing; '{text}' is {}",
                described.join(" and ")
            ),
            Some(span),
        )
        .with_help(Some(format!(
            "compare {key} with {} (DESCRIBE, OVERLAP, DIFF and PATH take aliases too)",
            rights.join(" or ")
        ))),
    )
}
