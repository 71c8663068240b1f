//! The OVERLAP diagram, shaped for a slide: the compared nodes side by side
//! at the top, and under them one box per non-empty Venn region, the
//! regions side by side (each compared node's own region under it, the
//! shared ones between). Inside a region, one list per relationship type,
//! in as many columns as make the whole drawing fit a 16:9 frame best
//! ([`pack`]). Empty regions are left out and named in a note. Labels show
//! names; ids and sources are in the tooltips.

use super::pack::{self, Block, Region as Region_};
use super::{
    DiagramOptions, Direction, Legend, ListItem, Stroke, edge, header_fill, html_node, node, print, type_colour,
    type_words,
};
use crate::eval::domain::{Overlap, Reached, Region, UNDIRECTED, node_key, rel_sources};
use crate::render::titles::{overlap_title, region_key, region_title};
use crate::store::{Graph, NodeId};

pub(super) fn header_id(graph: &Graph, n: NodeId) -> String {
    format!("node:{}", node_key(graph, n))
}

/// "Name (id)" when the node has an id different from its name.
pub(super) fn name_and_id(graph: &Graph, n: NodeId) -> String {
    let node_ref = graph.node(n);
    match node_ref.key() {
        Some(k) if k != node_ref.display_name() => format!("{} ({k})", node_ref.display_name()),
        _ => node_ref.display_name(),
    }
}

/// A compared node: its name in a filled box, the id in the tooltip.
pub(super) fn header(graph: &Graph, n: NodeId, i: usize) -> super::Stmt {
    let name = graph.node(n).display_name();
    let tip = name_and_id(graph, n);
    node(
        &header_id(graph, n),
        &[
            ("label", &name),
            ("tooltip", &tip),
            ("id", &header_id(graph, n)),
            ("shape", "box"),
            ("style", "rounded,filled,bold"),
            ("fillcolor", header_fill(i)),
            ("fontsize", "18"),
            ("margin", "0.2,0.1"),
        ],
    )
}

/// A relationship joining two compared nodes: an edge between their
/// headers, coloured by type, that does not pull the layout.
pub(super) fn between_edge(graph: &Graph, rel: crate::store::RelId, opts: &DiagramOptions) -> super::Stmt {
    let r = graph.rel(rel);
    let t = r.rel_type();
    let (sources, _) = rel_sources(graph, rel);
    let mut label = type_words(t);
    if !opts.no_sources && !sources.is_empty() {
        label.push_str(&format!("\n[{}]", sources.join(", ")));
    }
    let tip = format!(
        "{} {t} {} [{}]",
        name_and_id(graph, r.start()),
        name_and_id(graph, r.end()),
        sources.join(", ")
    );
    let mut a = vec![
        ("color", type_colour(t)),
        ("label", label.as_str()),
        ("fontcolor", type_colour(t)),
        ("constraint", "false"),
        ("penwidth", "2"),
        ("tooltip", tip.as_str()),
    ];
    if UNDIRECTED.contains(&t) {
        a.push(("dir", "none"));
    }
    edge(&header_id(graph, r.start()), &header_id(graph, r.end()), &a)
}

/// The items of one type as list entries: names with `*` for medium
/// confidence; tooltips with the id, who claims it and the sources.
pub(super) fn list_items(graph: &Graph, prefix: &str, compared: &[NodeId], items: &[&Reached]) -> Vec<ListItem> {
    items
        .iter()
        .map(|r| {
            let mut name = graph.node(r.node).display_name();
            if r.has_medium() {
                name.push_str(" *");
            }
            let claims: Vec<String> = r
                .claims
                .iter()
                .map(|c| {
                    let who = graph.node(compared[c.by]).display_name();
                    let conf = c.confidence.as_deref().map(|c| format!(", {c}")).unwrap_or_default();
                    format!("{who}: {}{conf}", c.sources.join(", "))
                })
                .collect();
            ListItem {
                name,
                tip: format!("{} | {}", name_and_id(graph, r.node), claims.join("; ")),
                element: format!("{prefix}:{}", node_key(graph, r.node)),
            }
        })
        .collect()
}

/// Groups items by type, in order: (type, items).
pub(super) fn by_type<'a>(items: impl IntoIterator<Item = &'a Reached>) -> Vec<(String, Vec<&'a Reached>)> {
    let mut out: Vec<(String, Vec<&Reached>)> = Vec::new();
    for r in items {
        match out.last_mut() {
            Some((t, v)) if *t == r.rel_type => v.push(r),
            _ => out.push((r.rel_type.clone(), vec![r])),
        }
    }
    out
}

