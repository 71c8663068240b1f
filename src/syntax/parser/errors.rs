//! pest failures to messages a user can act on: "unexpected 'FROM';
//! expected AS, ORDER BY, ...", never grammar rule names. pest reports the
//! rules (and, with error detail on, the literal tokens) it tried at the
//! furthest position it reached; a table gives each a phrase and a weight.

use pest::error::{ErrorVariant, InputLocation};

use super::Rule;
use super::prescan::MAX_NESTING;
use crate::diag::{Span, did_you_mean};
use crate::error::Code;
use crate::syntax::SyntaxError;
use crate::syntax::keywords::is_reserved;

/// How strongly a phrase belongs in the message, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Weight {
    /// A bracket that must be closed: the likeliest mistake.
    Close,
    /// Something that must come next (an expression, a label, ...).
    Item,
    /// A keyword that may come next.
    Keyword,
    /// Another clause, or another statement.
    Clause,
    /// The end of the input.
    End,
    /// Operators and optional decorations that could extend what came
    /// before; mentioned only when nothing else is possible.
    More,
}

const CLAUSE: &str = "a clause (MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN, CREATE, MERGE, SET, REMOVE, DELETE)";
const STATEMENT: &str = "a statement (MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN, CREATE, MERGE, EXPLAIN, PROFILE, TRANSLATE, DESCRIBE, OVERLAP, DIFF, PATH, MATRIX)";
const END_PHRASE: &str = "the end of the query";
const CLAUSE_WORDS: &[&str] = &[
    "MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CREATE", "MERGE", "SET", "REMOVE", "DELETE", "DETACH",
];
const STATEMENT_WORDS: &[&str] = &[
    "EXPLAIN",
    "PROFILE",
    "TRANSLATE",
    "DESCRIBE",
    "OVERLAP",
    "DIFF",
    "PATH",
    "MATRIX",
    "DROP",
    "SHOW",
];
/// openCypher clauses rolegraph does not run.
const UNSUPPORTED: &[&str] = &["CALL", "FOREACH", "LOAD", "USE"];

fn rule_phrase(rule: Rule) -> Option<(Weight, &'static str)> {
    use Rule::*;
    use Weight::*;
    Some(match rule {
        node_close => (Close, "')' to close the node pattern"),
        rel_close => (Close, "']' to close the relationship pattern"),
        paren_close => (Close, "')'"),
        list_close => (Close, "']' to close the list"),
        subscript_close => (Close, "']'"),
        map_close => (Close, "'}' to close the map"),
        subquery_close => (Close, "'}' to close the subquery"),
        expression | or_expr | xor_expr | and_expr | not_expr | comparison | predicate_expr | add_expr | mul_expr
        | pow_expr | unary_expr | postfix_expr | atom | literal | projection_body | projection_items
        | projection_item | sort_item | slice_lower | slice_upper | case_operand => (Item, "an expression"),
        variable | comp_path_var => (Item, "a variable name"),
        label_name => (Item, "a label"),
        rel_type_name => (Item, "a relationship type"),
        rel_detail => (
            Item,
            "'-' or '[' (relationships are written -->, <--, -- or -[r:TYPE]->)",
        ),
        plain_name | quoted_name => (More, "a name"),
        type_list => (Item, "a relationship type"),
        prop_key | property_lookup => (Item, "a property name"),
        map_entry => (Item, "a map entry (key: value)"),
        pattern | pattern_part | node_pattern | rel_chain | subquery_pattern => (Item, "a node pattern such as (n)"),
        node_ref | bare_ref => (Item, "a node name or id (quote names with spaces)"),
        string_literal => (Item, "a string"),
        range_min | range_max | number | dec_int => (Item, "a number"),
        parameter => (Item, "a parameter such as $name"),
        function_name => (Item, "a function name"),
        statement | script => (Clause, STATEMENT),
        clause | single_query | match_clause | unwind_clause | with_clause | return_clause | create_clause => {
            (Clause, CLAUSE)
        }
        AS => (Keyword, "AS"),
        FOR => (Keyword, "FOR"),
        INDEX | INDEXES => (Keyword, "INDEX"),
        index_name => (Item, "an index name"),
        index_key => (Item, "a property such as n.key"),
        BY => (Keyword, "BY"),
        TO => (Keyword, "TO"),
        IN | in_op => (Keyword, "IN"),
        WITH => (Keyword, "WITH"),
        MATCH => (Keyword, "MATCH"),
        WHERE | where_clause | comp_filter => (Keyword, "WHERE"),
        ORDER | order_by => (Keyword, "ORDER BY"),
        SKIP | skip => (Keyword, "SKIP"),
        LIMIT | limit => (Keyword, "LIMIT"),
        UNION | union => (Keyword, "UNION"),
        WHEN | case_when => (Keyword, "WHEN"),
        THEN => (Keyword, "THEN"),
        ELSE | case_else => (Keyword, "ELSE"),
        END => (Keyword, "END"),
        NULL => (Keyword, "NULL"),
        NOT | null_negated => (Keyword, "NOT"),
        comp_map => (Keyword, "'|'"),
        EOI => (End, END_PHRASE),
        comp_op | pred_op | add_op | mul_op | pow_op | postfix | AND | OR | XOR | IS | null_test | left_arrow
        | right_arrow | rel_pattern | pattern_chain | properties | var_length | DISTINCT | distinct | ON | VIA
        | path_all | ALL | union_all | sort_dir | range_dots | slice_rest | map_literal | node_labels | label_test
        | rel_types => (More, "an operator"),
        _ => return None,
    })
}

