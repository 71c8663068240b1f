//! Cutting a script into its statements without parsing it: `;` ends a
//! statement except inside a string (`'...'`, `"..."`, where a backslash
//! escapes the next character), a quoted name (`` `...` ``, where a
//! doubled backtick stands for one) or a comment (`// ...` to the end of
//! the line, `/* ... */`). These are the grammar's own rules
//! (`grammar/cypher.pest`), so each piece parses alone as it would in the
//! whole text. A script is then parsed and run a statement at a time (see
//! [`super::parse_statement_at`]): the memory a parse takes is that of one
//! statement, never of the whole file.

use std::ops::Range;

/// The byte ranges of the statements in `text[within]` (without their
/// `;`, surrounding whitespace trimmed), in order. A piece holding only
/// whitespace and comments is left out; one whose string, quoted name or
/// comment never ends runs to the end and is kept, so parsing it reports
/// the error.
pub fn statements(text: &str, within: Range<usize>) -> Statements<'_> {
    Statements {
        text,
        pos: within.start,
        end: within.end.min(text.len()),
        semicolons: false,
    }
}

/// The iterator [`statements`] returns.
#[derive(Debug, Clone)]
pub struct Statements<'t> {
    text: &'t str,
    pos: usize,
    end: usize,
    /// Whether a piece keeps the `;` that ends it.
    semicolons: bool,
}

impl Statements<'_> {
    /// The same pieces, each with the `;` that ends it (the grammar takes
    /// one after a statement), so a parse of a piece alone reports an
    /// error at the `;` as a parse of the whole text would.
    pub fn with_semicolons(mut self) -> Self {
        self.semicolons = true;
        self
    }
}

impl Iterator for Statements<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        while self.pos < self.end {
            let (piece, content) = self.cut();
            if content {
                return Some(trimmed(self.text, piece));
            }
        }
        None
    }
}

impl Statements<'_> {
    /// The next piece from `pos` to its `;` (or the end), moving past the
    /// `;`, and whether it holds anything but whitespace and comments.
    fn cut(&mut self) -> (Range<usize>, bool) {
        let b = &self.text.as_bytes()[..self.end];
        let start = self.pos;
        let mut i = start;
        let mut content = false;
        while i < b.len() {
            match b[i] {
                q @ (b'\'' | b'"') => {
                    content = true;
                    i += 1;
                    while i < b.len() && b[i] != q {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'`' => {
                    // A doubled backtick inside is read as the name closing
                    // and opening again: the same bytes either way.
                    content = true;
                    i += 1;
                    while i < b.len() && b[i] != b'`' {
                        i += 1;
                    }
                    i += 1;
                }
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i += 2;
                    while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                        i += 1;
                    }
                    if i >= b.len() {
                        // Never closed: the parser says so.
                        content = true;
                    }
                    i += 2;
                }
                b';' => {
                    self.pos = i + 1;
                    let end = if self.semicolons { i + 1 } else { i };
                    return (start..end, content);
                }
                b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c => i += 1,
                c if c >= 0x80 => {
                    // Some characters past ASCII are whitespace to the grammar.
                    let ch = self.text[i..].chars().next().unwrap_or(' ');
                    if !is_space(ch) {
                        content = true;
                    }
                    i += ch.len_utf8();
                }
                _ => {
                    content = true;
                    i += 1;
                }
            }
        }
        self.pos = b.len();
        (start..b.len(), content)
    }
}

/// Statement text (in bytes) whose trees [`parse_in_turn`] keeps from
/// its check to the run; past it, trees are parsed again when their turn
/// comes, so the memory stays that of a few statements.
const KEEP_PARSED: usize = 1 << 20;

/// The statements of `text[within]`, checked first and then handed out in
/// order: every statement is parsed (alone, see
/// [`super::parse_statement_at`]) before any is given, so a syntax error
/// anywhere is the error and nothing runs; then [`InTurn`] yields each
/// tree. The trees of the first mebibyte of text are kept from the check,
/// the others parsed again in their turn: a long script costs two parses
/// of its text, never the memory of all its trees.
pub fn parse_in_turn(text: &str, within: Range<usize>) -> Result<InTurn<'_>, super::SyntaxError> {
    let mut pieces = Vec::new();
    let mut kept_bytes = 0;
    for r in statements(text, within).with_semicolons() {
        let script = super::parse_statement_at(text, r.clone())?;
        let keep = kept_bytes + r.len() <= KEEP_PARSED;
        if keep {
            kept_bytes += r.len();
        }
        pieces.push((r, keep.then_some(script)));
    }
    Ok(InTurn {
        text,
        pieces: pieces.into_iter(),
    })
}

/// The statements [`parse_in_turn`] checked, each parsed in its turn.
pub struct InTurn<'t> {
    text: &'t str,
    pieces: std::vec::IntoIter<(Range<usize>, Option<super::ast::Script>)>,
}

