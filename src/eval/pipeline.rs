//! The pipeline of one single query: each streaming operator (MATCH and
//! its strategies, UNWIND) pushes every row it makes on to the next; a
//! projection, CREATE or an update collects what reaches it, and its output
//! feeds the operators after it. The operators themselves live in `ops/`.

use super::Stats;
use super::context::Guard;
use super::expr::Env;
use super::ops::project;
use super::ops::{
    anti_join, count_expand, count_per_node, count_per_type, create, distinct_ends, distinct_pairs, distinct_starts,
    factor_count, filter, group_join, match_clause, parallel, row_groups, symmetric_count, unwind, update, walk_count,
};
use super::profile::Probe;
use crate::error::QueryError;
use crate::plan::ops::{CountPerNodeOp, FactorCountOp, Op, PartPlan, WalkCountOp};
use crate::store::{Graph, NodeId};
use crate::value::Value;

/// Nodes counted per node handed to the projection at a time.
const CHUNK: usize = 1024;

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
                let project_at = at + cut;
                let step = probe.op_step(project_at);
                // A parallel section: its operators start one later.
                let (split, streaming, at) = match streaming {
                    [Op::Parallel, rest @ ..] => {
                        probe.count(probe.op_step(at), rows.len() as u64);
                        (true, rest, at + 1)
                    }
                    s => (false, s, at),
                };
                // PROFILE times each operator on one thread.
                let merged = match split && probe.0.is_none() {
                    true => parallel::run(streaming, p, &rows, &env)?,
                    false => None,
                };
                let mut sink = project::Projector::new(p);
                if let Some(merged) = merged {
                    sink = merged;
                } else if let [Op::CountPerNode(CountPerNodeOp { m, counted }), tail @ ..] = streaming
                    && (tail.is_empty() || matches!(tail[0], Op::RowGroups(_)))
                    && let [row] = rows.as_slice()
                    && row.is_empty()
                {
                    // Matches counted per node (see plan::rewrite): one
                    // weighted row per node instead of one row per match;
                    // with a WITH making each a group of its own after it
                    // (`tail`), that row projected and streamed on.
                    let pattern = &m.patterns[0];
                    let counted = *counted;
                    let slot = pattern.nodes[counted.group_node].slot;
                    // Each node's row is its own group after the counting
                    // (`tail`): every node is handed over.
                    let keyed = !tail.is_empty() || p.is_key.iter().any(|k| *k);
                    // A parallel section: the nodes and their counts are
                    // gathered, then projected over morsels when that pays
                    // (the keys are the work; see eval/ops/parallel.rs).
                    if split && probe.0.is_none() && env.guard.threads() > 1 {
                        let counts = parallel::count_per_node(&env, pattern, counted, keyed)?;
                        sink = parallel::run_counted(tail, at + 1, p, &counts, slot, m.width, &env)?;
                    } else if probe.0.is_none() {
                        // The nodes handed over in chunks, each projected in
                        // one call (`push_counts`) rather than node by node
                        // through the operators' callbacks.
                        let mut chunk = Vec::with_capacity(CHUNK);
                        let mut go_on = true;
                        let flush = |chunk: &mut Vec<(NodeId, u64)>, sink: &mut project::Projector<'_>| {
                            let r = parallel::push_counts(sink, tail, at + 1, chunk, slot, m.width, &env);
                            chunk.clear();
                            r
                        };
                        let counting = count_per_node::count_matches(&env, pattern, counted, keyed, &mut |node, n| {
                            chunk.push((node, n));
                            if chunk.len() == CHUNK {
                                go_on = flush(&mut chunk, &mut sink)?;
                            }
                            Ok(go_on)
                        });
                        // The nodes counted before a failure come first: their
                        // error, if they raise one, is the statement's.
                        if go_on && !chunk.is_empty() {
                            flush(&mut chunk, &mut sink)?;
                        }
                        counting?;
                    } else {
                        // One row, its node slot rewritten for each node. A
                        // node without a match (OPTIONAL) is one row of nulls.
                        let mut r = vec![Value::Null; m.width];
                        operator(
                            probe,
                            at,
                            &mut |row, n| match tail {
                                [] => probe.timed(step, || sink.push_node_count(row, n, &env)),
                                tail => stream_counted(tail, at + 1, row, n, &env, probe, &mut |r| {
                                    probe.timed(step, || sink.push(r, &env))
                                }),
                            },
                            |next| {
                                count_per_node::count_matches(&env, pattern, counted, keyed, &mut |node, n| {
                                    r[slot] = Value::Node(node);
                                    next(&r, n)
                                })
                            },
                        )?;
                    }
                } else if let [Op::CountPerType(m)] = streaming
                    && let [row] = rows.as_slice()
                    && row.is_empty()
                {
                    // Matches counted per relationship type (see
                    // plan::rewrite): one weighted row per type.
                    let pattern = &m.patterns[0];
                    let slot = pattern.rels[0].slot;
                    let mut r = vec![Value::Null; m.width];
                    operator(
                        probe,
                        at,
                        &mut |row, n| probe.timed(step, || sink.push_counted(row, n, &env)),
                        |next| {
                            count_per_type::count(&env, pattern, &mut |rel, n| {
                                r[slot] = Value::Rel(rel);
                                next(&r, n)
                            })
                        },
                    )?;
                } else if let [Op::SymmetricCount(m)] = streaming
                    && let [row] = rows.as_slice()
                    && row.is_empty()
                {
                    // An undirected hop counted once per relationship,
                    // both ways round (see plan/optimise/symmetric_count.rs):
                    // one row weighted by the count.
                    let r = vec![Value::Null; m.width];
                    operator(
                        probe,
                        at,
                        &mut |row, n| probe.timed(step, || sink.push_counted(row, n, &env)),
                        |next| match symmetric_count::count(&env, &m.patterns[0], m.width)? {
                            0 => Ok(true),
                            n => next(&r, n),
                        },
                    )?;
                } else if let [Op::DistinctEnds(m)] = streaming
                    && let Some(reached) = probe.timed(probe.op_step(at), || {
                        distinct_ends::collect_distinct_ends(m, &rows, &env)
                    })?
                {
                    // Only count(DISTINCT x) of the last hop's end follows
                    // (see plan::rewrite): the ends were marked in a set.
                    probe.count(probe.op_step(at), reached.len() as u64);
                    probe.timed(step, || sink.push_nodes(&reached, &env))?;
                } else if let [
                    op @ (Op::FactorCount(_)
                    | Op::WalkCount(_)
                    | Op::DistinctPairs(_)
                    | Op::DistinctStarts(_)
                    | Op::PairCounts(_)),
                ] = streaming
                    && let [row] = rows.as_slice()
                    && row.is_empty()
                    && let Some(go_on) = {
                        // Counted by multiplying per node (see
                        // plan/optimise/factor_count.rs) or as walks (see
                        // plan/optimise/walk_count.rs); `None` when the
                        // graph breaks the operator's assumption (a
                        // relationship met twice, a cycle): matched row
                        // by row.
                        let mut counted = None;
                        operator(
                            probe,
                            at,
                            &mut |r, n| probe.timed(step, || sink.push_counted(r, n, &env)),
                            |next| {
                                counted = match op {
                                    Op::FactorCount(f) => factor_count::count(f, &env, next)?,
                                    Op::WalkCount(w) => walk_count::count(w, &env, next)?,
                                    Op::DistinctPairs(m) => distinct_pairs::distinct_pairs(m, &env, next)?,
                                    Op::DistinctStarts(m) => distinct_starts::distinct_starts(m, &env, next)?,
                                    Op::PairCounts(m) => distinct_pairs::pair_counts(m, &env, next)?,
                                    _ => None,
                                };
                                Ok(counted.unwrap_or(true))
                            },
                        )?;
                        counted
                    }
                {
                    let _ = go_on;
                } else if let Some((op @ (Op::CountExpand(m) | Op::IntersectCount(m)), before)) = streaming.split_last()
                {
                    let close = matches!(op, Op::IntersectCount(_));
                    // Nothing reads the last hop's ends (see plan::rewrite):
                    // one row stands for its matches from a node. The
                    // operators before it (an UNWIND, a MATCH matched per
                    // row) hand it their rows one at a time.
                    let count_at = at + before.len();
                    for row in &rows {
                        let go_on = stream(before, at, row, &env, probe, &mut |r| {
                            operator(
                                probe,
                                count_at,
                                &mut |r, n| probe.timed(step, || sink.push_counted(r, n, &env)),
                                |next| count_expand::count_last_hop(m, r, close, &env, next),
                            )
                        })?;
                        if !go_on {
                            break;
                        }
                    }
                } else {
                    for row in &rows {
                        if !stream(streaming, at, row, &env, probe, &mut |r| {
                            probe.timed(step, || sink.push(r, &env))
                        })? {
                            break;
                        }
                    }
                }
                rows = probe.timed(step, || {
                    sink.finish(
                        &mut Env {
                            graph,
                            guard,
                            aggs: vec![],
                        },
                        &mut |stage, n| probe.finished(probe.stage_step(project_at, stage), n),
                    )
                })?;
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
                let step = probe.op_step(at + cut);
                rows = probe.timed(step, || match op {
                    Op::Update(u) => update::run(u, collected, graph, guard, stats),
                    Op::Create(c) => create::create(c, collected, graph, guard, stats),
                    _ => unreachable!("the arm matches only Create and Update"),
                })?;
                probe.count(step, rows.len() as u64);
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

