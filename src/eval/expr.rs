//! Evaluates bound expressions over a row with openCypher semantics: null
//! propagation, three-valued logic, checked integer arithmetic, and typed
//! errors that point at the offending expression.

use std::sync::Arc;

use super::budget;
use super::context::Guard;
use super::functions::call;
use super::matcher::Matcher;
use crate::diag::Span;
use crate::error::{Code, QueryError};
use crate::plan::ops::{PExpr, PKind};
use crate::store::{Graph, NodeId, RelId};
use crate::syntax::ast::{BinaryOp, Quantifier};
use crate::value::{Map, Value};

/// What expressions can see besides the row.
pub struct Env<'g> {
    pub graph: &'g Graph,
    pub guard: &'g Guard,
    /// Aggregate values of the current group (empty outside projections).
    pub aggs: Vec<Value>,
}

pub fn type_error(msg: impl Into<String>, span: Span) -> QueryError {
    QueryError::runtime(Code::InvalidArgumentType, msg, Some(span))
}

pub fn eval(e: &PExpr, env: &Env<'_>, row: &[Value]) -> Result<Value, QueryError> {
    let span = e.span;
    Ok(match &e.kind {
        PKind::Const(v) => v.clone(),
        PKind::Slot(s) => row.get(*s).cloned().unwrap_or(Value::Null),
        PKind::Agg(i) => env.aggs.get(*i).cloned().unwrap_or(Value::Null),
        PKind::Prop(base, key) => property(&eval(base, env, row)?, key, env.graph, span)?,
        PKind::Index(base, idx) => index(eval(base, env, row)?, eval(idx, env, row)?, env.graph, span)?,
        PKind::Slice(base, from, to) => {
            let b = eval(base, env, row)?;
            let f = match from {
                Some(x) => Some(eval(x, env, row)?),
                None => None,
            };
            let t = match to {
                Some(x) => Some(eval(x, env, row)?),
                None => None,
            };
            slice(b, f, t, span)?
        }
        PKind::HasLabels(base, labels) => match eval(base, env, row)? {
            Value::Null => Value::Null,
            Value::Node(n) => {
                live_node(env.graph, n, span)?;
                let node = env.graph.node(n);
                Value::Bool(labels.iter().all(|l| node.has_label(l)))
            }
            other => {
                return Err(type_error(
                    format!("a label test needs a node, not {}", other.type_name()),
                    span,
                ));
            }
        },
        PKind::Not(x) => match truth(eval(x, env, row)?, x.span)? {
            Some(b) => Value::Bool(!b),
            None => Value::Null,
        },
        PKind::Neg(x) => match eval(x, env, row)? {
            Value::Null => Value::Null,
            Value::Int(i) => Value::Int(i.checked_neg().ok_or_else(|| overflow(span))?),
            Value::Float(f) => Value::Float(-f),
            other => match super::functions_temporal::negate(&other, span) {
                Some(r) => r?,
                None => return Err(type_error(format!("cannot negate {}", other.type_name()), span)),
            },
        },
        PKind::Binary(op, l, r) => binary(*op, l, r, env, row, span)?,
        PKind::RegexConst(x, re) => match eval(x, env, row)? {
            Value::String(s) => Value::Bool(re.is_match(&s)),
            _ => Value::Null,
        },
        PKind::IsNull(x, negated) => Value::Bool(eval(x, env, row)?.is_null() != *negated),
        PKind::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                out.push(eval(i, env, row)?);
            }
            Value::list(out)
        }
        PKind::Map(entries) => {
            let mut m = Map::new();
            for (k, v) in entries {
                m.insert(k.clone(), eval(v, env, row)?);
            }
            Value::map(m)
        }
        PKind::Call(f, args) => {
            let mut vals = Vec::with_capacity(args.len());
            for a in args {
                vals.push(eval(a, env, row)?);
            }
            env.guard.check_memory(budget::call_size(*f, &vals), Some(span))?;
            call(*f, vals, env.graph, env.guard, span)?
        }
        PKind::Case { operand, whens, else_ } => {
            let op = match operand {
                Some(o) => Some(eval(o, env, row)?),
                None => None,
            };
            for (w, t) in whens {
                let wv = eval(w, env, row)?;
                let hit = match &op {
                    Some(o) => o.cypher_eq(&wv) == Some(true),
                    None => matches!(wv, Value::Bool(true)),
                };
                if hit {
                    return eval(t, env, row);
                }
            }
            match else_ {
                Some(x) => eval(x, env, row)?,
                None => Value::Null,
            }
        }
        PKind::ListComp {
            slot,
            list,
            filter,
            map,
        } => {
            let items = match eval(list, env, row)? {
                Value::Null => return Ok(Value::Null),
                Value::List(l) => l,
                other => {
                    return Err(type_error(
                        format!("expected a list to iterate over, not {}", other.type_name()),
                        list.span,
                    ));
                }
            };
            let mut local = local_row(row, *slot);
            let mut out = Vec::new();
            for x in items.iter() {
                env.guard.tick()?;
                local[*slot] = x.clone();
                if let Some(f) = filter
                    && truth(eval(f, env, &local)?, f.span)? != Some(true)
                {
                    continue;
                }
                out.push(match map {
                    Some(m) => eval(m, env, &local)?,
                    None => x.clone(),
                });
            }
            Value::list(out)
        }
        PKind::Quantified {
            quantifier,
            slot,
            list,
            filter,
        } => {
            let items = match eval(list, env, row)? {
                Value::Null => return Ok(Value::Null),
                Value::List(l) => l,
                other => {
                    return Err(type_error(
                        format!("expected a list, not {}", other.type_name()),
                        list.span,
                    ));
                }
            };
            let mut local = local_row(row, *slot);
            let (mut trues, mut nulls) = (0usize, 0usize);
            for x in items.iter() {
                env.guard.tick()?;
                local[*slot] = x.clone();
                match truth(eval(filter, env, &local)?, filter.span)? {
                    Some(true) => trues += 1,
                    None => nulls += 1,
                    Some(false) => {}
                }
            }
            let n = items.len();
            let falses = n - trues - nulls;
            let known = |b: bool| Value::Bool(b);
            match quantifier {
                Quantifier::All if falses > 0 => known(false),
                Quantifier::All if nulls > 0 => Value::Null,
                Quantifier::All => known(true),
                Quantifier::Any if trues > 0 => known(true),
                Quantifier::Any if nulls > 0 => Value::Null,
                Quantifier::Any => known(false),
                Quantifier::None if trues > 0 => known(false),
                Quantifier::None if nulls > 0 => Value::Null,
                Quantifier::None => known(true),
                Quantifier::Single if trues > 1 => known(false),
                Quantifier::Single if nulls > 0 => Value::Null,
                Quantifier::Single => known(trues == 1),
            }
        }
        PKind::PatternExists(p) => Value::Bool(super::ops::pattern_exists::exists(p, env, row)?),
        PKind::Exists(sub) => Value::Bool(super::subquery::exists(sub, env, row)?),
        PKind::PatternComp { pattern, filter, map } => {
            let patterns = std::slice::from_ref(pattern.as_ref());
            let mut out = Vec::new();
            Matcher::new(env, patterns, row, 0).run(&mut |r| {
                if let Some(f) = filter
                    && truth(eval(f, env, r)?, f.span)? != Some(true)
                {
                    return Ok(true);
                }
                out.push(eval(map, env, r)?);
                Ok(true)
            })?;
            Value::list(out)
        }
    })
}