impl Iterator for InTurn<'_> {
    /// A piece's statements (an error only if a parse could differ from
    /// the check's, which it cannot).
    type Item = Result<super::ast::Script, super::SyntaxError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (r, kept) = self.pieces.next()?;
        Some(match kept {
            Some(script) => Ok(script),
            None => super::parse_statement_at(self.text, r),
        })
    }
}

/// The grammar's whitespace beyond ASCII.
fn is_space(c: char) -> bool {
    matches!(c, '\u{A0}' | '\u{FEFF}' | '\u{2028}' | '\u{2029}')
}

/// `r` without the whitespace at either end.
fn trimmed(text: &str, r: Range<usize>) -> Range<usize> {
    let piece = &text[r.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail >= piece.len() {
        return r.start..r.start;
    }
    r.start + lead..r.end - trail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        statements(text, 0..text.len()).map(|r| &text[r]).collect()
    }

    #[test]
    fn semicolons_in_strings_names_and_comments_do_not_split() {
        assert_eq!(
            pieces("RETURN 'a;b'; // x;y\nCALL db.labels() ; MATCH (`n;`) RETURN 1 /* ; */"),
            vec![
                "RETURN 'a;b'",
                "// x;y\nCALL db.labels()",
                "MATCH (`n;`) RETURN 1 /* ; */"
            ]
        );
        assert_eq!(pieces("RETURN \"it\\\"s;\";;  "), vec!["RETURN \"it\\\"s;\""]);
        assert_eq!(
            pieces("RETURN 'it\\'s;'; RETURN 2"),
            vec!["RETURN 'it\\'s;'", "RETURN 2"]
        );
        assert_eq!(
            pieces("RETURN 1 AS `a``;b`; RETURN 2"),
            vec!["RETURN 1 AS `a``;b`", "RETURN 2"]
        );
        assert_eq!(
            pieces("RETURN 'a\\\\'; RETURN 'b'"),
            vec!["RETURN 'a\\\\'", "RETURN 'b'"]
        );
    }

    #[test]
    fn comments_alone_are_no_statement_but_unclosed_ones_are_kept() {
        assert_eq!(pieces("RETURN 1; // the end\n"), vec!["RETURN 1"]);
        assert_eq!(pieces(" ; /* a */ ;\u{feff}\u{a0};"), Vec::<&str>::new());
        assert_eq!(pieces("RETURN 1; /* never closed"), vec!["RETURN 1", "/* never closed"]);
        assert_eq!(pieces("RETURN 'unclosed;"), vec!["RETURN 'unclosed;"]);
        assert_eq!(pieces("RETURN `unclosed;"), vec!["RETURN `unclosed;"]);
        assert_eq!(
            pieces("RETURN 'ends in a backslash\\"),
            vec!["RETURN 'ends in a backslash\\"]
        );
    }

    #[test]
    fn pieces_may_keep_their_semicolons() {
        let t = "RETURN 1; /* c */ ; RETURN 2 ;\n RETURN 3";
        let got: Vec<&str> = statements(t, 0..t.len()).with_semicolons().map(|r| &t[r]).collect();
        assert_eq!(got, vec!["RETURN 1;", "RETURN 2 ;", "RETURN 3"]);
    }

    #[test]
    fn a_script_is_checked_whole_then_handed_out_in_turn() {
        use crate::syntax::ast::Script;
        let t = "RETURN 1; RETURN 2;\nRETURN 3 +;";
        let e = parse_in_turn(t, 0..t.len())
            .err()
            .expect("a syntax error in the last statement");
        assert_eq!(e.span.start, t.len() - 1);
        // Past the mebibyte kept from the check, trees are parsed again.
        let one = "RETURN 'x' AS padding_padding_padding_padding;\n";
        let t = one.repeat(2 * KEEP_PARSED / one.len() + 2);
        let all: Vec<Script> = parse_in_turn(&t, 0..t.len()).unwrap().map(Result::unwrap).collect();
        assert_eq!(all.len(), t.matches(';').count());
        assert_eq!(all.last().unwrap().statements[0].span.end, t.len() - 2);
        let whole = crate::syntax::parse_script(&t).unwrap();
        assert!(all.iter().flat_map(|s| &s.statements).eq(whole.statements.iter()));
    }

    #[test]
    fn only_the_given_range_is_cut() {
        let t = "RETURN 1; RETURN 2; RETURN 3";
        let got: Vec<&str> = statements(t, 10..19).map(|r| &t[r]).collect();
        assert_eq!(got, vec!["RETURN 2"]);
        assert_eq!(statements(t, 3..3).count(), 0);
    }

    #[test]
    fn multibyte_text_is_cut_on_character_boundaries() {
        assert_eq!(
            pieces("RETURN 'é;漢'; RETURN \u{2028}'🦀' ;"),
            vec!["RETURN 'é;漢'", "RETURN \u{2028}'🦀'"]
        );
    }
}