/// Takes each row an operator makes; false to stop.
pub(in crate::eval) type Sink<'s> = dyn FnMut(&[Value]) -> Result<bool, QueryError> + 's;

/// Takes a row standing for a number of matches; false to stop.
pub(in crate::eval) type WeightedSink<'s> = dyn FnMut(&[Value], u64) -> Result<bool, QueryError> + 's;

/// Sends every row the streaming operators `ops` make from `row` to `sink`;
/// false when the sink asked to stop. `ops` starts at operator `at` of the
/// part.
pub(in crate::eval) fn stream(
    ops: &[Op],
    at: usize,
    row: &[Value],
    env: &Env<'_>,
    probe: Probe<'_>,
    sink: &mut Sink<'_>,
) -> Result<bool, QueryError> {
    let Some((op, rest)) = ops.split_first() else {
        return sink(row);
    };
    let mut next = |r: &[Value], _: u64| stream(rest, at + 1, r, env, probe, sink);
    operator(probe, at, &mut next, |out| {
        let mut one = |r: &[Value]| out(r, 1);
        match op {
            Op::Match(m)
            | Op::CountPerNode(CountPerNodeOp { m, .. })
            | Op::DistinctEnds(m)
            | Op::DistinctPairs(m)
            | Op::DistinctStarts(m)
            | Op::PairCounts(m)
            | Op::CountExpand(m)
            | Op::IntersectCount(m)
            | Op::CountPerType(m)
            | Op::SymmetricCount(m)
            | Op::FactorCount(FactorCountOp { m, .. }) => {
                match probe.0 {
                    // PROFILE counts the rows each pattern part makes.
                    Some(_) if m.patterns.len() > 1 => {
                        let steps: Vec<usize> = (0..m.patterns.len()).map(|i| probe.pattern_step(at, i)).collect();
                        let done = |i: usize| probe.count(steps[i], 1);
                        match_clause::rows_from(m, row, None, Some(&done), env, &mut one)
                    }
                    _ => match_clause::rows(m, row, env, &mut one),
                }
            }
            // Matched row by row (the hop's types have a cycle): the walk's
            // length goes where the projection reads it.
            Op::WalkCount(WalkCountOp { m, length_slot, .. }) => match length_slot {
                None => match_clause::rows(m, row, env, &mut one),
                Some(s) => match_clause::rows(m, row, env, &mut |r| {
                    let mut r = r.to_vec();
                    r[*s] = walk_count::length_of(&r[*s]);
                    one(&r)
                }),
            },
            Op::Filter(f) => filter::rows(f, row, env, &mut one),
            Op::AntiJoin(m) => anti_join::rows(m, row, env, &mut one),
            Op::GroupJoin(g) => group_join::rows(g, row, env, &mut one),
            // Run in place (PROFILE, or too little input to split): it passes rows on.
            Op::Parallel => one(row),
            Op::Unwind(u) => unwind::rows(u, row, env, &mut one),
            Op::RowGroups(p) => row_groups::rows(p, row, env, &mut one),
            Op::Project(_) | Op::Create(_) | Op::Update(_) => unreachable!("run_part cuts the pipeline before these"),
        }
    })
}

