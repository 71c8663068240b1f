//! Filtered label scan: a part that starts by scanning a label checks, in
//! one tight loop over the label's nodes, what it can know of each node
//! from the node alone before binding it:
//!
//! - WHERE conditions on the start node alone that all compile for a check
//!   on the node's handle (`eval/nodefilter.rs`): values are read in place
//!   and compared with the constants;
//! - when the next part is joined by a hash table (`ops/hash_join.rs`) on
//!   a property of this node, whether the table holds the node's value.
//!
//! No row slot is written and nothing is cloned or counted until a node
//! passes; only the survivors are bound and expanded from. A node the
//! store marks deleted (by this statement) is left to the general path,
//! where the evaluator decides what reading it means.
//!
//! When every condition reads the same one key, the nodes are a run of
//! consecutive ids and none is deleted, the key's values are read by
//! stride through the store's value column (`PropKey::for_each_in`)
//! rather than node by node: the same values in the same order, without
//! reading each node's record.

use std::rc::Rc;
use std::sync::Arc;

use crate::error::QueryError;
use crate::eval::labels::PatternLabels;
use crate::eval::matcher::{Emit, Matcher};
use crate::eval::nodefilter::{NodeFilter, Skips};
use crate::plan::ops::PKind;
use crate::store::zones::ZONE;
use crate::store::{KeyPositions, NodeId};
use crate::value::Value;

/// Nodes scanned between two looks at the clock and the cancel flag.
const CHECK_EVERY: usize = 256;

/// What a scan checks on each node before binding it.
pub(in crate::eval) struct ScanChecks {
    /// The conditions at the start node, every one compiled (`None`: the
    /// part checks them when bound).
    pub compiled: Option<StartTests>,
    /// The joined part probed with the start node's value of a key.
    pub probe: Option<(usize, KeyPositions)>,
}

/// Each condition checked at a part's start node, compiled once per
/// execution (in the pattern's labels) or, when its other side is fixed
/// by the outer row, for that row (`ops/fixed_filter.rs`).
pub(in crate::eval) struct StartTests {
    labels: Rc<PatternLabels>,
    fixed: Vec<Option<Rc<NodeFilter>>>,
}

impl StartTests {
    /// The compiled conditions, in order.
    fn list(&self) -> Vec<&NodeFilter> {
        self.labels.filters[0]
            .iter()
            .zip(&self.fixed)
            .filter_map(|(f, x)| f.as_ref().or(x.as_deref()))
            .collect()
    }
}

impl Matcher<'_, '_> {
    /// The conditions at part `pi`'s start node (in `slot`) when every one
    /// compiles for this row as a test on that node: then a scan can check
    /// them all on each node's handle.
    fn start_tests(&self, pi: usize, slot: usize) -> Option<StartTests> {
        let lab = &self.labels[pi];
        let step = lab.filters.first()?;
        if step.is_empty() {
            return None;
        }
        let mut fixed = Vec::with_capacity(step.len());
        for (ci, f) in step.iter().enumerate() {
            match f {
                Some(f) if f.slot == slot => fixed.push(None),
                Some(_) => return None,
                None => fixed.push(Some(self.fixed_filter(pi, 0, ci).filter(|f| f.slot == slot)?)),
            }
        }
        Some(StartTests {
            labels: lab.clone(),
            fixed,
        })
    }

    /// The checks a scan of part `pi`'s start node (in `slot`) can make
    /// before binding, when there are any.
    pub(in crate::eval) fn scan_checks(&self, pi: usize, slot: usize) -> Option<ScanChecks> {
        let compiled = self.start_tests(pi, slot);
        let probe = self.probe_key(pi, slot);
        (compiled.is_some() || probe.is_some()).then_some(ScanChecks { compiled, probe })
    }

    /// When the part after `pi` is joined by a table keyed on `x.k`, with
    /// `x` the node in `slot`: that part and `k`.
    fn probe_key(&self, pi: usize, slot: usize) -> Option<(usize, KeyPositions)> {
        if self.building {
            return None;
        }
        let next = self.patterns.get(pi + 1)?;
        let PKind::Prop(base, key) = &next.join.as_ref()?.probe.kind else {
            return None;
        };
        let PKind::Slot(s) = base.kind else { return None };
        (s == slot).then(|| (pi + 1, self.env.graph.key_positions(&Arc::clone(key))))
    }

