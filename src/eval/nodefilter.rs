//! WHERE conditions on one node, compiled once per execution so that a
//! scan or an expansion checks them on the node's handle: its values are
//! read in place by key position (no key names compared, nothing cloned,
//! no row built) and compared with the constants.
//!
//! A condition compiles when it reads the properties (or labels) of one
//! variable and constants only, through comparisons (`=`, `<>`, `<`, `<=`,
//! `>`, `>=`, STARTS WITH, ENDS WITH, CONTAINS, IN a constant list, `=~`
//! a constant pattern), IS [NOT] NULL, label tests, and AND, OR, XOR and
//! NOT of those. Its answer is the expression evaluator's, null included
//! (three-valued logic); anything else is left to the evaluator. A
//! compiled condition is used only when its variable holds a live node:
//! for anything else (null, a map, a deleted node) the evaluator runs and
//! reports what it reports.

use std::sync::Arc;

use regex::Regex;

use super::expr::compare;
use crate::plan::functions::Func;
use crate::plan::ops::{PExpr, PKind};
use crate::store::zones::{ZONE, Zone, Zones};
use crate::store::{Graph, KeyPositions, NodeId};
use crate::syntax::ast::BinaryOp;
use crate::value::{Text, Value};

static NULL: Value = Value::Null;

/// One compiled condition on the node in row slot `slot`.
#[derive(Debug)]
pub struct NodeFilter {
    pub slot: usize,
    keys: Vec<KeyPositions>,
    test: Test,
}

#[derive(Debug)]
enum Test {
    /// `key OP text` with a string constant, the operands as written when
    /// `op` is symmetric or flipped (`'a' < n.k` is `n.k > 'a'`; see
    /// [`StrOp`]): a string value is compared byte by byte in place,
    /// anything else goes to the evaluator's `compare` with `constant`.
    Str {
        key: usize,
        op: StrOp,
        text: Box<[u8]>,
        /// The comparison as written, for values that are not strings.
        op_written: BinaryOp,
        constant: Value,
        const_left: bool,
    },
    /// `key OP constant` (or `constant OP key` when `const_left`).
    Cmp {
        key: usize,
        op: BinaryOp,
        constant: Value,
        const_left: bool,
    },
    /// `key IN [constants]`.
    In {
        key: usize,
        items: Arc<Vec<Value>>,
    },
    IsNull {
        key: usize,
        negated: bool,
    },
    Regex {
        key: usize,
        re: Arc<Regex>,
    },
    /// `toLower(key) OP text` or `toUpper(key) OP text` with a string
    /// constant, as a whole condition: a string value is folded into a
    /// buffer on the stack (ASCII; other text as the function folds it)
    /// and compared, with no string made per node. A value that is
    /// neither a string nor null makes the function raise an error, which
    /// only the evaluator can: the filter leaves such a node undecided
    /// (see [`NodeFilter::exact`]).
    Folded {
        key: usize,
        upper: bool,
        op: StrOp,
        text: Box<[u8]>,
        finder: Box<memchr::memmem::Finder<'static>>,
    },
    Labels(Vec<String>),
    Not(Box<Test>),
    And(Box<Test>, Box<Test>),
    Or(Box<Test>, Box<Test>),
    Xor(Box<Test>, Box<Test>),
    Known(Option<bool>),
}

impl NodeFilter {
    /// `e` compiled, when it is a condition on one node variable's
    /// properties and labels (see the module's documentation).
    pub fn compile(graph: &Graph, e: &PExpr) -> Option<NodeFilter> {
        NodeFilter::compile_fixed(graph, e, &[])
    }

    /// `e` compiled, its operands in `fixed` (see [`fixed_operands`])
    /// taken as constants of the values given: a condition whose other
    /// side is fixed while its node varies, compiled for the values that
    /// side has now (once per outer row).
    pub fn compile_fixed(graph: &Graph, e: &PExpr, fixed: &[(&PExpr, Value)]) -> Option<NodeFilter> {
        let mut b = Builder::new(fixed, false);
        let test = b.top(e)?;
        let slot = b.slot?;
        let keys = b.keys.iter().map(|k| graph.key_positions(k)).collect();
        Some(NodeFilter { slot, keys, test })
    }

