//! Grouping keys evaluated row by row without the general evaluator's
//! copies (`eval/ops/aggregate.rs` groups by them).
//!
//! A key such as `left(r.name, 5)`, `toLower(t.name)`, `split(r.name,
//! ' ')[0]`, `r.level % 10` or a CASE over one property is computed once
//! per input row, and most rows only find the group they belong to. The
//! general evaluator copies every value it reads (the property's text out
//! of the store, each argument into a list for the call) and looks the
//! property up by name. A [`KeyExpr`] is the key prepared once per
//! grouping: properties are resolved to their positions in the store and
//! read in place, the string functions work on the borrowed text, and
//! `split(…)[i]` takes the one part without making the list. The value it
//! gives is borrowed where it can be, so the grouping hashes and compares
//! it before deciding to keep a copy (only for a new group).
//!
//! Only the ordinary case is handled here: values of the expected types.
//! Anything else (a value of another type, a negative length, an overflow,
//! a deleted node, the memory limit reached) gives `None`, and the caller
//! evaluates the whole key with the general evaluator, which gives the
//! same value or raises the error it always raised. Parts of a key this
//! module does not know are evaluated by the general evaluator in place.

use std::borrow::Cow;
use std::sync::Arc;

use super::budget;
use super::expr::{Env, binary_values, compare, eval};
use super::functions::{change_case, char_byte, same_or};
use crate::plan::functions::Func;
use crate::plan::ops::{PExpr, PKind};
use crate::store::{Graph, KeyPositions};
use crate::syntax::ast::BinaryOp;
use crate::value::{INLINE, Value};

static NULL: Value = Value::Null;

/// A grouping key prepared for evaluation per row (see the module notes).
#[derive(Debug, Clone)]
pub struct KeyExpr(Node);

#[derive(Debug, Clone)]
enum Node {
    Const(Value),
    Slot(usize),
    /// A property of the node or relationship in a slot.
    Prop(usize, Arc<str>, KeyPositions),
    /// `toUpper`, `toLower`, `trim`, `lTrim`, `rTrim` of a string.
    Text(Func, Box<Node>),
    Size(Box<Node>),
    /// `left(s, n)`, `right(s, n)`, `substring(s, start[, length])`.
    Cut(Func, Vec<Node>),
    /// `split(s, separator)[i]`.
    SplitAt(Box<[Node; 3]>),
    /// An operator other than AND / OR / XOR / IN / `=~`.
    Binary {
        op: BinaryOp,
        sides: Box<[Node; 2]>,
        span: crate::diag::Span,
    },
    Case {
        operand: Option<Box<Node>>,
        whens: Vec<(Node, Node)>,
        else_: Option<Box<Node>>,
    },
    /// Anything else, evaluated by the general evaluator.
    General(PExpr),
}

impl KeyExpr {
    pub fn new(e: &PExpr, graph: &Graph) -> KeyExpr {
        KeyExpr(Node::of(e, graph))
    }

    /// The key's value on `row`, borrowed where it can be; `None` where
    /// the general evaluator must decide (see the module notes).
    #[inline]
    pub fn value<'a>(&'a self, env: &'a Env<'_>, row: &'a [Value]) -> Option<Cow<'a, Value>> {
        self.0.value(env, env.graph, row)
    }
}

impl Node {
    fn of(e: &PExpr, graph: &Graph) -> Node {
        use Func::*;
        let general = || Node::General(e.clone());
        let of = |e: &PExpr| Node::of(e, graph);
        match &e.kind {
            PKind::Const(v) => Node::Const(v.clone()),
            PKind::Slot(s) => Node::Slot(*s),
            PKind::Prop(base, key) => match base.kind {
                PKind::Slot(s) => Node::Prop(s, key.clone(), graph.key_positions(key)),
                _ => general(),
            },
            PKind::Call(f @ (ToUpper | ToLower | Trim | LTrim | RTrim), args) if args.len() == 1 => {
                Node::Text(*f, Box::new(of(&args[0])))
            }
            PKind::Call(Size, args) if args.len() == 1 => Node::Size(Box::new(of(&args[0]))),
            PKind::Call(f @ (Left | Right), args) if args.len() == 2 => Node::Cut(*f, args.iter().map(of).collect()),
            PKind::Call(Substring, args) if matches!(args.len(), 2 | 3) => {
                Node::Cut(Substring, args.iter().map(of).collect())
            }
            PKind::Index(base, idx) => match &base.kind {
                PKind::Call(Split, args) if args.len() == 2 => {
                    Node::SplitAt(Box::new([of(&args[0]), of(&args[1]), of(idx)]))
                }
                _ => general(),
            },
            PKind::Binary(op, l, r)
                if !matches!(
                    op,
                    BinaryOp::And | BinaryOp::Or | BinaryOp::Xor | BinaryOp::In | BinaryOp::RegexMatch
                ) =>
            {
                Node::Binary {
                    op: *op,
                    sides: Box::new([of(l), of(r)]),
                    span: e.span,
                }
            }
            PKind::Case { operand, whens, else_ } => Node::Case {
                operand: operand.as_deref().map(|o| Box::new(of(o))),
                whens: whens.iter().map(|(w, t)| (of(w), of(t))).collect(),
                else_: else_.as_deref().map(|x| Box::new(of(x))),
            },
            _ => general(),
        }
    }

