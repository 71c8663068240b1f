//! EXPLAIN (the operators a plan will run); DESCRIBE lives with rolegraph's
//! other statements in `domain::describe`.

use super::Rows;
pub use super::domain::describe::describe;
use super::nodefilter::NodeFilter;
use super::ops::fixed_filter::{self, FixedCondition};
use super::ops::project::Stage;
use crate::plan::ops::{CountPerNodeOp, CountedExpand, NodeStep, Op, PExpr, PKind, PatternPlan, Plan, QueryPlan};
use crate::plan::ops::{IndexSeek, MatchOp, ProjectOp, SeekIndex, SemiJoin};
use crate::plan::optimise::cost::Estimator;
use crate::store::{Direction, Graph};
use crate::value::{Value, format_key};

/// What an EXPLAIN step stands for, so PROFILE can find the step to charge
/// an operator's rows and time to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Pattern `i` of a MATCH clause.
    Expand(usize),
    /// A filter: what is left of a MATCH's WHERE.
    Filter,
    Unwind,
    Create,
    /// One stage of a WITH or RETURN.
    Stage(Stage),
    /// A parallel section's split of its input into morsels.
    Parallel,
    /// UNION or UNION ALL, joining the parts before it to the part after it.
    Union,
    /// A statement that is not a query (DESCRIBE, OVERLAP, ...): one step.
    Statement,
    /// The set of a decorrelated `EXISTS` subquery in the operator's
    /// expressions, by `SemiJoin::id`: its rows are the set's nodes.
    SemiJoin(usize),
}

/// Which counting operator a MATCH became, for its step's name and detail.
#[derive(Debug, Clone, Copy)]
enum Counting {
    PerNode(CountedExpand),
    DistinctEnds,
    LastHop,
    Closing,
    Pairs,
    PairCounts,
    Starts,
    PerType,
    Symmetric,
}

/// One operator of a plan, as EXPLAIN lists it.
#[derive(Debug, Clone)]
pub struct Step {
    /// The single query (part of a UNION) the step belongs to.
    pub part: usize,
    /// The operator's position in the part; `None` for a union.
    pub op: Option<usize>,
    pub role: Role,
    pub name: &'static str,
    pub detail: String,
    /// The rows the planner expects the step to produce (see
    /// [`estimate`]); `None` where it has no estimate.
    pub estimate: Option<f64>,
}

pub fn explain(plan: &Plan, graph: &Graph) -> Rows {
    let rows = steps(plan, graph)
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                Value::Int(i as i64 + 1),
                Value::str(s.name),
                Value::from(s.detail),
                estimated(s.estimate),
            ]
        })
        .collect();
    Rows {
        columns: ["step", "operator", "detail", "estimated"].map(String::from).to_vec(),
        rows,
        ..Rows::default()
    }
}

/// An estimate as EXPLAIN and PROFILE show it: whole rows, or null.
pub fn estimated(e: Option<f64>) -> Value {
    match e {
        Some(r) if r.is_finite() => Value::Int(r.round().min(i64::MAX as f64) as i64),
        _ => Value::Null,
    }
}

/// The operators `plan` runs, in the order EXPLAIN lists them, each with
/// its estimated rows: the one list EXPLAIN prints and PROFILE fills in.
pub fn steps(plan: &Plan, graph: &Graph) -> Vec<Step> {
    let (name, detail) = match plan {
        Plan::Query(q) => {
            let mut out = query_steps(q, graph);
            estimate(q, graph, &mut out);
            return out;
        }
        Plan::Explain(p) | Plan::Profile(p) => return steps(p, graph),
        Plan::Describe(_) => ("Describe", "node lookup, then its relationships"),
        Plan::Overlap { .. } => ("Overlap", ""),
        Plan::Diff { .. } => ("Diff", ""),
        Plan::Path { .. } => ("ShortestPath", ""),
        Plan::Matrix { .. } => (
            "Matrix",
            "each node's relationships of the types, one row per item reached",
        ),
        Plan::Translate(_) => ("Translate", "prints openCypher, runs nothing"),
        Plan::Index(c) => match c {
            crate::plan::ops::IndexCommand::Create { .. } => {
                ("CreateIndex", "builds a sorted index of the label's nodes")
            }
            crate::plan::ops::IndexCommand::Drop { .. } => ("DropIndex", ""),
            crate::plan::ops::IndexCommand::Show => ("ShowIndexes", ""),
        },
    };
    single(name, detail)
}

/// The one step of a statement that is not a query.
pub fn single(name: &'static str, detail: &str) -> Vec<Step> {
    vec![Step {
        part: 0,
        op: Some(0),
        role: Role::Statement,
        name,
        detail: detail.into(),
        estimate: None,
    }]
}

