//! Factorised counting: a first MATCH whose parts form a tree of fixed
//! hops over their nodes, followed by a projection that only counts its
//! matches (`count(*)`, `count(x)` of a pattern variable, grouped by at
//! most one node or its properties), is counted by multiplying per node
//! instead of enumerating rows (`Op::FactorCount`, run by
//! `eval/ops/factor_count.rs`).
//!
//! With the tree rooted at node `v`, the matches through `v` are the
//! product, over the hops leaving `v`, of the matches of the branch below
//! each hop; a branch's matches from `v` are the sum, over the nodes the
//! hop reaches that pass their own checks, of the product of their own
//! branches. A branch that is one hop to a node with nothing to check
//! (its labels implied by the type's statistics) is the node's degree.
//! `MATCH (a:Role)-[:LEADS]->(t:Team)<-[:WORKS_WITH]-(b:Role) RETURN
//! count(*)` is, per team, its LEADS in-degree times its WORKS_WITH
//! in-degree. When the count is grouped by a node, the nodes from the root
//! to that node are enumerated (one row per such path) and every other
//! branch is multiplied in.
//!
//! What makes the product the count of Cypher's matches:
//! - each WHERE condition reads one node (checked at that node, and none
//!   can raise an error, so the order of checks changes nothing), or no
//!   variable (checked once), or says that two nodes differ (`a <> b`, or
//!   `a.id <> b.id` while every node has a unique string id, checked when
//!   it runs): the later-bound of the two is checked against the other;
//! - one MATCH binds a relationship at most once: any two hops whose types
//!   overlap must be unable to bind the same relationship. Two hops that
//!   share a relationship share its start and its end; they cannot when
//!   the two starts (or the two ends) are nodes that must differ, or when
//!   the relationship would have to start and end at the same node (the
//!   end of one hop is the start of the other) and the types have no
//!   self-loops (checked when it runs, from the store's statistics).
//!   Anything else (undirected hops of a shared type, say) is not
//!   factorised.
//!
//! The root is the node whose counting the cost model finds cheapest: the
//! rows its start yields, then per hop the relationships followed, except
//! a branch read as a degree, which is one read.

use super::cost::{Estimator, SCAN_COST};
use crate::plan::ops::{
    CountTree, FactorCountOp, MatchOp, NodeStep, Op, PExpr, PKind, ProjectOp, RelStep, TreeEdge, TreeNode,
};
use crate::store::{Direction, Graph};
use crate::syntax::ast::BinaryOp;

/// Replaces the first MATCH by [`Op::FactorCount`] when it qualifies.
pub fn choose(ops: &mut [Op], graph: &Graph) {
    let [Op::Match(m), Op::Project(p), ..] = &*ops else {
        return;
    };
    if let Some(tree) = plan(m, p, graph) {
        ops[0] = Op::FactorCount(FactorCountOp { m: m.clone(), tree });
    }
}

/// An unrooted tree: nodes, and edges as (a, b, types, direction from a to b).
struct Shape {
    nodes: Vec<TreeNode>,
    edges: Vec<(usize, usize, Vec<String>, Direction)>,
    /// Pairs of nodes that must differ, and whether any is by `id`.
    differ: Vec<(usize, usize)>,
    by_id: bool,
    constant: Vec<PExpr>,
}

fn plan(m: &MatchOp, p: &ProjectOp, graph: &Graph) -> Option<CountTree> {
    if m.optional || m.patterns.is_empty() || m.patterns.iter().map(|q| q.rels.len()).sum::<usize>() < 2 {
        return None;
    }
    let shape = shape(m)?;
    // The projection: counts only, its keys (and DISTINCT arguments)
    // reading at most one node.
    let mut never_null: Vec<usize> = shape.nodes.iter().map(|n| n.slot).collect();
    never_null.extend(m.patterns.iter().flat_map(|q| q.rels.iter().map(|r| r.slot)));
    if !crate::plan::rewrite::weighted_aggregates(p, &never_null) {
        return None;
    }
    let mut used = crate::plan::rewrite::weighted_reads(p, &never_null)?;
    used.sort_unstable();
    used.dedup();
    let group = match used.as_slice() {
        [] => None,
        [s] => Some(shape.nodes.iter().position(|n| n.slot == *s)?),
        _ => return None,
    };
    let distinct = distinct_hops(&shape)?;
    // Hops told apart by acyclic types: planned only while the store's
    // statistic says they are (checked again when it runs), else the
    // clause keeps the plans that need no such condition.
    if distinct.acyclic.iter().any(|set| !acyclic_now(graph, set)) {
        return None;
    }
    // The cheapest root that can check every `<>` (one of each pair above
    // the other).
    let conditions: Vec<PExpr> = shape.nodes.iter().flat_map(|n| n.conditions.iter().cloned()).collect();
    let est = Estimator::new(graph, &conditions, &m.patterns, 0);
    let mut best: Option<(f64, CountTree)> = None;
    for root in 0..shape.nodes.len() {
        let Some(tree) = rooted(&shape, root, group, &distinct) else {
            continue;
        };
        let cost = cost(&tree, &est, graph);
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((cost, tree));
        }
    }
    best.map(|(_, t)| t)
}

