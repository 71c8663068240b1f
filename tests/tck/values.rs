//! The TCK's value syntax (result and parameter tables), and comparing the
//! engine's values against it: graph elements by labels/type and
//! properties, floats by value, lists optionally as multisets.

use std::collections::BTreeMap;

use rolegraph::Graph;
use rolegraph::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<Expected>),
    Map(BTreeMap<String, Expected>),
    Node {
        labels: Vec<String>,
        props: BTreeMap<String, Expected>,
    },
    Rel {
        rel_type: String,
        props: BTreeMap<String, Expected>,
    },
    /// Nodes and, between them, (relationship, points right).
    Path {
        start: Box<Expected>,
        hops: Vec<(Expected, bool, Expected)>,
    },
}

pub fn parse(text: &str) -> Result<Expected, String> {
    let mut p = P {
        s: text.as_bytes(),
        i: 0,
        text,
    };
    let v = p.value()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(format!("trailing text in value {text:?} at {}", p.i));
    }
    Ok(v)
}

struct P<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
}

impl P<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && (self.s[self.i] as char).is_whitespace() {
            self.i += 1;
        }
    }
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected '{}' at {} in {:?}", c as char, self.i, self.text))
        }
    }
    fn word(&mut self) -> String {
        self.ws();
        let start = self.i;
        while self.i < self.s.len() {
            let c = self.s[self.i];
            if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
                self.i += 1;
            } else {
                break;
            }
        }
        self.text[start..self.i].to_string()
    }
    fn key(&mut self) -> Result<String, String> {
        if self.peek() == Some(b'`') {
            self.i += 1;
            let start = self.i;
            while self.i < self.s.len() && self.s[self.i] != b'`' {
                self.i += 1;
            }
            let k = self.text[start..self.i].to_string();
            self.i += 1;
            return Ok(k);
        }
        let w = self.word();
        if w.is_empty() {
            Err(format!("expected a key at {} in {:?}", self.i, self.text))
        } else {
            Ok(w)
        }
    }

    fn value(&mut self) -> Result<Expected, String> {
        match self.peek() {
            Some(b'[') => {
                // A list, or a relationship `[:T {..}]`.
                let save = self.i;
                self.i += 1;
                if self.peek() == Some(b':') {
                    self.i = save;
                    return self.rel();
                }
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value()?);
                        if self.eat(b']') {
                            break;
                        }
                        self.expect(b',')?;
                    }
                }
                Ok(Expected::List(items))
            }
            Some(b'{') => Ok(Expected::Map(self.map()?)),
            Some(b'(') => self.node(),
            Some(b'<') => self.path(),
            Some(b'\'') | Some(b'"') => Ok(Expected::String(self.string()?)),
            _ => self.scalar(),
        }
    }

    fn map(&mut self) -> Result<BTreeMap<String, Expected>, String> {
        self.expect(b'{')?;
        let mut m = BTreeMap::new();
        if self.eat(b'}') {
            return Ok(m);
        }
        loop {
            let k = self.key()?;
            self.expect(b':')?;
            m.insert(k, self.value()?);
            if self.eat(b'}') {
                return Ok(m);
            }
            self.expect(b',')?;
        }
    }

    fn node(&mut self) -> Result<Expected, String> {
        self.expect(b'(')?;
        let mut labels = Vec::new();
        while self.eat(b':') {
            labels.push(self.key()?);
        }
        let props = if self.peek() == Some(b'{') {
            self.map()?
        } else {
            BTreeMap::new()
        };
        self.expect(b')')?;
        labels.sort();
        Ok(Expected::Node { labels, props })
    }

    fn rel(&mut self) -> Result<Expected, String> {
        self.expect(b'[')?;
        self.expect(b':')?;
        let rel_type = self.key()?;
        let props = if self.peek() == Some(b'{') {
            self.map()?
        } else {
            BTreeMap::new()
        };
        self.expect(b']')?;
        Ok(Expected::Rel { rel_type, props })
    }

    fn path(&mut self) -> Result<Expected, String> {
        self.expect(b'<')?;
        let start = self.node()?;
        let mut hops = Vec::new();
        loop {
            match self.peek() {
                Some(b'>') => {
                    self.i += 1;
                    break;
                }
                Some(b'<') => {
                    self.i += 1;
                    self.expect(b'-')?;
                    let r = self.rel()?;
                    self.expect(b'-')?;
                    hops.push((r, false, self.node()?));
                }
                Some(b'-') => {
                    self.i += 1;
                    let r = self.rel()?;
                    self.expect(b'-')?;
                    self.expect(b'>')?;
                    hops.push((r, true, self.node()?));
                }
                _ => return Err(format!("bad path {:?}", self.text)),
            }
        }
        Ok(Expected::Path {
            start: Box::new(start),
            hops,
        })
    }

    fn string(&mut self) -> Result<String, String> {
        let q = self.s[self.i];
        self.i += 1;
        let mut out = String::new();
        let rest = &self.text[self.i..];
        let mut chars = rest.char_indices();
        while let Some((off, c)) = chars.next() {
            if c as u32 == q as u32 {
                self.i += off + 1;
                return Ok(out);
            }
            if c == '\\' {
                match chars.next().map(|x| x.1) {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some('b') => out.push('\u{8}'),
                    Some('f') => out.push('\u{c}'),
                    Some('u') => {
                        let hex: String = (0..4).filter_map(|_| chars.next().map(|x| x.1)).collect();
                        out.push(
                            u32::from_str_radix(&hex, 16)
                                .ok()
                                .and_then(char::from_u32)
                                .unwrap_or('\u{fffd}'),
                        );
                    }
                    Some(other) => out.push(other),
                    None => break,
                }
            } else {
                out.push(c);
            }
        }
        Err(format!("unterminated string in {:?}", self.text))
    }

    fn scalar(&mut self) -> Result<Expected, String> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len() && !matches!(self.s[self.i], b',' | b']' | b'}' | b')') {
            self.i += 1;
        }
        let t = self.text[start..self.i].trim();
        Ok(match t {
            "null" => Expected::Null,
            "true" => Expected::Bool(true),
            "false" => Expected::Bool(false),
            "NaN" => Expected::Float(f64::NAN),
            "Inf" | "Infinity" => Expected::Float(f64::INFINITY),
            "-Inf" | "-Infinity" => Expected::Float(f64::NEG_INFINITY),
            _ => {
                if let Ok(i) = t.parse::<i64>() {
                    Expected::Int(i)
                } else if let Ok(f) = t.parse::<f64>() {
                    Expected::Float(f)
                } else {
                    return Err(format!("cannot read value {t:?}"));
                }
            }
        })
    }
}

