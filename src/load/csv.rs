//! CSV data: one file per label (an `id` column and property columns) and
//! one per relationship type (`from_id,to_id` and property columns), as the
//! benchmark generator writes them; or Neo4j admin-import headers
//! (`id:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, typed columns such
//! as `age:int` or `tags:string[]`). Node files load first, then
//! relationship files; any error leaves nothing loaded.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::error::{LoadError, LoadErrorKind, LoadErrors};
use crate::diag::{Span, did_you_mean};
use crate::store::{Graph, NodeId, Props};
use crate::value::Value;

/// Stop collecting errors after this many; the rest are counted.
const MAX_ERRORS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq)]
enum ColType {
    String,
    Int,
    Float,
    Bool,
    List(ScalarType),
}

/// The type of a typed CSV column's values (or of a list column's items).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    String,
    Int,
    Float,
    Bool,
}

impl ScalarType {
    /// What a field of this type holds, in words ("an integer").
    pub fn described(self) -> &'static str {
        match self {
            ScalarType::String => "a string",
            ScalarType::Int => "an integer",
            ScalarType::Float => "a number",
            ScalarType::Bool => "true or false",
        }
    }
}

#[derive(Debug, Clone)]
enum Column {
    /// The node id (also stored as the `id` property unless named otherwise).
    Id(Arc<str>),
    Labels,
    Start,
    End,
    Type,
    Ignore,
    Prop(Arc<str>, ColType),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Nodes,
    Rels,
}

struct Header {
    kind: Kind,
    columns: Vec<Column>,
}

/// A file's text. Errors keep a shared copy for their caret; it is made
/// only when the first error needs it, not for every file that loads.
struct Text {
    text: String,
    shared: std::cell::OnceCell<Arc<str>>,
}

impl Text {
    fn new(text: String) -> Text {
        Text {
            text,
            shared: std::cell::OnceCell::new(),
        }
    }

    fn shared(&self) -> &Arc<str> {
        self.shared.get_or_init(|| Arc::from(self.text.as_str()))
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

/// An error at `span` of a file.
fn at(kind: LoadErrorKind, path: &str, text: &Text, span: Span, message: impl Into<String>) -> LoadError {
    LoadError::at(kind, path, text.shared(), span, message)
}

/// Loads every `*.csv` file in `dir` into a graph named `name`.
pub fn load_csv_dir(name: &str, paths: &[std::path::PathBuf], limit: u64) -> Result<Graph, LoadErrors> {
    let started = Instant::now();
    let total: u64 = paths.iter().filter_map(|p| p.metadata().ok()).map(|m| m.len()).sum();
    let mut progress = Progress::new(total, started);
    let mut errors = Errors::default();
    // Node files load first, so relationships can find their endpoints. A
    // glance at each header orders the reading: node files first, then
    // relationship files, read on a second thread while the nodes load.
    let mut order: Vec<(bool, &Path)> = paths.iter().map(|p| (peek_rels(p), p.as_path())).collect();
    order.sort();
    let mut graph = Graph::new(name);
    graph.begin_bulk();
    let mut rel_files = Vec::new();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel();
        scope.spawn(move || {
            for (_, p) in order {
                if tx.send((p, read_text(p, limit))).is_err() {
                    break;
                }
            }
        });
        for (p, read) in rx {
            let shown = p.display().to_string();
            let text = match read {
                Ok(text) => text,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            match header(&shown, &text) {
                Ok(h) if h.kind == Kind::Nodes => {
                    read_nodes(&mut graph, &shown, &stem(p), &text, &h, &mut errors, &mut progress)
                }
                Ok(h) => rel_files.push((shown, stem(p), text, h)),
                Err(e) => errors.push(e),
            }
        }
    });
    rel_files.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, stem, text, h) in &rel_files {
        read_rels(&mut graph, path, stem, text, h, &mut errors, &mut progress);
    }
    // Errors keep their own copy of a text; the files are not needed while
    // the relationships are laid out, the load's peak of memory.
    drop(rel_files);
    graph.end_bulk();
    progress.finish();
    errors.finish()?;
    Ok(graph)
}

/// A file's text, or the error that says why it cannot be had.
#[allow(clippy::result_large_err)]
fn read_text(p: &Path, limit: u64) -> Result<Text, LoadError> {
    let shown = p.display().to_string();
    match super::size::read_limited(p, limit, "CSV data files") {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Text::new(text)),
            Err(e) => Err(LoadError::not_utf8(&shown, e)),
        },
        Err(e) => Err(LoadError::read(&shown, e)),
    }
}

