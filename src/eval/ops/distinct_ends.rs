//! Distinct ends (`Op::DistinctEnds`): only `count(DISTINCT x)` of
//! the node the last hop reaches follows, so that hop is taken as a loop
//! that marks each node it reaches in a set; no row is made per match.

use std::rc::Rc;
use std::sync::Arc;

use crate::error::QueryError;
use crate::eval::expr::Env;
use crate::eval::labels::PatternLabels;
use crate::eval::matcher::Matcher;
use crate::eval::matcher::{flip_dir, labels_implied};
use crate::plan::ops::MatchOp;
use crate::plan::ops::{PExpr, PatternPlan};
use crate::store::{Adj, Direction, NodeId, NodeSet, RelId, Sym};
use crate::value::{Text, Value};

/// The set of nodes the last hop of `m` reaches from every input row;
/// `None` when its conditions cannot be checked that way (the rows are
/// then matched one by one).
pub(in crate::eval) fn collect_distinct_ends(
    m: &MatchOp,
    rows: &[Vec<Value>],
    env: &Env<'_>,
) -> Result<Option<NodeSet>, QueryError> {
    let mut seen = NodeSet::default();
    for row in rows {
        let Some(mut matcher) = Matcher::collecting(env, &m.patterns, row, m.width, seen) else {
            return Ok(None);
        };
        let result = matcher.run(&mut |_| Ok(true));
        seen = matcher.into_reached();
        result?;
    }
    Ok(Some(seen))
}

/// The last hop of a pattern taken as a loop that marks each node it
/// reaches in a set (`Op::DistinctEnds`): the node's labels and the
/// conditions on it are checked without binding a row.
pub(in crate::eval) struct Reach<'g> {
    /// The hop's relationship types (none: any type).
    types: Vec<Sym>,
    /// Pattern and node step to check labels against, unless the type's
    /// statistics imply them.
    labels: Option<(Rc<PatternLabels>, &'g PatternPlan, usize)>,
    tests: Vec<NodeTest<'g>>,
    /// Tests comparing the end with the start only, checked once per pair
    /// as it is handed on ([`Reach::defer_tests_on`]) rather than per match.
    deferred: Vec<NodeTest<'g>>,
    pub(in crate::eval) seen: NodeSet,
    /// When kept: the nodes marked since it was last emptied, in the order
    /// they were first reached (`Op::DistinctPairs`).
    pub(in crate::eval) fresh: Option<Vec<NodeId>>,
    /// While `fresh` is kept: the matches of each of its nodes, by
    /// position (`Op::DistinctPairs` hands them on as the pairs' weights
    /// and empties both).
    pub(in crate::eval) counts: Vec<u64>,
    /// Each fresh node's position, looked up when it is reached again: a
    /// table as small as the nodes one start reaches, where a count per
    /// node of the graph would be read at random over megabytes.
    pub(in crate::eval) at: rustc_hash::FxHashMap<NodeId, u32>,
    /// Whether `counts` are kept (`Op::PairCounts`); else each fresh node
    /// counts 1, and a node reached again is not looked up.
    pub(in crate::eval) counting: bool,
    /// Whether the match stops once the hop has marked a node
    /// (`Op::DistinctStarts`: whether a start has a match at all).
    pub(in crate::eval) first_only: bool,
    /// A type the graph lacks: the hop reaches nothing.
    none: bool,
}

