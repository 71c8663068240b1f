//! Factorised count (`Op::FactorCount`, planned by
//! `plan/optimise/factor_count.rs`): a tree pattern's matches counted by
//! multiplying per node. From each root candidate, the nodes down to the
//! grouped node are enumerated; every other branch contributes the number
//! of its matches from the node it hangs off, a product over its own
//! branches summed over the nodes its hop reaches, or the node's degree
//! when the branch is one hop to a node with nothing to check.

use crate::error::QueryError;
use crate::eval::expr::{Env, eval, truth};
use crate::eval::fixed_props::FixedProps;
use crate::eval::nodefilter::NodeFilter;
use crate::eval::ops::id_lookup;
use crate::eval::ops::label_scan::scan;
use crate::eval::pipeline::WeightedSink;
use crate::plan::ops::{CountTree, FactorCountOp, NodeStep, PExpr};
use crate::store::{Direction, LabelTest, NodeId, Sym};
use crate::value::Value;

/// Counts `op`'s matches into `sink`: one row per node the count is
/// grouped by (or per root), with the matches it stands for. `None` when a
/// condition the plan relied on does not hold in this graph (a self-loop
/// of a type two hops share, an `id` missing or not a string): the caller
/// then matches the clause row by row.
pub(in crate::eval) fn count(
    op: &FactorCountOp,
    env: &Env<'_>,
    sink: &mut WeightedSink<'_>,
) -> Result<Option<bool>, QueryError> {
    let g = env.graph;
    let t = &op.tree;
    let loops = |ty: &Option<String>| match ty {
        Some(name) => g.type_stats(name).is_some_and(|s| s.loops > 0),
        None => g
            .rel_type_counts()
            .into_iter()
            .any(|(name, _)| g.type_stats(name).is_some_and(|s| s.loops > 0)),
    };
    // A set of types that has come to hold a directed cycle.
    let cyclic = |set: &Vec<Option<String>>| !crate::plan::optimise::factor_count::acyclic_now(g, set);
    if t.loop_free.iter().any(loops) || t.acyclic.iter().any(cyclic) || (t.by_id && !g.every_node_has_key()) {
        return Ok(None);
    }
    let width = op.m.width;
    let mut row = vec![Value::Null; width];
    for c in &t.constant {
        if truth(eval(c, env, &row)?, c.span)? != Some(true) {
            return Ok(Some(true));
        }
    }
    let Some(mut counter) = Counter::new(env, t, width) else {
        // A label or every type of a hop the graph does not have: no match.
        return Ok(Some(true));
    };
    let root = &t.nodes[0];
    let step = NodeStep {
        slot: root.slot,
        labels: root.labels.clone(),
        props: root.props.first().cloned(),
    };
    // Looked up by id, or scanned from its smallest label (the others
    // checked on each node).
    let (candidates, check_labels) = match id_lookup::lookup(env, &step, &row)? {
        Some(found) => (std::borrow::Cow::Owned(found), true),
        None => (scan(g, &root.labels), root.labels.len() > 1),
    };
    // Ungrouped, the rows all look alike: their matches are added up here
    // and handed over as one.
    let mut total = 0u64;
    let mut add = |_: &[Value], n: u64| -> Result<bool, QueryError> {
        total = total.saturating_add(n);
        Ok(true)
    };
    let out: &mut WeightedSink<'_> = if t.grouped { sink } else { &mut add };
    for &v in candidates.iter() {
        env.guard.tick()?;
        if !counter.node_ok(0, v, check_labels)? {
            continue;
        }
        if !counter.walk(0, v, 1, &mut row, out)? {
            return Ok(Some(false));
        }
    }
    if !t.grouped && total > 0 {
        return sink(&row, total).map(Some);
    }
    Ok(Some(true))
}

