//! Plan rewrites that keep a query's meaning and change its cost.
//!
//! **Counting per node.** `MATCH (r:Role)-[:REQUIRES]->(s:Skill)
//! RETURN s.name, count(r)` makes one row per relationship only to count
//! them per skill. When a one-hop MATCH is the first clause and the
//! aggregation after it groups on one end of the pattern and only counts
//! (non-DISTINCT `count(*)` or `count` of a pattern variable, never null
//! there), the matcher can instead count matches per node of that end and
//! hand each node over once, with its count as a weight. A DISTINCT
//! projection without aggregates whose items read one end only
//! (`RETURN DISTINCT f.name`) takes each node of that end once the same
//! way, its count ignored: the rows, and the order they first come in,
//! are those of one row per match.
//!
//! **Collecting distinct ends.** `MATCH (a:Role {id: 'r2'})-[:REQUIRES]->
//! (:Skill)<-[:REQUIRES]-(b:Role) WHERE b.id <> 'r2' RETURN count(DISTINCT b)`
//! needs only the set of nodes the last hop reaches, not a row for each of
//! the million matches. When a MATCH is the first clause, the aggregation
//! after it is only that count, the last hop is a single typed hop
//! without properties, and the conditions on its end compare a property
//! of it with a constant, the matcher takes that hop as a loop that marks
//! each end node in a set; the count then sees each node once.

use super::ops::{CountPerNodeOp, CountedExpand, MatchOp, Op, PExpr, PKind, ProjectOp};
use crate::plan::functions::AggFunc;
use crate::store::{Direction, Graph, Sym};

pub fn count_per_node(ops: &mut Vec<Op>) {
    if let [Op::Match(first), Op::Match(then), Op::Project(p), ..] = &ops[..]
        && let Some(fused) = optional_per_node(first, then, p)
    {
        ops.splice(0..2, [Op::CountPerNode(fused)]);
        return;
    }
    let [Op::Match(m), Op::Project(p), ..] = &ops[..] else {
        return;
    };
    // A WHERE left over on a one-node pattern (a pattern predicate) is
    // checked on each node as it is counted.
    let mut m = m.clone();
    if let Some(f) = m.filter.take() {
        if !checks_one_node(&m, &f) {
            return;
        }
        let pat = &mut m.patterns[0];
        if pat.filters.is_empty() {
            pat.filters.push(Vec::new());
        }
        pat.filters[0].push(f);
    }
    if let Some(c) = per_node(&m, p) {
        ops[0] = Op::CountPerNode(CountPerNodeOp { m, counted: c });
    }
}

/// Whether `f`, the WHERE of a one-node pattern that the optimiser could
/// not check inside it, reads only that node: each of its conditions
/// (joined by AND) reads no other slot, or is a pattern predicate
/// (negated or not) whose other variables are its own (unbound, and
/// after the node's slot, so a row holding only the node leaves them
/// free) and that has no properties or conditions to evaluate.
fn checks_one_node(m: &MatchOp, f: &PExpr) -> bool {
    let [pat] = m.patterns.as_slice() else {
        return false;
    };
    let [node] = pat.nodes.as_slice() else {
        return false;
    };
    let n = node.slot;
    let own = |e: &PExpr| -> bool {
        let mut read = Vec::new();
        if e.slots_read(&mut read) {
            return read.iter().all(|s| *s == n);
        }
        let p = match &e.kind {
            PKind::PatternExists(p) => p,
            PKind::Not(inner) => match &inner.kind {
                PKind::PatternExists(p) => p,
                _ => return false,
            },
            _ => return false,
        };
        p.path_slot.is_none()
            && p.filters.iter().all(Vec::is_empty)
            && p.nodes.iter().all(|x| x.props.is_none() && x.slot >= n)
            && p.rels.iter().all(|r| r.props.is_none() && r.slot > n)
    };
    let mut terms = vec![f];
    while let Some(t) = terms.pop() {
        match &t.kind {
            PKind::Binary(crate::syntax::ast::BinaryOp::And, a, b) => {
                terms.push(a);
                terms.push(b);
            }
            _ if own(t) => {}
            _ => return false,
        }
    }
    true
}

