//! Mermaid flowcharts, for wikis: GitHub, GitLab, Notion and Confluence
//! draw a ```` ```mermaid ```` block inside Markdown. The same diagrams as
//! the DOT ones (overlap regions, DIFF, PATH, the org chart, any result's
//! nodes and relationships), written with generated ids (`n0`, `g1`, ...)
//! so no name can break the syntax; every label goes through [`text`], and
//! each node's real id is in a `%%` comment beside it.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::eval::Rows;
use crate::eval::domain::{Diff, Matrix, Overlap, PathResult, Reached, Subgraph, UNDIRECTED, node_key, rel_sources};
use crate::render::dot::{DiagramOptions, Direction, header_fill, type_colour, type_words};
use crate::render::exact::{self, Holds};
use crate::render::titles;
use crate::store::{Direction as Dir, Graph, NodeId, RelId};
use crate::value::Value;

/// `s` as text inside a quoted Mermaid label: quotes and markup as Mermaid's
/// `#...;` entities, a newline as a line break, other control characters
/// written visibly as `\xNN`.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut lossy = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("<br/>"),
            c if exact::needs_escape(c, Holds::Text) => {
                lossy = true;
                out.push_str(&exact::visible(c));
            }
            c => out.push(c),
        }
    }
    if lossy {
        exact::changed(s);
    }
    out
}

/// One line of a `%%` comment: no line breaks.
fn comment(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// A flowchart being written: nodes get short generated ids.
struct Chart {
    out: String,
    ids: Vec<(String, String)>,
    links: usize,
    link_styles: Vec<String>,
}

impl Chart {
    fn new(title: &str, opts: &DiagramOptions, default: Direction) -> Chart {
        let title = opts.title.as_deref().unwrap_or(title);
        let mut yaml = String::from("\"");
        for c in title.chars() {
            match c {
                '"' => yaml.push_str("\\\""),
                '\\' => yaml.push_str("\\\\"),
                c if c.is_control() => yaml.push(' '),
                c => yaml.push(c),
            }
        }
        yaml.push('"');
        let dir = match opts.direction.unwrap_or(default) {
            Direction::TopBottom => "TB",
            Direction::LeftRight => "LR",
        };
        Chart {
            out: format!("---\ntitle: {yaml}\n---\nflowchart {dir}\n"),
            ids: Vec::new(),
            links: 0,
            link_styles: Vec::new(),
        }
    }

    /// The generated id for `key` (made on first use).
    fn id(&mut self, key: &str) -> String {
        if let Some((_, id)) = self.ids.iter().find(|(k, _)| k == key) {
            return id.clone();
        }
        let id = format!("n{}", self.ids.len());
        self.ids.push((key.to_string(), id.clone()));
        id
    }

    fn line(&mut self, indent: usize, s: &str) {
        let _ = writeln!(self.out, "{}{s}", "  ".repeat(indent));
    }

    /// A node with `label` (already [`text`]) and its real id as a comment.
    fn node(&mut self, indent: usize, key: &str, label: &str, shape: (&str, &str), style: Option<String>) -> String {
        let id = self.id(key);
        self.line(indent, &format!("%% {}", comment(key)));
        self.line(indent, &format!("{id}{}\"{label}\"{}", shape.0, shape.1));
        if let Some(st) = style {
            self.line(indent, &format!("style {id} {st}"));
        }
        id
    }

    /// A link; `arrow` is Mermaid's (`-->`, `-.->`, `---`, ...).
    fn link(&mut self, a: &str, arrow: &str, label: Option<&str>, b: &str, colour: Option<&str>) {
        match label {
            Some(l) if !l.is_empty() => self.line(1, &format!("{a} {arrow}|\"{l}\"| {b}")),
            _ => self.line(1, &format!("{a} {arrow} {b}")),
        }
        if let Some(c) = colour {
            self.link_styles
                .push(format!("linkStyle {} stroke:{c},color:{c}", self.links));
        }
        self.links += 1;
    }

    fn finish(mut self, notes: &[String]) -> String {
        if !notes.is_empty() {
            let body: Vec<String> = notes.iter().map(|n| text(n)).collect();
            self.line(1, &format!("notes[\"{}\"]", body.join("<br/>")));
            self.line(1, "style notes fill:#ffffff,stroke:#bbbbbb,color:#555555");
        }
        let styles = std::mem::take(&mut self.link_styles);
        for s in styles {
            self.line(1, &s);
        }
        self.out
    }
}

/// A list of items under a heading, as one label.
fn list_label(graph: &Graph, heading: &str, items: &[&Reached]) -> String {
    let mut s = format!("<b>{}</b>", text(heading));
    for r in items {
        s.push_str("<br/>");
        s.push_str(&text(&graph.node(r.node).display_name()));
        if r.has_medium() {
            s.push_str(" *");
        }
    }
    s
}

fn by_type<'a>(items: impl IntoIterator<Item = &'a Reached>) -> Vec<(String, Vec<&'a Reached>)> {
    let mut out: Vec<(String, Vec<&Reached>)> = Vec::new();
    for r in items {
        match out.last_mut() {
            Some((t, v)) if *t == r.rel_type => v.push(r),
            _ => out.push((r.rel_type.clone(), vec![r])),
        }
    }
    out
}

