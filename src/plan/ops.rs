//! The resolved form the evaluator runs: expressions with variables turned
//! into row slots and functions into enum values, and clauses into operators.

use std::sync::Arc;

use regex::Regex;

use super::functions::{AggFunc, Func};
use crate::diag::Span;
use crate::store::{Direction, NodeId};
use crate::syntax::ast::{BinaryOp, Quantifier};
use crate::value::Value;

#[derive(Debug, Clone)]
pub struct PExpr {
    pub kind: PKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum PKind {
    Const(Value),
    Slot(usize),
    Prop(Box<PExpr>, Arc<str>),
    Index(Box<PExpr>, Box<PExpr>),
    Slice(Box<PExpr>, Option<Box<PExpr>>, Option<Box<PExpr>>),
    HasLabels(Box<PExpr>, Vec<String>),
    Not(Box<PExpr>),
    Neg(Box<PExpr>),
    Binary(BinaryOp, Box<PExpr>, Box<PExpr>),
    /// `=~` with a constant pattern, compiled once.
    RegexConst(Box<PExpr>, Arc<Regex>),
    IsNull(Box<PExpr>, bool),
    List(Vec<PExpr>),
    Map(Vec<(Arc<str>, PExpr)>),
    Call(Func, Vec<PExpr>),
    /// The value of aggregate number `i` for the current group.
    Agg(usize),
    Case {
        operand: Option<Box<PExpr>>,
        whens: Vec<(PExpr, PExpr)>,
        else_: Option<Box<PExpr>>,
    },
    ListComp {
        slot: usize,
        list: Box<PExpr>,
        filter: Option<Box<PExpr>>,
        map: Option<Box<PExpr>>,
    },
    Quantified {
        quantifier: Quantifier,
        slot: usize,
        list: Box<PExpr>,
        filter: Box<PExpr>,
    },
    /// True when the pattern has at least one match for the current row.
    PatternExists(Box<PatternPlan>),
    PatternComp {
        pattern: Box<PatternPlan>,
        filter: Option<Box<PExpr>>,
        map: Box<PExpr>,
    },
    /// `EXISTS { ... }`: true when the subquery yields a row for the
    /// current row.
    Exists(Box<SubqueryPlan>),
}

/// A read-only subquery, run for each row it is evaluated on (see
/// `plan/subquery.rs`). Its rows are its own: they begin with the outer
/// row's values it imports, and its variables take the slots after them.
#[derive(Debug, Clone)]
pub struct SubqueryPlan {
    /// The outer row's slots the subquery reads, in order: slot `i` of
    /// the subquery's starting row is outer slot `imports[i]`.
    pub imports: Vec<usize>,
    /// Its single queries (more than one when joined by UNION): the
    /// subquery has a row when any of them has.
    pub parts: Vec<PartPlan>,
    /// Set by the optimiser (`plan/optimise/decorrelate.rs`) when the
    /// subquery reads one node of the row and can be matched once without
    /// it: the nodes it has a match for, as a set (a semi-join).
    pub once: Option<Box<SemiJoin>>,
}

/// An `EXISTS { MATCH ... }` matched once with the row's node left free
/// (see `SubqueryPlan::once`, `eval/ops/semi_join.rs`): its matches give
/// every node the subquery holds for, and each row asks whether its node
/// is one of them.
#[derive(Debug, Clone)]
pub struct SemiJoin {
    /// The subquery's MATCH planned with the row's node unbound (at slot
    /// 0 of its own row, where the correlated plan imports it), then what
    /// is left of its WHERE as a filter.
    pub ops: Vec<Op>,
    /// Keys its state in the execution context; unique in the statement.
    pub id: usize,
    /// The estimated cost of matching it once, and of answering one row
    /// by matching from the row's node (both in the cost model's units).
    pub once_cost: f64,
    pub row_cost: f64,
    /// The estimated number of nodes in the set.
    pub estimate: f64,
}

impl SemiJoin {
    /// Rows answered one by one before the set is made: once the work
    /// spent on rows would pay for matching once, the set is made (so a
    /// statement with few rows never makes it, and one with many spends at
    /// most about twice the work of the better choice).
    pub fn rows_before(&self) -> u64 {
        (self.once_cost / self.row_cost.max(1e-9)).ceil().min(u64::MAX as f64) as u64
    }
}

/// An OPTIONAL MATCH that reads one node of the row, whose matches only
/// feed counts grouped by the rows before it (`WITH s, count(x)`), as a
/// group join (planned by `plan/optimise/group_join.rs`, run by
/// `eval/ops/group_join.rs`): each row gets its node's number of matches
/// in a slot, and the projection sums that slot instead of counting rows.
/// The numbers come from matching the clause once with the node free
/// (`once`, whose ops bind the node at `node`, counted per node) or, for
/// the first rows, from matching from each row's node (`m`, the clause
/// as planned for one row, not optional).
#[derive(Debug, Clone)]
pub struct GroupJoinOp {
    /// The clause as planned for one row (used while rows are counted one
    /// by one, and for a row whose node slot holds neither node nor null).
    pub m: MatchOp,
    /// The row's slot holding the node the clause reads.
    pub node: usize,
    /// The clause matched once with the node free; once rows counted one
    /// by one have taken its `once_cost` in work, the table is made. Its
    /// `estimate` is the nodes counted.
    pub once: SemiJoin,
    /// The clause's slot that receives the row's number of matches (what
    /// `count(x)` of a variable the clause binds becomes the sum of).
    pub matches: usize,
    /// The slot that receives the number of rows the OPTIONAL MATCH would
    /// have made (the matches, or 1 without any: what `count(*)` sums),
    /// when the projection counts rows.
    pub rows: Option<usize>,
}

impl PExpr {
    pub fn new(kind: PKind, span: Span) -> PExpr {
        PExpr { kind, span }
    }