/// Whether the first line of `p` names a start or end column: a guess at
/// the file's kind, only to order the reading (the header decides).
fn peek_rels(p: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4096];
    let Ok(n) = std::fs::File::open(p).and_then(|mut f| f.read(&mut head)) else {
        return false;
    };
    let line = head[..n].split(|b| *b == b'\n').next().unwrap_or_default();
    String::from_utf8_lossy(line)
        .split(',')
        .any(|raw| matches!(column(raw.trim().trim_matches('"')), Ok(Column::Start | Column::End)))
}

fn stem(p: &Path) -> String {
    p.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string()
}

#[derive(Default)]
struct Errors {
    list: Vec<LoadError>,
    more: usize,
}

impl Errors {
    fn push(&mut self, e: LoadError) {
        if self.list.len() < MAX_ERRORS {
            self.list.push(e);
        } else {
            self.more += 1;
        }
    }

    fn full(&self) -> bool {
        self.list.len() >= MAX_ERRORS
    }

    fn finish(self) -> Result<(), LoadErrors> {
        if self.list.is_empty() {
            return Ok(());
        }
        let mut list = self.list;
        if self.more > 0 {
            let file = list.last().map(|e| e.file.clone()).unwrap_or_default();
            list.push(LoadError::whole(
                LoadErrorKind::Shape,
                &file,
                format!("... and {} more errors not shown", self.more),
            ));
        }
        Err(LoadErrors::new(list))
    }
}

/// Reads the header line: which kind of file, and what each column holds.
/// (The error is the loader's ordinary error type; it is returned once per file.)
#[allow(clippy::result_large_err)]
fn header(path: &str, text: &Text) -> Result<Header, LoadError> {
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    let at = |start: usize, len: usize, msg: String| {
        at(
            LoadErrorKind::Shape,
            path,
            text,
            Span::new(start, start + len.max(1)),
            msg,
        )
    };
    if line.is_empty() {
        return Err(at(
            0,
            0,
            "expected a header line (e.g. `id,name` or `from_id,to_id`)".into(),
        ));
    }
    let mut columns = Vec::new();
    let mut offset = 0;
    for raw in line.split(',') {
        let name = raw.trim().trim_matches('"');
        let col = column(name).map_err(|e| at(offset, raw.len(), e.to_string()))?;
        columns.push(col);
        offset += raw.len() + 1;
    }
    let has = |f: fn(&Column) -> bool| columns.iter().any(f);
    let kind = if has(|c| matches!(c, Column::Start)) || has(|c| matches!(c, Column::End)) {
        if !has(|c| matches!(c, Column::Start)) || !has(|c| matches!(c, Column::End)) {
            return Err(at(0, line.len(), "a relationship file needs both a start column (`from_id` or `:START_ID`) and an end column (`to_id` or `:END_ID`)".into()));
        }
        Kind::Rels
    } else if has(|c| matches!(c, Column::Id(_))) {
        Kind::Nodes
    } else {
        return Err(at(
            0,
            line.len(),
            "expected an `id` column (a node file) or `from_id,to_id` columns (a relationship file)".into(),
        ));
    };
    Ok(Header { kind, columns })
}

fn column(name: &str) -> Result<Column, ColumnError> {
    let (prop, ty) = match name.rsplit_once(':') {
        Some((p, t)) => (p, Some(t)),
        None => (name, None),
    };
    let Some(ty) = ty else {
        return Ok(match name {
            "id" => Column::Id(Arc::from("id")),
            "from_id" => Column::Start,
            "to_id" => Column::End,
            "" => return Err(ColumnError::NoName),
            _ => Column::Prop(Arc::from(name), ColType::String),
        });
    };
    let t = ty.to_ascii_lowercase();
    let base = t.split('(').next().unwrap_or("");
    Ok(match base {
        "id" => Column::Id(Arc::from(if prop.is_empty() { "id" } else { prop })),
        "label" => Column::Labels,
        "start_id" => Column::Start,
        "end_id" => Column::End,
        "type" => Column::Type,
        "ignore" => Column::Ignore,
        _ => {
            if prop.is_empty() {
                return Err(ColumnError::NoProperty { column: name.into() });
            }
            let ct = match base.strip_suffix("[]") {
                Some(inner) => ColType::List(scalar(inner).ok_or_else(|| unknown_type(name, inner))?),
                None => match scalar(base).ok_or_else(|| unknown_type(name, base))? {
                    ScalarType::String => ColType::String,
                    ScalarType::Int => ColType::Int,
                    ScalarType::Float => ColType::Float,
                    ScalarType::Bool => ColType::Bool,
                },
            };
            Column::Prop(Arc::from(prop), ct)
        }
    })
}

/// Why a header names a column rolegraph cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnError {
    #[error("a column has no name")]
    NoName,
    #[error("column '{column}' has a type but no property name")]
    NoProperty { column: String },
    #[error("column '{column}': unknown type '{found}'{}", help.as_ref().map(|h| format!("; {h}")).unwrap_or_default())]
    UnknownType {
        column: String,
        found: String,
        /// A near type name ("did you mean 'int'?").
        help: Option<String>,
    },
}

