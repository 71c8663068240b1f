//! The DIFF diagram: the two nodes as headers left and right; beside each,
//! what only it reaches (one box per type); in the middle, the dimensions on
//! which they sit at opposite poles (one cluster per dimension, edges carry
//! the sources) and the claims the sources disagree on.

use std::collections::BTreeSet;

use super::overlap::{between_edge, by_type, header, header_id, side_edge};
use super::{Legend, Stroke, lines, node, print, subgraph, type_colour};
use crate::eval::domain::{Diff, node_key, rel_sources};
use crate::store::Graph;

pub fn diff(graph: &Graph, d: &Diff) -> String {
    let sides = d.sides();
    let mut body = vec![header(graph, sides[0], 0), header(graph, sides[1], 1)];
    let heads = sides.map(|n| header_id(graph, n));
    let mut types_seen = BTreeSet::new();
    let mut any_medium = false;

    for s in 0..2 {
        let mut stmts = Vec::new();
        let mut edges = Vec::new();
        for (t, names) in by_type(graph, &d.only[s]) {
            types_seen.insert(t.clone());
            any_medium |= names.iter().any(|n| n.ends_with(" *"));
            let id = format!("only:{s}:{t}");
            stmts.push(node(
                &id,
                &[
                    ("label", &lines(&format!("{t} ({})", names.len()), &names)),
                    ("shape", "box"),
                    ("style", "rounded"),
                    ("color", type_colour(&t)),
                    ("penwidth", "1.5"),
                ],
            ));
            edges.push(side_edge(&heads[s], &id, s == 0, &[("color", type_colour(&t))]));
        }
        if stmts.is_empty() {
            continue;
        }
        body.push(subgraph(
            &format!("cluster_only_{s}"),
            &[
                ("label", &format!("Only {}", graph.node(sides[s]).display_name())),
                ("style", "rounded,filled"),
                ("fillcolor", "#f8f8f8"),
                ("color", "#999999"),
            ],
            stmts,
        ));
        body.extend(edges);
    }

    if !d.opposite.is_empty() {
        types_seen.insert("FOCUSES_ON".to_string());
        let colour = type_colour("FOCUSES_ON");
        let mut dims = Vec::new();
        let mut edges = Vec::new();
        for o in &d.opposite {
            let mut poles = Vec::new();
            let mut seen = BTreeSet::new();
            for (s, held) in o.poles.iter().enumerate() {
                for r in held {
                    let id = format!("pole:{}:{}", o.dimension, node_key(graph, r.node));
                    if seen.insert(id.clone()) {
                        poles.push(node(
                            &id,
                            &[
                                ("label", &graph.node(r.node).display_name()),
                                ("shape", "ellipse"),
                                ("color", colour),
                            ],
                        ));
                    }
                    for c in &r.claims {
                        let mut label = c.sources.join("\n");
                        if let Some(conf) = &c.confidence {
                            label.push_str(&format!("\n({conf})"));
                        }
                        edges.push(side_edge(
                            &heads[s],
                            &id,
                            s == 0,
                            &[("color", colour), ("label", &label), ("fontcolor", "#555555")],
                        ));
                    }
                }
            }
            dims.push(subgraph(
                &format!("cluster_dimension_{}", o.dimension),
                &[("label", &o.dimension), ("style", "rounded"), ("color", colour)],
                poles,
            ));
        }
        body.push(subgraph(
            "cluster_opposite",
            &[
                ("label", "Opposite poles"),
                ("style", "rounded,filled"),
                ("fillcolor", "#eeeeee"),
                ("color", "#999999"),
            ],
            dims,
        ));
        body.extend(edges);
    }

    if !d.disputed.is_empty() {
        let mut stmts = Vec::new();
        let mut edges = Vec::new();
        for (i, x) in d.disputed.iter().enumerate() {
            let id = format!("dispute:{i}");
            let claims: Vec<String> = x
                .claims
                .iter()
                .flat_map(|r| {
                    r.claims.iter().map(move |c| {
                        format!(
                            "{} {}: {}",
                            r.rel_type,
                            graph.node(r.node).display_name(),
                            c.sources.join(", ")
                        )
                    })
                })
                .collect();
            let head = format!("{}: {}", graph.node(sides[x.side]).display_name(), x.detail());
            stmts.push(node(
                &id,
                &[
                    ("label", &lines(&head, &claims)),
                    ("shape", "note"),
                    ("color", "#cc0000"),
                ],
            ));
            edges.push(side_edge(
                &heads[x.side],
                &id,
                x.side == 0,
                &[("color", "#cc0000"), ("style", "dashed")],
            ));
        }
        body.push(subgraph(
            "cluster_disputed",
            &[
                ("label", "Sources disagree"),
                ("style", "rounded"),
                ("color", "#cc0000"),
            ],
            stmts,
        ));
        body.extend(edges);
    }

    for rel in &d.between {
        let r = graph.rel(*rel);
        let t = r.rel_type();
        types_seen.insert(t.to_string());
        let (sources, _) = rel_sources(graph, *rel);
        let label = format!("{t}\n{}", sources.join(", "));
        body.push(between_edge(graph, *rel, &label));
    }

    let mut key = Legend::default();
    for t in &types_seen {
        key.entry(t, type_colour(t), Stroke::Solid);
    }
    if any_medium {
        key.note("* medium confidence");
    }
    let title = format!(
        "Diff: {} vs {}",
        graph.node(sides[0]).display_name(),
        graph.node(sides[1]).display_name()
    );
    print(
        "diff",
        &title,
        &key,
        &[("rankdir", "LR"), ("ranksep", "1.2"), ("nodesep", "0.25")],
        body,
    )
}
