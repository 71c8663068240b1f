//! Expression pairs to `Expr`. Precedence is already in the pair tree (one
//! rule per level); this folds each level's operator chain to the left.
//! Levels with a single operand are walked in a loop, not by recursion, so
//! the stack only grows with real nesting.

use super::depth::{Chain, depth};
use super::literal::{ident, is_number, literal, name_text};
use super::{Pair, Rule, build_pattern, children, internal, required, span_of};
use crate::syntax::SyntaxError;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Quantifier, UnaryOp};

type Result<T> = std::result::Result<T, SyntaxError>;

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

fn binary(op: BinaryOp, l: Expr, r: Expr) -> Expr {
    let span = l.span.to(r.span);
    Expr {
        kind: ExprKind::Binary(op, boxed(l), boxed(r)),
        span,
    }
}

/// Any expression-level pair (`expression`, `or_expr`, ..., `atom`).
pub(super) fn expr(p: &Pair) -> Result<Expr> {
    let mut p = p.clone();
    loop {
        if passes_through(p.as_rule()) {
            let mut inner = children(&p);
            if let (Some(only), None) = (inner.next(), inner.next()) {
                p = only;
                continue;
            }
        }
        return level(&p);
    }
}

/// Rules that are just their only child when they have one.
fn passes_through(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        expression
            | or_expr
            | xor_expr
            | and_expr
            | not_expr
            | comparison
            | predicate_expr
            | add_expr
            | mul_expr
            | pow_expr
            | unary_expr
            | postfix_expr
            | atom
            | case_operand
            | slice_lower
            | slice_upper
    )
}

fn level(p: &Pair) -> Result<Expr> {
    match p.as_rule() {
        Rule::or_expr => fold_fixed(p, BinaryOp::Or),
        Rule::xor_expr => fold_fixed(p, BinaryOp::Xor),
        Rule::and_expr => fold_fixed(p, BinaryOp::And),
        Rule::not_expr => not_expr(p),
        Rule::comparison => comparison(p),
        Rule::predicate_expr => predicate(p),
        Rule::add_expr | Rule::mul_expr | Rule::pow_expr => fold_ops(p),
        Rule::unary_expr => unary(p),
        Rule::postfix_expr => postfix(p),
        _ => atom(p),
    }
}

/// `a OR b OR c`: operands only (the keyword tokens are filtered out).
fn fold_fixed(p: &Pair, op: BinaryOp) -> Result<Expr> {
    let mut operands = children(p);
    let first = operands.next().ok_or_else(|| internal(p, "no operand"))?;
    let mut chain = Chain::new(expr(&first)?)?;
    for next in operands {
        chain = push_binary(chain, op, expr(&next)?)?;
    }
    Ok(chain.acc)
}

fn push_binary(chain: Chain, op: BinaryOp, rhs: Expr) -> Result<Chain> {
    chain.wrap(depth(&rhs), |acc| binary(op, acc, rhs))
}

/// `a + b - c`, `a * b`, `a ^ b`: operand (operator operand)*.
fn fold_ops(p: &Pair) -> Result<Expr> {
    let mut items = children(p);
    let first = items.next().ok_or_else(|| internal(p, "no operand"))?;
    let mut chain = Chain::new(expr(&first)?)?;
    while let (Some(op), Some(rhs)) = (items.next(), items.next()) {
        chain = push_binary(chain, arith_op(&op)?, expr(&rhs)?)?;
    }
    Ok(chain.acc)
}

fn arith_op(op: &Pair) -> Result<BinaryOp> {
    Ok(match op.as_str() {
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Sub,
        "*" => BinaryOp::Mul,
        "/" => BinaryOp::Div,
        "%" => BinaryOp::Mod,
        "^" => BinaryOp::Pow,
        _ => return Err(internal(op, "unknown arithmetic operator")),
    })
}

fn not_expr(p: &Pair) -> Result<Expr> {
    let items: Vec<Pair> = children(p).collect();
    let (operand, nots) = items.split_last().ok_or_else(|| internal(p, "empty NOT"))?;
    let mut chain = Chain::new(expr(operand)?)?;
    for not in nots.iter().rev() {
        chain = chain.wrap(0, |acc| {
            let span = span_of(not).to(acc.span);
            Expr {
                kind: ExprKind::Unary(UnaryOp::Not, boxed(acc)),
                span,
            }
        })?;
    }
    Ok(chain.acc)
}

