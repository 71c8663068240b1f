//! Query text to the spanned syntax tree. pest recognises the text
//! (`grammar/cypher.pest`); the submodules turn its pairs into `ast` nodes
//! and its failures into messages a user can act on.
//!
//! Untrusted text goes through a pre-scan first (nesting depth, unterminated
//! strings and comments), so no input can exhaust the stack or panic.

mod build_expr;
mod build_pattern;
mod build_stmt;
mod build_update;
mod depth;
mod errors;
mod literal;
mod prescan;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_errors;

use std::num::NonZeroUsize;

use pest::Parser as _;
use pest_derive::Parser;

use super::SyntaxError;
use super::ast::Script;
use crate::diag::Span;

#[derive(Parser)]
#[grammar = "../grammar/cypher.pest"]
struct CypherParser;

type Pair<'i> = pest::iterators::Pair<'i, Rule>;

/// How many rule calls one parse may make: a base for any text plus an
/// allowance per byte, so that the budget grows with the input. Real
/// queries need a few calls per byte: a string literal about three, a
/// script from `export cypher` about thirty, a list of one-digit numbers
/// about 120 (some 250 per item). The budget only stops pathological
/// backtracking, whose cost grows faster than the text, from running for
/// minutes: at 64 per byte a refusal comes after a few seconds per
/// megabyte.
pub const CALL_BASE: usize = 20_000_000;
/// The allowance per byte of text (see [`CALL_BASE`]).
pub const CALLS_PER_BYTE: usize = 64;

/// The call budget for parsing `len` bytes.
pub fn call_budget(len: usize) -> usize {
    CALL_BASE.saturating_add(CALLS_PER_BYTE.saturating_mul(len))
}

/// Parses one or more `;`-separated statements. Spans are byte offsets into
/// `text`.
pub fn parse_script(text: &str) -> Result<Script, SyntaxError> {
    prescan::check(text)?;
    // A short query with few brackets cannot nest deeply (at most ~64
    // levels even as a run of NOTs): parse it here, since a thread would
    // cost more than the parse itself.
    if text.len() <= 256 && text.bytes().filter(|b| matches!(b, b'(' | b'[' | b'{')).count() <= 16 {
        return parse_checked(text);
    }
    // pest recurses several frames per nesting level (a lot of stack in
    // debug builds), so parse on a thread whose stack fits the deepest
    // nesting the pre-scan lets through, whatever the caller's stack is.
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(PARSE_STACK)
            .spawn_scoped(scope, || parse_checked(text));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: pest's own stack guard still turns
            // exhaustion into an error.
            Err(_) => parse_checked(text),
        }
    })
}

/// Stack for the parsing thread; only the pages touched are ever committed.
const PARSE_STACK: usize = 64 << 20;

/// Serialises parses: pest's call limit and error detail are process-wide
/// settings read when a parse starts, and each parse sets its own.
static PEST: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn parse_checked(text: &str) -> Result<Script, SyntaxError> {
    let mut pairs = {
        let _only_one = PEST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        pest::set_call_limit(NonZeroUsize::new(call_budget(text.len())));
        // pest's error detail (the expected tokens that `errors` turns into
        // words) doubles the cost of every parse, so it is off; a query that
        // fails is parsed again with it on, unless it failed on the budget
        // (the second parse would only fail the same way, twice as slowly).
        match CypherParser::parse(Rule::script, text) {
            Ok(pairs) => pairs,
            Err(e) if errors::is_limit(&e) => return Err(errors::translate(text, &e)),
            Err(_) => {
                pest::set_error_detail(true);
                let again = CypherParser::parse(Rule::script, text);
                pest::set_error_detail(false);
                again.map_err(|e| errors::translate(text, &e))?
            }
        }
    };
    let script = pairs
        .next()
        .ok_or_else(|| internal_at(Span::new(0, text.len()), "empty parse"))?;
    build_stmt::script(script)
}

/// Where `p` is in the text, without the whitespace and comments pest
/// leaves at the end of a rule that ends in an unmatched `?` or `*`.
fn span_of(p: &Pair) -> Span {
    let s = p.as_span();
    Span::new(s.start(), trimmed_end(p))
}

