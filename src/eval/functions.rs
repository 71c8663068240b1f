//! Scalar functions. Null in gives null out unless the function is about
//! nulls (`coalesce`); a wrong argument type is a TypeError.

use super::context::Guard;
use super::expr::{live_node, live_rel, rel_list, type_error};
use crate::diag::Span;
use crate::error::{Code, QueryError};
use crate::plan::functions::Func;
use crate::store::Graph;
use crate::value::{Map, Text, Value, format_float};

pub fn call(f: Func, args: Vec<Value>, graph: &Graph, guard: &Guard, span: Span) -> Result<Value, QueryError> {
    use Func::*;
    if f == Coalesce {
        return Ok(args.into_iter().find(|v| !v.is_null()).unwrap_or(Value::Null));
    }
    if f == Rand {
        return Ok(Value::Float(random()));
    }
    if f == Exists {
        return Ok(Value::Bool(!args[0].is_null()));
    }
    if let Temporal(t) = f {
        // Each temporal function has its own rules for null arguments.
        return super::functions_temporal::call(t, args, guard, span);
    }
    // Every other function returns null for a null first argument.
    if args.first().is_some_and(Value::is_null) {
        return Ok(Value::Null);
    }
    // The first argument by value, the rest borrowed: no second list.
    let mut args = args;
    let a = args.first_mut().map(std::mem::take).unwrap_or(Value::Null);
    let rest: &[Value] = args.get(1..).unwrap_or(&[]);
    let bad = |what: &str, v: &Value| {
        let e = type_error(format!("{}() expects {what}, not {}", name(f), v.type_name()), span);
        // Functions whose parameter is declared as any value (the type
        // conversions, and labels()/type() on a value that is not a node or
        // relationship) reject a value they cannot handle: in openCypher's
        // terms an invalid argument value rather than an invalid type.
        if matches!(f, Labels | Type | ToString | ToInteger | ToFloat | ToBoolean) {
            QueryError {
                code: Code::InvalidArgumentValue,
                ..e
            }
        } else {
            e
        }
    };
    Ok(match f {
        Labels => match a {
            Value::Node(n) => {
                live_node(graph, n, span)?;
                Value::list(graph.node(n).labels().map(Value::str).collect())
            }
            v => return Err(bad("a node", &v)),
        },
        Type => match a {
            Value::Rel(r) => Value::str(graph.rel(r).rel_type()),
            v => return Err(bad("a relationship", &v)),
        },
        Properties => match a {
            Value::Node(n) => {
                live_node(graph, n, span)?;
                Value::map(graph.node(n).props().to_map())
            }
            Value::Rel(r) => {
                live_rel(graph, r, span)?;
                Value::map(graph.rel(r).props().to_map())
            }
            Value::Map(m) => Value::Map(m),
            v => return Err(bad("a node, relationship or map", &v)),
        },
        Keys => {
            match &a {
                Value::Node(n) => live_node(graph, *n, span)?,
                Value::Rel(r) => live_rel(graph, *r, span)?,
                _ => {}
            }
            let keys: Vec<Value> = match &a {
                Value::Node(n) => graph
                    .node(*n)
                    .props()
                    .keys()
                    .map(|k| Value::String(Text::from(k)))
                    .collect(),
                Value::Rel(r) => graph
                    .rel(*r)
                    .props()
                    .keys()
                    .map(|k| Value::String(Text::from(k)))
                    .collect(),
                Value::Map(m) => m.keys().map(|k| Value::String(Text::from(k))).collect(),
                v => return Err(bad("a node, relationship or map", v)),
            };
            Value::list(keys)
        }
        Size => match a {
            Value::List(l) => Value::Int(l.len() as i64),
            Value::String(s) => Value::Int(s.char_count() as i64),
            v => return Err(bad("a list or string", &v)),
        },
        Length => match a {
            Value::Path(p) => Value::Int(p.rels.len() as i64),
            Value::List(l) => Value::Int(l.len() as i64),
            Value::String(s) => Value::Int(s.char_count() as i64),
            v => return Err(bad("a path", &v)),
        },
        Nodes => match a {
            Value::Path(p) => Value::list(p.nodes.iter().map(|n| Value::Node(*n)).collect()),
            v => return Err(bad("a path", &v)),
        },
        Relationships => match a {
            Value::Path(p) => rel_list(&p.rels),
            v => return Err(bad("a path", &v)),
        },
        Id => match a {
            Value::Node(n) => Value::Int(n.index() as i64),
            Value::Rel(r) => Value::Int(r.index() as i64),
            v => return Err(bad("a node or relationship", &v)),
        },
        StartNode | EndNode => match a {
            Value::Rel(r) => {
                let rel = graph.rel(r);
                Value::Node(if f == StartNode { rel.start() } else { rel.end() })
            }
            v => return Err(bad("a relationship", &v)),
        },
        ToUpper | ToLower | Trim | LTrim | RTrim | Reverse if matches!(a, Value::String(_)) => {
            let s = a.as_str().unwrap_or_default();
            match f {
                ToUpper => change_case(&a, s, true),
                ToLower => change_case(&a, s, false),
                // A trimmed string is a part of the string: kept inline
                // when short, the value itself when nothing is trimmed.
                Trim => same_or(&a, s, s.trim()),
                LTrim => same_or(&a, s, s.trim_start()),
                RTrim => same_or(&a, s, s.trim_end()),
                _ => Value::from(s.chars().rev().collect::<String>()),
            }
        }
        Reverse => match a {
            Value::List(l) => Value::list(l.iter().rev().cloned().collect()),
            v => return Err(bad("a string or list", &v)),
        },
        ToUpper | ToLower | Trim | LTrim | RTrim => return Err(bad("a string", &a)),
        Substring => {
            let s = str_arg(f, &a, span)?;
            let count = s.chars().count();
            let start = int_arg(f, rest.first(), span)?.unwrap_or(0);
            if start < 0 {
                return Err(QueryError::runtime(
                    Code::NegativeIntegerArgument,
                    "substring() start must not be negative",
                    Some(span),
                ));
            }
            let start = (start as usize).min(count);
            let len = match rest.get(1) {
                Some(v) => match int_arg(f, Some(v), span)? {
                    Some(l) if l < 0 => {
                        return Err(QueryError::runtime(
                            Code::NegativeIntegerArgument,
                            "substring() length must not be negative",
                            Some(span),
                        ));
                    }
                    Some(l) => l as usize,
                    None => return Ok(Value::Null),
                },
                None => count,
            };
            let end = start.saturating_add(len).min(count);
            Value::str(&s[char_byte(&s, start)..char_byte(&s, end)])
        }
        Left | Right => {
            let s = str_arg(f, &a, span)?;
            let Some(n) = int_arg(f, rest.first(), span)? else {
                return Ok(Value::Null);
            };
            if n < 0 {
                return Err(QueryError::runtime(
                    Code::NegativeIntegerArgument,
                    format!("{}() length must not be negative", name(f)),
                    Some(span),
                ));
            }
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            if f == Left {
                Value::str(&s[..char_byte(&s, n)])
            } else {
                let count = s.chars().count();
                Value::str(&s[char_byte(&s, count.saturating_sub(n))..])
            }
        }
        Replace => {
            let s = str_arg(f, &a, span)?;
            match (&rest[0], &rest[1]) {
                (Value::String(from), Value::String(to)) => Value::from(replace(&s, from, to, guard)?),
                (Value::Null, _) | (_, Value::Null) => Value::Null,
                (x, _) => return Err(bad("strings", x)),
            }
        }
        Split => {
            let s = str_arg(f, &a, span)?;
            match &rest[0] {
                Value::String(sep) => Value::list(s.split(&**sep).map(Value::str).collect()),
                Value::Null => Value::Null,
                v => return Err(bad("a string separator", v)),
            }
        }
        ToString => match a {
            Value::String(s) => Value::String(s),
            Value::Int(i) => Value::from(i.to_string()),
            Value::Float(x) => Value::from(format_float(x)),
            Value::Bool(b) => Value::from(b.to_string()),
            Value::Temporal(t) => Value::from(t.to_string()),
            v => return Err(bad("a string, number, boolean or temporal value", &v)),
        },
        ToInteger => match a {
            Value::Int(i) => Value::Int(i),
            Value::Float(x) if x.is_finite() && x.abs() < 9.2e18 => Value::Int(x.trunc() as i64),
            Value::Float(_) => Value::Null,
            Value::String(s) => parse_int(&s),
            Value::Bool(b) => Value::Int(b as i64),
            v => return Err(bad("a string, number or boolean", &v)),
        },
        ToFloat => match a {
            Value::Int(i) => Value::Float(i as f64),
            Value::Float(x) => Value::Float(x),
            Value::String(s) => s.trim().parse::<f64>().map(Value::Float).unwrap_or(Value::Null),
            v => return Err(bad("a string or number", &v)),
        },
        ToBoolean => match a {
            Value::Bool(b) => Value::Bool(b),
            Value::String(s) => match s.trim().to_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::Null,
            },
            Value::Int(i) => Value::Bool(i != 0),
            v => return Err(bad("a string, integer or boolean", &v)),
        },
        Head | Last | Tail => match a {
            Value::List(l) => match f {
                Head => l.first().cloned().unwrap_or(Value::Null),
                Last => l.last().cloned().unwrap_or(Value::Null),
                _ => Value::list(l.iter().skip(1).cloned().collect()),
            },
            v => return Err(bad("a list", &v)),
        },
        Range => range(&a, rest, span)?,
        Abs | Ceil | Floor | Round | Sign | Sqrt | Exp | Log | Log10 => math(f, a, span)?,
        Coalesce | Exists | Rand | Temporal(_) => unreachable!("handled above"),
    })
}

