//! A self-contained HTML page for any diagram: the SVG inline, a side
//! panel that shows the facts behind a clicked node or edge (each
//! relationship with its sources and confidence), a search box that
//! highlights nodes by name or alias, and the sources with their titles.
//! No network access is needed: the script and styles are in the page.
//!
//! The facts are found from the SVG itself: every element id the diagrams
//! give (`node:KEY`, `role:KEY`, `item:...:KEY`, `rel:N`) is looked up in
//! the graph, so any diagram kind works without the page knowing it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value as Json, json};

use crate::eval::domain::rel_sources;
use crate::render::exact::{self, Holds};
use crate::store::{Direction, Graph, NodeId, RelId};

/// Element ids in the SVG (`id="..."`), XML entities decoded.
fn svg_ids(svg: &str) -> Vec<String> {
    svg.match_indices(" id=\"")
        .map(|(i, m)| {
            let v = &svg[i + m.len()..];
            let raw = &v[..v.find('"').unwrap_or(0)];
            raw.replace("&#45;", "-")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

/// The node an element id names: the longest tail after a ':' that is a
/// node's id (`item:region:0_1:LEADS:engineering` names `engineering`).
fn node_of(graph: &Graph, element: &str) -> Option<NodeId> {
    let element = element.strip_prefix("a_").unwrap_or(element);
    let mut cut = 0;
    while let Some(i) = element[cut..].find(':') {
        cut += i + 1;
        let tail = &element[cut..];
        if let Some(idx) = tail.strip_prefix('#').and_then(|x| x.parse::<usize>().ok()) {
            return graph.nodes().find(|n| n.index() == idx);
        }
        if let Some(n) = graph.node_by_key(tail) {
            return Some(n);
        }
    }
    None
}

fn rel_of(graph: &Graph, element: &str) -> Option<RelId> {
    let element = element.strip_prefix("a_").unwrap_or(element);
    let idx: usize = element.strip_prefix("rel:")?.parse().ok()?;
    graph.rels().find(|r| r.index() == idx)
}

fn rel_json(graph: &Graph, r: RelId, sources: &mut BTreeSet<String>) -> Json {
    let rel = graph.rel(r);
    let (srcs, confidence) = rel_sources(graph, r);
    sources.extend(srcs.iter().cloned());
    json!({
        "type": rel.rel_type(),
        "from": graph.node(rel.start()).display_name(),
        "to": graph.node(rel.end()).display_name(),
        "sources": srcs,
        "confidence": confidence,
    })
}

/// The page's data: per element id, its facts; the sources cited.
fn facts(graph: &Graph, svg: &str) -> (Json, Json) {
    let mut elements = serde_json::Map::new();
    let mut sources = BTreeSet::new();
    let mut seen: BTreeMap<NodeId, Json> = BTreeMap::new();
    for id in svg_ids(svg) {
        if elements.contains_key(&id) {
            continue;
        }
        if let Some(r) = rel_of(graph, &id) {
            elements.insert(id, json!({"kind": "rel", "rel": rel_json(graph, r, &mut sources)}));
            continue;
        }
        let Some(n) = node_of(graph, &id) else { continue };
        let entry = seen
            .entry(n)
            .or_insert_with(|| {
                let node = graph.node(n);
                let aliases: Vec<String> = node
                    .prop("aliases")
                    .map(|v| match v {
                        crate::value::Value::List(l) => {
                            l.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()
                        }
                        other => other.as_str().map(|s| vec![s.to_string()]).unwrap_or_default(),
                    })
                    .unwrap_or_default();
                let mut rels: Vec<Json> = graph
                    .neighbours(n, Direction::Both, None)
                    .into_iter()
                    .take(300)
                    .map(|a| rel_json(graph, a.rel, &mut sources))
                    .collect();
                rels.sort_by_key(|r| (r["type"].to_string(), r["to"].to_string()));
                let own: Vec<String> = node
                    .prop("sources")
                    .map(|v| match v {
                        crate::value::Value::List(l) => {
                            l.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()
                        }
                        _ => Vec::new(),
                    })
                    .unwrap_or_default();
                sources.extend(own.iter().cloned());
                json!({
                    "kind": "node",
                    "id": node.key(),
                    "name": node.display_name(),
                    "labels": node.labels().collect::<Vec<_>>(),
                    "aliases": aliases,
                    "description": node.prop("description").and_then(|v| v.as_str()),
                    "sources": own,
                    "rels": rels,
                })
            })
            .clone();
        elements.insert(id, entry);
    }
    let listed: Vec<Json> = sources
        .iter()
        .map(|s| {
            let node = graph.node_by_key(s).map(|n| graph.node(n));
            let prop = |k: &str| {
                node.as_ref()
                    .and_then(|n| n.prop(k))
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            json!({"id": s, "title": prop("title"), "author": prop("author"), "date": prop("date")})
        })
        .collect();
    (Json::Object(elements), Json::Array(listed))
}

/// JSON for inside a `<script>`: `<`, `>` and `&` escaped so no text can
/// close the script element.
fn script_json(v: &Json) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
        // Noncharacters are exact as JSON escapes, never raw in the page.
        .replace('\u{fffe}', "\\ufffe")
        .replace('\u{ffff}', "\\uffff")
}

fn escape(s: &str) -> String {
    exact::escaped(
        s,
        Holds::Drawing,
        |out, c| match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        },
        |out, v| out.push_str(v),
    )
}

/// The SVG without its XML prologue and doctype, for inlining.
fn inline_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// The whole page for a diagram drawn as `svg`.
pub fn page(graph: &Graph, title: &str, svg: &str) -> String {
    let (elements, sources) = facts(graph, svg);
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="rolegraph">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<header><h1>{title}</h1>
<input id="search" type="search" placeholder="Find a node by name or alias" autocomplete="off">
<span id="found"></span></header>
<main>
<div id="diagram">
{svg}
</div>
<aside id="panel"><p class="hint">Click a node or an edge to see the facts behind it.</p></aside>
</main>
<footer><h2>Sources</h2><ul id="sources"></ul></footer>
<script id="facts" type="application/json">{elements}</script>
<script id="source-list" type="application/json">{sources}</script>
<script>{SCRIPT}</script>
</body>
</html>
"#,
        title = escape(title),
        svg = inline_svg(svg),
        elements = script_json(&elements),
        sources = script_json(&sources),
    )
}

const STYLE: &str = r#"
body { font-family: Helvetica, Arial, sans-serif; margin: 0; color: #222; }
header { display: flex; gap: 1em; align-items: center; padding: 0.6em 1em; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.2em; margin: 0; flex: 1; }
#search { font-size: 1em; padding: 0.3em 0.5em; width: 18em; }
main { display: flex; align-items: flex-start; }
#diagram { flex: 1; overflow: auto; padding: 0.5em; }
#diagram svg { max-width: 100%; height: auto; }
#panel { width: 24em; min-height: 10em; border-left: 1px solid #ddd; padding: 0.5em 1em; font-size: 0.9em; }
#panel h2 { font-size: 1.1em; margin: 0.2em 0; }
#panel table { border-collapse: collapse; width: 100%; }
#panel td { border-top: 1px solid #eee; padding: 0.2em 0.3em; vertical-align: top; overflow-wrap: anywhere; }
#panel tr.cite td { border-top: none; padding-top: 0; font-size: 0.9em; }
.hint, .muted { color: #777; }
.hit text { fill: #c00000 !important; font-weight: bold; }
.hit > path, .hit > polygon, .hit > ellipse { stroke: #c00000 !important; stroke-width: 3px; }
.selected text { text-decoration: underline; }
footer { border-top: 1px solid #ddd; padding: 0.5em 1em; font-size: 0.9em; }
footer h2 { font-size: 1em; }
"#;

const SCRIPT: &str = r#"
(function () {
  var facts = JSON.parse(document.getElementById('facts').textContent);
  var sources = JSON.parse(document.getElementById('source-list').textContent);
  var panel = document.getElementById('panel');
  function el(tag, text, cls) { var e = document.createElement(tag); if (text != null) e.textContent = text; if (cls) e.className = cls; return e; }
  function cite(list, confidence) {
    var s = (list && list.length) ? '[' + list.join(', ') + ']' : '';
    if (confidence) s += ' (' + confidence + ')';
    return s;
  }
  function factsOf(target) {
    for (var e = target; e && e !== document; e = e.parentNode) {
      if (e.id && facts[e.id]) return { id: e.id, f: facts[e.id], el: e };
    }
    return null;
  }
  function show(hit) {
    panel.innerHTML = '';
    var f = hit.f;
    if (f.kind === 'rel') {
      var r = f.rel;
      panel.appendChild(el('h2', r.from + ' ' + r.type + ' ' + r.to));
      panel.appendChild(el('p', 'Sources: ' + cite(r.sources, r.confidence)));
      return;
    }
    panel.appendChild(el('h2', f.name));
    panel.appendChild(el('p', (f.id ? f.id + ' ' : '') + ':' + f.labels.join(':'), 'muted'));
    if (f.aliases.length) panel.appendChild(el('p', 'Also called: ' + f.aliases.join(', ')));
    if (f.description) panel.appendChild(el('p', f.description));
    if (f.sources.length) panel.appendChild(el('p', 'Mentioned by: ' + f.sources.join(', ')));
    var t = el('table');
    f.rels.forEach(function (r) {
      var tr = el('tr');
      tr.appendChild(el('td', r.from));
      tr.appendChild(el('td', r.type));
      tr.appendChild(el('td', r.to));
      t.appendChild(tr);
      // The sources go on a line of their own under the fact, so a
      // narrow panel never scrolls sideways.
      var c = cite(r.sources, r.confidence);
      if (c) {
        var under = el('tr', null, 'cite');
        var td = el('td', c, 'muted');
        td.colSpan = 3;
        under.appendChild(td);
        t.appendChild(under);
      }
    });
    panel.appendChild(t);
  }
  document.getElementById('diagram').addEventListener('click', function (ev) {
    var hit = factsOf(ev.target);
    ev.preventDefault();
    if (!hit) return;
    document.querySelectorAll('.selected').forEach(function (e) { e.classList.remove('selected'); });
    hit.el.classList.add('selected');
    show(hit);
  });
  var search = document.getElementById('search');
  search.addEventListener('input', function () {
    var q = search.value.trim().toLowerCase();
    var n = 0;
    Object.keys(facts).forEach(function (id) {
      var e = document.getElementById(id);
      if (!e) return;
      var f = facts[id];
      var names = f.kind === 'node' ? [f.name].concat(f.aliases) : [];
      var on = q !== '' && names.some(function (x) { return x.toLowerCase().indexOf(q) >= 0; });
      e.classList.toggle('hit', on);
      if (on) n++;
    });
    document.getElementById('found').textContent = q === '' ? '' : n + ' found';
  });
  var ul = document.getElementById('sources');
  sources.forEach(function (s) {
    var li = el('li');
    li.appendChild(el('b', s.id));
    var rest = [s.title, s.author, s.date].filter(function (x) { return x; }).join(', ');
    if (rest) li.appendChild(document.createTextNode(': ' + rest));
    ul.appendChild(li);
  });
})();
"#;
