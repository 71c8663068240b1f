//! Binds the editing clauses SET, REMOVE, DELETE and MERGE into one
//! operator each ([`UpdateOp`]), which `eval::update` runs.

use std::sync::Arc;

use super::expr::{AggSite, Binder};
use super::ops::{CreatePattern, PExpr, PKind, PatternPlan};
use super::pattern;
use super::scope::{Scope, VarKind};
use super::types::{SType, stype};
use crate::error::{Code, QueryError};
use crate::syntax::ast::{Delete, Expr, ExprKind, Ident, Merge, RelDirection, Remove, RemoveItem, SetClause, SetItem};

#[derive(Debug, Clone)]
pub enum UpdateOp {
    Set(Vec<SetOp>),
    Remove(Vec<RemoveOp>),
    Delete(DeleteOp),
    Merge(Box<MergeOp>),
}

impl UpdateOp {
    /// The operator's name in EXPLAIN and PROFILE.
    pub fn name(&self) -> &'static str {
        match self {
            UpdateOp::Set(_) => "SetProperties",
            UpdateOp::Remove(_) => "Remove",
            UpdateOp::Delete(d) if d.detach => "DetachDelete",
            UpdateOp::Delete(_) => "Delete",
            UpdateOp::Merge(_) => "Merge",
        }
    }

    /// What EXPLAIN shows beside the name.
    pub fn detail(&self) -> String {
        match self {
            UpdateOp::Set(items) => format!("{} item(s)", items.len()),
            UpdateOp::Remove(items) => format!("{} item(s)", items.len()),
            UpdateOp::Delete(d) => format!("{} expression(s)", d.exprs.len()),
            UpdateOp::Merge(m) => format!(
                "{} node(s), {} relationship(s)",
                m.create.nodes.len(),
                m.create.rels.len()
            ),
        }
    }
}

/// One SET item; `target` evaluates to the node or relationship changed.
#[derive(Debug, Clone)]
pub enum SetOp {
    /// `target.key = value` (null removes the property).
    Prop { target: PExpr, key: Arc<str>, value: PExpr },
    /// `n = map`: every property replaced.
    Replace { target: PExpr, value: PExpr },
    /// `n += map`: properties added or replaced (null removes).
    Merge { target: PExpr, value: PExpr },
    /// `n:L`
    Labels { target: PExpr, labels: Vec<String> },
}

#[derive(Debug, Clone)]
pub enum RemoveOp {
    Prop { target: PExpr, key: Arc<str> },
    Labels { target: PExpr, labels: Vec<String> },
}

#[derive(Debug, Clone)]
pub struct DeleteOp {
    pub detach: bool,
    pub exprs: Vec<PExpr>,
}

/// MERGE: match the pattern; where nothing matches, create it.
#[derive(Debug, Clone)]
pub struct MergeOp {
    /// The pattern to match (one part).
    pub patterns: Vec<PatternPlan>,
    /// The same pattern to create, bound in a scope of its own.
    pub create: CreatePattern,
    pub create_width: usize,
    /// Each named variable's (slot in the created row, slot in the output row).
    pub copy: Vec<(usize, usize)>,
    pub on_create: Vec<SetOp>,
    pub on_match: Vec<SetOp>,
    pub width: usize,
}

pub fn set(b: &mut Binder<'_>, c: &SetClause, scope: &mut Scope) -> Result<Vec<SetOp>, QueryError> {
    let mut out = Vec::with_capacity(c.items.len());
    for item in &c.items {
        match item {
            SetItem::Property { key, .. } => b.note_written(&key.name),
            SetItem::Replace { value, .. } | SetItem::Merge { value, .. } => b.note_written_map(value),
            SetItem::Labels { .. } => {}
        }
        out.push(match item {
            SetItem::Property { target, key, value } => SetOp::Prop {
                target: b.expr(target, scope, &mut AggSite::Forbidden("SET"))?,
                key: Arc::from(key.name.as_str()),
                value: b.expr(value, scope, &mut AggSite::Forbidden("SET"))?,
            },
            SetItem::Replace { var, value } => SetOp::Replace {
                target: entity(var, scope, false)?,
                value: b.expr(value, scope, &mut AggSite::Forbidden("SET"))?,
            },
            SetItem::Merge { var, value } => SetOp::Merge {
                target: entity(var, scope, false)?,
                value: b.expr(value, scope, &mut AggSite::Forbidden("SET"))?,
            },
            SetItem::Labels { var, labels } => SetOp::Labels {
                target: entity(var, scope, true)?,
                labels: labels.iter().map(|l| l.name.clone()).collect(),
            },
        });
    }
    Ok(out)
}

pub fn remove(b: &mut Binder<'_>, c: &Remove, scope: &mut Scope) -> Result<Vec<RemoveOp>, QueryError> {
    let mut out = Vec::with_capacity(c.items.len());
    for item in &c.items {
        out.push(match item {
            RemoveItem::Property { target, key } => RemoveOp::Prop {
                target: b.expr(target, scope, &mut AggSite::Forbidden("REMOVE"))?,
                key: Arc::from(key.name.as_str()),
            },
            RemoveItem::Labels { var, labels } => RemoveOp::Labels {
                target: entity(var, scope, true)?,
                labels: labels.iter().map(|l| l.name.clone()).collect(),
            },
        });
    }
    Ok(out)
}

