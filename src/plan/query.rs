//! Plans a query's clauses into operators, checking clause order, column
//! names and where aggregates may appear.

use super::expr::{AggSite, Binder, is_constant};
use super::ops::{
    CreateOp, MatchOp, Op, PExpr, PKind, PartPlan, PatternPlan, ProjectOp, QueryPlan, SeekLookup, SortKey, UnwindOp,
};
use super::pattern;
use super::scope::{Scope, VarKind};
use super::types::SType;
use super::update::{self, UpdateOp};
use super::walk;
use crate::diag::Span;
use crate::error::{Code, QueryError};
use crate::syntax::ast::{Clause, ExprKind, Projection, Query, SingleQuery};
use crate::value::Value;

/// Where a query stands: a statement of its own, or the body of a subquery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    Statement,
    /// Read-only, may end with a reading clause, and starts from the
    /// scope of the variables it imports.
    Subquery,
}

pub fn plan_query(b: &mut Binder<'_>, q: &Query, text: &str) -> Result<QueryPlan, QueryError> {
    let (parts, columns) = plan_parts(b, q, text, &Scope::default(), Body::Statement)?;
    let writes = parts
        .iter()
        .any(|p| p.ops.iter().any(|o| matches!(o, Op::Create(_) | Op::Update(_))));
    Ok(QueryPlan {
        parts,
        unions: q.unions.clone(),
        columns,
        writes,
    })
}

/// Plans the body of a subquery, starting from `scope` (its imports).
pub fn plan_subquery(b: &mut Binder<'_>, q: &Query, scope: Scope) -> Result<Vec<PartPlan>, QueryError> {
    let text = b.text;
    Ok(plan_parts(b, q, text, &scope, Body::Subquery)?.0)
}

/// The query's single queries and the columns they share.
fn plan_parts(
    b: &mut Binder<'_>,
    q: &Query,
    text: &str,
    scope: &Scope,
    body: Body,
) -> Result<(Vec<PartPlan>, Vec<String>), QueryError> {
    let mut parts = Vec::with_capacity(q.parts.len());
    // Node variables proven equal are made one (see `unify.rs`) in a
    // statement that changes nothing: an edit could give two nodes one id.
    let unify = b.optimise
        && body == Body::Statement
        && q.parts
            .iter()
            .all(|p| p.clauses.iter().all(|c| editing_clause(c).is_none()));
    for part in &q.parts {
        parts.push(plan_single(b, part, text, scope.clone(), body, unify)?);
    }
    let columns = parts.first().map(|p| p.columns.clone()).unwrap_or_default();
    for (i, p) in parts.iter().enumerate().skip(1) {
        if p.columns != columns {
            return Err(QueryError::compile(
                Code::DifferentColumnsInUnion,
                format!(
                    "all parts of a UNION must return the same columns: [{}] vs [{}]",
                    columns.join(", "),
                    p.columns.join(", ")
                ),
                q.parts[i].span,
            ));
        }
    }
    if q.unions.windows(2).any(|w| w[0] != w[1]) {
        return Err(QueryError::compile(
            Code::InvalidClauseComposition,
            "UNION and UNION ALL cannot be mixed in one query",
            q.parts[0].span,
        ));
    }
    Ok((parts, columns))
}