impl<'g> Reach<'g> {
    pub(in crate::eval) fn new(
        g: &'g crate::store::Graph,
        guard: &crate::eval::Guard,
        p: &'g PatternPlan,
        seen: NodeSet,
    ) -> Option<Reach<'g>> {
        let lab = guard.pattern_labels(g, p);
        let (ri, ni) = p.last_hop()?;
        let rel = &p.rels[ri];
        let end = &p.nodes[ni];
        let mut types: Vec<Sym> = rel.types.iter().filter_map(|t| g.sym(t)).collect();
        types.sort();
        types.dedup();
        let none = !rel.types.is_empty() && types.is_empty();
        let conditions = p.filters.get(p.rels.len()).map(Vec::as_slice).unwrap_or(&[]);
        let earlier = |s: usize| s != end.slot && p.nodes.iter().any(|n| n.slot == s);
        let tests = conditions
            .iter()
            .map(|c| NodeTest::new(g, c, end.slot, earlier))
            .collect::<Option<Vec<_>>>()?;
        // The direction of the hop as taken: towards node `ni`.
        let dir = if ni > ri {
            rel.direction
        } else {
            flip_dir(rel.direction)
        };
        let implied = matches!(types.as_slice(), [t] if labels_implied(g, &lab.syms, ni, *t, dir, false));
        let labels = (!end.labels.is_empty() && !implied).then_some((lab, p, ni));
        Some(Reach {
            types,
            labels,
            tests,
            deferred: Vec::new(),
            seen,
            fresh: None,
            counts: Vec::new(),
            at: Default::default(),
            counting: false,
            first_only: false,
            none,
        })
    }

    /// Marks every node one hop from `cur` in `dir` that passes, over
    /// relationships not in `used`.
    /// Takes the tests that compare the end with the node in `slot` (the
    /// start) and nothing else out of the hop: a node that fails one fails
    /// it for every match reaching it from that start, so marking it
    /// anyway and dropping it once (`deferred_hold`) gives the same pairs
    /// and counts. Not with [`Reach::first_only`], which must stop at a
    /// match that passes.
    pub(in crate::eval) fn defer_tests_on(&mut self, slot: usize) {
        let (later, now) = std::mem::take(&mut self.tests)
            .into_iter()
            .partition(|t| t.compared_with() == Some(slot));
        self.tests = now;
        self.deferred = later;
    }

    /// Reads what the deferred tests compare with from `row` (the start bound).
    pub(in crate::eval) fn deferred_row(&mut self, row: &[Value]) {
        for t in &mut self.deferred {
            t.read_row(row);
        }
    }

    /// Whether end `n` passes the deferred tests, as last read ([`Reach::deferred_row`]).
    pub(in crate::eval) fn deferred_hold(&self, n: NodeId) -> bool {
        self.deferred.iter().all(|t| t.holds(n))
    }

    /// Whether any test was deferred.
    pub(in crate::eval) fn defers(&self) -> bool {
        !self.deferred.is_empty()
    }

    /// Conditions against a node the pattern bound earlier read its
    /// property from `row` once per call. True when the match is to stop
    /// here: [`Reach::first_only`] and a node was marked.
    pub(in crate::eval) fn hop(
        &mut self,
        env: &Env<'_>,
        used: &[RelId],
        row: &[Value],
        cur: NodeId,
        dir: Direction,
    ) -> bool {
        if self.none {
            return false;
        }
        let g = env.graph;
        self.seen.reserve_nodes(g.node_bound());
        for t in &mut self.tests {
            t.read_row(row);
        }
        let (labels, tests, seen, fresh) = (&self.labels, &self.tests, &mut self.seen, &mut self.fresh);
        let (counts, at, counting) = (&mut self.counts, &mut self.at, self.counting);
        let mut marked = false;
        let mut visit = |adj: Adj| {
            let n = adj.other;
            if used.contains(&adj.rel)
                || labels
                    .as_ref()
                    .is_some_and(|(lab, p, ni)| !lab.has_labels(g, p, *ni, n))
                || !tests.iter().all(|t| t.holds(n))
            {
                return;
            }
            marked = true;
            if let Some(f) = fresh {
                if seen.insert(n) {
                    if counting {
                        at.insert(n, f.len() as u32);
                    }
                    f.push(n);
                    counts.push(1);
                } else if counting && let Some(&i) = at.get(&n) {
                    counts[i as usize] += 1;
                }
            } else {
                seen.insert(n);
            }
        };
        match self.types.as_slice() {
            [] => g.for_each_neighbour_sym(cur, dir, None, &mut visit),
            types => {
                for t in types {
                    g.for_each_neighbour_sym(cur, dir, Some(*t), &mut visit);
                }
            }
        }
        marked && self.first_only
    }
}

/// A condition on one node, checked by its handle.
enum NodeTest<'g> {
    Prop(PropTest, crate::store::PropKey<'g>),
    /// `n.id = 'k'` (or `<>`) where every node has an id: whether `n` is
    /// (or is not) the node the id index gives for `'k'`.
    Is {
        node: Option<NodeId>,
        equal: bool,
    },
    /// `n.key OP m.other` for a node `m` the pattern bound before the
    /// hop: `m`'s value is read from the row once per hop
    /// ([`NodeTest::read_row`]) and held as the test's constant (null
    /// when `m` lacks the key: the comparison is then never true).
    Against {
        test: PropTest,
        key: crate::store::PropKey<'g>,
        slot: usize,
        other: crate::store::PropKey<'g>,
    },
    /// `n = m` (or `<>`) for a node `m` the pattern bound before the hop,
    /// read from the row once per hop.
    Same {
        slot: usize,
        equal: bool,
        node: Option<NodeId>,
    },
}

