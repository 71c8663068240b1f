//! PATH: the shortest path (or, with ALL, every shortest path) between two
//! nodes, to explain why they are connected. The search is breadth-first and
//! ignores direction, because "the CTO leads engineering, which the CPO works
//! with" connects them whichever way each relationship is stored; each hop
//! still reports the way it is stored. VIA restricts the types followed.
//! Ties are broken by relationship type, then node name, so the answer is
//! deterministic; ALL stops after [`MAX_PATHS`] paths.

use std::collections::VecDeque;

use super::{describe_node, name_order, node_key, opt_str, rel_sources, str_list, title_name};
use crate::eval::Rows;
use crate::store::{Direction, Graph, NodeId, NodeMap, RelId};
use crate::value::{Path, Value};

/// ALL lists at most this many paths.
pub const MAX_PATHS: usize = 100;

#[derive(Debug, Clone, PartialEq)]
pub struct PathResult {
    pub from: NodeId,
    pub to: NodeId,
    pub via: Vec<String>,
    pub all: bool,
    /// Empty when the two are not connected.
    pub paths: Vec<Path>,
    /// True when ALL found more than [`MAX_PATHS`] paths.
    pub truncated: bool,
}

/// The relationships at `n` that PATH may follow, in tie-break order.
fn steps(graph: &Graph, n: NodeId, via: &[String]) -> Vec<(RelId, NodeId)> {
    let mut v: Vec<_> = graph
        .neighbours(n, Direction::Both, None)
        .into_iter()
        .filter(|a| a.other != n)
        .filter(|a| via.is_empty() || via.iter().any(|t| t == graph.rel(a.rel).rel_type()))
        .map(|a| (a.rel, a.other))
        .collect();
    v.sort_by_cached_key(|(r, o)| (graph.rel(*r).rel_type().to_string(), name_order(graph, *o), *r));
    v
}

pub fn path(graph: &Graph, from: NodeId, to: NodeId, via: &[String], all: bool) -> PathResult {
    // Distances to `to`, so the walk from `from` only takes steps that stay
    // on a shortest path.
    let mut dist: NodeMap<Option<usize>> = graph.node_map(None);
    dist[to] = Some(0);
    let mut queue = VecDeque::from([to]);
    while let Some(n) = queue.pop_front() {
        if n == from {
            break;
        }
        let d = dist[n].unwrap_or(0);
        for (_, o) in steps(graph, n, via) {
            if dist[o].is_none() {
                dist[o] = Some(d + 1);
                queue.push_back(o);
            }
        }
    }
    let mut result = PathResult {
        from,
        to,
        via: via.to_vec(),
        all,
        paths: Vec::new(),
        truncated: false,
    };
    if dist[from].is_none() {
        return result;
    }
    let limit = if all { MAX_PATHS + 1 } else { 1 };
    let mut current = Path {
        nodes: vec![from],
        rels: Vec::new(),
    };
    walk(graph, via, &dist, &mut current, &mut result.paths, limit);
    if result.paths.len() > MAX_PATHS {
        result.paths.truncate(MAX_PATHS);
        result.truncated = true;
    }
    result
}

fn walk(
    graph: &Graph,
    via: &[String],
    dist: &NodeMap<Option<usize>>,
    cur: &mut Path,
    out: &mut Vec<Path>,
    limit: usize,
) {
    if out.len() >= limit {
        return;
    }
    let n = *cur.nodes.last().expect("a path has a node");
    let Some(d) = dist[n] else { return };
    if d == 0 {
        out.push(cur.clone());
        return;
    }
    for (r, o) in steps(graph, n, via) {
        if dist[o] == Some(d - 1) {
            cur.nodes.push(o);
            cur.rels.push(r);
            walk(graph, via, dist, cur, out, limit);
            cur.nodes.pop();
            cur.rels.pop();
        }
    }
}

pub const COLUMNS: [&str; 9] = [
    "path",
    "step",
    "from",
    "type",
    "direction",
    "to",
    "name",
    "sources",
    "confidence",
];

/// One row per hop. `direction` is `->` when the relationship is stored
/// from `from` to `to`, `<-` when stored the other way.
pub fn rows(graph: &Graph, p: &PathResult) -> Rows {
    let mut out = Vec::new();
    for (pi, path) in p.paths.iter().enumerate() {
        for (si, r) in path.rels.iter().enumerate() {
            let (a, b) = (path.nodes[si], path.nodes[si + 1]);
            let rel = graph.rel(*r);
            let (sources, confidence) = rel_sources(graph, *r);
            out.push(vec![
                Value::Int(pi as i64 + 1),
                Value::Int(si as i64 + 1),
                Value::from(node_key(graph, a)),
                Value::str(rel.rel_type()),
                Value::str(if rel.start() == a { "->" } else { "<-" }),
                Value::from(node_key(graph, b)),
                Value::from(graph.node(b).display_name()),
                str_list(&sources),
                opt_str(&confidence),
            ]);
        }
    }
    super::rows(&COLUMNS, out, title(graph, p), super::Subgraph::Path(p.clone()))
}

/// `(A)-[:T {s1, s2}]->(B)<-[:U {s3}]-(C)`.
pub fn chain(graph: &Graph, path: &Path) -> String {
    let mut s = format!("({})", title_name(graph, path.nodes[0]));
    for (i, r) in path.rels.iter().enumerate() {
        let rel = graph.rel(*r);
        let (sources, confidence) = rel_sources(graph, *r);
        let mut label = format!(":{}", rel.rel_type());
        if !sources.is_empty() {
            label.push_str(&format!(" {{{}}}", sources.join(", ")));
        }
        if let Some(c) = confidence {
            label.push_str(&format!(" ({c})"));
        }
        let label = super::visible(&label);
        if rel.start() == path.nodes[i] {
            s.push_str(&format!("-[{label}]->"));
        } else {
            s.push_str(&format!("<-[{label}]-"));
        }
        s.push_str(&format!("({})", title_name(graph, path.nodes[i + 1])));
    }
    s
}

fn title(graph: &Graph, p: &PathResult) -> String {
    let mut t = format!(
        "PATH {} TO {}",
        describe_node(graph, p.from),
        describe_node(graph, p.to)
    );
    if !p.via.is_empty() {
        t.push_str(&format!(" VIA {}", p.via.join("|")));
    }
    if p.all {
        t.push_str(" ALL");
    }
    match p.paths.first() {
        None => t.push_str("\n  not connected (relationships followed in either direction)"),
        Some(first) => {
            let n = p.paths.len();
            t.push_str(&format!(
                "\n  length {}, {n} path{}{}",
                first.rels.len(),
                if n == 1 { "" } else { "s" },
                if p.truncated { " (stopped there)" } else { "" }
            ));
            for (i, path) in p.paths.iter().enumerate() {
                t.push_str(&format!("\n  {}: {}", i + 1, chain(graph, path)));
            }
        }
    }
    t
}