    /// `x.key OP constant` for slot `x` and a comparison or string
    /// operator (`=`, `<>`, STARTS WITH, ENDS WITH, CONTAINS): its parts.
    pub fn prop_against_constant(&self, x: usize) -> Option<(BinaryOp, &Arc<str>, &Value)> {
        use BinaryOp::*;
        let PKind::Binary(op, l, r) = &self.kind else {
            return None;
        };
        match (&l.kind, &r.kind) {
            (PKind::Prop(base, key), PKind::Const(c))
                if matches!(op, Eq | Ne | StartsWith | EndsWith | Contains)
                    && matches!(base.kind, PKind::Slot(s) if s == x) =>
            {
                Some((*op, key, c))
            }
            _ => None,
        }
    }

    /// `x.key OP y.other` for slot `x`, another slot `y` and a comparison
    /// (`=`, `<>`, `<`, `<=`, `>`, `>=`), either side first: its parts
    /// as `x.key OP' y.other` (the operator turned when `x` is on the
    /// right). The comparison of two values never fails, so checking it
    /// once per pair of nodes changes nothing but when it is asked.
    pub fn prop_against_prop(&self, x: usize) -> Option<(BinaryOp, &Arc<str>, usize, &Arc<str>)> {
        use BinaryOp::*;
        let PKind::Binary(op, l, r) = &self.kind else {
            return None;
        };
        fn prop(e: &PExpr) -> Option<(usize, &Arc<str>)> {
            match &e.kind {
                PKind::Prop(base, key) => match base.kind {
                    PKind::Slot(s) => Some((s, key)),
                    _ => None,
                },
                _ => None,
            }
        }
        let ((a, ka), (b, kb)) = (prop(l)?, prop(r)?);
        let turned = match op {
            Eq | Ne => *op,
            Lt => Gt,
            Le => Ge,
            Gt => Lt,
            Ge => Le,
            _ => return None,
        };
        match (a == x, b == x) {
            (true, false) => Some((*op, ka, b, kb)),
            (false, true) => Some((turned, kb, a, ka)),
            _ => None,
        }
    }

    /// `x = y` or `x <> y` for slot `x` and another slot `y`, either side
    /// first: the operator and `y`.
    pub fn node_against_node(&self, x: usize) -> Option<(BinaryOp, usize)> {
        let PKind::Binary(op @ (BinaryOp::Eq | BinaryOp::Ne), l, r) = &self.kind else {
            return None;
        };
        match (&l.kind, &r.kind) {
            (PKind::Slot(a), PKind::Slot(b)) if *a == x && *b != x => Some((*op, *b)),
            (PKind::Slot(a), PKind::Slot(b)) if *b == x && *a != x => Some((*op, *a)),
            _ => None,
        }
    }

