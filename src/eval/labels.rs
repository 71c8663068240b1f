//! A pattern's labels and types resolved against the graph once per
//! execution: each node step's labels as symbols and which label sets hold
//! them all, each relationship step's types as symbols.
//! The execution context (see `context.rs`) keeps them by pattern, so a
//! plan holds no graph state.

use super::matcher::{end_is_start, flip_dir, labels_implied};
use super::nodefilter::NodeFilter;
use super::ops::fixed_filter::{FixedCondition, step_slots};
use super::pairfilter::PairFilter;
use crate::plan::ops::PatternPlan;
use crate::store::{Direction, Graph, LabelTest, NodeId, Sym};

#[derive(Debug)]
pub struct PatternLabels {
    /// Each node step's labels as symbols (`None`: the graph had no such
    /// label when the execution began).
    pub syms: Vec<Vec<Option<Sym>>>,
    /// Per node step, which label sets hold all its labels (indexed by
    /// `LabelSet::index`; `None` when a label was unknown). Sets made
    /// later (by CREATE) are checked by name.
    pub tables: Vec<Option<LabelTest>>,
    /// Each relationship step's types as symbols (`None`: unknown when
    /// the execution began, looked up by name on each use).
    pub types: Vec<Vec<Option<Sym>>>,
    /// Per filter step of the pattern (`PatternPlan::filters`), each WHERE
    /// condition compiled for a check on a node's handle, when it is one
    /// (see `nodefilter.rs`).
    pub filters: Vec<Vec<Option<NodeFilter>>>,
    /// Per filter step, each WHERE condition compiled as a comparison of
    /// two nodes' properties, when it is one (see `pairfilter.rs`).
    pub pairs: Vec<Vec<Option<PairFilter>>>,
    /// Per filter step, each WHERE condition that does not compile on its
    /// own but would with its operands fixed during the step taken as
    /// constants (see `ops/fixed_filter.rs`): what it needs to compile
    /// it once per outer row.
    pub fixed: Vec<Vec<Option<FixedCondition>>>,
    /// Per relationship step, whether a single hop of it reaches a node
    /// that has its pattern node's labels for sure, going right (to node
    /// `ri + 1`) and left (to node `ri`): the node has no labels to check,
    /// or the step has one type and the store's statistics show every
    /// relationship of the type has them at that end. The graph cannot
    /// change within the section that made these (an update ends a
    /// section, see `pipeline.rs`), so they hold while it runs.
    pub implied: Vec<[bool; 2]>,
    /// Per node step, whether the node an earlier part of the clause bound
    /// at its slot has its labels for sure (see [`known_from_earlier`]):
    /// a part starting there, or a hop reaching it, need not check them.
    pub known: Vec<bool>,
}

impl PatternLabels {
    /// Whether a relationship of type `t`, in direction `dir` from node
    /// step `a` to node step `b` (either way round when undirected), can
    /// join nodes with their labels: the type's statistics do not show
    /// that its ends lack one of them.
    pub fn type_can_join(&self, graph: &Graph, t: Sym, a: usize, b: usize, dir: Direction) -> bool {
        let lacks = |ni: usize, at_start: bool| {
            self.syms[ni]
                .iter()
                .flatten()
                .any(|&l| graph.type_ends_lack_label(t, at_start, l))
        };
        let ways: &[bool] = match dir {
            Direction::Outgoing => &[true],
            Direction::Incoming => &[false],
            Direction::Both => &[true, false],
        };
        ways.iter().any(|&a_starts| !lacks(a, a_starts) && !lacks(b, !a_starts))
    }

