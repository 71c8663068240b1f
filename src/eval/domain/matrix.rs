//! MATRIX: the role × item table people draw when they split duties
//! between roles (RACI-style). One row per item the compared nodes reach
//! by the given types, one column per compared node marked where it
//! reaches the item (with the claim's confidence), the sources behind the
//! row, and whether more than one node reaches it. Below it, per node, how
//! many items it has alone, shares, and in all; and the shared items, the
//! ones an organisation must settle when it splits duties.

use super::{Reached, describe_node, group_claims, name_order, node_key, reach, str_list};
use crate::eval::Rows;
use crate::store::{Graph, NodeId};
use crate::value::Value;

/// The mark of a cell whose claim states no confidence.
pub const MARK: &str = "✓";

use crate::plan::matrix::FIXED;

#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub compared: Vec<NodeId>,
    pub types: Vec<String>,
    /// Each compared node's column name.
    pub columns: Vec<String>,
    /// Every item reached, sorted by type, then name.
    pub items: Vec<Reached>,
}

impl Matrix {
    /// Items reached by more than one compared node.
    pub fn shared(&self) -> impl Iterator<Item = &Reached> {
        self.items.iter().filter(|i| i.claims.len() > 1)
    }

    /// Per compared node: (alone, shared, in all).
    pub fn counts(&self) -> Vec<(usize, usize, usize)> {
        let mut out = vec![(0, 0, 0); self.compared.len()];
        for item in &self.items {
            for c in &item.claims {
                let e = &mut out[c.by];
                if item.claims.len() > 1 {
                    e.1 += 1;
                } else {
                    e.0 += 1;
                }
                e.2 += 1;
            }
        }
        out
    }
}

/// The cell of a claim: the mark, then the confidence when one is stated.
pub fn cell(confidence: Option<&str>) -> String {
    match confidence {
        Some(c) => format!("{MARK} {c}"),
        None => MARK.to_string(),
    }
}

/// `columns` names each compared node's column (the planner chooses them:
/// [`crate::plan::matrix::column_names`]).
pub fn matrix(graph: &Graph, compared: &[NodeId], types: &[String], columns: &[String]) -> Matrix {
    let mut hits = Vec::new();
    for (i, n) in compared.iter().enumerate() {
        for (t, target, rel) in reach(graph, *n, types) {
            hits.push((i, t, target, rel));
        }
    }
    let mut items = group_claims(graph, hits);
    items.sort_by_cached_key(|r| (r.rel_type.clone(), name_order(graph, r.node)));
    Matrix {
        compared: compared.to_vec(),
        types: types.to_vec(),
        columns: columns.to_vec(),
        items,
    }
}

/// The sources behind an item: every claim's, in the order of the
/// compared nodes, each once.
pub fn item_sources(item: &Reached) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in &item.claims {
        for s in &c.sources {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
    }
    out
}

/// The column names of a matrix's rows.
pub fn columns(m: &Matrix) -> Vec<String> {
    let mut cols: Vec<String> = FIXED[..3].iter().map(|c| c.to_string()).collect();
    cols.extend(m.columns.iter().cloned());
    cols.extend(FIXED[3..].iter().map(|c| c.to_string()));
    cols
}

