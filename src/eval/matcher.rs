//! Pattern matching: finds every way a MATCH clause's patterns bind to the
//! graph, starting each pattern at its most selective node and expanding
//! through typed adjacency. Relationships are unique within one clause.

use std::rc::Rc;
use std::sync::Arc;

use super::expr::{Env, eval, truth};
use super::labels::PatternLabels;
use super::ops::distinct_ends::Reach;
use super::ops::fixed_filter::FixedMemo;
use super::ops::hash_join::Joined;
use super::ops::{id_lookup, index_seek, label_scan, project, top_k_scan};
use crate::error::{Code, QueryError};
use crate::plan::ops::{IndexSeek, NodeStep, PatternPlan, RelStep, SeekIndex, SeekLookup};
use crate::store::{Direction, NodeId, NodeSet, RelId, Sym};
use crate::value::{Path, Value};

/// A bound node with its neighbours along a closing hop (node,
/// relationship), sorted (see [`Matcher::count_closing`]).
pub(in crate::eval) type ClosingList = (NodeId, Vec<(NodeId, RelId)>);

/// Called with each complete binding; returns false to stop matching.
pub type Emit<'e> = dyn FnMut(&[Value]) -> Result<bool, QueryError> + 'e;

/// Matching state for one input row.
pub struct Matcher<'a, 'g> {
    pub(in crate::eval) env: &'a Env<'g>,
    pub(in crate::eval) patterns: &'a [PatternPlan],
    pub(in crate::eval) row: Vec<Value>,
    pub(in crate::eval) assigned: Vec<bool>,
    pub(in crate::eval) used: Vec<RelId>,
    /// Relationships of each rel step of the current pattern, in pattern order.
    pub(in crate::eval) traversed: Vec<Vec<RelId>>,
    /// When collecting the nodes the last hop reaches (see [`Reach`]).
    pub(in crate::eval) reach: Option<Reach<'a>>,
    /// Each pattern's labels, resolved for this execution.
    pub(in crate::eval) labels: Vec<Rc<PatternLabels>>,
    /// When counting the last hop's matches instead of binding them: the
    /// count for the row being emitted.
    pub(in crate::eval) count_last: Option<&'a std::cell::Cell<u64>>,
    /// With `count_last`, the last two hops are counted together (they
    /// close a cycle; see [`Matcher::count_closing`]).
    pub(in crate::eval) close_two: bool,
    /// The bound node the closing hop returns to, with its neighbours
    /// along that hop (node, relationship), sorted.
    pub(in crate::eval) closing: std::cell::RefCell<Option<ClosingList>>,
    /// How many slots of the row were bound on input.
    pub(in crate::eval) input_len: usize,
    /// Per pattern joined by a hash table: its table (this matcher's own,
    /// or shared by a parallel section's morsels), once built or found,
    /// with this matcher's memo of the last probe key.
    pub(in crate::eval) tables: Vec<Option<Joined>>,
    /// True in the matcher that builds a joined part's table (which
    /// matches that part itself).
    pub(in crate::eval) building: bool,
    /// The first part's start nodes when a parallel operator gave this
    /// matcher one morsel of them (see `ops/parallel.rs`): they stand for
    /// the label scan the part would otherwise make.
    pub(in crate::eval) starts: Option<&'a [NodeId]>,
    /// Under PROFILE: told the number of each pattern part but the last
    /// when it has made a row (the rows the next part starts from).
    pub(in crate::eval) part_done: Option<&'a dyn Fn(usize)>,
    /// Emptied lists of a hop's relationships, for the next hop to fill
    /// (a hop is made for every row, and most make few).
    pub(in crate::eval) spare_adjs: std::cell::RefCell<Vec<Vec<crate::store::Adj>>>,
    /// Conditions compiled per outer row (see `ops/fixed_filter.rs`).
    pub(in crate::eval) fixed: std::cell::RefCell<Vec<FixedMemo>>,
}

impl<'a, 'g> Matcher<'a, 'g> {
    /// `row` holds the input; slots from `row.len()` to `width` are filled by matching.
    /// The matcher's vectors come from the execution's spare ones (see
    /// [`Buffers`]) and go back to them when it is dropped: a pattern
    /// matched once per input row (OPTIONAL MATCH, a pattern predicate, a
    /// MATCH after WITH) allocates nothing for it after the first row.
    pub fn new(env: &'a Env<'g>, patterns: &'a [PatternPlan], input: &[Value], width: usize) -> Matcher<'a, 'g> {
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
        let Buffers {
            mut row,
            mut assigned,
            used,
            mut labels,
        } = env.guard.spare_buffers().unwrap_or_default();
        row.extend_from_slice(input);
        row.resize(width, Value::Null);
        assigned.resize(input.len(), true);
        assigned.resize(width, false);
        labels.extend(
            patterns
                .iter()
                .enumerate()
                .map(|(i, p)| env.guard.part_labels(env.graph, p, &patterns[..i])),
        );
        Matcher {
            env,
            patterns,
            row,
            assigned,
            used,
            traversed: Vec::new(),
            reach: None,
            labels,
            count_last: None,
            close_two: false,
            closing: Default::default(),
            input_len: input.len(),
            tables: Vec::new(),
            building: false,
            starts: None,
            part_done: None,
            spare_adjs: Default::default(),
            fixed: Default::default(),
        }
    }

