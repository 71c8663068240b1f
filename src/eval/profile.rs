//! PROFILE: runs a statement and reports, for each operator EXPLAIN lists,
//! the rows it produced and the time spent in it.
//!
//! Rows are pushed from one operator into the next, so an operator's time
//! would include the time of every operator after it. The profile instead
//! keeps one clock that follows the operator at work: switching to another
//! operator charges the time since the last switch to the one that was
//! working. Each step's time is thus its own (exclusive), and the steps add
//! up to the statement's time. Runs without PROFILE pass no profile: each
//! probe is then one branch.

use std::cell::Cell;
use std::time::{Duration, Instant};

use super::context::Guard;
use super::describe::{Role, Step, estimated, single, steps};
use super::ops::project::Stage;
use super::{Limits, Rows};
use crate::error::QueryError;
use crate::plan::ops::Plan;
use crate::store::Graph;
use crate::value::Value;

/// Rows and time per step of one running statement.
pub struct Profile {
    steps: Vec<Step>,
    /// Steps whose work is counted on another step: every pattern but the
    /// last of a MATCH with several (they are matched together).
    shared: Vec<bool>,
    /// For each single query, for each of its operators, the step that
    /// counts the rows the operator sends on.
    outputs: Vec<Vec<usize>>,
    rows: Vec<Cell<u64>>,
    /// Whether each step was given a count (a shared step may be: see
    /// `Probe::pattern_step`).
    counted: Vec<Cell<bool>>,
    /// One entry per step, then one for time outside any step.
    time: Vec<Cell<Duration>>,
    current: Cell<usize>,
    last: Cell<Instant>,
    /// The single query (of a UNION) running now.
    part: Cell<usize>,
    started: Instant,
}

impl Profile {
    pub fn new(plan: &Plan, graph: &Graph) -> Profile {
        let steps = match plan {
            Plan::Explain(_) => single("Explain", "lists the operators, runs nothing"),
            Plan::Profile(_) => single("Profile", ""),
            other => steps(other, graph),
        };
        let shared = steps
            .iter()
            .map(|s| match s.role {
                Role::Expand(i) => steps
                    .iter()
                    .any(|t| t.part == s.part && t.op == s.op && t.role == Role::Expand(i + 1)),
                _ => false,
            })
            .collect();
        let n = steps.len();
        let mut outputs: Vec<Vec<usize>> = Vec::new();
        for (i, s) in steps.iter().enumerate() {
            let Some(op) = s.op else { continue };
            // A semi-join's set is counted apart from its operator's rows.
            if matches!(s.role, Role::SemiJoin(_)) {
                continue;
            }
            if outputs.len() <= s.part {
                outputs.resize(s.part + 1, Vec::new());
            }
            let ops = &mut outputs[s.part];
            if ops.len() <= op {
                ops.resize(op + 1, n);
            }
            // An operator's rows leave through its last step but a
            // projection's stages, which it counts itself: its first.
            if ops[op] == n || !matches!(s.role, Role::Stage(_)) {
                ops[op] = i;
            }
        }
        let now = Instant::now();
        Profile {
            steps,
            shared,
            outputs,
            rows: (0..n).map(|_| Cell::new(0)).collect(),
            counted: (0..n).map(|_| Cell::new(false)).collect(),
            time: (0..=n).map(|_| Cell::new(Duration::ZERO)).collect(),
            current: Cell::new(n),
            last: Cell::new(now),
            part: Cell::new(0),
            started: now,
        }
    }

    /// The profile table for the rows the statement returned (which are
    /// kept in `profiled`). Stats and the subgraph are carried over.
    pub fn table(self, result: Rows) -> Rows {
        let total = self.started.elapsed();
        let ms = |d: Duration| Value::from(format!("{:.3}", d.as_secs_f64() * 1000.0));
        let mut rows: Vec<Vec<Value>> = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (n, t) = if self.shared[i] {
                    // Rows counted as the pattern parts were matched; the
                    // time of the MATCH is on its last part's step.
                    match self.counted[i].get() {
                        true => (Value::Int(self.rows[i].get() as i64), Value::Null),
                        false => (Value::Null, Value::Null),
                    }
                } else {
                    (Value::Int(self.rows[i].get() as i64), ms(self.time[i].get()))
                };
                vec![
                    Value::Int(i as i64 + 1),
                    Value::str(s.name),
                    Value::from(s.detail.as_str()),
                    estimated(s.estimate),
                    n,
                    t,
                ]
            })
            .collect();
        let returned = result.rows.len();
        rows.push(vec![
            // Not a step of the plan but all of them: a word, not null.
            Value::str("all"),
            Value::str("Total"),
            Value::str("rows returned, whole statement"),
            Value::Null,
            Value::Int(returned as i64),
            ms(total),
        ]);
        Rows {
            columns: ["step", "operator", "detail", "estimated", "rows", "ms"]
                .map(String::from)
                .to_vec(),
            rows,
            title: Some(format!(
                "{returned} row{} returned in {:.3} ms",
                if returned == 1 { "" } else { "s" },
                total.as_secs_f64() * 1000.0
            )),
            stats: result.stats,
            subgraph: result.subgraph.clone(),
            profiled: Some(Box::new(result)),
            ..Rows::default()
        }
    }
}