/// One execution's state: the tree's labels and types resolved, its
/// conditions compiled, and the nodes bound so far.
struct Counter<'a, 'g> {
    env: &'a Env<'g>,
    t: &'a CountTree,
    /// Per tree node, which label sets hold its labels (`None`: no labels).
    labels: Vec<Option<LabelTest>>,
    /// Per edge, its types as symbols (empty: any type).
    types: Vec<Vec<Sym>>,
    /// Per edge, whether its child's labels are implied by its types.
    implied: Vec<bool>,
    /// Per tree node, its property maps (evaluated once).
    props: Vec<FixedProps<'a>>,
    /// Per tree node, its conditions, each compiled where it can be.
    conditions: Vec<Vec<(Option<NodeFilter>, &'a PExpr)>>,
    /// Per tree node, the node bound there (valid above the current one).
    bound: Vec<NodeId>,
    /// A row for evaluating a condition or a property map.
    scratch: Vec<Value>,
    /// Lists of reached nodes, reused from depth to depth.
    spare: Vec<Vec<NodeId>>,
}

impl<'a, 'g> Counter<'a, 'g> {
    fn new(env: &'a Env<'g>, t: &'a CountTree, width: usize) -> Option<Counter<'a, 'g>> {
        let g = env.graph;
        let mut labels = Vec::new();
        let mut syms = Vec::new();
        for n in &t.nodes {
            let s: Vec<Sym> = n.labels.iter().map(|l| g.sym(l)).collect::<Option<_>>()?;
            labels.push((!s.is_empty()).then(|| g.label_test(&s)));
            syms.push(s);
        }
        let mut types = Vec::new();
        let mut implied = Vec::new();
        for e in &t.edges {
            let ts: Vec<Sym> = e.types.iter().filter_map(|ty| g.sym(ty)).collect();
            if ts.is_empty() && !e.types.is_empty() {
                return None;
            }
            let ends: &[bool] = match e.direction {
                Direction::Outgoing => &[false],
                Direction::Incoming => &[true],
                Direction::Both => &[true, false],
            };
            let child = &syms[e.child];
            implied.push(
                child.is_empty()
                    || (!ts.is_empty()
                        && ts.iter().all(|&ty| {
                            child
                                .iter()
                                .all(|&l| ends.iter().all(|&at_start| g.type_ends_have_label(ty, at_start, l)))
                        })),
            );
            types.push(ts);
        }
        let conditions = t
            .nodes
            .iter()
            .map(|n| n.conditions.iter().map(|c| (NodeFilter::compile(g, c), c)).collect())
            .collect();
        Some(Counter {
            env,
            t,
            labels,
            types,
            implied,
            props: t.nodes.iter().map(|n| FixedProps::new(&n.props)).collect(),
            conditions,
            bound: Vec::new(),
            scratch: vec![Value::Null; width],
            spare: Vec::new(),
        })
    }

