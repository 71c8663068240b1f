//! OVERLAP: for two or more nodes, every node reached from each of them by
//! the same relationship type, sorted into the regions of their Venn diagram
//! (all of them, each pair, ..., each alone), plus the relationships that
//! join the compared nodes themselves ("between").

use std::collections::BTreeMap;

use super::{Reached, describe_node, group_claims, name_order, node_key, opt_str, reach, rel_sources, str_list};
use crate::eval::Rows;
use crate::store::{Graph, NodeId, RelId};
use crate::value::Value;

/// One region of the Venn diagram: the items reached by exactly `members`.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// Indices into [`Overlap::compared`], ascending.
    pub members: Vec<usize>,
    /// Sorted by type, then target name.
    pub items: Vec<Reached>,
}

impl Region {
    /// `all`, `only <id>`, or the members' ids joined by ` & `.
    pub fn name(&self, graph: &Graph, compared: &[NodeId]) -> String {
        if self.members.len() == compared.len() {
            "all".to_string()
        } else if let [one] = self.members[..] {
            format!("only {}", node_key(graph, compared[one]))
        } else {
            self.members
                .iter()
                .map(|i| node_key(graph, compared[*i]))
                .collect::<Vec<_>>()
                .join(" & ")
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    pub compared: Vec<NodeId>,
    /// The `ON` types; empty means every type.
    pub types: Vec<String>,
    /// Largest regions first; with up to four nodes every region is listed,
    /// empty ones too (a diagram shows them), beyond that only non-empty ones.
    pub regions: Vec<Region>,
    /// Relationships between two compared nodes, sorted by type then ends.
    pub between: Vec<RelId>,
}

/// Up to this many compared nodes, every region is kept even when empty.
const ALL_REGIONS_UP_TO: usize = 4;

pub fn overlap(graph: &Graph, compared: &[NodeId], types: &[String]) -> Overlap {
    let mut hits = Vec::new();
    let mut between = Vec::new();
    for (i, n) in compared.iter().enumerate() {
        for (t, target, rel) in reach(graph, *n, types) {
            if compared.contains(&target) {
                between.push(rel);
            } else {
                hits.push((i, t, target, rel));
            }
        }
    }
    between.sort_by_key(|r| {
        let rel = graph.rel(*r);
        let pos = |n: NodeId| compared.iter().position(|c| *c == n);
        (rel.rel_type().to_string(), pos(rel.start()), pos(rel.end()), *r)
    });
    between.dedup();

    let mut by_members: BTreeMap<Vec<usize>, Vec<Reached>> = BTreeMap::new();
    for item in group_claims(graph, hits) {
        by_members.entry(item.by()).or_default().push(item);
    }
    if compared.len() <= ALL_REGIONS_UP_TO {
        for mask in 1u32..(1 << compared.len()) {
            let members: Vec<usize> = (0..compared.len()).filter(|i| mask & (1 << i) != 0).collect();
            by_members.entry(members).or_default();
        }
    }
    let mut regions: Vec<Region> = by_members
        .into_iter()
        .map(|(members, mut items)| {
            items.sort_by_cached_key(|r| (r.rel_type.clone(), name_order(graph, r.node)));
            Region { members, items }
        })
        .collect();
    regions.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then_with(|| a.members.cmp(&b.members))
    });
    Overlap {
        compared: compared.to_vec(),
        types: types.to_vec(),
        regions,
        between,
    }
}

pub const COLUMNS: [&str; 7] = ["region", "type", "id", "name", "reached_by", "sources", "confidence"];

/// One row per reached item: `reached_by` lists the claimants' ids in the
/// order they were named; `sources` and `confidence` are lists aligned with
/// it (one list of source ids, one confidence or null, per claimant).
pub fn rows(graph: &Graph, o: &Overlap) -> Rows {
    let mut out = Vec::new();
    for region in &o.regions {
        let name = region.name(graph, &o.compared);
        for item in &region.items {
            let target = graph.node(item.node);
            out.push(vec![
                Value::from(name.clone()),
                Value::from(item.rel_type.clone()),
                Value::from(node_key(graph, item.node)),
                Value::from(target.display_name()),
                Value::list(
                    item.claims
                        .iter()
                        .map(|c| Value::from(node_key(graph, o.compared[c.by])))
                        .collect(),
                ),
                Value::list(item.claims.iter().map(|c| str_list(&c.sources)).collect()),
                Value::list(item.claims.iter().map(|c| opt_str(&c.confidence)).collect()),
            ]);
        }
    }
    for r in &o.between {
        let rel = graph.rel(*r);
        let (sources, confidence) = rel_sources(graph, *r);
        out.push(vec![
            Value::str("between"),
            Value::str(rel.rel_type()),
            Value::from(node_key(graph, rel.end())),
            Value::from(graph.node(rel.end()).display_name()),
            str_list(&[node_key(graph, rel.start())]),
            Value::list(vec![str_list(&sources)]),
            Value::list(vec![opt_str(&confidence)]),
        ]);
    }
    super::rows(&COLUMNS, out, title(graph, o), super::Subgraph::Overlap(o.clone()))
}

fn title(graph: &Graph, o: &Overlap) -> String {
    let names: Vec<String> = o.compared.iter().map(|n| describe_node(graph, *n)).collect();
    let mut t = format!("OVERLAP of {}", names.join(", "));
    if !o.types.is_empty() {
        t.push_str(&format!(" ON {}", o.types.join("|")));
    }
    let counts: Vec<String> = o
        .regions
        .iter()
        .map(|r| format!("{}: {}", r.name(graph, &o.compared), r.items.len()))
        .chain((!o.between.is_empty()).then(|| format!("between: {}", o.between.len())))
        .collect();
    t.push_str(&format!("\n  {}", counts.join("; ")));
    t
}
