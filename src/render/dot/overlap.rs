//! The OVERLAP diagram: one cluster per Venn region, the compared nodes as
//! header boxes on the left and right edges (alternating), the shared regions
//! in the middle and each node's own part on its side. Inside a region, one
//! box per relationship type lists what is reached; edges from the headers
//! are coloured by type. Laid out left to right so long lists stack.

use std::collections::BTreeSet;

use super::{Legend, Stroke, edge, header_fill, lines, node, print, subgraph, type_colour};
use crate::eval::domain::{Overlap, Reached, Region, UNDIRECTED, node_key};
use crate::store::{Graph, NodeId};

/// Which side of the picture a compared node's header sits on.
fn on_left(i: usize) -> bool {
    i.is_multiple_of(2)
}

pub(super) fn header_id(graph: &Graph, n: NodeId) -> String {
    format!("node:{}", node_key(graph, n))
}

pub(super) fn header(graph: &Graph, n: NodeId, i: usize) -> super::Stmt {
    let node_ref = graph.node(n);
    let label = match node_ref.key() {
        Some(k) if k != node_ref.display_name() => format!("{}\n({k})", node_ref.display_name()),
        _ => node_ref.display_name(),
    };
    node(
        &header_id(graph, n),
        &[
            ("label", &label),
            ("shape", "box"),
            ("style", "filled,bold"),
            ("fillcolor", header_fill(i)),
            ("fontsize", "13"),
        ],
    )
}

/// A relationship joining two compared nodes: an edge between their
/// headers, coloured by type, that does not pull the layout.
pub(super) fn between_edge(graph: &Graph, rel: crate::store::RelId, label: &str) -> super::Stmt {
    let r = graph.rel(rel);
    let t = r.rel_type();
    let mut a = vec![
        ("color", type_colour(t)),
        ("label", label),
        ("fontcolor", type_colour(t)),
        ("constraint", "false"),
        ("penwidth", "2"),
    ];
    if UNDIRECTED.contains(&t) {
        a.push(("dir", "none"));
    }
    edge(&header_id(graph, r.start()), &header_id(graph, r.end()), &a)
}

/// An edge between a header and a box beside it, drawn so the header keeps
/// its side: left headers point right, right headers are the head of an edge
/// drawn backwards.
pub(super) fn side_edge(header: &str, target: &str, left: bool, a: &[(&'static str, &str)]) -> super::Stmt {
    if left {
        edge(header, target, a)
    } else {
        let mut a = a.to_vec();
        a.push(("dir", "back"));
        edge(target, header, &a)
    }
}

/// Items grouped by type: (type, names with `*` for medium confidence).
pub(super) fn by_type(graph: &Graph, items: &[Reached]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for r in items {
        let mut name = graph.node(r.node).display_name();
        if r.has_medium() {
            name.push_str(" *");
        }
        match out.last_mut() {
            Some((t, v)) if *t == r.rel_type => v.push(name),
            _ => out.push((r.rel_type.clone(), vec![name])),
        }
    }
    out
}

fn region_title(graph: &Graph, o: &Overlap, r: &Region) -> String {
    let names: Vec<String> = r
        .members
        .iter()
        .map(|i| graph.node(o.compared[*i]).display_name())
        .collect();
    if r.members.len() == o.compared.len() {
        if names.len() == 2 {
            "Shared by both".into()
        } else {
            format!("Shared by all {}", names.len())
        }
    } else if names.len() == 1 {
        format!("Only {}", names[0])
    } else {
        format!("Shared by {}", names.join(" & "))
    }
}

pub fn overlap(graph: &Graph, o: &Overlap) -> String {
    let mut body = Vec::new();
    for (i, n) in o.compared.iter().enumerate() {
        body.push(header(graph, *n, i));
    }
    // Regions ordered by how far right their members sit, so the shared
    // ones end up between the two columns of headers.
    let mut regions: Vec<&Region> = o.regions.iter().collect();
    regions.sort_by(|a, b| {
        let right = |r: &Region| r.members.iter().filter(|i| !on_left(**i)).count();
        // right(a)/len(a) vs right(b)/len(b), without fractions.
        (right(a) * b.members.len())
            .cmp(&(right(b) * a.members.len()))
            .then_with(|| b.members.len().cmp(&a.members.len()))
            .then_with(|| a.members.cmp(&b.members))
    });
    let mut types_seen = BTreeSet::new();
    let mut any_medium = false;
    for r in regions {
        let tag = r.members.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("_");
        let mut stmts = Vec::new();
        let mut edges = Vec::new();
        let groups = by_type(graph, &r.items);
        if groups.is_empty() {
            let id = format!("region:{tag}:none");
            stmts.push(node(
                &id,
                &[("label", "nothing"), ("shape", "plaintext"), ("fontcolor", "#777777")],
            ));
            for m in &r.members {
                let h = header_id(graph, o.compared[*m]);
                edges.push(side_edge(&h, &id, on_left(*m), &[("style", "invis")]));
            }
        }
        for (t, names) in &groups {
            types_seen.insert(t.clone());
            any_medium |= names.iter().any(|n| n.ends_with(" *"));
            let id = format!("region:{tag}:{t}");
            let label = lines(&format!("{t} ({})", names.len()), names);
            stmts.push(node(
                &id,
                &[
                    ("label", &label),
                    ("shape", "box"),
                    ("style", "rounded"),
                    ("color", type_colour(t)),
                    ("penwidth", "1.5"),
                ],
            ));
            for m in &r.members {
                let h = header_id(graph, o.compared[*m]);
                edges.push(side_edge(&h, &id, on_left(*m), &[("color", type_colour(t))]));
            }
        }
        body.push(subgraph(
            &format!("cluster_region_{tag}"),
            &[
                ("label", &region_title(graph, o, r)),
                ("style", "rounded,filled"),
                ("fillcolor", if r.members.len() > 1 { "#eeeeee" } else { "#f8f8f8" }),
                ("color", "#999999"),
            ],
            stmts,
        ));
        body.extend(edges);
    }
    for rel in &o.between {
        let r = graph.rel(*rel);
        let t = r.rel_type();
        types_seen.insert(t.to_string());
        body.push(between_edge(graph, *rel, t));
    }
    let mut key = Legend::default();
    for t in &types_seen {
        key.entry(t, type_colour(t), Stroke::Solid);
    }
    if any_medium {
        key.note("* medium confidence");
    }

    let names: Vec<String> = o.compared.iter().map(|n| graph.node(*n).display_name()).collect();
    let mut title = format!("Overlap: {}", names.join(", "));
    if !o.types.is_empty() {
        title.push_str(&format!(" (on {})", o.types.join(", ")));
    }
    print(
        "overlap",
        &title,
        &key,
        &[("rankdir", "LR"), ("ranksep", "1.2"), ("nodesep", "0.25")],
        body,
    )
}
