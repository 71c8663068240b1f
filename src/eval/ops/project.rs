//! WITH and RETURN: projection, grouping with hashed keys, aggregates,
//! DISTINCT, ORDER BY, SKIP and LIMIT.

use super::aggregate::{Acc, Grouping};
use super::sort::sort;
use super::top_groups::TopGroups;
use super::top_k::TopK;
use crate::error::{Code, QueryError};
use crate::eval::expr::{Env, eval, live_node, live_rel, truth};
use crate::plan::ops::{PExpr, PKind, ProjectOp};
use crate::value::{GroupKeyRef, Value};

/// The stages of a projection, in the order `finish` applies them; each
/// is one EXPLAIN/PROFILE step when the projection has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Projecting or aggregating (always present).
    Project,
    Distinct,
    Sort,
    Skip,
    Limit,
    /// `WITH ... WHERE`.
    Filter,
}

/// WITH / RETURN as a sink: rows are pushed one at a time (aggregates
/// accumulate as they come), then `finish` applies DISTINCT, ORDER BY, SKIP,
/// LIMIT and WHERE.
pub struct Projector<'o> {
    op: &'o ProjectOp,
    rows: Vec<Vec<Value>>,
    groups: Grouping,
    /// Rows needed before the rest cannot matter (LIMIT without sorting).
    enough: Option<Option<usize>>,
    /// Not aggregating, under ORDER BY … LIMIT without DISTINCT: the rows
    /// that can still reach the limit (`None` until the first row decides).
    top: Option<Option<TopK>>,
    /// Rows projected so far (for PROFILE, when `top` or DISTINCT drops
    /// some).
    projected: usize,
    /// DISTINCT without aggregates or a top-k heap: `rows` by their items,
    /// so that a row equal to an earlier one is dropped as it comes.
    seen: hashbrown::HashTable<usize>,
    /// Rows appended from a later projector (`absorb`), which `seen` has
    /// not compared with these: DISTINCT must look at them again.
    absorbed_rows: bool,
    hasher: foldhash::fast::RandomState,
    /// A row being projected and its sort keys, reused while rows are
    /// turned away by `top`.
    scratch: Vec<Value>,
    keys: Vec<Value>,
    /// Under a top-k heap: the items the first sort key reads, when the
    /// others can be left uncomputed for a row that key already turns
    /// away (see [`Deferred`]); decided at the first row.
    deferred: Option<Option<Deferred>>,
    /// Aggregating under ORDER BY … LIMIT, fed rows counted per node (each
    /// node once): the groups offered to a heap as they come, when they
    /// are whole (see `top_groups.rs`); decided at the first such row.
    whole: Option<Option<TopGroups>>,
}

/// The columns a top-k projection computes only for rows its first sort
/// key lets in: `early[i]` for the items that key reads (computed for
/// every row), the others deferred. Deferred items are constants,
/// variables and properties of a variable, which cannot fail on a node,
/// relationship, map or null, so skipping them on a row turned away
/// hides no error the row would have raised (a row whose variable holds
/// anything else computes them all).
struct Deferred {
    early: Vec<bool>,
}

impl Deferred {
    fn of(op: &ProjectOp) -> Option<Deferred> {
        let first = op.order_by.first()?;
        let mut read = Vec::new();
        if !first.expr.slots_read(&mut read) || op.aggregates.len() + op.group_sort.len() > 0 {
            return None;
        }
        let early: Vec<bool> = (0..op.items.len()).map(|i| read.contains(&i)).collect();
        let safe = op
            .items
            .iter()
            .zip(&early)
            .filter(|(_, e)| !**e)
            .all(|(item, _)| Deferred::variable(item).is_some() || matches!(item.kind, PKind::Const(_)));
        (safe && early.iter().any(|e| !e)).then_some(Deferred { early })
    }

