//! DIFF: two nodes side by side. What each reaches that the other does not
//! (per relationship type); the dimensions on which they sit at opposite
//! poles (Focus nodes sharing a `dimension`); and where the sources disagree
//! about either of them: both poles of one dimension claimed by different
//! sources, or a team both led and merely worked with.

use std::collections::BTreeMap;

use super::{Reached, describe_node, group_claims, name_order, node_key, opt_str, reach, rel_sources};
use crate::eval::Rows;
use crate::store::{Graph, NodeId, RelId};
use crate::value::Value;

/// Pairs of types that cannot both hold between one role and one target.
const EXCLUSIVE_TYPES: [(&str, &str); 1] = [("LEADS", "WORKS_WITH")];

#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    pub a: NodeId,
    pub b: NodeId,
    /// `only[0]`: reached by `a` alone; `only[1]`: by `b` alone.
    pub only: [Vec<Reached>; 2],
    pub opposite: Vec<Opposite>,
    pub disputed: Vec<Dispute>,
    /// Relationships between `a` and `b` themselves.
    pub between: Vec<RelId>,
    /// The relationship types compared (all when empty).
    pub types: Vec<String>,
}

impl Diff {
    pub fn sides(&self) -> [NodeId; 2] {
        [self.a, self.b]
    }

    pub(super) fn rels(&self) -> Vec<RelId> {
        let only = self.only.iter().flatten();
        let opposite = self.opposite.iter().flat_map(|o| o.poles.iter().flatten());
        let disputed = self.disputed.iter().flat_map(|d| d.claims.iter());
        only.chain(opposite)
            .chain(disputed)
            .flat_map(Reached::rels)
            .chain(self.between.iter().copied())
            .collect()
    }
}

/// A dimension on which the two sit at different poles: `poles[s]` are the
/// FOCUSES_ON items side `s` holds on it (each with one claim, by `s`).
#[derive(Debug, Clone, PartialEq)]
pub struct Opposite {
    pub dimension: String,
    pub poles: [Vec<Reached>; 2],
}

#[derive(Debug, Clone, PartialEq)]
pub enum DisputeKind {
    /// Different sources put the node on different poles of `dimension`.
    BothPoles { dimension: String },
    /// The same target by two types that exclude each other.
    ExclusiveTypes(String, String),
}

/// Claims about one side that the sources disagree on.
#[derive(Debug, Clone, PartialEq)]
pub struct Dispute {
    pub side: usize,
    pub kind: DisputeKind,
    /// The conflicting claims (each with one claim, by `side`).
    pub claims: Vec<Reached>,
}

impl Dispute {
    pub fn detail(&self) -> String {
        match &self.kind {
            DisputeKind::BothPoles { dimension } => format!("both poles of {dimension}"),
            DisputeKind::ExclusiveTypes(x, y) => format!("{x} and {y}"),
        }
    }
}

pub fn diff(graph: &Graph, a: NodeId, b: NodeId) -> Diff {
    diff_on(graph, a, b, &[])
}

/// DIFF restricted to relationships of `types` (all when empty).
pub fn diff_on(graph: &Graph, a: NodeId, b: NodeId, types: &[String]) -> Diff {
    let sides = [a, b];
    let mut hits = Vec::new();
    let mut between = Vec::new();
    for (i, n) in sides.iter().enumerate() {
        for (t, target, rel) in reach(graph, *n, types) {
            if sides.contains(&target) {
                between.push(rel);
            } else {
                hits.push((i, t, target, rel));
            }
        }
    }
    between.sort_by_key(|r| (graph.rel(*r).rel_type().to_string(), graph.rel(*r).start() != a, *r));
    between.dedup();
    let items = group_claims(graph, hits);

    // Per side, its own view: every item it reaches, with only its claim.
    let own: [Vec<Reached>; 2] = [0, 1].map(|s| {
        let mut v: Vec<Reached> = items
            .iter()
            .filter_map(|r| {
                let claims: Vec<_> = r.claims.iter().filter(|c| c.by == s).cloned().collect();
                (!claims.is_empty()).then(|| Reached {
                    rel_type: r.rel_type.clone(),
                    node: r.node,
                    claims,
                })
            })
            .collect();
        v.sort_by_cached_key(|r| (r.rel_type.clone(), name_order(graph, r.node)));
        v
    });
    let only = [0, 1].map(|s| {
        own[s]
            .iter()
            .filter(|r| !own[1 - s].iter().any(|o| o.rel_type == r.rel_type && o.node == r.node))
            .cloned()
            .collect::<Vec<_>>()
    });

    // Poles held per side, by dimension.
    let poles: [BTreeMap<String, Vec<Reached>>; 2] = [0, 1].map(|s| {
        let mut m: BTreeMap<String, Vec<Reached>> = BTreeMap::new();
        for r in own[s].iter().filter(|r| r.rel_type == "FOCUSES_ON") {
            if let Some(d) = graph.node(r.node).prop("dimension").and_then(Value::as_str) {
                m.entry(d.to_string()).or_default().push(r.clone());
            }
        }
        m
    });
    let mut opposite = Vec::new();
    for (dim, pa) in &poles[0] {
        let Some(pb) = poles[1].get(dim) else { continue };
        let differ = pa.iter().any(|p| pb.iter().any(|q| p.node != q.node));
        if differ {
            opposite.push(Opposite {
                dimension: dim.clone(),
                poles: [pa.clone(), pb.clone()],
            });
        }
    }

    let mut disputed = Vec::new();
    for s in 0..2 {
        for (dim, held) in &poles[s] {
            if held.len() > 1 && sources_disagree(held) {
                disputed.push(Dispute {
                    side: s,
                    kind: DisputeKind::BothPoles { dimension: dim.clone() },
                    claims: held.clone(),
                });
            }
        }
        for (x, y) in EXCLUSIVE_TYPES {
            let mut targets: Vec<NodeId> = own[s]
                .iter()
                .filter(|r| r.rel_type == x && own[s].iter().any(|o| o.rel_type == y && o.node == r.node))
                .map(|r| r.node)
                .collect();
            targets.sort_by_cached_key(|n| name_order(graph, *n));
            for t in targets {
                disputed.push(Dispute {
                    side: s,
                    kind: DisputeKind::ExclusiveTypes(x.to_string(), y.to_string()),
                    claims: own[s]
                        .iter()
                        .filter(|r| r.node == t && (r.rel_type == x || r.rel_type == y))
                        .cloned()
                        .collect(),
                });
            }
        }
    }
    Diff {
        a,
        b,
        only,
        opposite,
        disputed,
        between,
        types: types.to_vec(),
    }
}

