//! The optimiser: pure passes over a bound MATCH clause, each in its own
//! file, run in this order (before binding, `plan/unify.rs` has made node
//! variables the WHERE proves equal one variable):
//!
//! 1. [`lookup`]: `n.id = x` in WHERE becomes an id lookup of `n`.
//! 2. [`order`]: which pattern part runs first, where each part starts and
//!    how each joins the parts before it (expanding from a bound node,
//!    checking adjacency when both ends are bound, a hash join on a WHERE
//!    equality, or a scan), chosen by the cost [`cost`] estimates from the
//!    store's statistics.
//! 3. [`seek`]: a part whose start node's label has an index on a key the
//!    WHERE limits starts from an index lookup instead of a label scan.
//! 4. [`pushdown`]: each WHERE condition is checked as soon as the
//!    variables it reads are bound.
//!
//! Over a whole single query, after [`count_var`] (`count(x)` of a
//! variable a non-optional MATCH binds is `count(*)`), the counting rewrites
//! (`plan/rewrite.rs`) and [`factor_count`] (a count over a tree pattern
//! multiplied out per node), [`distinct_starts`] (aggregates that see each
//! value once over one end: each node of it checked for one match) and [`walk_count`] (a count over one
//! variable-length hop counted as walks) and [`intersect_count`] (a count whose last
//! hop closes a cycle, its last two hops counted by intersection): [`filter_op`] makes what is left of each MATCH's
//! WHERE a filter operator after it, [`group_join`] counts an OPTIONAL
//! MATCH whose matches only feed counts per row from one matching with
//! the row's node free, [`prepared_keys`] has grouping keys evaluated
//! in place, [`row_groups`] streams an aggregating WITH whose
//! input rows are each a group of their own, [`ordered_scan`] reads a label in
//! an index's order under `ORDER BY n.k … LIMIT`, [`top_k_scan`] keeps
//! only the scanned nodes that can reach such a LIMIT when there is no
//! index to read in order, and [`parallel`] runs
//! the streaming operators before a projection over morsels of their
//! input on several threads.
//!
//! Passes read the graph only for statistics (node counts per label,
//! relationship counts per type); a plan keeps no graph state.

pub mod anti_join;
pub mod cost;
pub mod count_var;
pub mod decorrelate;
pub mod distinct_pairs;
pub mod distinct_starts;
pub mod factor_count;
pub mod filter_op;
pub mod group_join;
pub mod group_start;
pub mod intersect_count;
pub mod lookup;
pub mod order;
pub mod ordered_scan;
pub mod parallel;
pub mod prepared_keys;
pub mod pushdown;
pub mod row_groups;
pub mod seek;
pub mod symmetric_count;
pub mod top_k_scan;
pub mod walk_count;

use super::ops::MatchOp;
use crate::store::Graph;

/// Optimises one MATCH clause whose variables from `before` on are its own.
pub fn match_clause(m: &mut MatchOp, before: usize, graph: &Graph) {
    lookup::ids_to_lookups(m, before);
    order::order(m, before, graph);
    seek::choose(m, before, graph);
    pushdown::push_filters(m, before);
}