    fn value<'a>(&'a self, env: &'a Env<'_>, graph: &'a Graph, row: &'a [Value]) -> Option<Cow<'a, Value>> {
        use Cow::{Borrowed, Owned};
        let memory = |bytes: u64| env.guard.check_memory(bytes, None).ok();
        Some(match self {
            Node::Const(v) => Borrowed(v),
            Node::Slot(s) => Borrowed(row.get(*s).unwrap_or(&NULL)),
            Node::Prop(s, key, at) => Borrowed(match row.get(*s)? {
                Value::Null => &NULL,
                Value::Node(n) if !graph.is_deleted_node(*n) => graph.node_prop(*n, at).unwrap_or(&NULL),
                Value::Rel(r) if !graph.is_deleted_rel(*r) => graph.rel(*r).prop(key).unwrap_or(&NULL),
                _ => return None,
            }),
            Node::Text(f, arg) => {
                let v = arg.value(env, graph, row)?;
                let s = match &*v {
                    Value::String(s) => s,
                    Value::Null => {
                        memory(0)?;
                        return Some(Owned(Value::Null));
                    }
                    _ => return None,
                };
                memory(call_size(*f, s.len()))?;
                Owned(match f {
                    Func::ToUpper => change_case(&v, s, true),
                    Func::ToLower => change_case(&v, s, false),
                    Func::Trim => same_or(&v, s, s.trim()),
                    Func::LTrim => same_or(&v, s, s.trim_start()),
                    _ => same_or(&v, s, s.trim_end()),
                })
            }
            Node::Size(arg) => {
                let v = arg.value(env, graph, row)?;
                memory(0)?;
                Owned(match &*v {
                    Value::String(s) => Value::Int(s.chars().count() as i64),
                    Value::List(l) => Value::Int(l.len() as i64),
                    Value::Null => Value::Null,
                    _ => return None,
                })
            }
            Node::Cut(f, args) => {
                let mut vals: [Cow<'a, Value>; 3] = [Borrowed(&NULL), Borrowed(&NULL), Borrowed(&NULL)];
                for (slot, a) in vals.iter_mut().zip(args) {
                    *slot = a.value(env, graph, row)?;
                }
                let s = match &*vals[0] {
                    Value::String(s) => s,
                    Value::Null => {
                        memory(0)?;
                        return Some(Owned(Value::Null));
                    }
                    _ => return None,
                };
                memory(call_size(*f, s.len()))?;
                let int = |v: &Value| match v {
                    Value::Int(i) => Some(Some(*i)),
                    Value::Null => Some(None),
                    _ => None,
                };
                Owned(match f {
                    Func::Substring => {
                        let count = s.chars().count();
                        let start = int(&vals[1])?.unwrap_or(0);
                        let start = usize::try_from(start).ok()?.min(count);
                        let len = match args.len() {
                            3 => match int(&vals[2])? {
                                Some(l) => usize::try_from(l).ok()?,
                                None => return Some(Owned(Value::Null)),
                            },
                            _ => count,
                        };
                        let end = start.saturating_add(len).min(count);
                        Value::str(&s[char_byte(s, start)..char_byte(s, end)])
                    }
                    f => {
                        let Some(n) = int(&vals[1])? else {
                            return Some(Owned(Value::Null));
                        };
                        let n = match n {
                            n if n < 0 => return None,
                            n => usize::try_from(n).unwrap_or(usize::MAX),
                        };
                        if *f == Func::Left {
                            Value::str(&s[..char_byte(s, n)])
                        } else {
                            let count = s.chars().count();
                            Value::str(&s[char_byte(s, count.saturating_sub(n))..])
                        }
                    }
                })
            }
            Node::SplitAt(parts) => {
                let [text, sep, idx] = &**parts;
                let (text, sep) = (text.value(env, graph, row)?, sep.value(env, graph, row)?);
                let len = match &*text {
                    Value::String(s) => s.len(),
                    _ => 0,
                };
                memory(call_size(Func::Split, len))?;
                // The list split() makes (`None`: null).
                let list = match (&*text, &*sep) {
                    (Value::Null, _) | (Value::String(_), Value::Null) => None,
                    (Value::String(s), Value::String(sep)) => Some((s, sep)),
                    _ => return None,
                };
                let idx = idx.value(env, graph, row)?;
                let (Some((s, sep)), Value::Int(i)) = (list, &*idx) else {
                    return match &*idx {
                        Value::Int(_) | Value::Null => Some(Owned(Value::Null)),
                        _ if list.is_none() => Some(Owned(Value::Null)),
                        _ => None,
                    };
                };
                let i = match *i {
                    i if i < 0 => i.checked_add(s.split(&**sep).count() as i64)?,
                    i => i,
                };
                let part = usize::try_from(i).ok().and_then(|i| s.split(&**sep).nth(i));
                Owned(part.map_or(Value::Null, Value::str))
            }
            Node::Binary { op, sides, span } => {
                let [l, r] = &**sides;
                let (a, b) = (l.value(env, graph, row)?, r.value(env, graph, row)?);
                if is_comparison(*op) {
                    // The general evaluator compares constants and
                    // properties of live nodes and relationships in place,
                    // anything else after its memory check.
                    if !(l.in_place(graph, row) && r.in_place(graph, row)) {
                        memory(0)?;
                    }
                    return Some(Owned(compare(*op, &a, &b)));
                }
                memory(budget::binary_size(*op, &a, &b))?;
                Owned(match (&*a, &*b) {
                    (Value::Int(x), Value::Int(y)) => Value::Int(match op {
                        BinaryOp::Add => x.checked_add(*y)?,
                        BinaryOp::Sub => x.checked_sub(*y)?,
                        BinaryOp::Mul => x.checked_mul(*y)?,
                        BinaryOp::Div if *y != 0 => x.checked_div(*y)?,
                        BinaryOp::Mod if *y != 0 => x.checked_rem(*y)?,
                        _ => {
                            return binary_values(*op, a.into_owned(), b.into_owned(), *span)
                                .ok()
                                .map(Owned);
                        }
                    }),
                    (Value::String(x), Value::String(y)) if *op == BinaryOp::Add && x.len() + y.len() <= INLINE => {
                        let mut buf = [0u8; INLINE];
                        buf[..x.len()].copy_from_slice(x.as_bytes());
                        buf[x.len()..x.len() + y.len()].copy_from_slice(y.as_bytes());
                        // Two whole strings back to back: UTF-8.
                        Value::str(std::str::from_utf8(&buf[..x.len() + y.len()]).ok()?)
                    }
                    _ => binary_values(*op, a.into_owned(), b.into_owned(), *span).ok()?,
                })
            }
            Node::Case { operand, whens, else_ } => {
                let operand = match operand {
                    Some(o) => Some(o.value(env, graph, row)?),
                    None => None,
                };
                for (w, then) in whens {
                    let wv = w.value(env, graph, row)?;
                    let hit = match &operand {
                        Some(o) => o.cypher_eq(&wv) == Some(true),
                        None => matches!(*wv, Value::Bool(true)),
                    };
                    if hit {
                        return then.value(env, graph, row);
                    }
                }
                match else_ {
                    Some(x) => x.value(env, graph, row)?,
                    None => Borrowed(&NULL),
                }
            }
            Node::General(e) => Owned(eval(e, env, row).ok()?),
        })
    }
}

