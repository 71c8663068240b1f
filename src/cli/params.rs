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

/// The JSON reader's nesting limit (serde_json's recursion limit).
pub const MAX_JSON_DEPTH: usize = 128;

/// A parameter's value: JSON, else a Cypher literal, else the text as a
/// string. A value nested deeper than the JSON reader allows is an error,
/// never quietly a string.
pub fn parse_value(text: &str) -> Result<Value, ParamError> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(j) => return Ok(from_json(j)),
        // serde_json has no error kind for it; its message is the only mark.
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
            return Err(ParamError::TooDeep { name: None });
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
}
