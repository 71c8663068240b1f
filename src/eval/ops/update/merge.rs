//! MERGE: for each row, the pattern's matches (ON MATCH SET applied to
//! each), or, when there are none, the pattern created once (ON CREATE
//! SET applied). Rows see what earlier rows created, so merging the same
//! pattern twice creates it once.

use super::set;
use crate::error::QueryError;
use crate::eval::Stats;
use crate::eval::context::Guard;
use crate::eval::expr::Env;
use crate::eval::matcher::Matcher;
use crate::eval::ops::create::create_part;
use crate::plan::update::MergeOp;
use crate::store::Graph;
use crate::value::Value;

pub(super) fn run(
    op: &MergeOp,
    rows: Vec<Vec<Value>>,
    graph: &mut Graph,
    guard: &Guard,
    stats: &mut Stats,
) -> Result<Vec<Vec<Value>>, QueryError> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        guard.tick()?;
        let mut found = Vec::new();
        {
            let env = Env {
                graph,
                guard,
                aggs: vec![],
            };
            Matcher::new(&env, &op.patterns, &row, op.width).run(&mut |r| {
                found.push(r[..op.width].to_vec());
                guard.check_rows(found.len())?;
                Ok(true)
            })?;
        }
        if found.is_empty() {
            let mut made = row.clone();
            made.resize(op.create_width, Value::Null);
            create_part(&op.create, &mut made, graph, guard, stats, true)?;
            let mut r = row;
            r.resize(op.width, Value::Null);
            for &(from, to) in &op.copy {
                r[to] = made[from].clone();
            }
            set::apply(&op.on_create, &r, graph, guard, stats)?;
            out.push(r);
        } else {
            for r in found {
                set::apply(&op.on_match, &r, graph, guard, stats)?;
                out.push(r);
            }
        }
        guard.check_rows(out.len())?;
    }
    Ok(out)
}
