//! Cardinality estimates from the store's statistics.
//!
//! A node position is estimated by its smallest label's node count (every
//! node without a label), one node when it is bound or looked up by `id`,
//! times the fraction its conditions keep: an equality to a value (in the
//! pattern's map or as a WHERE condition) keeps one in the label's
//! distinct values for the key (`Graph::value_stats`; a tenth without a
//! label), `IN` a list that many of them, a range a third, `STARTS WITH`,
//! `ENDS WITH`, `CONTAINS` and `=~` a tenth.
//!
//! A hop multiplies the rows by the average degree of its types in its
//! direction (`Graph::type_stats`): the relationships over the nodes they
//! start at (outgoing) or end at (incoming), both added up when
//! undirected. Leaving a labelled node, the average is over the label's
//! nodes when there are more of them than of those nodes (not every node
//! of the label has one); leaving an unlabelled node, one reached by a
//! hop, over the nodes that have one. A labelled node reached keeps the
//! fraction of the type's far ends that can carry the label (all of them
//! when the store knows every far end has it). A hop to a node already
//! bound keeps the rows that reach that one node: one in the number of
//! nodes at the type's far end (expand-into). Variable-length hops add up
//! the rows at each depth (up to five levels when unbounded), each level
//! at the geometric mean of the average and the highest degree.
//!
//! The cost of a part is the work of matching it: the nodes a label scan
//! reads (at [`SCAN_COST`] each, a scan checking its conditions in place)
//! or the rows a lookup or seek yields, plus every relationship a hop
//! follows, whether the node it reaches passes its conditions or not. So
//! a selective condition on one end makes that end the cheaper start.
//!
//! A node an index seek can start at (see [`super::seek`]) is estimated by
//! the seek's count when that is smaller: exact for constants.
//!
//! A hash join on `x.k = y.k` makes the product of its sides over the
//! larger of the two keys' distinct values.

use crate::plan::ops::{NodeStep, PExpr, PKind, PatternPlan, RelStep};
use crate::store::{Direction, Graph, TypeStats, ValueStats};
use crate::syntax::ast::BinaryOp;

/// Estimates for one clause.
pub struct Estimator<'g> {
    graph: &'g Graph,
    /// What each WHERE condition on one node (`slot`) keeps.
    conditions: Vec<(usize, Condition)>,
    /// Distinct values asked for so far, by (label, key), no label
    /// standing for every node: an estimate samples the nodes, and one
    /// clause asks again for every order tried.
    distinct: std::cell::RefCell<Vec<(Option<String>, String, ValueStats)>>,
    /// The index seeks the clause's nodes could start with.
    seeks: Vec<super::seek::Candidate>,
}

/// A WHERE condition on one node's property, as the estimate sees it.
#[derive(Debug, Clone)]
enum Condition {
    /// `n.key = value`.
    Equal(String),
    /// `n.key IN [..]` with this many values.
    In(String, usize),
    /// Any other condition on the node alone, keeping this fraction.
    Keeps(f64),
}

/// Depths counted for an unbounded variable-length hop.
const UNBOUNDED_DEPTH: u64 = 5;
/// Rows kept by a node's properties given as one map value (`{$props}`),
/// whose keys are not known when planning.
const EQUALITY_SELECTIVITY: f64 = 0.1;
/// Rows kept by a range condition (`<`, `<=`, `>`, `>=`).
const RANGE_SELECTIVITY: f64 = 1.0 / 3.0;
/// What reading one node of a label scan costs, against one row made by
/// a hop: the scan reads a run of nodes and checks them in place.
pub const SCAN_COST: f64 = 0.3;
/// Rows kept by a string match (`STARTS WITH`, `ENDS WITH`, `CONTAINS`, `=~`).
const TEXT_SELECTIVITY: f64 = 0.1;

