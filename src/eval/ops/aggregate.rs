//! Hash aggregate: groups by hashed keys with each group's aggregate
//! states (count, collect, min/max, sum, avg, percentiles, DISTINCT).

use std::cmp::Ordering;

use super::top_k::TopK;
use crate::diag::Span;
use crate::error::{Code, QueryError};
use crate::eval::expr::{Env, eval, type_error};
use crate::eval::keyexpr::{KeyExpr, Part};
use crate::plan::functions::AggFunc;
use crate::plan::ops::{AggSpec, PExpr, PKind, ProjectOp};
use crate::store::NodeId;
use crate::value::{GroupKeyRef, Value, ValueKey};

/// Groups seen so far, in first-seen order. Their keys and aggregate
/// states lie in flat vectors (`width` keys and `aggs` states per group),
/// found through a table of group numbers by key: no allocation per group
/// but the representative input row, kept only when a non-key item reads it.
///
/// When every key is a node or a property of that node, and the keys tell
/// nodes apart (the node itself is a key, or its `id` while every node has
/// one: ids are unique), a group is found by its node in a dense table
/// instead (see [`ByNode`]), and its keys are evaluated only when its row
/// is made: under ORDER BY … LIMIT, for the groups that can be kept.
#[derive(Default)]
pub(super) struct Grouping {
    index: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
    /// The keys of each group (empty while found by node).
    keys: Vec<Value>,
    accs: Vec<Acc>,
    /// One input row per group, when `needs_row`.
    rows: Vec<Vec<Value>>,
    /// How each group is laid out; set by the first row.
    shape: Option<GroupShape>,
    /// The key being looked up, reused.
    scratch: Vec<Value>,
    by_node: Option<ByNode>,
    /// The keys prepared for evaluation per row (made with the first
    /// row hashed by its keys).
    key_exprs: Vec<KeyExpr>,
    /// The aggregates' arguments prepared for evaluation per row, when
    /// the projection says so (one per aggregate, `None` for `count(*)`).
    arg_exprs: Vec<Option<KeyExpr>>,
    /// The group the last row grouped by one key found: rows often come
    /// in runs of one key (data loaded in order, a key that follows it),
    /// and a row whose key equals it needs no hash. Keys are unique among
    /// the groups, so an equal key is that group's whatever changed since.
    last: Option<u32>,
    /// Per aggregate, whether a group found by node needs no DISTINCT set:
    /// the aggregate's `distinct_given` slot is the one node each group
    /// is (see [`AggSpec::distinct_given`]).
    given: Vec<bool>,
}

/// Groups found by the nodes their keys read: one node (the group number
/// of each node in [`NodeGroups`]) or a tuple of up to [`MAX_NODE_KEYS`]
/// nodes (hashed), and the nodes of each group. A row whose slot does not
/// hold a node (a null from OPTIONAL MATCH) turns the grouping back to
/// hashed keys.
struct ByNode {
    /// The slots of the nodes, in the order the keys first read them.
    slots: Vec<usize>,
    /// The group of each node, when there is one slot.
    group_of: NodeGroups,
    /// The groups by their tuple's hash, when there are several slots.
    tuples: hashbrown::HashTable<u32>,
    /// `slots.len()` nodes per group.
    nodes: Vec<NodeId>,
    /// Whether two groups may have the same keys (a key such as `f.name`
    /// does not tell nodes apart): they are merged when the keys are
    /// evaluated, which only counts allow (see [`node_key`]).
    merges: bool,
}

/// The most nodes a group is found by; keys reading more are hashed.
const MAX_NODE_KEYS: usize = 4;

/// The group of each node: hashed by node while the groups are few (a
/// morsel of a parallel operator may see a few of many), then a dense
/// table over every node of the graph (`u32::MAX` for none).
enum NodeGroups {
    Sparse(rustc_hash::FxHashMap<NodeId, u32>),
    Dense(crate::store::NodeMap<u32>),
}

impl ByNode {
    fn new((slots, merges): (Vec<usize>, bool)) -> ByNode {
        ByNode {
            merges,
            slots,
            group_of: NodeGroups::Sparse(Default::default()),
            tuples: hashbrown::HashTable::new(),
            nodes: Vec::new(),
        }
    }

    /// The number of groups.
    fn groups(&self) -> usize {
        self.nodes.len() / self.slots.len().max(1)
    }

    /// The nodes of group `g`.
    fn tuple(&self, g: usize) -> &[NodeId] {
        let k = self.slots.len();
        &self.nodes[g * k..(g + 1) * k]
    }

