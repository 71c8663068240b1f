//! Moving a syntax tree's spans: a statement parsed on its own (see
//! [`super::parse_statement_at`]) gets the spans it would have had in the
//! whole text it was cut from. Every match below names every variant, so
//! a new node kind cannot be forgotten.

use super::SyntaxError;
use super::ast::*;
use crate::diag::Span;

/// Adds `by` to every span in `script`.
pub fn script(script: &mut Script, by: usize) {
    for s in &mut script.statements {
        statement(s, by);
    }
}

/// Adds `by` to the error's span.
pub fn error(e: &mut SyntaxError, by: usize) {
    span(&mut e.span, by);
}

fn span(s: &mut Span, by: usize) {
    s.start += by;
    s.end += by;
}

fn ident(i: &mut Ident, by: usize) {
    span(&mut i.span, by);
}

fn idents(list: &mut [Ident], by: usize) {
    for i in list {
        ident(i, by);
    }
}

fn node_ref(r: &mut NodeRefText, by: usize) {
    span(&mut r.span, by);
}

fn statement(s: &mut Statement, by: usize) {
    span(&mut s.span, by);
    match &mut s.kind {
        StatementKind::Query(q) => query(q, by),
        StatementKind::Explain(inner) | StatementKind::Profile(inner) | StatementKind::Translate(inner) => {
            statement(inner, by)
        }
        StatementKind::Describe(r) => node_ref(r, by),
        StatementKind::Overlap {
            refs,
            types,
            summary: _,
        }
        | StatementKind::Matrix { refs, types } => {
            refs.iter_mut().for_each(|r| node_ref(r, by));
            idents(types, by);
        }
        StatementKind::Diff {
            a,
            b,
            types,
            summary: _,
        } => {
            node_ref(a, by);
            node_ref(b, by);
            idents(types, by);
        }
        StatementKind::Path { from, to, via, all: _ } => {
            node_ref(from, by);
            node_ref(to, by);
            idents(via, by);
        }
        StatementKind::CreateIndex(CreateIndex {
            name,
            if_not_exists: _,
            var,
            label,
            keys,
        }) => {
            name.iter_mut().for_each(|n| ident(n, by));
            ident(var, by);
            ident(label, by);
            for (v, k) in keys {
                ident(v, by);
                ident(k, by);
            }
        }
        StatementKind::DropIndex { name, if_exists: _ } => ident(name, by),
        StatementKind::ShowIndexes => {}
    }
}

fn query(q: &mut Query, by: usize) {
    for part in &mut q.parts {
        span(&mut part.span, by);
        for c in &mut part.clauses {
            clause(c, by);
        }
    }
}

fn clause(c: &mut Clause, by: usize) {
    match c {
        Clause::Match(m) => {
            span(&mut m.span, by);
            m.patterns.iter_mut().for_each(|p| pattern(p, by));
            m.where_.iter_mut().for_each(|e| expr(e, by));
        }
        Clause::Unwind(u) => {
            span(&mut u.span, by);
            expr(&mut u.expr, by);
            ident(&mut u.alias, by);
        }
        Clause::With(p) | Clause::Return(p) => projection(p, by),
        Clause::Create(c) => {
            span(&mut c.span, by);
            c.patterns.iter_mut().for_each(|p| pattern(p, by));
        }
        Clause::Merge(m) => {
            span(&mut m.span, by);
            pattern(&mut m.pattern, by);
            for (_, set) in &mut m.actions {
                set_clause(set, by);
            }
        }
        Clause::Set(s) => set_clause(s, by),
        Clause::Remove(r) => {
            span(&mut r.span, by);
            for item in &mut r.items {
                match item {
                    RemoveItem::Property { target, key } => {
                        expr(target, by);
                        ident(key, by);
                    }
                    RemoveItem::Labels { var, labels } => {
                        ident(var, by);
                        idents(labels, by);
                    }
                }
            }
        }
        Clause::Delete(d) => {
            span(&mut d.span, by);
            d.exprs.iter_mut().for_each(|e| expr(e, by));
        }
    }
}

