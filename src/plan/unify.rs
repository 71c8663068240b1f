//! Node variables a MATCH proves to be one node become one variable.
//!
//! `MATCH (a)-[:X]->(b), (c)-[:Y]->(d) WHERE a = c AND b.id = d.id`
//! asks for pairs of nodes joined both ways. Read as written, the second
//! part is matched on its own and joined on the values (a hash join or a
//! lookup per row, reading and comparing ids). Yet `c` is `a`: one node
//! equals another only when it is that node, and two nodes have the same
//! `id` only when they are one node (ids are unique) while every node has
//! a string id. So the clause is rewritten, before it is bound, as
//! `MATCH (a)-[:X]->(b), (a)-[:Y]->(b)`: the second part starts at a bound
//! node and checks adjacency to another. (A statement that edits the graph
//! is left as written: an edit could give two nodes one id.)
//!
//! The variable written over (`c`, `d`) must be a node variable the
//! clause introduces (not bound before it, not a relationship or path
//! variable of the clause), that no later clause reads, and that no
//! comprehension of the clause declares again; the other may be bound by
//! an earlier clause. Only a condition joined to the rest of the WHERE by
//! AND is used; OPTIONAL MATCH is rewritten alike, as its WHERE is part of
//! the match. An `EXISTS { ... }` subquery of the clause that names the
//! variable keeps the clause as written.

use std::collections::HashSet;

use super::walk;
use crate::syntax::ast::{BinaryOp, Clause, Expr, ExprKind, Match, PatternPart};

/// The names a clause after the MATCH may read: `None` when any may be
/// (`*` in a projection, or an editing clause, whose label items name
/// variables outside expressions).
pub fn later_names(later: &[Clause]) -> Option<HashSet<String>> {
    let mut names = HashSet::new();
    for c in later {
        match c {
            Clause::With(p) | Clause::Return(p) if p.star => return None,
            Clause::Set(_) | Clause::Remove(_) | Clause::Delete(_) | Clause::Merge(_) | Clause::Create(_) => {
                return None;
            }
            Clause::Match(m) => m.patterns.iter().for_each(|p| walk::pattern_names(p, &mut names)),
            _ => {}
        }
        c.for_each_expr(&mut |e| walk::expr_names(e, &mut names));
    }
    Some(names)
}

/// `m` with the node variables its WHERE proves equal made one, or `None`
/// when none is. `bound` tells the variables of earlier clauses; `later`
/// is [`later_names`]; `unique_ids` is whether every node has a string
/// `id` (so that equal ids mean one node).
pub fn unify(m: &Match, bound: &dyn Fn(&str) -> bool, later: &HashSet<String>, unique_ids: bool) -> Option<Match> {
    let mut out: Option<Match> = None;
    loop {
        let cur = out.as_ref().unwrap_or(m);
        let Some((keep, drop, conjunct)) = find_pair(cur, bound, later, unique_ids) else {
            return out;
        };
        let mut next = cur.clone();
        let mut conjuncts = Vec::new();
        if let Some(w) = next.where_.take() {
            split_and(w, &mut conjuncts);
        }
        // Equal ids need no check of their own: every node has one.
        conjuncts.remove(conjunct);
        for p in &mut next.patterns {
            rename_pattern(p, &drop, &keep);
        }
        for c in &mut conjuncts {
            rename_expr(c, &drop, &keep);
        }
        next.where_ = join_and(conjuncts);
        out = Some(next);
    }
}

