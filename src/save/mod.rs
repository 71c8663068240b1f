//! Writes a graph back as graph-data TOML, the format `load` reads, so that
//! loading the directory gives the same graph. The files are replaced as a
//! whole (`atomic`): after a crash the directory holds the old graph or the
//! new one, never a mixture.
//!
//! Layout: `nodes.toml` (a `[saved]` table, a `[schema]` table declaring
//! the labels and types beyond SCHEMA.md's, the named indexes as `[[index]]`
//! tables, then every node) and
//! `rels.toml` (every relationship). The `[saved]` table marks a snapshot:
//! the loader checks its structure (unique ids, existing endpoints, known
//! labels) but not the curation rules meant for hand-written data (sources,
//! id style, endpoint labels, one relationship per triple), because CREATE
//! may have made anything.
//!
//! A node whose `id` property is missing gets a generated one, written to
//! the file (the session's graph is not changed): the kebab-case form of its
//! `name` when that is free, else of its first label (`node` without one),
//! with `-2`, `-3`, ... appended until it is unique. Generation runs in node
//! order, so saving the same graph twice gives the same ids.

mod atomic;
mod claim;
mod toml_text;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::load::schema::{builtin_labels, builtin_type};
use crate::load::{DataFile, LoadErrors, kebab, load_files};
use crate::store::{Graph, NodeId, NodeMap};
use crate::value::Value;

/// Node and relationship files, in the order they are written.
pub const NODES_FILE: &str = "nodes.toml";
pub const RELS_FILE: &str = "rels.toml";

/// Why a graph was not saved. Nothing was written in any case.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The graph holds something graph-data files cannot express.
    #[error("cannot save: {0}")]
    Unsavable(String),
    /// The written text would not load back as the same graph (a bug).
    #[error("cannot save: the files would not load back as the same graph ({0}); please report this as a bug")]
    Verify(String),
    #[error("cannot save to '{dir}': {source}")]
    Io { dir: String, source: std::io::Error },
    /// The directory holds files the save does not own.
    #[error("cannot save to '{dir}': {why}")]
    Refused { dir: String, why: String },
}

/// What a save wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The directory, symlinks resolved.
    pub dir: PathBuf,
    pub nodes: usize,
    pub rels: usize,
    /// Nodes that had no `id` and got one in the files.
    pub generated_ids: usize,
    /// Data files the graph was loaded from that the save replaced.
    pub replaced: Vec<String>,
    /// In a graph that cites its sources, the facts that cite none
    /// ("2 relationships and 1 node cite"; see [`crate::provenance`]).
    pub uncited: Option<String>,
}

impl std::fmt::Display for Saved {
    /// "saved 2 nodes and 1 relationship to 'DIR'", and what it replaced.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "saved {} and {} to '{}'",
            counted(self.nodes, "node", "nodes"),
            counted(self.rels, "relationship", "relationships"),
            self.dir.display()
        )?;
        if !self.replaced.is_empty() {
            write!(
                f,
                "; it replaced the data files the graph was loaded from: {}",
                self.replaced.join(", ")
            )?;
        }
        if let Some(u) = &self.uncited {
            write!(
                f,
                "; {u} no source (graph-data/README.md, 'Sources': every fact lists the Source nodes that state it)"
            )?;
        }
        Ok(())
    }
}

/// "1 node", "2 nodes".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The graph as graph-data files (paths are bare file names), and how many
/// ids were generated.
pub fn render(graph: &Graph) -> Result<(Vec<DataFile>, usize), SaveError> {
    let keys = Keys::new(graph)?;
    let mut nodes = header(graph, "nodes");
    schema(graph, &mut nodes)?;
    for ix in graph.index_list() {
        nodes.push_str("\n[[index]]\n");
        line(&mut nodes, "name", &Value::str(&ix.def.name))?;
        line(&mut nodes, "label", &Value::str(&ix.def.label))?;
        line(&mut nodes, "key", &Value::str(&ix.def.key))?;
    }
    for n in graph.nodes() {
        node(graph, n, &keys, &mut nodes)?;
    }
    let mut rels = header(graph, "relationships");
    for r in graph.rels() {
        let rel = graph.rel(r);
        rels.push_str("\n[[rel]]\n");
        line(&mut rels, "type", &Value::str(rel.rel_type()))?;
        line(&mut rels, "from", &Value::str(keys.of(rel.start())))?;
        line(&mut rels, "to", &Value::str(keys.of(rel.end())))?;
        for (k, v) in rel.props().iter() {
            if matches!(&**k, "type" | "from" | "to") {
                return Err(SaveError::Unsavable(format!(
                    "a {} relationship has a property named `{k}`, which graph-data files use for the relationship itself",
                    rel.rel_type()
                )));
            }
            line(&mut rels, k, v).map_err(|e| e.context(|| format!("a {} relationship", rel.rel_type())))?;
        }
    }
    let files = vec![
        DataFile {
            path: NODES_FILE.into(),
            text: nodes,
        },
        DataFile {
            path: RELS_FILE.into(),
            text: rels,
        },
    ];
    Ok((files, keys.generated))
}

