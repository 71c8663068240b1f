//! The checks every data set must pass (ids, schema, endpoints, citations,
//! duplicates), run all at once over [`Records`] so one run reports every
//! problem; only when there is none is the [`Graph`] built.

use std::collections::HashMap;

use crate::diag::did_you_mean;
use crate::store::{Graph, NodeId};

use super::error::LoadErrorKind::{
    BadId, DuplicateId, DuplicateIndex, DuplicateRel, Schema as SchemaKind, Source, UnknownNode,
};
use super::error::{LoadError, LoadErrorKind, LoadErrors};
use super::records::{Citations, Loc, Located, NodeRecord, Records};
use super::schema::{SOURCE_LABEL, Schema, builtin_type};

/// Checks `records` and, when they hold no error, builds the graph `name`.
pub fn build(name: &str, mut records: Records) -> Result<Graph, LoadErrors> {
    let mut schema = Schema::default();
    for l in &records.declared_labels {
        schema.declare_label(&l.value);
    }
    for t in &records.declared_types {
        schema.declare_type(&t.value);
    }
    let checks = Checks::new(&records, schema);
    let found = checks.run();
    records.errors.extend(found);
    if !records.errors.is_empty() {
        return Err(LoadErrors::new(records.errors));
    }
    insert(name, records)
}

struct Checks<'r> {
    records: &'r Records,
    schema: Schema,
    /// Each id's first node.
    by_id: HashMap<&'r str, &'r NodeRecord>,
    /// Every id, sorted, made on the first unknown endpoint.
    sorted_ids: Option<Vec<&'r str>>,
    /// Unknown endpoints so far: only the first few get a did-you-mean,
    /// which compares the id with every other (thousands of dangling
    /// endpoints in a large data set took minutes).
    unknown_endpoints: usize,
    errors: Vec<LoadError>,
}

/// Unknown endpoints that get a did-you-mean; the rest get the plain help.
const SUGGESTED_ENDPOINTS: usize = 20;

impl<'r> Checks<'r> {
    fn new(records: &'r Records, schema: Schema) -> Checks<'r> {
        let mut by_id = HashMap::new();
        for n in &records.nodes {
            by_id.entry(n.id.value.as_str()).or_insert(n);
        }
        Checks {
            records,
            schema,
            by_id,
            sorted_ids: None,
            unknown_endpoints: 0,
            errors: Vec::new(),
        }
    }

    fn report(&mut self, kind: LoadErrorKind, loc: Loc, message: String, help: Option<String>) {
        let e = self.records.error_at(kind, loc, message).with_help(help);
        self.errors.push(e);
    }

    fn run(mut self) -> Vec<LoadError> {
        self.ids();
        self.labels();
        for n in &self.records.nodes {
            // A Source needs no citation, but what it does cite must exist.
            // A saved snapshot keeps whatever the graph held.
            if self.records.saved(n.loc) {
                continue;
            }
            if !is_source(n) || matches!(n.sources, Citations::Listed(_)) {
                self.citations(&n.sources, n.loc, || format!("node '{}'", n.id.value));
            }
        }
        self.rels();
        self.indexes();
        self.errors
    }

    /// Unique names, one index per label and key, known labels.
    fn indexes(&mut self) {
        let mut names: HashMap<&str, Loc> = HashMap::new();
        let mut pairs: HashMap<(&str, &str), (&str, Loc)> = HashMap::new();
        for ix in &self.records.indexes {
            let (name, label, key) = (ix.name.value.as_str(), ix.label.value.as_str(), ix.key.value.as_str());
            if !self.schema.has_label(label) {
                let help = did_you_mean(label, self.schema.labels())
                    .or_else(|| Some(format!("declare it in a `[schema]` table: labels = [\"{label}\"]")));
                self.report(SchemaKind, ix.label.loc, format!("unknown label '{label}'"), help);
            }
            if let Some(first) = names.get(name) {
                let at = self.records.location(*first);
                let msg = format!("duplicate index name '{name}' (first defined at {at})");
                let help = Some("give each index its own name".to_string());
                self.report(DuplicateIndex, ix.name.loc, msg, help);
                continue;
            }
            names.insert(name, ix.name.loc);
            if let Some((other, first)) = pairs.get(&(label, key)) {
                let at = self.records.location(*first);
                let msg = format!("a second index on :{label}({key}); '{other}' (at {at}) already indexes it");
                let help = Some("keep one of the two entries".to_string());
                self.report(DuplicateIndex, ix.loc, msg, help);
                continue;
            }
            pairs.insert((label, key), (name, ix.loc));
        }
    }

    /// Unique, kebab-case, and not an acronym.
    fn ids(&mut self) {
        // Aliases written in capitals are acronyms: lower-cased → as written.
        let mut acronyms: HashMap<String, &str> = HashMap::new();
        for n in &self.records.nodes {
            for a in &n.aliases {
                let s = a.value.as_str();
                if s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase) {
                    acronyms.entry(s.to_lowercase()).or_insert(s);
                }
            }
        }
        for n in &self.records.nodes {
            let id = n.id.value.as_str();
            let first = self.by_id[id];
            if !std::ptr::eq(first, n) {
                let at = self.records.location(first.id.loc);
                self.report(
                    DuplicateId,
                    n.id.loc,
                    format!("duplicate id '{id}' (first defined at {at})"),
                    Some(
                        "give each node its own id (ids are unique across all files), or merge the two entries".into(),
                    ),
                );
                continue;
            }
            if self.records.saved(n.id.loc) {
                continue;
            }
            if !is_kebab(id) {
                let help = Some(format!(
                    "expected lowercase words and digits joined by '-', e.g. '{}'",
                    kebab(id)
                ));
                self.report(BadId, n.id.loc, format!("id '{id}' is not kebab-case"), help);
            } else if let Some(acronym) = acronyms.get(id) {
                let spelled = n
                    .props
                    .get("name")
                    .and_then(|v| v.as_str())
                    .map(kebab)
                    .filter(|k| k != id);
                let help = match spelled {
                    Some(s) => {
                        format!("spell it out, e.g. '{s}', and keep '{acronym}' in `aliases`")
                    }
                    None => format!("spell it out and keep '{acronym}' in `aliases`"),
                };
                self.report(
                    BadId,
                    n.id.loc,
                    format!("id '{id}' is an acronym (alias '{acronym}'); ids are spelled out"),
                    Some(help),
                );
            }
        }
    }

