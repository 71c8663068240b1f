//! Script, statement and clause pairs to the top of the tree.

use super::build_expr::expr;
use super::build_pattern::pattern;
use super::literal::{ident, string};
use super::{Pair, Rule, child, children, internal, required, span_of, text_of};
use crate::syntax::SyntaxError;
use crate::syntax::ast::{
    Clause, Create, CreateIndex, Expr, Ident, Match, NodeRefText, Projection, ProjectionItem, Query, Script,
    SingleQuery, SortItem, Statement, StatementKind, Subquery, Unwind,
};

type Result<T> = std::result::Result<T, SyntaxError>;

pub(super) fn script(p: Pair) -> Result<Script> {
    let statements = children(&p)
        .filter(|c| c.as_rule() == Rule::statement)
        .map(|s| statement(&s))
        .collect::<Result<_>>()?;
    Ok(Script { statements })
}

fn statement(p: &Pair) -> Result<Statement> {
    let inner = p
        .clone()
        .into_inner()
        .next()
        .ok_or_else(|| internal(p, "empty statement"))?;
    let kind = match inner.as_rule() {
        Rule::query => StatementKind::Query(query(&inner)?),
        Rule::explain_stmt => StatementKind::Explain(Box::new(statement(&required(&inner, Rule::statement)?)?)),
        Rule::translate_stmt => StatementKind::Translate(Box::new(statement(&required(&inner, Rule::statement)?)?)),
        Rule::profile_stmt => StatementKind::Profile(Box::new(statement(&required(&inner, Rule::statement)?)?)),
        Rule::describe_stmt => StatementKind::Describe(node_ref(&required(&inner, Rule::node_ref)?)?),
        Rule::overlap_stmt => StatementKind::Overlap {
            refs: node_refs(&inner)?,
            types: types(&inner)?,
            summary: child(&inner, Rule::summary_kw).is_some(),
        },
        Rule::matrix_stmt => StatementKind::Matrix {
            refs: node_refs(&inner)?,
            types: types(&inner)?,
        },
        Rule::diff_stmt => {
            let mut refs = node_refs(&inner)?.into_iter();
            let (Some(a), Some(b)) = (refs.next(), refs.next()) else {
                return Err(internal(&inner, "DIFF needs two refs"));
            };
            StatementKind::Diff {
                a,
                b,
                types: types(&inner)?,
                summary: child(&inner, Rule::summary_kw).is_some(),
            }
        }
        Rule::path_stmt => {
            let mut refs = node_refs(&inner)?.into_iter();
            let (Some(from), Some(to)) = (refs.next(), refs.next()) else {
                return Err(internal(&inner, "PATH needs two refs"));
            };
            let all = child(&inner, Rule::path_all).is_some();
            StatementKind::Path {
                from,
                to,
                via: types(&inner)?,
                all,
            }
        }
        Rule::create_index_stmt => StatementKind::CreateIndex(create_index(&inner)?),
        Rule::drop_index_stmt => StatementKind::DropIndex {
            name: ident(&required(&inner, Rule::index_name)?)?,
            if_exists: child(&inner, Rule::if_exists).is_some(),
        },
        Rule::show_indexes_stmt => StatementKind::ShowIndexes,
        _ => return Err(internal(&inner, "unknown statement")),
    };
    Ok(Statement { kind, span: span_of(p) })
}

fn create_index(p: &Pair) -> Result<CreateIndex> {
    let keys = children(p)
        .filter(|c| c.as_rule() == Rule::index_key)
        .map(|k| {
            Ok((
                ident(&required(&k, Rule::variable)?)?,
                ident(&required(&k, Rule::prop_key)?)?,
            ))
        })
        .collect::<Result<_>>()?;
    Ok(CreateIndex {
        name: child(p, Rule::index_name).map(|n| ident(&n)).transpose()?,
        if_not_exists: child(p, Rule::if_not_exists).is_some(),
        var: ident(&required(p, Rule::variable)?)?,
        label: ident(&required(p, Rule::label_name)?)?,
        keys,
    })
}

fn node_refs(p: &Pair) -> Result<Vec<NodeRefText>> {
    children(p)
        .filter(|c| c.as_rule() == Rule::node_ref)
        .map(|r| node_ref(&r))
        .collect()
}

fn node_ref(p: &Pair) -> Result<NodeRefText> {
    let inner = p
        .clone()
        .into_inner()
        .next()
        .ok_or_else(|| internal(p, "empty reference"))?;
    let text = match inner.as_rule() {
        Rule::string_literal => string(&inner)?,
        _ => inner.as_str().to_string(),
    };
    Ok(NodeRefText { text, span: span_of(p) })
}

