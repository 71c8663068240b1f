//! Keeps built expression trees shallow enough for the recursive code
//! downstream (planner, evaluator, printer, even `Drop`). Long operator
//! chains (`1+1+...+1`, `a.b.c...`) parse without recursion but fold into
//! deep trees, so every fold checks the depth it produces.

use crate::diag::Span;
use crate::syntax::SyntaxError;
use crate::syntax::ast::{Expr, ExprKind, PatternPart};

/// Deepest expression tree the parser hands out.
pub(super) const MAX_EXPR_DEPTH: usize = 1000;

/// Depth of `e` (a leaf is 1), computed without recursion.
pub(super) fn depth(e: &Expr) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(e, 1)];
    while let Some((e, d)) = stack.pop() {
        deepest = deepest.max(d);
        for_each_child(e, |c| stack.push((c, d + 1)));
    }
    deepest
}

fn for_each_child<'a>(e: &'a Expr, mut f: impl FnMut(&'a Expr)) {
    use ExprKind::*;
    match &e.kind {
        Literal(_) | Param(_) | Var(_) | CountStar => {}
        List(items) => items.iter().for_each(f),
        Map(entries) => entries.iter().for_each(|(_, v)| f(v)),
        Property(b, _) | HasLabels(b, _) | Unary(_, b) | IsNull { expr: b, .. } => f(b),
        Index(a, b) | Binary(_, a, b) => {
            f(a);
            f(b)
        }
        Slice(a, b, c) => {
            f(a);
            b.iter().chain(c.iter()).for_each(|x| f(x));
        }
        Function { args, .. } => args.iter().for_each(f),
        Case { operand, whens, else_ } => {
            operand.iter().chain(else_.iter()).for_each(|x| f(x));
            whens.iter().for_each(|(w, t)| {
                f(w);
                f(t)
            });
        }
        ListComprehension { list, filter, map, .. } => {
            f(list);
            filter.iter().chain(map.iter()).for_each(|x| f(x));
        }
        Quantified { list, filter, .. } => {
            f(list);
            f(filter)
        }
        PatternComprehension { pattern, filter, map } => {
            pattern_exprs(pattern, &mut f);
            filter.iter().for_each(|x| f(x));
            f(map)
        }
        PatternPredicate(pattern) => pattern_exprs(pattern, &mut f),
        // A subquery's expressions count as nested in it.
        Exists(sub) => sub.query.for_each_expr(&mut f),
    }
}

fn pattern_exprs<'a>(p: &'a PatternPart, f: &mut impl FnMut(&'a Expr)) {
    p.for_each_expr(f);
}

/// A left-folded operator chain that refuses to grow past the limit.
pub(super) struct Chain {
    pub(super) acc: Expr,
    depth: usize,
}

impl Chain {
    pub(super) fn new(first: Expr) -> Result<Chain, SyntaxError> {
        let depth = depth(&first);
        check(depth, first.span)?;
        Ok(Chain { acc: first, depth })
    }

    /// Wraps the accumulated tree in a new node whose other children are at
    /// most `sibling_depth` deep.
    pub(super) fn wrap(mut self, sibling_depth: usize, make: impl FnOnce(Expr) -> Expr) -> Result<Chain, SyntaxError> {
        self.depth = self.depth.max(sibling_depth) + 1;
        self.acc = make(self.acc);
        check(self.depth, self.acc.span)?;
        Ok(self)
    }
}

fn check(depth: usize, span: Span) -> Result<(), SyntaxError> {
    if depth <= MAX_EXPR_DEPTH {
        return Ok(());
    }
    Err(SyntaxError {
        code: crate::error::Code::TooComplex,
        message: format!("expression nested too deep (more than {MAX_EXPR_DEPTH} levels)"),
        span,
        help: Some("split the expression up, e.g. with WITH".to_string()),
    })
}