/// The clause's parts as one graph over their nodes, when it is a tree
/// whose conditions the count can check.
fn shape(m: &MatchOp) -> Option<Shape> {
    let mut nodes: Vec<TreeNode> = Vec::new();
    let mut edges = Vec::new();
    let mut rel_slots = Vec::new();
    for (pi, q) in m.patterns.iter().enumerate() {
        if q.path_slot.is_some() || q.join.is_some() {
            return None;
        }
        let mut at = Vec::new();
        for (ni, n) in q.nodes.iter().enumerate() {
            let i = match nodes.iter().position(|t| t.slot == n.slot) {
                Some(i) => i,
                None => {
                    nodes.push(TreeNode {
                        slot: n.slot,
                        labels: Vec::new(),
                        props: Vec::new(),
                        conditions: Vec::new(),
                        not_equal: Vec::new(),
                        at: (pi, ni),
                    });
                    nodes.len() - 1
                }
            };
            for l in &n.labels {
                if !nodes[i].labels.contains(l) {
                    nodes[i].labels.push(l.clone());
                }
            }
            if let Some(props) = &n.props {
                let mut read = Vec::new();
                if !props.slots_read(&mut read) || !read.is_empty() {
                    return None;
                }
                nodes[i].props.push(props.clone());
            }
            at.push(i);
        }
        for (ri, r) in q.rels.iter().enumerate() {
            if r.var_len.is_some() || r.props.is_some() || rel_slots.contains(&r.slot) {
                return None;
            }
            rel_slots.push(r.slot);
            let (a, b) = (at[ri], at[ri + 1]);
            if a == b {
                return None;
            }
            let mut types = r.types.clone();
            types.sort_unstable();
            types.dedup();
            edges.push((a, b, types, r.direction));
        }
    }
    if edges.len() + 1 != nodes.len() || nodes.iter().any(|n| rel_slots.contains(&n.slot)) {
        return None;
    }
    // Connected (with one edge fewer than nodes: a tree).
    let mut seen = vec![false; nodes.len()];
    let mut todo = vec![0];
    seen[0] = true;
    while let Some(n) = todo.pop() {
        for (a, b, _, _) in &edges {
            for (x, y) in [(*a, *b), (*b, *a)] {
                if x == n && !seen[y] {
                    seen[y] = true;
                    todo.push(y);
                }
            }
        }
    }
    if seen.iter().any(|s| !s) {
        return None;
    }
    let mut shape = Shape {
        nodes,
        edges,
        differ: Vec::new(),
        by_id: false,
        constant: Vec::new(),
    };
    let mut conditions: Vec<&PExpr> = m.patterns.iter().flat_map(|q| q.filters.iter().flatten()).collect();
    conditions.extend(m.filter.as_ref());
    for (c, read) in super::pushdown::conjuncts(conditions)? {
        let node = |s: usize| shape.nodes.iter().position(|n| n.slot == s);
        match read.as_slice() {
            [] if super::pushdown::cannot_raise(c, &[]) => shape.constant.push(c.clone()),
            [s] if super::pushdown::cannot_raise(c, &[*s]) => {
                let i = node(*s)?;
                shape.nodes[i].conditions.push(c.clone());
            }
            [_, _] => {
                let (x, y, by_id) = differ(c)?;
                let (x, y) = (node(x)?, node(y)?);
                shape.differ.push((x, y));
                shape.by_id |= by_id;
            }
            _ => return None,
        }
    }
    Some(shape)
}

/// `x <> y` of two node variables, or `x.id <> y.id`: the slots, and
/// whether by id.
fn differ(c: &PExpr) -> Option<(usize, usize, bool)> {
    let PKind::Binary(BinaryOp::Ne, l, r) = &c.kind else {
        return None;
    };
    match (&l.kind, &r.kind) {
        (PKind::Slot(x), PKind::Slot(y)) => Some((*x, *y, false)),
        (PKind::Prop(a, ka), PKind::Prop(b, kb)) if &**ka == "id" && &**kb == "id" => match (&a.kind, &b.kind) {
            (PKind::Slot(x), PKind::Slot(y)) => Some((*x, *y, true)),
            _ => None,
        },
        _ => None,
    }
}

/// What the graph must satisfy for no two hops to bind one relationship:
/// types without self-loops, and sets of types without directed cycles.
struct Distinct {
    /// `None`: every type.
    loop_free: Vec<Option<String>>,
    acyclic: Vec<Vec<Option<String>>>,
}