fn local_row(row: &[Value], slot: usize) -> Vec<Value> {
    let mut local = row.to_vec();
    if local.len() <= slot {
        local.resize(slot + 1, Value::Null);
    }
    local
}

/// A boolean operand: true/false, null as unknown; anything else is a type error.
pub fn truth(v: Value, span: Span) -> Result<Option<bool>, QueryError> {
    match v {
        Value::Bool(b) => Ok(Some(b)),
        Value::Null => Ok(None),
        other => Err(type_error(
            format!("expected a boolean, not {}", other.type_name()),
            span,
        )),
    }
}

fn overflow(span: Span) -> QueryError {
    QueryError::runtime(Code::IntegerOverflow, "integer overflow", Some(span))
}

/// An error when `n` was deleted by this statement: its labels and
/// properties are gone (its handle, id and relationships' ends still read).
pub fn live_node(graph: &Graph, n: NodeId, span: Span) -> Result<(), QueryError> {
    if graph.is_deleted_node(n) {
        return Err(deleted_access("node", span));
    }
    Ok(())
}

pub fn live_rel(graph: &Graph, r: RelId, span: Span) -> Result<(), QueryError> {
    if graph.is_deleted_rel(r) {
        return Err(deleted_access("relationship", span));
    }
    Ok(())
}