/// The `TYPE|TYPE` list after ON or VIA, if any.
fn types(p: &Pair) -> Result<Vec<Ident>> {
    match child(p, Rule::type_list) {
        Some(list) => children(&list).map(|t| ident(&t)).collect(),
        None => Ok(Vec::new()),
    }
}

fn query(p: &Pair) -> Result<Query> {
    let mut parts = Vec::new();
    let mut unions = Vec::new();
    for c in children(p) {
        match c.as_rule() {
            Rule::single_query => parts.push(single_query(&c)?),
            Rule::union => unions.push(child(&c, Rule::union_all).is_some()),
            _ => {}
        }
    }
    Ok(Query { parts, unions })
}

/// The body of `EXISTS { ... }`: a query, or a pattern with an optional
/// WHERE (built as the one MATCH clause it stands for).
pub(super) fn subquery(p: &Pair) -> Result<Subquery> {
    if let Some(q) = child(p, Rule::query) {
        return Ok(Subquery {
            query: query(&q)?,
            pattern_form: false,
        });
    }
    let body = required(p, Rule::subquery_pattern)?;
    let span = span_of(&body);
    let m = Match {
        optional: false,
        patterns: pattern(&required(&body, Rule::pattern)?)?,
        where_: where_(&body)?,
        span,
    };
    Ok(Subquery {
        query: Query {
            parts: vec![SingleQuery {
                clauses: vec![Clause::Match(m)],
                span,
            }],
            unions: Vec::new(),
        },
        pattern_form: true,
    })
}

fn single_query(p: &Pair) -> Result<SingleQuery> {
    let clauses = children(p).map(|c| clause(&c)).collect::<Result<_>>()?;
    Ok(SingleQuery {
        clauses,
        span: span_of(p),
    })
}

fn clause(p: &Pair) -> Result<Clause> {
    let inner = p
        .clone()
        .into_inner()
        .next()
        .ok_or_else(|| internal(p, "empty clause"))?;
    let span = span_of(&inner);
    Ok(match inner.as_rule() {
        Rule::match_clause => Clause::Match(Match {
            optional: child(&inner, Rule::optional_kw).is_some(),
            patterns: pattern(&required(&inner, Rule::pattern)?)?,
            where_: where_(&inner)?,
            span,
        }),
        Rule::unwind_clause => Clause::Unwind(Unwind {
            expr: expr(&required(&inner, Rule::expression)?)?,
            alias: ident(&required(&inner, Rule::variable)?)?,
            span,
        }),
        Rule::with_clause => {
            let mut projection = projection(&required(&inner, Rule::projection_body)?)?;
            projection.where_ = where_(&inner)?;
            projection.span = span;
            Clause::With(projection)
        }
        Rule::return_clause => Clause::Return(Projection {
            span,
            ..projection(&required(&inner, Rule::projection_body)?)?
        }),
        Rule::create_clause => Clause::Create(Create {
            patterns: pattern(&required(&inner, Rule::pattern)?)?,
            span,
        }),
        _ => match super::build_update::clause(&inner)? {
            Some(c) => c,
            None => return Err(internal(&inner, "unknown clause")),
        },
    })
}

fn where_(p: &Pair) -> Result<Option<Expr>> {
    child(p, Rule::where_clause)
        .map(|w| expr(&required(&w, Rule::expression)?))
        .transpose()
}

fn projection(p: &Pair) -> Result<Projection> {
    let items_pair = required(p, Rule::projection_items)?;
    let items = children(&items_pair)
        .filter(|c| c.as_rule() == Rule::projection_item)
        .map(|i| projection_item(&i))
        .collect::<Result<_>>()?;
    let order_by = match child(p, Rule::order_by) {
        Some(o) => children(&o).map(|s| sort_item(&s)).collect::<Result<_>>()?,
        None => Vec::new(),
    };
    let bound = |rule| {
        child(p, rule)
            .map(|b| expr(&required(&b, Rule::expression)?))
            .transpose()
    };
    Ok(Projection {
        distinct: child(p, Rule::distinct).is_some(),
        star: child(&items_pair, Rule::star).is_some(),
        items,
        order_by,
        skip: bound(Rule::skip)?,
        limit: bound(Rule::limit)?,
        where_: None,
        span: span_of(p),
    })
}

fn projection_item(p: &Pair) -> Result<ProjectionItem> {
    let e = required(p, Rule::expression)?;
    Ok(ProjectionItem {
        text: text_of(&e).to_string(),
        expr: expr(&e)?,
        alias: child(p, Rule::variable).map(|v| ident(&v)).transpose()?,
    })
}

fn sort_item(p: &Pair) -> Result<SortItem> {
    let descending = child(p, Rule::sort_dir).is_some_and(|d| d.as_str().to_ascii_lowercase().starts_with("desc"));
    Ok(SortItem {
        expr: expr(&required(p, Rule::expression)?)?,
        descending,
    })
}
