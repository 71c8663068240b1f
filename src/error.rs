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

/// Declares [`Code`] with each variant's openCypher name (the variant's own
/// name unless given).
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident $(= $name:literal)?,)*) => {
        /// The detail code of an error: what went wrong, in the TCK's words.
        /// Each code knows its openCypher name ([`Code::name`]), the class it
        /// is raised under ([`Code::class`]) and, where only one is possible,
        /// the phase ([`Code::phase`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The name the openCypher TCK (or, for codes of our own, this
            /// crate's documentation) uses.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => codes!(@name $variant $($name)?),)*
                }
            }
        }
    };
    (@name $variant:ident $name:literal) => { $name };
    (@name $variant:ident) => { stringify!($variant) };
}

codes! {
    // Parsing.
    /// The text does not parse, or a construct stands where it is not
    /// allowed.
    UnexpectedSyntax,
    /// A number literal that is not a number.
    InvalidNumberLiteral,
    /// A `\u` escape that is not a character.
    InvalidUnicodeLiteral,
    /// A character that cannot appear in a query.
    InvalidUnicodeCharacter,
    /// A relationship pattern that cannot be written that way.
    InvalidRelationshipPattern,
    /// A query nested too deep, or too costly to parse.
    TooComplex,
    /// The parser and the grammar disagree: a bug, never the user's.
    InternalError,
    // Variables and scope.
    UndefinedVariable,
    VariableAlreadyBound,
    VariableTypeConflict,
    NoVariablesInScope,
    ColumnNameConflict,
    NoExpressionAlias,
    DifferentColumnsInUnion,
    InvalidClauseComposition,
    RelationshipUniquenessViolation,
    // Aggregation.
    InvalidAggregation,
    NestedAggregation,
    AmbiguousAggregationExpression,
    NonConstantExpression,
    // Functions, arguments and types.
    UnknownFunction,
    InvalidNumberOfArguments,
    /// An argument of the wrong type: compile time when the type is known,
    /// a TypeError at run time.
    InvalidArgumentType,
    /// A clause's argument (SKIP, LIMIT) of the wrong type at run time: an
    /// ArgumentError.
    ClauseArgumentType = "InvalidArgumentType",
    /// A value of the right type that the function cannot take.
    InvalidArgumentValue,
    NegativeIntegerArgument,
    NumberOutOfRange,
    InvalidPropertyType,
    MapElementAccessByNonString,
    InvalidParameterUse,
    InvalidPropertyMap,
    InvalidRegex,
    MissingParameter,
    // Arithmetic.
    DivisionByZero,
    IntegerOverflow,
    FloatingPointOverflow,
    // Writing.
    CreatingVarLength,
    CreatingWithNull,
    NoSingleRelationshipType,
    RequiresDirectedRelationship,
    InvalidDelete,
    DeleteConnectedNode,
    DeletedEntityAccess,
    MergeReadOwnWrites,
    /// The store refused a change.
    ConstraintValidationFailed,
    // This crate's own statements (OVERLAP, MATRIX, node references).
    TooFewReferences,
    AmbiguousReference,
    DuplicateReference,
    UnknownReference,
    TooManyGroups,
    UntranslatableStatement,
    // Index statements (CREATE INDEX, DROP INDEX).
    IndexAlreadyExists,
    EquivalentIndexExists = "EquivalentSchemaRuleAlreadyExists",
    IndexNotFound,
    /// An index definition rolegraph does not support (several keys).
    UnsupportedIndex,
    // Stopped statements.
    Cancelled,
    Timeout,
    RowLimit,
    PathLimit,
    MemoryLimit,
    // A graph server (`--connect`).
    BadServerAddress,
    ServerUnreachable,
    /// A server's TLS certificate did not verify.
    CertificateRejected,
    /// The `--ca-cert` file cannot be used.
    BadCaCertificate,
    AuthenticationFailed,
    ConnectionDropped,
    ReadOnlyReplica,
    ServerError,
    ProtocolError,
    Unsupported,
    UnrepresentableAnswer,
}

