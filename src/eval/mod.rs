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
        Plan::Translate(statements) => Ok(Rows {
            columns: vec!["cypher".into()],
            rows: statements.iter().map(|s| vec![Value::from(s.as_str())]).collect(),
            ..Rows::default()
        }),
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

/// Runs one single query. MATCH and UNWIND stream each row on to the next
/// operator; a projection (WITH/RETURN) or CREATE collects what reaches it,
/// and its output feeds the operators after it. A projection that has all
/// the rows it needs (LIMIT without sorting) stops the matching early.
fn run_part(
    part: &PartPlan,
    graph: &mut Graph,
    guard: &Guard,
    stats: &mut Stats,
) -> Result<Vec<Vec<Value>>, QueryError> {
    let mut rows: Vec<Vec<Value>> = vec![vec![]];
    let mut rest: &[Op] = &part.ops;
    while !rest.is_empty() {
        let cut = rest
            .iter()
            .position(|o| matches!(o, Op::Project(_) | Op::Create(_)))
            .unwrap_or(rest.len());
        let (streaming, after) = rest.split_at(cut);
        let env = Env {
            graph,
            guard,
            aggs: vec![],
        };
        match after.first() {
            Some(Op::Project(p)) => {
                let mut sink = project::Projector::new(p);
                for row in &rows {
                    if !stream(streaming, row, &env, &mut |r| sink.push(r, &env))? {
                        break;
                    }
                }
                rows = sink.finish(&mut Env {
                    graph,
                    guard,
                    aggs: vec![],
                })?;
            }
            Some(Op::Create(c)) => {
                let mut collected = Vec::new();
                for row in &rows {
                    stream(streaming, row, &env, &mut |r| {
                        collected.push(r);
                        guard.check_rows(collected.len())?;
                        Ok(true)
                    })?;
                }
                rows = create::create(c, collected, graph, guard, stats)?;
            }
            _ => {
                let mut collected = Vec::new();
                for row in &rows {
                    stream(streaming, row, &env, &mut |r| {
                        collected.push(r);
                        guard.check_rows(collected.len())?;
                        Ok(true)
                    })?;
                }
                rows = collected;
            }
        }
        guard.check_rows(rows.len())?;
        rest = if after.is_empty() { after } else { &after[1..] };
    }
    // A query ending in CREATE returns no rows.
    if !matches!(part.ops.last(), Some(Op::Project(_))) {
        rows.clear();
    }
    Ok(rows)
}

/// Sends every row the streaming operators `ops` make from `row` to `sink`;
/// false when the sink asked to stop.
fn stream(
    ops: &[Op],
    row: &[Value],
    env: &Env<'_>,
    sink: &mut dyn FnMut(Vec<Value>) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    let Some((op, rest)) = ops.split_first() else {
        return sink(row.to_vec());
    };
    match op {
        Op::Match(m) => stream_match(m, rest, row, env, sink),
        Op::Unwind(u) => stream_unwind(u, rest, row, env, sink),
        Op::Project(_) | Op::Create(_) => unreachable!("run_part cuts the pipeline before these"),
    }
}

fn stream_match(
    m: &MatchOp,
    rest: &[Op],
    row: &[Value],
    env: &Env<'_>,
    sink: &mut dyn FnMut(Vec<Value>) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    let mut matched = false;
    let go_on = Matcher::new(env, &m.patterns, row, m.width).run(&mut |r| {
        if let Some(f) = &m.filter
            && truth(eval(f, env, r)?, f.span)? != Some(true)
        {
            return Ok(true);
        }
        env.guard.tick()?;
        matched = true;
        stream(rest, &r[..m.width], env, sink)
    })?;
    if go_on && m.optional && !matched {
        let mut r = row.to_vec();
        r.resize(m.width, Value::Null);
        return stream(rest, &r, env, sink);
    }
    Ok(go_on)
}

fn stream_unwind(
    u: &UnwindOp,
    rest: &[Op],
    row: &[Value],
    env: &Env<'_>,
    sink: &mut dyn FnMut(Vec<Value>) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    let items = match eval(&u.expr, env, row)? {
        Value::Null => return Ok(true),
        Value::List(l) => l,
        other => std::sync::Arc::new(vec![other]),
    };
    let mut r = row.to_vec();
    r.resize(u.slot + 1, Value::Null);
    for x in items.iter() {
        env.guard.tick()?;
        r[u.slot] = x.clone();
        if !stream(rest, &r, env, sink)? {
            return Ok(false);
        }
    }
    Ok(true)
}