    /// Whether this reads row slots and constants only and gives the same
    /// value each time it is evaluated on the same row (no `rand()`, no
    /// clock).
    pub fn repeatable(&self) -> bool {
        let go = PExpr::repeatable;
        match &self.kind {
            PKind::Const(_) | PKind::Slot(_) => true,
            PKind::Prop(b, _) | PKind::Not(b) | PKind::Neg(b) | PKind::IsNull(b, _) | PKind::HasLabels(b, _) => go(b),
            PKind::Binary(_, a, b) | PKind::Index(a, b) => go(a) && go(b),
            PKind::Slice(a, b, c) => go(a) && b.as_deref().is_none_or(go) && c.as_deref().is_none_or(go),
            PKind::List(items) => items.iter().all(go),
            PKind::Map(entries) => entries.iter().all(|(_, v)| go(v)),
            PKind::Call(f, args) => !matches!(f, Func::Rand | Func::Temporal(_)) && args.iter().all(go),
            PKind::Case { operand, whens, else_ } => {
                operand.as_deref().is_none_or(go)
                    && whens.iter().all(|(w, t)| go(w) && go(t))
                    && else_.as_deref().is_none_or(go)
            }
            _ => false,
        }
    }

    /// Whether this is fixed while a step of matching runs: it is
    /// [`PExpr::repeatable`] and reads only slots for which `bound` holds
    /// (those bound before the step). A constant is the case that reads
    /// none; an outer row's value (an earlier clause's or pattern part's
    /// variable, a property of one) is evaluated once per outer row.
    pub fn fixed_given(&self, bound: &dyn Fn(usize) -> bool) -> bool {
        let mut read = Vec::new();
        self.slots_read(&mut read) && read.iter().all(|s| bound(*s)) && self.repeatable()
    }

