//! Parser tests for what goes wrong: error messages and their spans,
//! keyword suggestions, and the limits on nesting and tree depth.

use super::parse_script;
use super::tests::{err, parse, sp};

// ------------------------------------------------------------ errors

/// (query, message, span start, span end)
pub(super) const ERRORS: &[(&str, &str, usize, usize)] = &[
    (
        "MATCH (n RETURN n",
        "unexpected 'RETURN'; expected ')' to close the node pattern",
        9,
        15,
    ),
    (
        "MATCH (n:) RETURN n",
        "unexpected ')'; expected a label after ':'",
        9,
        10,
    ),
    (
        "MATCH (n)-[:]->(m) RETURN n",
        "unexpected ']'; expected a relationship type after ':'",
        12,
        13,
    ),
    (
        "MATCH (n)-[r:KNOWS->(m) RETURN n",
        "unexpected '->'; expected ']' to close the relationship pattern",
        18,
        20,
    ),
    (
        "MATCH (n) RETURN",
        "unexpected end of input; expected an expression",
        16,
        16,
    ),
    ("RETURN 1 +", "unexpected end of input; expected an expression", 10, 10),
    ("RETURN (1 + 2", "unexpected end of input; expected ')'", 13, 13),
    (
        "RETURN [1, 2",
        "unexpected end of input; expected ']' to close the list",
        12,
        12,
    ),
    (
        "RETURN {a: 1",
        "unexpected end of input; expected '}' to close the map",
        12,
        12,
    ),
    ("RETURN {a 1}", "unexpected '1'; expected ':'", 10, 11),
    ("UNWIND [1] x RETURN x", "unexpected 'x'; expected AS", 11, 12),
    ("RETURN f(1,)", "unexpected ')'; expected an expression", 11, 12),
    (
        "RETURN CASE WHEN 1 THEN 2",
        "unexpected end of input; expected ELSE, END or WHEN",
        25,
        25,
    ),
    (
        "RETURN 1 AS",
        "unexpected end of input; expected a variable name",
        11,
        11,
    ),
    (
        "MATCH (n) WHERE RETURN n",
        "unexpected 'RETURN'; expected an expression",
        16,
        22,
    ),
    ("PATH a b", "unexpected 'b'; expected TO", 7, 8),
    (
        "DESCRIBE",
        "unexpected end of input; expected a node name or id (quote names with spaces)",
        8,
        8,
    ),
    ("RETURN x IS 5", "unexpected '5'; expected NOT or NULL", 12, 13),
    ("RETURN n.", "unexpected end of input; expected a property name", 9, 9),
    (
        "MATCH (n) RETURN n FROM x",
        "unexpected 'FROM'; expected AS, LIMIT, ORDER BY, SKIP, UNION or a clause (MATCH, OPTIONAL MATCH, UNWIND, WITH, \
         RETURN, CREATE, MERGE, SET, REMOVE, DELETE)",
        19,
        23,
    ),
    (
        "RETURN [, ]",
        "unexpected ','; expected ']' to close the list or an expression",
        8,
        9,
    ),
    ("RETURN 'abc", "unterminated string literal", 7, 8),
    ("RETURN 1 /* never closed", "unterminated comment (missing '*/')", 9, 11),
    ("RETURN `abc", "unterminated quoted name (missing closing '`')", 7, 8),
    (
        "RETURN 'a\\qb'",
        "invalid escape sequence '\\q' in string literal",
        9,
        11,
    ),
    (
        "RETURN '\\uH'",
        "invalid escape sequence '\\uH' in string literal",
        8,
        11,
    ),
    ("RETURN 9223372036854775808", "integer literal is too large", 7, 26),
    ("RETURN -9223372036854775809", "integer literal is too large", 8, 27),
    ("RETURN 0x10000000000000000", "integer literal is too large", 7, 26),
    ("RETURN 1.34E999", "float literal is too large", 7, 15),
    (
        "RETURN 9223372h54775808",
        "invalid number literal '9223372h54775808'",
        7,
        23,
    ),
    (
        "MATCH ()-[*99999999999999999999]->() RETURN 1",
        "relationship length bound is too large",
        11,
        31,
    ),
    (
        "RETURN 1; RETURN (",
        "unexpected end of input; expected an expression",
        18,
        18,
    ),
    (
        "MATCH n RETURN n",
        "unexpected 'n'; expected a node pattern such as (n)",
        6,
        7,
    ),
    (
        "MATCH (n)->(m) RETURN n",
        "unexpected '>'; expected '-' or '[' (relationships are written -->, <--, -- or -[r:TYPE]->)",
        10,
        11,
    ),
    (
        "MATCH (a)-[:KNOWS]-> RETURN a",
        "unexpected 'RETURN'; expected a node pattern such as (n)",
        21,
        27,
    ),
    ("MATCH (n) RETURN n ORDER n", "unexpected 'n'; expected BY", 25, 26),
    ("RETURN x STARTS 'a'", "unexpected '''; expected WITH", 16, 17),
    (
        "RETURN count(DISTINCT)",
        "unexpected ')'; expected an expression",
        21,
        22,
    ),
    ("RETURN $", "unexpected end of input; expected a parameter name", 8, 8),
    (
        "PATH a TO b VIA",
        "unexpected end of input; expected a relationship type",
        15,
        15,
    ),
    ("OPTIONAL (n) RETURN n", "unexpected '('; expected MATCH", 9, 10),
    (
        "RETURN CASE END",
        "unexpected 'END'; expected an expression or WHEN",
        12,
        15,
    ),
    (
        "MATCH (n) WHERE n.name == 'x' RETURN n",
        "unexpected '='; expected an expression",
        24,
        25,
    ),
];

