//! Exact output or a visible escape, and a warning that says so: the one
//! place that decides which characters an output format cannot hold and
//! how they are written instead.
//!
//! Renderers escape text from the graph through [`escaped`] (or test with
//! [`forbidden_in_xml`] / [`needs_escape`] and write [`visible`] forms
//! themselves, calling [`changed`]). A front end that wants to warn wraps
//! a render in [`watch`]: every text a renderer could not write exactly is
//! collected on the current thread, and [`warnings`] turns them into one
//! line per node (by its id) naming the format. A render that is not
//! watched costs nothing extra.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use crate::store::Graph;
use crate::value::Value;

/// What a format can hold. Line breaks (`\n`, `\r`, `\r\n`) are each
/// format's own business (a DOT `\n`, a Markdown `<br>`, an XML reference)
/// and never need an escape here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// Text a person reads (Markdown, Mermaid): no control characters;
    /// noncharacters are fine.
    Text,
    /// A drawing (DOT, which Graphviz turns into SVG, PNG, PDF or an HTML
    /// page): no control characters, and nothing XML 1.0 forbids.
    Drawing,
    /// XML 1.0 (GraphML): tab and the line breaks as character references,
    /// every other character XML allows as itself.
    Xml,
}

/// Whether `c` cannot appear in XML 1.0 at all, even as a reference.
pub fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether `c` must be written as a visible escape in a format that holds
/// `holds`.
pub fn needs_escape(c: char, holds: Holds) -> bool {
    if c == '\n' || c == '\r' {
        return false;
    }
    match holds {
        Holds::Text => c.is_control(),
        Holds::Drawing => c.is_control() || forbidden_in_xml(c),
        Holds::Xml => forbidden_in_xml(c),
    }
}

/// The visible form of a character a format cannot hold: `\xNN` below
/// U+0100, `\u{NNNN}` above.
pub fn visible(c: char) -> String {
    if (c as u32) < 0x100 {
        format!("\\x{:02x}", c as u32)
    } else {
        format!("\\u{{{:04x}}}", c as u32)
    }
}

/// `s` with every character `holds` excludes written by `write` (given the
/// visible form), the rest by `keep`; records `s` when anything changed.
pub fn escaped(
    s: &str,
    holds: Holds,
    mut keep: impl FnMut(&mut String, char),
    write: impl Fn(&mut String, &str),
) -> String {
    let mut out = String::with_capacity(s.len());
    let mut lossy = false;
    for c in s.chars() {
        if needs_escape(c, holds) {
            lossy = true;
            write(&mut out, &visible(c));
        } else {
            keep(&mut out, c);
        }
    }
    if lossy {
        changed(s);
    }
    out
}

/// At most this many changed texts are remembered per watched render.
const MAX_TEXTS: usize = 10_000;

thread_local! {
    static WATCH: RefCell<Option<BTreeSet<String>>> = const { RefCell::new(None) };
}

/// Records that `text` (as the renderer got it) was not written exactly.
pub fn changed(text: &str) {
    WATCH.with(|w| {
        if let Some(set) = w.borrow_mut().as_mut()
            && set.len() < MAX_TEXTS
        {
            set.insert(text.to_string());
        }
    });
}

/// Runs `render` and returns what it made with the texts it changed.
pub fn watch<T>(render: impl FnOnce() -> T) -> (T, Vec<String>) {
    let before = WATCH.with(|w| w.borrow_mut().replace(BTreeSet::new()));
    let out = render();
    let texts = WATCH.with(|w| std::mem::replace(&mut *w.borrow_mut(), before));
    (out, texts.map(|t| t.into_iter().collect()).unwrap_or_default())
}