    /// Adds the row slots this expression reads (outside aggregates) to
    /// `out`; false when it holds a construct that binds slots of its own
    /// (comprehensions, pattern predicates), which this does not look into.
    pub fn slots_read(&self, out: &mut Vec<usize>) -> bool {
        match &self.kind {
            PKind::Const(_) | PKind::Agg(_) => true,
            PKind::Slot(s) => {
                out.push(*s);
                true
            }
            PKind::Prop(b, _) | PKind::HasLabels(b, _) | PKind::Not(b) | PKind::Neg(b) | PKind::IsNull(b, _) => {
                b.slots_read(out)
            }
            PKind::RegexConst(b, _) => b.slots_read(out),
            PKind::Index(a, b) | PKind::Binary(_, a, b) => a.slots_read(out) && b.slots_read(out),
            PKind::Slice(a, b, c) => {
                a.slots_read(out)
                    && b.as_deref().is_none_or(|x| x.slots_read(out))
                    && c.as_deref().is_none_or(|x| x.slots_read(out))
            }
            PKind::List(items) | PKind::Call(_, items) => items.iter().all(|x| x.slots_read(out)),
            PKind::Map(entries) => entries.iter().all(|(_, v)| v.slots_read(out)),
            PKind::Case { operand, whens, else_ } => {
                operand.as_deref().is_none_or(|x| x.slots_read(out))
                    && whens.iter().all(|(w, t)| w.slots_read(out) && t.slots_read(out))
                    && else_.as_deref().is_none_or(|x| x.slots_read(out))
            }
            // A subquery reads only the slots it imports; its own are in its own row.
            PKind::Exists(sub) => {
                out.extend(&sub.imports);
                true
            }
            PKind::ListComp { .. } | PKind::Quantified { .. } | PKind::PatternExists(_) | PKind::PatternComp { .. } => {
                false
            }
        }
    }
}

/// One node position in a pattern.
#[derive(Debug, Clone)]
pub struct NodeStep {
    pub slot: usize,
    pub labels: Vec<String>,
    /// A map expression every property must equal.
    pub props: Option<PExpr>,
}

/// One relationship position in a pattern, oriented left to right.
#[derive(Debug, Clone)]
pub struct RelStep {
    pub slot: usize,
    pub types: Vec<String>,
    /// Relative to the pattern as written: `Outgoing` is `-->`.
    pub direction: Direction,
    /// `Some((min, max))` for variable length; the slot then holds a list.
    pub var_len: Option<(u64, Option<u64>)>,
    pub props: Option<PExpr>,
}

/// A linear pattern `(n0)-[r0]-(n1)-...-(nk)`, matched starting at `start`.
#[derive(Debug, Clone)]
pub struct PatternPlan {
    pub nodes: Vec<NodeStep>,
    pub rels: Vec<RelStep>,
    pub path_slot: Option<usize>,
    /// Index into `nodes` where matching begins (the most selective node).
    pub start: usize,
    /// Numbers the statement's patterns (from 0): what the execution
    /// context keys the labels it resolves for this pattern by.
    pub id: usize,
    /// WHERE conditions checked as soon as their variables are bound:
    /// `filters[k]` after the start node and `k` hops (empty, or one entry
    /// per hop plus one).
    pub filters: Vec<Vec<PExpr>>,
    /// Set by the optimiser (`plan::optimise::order`) when this part shares
    /// no variable with the parts matched before it but a WHERE equality
    /// joins it to them: its matches are found once and kept in a hash
    /// table keyed by its side of the equality, and each row so far looks
    /// its key up there instead of matching the part again.
    pub join: Option<HashJoin>,
    /// Set by the optimiser (`plan::optimise::seek`) when the start node's
    /// candidates come from an index instead of its label's scan; the
    /// conditions the seek answers stay among the filters, so a seek only
    /// has to find every node they can keep.
    pub seek: Option<IndexSeek>,
    /// Set by the optimiser (`plan::optimise::top_k_scan`) when the part
    /// is one node scanned by label whose rows go straight to an ORDER BY
    /// on that node's properties under a LIMIT: the scan keeps only the
    /// nodes that can reach the limit (`eval/ops/top_k_scan.rs`).
    pub top: Option<StartTopK>,
    /// Set by the optimiser (`plan::optimise::seek`, `ordered_scan`) when
    /// the part scans its start label for a condition or an order that an
    /// index not built yet would answer: the evaluator notes the work it
    /// would have saved, and the store builds the index once that pays
    /// (`Graph::note_index_use`).
    pub want: Option<IndexWant>,
}

/// An index a part would seek if it were built (see `PatternPlan::want`).
#[derive(Debug, Clone, PartialEq)]
pub struct IndexWant {
    pub label: String,
    pub key: Arc<str>,
    /// The nodes read per run it would save (the scan's, less the seek's).
    pub saved: f64,
}

/// The first rows a scan's nodes make under ORDER BY … SKIP … LIMIT (see
/// `PatternPlan::top`).
#[derive(Debug, Clone)]
pub struct StartTopK {
    /// The sort keys, in order, and whether each sorts descending.
    pub keys: Vec<(TopKey, bool)>,
    /// The projected items other than the node, its properties, constants
    /// and the computed keys (over the input row): they could raise an
    /// error, so they are evaluated on every node that passes, as the
    /// projection of every row would.
    pub checks: Vec<PExpr>,
    /// The projection's SKIP and LIMIT (constants or parameters).
    pub skip: Option<PExpr>,
    pub limit: PExpr,
}

/// One sort key of a top-k scan (see [`StartTopK`]).
#[derive(Debug, Clone)]
pub enum TopKey {
    /// A property of the start node, compared where the store keeps it.
    Prop(Arc<str>),
    /// A value computed from the start node's properties and constants
    /// only (`size(n.name)`, `left(n.id, 3)`, `n.level * 2`), over the
    /// input row: computed once per scanned node.
    Computed(PExpr),
}

/// Where a part's start node is looked up (see `PatternPlan::seek`).
#[derive(Debug, Clone)]
pub struct IndexSeek {
    /// The label and key of the index (`id`: the store's id map, which
    /// covers every node, so the label is still checked).
    pub label: String,
    pub key: Arc<str>,
    /// Which index answers it.
    pub index: SeekIndex,
    pub lookup: SeekLookup,
    /// The optimiser's estimate of the nodes found.
    pub estimate: f64,
}

/// The index an [`IndexSeek`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeekIndex {
    /// The store's id map (every node; the label is still checked).
    IdMap,
    /// An index made by CREATE INDEX, by name.
    Named(String),
    /// An implicit index the store built when plans had asked for it
    /// often enough (see `Graph::note_index_use`).
    Implicit,
}

/// What an [`IndexSeek`] looks up; each value is evaluated at run time
/// (it reads only constants, parameters and earlier clauses' variables).
#[derive(Debug, Clone)]
pub enum SeekLookup {
    /// `n.k = v`.
    Equal(PExpr),
    /// `n.k IN list`.
    In(PExpr),
    /// `lo < n.k <= hi` and the like: each end with whether it is inclusive.
    Range {
        lo: Option<(PExpr, bool)>,
        hi: Option<(PExpr, bool)>,
    },
    /// `n.k STARTS WITH s`.
    Prefix(PExpr),
    /// Every node of the label in the order `ORDER BY n.k` puts them (the
    /// nodes without a value last, or first when descending); see
    /// `plan/optimise/ordered_scan.rs`. With `skip` (the projection's
    /// SKIP, moved here when each node is one row and the sort has no
    /// other key), the scan starts at that position of the order.
    Ordered { descending: bool, skip: Option<PExpr> },
}

