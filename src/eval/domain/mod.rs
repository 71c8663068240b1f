//! rolegraph's own statements beside DESCRIBE: OVERLAP (what several nodes
//! reach in common, region by region of their Venn diagram), DIFF (two nodes
//! side by side: what each lacks, opposite poles, disputed claims) and PATH
//! (why two nodes are connected) and MATRIX (which of several nodes reaches
//! which item: the table people draw when they split duties). Each returns
//! ordinary rows for every output format plus a [`Subgraph`] the DOT export
//! draws from.
//!
//! "Reach" is the one rule the three share: a node reaches what its outgoing
//! relationships point at, and, for the undirected types (COLLABORATES_WITH,
//! SIMILAR_TO), what points at it too.

pub mod describe;
pub mod diff;
pub mod matrix;
pub mod overlap;
pub mod path;
pub mod summary;

use std::sync::Arc;

pub use diff::{Diff, Dispute, DisputeKind, Opposite, diff, diff_on};
pub use matrix::{Matrix, matrix};
pub use overlap::{Overlap, Region, overlap};
pub use path::{PathResult, path};

use super::Rows;
use crate::store::{Direction, Graph, NodeId, RelId};
use crate::value::{Path, Value};

/// Relationship types stored one way but meant both ways (SCHEMA.md).
pub const UNDIRECTED: [&str; 2] = ["COLLABORATES_WITH", "SIMILAR_TO"];

/// What a result remembers for `:export dot FILE last`.
#[derive(Debug, Clone)]
pub enum Subgraph {
    Overlap(Overlap),
    Diff(Diff),
    Path(PathResult),
    Matrix(Matrix),
}

impl Subgraph {
    /// Every node the result mentions, sorted.
    pub fn nodes(&self, graph: &Graph) -> Vec<NodeId> {
        let mut v: Vec<NodeId> = Vec::new();
        for r in self.rels() {
            let rel = graph.rel(r);
            v.push(rel.start());
            v.push(rel.end());
        }
        match self {
            Subgraph::Overlap(o) => v.extend(&o.compared),
            Subgraph::Diff(d) => v.extend([d.a, d.b]),
            Subgraph::Matrix(m) => v.extend(&m.compared),
            Subgraph::Path(p) => {
                v.extend([p.from, p.to]);
                v.extend(p.paths.iter().flat_map(|p| p.nodes.iter().copied()));
            }
        }
        v.sort();
        v.dedup();
        v
    }

    /// Every relationship the result mentions, sorted.
    pub fn rels(&self) -> Vec<RelId> {
        let mut v: Vec<RelId> = match self {
            Subgraph::Overlap(o) => o
                .regions
                .iter()
                .flat_map(|r| r.items.iter().flat_map(Reached::rels))
                .chain(o.between.iter().copied())
                .collect(),
            Subgraph::Diff(d) => d.rels(),
            Subgraph::Matrix(m) => m.items.iter().flat_map(Reached::rels).collect(),
            Subgraph::Path(p) => p.paths.iter().flat_map(|p| p.rels.iter().copied()).collect(),
        };
        v.sort();
        v.dedup();
        v
    }

    pub fn paths(&self) -> &[Path] {
        match self {
            Subgraph::Path(p) => &p.paths,
            _ => &[],
        }
    }
}

/// One compared node's claim that it reaches a target: the relationship(s)
/// saying so (two when an undirected type is stored both ways), their
/// sources merged in order, and a confidence when one is stated.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Index of the claimant among the compared nodes.
    pub by: usize,
    pub rels: Vec<RelId>,
    pub sources: Vec<String>,
    /// `Some("medium")` when every relationship behind the claim says so.
    pub confidence: Option<String>,
}

/// A target reached by one relationship type, with each claimant's claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Reached {
    pub rel_type: String,
    pub node: NodeId,
    /// Sorted by claimant.
    pub claims: Vec<Claim>,
}

impl Reached {
    pub fn rels(&self) -> impl Iterator<Item = RelId> + '_ {
        self.claims.iter().flat_map(|c| c.rels.iter().copied())
    }

    pub fn by(&self) -> Vec<usize> {
        self.claims.iter().map(|c| c.by).collect()
    }

    /// True when some claim is weaker than a plain statement.
    pub fn has_medium(&self) -> bool {
        self.claims.iter().any(|c| c.confidence.is_some())
    }
}

