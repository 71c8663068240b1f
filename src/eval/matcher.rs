//! Pattern matching: finds every way a MATCH clause's patterns bind to the
//! graph, starting each pattern at its most selective node and expanding
//! through typed adjacency. Relationships are unique within one clause.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use super::expr::{Env, eval, truth};
use super::labels::PatternLabels;
use super::nodefilter::NodeFilter;
use crate::error::{Code, QueryError};
use crate::plan::ops::{CountedExpand, NodeStep, PExpr, PatternPlan, RelStep};
use crate::store::{Adj, Direction, NodeId, NodeSet, RelId, Sym};
use crate::value::{Path, Text, Value, ValueKey};

/// Called with each complete binding; returns false to stop matching.
pub type Emit<'e> = dyn FnMut(&[Value]) -> Result<bool, QueryError> + 'e;

/// Matching state for one input row.
pub struct Matcher<'a, 'g> {
    env: &'a Env<'g>,
    patterns: &'a [PatternPlan],
    row: Vec<Value>,
    assigned: Vec<bool>,
    used: Vec<RelId>,
    /// Relationships of each rel step of the current pattern, in pattern order.
    traversed: Vec<Vec<RelId>>,
    /// When collecting the nodes the last hop reaches (see [`Reach`]).
    reach: Option<Reach<'a>>,
    /// Each pattern's labels, resolved for this execution.
    labels: Vec<Rc<PatternLabels>>,
    /// When counting the last hop's matches instead of binding them: the
    /// count for the row being emitted.
    count_last: Option<&'a std::cell::Cell<u64>>,
    /// How many slots of the row were bound on input.
    input_len: usize,
    /// Per pattern joined by a hash table: the table, once built.
    tables: Vec<Option<JoinTable>>,
    /// True in the matcher that builds a joined part's table (which
    /// matches that part itself).
    building: bool,
}

/// A joined part's matches, by key (see `PatternPlan::join`).
struct JoinTable {
    /// The slots the part binds (beyond those bound on input).
    slots: Vec<usize>,
    entries: Vec<JoinEntry>,
    index: HashMap<ValueKey, Vec<u32>>,
}

/// One match of a joined part.
struct JoinEntry {
    key: Value,
    /// The values of the table's slots.
    values: Vec<Value>,
    /// The relationships the match uses (unique within the clause).
    rels: Vec<RelId>,
}

impl<'a, 'g> Matcher<'a, 'g> {
    /// `row` holds the input; slots from `row.len()` to `width` are filled by matching.
    pub fn new(env: &'a Env<'g>, patterns: &'a [PatternPlan], input: &[Value], width: usize) -> Matcher<'a, 'g> {
        let mut row = input.to_vec();
        let mut assigned = vec![true; input.len()];
        let max_slot = patterns
            .iter()
            .flat_map(|p| {
                p.nodes
                    .iter()
                    .map(|n| n.slot)
                    .chain(p.rels.iter().map(|r| r.slot))
                    .chain(p.path_slot)
            })
            .max()
            .map(|m| m + 1)
            .unwrap_or(0);
        let width = width.max(max_slot).max(input.len());
        row.resize(width, Value::Null);
        assigned.resize(width, false);
        Matcher {
            env,
            patterns,
            row,
            assigned,
            used: Vec::new(),
            traversed: Vec::new(),
            reach: None,
            labels: patterns
                .iter()
                .map(|p| env.guard.pattern_labels(env.graph, p))
                .collect(),
            count_last: None,
            input_len: input.len(),
            tables: Vec::new(),
            building: false,
        }
    }

    /// A matcher that collects the nodes the last pattern's last hop
    /// reaches instead of making rows (`MatchOp::distinct_end`), into
    /// `seen`; `None` when that pattern's conditions there cannot be
    /// checked that way.
    pub fn collecting(
        env: &'a Env<'g>,
        patterns: &'a [PatternPlan],
        input: &[Value],
        width: usize,
        seen: NodeSet,
    ) -> Option<Matcher<'a, 'g>> {
        let reach = Reach::new(env.graph, env.guard, patterns.last()?, seen)?;
        let mut m = Matcher::new(env, patterns, input, width);
        m.reach = Some(reach);
        Some(m)
    }

    /// Counts the last hop of the last pattern instead of binding it
    /// (`Counting::LastHop`): each row emitted stands for `weight` matches,
    /// its last relationship and end left unbound.
    pub fn count_last_hop(&mut self, weight: &'a std::cell::Cell<u64>) {
        self.count_last = Some(weight);
    }

    /// The set a collecting matcher filled.
    pub fn into_reached(self) -> NodeSet {
        self.reach.map(|r| r.seen).unwrap_or_default()
    }

    /// Runs the match, calling `emit` for each result row. Returns false if
    /// `emit` asked to stop.
    pub fn run(&mut self, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        self.part(0, emit)
    }

    fn part(&mut self, pi: usize, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        let Some(p) = self.patterns.get(pi) else {
            return emit(&self.row);
        };
        if p.join.is_some() && !self.building {
            return self.join_part(pi, emit);
        }
        // Each part records its own hops; the enclosing part's record is
        // restored when this one is done.
        let outer = std::mem::replace(&mut self.traversed, vec![Vec::new(); p.rels.len()]);
        let result = self.part_from(pi, p.start, emit);
        self.traversed = outer;
        result
    }