/// `a < b <= c` means `a < b AND b <= c`.
fn comparison(p: &Pair) -> Result<Expr> {
    let mut items = children(p);
    let first = items.next().ok_or_else(|| internal(p, "no operand"))?;
    let mut lhs = expr(&first)?;
    let mut chain: Option<Chain> = None;
    while let (Some(op), Some(rhs)) = (items.next(), items.next()) {
        let rhs = expr(&rhs)?;
        let cmp = binary(comparison_op(&op)?, lhs, rhs.clone());
        chain = Some(match chain {
            None => Chain::new(cmp)?,
            Some(prev) => push_binary(prev, BinaryOp::And, cmp)?,
        });
        lhs = rhs;
    }
    Ok(chain.map_or(lhs, |c| c.acc))
}

fn comparison_op(op: &Pair) -> Result<BinaryOp> {
    Ok(match op.as_str() {
        "=" => BinaryOp::Eq,
        "<>" | "!=" => BinaryOp::Ne,
        "<" => BinaryOp::Lt,
        "<=" => BinaryOp::Le,
        ">" => BinaryOp::Gt,
        ">=" => BinaryOp::Ge,
        _ => return Err(internal(op, "unknown comparison")),
    })
}

/// `a IN b`, `a STARTS WITH b`, ..., `a IS [NOT] NULL`, chained to the left.
fn predicate(p: &Pair) -> Result<Expr> {
    let mut items = children(p);
    let first = items.next().ok_or_else(|| internal(p, "no operand"))?;
    let mut chain = Chain::new(expr(&first)?)?;
    while let Some(op) = items.next() {
        if op.as_rule() == Rule::null_test {
            let negated = op.clone().into_inner().any(|c| c.as_rule() == Rule::null_negated);
            chain = chain.wrap(0, |acc| {
                let span = acc.span.to(span_of(&op));
                Expr {
                    kind: ExprKind::IsNull {
                        expr: boxed(acc),
                        negated,
                    },
                    span,
                }
            })?;
            continue;
        }
        let rhs = items.next().ok_or_else(|| internal(p, "operator without operand"))?;
        chain = push_binary(chain, predicate_op(&op)?, expr(&rhs)?)?;
    }
    Ok(chain.acc)
}

fn predicate_op(op: &Pair) -> Result<BinaryOp> {
    let kind = op
        .clone()
        .into_inner()
        .next()
        .ok_or_else(|| internal(op, "empty operator"))?;
    Ok(match kind.as_rule() {
        Rule::in_op => BinaryOp::In,
        Rule::starts_with => BinaryOp::StartsWith,
        Rule::ends_with => BinaryOp::EndsWith,
        Rule::contains => BinaryOp::Contains,
        Rule::regex_match => BinaryOp::RegexMatch,
        _ => return Err(internal(op, "unknown predicate operator")),
    })
}

/// Prefix `-`/`+`; a `-` right before a number literal becomes part of it.
fn unary(p: &Pair) -> Result<Expr> {
    let items: Vec<Pair> = children(p).collect();
    let (operand, ops) = items.split_last().ok_or_else(|| internal(p, "empty unary"))?;
    let mut ops = ops.to_vec();
    let first = match (ops.last(), bare_number(operand)) {
        (Some(minus), Some(lit)) if minus.as_str() == "-" => {
            let span = span_of(minus).to(span_of(operand));
            ops.pop();
            Expr {
                kind: ExprKind::Literal(literal(&lit, true)?),
                span,
            }
        }
        _ => expr(operand)?,
    };
    let mut chain = Chain::new(first)?;
    for op in ops.iter().rev() {
        let kind = if op.as_str() == "-" {
            UnaryOp::Neg
        } else {
            UnaryOp::Plus
        };
        chain = chain.wrap(0, |acc| {
            let span = span_of(op).to(acc.span);
            Expr {
                kind: ExprKind::Unary(kind, boxed(acc)),
                span,
            }
        })?;
    }
    Ok(chain.acc)
}