/// A subgraph of type lists; returns its id.
fn region(c: &mut Chart, key: &str, title: &str, items: &[Reached], graph: &Graph, medium: &mut bool) -> String {
    let gid = c.id(key);
    c.line(1, &format!("subgraph {gid}[\"{}\"]", text(title)));
    c.line(2, "direction TB");
    for (t, group) in by_type(items) {
        *medium |= group.iter().any(|r| r.has_medium());
        let label = list_label(graph, &format!("{} ({})", type_words(&t), group.len()), &group);
        let style = format!("fill:#ffffff,stroke:{}", type_colour(&t));
        c.node(2, &format!("{key}:{t}"), &label, ("[", "]"), Some(style));
    }
    c.line(1, "end");
    gid
}

fn header(c: &mut Chart, graph: &Graph, n: NodeId, i: usize) -> String {
    let label = format!("<b>{}</b>", text(&graph.node(n).display_name()));
    let style = format!("fill:{},stroke:#333333", header_fill(i));
    c.node(
        1,
        &format!("node:{}", node_key(graph, n)),
        &label,
        ("(", ")"),
        Some(style),
    )
}

fn between(c: &mut Chart, graph: &Graph, rels: &[RelId], opts: &DiagramOptions) {
    for rel in rels {
        let r = graph.rel(*rel);
        let t = r.rel_type();
        let (a, b) = (
            c.id(&format!("node:{}", node_key(graph, r.start()))),
            c.id(&format!("node:{}", node_key(graph, r.end()))),
        );
        let label = edge_label(graph, *rel, opts);
        let arrow = if UNDIRECTED.contains(&t) { "-.-" } else { "-.->" };
        c.link(&a, arrow, Some(&label), &b, Some(type_colour(t)));
    }
}

fn edge_label(graph: &Graph, rel: RelId, opts: &DiagramOptions) -> String {
    let (sources, confidence) = rel_sources(graph, rel);
    let mut s = text(&type_words(graph.rel(rel).rel_type()));
    if !opts.no_sources && !sources.is_empty() {
        s.push_str(&format!("<br/>[{}]", text(&sources.join(", "))));
    }
    if let Some(c) = confidence {
        s.push_str(&format!(" ({})", text(&c)));
    }
    s
}

pub fn overlap(graph: &Graph, o: &Overlap, opts: &DiagramOptions) -> String {
    let mut c = Chart::new(&titles::overlap_title(graph, o), opts, Direction::TopBottom);
    let heads: Vec<String> = o
        .compared
        .iter()
        .enumerate()
        .map(|(i, n)| header(&mut c, graph, *n, i))
        .collect();
    let mut medium = false;
    let mut empty = Vec::new();
    for r in &o.regions {
        let title = titles::region_title(graph, o, r);
        if r.items.is_empty() {
            empty.push(title);
            continue;
        }
        let key = titles::region_key(r);
        let gid = region(&mut c, &key, &title, &r.items, graph, &mut medium);
        for m in &r.members {
            let h = heads[*m].clone();
            c.link(&h, "-->", None, &gid, None);
        }
    }
    between(&mut c, graph, &o.between, opts);
    let mut notes = Vec::new();
    if medium {
        notes.push("* medium confidence".to_string());
    }
    if !empty.is_empty() {
        notes.push(format!("Empty, not drawn: {}", empty.join("; ")));
    }
    c.finish(&notes)
}