#[test]
fn error_messages_and_spans() {
    for (q, message, start, end) in ERRORS {
        let e = err(q);
        assert_eq!((e.message.as_str(), e.span), (*message, sp(*start, *end)), "{q}");
    }
}

#[test]
fn misspelled_keywords_get_suggestions() {
    let help = |q: &str| err(q).help;
    assert_eq!(help("MACH (n) RETURN n").as_deref(), Some("did you mean 'MATCH'?"));
    assert_eq!(help("MATCH (n) RETRUN n").as_deref(), Some("did you mean 'RETURN'?"));
    assert_eq!(
        help("MATCH (n) WEHRE n.x = 1 RETURN n").as_deref(),
        Some("did you mean 'WHERE'?")
    );
    assert_eq!(
        help("MATCH (n) RETURN n ORDRE BY n").as_deref(),
        Some("did you mean 'ORDER'?")
    );
    assert_eq!(
        help("MATCH (n) RETURN n LIMT 1").as_deref(),
        Some("did you mean 'LIMIT'?")
    );
    assert_eq!(
        help("OPTINAL MATCH (n) RETURN n").as_deref(),
        Some("did you mean 'OPTIONAL'?")
    );
    assert_eq!(help("DESCRIBLE cto").as_deref(), Some("did you mean 'DESCRIBE'?"));
    assert_eq!(
        help("UNWIND [1] AS end RETURN 1").as_deref(),
        Some("END is a reserved word; to use it as a name, quote it: `end`")
    );
    assert_eq!(help("MATCH (n) RETURN n FROM x"), None);
    let e = err("DESCRIBE Chief Technology Officer");
    assert_eq!(e.message, "unexpected 'Technology'; expected the end of the query");
    assert_eq!(
        e.help.as_deref(),
        Some("quote names with spaces: DESCRIBE 'Chief Technology Officer'")
    );
    let e = err("MATCH (n) RETRUN n");
    assert_eq!(
        e.message,
        "unexpected 'RETRUN'; expected UNION, WHERE or a clause (MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN, CREATE, MERGE, SET, REMOVE, DELETE)"
    );
    assert_eq!(e.span, sp(10, 16));
}

#[test]
fn messages_never_name_grammar_rules() {
    let rules = [
        "_expr", "_clause", "_close", "_name", "_body", "_lit", "EOI", "SOI", "Rule", "pest",
    ];
    for q in [
        "MATCH",
        "MATCH (",
        "MATCH ()-[",
        "RETURN 1 AS x ORDER",
        "WITH",
        "UNWIND",
        "CREATE (a)-",
        "RETURN [x IN",
        "RETURN {a:",
    ] {
        let e = err(q);
        assert!(!rules.iter().any(|r| e.message.contains(r)), "{q}: {}", e.message);
    }
}