    /// The nodes `row` holds in the key slots, written to `out`; `None`
    /// when a slot holds something else.
    fn tuple_of<'t>(&self, row: &[Value], out: &'t mut [NodeId; MAX_NODE_KEYS]) -> Option<&'t [NodeId]> {
        for (o, s) in out.iter_mut().zip(&self.slots) {
            match row.get(*s) {
                Some(Value::Node(n)) => *o = *n,
                _ => return None,
            }
        }
        Some(&out[..self.slots.len()])
    }

    fn hash(t: &[NodeId]) -> u64 {
        // Multiply-rotate per node (as rustc's Fx hash); the table uses
        // the top bits, which every node reaches.
        t.iter().fold(0u64, |h, n| {
            (h.rotate_left(5) ^ n.index() as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
        })
    }

    /// Groups beyond which the dense table pays: a 64th of the nodes.
    fn dense_from(graph: &crate::store::Graph) -> usize {
        (graph.node_bound() / 64).max(1024)
    }

    /// The group of the nodes `t`: `Ok(Some)` when it has one, `Ok(None)`
    /// when not yet, `Err` for a node newer than the dense table.
    fn find(&self, t: &[NodeId]) -> Result<Option<u32>, ()> {
        let &[n] = t else {
            let k = t.len();
            let nodes = &self.nodes;
            return Ok(self
                .tuples
                .find(Self::hash(t), |&g| &nodes[g as usize * k..(g as usize + 1) * k] == t)
                .copied());
        };
        match &self.group_of {
            NodeGroups::Sparse(m) => Ok(m.get(&n).copied()),
            NodeGroups::Dense(m) => match m.get(n) {
                Some(&g) => Ok((g != u32::MAX).then_some(g)),
                None => Err(()),
            },
        }
    }

    /// Makes the nodes `t` the next group (known to have none).
    fn insert(&mut self, t: &[NodeId], graph: &crate::store::Graph) {
        let g = self.groups() as u32;
        self.nodes.extend_from_slice(t);
        let &[n] = t else {
            let k = t.len();
            let ByNode { tuples, nodes, .. } = self;
            tuples.insert_unique(Self::hash(t), g, |&g| {
                Self::hash(&nodes[g as usize * k..(g as usize + 1) * k])
            });
            return;
        };
        match &mut self.group_of {
            NodeGroups::Sparse(m) => {
                m.insert(n, g);
                if m.len() > Self::dense_from(graph) {
                    let mut dense = graph.node_map(u32::MAX);
                    for (g, n) in self.nodes.iter().enumerate() {
                        if let Some(x) = dense.get_mut(*n) {
                            *x = g as u32;
                        }
                    }
                    self.group_of = NodeGroups::Dense(dense);
                }
            }
            NodeGroups::Dense(m) => {
                if let Some(x) = m.get_mut(n) {
                    *x = g;
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
pub(super) struct GroupShape {
    width: usize,
    aggs: usize,
    pub(super) needs_row: bool,
}

impl GroupShape {
    pub(super) fn of(op: &ProjectOp) -> GroupShape {
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

/// The slots of the nodes the grouping keys of `op` read, when each key
/// is a node or a property of one and there are at most [`MAX_NODE_KEYS`]
/// of them; and whether two tuples of those nodes may share their keys.
/// They cannot when the keys tell each slot's nodes apart: the node
/// itself is a key, or its `id` is and every node of `graph` has one (ids
/// are unique); groups then match tuples one to one. Otherwise groups of
/// tuples with equal keys are merged once the keys are evaluated, which
/// is only done when every aggregate is a count (a sum or a list would
/// see its values in another order than the rows'), and no other item
/// reads the input row.
pub(super) fn node_key(op: &ProjectOp, graph: &crate::store::Graph) -> Option<(Vec<usize>, bool)> {
    let mut slots: Vec<(usize, bool)> = Vec::new();
    for (item, _) in op.items.iter().zip(&op.is_key).filter(|(_, k)| **k) {
        let (s, tells_apart) = match &item.kind {
            PKind::Slot(s) => (*s, true),
            PKind::Prop(base, key) => match base.kind {
                PKind::Slot(s) => (s, &**key == "id" && graph.every_node_has_key()),
                _ => return None,
            },
            _ => return None,
        };
        match slots.iter_mut().find(|(x, _)| *x == s) {
            Some((_, apart)) => *apart |= tells_apart,
            None => slots.push((s, tells_apart)),
        }
    }
    if slots.is_empty() || slots.len() > MAX_NODE_KEYS {
        return None;
    }
    let merges = !slots.iter().all(|(_, apart)| *apart);
    let mergeable = || {
        !GroupShape::of(op).needs_row
            && !op.aggregates.is_empty()
            && op
                .aggregates
                .iter()
                .all(|a| a.func == crate::plan::functions::AggFunc::Count)
    };
    if merges && !mergeable() {
        return None;
    }
    Some((slots.into_iter().map(|(s, _)| s).collect(), merges))
}

impl Grouping {
    /// The number of groups.
    pub(super) fn len(&self) -> usize {
        self.accs.len() / self.shape.map_or(1, |s| s.aggs.max(1))
    }

    fn shape(&mut self, op: &ProjectOp, env: &Env<'_>) -> GroupShape {
        if let Some(shape) = self.shape {
            return shape;
        }
        let shape = GroupShape::of(op);
        self.shape = Some(shape);
        self.by_node = node_key(op, env.graph).map(ByNode::new);
        self.given = op
            .aggregates
            .iter()
            .map(|a| {
                self.by_node
                    .as_ref()
                    .is_some_and(|b| !b.merges && a.distinct_given.is_some_and(|s| b.slots.as_slice() == [s]))
            })
            .collect();
        shape
    }

    /// The states of a new group found by node: DISTINCT ones given by
    /// the input without their sets.
    fn node_group_states(&self, op: &ProjectOp) -> Vec<Acc> {
        op.aggregates
            .iter()
            .zip(self.given.iter().chain(std::iter::repeat(&false)))
            .map(|(a, given)| if *given { Acc::without_distinct(a) } else { Acc::new(a) })
            .collect()
    }

    /// The aggregate states of `row`'s group, created (in first-seen
    /// order) if new.
    pub(super) fn group(&mut self, op: &ProjectOp, row: &[Value], env: &Env<'_>) -> Result<&mut [Acc], QueryError> {
        env.guard.tick()?;
        let shape = self.shape(op, env);
        if shape.width == 0 && !shape.needs_row {
            // One group for every row.
            if self.accs.is_empty() {
                self.accs.extend(op.aggregates.iter().map(Acc::new));
            }
            return Ok(&mut self.accs);
        }
        if let Some(b) = &mut self.by_node {
            let mut t = [NodeId::default(); MAX_NODE_KEYS];
            let found = b.tuple_of(row, &mut t).and_then(|t| b.find(t).ok().map(|g| (t, g)));
            if let Some((t, g)) = found {
                let a = shape.aggs;
                let g = if let Some(g) = g {
                    g as usize
                } else {
                    let g = b.groups();
                    env.guard.check_rows(g + 1)?;
                    u32::try_from(g).map_err(|_| too_many_groups())?;
                    b.insert(t, env.graph);
                    if shape.needs_row {
                        self.rows.push(row.to_vec());
                    }
                    let states = self.node_group_states(op);
                    self.accs.extend(states);
                    g
                };
                return Ok(&mut self.accs[g * a..(g + 1) * a]);
            }
            self.rehash_by_keys(op, env)?;
        }
        if !op.prepared_keys {
            return self.group_by_values(op, row, env, shape);
        }
        if self.key_exprs.len() != shape.width {
            self.key_exprs = op
                .items
                .iter()
                .zip(&op.is_key)
                .filter(|(_, k)| **k)
                .map(|(e, _)| KeyExpr::new(e, env.graph))
                .collect();
        }
        if shape.width == 1 {
            return self.group_by_one(op, row, env, shape);
        }
        self.scratch.clear();
        let key_items = op.items.iter().zip(&op.is_key).filter(|(_, k)| **k);
        for ((item, _), prepared) in key_items.zip(&self.key_exprs) {
            let v = match prepared.value(env, row) {
                Some(v) => v.into_value(),
                None => eval(item, env, row)?,
            };
            self.scratch.push(v);
        }
        self.group_of_scratch(op, row, env, shape)
    }

    /// The states of the group whose keys are `self.scratch`.
    fn group_of_scratch(
        &mut self,
        op: &ProjectOp,
        row: &[Value],
        env: &Env<'_>,
        shape: GroupShape,
    ) -> Result<&mut [Acc], QueryError> {
        use std::hash::BuildHasher;
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
                self.insert_hash(hash, g32, w);
                g
            }
        };
        let a = shape.aggs;
        Ok(&mut self.accs[g * a..(g + 1) * a])
    }

    /// [`Grouping::group`] by keys the general evaluator evaluates.
    fn group_by_values(
        &mut self,
        op: &ProjectOp,
        row: &[Value],
        env: &Env<'_>,
        shape: GroupShape,
    ) -> Result<&mut [Acc], QueryError> {
        self.scratch.clear();
        for (item, is_key) in op.items.iter().zip(&op.is_key) {
            if *is_key {
                self.scratch.push(eval(item, env, row)?);
            }
        }
        self.group_of_scratch(op, row, env, shape)
    }

    /// [`Grouping::group`] by one key: its value, borrowed where it can
    /// be, is hashed and compared, and copied only for a new group.
    fn group_by_one(
        &mut self,
        op: &ProjectOp,
        row: &[Value],
        env: &Env<'_>,
        shape: GroupShape,
    ) -> Result<&mut [Acc], QueryError> {
        use std::hash::BuildHasher;
        let Grouping {
            index,
            hasher,
            keys,
            accs,
            rows,
            key_exprs,
            last,
            ..
        } = self;
        let v = match key_exprs[0].value(env, row) {
            Some(v) => v,
            None => {
                let item = op.items.iter().zip(&op.is_key).find(|(_, k)| **k).map(|(e, _)| e);
                Part::Own(match item {
                    Some(e) => eval(e, env, row)?,
                    None => Value::Null,
                })
            }
        };
        let a = shape.aggs;
        if let Some(g) = *last
            && let Some(k) = keys.get(g as usize)
            && v.same_as(k)
        {
            let g = g as usize;
            return Ok(&mut accs[g * a..(g + 1) * a]);
        }
        let hash = v.hash(hasher);
        let g = match index.find(hash, |&g| v.same_as(&keys[g as usize])) {
            Some(&g) => g as usize,
            None => {
                let g = keys.len();
                env.guard.check_rows(g + 1)?;
                let g32 = u32::try_from(g).map_err(|_| too_many_groups())?;
                keys.push(v.into_value());
                if shape.needs_row {
                    rows.push(row.to_vec());
                }
                accs.extend(op.aggregates.iter().map(Acc::new));
                index.insert_unique(hash, g32, |&g| {
                    hasher.hash_one(GroupKeyRef(std::slice::from_ref(&keys[g as usize])))
                });
                g
            }
        };
        *last = u32::try_from(g).ok();
        Ok(&mut accs[g * a..(g + 1) * a])
    }

    fn insert_hash(&mut self, hash: u64, g: u32, w: usize) {
        use std::hash::BuildHasher;
        let (keys, hasher) = (&self.keys, &self.hasher);
        self.index.insert_unique(hash, g, |&g| {
            let at = g as usize * w;
            hasher.hash_one(GroupKeyRef(&keys[at..at + w]))
        });
    }

    /// The keys of a group found by `node`, evaluated on a row binding it.
    fn node_keys(
        op: &ProjectOp,
        slots: &[usize],
        nodes: &[NodeId],
        env: &Env<'_>,
        row: &mut Vec<Value>,
        out: &mut Vec<Value>,
    ) -> Result<(), QueryError> {
        bind_nodes(slots, nodes, row);
        for (item, is_key) in op.items.iter().zip(&op.is_key) {
            if *is_key {
                out.push(eval(item, env, row)?);
            }
        }
        Ok(())
    }

    /// Groups found by node become groups found by their hashed keys (the
    /// same groups, in the same order; groups whose nodes differ but whose
    /// keys are equal merged into the first of them).
    fn rehash_by_keys(&mut self, op: &ProjectOp, env: &Env<'_>) -> Result<(), QueryError> {
        use std::hash::BuildHasher;
        let (Some(b), Some(shape)) = (self.by_node.take(), self.shape) else {
            return Ok(());
        };
        let (w, a) = (shape.width, shape.aggs);
        self.keys.clear();
        self.index.clear();
        let mut row = Vec::new();
        if !b.merges {
            for g in 0..b.groups() {
                Self::node_keys(op, &b.slots, b.tuple(g), env, &mut row, &mut self.keys)?;
                let hash = self.hasher.hash_one(GroupKeyRef(&self.keys[g * w..(g + 1) * w]));
                self.insert_hash(hash, g as u32, w);
            }
            return Ok(());
        }
        // Merging: no input rows are kept (see `node_key`).
        let mut theirs = std::mem::take(&mut self.accs).into_iter();
        let mut key = Vec::with_capacity(w);
        for g in 0..b.groups() {
            env.guard.tick()?;
            key.clear();
            Self::node_keys(op, &b.slots, b.tuple(g), env, &mut row, &mut key)?;
            let accs: Vec<Acc> = theirs.by_ref().take(a).collect();
            self.merge_group(op, std::mem::take(&mut key), accs, None, env)?;
        }
        Ok(())
    }

    /// Adds a group with keys `key`, states `theirs` and input row `row`
    /// (when rows are kept): merged into this grouping's group with equal
    /// keys, or appended as a new group.
    fn merge_group(
        &mut self,
        op: &ProjectOp,
        key: Vec<Value>,
        theirs: Vec<Acc>,
        row: Option<Vec<Value>>,
        env: &Env<'_>,
    ) -> Result<(), QueryError> {
        use std::hash::BuildHasher;
        let (w, a) = (key.len(), op.aggregates.len());
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
                self.insert_hash(hash, g32, w);
            }
        }
        Ok(())
    }

    pub(super) fn add_counted(
        &mut self,
        op: &ProjectOp,
        row: &[Value],
        n: u64,
        env: &Env<'_>,
    ) -> Result<(), QueryError> {
        // Rows counted per node come once per node: groups found by node
        // that may still merge by key would only add a step.
        self.shape(op, env);
        if self.by_node.as_ref().is_some_and(|b| b.merges) {
            self.rehash_by_keys(op, env)?;
        }
        if !op.prepared_args {
            for (acc, spec) in self.group(op, row, env)?.iter_mut().zip(&op.aggregates) {
                add_weighted(acc, spec, None, row, n, env)?;
            }
            return Ok(());
        }
        let args = self.take_args(op, env);
        let added = (|| {
            let accs = self.group(op, row, env)?;
            for ((acc, spec), prepared) in accs.iter_mut().zip(&op.aggregates).zip(prepared_args(&args)) {
                add_weighted(acc, spec, prepared, row, n, env)?;
            }
            Ok(())
        })();
        self.arg_exprs = args;
        added
    }

    pub(super) fn add(&mut self, op: &ProjectOp, row: &[Value], env: &Env<'_>) -> Result<(), QueryError> {
        let args = self.take_args(op, env);
        let added = (|| {
            let accs = self.group(op, row, env)?;
            for ((acc, spec), prepared) in accs.iter_mut().zip(&op.aggregates).zip(prepared_args(&args)) {
                if !new_base(acc, spec, row) {
                    continue;
                }
                let v = argument(spec, prepared, row, env)?;
                if let Some(p) = &spec.percentile {
                    acc.set_percentile(eval(p, env, row)?, p.span)?;
                }
                acc.add_part(v, spec)?;
            }
            Ok(())
        })();
        self.arg_exprs = args;
        added
    }

    /// The aggregates' arguments prepared for evaluation per row (when
    /// `op.prepared_args`), taken out of the grouping while its states are
    /// borrowed; put back by the caller.
    fn take_args(&mut self, op: &ProjectOp, env: &Env<'_>) -> Vec<Option<KeyExpr>> {
        if op.prepared_args && self.arg_exprs.len() != op.aggregates.len() {
            self.arg_exprs = op
                .aggregates
                .iter()
                .map(|a| a.arg.as_ref().map(|e| KeyExpr::new(e, env.graph)))
                .collect();
        }
        std::mem::take(&mut self.arg_exprs)
    }

    /// Adds the groups of `later`, which saw rows that came after all of
    /// this one's (a later morsel of a parallel operator): a group both
    /// saw merges its states, keeping this one's key and row; a group only
    /// `later` saw is appended. The groups stay in first-seen order, so
    /// the result is the one a single pass over all the rows gives.
    pub(super) fn absorb(&mut self, mut later: Grouping, op: &ProjectOp, env: &Env<'_>) -> Result<(), QueryError> {
        let Some(shape) = later.shape else {
            return Ok(());
        };
        if self.shape.is_none() {
            *self = later;
            return Ok(());
        }
        let (w, a) = (shape.width, shape.aggs);
        let groups = later.len();
        if w == 0 && !shape.needs_row {
            // One group for every row.
            for ((mine, theirs), spec) in self.accs.iter_mut().zip(later.accs).zip(&op.aggregates) {
                mine.merge(theirs, spec)?;
            }
            return Ok(());
        }
        if let (Some(mine), Some(theirs)) = (&mut self.by_node, &later.by_node) {
            // Both found by node: by node again.
            // A node newer than a dense table cannot be: the graph does
            // not change while a projection takes its input.
            if (0..theirs.groups()).all(|g| mine.find(theirs.tuple(g)).is_ok()) {
                let mut rows = later.rows.into_iter();
                let mut accs = later.accs.into_iter();
                for tg in 0..theirs.groups() {
                    let t = theirs.tuple(tg);
                    env.guard.tick()?;
                    let row = if shape.needs_row { rows.next() } else { None };
                    let their_accs = accs.by_ref().take(a);
                    match mine.find(t) {
                        Ok(Some(g)) => {
                            let at = g as usize * a;
                            for ((m, t), spec) in self.accs[at..at + a].iter_mut().zip(their_accs).zip(&op.aggregates) {
                                m.merge(t, spec)?;
                            }
                        }
                        _ => {
                            let g = mine.groups();
                            env.guard.check_rows(g + 1)?;
                            u32::try_from(g).map_err(|_| too_many_groups())?;
                            mine.insert(t, env.graph);
                            if let Some(r) = row {
                                self.rows.push(r);
                            }
                            self.accs.extend(their_accs);
                        }
                    }
                }
                return Ok(());
            }
        }
        self.rehash_by_keys(op, env)?;
        later.rehash_by_keys(op, env)?;
        let mut keys = later.keys.into_iter();
        let mut rows = later.rows.into_iter();
        let mut accs = later.accs.into_iter();
        for _ in 0..groups {
            env.guard.tick()?;
            let key: Vec<Value> = keys.by_ref().take(w).collect();
            let row = if shape.needs_row { rows.next() } else { None };
            let theirs: Vec<Acc> = accs.by_ref().take(a).collect();
            self.merge_group(op, key, theirs, row, env)?;
        }
        Ok(())
    }

    /// The projected rows, one per group in first-seen order (with the
    /// group sort keys after the items). With `top` (ORDER BY … LIMIT, no
    /// DISTINCT: SKIP + LIMIT rows to keep), only the first `top` rows in
    /// ORDER BY's order, sorted: the sort keys that read only aggregates
    /// are computed first, and a group they put after the rows kept so far
    /// is dropped before its keys and other items are.
    pub(super) fn finish(
        mut self,
        op: &ProjectOp,
        env: &mut Env<'_>,
        top: Option<usize>,
    ) -> Result<Vec<Vec<Value>>, QueryError> {
        if self.by_node.as_ref().is_some_and(|b| b.merges) {
            self.rehash_by_keys(op, env)?;
        }
        let shape = self.shape.unwrap_or_else(|| GroupShape::of(op));
        let mut groups = self.len();
        let mut accs = self.accs;
        // Aggregating over no rows with no grouping keys still yields one row.
        if groups == 0 && shape.width == 0 {
            accs.extend(op.aggregates.iter().map(Acc::new));
            groups = 1;
        }
        drop(self.index);
        let by_node = self.by_node;
        let (mut keys, mut rows) = (self.keys, self.rows);
        let (w, a) = (shape.width, shape.aggs);
        // Under a limit: the leading sort keys computable from the
        // aggregates alone, on a row holding only what they read.
        let mut heap = top.map(|k| TopK::new(k, op.order_by.iter().map(|s| s.descending).collect()));
        let prune = match heap {
            Some(_) if !shape.needs_row => Pruning::of(op),
            _ => None,
        };
        let (mut prefix, mut bare) = (Vec::new(), Vec::new());
        // Reused for every group: the keys, and the row a group found by
        // node evaluates them on.
        let (mut group_keys, mut key_row) = (Vec::with_capacity(w), Vec::new());
        let mut ties = TieBreak::default();
        let mut out = Vec::with_capacity(if top.is_some() { 0 } else { groups });
        for g in 0..groups {
            let states = &mut accs[g * a..(g + 1) * a];
            let mut finished = false;
            if let (Some(top), Some(p)) = (&heap, &prune) {
                prefix.clear();
                // The usual case: the leading sort keys are counts, read
                // where they are kept, with no row made.
                let direct = p.direct.as_ref().is_some_and(|direct| {
                    direct.iter().all(|&j| match states[j].peek() {
                        Some(v) => {
                            prefix.push(v);
                            true
                        }
                        None => false,
                    })
                });
                if !direct {
                    prefix.clear();
                    finish_states(states, env)?;
                    finished = true;
                    bare.clear();
                    for (item, cheap) in op.items.iter().zip(&p.items) {
                        bare.push(match cheap {
                            true => eval(item, env, &[])?,
                            false => Value::Null,
                        });
                    }
                    for (key, cheap) in op.group_sort.iter().zip(&p.group_sort) {
                        let v = match cheap {
                            true => eval(key, env, &bare)?,
                            false => Value::Null,
                        };
                        bare.push(v);
                    }
                    for s in &op.order_by[..p.keys] {
                        prefix.push(eval(&s.expr, env, &bare)?);
                    }
                }
                match top.versus_worst(&prefix) {
                    Some(Ordering::Greater) => continue,
                    // Tied with the worst row kept: the next sort keys
                    // that are grouping keys read from the group's nodes
                    // (which cannot fail), one at a time, until one
                    // decides.
                    Some(Ordering::Equal) => {
                        if let Some(b) = &by_node
                            && ties.loses(op, top, (&b.slots, b.tuple(g)), env, &prefix)?
                        {
                            continue;
                        }
                    }
                    _ => {}
                }
            }
            if !finished {
                finish_states(states, env)?;
            }
            let row = match shape.needs_row {
                true => rows.get_mut(g).map(std::mem::take).unwrap_or_default(),
                false => Vec::new(),
            };
            group_keys.clear();
            match &by_node {
                Some(b) => Self::node_keys(op, &b.slots, b.tuple(g), env, &mut key_row, &mut group_keys)?,
                None => group_keys.extend(keys[g * w..(g + 1) * w].iter_mut().map(std::mem::take)),
            }
            let mut group_keys = group_keys.drain(..);
            let mut projected = Vec::with_capacity(op.items.len() + op.group_sort.len());
            for (item, is_key) in op.items.iter().zip(&op.is_key) {
                projected.push(match is_key {
                    true => group_keys.next().unwrap_or(Value::Null),
                    false => eval(item, env, &row)?,
                });
            }
            for key in &op.group_sort {
                let v = eval(key, env, &projected)?;
                projected.push(v);
            }
            match &mut heap {
                Some(top) => {
                    let mut sort_keys = Vec::with_capacity(op.order_by.len());
                    for s in &op.order_by {
                        sort_keys.push(eval(&s.expr, env, &projected)?);
                    }
                    if top.admits(&sort_keys) {
                        top.push(sort_keys, projected);
                    }
                }
                None => out.push(projected),
            }
        }
        env.aggs.clear();
        Ok(match heap {
            Some(top) => top.into_sorted(),
            None => out,
        })
    }
}

/// The values of `op`'s aggregates over `row` alone: a group of one row
/// (`Op::RowGroups`). `counted`: the row stands for that many rows, taken
/// as [`Grouping::add_counted`] takes them.
pub(super) fn over_one_row(
    op: &ProjectOp,
    row: &[Value],
    counted: Option<u64>,
    env: &Env<'_>,
) -> Result<Vec<Value>, QueryError> {
    let mut out = Vec::with_capacity(op.aggregates.len());
    for spec in &op.aggregates {
        let mut acc = Acc::new(spec);
        match counted {
            Some(n) => add_weighted(&mut acc, spec, None, row, n, env)?,
            None => {
                let v = match &spec.arg {
                    Some(a) => eval(a, env, row)?,
                    None => Value::Bool(true),
                };
                if let Some(p) = &spec.percentile {
                    acc.set_percentile(eval(p, env, row)?, p.span)?;
                }
                acc.add(v, spec)?;
            }
        }
        out.push(acc.finish()?);
    }
    Ok(out)
}

/// One aggregate over `row` alone (standing for `counted` equal rows;
/// `None`, one row), as [`over_one_row`] gives it, when that needs
/// neither the evaluator nor a state: a count of all rows or of a
/// variable (see [`add_weighted`]); the sum of a variable holding an
/// integer, a float (one row) or null; the minimum or maximum of a
/// variable. `None` for anything else, which `over_one_row` decides (and
/// raises what it raises, such as a sum of a string or an overflow).
pub(super) fn quick_over_one_row(spec: &AggSpec, row: &[Value], counted: Option<u64>) -> Option<Value> {
    if spec.distinct || spec.percentile.is_some() {
        return None;
    }
    let arg = match spec.arg.as_ref().map(|e| &e.kind) {
        None => None,
        Some(PKind::Slot(s)) => Some(row.get(*s)?),
        Some(_) => return None,
    };
    // How many rows take the value: none leaves the state as it began.
    let times = counted.unwrap_or(1);
    Some(match (spec.func, arg) {
        (AggFunc::Count, arg) => Value::Int(match (counted, arg) {
            // Weighted: counted without reading the row.
            (Some(n), _) => i64::try_from(n).ok()?,
            (None, Some(Value::Null)) => 0,
            (None, _) => 1,
        }),
        (AggFunc::Sum, Some(v)) => match v {
            _ if times == 0 => Value::Int(0),
            Value::Null => Value::Int(0),
            Value::Int(x) => Value::Int(x.checked_mul(i64::try_from(times).ok()?)?),
            // Added to the state's integer 0, as `Acc::add` adds it.
            Value::Float(f) if times == 1 => Value::Float(0.0 + f),
            _ => return None,
        },
        (AggFunc::Min | AggFunc::Max, Some(v)) => match times {
            0 => Value::Null,
            _ => v.clone(),
        },
        _ => return None,
    })
}

/// Adds `row`, standing for `n` equal rows, to one aggregate's state, as
/// the planner arranges (`plan::rewrite::weighted_aggregates`): a count of
/// all rows or of a bare variable (never null there, and maybe not bound
/// in the weighted row) adds `n` without reading the row; a DISTINCT
/// aggregate takes the value once; any other evaluates its argument once
/// and takes the value `n` times (see [`Acc::add_weighted`]).
fn add_weighted(
    acc: &mut Acc,
    spec: &AggSpec,
    prepared: Option<&KeyExpr>,
    row: &[Value],
    n: u64,
    env: &Env<'_>,
) -> Result<(), QueryError> {
    if let Acc::Count(c) = acc
        && matches!(
            &spec.arg,
            None | Some(PExpr {
                kind: PKind::Slot(_),
                ..
            })
        )
    {
        *c += n as i64;
        return Ok(());
    }
    if !new_base(acc, spec, row) {
        return Ok(());
    }
    let v = argument(spec, prepared, row, env)?;
    match acc {
        Acc::Distinct(..) => acc.add(v.into_value(), spec),
        acc => acc.add_weighted(v.into_value(), n, spec),
    }
}

/// The prepared argument of each aggregate (`None` where none is).
fn prepared_args(args: &[Option<KeyExpr>]) -> impl Iterator<Item = Option<&KeyExpr>> {
    args.iter().map(Option::as_ref).chain(std::iter::repeat(None))
}

/// An aggregate's argument on `row` (true for `count(*)`): by its
/// prepared form where that decides, else by the general evaluator.
#[inline(always)]
fn argument<'a>(
    spec: &'a AggSpec,
    prepared: Option<&'a KeyExpr>,
    row: &'a [Value],
    env: &'a Env<'_>,
) -> Result<Part<'a>, QueryError> {
    static TRUE: Value = Value::Bool(true);
    let Some(arg) = &spec.arg else {
        return Ok(Part::Ref(&TRUE));
    };
    if let Some(v) = prepared.and_then(|p| p.value(env, row)) {
        return Ok(v);
    }
    evaluated(arg, row, env)
}

/// An argument the prepared form leaves to the general evaluator (kept
/// out of [`argument`], which the loops over rows take in).
#[inline(never)]
fn evaluated<'a>(arg: &PExpr, row: &[Value], env: &Env<'_>) -> Result<Part<'a>, QueryError> {
    Ok(Part::Own(eval(arg, env, row)?))
}

