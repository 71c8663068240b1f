//! The crate's errors: a query error carries an openCypher error class, a
//! detail code, a message, the span it is about and a help line. Front ends
//! render them once, through [`crate::diag::Diagnostic`].

use crate::diag::{Diagnostic, Span};
use crate::load::LoadErrors;
use crate::syntax::SyntaxError;

/// The openCypher error classes (what the TCK calls them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    SyntaxError,
    SemanticError,
    TypeError,
    ArgumentError,
    ArithmeticError,
    ParameterMissing,
    EntityNotFound,
    ConstraintValidationFailed,
    /// The query was stopped (Ctrl-C, timeout, row limit).
    Cancelled,
    /// A graph server (`--connect`) could not be reached or refused the
    /// statement; the detail code says which ([`crate::remote::RemoteError::code`]).
    Remote,
}

impl ErrorClass {
    pub fn name(self) -> &'static str {
        match self {
            ErrorClass::SyntaxError => "SyntaxError",
            ErrorClass::SemanticError => "SemanticError",
            ErrorClass::TypeError => "TypeError",
            ErrorClass::ArgumentError => "ArgumentError",
            ErrorClass::ArithmeticError => "ArithmeticError",
            ErrorClass::ParameterMissing => "ParameterMissing",
            ErrorClass::EntityNotFound => "EntityNotFound",
            ErrorClass::ConstraintValidationFailed => "ConstraintValidationFailed",
            ErrorClass::Cancelled => "Cancelled",
            ErrorClass::Remote => "RemoteError",
        }
    }
}

/// When an error was raised: before any row was produced, or while running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Compile,
    Runtime,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct QueryError {
    pub class: ErrorClass,
    /// The TCK's detail code, e.g. `UndefinedVariable`.
    pub code: &'static str,
    pub phase: Phase,
    pub message: String,
    pub span: Option<Span>,
    pub help: Option<String>,
}

impl QueryError {
    pub fn compile(class: ErrorClass, code: &'static str, message: impl Into<String>, span: Span) -> QueryError {
        QueryError {
            class,
            code,
            phase: Phase::Compile,
            message: message.into(),
            span: Some(span),
            help: None,
        }
    }

    pub fn runtime(
        class: ErrorClass,
        code: &'static str,
        message: impl Into<String>,
        span: Option<Span>,
    ) -> QueryError {
        QueryError {
            class,
            code,
            phase: Phase::Runtime,
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn with_help(mut self, help: Option<String>) -> QueryError {
        self.help = help;
        self
    }

    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.message.clone(), self.span).with_help(self.help.clone())
    }
}

impl From<SyntaxError> for QueryError {
    fn from(e: SyntaxError) -> QueryError {
        QueryError {
            class: ErrorClass::SyntaxError,
            code: "InvalidSyntax",
            phase: Phase::Compile,
            message: e.message,
            span: Some(e.span),
            help: e.help,
        }
    }
}

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Load(#[from] LoadErrors),
}

impl From<SyntaxError> for Error {
    fn from(e: SyntaxError) -> Error {
        Error::Query(e.into())
    }
}