impl<'g> NodeTest<'g> {
    /// The test for condition `c` on the node in `slot`; `earlier` tells
    /// the slots of nodes bound before it that a condition may compare with.
    fn new(
        g: &'g crate::store::Graph,
        c: &PExpr,
        slot: usize,
        earlier: impl Fn(usize) -> bool,
    ) -> Option<NodeTest<'g>> {
        use crate::syntax::ast::BinaryOp::{Eq, Ne};
        if let Some((op, other_slot)) = c.node_against_node(slot) {
            return earlier(other_slot).then_some(NodeTest::Same {
                slot: other_slot,
                equal: op == Eq,
                node: None,
            });
        }
        if let Some((op, key, other_slot, other)) = c.prop_against_prop(slot) {
            if !earlier(other_slot) {
                return None;
            }
            let test = PropTest {
                key: key.clone(),
                op,
                constant: Value::Null,
                needle: None,
            };
            return Some(NodeTest::Against {
                test,
                key: g.prop_key(key),
                slot: other_slot,
                other: g.prop_key(other),
            });
        }
        let t = PropTest::new(c, slot)?;
        if let (Eq | Ne, Value::String(k)) = (t.op, &t.constant)
            && &*t.key == "id"
            && g.every_node_has_key()
        {
            return Some(NodeTest::Is {
                node: g.node_by_key(k),
                equal: t.op == Eq,
            });
        }
        let key = g.prop_key(&t.key);
        Some(NodeTest::Prop(t, key))
    }

    /// The slot of the earlier node a test compares with.
    fn compared_with(&self) -> Option<usize> {
        match self {
            NodeTest::Against { slot, .. } | NodeTest::Same { slot, .. } => Some(*slot),
            NodeTest::Prop(..) | NodeTest::Is { .. } => None,
        }
    }

    /// Takes the value a test against an earlier node compares with from `row`.
    fn read_row(&mut self, row: &[Value]) {
        match self {
            NodeTest::Against { test, slot, other, .. } => {
                test.constant = match row.get(*slot) {
                    Some(Value::Node(m)) => other.get(*m).cloned().unwrap_or(Value::Null),
                    _ => Value::Null,
                };
            }
            NodeTest::Same { slot, node, .. } => {
                *node = match row.get(*slot) {
                    Some(Value::Node(m)) => Some(*m),
                    _ => None,
                };
            }
            NodeTest::Prop(..) | NodeTest::Is { .. } => {}
        }
    }

    #[inline]
    fn holds(&self, n: NodeId) -> bool {
        match self {
            NodeTest::Prop(t, key) | NodeTest::Against { test: t, key, .. } => t.holds(key.get(n)),
            NodeTest::Is { node, equal } => (*node == Some(n)) == *equal,
            // An earlier slot without a node (never, as planned): null, not true.
            NodeTest::Same { node, equal, .. } => node.is_some_and(|m| (m == n) == *equal),
        }
    }
}

/// `n.key OP 'constant'` for a string operator or (in)equality, checked
/// without the expression evaluator.
struct PropTest {
    key: Arc<str>,
    op: crate::syntax::ast::BinaryOp,
    constant: Value,
    /// For `CONTAINS` a string: the needle.
    needle: Option<Text>,
}

impl PropTest {
    fn new(c: &PExpr, slot: usize) -> Option<PropTest> {
        let (op, key, constant) = c.prop_against_constant(slot)?;
        let needle = match (op, constant) {
            (crate::syntax::ast::BinaryOp::Contains, Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        Some(PropTest {
            key: key.clone(),
            op,
            constant: constant.clone(),
            needle,
        })
    }

    /// True when the condition holds for a node whose property is `value`
    /// (false for false and for null).
    fn holds(&self, value: Option<&Value>) -> bool {
        match (value, &self.needle) {
            (Some(Value::String(s)), Some(needle)) => crate::value::text_contains(s, needle.as_bytes()),
            (Some(v), _) => matches!(
                crate::eval::expr::compare(self.op, v, &self.constant),
                Value::Bool(true)
            ),
            // A missing property is null: the condition is not true.
            (None, _) => false,
        }
    }
}
