//! What a server answers, in a form that does not depend on its protocol:
//! a table of values where nodes and relationships carry the server's own
//! element ids. [`super::mirror`] turns it into rolegraph's rows.

use std::time::Duration;

/// A value as a server sends it.
#[derive(Debug, Clone, PartialEq)]
pub enum RValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<RValue>),
    /// Entries in the order the server gave (sorted where it gave none).
    Map(Vec<(String, RValue)>),
    Node(RNode),
    Rel(RRel),
    Path {
        nodes: Vec<RNode>,
        rels: Vec<RRel>,
    },
    /// A value rolegraph has no type for (a point, a date, a vector),
    /// shown as the server prints it.
    Other(String),
}

/// An element id: FalkorDB's integer ids, Bolt's element id strings.
pub type ElementId = String;

#[derive(Debug, Clone, PartialEq)]
pub struct RNode {
    pub id: ElementId,
    pub labels: Vec<String>,
    pub props: Vec<(String, RValue)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RRel {
    pub id: ElementId,
    pub rel_type: String,
    pub start: ElementId,
    pub end: ElementId,
    pub props: Vec<(String, RValue)>,
}

/// What a write changed, as the server counts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RStats {
    pub nodes_created: usize,
    pub nodes_deleted: usize,
    pub relationships_created: usize,
    pub relationships_deleted: usize,
    pub labels_added: usize,
    pub properties_set: usize,
    pub indexes_created: usize,
}

impl RStats {
    pub fn is_empty(&self) -> bool {
        *self == RStats::default()
    }
}

/// One statement's answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<RValue>>,
    pub stats: RStats,
    /// The time the server says it spent, when it says.
    pub server_time: Option<Duration>,
}