/// The conditions under which no two hops bind one relationship; `None`
/// when that cannot be shown.
///
/// Two hops of a shared type whose ends are not tied (`a-[:T]->b ...
/// c-[:T]->d`) are still told apart when the tree joins them by a chain
/// of hops all pointing one way, from the first's end to the second's
/// start (`b-->...-->c`): one relationship for both would make `c = a`,
/// so that chain and the relationship form a directed cycle. That cannot
/// happen while the chain's types and the shared ones have none.
fn distinct_hops(s: &Shape) -> Option<Distinct> {
    let mut loop_free = Vec::new();
    let mut acyclic = Vec::new();
    let ends = |e: &(usize, usize, Vec<String>, Direction)| match e.3 {
        Direction::Outgoing => Some((e.0, e.1)),
        Direction::Incoming => Some((e.1, e.0)),
        Direction::Both => None,
    };
    let must_differ = |x: usize, y: usize| s.differ.iter().any(|&(a, b)| (a, b) == (x, y) || (a, b) == (y, x));
    for (i, e1) in s.edges.iter().enumerate() {
        for e2 in &s.edges[i + 1..] {
            let shared: Vec<Option<String>> = match (e1.2.is_empty(), e2.2.is_empty()) {
                (true, true) => vec![None],
                (true, false) => e2.2.iter().cloned().map(Some).collect(),
                (false, true) => e1.2.iter().cloned().map(Some).collect(),
                (false, false) => e1.2.iter().filter(|t| e2.2.contains(t)).cloned().map(Some).collect(),
            };
            if shared.is_empty() {
                continue;
            }
            let ((s1, t1), (s2, t2)) = (ends(e1)?, ends(e2)?);
            if must_differ(s1, s2) || must_differ(t1, t2) {
                continue;
            }
            // One relationship for both would start and end at one node.
            if t1 == s2 || t2 == s1 {
                loop_free.extend(shared);
                continue;
            }
            let chain = directed_chain(s, t1, s2).or_else(|| directed_chain(s, t2, s1))?;
            let mut types = shared;
            types.extend(chain);
            types.sort_unstable();
            types.dedup();
            acyclic.push(types);
        }
    }
    loop_free.sort_unstable();
    loop_free.dedup();
    acyclic.sort_unstable();
    acyclic.dedup();
    Some(Distinct { loop_free, acyclic })
}

/// The types of the hops on the tree's path from node `from` to node
/// `to` (`None`: a hop of any type), when every hop on it points from
/// `from` towards `to`.
fn directed_chain(s: &Shape, from: usize, to: usize) -> Option<Vec<Option<String>>> {
    // Depth first from `from`, each node with the hop it was reached by.
    let mut via: Vec<Option<Option<usize>>> = vec![None; s.nodes.len()];
    via[from] = Some(None);
    let mut todo = vec![from];
    while let Some(n) = todo.pop() {
        for (i, (a, b, _, _)) in s.edges.iter().enumerate() {
            for (x, y) in [(*a, *b), (*b, *a)] {
                if x == n && via[y].is_none() {
                    via[y] = Some(Some(i));
                    todo.push(y);
                }
            }
        }
    }
    let mut types = Vec::new();
    let mut at = to;
    while let Some(Some(i)) = via[at] {
        let (a, b, ts, dir) = &s.edges[i];
        // The hop must lead into `at`.
        let (start, end) = match dir {
            Direction::Outgoing => (*a, *b),
            Direction::Incoming => (*b, *a),
            Direction::Both => return None,
        };
        if end != at {
            return None;
        }
        match ts.is_empty() {
            true => types.push(None),
            false => types.extend(ts.iter().cloned().map(Some)),
        }
        at = start;
    }
    (at == from && via[to].is_some()).then_some(types)
}

/// Whether the relationships of the types in `set` (`None`: every type)
/// have no directed cycle now; types the graph lacks have none.
pub fn acyclic_now(graph: &Graph, set: &[Option<String>]) -> bool {
    if set.iter().any(Option::is_none) {
        return graph.types_acyclic(&[]);
    }
    let syms: Vec<_> = set.iter().flatten().filter_map(|n| graph.sym(n)).collect();
    syms.is_empty() || graph.types_acyclic(&syms)
}