/// A field that does not hold its column's type: what the column expects
/// and the text found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected {}, found '{found}'", expected.described())]
pub struct ValueError {
    pub expected: ScalarType,
    pub found: String,
}

fn scalar(t: &str) -> Option<ScalarType> {
    Some(match t {
        "string" | "char" => ScalarType::String,
        "int" | "long" | "short" | "byte" | "integer" => ScalarType::Int,
        "float" | "double" => ScalarType::Float,
        "boolean" | "bool" => ScalarType::Bool,
        _ => return None,
    })
}

fn unknown_type(name: &str, t: &str) -> ColumnError {
    let known = [
        "string", "int", "long", "float", "double", "boolean", "ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE",
    ];
    ColumnError::UnknownType {
        column: name.to_string(),
        found: t.to_string(),
        help: did_you_mean(t, known),
    }
}

fn parse_scalar(t: ScalarType, s: &str) -> Result<Value, ValueError> {
    let bad = || ValueError {
        expected: t,
        found: s.to_string(),
    };
    Ok(match t {
        ScalarType::String => Value::str(s),
        ScalarType::Int => Value::Int(s.trim().parse().map_err(|_| bad())?),
        ScalarType::Float => Value::Float(s.trim().parse().map_err(|_| bad())?),
        ScalarType::Bool => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(bad()),
        },
    })
}

fn parse_value(t: ColType, s: &str) -> Result<Value, ValueError> {
    match t {
        ColType::String => Ok(Value::str(s)),
        ColType::Int => parse_scalar(ScalarType::Int, s),
        ColType::Float => parse_scalar(ScalarType::Float, s),
        ColType::Bool => parse_scalar(ScalarType::Bool, s),
        ColType::List(inner) => {
            let items: Result<Vec<Value>, ValueError> = s.split(';').map(|x| parse_scalar(inner, x)).collect();
            Ok(Value::list(items?))
        }
    }
}

/// Iterates the data records of a file with each field's byte range in the text.
fn records<'t>(
    path: &'t str,
    text: &'t Text,
    n_columns: usize,
    errors: &'t mut Errors,
    mut each: impl FnMut(&[&str], &dyn Fn(usize) -> Span, &mut Errors),
) {
    // The csv reader takes an unclosed quote as running to the end of the
    // file; that is a broken file, not one long field.
    if let Some(open) = unclosed_quote(text) {
        errors.push(
            at(
                LoadErrorKind::Syntax,
                path,
                text,
                Span::new(open, open + 1),
                "invalid CSV: this quote is never closed",
            )
            .with_help(Some(
                "close the field with '\"' (a quote inside a field is written '\"\"')".into(),
            )),
        );
        return;
    }
    if memchr::memchr(b'"', text.as_bytes()).is_none() {
        plain_records(path, text, n_columns, errors, each);
        return;
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let offset = e.position().map(|p| p.byte() as usize).unwrap_or(0);
                errors.push(
                    at(
                        LoadErrorKind::Syntax,
                        path,
                        text,
                        Span::new(offset, offset + 1),
                        format!("invalid CSV: {e}"),
                    )
                    .with_help(Some("check this line's quotes and that the file is UTF-8 text".into())),
                );
                break;
            }
        }
        let start = rec.position().map(|p| p.byte() as usize).unwrap_or(0);
        if rec.len() != n_columns {
            if !(rec.len() == 1 && rec.get(0) == Some("")) {
                errors.push(field_count(path, text, start, n_columns, rec.len()));
            }
            continue;
        }
        let fields: Vec<&str> = rec.iter().collect();
        // Field positions: exact for unquoted fields, close for quoted ones.
        let spans: Vec<usize> = {
            let mut v = Vec::with_capacity(fields.len());
            let mut off = start;
            for f in &fields {
                v.push(off);
                off += f.len() + 1;
            }
            v
        };
        let span_of = |i: usize| {
            let s = spans.get(i).copied().unwrap_or(start);
            Span::new(s, s + fields.get(i).map(|f| f.len()).unwrap_or(0).max(1))
        };
        each(&fields, &span_of, errors);
        if errors.full() {
            break;
        }
    }
}

/// A property field that does not hold its column's type.
fn bad_value(path: &str, text: &Text, span: Span, key: &str, why: ValueError) -> LoadError {
    at(LoadErrorKind::Value, path, text, span, format!("column '{key}': {why}"))
}

/// A record at byte `start` with `found` fields where the header has `n_columns`.
fn field_count(path: &str, text: &Text, start: usize, n_columns: usize, found: usize) -> LoadError {
    at(
        LoadErrorKind::Shape,
        path,
        text,
        Span::new(start, start + 1),
        format!("expected {n_columns} fields as in the header, found {found}"),
    )
    .with_help(Some(
        "quote a field that holds a comma (\"a, b\"), or make the header name every column".into(),
    ))
}

