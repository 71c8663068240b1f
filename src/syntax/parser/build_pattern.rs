//! Pattern pairs (`(a:L {k: v})-[r:T*1..3]->(b)`) to `PatternPart`.

use super::build_expr::{expr, labels, map_entries};
use super::literal::ident;
use super::{Pair, Rule, child, children, internal, required, span_of};
use crate::syntax::SyntaxError;
use crate::syntax::ast::{Expr, ExprKind, Ident, NodePattern, PatternPart, RelDirection, RelPattern, VarLength};

type Result<T> = std::result::Result<T, SyntaxError>;

/// A `pattern` (comma-separated parts).
pub(super) fn pattern(p: &Pair) -> Result<Vec<PatternPart>> {
    children(p).map(|part| part_with_var(&part)).collect()
}

/// A `pattern_part`: its own `p =` comes first.
fn part_with_var(p: &Pair) -> Result<PatternPart> {
    let path_var = child(p, Rule::variable).map(|v| ident(&v)).transpose()?;
    part(p, path_var)
}

/// The node/relationship chain of a `pattern_part` or `rel_chain`.
pub(super) fn part(p: &Pair, path_var: Option<Ident>) -> Result<PatternPart> {
    let start = node(&required(p, Rule::node_pattern)?)?;
    let chain = children(p)
        .filter(|c| c.as_rule() == Rule::pattern_chain)
        .map(|c| {
            let rel = rel(&required(&c, Rule::rel_pattern)?)?;
            Ok((rel, node(&required(&c, Rule::node_pattern)?)?))
        })
        .collect::<Result<_>>()?;
    let span = match &path_var {
        Some(v) => v.span.to(span_of(p)),
        None => span_of(p),
    };
    Ok(PatternPart {
        path_var,
        start,
        chain,
        span,
    })
}

fn node(p: &Pair) -> Result<NodePattern> {
    Ok(NodePattern {
        var: child(p, Rule::variable).map(|v| ident(&v)).transpose()?,
        labels: child(p, Rule::node_labels)
            .map(|l| labels(&l))
            .transpose()?
            .unwrap_or_default(),
        props: child(p, Rule::properties).map(|m| properties(&m)).transpose()?,
        span: span_of(p),
    })
}

/// A map literal or a parameter.
fn properties(p: &Pair) -> Result<Expr> {
    let inner = p
        .clone()
        .into_inner()
        .next()
        .ok_or_else(|| internal(p, "empty properties"))?;
    match inner.as_rule() {
        Rule::map_literal => Ok(Expr {
            kind: ExprKind::Map(map_entries(&inner)?),
            span: span_of(&inner),
        }),
        _ => expr(&inner),
    }
}

fn rel(p: &Pair) -> Result<RelPattern> {
    let left = child(p, Rule::left_arrow).is_some();
    let right = child(p, Rule::right_arrow).is_some();
    let direction = match (left, right) {
        (true, false) => RelDirection::Left,
        (false, true) => RelDirection::Right,
        _ => RelDirection::Either,
    };
    let detail = child(p, Rule::rel_detail);
    let get = |rule| detail.as_ref().and_then(|d| child(d, rule));
    Ok(RelPattern {
        var: get(Rule::variable).map(|v| ident(&v)).transpose()?,
        types: get(Rule::rel_types)
            .map(|t| labels(&t))
            .transpose()?
            .unwrap_or_default(),
        direction,
        length: get(Rule::var_length).map(|l| var_length(&l)).transpose()?,
        props: get(Rule::properties).map(|m| properties(&m)).transpose()?,
        span: span_of(p),
    })
}

/// `*`, `*2` (exactly two), `*1..3`, `*..5`, `*2..`.
fn var_length(p: &Pair) -> Result<VarLength> {
    let min = child(p, Rule::range_min).map(|m| bound(&m)).transpose()?;
    if child(p, Rule::range_dots).is_none() {
        return Ok(VarLength { min, max: min });
    }
    let max = child(p, Rule::range_max).map(|m| bound(&m)).transpose()?;
    Ok(VarLength { min, max })
}

fn bound(p: &Pair) -> Result<u64> {
    p.as_str().parse().map_err(|_| SyntaxError {
        code: crate::error::Code::IntegerOverflow,
        message: "relationship length bound is too large".to_string(),
        span: span_of(p),
        help: None,
    })
}