fn name(f: Func) -> String {
    format!("{f:?}")
        .chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { c.to_ascii_lowercase() } else { c })
        .collect()
}

/// The byte offset of character `n` of `s` (its length when `s` is shorter).
pub(super) fn char_byte(s: &str, n: usize) -> usize {
    // The first `n` bytes all ASCII are the first `n` characters.
    let head = &s.as_bytes()[..n.min(s.len())];
    if head.is_ascii() {
        return head.len();
    }
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// `part` of the string value `v` (whose text is `s`): `v` itself when it
/// is the whole.
fn same_or(v: &Value, s: &str, part: &str) -> Value {
    if part.len() == s.len() {
        v.clone()
    } else {
        Value::str(part)
    }
}

/// `s` (the text of `v`) in upper or lower case. ASCII text is converted
/// without an allocation when short, and left as it is when no letter
/// changes.
pub(super) fn change_case(v: &Value, s: &str, upper: bool) -> Value {
    if s.is_ascii() {
        let changes = |b: &u8| {
            if upper {
                b.is_ascii_lowercase()
            } else {
                b.is_ascii_uppercase()
            }
        };
        if !s.as_bytes().iter().any(changes) {
            return v.clone();
        }
        if s.len() <= crate::value::INLINE {
            let mut buf = [0u8; crate::value::INLINE];
            let out = &mut buf[..s.len()];
            out.copy_from_slice(s.as_bytes());
            if upper {
                out.make_ascii_uppercase()
            } else {
                out.make_ascii_lowercase()
            }
            // ASCII in, ASCII out: still UTF-8.
            return Value::str(std::str::from_utf8(out).unwrap_or_default());
        }
    }
    Value::from(if upper { s.to_uppercase() } else { s.to_lowercase() })
}

fn str_arg(f: Func, v: &Value, span: Span) -> Result<Text, QueryError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        other => Err(type_error(
            format!("{}() expects a string, not {}", name(f), other.type_name()),
            span,
        )),
    }
}