/// The lines of a file without quotes (the usual case): each is a record
/// and its fields are the text between commas, borrowed from the file.
fn plain_records<'t>(
    path: &'t str,
    text: &'t Text,
    n_columns: usize,
    errors: &'t mut Errors,
    mut each: impl FnMut(&[&str], &dyn Fn(usize) -> Span, &mut Errors),
) {
    let base = text.as_ptr() as usize;
    let mut fields: Vec<&str> = Vec::with_capacity(n_columns);
    for (start, line) in data_lines(text) {
        fields.clear();
        fields.extend(line.split(','));
        if fields.len() != n_columns {
            errors.push(field_count(path, text, start, n_columns, fields.len()));
            if errors.full() {
                break;
            }
            continue;
        }
        let span_of = |i: usize| match fields.get(i) {
            Some(f) => {
                let s = f.as_ptr() as usize - base;
                Span::new(s, s + f.len().max(1))
            }
            None => Span::new(start, start + 1),
        };
        each(&fields, &span_of, errors);
        if errors.full() {
            break;
        }
    }
}

/// Where the lines after the header start.
fn body_start(text: &str) -> usize {
    memchr::memchr(b'\n', text.as_bytes()).map_or(text.len(), |i| i + 1)
}

/// The non-empty lines after the header, with their byte offsets; a
/// trailing `\r` is not part of the line.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = body_start(text);
    std::iter::from_fn(move || {
        while at < text.len() {
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i);
            let start = at;
            at = end + 1;
            let line = text[start..end].strip_suffix('\r').unwrap_or(&text[start..end]);
            if !line.is_empty() {
                return Some((start, line));
            }
        }
        None
    })
}

/// The non-empty lines of `text[from..to]` (on line boundaries) split at
/// their comma; None for a line without exactly one, and nothing after
/// it. One scan for both
/// separators, where splitting each line would search it three times.
fn two_fields(text: &str, from: usize, to: usize) -> impl Iterator<Item = Option<(&str, &str)>> {
    let mut hits = memchr::memchr2_iter(b',', b'\n', &text.as_bytes()[from..to]).map(move |i| from + i);
    let mut start = from;
    std::iter::from_fn(move || {
        loop {
            if start >= to {
                return None;
            }
            let Some(first) = hits.next() else {
                // A last line without a line end or a comma.
                let line = text[start..to].trim_end_matches('\r');
                start = to;
                return (!line.is_empty()).then_some(None);
            };
            if text.as_bytes()[first] == b'\n' {
                let line = text[start..first].trim_end_matches('\r');
                start = first + 1;
                if line.is_empty() {
                    continue;
                }
                start = to; // the first bad line ends the reading
                return Some(None);
            }
            let end = hits.next().unwrap_or(to);
            if end < to && text.as_bytes()[end] == b',' {
                start = to;
                return Some(None);
            }
            let (a, b) = (&text[start..first], &text[first + 1..end]);
            start = end + 1;
            return Some(Some((a, b.strip_suffix('\r').unwrap_or(b))));
        }
    })
}

/// Line count, to size tables before reading.
fn count_lines(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1
}

/// Nodes read but not yet added: their long text goes into one block, made
/// when the batch is added (see [`NodeBatch::add_all`]).
struct NodeBatch {
    nodes: Vec<PendingNode>,
    /// The long text of `nodes`, back to back.
    text: String,
}

struct PendingNode {
    set: crate::store::LabelSet,
    props: Vec<(Arc<str>, Field)>,
    /// Where in `props` the id is.
    id: Option<usize>,
    /// Where an error about the node points: its id, else its line's start.
    span: Span,
}

impl PendingNode {
    /// The node's id, its long text read from the batch's `block`.
    fn id_text<'a>(&'a self, block: &'a crate::value::TextBlock) -> Option<&'a str> {
        match &self.props[self.id?].1 {
            Field::Value(Value::String(t)) => Some(t.as_str()),
            Field::Long(r) => block.as_str().get(r.clone()),
            Field::Value(_) => None,
        }
    }
}

/// A property value read from a node's line.
enum Field {
    Value(Value),
    /// Text longer than a value holds inline: this range of the batch's text.
    Long(std::ops::Range<usize>),
}

impl NodeBatch {
    /// Nodes a batch gathers before they are added.
    const NODES: usize = 4096;
    /// Or this much long text (a block stays alive while one value cut from it does).
    const TEXT: usize = 16 << 20;

    /// A string field's value: short text inline, long text into the batch's block.
    fn text(&mut self, s: &str) -> Field {
        if s.len() <= crate::value::INLINE {
            return Field::Value(Value::str(s));
        }
        let start = self.text.len();
        self.text.push_str(s);
        Field::Long(start..self.text.len())
    }