/// The tree rooted at `root` (its nodes renumbered from it, parents
/// before children), when every pair that must differ has one above the
/// other.
fn rooted(s: &Shape, root: usize, group: Option<usize>, distinct: &Distinct) -> Option<CountTree> {
    // Breadth first from the root: old index -> new, and each parent.
    let mut order = vec![root];
    let mut parent: Vec<Option<usize>> = vec![None; s.nodes.len()];
    let mut edges = Vec::new();
    let mut k = 0;
    while k < order.len() {
        let n = order[k];
        for (a, b, types, dir) in &s.edges {
            let (child, dir) = match (*a == n, *b == n) {
                (true, _) => (*b, *dir),
                (_, true) => (*a, super::cost::flip_dir(*dir)),
                _ => continue,
            };
            if child == root || parent[child].is_some() {
                continue;
            }
            parent[child] = Some(n);
            order.push(child);
            edges.push((n, child, types.clone(), dir));
        }
        k += 1;
    }
    let new_of = |old: usize| order.iter().position(|&o| o == old).unwrap_or(0);
    let above = |x: usize, y: usize| {
        // Whether x is an ancestor of y.
        let mut at = parent[y];
        while let Some(p) = at {
            if p == x {
                return true;
            }
            at = parent[p];
        }
        false
    };
    let mut nodes: Vec<TreeNode> = order.iter().map(|&o| s.nodes[o].clone()).collect();
    for &(x, y) in &s.differ {
        let (upper, lower) = if above(x, y) {
            (x, y)
        } else if above(y, x) {
            (y, x)
        } else {
            return None;
        };
        nodes[new_of(lower)].not_equal.push(new_of(upper));
    }
    let edges = edges
        .into_iter()
        .map(|(a, b, types, direction)| TreeEdge {
            parent: new_of(a),
            child: new_of(b),
            types,
            direction,
        })
        .collect();
    let mut path = Vec::new();
    let mut at = Some(group.unwrap_or(root));
    while let Some(n) = at {
        path.push(new_of(n));
        at = parent[n];
    }
    path.reverse();
    Some(CountTree {
        nodes,
        edges,
        path,
        grouped: group.is_some(),
        constant: s.constant.clone(),
        loop_free: distinct.loop_free.clone(),
        acyclic: distinct.acyclic.clone(),
        by_id: s.by_id,
    })
}

/// The planner's estimate of the work of counting `t`: the root's start
/// (a lookup, or a scan at [`SCAN_COST`] a node), then per hop the
/// relationships followed from each node reached, except a branch read as
/// a degree (one read per node it leaves, or [`SCAN_COST`] along a scan:
/// the nodes come in id order).
fn cost(t: &CountTree, est: &Estimator<'_>, graph: &Graph) -> f64 {
    let root = step(&t.nodes[0]);
    let rows = est.start_rows(&root);
    let scanned = !super::lookup::has_id(&root);
    let read = if scanned {
        rows.max(SCAN_COST * est.label_rows(&root))
    } else {
        rows
    };
    fn step(n: &TreeNode) -> NodeStep {
        NodeStep {
            slot: n.slot,
            labels: n.labels.clone(),
            props: n.props.first().cloned(),
        }
    }
    fn below(t: &CountTree, n: usize, rows: f64, scanned: bool, est: &Estimator<'_>, graph: &Graph) -> f64 {
        let mut cost = 0.0;
        for (e, edge) in t.children(n) {
            let rel = RelStep {
                slot: usize::MAX,
                types: edge.types.clone(),
                direction: edge.direction,
                var_len: None,
                props: None,
            };
            let from = &t.nodes[n];
            let from = NodeStep {
                slot: from.slot,
                labels: from.labels.clone(),
                props: None,
            };
            if t.leaf_degree(e) && implied(t, e, graph) {
                // Read in id order along a scanned root, as cheap as the
                // scan's read of the node; at random elsewhere.
                cost += rows * if n == 0 && scanned { SCAN_COST } else { 1.0 };
                continue;
            }
            let followed = rows * est.fanout(&from, &rel, edge.direction);
            let child = step(&t.nodes[edge.child]);
            let keeps = (est.start_rows(&child) / est.label_rows(&child).max(1.0)).min(1.0);
            cost += followed + below(t, edge.child, followed * keeps, false, est, graph);
        }
        cost
    }
    read + below(t, 0, rows, scanned, est, graph)
}

/// Whether edge `e`'s child labels are implied by its types' statistics
/// now (the operator checks again when it runs).
fn implied(t: &CountTree, e: usize, graph: &Graph) -> bool {
    let edge = &t.edges[e];
    let labels = &t.nodes[edge.child].labels;
    if labels.is_empty() {
        return true;
    }
    if edge.types.is_empty() {
        return false;
    }
    let ends: &[bool] = match edge.direction {
        Direction::Outgoing => &[false],
        Direction::Incoming => &[true],
        Direction::Both => &[true, false],
    };
    edge.types.iter().all(|ty| {
        labels.iter().all(|l| match (graph.sym(ty), graph.sym(l)) {
            (Some(ty), Some(l)) => ends.iter().all(|&at_start| graph.type_ends_have_label(ty, at_start, l)),
            _ => false,
        })
    })
}
