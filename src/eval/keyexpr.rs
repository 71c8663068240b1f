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
//! gives ([`Part`]) is borrowed where it can be, down to a part of a
//! borrowed text (`left`, `substring`, `trim`, `split(…)[i]` of a property
//! give a slice of the store's text), so the grouping hashes and compares
//! it before deciding to keep a copy (only for a new group). Aggregates'
//! arguments are prepared the same way: a count only asks whether the
//! value is null, a minimum or maximum copies it only to keep it.
//!
//! Only the ordinary case is handled here: values of the expected types.
//! Anything else (a value of another type, a negative length, an overflow,
//! a deleted node, the memory limit reached) gives `None`, and the caller
//! evaluates the whole key with the general evaluator, which gives the
//! same value or raises the error it always raised. Parts of a key this
//! module does not know are evaluated by the general evaluator in place.

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use super::budget;
use super::expr::{Env, binary_values, compare, eval};
use super::functions::{change_case, char_byte};
use crate::plan::functions::Func;
use crate::plan::ops::{PExpr, PKind};
use crate::store::{Graph, KeyPositions};
use crate::syntax::ast::BinaryOp;
use crate::value::{GroupKeyRef, INLINE, Value};

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
    /// `labels(n)[i]`: the one label, without the list.
    LabelAt(Box<[Node; 2]>),
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
    pub fn value<'a>(&'a self, env: &'a Env<'_>, row: &'a [Value]) -> Option<Part<'a>> {
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
                PKind::Call(Labels, args) if args.len() == 1 => Node::LabelAt(Box::new([of(&args[0]), of(idx)])),
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

    /// The node's value: a constant, a slot or a property read here (a
    /// nested key's leaves, read without a call whose returned value the
    /// caller would wait on), anything else by [`Node::computed`].
    #[inline(always)]
    fn value<'a>(&'a self, env: &'a Env<'_>, graph: &'a Graph, row: &'a [Value]) -> Option<Part<'a>> {
        match self {
            Node::Const(v) => Some(Part::Ref(v)),
            Node::Slot(s) => Some(Part::Ref(row.get(*s).unwrap_or(&NULL))),
            Node::Prop(s, key, at) => Some(Part::Ref(match row.get(*s)? {
                Value::Null => &NULL,
                Value::Node(n) if !graph.is_deleted_node(*n) => graph.node_prop(*n, at).unwrap_or(&NULL),
                Value::Rel(r) if !graph.is_deleted_rel(*r) => graph.rel(*r).prop(key).unwrap_or(&NULL),
                _ => return None,
            })),
            _ => self.computed(env, graph, row),
        }
    }

    #[inline(never)]
    fn computed<'a>(&'a self, env: &'a Env<'_>, graph: &'a Graph, row: &'a [Value]) -> Option<Part<'a>> {
        use Part::{Own, Ref};
        let memory = |bytes: u64| env.guard.check_memory(bytes, None).ok();
        Some(match self {
            Node::Const(_) | Node::Slot(_) | Node::Prop(..) => return self.value(env, graph, row),
            Node::Text(f, arg) => {
                let v = arg.value(env, graph, row)?;
                let Some(s) = v.text() else {
                    return match v.is_null() {
                        true => memory(0).map(|_| Own(Value::Null)),
                        false => None,
                    };
                };
                memory(call_size(*f, s.len()))?;
                match f {
                    Func::Trim => v.cut(|s| s.trim()),
                    Func::LTrim => v.cut(|s| s.trim_start()),
                    Func::RTrim => v.cut(|s| s.trim_end()),
                    f => {
                        let upper = *f == Func::ToUpper;
                        let changes = !s.is_ascii()
                            || s.bytes().any(|b| match upper {
                                true => b.is_ascii_lowercase(),
                                false => b.is_ascii_uppercase(),
                            });
                        // Unchanged, the text itself; changed, never `v`
                        // (which `change_case` gives back only unchanged).
                        let changed = changes.then(|| change_case(&NULL, s, upper));
                        match changed {
                            Some(c) => Own(c),
                            None => v,
                        }
                    }
                }
            }
            Node::Size(arg) => {
                let v = arg.value(env, graph, row)?;
                memory(0)?;
                Own(match (v.text(), v.value()) {
                    (Some(s), _) => Value::Int(crate::value::char_count(s) as i64),
                    (_, Some(Value::List(l))) => Value::Int(l.len() as i64),
                    (_, Some(Value::Null)) => Value::Null,
                    _ => return None,
                })
            }
            Node::Cut(f, args) => {
                let text = args.first()?.value(env, graph, row)?;
                let mut ints = [None; 2];
                for (slot, a) in ints.iter_mut().zip(&args[1..]) {
                    // An integer, or null (`None` within).
                    *slot = match a.value(env, graph, row)?.value() {
                        Some(Value::Int(i)) => Some(Some(*i)),
                        Some(Value::Null) => Some(None),
                        _ => None,
                    };
                }
                let Some(s) = text.text() else {
                    return match text.is_null() {
                        true => memory(0).map(|_| Own(Value::Null)),
                        false => None,
                    };
                };
                // A cut of a borrowed text is borrowed too: nothing is built.
                if let Part::Own(_) = text {
                    memory(call_size(*f, s.len()))?;
                }
                let int = |i: usize| ints[i];
                match f {
                    Func::Substring => {
                        let count = s.chars().count();
                        let start = int(0)?.unwrap_or(0);
                        let start = usize::try_from(start).ok()?.min(count);
                        let len = match args.len() {
                            3 => match int(1)? {
                                Some(l) => usize::try_from(l).ok()?,
                                None => return Some(Own(Value::Null)),
                            },
                            _ => count,
                        };
                        let end = start.saturating_add(len).min(count);
                        text.cut(|s| &s[char_byte(s, start)..char_byte(s, end)])
                    }
                    f => {
                        let Some(n) = int(0)? else {
                            return Some(Own(Value::Null));
                        };
                        let n = match n {
                            n if n < 0 => return None,
                            n => usize::try_from(n).unwrap_or(usize::MAX),
                        };
                        if *f == Func::Left {
                            text.cut(|s| &s[..char_byte(s, n)])
                        } else {
                            let count = s.chars().count();
                            text.cut(|s| &s[char_byte(s, count.saturating_sub(n))..])
                        }
                    }
                }
            }
            Node::SplitAt(parts) => {
                let [text, sep, idx] = &**parts;
                let (text, sep) = (text.value(env, graph, row)?, sep.value(env, graph, row)?);
                memory(call_size(Func::Split, text.text().map_or(0, str::len)))?;
                // Whether split() makes a list (else null).
                let list = match (text.text(), sep.text()) {
                    (Some(_), Some(_)) => true,
                    _ if text.is_null() || (text.text().is_some() && sep.is_null()) => false,
                    _ => return None,
                };
                let idx = idx.value(env, graph, row)?;
                let (true, Some(Value::Int(i))) = (list, idx.value()) else {
                    return match idx.is_null() || matches!(idx.value(), Some(Value::Int(_))) || !list {
                        true => Some(Own(Value::Null)),
                        false => None,
                    };
                };
                // The part's place in the text.
                let (start, end) = {
                    let (s, sep) = (text.text()?, sep.text()?);
                    let i = match *i {
                        i if i < 0 => i.checked_add(s.split(sep).count() as i64)?,
                        i => i,
                    };
                    let part = usize::try_from(i).ok().and_then(|i| s.split(sep).nth(i));
                    let Some(part) = part else {
                        return Some(Own(Value::Null));
                    };
                    let start = part.as_ptr() as usize - s.as_ptr() as usize;
                    (start, start + part.len())
                };
                text.cut(|s| &s[start..end])
            }
            Node::LabelAt(parts) => {
                let [node, idx] = &**parts;
                let (node, idx) = (node.value(env, graph, row)?, idx.value(env, graph, row)?);
                // A live node and an integer index; anything else (null,
                // another type, a deleted node) the general evaluator decides.
                let (Some(Value::Node(n)), Some(Value::Int(i))) = (node.value(), idx.value()) else {
                    return None;
                };
                if !graph.contains_node(*n) {
                    return None;
                }
                memory(0)?;
                let node = graph.node(*n);
                let labels = || node.labels();
                let i = match *i {
                    i if i < 0 => i.checked_add(labels().count() as i64)?,
                    i => i,
                };
                Own(match usize::try_from(i).ok().and_then(|i| labels().nth(i)) {
                    Some(l) => Value::str(l),
                    None => Value::Null,
                })
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
                    return Some(Own(compare(*op, &a.as_value(), &b.as_value())));
                }
                if let (BinaryOp::Add, Some(x), Some(y)) = (op, a.text(), b.text()) {
                    memory(budget::text_bytes((x.len() + y.len()) as u64))?;
                    let n = x.len() + y.len();
                    if n > INLINE {
                        return Some(Own(Value::from(format!("{x}{y}"))));
                    }
                    let mut buf = [0u8; INLINE];
                    buf[..x.len()].copy_from_slice(x.as_bytes());
                    buf[x.len()..n].copy_from_slice(y.as_bytes());
                    // Two whole strings back to back: UTF-8.
                    return Some(Own(Value::str(std::str::from_utf8(&buf[..n]).ok()?)));
                }
                let (a, b) = (a.into_value(), b.into_value());
                memory(budget::binary_size(*op, &a, &b))?;
                Own(match (&a, &b) {
                    (Value::Int(x), Value::Int(y)) => Value::Int(match op {
                        BinaryOp::Add => x.checked_add(*y)?,
                        BinaryOp::Sub => x.checked_sub(*y)?,
                        BinaryOp::Mul => x.checked_mul(*y)?,
                        BinaryOp::Div if *y != 0 => x.checked_div(*y)?,
                        BinaryOp::Mod if *y != 0 => x.checked_rem(*y)?,
                        _ => return binary_values(*op, a, b, *span).ok().map(Own),
                    }),
                    _ => binary_values(*op, a, b, *span).ok()?,
                })
            }
            Node::Case { operand, whens, else_ } => {
                let operand = match operand {
                    Some(o) => Some(o.value(env, graph, row)?.into_value()),
                    None => None,
                };
                for (w, then) in whens {
                    let wv = w.value(env, graph, row)?;
                    let hit = match &operand {
                        Some(o) => o.cypher_eq(&wv.as_value()) == Some(true),
                        None => matches!(wv.value(), Some(Value::Bool(true))),
                    };
                    if hit {
                        return then.value(env, graph, row);
                    }
                }
                match else_ {
                    Some(x) => x.value(env, graph, row)?,
                    None => Ref(&NULL),
                }
            }
            Node::General(e) => Own(eval(e, env, row).ok()?),
        })
    }
}

