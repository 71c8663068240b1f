//! `:undo`, `:redo` and `:changes`, and the warning before unsaved changes
//! are thrown away (`:quit`, Ctrl-D, `:load`). Every statement is all or
//! nothing, so the session keeps each changing statement's changes and
//! can take them back one statement at a time ([`crate::Session::undo`]).

use super::{Flow, Shell};
use crate::edits::Unsaved;

/// Runs `:undo [N]`, `:redo [N]` or `:changes`.
pub fn run(shell: &mut Shell, cmd: &str, arg: &str) -> Flow {
    if shell.session.is_remote() {
        eprintln!("error: {cmd} works on a local graph; a server keeps its own transactions");
        return Flow::Failed;
    }
    match cmd {
        ":changes" => {
            if !arg.is_empty() {
                return super::meta::usage(":changes");
            }
            changes(shell);
            Flow::Ok
        }
        _ => {
            let n = match arg {
                "" => 1,
                a => match a.parse::<usize>() {
                    Ok(n) if n > 0 => n,
                    _ => {
                        eprintln!("error: {cmd} takes a number of statements, not '{a}'");
                        return super::meta::usage(cmd);
                    }
                },
            };
            step(shell, cmd == ":undo", n)
        }
    }
}

/// Undoes (or redoes) up to `n` statements, naming each.
fn step(shell: &mut Shell, undo: bool, n: usize) -> Flow {
    let mut done = 0;
    for _ in 0..n {
        let text = if undo {
            shell.session.undo()
        } else {
            shell.session.redo()
        };
        let Some(text) = text else { break };
        done += 1;
        sayln!(shell, "{} {text}", if undo { "undone:" } else { "redone:" });
    }
    if done == 0 {
        let (back, forward) = shell.session.undo_depth();
        eprintln!(
            "{}",
            match (undo, forward > 0, back > 0) {
                (true, true, _) => "nothing more to undo (:redo makes it again)",
                (true, false, _) => "nothing to undo: no statement has changed the graph since it was loaded",
                (false, _, true) => "nothing to redo: :redo makes again what :undo took back",
                (false, _, false) => "nothing to redo",
            }
        );
        return Flow::Ok;
    }
    shell.vocab_stale = true;
    let g = shell.session.graph();
    let (back, forward) = shell.session.undo_depth();
    let line = format!(
        "the graph has {} and {}; {back} more to undo, {forward} to redo",
        crate::save::counted(g.node_count(), "node", "nodes"),
        crate::save::counted(g.rel_count(), "relationship", "relationships")
    );
    sayln!(shell, "{line}");
    Flow::Ok
}

/// Lists what is not saved, oldest first.
fn changes(shell: &mut Shell) {
    let unsaved = shell.session.unsaved();
    if unsaved.is_empty() {
        sayln!(shell, "no changes since the graph was loaded or saved");
        return;
    }
    let mut text = format!("{} not saved, oldest first:\n", count(unsaved));
    for (i, u) in unsaved.iter().enumerate() {
        text.push_str(&format!("{:4}  {u}\n", i + 1));
    }
    shell.say(&text);
    let (back, forward) = shell.session.undo_depth();
    sayln!(
        shell,
        "{} can be undone, {forward} redone; :save DIR writes the graph",
        crate::save::counted(back, "statement", "statements")
    );
}

/// "3 changes (1 undone)".
pub fn count(unsaved: &[Unsaved]) -> String {
    let undone = unsaved.iter().filter(|u| matches!(u, Unsaved::Undone(_))).count();
    let redone = unsaved.iter().filter(|u| matches!(u, Unsaved::Redone(_))).count();
    let mut parts = Vec::new();
    if undone > 0 {
        parts.push(format!("{undone} undone"));
    }
    if redone > 0 {
        parts.push(format!("{redone} redone"));
    }
    let n = unsaved.len();
    format!(
        "{n} change{}{}",
        if n == 1 { "" } else { "s" },
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    )
}

/// Whether unsaved changes may be thrown away by `cmd` (`:quit` or
/// `:load`): yes when there are none, in a script, or when the same
/// command was just refused with the same changes; else a warning.
pub fn may_discard(shell: &mut Shell, cmd: &'static str) -> bool {
    let unsaved = shell.session.unsaved();
    if shell.doc.is_some() || unsaved.is_empty() {
        return true;
    }
    let now = (cmd, unsaved.len());
    if shell.discard_warned == Some(now) {
        return true;
    }
    shell.discard_warned = Some(now);
    let again = match cmd {
        ":load" => ":load again loads the other graph without saving",
        _ => ":quit (or Ctrl-D) again leaves without saving",
    };
    eprintln!(
        "warning: the graph has {} that {} not saved (:changes lists them); :save DIR writes them, {again}",
        count(unsaved),
        if unsaved.len() == 1 { "is" } else { "are" },
    );
    false
}