/// Literal tokens worth naming (punctuation and keywords), from pest's
/// display of them (keywords print upper-cased).
fn token_phrase(token: &str) -> Option<(Weight, String)> {
    match token {
        ")" | "]" | "}" => Some((Weight::Close, format!("'{token}'"))),
        // '=' is only ever wanted after a path variable (`p = (a)-->(b)`);
        // "expected a node pattern" says more than "expected '='".
        ":" | "," | "(" | "[" | "{" | "|" | ">" | "*" | ".." => Some((Weight::Item, format!("'{token}'"))),
        "E" => None,
        t if t.len() > 1 && t.chars().all(|c| c.is_ascii_uppercase()) => Some((Weight::Keyword, t.to_string())),
        _ => None,
    }
}

pub(super) fn translate(text: &str, e: &pest::error::Error<Rule>) -> SyntaxError {
    let rule_pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    match &e.variant {
        ErrorVariant::CustomError { message } => limit_error(message, rule_pos, text),
        ErrorVariant::ParsingError { positives, .. } => {
            let (pos, expected) = expectations(e, rule_pos, positives);
            describe(text, pos, &expected)
        }
    }
}

/// `n` with commas between groups of three digits.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether pest stopped on one of its resource limits (not on the text).
pub(super) fn is_limit(e: &pest::error::Error<Rule>) -> bool {
    matches!(e.variant, ErrorVariant::CustomError { .. })
}

/// pest's resource limits: the stack guard and the call budget.
fn limit_error(message: &str, pos: usize, text: &str) -> SyntaxError {
    let message = if message.contains("stack") {
        format!("nesting too deep (more than {MAX_NESTING} levels)")
    } else {
        format!(
            "query too complex to parse: it needed more than {} parser steps, the limit for {} bytes \
             of text ({} plus {} per byte); simplify it (a long list or map literal can come from a \
             parameter, -p), or split it into several statements",
            grouped(super::call_budget(text.len())),
            grouped(text.len()),
            grouped(super::CALL_BASE),
            super::CALLS_PER_BYTE
        )
    };
    SyntaxError::new(Code::TooComplex, message, Span::new(pos.min(text.len()), text.len()))
}

/// Where parsing failed and the phrases for what could have come there.
/// pest tracks rules and literal tokens separately; a literal token tried
/// further along (the ':' in `{a 1}`) is the more precise report.
fn expectations(e: &pest::error::Error<Rule>, rule_pos: usize, positives: &[Rule]) -> (usize, Vec<(Weight, String)>) {
    let from_rules: Vec<(Weight, String)> = positives
        .iter()
        .filter_map(|r| rule_phrase(*r))
        .map(|(w, p)| (w, p.to_string()))
        .collect();
    let Some(attempts) = e.parse_attempts() else {
        return (rule_pos, from_rules);
    };
    let tokens: Vec<(Weight, String)> = attempts
        .expected_tokens()
        .iter()
        .filter_map(|t| token_phrase(&t.to_string()))
        .collect();
    if attempts.max_position > rule_pos && !tokens.is_empty() {
        let mut expected = tokens;
        let deepest = attempts
            .call_stacks()
            .into_iter()
            .filter_map(|s| s.deepest.get_rule().copied());
        expected.extend(deepest.filter_map(close_phrase));
        return (attempts.max_position, expected);
    }
    (rule_pos, from_rules)
}