/// The relationships `node` reaches, each as (type, target, relationship),
/// restricted to `types` when not empty. Relationships to a node in
/// `exclude` are left out (they are reported as "between").
pub(crate) fn reach(graph: &Graph, node: NodeId, types: &[String]) -> Vec<(String, NodeId, RelId)> {
    let mut out = Vec::new();
    for adj in graph.neighbours(node, Direction::Both, None) {
        let rel = graph.rel(adj.rel);
        let t = rel.rel_type();
        if !types.is_empty() && !types.iter().any(|x| x == t) {
            continue;
        }
        let outgoing = rel.start() == node;
        if outgoing || UNDIRECTED.contains(&t) {
            out.push((t.to_string(), adj.other, adj.rel));
        }
    }
    out
}

/// Groups reached relationships into claims by claimant: `(claimant, type,
/// target, rel)` → one [`Reached`] per (type, target), claims sorted.
pub(crate) fn group_claims(graph: &Graph, hits: Vec<(usize, String, NodeId, RelId)>) -> Vec<Reached> {
    let mut hits = hits;
    hits.sort_by(|a, b| (&a.1, a.2, a.0, a.3).cmp(&(&b.1, b.2, b.0, b.3)));
    let mut out: Vec<Reached> = Vec::new();
    for (by, t, target, rel) in hits {
        let same_item = out.last().is_some_and(|r| r.rel_type == t && r.node == target);
        if !same_item {
            out.push(Reached {
                rel_type: t,
                node: target,
                claims: Vec::new(),
            });
        }
        let item = out.last_mut().expect("pushed above");
        let (sources, confidence) = rel_sources(graph, rel);
        match item.claims.last_mut() {
            Some(c) if c.by == by => {
                c.rels.push(rel);
                for s in sources {
                    if !c.sources.contains(&s) {
                        c.sources.push(s);
                    }
                }
                if confidence.is_none() {
                    c.confidence = None;
                }
            }
            _ => item.claims.push(Claim {
                by,
                rels: vec![rel],
                sources,
                confidence,
            }),
        }
    }
    out
}

/// A relationship's `sources` (as written) and `confidence`.
pub fn rel_sources(graph: &Graph, rel: RelId) -> (Vec<String>, Option<String>) {
    let r = graph.rel(rel);
    let sources = match r.prop("sources") {
        Some(Value::List(l)) => l.iter().map(plain).collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(v) => vec![plain(v)],
    };
    let confidence = r.prop("confidence").map(plain);
    (sources, confidence)
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        other => other.to_string(),
    }
}

/// The node's `id`, else its display name: what rows carry to name a node.
pub fn node_key(graph: &Graph, n: NodeId) -> String {
    let node = graph.node(n);
    node.key().map(str::to_string).unwrap_or_else(|| node.display_name())
}

/// Sort key for a node: name, then id, then handle (names may repeat).
pub(crate) fn name_order(graph: &Graph, n: NodeId) -> (String, String, NodeId) {
    let node = graph.node(n);
    (node.display_name(), node.key().unwrap_or("").to_string(), n)
}

pub(crate) fn str_list<S: AsRef<str>>(items: &[S]) -> Value {
    Value::list(items.iter().map(|s| Value::str(s.as_ref())).collect())
}

pub(crate) fn opt_str(s: &Option<String>) -> Value {
    s.as_deref().map(Value::str).unwrap_or(Value::Null)
}

/// Rows with a subgraph and a title.
pub(crate) fn rows(columns: &[&str], rows: Vec<Vec<Value>>, title: String, sub: Subgraph) -> Rows {
    Rows {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows,
        title: Some(title),
        subgraph: Some(Arc::new(sub)),
        ..Rows::default()
    }
}

/// "Chief Technology Officer (chief-technology-officer)", for titles.
pub(crate) fn describe_node(graph: &Graph, n: NodeId) -> String {
    let node = graph.node(n);
    match node.key() {
        Some(k) if k != node.display_name() => format!("{} ({})", title_name(graph, n), visible(k)),
        _ => title_name(graph, n),
    }
}

/// A node's name for a title line: titles are printed as they are, so
/// control characters (a newline, an escape sequence) are shown escaped.
pub(crate) fn title_name(graph: &Graph, n: NodeId) -> String {
    visible(&graph.node(n).display_name())
}

pub(crate) fn visible(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