/// `MATCH (a:L) OPTIONAL MATCH (a)-[r:T]-(b:M)` followed by counts grouped
/// on `a` (`WITH a, count(b)`): one pattern, started at `a`'s scan, whose
/// matches are counted per `a`, every `a` handed over (with zero when it
/// has none). Neither clause has conditions or properties, and the hop is
/// a single one; the keys read only `a`.
fn optional_per_node(first: &MatchOp, then: &MatchOp, p: &ProjectOp) -> Option<CountPerNodeOp> {
    if first.optional || !then.optional || first.filter.is_some() || then.filter.is_some() {
        return None;
    }
    let ([scan], [hop]) = (first.patterns.as_slice(), then.patterns.as_slice()) else {
        return None;
    };
    let a = scan.nodes.first()?;
    if scan.nodes.len() != 1
        || scan.path_slot.is_some()
        || a.props.is_some()
        || scan.seek.is_some()
        || scan.filters.iter().any(|f| !f.is_empty())
        || first.new_slots != [a.slot]
    {
        return None;
    }
    if hop.nodes.len() != 2
        || hop.rels.len() != 1
        || hop.path_slot.is_some()
        || hop.join.is_some()
        || hop.seek.is_some()
        || hop.filters.iter().any(|f| !f.is_empty())
    {
        return None;
    }
    let rel = &hop.rels[0];
    if rel.var_len.is_some() || rel.props.is_some() || hop.nodes.iter().any(|n| n.props.is_some()) {
        return None;
    }
    // `a` is one end; the other end and the relationship are new.
    let at = hop.nodes.iter().position(|n| n.slot == a.slot)?;
    let (b, r) = (hop.nodes[1 - at].slot, rel.slot);
    if b == a.slot || !then.new_slots.contains(&b) || !then.new_slots.contains(&r) {
        return None;
    }
    if !only_counts(p, &[a.slot, b, r]) {
        return None;
    }
    let mut used = Vec::new();
    if !p.items.iter().all(|e| e.slots_read(&mut used)) || used.iter().any(|s| *s != a.slot) {
        return None;
    }
    // A label the second clause asks of `a` and the first does not would
    // decide between a match and a row of nulls: not counted here.
    if !hop.nodes[at].labels.iter().all(|l| a.labels.contains(l)) {
        return None;
    }
    // The hop, started at `a`, with `a`'s labels from the first clause.
    let mut fused = hop.clone();
    fused.start = at;
    fused.nodes[at].labels = a.labels.clone();
    Some(CountPerNodeOp {
        m: MatchOp {
            optional: false,
            patterns: vec![fused],
            filter: None,
            new_slots: first.new_slots.iter().chain(&then.new_slots).copied().collect(),
            width: then.width,
        },
        counted: CountedExpand {
            group_node: at,
            optional: true,
        },
    })
}

fn per_node(m: &MatchOp, p: &ProjectOp) -> Option<CountedExpand> {
    if m.optional || m.filter.is_some() || m.patterns.len() != 1 {
        return None;
    }
    let pat = &m.patterns[0];
    // A single node: conditions on it (pushed into the pattern) are
    // checked during the count; see `scan_per_node`.
    if pat.nodes.len() == 1 && pat.path_slot.is_none() && pat.nodes[0].props.is_none() {
        let n = pat.nodes[0].slot;
        let mut used = Vec::new();
        if only_counts(p, &[n]) && p.items.iter().all(|e| e.slots_read(&mut used)) && used.iter().all(|s| *s == n) {
            return Some(CountedExpand {
                group_node: 0,
                optional: false,
            });
        }
        return None;
    }
    if pat.filters.iter().any(|f| !f.is_empty()) {
        return None;
    }
    if pat.nodes.len() != 2 || pat.rels.len() != 1 || pat.path_slot.is_some() {
        return None;
    }
    let rel = &pat.rels[0];
    if rel.var_len.is_some() || rel.props.is_some() || pat.nodes.iter().any(|n| n.props.is_some()) {
        return None;
    }
    let (n0, n1) = (pat.nodes[0].slot, pat.nodes[1].slot);
    if n0 == n1 {
        return None;
    }
    // Which end do the projected items and the aggregates' arguments
    // read? (Neither: any end will do.)
    let used = weighted_reads(p, &[n0, n1, rel.slot])?;
    let group_node = match (used.contains(&n0), used.contains(&n1)) {
        (true, true) => return None,
        (true, false) => 0,
        (false, true) => 1,
        (false, false) => pat.start,
    };
    // DISTINCT rows of one end's values need each such node once, not
    // how many matches it has: the counts are ignored.
    let distinct_only = p.aggregates.is_empty() && p.distinct && !p.keep_input && !p.sort_sees_input;
    if used.iter().any(|s| *s != n0 && *s != n1) || !(weighted_aggregates(p, &[n0, n1, rel.slot]) || distinct_only) {
        return None;
    }
    Some(CountedExpand {
        group_node,
        optional: false,
    })
}

