//! A WITH that only renames a MATCH's variables and their properties has
//! its WHERE checked in the MATCH itself, written in the MATCH's names:
//!
//! ```text
//! MATCH (r:Role) WITH r.name AS name, r.id AS id WHERE name STARTS WITH 'Lead' RETURN ...
//! MATCH (r:Role) WHERE r.name STARTS WITH 'Lead' WITH r.name AS name, r.id AS id RETURN ...
//! ```
//!
//! In the MATCH the condition is open to the optimiser (a filtered scan
//! reading the property in place, an index seek, a condition checked as
//! soon as its node is bound), where after the WITH every match was first
//! projected into a row and then tested.
//!
//! The two forms have the same rows, in the same order, and raise the same
//! errors when:
//! - the MATCH is not OPTIONAL (its WHERE would keep a row the WITH's drops)
//!   and the WITH follows it at once;
//! - the WITH does not aggregate and has no ORDER BY, SKIP or LIMIT (its
//!   WHERE then sees each match's row as it comes; under DISTINCT, the
//!   condition reads only the values DISTINCT compares, so dropping a row
//!   before or after it keeps the same first rows);
//! - each item is a variable (under its own name or another) or a property
//!   of a node or single relationship the MATCH names, under a name: such
//!   an item never raises an error, so a match the condition drops could
//!   not have raised one in the projection either;
//! - the condition reads only the WITH's names (after a lone `*`, any
//!   name, each standing for itself), so each of its names is replaced by
//!   the item it names;
//! - written in the MATCH's names, the condition cannot raise an error (see
//!   [`cannot_raise`]): the MATCH may check it on a node before the whole
//!   pattern is matched, where an error would be one the WITH never saw.
//!
//! The MATCH's own WHERE comes first (`own AND moved`): the optimiser keeps
//! the written order of conditions that may raise, so the moved condition
//! is still reached only for matches the MATCH kept. Only the optimised
//! plan is rewritten; the naive plan the tests compare it with keeps the
//! WHERE in the WITH.

use std::collections::{HashMap, HashSet};

use crate::syntax::ast::{BinaryOp, Clause, Expr, ExprKind, Match, Projection};

/// The clauses with each such WITH's WHERE moved into the MATCH before
/// it; `None` when there is none.
pub fn rewrite(clauses: &[Clause]) -> Option<Vec<Clause>> {
    let mut out: Option<Vec<Clause>> = None;
    for i in 1..clauses.len() {
        let now = out.as_deref().unwrap_or(clauses);
        let (Clause::Match(m), Clause::With(with)) = (&now[i - 1], &now[i]) else {
            continue;
        };
        let Some(moved) = movable(m, with) else {
            continue;
        };
        let where_ = match &m.where_ {
            Some(own) => Expr {
                span: own.span,
                kind: ExprKind::Binary(BinaryOp::And, Box::new(own.clone()), Box::new(moved)),
            },
            None => moved,
        };
        let m = Match {
            where_: Some(where_),
            ..m.clone()
        };
        let with = Projection {
            where_: None,
            ..with.clone()
        };
        let next = out.get_or_insert_with(|| clauses.to_vec());
        next[i - 1] = Clause::Match(m);
        next[i] = Clause::With(with);
    }
    out
}

/// The WITH's condition in the MATCH's names, when it may move.
fn movable(m: &Match, with: &Projection) -> Option<Expr> {
    let cond = with.where_.as_ref()?;
    if m.optional
        || !with.order_by.is_empty()
        || with.skip.is_some()
        || with.limit.is_some()
        || (with.star && !with.items.is_empty())
    {
        return None;
    }
    let elements = elements(m);
    let mut names: HashMap<&str, &Expr> = HashMap::new();
    for item in &with.items {
        let name = match (&item.expr.kind, &item.alias) {
            (_, Some(alias)) => alias.name.as_str(),
            (ExprKind::Var(v), None) => v.as_str(),
            _ => return None,
        };
        let plain = match &item.expr.kind {
            ExprKind::Var(_) => true,
            ExprKind::Property(base, _) => matches!(&base.kind, ExprKind::Var(v) if elements.contains(v.as_str())),
            _ => false,
        };
        if !plain || names.insert(name, &item.expr).is_some() {
            return None;
        }
    }
    let moved = renamed(cond, &names, with.star)?;
    cannot_raise(&moved, &elements).then_some(moved)
}