    /// Adds the gathered nodes to the graph, in the order they were read.
    fn add_all(&mut self, graph: &mut Graph, path: &str, file: &Text, errors: &mut Errors) {
        let block = crate::value::TextBlock::new(std::mem::take(&mut self.text));
        let value = |f: Field| match f {
            Field::Value(v) => v,
            // `cut` fails only past 4 GiB, which a batch never reaches.
            Field::Long(r) => block
                .cut(r.clone())
                .map(Value::String)
                .unwrap_or_else(|| match block.as_str().get(r) {
                    Some(s) => Value::str(s),
                    None => Value::Null,
                }),
        };
        // Each id's place in the index is asked for a few nodes ahead.
        const AHEAD: usize = 8;
        let mut nodes = std::mem::take(&mut self.nodes);
        for n in nodes.iter().take(AHEAD) {
            n.id_text(&block).inspect(|id| graph.prefetch_key(id));
        }
        for i in 0..nodes.len() {
            if let Some(id) = nodes.get(i + AHEAD).and_then(|n| n.id_text(&block)) {
                graph.prefetch_key(id);
            }
            let n = &mut nodes[i];
            let props: Vec<(Arc<str>, Value)> = n.props.drain(..).map(|(k, f)| (k, value(f))).collect();
            if let Err(e) = graph.add_node_in(n.set, Props::from_entries(props)) {
                let first = match &e {
                    crate::store::StoreError::DuplicateKey(k) => graph
                        .node_by_key(k)
                        .map(|_| " (an earlier line or file has it)".to_string())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                errors.push(
                    at(LoadErrorKind::DuplicateId, path, file, n.span, format!("{e}{first}")).with_help(Some(
                        "give each node its own id: ids are unique across all files".into(),
                    )),
                );
            }
        }
        nodes.clear();
        self.nodes = nodes;
    }
}

fn read_nodes(
    graph: &mut Graph,
    path: &str,
    stem: &str,
    text: &Text,
    h: &Header,
    errors: &mut Errors,
    progress: &mut Progress,
) {
    let mut default_set = None;
    graph.reserve(count_lines(text), 0);
    let mut seen = 0usize;
    let mut batch = NodeBatch {
        nodes: Vec::with_capacity(NodeBatch::NODES),
        text: String::new(),
    };
    records(path, text, h.columns.len(), errors, |fields, span_of, errors| {
        let mut props: Vec<(Arc<str>, Field)> = Vec::with_capacity(fields.len());
        let mut labels: Vec<String> = Vec::new();
        let mut id = None;
        for (i, (col, f)) in h.columns.iter().zip(fields).enumerate() {
            match col {
                Column::Id(key) => {
                    if f.is_empty() {
                        errors.push(at(
                            LoadErrorKind::Shape,
                            path,
                            text,
                            span_of(i),
                            "expected a node id, found an empty field",
                        ));
                        return;
                    }
                    id = Some((props.len(), i));
                    props.push((key.clone(), batch.text(f)));
                }
                Column::Labels => labels.extend(f.split(';').filter(|l| !l.is_empty()).map(String::from)),
                Column::Prop(key, ColType::String) if !f.is_empty() => props.push((key.clone(), batch.text(f))),
                Column::Prop(key, t) if !f.is_empty() => match parse_value(*t, f) {
                    Ok(v) => props.push((key.clone(), Field::Value(v))),
                    Err(m) => errors.push(bad_value(path, text, span_of(i), key, m)),
                },
                _ => {}
            }
        }
        let set = if labels.is_empty() {
            *default_set.get_or_insert_with(|| graph.label_set(&[stem]))
        } else {
            graph.label_set(&labels)
        };
        batch.nodes.push(PendingNode {
            set,
            props,
            id: id.map(|(at, _)| at),
            span: span_of(id.map_or(0, |(_, column)| column)),
        });
        if batch.nodes.len() == NodeBatch::NODES || batch.text.len() >= NodeBatch::TEXT {
            batch.add_all(graph, path, text, errors);
        }
        seen += 1;
        if seen.is_multiple_of(65536) {
            progress.advance(span_of(0).start as u64);
        }
    });
    batch.add_all(graph, path, text, errors);
    progress.file_done(text.len() as u64);
}

fn read_rels(
    graph: &mut Graph,
    path: &str,
    stem: &str,
    text: &Text,
    h: &Header,
    errors: &mut Errors,
    progress: &mut Progress,
) {
    graph.reserve(0, count_lines(text));
    let simple = match h.columns.as_slice() {
        [Column::Start, Column::End] => Some(true),
        [Column::End, Column::Start] => Some(false),
        _ => None,
    };
    if let Some(start_first) = simple
        && !stem.is_empty()
        && memchr::memchr(b'"', text.as_bytes()).is_none()
        && let Some(chunks) = pairs_parallel(graph, text, start_first)
    {
        let t = graph.intern(stem);
        for chunk in &chunks {
            // Both ends came from the id index, so they exist.
            let _ = graph.push_rels(t, chunk);
        }
        progress.file_done(text.len() as u64);
        return;
    }
    // Files are usually grouped by start node: remember the last lookup.
    let mut last: (String, NodeId) = (String::new(), NodeId::default());
    let mut seen = 0usize;
    records(path, text, h.columns.len(), errors, |fields, span_of, errors| {
        let mut start = None;
        let mut end = None;
        let mut rel_type: &str = stem;
        let mut props: Vec<(Arc<str>, Value)> = Vec::new();
        for (i, (col, f)) in h.columns.iter().zip(fields).enumerate() {
            match col {
                Column::Start | Column::End => {
                    let cached = matches!(col, Column::Start) && last.0 == *f;
                    let found = if cached { Some(last.1) } else { graph.node_by_key(f) };
                    if let (Column::Start, Some(n), false) = (col, found, cached) {
                        last = (f.to_string(), n);
                    }
                    let Some(n) = found else {
                        let which = if matches!(col, Column::Start) { "start" } else { "end" };
                        // Suggestions cost a scan of every id: only for the first few errors.
                        let help = if errors.list.len() < 5 {
                            did_you_mean(f, graph.keys())
                        } else {
                            None
                        }
                        .or_else(|| Some(format!("add a node with id '{f}' to a node file, or correct the id")));
                        errors.push(
                            at(
                                LoadErrorKind::UnknownNode,
                                path,
                                text,
                                span_of(i),
                                format!("unknown {which} node '{f}'"),
                            )
                            .with_help(help),
                        );
                        return;
                    };
                    if matches!(col, Column::Start) {
                        start = Some(n);
                    } else {
                        end = Some(n);
                    }
                }
                Column::Type if !f.is_empty() => rel_type = f,
                Column::Prop(key, t) if !f.is_empty() => match parse_value(*t, f) {
                    Ok(v) => props.push((key.clone(), v)),
                    Err(m) => errors.push(bad_value(path, text, span_of(i), key, m)),
                },
                _ => {}
            }
        }
        let (Some(s), Some(e)) = (start, end) else { return };
        if rel_type.is_empty() {
            errors.push(at(
                LoadErrorKind::Shape,
                path,
                text,
                span_of(0),
                "expected a relationship type",
            ));
            return;
        }
        let props = if props.is_empty() {
            Props::default()
        } else {
            Props::from_entries(props)
        };
        let _ = add(graph, s, e, rel_type, props);
        seen += 1;
        if seen.is_multiple_of(262_144) {
            progress.advance(span_of(0).start as u64);
        }
    });
    progress.file_done(text.len() as u64);
}

fn add(graph: &mut Graph, s: NodeId, e: NodeId, t: &str, props: Props) -> Result<(), crate::store::StoreError> {
    let t = graph.intern(t);
    graph.push_rel(s, e, t, props)
}

/// A `from,to` file without quotes, split into one chunk per core; each
/// chunk's ids are looked up in the (read-only) id index. None when a line
/// is not two fields or names an unknown node: the careful reader then
/// reads the file again and reports where.
fn pairs_parallel(graph: &Graph, text: &str, start_first: bool) -> Option<Vec<Vec<(NodeId, NodeId)>>> {
    let body = body_start(text);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunks = if text.len() < (1 << 20) { 1 } else { cores };
    let mut bounds = vec![body];
    for k in 1..chunks {
        let guess = body + (text.len() - body) * k / chunks;
        let cut = memchr::memchr(b'\n', &text.as_bytes()[guess..]).map_or(text.len(), |i| guess + i + 1);
        bounds.push(cut.max(*bounds.last().unwrap_or(&body)));
    }
    bounds.push(text.len());
    let read = |from: usize, to: usize| -> Option<Vec<(NodeId, NodeId)>> {
        const BATCH: usize = 64;
        let mut out = Vec::with_capacity((to - from) / 16);
        // A batch of lines' ids, looked up together. A start equal to the
        // line before's is not looked up again (files are usually grouped
        // by start node).
        let mut keys: Vec<&str> = Vec::with_capacity(2 * BATCH);
        let mut repeats: Vec<bool> = Vec::with_capacity(BATCH);
        let mut found: Vec<Option<NodeId>> = Vec::with_capacity(2 * BATCH);
        let mut last_key = "";
        let mut start = NodeId::default();
        let mut lines = two_fields(text, from, to).peekable();
        while lines.peek().is_some() {
            keys.clear();
            repeats.clear();
            for pair in lines.by_ref().take(BATCH) {
                let (a, b) = pair?;
                let (s, e) = if start_first { (a, b) } else { (b, a) };
                let repeat = s == last_key && !s.is_empty();
                if !repeat {
                    keys.push(s);
                    last_key = s;
                }
                keys.push(e);
                repeats.push(repeat);
            }
            found.clear();
            graph.nodes_by_keys(&keys, &mut found);
            let mut next = found.iter();
            for repeat in &repeats {
                if !repeat {
                    start = (*next.next()?)?;
                }
                out.push((start, (*next.next()?)?));
            }
        }
        Some(out)
    };
    if chunks == 1 {
        return Some(vec![read(body, text.len())?]);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = bounds
            .windows(2)
            .map(|w| {
                let (from, to) = (w[0], w[1]);
                scope.spawn(move || read(from, to))
            })
            .collect();
        handles.into_iter().map(|h| h.join().ok().flatten()).collect()
    })
}

