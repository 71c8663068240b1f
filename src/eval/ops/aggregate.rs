//! Hash aggregate: groups by hashed keys with each group's aggregate
//! states (count, collect, min/max, sum, avg, percentiles, DISTINCT).

use std::cmp::Ordering;

use crate::diag::Span;
use crate::error::{Code, QueryError};
use crate::eval::expr::{Env, eval, type_error};
use crate::plan::functions::AggFunc;
use crate::plan::ops::{AggSpec, ProjectOp};
use crate::value::{GroupKeyRef, Value, ValueKey};

/// Groups seen so far, in first-seen order. Their keys and aggregate
/// states lie in flat vectors (`width` keys and `aggs` states per group),
/// found through a table of group numbers by key: no allocation per group
/// but the representative input row, kept only when a non-key item reads it.
#[derive(Default)]
pub(super) struct Grouping {
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
    /// The number of groups.
    pub(super) fn len(&self) -> usize {
        self.accs.len() / self.shape.map_or(1, |s| s.aggs.max(1))
    }

    /// The aggregate states of `row`'s group, created (in first-seen
    /// order) if new.
    pub(super) fn group(&mut self, op: &ProjectOp, row: &[Value], env: &Env<'_>) -> Result<&mut [Acc], QueryError> {
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

    pub(super) fn add_counted(
        &mut self,
        op: &ProjectOp,
        row: &[Value],
        n: u64,
        env: &Env<'_>,
    ) -> Result<(), QueryError> {
        for acc in self.group(op, row, env)? {
            // The planner counts per node only when every aggregate is a count.
            debug_assert!(matches!(acc, Acc::Count(_)));
            if let Acc::Count(c) = acc {
                *c += n as i64;
            }
        }
        Ok(())
    }

    pub(super) fn add(&mut self, op: &ProjectOp, row: &[Value], env: &Env<'_>) -> Result<(), QueryError> {
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

    /// Adds the groups of `later`, which saw rows that came after all of
    /// this one's (a later morsel of a parallel operator): a group both
    /// saw merges its states, keeping this one's key and row; a group only
    /// `later` saw is appended. The groups stay in first-seen order, so
    /// the result is the one a single pass over all the rows gives.
    pub(super) fn absorb(&mut self, later: Grouping, op: &ProjectOp, env: &Env<'_>) -> Result<(), QueryError> {
        use std::hash::BuildHasher;
        let Some(shape) = later.shape else {
            return Ok(());
        };
        if self.shape.is_none() {
            *self = later;
            return Ok(());
        }
        let (w, a) = (shape.width, shape.aggs);
        let groups = later.len();
        let mut keys = later.keys.into_iter();
        let mut rows = later.rows.into_iter();
        let mut accs = later.accs.into_iter();
        if w == 0 && !shape.needs_row {
            // One group for every row.
            for ((mine, theirs), spec) in self.accs.iter_mut().zip(accs).zip(&op.aggregates) {
                mine.merge(theirs, spec)?;
            }
            return Ok(());
        }
        for _ in 0..groups {
            env.guard.tick()?;
            let key: Vec<Value> = keys.by_ref().take(w).collect();
            let row = if shape.needs_row { rows.next() } else { None };
            let theirs: Vec<Acc> = accs.by_ref().take(a).collect();
            let hash = self.hasher.hash_one(GroupKeyRef(&key));
            let mine = &self.keys;
            let found = self.index.find(hash, |&g| {
                let at = g as usize * w;
                mine[at..at + w].iter().zip(&key).all(|(x, y)| x.equivalent(y))
            });
            match found {
                Some(&g) => {
                    let at = g as usize * a;
                    for ((mine, theirs), spec) in self.accs[at..at + a].iter_mut().zip(theirs).zip(&op.aggregates) {
                        mine.merge(theirs, spec)?;
                    }
                }
                None => {
                    let g = self.len();
                    env.guard.check_rows(g + 1)?;
                    let g32 = u32::try_from(g).map_err(|_| too_many_groups())?;
                    self.keys.extend(key);
                    if let Some(r) = row {
                        self.rows.push(r);
                    }
                    self.accs.extend(theirs);
                    let (keys, hasher) = (&self.keys, &self.hasher);
                    self.index.insert_unique(hash, g32, |&g| {
                        let at = g as usize * w;
                        hasher.hash_one(GroupKeyRef(&keys[at..at + w]))
                    });
                }
            }
        }
        Ok(())
    }

    pub(super) fn finish(self, op: &ProjectOp, env: &mut Env<'_>) -> Result<Vec<Vec<Value>>, QueryError> {
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

pub(super) enum Acc {
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
pub(super) struct Seen {
    pub(super) nodes: crate::store::NodeSet,
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

    /// Adds the state `later` built from rows that came after all of
    /// this one's: the state one pass over both sets of rows would have.
    /// (A sum or average of floats may round differently, as adding in
    /// another order does.)
    fn merge(&mut self, later: Acc, spec: &AggSpec) -> Result<(), QueryError> {
        match (self, later) {
            (Acc::Count(a), Acc::Count(b)) => *a += b,
            (Acc::Collect(a), Acc::Collect(b)) => a.extend(b),
            (me @ Acc::MinMax(_), Acc::MinMax(Some(v))) => me.add(v, spec)?,
            (Acc::MinMax(_), Acc::MinMax(None)) => {}
            (me @ Acc::Sum(_), Acc::Sum(total)) => me.add(total, spec)?,
            (Acc::Avg(s, n), Acc::Avg(s2, n2)) => {
                *s += s2;
                *n += n2;
            }
            (Acc::Percentile(values, target, _), Acc::Percentile(more, t2, _)) => {
                values.extend(more);
                if target.is_none() {
                    *target = t2;
                }
            }
            (Acc::Distinct(seen, inner), Acc::Distinct(later_seen, later_inner)) => {
                match (inner.as_mut(), *later_inner) {
                    // In arrival order: each value the first time either saw it.
                    (Acc::Collect(l), Acc::Collect(more)) => {
                        l.extend(more.into_iter().filter(|v| seen.insert(v)));
                    }
                    (me @ Acc::MinMax(_), theirs @ Acc::MinMax(_)) => me.merge(theirs, spec)?,
                    (me, theirs) => {
                        if let (Acc::Percentile(_, target, _), Acc::Percentile(_, t2, _)) = (&mut *me, &theirs)
                            && target.is_none()
                        {
                            *target = *t2;
                        }
                        // Values only `later` saw, added one by one.
                        for n in later_seen.nodes.iter() {
                            if seen.nodes.insert(n) {
                                me.add(Value::Node(n), spec)?;
                            }
                        }
                        for v in later_seen.others {
                            if seen.others.insert(ValueKey(v.0.clone())) {
                                me.add(v.0, spec)?;
                            }
                        }
                    }
                }
            }
            _ => unreachable!("both states come from the same aggregate"),
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
