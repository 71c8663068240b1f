//! Parallel section (`Op::Parallel`): the streaming operators before a
//! projection run over morsels of their input on several threads, each
//! morsel into a projection state of its own, and the states are merged
//! in morsel order (see `plan/optimise/parallel.rs` for which sections).
//!
//! The input is the rows before the section when there are enough of
//! them, else the nodes the first MATCH's label scan would visit (from the
//! one row a query part starts with). Morsels are contiguous runs of it,
//! cut so that each holds about the same work: a scanned node weighs one
//! plus its relationships on the first hop, so a few nodes with many
//! relationships do not all land in one morsel. Threads take the next
//! morsel as they finish one; the cut does not depend on timing, and the
//! merge is in morsel order, so the rows are those one thread would make.
//!
//! Each thread checks the statement's limits with a guard of its own
//! (same deadline, cancel flag, memory baseline and shared path count).
//! When a morsel fails, later morsels are not started; earlier ones run to
//! the end, and the error of the first failing morsel is the statement's,
//! the one a single thread would have met first.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::project::Projector;
use super::{count_expand, count_per_node, index_seek, label_scan, match_clause};
use crate::error::QueryError;
use crate::eval::context::Guard;
use crate::eval::expr::Env;
use crate::eval::pipeline::{stream, stream_counted};
use crate::eval::profile::Probe;
use crate::plan::ops::{CountedExpand, MatchOp, Op, PatternPlan, ProjectOp};
use crate::plan::optimise::parallel::{MIN_INPUT, scan_size};
use crate::store::{Direction, Graph, NodeId};
use crate::value::Value;

/// Morsels per thread: enough for threads that finish early to take over
/// work, few enough that merging the states stays cheap.
const MORSELS_PER_THREAD: usize = 8;

/// The least work (rows, or weighted nodes) in one morsel.
const MIN_MORSEL: u64 = 1024;

/// What the morsels are cut from.
enum Source<'s> {
    /// The rows before the section.
    Rows(&'s [Vec<Value>]),
    /// The first MATCH's start nodes, matched from `row`.
    Starts { row: &'s [Value], nodes: Cow<'s, [NodeId]> },
    /// Nodes with their numbers of matches (`Op::CountPerNode`), each
    /// projected as a row of `width` slots with the node in `slot`, then
    /// through `tail`, operators from `at` of the part (see [`push_counts`]).
    Counted {
        counts: &'s [(NodeId, u64)],
        slot: usize,
        width: usize,
        tail: &'s [Op],
        at: usize,
    },
}

/// Runs the section `ops` over morsels of its input into projections of
/// `project`, merged. `None` when there is too little input to split, or
/// one thread only: the caller then runs the section itself.
pub(in crate::eval) fn run<'o>(
    ops: &[Op],
    project: &'o ProjectOp,
    rows: &[Vec<Value>],
    env: &Env<'_>,
) -> Result<Option<Projector<'o>>, QueryError> {
    let threads = env.guard.threads();
    if threads < 2 {
        return Ok(None);
    }
    let (source, weights) = if rows.len() >= MIN_INPUT {
        (Source::Rows(rows), None)
    } else if let [row] = rows
        && let Some(m) = first_match(ops)
        && let Some(p) = m.patterns.first()
        && p.nodes[p.start].slot >= row.len()
        && scan_size(m, env.graph).is_some()
    {
        let nodes = label_scan::scan(env.graph, &p.nodes[p.start].labels);
        // A start with conditions of its own: how many nodes pass, not
        // their degrees, decides the work, and reading every node's
        // degree could cost more than the scan. Cut by count.
        let filtered = p.nodes[p.start].props.is_some() || p.filters.first().is_some_and(|f| !f.is_empty());
        let weights = match filtered {
            true if nodes.len() < MIN_INPUT => return Ok(None),
            true => None,
            false => {
                let types = first_hop_types(p, env.graph);
                let weights: Vec<u64> = nodes
                    .iter()
                    .map(|n| 1 + first_hop_degree(p, &types, env.graph, *n))
                    .collect();
                if weights.iter().sum::<u64>() < MIN_INPUT as u64 {
                    return Ok(None);
                }
                Some(weights)
            }
        };
        (Source::Starts { row, nodes }, weights)
    } else {
        return Ok(None);
    };
    let len = match &source {
        Source::Rows(r) => r.len(),
        Source::Starts { nodes, .. } => nodes.len(),
        Source::Counted { counts, .. } => counts.len(),
    };
    let morsels = cut(len, weights.as_deref(), threads * MORSELS_PER_THREAD);
    if morsels.len() < 2 {
        return Ok(None);
    }
    let results = run_morsels(ops, project, &source, &morsels, threads, env)?;
    merge(results, env)
}