fn plan_single(
    b: &mut Binder<'_>,
    q: &SingleQuery,
    text: &str,
    mut scope: Scope,
    body: Body,
    unify: bool,
) -> Result<PartPlan, QueryError> {
    // A WITH only passing a first MATCH's variables to the next MATCH is
    // folded away, and lists collected only to be measured are counted
    // (optimised plans only).
    // A WITH's WHERE over plain renames is checked in the MATCH before it
    // (which may then fold with the next MATCH).
    let moved = match b.optimise {
        true => super::with_where::rewrite(&q.clauses),
        false => None,
    };
    let moved: &[Clause] = moved.as_deref().unwrap_or(&q.clauses);
    let merged = match b.optimise {
        true => super::merge_match::rewrite(moved),
        false => None,
    };
    let merged: &[Clause] = merged.as_deref().unwrap_or(moved);
    let sized = match b.optimise {
        true => super::sized_collect::rewrite(merged),
        false => None,
    };
    let clauses: &[Clause] = sized.as_deref().unwrap_or(merged);
    let mut ops = Vec::with_capacity(clauses.len());
    let mut columns = Vec::new();
    let last = clauses.len().saturating_sub(1);
    let mut seen_update = false;
    for (i, clause) in clauses.iter().enumerate() {
        if body == Body::Subquery
            && let Some((name, span)) = editing_clause(clause)
        {
            return Err(composition(
                span,
                &format!("an EXISTS subquery only reads the graph; {name} cannot be used in it"),
            ));
        }
        match clause {
            Clause::Match(m) => {
                if seen_update {
                    return Err(composition(
                        m.span,
                        "MATCH cannot follow an editing clause (CREATE, MERGE, SET, REMOVE, DELETE) without a WITH in between",
                    ));
                }
                let unified = match unify {
                    true => super::unify::later_names(&clauses[i + 1..]).and_then(|later| {
                        let bound = |v: &str| scope.lookup(v).is_some();
                        super::unify::unify(m, &bound, &later, b.graph.every_node_has_key())
                    }),
                    false => None,
                };
                let m = unified.as_ref().unwrap_or(m);
                let before = scope.len();
                let mut patterns = Vec::with_capacity(m.patterns.len());
                for p in &m.patterns {
                    patterns.push(pattern::match_pattern(b, p, &mut scope, before)?);
                }
                let filter = match &m.where_ {
                    Some(w) => Some(b.predicate(w, &mut scope, &mut AggSite::Forbidden("WHERE"))?),
                    None => None,
                };
                let mut op = MatchOp {
                    optional: m.optional,
                    patterns,
                    filter,
                    new_slots: (before..scope.len()).collect(),
                    width: scope.len(),
                };
                if b.optimise {
                    super::optimise::match_clause(&mut op, before, b.graph);
                }
                ops.push(Op::Match(op));
            }
            Clause::Unwind(u) => {
                let expr = b.expr(&u.expr, &mut scope, &mut AggSite::Forbidden("UNWIND"))?;
                if scope.lookup(&u.alias.name).is_some() {
                    return Err(already_bound(&u.alias.name, u.alias.span));
                }
                let slot = scope.push(&u.alias.name, VarKind::Value(SType::Any));
                ops.push(Op::Unwind(UnwindOp { expr, slot }));
            }
            Clause::Create(c) => {
                let mut patterns = Vec::with_capacity(c.patterns.len());
                for p in &c.patterns {
                    patterns.push(pattern::create_pattern(b, p, &mut scope)?);
                }
                ops.push(Op::Create(CreateOp {
                    patterns,
                    width: scope.len(),
                }));
                seen_update = true;
            }
            Clause::Set(c) => {
                ops.push(Op::Update(UpdateOp::Set(update::set(b, c, &mut scope)?)));
                seen_update = true;
            }
            Clause::Remove(c) => {
                ops.push(Op::Update(UpdateOp::Remove(update::remove(b, c, &mut scope)?)));
                seen_update = true;
            }
            Clause::Delete(c) => {
                ops.push(Op::Update(UpdateOp::Delete(update::delete(b, c, &mut scope)?)));
                seen_update = true;
            }
            Clause::Merge(m) => {
                ops.push(Op::Update(UpdateOp::Merge(Box::new(update::merge(b, m, &mut scope)?))));
                seen_update = true;
            }
            Clause::With(p) => {
                let (op, new_scope) = projection(b, p, &scope, text, false)?;
                ops.push(Op::Project(op));
                scope = new_scope;
                seen_update = false;
            }
            Clause::Return(p) => {
                if i != last {
                    return Err(composition(
                        p.span,
                        "RETURN can only be the last clause of a query; use WITH to continue",
                    ));
                }
                let (op, _) = projection(b, p, &scope, text, true)?;
                columns = op.columns.clone();
                ops.push(Op::Project(op));
            }
        }
    }
    match (clauses.last(), body) {
        (
            Some(
                Clause::Return(_)
                | Clause::Create(_)
                | Clause::Set(_)
                | Clause::Remove(_)
                | Clause::Delete(_)
                | Clause::Merge(_),
            ),
            _,
        ) => {}
        // A subquery may end with a reading clause, except WITH.
        (Some(Clause::Match(_) | Clause::Unwind(_)), Body::Subquery) => {}
        (Some(_) | None, _) => {
            let what = match body {
                Body::Statement => {
                    "a query must end with RETURN or an editing clause (CREATE, MERGE, SET, REMOVE, DELETE)"
                }
                Body::Subquery => "a subquery cannot end with WITH; end it with RETURN, MATCH or UNWIND",
            };
            return Err(
                QueryError::compile(Code::InvalidClauseComposition, what, Span::new(q.span.end, q.span.end)).with_help(
                    (body == Body::Statement).then(|| "add RETURN with what you want to see, e.g. RETURN *".into()),
                ),
            );
        }
    }
    if b.optimise {
        super::optimise::count_var::count_star(&mut ops, b.graph);
    }
    // The rewrites count matches from the one empty row a statement
    // starts with; a subquery starts from each outer row.
    if b.optimise && body == Body::Statement {
        super::rewrite::count_per_type(&mut ops, b.graph);
        super::rewrite::count_per_node(&mut ops);
        super::rewrite::distinct_end(&mut ops);
        super::optimise::distinct_starts::choose(&mut ops, b.graph);
        super::optimise::distinct_pairs::choose(&mut ops, b.graph);
        super::optimise::factor_count::choose(&mut ops, b.graph);
        super::optimise::walk_count::choose(&mut ops, b.graph);
        super::optimise::symmetric_count::choose(&mut ops);
        super::rewrite::last_hop(&mut ops);
        super::optimise::intersect_count::choose(&mut ops);
    }
    super::optimise::filter_op::split_where(&mut ops);
    if b.optimise {
        let graph = b.graph;
        super::optimise::group_join::choose(&mut ops, graph, &mut || b.next_pattern_id());
        super::optimise::anti_join::choose(&mut ops);
        super::optimise::prepared_keys::choose(&mut ops);
        // A subquery's rows are not told apart from those of other outer rows.
        if body == Body::Statement {
            super::optimise::group_start::choose(&mut ops, graph);
            super::optimise::row_groups::choose(&mut ops);
        }
        super::optimise::ordered_scan::choose(&mut ops, b.graph);
        super::optimise::top_k_scan::choose(&mut ops);
        // A subquery runs once per outer row: its sections stay on one thread.
        if body == Body::Statement {
            super::optimise::parallel::choose(&mut ops, b.graph);
        }
    }
    Ok(PartPlan { ops, columns })
}