impl Code {
    /// The class an error with this code is raised under in `phase`. At
    /// compile time openCypher reports (almost) everything as a SyntaxError;
    /// at run time the code decides.
    pub fn class(self, phase: Phase) -> ErrorClass {
        use Code::*;
        match self {
            MissingParameter => ErrorClass::ParameterMissing,
            AmbiguousReference
            | DuplicateReference
            | UnknownReference
            | UntranslatableStatement
            | IndexAlreadyExists
            | EquivalentIndexExists
            | IndexNotFound
            | MergeReadOwnWrites
            | CreatingWithNull => ErrorClass::SemanticError,
            Cancelled | Timeout | RowLimit | PathLimit | MemoryLimit => ErrorClass::Cancelled,
            BadServerAddress
            | ServerUnreachable
            | CertificateRejected
            | BadCaCertificate
            | AuthenticationFailed
            | ConnectionDropped
            | ReadOnlyReplica
            | ServerError
            | ProtocolError
            | Unsupported
            | UnrepresentableAnswer => ErrorClass::Remote,
            DeleteConnectedNode | ConstraintValidationFailed => ErrorClass::ConstraintValidationFailed,
            DeletedEntityAccess => ErrorClass::EntityNotFound,
            _ if phase == Phase::Compile => ErrorClass::SyntaxError,
            InvalidArgumentType | InvalidArgumentValue | InvalidPropertyType | MapElementAccessByNonString => {
                ErrorClass::TypeError
            }
            ClauseArgumentType | NegativeIntegerArgument | NumberOutOfRange | TooManyGroups => {
                ErrorClass::ArgumentError
            }
            DivisionByZero | IntegerOverflow | FloatingPointOverflow => ErrorClass::ArithmeticError,
            UnexpectedSyntax
            | TooComplex
            | InternalError
            | InvalidNumberLiteral
            | InvalidUnicodeLiteral
            | InvalidUnicodeCharacter
            | InvalidRelationshipPattern
            | UndefinedVariable
            | VariableAlreadyBound
            | VariableTypeConflict
            | NoVariablesInScope
            | ColumnNameConflict
            | NoExpressionAlias
            | DifferentColumnsInUnion
            | InvalidClauseComposition
            | RelationshipUniquenessViolation
            | InvalidAggregation
            | NestedAggregation
            | AmbiguousAggregationExpression
            | NonConstantExpression
            | UnknownFunction
            | InvalidNumberOfArguments
            | InvalidParameterUse
            | InvalidPropertyMap
            | InvalidRegex
            | CreatingVarLength
            | NoSingleRelationshipType
            | RequiresDirectedRelationship
            | InvalidDelete
            | UnsupportedIndex
            | TooFewReferences => ErrorClass::SyntaxError,
        }
    }

    /// The only phase this code can be raised in, if there is one.
    pub fn phase(self) -> Option<Phase> {
        use Code::*;
        match self {
            InvalidArgumentType
            | NegativeIntegerArgument
            | NumberOutOfRange
            | IntegerOverflow
            | FloatingPointOverflow
            | DivisionByZero
            | InvalidRegex
            | MissingParameter => None,
            ConstraintValidationFailed
            | ClauseArgumentType
            | InvalidArgumentValue
            | InvalidPropertyType
            | MapElementAccessByNonString
            | DeleteConnectedNode
            | DeletedEntityAccess
            | MergeReadOwnWrites
            | CreatingWithNull
            | IndexAlreadyExists
            | EquivalentIndexExists
            | IndexNotFound
            | TooManyGroups
            | Cancelled
            | Timeout
            | RowLimit
            | PathLimit
            | MemoryLimit
            | BadServerAddress
            | ServerUnreachable
            | CertificateRejected
            | BadCaCertificate
            | AuthenticationFailed
            | ConnectionDropped
            | ReadOnlyReplica
            | ServerError
            | ProtocolError
            | Unsupported
            | UnrepresentableAnswer => Some(Phase::Runtime),
            _ => Some(Phase::Compile),
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct QueryError {
    /// The detail code, e.g. [`Code::UndefinedVariable`]; it decides the
    /// class ([`QueryError::class`]).
    pub code: Code,
    pub phase: Phase,
    pub message: String,
    pub span: Option<Span>,
    pub help: Option<String>,
}

impl QueryError {
    pub fn compile(code: Code, message: impl Into<String>, span: Span) -> QueryError {
        debug_assert!(code.phase() != Some(Phase::Runtime), "{code} raised at compile time");
        QueryError {
            code,
            phase: Phase::Compile,
            message: message.into(),
            span: Some(span),
            help: None,
        }
    }

    pub fn runtime(code: Code, message: impl Into<String>, span: Option<Span>) -> QueryError {
        debug_assert!(code.phase() != Some(Phase::Compile), "{code} raised at run time");
        QueryError {
            code,
            phase: Phase::Runtime,
            message: message.into(),
            span,
            help: None,
        }
    }

    /// The openCypher class, from the code and the phase.
    pub fn class(&self) -> ErrorClass {
        self.code.class(self.phase)
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
            code: e.code,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_class_in_each_phase_it_can_be_raised_in() {
        for &code in Code::ALL {
            let phases = match code.phase() {
                Some(p) => vec![p],
                None => vec![Phase::Compile, Phase::Runtime],
            };
            for p in phases {
                let class = code.class(p);
                if p == Phase::Compile {
                    assert!(
                        matches!(
                            class,
                            ErrorClass::SyntaxError | ErrorClass::SemanticError | ErrorClass::ParameterMissing
                        ),
                        "{code} at compile time is {class:?}"
                    );
                }
            }
            assert!(!code.name().is_empty());
        }
    }

    #[test]
    fn names_are_the_opencypher_ones() {
        assert_eq!(Code::ClauseArgumentType.name(), "InvalidArgumentType");
        assert_eq!(
            Code::ClauseArgumentType.class(Phase::Runtime),
            ErrorClass::ArgumentError
        );
        assert_eq!(Code::InvalidArgumentType.class(Phase::Runtime), ErrorClass::TypeError);
        assert_eq!(Code::InvalidArgumentType.class(Phase::Compile), ErrorClass::SyntaxError);
        assert_eq!(Code::IntegerOverflow.class(Phase::Compile), ErrorClass::SyntaxError);
        assert_eq!(Code::IntegerOverflow.class(Phase::Runtime), ErrorClass::ArithmeticError);
        assert_eq!(Code::DeleteConnectedNode.to_string(), "DeleteConnectedNode");
    }
}