impl SeekLookup {
    /// The kind of lookup, as EXPLAIN names it.
    pub fn kind(&self) -> &'static str {
        match self {
            SeekLookup::Equal(_) => "equality",
            SeekLookup::In(_) => "IN list",
            SeekLookup::Range { .. } => "range",
            SeekLookup::Prefix(_) => "prefix",
            SeekLookup::Ordered {
                descending: false,
                skip: None,
            } => "in ascending order",
            SeekLookup::Ordered {
                descending: true,
                skip: None,
            } => "in descending order",
            SeekLookup::Ordered {
                descending: false,
                skip: Some(_),
            } => "in ascending order from the SKIP position",
            SeekLookup::Ordered {
                descending: true,
                skip: Some(_),
            } => "in descending order from the SKIP position",
        }
    }
}

/// How a pattern part joins the rows before it by value (see `PatternPlan::join`).
#[derive(Debug, Clone)]
pub struct HashJoin {
    /// The key of a row so far (the probe side).
    pub probe: PExpr,
    /// The key of one of this part's matches (the build side).
    pub build: PExpr,
    /// WHERE conditions that read both sides: checked on each joined row.
    pub after: Vec<PExpr>,
}

impl PatternPlan {
    /// The first hop the matcher takes from the part's start (it goes
    /// rightwards first, then leftwards), and its direction from the start.
    pub fn first_hop(&self) -> Option<(&RelStep, Direction)> {
        let (rel, flip) = match (self.rels.get(self.start), self.start.checked_sub(1)) {
            (Some(r), _) => (r, false),
            (None, Some(left)) => (&self.rels[left], true),
            (None, None) => return None,
        };
        let dir = match (rel.direction, flip) {
            (Direction::Outgoing, false) | (Direction::Incoming, true) => Direction::Outgoing,
            (Direction::Incoming, false) | (Direction::Outgoing, true) => Direction::Incoming,
            (Direction::Both, _) => Direction::Both,
        };
        Some((rel, dir))
    }

    /// The last hop the matcher takes (it expands rightwards from `start`,
    /// then leftwards): the relationship step and the node it reaches.
    /// `None` without relationships.
    pub fn last_hop(&self) -> Option<(usize, usize)> {
        match (self.rels.len(), self.start) {
            (0, _) => None,
            (_, 0) => Some((self.rels.len() - 1, self.rels.len())),
            _ => Some((0, 0)),
        }
    }
}

#[derive(Debug, Clone)]
pub struct MatchOp {
    pub optional: bool,
    pub patterns: Vec<PatternPlan>,
    pub filter: Option<PExpr>,
    /// Slots this clause binds (nulled by OPTIONAL MATCH when nothing matches).
    pub new_slots: Vec<usize>,
    pub width: usize,
}

/// A one-hop (or one-node) MATCH, first clause, whose matches only feed a
/// projection that counts them grouped on one end (see `plan::rewrite`):
/// each node of that end with its number of matches, no row per match.
#[derive(Debug, Clone)]
pub struct CountPerNodeOp {
    pub m: MatchOp,
    pub counted: CountedExpand,
}

/// A one-hop pattern whose matches are counted per node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountedExpand {
    /// The pattern node (0 or 1) the grouping keys read; the other node
    /// and the relationship only contribute to the count.
    pub group_node: usize,
    /// `MATCH (a) OPTIONAL MATCH (a)-[r]-(b)` fused into one pattern: the
    /// group node is where it starts, and a node with no match is handed
    /// over too, with zero (its row, with `r` and `b` null, counts once
    /// in `count(*)` and not in `count(b)`).
    pub optional: bool,
}

/// A first MATCH whose pattern is a tree of fixed hops, feeding a
/// projection that only counts its matches (grouped by at most one of its
/// nodes): counted by multiplying per node instead of making a row per
/// match (see `plan/optimise/factor_count.rs`, run by
/// `eval/ops/factor_count.rs`).
#[derive(Debug, Clone)]
pub struct FactorCountOp {
    /// The clause as the optimiser planned it: what runs instead when a
    /// condition the count relies on does not hold in the graph.
    pub m: MatchOp,
    pub tree: CountTree,
}

