//! The words every diagram format puts on an OVERLAP or MATRIX drawing:
//! chart titles, region titles and region keys. DOT, Mermaid and HTML
//! take them from here so the same drawing is named the same way in each.

use crate::eval::domain::{Matrix, Overlap, Region};
use crate::store::Graph;

use super::dot::type_words;

/// "a", "a and b", "a, b and c".
pub fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The display names of the compared nodes, in order.
fn compared_names(graph: &Graph, compared: &[crate::store::NodeId]) -> Vec<String> {
    compared.iter().map(|n| graph.node(*n).display_name()).collect()
}

/// "What A and B share, and what each has alone", with the `ON` types.
pub fn overlap_title(graph: &Graph, o: &Overlap) -> String {
    let mut title = format!(
        "What {} share, and what each has alone",
        and_list(&compared_names(graph, &o.compared))
    );
    if !o.types.is_empty() {
        let types: Vec<String> = o.types.iter().map(|t| type_words(t)).collect();
        title.push_str(&format!(" ({})", types.join(", ")));
    }
    title
}

/// "Shared by both", "Shared by all 3", "Only A", "Shared by A and B".
pub fn region_title(graph: &Graph, o: &Overlap, r: &Region) -> String {
    let names: Vec<String> = r
        .members
        .iter()
        .map(|i| graph.node(o.compared[*i]).display_name())
        .collect();
    if r.members.len() == o.compared.len() {
        if names.len() == 2 {
            "Shared by both".into()
        } else {
            format!("Shared by all {}", names.len())
        }
    } else if names.len() == 1 {
        format!("Only {}", names[0])
    } else {
        format!("Shared by {}", and_list(&names))
    }
}

/// A region's stable key in a drawing: `region:` and its members' indices.
pub fn region_key(r: &Region) -> String {
    let members: Vec<String> = r.members.iter().map(|i| i.to_string()).collect();
    format!("region:{}", members.join("_"))
}

/// "Who is responsible for what: A and B", or the role matrix's types.
pub fn matrix_title(graph: &Graph, m: &Matrix) -> String {
    let names = and_list(&compared_names(graph, &m.compared));
    if m.types.len() == 1 && m.types[0] == crate::plan::matrix::DEFAULT_TYPE {
        format!("Who is responsible for what: {names}")
    } else {
        let types: Vec<String> = m.types.iter().map(|t| type_words(t)).collect();
        format!("Role matrix ({}): {names}", types.join(", "))
    }
}
