//! Conditions fixed per outer row: a WHERE condition on the node a step
//! of matching binds (a scanned start, or a node reached by a hop) whose
//! other operands read only variables bound before that step (an earlier
//! pattern part's node, a variable of an earlier clause, an UNWIND's
//! value, a correlated subquery's import) is a constant while the step
//! runs. Such an operand is evaluated once per outer row (when the
//! variables it reads have changed), and the condition is compiled with
//! its value as a literal would be (`nodefilter.rs`): a scan then checks
//! it in place with the literal's fast paths (the byte scans, zone maps,
//! the by-stride read of one key), and a hop checks it on each node it
//! reaches without evaluating that operand again.
//!
//! The answer is the evaluator's: the operand's value is the one the
//! evaluator would compute (it reads only what is fixed and is
//! [`PExpr::repeatable`]), and a null value compares as null. When
//! evaluating it raises an error, or its value is of a kind the compiled
//! form does not take (`x IN 5`), nothing is compiled for that row and
//! the evaluator checks the condition on each node, raising its error
//! where it would have.
//!
//! The planner side is the same notion: an operand that is
//! [`PExpr::fixed_given`] the slots bound before a step is treated as a
//! literal of unknown value by the index seeks (`plan/optimise/seek.rs`)
//! and the cost model (`plan/optimise/cost.rs`).

use std::rc::Rc;

use crate::eval::expr::eval;
use crate::eval::matcher::Matcher;
use crate::eval::nodefilter::{NodeFilter, fixed_operands};
use crate::plan::ops::{PExpr, PatternPlan};
use crate::value::Value;

/// A condition that compiles once its fixed operands are known (the
/// per-execution half: its outer-row half is [`Matcher::fixed_filter`]).
#[derive(Debug)]
pub struct FixedCondition {
    /// The slots the step binds (the node tested, the relationship that
    /// reached it): every other slot the condition reads is fixed.
    own: Vec<usize>,
    /// The slots its fixed operands read, sorted.
    reads: Vec<usize>,
}

impl FixedCondition {
    /// For condition `c` checked at a step binding `own`: `None` when it
    /// has no fixed operand that reads a variable, or would not compile
    /// as a test on a node the step binds with those operands known.
    pub fn new(c: &PExpr, own: Vec<usize>) -> Option<FixedCondition> {
        let mut operands = Vec::new();
        fixed_operands(c, &|s| !own.contains(&s), &mut operands);
        if operands.is_empty() || !own.contains(&NodeFilter::compiles(c, &operands)?) {
            return None;
        }
        let mut reads = Vec::new();
        for o in &operands {
            o.slots_read(&mut reads);
        }
        reads.sort_unstable();
        reads.dedup();
        Some(FixedCondition { own, reads })
    }

    /// Its fixed operands in `c` (the condition it was made for).
    fn operands<'e>(&self, c: &'e PExpr) -> Vec<&'e PExpr> {
        let mut out = Vec::new();
        fixed_operands(c, &|s| !self.own.contains(&s), &mut out);
        out
    }
}

/// The slots filter step `si` of `p` binds: the start node at step 0,
/// then the relationship and node of each hop in the matcher's order
/// (rightwards from the start, then leftwards).
pub fn step_slots(p: &PatternPlan, si: usize) -> Vec<usize> {
    let Some(k) = si.checked_sub(1) else {
        return vec![p.nodes[p.start].slot];
    };
    let right = p.rels.len() - p.start;
    let (ri, to) = if k < right {
        (p.start + k, p.start + k + 1)
    } else {
        let ri = p.start - 1 - (k - right);
        (ri, ri)
    };
    vec![p.rels[ri].slot, p.nodes[to].slot]
}

/// How many conditions at filter step `si` of `p` compile only with
/// their fixed operands known (for EXPLAIN).
pub fn fixed_conditions(p: &PatternPlan, si: usize) -> usize {
    let own = step_slots(p, si);
    p.filters.get(si).map_or(0, |step| {
        step.iter()
            .filter(|e| NodeFilter::compiles(e, &[]).is_none() && FixedCondition::new(e, own.clone()).is_some())
            .count()
    })
}

/// One condition compiled for the current outer row.
pub(in crate::eval) struct FixedMemo {
    /// (part, filter step, condition).
    at: (usize, usize, usize),
    /// The values, when compiled, of the read slots the matcher binds.
    values: Vec<Value>,
    filter: Option<Rc<NodeFilter>>,
}

/// Whether a slot still holds the node or relationship it held (any other
/// value is taken as changed).
fn same_element(now: &Value, then: &Value) -> bool {
    match (now, then) {
        (Value::Node(a), Value::Node(b)) => a == b,
        (Value::Rel(a), Value::Rel(b)) => a == b,
        _ => false,
    }
}

impl Matcher<'_, '_> {
    /// Condition `ci` at filter step `si` of part `pi` compiled for the
    /// values its fixed operands have in the current row (kept while the
    /// slots they read hold the same nodes and relationships); `None`
    /// when it is not such a condition, or does not compile for these
    /// values (the evaluator decides then).
    pub(in crate::eval) fn fixed_filter(&self, pi: usize, si: usize, ci: usize) -> Option<Rc<NodeFilter>> {
        let cond = self.labels[pi].fixed.get(si)?.get(ci)?.as_ref()?;
        // Slots bound before the matcher's input never change in it.
        let changing = || cond.reads.iter().filter(|s| **s >= self.input_len);
        let mut memos = self.fixed.borrow_mut();
        let memo = memos.iter().position(|m| m.at == (pi, si, ci));
        if let Some(m) = memo.map(|i| &memos[i])
            && changing().zip(&m.values).all(|(s, v)| same_element(&self.row[*s], v))
        {
            return m.filter.clone();
        }
        let c = &self.patterns[pi].filters[si][ci];
        let values: Option<Vec<(&PExpr, Value)>> = cond
            .operands(c)
            .into_iter()
            .map(|o| eval(o, self.env, &self.row).ok().map(|v| (o, v)))
            .collect();
        let filter = values
            .and_then(|values| NodeFilter::compile_fixed(self.env.graph, c, &values))
            .map(Rc::new);
        let values = changing().map(|s| self.row[*s].clone()).collect();
        let kept = FixedMemo {
            at: (pi, si, ci),
            values,
            filter: filter.clone(),
        };
        match memo {
            Some(i) => memos[i] = kept,
            None => memos.push(kept),
        }
        filter
    }

    /// Condition `ci` at filter step `si` of part `pi` on the current row
    /// by [`Matcher::fixed_filter`] (as `NodeFilter::check`); `None`: the
    /// evaluator must decide.
    #[inline]
    pub(in crate::eval) fn fixed_check(&self, pi: usize, si: usize, ci: usize) -> Option<Option<bool>> {
        self.fixed_filter(pi, si, ci)?.check(self.env.graph, &self.row)
    }
}
