//! Parallel sections: the streaming operators before a projection (MATCH,
//! its count-expand form, filters, UNWIND) run over morsels of their input
//! on several threads when there is enough of it (`Op::Parallel`, run by
//! `eval/ops/parallel.rs`).
//!
//! The input is split two ways. A query part's first MATCH, nothing bound
//! before it, splits the label scan its first pattern part starts from:
//! the pass places the operator when the store's statistics say that scan
//! and its first hop make at least [`MIN_INPUT`] units of work (a node
//! scanned, a relationship followed), so 2,000 teams with 50 leaders each
//! are split as well as 100,000 roles. A section after a WITH splits the
//! rows the WITH made, when there are at least [`MIN_INPUT`] of them (the
//! evaluator decides, since only it knows how many there are).
//!
//! Each morsel feeds a projection state of its own; the states are merged
//! in morsel order, so rows, groups (in first-seen order), collected lists
//! and top-k ties come out as one pass in order would make them. What
//! cannot be split that way is left alone: a projection that stops the
//! input early (LIMIT without ORDER BY, DISTINCT or aggregates), one whose
//! input arrives sorted from an ordered index scan, and `sum(DISTINCT …)`
//! / `avg(DISTINCT …)`, whose merge would add floats in hash order.
//! Starts that come from an index or an id lookup are left to one thread
//! as well: they are small. A section with a hash join is split like any
//! other: its table is built once and shared by the morsels (see
//! `eval/ops/hash_join.rs`). A top-k scan (`PatternPlan::top`) is not
//! cut into morsels: it shares its scan among the threads itself and
//! binds only the `SKIP + LIMIT` nodes kept over all of them
//! (`eval/ops/top_k_scan.rs`), where each morsel would bind and project
//! its own `SKIP + LIMIT`.
//!
//! Matches counted per node (`Op::CountPerNode`) hand each node over once
//! with its count, cheaply; what costs is the projection of those nodes
//! (grouping keys evaluated, groups found). When the counted end has at
//! least [`MIN_INPUT`] nodes and the projection groups (or a WITH makes
//! each node's row a group of its own first, `Op::RowGroups`), the nodes
//! it is handed are cut into morsels the same way.

use crate::plan::functions::AggFunc;
use crate::plan::ops::{CountPerNodeOp, MatchOp, Op, PatternPlan, ProjectOp};
use crate::store::Graph;

/// The least input (rows, or nodes a scan visits) worth splitting.
pub const MIN_INPUT: usize = 4096;

/// Places `Op::Parallel` before each section that can run over morsels.
pub fn choose(ops: &mut Vec<Op>, graph: &Graph) {
    let mut at = 0;
    let mut starts = Vec::new();
    while at < ops.len() {
        let end = ops[at..]
            .iter()
            .position(|o| !streaming(o))
            .map_or(ops.len(), |p| at + p);
        // A section starts the query part or follows a projection (the
        // rows it splits): after another operator it would not start a
        // pipeline's streaming run (`eval/pipeline.rs`).
        let starts_run = at == 0 || matches!(ops[at - 1], Op::Project(_) | Op::Create(_) | Op::Update(_));
        if end > at
            && starts_run
            && let Some(Op::Project(p)) = ops.get(end)
            && splittable(p)
            && (groups(p)
                || !matches!(ops[at], Op::CountPerNode(_))
                || matches!(ops.get(at + 1), Some(Op::RowGroups(_))))
            && section_splits(&ops[at..end], at == 0, graph)
        {
            starts.push(at);
        }
        at = end + 1;
    }
    for s in starts.into_iter().rev() {
        ops.insert(s, Op::Parallel);
    }
}

fn streaming(op: &Op) -> bool {
    matches!(
        op,
        Op::Match(_)
            | Op::CountExpand(_)
            | Op::IntersectCount(_)
            | Op::AntiJoin(_)
            | Op::Filter(_)
            | Op::Unwind(_)
            | Op::CountPerNode(_)
            | Op::RowGroups(_)
    )
}

/// Whether the section `ops` (streaming operators before a projection)
/// has an input to split: the first section a large enough scan, a later
/// one the rows before it.
fn section_splits(ops: &[Op], first: bool, graph: &Graph) -> bool {
    if !first {
        return true;
    }
    let big =
        |m: &MatchOp| scan_size(m, graph).is_some_and(|n| n + first_hop_rels(m, graph) >= MIN_INPUT && !top_k_scan(m));
    match ops.first() {
        Some(Op::Match(m)) => big(m),
        Some(Op::CountExpand(m) | Op::IntersectCount(m)) if ops.len() == 1 => big(m),
        // Alone, or with its rows each projected as a group of its own.
        Some(Op::CountPerNode(c)) if ops.len() == 1 || matches!(ops[1], Op::RowGroups(_)) => {
            counted_nodes(c, graph).is_some_and(|n| n >= MIN_INPUT)
        }
        _ => false,
    }
}

/// Whether `m` starts with a top-k scan, which shares its scan among the
/// threads itself (see the module notes).
fn top_k_scan(m: &MatchOp) -> bool {
    m.patterns.first().is_some_and(|p| p.top.is_some())
}

/// At most how many nodes `Op::CountPerNode` hands over: those of the
/// counted end's label (`None` without a label, or from an index or a
/// lookup, which hand over few).
pub fn counted_nodes(c: &CountPerNodeOp, graph: &Graph) -> Option<usize> {
    let p = c.m.patterns.first()?;
    if c.counted.group_node == p.start {
        return scan_size(&c.m, graph);
    }
    let labels = &p.nodes.get(c.counted.group_node)?.labels;
    labels.iter().map(|l| graph.nodes_with_label(l).len()).min()
}

/// The relationships of the types of `m`'s first hop (every relationship
/// when it has no type): at most what the hop follows from the scan.
fn first_hop_rels(m: &MatchOp, graph: &Graph) -> usize {
    match m.patterns.first().and_then(PatternPlan::first_hop) {
        Some((rel, _)) if rel.types.is_empty() => graph.rel_count(),
        Some((rel, _)) => rel.types.iter().map(|t| graph.type_count(t)).sum(),
        None => 0,
    }
}

/// The nodes the label scan of `m`'s first part visits, when it starts
/// with one (not OPTIONAL, no index seek, no properties to look up by).
pub fn scan_size(m: &MatchOp, graph: &Graph) -> Option<usize> {
    let p = m.patterns.first()?;
    let start = &p.nodes[p.start];
    if m.optional || p.seek.is_some() || start.props.is_some() {
        return None;
    }
    Some(
        start
            .labels
            .iter()
            .map(|l| graph.nodes_with_label(l).len())
            .min()
            .unwrap_or_else(|| graph.node_count()),
    )
}

/// Whether a projection's state can be built per morsel and merged.
fn splittable(p: &ProjectOp) -> bool {
    let stops_early = p.aggregates.is_empty() && !p.distinct && p.order_by.is_empty() && p.limit.is_some();
    let float_order = p
        .aggregates
        .iter()
        .any(|a| a.distinct && matches!(a.func, AggFunc::Sum | AggFunc::Avg));
    !stops_early && !p.input_sorted && !float_order
}

/// Whether a section of matches counted per node is worth splitting: only
/// a projection that groups does work per node (without keys the counts
/// are summed as they come), or a WITH projecting each node's row
/// (`Op::RowGroups`) before it.
fn groups(p: &ProjectOp) -> bool {
    p.is_key.iter().any(|k| *k)
}