fn query_steps(q: &QueryPlan, graph: &Graph) -> Vec<Step> {
    let mut out = Vec::new();
    for (pi, part) in q.parts.iter().enumerate() {
        if pi > 0 {
            let name = if q.unions[pi - 1] { "UnionAll" } else { "Union" };
            out.push(Step {
                part: pi,
                op: None,
                role: Role::Union,
                name,
                detail: String::new(),
                estimate: None,
            });
        }
        // The slots every row has on entry to the operator: the matcher
        // takes them as bound.
        let mut width = 0;
        for (oi, op) in part.ops.iter().enumerate() {
            op_semi_joins(op, &mut |s| {
                out.push(Step {
                    part: pi,
                    op: Some(oi),
                    role: Role::SemiJoin(s.id),
                    name: "SemiJoin",
                    detail: semi_join_detail(s),
                    estimate: Some(s.estimate),
                })
            });
            let mut push = |role: Role, name: &'static str, detail: String| {
                out.push(Step {
                    part: pi,
                    op: Some(oi),
                    role,
                    name,
                    detail,
                    estimate: None,
                })
            };
            match op {
                Op::Match(m)
                | Op::CountPerNode(CountPerNodeOp { m, .. })
                | Op::DistinctEnds(m)
                | Op::CountPerType(m)
                | Op::SymmetricCount(m)
                | Op::CountExpand(m)
                | Op::IntersectCount(m)
                | Op::DistinctPairs(m)
                | Op::DistinctStarts(m)
                | Op::PairCounts(m) => {
                    let how = match op {
                        Op::CountPerType(_) => Some(Counting::PerType),
                        Op::SymmetricCount(_) => Some(Counting::Symmetric),
                        Op::CountPerNode(c) => Some(Counting::PerNode(c.counted)),
                        Op::DistinctEnds(_) => Some(Counting::DistinctEnds),
                        Op::CountExpand(_) => Some(Counting::LastHop),
                        Op::IntersectCount(_) => Some(Counting::Closing),
                        Op::DistinctPairs(_) => Some(Counting::Pairs),
                        Op::DistinctStarts(_) => Some(Counting::Starts),
                        Op::PairCounts(_) => Some(Counting::PairCounts),
                        _ => None,
                    };
                    let mut bound = vec![true; width];
                    for (i, p) in m.patterns.iter().enumerate() {
                        let last = i + 1 == m.patterns.len();
                        let start = &p.nodes[p.start];
                        let scanned = !bound.get(start.slot).copied().unwrap_or(false)
                            && start.labels.len() == 1
                            && start.props.is_none()
                            && p.seek.is_none();
                        let filtered_scan = scanned
                            && p.filters.first().is_some_and(|c| {
                                !c.is_empty()
                                    && c.iter().all(|e| {
                                        NodeFilter::compiles(e, &[]) == Some(start.slot)
                                            || FixedCondition::new(e, vec![start.slot]).is_some()
                                    })
                            });
                        // The next part is joined on this node's property:
                        // the scan probes the table before binding.
                        let probes = scanned
                            && m.patterns.get(i + 1).and_then(|n| n.join.as_ref()).is_some_and(|j| {
                                matches!(&j.probe.kind, PKind::Prop(b, _) if matches!(b.kind, PKind::Slot(s) if s == start.slot))
                            });
                        let name = match (&p.join, m.optional, how) {
                            (Some(_), _, Some(Counting::LastHop)) if last => "HashJoinCount",
                            (Some(_), _, _) => "HashJoin",
                            (None, _, Some(Counting::PerNode(_))) if last => "CountPerNode",
                            (None, _, Some(Counting::DistinctEnds)) if last => "DistinctEnds",
                            (None, _, Some(Counting::LastHop)) if last => "CountExpand",
                            (None, _, Some(Counting::Closing)) if last => "IntersectCount",
                            (None, _, Some(Counting::Pairs)) if last => "DistinctPairs",
                            (None, _, Some(Counting::Starts)) if last => "DistinctStarts",
                            (None, _, Some(Counting::PairCounts)) if last => "PairCounts",
                            (None, _, Some(Counting::PerType)) if last => "CountPerType",
                            (None, _, Some(Counting::Symmetric)) if last => "SymmetricCount",
                            (None, true, _) => "OptionalExpand",
                            (None, false, _) => "Expand",
                        };
                        let mut detail = match &p.join {
                            Some(_) => format!(
                                "a table of this part's matches by its side of a WHERE equality, built once; each row looks up its own side: {}",
                                pattern_detail(p, &mut bound)
                            ),
                            None => pattern_detail(p, &mut bound),
                        };
                        if let Some(j) = &p.join
                            && !j.after.is_empty()
                        {
                            let n = j.after.len();
                            let s = if n == 1 { "" } else { "s" };
                            detail.push_str(&format!("; {n} WHERE condition{s} checked on each joined row"));
                        }
                        for (k, conditions) in p.filters.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
                            let when = match k {
                                0 => "at the start node".to_string(),
                                1 => "after 1 hop".to_string(),
                                k => format!("after {k} hops"),
                            };
                            let n = conditions.len();
                            let what = if n == 1 {
                                "1 WHERE condition".to_string()
                            } else {
                                format!("{n} WHERE conditions")
                            };
                            detail.push_str(&format!("; {what} checked {when}"));
                            let fixed = fixed_filter::fixed_conditions(p, k);
                            if fixed > 0 {
                                detail.push_str(&format!(
                                    " ({fixed} against a value fixed per outer row, compiled once per row)"
                                ));
                            }
                            if k == 0 && filtered_scan {
                                detail.push_str(" (a filtered scan: read in place, no row until a node passes)");
                            }
                        }
                        if probes {
                            detail.push_str("; each node's key looked up in the next part's table before it is bound");
                        }
                        if p.join.is_none() {
                            let known = crate::eval::labels::known_from_earlier(graph, p, &m.patterns[..i]);
                            for (ni, _) in known.iter().enumerate().filter(|(_, k)| **k) {
                                detail.push_str(&format!(
                                    "; node {ni}'s labels not checked (an earlier part's node or hop gives them)"
                                ));
                            }
                        }
                        if let Some(w) = &p.want {
                            let share = (graph.index_demand(&w.label, &w.key)
                                / (crate::store::BUILD_COST * graph.nodes_with_label(&w.label).len().max(1) as f64)
                                * 100.0)
                                .min(100.0);
                            detail.push_str(&format!(
                                "; an index on :{}({}) would save ~{} nodes read (built once the scans it would \
                                 save pay for it: {share:.0}% so far)",
                                format_key(&w.label),
                                format_key(&w.key),
                                w.saved.round() as u64
                            ));
                        }
                        if let Some(top) = &p.top {
                            let n = top.keys.len();
                            let s = if n == 1 { "" } else { "s" };
                            detail.push_str(&format!(
                                "; a top-k scan: only the nodes among the first SKIP + LIMIT by {n} sort key{s} are bound \
                                 (blocks whose first key all sorts after the worst kept skipped; on several threads, \
                                 each scans a share)"
                            ));
                        }
                        match how {
                            Some(Counting::PerNode(_)) if p.rels.is_empty() => {
                                detail.push_str("; nodes counted as scanned, no rows made")
                            }
                            Some(Counting::PerNode(c)) => {
                                detail.push_str(&format!(
                                    "; matches counted per node {}, not one row each",
                                    c.group_node
                                ));
                                if c.optional {
                                    detail.push_str(" (OPTIONAL: a node without one counts as a row of nulls)");
                                }
                                let lab = crate::eval::labels::PatternLabels::new(graph, p, &[]);
                                if super::ops::count_far_end::choose(graph, p, c, &lab).is_some() {
                                    detail.push_str(&format!(
                                        ", read from node {}'s degrees (node {} needs no label check), no relationship \
                                         visited",
                                        c.group_node, p.start
                                    ));
                                }
                            }
                            Some(Counting::DistinctEnds) if last => {
                                detail.push_str("; the last hop's ends collected into a set, no rows made")
                            }
                            Some(Counting::PerType) if last => detail.push_str(
                                "; matches counted per relationship type (the type's count where its statistics imply both ends' labels), one row per type",
                            ),
                            Some(Counting::Symmetric) if last => detail.push_str(
                                "; each relationship counted once from its start's outgoing list, both ways round \
                                 (a self-loop once), the WHERE checked for each way with each node's values read once",
                            ),
                            Some(Counting::LastHop) if last && p.join.is_some() => detail.push_str(
                                "; each row counts the matches under its key that pass the join's conditions (text keys without conditions at once; others one by one), one row for them all",
                            ),
                            Some(Counting::LastHop) if last => {
                                detail.push_str(
                                    "; the last hop's matches counted at each node it leaves, one row for them all",
                                );
                                if p.filters.get(p.rels.len()).is_some_and(|f| !f.is_empty()) {
                                    detail.push_str(
                                        " (the conditions after it checked on each end counted, a comparison with \
                                         a bound node's property reading that value once)",
                                    );
                                }
                            }
                            Some(Counting::Pairs) if last => detail.push_str(
                                "; each pair of the start node and the last hop's end made once: from each start node, \
                                 the ends marked in a set",
                            ),
                            Some(Counting::PairCounts) if last => detail.push_str(
                                "; each pair of the start node and the last hop's end made once, weighted by its \
                                 matches: from each start node, the ends marked and counted",
                            ),
                            Some(Counting::Starts) if last => detail.push_str(
                                "; each start node with a match made once: its matching stops at the first",
                            ),
                            Some(Counting::Closing) if last => detail.push_str(
                                "; the last two hops close a cycle: the node between them looked up among the bound \
                                 node's neighbours, and their matches counted at each node they leave, one row for them all",
                            ),
                            _ => {}
                        }
                        if last && m.filter.is_some() {
                            // Only OPTIONAL MATCH keeps its WHERE (plan/optimise/filter_op.rs).
                            detail.push_str("; WHERE checked on each match, a row without one gets nulls");
                        }
                        push(Role::Expand(i), name, detail);
                    }
                    width = m.width;
                }
                Op::FactorCount(f) => {
                    push(Role::Expand(0), "FactorCount", factor_detail(f));
                    width = f.m.width;
                }
                Op::WalkCount(w) => {
                    push(Role::Expand(0), "WalkCount", walk_detail(w));
                    width = w.m.width;
                }
                Op::AntiJoin(m) => {
                    let mut bound = vec![true; width];
                    let each: Vec<String> = m.patterns.iter().map(|p| pattern_detail(p, &mut bound)).collect();
                    let filter = if m.filter.is_some() {
                        "; WHERE checked on each match"
                    } else {
                        ""
                    };
                    push(
                        Role::Expand(0),
                        "AntiJoin",
                        format!(
                            "OPTIONAL MATCH whose matches the next WHERE drops (x IS NULL): a row without a match \
                             passes with nulls, one with a match is dropped at its first: {}{filter}",
                            each.join(", then ")
                        ),
                    );
                    width = m.width;
                }
                Op::GroupJoin(g) => {
                    let mut how = Vec::new();
                    for op in &g.once.ops {
                        match op {
                            Op::Match(m) => how.extend(m.patterns.iter().map(|p| pattern_detail(p, &mut Vec::new()))),
                            Op::Filter(_) => how.push("WHERE".into()),
                            _ => {}
                        }
                    }
                    push(
                        Role::SemiJoin(g.once.id),
                        "CountTable",
                        format!(
                            "the OPTIONAL MATCH's matches counted per node {}, matched once with the row's node free \
                             (once rows counted one by one have taken the ~{} units of work it costs): {}",
                            g.node,
                            g.once.once_cost.round(),
                            how.join("; ")
                        ),
                    );
                    let mut bound = vec![true; width];
                    let each: Vec<String> = g.m.patterns.iter().map(|p| pattern_detail(p, &mut bound)).collect();
                    let filter = if g.m.filter.is_some()
                        || g.m.patterns.iter().any(|p| p.filters.iter().any(|f| !f.is_empty()))
                    {
                        " and its WHERE"
                    } else {
                        ""
                    };
                    push(
                        Role::Expand(0),
                        "GroupJoin",
                        format!(
                            "OPTIONAL MATCH whose matches only the next projection counts: one row each, with its \
                             node's number of matches from the table (0 without one), or its degrees when the \
                             clause is one typed hop to a node whose labels the types' statistics imply, no row \
                             per match; a row counted alone matches{filter}: {}",
                            each.join(", then ")
                        ),
                    );
                    width = g.m.width;
                }
                Op::Filter(_) => push(Role::Filter, "Filter", "WHERE".into()),
                Op::Parallel => push(Role::Parallel, "Parallel", parallel_detail(part, oi, graph)),
                Op::Unwind(u) => {
                    push(Role::Unwind, "Unwind", String::new());
                    width = u.slot + 1;
                }
                Op::Create(c) => {
                    push(Role::Create, "Create", format!("{} pattern(s)", c.patterns.len()));
                    width = c.width;
                }
                Op::Update(u) => {
                    push(Role::Create, u.name(), u.detail());
                    if let crate::plan::update::UpdateOp::Merge(m) = u {
                        width = m.width;
                    }
                }
                Op::RowGroups(p) => {
                    let filter = if p.filter.is_some() {
                        "; WITH ... WHERE checked on each"
                    } else {
                        ""
                    };
                    push(
                        Role::Stage(Stage::Project),
                        "AggregatePerRow",
                        format!(
                            "{}: each row a group of its own (no two rows share its keys' nodes), projected as it \
                             comes and passed on, no table of groups{filter}",
                            p.columns.join(", ")
                        ),
                    );
                    width = p.items.len();
                }
                Op::Project(p) => {
                    let what = if p.aggregates.is_empty() {
                        "Project"
                    } else {
                        "Aggregate"
                    };
                    let prepared = match crate::plan::optimise::prepared_keys::computes(p) {
                        (true, true) => {
                            "; keys computed per row in place, copied for a new group; arguments computed per row in \
                             place"
                        }
                        (true, false) => "; keys computed per row in place, copied for a new group",
                        (false, true) => "; arguments computed per row in place",
                        (false, false) => "",
                    };
                    // Fed by matches counted per node, nothing between.
                    let counted_before = part.ops[..oi]
                        .iter()
                        .rev()
                        .find(|o| !matches!(o, Op::Parallel))
                        .is_some_and(|o| matches!(o, Op::CountPerNode(_)));
                    let whole = match counted_before && super::ops::top_groups::TopGroups::applies(p, graph) {
                        true => {
                            "; each node's counts a whole group, offered to the top-k heap as it comes (no table of groups)"
                        }
                        false => "",
                    };
                    push(
                        Role::Stage(Stage::Project),
                        what,
                        format!("{}{prepared}{whole}", p.columns.join(", ")),
                    );
                    if p.distinct {
                        push(Role::Stage(Stage::Distinct), "Distinct", String::new());
                    }
                    if !p.order_by.is_empty() {
                        // Under LIMIT, a heap of the first SKIP + LIMIT rows
                        // (eval/ops/top_k.rs) instead of a sort of them all.
                        let (name, top) = if p.limit.is_some() {
                            ("TopK", ", a heap of the first SKIP + LIMIT rows")
                        } else {
                            ("Sort", "")
                        };
                        push(
                            Role::Stage(Stage::Sort),
                            name,
                            format!("{} key(s){top}", p.order_by.len()),
                        );
                    }
                    if p.skip.is_some() {
                        push(Role::Stage(Stage::Skip), "Skip", String::new());
                    }
                    if p.limit.is_some() {
                        push(Role::Stage(Stage::Limit), "Limit", String::new());
                    }
                    if p.filter.is_some() {
                        push(Role::Stage(Stage::Filter), "Filter", "WITH ... WHERE".into());
                    }
                    width = p.items.len();
                }
            }
        }
    }
    out
}

