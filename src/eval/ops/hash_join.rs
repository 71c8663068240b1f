//! Hash join: a pattern part that shares no variable with the parts before
//! it but is joined to them by a WHERE equality (`PatternPlan::join`). Its
//! matches are found once per execution into a table keyed by its side of
//! the equality; each row so far looks its own side up there.

use std::collections::HashMap;

use crate::error::QueryError;
use crate::eval::expr::{eval, truth};
use crate::eval::matcher::{Emit, Matcher};
use crate::plan::ops::{PExpr, PatternPlan};
use crate::store::RelId;
use crate::value::{Value, ValueKey};

/// A joined part's matches, by key (see `PatternPlan::join`).
pub(in crate::eval) struct JoinTable {
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
    /// A part joined by a hash table: its matches (found once) whose key
    /// equals the row's, each with the row so far.
    pub(in crate::eval) fn join_part(&mut self, pi: usize, emit: &mut Emit<'_>) -> Result<bool, QueryError> {
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
}
