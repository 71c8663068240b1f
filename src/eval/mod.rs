//! Runs plans: each operator turns the rows so far into the next rows.
//! The evaluator reads the graph only through the store's API.

mod context;
mod create;
mod describe;
pub mod domain;
pub mod expr;
mod functions;
mod matcher;
mod project;

use std::collections::HashSet;
use std::time::Duration;

pub use context::{Guard, Limits};
use expr::{Env, eval, truth};
use matcher::Matcher;

use crate::diag::Diagnostic;
use crate::error::QueryError;
use crate::plan::ops::{MatchOp, Op, PartPlan, Plan, QueryPlan, UnwindOp};
use crate::store::Graph;
use crate::value::{GroupKey, Value};

/// What a statement changed in the graph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub nodes_created: usize,
    pub relationships_created: usize,
    pub labels_added: usize,
    pub properties_set: usize,
}

impl Stats {
    pub fn is_empty(&self) -> bool {
        *self == Stats::default()
    }
}

/// A statement's result: named columns and rows of values.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    /// Lines shown above the table (DESCRIBE's node summary).
    pub title: Option<String>,
    pub stats: Stats,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// What OVERLAP, DIFF and PATH found, kept for `:export dot FILE last`.
    pub subgraph: Option<std::sync::Arc<domain::Subgraph>>,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The values of one column, by name.
    pub fn column(&self, name: &str) -> Option<Vec<&Value>> {
        let i = self.columns.iter().position(|c| c == name)?;
        Some(self.rows.iter().map(|r| &r[i]).collect())
    }
}

/// Runs a plan. Queries with CREATE change `graph`.
pub fn run(plan: &Plan, graph: &mut Graph, limits: &Limits) -> Result<Rows, QueryError> {
    let guard = Guard::new(limits.clone());
    match plan {
        Plan::Query(q) => run_query(q, graph, &guard),
        Plan::Describe(n) => Ok(describe::describe(graph, *n)),
        Plan::Explain(inner) => Ok(describe::explain(inner)),
        Plan::Profile(inner) => run(inner, graph, limits),
        Plan::Overlap { nodes, types } => Ok(domain::overlap::rows(graph, &domain::overlap(graph, nodes, types))),
        Plan::Diff(a, b) => Ok(domain::diff::rows(graph, &domain::diff(graph, *a, *b))),
        Plan::Path { from, to, via, all } => Ok(domain::path::rows(graph, &domain::path(graph, *from, *to, via, *all))),
    }
}

fn run_query(q: &QueryPlan, graph: &mut Graph, guard: &Guard) -> Result<Rows, QueryError> {
    let mut all_rows = Vec::new();
    let mut stats = Stats::default();
    for part in &q.parts {
        let rows = run_part(part, graph, guard, &mut stats)?;
        all_rows.extend(rows);
        guard.check_rows(all_rows.len())?;
    }
    if q.unions.first() == Some(&false) {
        let mut seen = HashSet::new();
        all_rows.retain(|r| seen.insert(GroupKey(r.clone())));
    }
    Ok(Rows {
        columns: q.columns.clone(),
        rows: all_rows,
        stats,
        ..Rows::default()
    })
}

fn run_part(
    part: &PartPlan,
    graph: &mut Graph,
    guard: &Guard,
    stats: &mut Stats,
) -> Result<Vec<Vec<Value>>, QueryError> {
    let mut rows: Vec<Vec<Value>> = vec![vec![]];
    for op in &part.ops {
        rows = match op {
            Op::Match(m) => run_match(
                m,
                rows,
                &Env {
                    graph,
                    guard,
                    aggs: vec![],
                },
            )?,
            Op::Unwind(u) => run_unwind(
                u,
                rows,
                &Env {
                    graph,
                    guard,
                    aggs: vec![],
                },
            )?,
            Op::Project(p) => project::project(
                p,
                rows,
                &mut Env {
                    graph,
                    guard,
                    aggs: vec![],
                },
            )?,
            Op::Create(c) => create::create(c, rows, graph, guard, stats)?,
        };
        guard.check_rows(rows.len())?;
    }
    // A query ending in CREATE returns no rows.
    if !matches!(part.ops.last(), Some(Op::Project(_))) {
        rows.clear();
    }
    Ok(rows)
}

fn run_match(m: &MatchOp, input: Vec<Vec<Value>>, env: &Env<'_>) -> Result<Vec<Vec<Value>>, QueryError> {
    let mut out = Vec::new();
    for row in input {
        let before = out.len();
        Matcher::new(env, &m.patterns, &row, m.width).run(&mut |r| {
            if let Some(f) = &m.filter {
                if truth(eval(f, env, r)?, f.span)? != Some(true) {
                    return Ok(true);
                }
            }
            env.guard.tick()?;
            out.push(r[..m.width].to_vec());
            env.guard.check_rows(out.len())?;
            Ok(true)
        })?;
        if m.optional && out.len() == before {
            let mut r = row;
            r.resize(m.width, Value::Null);
            out.push(r);
        }
    }
    Ok(out)
}

fn run_unwind(u: &UnwindOp, input: Vec<Vec<Value>>, env: &Env<'_>) -> Result<Vec<Vec<Value>>, QueryError> {
    let mut out = Vec::new();
    for row in input {
        env.guard.tick()?;
        let items = match eval(&u.expr, env, &row)? {
            Value::Null => continue,
            Value::List(l) => l.as_ref().clone(),
            other => vec![other],
        };
        for x in items {
            env.guard.tick()?;
            let mut r = row.clone();
            r.resize(u.slot, Value::Null);
            r.push(x);
            out.push(r);
        }
        env.guard.check_rows(out.len())?;
    }
    Ok(out)
}