    /// Whether `v` passes tree node `n`'s own checks (its labels only when
    /// `labels`), and differs from the nodes above it it must differ from.
    fn node_ok(&mut self, n: usize, v: NodeId, labels: bool) -> Result<bool, QueryError> {
        let (g, node) = (self.env.graph, &self.t.nodes[n]);
        if labels && self.labels[n].as_ref().is_some_and(|l| !l.holds(g, v)) {
            return Ok(false);
        }
        if node.not_equal.iter().any(|&u| self.bound.get(u) == Some(&v)) {
            return Ok(false);
        }
        if !self.props[n].hold(self.env, &self.scratch, v)? {
            return Ok(false);
        }
        for (compiled, c) in &self.conditions[n] {
            let kept = match compiled.as_ref().map(|f| f.holds(g, v)) {
                Some(kept) => kept,
                None => {
                    self.scratch[node.slot] = Value::Node(v);
                    let kept = truth(eval(c, self.env, &self.scratch)?, c.span)?;
                    self.scratch[node.slot] = Value::Null;
                    kept
                }
            };
            if kept != Some(true) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn bind(&mut self, n: usize, v: NodeId) {
        if self.bound.len() <= n {
            self.bound.resize(n + 1, v);
        }
        self.bound[n] = v;
    }

    /// The nodes edge `e` reaches from `v`, one per relationship.
    fn reached(&mut self, e: usize, v: NodeId) -> Vec<NodeId> {
        let mut out = self.spare.pop().unwrap_or_default();
        let (g, dir) = (self.env.graph, self.t.edges[e].direction);
        match self.types[e].as_slice() {
            [] => g.for_each_neighbour_sym(v, dir, None, |a| out.push(a.other)),
            ts => {
                for &ty in ts {
                    g.for_each_neighbour_sym(v, dir, Some(ty), |a| out.push(a.other));
                }
            }
        }
        out
    }

    /// The matches of the branch below edge `e` from node `v`.
    fn branch(&mut self, e: usize, v: NodeId) -> Result<u64, QueryError> {
        let (g, edge) = (self.env.graph, &self.t.edges[e]);
        if self.implied[e] && self.t.leaf_degree(e) {
            return Ok(match self.types[e].as_slice() {
                [] => g.degree_sym(v, edge.direction, None) as u64,
                ts => ts
                    .iter()
                    .map(|&ty| g.degree_sym(v, edge.direction, Some(ty)) as u64)
                    .sum(),
            });
        }
        let child = edge.child;
        let check_labels = !self.implied[e];
        let reached = self.reached(e, v);
        let mut sum = 0u64;
        let mut outcome = Ok(());
        for &u in &reached {
            if let Err(err) = self.env.guard.tick() {
                outcome = Err(err);
                break;
            }
            match self.node_ok(child, u, check_labels) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(err) => {
                    outcome = Err(err);
                    break;
                }
            }
            self.bind(child, u);
            match self.below(child, u, None) {
                Ok(n) => sum = sum.saturating_add(n),
                Err(err) => {
                    outcome = Err(err);
                    break;
                }
            }
        }
        let mut reached = reached;
        reached.clear();
        self.spare.push(reached);
        outcome.map(|()| sum)
    }

    /// The product of the branches below tree node `n` (bound to `v`), but
    /// the one to `skip`.
    fn below(&mut self, n: usize, v: NodeId, skip: Option<usize>) -> Result<u64, QueryError> {
        let mut product = 1u64;
        let t = self.t;
        for (e, _) in t.children(n).filter(|(_, e)| Some(e.child) != skip) {
            product = product.saturating_mul(self.branch(e, v)?);
            if product == 0 {
                break;
            }
        }
        Ok(product)
    }

    /// Walks the path from the root to the grouped node: `v` is bound at
    /// its position `k`, `w` the matches of the branches multiplied in so
    /// far; at its end, one row for the grouped node.
    fn walk(
        &mut self,
        k: usize,
        v: NodeId,
        w: u64,
        row: &mut [Value],
        sink: &mut WeightedSink<'_>,
    ) -> Result<bool, QueryError> {
        let path = &self.t.path;
        let n = path[k];
        self.bind(n, v);
        let next = path.get(k + 1).copied();
        let w = w.saturating_mul(self.below(n, v, next)?);
        if w == 0 {
            return Ok(true);
        }
        let Some(next) = next else {
            if self.t.grouped {
                row[self.t.nodes[n].slot] = Value::Node(v);
            }
            return sink(row, w);
        };
        let Some((e, _)) = self.t.children(n).find(|(_, e)| e.child == next) else {
            return Ok(true);
        };
        let check_labels = !self.implied[e];
        let reached = self.reached(e, v);
        let mut outcome = Ok(true);
        for &u in &reached {
            outcome = self
                .env
                .guard
                .tick()
                .and_then(|()| match self.node_ok(next, u, check_labels)? {
                    true => self.walk(k + 1, u, w, row, sink),
                    false => Ok(true),
                });
            if !matches!(outcome, Ok(true)) {
                break;
            }
        }
        let mut reached = reached;
        reached.clear();
        self.spare.push(reached);
        outcome
    }
}
