//! Tokens with a value of their own: names (backtick quoting), numbers
//! (range checks) and strings (escapes). Every failure points at the text.

use super::{Pair, Rule, internal, span_of};
use crate::diag::Span;
use crate::error::Code;
use crate::syntax::SyntaxError;
use crate::syntax::ast::{Ident, Literal};

fn error(code: Code, message: &str, span: Span) -> SyntaxError {
    SyntaxError::new(code, message, span)
}

/// The name in a `variable`, `label_name`, `prop_key`, ... (any rule whose
/// leaf is `plain_name` or `quoted_name`), with backtick quoting removed.
pub(super) fn ident(p: &Pair) -> Result<Ident, SyntaxError> {
    Ok(Ident {
        name: name_text(p)?,
        span: span_of(p),
    })
}

pub(super) fn name_text(p: &Pair) -> Result<String, SyntaxError> {
    match p.as_rule() {
        Rule::plain_name => Ok(p.as_str().to_string()),
        Rule::quoted_name => Ok(unquote_backticks(p.as_str())),
        _ => {
            let inner = p
                .clone()
                .into_inner()
                .next()
                .ok_or_else(|| internal(p, "name without text"))?;
            name_text(&inner)
        }
    }
}

/// `` `a``b` `` is the name ``a`b``.
fn unquote_backticks(s: &str) -> String {
    let inner = s.strip_prefix('`').and_then(|s| s.strip_suffix('`')).unwrap_or(s);
    inner.replace("``", "`")
}

/// A `literal` pair. `negate` folds a unary minus written directly before a
/// number into the literal, so `-9223372036854775808` fits.
pub(super) fn literal(p: &Pair, negate: bool) -> Result<Literal, SyntaxError> {
    let inner = p
        .clone()
        .into_inner()
        .next()
        .ok_or_else(|| internal(p, "empty literal"))?;
    match inner.as_rule() {
        Rule::null_lit => Ok(Literal::Null),
        Rule::true_lit => Ok(Literal::Bool(true)),
        Rule::false_lit => Ok(Literal::Bool(false)),
        Rule::number => number(&inner, negate),
        Rule::string_literal => Ok(Literal::String(string(&inner)?)),
        _ => Err(internal(&inner, "unknown literal")),
    }
}

/// Whether a `literal` pair is a number (which a unary minus may fold into).
pub(super) fn is_number(p: &Pair) -> bool {
    p.clone()
        .into_inner()
        .next()
        .is_some_and(|c| c.as_rule() == Rule::number)
}

fn number(p: &Pair, negate: bool) -> Result<Literal, SyntaxError> {
    let inner = p
        .clone()
        .into_inner()
        .next()
        .ok_or_else(|| internal(p, "empty number"))?;
    let text = inner.as_str();
    let span = span_of(&inner);
    let digits = match inner.as_rule() {
        Rule::float => return float(text, negate, span),
        Rule::hex_int => u64::from_str_radix(&text[2..], 16),
        Rule::octal_int => u64::from_str_radix(&text[2..], 8),
        _ => text.parse::<u64>(),
    };
    let magnitude = digits.map_err(|_| error(Code::IntegerOverflow, "integer literal is too large", span))?;
    let value = if negate {
        -i128::from(magnitude)
    } else {
        i128::from(magnitude)
    };
    i64::try_from(value)
        .map(Literal::Int)
        .map_err(|_| error(Code::IntegerOverflow, "integer literal is too large", span))
}

fn float(text: &str, negate: bool, span: Span) -> Result<Literal, SyntaxError> {
    let value: f64 = text
        .parse()
        .map_err(|_| error(Code::InvalidNumberLiteral, "invalid float literal", span))?;
    if value.is_infinite() {
        return Err(error(Code::FloatingPointOverflow, "float literal is too large", span));
    }
    Ok(Literal::Float(if negate { -value } else { value }))
}

/// A `string_literal` pair, quotes removed and escapes decoded.
pub(super) fn string(p: &Pair) -> Result<String, SyntaxError> {
    let body = p
        .clone()
        .into_inner()
        .next()
        .ok_or_else(|| internal(p, "string without body"))?;
    unescape(body.as_str(), body.as_span().start())
}

/// Decodes `\\ \' \" \n \t \r \b \f \uXXXX \UXXXXXXXX`; `start` is the
/// body's offset in the whole text, for pointing at a bad escape.
fn unescape(body: &str, start: usize) -> Result<String, SyntaxError> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            return Err(error(
                Code::UnexpectedSyntax,
                "unterminated escape sequence",
                Span::new(start + i, start + body.len()),
            ));
        };
        let simple = match e {
            '\\' => Some('\\'),
            '\'' => Some('\''),
            '"' => Some('"'),
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let width = match e {
            'u' => 4,
            'U' => 8,
            _ => {
                let end = start + i + 1 + e.len_utf8();
                return Err(invalid_escape(&format!("\\{e}"), Span::new(start + i, end)));
            }
        };
        out.push(unicode_escape(body, i, width, start)?);
        for _ in 0..width {
            chars.next();
        }
    }
    Ok(out)
}

fn invalid_escape(shown: &str, span: Span) -> SyntaxError {
    // `\u` and `\U` not followed by hex digits are bad Unicode literals.
    let code = if shown.starts_with("\\u") || shown.starts_with("\\U") {
        Code::InvalidUnicodeLiteral
    } else {
        Code::UnexpectedSyntax
    };
    SyntaxError {
        code,
        message: format!("invalid escape sequence '{shown}' in string literal"),
        span,
        help: Some("escapes are \\\\ \\' \\\" \\n \\t \\r \\b \\f \\uXXXX \\UXXXXXXXX".to_string()),
    }
}

/// The character of `\uXXXX` (width 4) or `\UXXXXXXXX` (width 8) at byte `i`.
fn unicode_escape(body: &str, i: usize, width: usize, start: usize) -> Result<char, SyntaxError> {
    let hex = body
        .get(i + 2..i + 2 + width)
        .filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
    let end = body.get(i + 2..).map_or(body.len(), |rest| {
        i + 2
            + rest
                .char_indices()
                .take(width)
                .last()
                .map_or(0, |(j, c)| j + c.len_utf8())
    });
    let span = Span::new(start + i, start + end);
    let shown = body.get(i..end).unwrap_or("\\u");
    let code = hex
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .ok_or_else(|| invalid_escape(shown, span))?;
    char::from_u32(code).ok_or_else(|| SyntaxError {
        code: Code::InvalidUnicodeLiteral,
        message: format!("'{shown}' is not a valid Unicode character"),
        span,
        help: None,
    })
}