    /// A part joined by a hash table: its matches (found once) whose key
    /// equals the row's, each with the row so far.
    fn join_part(&mut self, pi: usize, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        let patterns = self.patterns;
        let p = &patterns[pi];
        let join = p.join.as_ref().expect("a joined part");
        if self.tables.len() <= pi {
            self.tables.resize_with(pi + 1, || None);
        }
        let table = match self.tables[pi].take() {
            Some(t) => t,
            None => self.build_table(p)?,
        };
        let key = eval(&join.probe, self.env, &self.row)?;
        let mut go_on = Ok(true);
        if !key.is_null()
            && let Some(matches) = table.index.get(&ValueKey(key.clone()))
        {
            for &i in matches {
                let e = &table.entries[i as usize];
                if e.key.cypher_eq(&key) != Some(true) || e.rels.iter().any(|r| self.used.contains(r)) {
                    continue;
                }
                if let Err(err) = self.env.guard.tick() {
                    go_on = Err(err);
                    break;
                }
                for (s, v) in table.slots.iter().zip(&e.values) {
                    self.row[*s] = v.clone();
                    self.assigned[*s] = true;
                }
                let mark = self.used.len();
                self.used.extend_from_slice(&e.rels);
                go_on = self.joined(pi, &join.after, emit);
                self.used.truncate(mark);
                for s in &table.slots {
                    self.unbind(*s, false);
                }
                if !matches!(go_on, Ok(true)) {
                    break;
                }
            }
        }
        self.tables[pi] = Some(table);
        go_on
    }

    /// A joined row: the join's conditions, then the next part.
    fn joined(&mut self, pi: usize, after: &[PExpr], emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        for c in after {
            if truth(eval(c, self.env, &self.row)?, c.span)? != Some(true) {
                return Ok(true);
            }
        }
        self.part(pi + 1, emit)
    }

    /// Matches part `p` on its own (from the input row) into a table keyed
    /// by its side of the join.
    fn build_table(&self, p: &'a PatternPlan) -> Result<JoinTable, QueryError> {
        let join = p.join.as_ref().expect("a joined part");
        let input = &self.row[..self.input_len];
        let mut slots: Vec<usize> = p
            .nodes
            .iter()
            .map(|n| n.slot)
            .chain(p.rels.iter().map(|r| r.slot))
            .chain(p.path_slot)
            .filter(|s| !self.assigned[*s])
            .collect();
        slots.sort_unstable();
        slots.dedup();
        let rel_slots: Vec<usize> = p.rels.iter().map(|r| r.slot).filter(|s| slots.contains(s)).collect();
        let mut table = JoinTable {
            slots,
            entries: Vec::new(),
            index: HashMap::new(),
        };
        let mut sub = Matcher::new(self.env, std::slice::from_ref(p), input, self.row.len());
        sub.building = true;
        let env = self.env;
        sub.run(&mut |r| {
            env.guard.tick()?;
            let key = eval(&join.build, env, r)?;
            if key.is_null() {
                return Ok(true);
            }
            let mut rels = Vec::new();
            for s in &rel_slots {
                match &r[*s] {
                    Value::Rel(id) => rels.push(*id),
                    Value::List(l) => rels.extend(l.iter().filter_map(|v| match v {
                        Value::Rel(id) => Some(*id),
                        _ => None,
                    })),
                    _ => {}
                }
            }
            table
                .index
                .entry(ValueKey(key.clone()))
                .or_default()
                .push(table.entries.len() as u32);
            table.entries.push(JoinEntry {
                key,
                values: table.slots.iter().map(|s| r[*s].clone()).collect(),
                rels,
            });
            Ok(true)
        })?;
        Ok(table)
    }