/// The source text of `p`, trimmed like `span_of`.
fn text_of<'i>(p: &Pair<'i>) -> &'i str {
    let span = span_of(p);
    p.as_span().get_input().get(span.start..span.end).unwrap_or("")
}

/// The end of the last real token in `p`: the trimmed end of its last child,
/// then any punctuation literals (never pairs) between that and `p`'s end.
fn trimmed_end(p: &Pair) -> usize {
    let text = p.as_span().get_input();
    let mut path = vec![p.clone()];
    while let Some(last) = path.last().and_then(|q| q.clone().into_inner().next_back()) {
        path.push(last);
    }
    let Some(leaf) = path.pop() else {
        return p.as_span().end();
    };
    let (start, end) = (leaf.as_span().start(), leaf.as_span().end());
    // Atomic leaves hold no trailing trivia, and may contain `//` themselves.
    let atomic = matches!(
        leaf.as_rule(),
        Rule::quoted_name | Rule::single_quoted | Rule::double_quoted
    );
    let mut real_end = if atomic { end } else { last_token_end(text, start, end) };
    for q in path.iter().rev() {
        real_end = last_token_end(text, real_end, q.as_span().end());
    }
    real_end
}

/// The end of the last non-trivia character in `text[from..to]` (which holds
/// only punctuation, whitespace and comments), or `from`.
fn last_token_end(text: &str, from: usize, to: usize) -> usize {
    let Some(gap) = text.get(from..to) else { return to };
    let mut end = from;
    let mut i = 0;
    while let Some(c) = gap[i..].chars().next() {
        let rest = &gap[i..];
        if rest.starts_with("//") {
            i = rest.find('\n').map_or(gap.len(), |n| i + n);
        } else if rest.starts_with("/*") {
            i = rest.find("*/").map_or(gap.len(), |n| i + n + 2);
        } else {
            i += c.len_utf8();
            if !c.is_whitespace() {
                end = from + i;
            }
        }
    }
    end
}

/// The grammar and the builder disagree: a bug here, never the user's.
fn internal(p: &Pair, what: &str) -> SyntaxError {
    internal_at(span_of(p), what)
}

fn internal_at(span: Span, what: &str) -> SyntaxError {
    SyntaxError {
        code: crate::error::Code::InternalError,
        message: format!("internal parser error ({what}); please report this query"),
        span,
        help: None,
    }
}

/// The children of `p` that carry meaning (keyword tokens and punctuation
/// rules are skipped).
fn children<'i>(p: &Pair<'i>) -> impl Iterator<Item = Pair<'i>> + use<'i> {
    p.clone().into_inner().filter(|c| !is_token(c.as_rule()))
}

/// The first child of `p` with rule `rule`.
fn child<'i>(p: &Pair<'i>, rule: Rule) -> Option<Pair<'i>> {
    p.clone().into_inner().find(|c| c.as_rule() == rule)
}

/// Like `child`, for children the grammar guarantees.
fn required<'i>(p: &Pair<'i>, rule: Rule) -> Result<Pair<'i>, SyntaxError> {
    child(p, rule).ok_or_else(|| internal(p, &format!("no {rule:?} in {:?}", p.as_rule())))
}

/// Rules that are only there to be recognised or reported, never built.
fn is_token(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        node_close
            | rel_close
            | list_close
            | map_close
            | paren_close
            | subscript_close
            | range_dots
            | EOI
            | MATCH
            | OPTIONAL
            | WHERE
            | RETURN
            | WITH
            | UNWIND
            | CREATE
            | SET
            | REMOVE
            | DELETE
            | DETACH
            | MERGE
            | UNION
            | ALL
            | ORDER
            | BY
            | SKIP
            | LIMIT
            | AS
            | AND
            | OR
            | XOR
            | NOT
            | IN
            | IS
            | STARTS
            | ENDS
            | CONTAINS
            | CASE
            | WHEN
            | THEN
            | ELSE
            | END
            | COUNT
            | EXPLAIN
            | PROFILE
            | TRANSLATE
            | DESCRIBE
            | OVERLAP
            | DIFF
            | PATH
            | MATRIX
            | TO
            | VIA
            | ON
            | INDEX
            | INDEXES
            | RANGE
            | DROP_KW
            | SHOW
            | FOR
            | IF_KW
            | EXISTS_KW
    )
}
