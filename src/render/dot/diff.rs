//! The DIFF diagram, shaped for a slide: the two nodes side by side at the
//! top; under them, left to right, what only the first reaches, the
//! dimensions on which they sit at opposite poles, the claims the sources
//! disagree on, and what only the second reaches. An item shown as a pole
//! or a disputed claim is not listed again among a side's own items.

use std::collections::BTreeSet;

use super::overlap::{between_edge, blocks, header, header_id, headers_width, name_and_id, region_nodes};
use super::pack::{self, Region as Region_};
use super::{DiagramOptions, Direction, Legend, Stroke, edge, html_attr, html_node, html_text, print, type_colour};
use crate::eval::domain::{Diff, Reached, node_key};
use crate::store::{Graph, NodeId};

/// The names of the items on one pole, with their sources when wanted.
fn pole_cell(graph: &Graph, held: &[Reached], opts: &DiagramOptions) -> String {
    let mut out = Vec::new();
    for r in held {
        let mut s = format!("<B>{}</B>", html_text(&graph.node(r.node).display_name()));
        if r.has_medium() {
            s.push_str(" *");
        }
        if !opts.no_sources {
            let sources: Vec<&str> = r
                .claims
                .iter()
                .flat_map(|c| c.sources.iter().map(String::as_str))
                .collect();
            s.push_str(&format!(
                "<BR/><FONT POINT-SIZE=\"11\" COLOR=\"#666666\">{}</FONT>",
                html_text(&sources.join(", "))
            ));
        }
        out.push(s);
    }
    out.join("<BR/>")
}