/// Whether evaluating `c` can never raise an error: comparisons and string
/// tests of constants and properties of the MATCH's elements, `IN` a list
/// of them, IS [NOT] NULL, label tests of an element, and AND, OR, XOR and
/// NOT of those (an incomparable pair is null, not an error). In the MATCH
/// a condition may be checked on a node before the whole pattern is
/// matched (see `optimise/pushdown.rs`): one that could raise might then
/// raise for a node no match reaches, which the WITH never sees. So the
/// condition's own scopes (comprehensions, patterns, subqueries) never
/// move either.
fn cannot_raise(c: &Expr, elements: &HashSet<&str>) -> bool {
    use BinaryOp as B;
    let element = |e: &Expr| matches!(&e.kind, ExprKind::Var(v) if elements.contains(v.as_str()));
    let value = |e: &Expr| match &e.kind {
        ExprKind::Literal(_) | ExprKind::Param(_) => true,
        ExprKind::Property(base, _) => element(base),
        _ => element(e),
    };
    match &c.kind {
        ExprKind::Binary(
            B::Eq | B::Ne | B::Lt | B::Le | B::Gt | B::Ge | B::StartsWith | B::EndsWith | B::Contains,
            l,
            r,
        ) => value(l) && value(r),
        ExprKind::Binary(B::In, l, r) => {
            value(l)
                && match &r.kind {
                    ExprKind::List(items) => items.iter().all(value),
                    _ => false,
                }
        }
        ExprKind::Binary(B::And | B::Or | B::Xor, l, r) => cannot_raise(l, elements) && cannot_raise(r, elements),
        ExprKind::Unary(crate::syntax::ast::UnaryOp::Not, x) => cannot_raise(x, elements),
        ExprKind::IsNull { expr, .. } => value(expr) || cannot_raise(expr, elements),
        ExprKind::HasLabels(x, _) => element(x),
        _ => false,
    }
}

/// The names the MATCH gives nodes and single relationships.
fn elements(m: &Match) -> HashSet<&str> {
    let mut out = HashSet::new();
    for p in &m.patterns {
        out.extend(p.start.var.iter().map(|v| v.name.as_str()));
        for (rel, node) in &p.chain {
            if rel.length.is_none() {
                out.extend(rel.var.iter().map(|v| v.name.as_str()));
            }
            out.extend(node.var.iter().map(|v| v.name.as_str()));
        }
    }
    out
}

/// `e` with each name replaced by the item it names; `None` when it reads
/// a name the WITH does not pass on (without `*`) or opens a scope.
fn renamed(e: &Expr, names: &HashMap<&str, &Expr>, star: bool) -> Option<Expr> {
    let r = |x: &Expr| renamed(x, names, star).map(Box::new);
    let kind = match &e.kind {
        ExprKind::Var(v) => match names.get(v.as_str()) {
            Some(item) => return Some((*item).clone()),
            None if star => ExprKind::Var(v.clone()),
            None => return None,
        },
        ExprKind::Literal(_) | ExprKind::Param(_) | ExprKind::CountStar => e.kind.clone(),
        ExprKind::List(items) => ExprKind::List(items.iter().map(|x| renamed(x, names, star)).collect::<Option<_>>()?),
        ExprKind::Map(entries) => ExprKind::Map(
            entries
                .iter()
                .map(|(k, x)| Some((k.clone(), renamed(x, names, star)?)))
                .collect::<Option<_>>()?,
        ),
        ExprKind::Property(base, key) => ExprKind::Property(r(base)?, key.clone()),
        ExprKind::Index(base, i) => ExprKind::Index(r(base)?, r(i)?),
        ExprKind::Slice(base, from, to) => ExprKind::Slice(
            r(base)?,
            match from {
                Some(x) => Some(r(x)?),
                None => None,
            },
            match to {
                Some(x) => Some(r(x)?),
                None => None,
            },
        ),
        ExprKind::HasLabels(base, labels) => ExprKind::HasLabels(r(base)?, labels.clone()),
        ExprKind::Unary(op, x) => ExprKind::Unary(*op, r(x)?),
        ExprKind::Binary(op, a, b) => ExprKind::Binary(*op, r(a)?, r(b)?),
        ExprKind::IsNull { expr, negated } => ExprKind::IsNull {
            expr: r(expr)?,
            negated: *negated,
        },
        ExprKind::Function { name, distinct, args } => ExprKind::Function {
            name: name.clone(),
            distinct: *distinct,
            args: args.iter().map(|x| renamed(x, names, star)).collect::<Option<_>>()?,
        },
        ExprKind::Case { operand, whens, else_ } => ExprKind::Case {
            operand: match operand {
                Some(x) => Some(r(x)?),
                None => None,
            },
            whens: whens
                .iter()
                .map(|(w, t)| Some((renamed(w, names, star)?, renamed(t, names, star)?)))
                .collect::<Option<_>>()?,
            else_: match else_ {
                Some(x) => Some(r(x)?),
                None => None,
            },
        },
        ExprKind::ListComprehension { .. }
        | ExprKind::Quantified { .. }
        | ExprKind::PatternComprehension { .. }
        | ExprKind::PatternPredicate(_)
        | ExprKind::Exists(_) => return None,
    };
    Some(Expr { kind, span: e.span })
}
