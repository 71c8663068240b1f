//! The examples in README.md and docs/LANGUAGE.md are real: every ```text
//! block that starts with `$ rolegraph ARGS` (optionally `| head -N`) is run
//! and its output compared with what the block shows below the command
//! (standard output, then standard error). Timings (numbers with three
//! decimals, as PROFILE prints them) are compared as shapes, not values, so
//! the check does not depend on the machine's speed.
//! `UPDATE_DOCS=1 cargo test --test docs` rewrites the blocks from real runs.

mod common;

use std::path::Path;
use std::process::Command;

use common::shell_words;

/// What the binary prints for `args`, cut to `head` lines.
fn real_output(args: &[String], head: Option<usize>) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_rolegraph"))
        .args(args)
        .env("NO_COLOR", "1")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    let text = text.replace("\r\n", "\n");
    match head {
        Some(n) => text.lines().take(n).map(|l| format!("{l}\n")).collect(),
        None => text,
    }
}

/// Timings vary from run to run: `12.345` becomes `#`, and as a longer
/// number widens its column, spaces and the table's horizontal rules are
/// not compared (the words, their order and the cell borders are).
fn shape(text: &str) -> String {
    let re = regex::Regex::new(r"\d+\.\d{3}\b").unwrap();
    re.replace_all(text.trim_end(), "#")
        .chars()
        .filter(|c| !matches!(c, ' ' | '─' | '═'))
        .collect()
}

/// Checks (or with UPDATE_DOCS, rewrites) every runnable block of `file`;
/// returns how many there were.
fn check(file: &Path) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split_inclusive('\n').peekable();
    let mut checked = 0;
    let mut failures = Vec::new();
    while let Some(line) = lines.next() {
        out.push_str(line);
        if line.trim_end() != "```text" {
            continue;
        }
        let Some(cmd) = lines.peek().map(|l| l.trim_end().to_string()) else {
            continue;
        };
        let Some(rest) = cmd.strip_prefix("$ rolegraph ") else {
            continue;
        };
        out.push_str(lines.next().unwrap());
        let (rest, head) = match rest.rsplit_once(" | head -") {
            Some((r, n)) => (r, n.trim().parse::<usize>().ok()),
            None => (rest, None),
        };
        let mut shown = String::new();
        while let Some(l) = lines.peek() {
            if l.trim_end() == "```" {
                break;
            }
            shown.push_str(lines.next().unwrap());
        }
        let real = real_output(&shell_words(rest), head);
        checked += 1;
        if update {
            out.push_str(real.trim_end());
            out.push('\n');
        } else {
            out.push_str(&shown);
            if shape(&shown) != shape(&real) {
                failures.push(format!("{cmd}\n--- shown:\n{shown}--- real:\n{real}"));
            }
        }
    }
    if update {
        std::fs::write(file, out).unwrap();
    }
    assert!(
        failures.is_empty(),
        "{}: {} example(s) differ from real output (UPDATE_DOCS=1 rewrites them):\n{}",
        file.display(),
        failures.len(),
        failures.join("\n")
    );
    checked
}

#[test]
fn the_readme_shows_real_output() {
    let n = check(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    assert!(n >= 10, "only {n} examples");
}

#[test]
fn the_language_reference_shows_real_output() {
    let n = check(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/LANGUAGE.md"));
    assert!(n >= 6, "only {n} examples");
}

#[test]
fn shell_words_split_like_a_shell() {
    assert_eq!(
        shell_words(r#"-e "RETURN 'a b' AS \"x\"" --format csv 'PATH "A B" TO c'"#),
        ["-e", "RETURN 'a b' AS \"x\"", "--format", "csv", "PATH \"A B\" TO c"]
    );
}