// ------------------------------------------------------------ limits

/// Runs `f` on a thread with an ordinary 2 MiB stack.
pub(super) fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap_or_else(|e| panic!("{e}"));
    if let Err(panic) = handle.join() {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    on_small_stack(|| {
        let n = 100_000;
        let cases = [
            format!("RETURN {}1{}", "(".repeat(n), ")".repeat(n)),
            format!("RETURN {}1{}", "[".repeat(n), "]".repeat(n)),
            format!("RETURN {}", "{a: ".repeat(n)),
            format!("RETURN {}true", "NOT ".repeat(n)),
            format!("RETURN {}1", "- ".repeat(n)),
            format!("RETURN {}1", "CASE WHEN true THEN ".repeat(n)),
            format!("{}RETURN 1", "EXPLAIN ".repeat(n)),
        ];
        for q in &cases {
            let e = err(q);
            assert_eq!(e.message, "nesting too deep (more than 256 levels)", "{}", &q[..40]);
        }
    });
}

#[test]
fn long_operator_chains_are_limited_too() {
    on_small_stack(|| {
        let n = 1_500;
        for q in [
            format!("RETURN 1{}", " + 1".repeat(n)),
            format!("RETURN a{}", ".b".repeat(n)),
            format!("RETURN a{}", "[0]".repeat(n)),
            format!("RETURN true{}", " OR false".repeat(n)),
            format!("RETURN 1{}", " < 2".repeat(n)),
            format!("RETURN x{}", " IS NULL".repeat(n)),
        ] {
            assert_eq!(
                err(&q).message,
                "expression nested too deep (more than 1000 levels)",
                "{}",
                &q[..30]
            );
        }
        // Much longer chains fail one way or another, but never crash.
        assert!(parse_script(&format!("RETURN 1{}", " * 1".repeat(5_000))).is_err());
        // A long flat list is fine.
        parse(&format!("RETURN [{}1]", "1, ".repeat(5_000)));
    });
}

#[test]
fn nesting_up_to_the_limit_parses() {
    on_small_stack(|| {
        let n = 256;
        parse(&format!("RETURN {}1{}", "(".repeat(n), ")".repeat(n)));
        parse(&format!("RETURN {}1{}", "[".repeat(n), "]".repeat(n)));
        parse(&format!("RETURN {}true", "NOT ".repeat(n)));
        let e = err(&format!("RETURN {}1{}", "(".repeat(n + 1), ")".repeat(n + 1)));
        assert_eq!(e.span, sp(7 + n, 8 + n));
    });
}

/// Each parse failure carries the openCypher detail code for what went
/// wrong, decided by where it failed, not by the query.
#[test]
fn parse_errors_carry_detail_codes() {
    use crate::error::Code::*;
    let cases = [
        ("RETURN [, ] AS x", UnexpectedSyntax),
        ("RETURN {1} AS x", UnexpectedSyntax),
        ("RETURN {2abc: 1} AS x", UnexpectedSyntax),
        ("RETURN 12abc AS x", InvalidNumberLiteral),
        ("RETURN 0x1G AS x", InvalidNumberLiteral),
        ("WITH 1 AS a RETURN a + 3z", InvalidNumberLiteral),
        ("RETURN 99999999999999999999", IntegerOverflow),
        ("RETURN 1e999", FloatingPointOverflow),
        ("RETURN '\\uZZ'", InvalidUnicodeLiteral),
        ("RETURN 2 \u{2014} 1", InvalidUnicodeCharacter),
        ("MATCH (a)-[:T..]->(b) RETURN a", InvalidRelationshipPattern),
        ("MATCH (a)-[*-1]->(b) RETURN a", InvalidRelationshipPattern),
        ("MATCH (a) RETURN a LIMT 1", UnexpectedSyntax),
    ];
    for (q, code) in cases {
        assert_eq!(err(q).code, code, "{q}: {}", err(q).message);
    }
}
