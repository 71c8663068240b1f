//! `OVERLAP ... SUMMARY` and `DIFF ... SUMMARY`: instead of every item, how
//! many there are per region (or section and side) and relationship type,
//! so a comparison that fills hundreds of lines fits on a screen first. The
//! title is kept and says how to see the items.

use crate::eval::Rows;
use crate::value::Value;

/// Counts the rows of a detailed result by the values of `key` columns
/// (then the `type` column), keeping the order in which groups first appear.
fn count_by(detail: Rows, key: &[&str], hint: &str) -> Rows {
    let find = |c: &str| detail.columns.iter().position(|x| x == c);
    let mut idx: Vec<usize> = key.iter().filter_map(|c| find(c)).collect();
    idx.extend(find("type"));
    let mut groups: Vec<(Vec<Value>, i64)> = Vec::new();
    for row in &detail.rows {
        let k: Vec<Value> = idx.iter().map(|&i| row[i].clone()).collect();
        match groups
            .iter_mut()
            .find(|(g, _)| g.iter().zip(&k).all(|(x, y)| x.total_cmp(y).is_eq()))
        {
            Some((_, n)) => *n += 1,
            None => groups.push((k, 1)),
        }
    }
    let mut columns: Vec<String> = idx.iter().map(|&i| detail.columns[i].clone()).collect();
    columns.push("count".into());
    let title = detail.title.map(|t| format!("{t}\n  {hint}"));
    Rows {
        columns,
        rows: groups
            .into_iter()
            .map(|(mut k, n)| {
                k.push(Value::Int(n));
                k
            })
            .collect(),
        title,
        subgraph: detail.subgraph,
        ..Rows::default()
    }
}

pub fn overlap(detail: Rows) -> Rows {
    count_by(
        detail,
        &["region"],
        "(counts per region and type; without SUMMARY, every item)",
    )
}

pub fn diff(detail: Rows) -> Rows {
    count_by(
        detail,
        &["section", "side"],
        "(counts per section, side and type; without SUMMARY, every item)",
    )
}