/// What a semi-join step says: when its set is made and how it is matched.
fn semi_join_detail(s: &SemiJoin) -> String {
    let mut bound = Vec::new();
    let mut how = Vec::new();
    for op in &s.ops {
        match op {
            Op::Match(m) => how.extend(m.patterns.iter().map(|p| pattern_detail(p, &mut bound))),
            Op::Filter(_) => how.push("WHERE".into()),
            _ => {}
        }
    }
    format!(
        "EXISTS {{ ... }} answered from the set of nodes it holds for, matched once with the row's node free \
         (after {} row(s) answered one by one): {}",
        s.rows_before(),
        how.join("; ")
    )
}

/// Calls `f` with each decorrelated subquery in `op`'s expressions (and
/// in subqueries within them).
fn op_semi_joins(op: &Op, f: &mut dyn FnMut(&SemiJoin)) {
    let mut e = |x: &PExpr| expr_semi_joins(x, f);
    match op {
        Op::Match(m)
        | Op::CountPerNode(CountPerNodeOp { m, .. })
        | Op::DistinctEnds(m)
        | Op::CountExpand(m)
        | Op::IntersectCount(m)
        | Op::DistinctPairs(m)
        | Op::DistinctStarts(m)
        | Op::PairCounts(m)
        | Op::AntiJoin(m)
        | Op::GroupJoin(crate::plan::ops::GroupJoinOp { m, .. })
        | Op::CountPerType(m)
        | Op::SymmetricCount(m)
        | Op::FactorCount(crate::plan::ops::FactorCountOp { m, .. })
        | Op::WalkCount(crate::plan::ops::WalkCountOp { m, .. }) => {
            m.filter.iter().for_each(&mut e);
            for p in &m.patterns {
                p.filters.iter().flatten().for_each(&mut e);
                if let Some(j) = &p.join {
                    j.after.iter().for_each(&mut e);
                }
            }
        }
        Op::Filter(x) => e(x),
        Op::Unwind(u) => e(&u.expr),
        Op::Project(p) | Op::RowGroups(p) => {
            p.items.iter().for_each(&mut e);
            p.order_by.iter().for_each(|k| e(&k.expr));
            p.group_sort.iter().for_each(&mut e);
            p.filter.iter().for_each(&mut e);
        }
        Op::Create(_) | Op::Update(_) | Op::Parallel => {}
    }
}

