//! What a running query carries besides its rows: the graph, the means
//! to stop it (a cancel flag, a deadline, a row budget), and what it
//! computes once per execution from the graph for the plan (each
//! pattern's labels resolved: plans hold no graph state).

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::labels::PatternLabels;
use crate::error::{ErrorClass, QueryError};
use crate::plan::ops::PatternPlan;
use crate::store::Graph;

/// Limits and cancellation for one statement.
#[derive(Debug, Clone, Default)]
pub struct Limits {
    /// Set from another thread (Ctrl-C) to stop the query.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Stop the statement once it has run this long.
    pub timeout: Option<Duration>,
    /// Stop with an error once a result would exceed this many rows.
    pub max_rows: Option<usize>,
}

/// Checked in every loop that can run long; cheap between checks.
pub struct Guard {
    limits: Limits,
    deadline: Option<Instant>,
    ticks: Cell<u32>,
    /// Per pattern (by `PatternPlan::id`): its labels, once resolved.
    labels: RefCell<Vec<Option<Rc<PatternLabels>>>>,
}

impl Guard {
    pub fn new(limits: Limits) -> Guard {
        let deadline = limits.timeout.map(|t| Instant::now() + t);
        Guard {
            limits,
            deadline,
            ticks: Cell::new(0),
            labels: RefCell::new(Vec::new()),
        }
    }

    /// Pattern `p`'s labels resolved against `graph`, once per execution.
    pub fn pattern_labels(&self, graph: &Graph, p: &PatternPlan) -> Rc<PatternLabels> {
        let mut cache = self.labels.borrow_mut();
        if cache.len() <= p.id {
            cache.resize(p.id + 1, None);
        }
        cache[p.id]
            .get_or_insert_with(|| Rc::new(PatternLabels::new(graph, p)))
            .clone()
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Call once per unit of work; every 256 calls it looks at the clock
    /// and the cancel flag.
    #[inline]
    pub fn tick(&self) -> Result<(), QueryError> {
        let t = self.ticks.get().wrapping_add(1);
        self.ticks.set(t);
        if t.is_multiple_of(256) { self.check() } else { Ok(()) }
    }

    pub fn check(&self) -> Result<(), QueryError> {
        if let Some(c) = &self.limits.cancel
            && c.load(Ordering::Relaxed)
        {
            return Err(QueryError::runtime(
                ErrorClass::Cancelled,
                "Cancelled",
                "query cancelled",
                None,
            ));
        }
        if let Some(d) = self.deadline
            && Instant::now() >= d
        {
            return Err(QueryError::runtime(
                ErrorClass::Cancelled,
                "Timeout",
                "query stopped: it ran past the time limit (--timeout)",
                None,
            ));
        }
        Ok(())
    }

    pub fn check_rows(&self, n: usize) -> Result<(), QueryError> {
        match self.limits.max_rows {
            Some(max) if n > max => Err(QueryError::runtime(
                ErrorClass::Cancelled,
                "RowLimit",
                format!("query stopped: the result has more than {max} rows (--max-rows)"),
                None,
            )),
            _ => Ok(()),
        }
    }
}
