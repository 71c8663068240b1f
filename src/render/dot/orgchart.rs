//! The org chart: the REPORTS_TO hierarchy top-down (managers above their
//! reports). A role the sources give several possible managers ("the CEO or
//! the COO") gets dashed edges; COLLABORATES_WITH is dotted and does not
//! shape the layout; a VARIANT_OF role sits beside its role. Each role's box
//! lists the teams it leads. Roles with no stated reporting line are
//! grouped apart. Edges carry no source ids (their tooltips do); the
//! sources behind the chart are one footnote.

use std::collections::BTreeSet;

use super::overlap::name_and_id;
use super::{
    DiagramOptions, Direction as Flow, Legend, Stroke, edge, html_node, html_text, print, subgraph, type_colour,
};
use crate::eval::domain::{name_order, node_key, rel_sources};
use crate::store::{Direction, Graph, NodeId};

fn id(graph: &Graph, n: NodeId) -> String {
    format!("role:{}", node_key(graph, n))
}

/// Follows `rel_type` from `start` in `dir`, transitively.
fn closure(graph: &Graph, start: NodeId, rel_type: &str, dir: Direction) -> BTreeSet<NodeId> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![start];
    while let Some(n) = todo.pop() {
        for a in graph.neighbours(n, dir, Some(rel_type)) {
            if seen.insert(a.other) {
                todo.push(a.other);
            }
        }
    }
    seen
}

/// The roles of the chart of every Role, or with `root`, of the root's
/// managers (up the chain), its reports (down the chain) and their
/// variants; sorted by name.
pub(crate) fn chart_roles(graph: &Graph, root: Option<NodeId>) -> Vec<NodeId> {
    let mut included: BTreeSet<NodeId> = match root {
        None => graph.nodes_with_label("Role").iter().copied().collect(),
        Some(r) => {
            let mut s = BTreeSet::from([r]);
            // A variant's chart is its role's chart.
            let base: Vec<NodeId> = graph
                .neighbours(r, Direction::Outgoing, Some("VARIANT_OF"))
                .iter()
                .map(|a| a.other)
                .collect();
            for b in base.iter().copied().chain([r]) {
                s.insert(b);
                s.extend(closure(graph, b, "REPORTS_TO", Direction::Outgoing));
                s.extend(closure(graph, b, "REPORTS_TO", Direction::Incoming));
            }
            s
        }
    };
    let variants: Vec<NodeId> = included
        .iter()
        .flat_map(|n| graph.neighbours(*n, Direction::Incoming, Some("VARIANT_OF")))
        .map(|a| a.other)
        .collect();
    included.extend(variants);
    let mut roles: Vec<NodeId> = included.iter().copied().collect();
    roles.sort_by_cached_key(|n| name_order(graph, *n));
    roles
}

/// The relationships of type `t` at `n` whose other end is in `included`,
/// sorted by that end's name.
pub(crate) fn rels_within(
    graph: &Graph,
    included: &BTreeSet<NodeId>,
    n: NodeId,
    t: &str,
    dir: Direction,
) -> Vec<crate::store::Adj> {
    let mut v: Vec<_> = graph
        .neighbours(n, dir, Some(t))
        .into_iter()
        .filter(|a| included.contains(&a.other))
        .collect();
    v.sort_by_cached_key(|a| (name_order(graph, a.other), a.rel));
    v
}