    /// `earlier`: the parts of the clause matched before `p` (empty when
    /// `p` is matched on its own).
    pub fn new(graph: &Graph, p: &PatternPlan, earlier: &[PatternPlan]) -> PatternLabels {
        let syms: Vec<Vec<Option<Sym>>> = p
            .nodes
            .iter()
            .map(|n| n.labels.iter().map(|l| graph.sym(l)).collect())
            .collect();
        let tables = syms
            .iter()
            .map(|syms| {
                let syms: Option<Vec<Sym>> = syms.iter().copied().collect();
                syms.map(|s| graph.label_test(&s))
            })
            .collect();
        let types: Vec<Vec<Option<Sym>>> = p
            .rels
            .iter()
            .map(|r| r.types.iter().map(|t| graph.sym(t)).collect())
            .collect();
        let filters: Vec<Vec<Option<NodeFilter>>> = p
            .filters
            .iter()
            .map(|step| step.iter().map(|c| NodeFilter::compile(graph, c)).collect())
            .collect();
        let pairs = p
            .filters
            .iter()
            .map(|step| step.iter().map(|c| PairFilter::compile(graph, c)).collect())
            .collect();
        let fixed = p
            .filters
            .iter()
            .enumerate()
            .map(|(si, step)| {
                let own = step_slots(p, si);
                step.iter()
                    .zip(&filters[si])
                    .map(|(c, f)| match f {
                        Some(_) => None,
                        None => FixedCondition::new(c, own.clone()),
                    })
                    .collect()
            })
            .collect();
        let implied = p
            .rels
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                let reaches = |to: usize, dir: Direction| {
                    p.nodes[to].labels.is_empty()
                        || match (r.types.len(), types[ri].as_slice()) {
                            (1, [Some(t)]) => labels_implied(graph, &syms, to, *t, dir, false),
                            _ => false,
                        }
                };
                [reaches(ri + 1, r.direction), reaches(ri, flip_dir(r.direction))]
            })
            .collect();
        PatternLabels {
            syms,
            tables,
            types,
            filters,
            pairs,
            fixed,
            implied,
            known: known_from_earlier(graph, p, earlier),
        }
    }

    /// Whether node step `ni`'s labels need no check on the node bound at
    /// its slot by an earlier part (see [`PatternLabels::known`]).
    pub fn known(&self, ni: usize) -> bool {
        self.known.get(ni).copied().unwrap_or(false)
    }

    /// Whether node `id` has every label of node step `ni` of `p`: one
    /// table lookup, or by symbol and name for a label set or label newer
    /// than the tables (made by CREATE during this execution).
    pub fn has_labels(&self, graph: &Graph, p: &PatternPlan, ni: usize, id: NodeId) -> bool {
        let labels = &p.nodes[ni].labels;
        if labels.is_empty() {
            return true;
        }
        if let Some(fast) = self.tables[ni].as_ref().and_then(|t| t.check(graph, id)) {
            return fast;
        }
        let node = graph.node(id);
        self.syms[ni].iter().zip(labels).all(|(sym, name)| match sym {
            Some(s) => node.has_label_sym(*s),
            None => node.has_label(name),
        })
    }
}

/// Per node step of `p`, whether every node an earlier part of the same
/// clause (`earlier`, matched before `p` in the same row) binds at its
/// slot has the step's labels: a node step of an earlier part at the same
/// slot asks for all of them (it was checked there), or a single hop of
/// an earlier part ends at that node step and, by the store's statistics
/// now, every relationship of each of its types has the labels at that
/// end (`Graph::type_ends_have_label`; either end for an undirected hop).
/// Computed once per execution, like the rest of [`PatternLabels`]: the
/// graph does not change while a section's matches are made.
pub fn known_from_earlier(graph: &Graph, p: &PatternPlan, earlier: &[PatternPlan]) -> Vec<bool> {
    p.nodes
        .iter()
        .map(|n| {
            !n.labels.is_empty()
                && earlier.iter().any(|q| {
                    q.nodes.iter().enumerate().any(|(qi, m)| {
                        m.slot == n.slot
                            && (n.labels.iter().all(|l| m.labels.contains(l)) || hop_gives(graph, q, qi, &n.labels))
                    })
                })
        })
        .collect()
}

/// Whether a single hop of `q` at its node step `qi` gives that node
/// `labels` for sure, by its types' statistics.
fn hop_gives(graph: &Graph, q: &PatternPlan, qi: usize, labels: &[String]) -> bool {
    q.rels.iter().enumerate().any(|(ri, r)| {
        let left = ri == qi;
        if !(left || ri + 1 == qi) || r.var_len.is_some() || r.types.is_empty() {
            return false;
        }
        let ends: &[bool] = match end_is_start(r.direction, left) {
            Some(true) => &[true],
            Some(false) => &[false],
            None => &[true, false],
        };
        r.types.iter().all(|t| {
            graph.sym(t).is_some_and(|t| {
                labels.iter().all(|l| {
                    graph
                        .sym(l)
                        .is_some_and(|l| ends.iter().all(|&at_start| graph.type_ends_have_label(t, at_start, l)))
                })
            })
        })
    })
}