fn expr_semi_joins(x: &PExpr, f: &mut dyn FnMut(&SemiJoin)) {
    let mut each = |xs: &mut dyn Iterator<Item = &PExpr>| xs.for_each(|x| expr_semi_joins(x, f));
    match &x.kind {
        PKind::Exists(sub) => {
            if let Some(s) = &sub.once {
                f(s);
            }
        }
        PKind::Const(_) | PKind::Slot(_) | PKind::Agg(_) | PKind::PatternExists(_) => {}
        PKind::Prop(b, _) | PKind::HasLabels(b, _) | PKind::Not(b) | PKind::Neg(b) | PKind::IsNull(b, _) => {
            each(&mut std::iter::once(&**b))
        }
        PKind::RegexConst(b, _) => each(&mut std::iter::once(&**b)),
        PKind::Index(a, b) | PKind::Binary(_, a, b) => each(&mut [&**a, &**b].into_iter()),
        PKind::Slice(a, b, c) => each(&mut std::iter::once(&**a).chain(b.as_deref()).chain(c.as_deref())),
        PKind::List(items) | PKind::Call(_, items) => each(&mut items.iter()),
        PKind::Map(entries) => each(&mut entries.iter().map(|(_, v)| v)),
        PKind::Case { operand, whens, else_ } => each(
            &mut operand
                .as_deref()
                .into_iter()
                .chain(whens.iter().flat_map(|(w, t)| [w, t]))
                .chain(else_.as_deref()),
        ),
        PKind::ListComp { list, filter, map, .. } => {
            each(&mut std::iter::once(&**list).chain(filter.as_deref()).chain(map.as_deref()))
        }
        PKind::Quantified { list, filter, .. } => each(&mut [&**list, &**filter].into_iter()),
        PKind::PatternComp { filter, map, .. } => {
            each(&mut filter.as_deref().into_iter().chain(std::iter::once(&**map)))
        }
    }
}

