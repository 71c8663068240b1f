//! Provenance of facts. In a curated graph (the built-in knowledge base, or
//! a user's graph-data directory that follows the same rules) every
//! relationship, and every node but a Source, lists in `sources` the ids
//! of the Source nodes that state it (graph-data/README.md, "Sources").
//! Edits may break that rule; they are not refused (the user may add the
//! sources next), but the statement that does it gets a warning naming the
//! rule and the facts, and a save says how many facts cite nothing.

use std::collections::BTreeSet;

use crate::diag::{Diagnostic, Span};
use crate::store::{Graph, NodeId, RelId};
use crate::value::Value;

/// The label of source documents.
pub const SOURCE: &str = "Source";

/// The rule, as warnings name it.
pub const RULE_RELS: &str = "every relationship lists in `sources` the Source nodes that state it";
pub const RULE_NODES: &str = "every node other than a Source lists in `sources` the Source nodes that mention it";
const WHERE: &str = "graph-data/README.md, 'Sources'";

/// The facts of a graph that cite no Source node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Uncited {
    pub nodes: BTreeSet<NodeId>,
    pub rels: BTreeSet<RelId>,
}

impl Uncited {
    /// Every uncited fact of `graph`.
    pub fn of(graph: &Graph) -> Uncited {
        let mut u = Uncited::default();
        for n in graph.nodes() {
            let node = graph.node(n);
            if !node.has_label(SOURCE) && !cites(graph, node.prop("sources")) {
                u.nodes.insert(n);
            }
        }
        for r in graph.rels() {
            if !cites(graph, graph.rel(r).prop("sources")) {
                u.rels.insert(r);
            }
        }
        u
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.rels.is_empty()
    }

    /// "2 relationships and 1 node".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.rels.is_empty() {
            parts.push(crate::save::counted(self.rels.len(), "relationship", "relationships"));
        }
        if !self.nodes.is_empty() {
            parts.push(crate::save::counted(self.nodes.len(), "node", "nodes"));
        }
        parts.join(" and ")
    }
}

/// Above this many nodes and relationships, statements are not checked
/// (each check reads every fact; saving still counts them).
pub const CHECK_LIMIT: usize = 200_000;

/// Whether the graph follows the rule: it has Source nodes and every fact
/// cites them. Only then do edits that break it get a warning.
pub fn is_curated(graph: &Graph) -> bool {
    graph.node_count() + graph.rel_count() <= CHECK_LIMIT && graph.has_label(SOURCE) && Uncited::of(graph).is_empty()
}

/// A non-empty list of ids of Source nodes.
fn cites(graph: &Graph, sources: Option<&Value>) -> bool {
    let Some(Value::List(ids)) = sources else {
        return false;
    };
    !ids.is_empty()
        && ids.iter().all(|id| {
            id.as_str()
                .and_then(|k| graph.node_by_key(k))
                .is_some_and(|n| graph.node(n).has_label(SOURCE))
        })
}

/// The warning for facts a statement left uncited (`now` less `before`),
/// or none.
pub fn warning(graph: &Graph, before: &Uncited, now: &Uncited, span: Span) -> Option<Diagnostic> {
    let rels: Vec<RelId> = now.rels.difference(&before.rels).copied().collect();
    let nodes: Vec<NodeId> = now.nodes.difference(&before.nodes).copied().collect();
    if rels.is_empty() && nodes.is_empty() {
        return None;
    }
    let name = |n: NodeId| {
        let node = graph.node(n);
        node.key().map(str::to_string).unwrap_or_else(|| node.display_name())
    };
    let mut facts: Vec<String> = rels
        .iter()
        .map(|&r| {
            let rel = graph.rel(r);
            format!("({})-[:{}]->({})", name(rel.start()), rel.rel_type(), name(rel.end()))
        })
        .chain(nodes.iter().map(|&n| format!("({})", name(n))))
        .collect();
    let total = facts.len();
    const SHOWN: usize = 3;
    if total > SHOWN {
        facts.truncate(SHOWN);
        facts.push(format!("and {} more", total - SHOWN));
    }
    let what = Uncited {
        nodes: nodes.into_iter().collect(),
        rels: rels.into_iter().collect(),
    }
    .describe();
    let rule = if what.contains("relationship") {
        RULE_RELS
    } else {
        RULE_NODES
    };
    Some(
        Diagnostic::warning(
            format!(
                "this statement leaves {what} citing no source: {}; the rule: {rule} ({WHERE})",
                facts.join(", ")
            ),
            Some(span),
        )
        .with_help(Some(
            "add sources: ['<source id>'] naming a Source node; for your organisation's own facts, \
             CREATE (:Source {id: 'my-org-chart', title: '...'}) first"
                .into(),
        )),
    )
}
