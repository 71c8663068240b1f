//! Runtime values: what properties hold and what expressions evaluate to.
//!
//! Graph elements are carried by handle (`NodeId`, `RelId`) so a row stays
//! cheap to copy; renderers look them up in the graph when they print.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::store::{NodeId, RelId};

mod contains;
pub mod temporal;
mod text;
pub use contains::{contains, text_contains};
pub use temporal::Temporal;
pub use text::{INLINE, Text, TextBlock, char_count};

/// A property map; keys are sorted so output is deterministic.
pub type Map = BTreeMap<Arc<str>, Value>;

/// A path: `nodes.len() == rels.len() + 1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    pub nodes: Vec<NodeId>,
    pub rels: Vec<RelId>,
}

#[derive(Debug, Clone, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(Text),
    List(Arc<Vec<Value>>),
    Map(Arc<Map>),
    Node(NodeId),
    Rel(RelId),
    Path(Arc<Path>),
    /// A date, time, date-time or duration (see [`temporal`]).
    Temporal(Arc<Temporal>),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::String(Text::new(s))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items))
    }

    pub fn map(m: Map) -> Value {
        Value::Map(Arc::new(m))
    }

    pub fn temporal(t: Temporal) -> Value {
        Value::Temporal(Arc::new(t))
    }

    /// True for a value a property can hold: a number, string, boolean or
    /// temporal value, or a list of them.
    pub fn is_storable(&self) -> bool {
        let scalar = |v: &Value| {
            matches!(
                v,
                Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::String(_) | Value::Temporal(_)
            )
        };
        match self {
            Value::List(l) => l.iter().all(scalar),
            v => scalar(v),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The openCypher type name, used in type errors.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Bool(_) => "BOOLEAN",
            Value::Int(_) => "INTEGER",
            Value::Float(_) => "FLOAT",
            Value::String(_) => "STRING",
            Value::List(_) => "LIST",
            Value::Map(_) => "MAP",
            Value::Node(_) => "NODE",
            Value::Rel(_) => "RELATIONSHIP",
            Value::Path(_) => "PATH",
            Value::Temporal(t) => t.type_name(),
        }
    }

    /// Cypher equality (`=`): `None` when the answer is null (a null is
    /// involved, or NaN, or lists holding nulls that decide the answer).
    pub fn cypher_eq(&self, other: &Value) -> Option<bool> {
        use Value::*;
        match (self, other) {
            (Null, _) | (_, Null) => None,
            (Bool(a), Bool(b)) => Some(a == b),
            (Int(a), Int(b)) => Some(a == b),
            (Int(a), Float(b)) => num_eq(*a as f64, *b),
            (Float(a), Int(b)) => num_eq(*a, *b as f64),
            (Float(a), Float(b)) => num_eq(*a, *b),
            (String(a), String(b)) => Some(a == b),
            (List(a), List(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                let mut unknown = false;
                for (x, y) in a.iter().zip(b.iter()) {
                    match x.cypher_eq(y) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown { None } else { Some(true) }
            }
            (Map(a), Map(b)) => {
                if a.len() != b.len() || a.keys().ne(b.keys()) {
                    return Some(false);
                }
                let mut unknown = false;
                for (x, y) in a.values().zip(b.values()) {
                    match x.cypher_eq(y) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown { None } else { Some(true) }
            }
            (Node(a), Node(b)) => Some(a == b),
            (Rel(a), Rel(b)) => Some(a == b),
            (Path(a), Path(b)) => Some(a == b),
            (Temporal(a), Temporal(b)) => Some(a.same(b)),
            _ => Some(false),
        }
    }

    /// Cypher comparison (`<` and friends): `None` when the values are not
    /// comparable (different types, or a null is involved).
    pub fn cypher_cmp(&self, other: &Value) -> Option<Ordering> {
        use Value::*;
        match (self, other) {
            (Int(a), Int(b)) => Some(a.cmp(b)),
            (Int(a), Float(b)) => (*a as f64).partial_cmp(b),
            (Float(a), Int(b)) => a.partial_cmp(&(*b as f64)),
            (Float(a), Float(b)) => a.partial_cmp(b),
            (String(a), String(b)) => Some(a.cmp(b)),
            (Bool(a), Bool(b)) => Some(a.cmp(b)),
            (Temporal(a), Temporal(b)) => a.compare(b),
            (List(a), List(b)) => {
                for (x, y) in a.iter().zip(b.iter()) {
                    match x.cypher_cmp(y)? {
                        Ordering::Equal => {}
                        o => return Some(o),
                    }
                }
                Some(a.len().cmp(&b.len()))
            }
            _ => None,
        }
    }

    /// The total order used by ORDER BY, DISTINCT and grouping: every value has
    /// a place. Ascending: maps, nodes, relationships, lists, paths,
    /// temporal values (date-times, local date-times, dates, times, local
    /// times, durations), strings, booleans, numbers, NaN, then null last.
    pub fn total_cmp(&self, other: &Value) -> Ordering {
        use Value::*;
        // The usual sort keys first, without ranking the classes.
        match (self, other) {
            (Int(a), Int(b)) => return a.cmp(b),
            (String(a), String(b)) => return a.cmp(b),
            _ => {}
        }
        fn rank(v: &Value) -> u8 {
            match v {
                Map(_) => 0,
                Node(_) => 1,
                Rel(_) => 2,
                List(_) => 3,
                Path(_) => 4,
                Temporal(_) => 5,
                String(_) => 6,
                Bool(_) => 7,
                Int(_) | Float(_) => 8,
                Null => 9,
            }
        }
        let (ra, rb) = (rank(self), rank(other));
        if ra != rb {
            return ra.cmp(&rb);
        }
        match (self, other) {
            (Map(a), Map(b)) => {
                let ka: Vec<_> = a.iter().collect();
                let kb: Vec<_> = b.iter().collect();
                for ((k1, v1), (k2, v2)) in ka.iter().zip(kb.iter()) {
                    let o = k1.cmp(k2).then_with(|| v1.total_cmp(v2));
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                ka.len().cmp(&kb.len())
            }
            (Node(a), Node(b)) => a.cmp(b),
            (Rel(a), Rel(b)) => a.cmp(b),
            (List(a), List(b)) => {
                for (x, y) in a.iter().zip(b.iter()) {
                    let o = x.total_cmp(y);
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                a.len().cmp(&b.len())
            }
            (Path(a), Path(b)) => a.nodes.cmp(&b.nodes).then_with(|| a.rels.cmp(&b.rels)),
            (Temporal(a), Temporal(b)) => a.rank().cmp(&b.rank()).then_with(|| a.total_cmp(b)),
            (String(a), String(b)) => a.cmp(b),
            (Bool(a), Bool(b)) => a.cmp(b),
            (Int(a), Int(b)) => a.cmp(b),
            (Int(a), Float(b)) => cmp_f64(*a as f64, *b).then(Ordering::Less),
            (Float(a), Int(b)) => cmp_f64(*a, *b as f64).then(Ordering::Greater),
            (Float(a), Float(b)) => cmp_f64(*a, *b),
            _ => Ordering::Equal,
        }
    }

    /// Equivalence for DISTINCT and grouping: like `=` but null equals null.
    pub fn equivalent(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Int(a), Float(b)) | (Float(b), Int(a)) => (*a as f64) == *b,
            (Float(a), Float(b)) => a == b || (a.is_nan() && b.is_nan()),
            (List(a), List(b)) => a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.equivalent(y)),
            (Map(a), Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|((k1, v1), (k2, v2))| k1 == k2 && v1.equivalent(v2))
            }
            _ => self.cypher_eq(other) == Some(true),
        }
    }
}