/// How the matcher runs one pattern: where it starts (a bound node, an id
/// lookup, a label scan or every node), then each hop in the order it is
/// expanded, with its direction as traversed. `bound` marks the row slots
/// already bound; the pattern's slots are added to it.
fn pattern_detail(p: &PatternPlan, bound: &mut Vec<bool>) -> String {
    fn is_bound(bound: &[bool], slot: usize) -> bool {
        bound.get(slot).copied().unwrap_or(false)
    }
    fn bind(bound: &mut Vec<bool>, slot: usize) {
        if bound.len() <= slot {
            bound.resize(slot + 1, false);
        }
        bound[slot] = true;
    }
    let start = &p.nodes[p.start];
    let (labels, props, at) = (labels_text(&start.labels), props_suffix(start.props.as_ref()), p.start);
    let mut parts = vec![if is_bound(bound, start.slot) {
        format!("node {at} bound earlier{}", suffix(&labels))
    } else if let Some(seek) = &p.seek {
        format!("{}{props} (node {at})", seek_text(seek))
    } else if is_id_lookup(start) {
        format!("lookup{}{props} (node {at})", suffix(&labels))
    } else if start.labels.len() > 1 {
        let each: Vec<String> = start.labels.iter().map(|l| format!(":{}", format_key(l))).collect();
        format!("scan the smallest of {}{props} (node {at})", each.join(", "))
    } else if !start.labels.is_empty() {
        format!("scan {labels}{props} (node {at})")
    } else {
        format!("scan all nodes{props} (node {at})")
    }];
    bind(bound, start.slot);
    // Rightwards from the start, then leftwards (against the pattern as written).
    let right = (p.start..p.rels.len()).map(|ri| (ri, ri + 1, false));
    let left = (0..p.start).rev().map(|ri| (ri, ri, true));
    for (ri, to, flip) in right.chain(left) {
        let rel = &p.rels[ri];
        let dir = match (rel.direction, flip) {
            (Direction::Both, _) => "either way",
            (Direction::Outgoing, false) | (Direction::Incoming, true) => "outgoing",
            (Direction::Incoming, false) | (Direction::Outgoing, true) => "incoming",
        };
        let types = if rel.types.is_empty() {
            " (any type)".to_string()
        } else {
            let each: Vec<String> = rel.types.iter().map(|t| format_key(t)).collect();
            format!(" :{}", each.join("|"))
        };
        let len = match rel.var_len {
            Some((lo, Some(hi))) => format!(" var-length {lo}..{hi}"),
            Some((lo, None)) => format!(" var-length {lo}.."),
            None => String::new(),
        };
        let rel_bound = if is_bound(bound, rel.slot) { " (bound)" } else { "" };
        let node = &p.nodes[to];
        let node_labels = suffix(&labels_text(&node.labels));
        let target = if is_bound(bound, node.slot) {
            format!("{node_labels} (bound)")
        } else {
            format!("{node_labels}{}", props_suffix(node.props.as_ref()))
        };
        parts.push(format!(
            "expand {dir}{types}{len}{}{rel_bound} to node {to}{target}",
            props_suffix(rel.props.as_ref())
        ));
        bind(bound, rel.slot);
        bind(bound, node.slot);
    }
    parts.join("; ")
}