/// A top-level conjunct of `m`'s WHERE equating two node variables (or
/// their ids): the variable kept, the one written over, and the
/// conjunct's position.
fn find_pair(
    m: &Match,
    bound: &dyn Fn(&str) -> bool,
    later: &HashSet<String>,
    unique_ids: bool,
) -> Option<(String, String, usize)> {
    let w = m.where_.as_ref()?;
    let mut conjuncts = Vec::new();
    split_and(w.clone(), &mut conjuncts);
    let (mut nodes, mut others) = (HashSet::new(), HashSet::new());
    for p in &m.patterns {
        others.extend(p.path_var.iter().map(|v| v.name.clone()));
        nodes.extend(p.start.var.iter().map(|v| v.name.clone()));
        for (r, n) in &p.chain {
            others.extend(r.var.iter().map(|v| v.name.clone()));
            nodes.extend(n.var.iter().map(|v| v.name.clone()));
        }
    }
    // Names declared again inside the clause (comprehension variables)
    // and names an EXISTS subquery reads: never written over.
    let mut shadowed = Vec::new();
    let mut in_subqueries = HashSet::new();
    let mut note = |e: &Expr| {
        walk::local_variables(e, &mut shadowed);
        subquery_names(e, &mut in_subqueries);
    };
    m.patterns.iter().for_each(|p| p.for_each_expr(&mut note));
    note(w);
    let free = |v: &str| {
        nodes.contains(v)
            && !others.contains(v)
            && !bound(v)
            && !later.contains(v)
            && !shadowed.iter().any(|s| s == v)
            && !in_subqueries.contains(v)
    };
    let is_node = |v: &str| nodes.contains(v) && !others.contains(v) && !shadowed.iter().any(|s| s == v);
    for (i, c) in conjuncts.iter().enumerate() {
        let ExprKind::Binary(BinaryOp::Eq, l, r) = &c.kind else {
            continue;
        };
        let (x, y) = match (&l.kind, &r.kind) {
            (ExprKind::Var(x), ExprKind::Var(y)) => (x, y),
            (ExprKind::Property(lb, lk), ExprKind::Property(rb, rk))
                if unique_ids && lk.name == "id" && rk.name == "id" =>
            {
                match (&lb.kind, &rb.kind) {
                    (ExprKind::Var(x), ExprKind::Var(y)) => (x, y),
                    _ => continue,
                }
            }
            _ => continue,
        };
        if x == y || !is_node(x) || !is_node(y) {
            continue;
        }
        if free(y) {
            return Some((x.clone(), y.clone(), i));
        }
        if free(x) {
            return Some((y.clone(), x.clone(), i));
        }
    }
    None
}

/// The names the `EXISTS { ... }` subqueries within `e` use.
fn subquery_names(e: &Expr, out: &mut HashSet<String>) {
    if let ExprKind::Exists(sub) = &e.kind {
        walk::query_names(&sub.query, out);
    }
    if let ExprKind::PatternPredicate(p) | ExprKind::PatternComprehension { pattern: p, .. } = &e.kind {
        p.for_each_expr(&mut |x| subquery_names(x, out));
    }
    for c in walk::children(e) {
        subquery_names(c, out);
    }
}

fn split_and(e: Expr, out: &mut Vec<Expr>) {
    match e.kind {
        ExprKind::Binary(BinaryOp::And, l, r) => {
            split_and(*l, out);
            split_and(*r, out);
        }
        kind => out.push(Expr { kind, span: e.span }),
    }
}

fn join_and(conjuncts: Vec<Expr>) -> Option<Expr> {
    conjuncts.into_iter().reduce(|l, r| {
        let span = l.span.to(r.span);
        Expr {
            kind: ExprKind::Binary(BinaryOp::And, Box::new(l), Box::new(r)),
            span,
        }
    })
}

fn rename_pattern(p: &mut PatternPart, from: &str, to: &str) {
    let nodes = std::iter::once(&mut p.start).chain(p.chain.iter_mut().map(|(_, n)| n));
    for n in nodes {
        if let Some(v) = &mut n.var
            && v.name == from
        {
            v.name = to.to_string();
        }
        if let Some(e) = &mut n.props {
            rename_expr(e, from, to);
        }
    }
    for (r, _) in &mut p.chain {
        if let Some(e) = &mut r.props {
            rename_expr(e, from, to);
        }
    }
}

/// Writes `to` for every read of `from` in `e` (no comprehension of the
/// clause declares `from`, and no subquery reads it: see `find_pair`).
fn rename_expr(e: &mut Expr, from: &str, to: &str) {
    match &mut e.kind {
        ExprKind::Var(v) if v == from => *v = to.to_string(),
        ExprKind::PatternPredicate(p) | ExprKind::PatternComprehension { pattern: p, .. } => {
            rename_pattern(p, from, to)
        }
        _ => {}
    }
    for c in walk::children_mut(e) {
        rename_expr(c, from, to);
    }
}