fn set_clause(s: &mut SetClause, by: usize) {
    span(&mut s.span, by);
    for item in &mut s.items {
        match item {
            SetItem::Property { target, key, value } => {
                expr(target, by);
                ident(key, by);
                expr(value, by);
            }
            SetItem::Replace { var, value } | SetItem::Merge { var, value } => {
                ident(var, by);
                expr(value, by);
            }
            SetItem::Labels { var, labels } => {
                ident(var, by);
                idents(labels, by);
            }
        }
    }
}

fn projection(p: &mut Projection, by: usize) {
    span(&mut p.span, by);
    for item in &mut p.items {
        expr(&mut item.expr, by);
        item.alias.iter_mut().for_each(|a| ident(a, by));
    }
    p.order_by.iter_mut().for_each(|s| expr(&mut s.expr, by));
    for e in p.skip.iter_mut().chain(p.limit.iter_mut()).chain(p.where_.iter_mut()) {
        expr(e, by);
    }
}

fn pattern(p: &mut PatternPart, by: usize) {
    span(&mut p.span, by);
    p.path_var.iter_mut().for_each(|v| ident(v, by));
    node(&mut p.start, by);
    for (r, n) in &mut p.chain {
        span(&mut r.span, by);
        r.var.iter_mut().for_each(|v| ident(v, by));
        idents(&mut r.types, by);
        r.props.iter_mut().for_each(|e| expr(e, by));
        node(n, by);
    }
}

fn node(n: &mut NodePattern, by: usize) {
    span(&mut n.span, by);
    n.var.iter_mut().for_each(|v| ident(v, by));
    idents(&mut n.labels, by);
    n.props.iter_mut().for_each(|e| expr(e, by));
}

fn expr(e: &mut Expr, by: usize) {
    span(&mut e.span, by);
    match &mut e.kind {
        ExprKind::Literal(_) | ExprKind::Param(_) | ExprKind::Var(_) | ExprKind::CountStar => {}
        ExprKind::List(items) => items.iter_mut().for_each(|x| expr(x, by)),
        ExprKind::Map(entries) => {
            for (k, v) in entries {
                ident(k, by);
                expr(v, by);
            }
        }
        ExprKind::Property(target, key) => {
            expr(target, by);
            ident(key, by);
        }
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            expr(a, by);
            expr(b, by);
        }
        ExprKind::Slice(target, from, to) => {
            expr(target, by);
            from.iter_mut().chain(to.iter_mut()).for_each(|x| expr(x, by));
        }
        ExprKind::HasLabels(target, labels) => {
            expr(target, by);
            idents(labels, by);
        }
        ExprKind::Unary(_, x) | ExprKind::IsNull { expr: x, negated: _ } => expr(x, by),
        ExprKind::Function {
            name,
            distinct: _,
            args,
        } => {
            ident(name, by);
            args.iter_mut().for_each(|x| expr(x, by));
        }
        ExprKind::Case { operand, whens, else_ } => {
            operand.iter_mut().for_each(|x| expr(x, by));
            for (w, t) in whens {
                expr(w, by);
                expr(t, by);
            }
            else_.iter_mut().for_each(|x| expr(x, by));
        }
        ExprKind::ListComprehension { var, list, filter, map } => {
            ident(var, by);
            expr(list, by);
            filter.iter_mut().chain(map.iter_mut()).for_each(|x| expr(x, by));
        }
        ExprKind::Quantified {
            quantifier: _,
            var,
            list,
            filter,
        } => {
            ident(var, by);
            expr(list, by);
            expr(filter, by);
        }
        ExprKind::PatternComprehension {
            pattern: p,
            filter,
            map,
        } => {
            pattern(p, by);
            filter.iter_mut().for_each(|x| expr(x, by));
            expr(map, by);
        }
        ExprKind::PatternPredicate(p) => pattern(p, by),
        ExprKind::Exists(sub) => {
            let Subquery {
                query: q,
                pattern_form: _,
            } = &mut **sub;
            query(q, by);
        }
    }
}