/// `index seek :Role(name) equality, index Role_name, ~1 node`.
fn seek_text(s: &IndexSeek) -> String {
    let from = match &s.index {
        SeekIndex::Named(name) => format!("index {}", format_key(name)),
        SeekIndex::Implicit => "implicit index".to_string(),
        SeekIndex::IdMap => "the id map".to_string(),
    };
    let est = s.estimate.round() as u64;
    let nodes = if est == 1 { "node" } else { "nodes" };
    format!(
        "index seek :{}({}) {}, {from}, ~{est} {nodes}",
        format_key(&s.label),
        format_key(&s.key),
        s.lookup.kind()
    )
}

/// The matcher looks a node up by key when its properties give `id` as a
/// string (a constant one here; an expression is looked up when it turns
/// out to be a string).
fn is_id_lookup(n: &NodeStep) -> bool {
    let Some(PExpr {
        kind: PKind::Map(entries),
        ..
    }) = &n.props
    else {
        return false;
    };
    entries
        .iter()
        .any(|(k, v)| &**k == "id" && !matches!(&v.kind, PKind::Const(c) if !matches!(c, Value::String(_))))
}

fn labels_text(labels: &[String]) -> String {
    labels.iter().map(|l| format!(":{}", format_key(l))).collect()
}

fn suffix(s: &str) -> String {
    if s.is_empty() { String::new() } else { format!(" {s}") }
}

/// ` {id: 'cto', n: ...}`: constants shown, other expressions elided.
fn props_suffix(props: Option<&PExpr>) -> String {
    let Some(e) = props else { return String::new() };
    let entries = match &e.kind {
        PKind::Map(entries) if entries.is_empty() => return String::new(),
        PKind::Map(entries) => entries
            .iter()
            .map(|(k, v)| match &v.kind {
                PKind::Const(c) => format!("{}: {c}", format_key(k)),
                _ => format!("{}: ...", format_key(k)),
            })
            .collect::<Vec<_>>()
            .join(", "),
        PKind::Const(Value::Map(m)) => m
            .iter()
            .map(|(k, v)| format!("{}: {v}", format_key(k)))
            .collect::<Vec<_>>()
            .join(", "),
        _ => "...".into(),
    };
    format!(" {{{entries}}}")
}

/// Fills in each step's estimated rows from the store's statistics
/// (`plan::optimise::cost`), following the rows through each single query:
/// a MATCH part multiplies them by its matches per row (a hash-joined part
/// keeps them: each row finds about one partner), OPTIONAL MATCH keeps at
/// least its input, an UNWIND of a list written out multiplies them by its
/// length, an aggregation without grouping keys makes one row, LIMIT and
/// SKIP with constants cut them; other operators are given their input's
/// estimate, an upper bound. A union adds its parts up.
fn estimate(q: &QueryPlan, graph: &Graph, steps: &mut [Step]) {
    let mut total = 0.0;
    for (pi, part) in q.parts.iter().enumerate() {
        let mut rows = 1.0_f64;
        let mut width = 0;
        // The labelled nodes matched since the last projection, by slot.
        let mut nodes: Vec<NodeStep> = Vec::new();
        for (oi, op) in part.ops.iter().enumerate() {
            let mut set = |role: Role, r: f64| {
                for s in steps.iter_mut() {
                    if s.part == pi && s.op == Some(oi) && s.role == role {
                        s.estimate = Some(r);
                    }
                }
            };
            match op {
                Op::Match(m)
                | Op::CountPerNode(CountPerNodeOp { m, .. })
                | Op::DistinctEnds(m)
                | Op::CountPerType(m)
                | Op::SymmetricCount(m)
                | Op::CountExpand(m)
                | Op::IntersectCount(m)
                | Op::DistinctPairs(m)
                | Op::DistinctStarts(m)
                | Op::PairCounts(m) => {
                    // OPTIONAL MATCH keeps a row of nulls for a row without matches.
                    let floor = if m.optional { rows } else { 0.0 };
                    rows = match_rows(m, graph, width, rows, &mut |i, r| set(Role::Expand(i), r.max(floor))).max(floor);
                    width = m.width;
                    let labelled = m
                        .patterns
                        .iter()
                        .flat_map(|p| &p.nodes)
                        .filter(|n| !n.labels.is_empty());
                    nodes.extend(labelled.cloned());
                }
                Op::FactorCount(f) => {
                    // The matches counted (PROFILE counts each row as the
                    // matches it stands for).
                    rows = match_rows(&f.m, graph, width, rows, &mut |_, _| {});
                    set(Role::Expand(0), rows);
                    width = f.m.width;
                    nodes.extend(f.tree.nodes.iter().filter(|n| !n.labels.is_empty()).map(|n| NodeStep {
                        slot: n.slot,
                        labels: n.labels.clone(),
                        props: None,
                    }));
                }
                Op::WalkCount(w) => {
                    // The matches counted, as for FactorCount.
                    rows = match_rows(&w.m, graph, width, rows, &mut |_, _| {});
                    set(Role::Expand(0), rows);
                    width = w.m.width;
                    nodes.extend(
                        [&w.root, &w.far]
                            .into_iter()
                            .filter(|n| !n.labels.is_empty())
                            .map(|n| NodeStep {
                                slot: n.slot,
                                labels: n.labels.clone(),
                                props: None,
                            }),
                    );
                }
                Op::GroupJoin(g) => {
                    // The table's nodes; then one row per row.
                    set(Role::SemiJoin(g.once.id), g.once.estimate);
                    set(Role::Expand(0), rows);
                    width = g.m.width;
                }
                Op::AntiJoin(m) => {
                    // The rows without a match, taking a row's matches as
                    // spread around their average.
                    let per_row = match_rows(m, graph, width, 1.0, &mut |_, _| {});
                    rows *= (-per_row).exp();
                    set(Role::Expand(0), rows);
                    width = m.width;
                }
                // An upper bound: the conditions' selectivity is not estimated.
                Op::Filter(_) => set(Role::Filter, rows),
                Op::Parallel => set(Role::Parallel, rows),
                Op::Unwind(u) => {
                    if let PKind::List(items) = &u.expr.kind {
                        rows *= items.len() as f64;
                    } else if let PKind::Const(Value::List(items)) = &u.expr.kind {
                        rows *= items.len() as f64;
                    }
                    set(Role::Unwind, rows);
                    width = u.slot + 1;
                }
                Op::Create(c) => {
                    set(Role::Create, rows);
                    width = c.width;
                }
                Op::Update(u) => {
                    set(Role::Create, rows);
                    if let crate::plan::update::UpdateOp::Merge(m) = u {
                        width = m.width;
                    }
                }
                // One row per row (fewer with a WHERE: an upper bound).
                Op::RowGroups(p) => {
                    set(Role::Stage(Stage::Project), rows);
                    width = p.items.len();
                    nodes.clear();
                }
                Op::Project(p) => {
                    let groups = groups(p, graph, &nodes);
                    rows = project_rows(p, rows, groups, &mut |stage, r| set(Role::Stage(stage), r));
                    // The projected row: its items take the first slots.
                    width = p.items.len();
                    nodes.clear();
                }
            }
        }
        total += rows;
        for s in steps.iter_mut() {
            if s.part == pi && s.role == Role::Union {
                s.estimate = Some(total);
            }
        }
    }
}

