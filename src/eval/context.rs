//! What a running query carries besides its rows: the graph, the means
//! to stop it (a cancel flag, a deadline, a row, memory and path budget),
//! and what it computes once per execution from the graph for the plan
//! (each pattern's labels resolved: plans hold no graph state).

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::budget;
use super::labels::PatternLabels;
use super::matcher::Buffers;
use super::ops::anchored_exists::Anchored;
use super::ops::group_join::GroupState;
use super::ops::hash_join::SharedTables;
use super::ops::semi_join::SemiState;
use crate::diag::Span;
use crate::error::{Code, QueryError};
use crate::plan::ops::PatternPlan;
use crate::store::{Graph, NodeId};

/// Limits and cancellation for one statement.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Set from another thread (Ctrl-C) to stop the query.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Stop the statement once it has run this long.
    pub timeout: Option<Duration>,
    /// Stop with an error once a result would exceed this many rows.
    pub max_rows: Option<usize>,
    /// Stop once the statement holds this many more bytes than when it
    /// began, or would build a value that takes it past them.
    pub max_memory: Option<u64>,
    /// Stop once variable-length patterns have followed this many paths.
    pub max_paths: Option<u64>,
    /// The threads one statement may use (`--threads`); `None`: one per
    /// core, up to 8.
    pub threads: Option<usize>,
}

impl Default for Limits {
    /// No deadline and no row limit; memory and paths bounded by default
    /// ([`budget::default_max_memory`], [`budget::DEFAULT_MAX_PATHS`]).
    fn default() -> Limits {
        Limits {
            cancel: None,
            timeout: None,
            max_rows: None,
            max_memory: Some(budget::default_max_memory()),
            max_paths: Some(budget::DEFAULT_MAX_PATHS),
            threads: None,
        }
    }
}

/// What a worker thread makes its own [`Guard`] from (guards are not
/// shared between threads: they cache per-thread state).
pub struct GuardSeed {
    limits: Limits,
    deadline: Option<Instant>,
    base_memory: u64,
    shared_paths: Arc<AtomicU64>,
    started: std::time::SystemTime,
    join_tables: Option<Arc<SharedTables>>,
}

/// Checked in every loop that can run long; cheap between checks.
pub struct Guard {
    limits: Limits,
    deadline: Option<Instant>,
    ticks: Cell<u32>,
    /// Per pattern (by `PatternPlan::id`): its labels, once resolved.
    labels: RefCell<Vec<Option<Rc<PatternLabels>>>>,
    /// Matchers' vectors, emptied, for the next matcher to reuse.
    spare: RefCell<Vec<Buffers>>,
    /// Per pattern predicate (by `PatternPlan::id`): where its set of
    /// matching nodes stands (see `ops/anchored_exists.rs`).
    anchored: RefCell<Vec<Option<Anchored>>>,
    /// Per decorrelated subquery (by `SemiJoin::id`): where its set stands
    /// (see `ops/semi_join.rs`).
    semi_joins: RefCell<Vec<Option<SemiState>>>,
    /// Per group join (by `GroupJoinOp::once.id`): where its table of
    /// counts stands (see `ops/group_join.rs`).
    group_joins: RefCell<Vec<Option<GroupState>>>,
    /// The sets made so far, by id, with their sizes (PROFILE's rows).
    made: RefCell<Vec<(usize, u64)>>,
    /// Live bytes when the statement began.
    base_memory: u64,
    /// Paths followed by this guard and not yet added to `shared_paths`.
    paths: Cell<u64>,
    /// Paths followed by every guard of the statement (the workers of a
    /// parallel operator each have one), added in batches.
    shared_paths: Arc<AtomicU64>,
    /// Nodes deleted by this statement, with the span of the DELETE that
    /// deleted each: none may keep a relationship once it has run.
    deleted: RefCell<Vec<(NodeId, Span)>>,
    /// The wall clock when the statement began: the current time that
    /// `date()`, `datetime.statement()` and the like read, the same for
    /// every row.
    started: std::time::SystemTime,
    /// While a parallel section runs: the hash joins' tables its morsels
    /// share (see `ops/hash_join.rs`), the same for every guard seeded
    /// from this one. Only then: between sections the graph may change.
    join_tables: RefCell<Option<Arc<SharedTables>>>,
}

impl Guard {
    pub fn new(limits: Limits) -> Guard {
        Guard::from_seed(GuardSeed {
            deadline: limits.timeout.map(|t| Instant::now() + t),
            limits,
            base_memory: budget::live_bytes(),
            shared_paths: Arc::new(AtomicU64::new(0)),
            started: std::time::SystemTime::now(),
            join_tables: None,
        })
    }

    /// What a worker thread needs to make a guard of its own for the same
    /// statement: the same limits, deadline, clock and memory baseline,
    /// and the statement's path count.
    pub fn seed(&self) -> GuardSeed {
        self.flush_paths();
        GuardSeed {
            limits: self.limits.clone(),
            deadline: self.deadline,
            base_memory: self.base_memory,
            shared_paths: self.shared_paths.clone(),
            started: self.started,
            join_tables: self.join_tables.borrow().clone(),
        }
    }

