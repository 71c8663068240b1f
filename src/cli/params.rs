//! `--param name=value`: the value is read as JSON, else as a Cypher
//! literal, else taken as a plain string.

use std::sync::Arc;

use crate::value::{Map, Value};

/// Why a parameter (`--param name=value`, the shell's `:param`) was not set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// `--param` without `=`.
    #[error("expected name=value")]
    NotAssignment,
    #[error("'{name}' is not a valid parameter name")]
    BadName { name: String },
    /// `:param` whose text does not begin with a name.
    #[error("'{text}' does not start with a parameter name")]
    NoName { text: String },
    #[error("no value for ${name}")]
    NoValue { name: String },
    /// `:param {...}` whose value is not a map.
    #[error("'{text}' is not a map of parameters")]
    NotAMap { text: String },
    /// A JSON value nested past the reader's limit; never quietly a string.
    #[error("{}the value is nested more than {MAX_JSON_DEPTH} levels deep, the limit for parameter values", name.as_ref().map(|n| format!("${n}: ")).unwrap_or_default())]
    TooDeep { name: Option<String> },
}

impl ParamError {
    /// The error about the value of parameter `name`.
    pub fn of(self, name: &str) -> ParamError {
        match self {
            ParamError::TooDeep { name: None } => ParamError::TooDeep {
                name: Some(name.to_string()),
            },
            other => other,
        }
    }
}

pub fn parse_assignment(s: &str) -> Result<(String, Value), ParamError> {
    let Some((name, value)) = s.split_once('=') else {
        return Err(ParamError::NotAssignment);
    };
    let name = name.trim().trim_start_matches('$');
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(ParamError::BadName { name: name.to_string() });
    }
    let value = parse_value(value).map_err(|e| e.of(name))?;
    Ok((name.to_string(), value))
}

/// How deeply a JSON parameter value may nest (lists and maps). The
/// reader below counts the levels itself and stops at the first one past
/// this, well before serde_json's own recursion limit (127 levels).
pub const MAX_JSON_DEPTH: usize = 100;

/// A parameter's value: JSON, else a Cypher literal, else the text as a
/// string. A value nested deeper than [`MAX_JSON_DEPTH`] is an error,
/// never quietly a string.
pub fn parse_value(text: &str) -> Result<Value, ParamError> {
    match json_value(text) {
        Ok(v) => return Ok(v),
        Err(JsonError::TooDeep) => return Err(ParamError::TooDeep { name: None }),
        Err(JsonError::NotJson) => {}
    }
    if let Some(v) = cypher_literal(text) {
        return Ok(v);
    }
    Ok(Value::str(text))
}

/// Why [`json_value`] gave no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JsonError {
    NotJson,
    /// The reader entered a list or map more than [`MAX_JSON_DEPTH`] deep.
    TooDeep,
}

/// `text` read as one JSON value, with its nesting counted as it is read.
fn json_value(text: &str) -> Result<Value, JsonError> {
    use serde::de::DeserializeSeed;
    let too_deep = std::cell::Cell::new(false);
    let mut de = serde_json::Deserializer::from_str(text);
    let read = Json {
        depth: 0,
        too_deep: &too_deep,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    match read {
        Ok(v) => Ok(v),
        Err(_) if too_deep.get() => Err(JsonError::TooDeep),
        Err(_) => Err(JsonError::NotJson),
    }
}

/// Reads a JSON value at nesting level `depth` straight into a [`Value`]
/// (an integer past i64 as a float), marking `too_deep` and stopping
/// when a list or map would go past [`MAX_JSON_DEPTH`].
struct Json<'a> {
    depth: usize,
    too_deep: &'a std::cell::Cell<bool>,
}

impl<'a> Json<'a> {
    fn inner<E: serde::de::Error>(&self) -> Result<Json<'a>, E> {
        if self.depth >= MAX_JSON_DEPTH {
            self.too_deep.set(true);
            return Err(E::custom("nested too deep"));
        }
        Ok(Json {
            depth: self.depth + 1,
            too_deep: self.too_deep,
        })
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Json<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Json<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(i64::try_from(u).map_or(Value::Float(u as f64), Value::Int))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Float(f))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::str(s))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::from(s))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        // The list's own level counts even when it is empty.
        while let Some(v) = seq.next_element_seed(self.inner()?)? {
            items.push(v);
        }
        Ok(Value::list(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Map::new();
        // The map's own level counts even when it is empty.
        self.inner::<A::Error>()?;
        while let Some(key) = map.next_key::<String>()? {
            let v = map.next_value_seed(self.inner()?)?;
            // A repeated key keeps its last value, as JSON readers do.
            entries.insert(Arc::from(key), v);
        }
        Ok(Value::map(entries))
    }
}