/// The keyword and span of an editing clause.
fn editing_clause(c: &Clause) -> Option<(&'static str, Span)> {
    Some(match c {
        Clause::Create(c) => ("CREATE", c.span),
        Clause::Merge(m) => ("MERGE", m.span),
        Clause::Set(s) => ("SET", s.span),
        Clause::Remove(r) => ("REMOVE", r.span),
        Clause::Delete(d) => (if d.detach { "DETACH DELETE" } else { "DELETE" }, d.span),
        Clause::Match(_) | Clause::Unwind(_) | Clause::With(_) | Clause::Return(_) => return None,
    })
}

fn composition(span: Span, msg: &str) -> QueryError {
    QueryError::compile(Code::InvalidClauseComposition, msg, span)
}

fn already_bound(name: &str, span: Span) -> QueryError {
    QueryError::compile(
        Code::VariableAlreadyBound,
        format!("variable '{name}' is already bound"),
        span,
    )
}

/// Plans WITH / RETURN; returns the operator and the scope after it.
fn projection(
    b: &mut Binder<'_>,
    p: &Projection,
    input: &Scope,
    text: &str,
    is_return: bool,
) -> Result<(ProjectOp, Scope), QueryError> {
    let clause = if is_return { "RETURN" } else { "WITH" };
    let mut work = input.clone();
    let mut items = Vec::new();
    let mut columns: Vec<String> = Vec::new();
    let mut kinds = Vec::new();
    let mut aggregates = Vec::new();
    let mut is_key = Vec::new();
    let mut item_texts = Vec::new();
    if p.star {
        let names = input.star_names();
        // WITH * over no variables passes the rows on (a later CREATE runs
        // once per row); RETURN * would return rows without columns.
        if names.is_empty() && is_return && p.items.is_empty() {
            return Err(QueryError::compile(
                Code::NoVariablesInScope,
                "RETURN * needs at least one variable in scope",
                p.span,
            ));
        }
        for (name, slot) in names {
            items.push(PExpr::new(PKind::Slot(slot), p.span));
            kinds.push(input.vars()[slot].kind);
            item_texts.push(name.clone());
            columns.push(name);
            is_key.push(true);
        }
    }
    for item in &p.items {
        let before = aggregates.len();
        let e = b.expr(&item.expr, &mut work, &mut AggSite::Collect(&mut aggregates))?;
        let name = item.column_name().to_string();
        if !is_return && item.alias.is_none() && !matches!(item.expr.kind, ExprKind::Var(_)) {
            return Err(QueryError::compile(
                Code::NoExpressionAlias,
                "an expression in WITH must be given a name with AS",
                item.expr.span,
            )
            .with_help(Some(format!("write {} AS name", item.text))));
        }
        if columns.contains(&name) {
            let span = item.alias.as_ref().map(|a| a.span).unwrap_or(item.expr.span);
            return Err(QueryError::compile(
                Code::ColumnNameConflict,
                format!("{clause} has two columns named '{name}'"),
                span,
            )
            .with_help(Some("give one of them another name with AS".into())));
        }
        let kind = match &item.expr.kind {
            ExprKind::Var(v) => input.lookup(v).map(|(_, k)| k).unwrap_or(VarKind::Value(SType::Any)),
            _ => match super::types::stype(&e, &work) {
                SType::Node => VarKind::Node,
                SType::Rel => VarKind::Rel,
                SType::Path => VarKind::Path,
                t => VarKind::Value(t),
            },
        };
        is_key.push(aggregates.len() == before);
        items.push(e);
        kinds.push(kind);
        columns.push(name);
        item_texts.push(item.text.clone());
    }
    let aggregating = !aggregates.is_empty();
    if aggregating {
        check_grouping(p, &item_texts, &is_key, text)?;
    }

    let mut out = Scope::default();
    for (name, kind) in columns.iter().zip(&kinds) {
        out.push(name, *kind);
    }

    // Without aggregation, ORDER BY (unless DISTINCT) and WHERE also see
    // the variables from before the projection; the row then carries them.
    let sort_sees_input = !aggregating && !p.distinct;
    let mut order_by = Vec::with_capacity(p.order_by.len());
    let mut group_sort = Vec::new();
    for s in &p.order_by {
        let sort_text = text.get(s.expr.span.start..s.expr.span.end).unwrap_or("").trim();
        let expr = if let Some(i) = item_texts.iter().position(|t| t == sort_text) {
            PExpr::new(PKind::Slot(i), s.expr.span)
        } else if aggregating {
            // Computed once per group, over the projected row, with any
            // aggregate it uses accumulated beside the projected ones.
            let e = bind_group_sort(b, &s.expr, p, input, &out, &item_texts, &is_key, &mut aggregates)?;
            group_sort.push(e);
            PExpr::new(PKind::Slot(items.len() + group_sort.len() - 1), s.expr.span)
        } else {
            bind_sort(
                b,
                &s.expr,
                input,
                &out,
                &mut AggSite::Forbidden("ORDER BY"),
                sort_sees_input,
                clause,
                false,
            )?
        };
        order_by.push(SortKey {
            expr,
            descending: s.descending,
        });
    }

    let skip = constant_count(b, p.skip.as_ref(), "SKIP")?;
    let limit = constant_count(b, p.limit.as_ref(), "LIMIT")?;
    let filter = match &p.where_ {
        Some(w) => Some(bind_sort(
            b,
            w,
            input,
            &out,
            &mut AggSite::Forbidden("WHERE"),
            !aggregating,
            clause,
            true,
        )?),
        None => None,
    };
    let op = ProjectOp {
        items,
        columns,
        aggregates,
        is_key,
        distinct: p.distinct,
        order_by,
        sort_sees_input,
        group_sort,
        keep_input: !aggregating && (sort_sees_input || p.where_.is_some()),
        skip,
        limit,
        filter,
        input_sorted: false,
        prepared_keys: false,
        prepared_args: false,
    };
    Ok((op, out))
}