/// Writes `graph` into `dir` (created if missing), replacing a graph
/// rolegraph saved there as a whole. Before anything touches the disk, the
/// text is loaded back in memory and compared with the graph.
pub fn save(graph: &Graph, dir: &Path) -> Result<Saved, SaveError> {
    save_from(graph, dir, None)
}

/// [`save`] for a graph loaded from `loaded_from`: saving back into that
/// directory may replace the data files it was loaded from (and says so).
/// Any other data file in `dir` makes the save fail, naming it
/// ([`claim`]).
pub fn save_from(graph: &Graph, dir: &Path, loaded_from: Option<&Path>) -> Result<Saved, SaveError> {
    let (files, generated_ids) = render(graph)?;
    verify(graph, &files)?;
    let named: Vec<(String, String)> = files.into_iter().map(|f| (f.path, f.text)).collect();
    let io = |source| SaveError::Io {
        dir: dir.display().to_string(),
        source,
    };
    let target = atomic::resolve(dir).map_err(io)?;
    let claim = claim::inspect(&target, loaded_from)?;
    atomic::replace_dir(&target, &named, &claim.keep).map_err(io)?;
    Ok(Saved {
        dir: target,
        nodes: graph.node_count(),
        rels: graph.rel_count(),
        generated_ids,
        replaced: claim.replaced,
        uncited: None,
    })
}

/// Loads `files` and checks that rendering the result gives the same text.
fn verify(graph: &Graph, files: &[DataFile]) -> Result<(), SaveError> {
    let loaded = load_files(graph.name(), files).map_err(|e: LoadErrors| SaveError::Verify(first_line(&e)))?;
    let (again, _) = render(&loaded)?;
    for (a, b) in files.iter().zip(&again) {
        if a.text != b.text {
            let at = a
                .text
                .lines()
                .zip(b.text.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(0)
                + 1;
            return Err(SaveError::Verify(format!("{} differs at line {at}", a.path)));
        }
    }
    Ok(())
}

fn first_line(e: &LoadErrors) -> String {
    e.iter().next().map(|e| e.to_string()).unwrap_or_default()
}

/// Every node's id in the files: its own `id`, or a generated one.
struct Keys {
    ids: NodeMap<Option<String>>,
    generated: usize,
}

impl Keys {
    fn new(graph: &Graph) -> Result<Keys, SaveError> {
        let mut taken: HashSet<String> = graph.keys().map(str::to_string).collect();
        let mut ids = graph.node_map(None);
        let mut generated = 0;
        for n in graph.nodes() {
            let node = graph.node(n);
            let id = match node.prop("id") {
                Some(Value::String(s)) => s.to_string(),
                Some(other) => {
                    return Err(SaveError::Unsavable(format!(
                        "node {} has an `id` that is {}, not a string; graph-data ids are strings",
                        node.display_name(),
                        other.type_name()
                    )));
                }
                None => {
                    generated += 1;
                    let base = node
                        .prop("name")
                        .and_then(Value::as_str)
                        .map(kebab)
                        .filter(|k| !k.is_empty())
                        .or_else(|| node.labels().next().map(kebab).filter(|k| !k.is_empty()))
                        .unwrap_or_else(|| "node".into());
                    let mut id = base.clone();
                    let mut i = 2;
                    while taken.contains(&id) {
                        id = format!("{base}-{i}");
                        i += 1;
                    }
                    taken.insert(id.clone());
                    id
                }
            };
            ids[n] = Some(id);
        }
        Ok(Keys { ids, generated })
    }

    fn of(&self, n: NodeId) -> &str {
        self.ids.get(n).and_then(|k| k.as_deref()).unwrap_or("")
    }
}

fn header(graph: &Graph, what: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# The {what} of the graph {}, saved by rolegraph. Load with `rolegraph --data DIR`.",
        toml_text::string(graph.name())
    );
    s.push_str("# `[saved]` marks a snapshot: the loader checks its structure, not the curation rules.\n");
    s.push_str("[saved]\n");
    let _ = writeln!(
        s,
        "by = {}",
        toml_text::string(concat!("rolegraph ", env!("CARGO_PKG_VERSION")))
    );
    s
}

