//! Prepared grouping keys: an aggregating projection's keys (and its
//! aggregates' arguments) are evaluated row by row as expressions
//! prepared once per grouping (`eval/keyexpr.rs`) rather than by the
//! general evaluator. A property is
//! read in place (found by its position in the store, not by name), the
//! string functions and operators work on the borrowed text, `split(…)[i]`
//! takes its one part without making the list, a key's value is copied
//! only when it starts a new group, and a count or a minimum or maximum
//! copies its argument only to keep it. What the prepared form does not
//! cover (another type than expected, an error) is left to the general
//! evaluator, row by row, so rows and errors stay the naive plan's.
//!
//! Keys that are a node or one of its properties are mostly found by node
//! instead (`eval/ops/aggregate.rs`); the prepared form serves them when
//! that does not apply. The naive plan keeps the general evaluator, which
//! is what the equivalence tests compare the prepared form with.

use crate::plan::ops::{Op, PExpr, PKind, ProjectOp};

/// Marks each aggregating projection with grouping keys to evaluate them
/// as prepared key expressions, and each with aggregate arguments to
/// evaluate those so.
pub fn choose(ops: &mut [Op]) {
    for op in ops {
        if let Op::Project(p) = op
            && !p.aggregates.is_empty()
        {
            p.prepared_keys = p.is_key.iter().any(|k| *k);
            p.prepared_args = p.aggregates.iter().any(|a| a.arg.is_some());
        }
    }
}

/// Whether `e` is computed (not a variable nor a property of one).
fn computed(e: &PExpr) -> bool {
    match &e.kind {
        PKind::Slot(_) => false,
        PKind::Prop(base, _) => !matches!(base.kind, PKind::Slot(_)),
        _ => true,
    }
}

/// What EXPLAIN says of `p`'s prepared expressions: whether some
/// grouping key, and some aggregate's argument, is computed.
pub fn computes(p: &ProjectOp) -> (bool, bool) {
    let keys = p.prepared_keys && p.items.iter().zip(&p.is_key).any(|(e, k)| *k && computed(e));
    let args = p.prepared_args && p.aggregates.iter().any(|a| a.arg.as_ref().is_some_and(computed));
    (keys, args)
}