    /// The slot of the node `e` is a condition on, when it compiles
    /// (what [`NodeFilter::compile`] accepts; for EXPLAIN). With `fixed`
    /// (see [`fixed_operands`]): when it compiles once those operands'
    /// values are known, whatever they are (a value of the wrong kind
    /// leaves the condition to the evaluator then).
    pub fn compiles(e: &PExpr, fixed: &[&PExpr]) -> Option<usize> {
        let placeholders: Vec<(&PExpr, Value)> = fixed.iter().map(|x| (*x, Value::Null)).collect();
        let mut b = Builder::new(&placeholders, true);
        b.top(e)?;
        b.slot
    }

    /// Whether every answer of [`NodeFilter::holds`] is the evaluator's.
    /// A case-folding comparison is not: on a value that is neither a
    /// string nor null it answers null where the evaluator raises an
    /// error (see [`NodeFilter::undecided`]).
    pub fn exact(&self) -> bool {
        !matches!(self.test, Test::Folded { .. })
    }

    /// Whether the null [`NodeFilter::holds`] gave for node `n` stands
    /// for an answer only the evaluator can give (an error): the caller
    /// must then evaluate the condition itself.
    #[cold]
    pub fn undecided(&self, g: &Graph, n: NodeId) -> bool {
        self.undecided_value(g.node_prop(n, &self.keys[0]))
    }

    /// As [`NodeFilter::undecided`], from the value of the one key read.
    #[cold]
    pub fn undecided_value(&self, v: Option<&Value>) -> bool {
        matches!(self.test, Test::Folded { .. }) && !matches!(v, None | Some(Value::Null) | Some(Value::String(_)))
    }

    /// The condition's value for node `n` (`None`: null).
    #[inline]
    pub fn holds(&self, g: &Graph, n: NodeId) -> Option<bool> {
        self.test.eval_inline(&|k| g.node_prop(n, &self.keys[k]), g, n)
    }

    /// When the condition reads one key and no labels: its value for a
    /// node whose value of that key is `v` (for a scan that reads the
    /// key's values by stride).
    pub fn single_key(&self) -> Option<&KeyPositions> {
        match self.keys.as_slice() {
            [k] if !self.test.reads_labels() => Some(k),
            _ => None,
        }
    }

    /// As [`NodeFilter::holds`] from the value of the one key it reads
    /// (see [`NodeFilter::single_key`]).
    #[inline]
    pub fn holds_value(&self, g: &Graph, v: Option<&Value>) -> Option<bool> {
        self.test.eval_inline(&|_| v, g, NodeId::default())
    }

    /// The value for the node in `row`'s slot: `None` when the slot does
    /// not hold a live node (the evaluator must decide then).
    #[inline]
    pub fn check(&self, g: &Graph, row: &[Value]) -> Option<Option<bool>> {
        match row.get(self.slot) {
            Some(Value::Node(n)) if !g.is_deleted_node(*n) => match self.holds(g, *n) {
                None if self.undecided(g, *n) => None,
                x => Some(x),
            },
            _ => None,
        }
    }
}

/// Conditions that must all hold, checked on the nodes of a scan, with the
/// block summaries of the keys they read (`store/zones.rs`): a block none
/// of whose nodes can pass them is skipped whole.
pub struct Skips<'f> {
    /// Each condition that can tell, with its keys' summaries by key number.
    tests: Vec<(&'f NodeFilter, Vec<Arc<Zones>>)>,
}

