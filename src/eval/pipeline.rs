//! The pipeline of one single query: each streaming operator (MATCH and
//! its strategies, UNWIND) pushes every row it makes on to the next; a
//! projection, CREATE or an update collects what reaches it, and its output
//! feeds the operators after it. The operators themselves live in `ops/`.

use super::Stats;
use super::context::Guard;
use super::describe::Role;
use super::expr::Env;
use super::ops::project::{self, Stage};
use super::ops::{count_expand, count_per_node, create, distinct_ends, match_clause, unwind, update};
use super::profile::Probe;
use crate::error::QueryError;
use crate::plan::ops::{CountPerNodeOp, Op, PartPlan};
use crate::store::Graph;
use crate::value::Value;

/// Runs one single query. MATCH and UNWIND stream each row on to the next
/// operator; a projection (WITH/RETURN) or CREATE collects what reaches it,
/// and its output feeds the operators after it. A projection that has all
/// the rows it needs (LIMIT without sorting) stops the matching early.
/// `probe` counts rows and time per operator under PROFILE.
pub(in crate::eval) fn run_part(
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
                if let [Op::CountPerNode(CountPerNodeOp { m, counted })] = streaming
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
                    count_per_node::count_matches(&env, pattern, counted, keyed, &mut |node, n| {
                        probe.count(expand, n as usize);
                        r[slot] = Value::Node(node);
                        probe.switch(step);
                        let go_on = sink.push_counted(&r, n, &env);
                        probe.switch(expand);
                        go_on
                    })?;
                    probe.switch(caller);
                } else if let [Op::DistinctEnds(m)] = streaming
                    && let Some(reached) = distinct_ends::collect_distinct_ends(m, at, &rows, &env, probe)?
                {
                    // Only count(DISTINCT x) of the last hop's end follows
                    // (see plan::rewrite): the ends were marked in a set.
                    let caller = probe.switch(step);
                    sink.push_nodes(&reached, &env)?;
                    probe.switch(caller);
                } else if let [Op::CountExpand(m)] = streaming {
                    // Nothing reads the last hop's ends (see plan::rewrite):
                    // one row stands for its matches from a node.
                    for row in &rows {
                        let go_on = count_expand::count_last_hop(m, at, row, &env, probe, &mut |r, n| {
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

/// Sends every row the streaming operators `ops` make from `row` to `sink`;
/// false when the sink asked to stop. `ops` starts at operator `at` of the
/// part. Each operator switches the probe's clock to itself while it works
/// and back to its caller when done.
pub(in crate::eval) fn stream(
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
        Op::Match(m) | Op::CountPerNode(CountPerNodeOp { m, .. }) | Op::DistinctEnds(m) | Op::CountExpand(m) => {
            match_clause::stream_match(m, rest, at, row, env, probe, sink)
        }
        Op::Unwind(u) => unwind::stream_unwind(u, rest, at, row, env, probe, sink),
        Op::Project(_) | Op::Create(_) | Op::Update(_) => unreachable!("run_part cuts the pipeline before these"),
    }
}

/// Takes a row standing for a number of matches; false to stop.
pub(in crate::eval) type WeightedSink<'s> = dyn FnMut(&[Value], u64) -> Result<bool, QueryError> + 's;
