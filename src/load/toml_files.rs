//! Reads one TOML data file into [`Records`]: syntax errors come from the
//! toml crate (with recovery, so one typo does not hide the rest of the file),
//! shape errors ("expected ...") from walking its spanned tables.

use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::diag::{Span, closest};
use crate::value::{Map, Value};

use super::error::LoadErrorKind::{Shape, Syntax};
use super::records::{Citations, IndexRecord, Loc, Located, NodeRecord, Records, RelRecord};

const TOP_LEVEL: &[&str] = &["schema", "node", "rel", "index", "saved"];

/// Parses `text` (the file at `path`) and appends what it holds to `out`.
pub fn read_toml(out: &mut Records, path: &str, text: &str) {
    let file = out.add_file(path, text);
    let (doc, syntax_errors) = DeTable::parse_recoverable(text);
    for e in syntax_errors {
        let span = e.span().map(|r| Span::new(r.start, r.end)).unwrap_or_default();
        let help = if e.message().contains("expected `\"`") {
            "close the string on the same line, or use \"\"\" for text over several lines"
        } else if e.message().contains("duplicate key") {
            "a key may appear once in each table: keep one of them"
        } else {
            "see graph-data/README.md: `key = value` lines under `[[node]]`, `[[rel]]` or `[schema]` headers"
        };
        out.report(
            Syntax,
            Loc { file, span },
            format!("invalid TOML: {}", e.message()),
            Some(help.to_string()),
        );
    }
    // A snapshot written by `save`: its records skip the curation rules.
    let saved = doc.get_ref().contains_key("saved");
    out.files[file].saved = saved;
    let mut r = Reader { out, file, saved };
    for (key, value) in doc.get_ref().iter() {
        match key.get_ref().as_ref() {
            "schema" => r.schema(value),
            // Its contents (who wrote it, when) are for people.
            "saved" => {}
            "node" => r.each_table(value, "node", Reader::node),
            "rel" => r.each_table(value, "rel", Reader::rel),
            "index" => r.each_table(value, "index", Reader::index),
            other => {
                let help = closest(other, TOP_LEVEL.iter().copied()).map(|c| format!("did you mean {}?", header(c)));
                let msg = format!(
                    "unknown top-level key '{other}'; expected `[schema]`, `[[node]]`, `[[rel]]` or `[[index]]`"
                );
                r.err(key.span(), msg, help);
            }
        }
    }
}

fn header(key: &str) -> String {
    if key == "schema" || key == "saved" {
        format!("`[{key}]`")
    } else {
        format!("`[[{key}]]`")
    }
}

/// "a string", "an integer", "a table" for "found ..." messages.
fn a_type(v: &DeValue<'_>) -> String {
    let t = match v {
        DeValue::Array(_) => "list",
        other => other.type_str(),
    };
    let article = if t.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {t}")
}

struct Reader<'a> {
    out: &'a mut Records,
    file: usize,
    /// The file was written by `save`.
    saved: bool,
}

/// One `[[node]]` or `[[rel]]` table being read: its keys, and its header span.
type Table<'t, 'i> = (&'t DeTable<'i>, Span);

