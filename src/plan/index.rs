//! Binds the index statements (CREATE INDEX, DROP INDEX, SHOW INDEXES):
//! checks what the store cannot, that an index has one key and that it is
//! a property of the variable FOR names.

use super::ops::IndexCommand;
use crate::error::{Code, QueryError};
use crate::syntax::ast::CreateIndex;

pub fn create(c: &CreateIndex) -> Result<IndexCommand, QueryError> {
    let [(var, key)] = c.keys.as_slice() else {
        let span = match (c.keys.first(), c.keys.last()) {
            (Some(a), Some(b)) => a.0.span.to(b.1.span),
            _ => c.label.span,
        };
        return Err(QueryError::compile(
            Code::UnsupportedIndex,
            "an index covers one property here (composite indexes are not supported)",
            span,
        )
        .with_help(Some("create one index per property".into())));
    };
    if var.name != c.var.name {
        return Err(QueryError::compile(
            Code::UndefinedVariable,
            format!(
                "variable '{}' is not defined: the indexed property must belong to '{}'",
                var.name, c.var.name
            ),
            var.span,
        )
        .with_help(Some(format!("write ON ({}.{})", c.var.name, key.name))));
    }
    Ok(IndexCommand::Create {
        name: c.name.as_ref().map(|n| n.name.clone()),
        label: c.label.name.clone(),
        key: key.name.clone(),
        if_not_exists: c.if_not_exists,
        span: c.name.as_ref().map_or(c.label.span, |n| n.span),
    })
}