/// A group's aggregate values, for its items to read (`env.aggs`); its
/// states are spent.
fn finish_states(states: &mut [Acc], env: &mut Env<'_>) -> Result<(), QueryError> {
    env.aggs.clear();
    for acc in states {
        env.aggs.push(std::mem::replace(acc, Acc::Count(0)).finish()?);
    }
    Ok(())
}

/// Which parts of a projected row a group's aggregates alone decide
/// (items that read no input slot, and group sort keys reading only
/// those), and how many leading ORDER BY keys read only them: enough to
/// tell that a group cannot enter the top rows before its keys are
/// evaluated. `None` when no sort key is so decided, or when a group sort
/// key is not, as it would then go unevaluated (and its errors unraised)
/// for the groups dropped.
pub(super) struct Pruning {
    items: Vec<bool>,
    group_sort: Vec<bool>,
    keys: usize,
    /// When each of those keys is a projected aggregate itself: which.
    pub(super) direct: Option<Vec<usize>>,
}

impl Pruning {
    pub(super) fn of(op: &ProjectOp) -> Option<Pruning> {
        let reads = |e: &crate::plan::ops::PExpr, ok: &[bool]| {
            let mut read = Vec::new();
            e.slots_read(&mut read) && read.iter().all(|&i| ok.get(i).copied().unwrap_or(false))
        };
        let mut cheap: Vec<bool> = op
            .items
            .iter()
            .zip(&op.is_key)
            .map(|(e, key)| !key && reads(e, &[]))
            .collect();
        let items = cheap.clone();
        for key in &op.group_sort {
            let c = reads(key, &cheap);
            cheap.push(c);
        }
        let group_sort = cheap[items.len()..].to_vec();
        let keys = op.order_by.iter().take_while(|s| reads(&s.expr, &cheap)).count();
        // A sort key names a projected column, or a group sort key
        // (`ORDER BY n` for `count(o) AS n` is one), which may in turn
        // name a column or be the aggregate itself.
        let aggregate = |e: &crate::plan::ops::PExpr| match &e.kind {
            PKind::Agg(j) => Some(*j),
            PKind::Slot(i) => match op.items.get(*i).map(|e| &e.kind) {
                Some(PKind::Agg(j)) => Some(*j),
                _ => None,
            },
            _ => None,
        };
        let direct = op.order_by[..keys]
            .iter()
            .map(|s| match &s.expr.kind {
                PKind::Slot(i) if *i >= op.items.len() => op.group_sort.get(*i - op.items.len()).and_then(aggregate),
                _ => aggregate(&s.expr),
            })
            .collect();
        // A group sort key naming a column (`ORDER BY id` for `r.id AS
        // id`) copies it and cannot fail, so a dropped group may skip it.
        let copies = op.group_sort.iter().map(|e| matches!(e.kind, PKind::Slot(_)));
        (keys > 0 && group_sort.iter().zip(copies).all(|(c, copy)| *c || copy)).then_some(Pruning {
            items,
            group_sort,
            keys,
            direct,
        })
    }
}

