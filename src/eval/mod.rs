//! Runs plans: each operator turns the rows so far into the next rows.
//! The evaluator reads the graph only through the store's API.

pub mod budget;
mod context;
mod create;
mod describe;
pub mod domain;
pub mod expr;
mod functions;
mod labels;
mod matcher;
mod nodefilter;
mod profile;
mod project;
mod schema;
mod topk;
mod update;

use std::collections::HashSet;
use std::time::Duration;

pub use context::{Guard, Limits};
use describe::Role;
use expr::{Env, eval, truth};
use matcher::Matcher;
use profile::Probe;
use project::Stage;

use crate::diag::Diagnostic;
use crate::error::QueryError;
use crate::plan::ops::{CountOp, Counting, MatchOp, Op, PartPlan, Plan, QueryPlan, UnwindOp};
use crate::store::{Graph, NodeSet};
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
        Plan::Explain(inner) => Ok(describe::explain(inner)),
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

fn run_query(q: &QueryPlan, graph: &mut Graph, guard: &Guard, probe: Probe<'_>) -> Result<Rows, QueryError> {
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
            let caller = probe.switch(step);
            if distinct {
                let fresh = all_rows.split_off(kept);
                all_rows.extend(fresh.into_iter().filter(|r| seen.insert(GroupKey(r.clone()))));
            }
            kept = all_rows.len();
            probe.count(step, kept);
            probe.switch(caller);
        }
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
/// `probe` counts rows and time per operator under PROFILE.
fn run_part(
    part: &PartPlan,
    graph: &mut Graph,
    guard: &Guard,
    stats: &mut Stats,
    probe: Probe<'_>,
) -> Result<Vec<Vec<Value>>, QueryError> {
    let mut rows: Vec<Vec<Value>> = vec![vec![]];
    let mut rest: &[Op] = &part.ops;
    while !rest.is_empty() {
        let at = part.ops.len() - rest.len();
        let cut = rest
            .iter()
            .position(|o| matches!(o, Op::Project(_) | Op::Create(_) | Op::Update(_)))
            .unwrap_or(rest.len());
        let (streaming, after) = rest.split_at(cut);
        let env = Env {
            graph,
            guard,
            aggs: vec![],
        };
        match after.first() {
            Some(Op::Project(p)) => {
                let step = probe.step(at + cut, Role::Stage(Stage::Project));
                let mut sink = project::Projector::new(p);
                if let [
                    Op::Count(CountOp {
                        m,
                        how: Counting::PerNode(counted),
                    }),
                ] = streaming
                    && let [row] = rows.as_slice()
                    && row.is_empty()
                {
                    // Matches counted per node (see plan::rewrite): one
                    // weighted row per node instead of one row per match.
                    let expand = probe.step(at, Role::Expand(0));
                    let caller = probe.switch(expand);
                    let pattern = &m.patterns[0];
                    let counted = *counted;
                    let slot = pattern.nodes[counted.group_node].slot;
                    let keyed = p.is_key.iter().any(|k| *k);
                    // One row, its node slot rewritten for each node.
                    let mut r = vec![Value::Null; m.width];
                    matcher::count_matches(&env, pattern, counted, keyed, &mut |node, n| {
                        probe.count(expand, n as usize);
                        r[slot] = Value::Node(node);
                        probe.switch(step);
                        let go_on = sink.push_counted(&r, n, &env);
                        probe.switch(expand);
                        go_on
                    })?;
                    probe.switch(caller);
                } else if let [
                    Op::Count(CountOp {
                        m,
                        how: Counting::DistinctEnds,
                    }),
                ] = streaming
                    && let Some(reached) = collect_distinct_ends(m, at, &rows, &env, probe)?
                {
                    // Only count(DISTINCT x) of the last hop's end follows
                    // (see plan::rewrite): the ends were marked in a set.
                    let caller = probe.switch(step);
                    sink.push_nodes(&reached, &env)?;
                    probe.switch(caller);
                } else if let [
                    Op::Count(CountOp {
                        m,
                        how: Counting::LastHop,
                    }),
                ] = streaming
                {
                    // Nothing reads the last hop's ends (see plan::rewrite):
                    // one row stands for its matches from a node.
                    for row in &rows {
                        let go_on = count_last_hop(m, at, row, &env, probe, &mut |r, n| {
                            let caller = probe.switch(step);
                            let go_on = sink.push_counted(r, n, &env);
                            probe.switch(caller);
                            go_on
                        })?;
                        if !go_on {
                            break;
                        }
                    }
                } else {
                    for row in &rows {
                        let go_on = stream(streaming, at, row, &env, probe, &mut |r| {
                            let caller = probe.switch(step);
                            let go_on = sink.push(r, &env);
                            probe.switch(caller);
                            go_on
                        })?;
                        if !go_on {
                            break;
                        }
                    }
                }
                let caller = probe.switch(step);
                rows = sink.finish(
                    &mut Env {
                        graph,
                        guard,
                        aggs: vec![],
                    },
                    &mut |stage, n| probe.finished(probe.step(at + cut, Role::Stage(stage)), n),
                )?;
                probe.switch(caller);
            }
            Some(op @ (Op::Create(_) | Op::Update(_))) => {
                // Writing operators see all their input rows before they change the graph.
                let mut collected = Vec::new();
                for row in &rows {
                    stream(streaming, at, row, &env, probe, &mut |r| {
                        collected.push(r.to_vec());
                        guard.check_rows(collected.len())?;
                        Ok(true)
                    })?;
                }
                let step = probe.step(at + cut, Role::Create);
                let caller = probe.switch(step);
                rows = match op {
                    Op::Update(u) => update::run(u, collected, graph, guard, stats)?,
                    Op::Create(c) => create::create(c, collected, graph, guard, stats)?,
                    _ => unreachable!("the arm matches only Create and Update"),
                };
                probe.count(step, rows.len());
                probe.switch(caller);
            }
            _ => {
                let mut collected = Vec::new();
                for row in &rows {
                    stream(streaming, at, row, &env, probe, &mut |r| {
                        collected.push(r.to_vec());
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

/// The set of nodes the last hop of `m` (operator `at`) reaches from
/// every input row, timed and counted as the clause's step; `None` when
/// its conditions cannot be checked that way (the rows are then matched
/// one by one).
fn collect_distinct_ends(
    m: &MatchOp,
    at: usize,
    rows: &[Vec<Value>],
    env: &Env<'_>,
    probe: Probe<'_>,
) -> Result<Option<NodeSet>, QueryError> {
    let expand = probe.step(at, Role::Expand(m.patterns.len().saturating_sub(1)));
    let caller = probe.switch(expand);
    let mut seen = NodeSet::default();
    let mut result = Ok(());
    for row in rows {
        let Some(mut matcher) = Matcher::collecting(env, &m.patterns, row, m.width, seen) else {
            probe.switch(caller);
            return Ok(None);
        };
        result = matcher.run(&mut |_| Ok(true)).map(|_| ());
        seen = matcher.into_reached();
        if result.is_err() {
            break;
        }
    }
    probe.count(expand, seen.len());
    probe.switch(caller);
    result.map(|()| Some(seen))
}

/// Sends every row the streaming operators `ops` make from `row` to `sink`;
/// false when the sink asked to stop. `ops` starts at operator `at` of the
/// part. Each operator switches the probe's clock to itself while it works
/// and back to its caller when done.
fn stream(
    ops: &[Op],
    at: usize,
    row: &[Value],
    env: &Env<'_>,
    probe: Probe<'_>,
    sink: &mut dyn FnMut(&[Value]) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    let Some((op, rest)) = ops.split_first() else {
        return sink(row);
    };
    match op {
        Op::Match(m) | Op::Count(CountOp { m, .. }) => stream_match(m, rest, at, row, env, probe, sink),
        Op::Unwind(u) => stream_unwind(u, rest, at, row, env, probe, sink),
        Op::Project(_) | Op::Create(_) | Op::Update(_) => unreachable!("run_part cuts the pipeline before these"),
    }
}

/// Takes a row standing for a number of matches; false to stop.
type WeightedSink<'s> = dyn FnMut(&[Value], u64) -> Result<bool, QueryError> + 's;

/// Matches `m` (operator `at`) from `row`, its last hop counted: `sink`
/// gets each row with the number of the last hop's matches it stands for.
fn count_last_hop(
    m: &MatchOp,
    at: usize,
    row: &[Value],
    env: &Env<'_>,
    probe: Probe<'_>,
    sink: &mut WeightedSink<'_>,
) -> Result<bool, QueryError> {
    let expand = probe.step(at, Role::Expand(m.patterns.len().saturating_sub(1)));
    let caller = probe.switch(expand);
    let weight = std::cell::Cell::new(1);
    let mut matcher = Matcher::new(env, &m.patterns, row, m.width);
    matcher.count_last_hop(&weight);
    let go_on = matcher.run(&mut |r| {
        env.guard.tick()?;
        let n = weight.get();
        probe.count(expand, n as usize);
        let go_on = sink(&r[..m.width], n);
        probe.switch(expand);
        go_on
    });
    probe.switch(caller);
    go_on
}

fn stream_match(
    m: &MatchOp,
    rest: &[Op],
    at: usize,
    row: &[Value],
    env: &Env<'_>,
    probe: Probe<'_>,
    sink: &mut dyn FnMut(&[Value]) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    // A clause's patterns are matched together: its rows and time are the
    // last pattern's step.
    let expand = probe.step(at, Role::Expand(m.patterns.len().saturating_sub(1)));
    let filter = match m.filter {
        Some(_) => probe.step(at, Role::MatchFilter),
        None => expand,
    };
    let caller = probe.switch(expand);
    let mut matched = false;
    let mut go_on = Matcher::new(env, &m.patterns, row, m.width).run(&mut |r| {
        probe.count(expand, 1);
        if let Some(f) = &m.filter {
            probe.switch(filter);
            if truth(eval(f, env, r)?, f.span)? != Some(true) {
                probe.switch(expand);
                return Ok(true);
            }
            probe.count(filter, 1);
        }
        env.guard.tick()?;
        matched = true;
        let go_on = stream(rest, at + 1, &r[..m.width], env, probe, sink);
        probe.switch(expand);
        go_on
    })?;
    if go_on && m.optional && !matched {
        // The row of nulls leaves through the clause's last step.
        probe.count(filter, 1);
        let mut r = row.to_vec();
        r.resize(m.width, Value::Null);
        go_on = stream(rest, at + 1, &r, env, probe, sink)?;
    }
    probe.switch(caller);
    Ok(go_on)
}

fn stream_unwind(
    u: &UnwindOp,
    rest: &[Op],
    at: usize,
    row: &[Value],
    env: &Env<'_>,
    probe: Probe<'_>,
    sink: &mut dyn FnMut(&[Value]) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    let step = probe.step(at, Role::Unwind);
    let caller = probe.switch(step);
    let items = match eval(&u.expr, env, row)? {
        Value::Null => {
            probe.switch(caller);
            return Ok(true);
        }
        Value::List(l) => l,
        other => std::sync::Arc::new(vec![other]),
    };
    let mut r = row.to_vec();
    r.resize(u.slot + 1, Value::Null);
    let mut go_on = true;
    for x in items.iter() {
        env.guard.tick()?;
        r[u.slot] = x.clone();
        probe.count(step, 1);
        if !stream(rest, at + 1, &r, env, probe, sink)? {
            go_on = false;
            break;
        }
    }
    probe.switch(caller);
    Ok(go_on)
}