    /// Under PROFILE: `done(i)` is called each time pattern part `i` (all
    /// but the last) has made a row.
    pub fn count_parts(&mut self, done: &'a dyn Fn(usize)) {
        self.part_done = Some(done);
    }

    /// Starts the first part from `starts` (one morsel of the nodes its
    /// label scan visits, in scan order) instead of the whole scan.
    pub fn start_from(&mut self, starts: &'a [NodeId]) {
        self.starts = Some(starts);
    }

    /// A matcher that collects the nodes the last pattern's last hop
    /// reaches instead of making rows (`Op::DistinctEnds`), into
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
    /// (`Op::CountExpand`): each row emitted stands for `weight` matches,
    /// its last relationship and end left unbound.
    pub fn count_last_hop(&mut self, weight: &'a std::cell::Cell<u64>) {
        self.count_last = Some(weight);
    }

    /// The set a collecting matcher filled.
    pub fn into_reached(mut self) -> NodeSet {
        self.reach.take().map(|r| r.seen).unwrap_or_default()
    }

    /// Runs the match, calling `emit` for each result row. Returns false if
    /// `emit` asked to stop.
    pub fn run(&mut self, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        self.part(0, emit)
    }

    pub(in crate::eval) fn part(&mut self, pi: usize, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        let Some(p) = self.patterns.get(pi) else {
            return emit(&self.row);
        };
        if pi > 0
            && !self.building
            && let Some(done) = self.part_done
        {
            done(pi - 1);
        }
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

    pub(in crate::eval) fn part_from(&mut self, pi: usize, si: usize, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        let p = &self.patterns[pi];
        let start = &p.nodes[si];
        // Nodes from the scan of a pattern node's only label (or from its
        // index) have it: the check can be skipped when nothing else
        // constrains the node.
        let labelled = p.seek.as_ref().is_none_or(|s| s.index != SeekIndex::IdMap);
        let scanned = !self.assigned[start.slot] && start.labels.len() == 1 && start.props.is_none() && labelled;
        let morsel = self
            .starts
            .filter(|_| pi == 0 && si == p.start && !self.assigned[start.slot]);
        let candidates = match morsel {
            Some(nodes) => Candidates::Scan(nodes.iter()),
            None => self.start_candidates(start, p.seek.as_ref())?,
        };
        if scanned && let Candidates::Scan(nodes) = &candidates {
            if let Some(top) = &p.top {
                let lab = self.labels[pi].clone();
                if let Some(kept) = top_k_scan::survivors(self.env, top, nodes.as_slice(), &lab, start.slot)? {
                    return self.kept_scan(pi, start.slot, &kept, emit);
                }
            }
            if let Some(checks) = self.scan_checks(pi, start.slot) {
                return self.filtered_scan(pi, start.slot, nodes.as_slice(), &checks, emit);
            }
        }
        if scanned
            && let Candidates::Scan(nodes) = &candidates
            && let Some((dir, sym)) = self.first_hop(pi)
        {
            // The far ends of the first hop's lists are asked for a few
            // nodes ahead (see `Graph::prefetch_far_ends`).
            const AHEAD: usize = 8;
            let (g, nodes) = (self.env.graph, nodes.as_slice());
            for (k, &n) in nodes.iter().enumerate() {
                if let Some(&a) = nodes.get(k + AHEAD) {
                    g.prefetch_far_ends(a, dir, sym);
                }
                if !self.scanned_start(pi, start.slot, n, emit)? {
                    return Ok(false);
                }
            }
            return Ok(true);
        }
        for n in candidates {
            if scanned {
                if !self.scanned_start(pi, start.slot, n, emit)? {
                    return Ok(false);
                }
                continue;
            }
            self.env.guard.tick()?;
            let known = self.labels_known(pi, si);
            let Some(undo) = self.bind_node_labelled(pi, si, n, known)? else {
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

    /// Pattern `pi` from scanned node `n` bound at `slot`.
    #[inline]
    fn scanned_start(&mut self, pi: usize, slot: usize, n: NodeId, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        self.env.guard.tick()?;
        self.row[slot] = Value::Node(n);
        self.assigned[slot] = true;
        let go_on = self.step(pi, 0, emit);
        self.unbind(slot, false);
        go_on
    }

    /// The direction and type (`None`: any, or several) of pattern `pi`'s
    /// first hop from its start, when it reads incoming lists.
    fn first_hop(&self, pi: usize) -> Option<(Direction, Option<Sym>)> {
        let (rel, dir) = self.patterns[pi].first_hop()?;
        let sym = match rel.types.as_slice() {
            [t] => Some(self.env.graph.sym(t)?),
            _ => None,
        };
        (dir != Direction::Outgoing).then_some((dir, sym))
    }

    /// Where a part starts: its bound node, an index seek (an ordered one
    /// read as the part goes), a lookup by id, or a label scan (read in
    /// place).
    pub(in crate::eval) fn start_candidates(
        &self,
        n: &NodeStep,
        seek: Option<&IndexSeek>,
    ) -> Result<Candidates<'g>, QueryError> {
        if self.assigned[n.slot] {
            return Ok(Candidates::Owned(
                match &self.row[n.slot] {
                    Value::Node(id) => vec![*id],
                    _ => vec![],
                }
                .into_iter(),
            ));
        }
        if let Some(s) = seek
            && let SeekLookup::Ordered { descending, skip } = &s.lookup
        {
            // SKIP is checked as the projection would have checked it.
            let skip = project::count_arg(skip.as_ref(), self.env, "SKIP")?.unwrap_or(0);
            if let Some(scan) = index_seek::OrderedScan::new(self.env.graph, s, *descending, skip) {
                return Ok(Candidates::Ordered(Box::new(scan)));
            }
        }
        if let Some(found) = seek.and_then(|s| index_seek::seek_nodes(self.env, s, &self.row)) {
            return Ok(Candidates::Owned(found.into_iter()));
        }
        if let Some(found) = id_lookup::lookup(self.env, n, &self.row)? {
            return Ok(Candidates::Owned(found.into_iter()));
        }
        Ok(match label_scan::scan(self.env.graph, &n.labels) {
            std::borrow::Cow::Borrowed(nodes) => Candidates::Scan(nodes.iter()),
            std::borrow::Cow::Owned(nodes) => Candidates::Owned(nodes.into_iter()),
        })
    }

    /// Binds `id` to node `ni` of pattern `pi` if it satisfies it.
    /// `Some(was_assigned)` on success, to undo later.
    pub(in crate::eval) fn bind_node(&mut self, pi: usize, ni: usize, id: NodeId) -> Result<Option<bool>, QueryError> {
        self.bind_node_labelled(pi, ni, id, false)
    }

    /// [`Matcher::bind_node`], the labels' check left out when the caller
    /// knows `id` has them (`labelled`: a hop whose type implies them).
    pub(in crate::eval) fn bind_node_labelled(
        &mut self,
        pi: usize,
        ni: usize,
        id: NodeId,
        labelled: bool,
    ) -> Result<Option<bool>, QueryError> {
        let n = &self.patterns[pi].nodes[ni];
        if self.assigned[n.slot] && !matches!(&self.row[n.slot], Value::Node(b) if *b == id) {
            return Ok(None);
        }
        // A node bound earlier must still satisfy this position's labels
        // and properties.
        let node = self.env.graph.node(id);
        if !labelled && !self.labels[pi].has_labels(self.env.graph, &self.patterns[pi], ni, id) {
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

    /// Whether node step `ni` of pattern `pi` is bound already, by an
    /// earlier part that gives it the step's labels for sure (see
    /// `PatternLabels::known`); never in a matcher building a joined
    /// part's table, which matches that part alone.
    pub(in crate::eval) fn labels_known(&self, pi: usize, ni: usize) -> bool {
        !self.building && self.assigned[self.patterns[pi].nodes[ni].slot] && self.labels[pi].known(ni)
    }

    pub(in crate::eval) fn unbind(&mut self, slot: usize, was_assigned: bool) {
        if !was_assigned {
            self.assigned[slot] = false;
            self.row[slot] = Value::Null;
        }
    }

    /// The `si`-th expansion step of pattern `pi`: first rightwards from the
    /// start node, then leftwards.
    pub(in crate::eval) fn step(&mut self, pi: usize, si: usize, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        let p = &self.patterns[pi];
        // WHERE conditions whose variables are bound by now: on a node's
        // handle when compiled (see `nodefilter.rs`; two nodes' properties
        // compared, `pairfilter.rs`; compiled for this outer row,
        // `ops/fixed_filter.rs`), else evaluated.
        if let Some(conditions) = p.filters.get(si) {
            let compiled = self.labels[pi].filters.get(si);
            let pairs = self.labels[pi].pairs.get(si);
            for (ci, c) in conditions.iter().enumerate() {
                let known = compiled
                    .and_then(|f| f.get(ci)?.as_ref())
                    .and_then(|f| f.check(self.env.graph, &self.row))
                    .or_else(|| pairs?.get(ci)?.as_ref()?.check(self.env.graph, &self.row))
                    .or_else(|| self.fixed_check(pi, si, ci));
                let holds = match known {
                    Some(t) => t,
                    None => truth(eval(c, self.env, &self.row)?, c.span)?,
                };
                if holds != Some(true) {
                    return Ok(true);
                }
            }
        }
        self.advance(pi, si, emit)
    }

    /// The `si`-th expansion step of pattern `pi` once the conditions
    /// checked before it hold.
    pub(in crate::eval) fn advance(&mut self, pi: usize, si: usize, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
        let p = &self.patterns[pi];
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
            let stop = reach.hop(self.env, &self.used, &self.row, cur, dir);
            self.reach = Some(reach);
            return self.env.guard.check().map(|()| !stop);
        }
        if self.close_two
            && si + 2 == p.rels.len()
            && pi + 1 == self.patterns.len()
            && rel.var_len.is_none()
            && let Some(weight) = self.count_last
        {
            self.env.guard.tick()?;
            let n = self.count_closing(pi, cur, dir);
            if n == 0 {
                return Ok(true);
            }
            weight.set(n);
            return self.finish_part(pi, emit);
        }
        if si + 1 == p.rels.len()
            && pi + 1 == self.patterns.len()
            && let Some(weight) = self.count_last
        {
            let n = self.count_hop(pi, ri, cur, dir, to)?;
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

    pub(in crate::eval) fn finish_part(&mut self, pi: usize, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
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

    pub(in crate::eval) fn rel_ok(&self, step: &RelStep, rel: RelId) -> Result<bool, QueryError> {
        match &step.props {
            None => Ok(true),
            Some(props) => {
                let r = self.env.graph.rel(rel);
                props_match(eval(props, self.env, &self.row)?, |k| r.prop(k), props.span)
            }
        }
    }
}

/// The nodes a part starts from, in the order it visits them.
pub(in crate::eval) enum Candidates<'g> {
    Owned(std::vec::IntoIter<NodeId>),
    /// A label's nodes, read in place.
    Scan(std::slice::Iter<'g, NodeId>),
    Ordered(Box<index_seek::OrderedScan<'g>>),
}

impl Iterator for Candidates<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        match self {
            Candidates::Owned(it) => it.next(),
            Candidates::Scan(it) => it.next().copied(),
            Candidates::Ordered(it) => it.next(),
        }
    }
}

/// A matcher's vectors, kept empty between matchers by the execution
/// context (`Guard::spare_buffers`).
#[derive(Default)]
pub struct Buffers {
    row: Vec<Value>,
    assigned: Vec<bool>,
    used: Vec<RelId>,
    labels: Vec<Rc<PatternLabels>>,
}

impl Drop for Matcher<'_, '_> {
    fn drop(&mut self) {
        let mut b = Buffers {
            row: std::mem::take(&mut self.row),
            assigned: std::mem::take(&mut self.assigned),
            used: std::mem::take(&mut self.used),
            labels: std::mem::take(&mut self.labels),
        };
        b.row.clear();
        b.assigned.clear();
        b.used.clear();
        b.labels.clear();
        self.env.guard.keep_buffers(b);
    }
}

/// Whether every relationship of type `t` has pattern node `ni`'s labels
/// at the end `ni` is on, by the store's statistics, for a hop in `dir`
/// from node `ni` (`from`) or towards it.
pub(in crate::eval) fn labels_implied(
    g: &crate::store::Graph,
    syms: &[Vec<Option<Sym>>],
    ni: usize,
    t: Sym,
    dir: Direction,
    from: bool,
) -> bool {
    // Either way, the node may be either end: both must have the labels.
    let ends: &[bool] = match end_is_start(dir, from) {
        Some(true) => &[true],
        Some(false) => &[false],
        None => &[true, false],
    };
    ends.iter().all(|&at_start| {
        syms[ni]
            .iter()
            .all(|l| l.is_some_and(|l| g.type_ends_have_label(t, at_start, l)))
    })
}

/// Whether a pattern node is its relationship's start: the node the
/// expansion starts from (`from_start`) or the other, expanding in `d`.
/// `None` in both directions.
pub(in crate::eval) fn end_is_start(d: Direction, from_start: bool) -> Option<bool> {
    match d {
        Direction::Outgoing => Some(from_start),
        Direction::Incoming => Some(!from_start),
        Direction::Both => None,
    }
}

pub(in crate::eval) fn flip_dir(d: Direction) -> Direction {
    match d {
        Direction::Outgoing => Direction::Incoming,
        Direction::Incoming => Direction::Outgoing,
        Direction::Both => Direction::Both,
    }
}

/// Every entry of `wanted` equals the element's property (null never matches).
pub(in crate::eval) fn props_match<'v>(
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