/// Binds a sort key. Output columns shadow input variables of the same name.
#[allow(clippy::too_many_arguments)]
fn bind_sort(
    b: &mut Binder<'_>,
    e: &crate::syntax::ast::Expr,
    input: &Scope,
    out: &Scope,
    site: &mut AggSite<'_>,
    sees_input: bool,
    clause: &str,
    is_where: bool,
) -> Result<PExpr, QueryError> {
    // Shadowing: bind against a scope where outputs come last.
    let mut scope = Scope::default();
    if sees_input {
        for v in input.vars() {
            if v.anonymous {
                scope.push_anonymous(v.kind);
            } else {
                scope.push(&v.name, v.kind);
            }
        }
    }
    let offset = scope.len();
    for v in out.vars() {
        scope.push(&v.name, v.kind);
    }
    let bound = if is_where {
        b.predicate(e, &mut scope, site)
    } else {
        b.expr(e, &mut scope, site)
    };
    let bound = bound.map_err(|err| {
        if err.code == Code::UndefinedVariable && !sees_input {
            QueryError {
                message: format!(
                    "{}; after {clause} with DISTINCT or an aggregate, ORDER BY can only use the projected columns",
                    err.message
                ),
                ..err
            }
        } else {
            err
        }
    })?;
    // Remap slots: in `scope`, inputs are 0..offset and outputs offset..;
    // at run time the sort row is outputs then inputs.
    let n_out = out.len();
    Ok(remap(
        bound,
        &|s| if s >= offset { s - offset } else { s + n_out },
        offset + n_out,
    ))
}