fn deleted_access(what: &str, span: Span) -> QueryError {
    QueryError::runtime(
        Code::DeletedEntityAccess,
        format!("this {what} was deleted earlier in the statement; its labels and properties cannot be read"),
        Some(span),
    )
}

pub fn property(base: &Value, key: &str, graph: &Graph, span: Span) -> Result<Value, QueryError> {
    Ok(match base {
        Value::Null => Value::Null,
        Value::Node(n) => {
            live_node(graph, *n, span)?;
            graph.node(*n).prop(key).cloned().unwrap_or(Value::Null)
        }
        Value::Rel(r) => {
            live_rel(graph, *r, span)?;
            graph.rel(*r).prop(key).cloned().unwrap_or(Value::Null)
        }
        Value::Map(m) => m.get(key).cloned().unwrap_or(Value::Null),
        Value::Temporal(t) => super::functions_temporal::component(t, key, span)?,
        other => {
            return Err(type_error(
                format!("cannot read property '{key}' of {}", other.type_name()),
                span,
            ));
        }
    })
}

fn index(base: Value, idx: Value, graph: &Graph, span: Span) -> Result<Value, QueryError> {
    Ok(match (base, idx) {
        (Value::Null, _) | (_, Value::Null) => Value::Null,
        (Value::List(l), Value::Int(i)) => {
            let n = l.len() as i64;
            let i = if i < 0 { i + n } else { i };
            if i < 0 || i >= n {
                Value::Null
            } else {
                l[i as usize].clone()
            }
        }
        (Value::List(_), other) => {
            return Err(type_error(
                format!("a list index must be an integer, not {}", other.type_name()),
                span,
            ));
        }
        (b @ (Value::Map(_) | Value::Node(_) | Value::Rel(_)), Value::String(k)) => property(&b, &k, graph, span)?,
        (Value::Map(_) | Value::Node(_) | Value::Rel(_), other) => {
            return Err(QueryError::runtime(
                Code::MapElementAccessByNonString,
                format!("a map key must be a string, not {}", other.type_name()),
                Some(span),
            ));
        }
        (other, _) => return Err(type_error(format!("cannot index into {}", other.type_name()), span)),
    })
}

fn slice(base: Value, from: Option<Value>, to: Option<Value>, span: Span) -> Result<Value, QueryError> {
    let list = match base {
        Value::Null => return Ok(Value::Null),
        Value::List(l) => l,
        other => return Err(type_error(format!("cannot slice {}", other.type_name()), span)),
    };
    let n = list.len() as i64;
    let bound = |v: Option<Value>, default: i64| -> Result<Option<i64>, QueryError> {
        match v {
            None => Ok(Some(default)),
            Some(Value::Null) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(if i < 0 { (i + n).max(0) } else { i.min(n) })),
            Some(other) => Err(type_error(
                format!("a slice bound must be an integer, not {}", other.type_name()),
                span,
            )),
        }
    };
    let (Some(f), Some(t)) = (bound(from, 0)?, bound(to, n)?) else {
        return Ok(Value::Null);
    };
    if f >= t {
        return Ok(Value::list(vec![]));
    }
    Ok(Value::list(list[f as usize..t as usize].to_vec()))
}