    /// The slot a deferred item reads: a variable, or the variable whose
    /// property it is.
    fn variable(item: &PExpr) -> Option<usize> {
        match &item.kind {
            PKind::Slot(s) => Some(*s),
            PKind::Prop(base, _) => match base.kind {
                PKind::Slot(s) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether no deferred item can fail on `row`: each property is read
    /// from a live node or relationship, a map or a null.
    fn safe_on(&self, op: &ProjectOp, row: &[Value], env: &Env<'_>) -> bool {
        op.items.iter().zip(&self.early).filter(|(_, e)| !**e).all(|(item, _)| {
            let PKind::Prop(..) = item.kind else { return true };
            match Deferred::variable(item).and_then(|s| row.get(s)) {
                Some(Value::Null | Value::Map(_)) => true,
                Some(Value::Node(n)) => live_node(env.graph, *n, item.span).is_ok(),
                Some(Value::Rel(r)) => live_rel(env.graph, *r, item.span).is_ok(),
                _ => false,
            }
        })
    }
}

impl<'o> Projector<'o> {
    pub fn new(op: &'o ProjectOp) -> Projector<'o> {
        Projector {
            op,
            rows: Vec::new(),
            groups: Grouping::default(),
            enough: None,
            top: None,
            projected: 0,
            seen: hashbrown::HashTable::new(),
            absorbed_rows: false,
            hasher: foldhash::fast::RandomState::default(),
            scratch: Vec::new(),
            keys: Vec::new(),
            deferred: None,
            whole: None,
        }
    }

    /// The top-k heap when this projection keeps one (decided at the
    /// first row, once SKIP and LIMIT can be evaluated).
    fn top_k(&mut self, env: &Env<'_>) -> Result<Option<&mut TopK>, QueryError> {
        if self.top.is_none() {
            let op = self.op;
            let k = if op.order_by.is_empty() || op.distinct || !op.aggregates.is_empty() {
                None
            } else {
                let skip = count_arg(op.skip.as_ref(), env, "SKIP")?.unwrap_or(0);
                count_arg(op.limit.as_ref(), env, "LIMIT")?.map(|l| l.saturating_add(skip))
            };
            let desc = op.order_by.iter().map(|s| s.descending).collect();
            self.top = Some(k.map(|k| TopK::new(k, desc)));
        }
        Ok(self.top.as_mut().and_then(Option::as_mut))
    }

    /// Takes one input row; false once no further row can change the result.
    pub fn push(&mut self, row: &[Value], env: &Env<'_>) -> Result<bool, QueryError> {
        let op = self.op;
        if !op.aggregates.is_empty() {
            self.groups.add(op, row, env)?;
            return Ok(true);
        }
        self.projected += 1;
        if self.top_k(env)?.is_some() {
            // Projected into reused buffers; only a row that enters the
            // heap gets vectors of its own.
            let (mut scratch, mut keys) = (std::mem::take(&mut self.scratch), std::mem::take(&mut self.keys));
            scratch.clear();
            keys.clear();
            let deferred = self.deferred.get_or_insert_with(|| Deferred::of(op));
            match deferred {
                // The first key's items, and the others only for a row
                // that key lets in.
                Some(d) => {
                    for (item, early) in op.items.iter().zip(&d.early) {
                        scratch.push(match early {
                            true => eval(item, env, row)?,
                            false => Value::Null,
                        });
                    }
                    if op.keep_input {
                        scratch.extend(row.iter().cloned());
                    }
                    let first = eval(&op.order_by[0].expr, env, &scratch)?;
                    let top = self.top.as_mut().and_then(Option::as_mut).expect("decided above");
                    if top.cannot_enter(std::slice::from_ref(&first))
                        && !(op.input_sorted && top.rest_cannot_enter(&first))
                        && d.safe_on(op, row, env)
                    {
                        self.scratch = scratch;
                        self.keys = keys;
                        return Ok(true);
                    }
                    for (i, (item, early)) in op.items.iter().zip(&d.early).enumerate() {
                        if !early {
                            scratch[i] = eval(item, env, row)?;
                        }
                    }
                }
                None => {
                    for item in &op.items {
                        scratch.push(eval(item, env, row)?);
                    }
                    if op.keep_input {
                        scratch.extend(row.iter().cloned());
                    }
                }
            }
            for s in &op.order_by {
                keys.push(eval(&s.expr, env, &scratch)?);
            }
            let top = self.top_k(env)?.expect("decided above");
            if op.input_sorted && keys.first().is_some_and(|first| top.rest_cannot_enter(first)) {
                self.scratch = scratch;
                self.keys = keys;
                return Ok(false);
            }
            if top.admits(&keys) {
                top.push(keys.clone(), std::mem::take(&mut scratch));
            }
            self.scratch = scratch;
            self.keys = keys;
            return Ok(true);
        }
        let mut projected = Vec::with_capacity(op.items.len() + if op.keep_input { row.len() } else { 0 });
        for item in &op.items {
            projected.push(eval(item, env, row)?);
        }
        if op.distinct && !self.first_of_its_kind(&projected) {
            return Ok(true);
        }
        if op.keep_input {
            projected.extend(row.iter().cloned());
        }
        self.rows.push(projected);
        env.guard.check_rows(self.rows.len())?;
        let enough = match self.enough {
            Some(e) => e,
            None => {
                // DISTINCT rows are told apart as they come: LIMIT
                // without ORDER BY has enough once it has that many.
                let e = if !op.order_by.is_empty() {
                    None
                } else {
                    match count_arg(op.limit.as_ref(), env, "LIMIT")? {
                        Some(l) => Some(l + count_arg(op.skip.as_ref(), env, "SKIP")?.unwrap_or(0)),
                        None => None,
                    }
                };
                self.enough = Some(e);
                e
            }
        };
        Ok(enough.is_none_or(|n| self.rows.len() < n))
    }

    /// Whether the projected `items` differ from every row kept so far;
    /// if so, the next row kept (they are about to be) is recorded as
    /// theirs.
    fn first_of_its_kind(&mut self, items: &[Value]) -> bool {
        use std::hash::BuildHasher;
        let (rows, hasher) = (&self.rows, &self.hasher);
        let w = items.len();
        let hash = hasher.hash_one(GroupKeyRef(items));
        let same = |&i: &usize| same_items(&rows[i][..w], items);
        if self.seen.find(hash, same).is_some() {
            return false;
        }
        self.seen
            .insert_unique(hash, rows.len(), |&i| hasher.hash_one(GroupKeyRef(&rows[i][..w])));
        true
    }

    /// Takes a row standing for `n` identical input rows, for a projection
    /// whose aggregates are all non-DISTINCT counts of values that are
    /// never null in those rows (what `plan::rewrite` arranges).
    pub fn push_counted(&mut self, row: &[Value], n: u64, env: &Env<'_>) -> Result<bool, QueryError> {
        self.groups.add_counted(self.op, row, n, env)?;
        Ok(true)
    }

    /// Takes a row of matches counted per node (`Op::CountPerNode`): its
    /// node is in no other row this projection takes, and the row stands
    /// for `n` matches of it (a node an OPTIONAL MATCH kept without one
    /// when `n` is 0).
    pub fn push_node_count(&mut self, row: &[Value], n: u64, env: &Env<'_>) -> Result<bool, QueryError> {
        if self.whole.is_none() {
            let op = self.op;
            let whole = match op.order_by.is_empty() || op.distinct || op.aggregates.is_empty() {
                true => None,
                false => match count_arg(op.limit.as_ref(), env, "LIMIT")? {
                    Some(l) => {
                        let k = l.saturating_add(count_arg(op.skip.as_ref(), env, "SKIP")?.unwrap_or(0));
                        TopGroups::of(op, env.graph, k)
                    }
                    None => None,
                },
            };
            self.whole = Some(whole);
        }
        if let Some(Some(whole)) = &mut self.whole {
            whole.offer(self.op, row, n, env)?;
            return Ok(true);
        }
        // DISTINCT rows without aggregates: the node once is enough.
        if self.op.aggregates.is_empty() {
            return self.push(row, env);
        }
        match n {
            0 => self.push(row, env),
            n => self.push_counted(row, n, env),
        }
    }

    /// Takes each node of `set` as a row binding the counted variable, for
    /// a projection that is only `count(DISTINCT x)` (what `plan::rewrite`
    /// arranges for `Op::DistinctEnds`).
    pub fn push_nodes(&mut self, set: &crate::store::NodeSet, env: &Env<'_>) -> Result<(), QueryError> {
        for acc in self.groups.group(self.op, &[], env)? {
            debug_assert!(matches!(acc, Acc::Distinct(_, inner) if matches!(**inner, Acc::Count(_))));
            if let Acc::Distinct(seen, inner) = acc
                && let Acc::Count(c) = inner.as_mut()
            {
                *c += set.iter().filter(|n| seen.nodes.insert(*n)).count() as i64;
            }
        }
        Ok(())
    }

    /// Adds what `later` collected from rows that came after all of this
    /// one's (the next morsel of a parallel operator, see
    /// `ops/parallel.rs`): rows appended, groups merged in first-seen
    /// order, top-k heaps merged; what `finish` then makes is what one
    /// projector fed every row in order would make. Projections that stop
    /// early (LIMIT without ORDER BY) are never split.
    /// The groups found so far (none without aggregates).
    /// Whether groups go to a top-k heap as they come (`top_groups.rs`):
    /// merging two such projections costs only their heaps.
    pub fn offers_whole_groups(&self) -> bool {
        matches!(self.whole, Some(Some(_)))
    }

    pub fn groups(&self) -> usize {
        match (&self.whole, self.op.aggregates.is_empty()) {
            (_, true) => 0,
            (Some(Some(whole)), false) => whole.len(),
            (_, false) => self.groups.len(),
        }
    }

    pub fn absorb(&mut self, later: Projector<'o>, env: &Env<'_>) -> Result<(), QueryError> {
        let op = self.op;
        self.projected += later.projected;
        if !op.aggregates.is_empty() {
            match (&mut self.whole, later.whole) {
                (Some(Some(mine)), Some(Some(theirs))) => mine.absorb(theirs),
                (None, theirs @ Some(_)) => self.whole = theirs,
                _ => {}
            }
            self.groups.absorb(later.groups, op, env)?;
            return env.guard.check_rows(self.groups.len());
        }
        match (self.top.as_mut(), later.top) {
            (Some(Some(mine)), Some(Some(theirs))) => mine.absorb(theirs),
            (None, theirs) => self.top = theirs,
            (_, _) => {}
        }
        self.absorbed_rows |= !later.rows.is_empty();
        if self.rows.is_empty() {
            self.rows = later.rows;
        } else {
            self.rows.extend(later.rows);
        }
        env.guard.check_rows(self.rows.len())
    }

    /// The result, calling `mark` after each stage this projection has
    /// with the number of rows the stage left (for PROFILE).
    pub fn finish(self, env: &mut Env<'_>, mark: &mut dyn FnMut(Stage, usize)) -> Result<Vec<Vec<Value>>, QueryError> {
        let op = self.op;
        let skip = count_arg(op.skip.as_ref(), env, "SKIP")?;
        let limit = count_arg(op.limit.as_ref(), env, "LIMIT")?;
        let projected = self.projected;
        let repeats_possible = self.absorbed_rows;
        let top = self.top.flatten();
        let mut sorted = top.is_some();
        let mut rows = if let Some(Some(whole)) = self.whole {
            // Already the first SKIP + LIMIT groups' rows, in order.
            sorted = true;
            mark(Stage::Project, whole.len());
            whole.finish()
        } else if let Some(top) = top {
            // Already the first SKIP + LIMIT rows, in order.
            mark(Stage::Project, projected);
            top.into_sorted()
        } else if op.aggregates.is_empty() {
            // DISTINCT has dropped repeated rows already (see `push`).
            mark(Stage::Project, projected);
            self.rows
        } else {
            // Under ORDER BY … LIMIT (no DISTINCT), the groups go through
            // a top-k heap as their rows are made (see `Grouping::finish`).
            let keep = match op.order_by.is_empty() || op.distinct {
                true => None,
                false => limit.map(|l| l.saturating_add(skip.unwrap_or(0))),
            };
            sorted = keep.is_some();
            let groups = self.groups.len().max(usize::from(!op.is_key.iter().any(|k| *k)));
            let rows = self.groups.finish(op, env, keep)?;
            mark(Stage::Project, if sorted { groups } else { rows.len() });
            rows
        };
        let width = op.items.len();
        if op.distinct {
            // Rows merged from several morsels, or groups, may repeat
            // (rows pushed one by one were told apart as they came).
            if repeats_possible || !op.aggregates.is_empty() {
                distinct(&mut rows, width);
            }
            mark(Stage::Distinct, rows.len());
        }
        if !op.order_by.is_empty() {
            if !sorted {
                // Rows past SKIP + LIMIT are never seen (WHERE comes after them).
                let keep = limit.map(|l| l.saturating_add(skip.unwrap_or(0)));
                sort(op, &mut rows, env, keep)?;
            }
            mark(Stage::Sort, rows.len());
        }
        let skipped = rows.len().saturating_sub(skip.unwrap_or(0));
        if op.skip.is_some() {
            mark(Stage::Skip, skipped);
        }
        if op.limit.is_some() {
            mark(Stage::Limit, skipped.min(limit.unwrap_or(usize::MAX)));
        }
        let rows = rows
            .into_iter()
            .skip(skip.unwrap_or(0))
            .take(limit.unwrap_or(usize::MAX));
        let mut out = Vec::new();
        for mut r in rows {
            if let Some(f) = &op.filter
                && truth(eval(f, env, &r)?, f.span)? != Some(true)
            {
                continue;
            }
            r.truncate(width);
            out.push(r);
        }
        if op.filter.is_some() {
            mark(Stage::Filter, out.len());
        }
        Ok(out)
    }
}

/// Whether two rows' items are equal as DISTINCT and grouping see them.
fn same_items(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equivalent(y))
}

/// Keeps the first of each set of rows whose first `width` items are equal.
fn distinct(rows: &mut Vec<Vec<Value>>, width: usize) {
    use std::hash::BuildHasher;
    let hasher = foldhash::fast::RandomState::default();
    let mut seen: hashbrown::HashTable<usize> = hashbrown::HashTable::new();
    let key = |i: usize| GroupKeyRef(&rows[i][..width]);
    let first: Vec<bool> = (0..rows.len())
        .map(|i| {
            let hash = hasher.hash_one(key(i));
            let same = |&j: &usize| same_items(&rows[j][..width], &rows[i][..width]);
            if seen.find(hash, same).is_some() {
                return false;
            }
            seen.insert_unique(hash, i, |&j| hasher.hash_one(key(j)));
            true
        })
        .collect();
    let mut keep = first.into_iter();
    rows.retain(|_| keep.next().unwrap_or(false));
}

pub(in crate::eval) fn count_arg(e: Option<&PExpr>, env: &Env<'_>, what: &str) -> Result<Option<usize>, QueryError> {
    let Some(e) = e else { return Ok(None) };
    match eval(e, env, &[])? {
        Value::Int(i) if i >= 0 => Ok(Some(i as usize)),
        Value::Int(_) => Err(QueryError::runtime(
            Code::NegativeIntegerArgument,
            format!("{what} must not be negative"),
            Some(e.span),
        )),
        other => Err(QueryError::runtime(
            Code::ClauseArgumentType,
            format!("{what} needs an integer, not {}", other.type_name()),
            Some(e.span),
        )),
    }
}