/// A region's items as blocks, one per type; notes the kinds in the key.
pub(super) fn blocks(
    graph: &Graph,
    tag: &str,
    compared: &[NodeId],
    items: &[Reached],
    key: &mut Legend,
    any_medium: &mut bool,
) -> Vec<Block> {
    by_type(items)
        .into_iter()
        .map(|(t, group)| {
            *any_medium |= group.iter().any(|r| r.has_medium());
            let colour = type_colour(&t);
            key.explained(&type_words(&t), colour, Stroke::Box, &format!("what is reached by {t}"));
            Block {
                heading: format!("{} ({})", type_words(&t), group.len()),
                colour,
                items: list_items(graph, &format!("item:{tag}:{t}"), compared, &group),
            }
        })
        .collect()
}

/// Points above the regions: the title, the legend and the header row.
pub(super) const ABOVE: f64 = 190.0;

/// The headers' row width, which the regions' row need not undercut.
pub(super) fn headers_width(graph: &Graph, nodes: &[NodeId]) -> f64 {
    nodes
        .iter()
        .map(|n| graph.node(*n).display_name().chars().count() as f64 * 18.0 * 0.56 + 60.0)
        .sum()
}

/// The regions as nodes, packed for the slide: (id, statement) each.
pub(super) fn region_nodes(regions: &[Region_], min_width: f64, extra: f64) -> Vec<(String, super::Stmt)> {
    let h = pack::choose_height(regions, ABOVE, min_width, extra);
    regions
        .iter()
        .map(|r| {
            let html = pack::region_html(r, h);
            (
                r.id.clone(),
                html_node(&r.id, &html, &[("shape", "none"), ("margin", "0"), ("id", &r.id)]),
            )
        })
        .collect()
}

pub fn overlap(graph: &Graph, o: &Overlap, opts: &DiagramOptions) -> String {
    let mut body = Vec::new();
    for (i, n) in o.compared.iter().enumerate() {
        body.push(header(graph, *n, i));
    }
    // Regions left to right by where their members sit among the headers
    // (the mean position), larger regions first on a tie: each node's own
    // region lands under it and the shared ones between.
    let mut regions: Vec<&Region> = o.regions.iter().collect();
    regions.sort_by(|a, b| {
        let sum = |r: &Region| r.members.iter().sum::<usize>();
        (sum(a) * b.members.len())
            .cmp(&(sum(b) * a.members.len()))
            .then_with(|| b.members.len().cmp(&a.members.len()))
            .then_with(|| a.members.cmp(&b.members))
    });
    let mut key = Legend::default();
    let mut any_medium = false;
    let mut empty = Vec::new();
    let mut packed = Vec::new();
    let mut members = Vec::new();
    for r in regions {
        if r.items.is_empty() {
            empty.push(region_title(graph, o, r));
            continue;
        }
        let tag = region_key(r);
        packed.push(Region_ {
            id: tag.clone(),
            title: region_title(graph, o, r),
            fill: if r.members.len() > 1 { "#eeeeee" } else { "#f8f8f8" },
            blocks: blocks(graph, &tag, &o.compared, &r.items, &mut key, &mut any_medium),
        });
        members.push(r.members.clone());
    }
    for ((id, stmt), ms) in region_nodes(&packed, headers_width(graph, &o.compared), 0.0)
        .into_iter()
        .zip(members)
    {
        body.push(stmt);
        for m in ms {
            body.push(edge(
                &header_id(graph, o.compared[m]),
                &id,
                &[("color", "#888888"), ("arrowsize", "0.7")],
            ));
        }
    }
    for rel in &o.between {
        let t = graph.rel(*rel).rel_type();
        key.explained(
            &type_words(t),
            type_colour(t),
            Stroke::Solid,
            "between the compared nodes themselves",
        );
        body.push(between_edge(graph, *rel, opts));
    }
    if any_medium {
        key.note("* medium confidence");
    }
    if !empty.is_empty() {
        key.note(&format!("Empty, not drawn: {}", empty.join("; ")));
    }

    let title = overlap_title(graph, o);
    print(
        "overlap",
        &title,
        &key,
        opts,
        Direction::TopBottom,
        &[("ranksep", "0.6"), ("nodesep", "0.3")],
        body,
    )
}
