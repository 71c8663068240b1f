//! `rolegraph export json`: the whole graph as one JSON document:
//!
//! ```text
//! {"graph": "...", "nodes": [{"id": 0, "labels": [...], "properties": {...}}, ...],
//!  "relationships": [{"id": 0, "type": "...", "start": 0, "end": 1, "properties": {...}}, ...]}
//! ```
//!
//! `id`, `start` and `end` are rolegraph's internal node and relationship
//! numbers (dense, from 0); a node's own `id` property is under
//! `properties`. Floats that JSON cannot hold (NaN, infinities) are written
//! as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.

use serde_json::{Map, Value as Json, json};

use crate::store::{Graph, PropsRef};
use crate::value::Value;

/// A property value as JSON.
pub fn to_json_value(v: &Value) -> Json {
    match v {
        Value::Null | Value::Node(_) | Value::Rel(_) | Value::Path(_) => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Temporal(t) => Json::String(t.to_string()),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map(Json::Number).unwrap_or_else(|| {
            Json::String(
                if f.is_nan() {
                    "NaN"
                } else if *f > 0.0 {
                    "Infinity"
                } else {
                    "-Infinity"
                }
                .into(),
            )
        }),
        Value::String(s) => Json::String(s.to_string()),
        Value::List(items) => Json::Array(items.iter().map(to_json_value).collect()),
        Value::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.to_string(), to_json_value(v))).collect()),
    }
}

fn props(p: PropsRef<'_>) -> Json {
    let mut m = Map::new();
    for (k, v) in p.iter() {
        m.insert(k.to_string(), to_json_value(v));
    }
    Json::Object(m)
}

/// The graph as a JSON value.
pub fn to_json(graph: &Graph) -> Json {
    let nodes: Vec<Json> = graph
        .nodes()
        .map(|n| {
            let node = graph.node(n);
            json!({
                "id": n.index(),
                "labels": node.labels().collect::<Vec<_>>(),
                "properties": props(node.props()),
            })
        })
        .collect();
    let rels: Vec<Json> = graph
        .rels()
        .map(|r| {
            let rel = graph.rel(r);
            json!({
                "id": r.index(),
                "type": rel.rel_type(),
                "start": rel.start().index(),
                "end": rel.end().index(),
                "properties": props(rel.props()),
            })
        })
        .collect();
    json!({ "graph": graph.name(), "nodes": nodes, "relationships": rels })
}

/// The graph as pretty-printed JSON text (with a final newline).
pub fn to_json_text(graph: &Graph) -> String {
    let mut s = serde_json::to_string_pretty(&to_json(graph)).unwrap_or_default();
    s.push('\n');
    s
}
