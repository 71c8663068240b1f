//! TOML text for property values and keys, written by hand so every value
//! the graph can hold comes back from the loader as the same value: strings
//! escaped (quotes, backslashes, control characters), floats in their
//! shortest exact form (and `nan`, `inf`), lists as arrays, maps as inline
//! tables.

use std::fmt::Write as _;

use crate::value::Value;

/// A key: bare when TOML allows it, else a quoted string.
pub fn key(k: &str) -> String {
    let bare = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare { k.to_string() } else { string(k) }
}

/// A basic string: what TOML forbids raw (control characters, DEL) is escaped.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Why a value cannot be written: TOML has no null, and graph elements are
/// not properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwritable(pub &'static str);

/// A value in TOML syntax.
pub fn value(v: &Value) -> Result<String, Unwritable> {
    let mut out = String::new();
    write_value(&mut out, v)?;
    Ok(out)
}

fn write_value(out: &mut String, v: &Value) -> Result<(), Unwritable> {
    match v {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&float(*f)),
        Value::String(s) => out.push_str(&string(s)),
        Value::List(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, x)?;
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                out.push_str(if i > 0 { ", " } else { " " });
                out.push_str(&key(k));
                out.push_str(" = ");
                write_value(out, x)?;
            }
            out.push_str(if m.is_empty() { "}" } else { " }" });
        }
        Value::Null => return Err(Unwritable("null")),
        // Graph-data files have no temporal type yet: saving one is an
        // error naming it, never a string that loads back as text.
        Value::Node(_) | Value::Rel(_) | Value::Path(_) | Value::Temporal(_) => return Err(Unwritable(v.type_name())),
    }
    Ok(())
}

/// The shortest text that parses back to the same float.
fn float(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        // `{:?}` is the shortest round-tripping form and always marks a
        // float ("1.0", "1e300", "1.5e-7"), all of which TOML reads.
        format!("{f:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_what_toml_forbids() {
        assert_eq!(string("a\"b\\c\nd\u{7f}\u{0}é"), r#""a\"b\\c\nd\u007F\u0000é""#);
        assert_eq!(key("plain_key-1"), "plain_key-1");
        assert_eq!(key("has space"), r#""has space""#);
        assert_eq!(key(""), r#""""#);
    }

    #[test]
    fn floats_keep_their_exact_value() {
        for f in [0.1, -0.0, 1e300, 5e-324, 1.0, 123456789.125, f64::MAX] {
            let text = float(f);
            let back: f64 = text.parse().unwrap();
            assert_eq!(back.to_bits(), f.to_bits(), "{text}");
        }
        assert_eq!(float(f64::NAN), "nan");
        assert_eq!(float(f64::NEG_INFINITY), "-inf");
    }
}