/// A constant Cypher expression (e.g. `['a', 'b']` or `{k: 1}`), evaluated
/// on an empty graph.
fn cypher_literal(text: &str) -> Option<Value> {
    if text.contains(';') {
        return None;
    }
    let mut session = crate::Session::new(crate::Graph::new("params"));
    let rows = session.run(&format!("RETURN {text} AS v")).ok()?;
    rows.rows.first().and_then(|r| r.first()).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_json_then_cypher_then_strings() {
        assert!(matches!(parse_value("42").unwrap(), Value::Int(42)));
        assert!(matches!(parse_value("\"x\"").unwrap(), Value::String(s) if &*s == "x"));
        assert!(matches!(parse_value("CTO").unwrap(), Value::String(s) if &*s == "CTO"));
        assert!(matches!(parse_assignment("a=1"), Ok((n, Value::Int(1))) if n == "a"));
        assert!(parse_assignment("nonsense").is_err());
    }

    /// A bad `-p` / `--param` fails with the variant that says why.
    #[test]
    fn a_bad_parameter_is_its_variant() {
        assert_eq!(parse_assignment("nonsense").unwrap_err(), ParamError::NotAssignment);
        assert_eq!(
            parse_assignment("a-b=1").unwrap_err(),
            ParamError::BadName { name: "a-b".into() }
        );
        assert_eq!(
            parse_assignment("=1").unwrap_err(),
            ParamError::BadName { name: String::new() }
        );
        let deep = format!(
            "x={}{}",
            "[".repeat(MAX_JSON_DEPTH + 10),
            "]".repeat(MAX_JSON_DEPTH + 10)
        );
        let e = parse_assignment(&deep).unwrap_err();
        assert_eq!(e, ParamError::TooDeep { name: Some("x".into()) });
        assert_eq!(
            e.to_string(),
            format!("$x: the value is nested more than {MAX_JSON_DEPTH} levels deep, the limit for parameter values")
        );
    }

    /// The depth is counted by the reader, level by level: exactly the
    /// limit reads, one more is `TooDeep` (for lists and maps, empty or
    /// not), whatever serde_json's own limit or message.
    #[test]
    fn the_json_reader_counts_the_levels_itself() {
        let lists = |n: usize, inside: &str| format!("{}{inside}{}", "[".repeat(n), "]".repeat(n));
        let maps = |n: usize| format!("{}1{}", "{\"k\":".repeat(n), "}".repeat(n));
        for n in [1, MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH] {
            assert!(matches!(json_value(&lists(n, "")), Ok(Value::List(_))), "{n}");
            assert!(matches!(json_value(&lists(n, "1, \"a\"")), Ok(Value::List(_))), "{n}");
            assert!(matches!(json_value(&maps(n)), Ok(Value::Map(_))), "{n}");
        }
        for n in [MAX_JSON_DEPTH + 1, 127, 128, 129, 10_000] {
            assert_eq!(json_value(&lists(n, "")).unwrap_err(), JsonError::TooDeep, "{n}");
            assert_eq!(json_value(&maps(n)).unwrap_err(), JsonError::TooDeep, "{n}");
            // Past the limit before the text goes wrong: still too deep.
            assert_eq!(
                json_value(&format!("{}x", "[".repeat(n))).unwrap_err(),
                JsonError::TooDeep
            );
        }
        // Wrong before the limit: not JSON (then a Cypher literal or a string).
        assert_eq!(json_value("[[x]]").unwrap_err(), JsonError::NotJson);
        assert_eq!(json_value("[1] 2").unwrap_err(), JsonError::NotJson);
        let v = json_value(r#"{"a": 1, "a": 2, "big": 18446744073709551615, "f": 1.5, "n": null}"#).unwrap();
        let Value::Map(m) = v else { panic!("a map") };
        assert!(matches!(m.get("a"), Some(Value::Int(2))));
        assert!(matches!(m.get("big"), Some(Value::Float(f)) if *f == 18446744073709551615.0));
        assert!(matches!(m.get("n"), Some(Value::Null)));
    }
}
