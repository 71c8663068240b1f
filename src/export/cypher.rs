//! `rolegraph export cypher`: the whole graph as an openCypher script that
//! Neo4j's cypher-shell, Memgraph and FalkorDB run as is (no APOC, no
//! engine-specific syntax, one statement a line, each ending in `;`).
//!
//! Nodes are created per label set in batches of [`BATCH`]:
//!
//! ```text
//! UNWIND [{id: 'cto', name: 'CTO'}, ...] AS row CREATE (n:Role) SET n = row;
//! ```
//!
//! then relationships per (type, start label, end label), matched by an
//! identifying property:
//!
//! ```text
//! UNWIND [{s: 'cto', e: 'cio', p: {...}}, ...] AS row
//!   MATCH (a:Role {id: row.s}), (b:Role {id: row.e}) CREATE (a)-[r:LEADS]->(b) SET r = row.p;
//! ```
//!
//! The identifying property is the node's own `id` when every node has a
//! string `id` (rolegraph keeps those unique, and every graph loaded from
//! files has them). Otherwise each node gets a temporary integer `_rg_id`,
//! which the script's last statement removes again.

use std::collections::BTreeMap;

use crate::store::{Graph, NodeId};
use crate::value::{Value, format_float, format_key, quote_string};

/// Rows per `UNWIND` statement.
pub const BATCH: usize = 1000;

/// The temporary identifying property used when some node has no string `id`.
pub const TEMP_ID: &str = "_rg_id";

/// Appends `v` as a Cypher literal. Non-finite floats become expressions
/// (`0.0/0.0` is NaN); graph elements, which properties never hold, become null.
pub fn literal(v: &Value, out: &mut String) {
    match v {
        Value::Null | Value::Node(_) | Value::Rel(_) | Value::Path(_) => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) if f.is_nan() => out.push_str("(0.0/0.0)"),
        Value::Float(f) if f.is_infinite() => out.push_str(if *f > 0.0 { "(1.0/0.0)" } else { "(-1.0/0.0)" }),
        Value::Float(f) => out.push_str(&format_float(*f)),
        Value::String(s) => out.push_str(&quote_string(s)),
        // `date('2015-07-21')`: the function reads its own printed form back.
        Value::Temporal(t) => {
            out.push_str(t.constructor());
            out.push('(');
            out.push_str(&quote_string(&t.to_string()));
            out.push(')');
        }
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                literal(item, out);
            }
            out.push(']');
        }
        Value::Map(m) => map_literal(m.iter().map(|(k, v)| (&**k, v)), out),
    }
}

fn map_literal<'a>(entries: impl Iterator<Item = (&'a str, &'a Value)>, out: &mut String) {
    out.push('{');
    let mut first = true;
    for (k, v) in entries {
        if v.is_null() {
            continue;
        }
        if !first {
            out.push_str(", ");
        }
        first = false;
        out.push_str(&format_key(k));
        out.push_str(": ");
        literal(v, out);
    }
    out.push('}');
}

/// `:A:B` for a node's labels (empty for none).
fn label_text<'a>(labels: impl Iterator<Item = &'a str>) -> String {
    labels.map(|l| format!(":{}", format_key(l))).collect()
}

/// True when every node has a string `id` (unique by the store's rule).
pub fn ids_are_keys(graph: &Graph) -> bool {
    graph.nodes().all(|n| graph.node(n).key().is_some())
}

