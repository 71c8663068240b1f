//! Editing clause pairs (SET, REMOVE, DELETE, MERGE) to `ast_update` nodes.

use super::build_expr::{expr, labels};
use super::build_pattern::part;
use super::literal::ident;
use super::{Pair, Rule, child, children, internal, required, span_of};
use crate::syntax::SyntaxError;
use crate::syntax::ast::{Clause, Delete, Expr, ExprKind, Ident, Merge, Remove, RemoveItem, SetClause, SetItem};

type Result<T> = std::result::Result<T, SyntaxError>;

/// The clause for an editing rule, or `None` for another rule.
pub(super) fn clause(p: &Pair) -> Result<Option<Clause>> {
    let span = span_of(p);
    Ok(Some(match p.as_rule() {
        Rule::set_clause => Clause::Set(set_clause(p)?),
        Rule::remove_clause => Clause::Remove(Remove {
            items: children(p).map(|i| remove_item(&i)).collect::<Result<_>>()?,
            span,
        }),
        Rule::delete_clause => Clause::Delete(Delete {
            detach: child(p, Rule::detach_kw).is_some(),
            exprs: children(p)
                .filter(|c| c.as_rule() == Rule::expression)
                .map(|e| expr(&e))
                .collect::<Result<_>>()?,
            span,
        }),
        Rule::merge_clause => {
            let path = required(p, Rule::pattern_part)?;
            let path_var = child(&path, Rule::variable).map(|v| ident(&v)).transpose()?;
            let actions = children(p)
                .filter(|c| c.as_rule() == Rule::merge_action)
                .map(|a| {
                    let on_create = child(&a, Rule::merge_on_create).is_some();
                    Ok((on_create, set_clause(&required(&a, Rule::set_clause)?)?))
                })
                .collect::<Result<_>>()?;
            Clause::Merge(Merge {
                pattern: part(&path, path_var)?,
                actions,
                span,
            })
        }
        _ => return Ok(None),
    }))
}

fn set_clause(p: &Pair) -> Result<SetClause> {
    Ok(SetClause {
        items: children(p).map(|i| set_item(&i)).collect::<Result<_>>()?,
        span: span_of(p),
    })
}

fn set_item(p: &Pair) -> Result<SetItem> {
    let inner = p
        .clone()
        .into_inner()
        .next()
        .ok_or_else(|| internal(p, "empty SET item"))?;
    let var = || -> Result<Ident> { ident(&required(&inner, Rule::variable)?) };
    let value = || -> Result<Expr> { expr(&required(&inner, Rule::expression)?) };
    Ok(match inner.as_rule() {
        Rule::set_property => {
            let (target, key) = property_target(&required(&inner, Rule::property_target)?)?;
            SetItem::Property {
                target,
                key,
                value: value()?,
            }
        }
        Rule::set_merge => SetItem::Merge {
            var: var()?,
            value: value()?,
        },
        Rule::set_replace => SetItem::Replace {
            var: var()?,
            value: value()?,
        },
        Rule::set_labels => SetItem::Labels {
            var: var()?,
            labels: labels(&required(&inner, Rule::node_labels)?)?,
        },
        _ => return Err(internal(&inner, "unknown SET item")),
    })
}

fn remove_item(p: &Pair) -> Result<RemoveItem> {
    let inner = p
        .clone()
        .into_inner()
        .next()
        .ok_or_else(|| internal(p, "empty REMOVE item"))?;
    Ok(match inner.as_rule() {
        Rule::property_target => {
            let (target, key) = property_target(&inner)?;
            RemoveItem::Property { target, key }
        }
        Rule::set_labels => RemoveItem::Labels {
            var: ident(&required(&inner, Rule::variable)?)?,
            labels: labels(&required(&inner, Rule::node_labels)?)?,
        },
        _ => return Err(internal(&inner, "unknown REMOVE item")),
    })
}

/// `atom.a.b.key`: the expression before the last lookup, and its key.
fn property_target(p: &Pair) -> Result<(Expr, Ident)> {
    let mut items = children(p);
    let first = items.next().ok_or_else(|| internal(p, "no operand"))?;
    let mut acc = expr(&first)?;
    let mut keys: Vec<Ident> = items
        .map(|l| ident(&required(&l, Rule::prop_key)?))
        .collect::<Result<_>>()?;
    let last = keys.pop().ok_or_else(|| internal(p, "no property"))?;
    for k in keys {
        let span = acc.span.to(k.span);
        acc = Expr {
            kind: ExprKind::Property(Box::new(acc), k),
            span,
        };
    }
    Ok((acc, last))
}
