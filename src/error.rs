//! The crate's error type: one enum folding each stage's errors.

use crate::syntax::SyntaxError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
}