/// **Counting per type.** `MATCH (r:Role)<-[e]-(:Role) RETURN type(e),
/// count(*)`: a one-hop first clause, without properties or conditions,
/// whose projection only counts (non-DISTINCT) and whose keys are only the
/// relationship's type: its matches are counted per type, one row per
/// type standing for them (its relationship slot bound to one of them).
///
/// Without keys (`MATCH (r:Role)-[e]->(t:Team) RETURN count(e)`) the same
/// rows summed are the answer; that is chosen only where the store's
/// statistics say every type the hop can take has both ends' labels at
/// its ends, so that each type's count is read, not walked (walking
/// from the start label per type would cost more than counting per node).
pub fn count_per_type(ops: &mut [Op], graph: &Graph) {
    let [Op::Match(m), Op::Project(p), ..] = &*ops else {
        return;
    };
    if m.optional || m.filter.is_some() || m.patterns.len() != 1 {
        return;
    }
    let pat = &m.patterns[0];
    if pat.nodes.len() != 2
        || pat.rels.len() != 1
        || pat.path_slot.is_some()
        || pat.join.is_some()
        || pat.seek.is_some()
        || pat.filters.iter().any(|f| !f.is_empty())
        || pat.nodes.iter().any(|n| n.props.is_some())
        || pat.nodes[0].slot == pat.nodes[1].slot
    {
        return;
    }
    let rel = &pat.rels[0];
    if rel.var_len.is_some() || rel.props.is_some() {
        return;
    }
    let e = rel.slot;
    let type_of_e = |x: &PExpr| match &x.kind {
        PKind::Call(crate::plan::functions::Func::Type, args) => {
            matches!(args.as_slice(), [PExpr { kind: PKind::Slot(s), .. }] if *s == e)
        }
        PKind::Const(_) => true,
        _ => false,
    };
    let keyed = p.is_key.iter().any(|k| *k);
    let keys_ok = p.items.iter().zip(&p.is_key).all(|(x, key)| match key {
        true => type_of_e(x),
        false => {
            let mut read = Vec::new();
            x.slots_read(&mut read) && read.is_empty()
        }
    });
    let never_null = [pat.nodes[0].slot, pat.nodes[1].slot, e];
    if keys_ok && only_counts(p, &never_null) && (keyed || types_counted_whole(pat, graph)) {
        ops[0] = Op::CountPerType(m.clone());
    }
}

/// Whether every type a directed one-hop pattern can take, by the store's
/// statistics, either cannot join its ends' labels or has them at its
/// ends (so its matches are all of its relationships).
fn types_counted_whole(pat: &super::ops::PatternPlan, graph: &Graph) -> bool {
    let rel = &pat.rels[0];
    let at_start = match rel.direction {
        Direction::Outgoing => true,
        Direction::Incoming => false,
        Direction::Both => return false,
    };
    let Some(labels) = [0, 1]
        .iter()
        .map(|&ni| {
            pat.nodes[ni]
                .labels
                .iter()
                .map(|l| graph.sym(l))
                .collect::<Option<Vec<Sym>>>()
        })
        .collect::<Option<Vec<_>>>()
    else {
        // A label no node has: no match, nothing to gain.
        return false;
    };
    let types: Vec<Sym> = match rel.types.is_empty() {
        true => graph
            .rel_type_counts()
            .into_iter()
            .filter_map(|(t, _)| graph.sym(t))
            .collect(),
        false => rel.types.iter().filter_map(|t| graph.sym(t)).collect(),
    };
    // Node 0 is at the start when the hop goes out of it.
    let end = |ni: usize| if ni == 0 { at_start } else { !at_start };
    types.iter().all(|&t| {
        let lacks = (0..2).any(|ni| labels[ni].iter().any(|&l| graph.type_ends_lack_label(t, end(ni), l)));
        let has = (0..2).all(|ni| labels[ni].iter().all(|&l| graph.type_ends_have_label(t, end(ni), l)));
        lacks || has
    })
}