/// Projects nodes handed over with their numbers of matches
/// (`Op::CountPerNode`: each node once) into one projection state, over
/// morsels on several threads when that pays, merged in order: the
/// grouping keys are evaluated and the groups found in parallel.
///
/// Merging costs about what finding a group costs, so splitting pays only
/// when the groups are far fewer than the nodes (`p.g`, `left(p.name, 5)`),
/// not when each node is a group of its own (`p.id`). Neither the plan nor
/// the statistics know that for a computed key, so the first morsel is
/// projected on this thread and decides: when it made fewer than one group
/// for every [`NODES_PER_GROUP`] nodes, or offered its groups to a top-k
/// heap as they came (merging heaps costs little), the other morsels run
/// in parallel and merge into it; otherwise this thread goes on alone. When
/// a WITH makes each node's row a group of its own first (`tail`, from
/// operator `at` of the part), its rows feed `project` as they come.
pub(in crate::eval) fn run_counted<'o>(
    tail: &[Op],
    at: usize,
    project: &'o ProjectOp,
    counts: &[(NodeId, u64)],
    slot: usize,
    width: usize,
    env: &Env<'_>,
) -> Result<Projector<'o>, QueryError> {
    let mut first = Projector::new(project);
    let threads = env.guard.threads();
    let morsels = match threads < 2 || counts.len() < MIN_INPUT {
        true => vec![],
        false => cut(counts.len(), None, threads * MORSELS_PER_THREAD),
    };
    let Some((head, rest)) = morsels.split_first().filter(|(_, rest)| !rest.is_empty()) else {
        push_counts(&mut first, tail, at, counts, slot, width, env)?;
        return Ok(first);
    };
    if !push_counts(&mut first, tail, at, &counts[head.clone()], slot, width, env)? {
        return Ok(first);
    }
    if first.groups() * NODES_PER_GROUP > head.len() && !first.offers_whole_groups() {
        push_counts(&mut first, tail, at, &counts[head.end..], slot, width, env)?;
        return Ok(first);
    }
    let source = Source::Counted {
        counts,
        slot,
        width,
        tail,
        at,
    };
    let results = run_morsels(&[], project, &source, rest, threads, env)?;
    let results = std::iter::once(Some(Ok(first))).chain(results).collect();
    Ok(merge(results, env)?.unwrap_or_else(|| Projector::new(project)))
}

/// The nodes of `p` with their numbers of matches (`Op::CountPerNode`),
/// in the order one thread hands them over: counted over equal runs of
/// the start nodes on the threads when the counts are per start node
/// ([`count_per_node::splits`]) and the nodes are many, each run by a
/// thread with a guard of its own; the runs' lists are joined in order,
/// and the first run's error (in that order) is the statement's.
pub(in crate::eval) fn count_per_node(
    env: &Env<'_>,
    p: &PatternPlan,
    counted: CountedExpand,
    keyed: bool,
) -> Result<Vec<(NodeId, u64)>, QueryError> {
    let gather = |env: &Env<'_>, part: Option<(usize, usize)>| {
        let mut counts = Vec::new();
        count_per_node::count_matches_in(env, p, counted, keyed, part, &mut |node, n| {
            counts.push((node, n));
            Ok(true)
        })
        .map(|_| counts)
    };
    let threads = env.guard.threads();
    if threads < 2 || !count_per_node::splits(p, counted) || index_seek::start_nodes(env, p).len() < MIN_INPUT {
        return gather(env, None);
    }
    let parts = on_threads(env, threads, |env, i| gather(env, Some((i, threads))));
    let mut all = Vec::new();
    for part in parts {
        all.extend(part?);
    }
    Ok(all)
}

