//! Runs the index statements against the store: CREATE INDEX and DROP
//! INDEX change the graph through its journal (so `:undo` takes them back
//! and they count as unsaved changes); SHOW INDEXES lists the named ones.

use super::{Rows, Stats};
use crate::diag::{Diagnostic, Span};
use crate::error::{Code, QueryError};
use crate::plan::ops::IndexCommand;
use crate::store::{Graph, IndexCreated, IndexError};
use crate::value::Value;

pub fn run(c: &IndexCommand, graph: &mut Graph) -> Result<Rows, QueryError> {
    let mut rows = Rows::default();
    match c {
        IndexCommand::Create {
            name,
            label,
            key,
            if_not_exists,
            span,
        } => match graph.create_index(name.as_deref(), label, key, *if_not_exists) {
            Ok(IndexCreated::Created(_)) => {
                rows.stats = Stats {
                    indexes_added: 1,
                    ..Stats::default()
                }
            }
            Ok(IndexCreated::Existed(name)) => rows.warnings.push(Diagnostic::warning(
                format!("index '{name}' already exists; nothing was created"),
                Some(*span),
            )),
            Err(e) => return Err(refused(e, *span)),
        },
        IndexCommand::Drop { name, if_exists, span } => match graph.drop_index(name, *if_exists) {
            Ok(true) => {
                rows.stats = Stats {
                    indexes_removed: 1,
                    ..Stats::default()
                }
            }
            Ok(false) => rows.warnings.push(Diagnostic::warning(
                format!("there is no index named '{name}'; nothing was dropped"),
                Some(*span),
            )),
            Err(e) => return Err(refused(e, *span)),
        },
        IndexCommand::Show => {
            rows.columns = ["name", "label", "key", "entries"].map(String::from).to_vec();
            rows.rows = graph
                .index_list()
                .into_iter()
                .map(|i| {
                    vec![
                        Value::str(&i.def.name),
                        Value::str(&i.def.label),
                        Value::str(&i.def.key),
                        Value::Int(i.entries as i64),
                    ]
                })
                .collect();
        }
    }
    Ok(rows)
}

fn refused(e: IndexError, span: Span) -> QueryError {
    let (code, help) = match &e {
        IndexError::NameTaken { .. } => (
            Code::IndexAlreadyExists,
            Some("choose another name, or add IF NOT EXISTS".to_string()),
        ),
        IndexError::Equivalent { name, .. } => (
            Code::EquivalentIndexExists,
            Some(format!(
                "the index '{name}' already serves this label and key; add IF NOT EXISTS to accept it"
            )),
        ),
        IndexError::Unknown { closest, .. } => (
            Code::IndexNotFound,
            Some(match closest {
                Some(c) => format!("did you mean '{c}'? (SHOW INDEXES lists them)"),
                None => "SHOW INDEXES lists the indexes; add IF EXISTS to accept none".to_string(),
            }),
        ),
    };
    QueryError::runtime(code, e.to_string(), Some(span)).with_help(help)
}
