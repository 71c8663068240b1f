//! A list collected only to be measured is a count.
//!
//! `collect(x)` keeps the values of `x` that are not null, and
//! `collect(DISTINCT x)` the distinct ones; `count(x)` and
//! `count(DISTINCT x)` count exactly those. So `size(collect(x))` is
//! `count(x)`, and a list that a `WITH` collects under a name every later
//! use of which is `size(name)` need not be built at all:
//!
//! ```text
//! WITH t, collect(DISTINCT f.name) AS foci RETURN size(foci) AS k, count(t)
//! WITH t, count(DISTINCT f.name) AS foci   RETURN foci AS k, count(t)
//! ```
//!
//! Counted, the aggregate is open to the rest of the optimiser (counted per
//! node, distinct ends), where a list never was. Columns keep the names
//! they were written with.
//!
//! The name is followed clause by clause while it is in scope: through
//! MATCH, UNWIND and projections that pass it on as it is; any other use
//! (the list returned, indexed, unwound, compared, passed to another
//! function), a projection with `*`, a name given to something else, an
//! editing clause or a subquery that mentions it keeps the list. Only the
//! optimised plan is rewritten; the naive plan the tests compare it with
//! collects.

use std::collections::HashSet;

use super::walk;
use crate::syntax::ast::{Clause, Expr, ExprKind, Projection};

/// The clauses with every collected-then-measured list counted instead;
/// `None` when there is none.
pub fn rewrite(clauses: &[Clause]) -> Option<Vec<Clause>> {
    let mut out = clauses.to_vec();
    let mut changed = false;
    for c in &mut out {
        if let Clause::With(p) | Clause::Return(p) = c {
            changed |= projection_exprs_mut(p).fold(false, |acc, e| size_of_collect(e) | acc);
        }
    }
    for i in 0..out.len() {
        let Clause::With(p) = &out[i] else { continue };
        let names: Vec<(usize, String)> = p
            .items
            .iter()
            .enumerate()
            .filter(|(_, item)| is_collect(&item.expr))
            .filter_map(|(k, item)| item.alias.as_ref().map(|a| (k, a.name.clone())))
            .collect();
        let once: Vec<bool> = names
            .iter()
            .map(|(_, name)| p.items.iter().filter(|it| it.column_name() == name).count() == 1)
            .collect();
        for ((k, name), aliased_once) in names.into_iter().zip(once) {
            if !aliased_once || !only_measured(&out[i], &out[i + 1..], &name) {
                continue;
            }
            if let Clause::With(p) = &mut out[i] {
                to_count(&mut p.items[k].expr);
                projection_tail_mut(p).for_each(|e| unsize(e, &name));
            }
            for c in &mut out[i + 1..] {
                let carries = match c {
                    Clause::Match(m) => {
                        if let Some(w) = &mut m.where_ {
                            unsize(w, &name);
                        }
                        true
                    }
                    Clause::Unwind(u) => {
                        unsize(&mut u.expr, &name);
                        true
                    }
                    Clause::With(p) | Clause::Return(p) => {
                        let carries = passes_on(p, &name);
                        projection_exprs_mut(p).for_each(|e| unsize(e, &name));
                        carries
                    }
                    _ => false,
                };
                if !carries {
                    break;
                }
            }
            changed = true;
        }
    }
    changed.then_some(out)
}

fn is_call(e: &Expr, name: &str, arity: usize) -> bool {
    matches!(&e.kind, ExprKind::Function { name: n, args, .. } if n.name.eq_ignore_ascii_case(name) && args.len() == arity)
}

fn is_collect(e: &Expr) -> bool {
    is_call(e, "collect", 1)
}

/// `size(name)`.
fn is_size_of(e: &Expr, name: &str) -> bool {
    is_call(e, "size", 1)
        && matches!(&e.kind, ExprKind::Function { distinct: false, args, .. }
            if matches!(&args[0].kind, ExprKind::Var(v) if v == name))
}

/// `collect(...)` becomes `count(...)`, DISTINCT kept.
fn to_count(e: &mut Expr) {
    if let ExprKind::Function { name, .. } = &mut e.kind {
        name.name = "count".into();
    }
}

/// Rewrites every `size(collect(x))` in `e`; whether there was one.
fn size_of_collect(e: &mut Expr) -> bool {
    if is_call(e, "size", 1)
        && let ExprKind::Function {
            distinct: false, args, ..
        } = &mut e.kind
        && is_collect(&args[0])
    {
        let mut inner = args.remove(0);
        to_count(&mut inner);
        *e = inner;
        return true;
    }
    walk::children_mut(e)
        .into_iter()
        .fold(false, |acc, c| size_of_collect(c) | acc)
}

