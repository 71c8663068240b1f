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
    pub(in crate::eval) seen: NodeSet,
    /// When kept: the nodes marked since it was last emptied, in the order
    /// they were first reached (`Op::DistinctPairs`).
    pub(in crate::eval) fresh: Option<Vec<NodeId>>,
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
        let tests = conditions
            .iter()
            .map(|c| NodeTest::new(g, c, end.slot))
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
            seen,
            fresh: None,
            none,
        })
    }

    /// Marks every node one hop from `cur` in `dir` that passes, over
    /// relationships not in `used`.
    pub(in crate::eval) fn hop(&mut self, env: &Env<'_>, used: &[RelId], cur: NodeId, dir: Direction) {
        if self.none {
            return;
        }
        let g = env.graph;
        self.seen.reserve_nodes(g.node_bound());
        let (labels, tests, seen, fresh) = (&self.labels, &self.tests, &mut self.seen, &mut self.fresh);
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
            if seen.insert(n)
                && let Some(f) = fresh
            {
                f.push(n);
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
}

impl<'g> NodeTest<'g> {
    pub(in crate::eval) fn new(g: &'g crate::store::Graph, c: &PExpr, slot: usize) -> Option<NodeTest<'g>> {
        use crate::syntax::ast::BinaryOp::{Eq, Ne};
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

    #[inline]
    fn holds(&self, n: NodeId) -> bool {
        match self {
            NodeTest::Prop(t, key) => t.holds(key.get(n)),
            NodeTest::Is { node, equal } => (*node == Some(n)) == *equal,
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