fn int_arg(f: Func, v: Option<&Value>, span: Span) -> Result<Option<i64>, QueryError> {
    match v {
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(Value::Null) | None => Ok(None),
        Some(other) => Err(type_error(
            format!("{}() expects an integer, not {}", name(f), other.type_name()),
            span,
        )),
    }
}

/// `s` with every `from` replaced by `to`, looking at the guard (deadline,
/// Ctrl-C) every few thousand matches: a replace over a long text can run
/// for seconds.
fn replace(s: &str, from: &str, to: &str, guard: &Guard) -> Result<String, QueryError> {
    if from.is_empty() || s.len() < 1 << 16 {
        return Ok(s.replace(from, to));
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for at in memchr::memmem::find_iter(s.as_bytes(), from.as_bytes()) {
        guard.tick()?;
        out.push_str(&s[last..at]);
        out.push_str(to);
        last = at + from.len();
    }
    out.push_str(&s[last..]);
    Ok(out)
}

fn parse_int(s: &str) -> Value {
    let t = s.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Value::Int(i);
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && x.abs() < 9.2e18 => Value::Int(x.trunc() as i64),
        _ => Value::Null,
    }
}

/// `range(start, end[, step])`, inclusive; refuses to build huge lists.
fn range(a: &Value, rest: &[Value], span: Span) -> Result<Value, QueryError> {
    let get = |v: &Value| match v {
        Value::Int(i) => Ok(*i),
        other => Err(type_error(
            format!("range() expects integers, not {}", other.type_name()),
            span,
        )),
    };
    let start = get(a)?;
    let end = get(&rest[0])?;
    let step = match rest.get(1) {
        Some(v) => get(v)?,
        None => 1,
    };
    if step == 0 {
        return Err(QueryError::runtime(
            Code::NumberOutOfRange,
            "range() step must not be zero",
            Some(span),
        ));
    }
    let count = if (step > 0 && start > end) || (step < 0 && start < end) {
        0
    } else {
        ((end as i128 - start as i128) / step as i128 + 1) as u128
    };
    const MAX: u128 = super::budget::RANGE_LIMIT as u128;
    if count > MAX {
        return Err(QueryError::runtime(
            Code::NumberOutOfRange,
            format!("range() would make {count} items; the limit is {MAX}"),
            Some(span),
        ));
    }
    Ok(Value::list(
        (0..count as i64).map(|i| Value::Int(start + i * step)).collect(),
    ))
}

