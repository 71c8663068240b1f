//! Binds a parsed statement against a graph: resolves variables, functions,
//! parameters and node references, checks the query's shape, warns about
//! labels, types and property keys the graph does not have, and produces the
//! operators [`crate::eval`] runs.

mod expr;
pub mod functions;
mod index;
mod literal_refs;
pub mod matrix;
mod merge_match;
pub mod ops;
pub mod optimise;
mod pattern;
mod query;
pub mod refs;
mod rewrite;
mod scope;
mod sized_collect;
mod subquery;
mod translate;
mod types;
mod unify;
pub mod update;
mod walk;
mod with_where;

pub use expr::{Params, compile_regex};
pub use ops::Plan;

use crate::diag::Diagnostic;
use crate::error::{Code, QueryError};
use crate::store::Graph;
use crate::syntax::ast::{Statement, StatementKind};

/// A plan and the warnings found while binding it.
#[derive(Debug, Clone)]
pub struct Planned {
    pub plan: Plan,
    pub warnings: Vec<Diagnostic>,
}

/// Plans one statement. `text` is the script the statement's spans index.
pub fn plan_statement(stmt: &Statement, graph: &Graph, params: &Params, text: &str) -> Result<Planned, QueryError> {
    plan_statement_with(stmt, graph, params, text, true)
}

/// Plans one statement, through the optimiser's passes or (`optimise`
/// false) matching every pattern as written: the naive plan that tests
/// compare the optimised plan's rows with.
pub fn plan_statement_with(
    stmt: &Statement,
    graph: &Graph,
    params: &Params,
    text: &str,
    optimise: bool,
) -> Result<Planned, QueryError> {
    let mut b = expr::Binder::new(graph, params, text);
    b.optimise = optimise;
    let plan = plan_kind(&mut b, stmt, text)?;
    literal_refs::check(stmt, graph, &mut b.warnings);
    Ok(Planned {
        plan,
        warnings: b.warnings,
    })
}

fn plan_kind(b: &mut expr::Binder<'_>, stmt: &Statement, text: &str) -> Result<Plan, QueryError> {
    let graph = b.graph;
    Ok(match &stmt.kind {
        StatementKind::Query(q) => Plan::Query(query::plan_query(b, q, text)?),
        StatementKind::Explain(inner) => Plan::Explain(Box::new(plan_kind(b, inner, text)?)),
        StatementKind::Profile(inner) => Plan::Profile(Box::new(plan_kind(b, inner, text)?)),
        StatementKind::Translate(inner) => Plan::Translate(translate::translate(graph, inner)?),
        StatementKind::Describe(r) => Plan::Describe(refs::resolve(graph, r)?),
        StatementKind::Overlap {
            refs: rs,
            types,
            summary,
        } => {
            if rs.len() < 2 {
                return Err(QueryError::compile(
                    Code::TooFewReferences,
                    "OVERLAP needs at least two nodes",
                    stmt.span,
                ));
            }
            let nodes = refs::resolve_distinct(graph, rs)?;
            for t in types {
                b.check_rel_type(&t.name, t.span);
            }
            Plan::Overlap {
                nodes,
                types: types.iter().map(|t| t.name.clone()).collect(),
                summary: *summary,
            }
        }
        StatementKind::Matrix { refs: rs, types } => {
            let nodes = refs::resolve_distinct(graph, rs)?;
            for t in types {
                b.check_rel_type(&t.name, t.span);
            }
            let types = if types.is_empty() {
                vec![matrix::DEFAULT_TYPE.to_string()]
            } else {
                types.iter().map(|t| t.name.clone()).collect()
            };
            let columns = matrix::column_names(graph, &nodes);
            Plan::Matrix { nodes, types, columns }
        }
        StatementKind::Diff {
            a,
            b: c,
            types,
            summary,
        } => {
            let (a, c) = (refs::resolve(graph, a)?, refs::resolve(graph, c)?);
            for t in types {
                b.check_rel_type(&t.name, t.span);
            }
            Plan::Diff {
                a,
                b: c,
                types: types.iter().map(|t| t.name.clone()).collect(),
                summary: *summary,
            }
        }
        StatementKind::CreateIndex(c) => Plan::Index(index::create(c)?),
        StatementKind::DropIndex { name, if_exists } => Plan::Index(ops::IndexCommand::Drop {
            name: name.name.clone(),
            if_exists: *if_exists,
            span: name.span,
        }),
        StatementKind::ShowIndexes => Plan::Index(ops::IndexCommand::Show),
        StatementKind::Path { from, to, via, all } => {
            for t in via {
                b.check_rel_type(&t.name, t.span);
            }
            Plan::Path {
                from: refs::resolve(graph, from)?,
                to: refs::resolve(graph, to)?,
                via: via.iter().map(|t| t.name.clone()).collect(),
                all: *all,
            }
        }
    })
}