/// A rule that was half-way through when a token was missing, if it makes
/// the token's phrase clearer (`')' to close the node pattern`).
fn close_phrase(rule: Rule) -> Option<(Weight, String)> {
    rule_phrase(rule)
        .filter(|(w, _)| *w == Weight::Close)
        .map(|(w, p)| (w, p.to_string()))
}

/// The message for a failure at `pos`.
fn describe(text: &str, pos: usize, expected: &[(Weight, String)]) -> SyntaxError {
    let found = Found::at(text, pos);
    let expected_text = choose(expected).map(|t| in_context(t, text, pos));
    let mut help = None;
    if let Found::Word(word, _) = &found {
        let upper = word.to_uppercase();
        if UNSUPPORTED.contains(&upper.as_str()) {
            return SyntaxError::new(
                Code::UnexpectedSyntax,
                format!("{upper} is not supported: rolegraph runs read queries and the editing clauses"),
                found.span(),
            );
        }
        // A malformed number: letters glued onto digits the parser took as
        // a number, or a digit-led word where a number could stand. Where
        // no number can stand (a map key, a label) it is simply unexpected.
        let glued = found.span().start < pos;
        let number_fits = glued || expected.iter().any(|(_, p)| p == "an expression" || p == "a number");
        if number_fits && word.starts_with(|c: char| c.is_ascii_digit()) && !word.chars().all(|c| c.is_ascii_digit()) {
            return SyntaxError::new(
                Code::InvalidNumberLiteral,
                format!("invalid number literal '{word}'"),
                found.span(),
            );
        }
        if is_reserved(&upper) && expected_text.as_deref().is_some_and(|t| t.contains("variable")) {
            help = Some(format!(
                "{upper} is a reserved word; to use it as a name, quote it: `{word}`"
            ));
        } else if expected_text.as_deref() == Some(END_PHRASE) && in_domain_statement(text, pos) {
            help = Some("quote names with spaces: DESCRIBE 'Chief Technology Officer'".to_string());
        } else {
            help = suggest(word, expected);
        }
    }
    let message = match expected_text {
        Some(exp) => format!("unexpected {}; expected {exp}", found.describe()),
        None => format!("unexpected {}", found.describe()),
    };
    // A character no token can start with, outside ASCII (a dash or a
    // quote mark from a word processor), has its own code.
    // Inside `-[...]`, where only its closing bracket or more of its
    // detail could come, the relationship pattern itself is malformed.
    let rel_close = rule_phrase(Rule::rel_close).map(|(_, p)| p);
    let code = match &found {
        Found::Other(s, _) if !s.is_ascii() => Code::InvalidUnicodeCharacter,
        _ if expected.iter().any(|(_, p)| Some(p.as_str()) == rel_close) => Code::InvalidRelationshipPattern,
        _ => Code::UnexpectedSyntax,
    };
    SyntaxError {
        code,
        message,
        span: found.span(),
        help,
    }
}

/// Sharpens the phrase with what came just before the failure: `$` wants
/// a parameter name, `:` a label or type.
fn in_context(expected: String, text: &str, pos: usize) -> String {
    let prev = text.get(..pos).and_then(|t| t.trim_end().chars().last());
    match prev {
        Some('$') => "a parameter name".to_string(),
        Some(c @ (':' | '|')) if expected == "a label" || expected == "a relationship type" => {
            format!("{expected} after '{c}'")
        }
        _ => expected,
    }
}

