//! DESCRIBE (a node with its properties and every relationship, each with
//! its sources) and EXPLAIN (the operators a plan will run).

use super::Rows;
use crate::plan::ops::{Op, PatternPlan, Plan};
use crate::store::{Direction, Graph, NodeId};
use crate::value::Value;

pub fn describe(graph: &Graph, id: NodeId) -> Rows {
    let node = graph.node(id);
    let mut title = format!("{} ({})", node.display_name(), node.key().unwrap_or("-"));
    let labels: Vec<&str> = node.labels().collect();
    if !labels.is_empty() {
        title.push_str(&format!(" :{}", labels.join(":")));
    }
    for (k, v) in node.props() {
        if matches!(&**k, "id" | "name") {
            continue;
        }
        title.push_str(&format!("\n  {k}: {}", plain(v)));
    }
    let mut rows = Vec::new();
    for (dir, label) in [(Direction::Outgoing, "out"), (Direction::Incoming, "in")] {
        for adj in graph.neighbours(id, dir, None) {
            let rel = graph.rel(adj.rel);
            let other = graph.node(adj.other);
            rows.push(vec![
                Value::str(label),
                Value::str(rel.rel_type()),
                other.key().map(Value::str).unwrap_or(Value::Null),
                Value::from(other.display_name()),
                rel.prop("sources").cloned().unwrap_or(Value::Null),
            ]);
        }
    }
    // Grouped by direction and type, then by name.
    rows.sort_by(|a, b| {
        b[0].total_cmp(&a[0])
            .then_with(|| a[1].total_cmp(&b[1]))
            .then_with(|| a[3].total_cmp(&b[3]))
    });
    Rows {
        columns: ["direction", "type", "id", "name", "sources"]
            .map(String::from)
            .to_vec(),
        rows,
        title: Some(title),
        ..Rows::default()
    }
}

/// A value as plain text (strings unquoted, lists comma-separated).
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::List(l) => l.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

pub fn explain(plan: &Plan) -> Rows {
    let mut rows = Vec::new();
    let mut push = |op: &str, detail: String| {
        let n = rows.len() as i64 + 1;
        rows.push(vec![Value::Int(n), Value::str(op), Value::from(detail)]);
    };
    match plan {
        Plan::Query(q) => {
            for (pi, part) in q.parts.iter().enumerate() {
                if pi > 0 {
                    push(if q.unions[pi - 1] { "UnionAll" } else { "Union" }, String::new());
                }
                for op in &part.ops {
                    match op {
                        Op::Match(m) => {
                            for p in &m.patterns {
                                push(if m.optional { "OptionalExpand" } else { "Expand" }, pattern_detail(p));
                            }
                            if m.filter.is_some() {
                                push("Filter", "WHERE".into());
                            }
                        }
                        Op::Unwind(_) => push("Unwind", String::new()),
                        Op::Create(c) => push("Create", format!("{} pattern(s)", c.patterns.len())),
                        Op::Project(p) => {
                            let what = if p.aggregates.is_empty() {
                                "Project"
                            } else {
                                "Aggregate"
                            };
                            push(what, p.columns.join(", "));
                            if p.distinct {
                                push("Distinct", String::new());
                            }
                            if !p.order_by.is_empty() {
                                push("Sort", format!("{} key(s)", p.order_by.len()));
                            }
                            if p.skip.is_some() {
                                push("Skip", String::new());
                            }
                            if p.limit.is_some() {
                                push("Limit", String::new());
                            }
                            if p.filter.is_some() {
                                push("Filter", "WITH ... WHERE".into());
                            }
                        }
                    }
                }
            }
        }
        Plan::Describe(_) => push("Describe", "node lookup, then its relationships".into()),
        Plan::Overlap { .. } => push("Overlap", String::new()),
        Plan::Diff(..) => push("Diff", String::new()),
        Plan::Path { .. } => push("ShortestPath", String::new()),
        Plan::Explain(p) | Plan::Profile(p) => return explain(p),
        Plan::Translate(_) => push("Translate", "prints openCypher, runs nothing".into()),
    }
    Rows {
        columns: ["step", "operator", "detail"].map(String::from).to_vec(),
        rows,
        ..Rows::default()
    }
}

fn pattern_detail(p: &PatternPlan) -> String {
    let start = &p.nodes[p.start];
    let how = if !start.labels.is_empty() {
        format!("scan :{}", start.labels.join(":"))
    } else {
        "scan all nodes".to_string()
    };
    let hops: Vec<String> = p
        .rels
        .iter()
        .map(|r| {
            let t = if r.types.is_empty() {
                "any".to_string()
            } else {
                r.types.join("|")
            };
            match r.var_len {
                Some((lo, Some(hi))) => format!("{t}*{lo}..{hi}"),
                Some((lo, None)) => format!("{t}*{lo}.."),
                None => t,
            }
        })
        .collect();
    if hops.is_empty() {
        format!("start at node {} ({how})", p.start)
    } else {
        format!("start at node {} ({how}), expand {}", p.start, hops.join(", "))
    }
}