/// Splitting a projection of nodes counted per node pays when there are
/// at least this many nodes for each group (see [`run_counted`]).
const NODES_PER_GROUP: usize = 8;

/// `f(env, run)` over contiguous runs of `starts` (the start nodes of
/// pattern `p`, weighed by their first hop's degrees), the runs dealt out
/// to the threads in turn; the results in the runs' order. One run on
/// this thread when there is one thread or few nodes.
pub(in crate::eval) fn over_start_runs<T: Send>(
    env: &Env<'_>,
    p: &PatternPlan,
    starts: &[NodeId],
    f: impl Fn(&Env<'_>, &[NodeId]) -> T + Sync,
) -> Vec<T> {
    let threads = env.guard.threads();
    if threads < 2 || starts.len() < MIN_INPUT {
        return vec![f(env, starts)];
    }
    let types = first_hop_types(p, env.graph);
    let weights: Vec<u64> = starts
        .iter()
        .map(|&n| first_hop_degree(p, &types, env.graph, n))
        .collect();
    let runs = cut(starts.len(), Some(&weights), threads * MORSELS_PER_THREAD);
    deal(env, threads, &runs, |env, r| f(env, &starts[r]))
}

/// `f(env, run)` over contiguous runs of `0..len` of about equal length,
/// dealt out to the threads in turn; the results in the runs' order. One
/// run on this thread when there is one thread or `len` is small.
pub(in crate::eval) fn over_runs<T: Send>(
    env: &Env<'_>,
    len: usize,
    f: impl Fn(&Env<'_>, Range<usize>) -> T + Sync,
) -> Vec<T> {
    let threads = env.guard.threads();
    if threads < 2 || len < MIN_INPUT {
        return vec![f(env, 0..len)];
    }
    let runs = cut(len, None, threads * MORSELS_PER_THREAD);
    deal(env, threads, &runs, f)
}

/// `f(env, run)` for each of `runs`, dealt out to `threads` threads in
/// turn (run `k` to thread `k % threads`); the results in the runs' order.
fn deal<T: Send>(
    env: &Env<'_>,
    threads: usize,
    runs: &[Range<usize>],
    f: impl Fn(&Env<'_>, Range<usize>) -> T + Sync,
) -> Vec<T> {
    let mut dealt = on_threads(env, threads, |env, i| {
        runs.iter()
            .skip(i)
            .step_by(threads)
            .map(|r| f(env, r.clone()))
            .collect::<Vec<_>>()
            .into_iter()
    });
    (0..runs.len()).filter_map(|k| dealt[k % threads].next()).collect()
}

/// `f(env, i)` for each `i` below `threads`: `i = 0` on this thread, the
/// others on threads of their own, each with a guard made from this one's
/// (same deadline, cancel flag, memory baseline and shared path count).
/// The results in the order of `i`; a worker's panic goes on as this
/// thread's.
pub(in crate::eval) fn on_threads<T: Send>(
    env: &Env<'_>,
    threads: usize,
    f: impl Fn(&Env<'_>, usize) -> T + Sync,
) -> Vec<T> {
    let graph = env.graph;
    std::thread::scope(|scope| {
        let f = &f;
        let workers: Vec<_> = (1..threads)
            .map(|i| {
                let seed = env.guard.seed();
                scope.spawn(move || {
                    let guard = Guard::from_seed(seed);
                    let env = Env {
                        graph,
                        guard: &guard,
                        aggs: vec![],
                    };
                    let out = f(&env, i);
                    guard.flush_paths();
                    out
                })
            })
            .collect();
        let mut all = vec![f(env, 0)];
        env.guard.flush_paths();
        for w in workers {
            match w.join() {
                Ok(out) => all.push(out),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    })
}

/// The morsels' projection states merged in morsel order; the first
/// failing morsel's error.
fn merge<'o>(
    results: Vec<Option<Result<Projector<'o>, QueryError>>>,
    env: &Env<'_>,
) -> Result<Option<Projector<'o>>, QueryError> {
    let mut merged: Option<Projector<'o>> = None;
    for r in results {
        match (r, merged.as_mut()) {
            (Some(Ok(p)), None) => merged = Some(p),
            (Some(Ok(p)), Some(m)) => m.absorb(p, env)?,
            (Some(Err(e)), _) => return Err(e),
            // Not run: only after a morsel before it failed, returned above.
            (None, _) => break,
        }
    }
    Ok(merged)
}

/// The MATCH (or its count-expand form) a section starts with.
fn first_match(ops: &[Op]) -> Option<&MatchOp> {
    match ops.first()? {
        Op::Match(m) | Op::CountExpand(m) | Op::IntersectCount(m) => Some(m),
        _ => None,
    }
}

/// The relationships a start node has on the first hop its pattern part
/// takes (an estimate of the work matching from it makes).
fn first_hop_degree(p: &PatternPlan, types: &[Option<crate::store::Sym>], g: &Graph, n: NodeId) -> u64 {
    let Some((_, dir)) = p.first_hop() else { return 0 };
    let degree = |t: Option<crate::store::Sym>| match dir {
        // Both ways: the two counts (a self-loop twice; this only weighs).
        Direction::Both => g.degree_sym(n, Direction::Outgoing, t) + g.degree_sym(n, Direction::Incoming, t),
        d => g.degree_sym(n, d, t),
    };
    let d: usize = match types {
        [] => degree(None),
        // A type the graph does not have: no relationships.
        types => types.iter().flatten().map(|t| degree(Some(*t))).sum(),
    };
    d as u64
}

/// The first hop's types as the store's symbols, resolved once (none: any type).
fn first_hop_types(p: &PatternPlan, g: &Graph) -> Vec<Option<crate::store::Sym>> {
    p.first_hop()
        .map_or_else(Vec::new, |(rel, _)| rel.types.iter().map(|t| g.sym(t)).collect())
}

/// Cuts `0..len` into contiguous morsels of about equal work (`weights`,
/// else one per item): about `wanted` of them, none lighter than
/// [`MIN_MORSEL`] but the last.
fn cut(len: usize, weights: Option<&[u64]>, wanted: usize) -> Vec<Range<usize>> {
    let weight = |i: usize| weights.map_or(1, |w| w[i]);
    let total: u64 = match weights {
        Some(w) => w.iter().sum(),
        None => len as u64,
    };
    let target = (total / wanted.max(1) as u64).max(MIN_MORSEL);
    let mut out = Vec::new();
    let (mut from, mut acc) = (0, 0u64);
    for i in 0..len {
        acc += weight(i);
        if acc >= target {
            out.push(from..i + 1);
            from = i + 1;
            acc = 0;
        }
    }
    if from < len {
        out.push(from..len);
    }
    out
}

/// Runs every morsel on `threads` threads (this one among them); entry
/// `i` of the result is morsel `i`'s projection state or error, `None`
/// for a morsel not started because one before it failed.
fn run_morsels<'o>(
    ops: &[Op],
    project: &'o ProjectOp,
    source: &Source<'_>,
    morsels: &[Range<usize>],
    threads: usize,
    env: &Env<'_>,
) -> Result<Vec<Option<Result<Projector<'o>, QueryError>>>, QueryError> {
    let next = AtomicUsize::new(0);
    let failed = AtomicUsize::new(usize::MAX);
    // Takes morsels until none is left (or one before it failed).
    let work = |env: &Env<'_>| {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= morsels.len() || i > failed.load(Ordering::Relaxed) {
                return done;
            }
            let result = morsel(ops, project, source, morsels[i].clone(), env);
            if result.is_err() {
                failed.fetch_min(i, Ordering::Relaxed);
            }
            done.push((i, result));
        }
    };
    let mut results: Vec<Option<Result<Projector<'o>, QueryError>>> = (0..morsels.len()).map(|_| None).collect();
    // A hash join's table is built once, by the first morsel to need it,
    // and read by the others (see `hash_join.rs`).
    let done = env
        .guard
        .sharing_join_tables(|| on_threads(env, threads.min(morsels.len()), |env, _| work(env)));
    for (i, r) in done.into_iter().flatten() {
        results[i] = Some(r);
    }
    Ok(results)
}