impl Node {
    /// Whether the general evaluator reads this side of a comparison in
    /// place (`expr::borrowed`): a constant, or a property of a live node
    /// or relationship.
    fn in_place(&self, graph: &Graph, row: &[Value]) -> bool {
        match self {
            Node::Const(_) => true,
            Node::Prop(s, ..) => match row.get(*s) {
                Some(Value::Node(n)) => !graph.is_deleted_node(*n),
                Some(Value::Rel(r)) => !graph.is_deleted_rel(*r),
                _ => false,
            },
            _ => false,
        }
    }
}

/// What `budget::call_size` gives for a call of `f` whose first argument
/// is a string of `len` bytes (the memory check the general evaluator
/// makes before the call), for the functions prepared here.
fn call_size(f: Func, len: usize) -> u64 {
    let len = len as u64;
    match f {
        Func::ToUpper | Func::ToLower => budget::text_bytes(3 * len),
        Func::Split => (len + 1) * (budget::VALUE + 1),
        Func::Size => 0,
        _ => budget::text_bytes(len),
    }
}

fn is_comparison(op: BinaryOp) -> bool {
    use BinaryOp::*;
    matches!(op, Eq | Ne | Lt | Le | Gt | Ge | StartsWith | EndsWith | Contains)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_checks_ask_what_the_general_evaluator_asks() {
        use Func::*;
        for text in ["", "ab", "Ångström", &"x".repeat(300)] {
            for f in [
                ToUpper, ToLower, Trim, LTrim, RTrim, Size, Left, Right, Substring, Split,
            ] {
                let args = [Value::str(text), Value::Int(1)];
                assert_eq!(
                    call_size(f, text.len()),
                    budget::call_size(f, &args),
                    "{f:?} of {text:?}"
                );
            }
        }
    }
}