/// A progress bar on a terminal, shown only once a load has taken a second.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: u64,
    done_files: u64,
    started: Instant,
    tty: bool,
}

impl Progress {
    fn new(total: u64, started: Instant) -> Progress {
        use std::io::IsTerminal;
        Progress {
            bar: None,
            total,
            done_files: 0,
            started,
            tty: std::io::stderr().is_terminal(),
        }
    }

    fn advance(&mut self, in_file: u64) {
        if !self.tty {
            return;
        }
        if self.bar.is_none() && self.started.elapsed() > Duration::from_secs(1) {
            let bar = indicatif::ProgressBar::new(self.total);
            bar.set_style(
                indicatif::ProgressStyle::with_template("loading {bar:40} {bytes}/{total_bytes} {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            self.bar = Some(bar);
        }
        if let Some(b) = &self.bar {
            b.set_position(self.done_files + in_file);
        }
    }

    fn file_done(&mut self, len: u64) {
        self.done_files += len;
        self.advance(0);
    }

    fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

/// Where a quoted field opens that never closes, if one does. Inside quotes
/// `""` is an escaped quote, which keeps the field open.
fn unclosed_quote(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut open: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            match open {
                None => open = Some(i),
                Some(_) if bytes.get(i + 1) == Some(&b'"') => i += 1,
                Some(_) => open = None,
            }
        }
        i += 1;
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (start id, type, end id) of every relationship, sorted.
    fn triples(g: &Graph) -> Vec<(String, String, String)> {
        let key = |n: NodeId| g.node(n).key().unwrap_or_default().to_string();
        let mut v: Vec<_> = g
            .rels()
            .map(|r| {
                let r = g.rel(r);
                (key(r.start()), r.rel_type().to_string(), key(r.end()))
            })
            .collect();
        v.sort();
        v
    }

    fn load(files: &[(&str, &str)]) -> Result<Graph, LoadErrors> {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<_> = files
            .iter()
            .map(|(name, text)| {
                let p = dir.path().join(name);
                std::fs::write(&p, text).unwrap();
                p
            })
            .collect();
        load_csv_dir("t", &paths, u64::MAX)
    }

    #[test]
    fn two_fields_splits_lines_and_refuses_other_shapes() {
        fn all(t: &str) -> Vec<Option<(&str, &str)>> {
            two_fields(t, 0, t.len()).collect()
        }
        assert_eq!(
            all("a,b\r\n\nc,d\n\r\ne,f"),
            vec![Some(("a", "b")), Some(("c", "d")), Some(("e", "f"))]
        );
        assert_eq!(all(",\n"), vec![Some(("", ""))]);
        assert_eq!(all("a,b,c\n"), vec![None]);
        assert_eq!(all("a,b\nlonely\n"), vec![Some(("a", "b")), None]);
        assert_eq!(all("a,b\nlonely"), vec![Some(("a", "b")), None]);
        assert!(all("").is_empty());
    }

    /// A relationship file over 1 MiB is read in chunks on every core, with
    /// its ids looked up in batches; a file with a quote goes through the
    /// csv reader line by line. Both must give the same relationships.
    #[test]
    fn the_parallel_batched_reader_agrees_with_the_careful_one() {
        let nodes: String = std::iter::once("id,name\n".to_string())
            .chain((0..3000).map(|i| format!("n{i},Node {i}\n")))
            .collect();
        // Runs of one start (repeats skip a lookup), ends spread out.
        let lines: Vec<String> = (0..120_000u64)
            .map(|k| format!("n{},n{}", k / 7 % 3000, k * 7919 % 3000))
            .collect();
        let plain = format!("from_id,to_id\n{}\n", lines.join("\n"));
        assert!(plain.len() > 1 << 20);
        let quoted = plain.replacen("\nn0,", "\n\"n0\",", 1);
        let fast = load(&[("N.csv", &nodes), ("LINKS.csv", &plain)]).unwrap();
        let careful = load(&[("N.csv", &nodes), ("LINKS.csv", &quoted)]).unwrap();
        assert_eq!(fast.rel_count(), 120_000);
        assert_eq!(triples(&fast), triples(&careful));
        // An unknown id near the end is reported with its line.
        let bad = format!("{}\nn1,nope\n", plain.trim_end());
        let err = load(&[("N.csv", &nodes), ("LINKS.csv", &bad)]).unwrap_err().to_string();
        assert!(err.contains("unknown end node 'nope'"), "{err}");
        assert!(err.contains(":120002:"), "{err}");
    }

    /// Nodes are added in batches whose long text shares one block: every
    /// value must read back as written, short or long, ASCII or not, in
    /// every batch, and a duplicate id late in a batch is still reported at
    /// its own line and column.
    #[test]
    fn nodes_loaded_in_batches_keep_their_text_and_their_error_positions() {
        let name = |i: usize| match i % 3 {
            0 => format!("n{i}"),
            1 => format!("A name long enough to leave the value {i}"),
            _ => format!("Ünïcödé and a tail that is not inline {i} ✓"),
        };
        let n = 2 * NodeBatch::NODES + 77;
        let text: String = std::iter::once("id,name,rank:int\n".to_string())
            .chain((0..n).map(|i| format!("k{i}_{},{},{i}\n", "x".repeat(i % 30), name(i))))
            .collect();
        let g = load(&[("N.csv", &text)]).unwrap();
        assert_eq!(g.node_count(), n);
        for i in [
            0,
            1,
            2,
            NodeBatch::NODES - 1,
            NodeBatch::NODES,
            NodeBatch::NODES + 1,
            n - 1,
        ] {
            let node = g.node(g.node_by_key(&format!("k{i}_{}", "x".repeat(i % 30))).unwrap());
            assert_eq!(node.prop("name").and_then(Value::as_str), Some(name(i).as_str()));
            assert!(matches!(node.prop("rank"), Some(Value::Int(r)) if *r == i as i64));
        }
        let dup = format!("{text}k5_xxxxx,again,1\n");
        let err = load(&[("N.csv", &dup)]).unwrap_err().to_string();
        assert!(err.contains("k5_xxxxx"), "{err}");
        assert!(err.contains(&format!(":{}:1", n + 2)), "{err}");
    }

    /// A field that does not hold its column's type is a `Value` error
    /// naming the file, the line and the column of the field.
    #[test]
    fn a_bad_field_is_a_value_error_at_its_file_line_and_column() {
        let err = load(&[("P.csv", "id,age:int,ok:bool\np1,41,true\np2,forty,true\np3,3,maybe\n")]).unwrap_err();
        let found: Vec<_> = err
            .iter()
            .map(|e| (e.kind, e.file.rsplit('/').next().unwrap().to_string(), e.line, e.column))
            .collect();
        assert_eq!(
            found,
            vec![
                (LoadErrorKind::Value, "P.csv".to_string(), 3, 4),
                (LoadErrorKind::Value, "P.csv".to_string(), 4, 6),
            ]
        );
        assert_eq!(err.0[0].message, "column 'age': expected an integer, found 'forty'");
        assert_eq!(err.0[1].message, "column 'ok': expected true or false, found 'maybe'");
        assert_eq!(
            parse_value(ColType::List(ScalarType::Float), "1.5;x").unwrap_err(),
            ValueError {
                expected: ScalarType::Float,
                found: "x".into()
            }
        );
    }

    #[test]
    fn header_columns_fail_by_kind() {
        assert_eq!(column("").unwrap_err(), ColumnError::NoName);
        assert!(matches!(column(":int"), Err(ColumnError::NoProperty { column }) if column == ":int"));
        let e = column("age:strng").unwrap_err();
        assert!(
            matches!(&e, ColumnError::UnknownType { found, help: Some(_), .. } if found == "strng"),
            "{e:?}"
        );
        assert!(
            e.to_string().starts_with("column 'age:strng': unknown type 'strng'; "),
            "{e}"
        );
        // In a file, the header's error is positioned at the column.
        let err = load(&[("N.csv", "id,age:strng\n")]).unwrap_err();
        assert_eq!(
            (err.0[0].kind, err.0[0].line, err.0[0].column),
            (LoadErrorKind::Shape, 1, 4)
        );
    }

    /// A file the system will not give is an `Io` error keeping the
    /// system's error as its source.
    #[test]
    fn an_unreadable_file_keeps_its_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone.csv");
        let err = load_csv_dir("t", &[missing], u64::MAX).unwrap_err();
        let e = &err.0[0];
        assert_eq!(e.kind, LoadErrorKind::Io);
        let source = e.source.as_ref().expect("the io::Error is kept");
        assert_eq!(source.0.kind(), std::io::ErrorKind::NotFound);
        assert!(e.to_string().contains("gone.csv"), "{e}");
    }
}