/// `size(name)` becomes `name` throughout `e`.
fn unsize(e: &mut Expr, name: &str) {
    if is_size_of(e, name) {
        let span = e.span;
        *e = Expr {
            kind: ExprKind::Var(name.to_string()),
            span,
        };
        return;
    }
    for c in walk::children_mut(e) {
        unsize(c, name);
    }
}

/// Whether every use of `name` in `e` is `size(name)`.
fn only_sized(e: &Expr, name: &str) -> bool {
    if is_size_of(e, name) {
        return true;
    }
    match &e.kind {
        ExprKind::Var(v) => v != name,
        // Patterns and subqueries are not walked: any mention keeps the list.
        ExprKind::PatternPredicate(_)
        | ExprKind::PatternComprehension { .. }
        | ExprKind::Exists(_)
        | ExprKind::ListComprehension { .. }
        | ExprKind::Quantified { .. } => {
            let mut names = HashSet::new();
            walk::expr_names(e, &mut names);
            let mut local = Vec::new();
            walk::local_variables(e, &mut local);
            !names.contains(name) && !local.iter().any(|v| v == name)
        }
        _ => walk::children(e).into_iter().all(|c| only_sized(c, name)),
    }
}

/// The projection passes `name` on unchanged (`WITH t, name`).
fn passes_on(p: &Projection, name: &str) -> bool {
    p.items
        .iter()
        .any(|it| matches!(&it.expr.kind, ExprKind::Var(v) if v == name) && it.column_name() == name)
}

/// Whether `name`, collected by the projection `with`, is only ever
/// measured in it (its ORDER BY and WHERE) and in `later`, while in scope.
fn only_measured(with: &Clause, later: &[Clause], name: &str) -> bool {
    let Clause::With(p) = with else { return false };
    if !projection_tail(p).all(|e| only_sized(e, name)) {
        return false;
    }
    for c in later {
        match c {
            Clause::Match(m) => {
                let mut names = HashSet::new();
                m.patterns.iter().for_each(|q| walk::pattern_names(q, &mut names));
                if names.contains(name) || m.where_.as_ref().is_some_and(|w| !only_sized(w, name)) {
                    return false;
                }
            }
            Clause::Unwind(u) => {
                if u.alias.name == name || !only_sized(&u.expr, name) {
                    return false;
                }
            }
            Clause::With(p) | Clause::Return(p) => {
                if p.star {
                    return false;
                }
                let carries = passes_on(p, name);
                for it in &p.items {
                    let bare = matches!(&it.expr.kind, ExprKind::Var(v) if v == name);
                    let renames = it.column_name() == name && !bare;
                    if renames || (bare && it.column_name() != name) || (!bare && !only_sized(&it.expr, name)) {
                        return false;
                    }
                }
                // A projection that returns the name keeps the list.
                if carries && matches!(c, Clause::Return(_)) {
                    return false;
                }
                if !projection_tail(p).all(|e| only_sized(e, name)) {
                    return false;
                }
                if !carries {
                    return true;
                }
            }
            // An editing clause may store the list.
            _ => return false,
        }
    }
    true
}

/// A projection's ORDER BY, SKIP, LIMIT and WHERE expressions.
fn projection_tail(p: &Projection) -> impl Iterator<Item = &Expr> {
    p.order_by
        .iter()
        .map(|s| &s.expr)
        .chain(p.skip.iter())
        .chain(p.limit.iter())
        .chain(p.where_.iter())
}

fn projection_tail_mut(p: &mut Projection) -> impl Iterator<Item = &mut Expr> {
    p.order_by
        .iter_mut()
        .map(|s| &mut s.expr)
        .chain(p.skip.iter_mut())
        .chain(p.limit.iter_mut())
        .chain(p.where_.iter_mut())
}

/// Every expression of a projection: its items, then its tail.
fn projection_exprs_mut(p: &mut Projection) -> impl Iterator<Item = &mut Expr> {
    let Projection {
        items,
        order_by,
        skip,
        limit,
        where_,
        ..
    } = p;
    items
        .iter_mut()
        .map(|it| &mut it.expr)
        .chain(order_by.iter_mut().map(|s| &mut s.expr))
        .chain(skip.iter_mut())
        .chain(limit.iter_mut())
        .chain(where_.iter_mut())
}