/// A factorised count's EXPLAIN detail: where it starts, each hop with
/// how its matches are counted, and the rows it makes.
fn factor_detail(f: &crate::plan::ops::FactorCountOp) -> String {
    let t = &f.tree;
    let several = f.m.patterns.len() > 1;
    let name = |n: usize| {
        let (pi, ni) = t.nodes[n].at;
        if several {
            format!("node {ni} of part {}", pi + 1)
        } else {
            format!("node {ni}")
        }
    };
    let mut parts = vec![tree_start(&t.nodes[0], &name(0))];
    for (e, edge) in t.edges.iter().enumerate() {
        let dir = match edge.direction {
            Direction::Both => "either way",
            Direction::Outgoing => "outgoing",
            Direction::Incoming => "incoming",
        };
        let types = if edge.types.is_empty() {
            " (any type)".to_string()
        } else {
            let each: Vec<String> = edge.types.iter().map(|t| format_key(t)).collect();
            format!(" :{}", each.join("|"))
        };
        let how = if t.path.contains(&edge.child) {
            "each node bound"
        } else if t.leaf_degree(e) {
            "a degree where the type's statistics imply the labels"
        } else {
            "summed over the nodes reached"
        };
        let child = &t.nodes[edge.child];
        let mut checks = child.conditions.len() + child.props.len();
        checks += child.not_equal.len();
        let checked = match checks {
            0 => String::new(),
            1 => ", 1 check".to_string(),
            n => format!(", {n} checks"),
        };
        parts.push(format!(
            "from {} {dir}{types} to {}{} ({how}{checked})",
            name(edge.parent),
            name(edge.child),
            suffix(&labels_text(&child.labels))
        ));
    }
    let grouped = t.path.last().copied().unwrap_or(0);
    parts.push(if t.grouped {
        format!("matches multiplied out per node, one row per {}", name(grouped))
    } else {
        format!("matches multiplied out per node, one row per {}", name(0))
    });
    parts.join("; ")
}

/// Where a counted tree or walk starts, for EXPLAIN: a lookup by its
/// first property map when that finds it by id, else a scan.
fn tree_start(root: &crate::plan::ops::TreeNode, name: &str) -> String {
    let first = root.props.first();
    let by_id = first.is_some_and(|p| {
        is_id_lookup(&NodeStep {
            slot: root.slot,
            labels: vec![],
            props: Some(p.clone()),
        })
    });
    if by_id {
        format!(
            "lookup{}{} ({name})",
            suffix(&labels_text(&root.labels)),
            props_suffix(first)
        )
    } else if root.labels.is_empty() {
        format!("scan all nodes ({name})")
    } else {
        format!("scan {} ({name})", labels_text(&root.labels))
    }
}

/// A walk count's EXPLAIN detail: where the walks start, the hop, how
/// they are counted and the rows it makes.
fn walk_detail(w: &crate::plan::ops::WalkCountOp) -> String {
    let name = |n: &crate::plan::ops::TreeNode| format!("node {}", n.at.1);
    let start = tree_start(&w.root, &name(&w.root));
    let dir = match w.direction {
        Direction::Both => "either way",
        Direction::Outgoing => "outgoing",
        Direction::Incoming => "incoming",
    };
    let types = if w.types.is_empty() {
        " (any type)".to_string()
    } else {
        let each: Vec<String> = w.types.iter().map(|t| format_key(t)).collect();
        format!(" :{}", each.join("|"))
    };
    let bounds = match w.max {
        Some(hi) => format!("{}..{hi}", w.min),
        None => format!("{}..", w.min),
    };
    let how = if w.memo {
        "counted per node by memoised sums over the nodes reached"
    } else {
        "counted level by level from each start"
    };
    let mut per: Vec<String> = Vec::new();
    if w.bind_root {
        per.push(name(&w.root));
    }
    if w.bind_far {
        per.push(name(&w.far));
    }
    if w.length_slot.is_some() {
        per.push("length".into());
    }
    let rows = match per.as_slice() {
        [] => "one row for them all".to_string(),
        p => format!("one row per {}", p.join(" and ")),
    };
    format!(
        "{start}; walks {dir}{types} {bounds} to {}{} {how}, {rows} (while the types have no directed cycle, else matched row by row)",
        name(&w.far),
        suffix(&labels_text(&w.far.labels)),
    )
}

