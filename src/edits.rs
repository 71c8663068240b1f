//! What a session changed: the undo and redo stacks (each entry one
//! statement's changes, or a script's run as one unit) and the list of
//! changes not saved yet, which `:changes` shows and the unsaved-changes
//! warning counts. Undoing is itself a change: a graph edited and then
//! undone back is still reported, since the user may not remember.

use std::collections::VecDeque;

use crate::store::{Changes, Graph};

/// Statements that can be undone, at most (the oldest are forgotten).
pub const UNDO_DEPTH: usize = 1000;

/// One statement (or unit) that changed the graph.
#[derive(Debug, Clone)]
struct Edit {
    text: String,
    changes: Changes,
}

/// What happened to the graph since it was loaded or saved, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsaved {
    /// A statement changed the graph (its text).
    Done(String),
    /// `:undo` took a statement back.
    Undone(String),
    /// `:redo` made it again.
    Redone(String),
}

impl std::fmt::Display for Unsaved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unsaved::Done(t) => write!(f, "{t}"),
            Unsaved::Undone(t) => write!(f, "undone: {t}"),
            Unsaved::Redone(t) => write!(f, "redone: {t}"),
        }
    }
}

#[derive(Debug, Default)]
pub struct History {
    undo: VecDeque<Edit>,
    redo: Vec<Edit>,
    unsaved: Vec<Unsaved>,
}

impl History {
    /// Records a statement's changes (nothing when it changed nothing);
    /// what was undone before can no longer be redone.
    pub fn done(&mut self, text: &str, changes: Changes) {
        if changes.is_empty() {
            return;
        }
        self.redo.clear();
        if self.undo.len() == UNDO_DEPTH {
            self.undo.pop_front();
        }
        let text = one_line(text);
        self.unsaved.push(Unsaved::Done(text.clone()));
        self.undo.push_back(Edit { text, changes });
    }

    /// Takes back the last statement that changed `graph`: its text.
    pub fn undo(&mut self, graph: &mut Graph) -> Option<String> {
        let edit = self.undo.pop_back()?;
        let changes = graph.revert(edit.changes);
        self.unsaved.push(Unsaved::Undone(edit.text.clone()));
        self.redo.push(Edit {
            text: edit.text.clone(),
            changes,
        });
        Some(edit.text)
    }

    /// Makes the last undone statement again: its text.
    pub fn redo(&mut self, graph: &mut Graph) -> Option<String> {
        let edit = self.redo.pop()?;
        let changes = graph.revert(edit.changes);
        self.unsaved.push(Unsaved::Redone(edit.text.clone()));
        self.undo.push_back(Edit {
            text: edit.text.clone(),
            changes,
        });
        Some(edit.text)
    }

    pub fn can_undo(&self) -> usize {
        self.undo.len()
    }

    pub fn can_redo(&self) -> usize {
        self.redo.len()
    }

    /// Every change since the graph was loaded or saved, undone ones too.
    pub fn unsaved(&self) -> &[Unsaved] {
        &self.unsaved
    }

    /// The graph was saved: nothing is unsaved (undo still works).
    pub fn saved(&mut self) {
        self.unsaved.clear();
    }

    /// A new graph: nothing to undo or redo.
    pub fn reset(&mut self) {
        *self = History::default();
    }
}

/// A statement's text on one line, shortened for listing.
fn one_line(text: &str) -> String {
    const MAX: usize = 120;
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match joined.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &joined[..i]),
        None => joined,
    }
}