/// The chart of every Role, or with `root`, of the root's managers (up the
/// chain), its reports (down the chain) and their variants.
pub fn orgchart(graph: &Graph, root: Option<NodeId>, opts: &DiagramOptions) -> String {
    let roles = chart_roles(graph, root);
    let included: BTreeSet<NodeId> = roles.iter().copied().collect();

    let rels_of = |n: NodeId, t: &str, dir: Direction| rels_within(graph, &included, n, t, dir);

    let mut body = Vec::new();
    let mut key = Legend::default();
    let mut sources_used: BTreeSet<String> = BTreeSet::new();
    let mut unstated = Vec::new();
    let mut placed = Vec::new();
    let mut anchors = Vec::new();
    for n in &roles {
        let is_variant = !rels_of(*n, "VARIANT_OF", Direction::Outgoing).is_empty();
        let has_line = !rels_of(*n, "REPORTS_TO", Direction::Both).is_empty();
        let has_variants = !rels_of(*n, "VARIANT_OF", Direction::Incoming).is_empty();
        let fill = if Some(*n) == root {
            "#ffe599"
        } else if is_variant {
            "#f3f3f3"
        } else {
            "#cfe2f3"
        };
        let style = if is_variant {
            "rounded,filled,dashed"
        } else {
            "rounded,filled"
        };
        let teams: Vec<crate::store::Adj> = {
            let mut v = graph.neighbours(*n, Direction::Outgoing, Some("LEADS"));
            v.sort_by_cached_key(|a| (name_order(graph, a.other), a.rel));
            v
        };
        let mut html = format!("<B>{}</B>", html_text(&graph.node(*n).display_name()));
        if !teams.is_empty() {
            key.explained(
                "leads",
                type_colour("LEADS"),
                Stroke::Box,
                "the teams a role leads, listed in its box",
            );
        }
        for t in &teams {
            sources_used.extend(rel_sources(graph, t.rel).0);
            html.push_str(&format!(
                "<BR/><FONT POINT-SIZE=\"12\" COLOR=\"{}\">\u{25B8} {}</FONT>",
                type_colour("LEADS"),
                html_text(&graph.node(t.other).display_name())
            ));
        }
        let mut tip = name_and_id(graph, *n);
        if !teams.is_empty() {
            let names: Vec<String> = teams.iter().map(|t| name_and_id(graph, t.other)).collect();
            tip.push_str(&format!("; leads {}", names.join(", ")));
        }
        let stmt = html_node(
            &id(graph, *n),
            &html,
            &[
                ("shape", "box"),
                ("style", style),
                ("fillcolor", fill),
                ("tooltip", &tip),
                ("id", &id(graph, *n)),
                ("margin", "0.15,0.06"),
            ],
        );
        if has_line || is_variant || has_variants {
            placed.push(stmt);
        } else {
            unstated.push(stmt);
        }
    }
    body.extend(placed);
    if !unstated.is_empty() {
        // Invisible edges from a role at the bottom of the hierarchy keep
        // the unplaced roles below it rather than beside the top managers.
        let bottom = roles.iter().find(|n| {
            !rels_of(**n, "REPORTS_TO", Direction::Outgoing).is_empty()
                && rels_of(**n, "REPORTS_TO", Direction::Incoming).is_empty()
        });
        if let Some(b) = bottom {
            for n in &roles {
                let placed = !rels_of(*n, "REPORTS_TO", Direction::Both).is_empty()
                    || !rels_of(*n, "VARIANT_OF", Direction::Both).is_empty();
                if !placed {
                    anchors.push(edge(&id(graph, *b), &id(graph, *n), &[("style", "invis")]));
                }
            }
        }
        body.push(subgraph(
            "cluster_unstated",
            &[
                ("label", "Reporting line not stated"),
                ("style", "rounded,dashed"),
                ("color", "#999999"),
            ],
            unstated,
        ));
    }

    let colour = type_colour("REPORTS_TO");
    for n in &roles {
        let managers = rels_of(*n, "REPORTS_TO", Direction::Outgoing);
        let style = if managers.len() > 1 { "dashed" } else { "solid" };
        if managers.len() > 1 {
            key.entry("reports to one of several", colour, Stroke::Dashed);
        } else if !managers.is_empty() {
            key.entry("reports to", colour, Stroke::Solid);
        }
        for m in &managers {
            let (sources, _) = rel_sources(graph, m.rel);
            sources_used.extend(sources.iter().cloned());
            let tip = format!(
                "{} reports to {} ({})",
                graph.node(*n).display_name(),
                graph.node(m.other).display_name(),
                sources.join(", ")
            );
            body.push(edge(
                &id(graph, m.other),
                &id(graph, *n),
                &[("color", colour), ("style", style), ("dir", "back"), ("tooltip", &tip)],
            ));
        }
    }
    let collab = type_colour("COLLABORATES_WITH");
    for n in &roles {
        for c in rels_of(*n, "COLLABORATES_WITH", Direction::Outgoing) {
            key.entry("collaborates with", collab, Stroke::Dotted);
            let (sources, _) = rel_sources(graph, c.rel);
            sources_used.extend(sources.iter().cloned());
            let tip = format!(
                "{} collaborates with {} [{}]",
                graph.node(*n).display_name(),
                graph.node(c.other).display_name(),
                sources.join(", ")
            );
            body.push(edge(
                &id(graph, *n),
                &id(graph, c.other),
                &[
                    ("color", collab),
                    ("style", "dotted"),
                    ("dir", "none"),
                    ("constraint", "false"),
                    ("penwidth", "1.5"),
                    ("tooltip", &tip),
                ],
            ));
        }
    }
    let variant = type_colour("VARIANT_OF");
    for n in &roles {
        let vs = rels_of(*n, "VARIANT_OF", Direction::Incoming);
        if vs.is_empty() {
            continue;
        }
        for v in &vs {
            key.entry("variant of", variant, Stroke::Solid);
            sources_used.extend(rel_sources(graph, v.rel).0);
            body.push(edge(
                &id(graph, *n),
                &id(graph, v.other),
                &[
                    ("color", variant),
                    ("arrowhead", "none"),
                    ("style", "bold"),
                    // Beside the role: an edge that may be flat. No
                    // `rank=same` group, which Graphviz 2.43 cannot combine
                    // with the chart's clusters.
                    ("minlen", "0"),
                ],
            ));
        }
    }
    body.extend(anchors);
    if !opts.no_sources && !sources_used.is_empty() {
        key.note(&super::sources_note(graph, &sources_used));
    }
    let title = match root {
        None => "Who reports to whom".to_string(),
        Some(r) => format!("Who {} reports to, and who reports to it", graph.node(r).display_name()),
    };
    print(
        "orgchart",
        &title,
        &key,
        opts,
        Flow::TopBottom,
        &[("nodesep", "0.35"), ("ranksep", "0.6")],
        body,
    )
}
