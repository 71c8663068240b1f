//! Colour for messages on standard error: `error:` and `warning:` in their
//! colours, the location arrow and gutter dimmed, the carets in the
//! message's colour, `= help:` in its own. On when `--color always`, or with
//! `--color auto` (the default) when standard error is a terminal and
//! `NO_COLOR` is not set; the text is the same either way.

use std::sync::atomic::{AtomicBool, Ordering};

static ON: AtomicBool = AtomicBool::new(false);

const RESET: &str = "\x1b[0m";
const ERROR: &str = "\x1b[1;31m";
const WARNING: &str = "\x1b[1;33m";
const DIM: &str = "\x1b[2m";
const HELP: &str = "\x1b[36m";

/// `--color`: when to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Auto,
    Always,
    Never,
}

impl When {
    pub fn parse(s: &str) -> Option<When> {
        match s {
            "auto" => Some(When::Auto),
            "always" => Some(When::Always),
            "never" => Some(When::Never),
            _ => None,
        }
    }

    /// Whether a stream that is (or is not) a terminal gets colour.
    pub fn colours(self, terminal: bool) -> bool {
        match self {
            When::Always => true,
            When::Never => false,
            When::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

pub fn set(on: bool) {
    ON.store(on, Ordering::Relaxed);
}

/// Prints a rendered diagnostic (or any message) to standard error.
pub fn eprint(text: &str) {
    if ON.load(Ordering::Relaxed) {
        eprint!("{}", paint(text));
    } else {
        eprint!("{text}");
    }
}

/// The message with colour codes added.
pub fn paint(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut colour = ERROR;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let end = &line[body.len()..];
        if let Some(rest) = body.strip_prefix("error:") {
            colour = ERROR;
            out.push_str(&format!("{ERROR}error:{RESET}\x1b[1m{rest}{RESET}"));
        } else if let Some(rest) = body.strip_prefix("warning:") {
            colour = WARNING;
            out.push_str(&format!("{WARNING}warning:{RESET}\x1b[1m{rest}{RESET}"));
        } else if body.trim_start().starts_with("-->") {
            out.push_str(&format!("{DIM}{body}{RESET}"));
        } else if let Some(i) = body.find(" = help:") {
            out.push_str(&format!("{}{HELP}{}{RESET}", &body[..i], &body[i..]));
        } else if let Some(bar) = body.find(" | ").or_else(|| body.strip_suffix(" |").map(|b| b.len())) {
            let (gutter, rest) = body.split_at(bar + 2);
            let rest = if rest.trim_start().starts_with('^') {
                format!("{colour}{rest}{RESET}")
            } else {
                rest.to_string()
            };
            out.push_str(&format!("{DIM}{gutter}{RESET}{rest}"));
        } else {
            out.push_str(body);
        }
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_is_added_without_changing_the_text() {
        let text =
            "error: unexpected 'MACH'\n --> query:1:1\n  |\n1 | MACH (r)\n  | ^^^^\n  = help: did you mean 'MATCH'?\n";
        let painted = paint(text);
        assert!(painted.contains(&format!("{ERROR}error:{RESET}")), "{painted:?}");
        assert!(painted.contains(&format!("{ERROR} ^^^^{RESET}")), "{painted:?}");
        let plain: String = {
            let mut s = String::new();
            let mut chars = painted.chars();
            while let Some(c) = chars.next() {
                if c == '\x1b' {
                    for d in chars.by_ref() {
                        if d == 'm' {
                            break;
                        }
                    }
                } else {
                    s.push(c);
                }
            }
            s
        };
        assert_eq!(plain, text);
        assert!(When::Always.colours(false) && !When::Never.colours(true));
    }
}