/// The `literal` pair if `p` (a `postfix_expr`) is a number and nothing more.
fn bare_number<'i>(p: &Pair<'i>) -> Option<Pair<'i>> {
    let mut inner = p.clone().into_inner();
    let atom = inner.next()?;
    if inner.next().is_some() {
        return None;
    }
    let lit = atom.into_inner().next()?;
    (lit.as_rule() == Rule::literal && is_number(&lit)).then_some(lit)
}

fn postfix(p: &Pair) -> Result<Expr> {
    let mut items = children(p);
    let first = items.next().ok_or_else(|| internal(p, "no operand"))?;
    let mut chain = Chain::new(expr(&first)?)?;
    for op in items {
        let op = op.into_inner().next().ok_or_else(|| internal(p, "empty postfix"))?;
        chain = match op.as_rule() {
            Rule::property_lookup => {
                let key = ident(&required(&op, Rule::prop_key)?)?;
                chain.wrap(0, |acc| wrap_postfix(&op, acc, |acc| ExprKind::Property(acc, key)))?
            }
            Rule::label_test => {
                let labels = labels(&op)?;
                chain.wrap(0, |acc| wrap_postfix(&op, acc, |acc| ExprKind::HasLabels(acc, labels)))?
            }
            _ => subscript(&op, chain)?,
        };
    }
    Ok(chain.acc)
}

fn wrap_postfix(op: &Pair, acc: Expr, make: impl FnOnce(Box<Expr>) -> ExprKind) -> Expr {
    let span = acc.span.to(span_of(op));
    Expr {
        kind: make(boxed(acc)),
        span,
    }
}

pub(super) fn labels(p: &Pair) -> Result<Vec<crate::syntax::ast::Ident>> {
    children(p).map(|l| ident(&l)).collect()
}

fn subscript(op: &Pair, chain: Chain) -> Result<Chain> {
    let lower = super::child(op, Rule::slice_lower).map(|l| expr(&l)).transpose()?;
    let Some(rest) = super::child(op, Rule::slice_rest) else {
        let index = lower.ok_or_else(|| internal(op, "index without expression"))?;
        let d = depth(&index);
        return chain.wrap(d, |acc| wrap_postfix(op, acc, |acc| ExprKind::Index(acc, boxed(index))));
    };
    let upper = super::child(&rest, Rule::slice_upper).map(|u| expr(&u)).transpose()?;
    let d = lower.iter().chain(upper.iter()).map(depth).max().unwrap_or(0);
    chain.wrap(d, |acc| {
        wrap_postfix(op, acc, |acc| ExprKind::Slice(acc, lower.map(boxed), upper.map(boxed)))
    })
}

fn atom(p: &Pair) -> Result<Expr> {
    let span = span_of(p);
    let kind = match p.as_rule() {
        Rule::literal => ExprKind::Literal(literal(p, false)?),
        Rule::parameter => ExprKind::Param(parameter_name(p)?),
        Rule::variable => ExprKind::Var(name_text(p)?),
        Rule::count_star => ExprKind::CountStar,
        Rule::case_expr => case(p)?,
        Rule::list_literal => ExprKind::List(children(p).map(|e| expr(&e)).collect::<Result<_>>()?),
        Rule::map_literal => ExprKind::Map(map_entries(p)?),
        Rule::list_comprehension => list_comprehension(p)?,
        Rule::pattern_comprehension => pattern_comprehension(p)?,
        Rule::quantified => quantified(p)?,
        Rule::pattern_predicate => {
            let chain = required(p, Rule::rel_chain)?;
            ExprKind::PatternPredicate(Box::new(build_pattern::part(&chain, None)?))
        }
        Rule::exists_subquery => ExprKind::Exists(Box::new(super::build_stmt::subquery(p)?)),
        Rule::function_call => function(p)?,
        Rule::paren_expr => {
            return Ok(Expr {
                span,
                ..expr(&required(p, Rule::expression)?)?
            });
        }
        _ => return Err(internal(p, "unknown expression")),
    };
    Ok(Expr { kind, span })
}

