//! Symmetric count (`Op::SymmetricCount`, chosen by
//! `plan/optimise/symmetric_count.rs`): `MATCH (a:L)-[:T]-(b:L) WHERE
//! c(a, b)` feeding only an ungrouped count. Every relationship from `s`
//! to `e` (both with the labels) matches as (a, b) = (s, e) and as
//! (e, s), a self-loop once (openCypher's undirected hop), so the count
//! is read off the outgoing lists of the label's nodes alone: one visit
//! per relationship, where matching visits it from both ends (the second
//! time through an incoming list, each far end a random read in the edge
//! list). The WHERE is checked for both orientations at that one visit:
//! compiled conditions on the nodes' handles (a comparison of the two
//! nodes' values of one key reads each node's word once, see
//! `pairfilter.rs`), any other (it cannot raise: see the planner's file)
//! by the evaluator on a row.

use crate::error::QueryError;
use crate::eval::expr::{Env, eval, truth};
use crate::eval::labels::PatternLabels;
use crate::eval::matcher::labels_implied;
use crate::eval::ops::label_scan::scan;
use crate::eval::ops::parallel::over_runs;
use crate::plan::ops::{PExpr, PatternPlan};
use crate::store::{Direction, NodeId, Sym};
use crate::value::Value;

/// The number of matches of `p` (one undirected hop between node steps
/// alike, see the module's comment); `width` is the row's width. The
/// label's nodes are cut into runs counted on the threads (each with the
/// execution's tables of its own), the counts summed.
pub(in crate::eval) fn count(env: &Env<'_>, p: &PatternPlan, width: usize) -> Result<u64, QueryError> {
    let starts = scan(env.graph, &p.nodes[0].labels);
    let counts = over_runs(env, starts.len(), |env, r| count_run(env, p, width, &starts[r]));
    counts.into_iter().sum()
}

/// The matches of `p` from the relationships that start at `starts`.
fn count_run(env: &Env<'_>, p: &PatternPlan, width: usize, starts: &[NodeId]) -> Result<u64, QueryError> {
    let g = env.graph;
    let lab = env.guard.pattern_labels(g, p);
    let rel = &p.rels[0];
    // The types as symbols; one the graph does not know has no relationships.
    let types: Vec<Option<Sym>> = match rel.types.is_empty() {
        true => vec![None],
        false => {
            let mut known: Vec<Sym> = lab.types[0].iter().flatten().copied().collect();
            known.sort_by_key(|s| s.index());
            known.dedup();
            known.into_iter().map(Some).collect()
        }
    };
    let labelled = &p.nodes[0].labels;
    // The far end (the relationship's end) has the labels for sure.
    let implied = labelled.is_empty()
        || (rel.types.len() == 1
            && matches!(lab.types[0].as_slice(), [Some(t)] if labels_implied(g, &lab.syms, 1, *t, Direction::Outgoing, false)));
    let conditions: Vec<(usize, usize, &PExpr)> = p
        .filters
        .iter()
        .enumerate()
        .flat_map(|(k, cs)| cs.iter().enumerate().map(move |(ci, c)| (k, ci, c)))
        .collect();
    let mut check = Checks {
        env,
        lab: &lab,
        conditions,
        slots: [p.nodes[0].slot, p.nodes[1].slot],
        row: vec![Value::Null; width],
        failed: None,
    };
    // Each start's offsets, then its types, then its runs' first
    // relationships (with their far ends) asked for from memory a few
    // nodes ahead: the runs are short and lie apart in the edge list.
    const OFFSETS: usize = 12;
    const TYPES: usize = 8;
    const RUNS: usize = 4;
    // The relationships of a block of starts are gathered first, so that
    // the far ends' values can be asked for a few pairs ahead.
    const BLOCK: usize = 512;
    let mut pairs: Vec<(NodeId, NodeId)> = Vec::with_capacity(BLOCK + 64);
    let mut n = 0u64;
    for (k, &s) in starts.iter().enumerate() {
        env.guard.tick()?;
        if let Some(&a) = starts.get(k + OFFSETS) {
            g.prefetch_neighbours(a, Direction::Outgoing, true);
        }
        if let Some(&a) = starts.get(k + TYPES) {
            g.prefetch_neighbours(a, Direction::Outgoing, false);
        }
        if let Some(&a) = starts.get(k + RUNS) {
            for t in &types {
                g.prefetch_out_run(a, *t);
            }
        }
        if labelled.len() <= 1 || lab.has_labels(g, p, 0, s) {
            for t in &types {
                g.for_each_neighbour_sym(s, Direction::Outgoing, *t, |adj| {
                    if implied || lab.has_labels(g, p, 1, adj.other) {
                        pairs.push((s, adj.other));
                    }
                });
            }
        }
        if pairs.len() >= BLOCK || k + 1 == starts.len() {
            n += check.count(&pairs);
            pairs.clear();
            if let Some(err) = check.failed.take() {
                return Err(err);
            }
        }
    }
    Ok(n)
}

/// The WHERE conditions of the hop, checked with the two nodes given.
struct Checks<'c, 'g> {
    env: &'c Env<'g>,
    lab: &'c PatternLabels,
    /// (filter step, position in it, condition).
    conditions: Vec<(usize, usize, &'c PExpr)>,
    /// The slots of `a` and `b`.
    slots: [usize; 2],
    /// A row for the conditions the evaluator checks.
    row: Vec<Value>,
    failed: Option<QueryError>,
}

impl Checks<'_, '_> {
    /// The matches of relationships from `s` to `e` for each of `pairs`:
    /// each way round, a self-loop once (openCypher's undirected hop).
    fn count(&mut self, pairs: &[(NodeId, NodeId)]) -> u64 {
        const AHEAD: usize = 8;
        let mut n = 0;
        for (i, &(s, e)) in pairs.iter().enumerate() {
            if let Some(&(_, ahead)) = pairs.get(i + AHEAD) {
                for f in self.lab.pairs.iter().flatten().flatten() {
                    f.prefetch(ahead);
                }
            }
            n += u64::from(self.holds(s, e));
            if e != s {
                n += u64::from(self.holds(e, s));
            }
        }
        n
    }

    /// Whether every condition holds with `a` = `x` and `b` = `y`.
    #[inline]
    fn holds(&mut self, x: NodeId, y: NodeId) -> bool {
        let g = self.env.graph;
        let node = |slot: usize| if slot == self.slots[0] { x } else { y };
        for &(k, ci, c) in &self.conditions {
            let known = if let Some(f) = self.lab.filters.get(k).and_then(|f| f.get(ci)?.as_ref()) {
                let n = node(f.slot);
                match f.holds(g, n) {
                    None if f.undecided(g, n) => None,
                    t => Some(t),
                }
            } else {
                (self.lab.pairs.get(k).and_then(|f| f.get(ci)?.as_ref()))
                    .map(|f| f.holds_nodes(g, node(f.slots[0]), node(f.slots[1])))
            };
            let t = match known {
                Some(t) => t,
                None => {
                    self.row[self.slots[0]] = Value::Node(x);
                    self.row[self.slots[1]] = Value::Node(y);
                    match eval(c, self.env, &self.row).and_then(|v| truth(v, c.span)) {
                        Ok(t) => t,
                        Err(e) => {
                            self.failed.get_or_insert(e);
                            return false;
                        }
                    }
                }
            };
            if t != Some(true) {
                return false;
            }
        }
        true
    }
}
