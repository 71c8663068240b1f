//! Splitting text rolegraph cannot parse into statements, for sending them
//! to a server one by one: `;` ends a statement except inside strings,
//! quoted names and comments (the splitter is [`crate::syntax::split`]).

use std::ops::Range;

/// The byte ranges of the statements in `text` (without their `;`), those
/// holding only whitespace and comments left out (see
/// [`crate::syntax::split`]).
pub fn statements(text: &str) -> Vec<Range<usize>> {
    crate::syntax::split::statements(text, 0..text.len()).collect()
}

/// `text` with everything outside `keep` turned into spaces (line breaks
/// kept), so a parse of the result has spans and line numbers of `text`.
pub fn mask(text: &str, keep: Range<usize>) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if keep.contains(&i) || c == '\n' {
            out.push(c);
        } else {
            // One space per byte keeps every later offset in place.
            for _ in 0..c.len_utf8() {
                out.push(' ');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_offsets() {
        let t = "RETURN 1;\nRETURN 'é';\nRETURN 3";
        let r = statements(t)[1].clone();
        let m = mask(t, r.clone());
        assert_eq!(m.len(), t.len());
        assert_eq!(&m[r.clone()], &t[r]);
        assert_eq!(m.matches('\n').count(), 2);
    }
}