fn parameter_name(p: &Pair) -> Result<String> {
    let inner = p
        .clone()
        .into_inner()
        .next()
        .ok_or_else(|| internal(p, "empty parameter"))?;
    if inner.as_rule() == Rule::dec_int {
        Ok(inner.as_str().to_string())
    } else {
        name_text(&inner)
    }
}

pub(super) fn map_entries(p: &Pair) -> Result<Vec<(crate::syntax::ast::Ident, Expr)>> {
    children(p)
        .map(|entry| {
            Ok((
                ident(&required(&entry, Rule::prop_key)?)?,
                expr(&required(&entry, Rule::expression)?)?,
            ))
        })
        .collect()
}

fn case(p: &Pair) -> Result<ExprKind> {
    let mut operand = None;
    let mut whens = Vec::new();
    let mut else_ = None;
    for c in children(p) {
        match c.as_rule() {
            Rule::case_operand => operand = Some(boxed(expr(&c)?)),
            Rule::case_when => {
                let mut parts = children(&c);
                let (Some(w), Some(t)) = (parts.next(), parts.next()) else {
                    return Err(internal(&c, "WHEN without THEN"));
                };
                whens.push((expr(&w)?, expr(&t)?));
            }
            Rule::case_else => else_ = Some(boxed(expr(&required(&c, Rule::expression)?)?)),
            _ => {}
        }
    }
    Ok(ExprKind::Case { operand, whens, else_ })
}

/// The WHERE and `|` parts shared by the comprehensions.
fn comp_part(p: &Pair, rule: Rule) -> Result<Option<Box<Expr>>> {
    match super::child(p, rule) {
        Some(c) => Ok(Some(boxed(expr(&required(&c, Rule::expression)?)?))),
        None => Ok(None),
    }
}

fn list_comprehension(p: &Pair) -> Result<ExprKind> {
    Ok(ExprKind::ListComprehension {
        var: ident(&required(p, Rule::variable)?)?,
        list: boxed(expr(&required(p, Rule::expression)?)?),
        filter: comp_part(p, Rule::comp_filter)?,
        map: comp_part(p, Rule::comp_map)?,
    })
}

fn pattern_comprehension(p: &Pair) -> Result<ExprKind> {
    let path_var = match super::child(p, Rule::comp_path_var) {
        Some(v) => Some(ident(&required(&v, Rule::variable)?)?),
        None => None,
    };
    let pattern = build_pattern::part(&required(p, Rule::rel_chain)?, path_var)?;
    let map = comp_part(p, Rule::comp_map)?.ok_or_else(|| internal(p, "no map"))?;
    Ok(ExprKind::PatternComprehension {
        pattern: Box::new(pattern),
        filter: comp_part(p, Rule::comp_filter)?,
        map,
    })
}

fn quantified(p: &Pair) -> Result<ExprKind> {
    let quantifier = match required(p, Rule::quantifier)?.as_str().to_ascii_lowercase().as_str() {
        "all" => Quantifier::All,
        "any" => Quantifier::Any,
        "none" => Quantifier::None,
        _ => Quantifier::Single,
    };
    Ok(ExprKind::Quantified {
        quantifier,
        var: ident(&required(p, Rule::variable)?)?,
        list: boxed(expr(&required(p, Rule::expression)?)?),
        filter: comp_part(p, Rule::comp_filter)?.ok_or_else(|| internal(p, "no WHERE"))?,
    })
}

fn function(p: &Pair) -> Result<ExprKind> {
    let name_pair = required(p, Rule::function_name)?;
    let parts: Vec<String> = name_pair
        .clone()
        .into_inner()
        .map(|n| name_text(&n))
        .collect::<Result<_>>()?;
    let name = crate::syntax::ast::Ident {
        name: parts.join("."),
        span: span_of(&name_pair),
    };
    let distinct = super::child(p, Rule::distinct).is_some();
    let args = children(p)
        .filter(|c| c.as_rule() == Rule::expression)
        .map(|a| expr(&a))
        .collect::<Result<_>>()?;
    Ok(ExprKind::Function { name, distinct, args })
}
