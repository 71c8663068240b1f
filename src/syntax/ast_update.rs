//! Syntax of the editing clauses: SET, REMOVE, DELETE and MERGE (CREATE
//! shares the reading clauses' pattern syntax and lives in `ast.rs`).

use super::ast::{Expr, Ident, PatternPart};
use crate::diag::Span;

/// `SET item, ...`
#[derive(Debug, Clone, PartialEq)]
pub struct SetClause {
    pub items: Vec<SetItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SetItem {
    /// `target.key = value`; `target` is the expression before the last
    /// property lookup.
    Property { target: Expr, key: Ident, value: Expr },
    /// `n = map`: every property replaced.
    Replace { var: Ident, value: Expr },
    /// `n += map`: the map's properties added or replaced.
    Merge { var: Ident, value: Expr },
    /// `n:Label:Other`
    Labels { var: Ident, labels: Vec<Ident> },
}

/// `REMOVE item, ...`
#[derive(Debug, Clone, PartialEq)]
pub struct Remove {
    pub items: Vec<RemoveItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RemoveItem {
    /// `target.key`
    Property { target: Expr, key: Ident },
    /// `n:Label:Other`
    Labels { var: Ident, labels: Vec<Ident> },
}

/// `[DETACH] DELETE expr, ...`
#[derive(Debug, Clone, PartialEq)]
pub struct Delete {
    pub detach: bool,
    pub exprs: Vec<Expr>,
    pub span: Span,
}

/// `MERGE pattern [ON CREATE SET ...] [ON MATCH SET ...]`
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    pub pattern: PatternPart,
    /// In the order written; `true` for ON CREATE.
    pub actions: Vec<(bool, SetClause)>,
    pub span: Span,
}