impl<'f> Skips<'f> {
    /// For `tests` checked on `nodes` (ascending ids): `None` when none of
    /// them can skip a block, when one leaves nodes to the evaluator (which
    /// must then see every node it would have seen), or when the nodes are
    /// too few among the blocks they span for summarising those to pay.
    pub fn new(g: &Graph, tests: impl IntoIterator<Item = &'f NodeFilter>, nodes: &[NodeId]) -> Option<Skips<'f>> {
        let (first, last) = (nodes.first()?.index(), nodes.last()?.index());
        if last.checked_sub(first)? >= 8 * nodes.len() {
            return None;
        }
        let blocks = first / ZONE..last / ZONE + 1;
        let mut out = Vec::new();
        for t in tests {
            if !t.exact() {
                return None;
            }
            if t.test.can_skip() {
                let zones = t
                    .keys
                    .iter()
                    .map(|k| g.zones(k.key(), blocks.clone()))
                    .collect::<Option<Vec<_>>>()?;
                out.push((t, zones));
            }
        }
        (!out.is_empty()).then_some(Skips { tests: out })
    }

    /// Whether no node of block `b` (node indexes `b * ZONE ..`) passes.
    #[inline]
    pub fn skip(&self, b: usize) -> bool {
        self.tests
            .iter()
            .any(|(t, zones)| t.test.outside(&|k| zones.get(k).and_then(|z| z.get(b))))
    }

    /// Whether node `n`'s block is skipped, asked once per block for nodes
    /// in ascending order: `last` holds the block asked about last and
    /// its answer (start from `(usize::MAX, false)`).
    pub fn node_skipped(&self, n: NodeId, last: &mut (usize, bool)) -> bool {
        let b = n.index() / ZONE;
        if b != last.0 {
            *last = (b, self.skip(b));
        }
        last.1
    }
}

/// The operands of condition `e` that are fixed while the node it tests
/// varies: the largest subexpressions that read row slots, all of them
/// `fixed(slot)` (bound before the step that binds the node), and give
/// the same value each time they are evaluated on the same row. A
/// constant is fixed too, but needs no evaluating (it is not listed).
pub fn fixed_operands<'e>(e: &'e PExpr, fixed: &dyn Fn(usize) -> bool, out: &mut Vec<&'e PExpr>) {
    if !matches!(e.kind, PKind::Const(_)) && e.fixed_given(fixed) {
        let mut read = Vec::new();
        e.slots_read(&mut read);
        if !read.is_empty() {
            out.push(e);
        }
        return;
    }
    match &e.kind {
        PKind::Binary(_, l, r) => {
            fixed_operands(l, fixed, out);
            fixed_operands(r, fixed, out);
        }
        PKind::Not(x) | PKind::IsNull(x, _) => fixed_operands(x, fixed, out),
        PKind::Call(_, args) | PKind::List(args) => args.iter().for_each(|a| fixed_operands(a, fixed, out)),
        _ => {}
    }
}

struct Builder<'e> {
    slot: Option<usize>,
    keys: Vec<Arc<str>>,
    /// Operands fixed per outer row with their values (see
    /// [`fixed_operands`]), found by address.
    fixed: &'e [(&'e PExpr, Value)],
    /// Whether the values of `fixed` are placeholders: only whether the
    /// condition would compile is asked, whatever they turn out to be.
    probe: bool,
}

/// The value of `e` when it is a constant or one of the `fixed` operands.
fn constant<'a>(fixed: &'a [(&'a PExpr, Value)], e: &'a PExpr) -> Option<&'a Value> {
    match &e.kind {
        PKind::Const(v) => Some(v),
        _ => fixed.iter().find(|(x, _)| std::ptr::eq(*x, e)).map(|(_, v)| v),
    }
}

