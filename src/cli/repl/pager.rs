//! Long output in the shell goes through a pager, as psql's does: `$PAGER`
//! (a command line run by `sh -c`), else `less -FRX`. Only on a terminal,
//! only when the output has more lines than the terminal; `:pager off` and
//! `--no-pager` turn it off. A pager that cannot start prints the output
//! directly, with a note.

use std::io::Write;
use std::process::{Command, Stdio};

/// True when `text` would not fit on one screen of `height` lines (the
/// prompt takes one).
pub fn pages(text: &str, height: Option<u16>) -> bool {
    match height {
        Some(h) if h > 1 => text.lines().count() >= h as usize,
        _ => false,
    }
}

/// The pager's command line.
fn command() -> String {
    match std::env::var("PAGER") {
        Ok(p) if !p.trim().is_empty() => p,
        _ => "less -FRX".to_string(),
    }
}

/// Shows `text` in the pager and waits for it to end; false when no pager
/// could show it (the caller prints it directly).
pub fn show(text: &str) -> bool {
    let cmd = command();
    let child = Command::new("sh").arg("-c").arg(&cmd).stdin(Stdio::piped()).spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            eprintln!("note: cannot start the pager '{cmd}': {e}");
            return false;
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The pager may be left before it read everything (q in less).
        let _ = stdin.write_all(text.as_bytes());
    }
    match child.wait() {
        Ok(status) if status.code() == Some(127) => {
            eprintln!("note: the pager '{cmd}' was not found; :pager off turns paging off");
            false
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_output_longer_than_the_screen_pages() {
        assert!(!pages("a\nb\n", Some(24)));
        assert!(pages(&"x\n".repeat(30), Some(24)));
        assert!(!pages(&"x\n".repeat(30), None));
    }
}
