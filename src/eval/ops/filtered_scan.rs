//! Filtered label scan: a part that starts by scanning a label, with WHERE
//! conditions on the start node alone that all compile for a check on the
//! node's handle (`eval/nodefilter.rs`), checks them in one tight loop over
//! the label's nodes: values are read in place and compared with the
//! constants, no row slot is written and nothing is cloned or counted
//! until a node passes. Only the survivors are bound and expanded from.
//!
//! A node the store marks deleted (by this statement) is left to the
//! general path, where the evaluator decides what reading it means.

use std::rc::Rc;

use crate::error::QueryError;
use crate::eval::labels::PatternLabels;
use crate::eval::matcher::{Emit, Matcher};
use crate::store::NodeId;

/// Nodes scanned between two looks at the clock and the cancel flag.
const CHECK_EVERY: usize = 256;

/// The pattern's labels when every condition checked at its start node
/// (filter step 0) compiled and reads the node in `slot`: then a scan can
/// check them all on each node's handle.
pub(in crate::eval) fn compiled(lab: &Rc<PatternLabels>, slot: usize) -> Option<Rc<PatternLabels>> {
    let step = lab.filters.first()?;
    (!step.is_empty() && step.iter().all(|f| f.as_ref().is_some_and(|f| f.slot == slot))).then(|| lab.clone())
}

impl Matcher<'_, '_> {
    /// Part `pi` from the scanned `nodes` into `slot`, the start node's
    /// conditions (compiled in `lab`) checked before anything is bound.
    pub(in crate::eval) fn filtered_scan(
        &mut self,
        pi: usize,
        slot: usize,
        nodes: &[NodeId],
        lab: &PatternLabels,
        emit: &mut Emit<'_>,
    ) -> Result<bool, QueryError> {
        let g = self.env.graph;
        let tests = &lab.filters[0];
        for block in nodes.chunks(CHECK_EVERY) {
            self.env.guard.check()?;
            for &n in block {
                let deleted = g.is_deleted_node(n);
                if !deleted && !tests.iter().flatten().all(|t| t.holds(g, n) == Some(true)) {
                    continue;
                }
                self.env.guard.tick()?;
                self.row[slot] = crate::value::Value::Node(n);
                self.assigned[slot] = true;
                // A deleted node has its conditions evaluated by `step`.
                let go_on = if deleted {
                    self.step(pi, 0, emit)
                } else {
                    self.advance(pi, 0, emit)
                };
                self.unbind(slot, false);
                if !go_on? {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }
}