/// MATRIX as a flowchart: the compared nodes on the left, every item on
/// the right, a link where a node reaches an item (dashed, with the
/// confidence, when one is stated), and the items more than one node
/// reaches shaded: what must be settled when duties are split.
pub fn matrix(graph: &Graph, m: &Matrix, opts: &DiagramOptions) -> String {
    let mut c = Chart::new(&titles::matrix_title(graph, m), opts, Direction::LeftRight);
    let heads: Vec<String> = m
        .compared
        .iter()
        .enumerate()
        .map(|(i, n)| header(&mut c, graph, *n, i))
        .collect();
    let several_types = m.items.iter().any(|i| i.rel_type != m.items[0].rel_type);
    let mut sources = BTreeSet::new();
    for item in &m.items {
        let mut label = text(&graph.node(item.node).display_name());
        if several_types {
            label.push_str(&format!("<br/><i>{}</i>", text(&type_words(&item.rel_type))));
        }
        let style = if item.claims.len() > 1 {
            "fill:#fde9c4,stroke:#e69500"
        } else {
            "fill:#ffffff,stroke:#bbbbbb"
        };
        let id = c.node(
            1,
            &format!("item:{}:{}", item.rel_type, node_key(graph, item.node)),
            &label,
            ("[", "]"),
            Some(style.to_string()),
        );
        for claim in &item.claims {
            sources.extend(claim.sources.iter().cloned());
            let (arrow, label) = match &claim.confidence {
                Some(conf) => ("-.->", Some(text(conf))),
                None => ("-->", None),
            };
            let head = heads[claim.by].clone();
            c.link(&head, arrow, label.as_deref(), &id, Some(type_colour(&item.rel_type)));
        }
    }
    let shared = m.shared().count();
    let mut notes = vec![if shared == 0 {
        "No item is reached by more than one.".to_string()
    } else {
        format!("Shaded: reached by more than one ({shared}), to settle when duties are split")
    }];
    if !opts.no_sources && !sources.is_empty() {
        notes.push(crate::render::dot::sources_note(graph, &sources));
    }
    c.finish(&notes)
}