impl Reader<'_> {
    fn loc(&self, r: std::ops::Range<usize>) -> Loc {
        Loc {
            file: self.file,
            span: Span::new(r.start, r.end),
        }
    }

    fn err(&mut self, r: std::ops::Range<usize>, message: impl Into<String>, help: Option<String>) {
        let loc = self.loc(r);
        self.out.report(Shape, loc, message, help);
    }

    fn schema(&mut self, value: &Spanned<DeValue<'_>>) {
        let DeValue::Table(t) = value.get_ref() else {
            let msg = format!("expected a `[schema]` table, found {}", a_type(value.get_ref()));
            return self.err(value.span(), msg, None);
        };
        for (key, v) in t.iter() {
            match key.get_ref().as_ref() {
                "labels" => {
                    if let Some(names) = self.strings(v, "`labels`", "label names") {
                        self.out.declared_labels.extend(names);
                    }
                }
                "types" => {
                    if let Some(names) = self.strings(v, "`types`", "relationship type names") {
                        self.out.declared_types.extend(names);
                    }
                }
                other => {
                    let help = closest(other, ["labels", "types"]).map(|c| format!("did you mean '{c}'?"));
                    self.err(
                        key.span(),
                        format!("unknown key '{other}' in `[schema]`; expected `labels` or `types`"),
                        help,
                    );
                }
            }
        }
    }

    /// Calls `f` for every table of a `[[key]]` array.
    fn each_table(&mut self, value: &Spanned<DeValue<'_>>, key: &str, f: fn(&mut Self, Table<'_, '_>)) {
        let DeValue::Array(items) = value.get_ref() else {
            let msg = format!(
                "expected `[[{key}]]` (an array of tables), found {}",
                a_type(value.get_ref())
            );
            return self.err(
                value.span(),
                msg,
                Some(format!("write each entry under its own `[[{key}]]` header")),
            );
        };
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => f(self, (t, Span::new(item.span().start, item.span().end))),
                other => {
                    let msg = format!("expected a `[[{key}]]` table, found {}", a_type(other));
                    self.err(item.span(), msg, None);
                }
            }
        }
    }

    fn node(&mut self, (t, at): Table<'_, '_>) {
        let loc = Loc {
            file: self.file,
            span: at,
        };
        let mut labels = Vec::new();
        match (get(t, "label"), get(t, "labels")) {
            (Some(_), Some((k, _))) => self.err(k, "give either `label` or `labels`, not both", None),
            (Some((_, v)), None) => labels.extend(self.string(v, "`label`")),
            (None, Some((_, v))) => match self.strings(v, "`labels`", "label names") {
                Some(ls) if ls.is_empty() && !self.saved => {
                    self.err(v.span(), "expected at least one label in `labels`", None)
                }
                Some(ls) => labels = ls,
                None => {}
            },
            (None, None) => self.err(
                at.start..at.end,
                "expected `label = \"...\"` or `labels = [...]` in this node",
                None,
            ),
        }
        let id = match get(t, "id") {
            Some((_, v)) => self.string(v, "`id`"),
            None => {
                self.err(at.start..at.end, "expected `id = \"kebab-case-id\"` in this node", None);
                None
            }
        };
        let aliases = if self.saved {
            // A snapshot holds whatever the graph held; only its structure is checked.
            get(t, "aliases")
                .and_then(|(_, v)| quiet_strings(self.file, v))
                .unwrap_or_default()
        } else {
            match get(t, "name") {
                Some((_, v)) => drop(self.string(v, "`name`")),
                None => self.err(at.start..at.end, "expected `name = \"...\"` in this node", None),
            }
            if let Some((_, v)) = get(t, "description") {
                self.string(v, "`description`");
            }
            match get(t, "aliases") {
                Some((_, v)) => self.strings(v, "`aliases`", "strings").unwrap_or_default(),
                None => Vec::new(),
            }
        };
        let sources = self.citations(t);
        let props = self.props(t, &["label", "labels"]);
        // Without an id the node cannot be named by anything; the error above says why.
        if let Some(id) = id {
            self.out.nodes.push(NodeRecord {
                loc,
                id,
                labels,
                aliases,
                sources,
                props,
            });
        }
    }

    /// `[[index]]`: a named property index, `name`, `label` and `key`.
    fn index(&mut self, (t, at): Table<'_, '_>) {
        const FIELDS: [&str; 3] = ["name", "label", "key"];
        for (k, _) in t.iter() {
            let key: &str = k.get_ref();
            if !FIELDS.contains(&key) {
                let help = closest(key, FIELDS).map(|c| format!("did you mean '{c}'?"));
                self.err(
                    k.span(),
                    format!("unknown key '{key}' in `[[index]]`; expected `name`, `label` and `key`"),
                    help,
                );
            }
        }
        let mut field = |key: &str, what: &str| match get(t, key) {
            Some((_, v)) => self.string(v, &format!("`{key}`")).filter(|s| {
                let empty = s.value.is_empty();
                if empty {
                    self.err(
                        v.span(),
                        format!("expected `{key}` to be {what}, found an empty string"),
                        None,
                    );
                }
                !empty
            }),
            None => {
                self.err(
                    at.start..at.end,
                    format!("expected `{key} = \"...\"` ({what}) in this index"),
                    None,
                );
                None
            }
        };
        let name = field("name", "the index's name");
        let label = field("label", "the label it indexes");
        let key = field("key", "the property it indexes");
        if let (Some(name), Some(label), Some(key)) = (name, label, key) {
            self.out.indexes.push(IndexRecord {
                loc: self.loc(at.start..at.end),
                name,
                label,
                key,
            });
        }
    }

    fn rel(&mut self, (t, at): Table<'_, '_>) {
        let loc = Loc {
            file: self.file,
            span: at,
        };
        let mut field = |key: &str, what: &str| match get(t, key) {
            Some((_, v)) => self.string(v, &format!("`{key}`")),
            None => {
                self.err(
                    at.start..at.end,
                    format!("expected `{key} = \"...\"` ({what}) in this relationship"),
                    None,
                );
                None
            }
        };
        let rel_type = field("type", "a relationship type");
        let from = field("from", "a node id");
        let to = field("to", "a node id");
        let sources = self.citations(t);
        let props = self.props(t, &["type", "from", "to"]);
        if let (Some(rel_type), Some(from), Some(to)) = (rel_type, from, to) {
            self.out.rels.push(RelRecord {
                loc,
                rel_type,
                from,
                to,
                sources,
                props,
            });
        }
    }

    fn citations(&mut self, t: &DeTable<'_>) -> Citations {
        let Some((_, v)) = get(t, "sources") else {
            return Citations::Absent;
        };
        if self.saved {
            return match quiet_strings(self.file, v) {
                Some(ids) => Citations::Listed(Located {
                    value: ids,
                    loc: self.loc(v.span()),
                }),
                None => Citations::Malformed,
            };
        }
        match self.strings(v, "`sources`", "Source ids") {
            Some(ids) => Citations::Listed(Located {
                value: ids,
                loc: self.loc(v.span()),
            }),
            None => Citations::Malformed,
        }
    }

    fn string(&mut self, v: &Spanned<DeValue<'_>>, what: &str) -> Option<Located<String>> {
        match v.get_ref() {
            DeValue::String(s) => Some(Located {
                value: s.to_string(),
                loc: self.loc(v.span()),
            }),
            other => {
                self.err(
                    v.span(),
                    format!("expected {what} to be a string, found {}", a_type(other)),
                    None,
                );
                None
            }
        }
    }

    /// A list of strings; `None` (after reporting) when it is anything else.
    fn strings(&mut self, v: &Spanned<DeValue<'_>>, what: &str, of: &str) -> Option<Vec<Located<String>>> {
        let list: &DeArray<'_> = match v.get_ref() {
            DeValue::Array(a) => a,
            other => {
                self.err(
                    v.span(),
                    format!("expected {what} to be a list of {of}, found {}", a_type(other)),
                    None,
                );
                return None;
            }
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in list.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Located {
                    value: s.to_string(),
                    loc: self.loc(item.span()),
                }),
                other => {
                    ok = false;
                    self.err(
                        item.span(),
                        format!("expected {what} to be a list of {of}, found {} in it", a_type(other)),
                        None,
                    );
                }
            }
        }
        ok.then_some(out)
    }

    /// Every key but `skip` as a property.
    fn props(&mut self, t: &DeTable<'_>, skip: &[&str]) -> Map {
        let mut map = Map::new();
        for (k, v) in t.iter() {
            let key: &str = k.get_ref();
            if !skip.contains(&key) {
                map.insert(Arc::from(key), self.value(v));
            }
        }
        map
    }

    fn value(&mut self, v: &Spanned<DeValue<'_>>) -> Value {
        match v.get_ref() {
            DeValue::String(s) => Value::str(s),
            DeValue::Boolean(b) => Value::Bool(*b),
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Value::Int(n),
                Err(_) => {
                    self.err(v.span(), "expected an integer that fits in 64 bits", None);
                    Value::Null
                }
            },
            DeValue::Float(f) => match f.as_str().parse::<f64>() {
                Ok(x) => Value::Float(x),
                Err(_) => {
                    self.err(v.span(), "expected a floating-point number", None);
                    Value::Null
                }
            },
            // Queries compare dates as text, and ISO 8601 text sorts correctly.
            DeValue::Datetime(d) => Value::from(d.to_string()),
            DeValue::Array(a) => Value::list(a.iter().map(|x| self.value(x)).collect()),
            DeValue::Table(t) => Value::map(
                t.iter()
                    .map(|(k, x)| (Arc::from(k.get_ref().as_ref()), self.value(x)))
                    .collect(),
            ),
        }
    }
}

/// A list of strings, or `None` (nothing reported) when it is anything else.
fn quiet_strings(file: usize, v: &Spanned<DeValue<'_>>) -> Option<Vec<Located<String>>> {
    let DeValue::Array(list) = v.get_ref() else {
        return None;
    };
    list.iter()
        .map(|item| match item.get_ref() {
            DeValue::String(s) => Some(Located {
                value: s.to_string(),
                loc: Loc {
                    file,
                    span: Span::new(item.span().start, item.span().end),
                },
            }),
            _ => None,
        })
        .collect()
}

/// A key of a table with the span of the key itself, and its value.
fn get<'t, 'i>(t: &'t DeTable<'i>, key: &str) -> Option<(std::ops::Range<usize>, &'t Spanned<DeValue<'i>>)> {
    t.get_key_value(key).map(|(k, v)| (k.span(), v))
}