/// Makes `row` (reused from group to group) bind only `nodes` in `slots`.
fn bind_nodes(slots: &[usize], nodes: &[NodeId], row: &mut Vec<Value>) {
    row.clear();
    row.resize(slots.iter().max().map_or(0, |s| s + 1), Value::Null);
    for (s, n) in slots.iter().zip(nodes) {
        row[*s] = Value::Node(*n);
    }
}

/// Breaks a tie between a group found by its nodes and the worst row a
/// top-k heap keeps: the sort keys after those that tied, when they name
/// a grouping key (a node or its property, read from the group's nodes,
/// which cannot fail), are computed one at a time until one decides, so
/// a group that loses is dropped before its row is made.
#[derive(Default)]
pub(super) struct TieBreak {
    /// For each sort key naming a grouping key: that key, prepared
    /// (made at the first tie).
    exprs: Vec<Option<KeyExpr>>,
    /// A row binding the group's nodes, reused.
    row: Vec<Value>,
}

impl TieBreak {
    /// Whether the group of `nodes` (in `slots`), whose first sort keys
    /// are `prefix`, cannot enter `top` (see [`TieBreak::loses_on_row`]).
    fn loses(
        &mut self,
        op: &ProjectOp,
        top: &TopK,
        (slots, nodes): (&[usize], &[NodeId]),
        env: &Env<'_>,
        prefix: &[Value],
    ) -> Result<bool, QueryError> {
        let mut row = std::mem::take(&mut self.row);
        bind_nodes(slots, nodes, &mut row);
        let loses = self.loses_on_row(op, top, env, &row, prefix);
        self.row = row;
        loses
    }