pub fn diff(graph: &Graph, d: &Diff, opts: &DiagramOptions) -> String {
    let sides = d.sides();
    let names = sides.map(|n| graph.node(n).display_name());
    let mut c = Chart::new(
        &format!("How {} and {} differ", names[0], names[1]),
        opts,
        Direction::TopBottom,
    );
    let heads = [header(&mut c, graph, sides[0], 0), header(&mut c, graph, sides[1], 1)];
    let mut medium = false;
    let mut shown: [BTreeSet<(String, NodeId)>; 2] = Default::default();
    for o in &d.opposite {
        for (s, held) in o.poles.iter().enumerate() {
            shown[s].extend(held.iter().map(|r| (r.rel_type.clone(), r.node)));
        }
    }
    for x in &d.disputed {
        shown[x.side].extend(x.claims.iter().map(|r| (r.rel_type.clone(), r.node)));
    }
    let mut only_ids = [None, None];
    for s in 0..2 {
        let items: Vec<Reached> = d.only[s]
            .iter()
            .filter(|r| !shown[s].contains(&(r.rel_type.clone(), r.node)))
            .cloned()
            .collect();
        if !items.is_empty() {
            only_ids[s] = Some(region(
                &mut c,
                &format!("only:{s}"),
                &format!("Only {}", names[s]),
                &items,
                graph,
                &mut medium,
            ));
        }
    }
    if !d.opposite.is_empty() {
        let gid = c.id("opposite");
        c.line(1, &format!("subgraph {gid}[\"Opposite poles\"]"));
        c.line(2, "direction TB");
        for o in &d.opposite {
            let pole = |held: &[Reached]| {
                held.iter()
                    .map(|r| {
                        let mut s = text(&graph.node(r.node).display_name());
                        if !opts.no_sources {
                            let src: Vec<&str> = r
                                .claims
                                .iter()
                                .flat_map(|c| c.sources.iter().map(String::as_str))
                                .collect();
                            s.push_str(&format!(" [{}]", text(&src.join(", "))));
                        }
                        s
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let label = format!(
                "<b>{}</b><br/>{}: {}<br/>{}: {}",
                text(&o.dimension),
                text(&names[0]),
                pole(&o.poles[0]),
                text(&names[1]),
                pole(&o.poles[1])
            );
            let style = format!("fill:#ffffff,stroke:{}", type_colour("FOCUSES_ON"));
            c.node(2, &format!("opposite:{}", o.dimension), &label, ("[", "]"), Some(style));
        }
        c.line(1, "end");
        for h in &heads {
            c.link(h, "-->", None, &gid, None);
        }
    }
    if !d.disputed.is_empty() {
        let gid = c.id("disputed");
        c.line(1, &format!("subgraph {gid}[\"Sources disagree\"]"));
        c.line(2, "direction TB");
        let mut sides_in = BTreeSet::new();
        for (i, x) in d.disputed.iter().enumerate() {
            sides_in.insert(x.side);
            let mut label = format!("<b>{}</b>", text(&format!("{}: {}", names[x.side], x.detail())));
            for r in &x.claims {
                for cl in &r.claims {
                    let mut line = format!("{} {}", type_words(&r.rel_type), graph.node(r.node).display_name());
                    if !opts.no_sources {
                        line.push_str(&format!(" [{}]", cl.sources.join(", ")));
                    }
                    label.push_str("<br/>");
                    label.push_str(&text(&line));
                }
            }
            c.node(
                2,
                &format!("dispute:{i}"),
                &label,
                ("[", "]"),
                Some("fill:#fff4f4,stroke:#cc0000".into()),
            );
        }
        c.line(1, "end");
        for s in sides_in {
            c.link(&heads[s].clone(), "-->", None, &gid, None);
        }
    }
    for (s, g) in only_ids.iter().enumerate() {
        if let Some(g) = g {
            c.link(&heads[s].clone(), "-->", None, g, None);
        }
    }
    between(&mut c, graph, &d.between, opts);
    let notes = if medium {
        vec!["* medium confidence".to_string()]
    } else {
        vec![]
    };
    c.finish(&notes)
}

fn plain_node(c: &mut Chart, graph: &Graph, n: NodeId, highlight: bool) -> String {
    let key = match graph.node(n).key() {
        Some(k) => format!("node:{k}"),
        None => format!("node:#{}", n.index()),
    };
    let fill = if highlight { "#ffe599" } else { "#cfe2f3" };
    c.node(
        1,
        &key,
        &text(&graph.node(n).display_name()),
        ("(", ")"),
        Some(format!("fill:{fill},stroke:#333333")),
    )
}

pub fn path(graph: &Graph, p: &PathResult, opts: &DiagramOptions) -> String {
    let (from, to) = (graph.node(p.from).display_name(), graph.node(p.to).display_name());
    let title = if p.paths.is_empty() {
        format!("No path between {from} and {to}")
    } else if p.paths.len() > 1 {
        format!("The {} shortest paths from {from} to {to}", p.paths.len())
    } else {
        format!("The shortest path from {from} to {to}")
    };
    let mut c = Chart::new(&title, opts, Direction::LeftRight);
    let mut seen_nodes = BTreeSet::new();
    for n in p.paths.iter().flat_map(|x| x.nodes.iter()).chain([&p.from, &p.to]) {
        if seen_nodes.insert(*n) {
            plain_node(&mut c, graph, *n, *n == p.from || *n == p.to);
        }
    }
    let mut seen = BTreeSet::new();
    for path in &p.paths {
        for (i, r) in path.rels.iter().enumerate() {
            if !seen.insert(*r) {
                continue;
            }
            rel_link(&mut c, graph, *r, opts);
            let _ = i;
        }
    }
    c.finish(&[])
}

/// A relationship as a link the way it is stored.
fn rel_link(c: &mut Chart, graph: &Graph, r: RelId, opts: &DiagramOptions) {
    let rel = graph.rel(r);
    let key = |n: NodeId| match graph.node(n).key() {
        Some(k) => format!("node:{k}"),
        None => format!("node:#{}", n.index()),
    };
    let (a, b) = (c.id(&key(rel.start())), c.id(&key(rel.end())));
    let label = edge_label(graph, r, opts);
    c.link(&a, "-->", Some(&label), &b, Some(type_colour(rel.rel_type())));
}

pub fn orgchart(graph: &Graph, root: Option<NodeId>, opts: &DiagramOptions) -> String {
    let roles = crate::render::dot::chart_roles(graph, root);
    let included: BTreeSet<NodeId> = roles.iter().copied().collect();
    let within = |n: NodeId, t: &str, d: Dir| crate::render::dot::rels_within(graph, &included, n, t, d);
    let title = match root {
        None => "Who reports to whom".to_string(),
        Some(r) => format!("Who {} reports to, and who reports to it", graph.node(r).display_name()),
    };
    let mut c = Chart::new(&title, opts, Direction::TopBottom);
    let mut sources = BTreeSet::new();
    for n in &roles {
        let mut label = format!("<b>{}</b>", text(&graph.node(*n).display_name()));
        let mut teams = graph.neighbours(*n, Dir::Outgoing, Some("LEADS"));
        teams.sort_by_cached_key(|a| graph.node(a.other).display_name());
        for t in &teams {
            sources.extend(rel_sources(graph, t.rel).0);
            label.push_str(&format!("<br/>▸ {}", text(&graph.node(t.other).display_name())));
        }
        let fill = if Some(*n) == root {
            "#ffe599"
        } else if !within(*n, "VARIANT_OF", Dir::Outgoing).is_empty() {
            "#f3f3f3"
        } else {
            "#cfe2f3"
        };
        c.node(
            1,
            &format!("role:{}", node_key(graph, *n)),
            &label,
            ("(", ")"),
            Some(format!("fill:{fill},stroke:#333333")),
        );
    }
    let rid = |c: &mut Chart, n: NodeId| c.id(&format!("role:{}", node_key(graph, n)));
    for n in &roles {
        let managers = within(*n, "REPORTS_TO", Dir::Outgoing);
        for m in &managers {
            sources.extend(rel_sources(graph, m.rel).0);
            let (a, b) = (rid(&mut c, m.other), rid(&mut c, *n));
            let arrow = if managers.len() > 1 { "-.-" } else { "---" };
            c.link(&a, arrow, None, &b, Some(type_colour("REPORTS_TO")));
        }
    }
    for n in &roles {
        for v in within(*n, "VARIANT_OF", Dir::Incoming) {
            sources.extend(rel_sources(graph, v.rel).0);
            let (a, b) = (rid(&mut c, *n), rid(&mut c, v.other));
            c.link(&a, "---", Some("variant"), &b, Some(type_colour("VARIANT_OF")));
        }
        for k in within(*n, "COLLABORATES_WITH", Dir::Outgoing) {
            sources.extend(rel_sources(graph, k.rel).0);
            let (a, b) = (rid(&mut c, *n), rid(&mut c, k.other));
            c.link(
                &a,
                "-.-",
                Some("collaborates"),
                &b,
                Some(type_colour("COLLABORATES_WITH")),
            );
        }
    }
    let mut notes = vec!["solid line: reports to; dashed: reports to one of several".to_string()];
    if !opts.no_sources && !sources.is_empty() {
        notes.push(crate::render::dot::sources_note(graph, &sources));
    }
    c.finish(&notes)
}

/// A result as a flowchart: OVERLAP, DIFF and PATH results get their own;
/// any other draws the nodes, relationships and paths its rows hold.
pub fn last(graph: &Graph, rows: &Rows, title: &str, opts: &DiagramOptions) -> Option<String> {
    if let Some(sub) = &rows.subgraph {
        return Some(match &**sub {
            Subgraph::Overlap(o) => overlap(graph, o, opts),
            Subgraph::Diff(d) => diff(graph, d, opts),
            Subgraph::Path(p) => path(graph, p, opts),
            Subgraph::Matrix(m) => matrix(graph, m, opts),
        });
    }
    let mut nodes = BTreeSet::new();
    let mut rels = BTreeSet::new();
    fn collect(v: &Value, nodes: &mut BTreeSet<NodeId>, rels: &mut BTreeSet<RelId>) {
        match v {
            Value::Node(n) => {
                nodes.insert(*n);
            }
            Value::Rel(r) => {
                rels.insert(*r);
            }
            Value::Path(p) => {
                nodes.extend(p.nodes.iter().copied());
                rels.extend(p.rels.iter().copied());
            }
            Value::List(l) => l.iter().for_each(|x| collect(x, nodes, rels)),
            Value::Map(m) => m.values().for_each(|x| collect(x, nodes, rels)),
            _ => {}
        }
    }
    for row in &rows.rows {
        for v in row {
            collect(v, &mut nodes, &mut rels);
        }
    }
    for r in &rels {
        nodes.insert(graph.rel(*r).start());
        nodes.insert(graph.rel(*r).end());
    }
    if nodes.is_empty() {
        return None;
    }
    let mut c = Chart::new(title, opts, Direction::LeftRight);
    for n in &nodes {
        plain_node(&mut c, graph, *n, false);
    }
    for r in &rels {
        rel_link(&mut c, graph, *r, opts);
    }
    Some(c.finish(&[]))
}

/// Markdown holding the chart in a fenced block (its title is in the
/// chart's front matter, which the wikis show).
pub fn markdown(chart: &str) -> String {
    format!("```mermaid\n{chart}```\n")
}
