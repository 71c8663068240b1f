//! Colours for the line being edited: keywords, strings, numbers, labels,
//! relationship types, parameters and comments; the bracket matching the
//! one at the cursor; an unclosed quote in its own colour. Also draws the
//! continuation marker over the indent of each continuation line, which is
//! the only thing it does when colour is off.

use std::borrow::Cow;

use rustyline::highlight::{CmdKind, Highlighter};

use super::Helper;
use super::lex::{self, Kind, Token};

const RESET: &str = "\x1b[0m";
pub const KEYWORD: &str = "\x1b[1;34m";
pub const STRING: &str = "\x1b[32m";
pub const OPEN_STRING: &str = "\x1b[4;31m";
pub const NUMBER: &str = "\x1b[33m";
pub const LABEL: &str = "\x1b[35m";
pub const REL_TYPE: &str = "\x1b[36m";
pub const PARAM: &str = "\x1b[33m";
pub const COMMENT: &str = "\x1b[2m";
pub const META: &str = "\x1b[1;35m";
pub const BRACKET: &str = "\x1b[1;7m";
pub const MARKER: &str = "\x1b[2m";

/// Words highlighted as keywords (what the grammar treats as keywords).
use crate::syntax::KEYWORDS;

/// The continuation marker drawn over an indent `width` wide.
pub fn marker(width: usize) -> String {
    format!("{:>width$}", "...> ")
}

/// Returns the style of each token of `src` (None for plain).
fn styles(src: &str, toks: &[Token]) -> Vec<Option<&'static str>> {
    let mut out = Vec::with_capacity(toks.len());
    let mut brackets: Vec<&str> = Vec::new();
    let mut prev: Option<&str> = None;
    // After OVERLAP's ON or PATH's VIA: a list of relationship types.
    let mut type_list = false;
    for t in toks {
        let text = t.text(src);
        let is_keyword = t.kind == Kind::Word && KEYWORDS.contains(&text.to_uppercase().as_str());
        let style = match t.kind {
            Kind::Space => None,
            Kind::Comment { .. } => Some(COMMENT),
            Kind::Str { closed: true } => Some(STRING),
            Kind::Str { closed: false } | Kind::Quoted { closed: false } => Some(OPEN_STRING),
            Kind::Number => Some(NUMBER),
            Kind::Param => Some(PARAM),
            Kind::Punct => {
                if lex::is_open_bracket(text) {
                    brackets.push(text);
                } else if matches!(text, ")" | "]" | "}") {
                    brackets.pop();
                }
                None
            }
            Kind::Word | Kind::Quoted { closed: true } => {
                let inner = brackets.last().copied();
                match prev {
                    Some(":") if inner == Some("[") => Some(REL_TYPE),
                    Some(":") if inner != Some("{") => Some(LABEL),
                    Some("|") if inner == Some("[") => Some(REL_TYPE),
                    Some(".") => None,
                    _ if type_list && !is_keyword => Some(REL_TYPE),
                    _ if is_keyword => Some(KEYWORD),
                    _ => None,
                }
            }
        };
        if !t.is_trivia() {
            let upper = text.to_uppercase();
            type_list = if is_keyword {
                upper == "ON" || upper == "VIA"
            } else {
                type_list && (matches!(t.kind, Kind::Word | Kind::Quoted { .. }) || text == "|" || text == ":")
            };
            prev = Some(text);
        }
        out.push(style);
    }
    out
}

/// The highlighted line. `cursor` is where the bracket to match may be;
/// `indent` the width of continuation indents; with `color` off only the
/// markers are drawn.
pub fn highlight(line: &str, cursor: Option<usize>, indent: usize, color: bool) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let partner = cursor.and_then(|pos| bracket_partner(line, pos));
    if line.trim_start().starts_with(':') {
        // A meta-command: the command word stands out.
        let lead = line.len() - line.trim_start().len();
        let end = line[lead..]
            .find(char::is_whitespace)
            .map(|i| i + lead)
            .unwrap_or(line.len());
        if color {
            return format!("{}{META}{}{RESET}{}", &line[..lead], &line[lead..end], &line[end..]);
        }
        return line.to_string();
    }
    let toks = lex::tokens(line);
    let styles = styles(line, &toks);
    for (t, style) in toks.iter().zip(styles) {
        let text = t.text(line);
        if t.kind == Kind::Space {
            push_space(&mut out, text, indent, color);
            continue;
        }
        let style = if color { style } else { None };
        let at_partner = color && t.kind == Kind::Punct && partner == Some(t.start);
        match (style, at_partner) {
            (_, true) => {
                out.push_str(BRACKET);
                out.push_str(text);
                out.push_str(RESET);
            }
            (Some(s), _) => push_styled(&mut out, text, Some(s), indent, color),
            (None, _) => push_styled(&mut out, text, None, indent, color),
        }
    }
    out
}

/// Whitespace, with the marker over every indent that follows a newline.
fn push_space(out: &mut String, text: &str, indent: usize, color: bool) {
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        out.push_str(first);
    }
    for l in lines {
        out.push('\n');
        if indent > 0 && l.len() >= indent && l.as_bytes()[..indent].iter().all(|b| *b == b' ') {
            push_marker(out, indent, color);
            out.push_str(&l[indent..]);
        } else {
            out.push_str(l);
        }
    }
}

