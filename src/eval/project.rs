//! WITH and RETURN: projection, grouping with hashed keys, aggregates,
//! DISTINCT, ORDER BY, SKIP and LIMIT.

use std::cmp::Ordering;

use super::expr::{Env, eval, truth, type_error};
use super::topk::TopK;
use crate::diag::Span;
use crate::error::{Code, QueryError};
use crate::plan::functions::AggFunc;
use crate::plan::ops::{AggSpec, PExpr, ProjectOp};
use crate::value::{GroupKey, GroupKeyRef, Value, ValueKey};

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
    /// Rows projected so far (for PROFILE, when `top` drops some).
    projected: usize,
    /// A row being projected and its sort keys, reused while rows are
    /// turned away by `top`.
    scratch: Vec<Value>,
    keys: Vec<Value>,
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
            scratch: Vec::new(),
            keys: Vec::new(),
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
            for item in &op.items {
                scratch.push(eval(item, env, row)?);
            }
            if op.keep_input {
                scratch.extend(row.iter().cloned());
            }
            for s in &op.order_by {
                keys.push(eval(&s.expr, env, &scratch)?);
            }
            let top = self.top_k(env)?.expect("decided above");
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
        if op.keep_input {
            projected.extend(row.iter().cloned());
        }
        self.rows.push(projected);
        env.guard.check_rows(self.rows.len())?;
        let enough = match self.enough {
            Some(e) => e,
            None => {
                let e = if op.distinct || !op.order_by.is_empty() {
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

    /// Takes a row standing for `n` identical input rows, for a projection
    /// whose aggregates are all non-DISTINCT counts of values that are
    /// never null in those rows (what `plan::rewrite` arranges).
    pub fn push_counted(&mut self, row: &[Value], n: u64, env: &Env<'_>) -> Result<bool, QueryError> {
        self.groups.add_counted(self.op, row, n, env)?;
        Ok(true)
    }

    /// Takes each node of `set` as a row binding the counted variable, for
    /// a projection that is only `count(DISTINCT x)` (what `plan::rewrite`
    /// arranges for `MatchOp::distinct_end`).
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

    /// The result, calling `mark` after each stage this projection has
    /// with the number of rows the stage left (for PROFILE).
    pub fn finish(self, env: &mut Env<'_>, mark: &mut dyn FnMut(Stage, usize)) -> Result<Vec<Vec<Value>>, QueryError> {
        let op = self.op;
        let skip = count_arg(op.skip.as_ref(), env, "SKIP")?;
        let limit = count_arg(op.limit.as_ref(), env, "LIMIT")?;
        let projected = self.projected;
        let top = self.top.flatten();
        let sorted = top.is_some();
        let mut rows = if let Some(top) = top {
            // Already the first SKIP + LIMIT rows, in order.
            mark(Stage::Project, projected);
            top.into_sorted()
        } else if op.aggregates.is_empty() {
            mark(Stage::Project, self.rows.len());
            self.rows
        } else {
            let rows = self.groups.finish(op, env)?;
            mark(Stage::Project, rows.len());
            rows
        };
        let width = op.items.len();
        if op.distinct {
            let mut seen = std::collections::HashSet::new();
            rows.retain(|r| seen.insert(GroupKey(r[..width].to_vec())));
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

fn count_arg(e: Option<&PExpr>, env: &Env<'_>, what: &str) -> Result<Option<usize>, QueryError> {
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

/// Sorts `rows` by the ORDER BY keys, stably. With `keep` (SKIP + LIMIT),
/// only the first `keep` rows are needed: they go through a top-k heap
/// and the rest are dropped.
fn sort(op: &ProjectOp, rows: &mut Vec<Vec<Value>>, env: &Env<'_>, keep: Option<usize>) -> Result<(), QueryError> {
    let desc: Vec<bool> = op.order_by.iter().map(|s| s.descending).collect();
    if let Some(keep) = keep
        && keep < rows.len()
    {
        let mut top = TopK::new(keep, desc);
        for r in rows.drain(..) {
            let mut keys = Vec::with_capacity(op.order_by.len());
            for s in &op.order_by {
                keys.push(eval(&s.expr, env, &r)?);
            }
            if top.admits(&keys) {
                top.push(keys, r);
            }
        }
        *rows = top.into_sorted();
        return Ok(());
    }
    // Each row's keys, evaluated once, `k` per row in one vector.
    let k = op.order_by.len();
    let mut keys: Vec<Value> = Vec::with_capacity(rows.len() * k);
    for r in rows.iter() {
        for s in &op.order_by {
            keys.push(eval(&s.expr, env, r)?);
        }
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    // The position breaks ties, which makes the order stable.
    order.sort_unstable_by(|&i, &j| {
        super::topk::compare(&desc, &keys[i * k..(i + 1) * k], &keys[j * k..(j + 1) * k]).then(i.cmp(&j))
    });
    let mut taken: Vec<Vec<Value>> = std::mem::take(rows);
    rows.extend(order.into_iter().map(|i| std::mem::take(&mut taken[i])));
    Ok(())
}

/// Groups seen so far, in first-seen order. Their keys and aggregate
/// states lie in flat vectors (`width` keys and `aggs` states per group),
/// found through a table of group numbers by key: no allocation per group
/// but the representative input row, kept only when a non-key item reads it.
#[derive(Default)]
struct Grouping {
    index: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
    keys: Vec<Value>,
    accs: Vec<Acc>,
    /// One input row per group, when `needs_row`.
    rows: Vec<Vec<Value>>,
    /// How each group is laid out; set by the first row.
    shape: Option<GroupShape>,
    /// The key being looked up, reused.
    scratch: Vec<Value>,
}

#[derive(Clone, Copy)]
struct GroupShape {
    width: usize,
    aggs: usize,
    needs_row: bool,
}

impl GroupShape {
    fn of(op: &ProjectOp) -> GroupShape {
        GroupShape {
            width: op.is_key.iter().filter(|k| **k).count(),
            aggs: op.aggregates.len(),
            // A non-key item reads the input row unless it reads no slot
            // outside its aggregates.
            needs_row: op
                .items
                .iter()
                .zip(&op.is_key)
                .filter(|(_, is_key)| !**is_key)
                .any(|(e, _)| {
                    let mut read = Vec::new();
                    let reads_none = e.slots_read(&mut read) && read.is_empty();
                    !reads_none
                }),
        }
    }
}

impl Grouping {
    fn len(&self) -> usize {
        self.accs.len() / self.shape.map_or(1, |s| s.aggs.max(1))
    }

    /// The aggregate states of `row`'s group, created (in first-seen
    /// order) if new.
    fn group(&mut self, op: &ProjectOp, row: &[Value], env: &Env<'_>) -> Result<&mut [Acc], QueryError> {
        use std::hash::BuildHasher;
        env.guard.tick()?;
        let shape = *self.shape.get_or_insert_with(|| GroupShape::of(op));
        if shape.width == 0 && !shape.needs_row {
            // One group for every row.
            if self.accs.is_empty() {
                self.accs.extend(op.aggregates.iter().map(Acc::new));
            }
            return Ok(&mut self.accs);
        }
        self.scratch.clear();
        for (item, is_key) in op.items.iter().zip(&op.is_key) {
            if *is_key {
                self.scratch.push(eval(item, env, row)?);
            }
        }
        let hash = self.hasher.hash_one(GroupKeyRef(&self.scratch));
        let (w, keys, scratch) = (shape.width, &self.keys, &self.scratch);
        let same = |&g: &u32| {
            let at = g as usize * w;
            keys[at..at + w].iter().zip(scratch).all(|(a, b)| a.equivalent(b))
        };
        let g = match self.index.find(hash, same) {
            Some(&g) => g as usize,
            None => {
                let g = self.len();
                env.guard.check_rows(g + 1)?;
                let g32 = u32::try_from(g).map_err(|_| too_many_groups())?;
                self.keys.append(&mut self.scratch);
                if shape.needs_row {
                    self.rows.push(row.to_vec());
                }
                self.accs.extend(op.aggregates.iter().map(Acc::new));
                let (keys, hasher) = (&self.keys, &self.hasher);
                self.index.insert_unique(hash, g32, |&g| {
                    let at = g as usize * w;
                    hasher.hash_one(GroupKeyRef(&keys[at..at + w]))
                });
                g
            }
        };
        let a = shape.aggs;
        Ok(&mut self.accs[g * a..(g + 1) * a])
    }

    fn add_counted(&mut self, op: &ProjectOp, row: &[Value], n: u64, env: &Env<'_>) -> Result<(), QueryError> {
        for acc in self.group(op, row, env)? {
            // The planner counts per node only when every aggregate is a count.
            debug_assert!(matches!(acc, Acc::Count(_)));
            if let Acc::Count(c) = acc {
                *c += n as i64;
            }
        }
        Ok(())
    }

    fn add(&mut self, op: &ProjectOp, row: &[Value], env: &Env<'_>) -> Result<(), QueryError> {
        let accs = self.group(op, row, env)?;
        for (acc, spec) in accs.iter_mut().zip(&op.aggregates) {
            let v = match &spec.arg {
                Some(a) => eval(a, env, row)?,
                None => Value::Bool(true),
            };
            if let Some(p) = &spec.percentile {
                acc.set_percentile(eval(p, env, row)?, p.span)?;
            }
            acc.add(v, spec)?;
        }
        Ok(())
    }

    fn finish(self, op: &ProjectOp, env: &mut Env<'_>) -> Result<Vec<Vec<Value>>, QueryError> {
        let shape = self.shape.unwrap_or_else(|| GroupShape::of(op));
        let mut groups = self.len();
        let mut accs = self.accs;
        // Aggregating over no rows with no grouping keys still yields one row.
        if groups == 0 && shape.width == 0 {
            accs.extend(op.aggregates.iter().map(Acc::new));
            groups = 1;
        }
        drop(self.index);
        let mut out = Vec::with_capacity(groups);
        let mut keys = self.keys.into_iter();
        let mut accs = accs.into_iter();
        let mut rows = self.rows.into_iter();
        for _ in 0..groups {
            env.aggs.clear();
            for acc in accs.by_ref().take(shape.aggs) {
                env.aggs.push(acc.finish()?);
            }
            let row = if shape.needs_row {
                rows.next().unwrap_or_default()
            } else {
                Vec::new()
            };
            let mut projected = Vec::with_capacity(op.items.len() + op.group_sort.len());
            for (item, is_key) in op.items.iter().zip(&op.is_key) {
                projected.push(match is_key {
                    true => keys.next().unwrap_or(Value::Null),
                    false => eval(item, env, &row)?,
                });
            }
            for key in &op.group_sort {
                let v = eval(key, env, &projected)?;
                projected.push(v);
            }
            out.push(projected);
        }
        env.aggs.clear();
        Ok(out)
    }
}

fn too_many_groups() -> QueryError {
    QueryError::runtime(
        Code::TooManyGroups,
        "an aggregation may make at most 4,294,967,295 groups",
        None,
    )
}

enum Acc {
    Count(i64),
    Collect(Vec<Value>),
    MinMax(Option<Value>),
    Sum(Value),
    Avg(f64, i64),
    /// The numbers seen, the percentile asked for, and whether to
    /// interpolate (`percentileCont`) or take a value seen (`percentileDisc`).
    Percentile(Vec<f64>, Option<f64>, bool),
    /// DISTINCT aggregates see each value once.
    Distinct(Seen, Box<Acc>),
}

/// The values a DISTINCT aggregate has seen. Nodes, the usual case
/// (`count(DISTINCT b)`), are bits indexed by their handle; other values
/// are hashed. A node is only ever equal to itself, so the two never mix.
#[derive(Default)]
struct Seen {
    nodes: crate::store::NodeSet,
    others: std::collections::HashSet<ValueKey, foldhash::fast::RandomState>,
}

impl Seen {
    /// True the first time `v` is seen.
    fn insert(&mut self, v: &Value) -> bool {
        match v {
            Value::Node(n) => self.nodes.insert(*n),
            other => self.others.insert(ValueKey(other.clone())),
        }
    }
}

impl Acc {
    fn new(spec: &AggSpec) -> Acc {
        let base = match spec.func {
            AggFunc::Count => Acc::Count(0),
            AggFunc::Collect => Acc::Collect(Vec::new()),
            AggFunc::Min | AggFunc::Max => Acc::MinMax(None),
            AggFunc::Sum => Acc::Sum(Value::Int(0)),
            AggFunc::Avg => Acc::Avg(0.0, 0),
            AggFunc::PercentileDisc => Acc::Percentile(Vec::new(), None, false),
            AggFunc::PercentileCont => Acc::Percentile(Vec::new(), None, true),
        };
        if spec.distinct {
            Acc::Distinct(Default::default(), Box::new(base))
        } else {
            base
        }
    }

    /// Records the percentile of `percentileDisc` / `percentileCont`: a
    /// number from 0.0 to 1.0, else an ArgumentError (NumberOutOfRange).
    fn set_percentile(&mut self, p: Value, span: Span) -> Result<(), QueryError> {
        let target = match self {
            Acc::Distinct(_, inner) => return inner.set_percentile(p, span),
            Acc::Percentile(_, target, _) => target,
            _ => return Ok(()),
        };
        let p = match p {
            Value::Int(i) => i as f64,
            Value::Float(f) => f,
            other => {
                return Err(type_error(
                    format!("a percentile must be a number, not {}", other.type_name()),
                    span,
                ));
            }
        };
        if !(0.0..=1.0).contains(&p) {
            return Err(QueryError::runtime(
                Code::NumberOutOfRange,
                format!("a percentile must be between 0.0 and 1.0, not {p}"),
                Some(span),
            ));
        }
        *target = Some(p);
        Ok(())
    }

    fn add(&mut self, v: Value, spec: &AggSpec) -> Result<(), QueryError> {
        if v.is_null() {
            return Ok(());
        }
        let span = spec.arg.as_ref().map(|a| a.span).unwrap_or_default();
        match self {
            Acc::Distinct(seen, inner) => {
                if seen.insert(&v) {
                    inner.add(v, spec)?;
                }
            }
            Acc::Count(n) => *n += 1,
            Acc::Collect(l) => l.push(v),
            Acc::MinMax(cur) => {
                let replace = match cur {
                    None => true,
                    Some(c) => {
                        let o = v.total_cmp(c);
                        if spec.func == AggFunc::Min {
                            o == Ordering::Less
                        } else {
                            o == Ordering::Greater
                        }
                    }
                };
                if replace {
                    *cur = Some(v);
                }
            }
            Acc::Sum(total) => {
                *total = match (&*total, &v) {
                    (Value::Int(a), Value::Int(b)) => Value::Int(a.checked_add(*b).ok_or_else(|| {
                        QueryError::runtime(Code::IntegerOverflow, "integer overflow in sum()", Some(span))
                    })?),
                    (Value::Int(a), Value::Float(b)) => Value::Float(*a as f64 + b),
                    (Value::Float(a), Value::Int(b)) => Value::Float(a + *b as f64),
                    (Value::Float(a), Value::Float(b)) => Value::Float(a + b),
                    (_, other) => {
                        return Err(type_error(
                            format!("sum() expects numbers, not {}", other.type_name()),
                            span,
                        ));
                    }
                }
            }
            Acc::Percentile(values, ..) => match v {
                Value::Int(i) => values.push(i as f64),
                Value::Float(f) => values.push(f),
                other => {
                    return Err(type_error(
                        format!("a percentile is taken of numbers, not {}", other.type_name()),
                        span,
                    ));
                }
            },
            Acc::Avg(sum, n) => match v {
                Value::Int(i) => {
                    *sum += i as f64;
                    *n += 1;
                }
                Value::Float(f) => {
                    *sum += f;
                    *n += 1;
                }
                other => {
                    return Err(type_error(
                        format!("avg() expects numbers, not {}", other.type_name()),
                        span,
                    ));
                }
            },
        }
        Ok(())
    }

    fn finish(self) -> Result<Value, QueryError> {
        Ok(match self {
            Acc::Percentile(mut values, Some(p), cont) if !values.is_empty() => {
                values.sort_by(f64::total_cmp);
                let last = values.len() - 1;
                if cont {
                    let pos = p * last as f64;
                    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
                    Value::Float(values[lo] + (values[hi] - values[lo]) * (pos - lo as f64))
                } else {
                    let i = (p * values.len() as f64).ceil() as usize;
                    Value::Float(values[i.saturating_sub(1).min(last)])
                }
            }
            Acc::Percentile(..) => Value::Null,
            Acc::Distinct(_, inner) => inner.finish()?,
            Acc::Count(n) => Value::Int(n),
            Acc::Collect(l) => Value::list(l),
            Acc::MinMax(v) => v.unwrap_or(Value::Null),
            Acc::Sum(v) => v,
            Acc::Avg(_, 0) => Value::Null,
            Acc::Avg(sum, n) => Value::Float(sum / n as f64),
        })
    }
}