/// True when some source backs one pole but not another, and vice versa:
/// a source naming both poles says "both", which is no disagreement.
fn sources_disagree(held: &[Reached]) -> bool {
    let sources: Vec<&Vec<String>> = held.iter().map(|r| &r.claims[0].sources).collect();
    sources.iter().enumerate().any(|(i, p)| {
        sources
            .iter()
            .enumerate()
            .any(|(j, q)| i != j && p.iter().any(|s| !q.contains(s)) && q.iter().any(|s| !p.contains(s)))
    })
}

pub const COLUMNS: [&str; 8] = [
    "section",
    "type",
    "id",
    "name",
    "side",
    "sources",
    "confidence",
    "detail",
];

/// Rows in sections: `only` (side = who has it), `opposite` (detail = the
/// dimension), `disputed` (detail says what conflicts), `between`.
pub fn rows(graph: &Graph, d: &Diff) -> Rows {
    let sides = d.sides();
    let mut out = Vec::new();
    let mut push = |section: &str, r: &Reached, detail: Option<String>| {
        for c in &r.claims {
            out.push(vec![
                Value::str(section),
                Value::from(r.rel_type.clone()),
                Value::from(node_key(graph, r.node)),
                Value::from(graph.node(r.node).display_name()),
                Value::from(node_key(graph, sides[c.by])),
                super::str_list(&c.sources),
                opt_str(&c.confidence),
                detail.clone().map(Value::from).unwrap_or(Value::Null),
            ]);
        }
    };
    for side in &d.only {
        for r in side {
            push("only", r, None);
        }
    }
    for o in &d.opposite {
        for r in o.poles.iter().flatten() {
            push("opposite", r, Some(o.dimension.clone()));
        }
    }
    for x in &d.disputed {
        for r in &x.claims {
            push("disputed", r, Some(x.detail()));
        }
    }
    for r in &d.between {
        let rel = graph.rel(*r);
        let (sources, confidence) = rel_sources(graph, *r);
        out.push(vec![
            Value::str("between"),
            Value::str(rel.rel_type()),
            Value::from(node_key(graph, rel.end())),
            Value::from(graph.node(rel.end()).display_name()),
            Value::from(node_key(graph, rel.start())),
            super::str_list(&sources),
            opt_str(&confidence),
            Value::Null,
        ]);
    }
    super::rows(&COLUMNS, out, title(graph, d), super::Subgraph::Diff(d.clone()))
}

fn title(graph: &Graph, d: &Diff) -> String {
    let mut t = format!("DIFF {} vs {}", describe_node(graph, d.a), describe_node(graph, d.b));
    if !d.types.is_empty() {
        t.push_str(&format!(" ON {}", d.types.join("|")));
    }
    for (s, n) in d.sides().iter().enumerate() {
        t.push_str(&format!("\n  only {}: {}", node_key(graph, *n), d.only[s].len()));
    }
    if !d.opposite.is_empty() {
        let dims: Vec<String> = d.opposite.iter().map(|o| super::visible(&o.dimension)).collect();
        t.push_str(&format!("\n  opposite poles on: {}", dims.join(", ")));
    }
    if !d.disputed.is_empty() {
        let what: Vec<String> = d
            .disputed
            .iter()
            .map(|x| {
                let who = super::visible(&node_key(graph, d.sides()[x.side]));
                let what = super::visible(&x.detail());
                match (&x.kind, x.claims.first()) {
                    (DisputeKind::ExclusiveTypes(..), Some(r)) => {
                        format!("{who} {what} {}", super::title_name(graph, r.node))
                    }
                    _ => format!("{who} on {what}"),
                }
            })
            .collect();
        t.push_str(&format!("\n  sources disagree: {}", what.join("; ")));
    }
    t
}