    /// Part `pi` from the scanned `nodes` into `slot`, each node checked
    /// as `checks` says before anything is bound.
    pub(in crate::eval) fn filtered_scan(
        &mut self,
        pi: usize,
        slot: usize,
        nodes: &[NodeId],
        checks: &ScanChecks,
        emit: &mut Emit<'_>,
    ) -> Result<bool, QueryError> {
        let g = self.env.graph;
        let tests = checks.compiled.as_ref().map(StartTests::list);
        let tests = tests.as_deref();
        if checks.probe.is_none()
            && let Some(tests) = tests
            && let Some(key) = one_key(tests)
            && let Some(run) = crate::store::id_run(nodes)
            && !g.has_deleted_nodes()
        {
            let key = g.prop_key(key);
            let skips = Skips::new(g, tests.iter().copied(), nodes);
            let mut passed: Vec<(usize, bool)> = Vec::with_capacity(CHECK_EVERY);
            for from in run.clone().step_by(CHECK_EVERY) {
                self.env.guard.check()?;
                passed.clear();
                let to = (from + CHECK_EVERY).min(run.end);
                let mut block = from;
                while block < to {
                    let end = ((block / ZONE + 1) * ZONE).min(to);
                    if skips.as_ref().is_some_and(|s| s.skip(block / ZONE)) {
                        block = end;
                        continue;
                    }
                    let mut at = block - run.start;
                    key.for_each_in(block..end, |v| {
                        let mut undecided = false;
                        let pass = tests.iter().copied().all(|t| match t.holds_value(g, v) {
                            Some(b) => b,
                            None => {
                                undecided = !t.exact() && t.undecided_value(v);
                                undecided
                            }
                        });
                        if pass {
                            passed.push((at, undecided));
                        }
                        at += 1;
                    });
                    block = end;
                }
                for &(i, undecided) in &passed {
                    if !self.scanned_node(pi, slot, nodes[i], undecided, emit)? {
                        return Ok(false);
                    }
                }
            }
            return Ok(true);
        }
        // Blocks none of whose nodes passes are skipped whole; a deleted
        // node is left to the evaluator, so none may be skipped then.
        let skips = match tests {
            Some(tests) if !g.has_deleted_nodes() => Skips::new(g, tests.iter().copied(), nodes),
            _ => None,
        };
        // The block last looked at, and whether it is skipped.
        let mut current = (usize::MAX, false);
        for block in nodes.chunks(CHECK_EVERY) {
            self.env.guard.check()?;
            for &n in block {
                if skips.as_ref().is_some_and(|s| s.node_skipped(n, &mut current)) {
                    continue;
                }
                let deleted = g.is_deleted_node(n);
                // A condition the compiled check cannot decide for this
                // node (see `NodeFilter::undecided`): the conditions are
                // evaluated once it is bound, from that one on.
                let mut undecided = false;
                if !deleted {
                    if let Some(tests) = tests
                        && !tests.iter().copied().all(|t| match t.holds(g, n) {
                            Some(b) => b,
                            None => {
                                undecided = !t.exact() && t.undecided(g, n);
                                undecided
                            }
                        })
                    {
                        continue;
                    }
                    if let Some((j, key)) = &checks.probe {
                        // Built at the first node checked, not before (an
                        // empty scan evaluates no key of the joined part);
                        // an error building it is raised by the join, so a
                        // node goes on to be joined when there was one.
                        let table = self.join_table(*j);
                        let found = table.failed.is_some()
                            || match g.node_prop(n, key) {
                                None | Some(Value::Null) => false,
                                Some(v) => table.candidates(v).is_some(),
                            };
                        if !found {
                            continue;
                        }
                    }
                }
                if !self.scanned_node(pi, slot, n, deleted || tests.is_none() || undecided, emit)? {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// Part `pi` from node `n` of a filtered scan, bound into `slot`: its
    /// start conditions hold, unless `recheck` (they are then checked by
    /// `step`).
    fn scanned_node(
        &mut self,
        pi: usize,
        slot: usize,
        n: NodeId,
        recheck: bool,
        emit: &mut Emit<'_>,
    ) -> Result<bool, QueryError> {
        self.env.guard.tick()?;
        self.row[slot] = Value::Node(n);
        self.assigned[slot] = true;
        let go_on = if recheck {
            self.step(pi, 0, emit)
        } else {
            self.advance(pi, 0, emit)
        };
        self.unbind(slot, false);
        go_on
    }
}

/// The one key every condition reads, when they all read the same one
/// (and no label).
fn one_key<'t>(tests: &[&'t NodeFilter]) -> Option<&'t str> {
    let mut key: Option<&str> = None;
    for t in tests {
        let k = t.single_key()?.key();
        match key {
            Some(x) if x != &**k => return None,
            _ => key = Some(k),
        }
    }
    key
}