/// Runs `plan` (the statement under PROFILE) and returns its profile table.
pub fn run(plan: &Plan, graph: &mut Graph, limits: &Limits) -> Result<Rows, QueryError> {
    let profile = Profile::new(plan, graph);
    let probe = Probe(Some(&profile));
    let result = match plan {
        Plan::Query(q) => {
            let guard = Guard::new(limits.clone());
            let rows = super::run_query(q, graph, &guard, probe)?;
            for (id, n) in guard.made() {
                let step = profile.find(|s| s.role == Role::SemiJoin(id));
                probe.count(step, n);
            }
            rows
        }
        other => {
            let rows = probe.timed(0, || super::run(other, graph, limits))?;
            probe.count(0, rows.len() as u64);
            rows
        }
    };
    probe.switch(profile.steps.len());
    Ok(profile.table(result))
}

/// Where the evaluator reports to the profile, if there is one; every
/// method does nothing without one. Steps are indices into the EXPLAIN list.
#[derive(Clone, Copy, Default)]
pub struct Probe<'p>(pub Option<&'p Profile>);

impl Probe<'_> {
    /// Starts counting for single query `part` of a UNION.
    #[inline]
    pub fn set_part(self, part: usize) {
        if let Some(p) = self.0 {
            p.part.set(part);
        }
    }

    /// The step that counts the rows operator `op` of the running part
    /// sends on (its last step in EXPLAIN's list).
    #[inline]
    pub fn op_step(self, op: usize) -> usize {
        match self.0 {
            Some(p) => p
                .outputs
                .get(p.part.get())
                .and_then(|ops| ops.get(op))
                .copied()
                .unwrap_or(p.steps.len()),
            None => 0,
        }
    }

    /// The step of `stage` of projection `op` of the running part.
    pub fn stage_step(self, op: usize, stage: Stage) -> usize {
        match self.0 {
            Some(p) => p.find(|s| s.part == p.part.get() && s.op == Some(op) && s.role == Role::Stage(stage)),
            None => 0,
        }
    }

    /// The union step that joins the running part to the ones before it.
    #[inline]
    pub fn union_step(self) -> usize {
        match self.0 {
            Some(p) => p.find(|s| s.part == p.part.get() && s.role == Role::Union),
            None => 0,
        }
    }

    /// Makes `step` the one at work, charging the time since the last
    /// switch to the one that was; returns that one, to switch back to.
    #[inline]
    pub fn switch(self, step: usize) -> usize {
        match self.0 {
            Some(p) => p.switch(step),
            None => 0,
        }
    }

    /// Runs `work` with the clock on `step`, then gives it back to the
    /// step that had it.
    #[inline]
    pub fn timed<R>(self, step: usize, work: impl FnOnce() -> R) -> R {
        let caller = self.switch(step);
        let result = work();
        self.switch(caller);
        result
    }

    /// `step` produced `n` more rows.
    #[inline]
    pub fn count(self, step: usize, n: u64) {
        if let Some(p) = self.0
            && let Some(c) = p.rows.get(step)
        {
            c.set(c.get() + n);
            p.counted[step].set(true);
        }
    }

    /// The step of pattern part `i` of MATCH operator `op` of the running
    /// part.
    pub fn pattern_step(self, op: usize, i: usize) -> usize {
        match self.0 {
            Some(p) => p.find(|s| s.part == p.part.get() && s.op == Some(op) && s.role == Role::Expand(i)),
            None => 0,
        }
    }

    /// `step` finished with `n` rows: the time since the last switch was
    /// its, and it stays the one at work.
    #[inline]
    pub fn finished(self, step: usize, n: usize) {
        if let Some(p) = self.0 {
            p.charge(step);
            p.current.set(step.min(p.steps.len()));
        }
        self.count(step, n as u64);
    }
}

