//! Hints: the rest of the latest history entry that starts with what is
//! typed, shown dimmed after the cursor (Right arrow takes it). A hint stops
//! at the end of the entry's line so a multi-line entry comes a line at a
//! time.

use rustyline::Context;
use rustyline::hint::{Hinter, HistoryHinter};

use super::Helper;

/// The hint for `line` given the history's `entry` (the part of the entry
/// after `line`, up to its first newline).
pub fn trim_hint(hint: &str) -> Option<String> {
    let first = hint.split('\n').next().unwrap_or("");
    (!first.is_empty()).then(|| first.to_string())
}

impl Hinter for Helper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        if line.trim().is_empty() {
            return None;
        }
        if let Some(h) = continuation_hint(line, pos) {
            return Some(h.to_string());
        }
        HistoryHinter::new().hint(line, pos, ctx).and_then(|h| trim_hint(&h))
    }
}

/// On an empty continuation line (only the indent typed), how to finish
/// or cancel the statement.
pub fn continuation_hint(line: &str, pos: usize) -> Option<&'static str> {
    if pos != line.len() {
        return None;
    }
    let (before, current) = line.rsplit_once('\n')?;
    if !current.trim().is_empty() || before.trim().is_empty() {
        return None;
    }
    Some(
        if super::validate::completeness(line) == super::validate::Completeness::OpenQuote {
            "(a quote is open: close it, then end with ;  Ctrl-C cancels)"
        } else {
            "(end the statement with ; to run it, Ctrl-C cancels)"
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_stop_at_the_end_of_the_line() {
        assert_eq!(trim_hint("name;").as_deref(), Some("name;"));
        assert_eq!(trim_hint(" (r)\n       RETURN r;").as_deref(), Some(" (r)"));
        assert_eq!(trim_hint("\nRETURN r;"), None);
        assert!(continuation_hint("MATCH (n)\n       ", 17).is_some_and(|h| h.contains(';')));
        assert!(continuation_hint("RETURN 'a\n       ", 17).is_some_and(|h| h.contains("quote")));
        assert_eq!(continuation_hint("MATCH (n)\n       R", 18), None);
    }
}