    /// Whether the group whose grouping keys `row` binds, and whose first
    /// sort keys are `prefix`, cannot enter `top`: they sort after the
    /// worst row's, or tie and a later key computed here sorts after it,
    /// or every key ties (it came later). False when a key that would
    /// decide cannot be computed here.
    pub(super) fn loses_on_row(
        &mut self,
        op: &ProjectOp,
        top: &TopK,
        env: &Env<'_>,
        row: &[Value],
        prefix: &[Value],
    ) -> Result<bool, QueryError> {
        match top.versus_worst(prefix) {
            Some(Ordering::Equal) => {}
            o => return Ok(o == Some(Ordering::Greater)),
        }
        if prefix.len() >= top.keys() {
            return Ok(true);
        }
        if self.exprs.len() != op.order_by.len() {
            self.exprs = op
                .order_by
                .iter()
                .map(|s| key_item(op, &s.expr).map(|i| KeyExpr::new(&op.items[i], env.graph)))
                .collect();
        }
        for j in prefix.len()..top.keys() {
            let (Some(Some(prepared)), Some(i)) = (self.exprs.get(j), key_item(op, &op.order_by[j].expr)) else {
                return Ok(false);
            };
            let v = match prepared.value(env, row) {
                Some(v) => v,
                None => Part::Own(eval(&op.items[i], env, row)?),
            };
            match top.versus_worst_at(j, &v.as_value()) {
                Some(Ordering::Equal) => {}
                o => return Ok(o == Some(Ordering::Greater)),
            }
        }
        // Tied on every key: it came later.
        Ok(true)
    }
}

