//! `rolegraph export csv --neo4j DIR`: node files per label set and
//! relationship files per type with Neo4j admin-import headers (`id:ID`,
//! `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, typed columns such as
//! `confidence:float` or `sources:string[]`), ready for
//! `neo4j-admin database import full`, and loadable again with
//! `rolegraph --data DIR`. The directory also gets `neo4j-admin-import.sh`
//! with the import command (the loader reads only `*.csv`).
//!
//! What CSV cannot carry: an empty string or an empty list reads back as a
//! missing property; a string inside a list must not contain `;` (the array
//! separator); a column that mixes integers and floats is written as
//! `float`; a column with other mixed types, or maps, is written as `string`
//! holding the value's Cypher literal. Every node needs a string `id`
//! (relationship files refer to nodes by it).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::ExportError;
use crate::store::{Graph, NodeId, PropsRef, RelId};
use crate::value::{Value, format_float};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Scalar {
    Int,
    Float,
    Bool,
    String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ColType {
    One(Scalar),
    List(Scalar),
    /// Mixed: written as text.
    Text,
}

impl ColType {
    fn suffix(self) -> &'static str {
        match self {
            ColType::One(Scalar::Int) => "int",
            ColType::One(Scalar::Float) => "float",
            ColType::One(Scalar::Bool) => "boolean",
            ColType::One(Scalar::String) | ColType::Text => "string",
            ColType::List(Scalar::Int) => "int[]",
            ColType::List(Scalar::Float) => "float[]",
            ColType::List(Scalar::Bool) => "boolean[]",
            ColType::List(Scalar::String) => "string[]",
        }
    }
}

fn scalar_of(v: &Value) -> Option<Scalar> {
    Some(match v {
        Value::Int(_) => Scalar::Int,
        Value::Float(_) => Scalar::Float,
        Value::Bool(_) => Scalar::Bool,
        Value::String(_) => Scalar::String,
        _ => return None,
    })
}

fn join_scalar(a: Option<Scalar>, b: Option<Scalar>) -> Option<Scalar> {
    match (a?, b?) {
        (x, y) if x == y => Some(x),
        (Scalar::Int, Scalar::Float) | (Scalar::Float, Scalar::Int) => Some(Scalar::Float),
        _ => None,
    }
}

fn type_of(v: &Value) -> ColType {
    match v {
        Value::List(items) => {
            let mut t = items.first().and_then(scalar_of).or(Some(Scalar::String));
            for i in items.iter() {
                t = join_scalar(t, scalar_of(i));
            }
            t.map(ColType::List).unwrap_or(ColType::Text)
        }
        v => scalar_of(v).map(ColType::One).unwrap_or(ColType::Text),
    }
}

fn join(a: ColType, b: ColType) -> ColType {
    match (a, b) {
        (ColType::One(x), ColType::One(y)) => join_scalar(Some(x), Some(y)).map(ColType::One).unwrap_or(ColType::Text),
        (ColType::List(x), ColType::List(y)) => join_scalar(Some(x), Some(y))
            .map(ColType::List)
            .unwrap_or(ColType::Text),
        _ => ColType::Text,
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::Float(f) => format_float(*f),
        Value::String(s) => s.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn cell(t: ColType, v: &Value) -> String {
    match (t, v) {
        (ColType::List(_), Value::List(items)) => items.iter().map(scalar_text).collect::<Vec<_>>().join(";"),
        (ColType::Text, Value::String(s)) => s.to_string(),
        (ColType::Text, v) => v.to_string(),
        (_, v) => scalar_text(v),
    }
}

/// Typed property columns for a set of property maps (`skip` left out).
fn columns<'a>(props: impl Iterator<Item = PropsRef<'a>>, skip: &str) -> Vec<(Arc<str>, ColType)> {
    let mut cols: BTreeMap<Arc<str>, ColType> = BTreeMap::new();
    for p in props {
        for (k, v) in p.iter() {
            if &**k == skip || v.is_null() {
                continue;
            }
            let t = type_of(v);
            cols.entry(k.clone()).and_modify(|c| *c = join(*c, t)).or_insert(t);
        }
    }
    cols.into_iter().collect()
}

/// A file-name-safe form of a label or type.
fn file_part(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "_".into() } else { s }
}

fn unique_name(used: &mut Vec<String>, base: String) -> String {
    let mut name = format!("{base}.csv");
    let mut i = 2;
    while used.contains(&name) {
        name = format!("{base}_{i}.csv");
        i += 1;
    }
    used.push(name.clone());
    name
}