/// The whole graph as a Cypher script.
pub fn to_cypher(graph: &Graph) -> String {
    let by_id = ids_are_keys(graph);
    let mut out = String::new();
    out.push_str(&format!(
        "// rolegraph export of graph {}: {}, {}.\n",
        quote_string(graph.name()),
        crate::save::counted(graph.node_count(), "node", "nodes"),
        crate::save::counted(graph.rel_count(), "relationship", "relationships")
    ));
    out.push_str("// openCypher for Neo4j (cypher-shell), Memgraph and FalkorDB; run it on an empty graph.\n");
    if by_id {
        out.push_str("// Relationships find their nodes by the nodes' `id` property. On a large graph,\n");
        out.push_str(
            "// first index it for every label, e.g. (Neo4j 5, FalkorDB) CREATE INDEX FOR (n:Label) ON (n.id)\n",
        );
        out.push_str("// or (Memgraph) CREATE INDEX ON :Label(id).\n");
    } else {
        out.push_str(&format!(
            "// Some nodes have no string `id`, so every node gets a temporary `{TEMP_ID}` property\n"
        ));
        out.push_str("// that relationships are matched by; the last statement removes it.\n");
    }

    // Nodes, grouped by label set in first-seen order.
    let mut groups: Vec<(String, Vec<NodeId>)> = Vec::new();
    let mut group_of: BTreeMap<String, usize> = BTreeMap::new();
    for n in graph.nodes() {
        let labels = label_text(graph.node(n).labels());
        let i = *group_of.entry(labels.clone()).or_insert_with(|| {
            groups.push((labels, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(n);
    }
    for (labels, nodes) in &groups {
        for chunk in nodes.chunks(BATCH) {
            out.push_str("UNWIND [");
            for (i, n) in chunk.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let node = graph.node(*n);
                let temp = Value::Int(n.index() as i64);
                let entries = node.props().iter().map(|(k, v)| (&**k, v));
                if by_id {
                    map_literal(entries, &mut out);
                } else {
                    map_literal(std::iter::once((TEMP_ID, &temp)).chain(entries), &mut out);
                }
            }
            out.push_str(&format!("] AS row CREATE (n{labels}) SET n = row;\n"));
        }
    }

    // Relationships, grouped by (type, start label, end label).
    let key_prop = if by_id { "id" } else { TEMP_ID };
    let first_label = |n: NodeId| {
        graph
            .node(n)
            .labels()
            .next()
            .map(|l| format!(":{}", format_key(l)))
            .unwrap_or_default()
    };
    let ident = |n: NodeId, out: &mut String| {
        if by_id {
            out.push_str(&quote_string(graph.node(n).key().unwrap_or("")));
        } else {
            out.push_str(&n.index().to_string());
        }
    };
    let mut rgroups: Vec<((String, String, String), Vec<crate::store::RelId>)> = Vec::new();
    let mut rgroup_of: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for r in graph.rels() {
        let rel = graph.rel(r);
        let key = (
            format_key(rel.rel_type()),
            first_label(rel.start()),
            first_label(rel.end()),
        );
        let i = *rgroup_of.entry(key.clone()).or_insert_with(|| {
            rgroups.push((key, Vec::new()));
            rgroups.len() - 1
        });
        rgroups[i].1.push(r);
    }
    for ((rel_type, a_label, b_label), rels) in &rgroups {
        for chunk in rels.chunks(BATCH) {
            let with_props = chunk.iter().any(|r| !graph.rel(*r).props().is_empty());
            out.push_str("UNWIND [");
            for (i, r) in chunk.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let rel = graph.rel(*r);
                out.push_str("{s: ");
                ident(rel.start(), &mut out);
                out.push_str(", e: ");
                ident(rel.end(), &mut out);
                if with_props {
                    out.push_str(", p: ");
                    map_literal(rel.props().iter().map(|(k, v)| (&**k, v)), &mut out);
                }
                out.push('}');
            }
            out.push_str(&format!(
                "] AS row MATCH (a{a_label} {{{key_prop}: row.s}}), (b{b_label} {{{key_prop}: row.e}}) \
                 CREATE (a)-[r:{rel_type}]->(b){};\n",
                if with_props { " SET r = row.p" } else { "" }
            ));
        }
    }
    if !by_id && graph.node_count() > 0 {
        out.push_str(&format!(
            "MATCH (n) WHERE n.{TEMP_ID} IS NOT NULL SET n.{TEMP_ID} = null;\n"
        ));
    }
    // The graph's named indexes, last: each is built once, over every node.
    for ix in graph.index_list() {
        let d = &ix.def;
        out.push_str(&format!(
            "CREATE INDEX {} IF NOT EXISTS FOR (n:{}) ON (n.{});\n",
            crate::syntax::print::index_name(&d.name),
            crate::value::format_key(&d.label),
            crate::value::format_key(&d.key)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;
    use std::sync::Arc;

    #[test]
    fn literals() {
        let mut s = String::new();
        literal(
            &Value::list(vec![
                Value::str("it's \\ here\n"),
                Value::Float(1.0),
                Value::Float(f64::NAN),
                Value::Int(-3),
                Value::Bool(true),
            ]),
            &mut s,
        );
        assert_eq!(s, r"['it\'s \\ here\n', 1.0, (0.0/0.0), -3, true]");
    }

    #[test]
    fn temp_ids_when_a_node_has_no_id() {
        let mut g = Graph::new("t");
        let mut m = Map::new();
        m.insert(Arc::from("odd key"), Value::Int(1));
        let a = g.add_node(&["My Label"], m).unwrap();
        let b = g.add_node(&["B"], Map::new()).unwrap();
        g.add_rel(a, b, "REL TYPE", Map::new()).unwrap();
        let s = to_cypher(&g);
        assert!(
            s.contains("UNWIND [{_rg_id: 0, `odd key`: 1}] AS row CREATE (n:`My Label`) SET n = row;"),
            "{s}"
        );
        assert!(
            s.contains("MATCH (a:`My Label` {_rg_id: row.s}), (b:B {_rg_id: row.e}) CREATE (a)-[r:`REL TYPE`]->(b);"),
            "{s}"
        );
        assert!(s.ends_with("SET n._rg_id = null;\n"), "{s}");
    }
}