/// Declares the labels and relationship types that SCHEMA.md does not have.
fn schema(graph: &Graph, out: &mut String) -> Result<(), SaveError> {
    // Labels in use, and those only an index names (the loader wants each declared).
    let mut labels: Vec<String> = graph.label_counts().into_iter().map(|(l, _)| l.to_string()).collect();
    labels.extend(graph.index_list().into_iter().map(|i| i.def.label));
    labels.sort();
    labels.dedup();
    let labels: Vec<Value> = labels
        .iter()
        .filter(|l| !builtin_labels().contains(&l.as_str()))
        .map(|l| Value::str(l))
        .collect();
    let types: Vec<Value> = graph
        .rel_type_counts()
        .into_iter()
        .map(|(t, _)| t)
        .filter(|t| builtin_type(t).is_none())
        .map(Value::str)
        .collect();
    if labels.is_empty() && types.is_empty() {
        return Ok(());
    }
    out.push_str("\n[schema]\n");
    if !labels.is_empty() {
        line(out, "labels", &Value::list(labels))?;
    }
    if !types.is_empty() {
        line(out, "types", &Value::list(types))?;
    }
    Ok(())
}

fn node(graph: &Graph, n: NodeId, keys: &Keys, out: &mut String) -> Result<(), SaveError> {
    let node = graph.node(n);
    out.push_str("\n[[node]]\n");
    let labels: Vec<&str> = node.labels().collect();
    match labels.as_slice() {
        [one] => line(out, "label", &Value::str(one))?,
        many => line(
            out,
            "labels",
            &Value::list(many.iter().map(|l| Value::str(l)).collect()),
        )?,
    }
    line(out, "id", &Value::str(keys.of(n)))?;
    for (k, v) in node.props().iter() {
        match &**k {
            "id" => {}
            "label" | "labels" => {
                return Err(SaveError::Unsavable(format!(
                    "node '{}' has a property named `{k}`, which graph-data files use for the node's labels",
                    keys.of(n)
                )));
            }
            _ => line(out, k, v).map_err(|e| e.context(|| format!("node '{}'", keys.of(n))))?,
        }
    }
    Ok(())
}

/// `key = value` and a newline.
fn line(out: &mut String, k: &str, v: &Value) -> Result<(), Unwritable> {
    let text = toml_text::value(v).map_err(|e| Unwritable {
        key: k.to_string(),
        what: e.0,
    })?;
    out.push_str(&toml_text::key(k));
    out.push_str(" = ");
    out.push_str(&text);
    out.push('\n');
    Ok(())
}

/// A property value TOML cannot hold.
#[derive(Debug)]
struct Unwritable {
    key: String,
    what: &'static str,
}

impl Unwritable {
    fn context(self, whose: impl FnOnce() -> String) -> SaveError {
        SaveError::Unsavable(format!(
            "{}'s property `{}` holds a {}, which graph-data files cannot hold",
            whose(),
            self.key,
            self.what
        ))
    }
}

impl From<Unwritable> for SaveError {
    fn from(e: Unwritable) -> SaveError {
        e.context(|| "the graph".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Session;

    fn created(query: &str) -> Graph {
        let mut s = Session::new(Graph::new("t"));
        s.run(query).unwrap();
        s.graph().clone()
    }

    #[test]
    fn generated_ids_come_from_names_then_labels() {
        let g = created(
            "CREATE (:Person {name: 'Ada Lovelace'}), (:Person {name: 'Ada Lovelace'}), (:Team), (), \
             (:Role {id: 'ada-lovelace-2', name: 'taken'})",
        );
        let (files, generated) = render(&g).unwrap();
        assert_eq!(generated, 4);
        let ids: Vec<&str> = files[0].text.lines().filter_map(|l| l.strip_prefix("id = ")).collect();
        assert_eq!(
            ids,
            [
                r#""ada-lovelace""#,
                r#""ada-lovelace-3""#,
                r#""team""#,
                r#""node""#,
                r#""ada-lovelace-2""#
            ]
        );
        verify(&g, &files).unwrap();
    }

    #[test]
    fn reserved_keys_are_refused_not_lost() {
        let g = created("CREATE (:A {label: 'x'})");
        assert!(matches!(render(&g), Err(SaveError::Unsavable(m)) if m.contains("`label`")));
        let g = created("CREATE (:A {id: 'a'})-[:R {from: 1}]->(:B {id: 'b'})");
        assert!(matches!(render(&g), Err(SaveError::Unsavable(m)) if m.contains("`from`")));
        let g = created("CREATE (:A {id: 7})");
        assert!(matches!(render(&g), Err(SaveError::Unsavable(m)) if m.contains("INTEGER")));
    }
}