/// The grouping key a sort key names: a column of the projected row that
/// is a key, directly or through a group sort key naming it.
fn key_item(op: &ProjectOp, e: &PExpr) -> Option<usize> {
    let PKind::Slot(mut i) = e.kind else { return None };
    if i >= op.items.len() {
        match op.group_sort.get(i - op.items.len())?.kind {
            PKind::Slot(j) if j < op.items.len() => i = j,
            _ => return None,
        }
    }
    (op.is_key.get(i) == Some(&true)).then_some(i)
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
    /// Boxed, as the distinct case: every group holds a state per
    /// aggregate, which stays as small as a count's when boxed.
    Percentile(Box<Percentiles>),
    /// DISTINCT aggregates see each value once.
    Distinct(Box<Seen>, Box<Acc>),
}

/// The numbers seen, the percentile asked for, and whether to
/// interpolate (`percentileCont`) or take a value seen (`percentileDisc`).
pub(super) struct Percentiles {
    values: Vec<f64>,
    target: Option<f64>,
    cont: bool,
}

impl Acc {
    fn percentile(cont: bool) -> Acc {
        Acc::Percentile(Box::new(Percentiles {
            values: Vec::new(),
            target: None,
            cont,
        }))
    }
}

/// The values a DISTINCT aggregate has seen. Nodes, the usual case
/// (`count(DISTINCT b)`), are bits indexed by their handle; other values
/// are hashed. A node is only ever equal to itself, so the two never mix.
#[derive(Default)]
pub(super) struct Seen {
    pub(super) nodes: SeenNodes,
    others: std::collections::HashSet<ValueKey, foldhash::fast::RandomState>,
    /// When the argument is a node's property (`collect(DISTINCT
    /// f.name)`): the nodes whose value was taken. A node gives the same
    /// value every time (the graph does not change while a projection
    /// takes its input), so a row with a node seen before is skipped
    /// before its property is read and hashed; the values stay the
    /// judges of what is distinct.
    bases: SeenNodes,
}

