//! Values as text a person reads: nodes as `(:Label {id: .., name: ..})`,
//! relationships as `[:TYPE]`, strings unquoted at the top of a cell.

use crate::store::Graph;
use crate::value::{Value, format_key, quote_string};

/// A table or CSV cell: a top-level string is shown without quotes.
pub fn cell_text(v: &Value, graph: &Graph) -> String {
    match v {
        Value::String(s) => s.to_string(),
        other => value_text(other, graph),
    }
}

/// A value in Cypher-like literal form, with graph elements made readable.
pub fn value_text(v: &Value, graph: &Graph) -> String {
    match v {
        Value::Node(n) => {
            let node = graph.node(*n);
            let labels: String = node.labels().map(|l| format!(":{}", format_key(l))).collect();
            // Curated data: id and name are what identify a node; other
            // graphs show every property.
            let shown: Vec<String> = if node.key().is_some() {
                ["id", "name"]
                    .iter()
                    .filter_map(|k| node.prop(k).map(|v| format!("{k}: {}", value_text(v, graph))))
                    .collect()
            } else {
                node.props()
                    .iter()
                    .map(|(k, v)| format!("{}: {}", format_key(k), value_text(v, graph)))
                    .collect()
            };
            if shown.is_empty() {
                format!("({labels})")
            } else {
                format!("({labels} {{{}}})", shown.join(", "))
            }
        }
        Value::Rel(r) => {
            let rel = graph.rel(*r);
            let props: Vec<String> = rel
                .props()
                .iter()
                .filter(|(k, _)| &***k != "sources")
                .map(|(k, v)| format!("{}: {}", format_key(k), value_text(v, graph)))
                .collect();
            if props.is_empty() {
                format!("[:{}]", format_key(rel.rel_type()))
            } else {
                format!("[:{} {{{}}}]", format_key(rel.rel_type()), props.join(", "))
            }
        }
        Value::Path(p) => {
            let mut s = value_text(&Value::Node(p.nodes[0]), graph);
            for (i, r) in p.rels.iter().enumerate() {
                let rel = graph.rel(*r);
                let forward = rel.start() == p.nodes[i];
                let t = value_text(&Value::Rel(*r), graph);
                s.push_str(&if forward { format!("-{t}->") } else { format!("<-{t}-") });
                s.push_str(&value_text(&Value::Node(p.nodes[i + 1]), graph));
            }
            s
        }
        Value::List(l) => format!(
            "[{}]",
            l.iter().map(|x| value_text(x, graph)).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, x)| format!("{}: {}", format_key(k), value_text(x, graph)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::String(s) => quote_string(s),
        other => other.to_string(),
    }
}