/// In a projection that aggregates, an item with an aggregate may use, outside
/// the aggregate, only grouping keys: a variable projected on its own, or an
/// expression projected as a key item (`n.age, n.age + count(*)`).
fn check_grouping(p: &Projection, item_texts: &[String], is_key: &[bool], text: &str) -> Result<(), QueryError> {
    let offset = item_texts.len() - p.items.len();
    let key_texts: Vec<&str> = (0..item_texts.len())
        .filter(|&i| is_key[i])
        .map(|i| item_texts[i].as_str())
        .collect();
    for (i, item) in p.items.iter().enumerate() {
        if is_key[offset + i] {
            continue;
        }
        let mut bad = None;
        let mut local = Vec::new();
        walk::local_variables(&item.expr, &mut local);
        walk::outside_aggregates(&item.expr, &mut |e| {
            let t = text.get(e.span.start..e.span.end).unwrap_or("").trim();
            if key_texts.contains(&t) && is_simple(e) {
                return false;
            }
            if let ExprKind::Var(v) = &e.kind
                && bad.is_none()
                && !local.contains(v)
            {
                bad = Some((v.clone(), e.span));
            }
            true
        });
        if let Some((v, span)) = bad {
            return Err(ambiguous(&v, span));
        }
    }
    Ok(())
}

fn ambiguous(v: &str, span: Span) -> QueryError {
    QueryError::compile(
        Code::AmbiguousAggregationExpression,
        format!("'{v}' is used beside an aggregate but is not a grouping key"),
        span,
    )
    .with_help(Some(format!(
        "project {v} (or the expression using it) as its own column too"
    )))
}

/// Binds an ORDER BY key of an aggregating projection: projected columns
/// and grouping-key expressions by name, aggregates over the input rows.
#[allow(clippy::too_many_arguments)]
fn bind_group_sort(
    b: &mut Binder<'_>,
    e: &crate::syntax::ast::Expr,
    p: &Projection,
    input: &Scope,
    out: &Scope,
    item_texts: &[String],
    is_key: &[bool],
    aggregates: &mut Vec<crate::plan::ops::AggSpec>,
) -> Result<PExpr, QueryError> {
    let text = b.text;
    // Only a projected variable or property access stands for its column;
    // openCypher treats a larger expression as ambiguous even if projected.
    let offset = item_texts.len() - p.items.len();
    let key_subst: Vec<(String, usize)> = (0..item_texts.len())
        .filter(|&i| is_key[i] && (i < offset || is_simple(&p.items[i - offset].expr)))
        .map(|i| (item_texts[i].clone(), i))
        .collect();
    let mut used_in_items = Vec::new();
    for item in &p.items {
        walk::variables(&item.expr, &mut used_in_items);
    }
    let mut bad = None;
    walk::outside_aggregates(e, &mut |x| {
        let t = text.get(x.span.start..x.span.end).unwrap_or("").trim();
        if is_simple(x) && key_subst.iter().any(|(k, _)| k == t) {
            return false;
        }
        if let ExprKind::Var(v) = &x.kind
            && out.lookup(v).is_none()
            && used_in_items.contains(v)
            && bad.is_none()
        {
            bad = Some((v.clone(), x.span));
        }
        true
    });
    if let Some((v, span)) = bad {
        return Err(ambiguous(&v, span));
    }
    // An aggregate in ORDER BY stands for a projected one written the same
    // way; any other aggregate is computed after the projection, where only
    // its columns are defined.
    let mut projected_aggs = Vec::new();
    for item in &p.items {
        aggregate_calls(&item.expr, &mut projected_aggs);
    }
    let projected_aggs: Vec<&str> = projected_aggs
        .iter()
        .map(|a| text.get(a.span.start..a.span.end).unwrap_or("").trim())
        .collect();
    let mut sort_aggs = Vec::new();
    aggregate_calls(e, &mut sort_aggs);
    for a in sort_aggs {
        if projected_aggs.contains(&text.get(a.span.start..a.span.end).unwrap_or("").trim()) {
            continue;
        }
        let mut missing = None;
        free_variables(a, &mut Vec::new(), &mut |v, span| {
            if missing.is_none() && out.lookup(v).is_none() {
                missing = Some((v.to_string(), span));
            }
        });
        if let Some((v, span)) = missing {
            out.resolve(&v, span)?;
        }
    }
    b.key_subst = key_subst;
    let bound = b.expr(e, &mut out.clone(), &mut AggSite::CollectIn(aggregates, input));
    b.key_subst.clear();
    bound
}