/// A value a prepared key computes: borrowed (from the store, the row or
/// a constant), a part of a borrowed text (what `left`, `substring`,
/// `trim` and `split(…)[i]` give of one), or made.
pub enum Part<'a> {
    Ref(&'a Value),
    Str(&'a str),
    Own(Value),
}

impl<'a> Part<'a> {
    /// The text, when the value is a string.
    #[inline]
    pub fn text(&self) -> Option<&str> {
        match self {
            Part::Ref(Value::String(t)) => Some(t),
            Part::Own(Value::String(t)) => Some(t),
            Part::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value, unless it is a part of a text.
    #[inline]
    pub fn value(&self) -> Option<&Value> {
        match self {
            Part::Ref(v) => Some(v),
            Part::Own(v) => Some(v),
            Part::Str(_) => None,
        }
    }

    #[inline]
    pub fn is_null(&self) -> bool {
        matches!(self.value(), Some(Value::Null))
    }

    #[inline]
    pub fn into_value(self) -> Value {
        match self {
            Part::Ref(v) => v.clone(),
            Part::Own(v) => v,
            Part::Str(s) => Value::str(s),
        }
    }

    /// The value, borrowed unless it is a part of a text.
    #[inline]
    pub fn as_value(&self) -> std::borrow::Cow<'_, Value> {
        match self {
            Part::Ref(v) => std::borrow::Cow::Borrowed(v),
            Part::Own(v) => std::borrow::Cow::Borrowed(v),
            Part::Str(s) => std::borrow::Cow::Owned(Value::str(s)),
        }
    }

    /// The value's hash as a one-value grouping key (`GroupKeyRef`'s).
    #[inline]
    pub fn hash(&self, hasher: &impl BuildHasher) -> u64 {
        match self {
            Part::Str(s) => hasher.hash_one(TextKey(s)),
            Part::Ref(v) => hasher.hash_one(GroupKeyRef(std::slice::from_ref(*v))),
            Part::Own(v) => hasher.hash_one(GroupKeyRef(std::slice::from_ref(v))),
        }
    }

    /// Whether the value is equivalent to `key` as grouping sees them
    /// (`Value::equivalent`).
    #[inline]
    pub fn same_as(&self, key: &Value) -> bool {
        match self {
            Part::Str(s) => matches!(key, Value::String(t) if t.eq_bytes(s.as_bytes())),
            Part::Ref(v) => key.equivalent(v),
            Part::Own(v) => key.equivalent(v),
        }
    }

    /// `part` of this text (which it is): borrowed where the text is.
    #[inline]
    fn cut(self, part: impl Fn(&str) -> &str) -> Part<'a> {
        match self {
            Part::Ref(Value::String(t)) => Part::Str(part(t)),
            Part::Str(s) => Part::Str(part(s)),
            Part::Own(Value::String(t)) => Part::Own(Value::str(part(&t))),
            other => other,
        }
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

/// A text hashed as a string value is (`Text` hashes as its `str`).
struct TextKey<'s>(&'s str);

impl Hash for TextKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state)
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
