//! Builds a [`Graph`](crate::Graph) from data files: TOML records are parsed
//! with their positions, checked all at once, and only then put in the store.

mod error;

pub use error::{LoadError, LoadErrorKind, LoadErrors};