    fn labels(&mut self) {
        for n in &self.records.nodes {
            for l in &n.labels {
                if !self.schema.has_label(&l.value) {
                    let help = did_you_mean(&l.value, self.schema.labels())
                        .or_else(|| Some(format!("declare it in a `[schema]` table: labels = [\"{}\"]", l.value)));
                    self.report(SchemaKind, l.loc, format!("unknown label '{}'", l.value), help);
                }
            }
        }
    }

    /// At least one source, each a known Source node.
    fn citations(&mut self, sources: &Citations, at: Loc, what: impl Fn() -> String) {
        match sources {
            Citations::Malformed => {}
            Citations::Absent => {
                let help = Some("add `sources = [\"...\"]` with the ids of the Source nodes that state it".to_string());
                self.report(Source, at, format!("{} cites no source", what()), help);
            }
            Citations::Listed(list) if list.value.is_empty() => {
                let help = Some("cite at least one Source id".to_string());
                self.report(
                    Source,
                    list.loc,
                    format!("{} cites no source (`sources` is empty)", what()),
                    help,
                );
            }
            Citations::Listed(list) => {
                for s in &list.value {
                    match self.by_id.get(s.value.as_str()) {
                        Some(n) if is_source(n) => {}
                        Some(n) => {
                            let msg = format!("'{}' is {}, not a Source", s.value, a_label(n));
                            let help = self.source_help(&s.value).filter(|h| h.starts_with("did you mean"));
                            self.report(Source, s.loc, msg, help);
                        }
                        None => {
                            let msg = format!("unknown source '{}'", s.value);
                            self.report(Source, s.loc, msg, self.source_help(&s.value));
                        }
                    }
                }
            }
        }
    }

    fn source_help(&self, cited: &str) -> Option<String> {
        let sources: Vec<&str> = self
            .records
            .nodes
            .iter()
            .filter(|n| is_source(n))
            .map(|n| n.id.value.as_str())
            .collect();
        did_you_mean(cited, sources.iter().copied()).or_else(|| {
            let known = match sources.len() {
                0 => "there are no Source nodes yet".to_string(),
                n if n <= 5 => format!("the Source ids are {}", sources.join(", ")),
                _ => format!("the Source ids include {}", sources[..5].join(", ")),
            };
            Some(format!(
                "add a `Source` node with id '{cited}', or cite a known one ({known})"
            ))
        })
    }