pub fn distinct_end(ops: &mut [Op]) {
    let [Op::Match(m), Op::Project(p), ..] = &*ops else {
        return;
    };
    if let Some(m) = distinct_ends(m, p) {
        ops[0] = Op::DistinctEnds(m);
    }
}

/// The clause, with its start moved if need be, when its ends can be
/// collected for `count(DISTINCT x)`.
fn distinct_ends(m: &MatchOp, p: &ProjectOp) -> Option<MatchOp> {
    if m.optional || m.filter.is_some() || m.patterns.len() != 1 {
        return None;
    }
    if collects_distinct_ends(m, p) {
        return Some(m.clone());
    }
    // The counted node starts the match: started from the pattern's other
    // end (when that is no more selective, and the conditions still allow
    // it), the last hop reaches it.
    let pat = &m.patterns[0];
    let last = pat.nodes.len() - 1;
    let other = match pat.start {
        0 => last,
        s if s == last => 0,
        _ => return None,
    };
    let own = |slot: usize| m.new_slots.contains(&slot);
    let id_or_bound = |n: &super::ops::NodeStep| !own(n.slot) || is_id_lookup(n);
    if last == 0 || id_or_bound(&pat.nodes[pat.start]) || id_or_bound(&pat.nodes[other]) || pat.join.is_some() {
        return None;
    }
    let mut flipped = m.clone();
    let before = m.new_slots.first().copied().unwrap_or(m.width);
    let mut conditions: Vec<PExpr> = flipped.patterns[0].filters.drain(..).flatten().collect();
    conditions.extend(flipped.filter.take());
    flipped.filter = super::optimise::order::and_all(conditions);
    flipped.patterns[0].start = other;
    super::optimise::pushdown::push_filters(&mut flipped, before);
    (flipped.filter.is_none() && collects_distinct_ends(&flipped, p)).then_some(flipped)
}

/// Counting the last hop: when a MATCH (not optional) feeds a projection
/// that only counts, and nothing reads its last hop's relationship or the
/// node it reaches (no grouping key, no count of them, no path) but the
/// WHERE conditions checked once it is bound, that hop's matches at each
/// node it leaves are counted instead of bound one by one:
/// `MATCH (r:Role)-[:LEADS]->(t), (r)-[:REQUIRES]->(s) RETURN count(*)`
/// makes one row per team and role, weighted by the role's skills. The
/// conditions are checked on each end counted (`a.id < b.id` compares the
/// end's value with the bound node's, read once; see `eval/pairfilter.rs`).
/// A last part joined by value is counted whole, per key (see
/// `counts_joined_part`).
pub fn last_hop(ops: &mut [Op]) {
    for i in 0..ops.len().saturating_sub(1) {
        if let [Op::Match(m), Op::Project(p), ..] = &ops[i..]
            && counts_last_hop(m, p)
        {
            ops[i] = Op::CountExpand(m.clone());
        }
    }
}

fn counts_last_hop(m: &MatchOp, p: &ProjectOp) -> bool {
    if m.optional || m.filter.is_some() {
        return false;
    }
    let Some(pat) = m.patterns.last() else {
        return false;
    };
    if pat.join.is_some() {
        return counts_joined_part(m, p);
    }
    let Some((ri, ni)) = pat.last_hop() else {
        return false;
    };
    let (rel, end) = (&pat.rels[ri], &pat.nodes[ni]);
    if pat.join.is_some()
        || pat.path_slot.is_some()
        || rel.var_len.is_some()
        || rel.props.is_some()
        || end.props.is_some()
    {
        return false;
    }
    let (x, r) = (end.slot, rel.slot);
    // Conditions after the last hop are checked on each counted end (the
    // relationship is not bound for them).
    let mut checked = Vec::new();
    let after = pat.filters.get(pat.rels.len()).map(Vec::as_slice).unwrap_or(&[]);
    if !after.iter().all(|c| c.slots_read(&mut checked)) || checked.contains(&r) {
        return false;
    }
    // Both are this clause's own and bound only there.
    let nodes = m.patterns.iter().flat_map(|q| q.nodes.iter());
    if !m.new_slots.contains(&x) || !m.new_slots.contains(&r) || nodes.filter(|n| n.slot == x).count() != 1 {
        return false;
    }
    let mut never_null: Vec<usize> = m
        .patterns
        .iter()
        .flat_map(|q| q.nodes.iter().map(|n| n.slot).chain(q.rels.iter().map(|r| r.slot)))
        .filter(|s| *s != x && *s != r)
        .collect();
    never_null.sort_unstable();
    weighted_aggregates(p, &never_null)
        && weighted_reads(p, &never_null).is_some_and(|read| !read.contains(&x) && !read.contains(&r))
}