/// What a parallel section splits, for its EXPLAIN step.
fn parallel_detail(part: &crate::plan::ops::PartPlan, at: usize, graph: &Graph) -> String {
    use crate::plan::optimise::parallel::{MIN_INPUT, scan_size};
    if at == 0
        && let Some(Op::CountPerNode(c)) = part.ops.get(1)
    {
        let n = crate::plan::optimise::parallel::counted_nodes(c, graph).unwrap_or(0);
        return format!(
            "the nodes counted per node (up to {n}) cut into morsels over the threads (--threads) for the projection; states merged in order"
        );
    }
    let first = match part.ops.get(at + 1) {
        Some(Op::Match(m) | Op::CountExpand(m) | Op::IntersectCount(m)) if at == 0 => {
            scan_size(m, graph).map(|n| (m, n))
        }
        _ => None,
    };
    match first {
        Some((m, n)) => {
            let p = &m.patterns[0];
            let labels: String = p.nodes[p.start].labels.iter().map(|l| format!(":{l}")).collect();
            let what = if labels.is_empty() {
                "every node".to_string()
            } else {
                labels
            };
            format!(
                "the scan of {what} ({n} nodes) cut into morsels over the threads (--threads); states merged in order"
            )
        }
        None => format!(
            "the rows before it cut into morsels over the threads (--threads) when there are at least {MIN_INPUT}; states merged in order"
        ),
    }
}

/// The rows after MATCH `m` from `rows` input rows of `width` bound
/// slots; `set(i, r)` gives pattern `i`'s step its estimate.
fn match_rows(m: &MatchOp, graph: &Graph, width: usize, mut rows: f64, set: &mut dyn FnMut(usize, f64)) -> f64 {
    // The WHERE conditions, wherever push-down put them.
    let conditions: Vec<PExpr> = m
        .patterns
        .iter()
        .flat_map(|p| p.filters.iter().flatten().chain(p.join.iter().flat_map(|j| &j.after)))
        .chain(m.filter.iter())
        .cloned()
        .collect();
    let est = Estimator::new(graph, &conditions, &[], width);
    let mut bound = vec![true; width];
    for (i, p) in m.patterns.iter().enumerate() {
        match &p.join {
            None => rows *= est.part(p, p.start, &bound).1,
            Some(j) => {
                // Built from the part's own matches: nothing bound in it.
                let own: Vec<bool> = bound.iter().enumerate().map(|(s, b)| *b && s < width).collect();
                let (_, built) = est.part(p, p.start, &own);
                rows = est.join_rows(rows, built, &j.probe, &j.build, &m.patterns);
            }
        }
        set(i, rows);
        for s in p
            .nodes
            .iter()
            .map(|n| n.slot)
            .chain(p.rels.iter().map(|r| r.slot))
            .chain(p.path_slot)
        {
            if bound.len() <= s {
                bound.resize(s + 1, false);
            }
            bound[s] = true;
        }
    }
    rows
}

/// The groups an aggregating projection can make at most: the product of
/// its keys' distinct values, each a labelled node matched earlier (its
/// label's nodes) or such a node's property (the label's distinct values
/// for it); `None` when a key is anything else.
fn groups(p: &ProjectOp, graph: &Graph, nodes: &[NodeStep]) -> Option<f64> {
    if p.aggregates.is_empty() {
        return None;
    }
    let est = Estimator::new(graph, &[], &[], 0);
    let nodes: Vec<&NodeStep> = nodes.iter().collect();
    let mut product = 1.0_f64;
    for (item, key) in p.items.iter().zip(&p.is_key) {
        if *key {
            product *= est.distinct_of(item, &nodes)?.max(1.0);
        }
    }
    Some(product)
}

/// The rows a projection leaves from `rows` input rows, stage by stage.
fn project_rows(p: &ProjectOp, mut rows: f64, groups: Option<f64>, set: &mut dyn FnMut(Stage, f64)) -> f64 {
    let constant = |e: &Option<PExpr>| match e.as_ref().map(|e| &e.kind) {
        Some(PKind::Const(Value::Int(n))) if *n >= 0 => Some(*n as f64),
        _ => None,
    };
    if !p.aggregates.is_empty() && !p.is_key.iter().any(|k| *k) {
        rows = 1.0;
    } else if let Some(g) = groups {
        rows = rows.min(g);
    }
    set(Stage::Project, rows);
    set(Stage::Distinct, rows);
    if let (Some(l), Some(_)) = (constant(&p.limit), p.order_by.first()) {
        set(Stage::Sort, rows.min(l + constant(&p.skip).unwrap_or(0.0)));
    } else {
        set(Stage::Sort, rows);
    }
    if let Some(s) = constant(&p.skip) {
        rows = (rows - s).max(0.0);
    }
    set(Stage::Skip, rows);
    if let Some(l) = constant(&p.limit) {
        rows = rows.min(l);
    }
    set(Stage::Limit, rows);
    set(Stage::Filter, rows);
    rows
}