/// One warning line per node or relationship whose text `format` changed
/// (`warning: FORMAT cannot hold every character of node 'ID' (name):
/// U+0007 written as \x07`), then one per changed text that is no
/// element's (a title, a computed value).
pub fn warnings(graph: &Graph, format: &str, texts: &[String], holds: Holds) -> Vec<String> {
    if texts.is_empty() {
        return Vec::new();
    }
    let mut seen = Seen {
        texts,
        holds,
        found: BTreeMap::new(),
        chars: BTreeMap::new(),
        matched: BTreeSet::new(),
    };
    for n in graph.nodes() {
        let node = graph.node(n);
        let who = match node.prop("id").and_then(Value::as_str) {
            Some(id) => format!("node '{}'", printable(id)),
            None => format!("node #{}", n.index()),
        };
        for l in node.labels() {
            seen.look(&who, "label", l);
        }
        for (k, v) in node.props().iter() {
            for s in strings(v) {
                seen.look(&who, k, s);
            }
        }
    }
    for r in graph.rels() {
        let rel = graph.rel(r);
        let who = format!("relationship #{}", r.index());
        seen.look(&who, "type", rel.rel_type());
        for (k, v) in rel.props().iter() {
            for s in strings(v) {
                seen.look(&who, k, s);
            }
        }
    }
    let Seen {
        found, chars, matched, ..
    } = seen;
    let mut lines: Vec<String> = found
        .iter()
        .map(|(who, what)| {
            let what: Vec<&str> = what.iter().map(String::as_str).collect();
            format!(
                "warning: {format} cannot hold every character of {who} ({}): {}",
                what.join(", "),
                described(chars.get(who).into_iter().flatten().copied())
            )
        })
        .collect();
    for t in texts.iter().filter(|t| !matched.contains(t.as_str())) {
        // Text that is no element's own (a title, a computed value).
        lines.push(format!(
            "warning: {format} cannot hold every character of the text '{}': {}",
            printable(&shortened(t)),
            described(
                t.chars()
                    .filter(|c| needs_escape(*c, holds))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
            )
        ));
    }
    lines
}

/// What [`warnings`] has found so far: which element's texts (by the
/// property, label or type holding them) a render changed, and how.
struct Seen<'t> {
    texts: &'t [String],
    holds: Holds,
    /// Element -> the properties (or labels, type) whose text was changed.
    found: BTreeMap<String, BTreeSet<String>>,
    /// Element -> the characters that were escaped in them.
    chars: BTreeMap<String, BTreeSet<char>>,
    /// The changed texts that some element's text accounts for.
    matched: BTreeSet<&'t str>,
}

impl<'t> Seen<'t> {
    /// Notes `s` (the `what` of element `who`) when it holds a character
    /// the format cannot hold and a changed text contains it.
    fn look(&mut self, who: &str, what: &str, s: &str) {
        if s.is_empty() || !s.chars().any(|c| needs_escape(c, self.holds)) {
            return;
        }
        let mut hit = false;
        for t in self.texts.iter().filter(|t| t.contains(s)) {
            hit = true;
            self.matched.insert(t.as_str());
        }
        if !hit {
            return;
        }
        let holds = self.holds;
        self.chars
            .entry(who.to_string())
            .or_default()
            .extend(s.chars().filter(|c| needs_escape(*c, holds)));
        self.found.entry(who.to_string()).or_default().insert(what.to_string());
    }
}

/// The strings a value holds (itself, or a list's items).
fn strings(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s],
        Value::List(l) => l.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// `U+0007 written as \x07, U+FFFE written as \u{fffe}`.
fn described(chars: impl Iterator<Item = char>) -> String {
    chars
        .map(|c| format!("U+{:04X} written as {}", c as u32, visible(c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `s` safe to print in a message on a terminal.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || forbidden_in_xml(c) {
                visible(c)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn shortened(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(60).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_forms() {
        assert_eq!(visible('\u{0}'), "\\x00");
        assert_eq!(visible('\u{7}'), "\\x07");
        assert_eq!(visible('\u{85}'), "\\x85");
        assert_eq!(visible('\u{fffe}'), "\\u{fffe}");
    }

    #[test]
    fn what_each_kind_holds() {
        assert!(needs_escape('\u{0}', Holds::Text));
        assert!(!needs_escape('\u{fffe}', Holds::Text));
        assert!(needs_escape('\u{fffe}', Holds::Drawing));
        assert!(needs_escape('\u{7}', Holds::Drawing));
        assert!(needs_escape('\u{ffff}', Holds::Xml));
        assert!(!needs_escape('\t', Holds::Xml));
        assert!(!needs_escape('\n', Holds::Drawing));
        assert!(!needs_escape('\u{fffd}', Holds::Xml));
        assert!(!needs_escape('\u{202e}', Holds::Drawing));
        assert!(!needs_escape('|', Holds::Text));
    }

    #[test]
    fn a_watched_render_reports_what_it_changed() {
        let (out, texts) = watch(|| escaped("a\u{7}b", Holds::Text, |o, c| o.push(c), |o, v| o.push_str(v)));
        assert_eq!(out, "a\\x07b");
        assert_eq!(texts, ["a\u{7}b"]);
        // Unwatched: nothing is kept.
        let out = escaped("c\u{0}", Holds::Xml, |o, c| o.push(c), |o, v| o.push_str(v));
        assert_eq!(out, "c\\x00");
        let (_, texts) = watch(|| ());
        assert!(texts.is_empty());
    }
}