fn num_eq(a: f64, b: f64) -> Option<bool> {
    if a.is_nan() || b.is_nan() {
        Some(false)
    } else {
        Some(a == b)
    }
}

fn cmp_f64(a: f64, b: f64) -> Ordering {
    // NaN sorts after every number.
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// A key wrapper so values can live in hash maps for grouping and DISTINCT.
/// Hash is coarse (numbers hash by their f64 value) and `Eq` is `equivalent`.
#[derive(Debug, Clone)]
pub struct GroupKey(pub Vec<Value>);

impl PartialEq for GroupKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(other.0.iter()).all(|(a, b)| a.equivalent(b))
    }
}
impl Eq for GroupKey {}

impl std::hash::Hash for GroupKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        GroupKeyRef(&self.0).hash(state)
    }
}

/// [`GroupKey`]'s hash of values that are not in a `GroupKey` of their own.
pub struct GroupKeyRef<'a>(pub &'a [Value]);

impl std::hash::Hash for GroupKeyRef<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for v in self.0 {
            hash_value(v, state);
        }
    }
}

/// One value as a hash key, with the same equivalence as [`GroupKey`]
/// (DISTINCT within an aggregate), without a vector per value.
#[derive(Debug, Clone)]
pub struct ValueKey(pub Value);

impl PartialEq for ValueKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.equivalent(&other.0)
    }
}
impl Eq for ValueKey {}