/// Counting through a hash join: when the last part of a MATCH (not
/// optional) is joined by a WHERE equality, and the projection only
/// counts (DISTINCT aside) and reads none of its variables, a row probing
/// the table stands for as many matches as the table holds under its key
/// and pass the conditions checked on the joined row: `MATCH (s:Skill),
/// (t:Team) WHERE left(s.name, 5) = left(t.name, 5) RETURN count(*)` makes
/// one row per skill, weighted by the teams that share its prefix (the
/// multiplicity of the key on the build side), not one per pair; with
/// `AND s.id < t.id` as well, each team under the key is checked, still
/// without a row (see `eval/ops/hash_join.rs`).
fn counts_joined_part(m: &MatchOp, p: &ProjectOp) -> bool {
    let Some((pat, rest)) = m.patterns.split_last() else {
        return false;
    };
    if pat.join.is_none() {
        return false;
    }
    let own = super::optimise::order::part_slots(pat);
    let mut never_null: Vec<usize> = rest
        .iter()
        .flat_map(|q| q.nodes.iter().map(|n| n.slot).chain(q.rels.iter().map(|r| r.slot)))
        .filter(|s| !own.contains(s))
        .collect();
    never_null.sort_unstable();
    // Items and aggregates read only the other parts: a weighted row adds
    // its weight to each count and its values as many times to the others.
    weighted_aggregates(p, &never_null)
        && weighted_reads(p, &never_null).is_some_and(|read| !read.iter().any(|s| own.contains(s)))
}

fn is_id_lookup(n: &super::ops::NodeStep) -> bool {
    matches!(&n.props, Some(PExpr { kind: PKind::Map(entries), .. }) if entries.iter().any(|(k, _)| &**k == "id"))
}

/// Whether the only aggregate after `m` is `count(DISTINCT x)` of the
/// node its last hop reaches, with conditions there checkable by handle.
fn collects_distinct_ends(m: &MatchOp, p: &ProjectOp) -> bool {
    let pat = &m.patterns[0];
    let Some((ri, ni)) = pat.last_hop() else {
        return false;
    };
    let (rel, end) = (&pat.rels[ri], &pat.nodes[ni]);
    if pat.path_slot.is_some() || rel.var_len.is_some() || rel.props.is_some() || end.props.is_some() {
        return false;
    }
    // The end's variable is bound only there.
    let x = end.slot;
    if pat.nodes.iter().enumerate().any(|(i, n)| i != ni && n.slot == x) {
        return false;
    }
    // The projection: count(DISTINCT x), and nothing else read from rows.
    let counts_x = |a: &super::ops::AggSpec| {
        a.func == AggFunc::Count && a.distinct && matches!(&a.arg, Some(PExpr { kind: PKind::Slot(s), .. }) if *s == x)
    };
    if p.keep_input
        || p.sort_sees_input
        || p.is_key.iter().any(|k| *k)
        || !matches!(p.aggregates.as_slice(), [a] if counts_x(a))
    {
        return false;
    }
    let mut read = Vec::new();
    if !p.items.iter().all(|e| e.slots_read(&mut read)) || !read.is_empty() {
        return false;
    }
    // Conditions after the last hop: a property of x against a constant.
    let last = pat.filters.get(pat.rels.len()).map(Vec::as_slice).unwrap_or(&[]);
    if !last.iter().all(|c| c.prop_against_constant(x).is_some()) {
        return false;
    }
    true
}

/// The slots a counting projection's items and DISTINCT aggregates read
/// (repeats included), or `None` when one holds a construct that binds
/// slots of its own (a comprehension, a pattern predicate).
pub(crate) fn projection_reads(p: &ProjectOp) -> Option<Vec<usize>> {
    let mut used = Vec::new();
    for e in &p.items {
        if !e.slots_read(&mut used) {
            return None;
        }
    }
    for a in p.aggregates.iter().filter(|a| a.distinct) {
        if !a.arg.as_ref().is_some_and(|e| e.slots_read(&mut used)) {
            return None;
        }
    }
    Some(used)
}

