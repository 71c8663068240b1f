//! Positions in text, did-you-mean suggestions, and the one place where a
//! positioned problem is turned into the caret diagnostic users read.

use std::fmt::Write as _;

/// A byte range in some source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Shifts a span made relative to a statement into its script.
    pub fn offset(self, by: usize) -> Span {
        Span {
            start: self.start + by,
            end: self.end + by,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Longest source line a diagnostic shows whole, in characters.
const MAX_SHOWN: usize = 160;

/// A window of `line` around character `at`: the index of its first
/// character, and the text with an ellipsis on each cut side (control
/// characters as spaces, so the caret below stays aligned).
fn clip(line: &str, at: usize) -> (usize, String) {
    let lo = at.saturating_sub(MAX_SHOWN / 3);
    let total = line.chars().count();
    let hi = (lo + MAX_SHOWN).min(total);
    let mut shown = String::new();
    if lo > 0 {
        shown.push('…');
    }
    shown.extend(
        line.chars()
            .skip(lo)
            .take(hi - lo)
            .map(|c| if c.is_control() { ' ' } else { c }),
    );
    if hi < total {
        shown.push('…');
    }
    (lo, shown)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found in some text: what, where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
    /// A suggestion line, e.g. "did you mean 'LEADS'?".
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, span: Option<Span>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn warning(message: impl Into<String>, span: Option<Span>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn with_help(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    /// Renders as
    /// ```text
    /// error: unknown label 'Rol'
    ///  --> query:1:10
    ///   |
    /// 1 | MATCH (r:Rol) RETURN r
    ///   |          ^^^
    ///   = help: did you mean 'Role'?
    /// ```
    /// `origin` names the text ("query", a file path).
    pub fn render(&self, origin: &str, text: &str) -> String {
        let mut out = String::new();
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{kind}: {}", self.message);
        if let Some(span) = self.span {
            let (line, col) = line_col(text, span.start);
            let _ = writeln!(out, " --> {origin}:{line}:{col}");
            let line_text = text.lines().nth(line - 1).unwrap_or("");
            let line_text = line_text.trim_end_matches('\r');
            let gutter = line.to_string().len();
            // A very long line (a 10 MB one-line query) is shown as a window
            // around the caret, so the message stays a few lines long.
            let long = line_text.len() > MAX_SHOWN && line_text.chars().count() > MAX_SHOWN;
            let (lo, shown) = if long {
                clip(line_text, col - 1)
            } else {
                let shown = line_text
                    .chars()
                    .map(|c| if c == '\t' { ' ' } else { c })
                    .filter(|c| !c.is_control())
                    .collect();
                (0, shown)
            };
            let _ = writeln!(out, "{:gutter$} |", "");
            let _ = writeln!(out, "{line} | {shown}");
            // Caret length: the span's characters on this line, at least one.
            let line_start = text[..floor_char_boundary(text, span.start.min(text.len()))]
                .rfind('\n')
                .map(|i| i + 1)
                .unwrap_or(0);
            let line_end = line_start + line_text.len();
            let end = span.end.clamp(span.start, line_end.max(span.start));
            let width = text
                .get(span.start.min(text.len())..end.min(text.len()))
                .map(|s| s.chars().count())
                .unwrap_or(0)
                .max(1);
            let (pad, width) = if long {
                // One column for the leading ellipsis when the window starts late.
                let pad = col - 1 - lo + usize::from(lo > 0);
                (pad, width.min(MAX_SHOWN.saturating_sub(pad)).max(1))
            } else {
                (col - 1, width)
            };
            let _ = writeln!(out, "{:gutter$} | {}{}", "", " ".repeat(pad), "^".repeat(width));
        }
        if let Some(help) = &self.help {
            // Align '=' with the gutter bar above it.
            let gutter = self
                .span
                .map(|s| line_col(text, s.start).0.to_string().len())
                .unwrap_or(1);
            let _ = writeln!(out, "{:gutter$} = help: {help}", "");
        }
        out
    }

    /// `origin:line:col` of the start of the span, for one-line messages.
    pub fn location(&self, origin: &str, text: &str) -> String {
        match self.span {
            Some(s) => {
                let (l, c) = line_col(text, s.start);
                format!("{origin}:{l}:{c}")
            }
            None => origin.to_string(),
        }
    }
}

/// The candidate closest to `name`, if any is close enough to be a plausible
/// typo. Case differences alone always count as close.
pub fn closest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = name.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        let cl = c.to_lowercase();
        if cl == lower {
            return Some(c);
        }
        let score = strsim::jaro_winkler(&lower, &cl);
        let dist = strsim::levenshtein(&lower, &cl);
        let plausible =
            score >= 0.8 || dist <= (lower.chars().count() / 3).max(1) || cl.starts_with(&lower) && lower.len() >= 2;
        if plausible && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// "did you mean 'X'?" for the closest candidate, if any.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(name, candidates).map(|c| format!("did you mean '{c}'?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_very_long_line_is_shown_as_a_window_around_the_caret() {
        let text = format!("RETURN '{}' +", "x".repeat(1_000_000));
        let at = text.len() - 1;
        let r = Diagnostic::error("expected an expression", Some(Span::new(at, at + 1))).render("q", &text);
        assert!(r.len() < 1_000, "{} bytes", r.len());
        let lines: Vec<&str> = r.lines().collect();
        assert!(
            lines[3].starts_with("1 | …x") && lines[3].ends_with("' +"),
            "{}",
            lines[3]
        );
        // The caret sits under the '+'.
        let caret = lines[4].find('^').unwrap();
        assert_eq!(lines[3].chars().count() - 1, lines[4][..caret].chars().count());
        let start = Diagnostic::error("here", Some(Span::new(0, text.len()))).render("q", &text);
        assert!(start.len() < 1_000 && start.contains("1 | RETURN 'xxx") && start.contains("x…"));
    }

    #[test]
    fn line_and_column_are_one_based_and_count_chars() {
        assert_eq!(line_col("abc", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é x", 3), (1, 3));
    }

    #[test]
    fn caret_points_at_the_span() {
        let d = Diagnostic::error("unknown label 'Rol'", Some(Span::new(9, 12)))
            .with_help(did_you_mean("Rol", ["Role", "Team"]));
        let r = d.render("query", "MATCH (r:Rol) RETURN r");
        assert_eq!(
            r,
            "error: unknown label 'Rol'\n --> query:1:10\n  |\n1 | MATCH (r:Rol) RETURN r\n  |          ^^^\n  = help: did you mean 'Role'?\n"
        );
    }

    #[test]
    fn suggestions_need_to_be_close() {
        assert_eq!(
            closest("cpo-vs-ct", ["cpo-vs-cto", "tech-triumvirate"]),
            Some("cpo-vs-cto")
        );
        assert_eq!(closest("zzzz", ["Role", "Team"]), None);
        assert_eq!(closest("role", ["Role"]), Some("Role"));
    }
}
