//! `count(x)` of a variable that cannot be null is `count(*)`.
//!
//! `count(x)` counts the rows where `x` is not null. A node or
//! relationship variable that a non-optional MATCH's pattern names is
//! never null in that clause's rows: a match binds it to a graph element,
//! and a row that brought it in as null (from an earlier OPTIONAL MATCH)
//! matches nothing. Nothing between that MATCH and the projection that
//! counts may null it again: further MATCH clauses (OPTIONAL MATCH only
//! nulls its own new variables), WHERE filters and UNWIND leave the slots
//! they did not bind as they were. So `count(x)` there becomes
//! `count(*)`, and every counting strategy written for `count(*)` (per
//! node, per type, the last hop counted, a tree of hops multiplied out)
//! takes it too.
//!
//! Likewise `count(x.k)` of such a node is `count(*)` when the store
//! says every node of one of the labels the pattern gives `x` has a value
//! for `k` (exact statistics: an index, or every node read; `id` when
//! every node has one). The statistics are those before the statement,
//! so a statement that edits the graph is not rewritten this way.
//!
//! Not rewritten: `count(DISTINCT x)` (it counts values, not rows), a
//! variable only an OPTIONAL MATCH binds, and anything across a WITH or
//! an editing clause (the walk back from the projection stops there).

use crate::plan::functions::AggFunc;
use crate::plan::ops::{Op, PExpr, PKind};
use crate::store::Graph;

/// Rewrites, in every projection, `count(x)` of a never-null variable
/// (and `count(x.k)` of a never-null node whose label's nodes all have
/// `k`) into `count(*)`.
pub fn count_star(ops: &mut [Op], graph: &Graph) {
    let edits = ops.iter().any(|op| matches!(op, Op::Create(_) | Op::Update(_)));
    for i in 0..ops.len() {
        if !matches!(&ops[i], Op::Project(_)) {
            continue;
        }
        let never_null = bound_before(&ops[..i]);
        if never_null.is_empty() {
            continue;
        }
        let Op::Project(p) = &mut ops[i] else {
            continue;
        };
        let always_has = |s: usize, key: &str| {
            !edits
                && never_null.iter().any(|(slot, labels)| {
                    *slot == s
                        && ((key == "id" && graph.every_node_has_key())
                            || labels.iter().any(|l| {
                                let v = graph.value_stats(l, key);
                                v.exact && v.nodes > 0 && v.with_value >= v.nodes as f64
                            }))
                })
        };
        for a in &mut p.aggregates {
            if a.func != AggFunc::Count || a.distinct {
                continue;
            }
            let counted_whole = match &a.arg {
                Some(PExpr {
                    kind: PKind::Slot(s), ..
                }) => never_null.iter().any(|(slot, _)| slot == s),
                Some(PExpr {
                    kind: PKind::Prop(base, key),
                    ..
                }) => matches!(base.kind, PKind::Slot(s) if always_has(s, key)),
                _ => false,
            };
            if counted_whole {
                a.arg = None;
            }
        }
    }
}

/// The slots of the rows reaching the end of `ops` that hold a node or
/// relationship a non-optional MATCH matched since the last projection,
/// with the labels its pattern gives a node (none for a relationship).
fn bound_before(ops: &[Op]) -> Vec<(usize, Vec<String>)> {
    let mut slots = Vec::new();
    for op in ops.iter().rev() {
        match op {
            Op::Match(m) => {
                if !m.optional {
                    for pat in &m.patterns {
                        slots.extend(pat.nodes.iter().map(|n| (n.slot, n.labels.clone())));
                        slots.extend(pat.rels.iter().map(|r| (r.slot, Vec::new())));
                    }
                }
            }
            Op::Filter(_) | Op::Unwind(_) => {}
            // A projection starts a new scope; an editing clause, or a
            // strategy another pass chose, ends what this pass knows.
            _ => break,
        }
    }
    slots
}
