//! DESCRIBE: a node with its properties and every relationship, each with
//! its sources and confidence. The node's facts are the title a person
//! reads above the table, and the same facts as leading rows (`direction`
//! `node`, `type` the property, `name` its value) for the formats that
//! carry no title, so JSON and CSV lose nothing.

use crate::eval::Rows;
use crate::store::{Direction, Graph, NodeId};
use crate::value::Value;

pub const COLUMNS: [&str; 6] = ["direction", "type", "id", "name", "sources", "confidence"];

pub fn describe(graph: &Graph, id: NodeId) -> Rows {
    let node = graph.node(id);
    let mut title = format!("{} ({})", node.display_name(), node.key().unwrap_or("-"));
    let labels: Vec<&str> = node.labels().collect();
    if !labels.is_empty() {
        title.push_str(&format!(" :{}", labels.join(":")));
    }
    let key = node.key().map(Value::str).unwrap_or(Value::Null);
    let node_sources = node.prop("sources").cloned().unwrap_or(Value::Null);
    let node_confidence = node.prop("confidence").cloned().unwrap_or(Value::Null);
    let fact = |what: &str, value: Value| {
        vec![
            Value::str("node"),
            Value::str(what),
            key.clone(),
            value,
            node_sources.clone(),
            node_confidence.clone(),
        ]
    };
    let mut header_rows = vec![
        fact("name", Value::from(node.display_name())),
        fact("labels", Value::list(labels.iter().map(|l| Value::str(l)).collect())),
    ];
    for (k, v) in node.props() {
        if matches!(&**k, "id" | "name") {
            continue;
        }
        title.push_str(&format!("\n  {k}: {}", plain(v)));
        if !matches!(&**k, "sources" | "confidence") {
            header_rows.push(fact(k, v.clone()));
        }
    }
    let mut rows = Vec::new();
    for (dir, label) in [(Direction::Outgoing, "out"), (Direction::Incoming, "in")] {
        for adj in graph.neighbours(id, dir, None) {
            let rel = graph.rel(adj.rel);
            let other = graph.node(adj.other);
            rows.push(vec![
                Value::str(label),
                Value::str(rel.rel_type()),
                other.key().map(Value::str).unwrap_or(Value::Null),
                Value::from(other.display_name()),
                rel.prop("sources").cloned().unwrap_or(Value::Null),
                rel.prop("confidence").cloned().unwrap_or(Value::Null),
            ]);
        }
    }
    // Grouped by direction and type, then by name.
    rows.sort_by(|a, b| {
        b[0].total_cmp(&a[0])
            .then_with(|| a[1].total_cmp(&b[1]))
            .then_with(|| a[3].total_cmp(&b[3]))
    });
    Rows {
        columns: COLUMNS.map(String::from).to_vec(),
        rows,
        title: Some(title),
        header_rows,
        ..Rows::default()
    }
}

/// A value as plain text (strings unquoted, lists comma-separated).
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::List(l) => l.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}