    /// A worker's guard (see [`Guard::seed`]).
    pub fn from_seed(seed: GuardSeed) -> Guard {
        Guard {
            limits: seed.limits,
            deadline: seed.deadline,
            ticks: Cell::new(0),
            labels: RefCell::new(Vec::new()),
            spare: RefCell::new(Vec::new()),
            anchored: RefCell::new(Vec::new()),
            semi_joins: RefCell::new(Vec::new()),
            group_joins: RefCell::new(Vec::new()),
            made: RefCell::new(Vec::new()),
            base_memory: seed.base_memory,
            paths: Cell::new(0),
            shared_paths: seed.shared_paths,
            deleted: RefCell::new(Vec::new()),
            started: seed.started,
            join_tables: RefCell::new(seed.join_tables),
        }
    }

    /// Runs `f` with the tables of hash joins shared between this guard
    /// and the guards seeded from it meanwhile (the morsels of a parallel
    /// section, which read the graph only); as before afterwards.
    pub(in crate::eval) fn sharing_join_tables<T>(&self, f: impl FnOnce() -> T) -> T {
        let before = self.join_tables.borrow().clone();
        if before.is_none() {
            *self.join_tables.borrow_mut() = Some(Arc::default());
        }
        let out = f();
        *self.join_tables.borrow_mut() = before;
        out
    }

    /// The tables of hash joins shared while a parallel section runs.
    pub(in crate::eval) fn shared_join_tables(&self) -> Option<Arc<SharedTables>> {
        self.join_tables.borrow().clone()
    }

    /// The threads a parallel operator may use: `--threads`, else one per
    /// core (at most 8).
    pub fn threads(&self) -> usize {
        match self.limits.threads {
            Some(n) => n.max(1),
            None => std::thread::available_parallelism().map_or(1, |n| n.get()).min(8),
        }
    }

    /// Adds this guard's paths to the statement's count.
    pub fn flush_paths(&self) {
        let n = self.paths.replace(0);
        if n > 0 {
            self.shared_paths.fetch_add(n, Ordering::Relaxed);
        }
    }

    /// The statement's clock (see `started`).
    pub fn statement_time(&self) -> std::time::SystemTime {
        self.started
    }

    /// Notes a node deleted by DELETE, checked at the end of the statement.
    pub fn note_deleted(&self, n: NodeId, span: Span) {
        self.deleted.borrow_mut().push((n, span));
    }

    /// The nodes this statement deleted, taken (each once).
    pub fn take_deleted(&self) -> Vec<(NodeId, Span)> {
        std::mem::take(&mut *self.deleted.borrow_mut())
    }

    /// Empty vectors a finished matcher left, if any.
    pub fn spare_buffers(&self) -> Option<Buffers> {
        self.spare.borrow_mut().pop()
    }

    /// Keeps a finished matcher's (emptied) vectors for the next one; a
    /// few are enough for matchers nested in each other.
    pub fn keep_buffers(&self, b: Buffers) {
        let mut spare = self.spare.borrow_mut();
        if spare.len() < 16 {
            spare.push(b);
        }
    }

    /// Pattern `p`'s labels resolved against `graph`, once per execution.
    pub fn pattern_labels(&self, graph: &Graph, p: &PatternPlan) -> Rc<PatternLabels> {
        self.part_labels(graph, p, &[])
    }

    /// As [`Guard::pattern_labels`] for a part of a clause matched after
    /// the parts `earlier` (see `PatternLabels::known`). The first asking
    /// makes them: a part matched on its own knows nothing from earlier
    /// parts, which only ever leaves a check in.
    pub fn part_labels(&self, graph: &Graph, p: &PatternPlan, earlier: &[PatternPlan]) -> Rc<PatternLabels> {
        let mut cache = self.labels.borrow_mut();
        if cache.len() <= p.id {
            cache.resize(p.id + 1, None);
        }
        cache[p.id]
            .get_or_insert_with(|| Rc::new(PatternLabels::new(graph, p, earlier)))
            .clone()
    }

    /// Pattern predicate `id`'s state in this execution, `init` the first time.
    pub fn anchored(&self, id: usize, init: impl FnOnce() -> Anchored) -> Anchored {
        let mut states = self.anchored.borrow_mut();
        if states.len() <= id {
            states.resize_with(id + 1, || None);
        }
        states[id].get_or_insert_with(init).clone()
    }

    /// Semi-join `id`'s state in this execution (no row asked at first).
    pub fn semi_join(&self, id: usize) -> SemiState {
        let states = self.semi_joins.borrow();
        match states.get(id) {
            Some(Some(s)) => s.clone(),
            _ => SemiState::Asked(0),
        }
    }

    pub fn set_semi_join(&self, id: usize, state: SemiState) {
        let mut states = self.semi_joins.borrow_mut();
        if states.len() <= id {
            states.resize_with(id + 1, || None);
        }
        states[id] = Some(state);
    }