/// The phrases worth saying: the strongest group, plus keywords and
/// clauses when the strongest is an item (they are alternatives to it).
fn choose(expected: &[(Weight, String)]) -> Option<String> {
    // `(` in an expression may open a pattern (`(a)-->(b)`), but "expected
    // ')' to close the node pattern" would only mislead there.
    let expression = expected.iter().any(|(_, p)| p == "an expression");
    let node_close = rule_phrase(Rule::node_close).map(|(_, p)| p);
    let expected: Vec<&(Weight, String)> = expected
        .iter()
        .filter(|(_, p)| !(expression && Some(p.as_str()) == node_close))
        .collect();
    let best = expected.iter().map(|(w, _)| *w).min()?;
    let keep = |w: Weight| match best {
        Weight::Close => w <= Weight::Item,
        Weight::More => w == Weight::More,
        Weight::End => w == Weight::End,
        _ => w >= best && w <= Weight::Clause,
    };
    let mut phrases: Vec<(Weight, &str)> = expected
        .iter()
        .filter(|(w, _)| keep(*w))
        .map(|(w, p)| (*w, p.as_str()))
        .collect();
    phrases.sort();
    phrases.dedup_by(|a, b| a.1 == b.1);
    // A variable and a pattern are expressions too (comprehensions start so).
    if phrases.iter().any(|(_, p)| *p == "an expression") {
        phrases.retain(|(_, p)| *p != "a variable name" && *p != "a node pattern such as (n)");
    }
    if phrases.iter().any(|(_, p)| *p == STATEMENT) {
        phrases.retain(|(_, p)| *p != CLAUSE);
    }
    Some(join_or(&phrases.iter().map(|(_, p)| *p).collect::<Vec<_>>()))
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Whether the statement around `pos` is DESCRIBE, OVERLAP, DIFF, PATH or MATRIX,
/// whose bare names end at the first space.
fn in_domain_statement(text: &str, pos: usize) -> bool {
    let start = text.get(..pos).and_then(|t| t.rfind(';')).map_or(0, |i| i + 1);
    let first = text
        .get(start..pos)
        .and_then(|t| t.split_whitespace().next())
        .unwrap_or("");
    ["DESCRIBE", "OVERLAP", "DIFF", "PATH", "MATRIX"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(first))
}

/// "did you mean 'WHERE'?" when the misplaced word looks like a keyword
/// that could have come here.
fn suggest(word: &str, expected: &[(Weight, String)]) -> Option<String> {
    let mut candidates: Vec<&str> = Vec::new();
    for (w, phrase) in expected {
        match (w, phrase.as_str()) {
            (_, STATEMENT) => candidates.extend(CLAUSE_WORDS.iter().chain(STATEMENT_WORDS)),
            (_, CLAUSE) => candidates.extend(CLAUSE_WORDS),
            (Weight::Keyword, p) => candidates.push(p.split(' ').next().unwrap_or(p)),
            _ => {}
        }
    }
    candidates.retain(|c| c.chars().all(|ch| ch.is_ascii_alphabetic()));
    if candidates.iter().any(|c| c.eq_ignore_ascii_case(word)) {
        return None;
    }
    did_you_mean(word, candidates)
}

/// What stood where parsing failed.
enum Found {
    End(usize),
    Word(String, Span),
    Other(String, Span),
}

impl Found {
    fn at(text: &str, pos: usize) -> Found {
        let Some(rest) = text.get(pos..).filter(|r| !r.trim().is_empty()) else {
            return Found::End(text.len());
        };
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        let first = rest.chars().next().unwrap_or(' ');
        if is_word(first) {
            // Include characters glued on before (`1abc` fails at `a`).
            let start = text[..pos]
                .rfind(|c: char| !is_word(c))
                .map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
            let len = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
            return Found::Word(text[start..pos + len].to_string(), Span::new(start, pos + len));
        }
        let len = ["<>", "<=", ">=", "!=", "=~", "..", "->", "<-", "--"]
            .iter()
            .find(|op| rest.starts_with(**op))
            .map_or(first.len_utf8(), |op| op.len());
        Found::Other(rest[..len].to_string(), Span::new(pos, pos + len))
    }

    fn describe(&self) -> String {
        match self {
            Found::End(_) => "end of input".to_string(),
            Found::Word(w, _) | Found::Other(w, _) => {
                let shown: String = w.chars().take(30).collect();
                format!("'{shown}'")
            }
        }
    }

    fn span(&self) -> Span {
        match self {
            Found::End(at) => Span::new(*at, *at),
            Found::Word(_, s) | Found::Other(_, s) => *s,
        }
    }
}
