//! WHERE conditions comparing two nodes' properties (`a.id < b.id`,
//! `a.k = b.j`, any of `=`, `<>`, `<`, `<=`, `>`, `>=`), compiled once per
//! execution like the one-node conditions of `nodefilter.rs`: both values
//! are read in place by key position, nothing cloned, and two strings or
//! two integers are compared directly. Any other pair of values (null,
//! floats, mixed kinds, lists) goes to the evaluator's `compare`, so the
//! answer is always the evaluator's, null included.
//!
//! The matcher checks them on a bound row (see `Matcher::step`), and a
//! counted last hop checks them on each end it counts, the bound side's
//! value read once (see `Matcher::count_hop`).

use std::cell::{Cell, OnceCell};
use std::sync::Arc;

use super::expr::compare;
use super::nodefilter::{order, same_bytes};
use crate::plan::ops::{PExpr, PKind};
use crate::store::{Graph, KeyPositions, NodeId};
use crate::syntax::ast::BinaryOp;
use crate::value::Value;

/// `left.k OP right.j` over the nodes in two row slots.
pub struct PairFilter {
    /// The left and right operands' slots, as written.
    pub slots: [usize; 2],
    keys: [KeyPositions; 2],
    op: BinaryOp,
    /// Per side, the side's key's values as ordered words ([`ordered`]),
    /// by node handle, in blocks made as reads pay for them (see
    /// [`Words`]). The graph does not change while the section that
    /// compiled this runs.
    columns: [OnceCell<Words>; 2],
}

/// Nodes per block of [`Words`].
const BLOCK: usize = 256;
/// Reads of single values within one block that pay for making the
/// block's words: a block is read in node order, those reads at random.
const BLOCK_PAID: u8 = (BLOCK / 16) as u8;

/// One key's ordered words for the nodes of a graph, made a block of
/// [`BLOCK`] consecutive handles at a time once [`BLOCK_PAID`] values of
/// that block have been read one by one: a condition over a few
/// thousand nodes makes the words of those nodes' blocks, not of the
/// whole graph. Once half the blocks are made, the words of every node
/// are made into one column (a read is then one load, not two).
struct Words {
    blocks: Vec<OnceCell<Box<[u64]>>>,
    reads: Vec<Cell<u8>>,
    made: Cell<usize>,
    whole: OnceCell<Vec<u64>>,
}

impl Words {
    fn new(g: &Graph) -> Words {
        let n = g.node_bound().div_ceil(BLOCK);
        Words {
            blocks: (0..n).map(|_| OnceCell::new()).collect(),
            reads: vec![Cell::new(0); n],
            made: Cell::new(0),
            whole: OnceCell::new(),
        }
    }

    /// A hint that node `n`'s word will be read soon (nothing before its
    /// block is made).
    #[inline]
    fn prefetch(&self, n: NodeId) {
        match self.whole.get() {
            Some(whole) => crate::store::prefetch_at(whole, n.index()),
            None => {
                if let Some(words) = self.blocks.get(n.index() / BLOCK).and_then(OnceCell::get) {
                    crate::store::prefetch_at(words, n.index() % BLOCK);
                }
            }
        }
    }

    /// Node `n`'s word, once its block is made; `None` before (the
    /// caller reads the value).
    #[inline]
    fn word(&self, g: &Graph, key: &KeyPositions, n: NodeId) -> Option<u64> {
        if let Some(whole) = self.whole.get() {
            return whole.get(n.index()).copied();
        }
        let (b, i) = (n.index() / BLOCK, n.index() % BLOCK);
        let cell = self.blocks.get(b)?;
        if let Some(words) = cell.get() {
            return words.get(i).copied();
        }
        let reads = &self.reads[b];
        reads.set(reads.get().saturating_add(1));
        if reads.get() < BLOCK_PAID {
            return None;
        }
        let range = |b: usize| b * BLOCK..((b + 1) * BLOCK).min(g.node_bound());
        let words = cell.get_or_init(|| {
            let mut words = Vec::with_capacity(BLOCK);
            g.prop_key(key.key()).for_each_in(range(b), |v| words.push(ordered(v)));
            words.into_boxed_slice()
        });
        self.made.set(self.made.get() + 1);
        if self.made.get() * 2 >= self.blocks.len() {
            let whole = self.whole.get_or_init(|| {
                let mut whole = Vec::with_capacity(g.node_bound());
                let prop = g.prop_key(key.key());
                for (b, cell) in self.blocks.iter().enumerate() {
                    match cell.get() {
                        Some(words) => whole.extend_from_slice(words),
                        None => prop.for_each_in(range(b), |v| whole.push(ordered(v))),
                    }
                }
                whole
            });
            return whole.get(n.index()).copied();
        }
        words.get(i).copied()
    }
}

