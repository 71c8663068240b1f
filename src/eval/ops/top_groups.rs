//! Groups that arrive whole, under ORDER BY … LIMIT. Matches counted per
//! node (`Op::CountPerNode`) come as one row per node, no node twice; when
//! a RETURN or WITH groups them by that node alone (the node, or its `id`
//! while ids are unique: [`node_key`]) and every aggregate is a plain
//! count, each row is a finished group. Such a group is offered to the
//! top-k heap as it arrives: its leading sort keys are its counts, read
//! from the row's weight, then the keys naming the node or its properties
//! one at a time while they tie ([`TieBreak`]), and only a group that can
//! still enter has its row made. No table of groups is built and no pass
//! over them is made at the end.
//!
//! Rows and errors are the grouping's: groups are offered in the order
//! they arrive, which is the grouping's first-seen order, and what a
//! dropped group leaves unevaluated is what the grouping's own pruning
//! leaves ([`Pruning`]): keys read from a node and expressions of the
//! aggregates alone.

use std::cmp::Ordering;

use super::aggregate::{GroupShape, Pruning, TieBreak, node_key, over_one_row};
use super::top_k::TopK;
use crate::error::QueryError;
use crate::eval::expr::{Env, eval};
use crate::plan::functions::AggFunc;
use crate::plan::ops::{PKind, ProjectOp};
use crate::store::Graph;
use crate::value::Value;

pub(in crate::eval) struct TopGroups {
    top: TopK,
    /// For each leading sort key read from the aggregates: which.
    direct: Vec<usize>,
    /// The aggregates' values for the group being offered, reused.
    aggs: Vec<Value>,
    /// Its leading sort keys, reused.
    prefix: Vec<Value>,
    ties: TieBreak,
    /// The groups offered.
    offered: usize,
}

impl TopGroups {
    /// Whether `op`'s groups can be taken whole from rows counted per
    /// node (see the module's notes): it aggregates plain counts under
    /// ORDER BY … LIMIT whose first keys are counts, grouped by one node
    /// whose keys tell nodes apart.
    pub(in crate::eval) fn applies(op: &ProjectOp, graph: &Graph) -> bool {
        Self::direct(op, graph).is_some()
    }

    /// The leading sort keys read from the aggregates, when `op` applies.
    fn direct(op: &ProjectOp, graph: &Graph) -> Option<Vec<usize>> {
        let plain_counts = !op.aggregates.is_empty()
            && op.aggregates.iter().all(|a| {
                a.func == AggFunc::Count
                    && !a.distinct
                    && a.percentile.is_none()
                    && a.arg.as_ref().is_none_or(|e| matches!(e.kind, PKind::Slot(_)))
            });
        if !plain_counts || op.distinct || op.order_by.is_empty() || op.limit.is_none() || GroupShape::of(op).needs_row
        {
            return None;
        }
        let (slots, merges) = node_key(op, graph)?;
        let direct = Pruning::of(op)?.direct?;
        (slots.len() == 1 && !merges && !direct.is_empty()).then_some(direct)
    }

    /// The heap for `op`'s groups, keeping `k` rows, when its groups can
    /// be taken whole from rows counted per node.
    pub(super) fn of(op: &ProjectOp, graph: &Graph, k: usize) -> Option<TopGroups> {
        let direct = Self::direct(op, graph)?;
        Some(TopGroups {
            top: TopK::new(k, op.order_by.iter().map(|s| s.descending).collect()),
            direct,
            aggs: Vec::with_capacity(op.aggregates.len()),
            prefix: Vec::with_capacity(op.order_by.len()),
            ties: TieBreak::default(),
            offered: 0,
        })
    }

    /// The groups offered so far.
    pub(super) fn len(&self) -> usize {
        self.offered
    }

    /// Offers the group of `row`, which stands for `n` matches of its node
    /// (no match at all when `n` is 0: a node an OPTIONAL MATCH kept, its
    /// aggregates taken over the row itself).
    pub(super) fn offer(&mut self, op: &ProjectOp, row: &[Value], n: u64, env: &Env<'_>) -> Result<(), QueryError> {
        env.guard.tick()?;
        self.offered += 1;
        self.aggs.clear();
        match n {
            // A count of all rows or of a bare variable, over `n` equal
            // rows where that variable is bound: `n`.
            0 => self.aggs.extend(over_one_row(op, row, None, env)?),
            n => self.aggs.extend(op.aggregates.iter().map(|_| Value::Int(n as i64))),
        }
        self.prefix.clear();
        self.prefix.extend(self.direct.iter().map(|&j| self.aggs[j].clone()));
        match self.top.versus_worst(&self.prefix) {
            Some(Ordering::Greater) => return Ok(()),
            Some(Ordering::Equal) if self.ties.loses_on_row(op, &self.top, env, row, &self.prefix)? => return Ok(()),
            _ => {}
        }
        // The group's row, as the grouping makes it.
        let group = Env {
            graph: env.graph,
            guard: env.guard,
            aggs: std::mem::take(&mut self.aggs),
        };
        let made = (|| -> Result<(Vec<Value>, Vec<Value>), QueryError> {
            let mut projected = Vec::with_capacity(op.items.len() + op.group_sort.len());
            for item in &op.items {
                projected.push(eval(item, &group, row)?);
            }
            for key in &op.group_sort {
                let v = eval(key, &group, &projected)?;
                projected.push(v);
            }
            let mut keys = Vec::with_capacity(op.order_by.len());
            for s in &op.order_by {
                keys.push(eval(&s.expr, &group, &projected)?);
            }
            Ok((keys, projected))
        })();
        self.aggs = group.aggs;
        let (keys, projected) = made?;
        if self.top.admits(&keys) {
            self.top.push(keys, projected);
        }
        Ok(())
    }

    /// Takes the groups `later` was offered, all after this one's (a later
    /// morsel of a parallel operator).
    pub(super) fn absorb(&mut self, later: TopGroups) {
        self.offered += later.offered;
        self.top.absorb(later.top);
    }

    /// The rows kept, first first.
    pub(super) fn finish(self) -> Vec<Vec<Value>> {
        self.top.into_sorted()
    }
}