/// Every aggregate is a non-DISTINCT count of all rows or of one of
/// `never_null`, or one that sees each value once (DISTINCT, not a
/// percentile, whose argument the caller has checked reads only the
/// grouped node): a row standing for `n` matches then adds `n` to each
/// count and its value once to the others. The projection needs no
/// input row past grouping.
pub(crate) fn weighted_counts(p: &ProjectOp, never_null: &[usize]) -> bool {
    let once = |a: &super::ops::AggSpec| a.distinct && a.percentile.is_none() && a.arg.is_some();
    !p.aggregates.is_empty()
        && !p.keep_input
        && !p.sort_sees_input
        && p.aggregates.iter().all(|a| once(a) || only_counts_one(a, never_null))
}

/// As [`weighted_counts`], and also non-DISTINCT `count`, `sum`, `avg`,
/// `min` and `max` of an expression that the weighted row binds (the
/// caller checks that [`weighted_reads`] names only slots the row holds):
/// the argument is evaluated once for a row standing for `n` rows, and
/// its value taken `n` times (`Acc::add_weighted`). A count, an integer
/// sum, a minimum and a maximum are then exactly the naive plan's; a sum
/// or average of floats is too when the naive plan's rows of one
/// weighted row come one after another (the value is added `n` times in
/// a row), else it may round as adding in another order does (as merged
/// parallel states do). An integer sum overflows as the naive one does
/// when its values share a sign. Not `collect` (the list's order follows
/// the rows), nor percentiles. `count(x)` of a bare variable is weighted
/// only when `never_null` holds it (the weighted row need not bind it).
pub(crate) fn weighted_aggregates(p: &ProjectOp, never_null: &[usize]) -> bool {
    let once = |a: &super::ops::AggSpec| a.distinct && a.percentile.is_none() && a.arg.is_some();
    !p.aggregates.is_empty()
        && !p.keep_input
        && !p.sort_sees_input
        && p.aggregates
            .iter()
            .all(|a| once(a) || only_counts_one(a, never_null) || weighed(a))
}

/// A non-DISTINCT aggregate whose value over `n` equal rows follows from
/// one evaluation of its argument (see [`weighted_aggregates`]).
fn weighed(a: &super::ops::AggSpec) -> bool {
    let Some(arg) = &a.arg else {
        return false;
    };
    !a.distinct
        && a.percentile.is_none()
        && match a.func {
            AggFunc::Count => !matches!(arg.kind, PKind::Slot(_)),
            AggFunc::Sum | AggFunc::Avg | AggFunc::Min | AggFunc::Max => true,
            AggFunc::Collect | AggFunc::PercentileDisc | AggFunc::PercentileCont => false,
        }
}

/// The slots a projection under [`weighted_aggregates`] reads from the
/// weighted row: its items' and every aggregate's argument but counts of
/// all rows or of `never_null` (`None` as for [`projection_reads`]).
pub(crate) fn weighted_reads(p: &ProjectOp, never_null: &[usize]) -> Option<Vec<usize>> {
    let mut used = Vec::new();
    for e in &p.items {
        if !e.slots_read(&mut used) {
            return None;
        }
    }
    for a in p.aggregates.iter().filter(|a| !only_counts_one(a, never_null)) {
        if let Some(e) = &a.arg
            && !e.slots_read(&mut used)
        {
            return None;
        }
        if let Some(e) = &a.percentile
            && !e.slots_read(&mut used)
        {
            return None;
        }
    }
    Some(used)
}

fn only_counts_one(a: &super::ops::AggSpec, never_null: &[usize]) -> bool {
    a.func == AggFunc::Count
        && !a.distinct
        && match &a.arg {
            None => true,
            Some(PExpr {
                kind: PKind::Slot(s), ..
            }) => never_null.contains(s),
            Some(_) => false,
        }
}

/// Every aggregate is a non-DISTINCT count of all rows or of one of
/// `never_null`, and the projection needs no input row past grouping.
pub(crate) fn only_counts(p: &ProjectOp, never_null: &[usize]) -> bool {
    !p.aggregates.is_empty()
        && !p.keep_input
        && !p.sort_sees_input
        && p.aggregates.iter().all(|a| only_counts_one(a, never_null))
}
