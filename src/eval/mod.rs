//! Runs plans: each operator turns the rows so far into the next rows.
//! The evaluator reads the graph only through the store's API.

pub mod budget;
mod context;
mod describe;
pub mod domain;
pub mod expr;
mod fixed_props;
mod functions;
mod functions_temporal;
mod keyexpr;
mod labels;
mod matcher;
mod nodefilter;
mod ops;
mod pairfilter;
mod pipeline;
mod profile;
mod schema;
mod subquery;

use std::collections::HashSet;
use std::time::Duration;

pub use context::{Guard, Limits};
use ops::update;
use pipeline::run_part;
use profile::Probe;

use crate::diag::Diagnostic;
use crate::error::QueryError;
use crate::plan::ops::{Op, Plan, QueryPlan};
use crate::store::Graph;
use crate::value::{GroupKey, Value};

/// What a statement changed in the graph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub nodes_created: usize,
    pub relationships_created: usize,
    pub labels_added: usize,
    pub properties_set: usize,
    pub nodes_deleted: usize,
    pub relationships_deleted: usize,
    pub labels_removed: usize,
    pub indexes_added: usize,
    pub indexes_removed: usize,
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
    /// The title's facts as rows in the result's own columns, for the
    /// formats that carry no title (JSON, JSON lines, CSV): they come first.
    pub header_rows: Vec<Vec<Value>>,
    /// What [`Rows::sections`] say, as rows in the result's own columns for
    /// the formats that carry one table (JSON, JSON lines, CSV): they come last.
    pub footer_rows: Vec<Vec<Value>>,
    /// Smaller tables a person reads below the result (MATRIX's summary),
    /// each with its own columns and title: shown by the table and
    /// markdown formats.
    pub sections: Vec<Rows>,
    pub stats: Stats,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// What OVERLAP, DIFF and PATH found, kept for `:export dot FILE last`.
    pub subgraph: Option<std::sync::Arc<domain::Subgraph>>,
    /// Under PROFILE (whose rows are the profile table): the rows the
    /// statement itself returned.
    pub profiled: Option<Box<Rows>>,
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
        Plan::Query(q) => run_query(q, graph, &guard, Probe::default()),
        Plan::Describe(n) => Ok(describe::describe(graph, *n)),
        Plan::Explain(inner) => Ok(describe::explain(inner, graph)),
        Plan::Translate(statements) => Ok(Rows {
            columns: vec!["cypher".into()],
            rows: statements.iter().map(|s| vec![Value::from(s.as_str())]).collect(),
            ..Rows::default()
        }),
        Plan::Profile(inner) => profile::run(inner, graph, limits),
        Plan::Overlap { nodes, types, summary } => {
            let rows = domain::overlap::rows(graph, &domain::overlap(graph, nodes, types));
            Ok(if *summary { domain::summary::overlap(rows) } else { rows })
        }
        Plan::Diff { a, b, types, summary } => {
            let rows = domain::diff::rows(graph, &domain::diff_on(graph, *a, *b, types));
            Ok(if *summary { domain::summary::diff(rows) } else { rows })
        }
        Plan::Matrix { nodes, types, columns } => Ok(domain::matrix::rows(
            graph,
            &domain::matrix(graph, nodes, types, columns),
        )),
        Plan::Path { from, to, via, all } => Ok(domain::path::rows(graph, &domain::path(graph, *from, *to, via, *all))),
        Plan::Index(c) => schema::run(c, graph),
    }
}

/// Tells the store which missing indexes the query's scans would have
/// used and what each would have saved (`PatternPlan::want`); the store
/// builds one once the savings pay for it (`Graph::note_index_use`), for
/// the plans made after it. The query itself runs as planned.
fn note_index_wants(q: &QueryPlan, graph: &mut Graph) {
    for part in &q.parts {
        for op in &part.ops {
            let m = match op {
                Op::Match(m)
                | Op::DistinctEnds(m)
                | Op::DistinctPairs(m)
                | Op::DistinctStarts(m)
                | Op::PairCounts(m)
                | Op::CountExpand(m)
                | Op::IntersectCount(m) => m,
                Op::CountPerNode(c) => &c.m,
                _ => continue,
            };
            for w in m.patterns.iter().filter_map(|p| p.want.as_ref()) {
                graph.note_index_use(&w.label, &w.key, w.saved);
            }
        }
    }
}

fn run_query(q: &QueryPlan, graph: &mut Graph, guard: &Guard, probe: Probe<'_>) -> Result<Rows, QueryError> {
    note_index_wants(q, graph);
    let mut all_rows = Vec::new();
    let mut stats = Stats::default();
    // UNION (not UNION ALL) keeps each row's first occurrence; duplicates
    // are dropped as each part joins, so a profile can count the rows the
    // union has so far.
    let distinct = q.unions.first() == Some(&false);
    let mut seen = HashSet::new();
    let mut kept = 0;
    let mut produced = 0;
    for (pi, part) in q.parts.iter().enumerate() {
        probe.set_part(pi);
        let rows = run_part(part, graph, guard, &mut stats, probe)?;
        update::check_connected(graph, guard)?;
        produced += rows.len();
        all_rows.extend(rows);
        guard.check_rows(produced)?;
        if pi > 0 {
            let step = probe.union_step();
            probe.timed(step, || {
                if distinct {
                    let fresh = all_rows.split_off(kept);
                    all_rows.extend(fresh.into_iter().filter(|r| seen.insert(GroupKey(r.clone()))));
                }
            });
            kept = all_rows.len();
            probe.count(step, kept as u64);
        }
    }
    Ok(Rows {
        columns: q.columns.clone(),
        rows: all_rows,
        stats,
        ..Rows::default()
    })
}