/// The files of the export: (file name, contents), node files first.
pub fn to_files(graph: &Graph) -> Result<Vec<(String, Vec<u8>)>, ExportError> {
    let missing = graph.nodes().filter(|n| graph.node(*n).key().is_none()).count();
    if missing > 0 {
        return Err(ExportError::MissingIds { count: missing });
    }
    let mut used = Vec::new();
    let mut files = Vec::new();

    let mut node_groups: BTreeMap<Vec<String>, Vec<NodeId>> = BTreeMap::new();
    for n in graph.nodes() {
        let labels: Vec<String> = graph.node(n).labels().map(String::from).collect();
        node_groups.entry(labels).or_default().push(n);
    }
    for (labels, nodes) in &node_groups {
        let cols = columns(nodes.iter().map(|n| graph.node(*n).props()), "id");
        let mut header = vec!["id:ID".to_string(), ":LABEL".to_string()];
        header.extend(cols.iter().map(|(k, t)| format!("{k}:{}", t.suffix())));
        let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record(&header)?;
        for n in nodes {
            let node = graph.node(*n);
            let mut rec = vec![node.key().unwrap_or("").to_string(), labels.join(";")];
            rec.extend(
                cols.iter()
                    .map(|(k, t)| node.prop(k).map(|v| cell(*t, v)).unwrap_or_default()),
            );
            w.write_record(&rec)?;
        }
        let base = if labels.is_empty() {
            "nodes".to_string()
        } else {
            format!(
                "nodes_{}",
                labels.iter().map(|l| file_part(l)).collect::<Vec<_>>().join("_")
            )
        };
        files.push((
            unique_name(&mut used, base),
            w.into_inner().map_err(|e| ::csv::Error::from(e.into_error()))?,
        ));
    }

    let mut rel_groups: BTreeMap<&str, Vec<RelId>> = BTreeMap::new();
    for r in graph.rels() {
        rel_groups.entry(graph.rel(r).rel_type()).or_default().push(r);
    }
    for (rel_type, rels) in &rel_groups {
        let cols = columns(rels.iter().map(|r| graph.rel(*r).props()), "");
        let mut header = vec![":START_ID".to_string(), ":END_ID".to_string(), ":TYPE".to_string()];
        header.extend(cols.iter().map(|(k, t)| format!("{k}:{}", t.suffix())));
        let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record(&header)?;
        for r in rels {
            let rel = graph.rel(*r);
            let mut rec = vec![
                graph.node(rel.start()).key().unwrap_or("").to_string(),
                graph.node(rel.end()).key().unwrap_or("").to_string(),
                rel_type.to_string(),
            ];
            rec.extend(
                cols.iter()
                    .map(|(k, t)| rel.prop(k).map(|v| cell(*t, v)).unwrap_or_default()),
            );
            w.write_record(&rec)?;
        }
        files.push((
            unique_name(&mut used, format!("rels_{}", file_part(rel_type))),
            w.into_inner().map_err(|e| ::csv::Error::from(e.into_error()))?,
        ));
    }
    Ok(files)
}

/// The `neo4j-admin` command that imports `files` into database `neo4j`.
pub fn import_script(files: &[(String, Vec<u8>)]) -> String {
    let mut s = String::from(
        "#!/bin/sh\n# Import this directory into a new, stopped Neo4j 5 database named neo4j.\n\
         # (Neo4j 4: neo4j-admin import --database=neo4j ...)\ncd \"$(dirname \"$0\")\" || exit 1\n\
         exec neo4j-admin database import full --array-delimiter=';' --overwrite-destination=true \\\n",
    );
    for (name, bytes) in files {
        let kind = if bytes.starts_with(b":START_ID") {
            "relationships"
        } else {
            "nodes"
        };
        s.push_str(&format!("  --{kind}='{name}' \\\n"));
    }
    s.push_str("  neo4j\n");
    s
}

/// Writes the export into `dir` (created if missing), each file atomically.
/// Returns a message for the user.
pub fn write_dir(graph: &Graph, dir: &Path) -> Result<String, ExportError> {
    let files = to_files(graph)?;
    std::fs::create_dir_all(dir).map_err(|source| ExportError::CreateDir {
        dir: dir.to_path_buf(),
        source,
    })?;
    let mut bytes = 0;
    for (name, data) in &files {
        let p = dir.join(name);
        super::write_atomic(&p, data)?;
        bytes += data.len();
    }
    let script = import_script(&files);
    let p = dir.join("neo4j-admin-import.sh");
    super::write_atomic(&p, script.as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755));
    }
    Ok(format!(
        "wrote {} CSV files to {} ({bytes} bytes; {}, {}) and {}",
        files.len(),
        dir.display(),
        crate::save::counted(graph.node_count(), "node", "nodes"),
        crate::save::counted(graph.rel_count(), "relationship", "relationships"),
        p.display()
    ))
}