    fn part_from(&mut self, pi: usize, si: usize, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        let start = &self.patterns[pi].nodes[si];
        // Nodes from the scan of a pattern node's only label have it: the
        // check can be skipped when nothing else constrains the node.
        let scanned = !self.assigned[start.slot] && start.labels.len() == 1 && start.props.is_none();
        for n in self.start_candidates(start)? {
            self.env.guard.tick()?;
            if scanned {
                self.row[start.slot] = Value::Node(n);
                self.assigned[start.slot] = true;
                let go_on = self.step(pi, 0, emit);
                self.unbind(start.slot, false);
                if !go_on? {
                    return Ok(false);
                }
                continue;
            }
            let Some(undo) = self.bind_node(pi, si, n)? else {
                continue;
            };
            let go_on = self.step(pi, 0, emit);
            self.unbind(start.slot, undo);
            if !go_on? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn start_candidates(&self, n: &NodeStep) -> Result<Vec<NodeId>, QueryError> {
        let g = self.env.graph;
        if self.assigned[n.slot] {
            return Ok(match &self.row[n.slot] {
                Value::Node(id) => vec![*id],
                _ => vec![],
            });
        }
        if let Some(props) = &n.props
            && let Value::Map(m) = eval(props, self.env, &self.row)?
            && let Some(Value::String(key)) = m.get("id")
        {
            return Ok(g.node_by_key(key).into_iter().collect());
        }
        Ok(scan(g, &n.labels).into_owned())
    }

    /// Binds `id` to node `ni` of pattern `pi` if it satisfies it.
    /// `Some(was_assigned)` on success, to undo later.
    fn bind_node(&mut self, pi: usize, ni: usize, id: NodeId) -> Result<Option<bool>, QueryError> {
        let n = &self.patterns[pi].nodes[ni];
        if self.assigned[n.slot] && !matches!(&self.row[n.slot], Value::Node(b) if *b == id) {
            return Ok(None);
        }
        // A node bound earlier must still satisfy this position's labels
        // and properties.
        let node = self.env.graph.node(id);
        if !self.labels[pi].has_labels(self.env.graph, &self.patterns[pi], ni, id) {
            return Ok(None);
        }
        if let Some(props) = &n.props
            && !props_match(eval(props, self.env, &self.row)?, |k| node.prop(k), props.span)?
        {
            return Ok(None);
        }
        if self.assigned[n.slot] {
            return Ok(Some(true));
        }
        self.row[n.slot] = Value::Node(id);
        self.assigned[n.slot] = true;
        Ok(Some(false))
    }

    fn unbind(&mut self, slot: usize, was_assigned: bool) {
        if !was_assigned {
            self.assigned[slot] = false;
            self.row[slot] = Value::Null;
        }
    }

    /// The `si`-th expansion step of pattern `pi`: first rightwards from the
    /// start node, then leftwards.
    fn step(&mut self, pi: usize, si: usize, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        let p = &self.patterns[pi];
        // WHERE conditions whose variables are bound by now: on a node's
        // handle when compiled (see `nodefilter.rs`), else evaluated.
        if let Some(conditions) = p.filters.get(si) {
            let compiled = self.labels[pi].filters.get(si);
            for (ci, c) in conditions.iter().enumerate() {
                let known = compiled
                    .and_then(|f| f.get(ci)?.as_ref())
                    .and_then(|f| f.check(self.env.graph, &self.row));
                let holds = match known {
                    Some(t) => t,
                    None => truth(eval(c, self.env, &self.row)?, c.span)?,
                };
                if holds != Some(true) {
                    return Ok(true);
                }
            }
        }
        let right = p.rels.len() - p.start;
        if si == p.rels.len() {
            return self.finish_part(pi, emit);
        }
        let (ri, from, to, flip) = if si < right {
            let ri = p.start + si;
            (ri, ri, ri + 1, false)
        } else {
            let ri = p.start - 1 - (si - right);
            (ri, ri + 1, ri, true)
        };
        let rel = &p.rels[ri];
        let Value::Node(cur) = self.row[p.nodes[from].slot] else {
            return Ok(true);
        };
        let dir = if flip { flip_dir(rel.direction) } else { rel.direction };
        if si + 1 == p.rels.len()
            && pi + 1 == self.patterns.len()
            && let Some(mut reach) = self.reach.take()
        {
            reach.hop(self.env, &self.used, cur, dir);
            self.reach = Some(reach);
            return self.env.guard.check().map(|()| true);
        }
        if si + 1 == p.rels.len()
            && pi + 1 == self.patterns.len()
            && let Some(weight) = self.count_last
        {
            let n = self.count_hop(pi, ri, cur, dir, to);
            if n == 0 {
                return Ok(true);
            }
            weight.set(n);
            return self.finish_part(pi, emit);
        }
        match rel.var_len {
            None => self.single_hop(pi, si, ri, rel, cur, dir, to, emit),
            Some((min, max)) => self.var_hops(pi, si, ri, rel, cur, dir, to, flip, min, max, emit),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn single_hop(
        &mut self,
        pi: usize,
        si: usize,
        ri: usize,
        rel: &RelStep,
        cur: NodeId,
        dir: Direction,
        to: usize,
        emit: &mut Emit<'_>,
    ) -> Result<bool, QueryError> {
        let p = &self.patterns[pi];
        for adj in self.hop_candidates(pi, ri, cur, dir, to) {
            self.env.guard.tick()?;
            let rel_was = self.assigned[rel.slot];
            if rel_was && !matches!(self.row[rel.slot], Value::Rel(r) if r == adj.rel) {
                continue;
            }
            if self.used.contains(&adj.rel) || !self.rel_ok(rel, adj.rel)? {
                continue;
            }
            let Some(undo) = self.bind_node(pi, to, adj.other)? else {
                continue;
            };
            self.row[rel.slot] = Value::Rel(adj.rel);
            self.assigned[rel.slot] = true;
            self.used.push(adj.rel);
            let hop = &mut self.traversed[ri];
            hop.clear();
            hop.push(adj.rel);
            let go_on = self.step(pi, si + 1, emit);
            self.used.pop();
            self.unbind(rel.slot, rel_was);
            self.unbind(p.nodes[to].slot, undo);
            if !go_on? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    #[allow(clippy::too_many_arguments)]
    fn var_hops(
        &mut self,
        pi: usize,
        si: usize,
        ri: usize,
        rel: &RelStep,
        cur: NodeId,
        dir: Direction,
        to: usize,
        flip: bool,
        min: u64,
        max: Option<u64>,
        emit: &mut Emit<'_>,
    ) -> Result<bool, QueryError> {
        // Depth-first over trails (no relationship twice), which also
        // guarantees termination on cyclic graphs.
        let mut trail: Vec<RelId> = Vec::new();
        let mut stack: Vec<(NodeId, Vec<Adj>, usize)> = Vec::new();
        let first = self.adjacent(pi, ri, cur, dir);
        if min == 0 && !self.try_var_end(pi, si, ri, rel, cur, &trail, to, flip, emit)? {
            return Ok(false);
        }
        if max == Some(0) {
            return Ok(true);
        }
        stack.push((cur, first, 0));
        while let Some((_, adjs, idx)) = stack.last_mut() {
            self.env.guard.tick()?;
            if *idx >= adjs.len() {
                stack.pop();
                trail.pop();
                continue;
            }
            let adj = adjs[*idx];
            *idx += 1;
            if trail.contains(&adj.rel) || self.used.contains(&adj.rel) || !self.rel_ok(rel, adj.rel)? {
                continue;
            }
            trail.push(adj.rel);
            self.env.guard.count_path()?;
            let depth = trail.len() as u64;
            if depth >= min && !self.try_var_end(pi, si, ri, rel, adj.other, &trail, to, flip, emit)? {
                return Ok(false);
            }
            if max.is_none_or(|m| depth < m) {
                let next = self.adjacent(pi, ri, adj.other, dir);
                stack.push((adj.other, next, 0));
            } else {
                trail.pop();
            }
        }
        Ok(true)
    }

    #[allow(clippy::too_many_arguments)]
    fn try_var_end(
        &mut self,
        pi: usize,
        si: usize,
        ri: usize,
        rel: &RelStep,
        end: NodeId,
        trail: &[RelId],
        to: usize,
        flip: bool,
        emit: &mut Emit<'_>,
    ) -> Result<bool, QueryError> {
        let p = &self.patterns[pi];
        let Some(undo) = self.bind_node(pi, to, end)? else {
            return Ok(true);
        };
        let mut in_order = trail.to_vec();
        if flip {
            in_order.reverse();
        }
        let list = Value::list(in_order.iter().map(|r| Value::Rel(*r)).collect());
        let rel_was = self.assigned[rel.slot];
        let ok = !rel_was || self.row[rel.slot].equivalent(&list);
        let mut go_on = Ok(true);
        if ok {
            self.row[rel.slot] = list;
            self.assigned[rel.slot] = true;
            let mark = self.used.len();
            self.used.extend_from_slice(trail);
            self.traversed[ri] = in_order;
            go_on = self.step(pi, si + 1, emit);
            self.used.truncate(mark);
            self.unbind(rel.slot, rel_was);
        }
        self.unbind(p.nodes[to].slot, undo);
        go_on
    }

    fn finish_part(&mut self, pi: usize, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        let p = &self.patterns[pi];
        let Some(ps) = p.path_slot else {
            return self.part(pi + 1, emit);
        };
        let Value::Node(first) = self.row[p.nodes[0].slot] else {
            return Ok(true);
        };
        let mut nodes = vec![first];
        let mut rels = Vec::new();
        let mut cur = first;
        for step in &self.traversed {
            for r in step {
                cur = self.env.graph.rel(*r).other(cur);
                nodes.push(cur);
                rels.push(*r);
            }
        }
        let was = self.assigned[ps];
        let path = Value::Path(Arc::new(Path { nodes, rels }));
        if was && !self.row[ps].equivalent(&path) {
            return Ok(true);
        }
        self.row[ps] = path;
        self.assigned[ps] = true;
        let go_on = self.part(pi + 1, emit);
        self.unbind(ps, was);
        go_on
    }

    /// The matches of a last hop no one reads (step `ri` of pattern `pi`
    /// from `cur` in `dir` to node `to`): relationships not used yet whose
    /// other end has the node's labels.
    fn count_hop(&self, pi: usize, ri: usize, cur: NodeId, dir: Direction, to: usize) -> u64 {
        let (g, p, lab) = (self.env.graph, &self.patterns[pi], &self.labels[pi]);
        let check = !p.nodes[to].labels.is_empty();
        let mut n = 0u64;
        let mut visit = |adj: Adj| {
            if !self.used.contains(&adj.rel) && (!check || lab.has_labels(g, p, to, adj.other)) {
                n += 1;
            }
        };
        let types = &p.rels[ri].types;
        if types.len() <= 1 {
            match (types.first(), lab.types[ri].first()) {
                (None, _) => g.neighbours(cur, dir, None).into_iter().for_each(visit),
                (Some(_), Some(Some(s))) => g.for_each_neighbour_sym(cur, dir, Some(*s), &mut visit),
                (Some(t), _) => g.for_each_neighbour(cur, dir, Some(t), &mut visit),
            }
            return n;
        }
        self.adjacent(pi, ri, cur, dir).into_iter().for_each(visit);
        n
    }

    /// The relationships a single hop (step `ri` of pattern `pi` from `cur`
    /// in `dir` to node `to`) may take. With both ends bound (expand-into)
    /// they are found from the end with fewer relationships of the hop's
    /// types, keeping those that lead to the other end.
    fn hop_candidates(&self, pi: usize, ri: usize, cur: NodeId, dir: Direction, to: usize) -> Vec<Adj> {
        let slot = self.patterns[pi].nodes[to].slot;
        if self.assigned[slot]
            && let Value::Node(target) = self.row[slot]
            && self.degree(pi, ri, target, flip_dir(dir)) < self.degree(pi, ri, cur, dir)
        {
            let mut adjs = self.adjacent(pi, ri, target, flip_dir(dir));
            adjs.retain(|a| a.other == cur);
            for a in &mut adjs {
                a.other = target;
            }
            return adjs;
        }
        self.adjacent(pi, ri, cur, dir)
    }

    /// How many relationships of step `ri`'s types `node` has in `dir`.
    fn degree(&self, pi: usize, ri: usize, node: NodeId, dir: Direction) -> usize {
        let g = self.env.graph;
        let types = &self.patterns[pi].rels[ri].types;
        if types.is_empty() {
            return g.degree_sym(node, dir, None);
        }
        types
            .iter()
            .zip(&self.labels[pi].types[ri])
            .map(|(t, sym)| match sym {
                Some(s) => g.degree_sym(node, dir, Some(*s)),
                None => g.degree(node, dir, Some(t)),
            })
            .sum()
    }

    /// The relationships of step `ri` of pattern `pi` at `node` in `dir`.
    fn adjacent(&self, pi: usize, ri: usize, node: NodeId, dir: Direction) -> Vec<Adj> {
        let g = self.env.graph;
        let types = &self.patterns[pi].rels[ri].types;
        if types.is_empty() {
            return g.neighbours(node, dir, None);
        }
        let mut out = Vec::new();
        for (t, sym) in types.iter().zip(&self.labels[pi].types[ri]) {
            match sym {
                Some(s) => g.for_each_neighbour_sym(node, dir, Some(*s), |a| out.push(a)),
                None => g.for_each_neighbour(node, dir, Some(t), |a| out.push(a)),
            }
        }
        if types.len() > 1 {
            out.sort_by_key(|a| a.rel);
            out.dedup();
        }
        out
    }

    fn rel_ok(&self, step: &RelStep, rel: RelId) -> Result<bool, QueryError> {
        match &step.props {
            None => Ok(true),
            Some(props) => {
                let r = self.env.graph.rel(rel);
                props_match(eval(props, self.env, &self.row)?, |k| r.prop(k), props.span)
            }
        }
    }
}

/// A one-hop pattern planned as [`CountedExpand`]: calls `emit` with each
/// node the grouping reads and its number of matches, in the order the
/// ordinary matcher would first reach it. Returns false if `emit` asked to
/// stop.
pub fn count_matches(
    env: &Env<'_>,
    p: &PatternPlan,
    counted: CountedExpand,
    keyed: bool,
    emit: &mut dyn FnMut(NodeId, u64) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    if p.rels.is_empty() {
        return scan_per_node(env, p, emit, keyed);
    }
    let g = env.graph;
    let (s, o) = (p.start, 1 - p.start);
    let rel = &p.rels[0];
    let dir = if s == 0 { rel.direction } else { flip_dir(rel.direction) };
    // The graph cannot change while counting, so a label it lacks now
    // means no match, and each end's labels become one table lookup.
    let lab = env.guard.pattern_labels(g, p);
    if lab.syms.iter().flatten().any(Option::is_none) {
        return Ok(true);
    }
    let types: Vec<Sym> = rel.types.iter().filter_map(|t| g.sym(t)).collect();
    if !rel.types.is_empty() && types.is_empty() {
        return Ok(true);
    }
    let single = match types.as_slice() {
        [] => Some(None),
        [t] => Some(Some(*t)),
        _ => None,
    };
    // An end whose labels every relationship of the (one) type has there,
    // by the store's statistics, needs no check per relationship.
    let implied = |ni: usize| matches!(single, Some(Some(t)) if labels_implied(g, &lab.syms, ni, t, dir, ni == s));
    // The graph cannot change while counting: the tables made for this
    // execution cover every label set, and each check is one lookup.
    let tables: Vec<Option<&[bool]>> = (0..2)
        .map(|ni| match p.nodes[ni].labels.is_empty() || implied(ni) {
            true => None,
            false => lab.tables[ni].as_deref(),
        })
        .collect();
    let ok = |ni: usize, n: NodeId| tables[ni].is_none_or(|t| t.get(g.label_set_of(n).index()) == Some(&true));
    if let Some(Some(t)) = single
        && counted.group_node == o
        && tables[s].is_none()
        && tables[o].is_none()
        && !p.nodes[o].labels.is_empty()
    {
        // Every relationship of the type at a far node is a match: its
        // count is its degree. (Nodes come in the far label's order.)
        let mut outcome = Ok(true);
        g.degrees_sym(&scan(g, &p.nodes[o].labels), flip_dir(dir), t, |b, n| {
            outcome = env
                .guard
                .tick()
                .and_then(|()| if n > 0 { emit(b, n as u64) } else { Ok(true) });
            matches!(outcome, Ok(true))
        });
        return outcome;
    }
    let candidates = scan(g, &p.nodes[s].labels);
    // Scanned from its only label: the start end needs no check.
    let check_start = p.nodes[s].labels.len() > 1 && tables[s].is_some();
    let far_free = tables[o].is_none();
    // Calls `f` with the far node of every match from `a`.
    let each_match = |a: NodeId, f: &mut dyn FnMut(NodeId)| match single {
        Some(t) => g.for_each_neighbour_sym(a, dir, t, |adj| {
            if ok(o, adj.other) {
                f(adj.other)
            }
        }),
        None => {
            let mut adjs = Vec::new();
            for t in &types {
                g.for_each_neighbour_sym(a, dir, Some(*t), |adj| adjs.push(adj));
            }
            adjs.sort_by_key(|a| a.rel);
            adjs.dedup();
            for adj in adjs {
                if ok(o, adj.other) {
                    f(adj.other)
                }
            }
        }
    };
    if counted.group_node == s {
        for &a in candidates.iter() {
            env.guard.tick()?;
            if check_start && !ok(s, a) {
                continue;
            }
            let n = match single {
                Some(t) if far_free => g.degree_sym(a, dir, t) as u64,
                _ => {
                    let mut n = 0u64;
                    each_match(a, &mut |_| n += 1);
                    n
                }
            };
            if n > 0 && !emit(a, n)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    // Grouping on the far end: count per far node in a dense table.
    let mut counts = vec![0u32; g.node_bound()];
    let mut first_seen: Vec<NodeId> = Vec::new();
    for &a in candidates.iter() {
        env.guard.tick()?;
        if check_start && !ok(s, a) {
            continue;
        }
        match single {
            // The common case without a call per match.
            Some(t) => g.for_each_neighbour_sym(a, dir, t, |adj| {
                let b = adj.other;
                if ok(o, b) {
                    let c = &mut counts[b.index()];
                    if *c == 0 {
                        first_seen.push(b);
                    }
                    *c += 1;
                }
            }),
            None => each_match(a, &mut |b| {
                let c = &mut counts[b.index()];
                if *c == 0 {
                    first_seen.push(b);
                }
                *c += 1;
            }),
        }
    }
    for b in first_seen {
        if !emit(b, counts[b.index()] as u64)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A one-node pattern planned as [`CountedExpand`]: the nodes with its
/// labels that pass its WHERE conditions. With no grouping keys the count
/// is all that is needed: it is taken in one pass, split over the cores
/// when every condition compares a property with a constant.
fn scan_per_node(
    env: &Env<'_>,
    p: &PatternPlan,
    emit: &mut dyn FnMut(NodeId, u64) -> Result<bool, QueryError>,
    keyed: bool,
) -> Result<bool, QueryError> {
    let g = env.graph;
    let node = &p.nodes[0];
    let lab = env.guard.pattern_labels(g, p);
    if lab.syms[0].iter().any(Option::is_none) {
        return Ok(true);
    }
    let candidates = scan(g, &node.labels);
    // Scanned from its only label: a node needs checking only with more.
    // The graph cannot change during the scan, so the table made for it
    // covers every label set (and is shared by the scanning threads).
    let table = lab.tables[0].as_deref();
    let several = node.labels.len() > 1;
    let labels_ok = |n: NodeId| !several || table.is_some_and(|t| t.get(g.label_set_of(n).index()) == Some(&true));
    let conditions: &[PExpr] = p.filters.first().map(Vec::as_slice).unwrap_or(&[]);
    // The conditions compiled for checks on a node's handle (see
    // `nodefilter.rs`), when all of them are about this node.
    let compiled: Option<Vec<&NodeFilter>> = match lab.filters.first() {
        Some(step) => step
            .iter()
            .map(|f| f.as_ref().filter(|f| f.slot == node.slot))
            .collect(),
        None => Some(Vec::new()),
    };
    if !keyed && let Some(tests) = &compiled {
        // Conditions on one key over a run of node ids that all have the
        // label: the values are read by stride, without reading each node.
        let one_key = tests
            .iter()
            .map(|t| t.single_key().map(|k| &**k.key()))
            .collect::<Option<Vec<&str>>>()
            .filter(|k| !k.is_empty() && k.iter().all(|x| *x == k[0]));
        if let (Some(keys), Some(run)) = (one_key, crate::store::id_run(&candidates))
            && !several
        {
            let key = g.prop_key(keys[0]);
            let total = count_blocks(env, run.len(), |r| {
                let mut n = 0;
                key.for_each_in(run.start + r.start..run.start + r.end, |v| {
                    n += tests.iter().all(|t| t.holds_value(g, v) == Some(true)) as u64
                });
                n
            })?;
            return match total {
                0 => Ok(true),
                _ => emit(candidates[0], total),
            };
        }
        let passes = |n: NodeId| labels_ok(n) && tests.iter().all(|t| t.holds(g, n) == Some(true));
        let total = count_parallel(env, &candidates, passes)?;
        return match candidates.first() {
            Some(first) if total > 0 => emit(*first, total),
            _ => Ok(true),
        };
    }
    let mut row = vec![Value::Null; node.slot + 1];
    let mut total = 0u64;
    for &n in candidates.iter() {
        env.guard.tick()?;
        if !labels_ok(n) {
            continue;
        }
        row[node.slot] = Value::Node(n);
        let mut pass = true;
        for (ci, c) in conditions.iter().enumerate() {
            let known = lab.filters[0][ci].as_ref().and_then(|f| f.check(g, &row));
            let holds = match known {
                Some(t) => t,
                None => truth(eval(c, env, &row)?, c.span)?,
            };
            if holds != Some(true) {
                pass = false;
                break;
            }
        }
        if !pass {
            continue;
        }
        if keyed {
            if !emit(n, 1)? {
                return Ok(false);
            }
        } else {
            total += 1;
            if total == 1 {
                row.push(Value::Node(n)); // remember one node to stand for the group
            }
        }
    }
    if !keyed
        && total > 0
        && let Some(Value::Node(n)) = row.last()
    {
        return emit(*n, total);
    }
    Ok(true)
}

/// How many of `items` pass `f`, split over the cores for large inputs
/// (see [`count_blocks`]).
fn count_parallel(env: &Env<'_>, items: &[NodeId], f: impl Fn(NodeId) -> bool + Sync) -> Result<u64, QueryError> {
    count_blocks(env, items.len(), |r| items[r].iter().filter(|x| f(**x)).count() as u64)
}

/// The sum of `count` over blocks of `0..len`, split over the cores for
/// large inputs; the calling thread checks the guard (timeout, Ctrl-C)
/// between its blocks and stops the others when it fails.
fn count_blocks(
    env: &Env<'_>,
    len: usize,
    count: impl Fn(std::ops::Range<usize>) -> u64 + Sync,
) -> Result<u64, QueryError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    const BLOCK: usize = 1 << 14;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let threads = if len < 1 << 16 { 1 } else { cores };
    let per = len.div_ceil(threads).max(1);
    let stop = AtomicBool::new(false);
    let part = |part: std::ops::Range<usize>, guard: Option<&super::Guard>| -> Result<u64, QueryError> {
        let mut n = 0;
        let mut at = part.start;
        while at < part.end {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            if let Some(g) = guard
                && let Err(e) = g.check()
            {
                stop.store(true, Ordering::Relaxed);
                return Err(e);
            }
            let to = (at + BLOCK).min(part.end);
            n += count(at..to);
            at = to;
        }
        Ok(n)
    };
    std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads)
            .map(|t| scope.spawn(move || part(t * per..((t + 1) * per).min(len), None)))
            .collect();
        let own = part(0..per.min(len), Some(env.guard));
        let mut total = own?;
        for h in others {
            total += h.join().unwrap_or(Ok(0))?;
        }
        Ok(total)
    })
}

/// The last hop of a pattern taken as a loop that marks each node it
/// reaches in a set (`MatchOp::distinct_end`): the node's labels and the
/// conditions on it are checked without binding a row.
struct Reach<'g> {
    /// The hop's relationship types (none: any type).
    types: Vec<Sym>,
    /// Pattern and node step to check labels against, unless the type's
    /// statistics imply them.
    labels: Option<(Rc<PatternLabels>, &'g PatternPlan, usize)>,
    tests: Vec<NodeTest<'g>>,
    seen: NodeSet,
    /// A type the graph lacks: the hop reaches nothing.
    none: bool,
}

impl<'g> Reach<'g> {
    fn new(g: &'g crate::store::Graph, guard: &super::Guard, p: &'g PatternPlan, seen: NodeSet) -> Option<Reach<'g>> {
        let lab = guard.pattern_labels(g, p);
        let (ri, ni) = p.last_hop()?;
        let rel = &p.rels[ri];
        let end = &p.nodes[ni];
        let mut types: Vec<Sym> = rel.types.iter().filter_map(|t| g.sym(t)).collect();
        types.sort();
        types.dedup();
        let none = !rel.types.is_empty() && types.is_empty();
        let conditions = p.filters.get(p.rels.len()).map(Vec::as_slice).unwrap_or(&[]);
        let tests = conditions
            .iter()
            .map(|c| NodeTest::new(g, c, end.slot))
            .collect::<Option<Vec<_>>>()?;
        // The direction of the hop as taken: towards node `ni`.
        let dir = if ni > ri {
            rel.direction
        } else {
            flip_dir(rel.direction)
        };
        let implied = matches!(types.as_slice(), [t] if labels_implied(g, &lab.syms, ni, *t, dir, false));
        let labels = (!end.labels.is_empty() && !implied).then_some((lab, p, ni));
        Some(Reach {
            types,
            labels,
            tests,
            seen,
            none,
        })
    }

    /// Marks every node one hop from `cur` in `dir` that passes, over
    /// relationships not in `used`.
    fn hop(&mut self, env: &Env<'_>, used: &[RelId], cur: NodeId, dir: Direction) {
        if self.none {
            return;
        }
        let g = env.graph;
        self.seen.reserve_nodes(g.node_bound());
        let (labels, tests, seen) = (&self.labels, &self.tests, &mut self.seen);
        let mut visit = |adj: Adj| {
            let n = adj.other;
            if used.contains(&adj.rel)
                || labels
                    .as_ref()
                    .is_some_and(|(lab, p, ni)| !lab.has_labels(g, p, *ni, n))
                || !tests.iter().all(|t| t.holds(n))
            {
                return;
            }
            seen.insert(n);
        };
        match self.types.as_slice() {
            [] => g.for_each_neighbour_sym(cur, dir, None, &mut visit),
            types => {
                for t in types {
                    g.for_each_neighbour_sym(cur, dir, Some(*t), &mut visit);
                }
            }
        }
    }
}

/// A condition on one node, checked by its handle.
enum NodeTest<'g> {
    Prop(PropTest, crate::store::PropKey<'g>),
    /// `n.id = 'k'` (or `<>`) where every node has an id: whether `n` is
    /// (or is not) the node the id index gives for `'k'`.
    Is {
        node: Option<NodeId>,
        equal: bool,
    },
}

impl<'g> NodeTest<'g> {
    fn new(g: &'g crate::store::Graph, c: &PExpr, slot: usize) -> Option<NodeTest<'g>> {
        use crate::syntax::ast::BinaryOp::{Eq, Ne};
        let t = PropTest::new(c, slot)?;
        if let (Eq | Ne, Value::String(k)) = (t.op, &t.constant)
            && &*t.key == "id"
            && g.every_node_has_key()
        {
            return Some(NodeTest::Is {
                node: g.node_by_key(k),
                equal: t.op == Eq,
            });
        }
        let key = g.prop_key(&t.key);
        Some(NodeTest::Prop(t, key))
    }

    #[inline]
    fn holds(&self, n: NodeId) -> bool {
        match self {
            NodeTest::Prop(t, key) => t.holds(key.get(n)),
            NodeTest::Is { node, equal } => (*node == Some(n)) == *equal,
        }
    }
}

/// Whether every relationship of type `t` has pattern node `ni`'s labels
/// at the end `ni` is on, by the store's statistics, for a hop in `dir`
/// from node `ni` (`from`) or towards it.
fn labels_implied(
    g: &crate::store::Graph,
    syms: &[Vec<Option<Sym>>],
    ni: usize,
    t: Sym,
    dir: Direction,
    from: bool,
) -> bool {
    let Some(at_start) = end_is_start(dir, from) else {
        return false;
    };
    syms[ni]
        .iter()
        .all(|l| l.is_some_and(|l| g.type_ends_have_label(t, at_start, l)))
}

/// `n.key OP 'constant'` for a string operator or (in)equality, checked
/// without the expression evaluator.
struct PropTest {
    key: Arc<str>,
    op: crate::syntax::ast::BinaryOp,
    constant: Value,
    /// For `CONTAINS` a string: the needle.
    needle: Option<Text>,
}

impl PropTest {
    fn new(c: &PExpr, slot: usize) -> Option<PropTest> {
        let (op, key, constant) = c.prop_against_constant(slot)?;
        let needle = match (op, constant) {
            (crate::syntax::ast::BinaryOp::Contains, Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        Some(PropTest {
            key: key.clone(),
            op,
            constant: constant.clone(),
            needle,
        })
    }

    /// True when the condition holds for a node whose property is `value`
    /// (false for false and for null).
    fn holds(&self, value: Option<&Value>) -> bool {
        match (value, &self.needle) {
            (Some(Value::String(s)), Some(needle)) => crate::value::text_contains(s, needle.as_bytes()),
            (Some(v), _) => matches!(super::expr::compare(self.op, v, &self.constant), Value::Bool(true)),
            // A missing property is null: the condition is not true.
            (None, _) => false,
        }
    }
}

/// The nodes a scan for `labels` visits: those of the label with the
/// fewest nodes (the others are checked on each), or every node.
fn scan<'g>(g: &'g crate::store::Graph, labels: &[String]) -> std::borrow::Cow<'g, [NodeId]> {
    match labels.iter().map(|l| g.nodes_with_label(l)).min_by_key(|n| n.len()) {
        Some(smallest) => std::borrow::Cow::Borrowed(smallest),
        None => std::borrow::Cow::Owned(g.nodes().collect()),
    }
}

/// Whether a pattern node is its relationship's start: the node the
/// expansion starts from (`from_start`) or the other, expanding in `d`.
/// `None` in both directions.
fn end_is_start(d: Direction, from_start: bool) -> Option<bool> {
    match d {
        Direction::Outgoing => Some(from_start),
        Direction::Incoming => Some(!from_start),
        Direction::Both => None,
    }
}

fn flip_dir(d: Direction) -> Direction {
    match d {
        Direction::Outgoing => Direction::Incoming,
        Direction::Incoming => Direction::Outgoing,
        Direction::Both => Direction::Both,
    }
}

/// Every entry of `wanted` equals the element's property (null never matches).
fn props_match<'v>(
    wanted: Value,
    get: impl Fn(&str) -> Option<&'v Value>,
    span: crate::diag::Span,
) -> Result<bool, QueryError> {
    match wanted {
        Value::Null => Ok(true),
        Value::Map(m) => Ok(m.iter().all(|(k, v)| get(k).and_then(|p| p.cypher_eq(v)) == Some(true))),
        other => Err(QueryError::runtime(
            Code::InvalidArgumentType,
            format!("a pattern's properties must be a map, not {}", other.type_name()),
            Some(span),
        )),
    }
}
