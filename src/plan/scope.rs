//! Variables in scope while a query is planned: each has a row slot and a
//! kind, so misuse (a node used as a relationship) is caught before running.

use super::types::SType;
use crate::diag::{Span, did_you_mean};
use crate::error::{Code, QueryError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarKind {
    Node,
    Rel,
    /// A variable-length relationship: a list of relationships.
    RelList,
    Path,
    /// Anything else (UNWIND, WITH expressions, comprehension variables),
    /// with its static type where the planner knows it.
    Value(SType),
}

impl VarKind {
    fn describe(self) -> &'static str {
        match self {
            VarKind::Node => "a node",
            VarKind::Rel => "a relationship",
            VarKind::RelList => "a list of relationships",
            VarKind::Path => "a path",
            VarKind::Value(_) => "a value",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Var {
    pub name: String,
    pub kind: VarKind,
    /// Generated for an unnamed pattern element: never returned by `*`.
    pub anonymous: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Scope {
    vars: Vec<Var>,
    anon_count: usize,
}

impl Scope {
    pub fn len(&self) -> usize {
        self.vars.len()
    }

    pub fn vars(&self) -> &[Var] {
        &self.vars
    }

    pub fn lookup(&self, name: &str) -> Option<(usize, VarKind)> {
        self.vars
            .iter()
            .rposition(|v| !v.anonymous && v.name == name)
            .map(|i| (i, self.vars[i].kind))
    }

    /// The slot of `name`, or an UndefinedVariable error naming the closest.
    pub fn resolve(&self, name: &str, span: Span) -> Result<(usize, VarKind), QueryError> {
        self.lookup(name).ok_or_else(|| {
            QueryError::compile(
                Code::UndefinedVariable,
                format!("variable '{name}' is not defined"),
                span,
            )
            .with_help(did_you_mean(
                name,
                self.vars.iter().filter(|v| !v.anonymous).map(|v| v.name.as_str()),
            ))
        })
    }

    /// Declares a new variable (always a fresh slot).
    pub fn push(&mut self, name: &str, kind: VarKind) -> usize {
        self.vars.push(Var {
            name: name.to_string(),
            kind,
            anonymous: false,
        });
        self.vars.len() - 1
    }

    pub fn push_anonymous(&mut self, kind: VarKind) -> usize {
        self.anon_count += 1;
        self.vars.push(Var {
            name: format!("  anon{}", self.anon_count),
            kind,
            anonymous: true,
        });
        self.vars.len() - 1
    }

    /// Removes variables above `len` (comprehension variables going out of scope).
    pub fn truncate(&mut self, len: usize) {
        self.vars.truncate(len);
    }

    /// Binds a pattern variable: reuses the slot if it is already bound with
    /// a compatible kind, declares it otherwise. Returns (slot, was_bound).
    pub fn bind_pattern_var(&mut self, name: &str, kind: VarKind, span: Span) -> Result<(usize, bool), QueryError> {
        match self.lookup(name) {
            Some((slot, existing)) => {
                // A value whose type is unknown until run time may hold the
                // node or relationships the pattern needs.
                let compatible = existing == kind
                    || matches!(
                        (existing, kind),
                        (VarKind::Value(SType::Any | SType::Null), _)
                            | (VarKind::Value(SType::Node), VarKind::Node)
                            | (VarKind::Value(SType::Rel), VarKind::Rel)
                            | (VarKind::Value(SType::List), VarKind::RelList)
                    );
                if compatible {
                    Ok((slot, true))
                } else {
                    Err(QueryError::compile(
                        Code::VariableTypeConflict,
                        format!(
                            "variable '{name}' is {} here but was bound as {}",
                            kind.describe(),
                            existing.describe()
                        ),
                        span,
                    ))
                }
            }
            None => Ok((self.push(name, kind), false)),
        }
    }

    /// Declares the variable of a named path (`p = ...`). A path variable is
    /// always new: any earlier binding of the name, of whatever kind, in an
    /// earlier clause or in the same pattern, is VariableAlreadyBound.
    pub fn declare_path(&mut self, name: &str, span: Span) -> Result<usize, QueryError> {
        match self.lookup(name) {
            Some((_, existing)) => Err(QueryError::compile(
                Code::VariableAlreadyBound,
                format!(
                    "variable '{name}' is already bound (as {}); a path needs a new variable",
                    existing.describe()
                ),
                span,
            )),
            None => Ok(self.push(name, VarKind::Path)),
        }
    }

    /// Names visible to `RETURN *` / `WITH *`, sorted.
    pub fn star_names(&self) -> Vec<(String, usize)> {
        let mut v: Vec<(String, usize)> = self
            .vars
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.anonymous)
            .map(|(i, v)| (v.name.clone(), i))
            .collect();
        v.sort();
        v.dedup_by(|a, b| a.0 == b.0);
        v
    }
}
