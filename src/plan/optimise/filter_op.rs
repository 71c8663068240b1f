//! The WHERE of a MATCH as its own operator: once the optimiser has placed
//! every condition it can inside the patterns (an id lookup, a join, a
//! check as soon as its variables are bound), what is left of a MATCH's
//! WHERE becomes an `Op::Filter` right after it, so that the filter is an
//! operator of the plan like any other (EXPLAIN lists it, PROFILE counts
//! it) rather than a step hidden inside the match.
//!
//! OPTIONAL MATCH keeps its WHERE: there the condition decides whether a
//! row found a match at all (and so whether the row of nulls is made),
//! which a filter after the clause cannot know.

use crate::plan::ops::Op;

/// Moves each non-optional MATCH's remaining WHERE into a filter after it.
pub fn split_where(ops: &mut Vec<Op>) {
    let mut i = 0;
    while i < ops.len() {
        if let Op::Match(m) = &mut ops[i]
            && !m.optional
            && let Some(f) = m.filter.take()
        {
            ops.insert(i + 1, Op::Filter(f));
            i += 1;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use crate::Session;
    use crate::value::Value;

    /// The operator names EXPLAIN lists for `q`.
    fn operators(q: &str) -> Vec<String> {
        let mut s = Session::builtin().expect("built-in graph loads");
        let rows = s.run(&format!("EXPLAIN {q}")).expect("explain runs");
        rows.rows
            .iter()
            .map(|r| match &r[1] {
                Value::String(s) => s.to_string(),
                other => panic!("operator name {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_where_no_pattern_can_check_is_a_filter_after_the_match() {
        // A condition on a path is known only once the whole pattern is
        // matched: the filter after the clause checks it.
        let ops = operators("MATCH p = (r:Role)-[:LEADS]->(:Team) WHERE length(p) = 1 RETURN count(*)");
        let filter = ops.iter().position(|o| o == "Filter").expect("a filter step");
        assert_eq!(ops[filter - 1], "Expand", "{ops:?}");
        assert!(ops[filter + 1..].iter().any(|o| o == "Aggregate"), "{ops:?}");
    }

    #[test]
    fn conditions_the_patterns_check_leave_no_filter() {
        let ops = operators("MATCH (r:Role)-[:LEADS]->(t:Team) WHERE t.name <> r.name RETURN count(*)");
        assert!(!ops.iter().any(|o| o == "Filter"), "{ops:?}");
    }
}
