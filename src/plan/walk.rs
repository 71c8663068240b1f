//! Walking expression trees, for the checks that look at an expression's
//! shape before it is bound (which variables it uses outside aggregates).

use super::functions;
use std::collections::HashSet;

use crate::syntax::ast::{Expr, ExprKind, PatternPart, Query};

/// The direct sub-expressions of `e` (patterns inside predicates and
/// comprehensions are not expressions and are skipped).
pub fn children(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Literal(_)
        | ExprKind::Param(_)
        | ExprKind::Var(_)
        | ExprKind::CountStar
        | ExprKind::PatternPredicate(_)
        // A subquery's expressions belong to its own scope.
        | ExprKind::Exists(_) => vec![],
        ExprKind::List(items) => items.iter().collect(),
        ExprKind::Map(entries) => entries.iter().map(|(_, v)| v).collect(),
        ExprKind::Property(b, _) | ExprKind::HasLabels(b, _) | ExprKind::Unary(_, b) => vec![b],
        ExprKind::IsNull { expr, .. } => vec![expr],
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => vec![a, b],
        ExprKind::Slice(a, b, c) => std::iter::once(&**a).chain(b.as_deref()).chain(c.as_deref()).collect(),
        ExprKind::Function { args, .. } => args.iter().collect(),
        ExprKind::Case { operand, whens, else_ } => operand
            .as_deref()
            .into_iter()
            .chain(whens.iter().flat_map(|(w, t)| [w, t]))
            .chain(else_.as_deref())
            .collect(),
        ExprKind::ListComprehension { list, filter, map, .. } => std::iter::once(&**list)
            .chain(filter.as_deref())
            .chain(map.as_deref())
            .collect(),
        ExprKind::Quantified { list, filter, .. } => vec![list, filter],
        ExprKind::PatternComprehension { filter, map, .. } => {
            filter.as_deref().into_iter().chain(std::iter::once(&**map)).collect()
        }
    }
}

/// [`children`], for rewriting in place.
pub fn children_mut(e: &mut Expr) -> Vec<&mut Expr> {
    match &mut e.kind {
        ExprKind::Literal(_)
        | ExprKind::Param(_)
        | ExprKind::Var(_)
        | ExprKind::CountStar
        | ExprKind::PatternPredicate(_)
        | ExprKind::Exists(_) => vec![],
        ExprKind::List(items) => items.iter_mut().collect(),
        ExprKind::Map(entries) => entries.iter_mut().map(|(_, v)| v).collect(),
        ExprKind::Property(b, _) | ExprKind::HasLabels(b, _) | ExprKind::Unary(_, b) => vec![b],
        ExprKind::IsNull { expr, .. } => vec![expr],
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => vec![a, b],
        ExprKind::Slice(a, b, c) => std::iter::once(&mut **a)
            .chain(b.as_deref_mut())
            .chain(c.as_deref_mut())
            .collect(),
        ExprKind::Function { args, .. } => args.iter_mut().collect(),
        ExprKind::Case { operand, whens, else_ } => operand
            .as_deref_mut()
            .into_iter()
            .chain(whens.iter_mut().flat_map(|(w, t)| [w, t]))
            .chain(else_.as_deref_mut())
            .collect(),
        ExprKind::ListComprehension { list, filter, map, .. } => std::iter::once(&mut **list)
            .chain(filter.as_deref_mut())
            .chain(map.as_deref_mut())
            .collect(),
        ExprKind::Quantified { list, filter, .. } => vec![list, filter],
        ExprKind::PatternComprehension { filter, map, .. } => filter
            .as_deref_mut()
            .into_iter()
            .chain(std::iter::once(&mut **map))
            .collect(),
    }
}

/// True for `count(*)` and calls of aggregate functions.
pub fn is_aggregate_call(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::CountStar => true,
        ExprKind::Function { name, .. } => functions::aggregate(&name.name).is_some(),
        _ => false,
    }
}

/// Visits the sub-expressions of `e` that are outside aggregate calls,
/// not descending where `visit` returns false.
pub fn outside_aggregates<'e>(e: &'e Expr, visit: &mut dyn FnMut(&'e Expr) -> bool) {
    if is_aggregate_call(e) || !visit(e) {
        return;
    }
    for c in children(e) {
        outside_aggregates(c, visit);
    }
}

/// Every variable name `e` reads (comprehension variables included; the
/// callers only need an over-approximation).
pub fn variables(e: &Expr, out: &mut Vec<String>) {
    if let ExprKind::Var(v) = &e.kind {
        out.push(v.clone());
    }
    for c in children(e) {
        variables(c, out);
    }
}

/// The variables that comprehensions and quantifiers inside `e` declare for
/// their own use (`x` in `[x IN list | x.name]`).
pub fn local_variables(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::ListComprehension { var, .. } | ExprKind::Quantified { var, .. } => out.push(var.name.clone()),
        _ => {}
    }
    for c in children(e) {
        local_variables(c, out);
    }
}

/// Every name that `q` uses as a variable anywhere, nested subqueries
/// included: an over-approximation of the outer variables it reads.
pub fn query_names(q: &Query, out: &mut HashSet<String>) {
    q.for_each_pattern(&mut |p| pattern_names(p, out));
    q.for_each_expr(&mut |e| expr_names(e, out));
}

pub(super) fn pattern_names(p: &PatternPart, out: &mut HashSet<String>) {
    out.extend(p.variables().map(|v| v.name.clone()));
    p.for_each_expr(&mut |e| expr_names(e, out));
}

pub(super) fn expr_names(e: &Expr, out: &mut HashSet<String>) {
    match &e.kind {
        ExprKind::Var(v) => {
            out.insert(v.clone());
        }
        ExprKind::PatternPredicate(p) | ExprKind::PatternComprehension { pattern: p, .. } => pattern_names(p, out),
        ExprKind::Exists(sub) => query_names(&sub.query, out),
        _ => {}
    }
    for c in children(e) {
        expr_names(c, out);
    }
}
