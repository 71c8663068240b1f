//! JSON output: one array of objects keyed by column (or one object per
//! line). Nodes are `{id, labels, properties}`, relationships
//! `{type, start, end, properties}`, paths `{nodes, relationships}`.

use serde_json::{Map as JsonMap, Value as Json, json};

use crate::eval::Rows;
use crate::store::{Graph, NodeId};
use crate::value::Value;

pub fn render(rows: &Rows, graph: &Graph) -> String {
    let arr: Vec<Json> = rows.rows.iter().map(|r| row_object(&rows.columns, r, graph)).collect();
    let mut s = serde_json::to_string_pretty(&Json::Array(arr)).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

pub fn render_lines(rows: &Rows, graph: &Graph) -> String {
    let mut s = String::new();
    for r in &rows.rows {
        s.push_str(&row_object(&rows.columns, r, graph).to_string());
        s.push('\n');
    }
    s
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
