//! A forgiving tokenizer for text as it is being typed: it never fails, and
//! it says which strings, quoted names and comments are still open. The
//! validator, the highlighter and the completer all read the same tokens, so
//! they agree on what is inside a string and what is code. (The real parser
//! lives in `crate::syntax`; this one only has to be right about edges.)

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or keyword.
    Word,
    Number,
    /// A string in single or double quotes; `closed` is false while its
    /// closing quote is still to be typed.
    Str {
        closed: bool,
    },
    /// A name in backticks.
    Quoted {
        closed: bool,
    },
    Comment {
        closed: bool,
    },
    /// `$name`.
    Param,
    /// Any other single character (brackets, `:`, `;`, operators), or `..`.
    Punct,
    Space,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'t>(&self, src: &'t str) -> &'t str {
        &src[self.start..self.end]
    }

    /// True for what the parser skips: whitespace and comments.
    pub fn is_trivia(&self) -> bool {
        matches!(self.kind, Kind::Space | Kind::Comment { .. })
    }

    /// True while a string, quoted name or comment is left open.
    pub fn is_open(&self) -> bool {
        matches!(
            self.kind,
            Kind::Str { closed: false } | Kind::Quoted { closed: false } | Kind::Comment { closed: false }
        )
    }

    pub fn is_punct(&self, src: &str, p: &str) -> bool {
        self.kind == Kind::Punct && self.text(src) == p
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits `src` into tokens that cover it exactly, end to end.
pub fn tokens(src: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let kind = if c.is_whitespace() {
            while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                chars.next();
            }
            Kind::Space
        } else if c == '\'' || c == '"' {
            let mut closed = false;
            while let Some((_, d)) = chars.next() {
                if d == '\\' {
                    chars.next();
                } else if d == c {
                    closed = true;
                    break;
                }
            }
            Kind::Str { closed }
        } else if c == '`' {
            let mut closed = false;
            while let Some((_, d)) = chars.next() {
                if d == '`' {
                    // A doubled backtick is an escaped one.
                    if chars.peek().is_some_and(|(_, e)| *e == '`') {
                        chars.next();
                    } else {
                        closed = true;
                        break;
                    }
                }
            }
            Kind::Quoted { closed }
        } else if c == '/' && src[start + 1..].starts_with('/') {
            while chars.peek().is_some_and(|(_, c)| *c != '\n') {
                chars.next();
            }
            Kind::Comment { closed: true }
        } else if c == '/' && src[start + 1..].starts_with('*') {
            chars.next();
            let mut closed = false;
            while let Some((i, _)) = chars.next() {
                if src[i..].starts_with("*/") {
                    chars.next();
                    closed = true;
                    break;
                }
            }
            Kind::Comment { closed }
        } else if c.is_ascii_digit() {
            loop {
                match chars.peek() {
                    Some((_, d)) if is_ident_char(*d) => {
                        chars.next();
                    }
                    // A decimal point, but not the `..` of a range.
                    Some((i, '.')) if src[i + 1..].starts_with(|d: char| d.is_ascii_digit()) => {
                        chars.next();
                    }
                    _ => break,
                }
            }
            Kind::Number
        } else if is_ident_start(c) {
            while chars.peek().is_some_and(|(_, c)| is_ident_char(*c)) {
                chars.next();
            }
            Kind::Word
        } else if c == '$' && chars.peek().is_some_and(|(_, c)| is_ident_char(*c)) {
            while chars.peek().is_some_and(|(_, c)| is_ident_char(*c)) {
                chars.next();
            }
            Kind::Param
        } else {
            if c == '.' && chars.peek().is_some_and(|(_, d)| *d == '.') {
                chars.next();
            }
            Kind::Punct
        };
        let end = chars.peek().map(|(i, _)| *i).unwrap_or(src.len());
        out.push(Token { kind, start, end });
    }
    out
}

pub fn is_open_bracket(s: &str) -> bool {
    matches!(s, "(" | "[" | "{")
}

pub fn closing(open: &str) -> &'static str {
    match open {
        "(" => ")",
        "[" => "]",
        _ => "}",
    }
}

/// Brackets still open at the end of `toks` (indexes into `toks`),
/// innermost last. A closer that matches nothing is ignored: the parser
/// reports it better.
pub fn open_brackets(src: &str, toks: &[Token]) -> Vec<usize> {
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != Kind::Punct {
            continue;
        }
        let s = t.text(src);
        if is_open_bracket(s) {
            stack.push(i);
        } else if matches!(s, ")" | "]" | "}")
            && let Some(pos) = stack.iter().rposition(|&o| closing(toks[o].text(src)) == s)
        {
            stack.truncate(pos);
        }
    }
    stack
}

/// The bracket that pairs with the one at byte `at`, if `at` is a bracket
/// outside strings and comments.
pub fn matching_bracket(src: &str, at: usize) -> Option<usize> {
    let toks = tokens(src);
    let idx = toks
        .iter()
        .position(|t| t.kind == Kind::Punct && t.start == at && t.end == at + 1)?;
    let s = toks[idx].text(src);
    let (open, close, forward) = match s {
        "(" | "[" | "{" => (s, closing(s), true),
        ")" => ("(", ")", false),
        "]" => ("[", "]", false),
        "}" => ("{", "}", false),
        _ => return None,
    };
    let mut depth = 0i32;
    let range: Box<dyn Iterator<Item = &Token>> = if forward {
        Box::new(toks[idx..].iter())
    } else {
        Box::new(toks[..=idx].iter().rev())
    };
    for t in range {
        if t.kind != Kind::Punct {
            continue;
        }
        let x = t.text(src);
        let (inward, outward) = if forward { (open, close) } else { (close, open) };
        if x == inward {
            depth += 1;
        } else if x == outward {
            depth -= 1;
            if depth == 0 {
                return Some(t.start);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, &str)> {
        tokens(src)
            .into_iter()
            .filter(|t| t.kind != Kind::Space)
            .map(|t| (t.kind, t.text(src)))
            .collect()
    }

    #[test]
    fn tokens_cover_strings_comments_and_numbers() {
        assert_eq!(
            kinds("RETURN 'a;b' // x;\n1.5, [1..2], $p"),
            vec![
                (Kind::Word, "RETURN"),
                (Kind::Str { closed: true }, "'a;b'"),
                (Kind::Comment { closed: true }, "// x;"),
                (Kind::Number, "1.5"),
                (Kind::Punct, ","),
                (Kind::Punct, "["),
                (Kind::Number, "1"),
                (Kind::Punct, ".."),
                (Kind::Number, "2"),
                (Kind::Punct, "]"),
                (Kind::Punct, ","),
                (Kind::Param, "$p"),
            ]
        );
        assert_eq!(kinds("'it\\'s"), vec![(Kind::Str { closed: false }, "'it\\'s")]);
        assert_eq!(kinds("/* open"), vec![(Kind::Comment { closed: false }, "/* open")]);
        assert_eq!(kinds("`a``b`"), vec![(Kind::Quoted { closed: true }, "`a``b`")]);
    }

    #[test]
    fn brackets_pair_outside_strings() {
        let src = "({a: ')'}, [x])";
        assert_eq!(matching_bracket(src, 0), Some(src.len() - 1));
        assert_eq!(matching_bracket(src, src.len() - 1), Some(0));
        assert_eq!(matching_bracket(src, 1), Some(8));
        assert_eq!(matching_bracket(src, 5), None, "inside a string");
        let toks = tokens("MATCH (n:Role");
        assert_eq!(open_brackets("MATCH (n:Role", &toks).len(), 1);
    }
}