fn binary(op: BinaryOp, l: &PExpr, r: &PExpr, env: &Env<'_>, row: &[Value], span: Span) -> Result<Value, QueryError> {
    use BinaryOp::*;
    // Logical operators short-circuit where three-valued logic allows.
    match op {
        And | Or => {
            // The value that decides alone: false for AND, true for OR.
            let decisive = op == Or;
            let a = truth(eval(l, env, row)?, l.span)?;
            if a == Some(decisive) {
                return Ok(Value::Bool(decisive));
            }
            let b = truth(eval(r, env, row)?, r.span)?;
            return Ok(match (a, b) {
                (_, Some(x)) if x == decisive => Value::Bool(decisive),
                (Some(_), Some(_)) => Value::Bool(!decisive),
                _ => Value::Null,
            });
        }
        Xor => {
            let a = truth(eval(l, env, row)?, l.span)?;
            let b = truth(eval(r, env, row)?, r.span)?;
            return Ok(match (a, b) {
                (Some(x), Some(y)) => Value::Bool(x != y),
                _ => Value::Null,
            });
        }
        _ => {}
    }
    // A comparison of a property with a constant (`n.name CONTAINS 'x'`,
    // `b.id <> 'r2'`) reads both in place: no value is copied.
    if matches!(op, Eq | Ne)
        && let Some(same) = same_key(l, r, env.graph, row).or_else(|| same_key(r, l, env.graph, row))
    {
        return Ok(Value::Bool(same == (op == Eq)));
    }
    if is_comparison(op)
        && let Some(a) = borrowed(l, env.graph, row)
        && let Some(b) = borrowed(r, env.graph, row)
    {
        return Ok(compare(op, a.unwrap_or(&NULL), b.unwrap_or(&NULL)));
    }
    let a = eval(l, env, row)?;
    let b = eval(r, env, row)?;
    env.guard.check_memory(budget::binary_size(op, &a, &b), Some(span))?;
    binary_values(op, a, b, span)
}

static NULL: Value = Value::Null;

/// `n.id = 'k'` where every node has a string id (so none is null) is
/// `n` being the node the id index gives for `'k'`: a comparison of
/// handles, without reading the node. `None` when that does not apply.
fn same_key(prop: &PExpr, constant: &PExpr, graph: &Graph, row: &[Value]) -> Option<bool> {
    let (PKind::Prop(base, key), PKind::Const(Value::String(k))) = (&prop.kind, &constant.kind) else {
        return None;
    };
    let PKind::Slot(s) = base.kind else { return None };
    let Value::Node(n) = row.get(s)? else { return None };
    if &**key != "id" || !graph.every_node_has_key() {
        return None;
    }
    Some(graph.node_by_key(k) == Some(*n))
}

fn is_comparison(op: BinaryOp) -> bool {
    use BinaryOp::*;
    matches!(op, Eq | Ne | Lt | Le | Gt | Ge | StartsWith | EndsWith | Contains)
}