pub fn delete(b: &mut Binder<'_>, c: &Delete, scope: &mut Scope) -> Result<DeleteOp, QueryError> {
    let mut exprs = Vec::with_capacity(c.exprs.len());
    for e in &c.exprs {
        // `DELETE n:Label` reads as deleting a label, which REMOVE does.
        if let ExprKind::HasLabels(base, labels) = &e.kind {
            let names: Vec<&str> = labels.iter().map(|l| l.name.as_str()).collect();
            return Err(QueryError::compile(
                Code::InvalidDelete,
                "DELETE deletes nodes, relationships and paths, not labels or types",
                e.span,
            )
            .with_help(Some(format!(
                "REMOVE {}:{} takes the label off",
                expr_text(base),
                names.join(":")
            ))));
        }
        let p = b.expr(e, scope, &mut AggSite::Forbidden("DELETE"))?;
        // A value whose type is known now and can never be deleted.
        let t = stype(&p, scope);
        if !matches!(
            t,
            SType::Any | SType::Null | SType::Node | SType::Rel | SType::Path | SType::List
        ) {
            return Err(QueryError::compile(
                Code::InvalidArgumentType,
                format!("DELETE takes nodes, relationships or paths, not {}", t.name()),
                p.span,
            ));
        }
        exprs.push(p);
    }
    Ok(DeleteOp {
        detach: c.detach,
        exprs,
    })
}

pub fn merge(b: &mut Binder<'_>, m: &Merge, scope: &mut Scope) -> Result<MergeOp, QueryError> {
    // MERGE may leave a relationship's direction open: it then matches
    // either way and creates it left to right.
    let mut directed = m.pattern.clone();
    for (r, _) in &mut directed.chain {
        if r.direction == RelDirection::Either {
            r.direction = RelDirection::Right;
        }
    }
    // MERGE looks for exactly the properties written: a parameter map
    // would hide which ones (and a null among them could never match).
    let props =
        std::iter::once(&m.pattern.start.props).chain(m.pattern.chain.iter().flat_map(|(r, n)| [&r.props, &n.props]));
    for p in props.flatten() {
        if let ExprKind::Param(name) = &p.kind {
            return Err(QueryError::compile(
                Code::InvalidParameterUse,
                "MERGE cannot take its properties from a parameter map",
                p.span,
            )
            .with_help(Some(format!("write the properties out, e.g. {{id: ${name}.id}}"))));
        }
    }
    let mut created = scope.clone();
    let create = pattern::create_pattern_in(b, &directed, &mut created, "MERGE")?;
    for (r, _) in &m.pattern.chain {
        if r.types.len() != 1 {
            return Err(QueryError::compile(
                Code::NoSingleRelationshipType,
                "a relationship in MERGE must have exactly one type",
                r.span,
            ));
        }
    }
    let before = scope.len();
    b.creating = true;
    let matched = pattern::match_pattern(b, &m.pattern, scope, before);
    b.creating = false;
    let patterns = vec![matched?];
    let copy = (before..scope.len())
        .filter(|&s| !scope.vars()[s].anonymous)
        .filter_map(|s| created.lookup(&scope.vars()[s].name).map(|(c, _)| (c, s)))
        .collect();
    let mut on_create = Vec::new();
    let mut on_match = Vec::new();
    for (is_create, c) in &m.actions {
        let items = set(b, c, scope)?;
        if *is_create {
            on_create.extend(items);
        } else {
            on_match.extend(items);
        }
    }
    Ok(MergeOp {
        patterns,
        create,
        create_width: created.len(),
        copy,
        on_create,
        on_match,
        width: scope.len(),
    })
}

/// A variable that must hold a node (`node_only`) or a relationship.
fn entity(v: &Ident, scope: &Scope, node_only: bool) -> Result<PExpr, QueryError> {
    let (slot, kind) = scope.resolve(&v.name, v.span)?;
    let ok = match kind {
        VarKind::Node | VarKind::Value(SType::Any | SType::Null | SType::Node) => true,
        VarKind::Rel | VarKind::Value(SType::Rel) => !node_only,
        _ => false,
    };
    if !ok {
        return Err(QueryError::compile(
            Code::InvalidArgumentType,
            format!(
                "'{}' is not a {}",
                v.name,
                if node_only { "node" } else { "node or relationship" }
            ),
            v.span,
        ));
    }
    Ok(PExpr::new(PKind::Slot(slot), v.span))
}

/// A short spelling of a variable or property chain, for help lines.
fn expr_text(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Var(v) => v.clone(),
        ExprKind::Property(base, k) => format!("{}.{}", expr_text(base), k.name),
        _ => "n".into(),
    }
}