    /// Group join `id`'s state in this execution (no row counted at first).
    pub fn group_join(&self, id: usize) -> GroupState {
        let states = self.group_joins.borrow();
        match states.get(id) {
            Some(Some(s)) => s.clone(),
            _ => GroupState::Fresh,
        }
    }

    pub fn set_group_join(&self, id: usize, state: GroupState) {
        let mut states = self.group_joins.borrow_mut();
        if states.len() <= id {
            states.resize_with(id + 1, || None);
        }
        states[id] = Some(state);
    }

    /// Notes that the set of semi-join `id` was made with `n` nodes.
    pub fn note_made(&self, id: usize, n: u64) {
        self.made.borrow_mut().push((id, n));
    }

    /// The sets made so far: (semi-join id, nodes).
    pub fn made(&self) -> Vec<(usize, u64)> {
        self.made.borrow().clone()
    }

    pub fn set_anchored(&self, id: usize, state: Anchored) {
        let mut states = self.anchored.borrow_mut();
        if states.len() <= id {
            states.resize_with(id + 1, || None);
        }
        states[id] = Some(state);
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The units of work ([`Guard::tick`]) counted so far, modulo 2^32:
    /// the difference of two readings is the work done between them (a
    /// node scanned, a relationship followed), as the cost model counts it.
    pub fn work(&self) -> u32 {
        self.ticks.get()
    }

    /// Call once per unit of work: it looks at the memory every time and,
    /// every 256 calls, at the clock and the cancel flag.
    #[inline]
    pub fn tick(&self) -> Result<(), QueryError> {
        let t = self.ticks.get().wrapping_add(1);
        self.ticks.set(t);
        if t.is_multiple_of(256) {
            self.check()
        } else {
            self.check_memory(0, None)
        }
    }

    /// Fails when the statement holds more than `--max-memory` bytes, or
    /// would once it has built a value of `more` bytes (at `span`).
    #[inline]
    pub fn check_memory(&self, more: u64, span: Option<Span>) -> Result<(), QueryError> {
        // A big value takes long to build: look at the clock too.
        if more >= 1 << 20 {
            self.check_time()?;
        }
        let Some(max) = self.limits.max_memory else {
            return Ok(());
        };
        let used = budget::live_bytes().saturating_sub(self.base_memory);
        if used.saturating_add(more) <= max {
            return Ok(());
        }
        let limit = budget::show_size(max);
        let message = if more > 0 && more > max / 16 {
            format!(
                "query stopped: this would build a value of {}, past the statement's memory limit of {limit} (--max-memory)",
                budget::show_size(more)
            )
        } else {
            format!("query stopped: it needed more than {limit} of memory (--max-memory)")
        };
        Err(QueryError::runtime(Code::MemoryLimit, message, span).with_help(Some(
            "--max-memory SIZE (e.g. 8G) or :max-memory SIZE in the shell raises the limit; off lifts it".into(),
        )))
    }

    /// Call for each path a variable-length pattern follows.
    #[inline]
    pub fn count_path(&self) -> Result<(), QueryError> {
        let mine = self.paths.get() + 1;
        self.paths.set(mine);
        // The statement's count gets this guard's in batches: workers
        // share it without touching it on every path.
        let n = if mine >= 1024 {
            self.paths.set(0);
            self.shared_paths.fetch_add(mine, Ordering::Relaxed) + mine
        } else {
            self.shared_paths.load(Ordering::Relaxed) + mine
        };
        match self.limits.max_paths {
            Some(max) if n > max => Err(QueryError::runtime(
                Code::PathLimit,
                format!("query stopped: variable-length patterns followed more than {max} paths (--max-paths)"),
                None,
            )
            .with_help(Some(
                "bound the pattern (e.g. [*..4]), or raise the limit: --max-paths N (:max-paths N in the shell); off lifts it"
                    .into(),
            ))),
            _ => Ok(()),
        }
    }

    pub fn check(&self) -> Result<(), QueryError> {
        self.check_memory(0, None)?;
        self.check_time()
    }

    /// The cancel flag and the deadline.
    fn check_time(&self) -> Result<(), QueryError> {
        if let Some(c) = &self.limits.cancel
            && c.load(Ordering::Relaxed)
        {
            return Err(QueryError::runtime(Code::Cancelled, "query cancelled", None));
        }
        if let Some(d) = self.deadline
            && Instant::now() >= d
        {
            return Err(QueryError::runtime(
                Code::Timeout,
                "query stopped: it ran past the time limit (--timeout)",
                None,
            ));
        }
        Ok(())
    }

    pub fn check_rows(&self, n: usize) -> Result<(), QueryError> {
        match self.limits.max_rows {
            Some(max) if n > max => Err(QueryError::runtime(
                Code::RowLimit,
                format!("query stopped: the result has more than {max} rows (--max-rows)"),
                None,
            )),
            _ => Ok(()),
        }
    }
}
