//! The language's words, for tools that colour or complete queries (the
//! shell). The grammar itself is `grammar/cypher.pest`; a word added there
//! belongs here too.

/// Every keyword of a statement, clause or expression, upper-case.
pub const KEYWORDS: &[&str] = &[
    "MATCH",
    "OPTIONAL",
    "WHERE",
    "RETURN",
    "WITH",
    "UNWIND",
    "CREATE",
    "UNION",
    "ALL",
    "ORDER",
    "BY",
    "SKIP",
    "LIMIT",
    "ASCENDING",
    "ASC",
    "DESCENDING",
    "DESC",
    "DISTINCT",
    "AS",
    "AND",
    "OR",
    "XOR",
    "NOT",
    "IN",
    "IS",
    "STARTS",
    "ENDS",
    "CONTAINS",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "NULL",
    "TRUE",
    "FALSE",
    "EXPLAIN",
    "PROFILE",
    "TRANSLATE",
    "DESCRIBE",
    "OVERLAP",
    "DIFF",
    "PATH",
    "MATRIX",
    "TO",
    "VIA",
    "SUMMARY",
    "ON",
    "INDEX",
    "INDEXES",
    "DROP",
    "SHOW",
    "FOR",
];

/// Keywords that read as two words, offered whole by completion.
pub const PHRASES: &[&str] = &[
    "OPTIONAL MATCH",
    "ORDER BY",
    "IS NULL",
    "IS NOT NULL",
    "STARTS WITH",
    "ENDS WITH",
    "UNION ALL",
    "CREATE INDEX",
    "DROP INDEX",
    "SHOW INDEXES",
    "IF NOT EXISTS",
];

/// Keywords the grammar still accepts as variable names: rolegraph's own
/// statement words and `ALL`.
const NOT_RESERVED: &[&str] = &[
    "ALL",
    "EXPLAIN",
    "PROFILE",
    "TRANSLATE",
    "DESCRIBE",
    "OVERLAP",
    "DIFF",
    "PATH",
    "MATRIX",
    "TO",
    "VIA",
    "SUMMARY",
    "ON",
    "INDEX",
    "INDEXES",
    "DROP",
    "SHOW",
    "FOR",
];

/// openCypher clauses outside the subset: reserved all the same, so a
/// query using them is told they are unsupported, not misread as names.
const UNSUPPORTED: &[&str] = &[];

/// Whether `word` needs backticks to be used as a variable name (the
/// grammar's `keyword` rule).
pub fn is_reserved(word: &str) -> bool {
    let up = word.to_ascii_uppercase();
    let up = up.as_str();
    (KEYWORDS.contains(&up) && !NOT_RESERVED.contains(&up)) || UNSUPPORTED.contains(&up)
}