impl<'g> Estimator<'g> {
    /// `conditions`: the clause's WHERE, split at its top-level ANDs.
    /// `patterns`: the clause's parts; `before`: the slots bound before it.
    pub fn new(graph: &'g Graph, conditions: &[PExpr], patterns: &[PatternPlan], before: usize) -> Estimator<'g> {
        Estimator {
            graph,
            conditions: conditions.iter().filter_map(node_condition).collect(),
            distinct: Default::default(),
            seeks: super::seek::candidates(graph, conditions, patterns, before),
        }
    }

    /// `Graph::value_stats` (or `value_stats_all` without a label), asked
    /// once per clause.
    fn value_stats(&self, label: Option<&str>, key: &str) -> ValueStats {
        let mut seen = self.distinct.borrow_mut();
        if let Some((_, _, v)) = seen.iter().find(|(l, k, _)| l.as_deref() == label && k == key) {
            return *v;
        }
        let v = match label {
            Some(label) => self.graph.value_stats(label, key),
            None => self.graph.value_stats_all(key),
        };
        seen.push((label.map(str::to_string), key.to_string(), v));
        v
    }

    /// Nodes with every label of `n` (its smallest label's count).
    pub fn label_rows(&self, n: &NodeStep) -> f64 {
        match n.labels.iter().map(|l| self.graph.nodes_with_label(l).len()).min() {
            Some(c) => c as f64,
            None => self.graph.node_count() as f64,
        }
    }

    /// `n`'s label with the fewest nodes.
    fn smallest_label<'n>(&self, n: &'n NodeStep) -> Option<&'n str> {
        n.labels
            .iter()
            .min_by_key(|l| self.graph.nodes_with_label(l).len())
            .map(String::as_str)
    }

    /// The fraction of `n`'s label's nodes equal to one value of `key`.
    fn equal_fraction(&self, n: &NodeStep, key: &str) -> f64 {
        let all = self.label_rows(n).max(1.0);
        if key == "id" {
            return 1.0 / all;
        }
        self.value_stats(self.smallest_label(n), key)
            .equality_selectivity()
            .max(1.0 / all)
    }

    /// The fraction of nodes with `n`'s labels that its properties and its
    /// WHERE conditions keep.
    fn selectivity(&self, n: &NodeStep) -> f64 {
        let mut keep = 1.0;
        match &n.props {
            Some(PExpr {
                kind: PKind::Map(entries),
                ..
            }) => {
                for (k, _) in entries {
                    keep *= self.equal_fraction(n, k);
                }
            }
            Some(_) => keep *= EQUALITY_SELECTIVITY,
            None => {}
        }
        for (_, c) in self.conditions.iter().filter(|(s, _)| *s == n.slot) {
            keep *= match c {
                Condition::Equal(k) => self.equal_fraction(n, k),
                Condition::In(k, len) => (self.equal_fraction(n, k) * *len as f64).min(1.0),
                Condition::Keeps(f) => *f,
            };
        }
        keep.max(1.0 / self.label_rows(n).max(1.0))
    }

    /// Rows when a part starts at `n` (unbound).
    pub fn start_rows(&self, n: &NodeStep) -> f64 {
        let rows = self.label_rows(n) * self.selectivity(n);
        match super::seek::best(&self.seeks, n.slot, &n.labels) {
            // Only a seek the optimiser would choose (its estimate is
            // capped where the scan becomes cheaper).
            Some(s) if s.estimate < rows && super::seek::seek_cost(s.estimate) < self.label_rows(n) => s.estimate,
            _ => rows,
        }
    }

    /// The statistics of each of `rel`'s types (every type when it names none).
    fn types(&self, rel: &RelStep) -> Vec<(Option<crate::store::Sym>, TypeStats)> {
        let g = self.graph;
        let names: Vec<&str> = if rel.types.is_empty() {
            g.rel_type_counts().into_iter().map(|(t, _)| t).collect()
        } else {
            rel.types.iter().map(String::as_str).collect()
        };
        names
            .into_iter()
            .filter_map(|t| g.type_stats(t).map(|s| (g.sym(t), s)))
            .filter(|(_, s)| s.count > 0)
            .collect()
    }

    /// The average number of relationships of `rel`'s types a node at
    /// `from` has in direction `dir`.
    pub fn fanout(&self, from: &NodeStep, rel: &RelStep, dir: Direction) -> f64 {
        let labelled = (!from.labels.is_empty()).then(|| self.label_rows(from));
        self.over_sides(rel, dir, |s, here| {
            let nodes = if here { s.start_nodes } else { s.end_nodes } as f64;
            s.count as f64 / labelled.map_or(nodes, |l| l.max(nodes)).max(1.0)
        })
    }

    /// `f(stats, here)` added up over `rel`'s types and the ends a hop in
    /// `dir` leaves from (`here`: the relationship's start).
    fn over_sides(&self, rel: &RelStep, dir: Direction, f: impl Fn(&TypeStats, bool) -> f64) -> f64 {
        let types = self.types(rel);
        types
            .iter()
            .flat_map(|(_, s)| sides(dir).iter().map(|&(here, _)| f(s, here)))
            .sum()
    }

    /// The most relationships of `rel`'s types one node has in `dir` (an
    /// upper bound, see `type_stats.rs`).
    fn max_fanout(&self, rel: &RelStep, dir: Direction) -> f64 {
        self.over_sides(rel, dir, |s, here| if here { s.max_out } else { s.max_in } as f64)
    }

    /// The nodes at the far end of `rel`'s types, leaving in `dir`.
    fn far_nodes(&self, rel: &RelStep, dir: Direction) -> f64 {
        // The far end is the start exactly when the near one is not.
        self.over_sides(
            rel,
            dir,
            |s, here| if here { s.end_nodes } else { s.start_nodes } as f64,
        )
    }

    /// The fraction of the hop's far ends that can carry `to`'s labels.
    fn label_fraction(&self, rel: &RelStep, dir: Direction, to: &NodeStep) -> f64 {
        if to.labels.is_empty() {
            return 1.0;
        }
        let g = self.graph;
        let types = self.types(rel);
        let known = !types.is_empty()
            && types.iter().all(|(t, _)| {
                sides(dir).iter().all(|&(_, far_is_start)| {
                    to.labels.iter().any(|l| match (t, g.sym(l)) {
                        (Some(t), Some(l)) => g.type_ends_have_label(*t, far_is_start, l),
                        _ => false,
                    })
                })
            });
        if known {
            return 1.0;
        }
        let far = self.far_nodes(rel, dir);
        if far <= 0.0 {
            return 1.0;
        }
        (self.label_rows(to) / far).min(1.0)
    }

    /// The cost (rows made at every step) and output rows of matching `p`
    /// once from `start`, with `bound[slot]` true for bound slots.
    pub fn part(&self, p: &PatternPlan, start: usize, bound: &[bool]) -> (f64, f64) {
        let mut local: Vec<usize> = Vec::new();
        let is_bound = |s: usize, local: &[usize]| bound.get(s).copied().unwrap_or(false) || local.contains(&s);
        let s = &p.nodes[start];
        // The rows the start yields, and the nodes it reads to find them:
        // a label scan reads every node of the label (cheaper per node
        // than a hop, see SCAN_COST), a lookup or a seek only its rows.
        let (mut rows, read) = match &p.seek {
            _ if is_bound(s.slot, &local) => (1.0, 1.0),
            // The seek the optimiser chose for this start.
            Some(seek) if start == p.start => {
                let rows = seek.estimate.min(self.start_rows(s));
                (rows, rows)
            }
            _ => {
                let rows = self.start_rows(s);
                let scanned = match super::seek::best(&self.seeks, s.slot, &s.labels) {
                    Some(seek) if seek.estimate <= rows => rows,
                    _ if super::lookup::has_id(s) => rows,
                    _ => self.label_rows(s),
                };
                (rows, rows.max(SCAN_COST * scanned))
            }
        };
        local.push(s.slot);
        let mut cost = read;
        let right = (start..p.rels.len()).map(|ri| (ri, ri, ri + 1, false));
        let left = (0..start).rev().map(|ri| (ri, ri + 1, ri, true));
        for (ri, from, to, flip) in right.chain(left) {
            let rel = &p.rels[ri];
            let dir = if flip { flip_dir(rel.direction) } else { rel.direction };
            let f = self.fanout(&p.nodes[from], rel, dir);
            let reach = match rel.var_len {
                None => f,
                Some((lo, hi)) => {
                    // Repeated hops compound the spread of degrees: from a
                    // node near the top of a hierarchy, a walk down reaches
                    // far more than the average degree suggests. Each level
                    // is taken at the geometric mean of the average and the
                    // highest degree, so that a walk whose every node has
                    // one such relationship (up a hierarchy) stays cheap and
                    // one that can fan out is not taken for cheap.
                    let f = (f * self.max_fanout(rel, dir).max(f)).sqrt();
                    let hi = hi.unwrap_or(lo.max(1) + UNBOUNDED_DEPTH).min(lo + UNBOUNDED_DEPTH);
                    (lo..=hi).map(|k| f.powi(k as i32)).sum()
                }
            };
            rows *= reach;
            // Every relationship followed costs, kept or not.
            cost += rows;
            let target = &p.nodes[to];
            rows *= if is_bound(target.slot, &local) {
                let far = self.far_nodes(rel, dir);
                match rel.var_len {
                    None if far >= 1.0 => 1.0 / far,
                    _ => 1.0 / self.label_rows(target).max(1.0),
                }
            } else {
                self.selectivity(target) * self.label_fraction(rel, dir, target)
            };
            local.push(target.slot);
        }
        (cost, rows)
    }

    /// The distinct values of an expression: `x.key` of a node among
    /// `nodes` (its smallest label's distinct values, every node's when it
    /// has none), or such a node itself.
    pub fn distinct_of(&self, e: &PExpr, nodes: &[&NodeStep]) -> Option<f64> {
        let (slot, key) = match &e.kind {
            PKind::Prop(base, key) => match base.kind {
                PKind::Slot(s) => (s, Some(key)),
                _ => return None,
            },
            PKind::Slot(s) => (*s, None),
            _ => return None,
        };
        let node = nodes
            .iter()
            .copied()
            .filter(|n| n.slot == slot)
            .min_by(|a, b| self.label_rows(a).total_cmp(&self.label_rows(b)))?;
        Some(match key {
            Some(k) if &**k == "id" => self.label_rows(node),
            Some(k) => self.value_stats(self.smallest_label(node), k).distinct,
            None => self.label_rows(node),
        })
    }

    /// The rows of a hash join of `probe_rows` rows (key `probe`) with
    /// `build_rows` matches (key `build`): their product over the larger
    /// number of distinct keys, or, when neither is known, as many as the
    /// smaller side.
    pub fn join_rows(
        &self,
        probe_rows: f64,
        build_rows: f64,
        probe: &PExpr,
        build: &PExpr,
        parts: &[PatternPlan],
    ) -> f64 {
        let nodes: Vec<&NodeStep> = parts.iter().flat_map(|p| &p.nodes).collect();
        let d = [self.distinct_of(probe, &nodes), self.distinct_of(build, &nodes)]
            .into_iter()
            .flatten()
            .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))));
        match d {
            Some(d) => probe_rows * build_rows / d.max(1.0),
            None => probe_rows * build_rows / probe_rows.max(build_rows).max(1.0),
        }
    }
}