fn tip_of(graph: &Graph, held: &[Reached]) -> String {
    held.iter()
        .map(|r| {
            let sources: Vec<&str> = r
                .claims
                .iter()
                .flat_map(|c| c.sources.iter().map(String::as_str))
                .collect();
            format!("{} [{}]", name_and_id(graph, r.node), sources.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn diff(graph: &Graph, d: &Diff, opts: &DiagramOptions) -> String {
    let sides = d.sides();
    let names = sides.map(|n| graph.node(n).display_name());
    let mut body = vec![header(graph, sides[0], 0), header(graph, sides[1], 1)];
    let heads = sides.map(|n| header_id(graph, n));
    let mut key = Legend::default();
    let mut any_medium = false;

    // What is shown as a pole or a dispute, per side, is not listed again.
    let mut shown: [BTreeSet<(String, NodeId)>; 2] = Default::default();
    for o in &d.opposite {
        for (s, held) in o.poles.iter().enumerate() {
            shown[s].extend(held.iter().map(|r| (r.rel_type.clone(), r.node)));
        }
    }
    for x in &d.disputed {
        shown[x.side].extend(x.claims.iter().map(|r| (r.rel_type.clone(), r.node)));
    }

    // Each side's own items, packed for the slide.
    let mut packed = Vec::new();
    for s in 0..2 {
        let items: Vec<Reached> = d.only[s]
            .iter()
            .filter(|r| !shown[s].contains(&(r.rel_type.clone(), r.node)))
            .cloned()
            .collect();
        if items.is_empty() {
            continue;
        }
        let tag = format!("only:{s}");
        packed.push((
            s,
            Region_ {
                id: tag.clone(),
                title: format!("Only {}", names[s]),
                fill: "#f8f8f8",
                blocks: blocks(graph, &tag, &sides, &items, &mut key, &mut any_medium),
            },
        ));
    }
    let sides_of: Vec<usize> = packed.iter().map(|(s, _)| *s).collect();
    let only: Vec<Region_> = packed.into_iter().map(|(_, r)| r).collect();
    // The middle row's other nodes, by their longest line.
    let name_len = |r: &Reached| graph.node(r.node).display_name().chars().count();
    let opposite_w = d
        .opposite
        .iter()
        .map(|o| {
            o.poles
                .iter()
                .map(|held| held.iter().map(name_len).max().unwrap_or(0) + 30)
                .sum::<usize>()
        })
        .max()
        .map_or(0.0, |c| pack::text_width(c, 14.0) + 40.0);
    let disputed_w = d
        .disputed
        .iter()
        .flat_map(|x| x.claims.iter().map(|r| name_len(r) + r.rel_type.len() + 40))
        .max()
        .map_or(0.0, |c| pack::text_width(c, 14.0) + 30.0);
    let extra = opposite_w + disputed_w;
    let mut only_nodes = region_nodes(&only, headers_width(graph, &sides), extra)
        .into_iter()
        .zip(sides_of);

    // Left to right: only the first, opposite poles, disputes, only the second.
    let link = |body: &mut Vec<super::Stmt>, s: usize, id: &str| {
        body.push(edge(&heads[s], id, &[("color", "#888888"), ("arrowsize", "0.7")]));
    };
    let mut second = None;
    for ((id, stmt), s) in only_nodes.by_ref() {
        if s == 0 {
            body.push(stmt);
            link(&mut body, 0, &id);
        } else {
            second = Some((id, stmt));
        }
    }

    if !d.opposite.is_empty() {
        let colour = type_colour("FOCUSES_ON");
        let mut rows = String::new();
        for o in &d.opposite {
            let id = format!("opposite:{}", o.dimension);
            any_medium |= o.poles.iter().flatten().any(Reached::has_medium);
            rows.push_str(&format!(
                "<TR><TD><TABLE BORDER=\"1\" COLOR=\"{colour}\" STYLE=\"ROUNDED\" BGCOLOR=\"#ffffff\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\">\
                 <TR><TD COLSPAN=\"2\"><FONT COLOR=\"{colour}\"><B>{}</B></FONT></TD></TR>\
                 <TR><TD ALIGN=\"LEFT\" HREF=\"#\" ID=\"{}\" TOOLTIP=\"{}\">{}</TD><TD ALIGN=\"RIGHT\" HREF=\"#\" ID=\"{}\" TOOLTIP=\"{}\">{}</TD></TR></TABLE></TD></TR>",
                html_text(&o.dimension),
                html_attr(&format!("{id}:0")),
                html_attr(&format!("{}: {}", names[0], tip_of(graph, &o.poles[0]))),
                pole_cell(graph, &o.poles[0], opts),
                html_attr(&format!("{id}:1")),
                html_attr(&format!("{}: {}", names[1], tip_of(graph, &o.poles[1]))),
                pole_cell(graph, &o.poles[1], opts),
            ));
        }
        key.explained(
            "opposite poles",
            colour,
            Stroke::Box,
            &format!("left: {}, right: {}", names[0], names[1]),
        );
        let html = format!(
            "<TABLE BORDER=\"1\" COLOR=\"#999999\" STYLE=\"ROUNDED\" BGCOLOR=\"#eeeeee\" CELLBORDER=\"0\" CELLSPACING=\"4\" CELLPADDING=\"0\">\
             <TR><TD><FONT POINT-SIZE=\"16\">Opposite poles</FONT></TD></TR>{rows}</TABLE>"
        );
        body.push(html_node(
            "opposite",
            &html,
            &[("shape", "none"), ("margin", "0"), ("id", "opposite")],
        ));
        link(&mut body, 0, "opposite");
        link(&mut body, 1, "opposite");
    }

    if !d.disputed.is_empty() {
        let red = "#cc0000";
        let mut rows = String::new();
        let mut sides_in = BTreeSet::new();
        for (i, x) in d.disputed.iter().enumerate() {
            sides_in.insert(x.side);
            let id = format!("dispute:{i}");
            rows.push_str(&format!(
                "<TR><TD ALIGN=\"LEFT\"><FONT COLOR=\"{red}\"><B>{}</B></FONT></TD></TR>",
                html_text(&format!("{}: {}", names[x.side], x.detail()))
            ));
            for r in &x.claims {
                for c in &r.claims {
                    let mut line = format!(
                        "{} {}",
                        super::type_words(&r.rel_type),
                        graph.node(r.node).display_name()
                    );
                    if !opts.no_sources {
                        line.push_str(&format!(" [{}]", c.sources.join(", ")));
                    }
                    rows.push_str(&format!(
                        "<TR><TD ALIGN=\"LEFT\" HREF=\"#\" ID=\"{}\" TOOLTIP=\"{}\">{}</TD></TR>",
                        html_attr(&format!("{id}:{}:{}", c.sources.join(","), node_key(graph, r.node))),
                        html_attr(&format!(
                            "{} {} {} [{}]",
                            names[x.side],
                            r.rel_type,
                            name_and_id(graph, r.node),
                            c.sources.join(", ")
                        )),
                        html_text(&line)
                    ));
                }
            }
        }
        key.explained(
            "sources disagree",
            red,
            Stroke::Box,
            "claims about one side that different sources contradict",
        );
        let html = format!(
            "<TABLE BORDER=\"1\" COLOR=\"{red}\" STYLE=\"ROUNDED\" BGCOLOR=\"#fff4f4\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\">\
             <TR><TD><FONT POINT-SIZE=\"16\">Sources disagree</FONT></TD></TR>{rows}</TABLE>"
        );
        body.push(html_node(
            "disputed",
            &html,
            &[("shape", "none"), ("margin", "0"), ("id", "disputed")],
        ));
        for s in sides_in {
            link(&mut body, s, "disputed");
        }
    }
    if let Some((id, stmt)) = second {
        body.push(stmt);
        link(&mut body, 1, &id);
    }

    for rel in &d.between {
        let t = graph.rel(*rel).rel_type();
        key.explained(
            &super::type_words(t),
            type_colour(t),
            Stroke::Solid,
            "between the two nodes themselves",
        );
        body.push(between_edge(graph, *rel, opts));
    }
    if any_medium {
        key.note("* medium confidence");
    }
    let title = format!("How {} and {} differ", names[0], names[1]);
    print(
        "diff",
        &title,
        &key,
        opts,
        Direction::TopBottom,
        &[("ranksep", "0.6"), ("nodesep", "0.3")],
        body,
    )
}