/// Sends a row standing for `n` matches counted per node (0: a node
/// without one, a row of nulls from OPTIONAL MATCH) through `ops`, which
/// start with the WITH making it a group of its own (`Op::RowGroups`), to
/// `sink`; false when the sink asked to stop. `ops` starts at operator
/// `at` of the part.
pub(in crate::eval) fn stream_counted(
    ops: &[Op],
    at: usize,
    row: &[Value],
    n: u64,
    env: &Env<'_>,
    probe: Probe<'_>,
    sink: &mut Sink<'_>,
) -> Result<bool, QueryError> {
    let Some((Op::RowGroups(p), rest)) = ops.split_first() else {
        return Err(QueryError::runtime(
            crate::error::Code::InternalError,
            "matches counted per node were planned into an operator that does not take counts",
            None,
        ));
    };
    let mut next = |r: &[Value], _: u64| stream(rest, at + 1, r, env, probe, sink);
    operator(probe, at, &mut next, |out| {
        match row_groups::project(p, row, (n > 0).then_some(n), env)? {
            Some(r) => out(&r, 1),
            None => Ok(true),
        }
    })
}

/// The one wrapper every operator that sends rows on runs in: `work` runs
/// operator `at` with the PROFILE clock on the operator's step, and each
/// row it sends to its output (standing for `n` rows) is counted to that
/// step before `next` takes it. Without PROFILE it only passes rows on.
fn operator(
    probe: Probe<'_>,
    at: usize,
    next: &mut WeightedSink<'_>,
    work: impl FnOnce(&mut WeightedSink<'_>) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    let step = probe.op_step(at);
    probe.timed(step, || {
        work(&mut |r, n| {
            probe.count(step, n);
            next(r, n)
        })
    })
}