impl<'e> Builder<'e> {
    fn new(fixed: &'e [(&'e PExpr, Value)], probe: bool) -> Builder<'e> {
        Builder {
            slot: None,
            keys: Vec::new(),
            fixed,
            probe,
        }
    }

    /// Whether `e` is a fixed operand whose value is a placeholder.
    fn placeholder(&self, e: &PExpr) -> bool {
        self.probe && self.fixed.iter().any(|(x, _)| std::ptr::eq(*x, e))
    }
    /// The key number of `e` when it is `x.key` for the one variable `x`.
    fn key(&mut self, e: &PExpr) -> Option<usize> {
        let PKind::Prop(base, key) = &e.kind else { return None };
        let PKind::Slot(s) = base.kind else { return None };
        if *self.slot.get_or_insert(s) != s {
            return None;
        }
        Some(match self.keys.iter().position(|k| k == key) {
            Some(i) => i,
            None => {
                self.keys.push(key.clone());
                self.keys.len() - 1
            }
        })
    }

    /// A whole condition: a case-folding comparison (only at the top,
    /// where an undecided node can be left to the evaluator), or any
    /// other test.
    fn top(&mut self, e: &PExpr) -> Option<Test> {
        self.folded(e).or_else(|| self.test(e))
    }

    /// `toLower(x.k) OP 'text'` / `toUpper(…)`, either operand order.
    fn folded(&mut self, e: &PExpr) -> Option<Test> {
        use BinaryOp::*;
        let PKind::Binary(op @ (Eq | Ne | Lt | Le | Gt | Ge | StartsWith | EndsWith | Contains), l, r) = &e.kind else {
            return None;
        };
        let fixed = self.fixed;
        let text_of = |e: &PExpr| match constant(fixed, e) {
            Some(Value::String(t)) => Some(t.as_bytes().to_vec()),
            _ if self.placeholder(e) => Some(Vec::new()),
            _ => None,
        };
        let (call, text, const_left) = match (&l.kind, text_of(r), text_of(l)) {
            (PKind::Call(..), Some(t), _) => (l, t, false),
            (_, _, Some(t)) if matches!(r.kind, PKind::Call(..)) => (r, t, true),
            _ => return None,
        };
        let PKind::Call(f @ (Func::ToLower | Func::ToUpper), args) = &call.kind else {
            return None;
        };
        let [arg] = args.as_slice() else { return None };
        let key = self.key(arg)?;
        let text: Box<[u8]> = text.into();
        Some(Test::Folded {
            key,
            upper: *f == Func::ToUpper,
            op: StrOp::of(*op, const_left),
            finder: Box::new(memchr::memmem::Finder::new(&text).into_owned()),
            text,
        })
    }

    fn test(&mut self, e: &PExpr) -> Option<Test> {
        use BinaryOp::*;
        Some(match &e.kind {
            PKind::Const(Value::Bool(b)) => Test::Known(Some(*b)),
            PKind::Const(Value::Null) => Test::Known(None),
            PKind::Not(x) => Test::Not(Box::new(self.test(x)?)),
            PKind::IsNull(x, negated) => Test::IsNull {
                key: self.key(x)?,
                negated: *negated,
            },
            PKind::RegexConst(x, re) => Test::Regex {
                key: self.key(x)?,
                re: re.clone(),
            },
            PKind::HasLabels(x, labels) => {
                let PKind::Slot(s) = x.kind else { return None };
                if *self.slot.get_or_insert(s) != s {
                    return None;
                }
                Test::Labels(labels.clone())
            }
            PKind::Binary(op @ (And | Or | Xor), l, r) => {
                let (l, r) = (Box::new(self.test(l)?), Box::new(self.test(r)?));
                match op {
                    And => Test::And(l, r),
                    Or => Test::Or(l, r),
                    _ => Test::Xor(l, r),
                }
            }
            PKind::Binary(In, l, r) => {
                let fixed = self.fixed;
                let items = match (constant(fixed, r), &r.kind) {
                    (Some(Value::List(items)), _) => items.clone(),
                    _ if self.placeholder(r) => Arc::new(Vec::new()),
                    (_, PKind::List(items)) => Arc::new(
                        items
                            .iter()
                            .map(|i| constant(fixed, i).cloned())
                            .collect::<Option<Vec<_>>>()?,
                    ),
                    _ => return None,
                };
                Test::In {
                    key: self.key(l)?,
                    items,
                }
            }
            PKind::Binary(op @ (Eq | Ne | Lt | Le | Gt | Ge | StartsWith | EndsWith | Contains), l, r) => {
                let fixed = self.fixed;
                match (constant(fixed, l), constant(fixed, r)) {
                    (_, Some(c @ Value::String(t))) => Test::Str {
                        key: self.key(l)?,
                        op: StrOp::of(*op, false),
                        text: t.as_bytes().into(),
                        op_written: *op,
                        constant: c.clone(),
                        const_left: false,
                    },
                    (Some(c @ Value::String(t)), _) => Test::Str {
                        key: self.key(r)?,
                        op: StrOp::of(*op, true),
                        text: t.as_bytes().into(),
                        op_written: *op,
                        constant: c.clone(),
                        const_left: true,
                    },
                    (_, Some(c)) => Test::Cmp {
                        key: self.key(l)?,
                        op: *op,
                        constant: c.clone(),
                        const_left: false,
                    },
                    (Some(c), _) => Test::Cmp {
                        key: self.key(r)?,
                        op: *op,
                        constant: c.clone(),
                        const_left: true,
                    },
                    _ => return None,
                }
            }
            _ => return None,
        })
    }
}

impl Test {
    /// Whether a block summary could ever show that this is true for no
    /// node of the block (see [`Test::outside`]).
    fn can_skip(&self) -> bool {
        match self {
            Test::Str { op, .. } => op.skips(),
            Test::Cmp { op, constant, .. } => matches!(constant, Value::Int(_)) && !matches!(op, BinaryOp::Ne),
            Test::In { .. } => true,
            Test::And(a, b) => a.can_skip() || b.can_skip(),
            Test::Or(a, b) => a.can_skip() && b.can_skip(),
            _ => false,
        }
    }

