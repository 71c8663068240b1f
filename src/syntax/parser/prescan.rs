//! A quick pass over the raw text before pest sees it. pest recurses once
//! per bracket, so 100,000 `(` would exhaust the stack; runs of prefix
//! operators (`NOT NOT ...`, `- - ...`) build equally deep trees. The same
//! pass finds unterminated strings, quoted names and comments, whose errors
//! are clearer from here (pointing at the opening quote) than from pest.

use crate::diag::Span;
use crate::error::Code;
use crate::syntax::SyntaxError;

/// Deepest bracket (or CASE) nesting, and longest prefix-operator run.
pub(super) const MAX_NESTING: usize = 256;

fn error(message: &str, span: Span) -> SyntaxError {
    SyntaxError::new(Code::UnexpectedSyntax, message, span)
}

fn too_deep(at: usize, len: usize) -> SyntaxError {
    SyntaxError {
        code: Code::TooComplex,
        message: format!("nesting too deep (more than {MAX_NESTING} levels)"),
        span: Span::new(at, at + len),
        help: Some("split the query up, e.g. with WITH".to_string()),
    }
}

pub(super) fn check(text: &str) -> Result<(), SyntaxError> {
    let mut scan = Scan {
        text,
        depth: 0,
        run: 0,
        prev: ' ',
    };
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        i = scan.step(i, c)?;
    }
    Ok(())
}

struct Scan<'t> {
    text: &'t str,
    /// Open brackets and CASEs.
    depth: usize,
    /// Prefix operators (NOT, -, +, EXPLAIN, PROFILE) in a row.
    run: usize,
    /// The last significant character, to tell `n.case` from `CASE`.
    prev: char,
}

impl Scan<'_> {
    /// Looks at the token starting with `c` at `i`; returns where the next starts.
    fn step(&mut self, i: usize, c: char) -> Result<usize, SyntaxError> {
        let rest = &self.text[i..];
        if c.is_whitespace() {
            return Ok(i + c.len_utf8());
        }
        if rest.starts_with("//") {
            return Ok(rest.find('\n').map_or(self.text.len(), |n| i + n));
        }
        if let Some(body) = rest.strip_prefix("/*") {
            let end = body
                .find("*/")
                .ok_or_else(|| error("unterminated comment (missing '*/')", Span::new(i, i + 2)))?;
            return Ok(i + 2 + end + 2);
        }
        let next = match c {
            '\'' | '"' => self.quoted(i, c, "unterminated string literal")?,
            '`' => self.quoted(i, c, "unterminated quoted name (missing closing '`')")?,
            '(' | '[' | '{' => self.open(i)?,
            ')' | ']' | '}' => {
                self.depth = self.depth.saturating_sub(1);
                self.run = 0;
                i + 1
            }
            '-' | '+' => self.prefix(i, 1)?,
            c if c.is_alphanumeric() || c == '_' => self.word(i)?,
            _ => {
                self.run = 0;
                i + c.len_utf8()
            }
        };
        self.prev = c;
        Ok(next)
    }

    fn open(&mut self, i: usize) -> Result<usize, SyntaxError> {
        self.depth += 1;
        self.run = 0;
        if self.depth > MAX_NESTING {
            return Err(too_deep(i, 1));
        }
        Ok(i + 1)
    }

    fn prefix(&mut self, i: usize, len: usize) -> Result<usize, SyntaxError> {
        self.run += 1;
        if self.run > MAX_NESTING {
            return Err(too_deep(i, len));
        }
        Ok(i + len)
    }

    fn word(&mut self, i: usize) -> Result<usize, SyntaxError> {
        let rest = &self.text[i..];
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let word = rest[..len].to_ascii_lowercase();
        // After `.` or `:` a word is a property key or label, never a keyword.
        let keyword_position = self.prev != '.' && self.prev != ':';
        match word.as_str() {
            "not" | "explain" | "profile" if keyword_position => return self.prefix(i, len),
            "case" if keyword_position => {
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    return Err(too_deep(i, len));
                }
            }
            "end" if keyword_position => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        self.run = 0;
        Ok(i + len)
    }

    /// Skips a string or backtick-quoted name; `\` escapes only in strings.
    fn quoted(&mut self, i: usize, quote: char, unterminated: &str) -> Result<usize, SyntaxError> {
        self.run = 0;
        let mut chars = self.text[i + 1..].char_indices();
        while let Some((j, c)) = chars.next() {
            if c == '\\' && quote != '`' {
                chars.next();
            } else if c == quote {
                return Ok(i + 1 + j + 1);
            }
        }
        Err(error(unterminated, Span::new(i, i + 1)))
    }
}
