//! A WITH that only hands a first MATCH's variables on to the next MATCH
//! is folded away: the two clauses become one, a single join problem.
//!
//! ```text
//! MATCH (f:Focus)<-[:FOCUSES_ON]-(r:Role) WITH f, r MATCH (r)-[:REQUIRES]->(s:Skill) ...
//! MATCH (f:Focus)<-[:FOCUSES_ON]-(r:Role), (r)-[:REQUIRES]->(s:Skill) ...
//! ```
//!
//! Matched once, the whole is open to what the optimiser does with a first
//! MATCH (counted per node, factorised, distinct pairs, a start chosen from
//! all of it), where the second clause was matched again for every row of
//! the first.
//!
//! The two forms have the same rows when:
//! - neither MATCH is OPTIONAL (an optional second clause keeps rows the
//!   first made without a match);
//! - the first MATCH starts the query part, and the WITH passes on every
//!   variable it names, as it is (`a`, `a AS a` or `*`), with no DISTINCT,
//!   ORDER BY, SKIP, LIMIT or WHERE: then the names in scope after it are
//!   the same either way, and every row goes on;
//! - every relationship of both clauses has a type, and no type of the
//!   first clause's relationships is one of the second's: one MATCH never
//!   binds one relationship twice, two may, so with disjoint types no row
//!   of the two is one the single clause would drop;
//! - the second clause names none of the first's relationship or path
//!   variables again (one MATCH may bind each only once).
//!
//! The WHERE conditions of both clauses are joined by AND (a MATCH's
//! conditions are checked where its variables are bound, in whatever
//! order the plan finds them, either way). Only the optimised plan is
//! rewritten; the naive plan the tests compare it with keeps the WITH.

use std::collections::HashSet;

use crate::syntax::ast::{BinaryOp, Clause, Expr, ExprKind, Match, PatternPart, Projection};

/// The clauses with each foldable `MATCH … WITH … MATCH` at the start of
/// the part made one MATCH; `None` when there is none.
pub fn rewrite(clauses: &[Clause]) -> Option<Vec<Clause>> {
    let mut out: Option<Vec<Clause>> = None;
    loop {
        let now = out.as_deref().unwrap_or(clauses);
        let [
            Clause::Match(first),
            Clause::With(with),
            Clause::Match(second),
            rest @ ..,
        ] = now
        else {
            return out;
        };
        if !foldable(first, with, second) {
            return out;
        }
        let mut patterns = first.patterns.clone();
        patterns.extend(second.patterns.iter().cloned());
        let where_ = match (&first.where_, &second.where_) {
            (Some(a), Some(b)) => Some(Expr {
                span: a.span,
                kind: ExprKind::Binary(BinaryOp::And, Box::new(a.clone()), Box::new(b.clone())),
            }),
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        let merged = Clause::Match(Match {
            optional: false,
            patterns,
            where_,
            span: first.span,
        });
        let mut next = vec![merged];
        next.extend(rest.iter().cloned());
        out = Some(next);
    }
}

fn foldable(first: &Match, with: &Projection, second: &Match) -> bool {
    if first.optional || second.optional {
        return false;
    }
    if with.distinct
        || !with.order_by.is_empty()
        || with.skip.is_some()
        || with.limit.is_some()
        || with.where_.is_some()
    {
        return false;
    }
    // Every variable of the first clause passed on as it is.
    let named = variables(&first.patterns);
    if with.star && !with.items.is_empty() {
        return false;
    }
    if !with.star {
        let mut passed = HashSet::new();
        for item in &with.items {
            let ExprKind::Var(name) = &item.expr.kind else {
                return false;
            };
            if item.alias.as_ref().is_some_and(|a| &a.name != name) {
                return false;
            }
            passed.insert(name.as_str());
        }
        if passed != named.iter().map(String::as_str).collect() {
            return false;
        }
    }
    // A relationship the first clause names is not named again (one
    // MATCH binds a relationship variable once).
    let again = rel_variables(&second.patterns);
    if rel_variables(&first.patterns).iter().any(|v| again.contains(v)) {
        return false;
    }
    // Typed relationships, the clauses' types apart.
    let (Some(a), Some(b)) = (rel_types(&first.patterns), rel_types(&second.patterns)) else {
        return false;
    };
    a.is_disjoint(&b)
}

/// The names a clause's patterns give (nodes, relationships, paths).
fn variables(patterns: &[PatternPart]) -> HashSet<String> {
    let mut out = HashSet::new();
    for p in patterns {
        out.extend(p.path_var.iter().map(|v| v.name.clone()));
        out.extend(p.start.var.iter().map(|v| v.name.clone()));
        for (rel, node) in &p.chain {
            out.extend(rel.var.iter().map(|v| v.name.clone()));
            out.extend(node.var.iter().map(|v| v.name.clone()));
        }
    }
    out
}

/// The names the patterns give relationships and paths.
fn rel_variables(patterns: &[PatternPart]) -> HashSet<String> {
    let mut out: HashSet<String> = patterns
        .iter()
        .flat_map(|p| &p.path_var)
        .map(|v| v.name.clone())
        .collect();
    for (rel, _) in patterns.iter().flat_map(|p| &p.chain) {
        out.extend(rel.var.iter().map(|v| v.name.clone()));
    }
    out
}

/// The types the patterns' relationships may have; `None` when one may
/// have any.
fn rel_types(patterns: &[PatternPart]) -> Option<HashSet<String>> {
    let mut out = HashSet::new();
    for (rel, _) in patterns.iter().flat_map(|p| &p.chain) {
        if rel.types.is_empty() {
            return None;
        }
        out.extend(rel.types.iter().map(|t| t.name.clone()));
    }
    Some(out)
}