/// The continuation marker drawn over a line's indent, in its own colour
/// when colour is on.
fn push_marker(out: &mut String, indent: usize, color: bool) {
    if color {
        out.push_str(MARKER);
    }
    out.push_str(&marker(indent));
    if color {
        out.push_str(RESET);
    }
}

/// A token in `style`; in a multi-line string or comment the marker is
/// drawn over the indent of each continuation line too, in its own colour,
/// so the prompt stays visible inside an open quote.
fn push_styled(out: &mut String, text: &str, style: Option<&str>, indent: usize, color: bool) {
    for (i, part) in text.split('\n').enumerate() {
        let mut part = part;
        if i > 0 {
            out.push('\n');
            if indent > 0 && part.len() >= indent && part.as_bytes()[..indent].iter().all(|b| *b == b' ') {
                push_marker(out, indent, color);
                part = &part[indent..];
            }
        }
        match style {
            Some(s) if !part.is_empty() => {
                out.push_str(s);
                out.push_str(part);
                out.push_str(RESET);
            }
            _ => out.push_str(part),
        }
    }
}

/// The bracket matching the one under the cursor, or just before it.
fn bracket_partner(line: &str, pos: usize) -> Option<usize> {
    let at = |i: usize| line.as_bytes().get(i).is_some_and(|b| b"()[]{}".contains(b));
    if at(pos)
        && let Some(p) = lex::matching_bracket(line, pos)
    {
        return Some(p);
    }
    if pos > 0 && at(pos - 1) {
        return lex::matching_bracket(line, pos - 1);
    }
    None
}

impl Highlighter for Helper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        let cursor = if self.final_refresh.get() { None } else { Some(pos) };
        let indent = self.indent();
        if !self.color && !line.contains('\n') {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight(line, cursor, indent, self.color))
    }

    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(&'s self, prompt: &'p str, _default: bool) -> Cow<'b, str> {
        if self.color {
            Cow::Owned(format!("\x1b[1;32m{prompt}{RESET}"))
        } else {
            Cow::Borrowed(prompt)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("{COMMENT}{hint}{RESET}"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        // Every key can change what is a string or which bracket matches, and
        // continuation markers need a full redraw: always re-highlight.
        self.final_refresh.set(kind == CmdKind::ForcedRefresh);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styled(line: &str) -> String {
        highlight(line, None, 7, true)
    }

    #[test]
    fn keywords_strings_numbers_labels_and_types_get_colours() {
        let h = styled("MATCH (r:Role)-[:LEADS]->(t) WHERE r.name = 'x' RETURN 1");
        assert!(h.contains(&format!("{KEYWORD}MATCH{RESET}")), "{h:?}");
        assert!(h.contains(&format!("{LABEL}Role{RESET}")), "{h:?}");
        assert!(h.contains(&format!("{REL_TYPE}LEADS{RESET}")), "{h:?}");
        assert!(h.contains(&format!("{STRING}'x'{RESET}")), "{h:?}");
        assert!(h.contains(&format!("{NUMBER}1{RESET}")), "{h:?}");
        assert!(h.contains("r.name"), "property keys stay plain: {h:?}");
        // A map key's value is not a label.
        let h = styled("RETURN {a: b}");
        assert!(!h.contains(LABEL), "{h:?}");
        let h = styled("OVERLAP CTO, CPO ON REQUIRES|LEADS");
        assert!(h.contains(&format!("{REL_TYPE}REQUIRES{RESET}")), "{h:?}");
        assert!(h.contains(&format!("{REL_TYPE}LEADS{RESET}")), "{h:?}");
    }

    #[test]
    fn unclosed_quotes_and_matching_brackets_stand_out() {
        let h = styled("RETURN 'abc");
        assert!(h.contains(&format!("{OPEN_STRING}'abc{RESET}")), "{h:?}");
        let line = "RETURN (1 + (2))";
        let h = highlight(line, Some(7), 7, true);
        assert!(h.ends_with(&format!("{BRACKET}){RESET}")), "{h:?}");
        let h = highlight(line, Some(line.len()), 7, true);
        assert!(h.contains(&format!("{RESET} {BRACKET}({RESET}")), "{h:?}");
    }

    #[test]
    fn continuation_indents_become_markers_even_without_colour() {
        let h = highlight("MATCH (n)\n       RETURN n;", None, 7, false);
        assert_eq!(h, "MATCH (n)\n  ...> RETURN n;");
        assert_eq!(marker(7).len(), 7);
        let plain = highlight("RETURN 1 + 2;", Some(3), 7, false);
        assert_eq!(plain, "RETURN 1 + 2;");
        assert_eq!(highlight(":help match", None, 7, false), ":help match");
        // Inside an open quote the marker stays visible.
        let h = highlight("RETURN 'a\n       b", None, 7, false);
        assert_eq!(h, "RETURN 'a\n  ...> b");
    }
}
