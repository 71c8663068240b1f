//! MATRIX's planning: the types it compares when `ON` names none, and the
//! name of each compared node's column. Both belong to binding, so the
//! evaluator and TRANSLATE use the same ones.

use crate::store::{Graph, NodeId};
use crate::value::Value;

/// What MATRIX compares when no `ON` names types: who is responsible for what.
pub const DEFAULT_TYPE: &str = "RESPONSIBLE_FOR";

/// The columns every matrix has besides one per compared node.
pub const FIXED: [&str; 5] = ["type", "id", "name", "sources", "overlap"];

/// A short, unique column name for each compared node: its shortest alias
/// that no other compared node has (so "CIO" names a column only when one
/// of the compared nodes is a CIO), else its id, whichever is shorter; a
/// name taken by a fixed column or an earlier one gets a number. Only the
/// compared nodes are looked at, so a server's partial copy of the graph
/// names the columns as the whole graph does.
pub fn column_names(graph: &Graph, compared: &[NodeId]) -> Vec<String> {
    let aliases: Vec<Vec<String>> = compared.iter().map(|n| aliases_of(graph, *n)).collect();
    let shared_by_another = |i: usize, a: &str| {
        aliases
            .iter()
            .enumerate()
            .any(|(j, list)| j != i && list.iter().any(|b| b.eq_ignore_ascii_case(a)))
    };
    let mut out: Vec<String> = Vec::new();
    for (i, n) in compared.iter().enumerate() {
        let key = crate::eval::domain::node_key(graph, *n);
        let mut candidates: Vec<&str> = aliases[i]
            .iter()
            .map(String::as_str)
            .filter(|a| !a.trim().is_empty() && !shared_by_another(i, a))
            .collect();
        candidates.push(&key);
        // The shortest; on a tie the alias listed first.
        let best = candidates
            .iter()
            .enumerate()
            .min_by_key(|(k, c)| (c.chars().count(), *k))
            .map(|(_, c)| crate::eval::domain::visible(c))
            .unwrap_or_default();
        let taken = |name: &str, out: &[String]| {
            FIXED.iter().any(|f| f.eq_ignore_ascii_case(name)) || out.iter().any(|o| o.eq_ignore_ascii_case(name))
        };
        let mut name = best.clone();
        let mut k = 2;
        while taken(&name, &out) {
            name = format!("{best} ({k})");
            k += 1;
        }
        out.push(name);
    }
    out
}

fn aliases_of(graph: &Graph, n: NodeId) -> Vec<String> {
    match graph.node(n).prop("aliases") {
        Some(Value::List(l)) => l
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.to_string()),
                _ => None,
            })
            .collect(),
        Some(Value::String(s)) => vec![s.to_string()],
        _ => Vec::new(),
    }
}