impl std::fmt::Debug for PairFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PairFilter")
            .field("slots", &self.slots)
            .field("keys", &self.keys)
            .field("op", &self.op)
            .finish_non_exhaustive()
    }
}

/// The word of a value no comparison of words decides (see [`ordered`]).
const UNDECIDED: u64 = 0xFF;
/// The low byte of an integer's word.
const INT: u64 = 0x10;
/// The low byte of a string longer than seven bytes.
const LONG: u64 = 8;

/// A value as a word whose order decides most comparisons without the
/// value: a string's first seven bytes (zero-padded) then its length (8
/// for any longer one), so that two such words order as their strings
/// unless both are long and start alike (equal words then); an integer
/// of less than 56 bits, offset to order as unsigned, then [`INT`]; any
/// other value (null, a float, a boolean, ...) [`UNDECIDED`].
#[inline]
pub fn ordered(v: Option<&Value>) -> u64 {
    match v {
        Some(Value::String(s)) => {
            let b = s.as_bytes();
            let mut w = [0u8; 8];
            let n = b.len().min(7);
            w[..n].copy_from_slice(&b[..n]);
            w[7] = if b.len() <= 7 { b.len() as u8 } else { LONG as u8 };
            u64::from_be_bytes(w)
        }
        Some(Value::Int(i)) if (-(1i64 << 55)..(1i64 << 55)).contains(i) => (((*i + (1i64 << 55)) as u64) << 8) | INT,
        _ => UNDECIDED,
    }
}

/// The parts of a comparison of two node variables' properties: the
/// operator and each side's (slot, key), as written.
type Parts<'e> = (BinaryOp, [(usize, &'e Arc<str>); 2]);

