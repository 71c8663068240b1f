//! `rolegraph export graphml`: the whole graph as GraphML for Gephi, yEd,
//! networkx (`networkx.read_graphml`) and other tools.
//!
//! Every property key is declared once per domain (`for="node"` or
//! `for="edge"`) with a type: `long`, `double`, `boolean` or `string`; a
//! key whose values mix integers and floats is `double`; lists, maps and
//! other mixtures are `string` holding JSON text. A node's labels are the
//! `labels` attribute (`:A:B`, as Neo4j's tools write them), a
//! relationship's type the `type` attribute (and yEd's edge `label`, the
//! same text). Node ids are `n0`, `n1`, ... (rolegraph's internal numbers);
//! edge ids `e0`, `e1`, .... Text is XML-escaped; a character XML 1.0
//! cannot hold (NUL, most C0 controls, U+FFFE, U+FFFF) is written visibly
//! as `\xNN` or `\u{fffe}`, and the export warns naming the node.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

use crate::render::exact::{self, Holds};
use crate::store::{Graph, PropsRef};
use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq)]
enum KeyType {
    Long,
    Double,
    Boolean,
    String,
}

impl KeyType {
    fn name(self) -> &'static str {
        match self {
            KeyType::Long => "long",
            KeyType::Double => "double",
            KeyType::Boolean => "boolean",
            KeyType::String => "string",
        }
    }
}

fn type_of(v: &Value) -> KeyType {
    match v {
        Value::Int(_) => KeyType::Long,
        Value::Float(_) => KeyType::Double,
        Value::Bool(_) => KeyType::Boolean,
        _ => KeyType::String,
    }
}

fn join(a: KeyType, b: KeyType) -> KeyType {
    match (a, b) {
        (x, y) if x == y => x,
        (KeyType::Long, KeyType::Double) | (KeyType::Double, KeyType::Long) => KeyType::Double,
        _ => KeyType::String,
    }
}

/// Escapes text for XML element content and attribute values. A character
/// XML 1.0 cannot hold at all is written visibly (see [`exact`]).
pub fn xml_escape(s: &str) -> String {
    exact::escaped(
        s,
        Holds::Xml,
        |out, c| match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        },
        |out, v| out.push_str(v),
    )
}

fn text(t: KeyType, v: &Value) -> String {
    match (t, v) {
        (_, Value::String(s)) => s.to_string(),
        (KeyType::Double, Value::Int(i)) => format!("{}", *i as f64),
        (_, Value::Float(f)) if f.is_nan() => "NaN".into(),
        (_, Value::Float(f)) if f.is_infinite() => if *f > 0.0 { "INF" } else { "-INF" }.into(),
        (_, Value::Float(f)) => format!("{f:?}"),
        (_, Value::Int(i)) => i.to_string(),
        (_, Value::Bool(b)) => b.to_string(),
        (_, v) => super::json::to_json_value(v).to_string(),
    }
}

struct Keys {
    /// (property, type, key id)
    list: Vec<(Arc<str>, KeyType, String)>,
}

fn keys<'a>(props: impl Iterator<Item = PropsRef<'a>>, prefix: &str, reserved: &str) -> Keys {
    let mut found: BTreeMap<Arc<str>, KeyType> = BTreeMap::new();
    for p in props {
        for (k, v) in p.iter() {
            if v.is_null() {
                continue;
            }
            let t = type_of(v);
            found.entry(k.clone()).and_modify(|c| *c = join(*c, t)).or_insert(t);
        }
    }
    Keys {
        list: found
            .into_iter()
            .filter(|(k, _)| &**k != reserved)
            .enumerate()
            .map(|(i, (k, t))| (k, t, format!("{prefix}{i}")))
            .collect(),
    }
}

fn data(out: &mut String, keys: &Keys, p: PropsRef<'_>) {
    for (k, t, id) in &keys.list {
        if let Some(v) = p.get(k).filter(|v| !v.is_null()) {
            let _ = write!(out, "<data key=\"{id}\">{}</data>", xml_escape(&text(*t, v)));
        }
    }
}

/// The graph as GraphML text.
pub fn to_graphml(graph: &Graph) -> String {
    let nkeys = keys(graph.nodes().map(|n| graph.node(n).props()), "dn", "labels");
    let ekeys = keys(graph.rels().map(|r| graph.rel(r).props()), "de", "type");
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    out.push_str("  <key id=\"labels\" for=\"node\" attr.name=\"labels\" attr.type=\"string\"/>\n");
    for (k, t, id) in &nkeys.list {
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"node\" attr.name=\"{}\" attr.type=\"{}\"/>",
            xml_escape(k),
            t.name()
        );
    }
    out.push_str("  <key id=\"type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n");
    out.push_str("  <key id=\"label\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>\n");
    for (k, t, id) in &ekeys.list {
        if &**k == "label" {
            continue;
        }
        let _ = writeln!(
            out,
            "  <key id=\"{id}\" for=\"edge\" attr.name=\"{}\" attr.type=\"{}\"/>",
            xml_escape(k),
            t.name()
        );
    }
    let _ = writeln!(
        out,
        "  <graph id=\"{}\" edgedefault=\"directed\">",
        xml_escape(graph.name())
    );
    for n in graph.nodes() {
        let node = graph.node(n);
        let labels: String = node.labels().map(|l| format!(":{l}")).collect();
        let _ = write!(
            out,
            "    <node id=\"n{}\"><data key=\"labels\">{}</data>",
            n.index(),
            xml_escape(&labels)
        );
        data(&mut out, &nkeys, node.props());
        out.push_str("</node>\n");
    }
    let ekeys = Keys {
        list: ekeys.list.into_iter().filter(|(k, _, _)| &**k != "label").collect(),
    };
    for r in graph.rels() {
        let rel = graph.rel(r);
        let t = xml_escape(rel.rel_type());
        let _ = write!(
            out,
            "    <edge id=\"e{}\" source=\"n{}\" target=\"n{}\"><data key=\"type\">{t}</data><data key=\"label\">{t}</data>",
            r.index(),
            rel.start().index(),
            rel.end().index()
        );
        data(&mut out, &ekeys, rel.props());
        out.push_str("</edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}