    fn rels(&mut self) {
        let mut seen: HashMap<(&str, &str, &str), Loc> = HashMap::new();
        for r in &self.records.rels {
            let t = r.rel_type.value.as_str();
            let desc = format!("relationship {t} from '{}' to '{}'", r.from.value, r.to.value);
            if !self.schema.has_type(t) {
                let help = did_you_mean(t, self.schema.types())
                    .or_else(|| Some(format!("declare it in a `[schema]` table: types = [\"{t}\"]")));
                self.report(
                    SchemaKind,
                    r.rel_type.loc,
                    format!("unknown relationship type '{t}'"),
                    help,
                );
            }
            let from = self.endpoint(&r.from, "from");
            let to = self.endpoint(&r.to, "to");
            // A saved snapshot keeps what CREATE made: any endpoints, no
            // citations needed, several relationships per triple.
            if self.records.saved(r.loc) {
                continue;
            }
            if let Some(spec) = builtin_type(t) {
                for (node, end, want) in [(from, &r.from, spec.from), (to, &r.to, spec.to)] {
                    // A node with an unknown label already has its error; don't pile on.
                    let known = |n: &&NodeRecord| n.labels.iter().all(|l| self.schema.has_label(&l.value));
                    if let Some(n) = node.filter(known).filter(|n| !has_label(n, want)) {
                        let msg = format!(
                            "{t} goes from a {} to a {}, but '{}' is {}",
                            spec.from,
                            spec.to,
                            end.value,
                            a_label(n)
                        );
                        self.report(SchemaKind, end.loc, msg, None);
                    }
                }
            }
            self.citations(&r.sources, r.loc, || desc.clone());
            let key = (t, r.from.value.as_str(), r.to.value.as_str());
            match seen.get(&key) {
                Some(first) => {
                    let msg = format!("duplicate {desc} (first at {})", self.records.location(*first));
                    self.report(
                        DuplicateRel,
                        r.loc,
                        msg,
                        Some("merge their sources into one relationship".into()),
                    );
                }
                None => {
                    seen.insert(key, r.loc);
                }
            }
        }
    }

    fn endpoint(&mut self, end: &Located<String>, field: &str) -> Option<&'r NodeRecord> {
        let found = self.by_id.get(end.value.as_str()).copied();
        if found.is_none() {
            self.unknown_endpoints += 1;
            let suggest = if self.unknown_endpoints <= SUGGESTED_ENDPOINTS {
                let ids = self.sorted_ids.get_or_insert_with(|| {
                    let mut ids: Vec<&str> = self.by_id.keys().copied().collect();
                    ids.sort_unstable();
                    ids
                });
                did_you_mean(&end.value, ids.iter().copied())
            } else {
                None
            };
            let help = suggest.or_else(|| {
                Some(format!(
                    "add a `[[node]]` with id = \"{}\", or correct the id",
                    end.value
                ))
            });
            self.report(
                UnknownNode,
                end.loc,
                format!("unknown node '{}' in `{field}`", end.value),
                help,
            );
        }
        found
    }
}

fn has_label(n: &NodeRecord, label: &str) -> bool {
    n.labels.iter().any(|l| l.value == label)
}

fn is_source(n: &NodeRecord) -> bool {
    has_label(n, SOURCE_LABEL)
}

/// "a Skill", "an Officer", "a Role and Team".
fn a_label(n: &NodeRecord) -> String {
    let names: Vec<&str> = n.labels.iter().map(|l| l.value.as_str()).collect();
    if names.is_empty() {
        return "unlabelled".into();
    }
    let article = if names[0].starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {}", names.join(" and "))
}

pub fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .split('-')
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// A kebab-case form of any text: "Chief Technology Officer" → "chief-technology-officer".
pub fn kebab(text: &str) -> String {
    let mut out = String::new();
    for w in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w.to_ascii_lowercase());
    }
    out
}

/// Puts checked records into a new graph (nothing here can fail on valid records).
fn insert(name: &str, records: Records) -> Result<Graph, LoadErrors> {
    let mut g = Graph::new(name);
    let mut ids: HashMap<String, NodeId> = HashMap::new();
    for n in records.nodes {
        let labels: Vec<&str> = n.labels.iter().map(|l| l.value.as_str()).collect();
        let id = g
            .add_node(&labels, n.props)
            .map_err(|e| records_error(&records.files, n.loc, e.to_string()))?;
        ids.insert(n.id.value, id);
    }
    for r in records.rels {
        let (from, to) = (ids[&r.from.value], ids[&r.to.value]);
        g.add_rel(from, to, &r.rel_type.value, r.props)
            .map_err(|e| records_error(&records.files, r.loc, e.to_string()))?;
    }
    // Checked above: names and (label, key) pairs are unique.
    for ix in records.indexes {
        g.create_index(Some(&ix.name.value), &ix.label.value, &ix.key.value, false)
            .map_err(|e| records_error(&records.files, ix.loc, e.to_string()))?;
    }
    Ok(g)
}

fn records_error(files: &[super::records::SourceText], loc: Loc, message: String) -> LoadErrors {
    let f = &files[loc.file];
    LoadError::at(LoadErrorKind::Shape, &f.path, &f.text, loc.span, message).into()
}
