//! rolegraph: a knowledge-graph query engine for leadership roles.
//!
//! Data flows one way: text → [`syntax`] (pest → spanned AST) → [`plan`]
//! (bind names against the graph, choose operators) → [`eval`] (rows) →
//! [`render`] (table, JSON, CSV, markdown, diagnostics). [`store`] holds the
//! graph behind a small API; [`load`] builds it from data files.

pub mod diag;
pub mod error;
pub mod load;
pub mod store;
pub mod syntax;
pub mod value;

pub use error::Error;
pub use store::Graph;
pub use value::Value;