fn math(f: Func, a: Value, span: Span) -> Result<Value, QueryError> {
    use Func::*;
    let x = match a {
        Value::Int(i) => {
            match f {
                Abs => {
                    return i
                        .checked_abs()
                        .map(Value::Int)
                        .ok_or_else(|| QueryError::runtime(Code::IntegerOverflow, "integer overflow", Some(span)));
                }
                Sign => return Ok(Value::Int(i.signum())),
                _ => {}
            }
            i as f64
        }
        Value::Float(x) => x,
        v => {
            return Err(type_error(
                format!("{}() expects a number, not {}", name(f), v.type_name()),
                span,
            ));
        }
    };
    Ok(match f {
        Abs => Value::Float(x.abs()),
        Ceil => Value::Float(x.ceil()),
        Floor => Value::Float(x.floor()),
        Round => Value::Float(if x.fract().abs() == 0.5 {
            (x + 0.5).floor()
        } else {
            x.round()
        }),
        Sign => Value::Int(if x > 0.0 {
            1
        } else if x < 0.0 {
            -1
        } else {
            0
        }),
        Sqrt => Value::Float(x.sqrt()),
        Exp => Value::Float(x.exp()),
        Log => Value::Float(x.ln()),
        _ => Value::Float(x.log10()),
    })
}

/// `properties()` of a map-like value as a fresh map (used by CREATE).
pub fn as_map(v: Value) -> Option<Map> {
    match v {
        Value::Map(m) => Some(m.as_ref().clone()),
        Value::Null => Some(Map::new()),
        _ => None,
    }
}

/// A uniform float in [0, 1) from a per-thread xorshift generator seeded
/// by the clock: `rand()` needs no cryptographic quality.
fn random() -> f64 {
    use std::cell::Cell;
    thread_local! {
        static STATE: Cell<u64> = Cell::new(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0x2545_F491_4F6C_DD1D) | 1,
        );
    }
    STATE.with(|s| {
        let mut x = s.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.set(x);
        (x >> 11) as f64 / (1u64 << 53) as f64
    })
}
