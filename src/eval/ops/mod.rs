//! The physical operators, one file each. A plan (`plan::ops::Op`) names
//! which of them run and in what order; these files say how each runs.
//! Whatever an operator computes per execution lives in the execution
//! context (`context.rs`) or in the operator's own state for that run,
//! never in the plan.
//!
//! Streaming (a row in, rows out): [`match_clause`] (MATCH and OPTIONAL
//! MATCH, with [`filter`] for its WHERE) runs the pattern matcher, which
//! starts a part with a [`label_scan`] (its start conditions checked in
//! place by a [`filtered_scan`], those whose other side an outer row fixes
//! compiled for that row by [`fixed_filter`], or only the nodes a LIMIT can reach kept
//! by a [`top_k_scan`]), an [`index_seek`] or an [`id_lookup`] and takes each
//! hop with [`expand`], [`expand_into`] (both ends bound) or
//! [`var_expand`]; a part joined by value is a [`hash_join`]. [`unwind`].
//! A pattern predicate in an expression is a semi-join, [`pattern_exists`];
//! an `EXISTS` subquery planned for it, one on a set made once, [`semi_join`].
//!
//! Counting MATCH strategies (chosen by `plan::rewrite`): [`count_per_node`]
//! (from the far end's degrees where its statistics allow: [`count_far_end`]),
//! [`count_per_type`],
//! [`distinct_ends`], [`count_expand`]; and, for a tree pattern of several
//! hops (chosen by `plan::optimise::factor_count`), [`factor_count`]; for
//! one variable-length hop along types without a directed cycle (chosen by
//! `plan::optimise::walk_count`), [`walk_count`]; for pairs of a start and
//! an end that aggregates see once (chosen by
//! `plan::optimise::distinct_pairs`), [`distinct_pairs`], also counting
//! each pair's matches (two hops with labels only: [`pair_walk`], from
//! each start or through the middle nodes); for start nodes
//! with a match, each once (chosen by `plan::optimise::distinct_starts`),
//! [`distinct_starts`]; for two last hops
//! closing a cycle (chosen by `plan::optimise::intersect_count`),
//! [`intersect_count`]. An
//! OPTIONAL MATCH whose matches are all dropped after it (`WHERE x IS
//! NULL`) is an [`anti_join`]; one whose matches only feed counts per
//! row, a [`group_join`] (the counts from one matching with the row's
//! node free, counted per node).
//!
//! Collecting: [`project`] (WITH / RETURN) with [`aggregate`], [`sort`] and
//! [`top_k`]; [`create`]; [`update`] (SET, REMOVE, DELETE, MERGE). A WITH
//! whose input rows are each a group of their own streams: [`row_groups`].
//!
//! [`parallel`] runs the streaming operators before a projection over
//! morsels of their input on several threads.

pub(super) mod aggregate;
pub(super) mod anchored_exists;
pub(super) mod anti_join;
pub(super) mod count_expand;
pub(super) mod count_far_end;
pub(super) mod count_per_node;
pub(super) mod count_per_type;
pub(super) mod create;
pub(super) mod distinct_ends;
pub(super) mod distinct_pairs;
pub(super) mod distinct_starts;
pub(super) mod expand;
pub(super) mod expand_into;
pub(super) mod factor_count;
pub(super) mod filter;
pub(super) mod filtered_scan;
pub(super) mod fixed_filter;
pub(super) mod group_join;
pub(super) mod hash_join;
pub(super) mod id_lookup;
pub(super) mod index_seek;
pub(super) mod intersect_count;
pub(super) mod label_scan;
pub(super) mod match_clause;
pub(super) mod pair_walk;
pub(super) mod parallel;
pub(super) mod pattern_exists;
pub(super) mod project;
pub(super) mod row_groups;
pub(super) mod semi_join;
pub(super) mod sort;
pub(super) mod symmetric_count;
pub(super) mod top_groups;
pub(super) mod top_k;
pub(super) mod top_k_scan;
pub(super) mod unwind;
pub(super) mod update;
pub(super) mod var_expand;
pub(super) mod walk_count;

/// `row` as `width` slots (nulls after its own, any past `width` left
/// out), in one allocation: what an operator binding new slots hands on.
pub(super) fn widened(row: &[crate::value::Value], width: usize) -> Vec<crate::value::Value> {
    let mut r = Vec::with_capacity(width);
    r.extend_from_slice(&row[..row.len().min(width)]);
    r.resize(width, crate::value::Value::Null);
    r
}