/// Runs the section over one morsel into a projection state of its own.
fn morsel<'o>(
    ops: &[Op],
    project: &'o ProjectOp,
    source: &Source<'_>,
    range: Range<usize>,
    env: &Env<'_>,
) -> Result<Projector<'o>, QueryError> {
    let mut sink = Projector::new(project);
    match source {
        Source::Rows(rows) => {
            for row in &rows[range] {
                if !feed(ops, row, None, env, &mut sink)? {
                    break;
                }
            }
        }
        Source::Starts { row, nodes } => {
            feed(ops, row, Some(&nodes[range]), env, &mut sink)?;
        }
        Source::Counted {
            counts,
            slot,
            width,
            tail,
            at,
        } => {
            push_counts(&mut sink, tail, *at, &counts[range], *slot, *width, env)?;
        }
    }
    Ok(sink)
}

/// Sends nodes with their numbers of matches (`Op::CountPerNode`) to
/// `sink`, each as a row of `width` slots with the node in `slot`; false
/// when the sink asked to stop. A node without a match (OPTIONAL) is one
/// row, counted once by count(*) and not by a count of the absent end.
/// With operators `tail` after the counting (a WITH making each row a
/// group of its own, then streaming ones, from operator `at`), each row
/// goes through them to `sink`.
pub(in crate::eval) fn push_counts(
    sink: &mut Projector<'_>,
    tail: &[Op],
    at: usize,
    counts: &[(NodeId, u64)],
    slot: usize,
    width: usize,
    env: &Env<'_>,
) -> Result<bool, QueryError> {
    let mut row = vec![Value::Null; width];
    for &(node, n) in counts {
        env.guard.tick()?;
        row[slot] = Value::Node(node);
        let go_on = match (tail, n) {
            ([], n) => sink.push_node_count(&row, n, env)?,
            (tail, n) => stream_counted(tail, at, &row, n, env, Probe::default(), &mut |r| sink.push(r, env))?,
        };
        if !go_on {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Sends what the section makes from `row` (its first MATCH started from
/// `starts` when given) into `sink`.
fn feed(
    ops: &[Op],
    row: &[Value],
    starts: Option<&[NodeId]>,
    env: &Env<'_>,
    sink: &mut Projector<'_>,
) -> Result<bool, QueryError> {
    let probe = Probe::default();
    match ops {
        [op @ (Op::CountExpand(m) | Op::IntersectCount(m))] => {
            let close = matches!(op, Op::IntersectCount(_));
            count_expand::count_last_hop_from(m, row, starts, close, env, &mut |r, n| sink.push_counted(r, n, env))
        }
        [Op::Match(m) | Op::CountExpand(m) | Op::IntersectCount(m), rest @ ..] if starts.is_some() => {
            match_clause::rows_from(m, row, starts, None, env, &mut |r| {
                stream(rest, 1, r, env, probe, &mut |r| sink.push(r, env))
            })
        }
        _ => stream(ops, 0, row, env, probe, &mut |r| sink.push(r, env)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morsels_cover_the_input_in_order_with_even_work() {
        let weights: Vec<u64> = (0..20_000u64).map(|i| if i < 10 { 5_000 } else { 1 }).collect();
        let m = cut(weights.len(), Some(&weights), 16);
        assert_eq!(m.first().map(|r| r.start), Some(0));
        assert_eq!(m.last().map(|r| r.end), Some(weights.len()));
        assert!(m.windows(2).all(|w| w[0].end == w[1].start));
        // The heavy nodes at the front are spread over several morsels.
        assert!(m[0].len() < 10, "{:?}", &m[..3]);
        // Without weights, small inputs are one morsel.
        assert_eq!(cut(1000, None, 16), vec![0..1000]);
        assert_eq!(cut(0, None, 16), Vec::<Range<usize>>::new());
    }
}