/// The aggregate calls in `e`, outermost first (not those nested in one).
fn aggregate_calls<'e>(e: &'e crate::syntax::ast::Expr, out: &mut Vec<&'e crate::syntax::ast::Expr>) {
    if walk::is_aggregate_call(e) {
        out.push(e);
        return;
    }
    for c in walk::children(e) {
        aggregate_calls(c, out);
    }
}

/// Calls `f` for every variable `e` reads that no comprehension inside it declares.
fn free_variables(e: &crate::syntax::ast::Expr, local: &mut Vec<String>, f: &mut dyn FnMut(&str, Span)) {
    match &e.kind {
        ExprKind::Var(v) if !local.contains(v) => f(v, e.span),
        ExprKind::ListComprehension { var, list, filter, map } => {
            free_variables(list, local, f);
            local.push(var.name.clone());
            for x in filter.iter().chain(map.iter()) {
                free_variables(x, local, f);
            }
            local.pop();
        }
        ExprKind::Quantified { var, list, filter, .. } => {
            free_variables(list, local, f);
            local.push(var.name.clone());
            free_variables(filter, local, f);
            local.pop();
        }
        _ => {
            for c in walk::children(e) {
                free_variables(c, local, f);
            }
        }
    }
}

/// Renumbers row slots below `limit` (comprehension slots above it move
/// with the row's new width, which is the same).
fn remap(e: PExpr, f: &dyn Fn(usize) -> usize, limit: usize) -> PExpr {
    let PExpr { kind, span } = e;
    let r = |x: Box<PExpr>| Box::new(remap(*x, f, limit));
    let kind = match kind {
        PKind::Slot(s) if s < limit => PKind::Slot(f(s)),
        PKind::Prop(x, k) => PKind::Prop(r(x), k),
        PKind::Index(x, y) => PKind::Index(r(x), r(y)),
        PKind::Slice(x, a, c) => PKind::Slice(r(x), a.map(r), c.map(r)),
        PKind::HasLabels(x, l) => PKind::HasLabels(r(x), l),
        PKind::Not(x) => PKind::Not(r(x)),
        PKind::Neg(x) => PKind::Neg(r(x)),
        PKind::Binary(op, x, y) => PKind::Binary(op, r(x), r(y)),
        PKind::RegexConst(x, re) => PKind::RegexConst(r(x), re),
        PKind::IsNull(x, n) => PKind::IsNull(r(x), n),
        PKind::List(xs) => PKind::List(xs.into_iter().map(|x| remap(x, f, limit)).collect()),
        PKind::Map(xs) => PKind::Map(xs.into_iter().map(|(k, x)| (k, remap(x, f, limit))).collect()),
        PKind::Call(func, xs) => PKind::Call(func, xs.into_iter().map(|x| remap(x, f, limit)).collect()),
        PKind::Case { operand, whens, else_ } => PKind::Case {
            operand: operand.map(r),
            whens: whens
                .into_iter()
                .map(|(w, t)| (remap(w, f, limit), remap(t, f, limit)))
                .collect(),
            else_: else_.map(r),
        },
        PKind::ListComp {
            slot,
            list,
            filter,
            map,
        } => PKind::ListComp {
            slot,
            list: r(list),
            filter: filter.map(r),
            map: map.map(r),
        },
        PKind::Quantified {
            quantifier,
            slot,
            list,
            filter,
        } => PKind::Quantified {
            quantifier,
            slot,
            list: r(list),
            filter: r(filter),
        },
        PKind::PatternExists(p) => PKind::PatternExists(Box::new(remap_pattern(*p, f, limit))),
        PKind::PatternComp { pattern, filter, map } => PKind::PatternComp {
            pattern: Box::new(remap_pattern(*pattern, f, limit)),
            filter: filter.map(r),
            map: r(map),
        },
        PKind::Exists(mut sub) => {
            for s in &mut sub.imports {
                if *s < limit {
                    *s = f(*s);
                }
            }
            PKind::Exists(sub)
        }
        other @ (PKind::Const(_) | PKind::Slot(_) | PKind::Agg(_)) => other,
    };
    PExpr { kind, span }
}

