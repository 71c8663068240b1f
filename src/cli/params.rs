//! `--param name=value`: the value is read as JSON, else as a Cypher
//! literal, else taken as a plain string.

use std::sync::Arc;

use crate::value::{Map, Value};

pub fn parse_assignment(s: &str) -> Result<(String, Value), String> {
    let Some((name, value)) = s.split_once('=') else {
        return Err("expected name=value".into());
    };
    let name = name.trim().trim_start_matches('$');
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(format!("'{name}' is not a valid parameter name"));
    }
    let value = parse_value(value).map_err(|e| format!("${name}: {e}"))?;
    Ok((name.to_string(), value))
}

/// The JSON reader's nesting limit (serde_json's recursion limit).
pub const MAX_JSON_DEPTH: usize = 128;

/// A parameter's value: JSON, else a Cypher literal, else the text as a
/// string. A value nested deeper than the JSON reader allows is an error,
/// never quietly a string.
pub fn parse_value(text: &str) -> Result<Value, String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(j) => return Ok(from_json(j)),
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
            return Err(format!(
                "the value is nested more than {MAX_JSON_DEPTH} levels deep, the limit for parameter values"
            ));
        }
        Err(_) => {}
    }
    if let Some(v) = cypher_literal(text) {
        return Ok(v);
    }
    Ok(Value::str(text))
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

pub fn from_json(j: serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::from(s),
        serde_json::Value::Array(a) => Value::list(a.into_iter().map(from_json).collect()),
        serde_json::Value::Object(o) => {
            let m: Map = o
                .into_iter()
                .map(|(k, v)| (Arc::from(k.as_str()), from_json(v)))
                .collect();
            Value::map(m)
        }
    }
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
}