/// A first MATCH of one part with one variable-length hop, directed,
/// whose matches only feed counts grouped by its ends or the walk's
/// length: counted per walk instead of making a row per path, while the
/// hop's types have no directed cycle (every walk is then a trail, so
/// relationship uniqueness drops nothing; see
/// `plan/optimise/walk_count.rs`, run by `eval/ops/walk_count.rs`).
#[derive(Debug, Clone)]
pub struct WalkCountOp {
    /// The clause as the optimiser planned it: what runs instead when the
    /// types have a cycle.
    pub m: MatchOp,
    /// Where the walks start (its pattern position, 0 or 1), and the
    /// other end; `root.at.1` and `far.at.1` say which is which.
    pub root: TreeNode,
    pub far: TreeNode,
    /// Each type once; empty for any type.
    pub types: Vec<String>,
    /// From the root to the far end.
    pub direction: Direction,
    pub min: u64,
    pub max: Option<u64>,
    /// Whether rows bind the root, and the far end (a grouping key or a
    /// DISTINCT aggregate reads it).
    pub bind_root: bool,
    pub bind_far: bool,
    /// The slot rows bind to the walk's length (the projection read it
    /// only through `length(p)`, `length(r)` or `size(r)`, which the
    /// optimiser replaced by the slot).
    pub length_slot: Option<usize>,
    /// Conditions that read no variable: checked once.
    pub constant: Vec<PExpr>,
    /// Counted per root by memoised sums over the walks' nodes (each node
    /// once for every root), rather than level by level from each root.
    pub memo: bool,
}

/// A MATCH clause's pattern parts as one tree over their nodes, rooted
/// where the counting starts.
#[derive(Debug, Clone)]
pub struct CountTree {
    /// Node 0 is the root; every other node has a parent edge.
    pub nodes: Vec<TreeNode>,
    /// Each from a node to one of its children.
    pub edges: Vec<TreeEdge>,
    /// The nodes from the root to the grouped node, both included (just
    /// the root when nothing is grouped): each row the operator makes
    /// binds the last of them and stands for the matches through it.
    pub path: Vec<usize>,
    /// Whether a row binds the last node of `path` (a grouping key or a
    /// DISTINCT aggregate reads it).
    pub grouped: bool,
    /// Conditions that read no variable: checked once.
    pub constant: Vec<PExpr>,
    /// Types whose relationships must not be self-loops for two hops of
    /// the pattern never to be one relationship (checked when it runs;
    /// `None` in the list stands for every type).
    pub loop_free: Vec<Option<String>>,
    /// Sets of types whose relationships must have no directed cycle for
    /// two hops of one type on a chain of the pattern never to be one
    /// relationship (checked when it runs; `None` in a set stands for
    /// every type).
    pub acyclic: Vec<Vec<Option<String>>>,
    /// Some node must differ from another by its `id` (`a.id <> b.id`),
    /// which is node identity only while every node has a unique string
    /// `id` (checked when it runs).
    pub by_id: bool,
}

/// One node of a [`CountTree`].
#[derive(Debug, Clone)]
pub struct TreeNode {
    pub slot: usize,
    /// Every label its positions in the pattern ask for.
    pub labels: Vec<String>,
    /// Property maps it must match (constants and parameters only).
    pub props: Vec<PExpr>,
    /// WHERE conditions on this node alone (none can raise an error).
    pub conditions: Vec<PExpr>,
    /// Tree nodes above it (bound when it is checked) it must differ from.
    pub not_equal: Vec<usize>,
    /// Where it is in the clause as written (part, position), for EXPLAIN.
    pub at: (usize, usize),
}

/// One hop of a [`CountTree`], from `parent` to `child`.
#[derive(Debug, Clone)]
pub struct TreeEdge {
    pub parent: usize,
    pub child: usize,
    /// Each type once; empty for any type.
    pub types: Vec<String>,
    /// From the parent to the child.
    pub direction: Direction,
}

impl CountTree {
    /// The edges to `n`'s children.
    pub fn children(&self, n: usize) -> impl Iterator<Item = (usize, &TreeEdge)> {
        self.edges.iter().enumerate().filter(move |(_, e)| e.parent == n)
    }

