//! rolegraph: a knowledge-graph query engine for leadership roles.
//!
//! Data flows one way: text → [`syntax`] (pest → spanned AST) → [`plan`]
//! (bind names against the graph, choose operators) → [`eval`] (rows) →
//! [`render`] (table, JSON, CSV, markdown). [`store`] holds the graph
//! behind a small API; [`load`] builds it from data files. [`Session`] is
//! the facade; [`cli`] is the only module that touches the terminal.

pub mod cli;
pub mod diag;
pub mod edits;
pub mod error;
pub mod eval;
pub mod export;
pub mod load;
pub mod output;
pub mod plan;
pub mod provenance;
pub mod remote;
pub mod render;
pub mod save;
mod session;
pub mod store;
pub mod syntax;
pub mod value;

pub use error::{Error, QueryError};
pub use eval::Rows;
pub use session::Session;
pub use store::Graph;
pub use value::Value;