/// The ends a hop in `dir` leaves from and reaches: (leaves from the
/// relationship's start, reaches its start), once per direction taken.
fn sides(dir: Direction) -> &'static [(bool, bool)] {
    match dir {
        Direction::Outgoing => &[(true, false)],
        Direction::Incoming => &[(false, true)],
        Direction::Both => &[(true, false), (false, true)],
    }
}

/// What a WHERE condition reading one node's properties keeps, and the node.
fn node_condition(c: &PExpr) -> Option<(usize, Condition)> {
    let prop = |e: &PExpr| match &e.kind {
        PKind::Prop(base, key) => match base.kind {
            PKind::Slot(s) => Some((s, key.to_string())),
            _ => None,
        },
        _ => None,
    };
    let constant = |e: &PExpr| {
        let mut used = Vec::new();
        e.slots_read(&mut used) && used.is_empty()
    };
    match &c.kind {
        PKind::Binary(op, l, r) => {
            let (slot, key, other) = match (prop(l), prop(r)) {
                (Some((s, k)), _) if constant(r) => (s, k, &**r),
                (_, Some((s, k))) if constant(l) && !matches!(op, BinaryOp::In) => (s, k, &**l),
                _ => return None,
            };
            let keeps = match op {
                BinaryOp::Eq => return Some((slot, Condition::Equal(key))),
                BinaryOp::In => match &other.kind {
                    PKind::List(items) => return Some((slot, Condition::In(key, items.len()))),
                    PKind::Const(crate::value::Value::List(items)) => {
                        return Some((slot, Condition::In(key, items.len())));
                    }
                    _ => return None,
                },
                BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => RANGE_SELECTIVITY,
                BinaryOp::StartsWith | BinaryOp::EndsWith | BinaryOp::Contains | BinaryOp::RegexMatch => {
                    TEXT_SELECTIVITY
                }
                _ => return None,
            };
            Some((slot, Condition::Keeps(keeps)))
        }
        PKind::RegexConst(e, _) => prop(e).map(|(s, _)| (s, Condition::Keeps(TEXT_SELECTIVITY))),
        _ => None,
    }
}

pub fn flip_dir(d: Direction) -> Direction {
    match d {
        Direction::Outgoing => Direction::Incoming,
        Direction::Incoming => Direction::Outgoing,
        Direction::Both => Direction::Both,
    }
}
