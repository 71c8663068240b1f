//! Query text to spanned syntax tree. This module never sees a graph.

pub mod ast;
mod ast_update;
mod keywords;
mod parser;
pub(crate) mod print;
mod shift;
pub mod split;

use crate::diag::{Diagnostic, Span};
use crate::error::Code;
pub use keywords::{KEYWORDS, PHRASES};
pub use parser::parse_script;
pub(crate) use print::name as variable_name;
pub use print::normalize;

/// A query that does not follow the grammar: where, and what was expected
/// in words a user reads (never grammar rule names).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    /// The openCypher detail code: UnexpectedSyntax, InvalidNumberLiteral, ...
    pub code: Code,
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
}

/// Parses the statement (or statements) in `text[range]` on its own, with
/// spans, and an error's span, as byte offsets into the whole `text`: a
/// script is parsed a statement at a time (see [`split`]) and its messages
/// still point at lines and columns of the whole file.
pub fn parse_statement_at(text: &str, range: std::ops::Range<usize>) -> Result<ast::Script, SyntaxError> {
    let by = range.start;
    match parse_script(&text[range]) {
        Ok(mut script) => {
            shift::script(&mut script, by);
            Ok(script)
        }
        Err(mut e) => {
            shift::error(&mut e, by);
            Err(e)
        }
    }
}

impl SyntaxError {
    pub fn new(code: Code, message: impl Into<String>, span: Span) -> SyntaxError {
        SyntaxError {
            code,
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> SyntaxError {
        self.help = Some(help.into());
        self
    }

    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.message.clone(), Some(self.span)).with_help(self.help.clone())
    }
}
