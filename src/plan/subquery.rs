//! Binds `EXISTS { ... }` subqueries. A subquery is planned like a query
//! of its own, from a scope holding the enclosing variables it names (its
//! imports); what it declares stays inside. It may only read: an editing
//! clause in it is InvalidClauseComposition. The pattern form
//! (`EXISTS { (a)-->(b) WHERE ... }`) is one MATCH clause, so at run time
//! it is a semi-join: matching stops at the first match.

use std::collections::HashSet;

use super::expr::Binder;
use super::ops::{PExpr, PKind, PatternPlan, SubqueryPlan};
use super::optimise::decorrelate;
use super::query;
use super::scope::{Scope, VarKind};
use super::walk;
use crate::error::QueryError;
use crate::syntax::ast::{Clause, Match, PatternPart, Query, SingleQuery, Subquery};

/// Plans `sub` as seen from `outer`.
pub fn exists(b: &mut Binder<'_>, sub: &Subquery, outer: &Scope) -> Result<SubqueryPlan, QueryError> {
    let mut names = HashSet::new();
    walk::query_names(&sub.query, &mut names);
    // The variables visible outside (the latest of each name) that the
    // subquery names, in slot order.
    let mut scope = Scope::default();
    let mut imports = Vec::new();
    for (slot, v) in outer.vars().iter().enumerate() {
        if !v.anonymous && names.contains(&v.name) && outer.lookup(&v.name).map(|(s, _)| s) == Some(slot) {
            scope.push(&v.name, v.kind);
            imports.push(slot);
        }
    }
    let one_node = imports.len() == 1 && matches!(outer.vars()[imports[0]].kind, VarKind::Node);
    let parts = b.isolated(|b| query::plan_subquery(b, &sub.query, scope.clone()))?;
    // The same subquery planned as written, to be matched once with the
    // imported node left free (a semi-join, when the cost model says so).
    let once = match (b.optimise, one_node, parts.as_slice()) {
        (true, true, [_]) => {
            b.optimise = false;
            let raw = b.isolated(|b| query::plan_subquery(b, &sub.query, scope));
            b.optimise = true;
            match raw?.as_slice() {
                [raw] => decorrelate::exists(&raw.ops, b.graph).map(|mut s| {
                    s.id = b.next_pattern_id();
                    Box::new(s)
                }),
                _ => None,
            }
        }
        _ => None,
    };
    Ok(SubqueryPlan { imports, parts, once })
}

/// A pattern predicate (`WHERE (r)-[:FOCUSES_ON]->(:Focus {name: 'x'})`)
/// that the evaluator cannot answer from the adjacency of one hop
/// (`eval/ops/pattern_exists.rs`): planned as the `EXISTS { MATCH ... }`
/// it means, so that it is decorrelated the same way (matched once with
/// its one imported node left free, when the cost model says so; see
/// `optimise/decorrelate.rs`). `None` keeps the pattern as it is: one
/// plain hop, a pattern anchored at a node given by `id`, several
/// imported variables, or a subquery that would not be decorrelated (then
/// matching the pattern per row is what both do).
pub fn pattern_predicate(
    b: &mut Binder<'_>,
    part: &PatternPart,
    plan: &PatternPlan,
    outer: &Scope,
) -> Result<Option<SubqueryPlan>, QueryError> {
    let one_plain_hop = matches!(plan.rels.as_slice(), [r] if r.var_len.is_none() && r.props.is_none())
        && plan.nodes.iter().all(|n| n.props.is_none())
        && plan.filters.iter().all(Vec::is_empty);
    // A node given by `id` anchors it: `eval/ops/anchored_exists.rs`
    // answers it from a set made once already, more cheaply per row.
    let anchored = plan.nodes.iter().any(|n| {
        matches!(&n.props, Some(PExpr { kind: PKind::Map(entries), .. }) if entries.iter().any(|(k, _)| &**k == "id"))
    });
    if !b.optimise || one_plain_hop || anchored || plan.path_slot.is_some() {
        return Ok(None);
    }
    let span = part.span;
    let sub = Subquery {
        query: Query {
            parts: vec![SingleQuery {
                clauses: vec![Clause::Match(Match {
                    optional: false,
                    patterns: vec![part.clone()],
                    where_: None,
                    span,
                })],
                span,
            }],
            unions: Vec::new(),
        },
        pattern_form: true,
    };
    let planned = exists(b, &sub, outer)?;
    Ok(planned.once.is_some().then_some(planned))
}