impl Profile {
    /// The index of the step `pred` picks; time charged to a step EXPLAIN
    /// does not list goes to the outside.
    fn find(&self, pred: impl Fn(&Step) -> bool) -> usize {
        self.steps.iter().position(pred).unwrap_or(self.steps.len())
    }

    fn switch(&self, step: usize) -> usize {
        let was = self.current.get();
        if was != step {
            self.charge(was);
            self.current.set(step.min(self.steps.len()));
        }
        was
    }

    /// Charges the time since the last switch to `step`.
    fn charge(&self, step: usize) {
        let now = Instant::now();
        let t = &self.time[step.min(self.steps.len())];
        t.set(t.get() + (now - self.last.get()));
        self.last.set(now);
    }
}

#[cfg(test)]
mod tests {
    use crate::Session;
    use crate::value::Value;

    /// The profile's rows column, step by step (null where not counted).
    fn counts(rows: &crate::eval::Rows) -> Vec<Option<i64>> {
        rows.rows
            .iter()
            .map(|r| match r[4] {
                Value::Int(n) => Some(n),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn profile_returns_the_rows_the_query_returns() {
        let mut s = Session::builtin().expect("built-in graph loads");
        for q in [
            "MATCH (r:Role) RETURN r.name ORDER BY r.name",
            "MATCH (r:Role)-[:REQUIRES]->(s:Skill) RETURN s.name, count(r) AS n ORDER BY n DESC, s.name LIMIT 3",
            "MATCH (r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t:Team) RETURN r.name, t.name ORDER BY r.name, t.name",
            "MATCH (r:Role) RETURN r.name LIMIT 4",
            "UNWIND [1, 2, 2, 3] AS x RETURN x UNION UNWIND [3, 4] AS x RETURN x",
            "MATCH (a:Role), (b:Team) WHERE a.name < b.name RETURN a.name, b.name ORDER BY a.name, b.name",
        ] {
            let plain = s.run(q).expect("query runs");
            let profiled = s.run(&format!("PROFILE {q}")).expect("profile runs");
            let returned = profiled.profiled.as_ref().expect("PROFILE keeps the rows");
            assert_eq!(returned.columns, plain.columns, "{q}");
            assert_eq!(returned.len(), plain.len(), "{q}");
            for (a, b) in returned.rows.iter().zip(&plain.rows) {
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "{q}");
            }
            // The total counts the rows returned; the last union, else the
            // last counted step, made them.
            let c = counts(&profiled);
            assert_eq!(c.last().copied().flatten(), Some(plain.len() as i64), "{q}");
            let union = profiled
                .rows
                .iter()
                .rposition(|r| matches!(&r[1], Value::String(o) if o.starts_with("Union")));
            let last_step = match union {
                Some(u) => c[u],
                None => c[..c.len() - 1].iter().rev().find_map(|n| *n),
            };
            assert_eq!(last_step, Some(plain.len() as i64), "{q}");
            assert_eq!(
                profiled.title.as_deref().map(|t| t.split(' ').next()),
                Some(Some(plain.len().to_string().as_str())),
                "{q}"
            );
        }
    }

    #[test]
    fn profile_steps_are_explain_steps() {
        let mut s = Session::builtin().expect("built-in graph loads");
        let q = "MATCH (r:Role {id: 'chief-technology-officer'})-[:REQUIRES]->(s) WITH DISTINCT s.name AS n \
                 WHERE n <> 'x' RETURN n ORDER BY n SKIP 1 LIMIT 2";
        let explained = s.run(&format!("EXPLAIN {q}")).expect("explain runs");
        let profiled = s.run(&format!("PROFILE {q}")).expect("profile runs");
        assert_eq!(profiled.len(), explained.len() + 1, "one row per step, then the total");
        for (p, e) in profiled.rows.iter().zip(&explained.rows) {
            assert_eq!(format!("{:?}", &p[..3]), format!("{:?}", &e[..3]));
        }
    }

    #[test]
    fn profile_of_a_write_keeps_its_stats() {
        let mut s = Session::builtin().expect("built-in graph loads");
        let p = s
            .run("PROFILE CREATE (:Role {id: 'profiled-role', name: 'Profiled'})")
            .expect("profile runs");
        assert_eq!(p.stats.nodes_created, 1);
        assert_eq!(counts(&p), [Some(1), Some(0)]);
        let found = s
            .run("MATCH (r:Role {id: 'profiled-role'}) RETURN r.name")
            .expect("query runs");
        assert_eq!(found.len(), 1);
        assert!(s.is_dirty());
    }
}