/// False when a DISTINCT aggregate over a node's property meets, on
/// `row`, a node its group's state has taken the value of already (see
/// [`Seen::bases`]): the row adds nothing.
fn new_base(acc: &mut Acc, spec: &AggSpec, row: &[Value]) -> bool {
    let (Acc::Distinct(seen, _), Some(arg)) = (acc, &spec.arg) else {
        return true;
    };
    let PKind::Prop(base, _) = &arg.kind else {
        return true;
    };
    match (&base.kind, spec.percentile.is_none()) {
        (PKind::Slot(s), true) => match row.get(*s) {
            Some(Value::Node(n)) => seen.bases.insert(*n),
            _ => true,
        },
        _ => true,
    }
}

/// Nodes a DISTINCT aggregate has seen: a short list while they are few
/// (a group of `count(DISTINCT t)` among thousands of groups sees a
/// handful), then bits indexed by handle (whose size follows the highest
/// handle, not the number seen).
pub(super) enum SeenNodes {
    Few(Vec<NodeId>),
    Many(crate::store::NodeSet),
}

impl Default for SeenNodes {
    fn default() -> SeenNodes {
        SeenNodes::Few(Vec::new())
    }
}

impl SeenNodes {
    /// Nodes kept in a list before the bits.
    const FEW: usize = 64;