impl std::hash::Hash for ValueKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        hash_value(&self.0, state);
    }
}

fn hash_value<H: std::hash::Hasher>(v: &Value, state: &mut H) {
    use std::hash::Hash;
    match v {
        Value::Null => 0u8.hash(state),
        Value::Bool(b) => b.hash(state),
        Value::Int(i) => hash_f64(*i as f64, state),
        Value::Float(f) => hash_f64(*f, state),
        Value::String(s) => s.hash(state),
        Value::List(l) => {
            l.len().hash(state);
            for x in l.iter() {
                hash_value(x, state);
            }
        }
        Value::Map(m) => {
            for (k, x) in m.iter() {
                k.hash(state);
                hash_value(x, state);
            }
        }
        Value::Node(n) => n.hash(state),
        Value::Rel(r) => r.hash(state),
        Value::Path(p) => p.hash(state),
        Value::Temporal(t) => t.hash(state),
    }
}

fn hash_f64<H: std::hash::Hasher>(f: f64, state: &mut H) {
    use std::hash::Hash;
    if f.is_nan() {
        u64::MAX.hash(state)
    } else if f == 0.0 {
        0u64.hash(state)
    } else {
        f.to_bits().hash(state)
    }
}

/// Formats a float the way Cypher prints it: always with a decimal point or
/// exponent, so `1.0` never reads as the integer `1`.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity".into() } else { "-Infinity".into() }
    } else if f == f.trunc() && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        let s = format!("{f}");
        if s.contains('e') || s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// Quotes a string as a Cypher string literal (single quotes, escapes).
pub fn quote_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Formats a map key as Cypher would accept it (backticks when needed).
pub fn format_key(k: &str) -> String {
    let plain = !k.is_empty()
        && k.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        k.to_string()
    } else {
        format!("`{}`", k.replace('`', "``"))
    }
}

/// Literal form of values that need no graph to print (nodes print as their
/// internal handle; renderers that hold the graph print them properly).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => write!(f, "null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{}", format_float(*x)),
            Value::String(s) => write!(f, "{}", quote_string(s)),
            Value::List(l) => {
                write!(f, "[")?;
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{v}")?;
                }
                write!(f, "]")
            }
            Value::Map(m) => {
                write!(f, "{{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{}: {v}", format_key(k))?;
                }
                write!(f, "}}")
            }
            Value::Node(n) => write!(f, "(#{})", n.index()),
            Value::Rel(r) => write!(f, "[#{}]", r.index()),
            Value::Path(p) => write!(f, "<path of {} hops>", p.rels.len()),
            // As openCypher prints them: ISO 8601 text, unquoted.
            Value::Temporal(t) => write!(f, "{t}"),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::str(s)
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(Text::from(s))
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}
impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Float(x)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Self {
        Value::list(v)
    }
}