    /// Whether no value a block's summaries (`zone(k)`: key number `k`'s,
    /// `None` when not known) allow makes this true. A string constant is
    /// never matched by a value of another type but by `<>`, an integer
    /// constant only by a number (a block with a value of another type
    /// than string, integer or null is not judged against one); a string
    /// value lies between the block's least and greatest first eight bytes.
    fn outside<'z>(&self, zone: &dyn Fn(usize) -> Option<&'z Zone>) -> bool {
        match self {
            Test::Str { key, op, text, .. } => {
                let Some(z) = zone(*key) else { return false };
                if !op.skips() {
                    return false;
                }
                if !z.has_strings() {
                    return true;
                }
                let h = head(text);
                match op {
                    StrOp::Eq => h < z.str_lo || h > z.str_hi,
                    // `v < c` needs the head of `v` at most that of `c`.
                    StrOp::Lt | StrOp::Le => z.str_lo > h,
                    StrOp::Gt | StrOp::Ge => z.str_hi < h,
                    StrOp::StartsWith => {
                        let k = text.len().min(8);
                        let mask = if k == 0 { 0 } else { !0u64 << (64 - 8 * k) };
                        let lo = h & mask;
                        z.str_hi < lo || z.str_lo > (lo | !mask)
                    }
                    _ => false,
                }
            }
            Test::Cmp {
                key,
                op,
                constant: Value::Int(c),
                const_left,
            } => {
                let Some(z) = zone(*key) else { return false };
                if z.other {
                    return false;
                }
                use BinaryOp::*;
                let op = match (op, const_left) {
                    (Lt, true) => Gt,
                    (Le, true) => Ge,
                    (Gt, true) => Lt,
                    (Ge, true) => Le,
                    (op, _) => *op,
                };
                if !matches!(op, Eq | Lt | Le | Gt | Ge) {
                    return false;
                }
                if !z.has_ints() {
                    return true;
                }
                match op {
                    Eq => *c < z.int_lo || *c > z.int_hi,
                    Lt => z.int_lo >= *c,
                    Le => z.int_lo > *c,
                    Gt => z.int_hi <= *c,
                    _ => z.int_hi < *c,
                }
            }
            Test::In { key, items } => {
                let Some(z) = zone(*key) else { return false };
                items.iter().all(|x| match x {
                    Value::String(s) => {
                        let h = head(s.as_bytes());
                        !z.has_strings() || h < z.str_lo || h > z.str_hi
                    }
                    Value::Int(c) => !z.other && (!z.has_ints() || *c < z.int_lo || *c > z.int_hi),
                    _ => false,
                })
            }
            Test::And(a, b) => a.outside(zone) || b.outside(zone),
            Test::Or(a, b) => a.outside(zone) && b.outside(zone),
            _ => false,
        }
    }

    fn reads_labels(&self) -> bool {
        match self {
            Test::Labels(_) => true,
            Test::Not(x) => x.reads_labels(),
            Test::And(a, b) | Test::Or(a, b) | Test::Xor(a, b) => a.reads_labels() || b.reads_labels(),
            _ => false,
        }
    }

    /// As [`Test::eval`], with the common shapes (a string comparison, or
    /// two joined by AND) compiled in line at the caller: a scan spends
    /// most of its time here.
    #[inline(always)]
    fn eval_inline<'v, F: Fn(usize) -> Option<&'v Value>>(&self, get: &F, g: &Graph, n: NodeId) -> Option<bool> {
        match self {
            Test::Str { .. } => self.eval_str(get),
            Test::And(a, b) if matches!(**a, Test::Str { .. }) && matches!(**b, Test::Str { .. }) => {
                match a.eval_str(get) {
                    Some(false) => Some(false),
                    x => match (x, b.eval_str(get)) {
                        (_, Some(false)) => Some(false),
                        (Some(true), Some(true)) => Some(true),
                        _ => None,
                    },
                }
            }
            _ => self.eval(get, g, n),
        }
    }

    /// A [`Test::Str`]: a string value compared in place, anything else
    /// as the evaluator compares it.
    #[inline(always)]
    fn eval_str<'v, F: Fn(usize) -> Option<&'v Value>>(&self, get: &F) -> Option<bool> {
        let Test::Str {
            key,
            op,
            text,
            op_written,
            constant,
            const_left,
        } = self
        else {
            unreachable!("called on a string comparison")
        };
        match get(*key) {
            Some(Value::String(s)) => Some(op.holds(s, text)),
            None | Some(Value::Null) => None,
            Some(v) => other_cmp(*op_written, v, constant, *const_left),
        }
    }

    /// Three-valued, as the evaluator: `get(k)` reads key number `k`.
    fn eval<'v, F: Fn(usize) -> Option<&'v Value>>(&self, get: &F, g: &Graph, n: NodeId) -> Option<bool> {
        match self {
            Test::Str { .. } => self.eval_str(get),
            Test::Folded {
                key,
                upper,
                op,
                text,
                finder,
            } => match get(*key) {
                Some(Value::String(s)) => Some(folded_holds(*op, s, text, finder, *upper)),
                // Null, or undecided (see `NodeFilter::undecided`).
                _ => None,
            },
            Test::Cmp {
                key,
                op,
                constant,
                const_left,
            } => {
                let v = get(*key).unwrap_or(&NULL);
                let out = match const_left {
                    false => compare(*op, v, constant),
                    true => compare(*op, constant, v),
                };
                match out {
                    Value::Bool(b) => Some(b),
                    _ => None,
                }
            }
            Test::In { key, items } => {
                let v = get(*key).unwrap_or(&NULL);
                let mut unknown = false;
                for x in items.iter() {
                    match v.cypher_eq(x) {
                        Some(true) => return Some(true),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                if unknown { None } else { Some(false) }
            }
            Test::IsNull { key, negated } => Some(get(*key).is_none_or(Value::is_null) != *negated),
            Test::Regex { key, re } => match get(*key) {
                Some(Value::String(s)) => Some(re.is_match(s)),
                _ => None,
            },
            Test::Labels(labels) => {
                let node = g.node(n);
                Some(labels.iter().all(|l| node.has_label(l)))
            }
            Test::Not(x) => x.eval(get, g, n).map(|b| !b),
            Test::And(a, b) => match a.eval(get, g, n) {
                Some(false) => Some(false),
                x => match (x, b.eval(get, g, n)) {
                    (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                },
            },
            Test::Or(a, b) => match a.eval(get, g, n) {
                Some(true) => Some(true),
                x => match (x, b.eval(get, g, n)) {
                    (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                },
            },
            Test::Xor(a, b) => match (a.eval(get, g, n), b.eval(get, g, n)) {
                (Some(x), Some(y)) => Some(x != y),
                _ => None,
            },
            Test::Known(b) => *b,
        }
    }
}

/// A comparison of a string value `s` with a string constant `c`, as
/// `s OP c` (`Rev*`: the constant was on the left, `c OP s`). Strings
/// order by their bytes (UTF-8 keeps code point order).
#[derive(Debug, Clone, Copy, PartialEq)]
enum StrOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    StartsWith,
    EndsWith,
    Contains,
    /// `c STARTS WITH s`.
    RevStartsWith,
    /// `c ENDS WITH s`.
    RevEndsWith,
    /// `c CONTAINS s`.
    RevContains,
}

impl StrOp {
    /// Whether only a string value can make `s OP c` true, and its first
    /// eight bytes tell when it cannot (see [`Test::outside`]).
    fn skips(self) -> bool {
        matches!(
            self,
            StrOp::Eq | StrOp::Lt | StrOp::Le | StrOp::Gt | StrOp::Ge | StrOp::StartsWith
        )
    }

    /// `op` with the key on the left (`const_left`: it was on the right).
    fn of(op: BinaryOp, const_left: bool) -> StrOp {
        use BinaryOp as B;
        match (op, const_left) {
            (B::Eq, _) => StrOp::Eq,
            (B::Ne, _) => StrOp::Ne,
            (B::Lt, false) | (B::Gt, true) => StrOp::Lt,
            (B::Le, false) | (B::Ge, true) => StrOp::Le,
            (B::Gt, false) | (B::Lt, true) => StrOp::Gt,
            (B::Ge, false) | (B::Le, true) => StrOp::Ge,
            (B::StartsWith, false) => StrOp::StartsWith,
            (B::EndsWith, false) => StrOp::EndsWith,
            (B::StartsWith, true) => StrOp::RevStartsWith,
            (B::EndsWith, true) => StrOp::RevEndsWith,
            (B::Contains, true) => StrOp::RevContains,
            _ => StrOp::Contains,
        }
    }

    /// A text kept inside the value is compared by its bytes; a longer
    /// one by `Text`'s own comparisons, which decide most values from the
    /// bytes the value keeps of it without reading the rest.
    #[inline(always)]
    fn holds(self, s: &Text, c: &[u8]) -> bool {
        match self {
            StrOp::Contains => crate::value::text_contains(s, c),
            _ if s.inline_bytes().is_some() => self.holds_bytes(s.as_bytes(), c),
            StrOp::Eq => s.eq_bytes(c),
            StrOp::Ne => !s.eq_bytes(c),
            StrOp::Lt => s.cmp_bytes(c).is_lt(),
            StrOp::Le => s.cmp_bytes(c).is_le(),
            StrOp::Gt => s.cmp_bytes(c).is_gt(),
            StrOp::Ge => s.cmp_bytes(c).is_ge(),
            StrOp::StartsWith => s.starts_with_bytes(c),
            StrOp::EndsWith => s.ends_with_bytes(c),
            _ => self.holds_bytes(s.as_bytes(), c),
        }
    }

    /// As [`StrOp::holds`], on the bytes of a string.
    #[inline(always)]
    fn holds_bytes(self, b: &[u8], c: &[u8]) -> bool {
        match self {
            StrOp::Eq => same_bytes(b, c),
            StrOp::Ne => !same_bytes(b, c),
            StrOp::Lt => order(b, c).is_lt(),
            StrOp::Le => order(b, c).is_le(),
            StrOp::Gt => order(b, c).is_gt(),
            StrOp::Ge => order(b, c).is_ge(),
            StrOp::StartsWith => b.starts_with(c),
            StrOp::EndsWith => b.ends_with(c),
            StrOp::Contains => memchr::memmem::find(b, c).is_some(),
            StrOp::RevStartsWith => c.starts_with(b),
            StrOp::RevEndsWith => c.ends_with(b),
            StrOp::RevContains => memchr::memmem::find(c, b).is_some(),
        }
    }
}

/// `fold(s) OP c`, `fold` being toLower (or toUpper when `upper`): ASCII
/// text of up to 128 bytes folded on the stack, other text as the
/// functions fold it (`str::to_lowercase`, `to_uppercase`).
#[inline(always)]
fn folded_holds(op: StrOp, s: &Text, c: &[u8], finder: &memchr::memmem::Finder<'_>, upper: bool) -> bool {
    let b = s.as_bytes();
    let mut buf = [0u8; 128];
    let owned;
    let f: &[u8] = if b.len() <= buf.len() && b.is_ascii() {
        let t = &mut buf[..b.len()];
        t.copy_from_slice(b);
        if upper {
            t.make_ascii_uppercase()
        } else {
            t.make_ascii_lowercase()
        }
        t
    } else {
        owned = if upper { s.to_uppercase() } else { s.to_lowercase() };
        owned.as_bytes()
    };
    match op {
        StrOp::Contains => finder.find(f).is_some(),
        _ => op.holds_bytes(f, c),
    }
}

/// `v OP constant` (or `constant OP v`) by the evaluator's rules, for a
/// value a fast path does not cover.
#[cold]
fn other_cmp(op: BinaryOp, v: &Value, constant: &Value, const_left: bool) -> Option<bool> {
    let out = match const_left {
        false => compare(op, v, constant),
        true => compare(op, constant, v),
    };
    match out {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

/// The first (up to) eight bytes of `b` as a number that orders as the
/// bytes do, shorter texts padded with zeros.
#[inline(always)]
fn head(b: &[u8]) -> u64 {
    match b.first_chunk::<8>() {
        Some(w) => u64::from_be_bytes(*w),
        None => b
            .iter()
            .enumerate()
            .fold(0, |w, (i, x)| w | (u64::from(*x) << (56 - 8 * i))),
    }
}

/// `a == b`, most unequal pairs told apart by their lengths or their last
/// eight bytes (texts of one shape tend to differ at the end) without a
/// call to `memcmp`.
#[inline(always)]
pub(super) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() >= 8 {
        let tail = |x: &[u8]| u64::from_le_bytes(x[x.len() - 8..].try_into().expect("eight bytes"));
        if tail(a) != tail(b) {
            return false;
        }
    }
    a == b
}

/// The byte order of `a` and `b` (string order), decided by their first
/// eight bytes when they differ there.
#[inline(always)]
pub(super) fn order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    match head(a).cmp(&head(b)) {
        std::cmp::Ordering::Equal => a.cmp(b),
        o => o,
    }
}