    /// True the first time `n` is seen.
    pub(super) fn insert(&mut self, n: NodeId) -> bool {
        match self {
            SeenNodes::Few(list) => {
                if list.contains(&n) {
                    return false;
                }
                list.push(n);
                if list.len() > Self::FEW {
                    let mut bits = crate::store::NodeSet::default();
                    for x in list.drain(..) {
                        bits.insert(x);
                    }
                    *self = SeenNodes::Many(bits);
                }
                true
            }
            SeenNodes::Many(bits) => bits.insert(n),
        }
    }

    /// The nodes, in handle order.
    fn sorted(&self) -> Vec<NodeId> {
        match self {
            SeenNodes::Few(list) => {
                let mut v = list.clone();
                v.sort_unstable();
                v
            }
            SeenNodes::Many(bits) => bits.iter().collect(),
        }
    }
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
        let base = Acc::without_distinct(spec);
        if spec.distinct {
            Acc::Distinct(Default::default(), Box::new(base))
        } else {
            base
        }
    }

    /// The state of `spec` as though it were not DISTINCT.
    fn without_distinct(spec: &AggSpec) -> Acc {
        match spec.func {
            AggFunc::Count => Acc::Count(0),
            AggFunc::Collect => Acc::Collect(Vec::new()),
            AggFunc::Min | AggFunc::Max => Acc::MinMax(None),
            AggFunc::Sum => Acc::Sum(Value::Int(0)),
            AggFunc::Avg => Acc::Avg(0.0, 0),
            AggFunc::PercentileDisc => Acc::percentile(false),
            AggFunc::PercentileCont => Acc::percentile(true),
        }
    }

    /// Records the percentile of `percentileDisc` / `percentileCont`: a
    /// number from 0.0 to 1.0, else an ArgumentError (NumberOutOfRange).
    fn set_percentile(&mut self, p: Value, span: Span) -> Result<(), QueryError> {
        let target = match self {
            Acc::Distinct(_, inner) => return inner.set_percentile(p, span),
            Acc::Percentile(pct) => &mut pct.target,
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

    /// [`Acc::add`] of a value that may be borrowed: a count or a
    /// minimum or maximum copies it only when it keeps it.
    #[inline]
    fn add_part(&mut self, v: Part<'_>, spec: &AggSpec) -> Result<(), QueryError> {
        // The usual sum, integers, added in place (an overflow is raised
        // by `add`).
        if let Acc::Sum(Value::Int(total)) = self
            && let Some(Value::Int(x)) = v.value()
            && let Some(t) = total.checked_add(*x)
        {
            *total = t;
            return Ok(());
        }
        match self {
            Acc::Count(n) => {
                if !v.is_null() {
                    *n += 1;
                }
            }
            Acc::MinMax(cur) if !v.is_null() => {
                let replace = match cur {
                    None => true,
                    Some(c) => {
                        let o = v.as_value().total_cmp(c);
                        if spec.func == AggFunc::Min {
                            o == Ordering::Less
                        } else {
                            o == Ordering::Greater
                        }
                    }
                };
                if replace {
                    *cur = Some(v.into_value());
                }
            }
            acc => acc.add(v.into_value(), spec)?,
        }
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
            Acc::Percentile(p) => match v {
                Value::Int(i) => p.values.push(i as f64),
                Value::Float(f) => p.values.push(f),
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

    /// Takes `v` as `n` rows in a row would give it: a count adds `n`, an
    /// integer sum `v × n` (an overflow of the product or the total is
    /// the naive sum's overflow), a minimum or maximum `v` once, an
    /// integer average `v × n` while the total stays an exact float;
    /// otherwise (floats, a list) `v` is added `n` times, in the order the
    /// rows would have come.
    fn add_weighted(&mut self, v: Value, n: u64, spec: &AggSpec) -> Result<(), QueryError> {
        /// Integers a float holds exactly.
        const EXACT: i128 = 1 << 53;
        if v.is_null() || n == 0 {
            return Ok(());
        }
        let span = spec.arg.as_ref().map(|a| a.span).unwrap_or_default();
        let overflow = || QueryError::runtime(Code::IntegerOverflow, "integer overflow in sum()", Some(span));
        match (&mut *self, &v) {
            (Acc::Count(c), _) => *c += n as i64,
            (Acc::MinMax(_), _) => self.add(v, spec)?,
            (Acc::Sum(Value::Int(total)), Value::Int(x)) => {
                let times = i64::try_from(n).map_err(|_| overflow())?;
                let more = x.checked_mul(times).ok_or_else(overflow)?;
                *total = total.checked_add(more).ok_or_else(overflow)?;
            }
            (Acc::Avg(sum, count), Value::Int(x))
                if (sum.abs() as i128).saturating_add((*x as i128 * n as i128).abs()) < EXACT =>
            {
                *sum += (*x as i128 * n as i128) as f64;
                *count += n as i64;
            }
            _ => {
                for _ in 0..n {
                    self.add(v.clone(), spec)?;
                }
            }
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
            (Acc::Percentile(mine), Acc::Percentile(theirs)) => {
                mine.values.extend(theirs.values);
                if mine.target.is_none() {
                    mine.target = theirs.target;
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
                        if let (Acc::Percentile(mine), Acc::Percentile(t)) = (&mut *me, &theirs)
                            && mine.target.is_none()
                        {
                            mine.target = t.target;
                        }
                        // Values only `later` saw, added one by one.
                        for n in later_seen.nodes.sorted() {
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

    /// The value a count would finish with, read in place; `None` for
    /// other states.
    fn peek(&self) -> Option<Value> {
        match self {
            Acc::Count(n) => Some(Value::Int(*n)),
            Acc::Distinct(_, inner) => match inner.as_ref() {
                Acc::Count(n) => Some(Value::Int(*n)),
                _ => None,
            },
            _ => None,
        }
    }

    fn finish(self) -> Result<Value, QueryError> {
        Ok(match self {
            Acc::Percentile(pct) if !pct.values.is_empty() && pct.target.is_some() => {
                let Percentiles {
                    mut values,
                    target,
                    cont,
                } = *pct;
                let p = target.unwrap_or_default();
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