impl PairFilter {
    /// The parts of `e` when it compares properties of two different
    /// variables (what [`PairFilter::compile`] accepts; for planning).
    pub fn compiles(e: &PExpr) -> Option<Parts<'_>> {
        use BinaryOp::*;
        let PKind::Binary(op @ (Eq | Ne | Lt | Le | Gt | Ge), l, r) = &e.kind else {
            return None;
        };
        let (a, b) = (prop_of_slot(l)?, prop_of_slot(r)?);
        (a.0 != b.0).then_some((*op, [a, b]))
    }

    /// `e` compiled against the graph's key lists.
    pub fn compile(graph: &Graph, e: &PExpr) -> Option<PairFilter> {
        let (op, [(a, ka), (b, kb)]) = PairFilter::compiles(e)?;
        Some(PairFilter {
            slots: [a, b],
            keys: [graph.key_positions(ka), graph.key_positions(kb)],
            op,
            columns: Default::default(),
        })
    }

    /// Node `n`'s value of the key read on side `side` (0: left).
    #[inline]
    pub fn value<'g>(&self, g: &'g Graph, side: usize, n: NodeId) -> Option<&'g Value> {
        g.node_prop(n, &self.keys[side])
    }

    /// The condition's value for these two values (left, right; `None`
    /// where the node has no such key): `None` is null.
    #[inline(always)]
    pub fn holds_values(&self, l: Option<&Value>, r: Option<&Value>) -> Option<bool> {
        use BinaryOp::*;
        match (l, r) {
            (Some(Value::String(a)), Some(Value::String(b))) => {
                let (a, b) = (a.as_bytes(), b.as_bytes());
                Some(match self.op {
                    Eq => same_bytes(a, b),
                    Ne => !same_bytes(a, b),
                    Lt => order(a, b).is_lt(),
                    Le => order(a, b).is_le(),
                    Gt => order(a, b).is_gt(),
                    _ => order(a, b).is_ge(),
                })
            }
            (Some(Value::Int(a)), Some(Value::Int(b))) => Some(match self.op {
                Eq => a == b,
                Ne => a != b,
                Lt => a < b,
                Le => a <= b,
                Gt => a > b,
                _ => a >= b,
            }),
            (None, _) | (_, None) | (Some(Value::Null), _) | (_, Some(Value::Null)) => None,
            (Some(a), Some(b)) => other(self.op, a, b),
        }
    }

    /// The value for the nodes in `row`'s two slots: `None` when either
    /// does not hold a live node (the evaluator must decide then).
    #[inline]
    pub fn check(&self, g: &Graph, row: &[Value]) -> Option<Option<bool>> {
        match (row.get(self.slots[0]), row.get(self.slots[1])) {
            (Some(Value::Node(a)), Some(Value::Node(b))) if !g.is_deleted_node(*a) && !g.is_deleted_node(*b) => {
                Some(self.holds_nodes(g, *a, *b))
            }
            _ => None,
        }
    }

    /// The value with live node `a` on the left and `b` on the right.
    #[inline]
    pub fn holds_nodes(&self, g: &Graph, a: NodeId, b: NodeId) -> Option<bool> {
        if let Some(x) = self.word(g, 0, a)
            && let Some(y) = self.word(g, 1, b)
            && let Some(t) = self.decide(x, y)
        {
            return Some(t);
        }
        self.holds_values(self.value(g, 0, a), self.value(g, 1, b))
    }

    /// The condition's value for node `n` on side `end` against the
    /// other side's value `other`, read once by the caller, with
    /// `other_word` its [`ordered`] word.
    #[inline]
    pub fn holds_against(
        &self,
        g: &Graph,
        end: usize,
        n: NodeId,
        other: Option<&Value>,
        other_word: u64,
    ) -> Option<bool> {
        if let Some(w) = self.word(g, end, n)
            && let Some(t) = match end {
                0 => self.decide(w, other_word),
                _ => self.decide(other_word, w),
            }
        {
            return Some(t);
        }
        let v = self.value(g, end, n);
        match end {
            0 => self.holds_values(v, other),
            _ => self.holds_values(other, v),
        }
    }

    /// A hint that node `n`'s word on each side will be read soon, where
    /// its words are made (see [`Words`]).
    #[inline]
    pub fn prefetch(&self, n: NodeId) {
        for w in self.columns.iter().filter_map(OnceCell::get) {
            w.prefetch(n);
        }
    }

    /// Node `n`'s word of the key read on side `side`, once its block
    /// of words is made (see [`Words`]); `None` before.
    #[inline]
    fn word(&self, g: &Graph, side: usize, n: NodeId) -> Option<u64> {
        // Both sides reading one key (`a.id < b.id`) share their words: a
        // node's word is then made once for either side.
        let side = if side == 1 && self.keys[0].key() == self.keys[1].key() {
            0
        } else {
            side
        };
        self.columns[side]
            .get_or_init(|| Words::new(g))
            .word(g, &self.keys[side], n)
    }

    /// The comparison decided from the two sides' words, when they decide
    /// it (two strings not both long and alike, or two integers).
    #[inline(always)]
    fn decide(&self, a: u64, b: u64) -> Option<bool> {
        use BinaryOp::*;
        let (ta, tb) = (a & 0xFF, b & 0xFF);
        let comparable = (ta <= LONG && tb <= LONG) || (ta == INT && tb == INT);
        if !comparable || (a == b && ta == LONG) {
            return None;
        }
        let o = a.cmp(&b);
        Some(match self.op {
            Eq => o.is_eq(),
            Ne => o.is_ne(),
            Lt => o.is_lt(),
            Le => o.is_le(),
            Gt => o.is_gt(),
            _ => o.is_ge(),
        })
    }
}

/// `(slot, key)` when `e` is `x.key` of a variable.
fn prop_of_slot(e: &PExpr) -> Option<(usize, &Arc<str>)> {
    let PKind::Prop(base, key) = &e.kind else { return None };
    let PKind::Slot(s) = base.kind else { return None };
    Some((s, key))
}

/// `a OP b` by the evaluator's rules, for values the fast paths do not cover.
#[cold]
fn other(op: BinaryOp, a: &Value, b: &Value) -> Option<bool> {
    match compare(op, a, b) {
        Value::Bool(x) => Some(x),
        _ => None,
    }
}
