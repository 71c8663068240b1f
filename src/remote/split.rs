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
