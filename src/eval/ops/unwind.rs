//! UNWIND: one row per element of a list (none for null, the value itself
//! for anything else).

use crate::error::QueryError;
use crate::eval::describe::Role;
use crate::eval::expr::{Env, eval};
use crate::eval::pipeline::stream;
use crate::eval::profile::Probe;
use crate::plan::ops::{Op, UnwindOp};
use crate::value::Value;

pub(in crate::eval) fn stream_unwind(
    u: &UnwindOp,
    rest: &[Op],
    at: usize,
    row: &[Value],
    env: &Env<'_>,
    probe: Probe<'_>,
    sink: &mut dyn FnMut(&[Value]) -> Result<bool, QueryError>,
) -> Result<bool, QueryError> {
    let step = probe.step(at, Role::Unwind);
    let caller = probe.switch(step);
    let items = match eval(&u.expr, env, row)? {
        Value::Null => {
            probe.switch(caller);
            return Ok(true);
        }
        Value::List(l) => l,
        other => std::sync::Arc::new(vec![other]),
    };
    let mut r = row.to_vec();
    r.resize(u.slot + 1, Value::Null);
    let mut go_on = true;
    for x in items.iter() {
        env.guard.tick()?;
        r[u.slot] = x.clone();
        probe.count(step, 1);
        if !stream(rest, at + 1, &r, env, probe, sink)? {
            go_on = false;
            break;
        }
    }
    probe.switch(caller);
    Ok(go_on)
}
