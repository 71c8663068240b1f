//! JSON output: one array of objects keyed by column (or one object per
//! line). Nodes are `{id, labels, properties}`, relationships
//! `{type, start, end, properties}`, paths `{nodes, relationships}`.

use serde_json::{Map as JsonMap, Value as Json, json};

use crate::eval::Rows;
use crate::store::{Graph, NodeId};
use crate::value::Value;

pub fn render(rows: &Rows, graph: &Graph) -> String {
    let mut s = serde_json::to_string_pretty(&Json::Array(row_objects(rows, graph))).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// One object per line; with `statement`, each line says which statement
/// of a script it comes from (its first key).
pub fn render_lines(rows: &Rows, graph: &Graph, statement: Option<usize>) -> String {
    let mut s = String::new();
    for obj in row_objects(rows, graph) {
        let obj = match (statement, obj) {
            (Some(i), Json::Object(fields)) => {
                let mut tagged = JsonMap::new();
                tagged.insert("statement".into(), json!(i));
                tagged.extend(fields);
                Json::Object(tagged)
            }
            (_, other) => other,
        };
        s.push_str(&obj.to_string());
        s.push('\n');
    }
    s
}

/// The result's rows as objects keyed by column, its header rows first and
/// its footer rows last.
pub fn row_objects(rows: &Rows, graph: &Graph) -> Vec<Json> {
    rows.header_rows
        .iter()
        .chain(&rows.rows)
        .chain(&rows.footer_rows)
        .map(|r| row_object(&rows.columns, r, graph))
        .collect()
}

/// One statement of a script, as an element of the document `--format
/// json` prints for several statements: `{statement, text, columns, rows,
/// warnings}` (`statement` counts from 1).
pub fn statement_object(index: usize, text: &str, rows: &Rows, graph: &Graph, warnings: Vec<Json>) -> Json {
    json!({
        "statement": index,
        "text": text,
        "columns": rows.columns,
        "rows": row_objects(rows, graph),
        "warnings": warnings,
    })
}

fn row_object(columns: &[String], row: &[Value], graph: &Graph) -> Json {
    let mut m = JsonMap::new();
    for (c, v) in columns.iter().zip(row) {
        m.insert(c.clone(), value_json(v, graph));
    }
    Json::Object(m)
}

fn node_ref(n: NodeId, graph: &Graph) -> Json {
    match graph.node(n).key() {
        Some(k) => json!(k),
        None => json!(n.index()),
    }
}

pub fn value_json(v: &Value, graph: &Graph) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) if f.is_finite() => json!(f),
        Value::Float(f) => json!(crate::value::format_float(*f)),
        Value::String(s) => json!(&**s),
        // ISO 8601 text, as openCypher prints temporal values.
        Value::Temporal(t) => json!(t.to_string()),
        Value::List(l) => Json::Array(l.iter().map(|x| value_json(x, graph)).collect()),
        Value::Map(m) => Json::Object(m.iter().map(|(k, x)| (k.to_string(), value_json(x, graph))).collect()),
        Value::Node(n) => {
            let node = graph.node(*n);
            json!({
                "id": node_ref(*n, graph),
                "labels": node.labels().collect::<Vec<_>>(),
                "properties": value_json(&Value::map(node.props().to_map()), graph),
            })
        }
        Value::Rel(r) => {
            let rel = graph.rel(*r);
            json!({
                "type": rel.rel_type(),
                "start": node_ref(rel.start(), graph),
                "end": node_ref(rel.end(), graph),
                "properties": value_json(&Value::map(rel.props().to_map()), graph),
            })
        }
        Value::Path(p) => json!({
            "nodes": p.nodes.iter().map(|n| value_json(&Value::Node(*n), graph)).collect::<Vec<_>>(),
            "relationships": p.rels.iter().map(|r| value_json(&Value::Rel(*r), graph)).collect::<Vec<_>>(),
        }),
    }
}