/// Turns a parameter value into an engine value (graph elements are not
/// valid parameters).
pub fn to_value(e: &Expected) -> Result<Value, String> {
    Ok(match e {
        Expected::Null => Value::Null,
        Expected::Bool(b) => Value::Bool(*b),
        Expected::Int(i) => Value::Int(*i),
        Expected::Float(f) => Value::Float(*f),
        Expected::String(s) => Value::from(s.as_str()),
        Expected::List(l) => Value::list(l.iter().map(to_value).collect::<Result<_, _>>()?),
        Expected::Map(m) => {
            let mut out = rolegraph::value::Map::new();
            for (k, v) in m {
                out.insert(k.as_str().into(), to_value(v)?);
            }
            Value::map(out)
        }
        other => return Err(format!("{other:?} cannot be a parameter")),
    })
}

pub fn matches(expected: &Expected, actual: &Value, graph: &Graph, unordered_lists: bool) -> bool {
    match (expected, actual) {
        (Expected::Null, Value::Null) => true,
        (Expected::Bool(a), Value::Bool(b)) => a == b,
        (Expected::Int(a), Value::Int(b)) => a == b,
        (Expected::Float(a), Value::Float(b)) => float_eq(*a, *b),
        (Expected::String(a), Value::String(b)) => a == &**b,
        // The TCK writes temporal values as their ISO 8601 text in quotes
        // (`'2015-07-21'`), as openCypher prints them.
        (Expected::String(a), Value::Temporal(t)) => *a == t.to_string(),
        (Expected::List(a), Value::List(b)) => {
            if a.len() != b.len() {
                return false;
            }
            if unordered_lists {
                let mut used = vec![false; b.len()];
                a.iter().all(|x| {
                    for (j, y) in b.iter().enumerate() {
                        if !used[j] && matches(x, y, graph, true) {
                            used[j] = true;
                            return true;
                        }
                    }
                    false
                })
            } else {
                a.iter().zip(b.iter()).all(|(x, y)| matches(x, y, graph, false))
            }
        }
        (Expected::Map(a), Value::Map(b)) => props_match(a, b.iter().map(|(k, v)| (&**k, v)), graph, unordered_lists),
        (Expected::Node { labels, props }, Value::Node(n)) => {
            let node = graph.node(*n);
            let mut actual_labels: Vec<&str> = node.labels().collect();
            actual_labels.sort();
            actual_labels == labels.iter().map(String::as_str).collect::<Vec<_>>()
                && props_match(
                    props,
                    node.props().iter().map(|(k, v)| (&**k, v)),
                    graph,
                    unordered_lists,
                )
        }
        (Expected::Rel { rel_type, props }, Value::Rel(r)) => {
            let rel = graph.rel(*r);
            rel.rel_type() == rel_type
                && props_match(
                    props,
                    rel.props().iter().map(|(k, v)| (&**k, v)),
                    graph,
                    unordered_lists,
                )
        }
        (Expected::Path { start, hops }, Value::Path(p)) => {
            if p.rels.len() != hops.len() || !matches(start, &Value::Node(p.nodes[0]), graph, unordered_lists) {
                return false;
            }
            hops.iter().enumerate().all(|(i, (rel, right, node))| {
                let r = graph.rel(p.rels[i]);
                let forward = r.start() == p.nodes[i] && r.end() == p.nodes[i + 1];
                let backward = r.end() == p.nodes[i] && r.start() == p.nodes[i + 1];
                (if *right { forward } else { backward })
                    && matches(rel, &Value::Rel(p.rels[i]), graph, unordered_lists)
                    && matches(node, &Value::Node(p.nodes[i + 1]), graph, unordered_lists)
            })
        }
        _ => false,
    }
}

fn props_match<'v>(
    expected: &BTreeMap<String, Expected>,
    actual: impl Iterator<Item = (&'v str, &'v Value)>,
    graph: &Graph,
    unordered: bool,
) -> bool {
    let actual: Vec<(&str, &Value)> = actual.collect();
    actual.len() == expected.len()
        && actual
            .iter()
            .all(|(k, v)| expected.get(*k).is_some_and(|e| matches(e, v, graph, unordered)))
}

fn float_eq(a: f64, b: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a == b {
        return true;
    }
    // The TCK writes some floats with one digit less precision.
    let scale = a.abs().max(b.abs());
    (a - b).abs() <= scale * 1e-15
}