/// One row per item: type, id, name, a cell per compared node (the mark,
/// or "" where the node does not reach the item), the sources, and whether
/// more than one node reaches it. JSON and CSV, which carry no title or
/// summary tables, get the column names' ids first (`type` "column") and
/// the counts per node last (`type` "summary").
pub fn rows(graph: &Graph, m: &Matrix) -> Rows {
    let width = m.compared.len();
    let mut out = Vec::with_capacity(m.items.len());
    for item in &m.items {
        let mut cells = vec![Value::str(""); width];
        for c in &item.claims {
            cells[c.by] = Value::from(cell(c.confidence.as_deref()));
        }
        let mut row = vec![
            Value::from(item.rel_type.clone()),
            Value::from(node_key(graph, item.node)),
            Value::from(graph.node(item.node).display_name()),
        ];
        row.extend(cells);
        row.push(str_list(&item_sources(item)));
        row.push(Value::Bool(item.claims.len() > 1));
        out.push(row);
    }
    let fact = |kind: &str, id: &str, name: &str, cells: Vec<Value>| {
        let mut row = vec![Value::str(kind), Value::str(id), Value::str(name)];
        row.extend(cells);
        row.extend([Value::Null, Value::Null]);
        row
    };
    let header_rows = vec![fact(
        "column",
        "id",
        "the id of the node each column stands for",
        m.compared.iter().map(|n| Value::from(node_key(graph, *n))).collect(),
    )];
    let counts = m.counts();
    let count_row = |id: &str, name: &str, pick: fn(&(usize, usize, usize)) -> usize| {
        fact(
            "summary",
            id,
            name,
            counts.iter().map(|c| Value::Int(pick(c) as i64)).collect(),
        )
    };
    let footer_rows = vec![
        count_row("alone", "items only this node reaches", |c| c.0),
        count_row("shared", "items this node shares with another", |c| c.1),
        count_row("in all", "items this node reaches", |c| c.2),
    ];
    Rows {
        columns: columns(m),
        rows: out,
        title: Some(title(graph, m)),
        header_rows,
        footer_rows,
        sections: vec![per_node(graph, m), shared(graph, m)],
        subgraph: Some(std::sync::Arc::new(super::Subgraph::Matrix(m.clone()))),
        ..Rows::default()
    }
}

/// "Role matrix ON RESPONSIBLE_FOR: 36 items, 9 reached by more than one",
/// then what each column stands for.
fn title(graph: &Graph, m: &Matrix) -> String {
    let shared = m.shared().count();
    let mut t = format!(
        "MATRIX ON {}: {} item{}, {} reached by more than one",
        m.types.join("|"),
        m.items.len(),
        if m.items.len() == 1 { "" } else { "s" },
        shared
    );
    for (col, n) in m.columns.iter().zip(&m.compared) {
        t.push_str(&format!("\n  {col}: {}", describe_node(graph, *n)));
    }
    t
}

/// The summary table: per compared node, items alone, shared, in all.
fn per_node(graph: &Graph, m: &Matrix) -> Rows {
    let rows = m
        .compared
        .iter()
        .zip(&m.columns)
        .zip(m.counts())
        .map(|((n, col), (alone, shared, all))| {
            vec![
                Value::from(col.clone()),
                Value::from(node_key(graph, *n)),
                Value::from(graph.node(*n).display_name()),
                Value::Int(alone as i64),
                Value::Int(shared as i64),
                Value::Int(all as i64),
            ]
        })
        .collect();
    Rows {
        columns: ["column", "id", "name", "alone", "shared", "in all"]
            .map(String::from)
            .to_vec(),
        rows,
        title: Some("Per column: items it reaches alone, shares with another, and in all".into()),
        ..Rows::default()
    }
}

/// The items reached by more than one node, with who reaches them.
fn shared(graph: &Graph, m: &Matrix) -> Rows {
    let rows: Vec<Vec<Value>> = m
        .shared()
        .map(|item| {
            vec![
                Value::from(item.rel_type.clone()),
                Value::from(node_key(graph, item.node)),
                Value::from(graph.node(item.node).display_name()),
                str_list(&item.claims.iter().map(|c| m.columns[c.by].clone()).collect::<Vec<_>>()),
            ]
        })
        .collect();
    let title = if rows.is_empty() {
        "No item is reached by more than one: nothing to settle".to_string()
    } else {
        format!(
            "Reached by more than one ({}): what to settle when splitting duties",
            rows.len()
        )
    };
    Rows {
        columns: ["type", "id", "name", "reached by"].map(String::from).to_vec(),
        rows,
        title: Some(title),
        ..Rows::default()
    }
}