    /// Whether the matches below edge `e` are the parent's degree in its
    /// types as far as the plan can tell: its child has nothing of its own
    /// to check but (maybe) labels the store's statistics may imply.
    pub fn leaf_degree(&self, e: usize) -> bool {
        let c = &self.nodes[self.edges[e].child];
        self.children(self.edges[e].child).next().is_none()
            && c.props.is_empty()
            && c.conditions.is_empty()
            && c.not_equal.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct AggSpec {
    pub func: AggFunc,
    pub distinct: bool,
    /// `None` for `count(*)`.
    pub arg: Option<PExpr>,
    /// The percentile of `percentileDisc` / `percentileCont`.
    pub percentile: Option<PExpr>,
    /// `Some(s)`: the input hands each pair of the node in slot `s` and
    /// this DISTINCT aggregate's argument at most once (pairs made once,
    /// see `plan/optimise/distinct_pairs.rs`), so a grouping whose groups
    /// are each one node of slot `s` needs no set of the values seen
    /// (`eval/ops/aggregate.rs` checks that when it groups).
    pub distinct_given: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct SortKey {
    pub expr: PExpr,
    pub descending: bool,
}

/// WITH / RETURN.
#[derive(Debug, Clone)]
pub struct ProjectOp {
    pub items: Vec<PExpr>,
    pub columns: Vec<String>,
    /// Non-empty when the projection aggregates; items without aggregates
    /// are then the grouping keys.
    pub aggregates: Vec<AggSpec>,
    pub is_key: Vec<bool>,
    pub distinct: bool,
    /// Evaluated over the projected row followed by the input row (when
    /// `sort_sees_input`), else over the projected row alone.
    pub order_by: Vec<SortKey>,
    pub sort_sees_input: bool,
    /// Aggregating only: sort keys computed per group over the projected
    /// row; their values follow the items in the row.
    pub group_sort: Vec<PExpr>,
    /// Not aggregating: the input row follows the projected values until
    /// ORDER BY and WHERE have used it.
    pub keep_input: bool,
    pub skip: Option<PExpr>,
    pub limit: Option<PExpr>,
    /// `WITH ... WHERE`, applied after SKIP and LIMIT, over the projected
    /// row (and the input row when `keep_input`).
    pub filter: Option<PExpr>,
    /// The input arrives sorted by the first sort key (an ordered index
    /// scan, see `plan/optimise/ordered_scan.rs`): once the top-k heap is
    /// full, a row whose first key sorts after the worst kept ends it.
    pub input_sorted: bool,
    /// Aggregating: the grouping keys are evaluated as prepared key
    /// expressions, read in place and copied only for a new group (see
    /// `plan/optimise/prepared_keys.rs` and `eval/keyexpr.rs`).
    pub prepared_keys: bool,
    /// Aggregating: the aggregates' arguments are evaluated as prepared
    /// expressions too (the same pass and module).
    pub prepared_args: bool,
}

#[derive(Debug, Clone)]
pub struct UnwindOp {
    pub expr: PExpr,
    pub slot: usize,
}

/// A node to create (or reuse, when its variable is already bound).
#[derive(Debug, Clone)]
pub struct CreateNode {
    pub slot: usize,
    pub bound: bool,
    pub labels: Vec<String>,
    pub props: Option<PExpr>,
}

#[derive(Debug, Clone)]
pub struct CreateRel {
    pub slot: usize,
    pub rel_type: String,
    /// Indices into the pattern's nodes.
    pub from: usize,
    pub to: usize,
    pub props: Option<PExpr>,
}

#[derive(Debug, Clone)]
pub struct CreatePattern {
    pub nodes: Vec<CreateNode>,
    pub rels: Vec<CreateRel>,
    pub path_slot: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct CreateOp {
    pub patterns: Vec<CreatePattern>,
    pub width: usize,
}

#[derive(Debug, Clone)]
pub enum Op {
    Match(MatchOp),
    /// See [`CountPerNodeOp`].
    CountPerNode(CountPerNodeOp),
    /// A first MATCH followed only by `count(DISTINCT x)` of the node its
    /// last hop reaches: those nodes are collected into a set.
    DistinctEnds(MatchOp),
    /// A MATCH feeding a projection that only counts, nothing reading its
    /// last hop's relationship or end: at each node that hop leaves, its
    /// matches are counted, and one row stands for them all. When its last
    /// part is joined by value (a hash join) and nothing reads that part,
    /// the part is counted whole: a row probing the table stands for the
    /// matches under its key.
    CountExpand(MatchOp),
    /// A MATCH feeding a projection that only counts, whose last hop
    /// returns to a node bound before it (closing a cycle), nothing reading
    /// the node before that hop or the two last relationships: both hops
    /// are counted at once, the middle node's candidates looked up among
    /// the bound node's neighbours (see `plan/optimise/intersect_count.rs`).
    IntersectCount(MatchOp),
    /// A first MATCH whose rows feed only aggregates that see each value
    /// once and keys, reading only its start node and the node its last
    /// hop reaches: each such pair is made once, from each start node's
    /// set of ends (see `plan/optimise/distinct_pairs.rs`).
    DistinctPairs(MatchOp),
    /// As `DistinctPairs`, each pair weighted by its number of matches,
    /// for aggregates that take a row's weight (counts, sums, minima,
    /// maxima) grouped by both nodes (see `plan/optimise/distinct_pairs.rs`).
    PairCounts(MatchOp),
    /// A first MATCH whose rows feed only aggregates that see each value
    /// once, reading only its start node: each start node with a match
    /// makes one row, its matching stopped at the first one (see
    /// `plan/optimise/distinct_starts.rs`).
    DistinctStarts(MatchOp),
    /// See [`FactorCountOp`].
    FactorCount(FactorCountOp),
    /// See [`WalkCountOp`].
    WalkCount(WalkCountOp),
    /// An OPTIONAL MATCH whose rows with a match the next projection's
    /// `WHERE x IS NULL` drops (see `plan/optimise/anti_join.rs`): a row
    /// without a match is passed on with the new slots null, one with a
    /// match is dropped at its first.
    AntiJoin(MatchOp),
    /// See [`GroupJoinOp`].
    GroupJoin(GroupJoinOp),
    /// A first one-hop MATCH whose matches only feed counts grouped by
    /// the relationship's type (`type(e)`): each type's matches counted,
    /// from the type's count where the store's statistics imply both
    /// ends' labels, and one row per type stands for them (see
    /// `plan::rewrite::count_per_type`, `eval/ops/count_per_type.rs`).
    CountPerType(MatchOp),
    /// A first MATCH of one undirected hop between two node steps alike,
    /// feeding only an ungrouped count: each relationship counted once
    /// from its start, both ways round (see
    /// `plan/optimise/symmetric_count.rs`, `eval/ops/symmetric_count.rs`).
    SymmetricCount(MatchOp),
    /// What is left of a (non-optional) MATCH's WHERE once the optimiser
    /// has checked each condition it could inside the patterns: kept rows
    /// are those for which it is true (see `plan/optimise/filter_op.rs`).
    Filter(PExpr),
    Unwind(UnwindOp),
    Project(ProjectOp),
    /// An aggregating WITH whose input rows are each a group of their
    /// own: its grouping keys include variables no two of its input rows
    /// share (see `plan/optimise/row_groups.rs`). Each row is projected as
    /// it comes, its aggregates over that row alone, and sent on when the
    /// WITH's WHERE holds: a streaming operator, no table of groups.
    RowGroups(ProjectOp),
    Create(CreateOp),
    /// SET, REMOVE, DELETE or MERGE (see `plan/update.rs`).
    Update(super::update::UpdateOp),
    /// The streaming operators after it, up to the projection they feed,
    /// run over morsels of their input on several threads, each morsel
    /// into a projection state of its own, merged in morsel order (see
    /// `plan/optimise/parallel.rs` and `eval/ops/parallel.rs`).
    Parallel,
}

/// A single query: operators applied in order to one empty starting row.
#[derive(Debug, Clone)]
pub struct PartPlan {
    pub ops: Vec<Op>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct QueryPlan {
    pub parts: Vec<PartPlan>,
    /// `unions[i]` joins parts i and i+1; true for UNION ALL.
    pub unions: Vec<bool>,
    pub columns: Vec<String>,
    pub writes: bool,
}

/// The planned form of any statement.
#[derive(Debug, Clone)]
pub enum Plan {
    Query(QueryPlan),
    Describe(NodeId),
    Overlap {
        nodes: Vec<NodeId>,
        types: Vec<String>,
        summary: bool,
    },
    Diff {
        a: NodeId,
        b: NodeId,
        types: Vec<String>,
        summary: bool,
    },
    Path {
        from: NodeId,
        to: NodeId,
        via: Vec<String>,
        all: bool,
    },
    /// MATRIX: `types` are never empty (RESPONSIBLE_FOR unless `ON` said).
    Matrix {
        nodes: Vec<NodeId>,
        types: Vec<String>,
        /// Each node's column name.
        columns: Vec<String>,
    },
    /// CREATE INDEX, DROP INDEX, SHOW INDEXES.
    Index(IndexCommand),
    Explain(Box<Plan>),
    /// TRANSLATE: the openCypher statements that stand for a statement.
    Translate(Vec<String>),
    Profile(Box<Plan>),
}

/// An index statement, bound (see `plan/index.rs`).
#[derive(Debug, Clone)]
pub enum IndexCommand {
    Create {
        name: Option<String>,
        label: String,
        key: String,
        if_not_exists: bool,
        /// The name (or label) a refusal points at.
        span: Span,
    },
    Drop {
        name: String,
        if_exists: bool,
        span: Span,
    },
    Show,
}