/// `remap` for a pattern inside an expression: the slots it shares with
/// the row move; its own (at `limit` and above) stay.
fn remap_pattern(mut p: PatternPlan, f: &dyn Fn(usize) -> usize, limit: usize) -> PatternPlan {
    let slot = |s: &mut usize| {
        if *s < limit {
            *s = f(*s);
        }
    };
    let expr = |e: &mut PExpr| {
        let taken = std::mem::replace(e, PExpr::new(PKind::Const(Value::Null), e.span));
        *e = remap(taken, f, limit);
    };
    for n in &mut p.nodes {
        slot(&mut n.slot);
        n.props.iter_mut().for_each(expr);
    }
    for r in &mut p.rels {
        slot(&mut r.slot);
        r.props.iter_mut().for_each(expr);
    }
    p.path_slot.iter_mut().for_each(slot);
    p.filters.iter_mut().flatten().for_each(expr);
    if let Some(j) = &mut p.join {
        expr(&mut j.probe);
        expr(&mut j.build);
        j.after.iter_mut().for_each(expr);
    }
    if let Some(seek) = &mut p.seek {
        match &mut seek.lookup {
            SeekLookup::Equal(e) | SeekLookup::In(e) | SeekLookup::Prefix(e) => expr(e),
            SeekLookup::Range { lo, hi } => lo.iter_mut().chain(hi.iter_mut()).for_each(|(e, _)| expr(e)),
            SeekLookup::Ordered { skip, .. } => skip.iter_mut().for_each(expr),
        }
    }
    p
}

/// SKIP and LIMIT take a constant non-negative integer.
fn constant_count(
    b: &mut Binder<'_>,
    e: Option<&crate::syntax::ast::Expr>,
    what: &'static str,
) -> Result<Option<PExpr>, QueryError> {
    let Some(e) = e else { return Ok(None) };
    let mut empty = Scope::default();
    let bound = b.expr(e, &mut empty, &mut AggSite::Forbidden(what)).map_err(|err| {
        if err.code == Code::UndefinedVariable {
            QueryError::compile(
                Code::NonConstantExpression,
                format!("{what} needs a constant (a number or a parameter), not a variable"),
                e.span,
            )
        } else {
            err
        }
    })?;
    if !is_constant(&bound) {
        return Err(QueryError::compile(
            Code::NonConstantExpression,
            format!("{what} needs a constant (a number or a parameter)"),
            e.span,
        ));
    }
    // A value written in the query is checked now; one from a parameter
    // (or rand()) when the query runs.
    if let PKind::Const(v) = &bound.kind
        && !mentions_parameter(e)
    {
        match v {
            Value::Int(i) if *i < 0 => {
                return Err(QueryError::compile(
                    Code::NegativeIntegerArgument,
                    format!("{what} must not be negative, not {i}"),
                    e.span,
                ));
            }
            Value::Int(_) => {}
            other => {
                return Err(QueryError::compile(
                    Code::InvalidArgumentType,
                    format!("{what} needs an integer, not {}", other.type_name()),
                    e.span,
                ));
            }
        }
    }
    Ok(Some(bound))
}

fn mentions_parameter(e: &crate::syntax::ast::Expr) -> bool {
    matches!(e.kind, ExprKind::Param(_)) || walk::children(e).into_iter().any(mentions_parameter)
}

/// A variable or a property of one: what may stand for a grouping key.
fn is_simple(e: &crate::syntax::ast::Expr) -> bool {
    match &e.kind {
        ExprKind::Var(_) => true,
        ExprKind::Property(base, _) => matches!(base.kind, ExprKind::Var(_)),
        _ => false,
    }
}