/// A constant, or a property of a node or relationship in the row, by
/// reference (inner `None`: the property is missing, i.e. null). `None`
/// for any other expression.
fn borrowed<'x>(e: &'x PExpr, graph: &'x Graph, row: &'x [Value]) -> Option<Option<&'x Value>> {
    match &e.kind {
        PKind::Const(v) => Some(Some(v)),
        PKind::Prop(base, key) => match &base.kind {
            PKind::Slot(s) => match row.get(*s)? {
                // A deleted one takes the slow path, which reports it.
                Value::Node(n) if !graph.is_deleted_node(*n) => Some(graph.node(*n).prop(key)),
                Value::Rel(r) if !graph.is_deleted_rel(*r) => Some(graph.rel(*r).prop(key)),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// The comparison and string operators (see [`is_comparison`]).
pub(super) fn compare(op: BinaryOp, a: &Value, b: &Value) -> Value {
    use BinaryOp::*;
    use std::cmp::Ordering::*;
    let opt = |o: Option<bool>| o.map(Value::Bool).unwrap_or(Value::Null);
    // NaN is a number that is neither smaller nor larger than any number.
    let nan = |v: &Value| matches!(v, Value::Float(f) if f.is_nan());
    let number = |v: &Value| matches!(v, Value::Int(_) | Value::Float(_));
    if matches!(op, Lt | Le | Gt | Ge) && (nan(a) || nan(b)) && number(a) && number(b) {
        return Value::Bool(false);
    }
    match op {
        Eq => opt(a.cypher_eq(b)),
        Ne => opt(a.cypher_eq(b).map(|x| !x)),
        Lt => opt(a.cypher_cmp(b).map(|o| o == Less)),
        Le => opt(a.cypher_cmp(b).map(|o| o != Greater)),
        Gt => opt(a.cypher_cmp(b).map(|o| o == Greater)),
        Ge => opt(a.cypher_cmp(b).map(|o| o != Less)),
        _ => match (a, b) {
            (Value::String(x), Value::String(y)) => Value::Bool(match op {
                StartsWith => x.starts_with_bytes(y.as_bytes()),
                EndsWith => x.ends_with_bytes(y.as_bytes()),
                _ => crate::value::text_contains(x, y.as_bytes()),
            }),
            _ => Value::Null,
        },
    }
}

pub fn binary_values(op: BinaryOp, a: Value, b: Value, span: Span) -> Result<Value, QueryError> {
    use BinaryOp::*;
    Ok(match op {
        Eq | Ne | Lt | Le | Gt | Ge | StartsWith | EndsWith | Contains => compare(op, &a, &b),
        In => match b {
            Value::Null => Value::Null,
            Value::List(items) => {
                let mut unknown = false;
                for x in items.iter() {
                    match a.cypher_eq(x) {
                        Some(true) => return Ok(Value::Bool(true)),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                if unknown { Value::Null } else { Value::Bool(false) }
            }
            other => {
                return Err(type_error(
                    format!("IN needs a list on its right, not {}", other.type_name()),
                    span,
                ));
            }
        },
        RegexMatch => match (&a, &b) {
            (Value::String(x), Value::String(p)) => Value::Bool(crate::plan::compile_regex(p, span)?.is_match(x)),
            _ => Value::Null,
        },
        Add | Sub | Mul | Div | Mod | Pow => arithmetic(op, a, b, span)?,
        And | Or | Xor => unreachable!("handled by binary()"),
    })
}

fn arithmetic(op: BinaryOp, a: Value, b: Value, span: Span) -> Result<Value, QueryError> {
    use BinaryOp::*;
    use Value::*;
    if a.is_null() || b.is_null() {
        return Ok(Null);
    }
    if op == Add {
        match (&a, &b) {
            (String(x), String(y)) => return Ok(Value::from(format!("{x}{y}"))),
            (String(x), Int(_) | Float(_)) => return Ok(Value::from(format!("{x}{}", b))),
            (Int(_) | Float(_), String(y)) => return Ok(Value::from(format!("{}{y}", a))),
            (List(x), List(y)) => {
                let mut v = x.as_ref().clone();
                v.extend(y.iter().cloned());
                return Ok(Value::list(v));
            }
            (List(x), _) => {
                let mut v = x.as_ref().clone();
                v.push(b);
                return Ok(Value::list(v));
            }
            (_, List(y)) => {
                let mut v = vec![a];
                v.extend(y.iter().cloned());
                return Ok(Value::list(v));
            }
            _ => {}
        }
    }
    if let Some(r) = super::functions_temporal::arithmetic(op, &a, &b, span) {
        return r;
    }
    match (a, b) {
        (Int(x), Int(y)) => {
            let r = match op {
                Add => x.checked_add(y),
                Sub => x.checked_sub(y),
                Mul => x.checked_mul(y),
                Div => {
                    if y == 0 {
                        return Err(QueryError::runtime(
                            Code::DivisionByZero,
                            "division by zero",
                            Some(span),
                        ));
                    }
                    x.checked_div(y)
                }
                Mod => {
                    if y == 0 {
                        return Err(QueryError::runtime(Code::DivisionByZero, "modulo by zero", Some(span)));
                    }
                    x.checked_rem(y)
                }
                Pow => return Ok(Float((x as f64).powf(y as f64))),
                _ => None,
            };
            r.map(Int).ok_or_else(|| overflow(span))
        }
        (x @ (Int(_) | Float(_)), y @ (Int(_) | Float(_))) => {
            let f = |v: &Value| match v {
                Int(i) => *i as f64,
                Float(f) => *f,
                _ => 0.0,
            };
            let (x, y) = (f(&x), f(&y));
            Ok(Float(match op {
                Add => x + y,
                Sub => x - y,
                Mul => x * y,
                Div => x / y,
                Mod => x % y,
                _ => x.powf(y),
            }))
        }
        (x, y) => Err(type_error(
            format!(
                "cannot apply {} to {} and {}",
                op_symbol(op),
                x.type_name(),
                y.type_name()
            ),
            span,
        )),
    }
}

fn op_symbol(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Mod => "%",
        BinaryOp::Pow => "^",
        _ => "operator",
    }
}

/// Builds a list value from relationship ids (used by path functions).
pub fn rel_list(rels: &[crate::store::RelId]) -> Value {
    Value::List(Arc::new(rels.iter().map(|r| Value::Rel(*r)).collect()))
}
