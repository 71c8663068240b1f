//! `EXISTS { ... }` subqueries: the pattern form and the query form, in
//! every place an expression may stand, correlated with the enclosing
//! variables, nested, and refused where they would change the graph.
//! Each case runs on the same small graph and compares the rows.

use rolegraph::error::Phase;
use rolegraph::{Graph, Session, render::value_text};

/// Four people: a manages b and c, b manages d; c and d work on a project.
const SETUP: &str = "CREATE (a:P {name: 'a', age: 50})-[:MANAGES]->(b:P {name: 'b', age: 40}), \
     (a)-[:MANAGES]->(c:P {name: 'c', age: 30}), (b)-[:MANAGES]->(d:P {name: 'd', age: 40}), \
     (c)-[:WORKS_ON {hours: 10}]->(x:Project {name: 'x'}), (d)-[:WORKS_ON {hours: 5}]->(x)";

fn session() -> Session {
    let mut s = Session::new(Graph::new("subqueries"));
    s.run(SETUP).expect("setup runs");
    s
}

fn rows(session: &mut Session, q: &str) -> String {
    let rows = session.run(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    rows.rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| value_text(v, session.graph()))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const CASES: &[(&str, &str)] = &[
    // The pattern form, with and without WHERE.
    (
        "MATCH (n:P) WHERE EXISTS { (n)-[:MANAGES]->() } RETURN n.name ORDER BY n.name",
        "'a'\n'b'",
    ),
    (
        "MATCH (n:P) WHERE EXISTS { (n)-[:MANAGES]->(m) WHERE m.age = n.age } RETURN n.name",
        "'b'",
    ),
    // Several pattern parts, a named path and a variable-length hop.
    (
        "MATCH (n:P) WHERE exists { p = (n)-[:MANAGES*2]->(m), (m)-->(:Project) WHERE length(p) = 2 } RETURN n.name",
        "'a'",
    ),
    // NOT EXISTS: the people nobody manages.
    (
        "MATCH (n:P) WHERE NOT EXISTS { ()-[:MANAGES]->(n) } RETURN n.name",
        "'a'",
    ),
    // The query form: MATCH without RETURN, with RETURN, with aggregation.
    (
        "MATCH (n:P) WHERE EXISTS { MATCH (n)-[:MANAGES]->(m) WHERE m.age < 35 } RETURN n.name",
        "'a'",
    ),
    (
        "MATCH (n:P) WHERE EXISTS { MATCH (n)-[:MANAGES]->(m) WITH n, count(m) AS reports WHERE reports >= 2 RETURN reports } RETURN n.name",
        "'a'",
    ),
    // An aggregate over no rows still makes a row (count 0), so this is
    // true for everyone.
    (
        "MATCH (n:P) WHERE EXISTS { MATCH (n)-[:MANAGES]->(m) RETURN count(m) AS c } RETURN count(n)",
        "4",
    ),
    // SKIP and LIMIT inside decide too.
    (
        "MATCH (n:P) WHERE EXISTS { MATCH (n)-[:MANAGES]->(m) RETURN m SKIP 1 } RETURN n.name",
        "'a'",
    ),
    // UNWIND inside, reading an outer value; UNION of two parts.
    (
        "MATCH (n:P) WHERE EXISTS { UNWIND [30, 50] AS age WITH age WHERE age = n.age RETURN age } RETURN n.name ORDER BY n.name",
        "'a'\n'c'",
    ),
    (
        "MATCH (n:P) WHERE EXISTS { MATCH (n)-[:WORKS_ON]->() RETURN 1 AS x UNION MATCH (n)-[:MANAGES]->(:P {age: 30}) RETURN 2 AS x } \
         RETURN n.name ORDER BY n.name",
        "'a'\n'c'\n'd'",
    ),
    // In RETURN, WITH and CASE, as a boolean value.
    (
        "MATCH (n:P) RETURN n.name, EXISTS { (n)-[:WORKS_ON]->() } AS works ORDER BY n.name",
        "'a' | false\n'b' | false\n'c' | true\n'd' | true",
    ),
    (
        "MATCH (n:P) WITH n, EXISTS { (n)<-[:MANAGES]-() } AS managed WHERE managed AND n.age = 40 RETURN n.name ORDER BY n.name",
        "'b'\n'd'",
    ),
    (
        "MATCH (n:P) RETURN n.name, CASE WHEN EXISTS { (n)-[:MANAGES]->() } THEN 'manager' ELSE 'ic' END ORDER BY n.name",
        "'a' | 'manager'\n'b' | 'manager'\n'c' | 'ic'\n'd' | 'ic'",
    ),
    // In WITH ... WHERE and ORDER BY, where the row is rearranged.
    (
        "MATCH (n:P) WITH n, n.age AS age WHERE EXISTS { (n)-[:WORKS_ON]->() } RETURN n.name, age ORDER BY n.name",
        "'c' | 30\n'd' | 40",
    ),
    (
        "MATCH (n:P) WITH n ORDER BY EXISTS { (n)-[:WORKS_ON]->() } DESC, n.name RETURN n.name",
        "'c'\n'd'\n'a'\n'b'",
    ),
    // As a grouping key beside an aggregate.
    (
        "MATCH (n:P) RETURN EXISTS { (n)-[:MANAGES]->() } AS manages, count(*) AS people ORDER BY manages",
        "false | 2\ntrue | 2",
    ),
    // Correlation with an UNWIND variable and a comprehension variable.
    (
        "UNWIND ['a', 'c', 'z'] AS who RETURN who, EXISTS { MATCH (p:P {name: who})-[:MANAGES]->() } AS manages",
        "'a' | true\n'c' | false\n'z' | false",
    ),
    (
        "RETURN [who IN ['a', 'b', 'c'] WHERE EXISTS { (:P {name: who})-[:WORKS_ON]->() }] AS workers",
        "['c']",
    ),
    // Nested, reading the outermost variable two levels down.
    (
        "MATCH (n:P) WHERE EXISTS { MATCH (n)-[:MANAGES]->(m) WHERE EXISTS { (m)-[:MANAGES]->(k) WHERE k.age = n.age - 10 } } RETURN n.name",
        "'a'",
    ),
    (
        "MATCH (n:P) WHERE EXISTS { MATCH (m:P) WHERE EXISTS { MATCH (n)-[:MANAGES]->(m)-[:WORKS_ON]->(:Project) RETURN true } RETURN m } RETURN n.name ORDER BY n.name",
        "'a'\n'b'",
    ),
    // A variable of the subquery does not leak: `m` after it is new.
    (
        "MATCH (n:P {name: 'a'}) WHERE EXISTS { MATCH (n)-->(m) } MATCH (m:Project) RETURN m.name",
        "'x'",
    ),
    // Inside, an imported variable is bound: a pattern on it is a check.
    (
        "MATCH (n:P {name: 'c'}), (m:P) WHERE EXISTS { (n)<-[:MANAGES]-(m) } RETURN m.name",
        "'a'",
    ),
    // A null import matches nothing.
    (
        "OPTIONAL MATCH (n:P {name: 'nobody'}) RETURN EXISTS { (n)-->() } AS e",
        "false",
    ),
    // No outer variable at all.
    (
        "RETURN EXISTS { MATCH (p:Project) } AS a, EXISTS { MATCH (z:Nothing) } AS b",
        "true | false",
    ),
    // `exists(...)` is still the function, and `exists` a usable name.
    (
        "MATCH (n:P {name: 'c'}) WITH n, 1 AS exists RETURN exists((n)-->()), exists",
        "true | 1",
    ),
    // A pattern predicate in WITH ... WHERE sees the projected variables.
    (
        "MATCH (n:P) WITH n, 1 AS k WHERE (n)-[:WORKS_ON]->() RETURN n.name, k ORDER BY n.name",
        "'c' | 1\n'd' | 1",
    ),
    (
        "MATCH (n:P) WITH n, n.name AS name ORDER BY size([(n)-[:MANAGES]->(m) | m]) DESC, name RETURN name",
        "'a'\n'b'\n'c'\n'd'",
    ),
];

#[test]
fn exists_subqueries_produce_the_expected_rows() {
    let mut failures = Vec::new();
    for (q, expected) in CASES {
        let mut s = session();
        let got = rows(&mut s, q);
        if got != *expected {
            failures.push(format!("{q}\n  expected: {expected:?}\n  got:      {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn malformed_or_editing_subqueries_are_typed_errors() {
    for (q, class, code, at) in [
        // Editing clauses are refused before anything runs.
        (
            "MATCH (n) WHERE EXISTS { MATCH (n)-->(m) SET m.x = 1 } RETURN n",
            "SyntaxError",
            "InvalidClauseComposition",
            "SET m.x = 1",
        ),
        (
            "MATCH (n) RETURN EXISTS { CREATE (:X) }",
            "SyntaxError",
            "InvalidClauseComposition",
            "CREATE (:X)",
        ),
        (
            "MATCH (n) RETURN EXISTS { MATCH (n) DETACH DELETE n }",
            "SyntaxError",
            "InvalidClauseComposition",
            "DETACH DELETE n",
        ),
        (
            "MATCH (n) RETURN EXISTS { MERGE (n)-[:R]->(:X) }",
            "SyntaxError",
            "InvalidClauseComposition",
            "MERGE (n)-[:R]->(:X)",
        ),
        // A query inside may not end with WITH.
        (
            "MATCH (n) RETURN EXISTS { MATCH (n)-->(m) WITH m }",
            "SyntaxError",
            "InvalidClauseComposition",
            "",
        ),
        // Its variables are its own.
        (
            "MATCH (n) WHERE EXISTS { MATCH (n)-->(m) } RETURN m",
            "SyntaxError",
            "UndefinedVariable",
            "m",
        ),
        // Malformed forms point at where parsing stopped.
        ("RETURN EXISTS { }", "SyntaxError", "UnexpectedSyntax", "}"),
        (
            "MATCH (n) RETURN EXISTS { (n)-->( }",
            "SyntaxError",
            "UnexpectedSyntax",
            "}",
        ),
        (
            "MATCH (n) RETURN EXISTS { (n)-->() ",
            "SyntaxError",
            "UnexpectedSyntax",
            "",
        ),
        // UNION rules hold inside too.
        (
            "RETURN EXISTS { RETURN 1 AS a UNION RETURN 2 AS b }",
            "SyntaxError",
            "DifferentColumnsInUnion",
            "RETURN 2 AS b",
        ),
    ] {
        let mut s = session();
        let before = (s.graph().node_count(), s.graph().rel_count());
        match s.run(q) {
            Err(rolegraph::Error::Query(e)) => {
                assert_eq!(
                    (e.class().name(), e.phase, e.code.to_string()),
                    (class, Phase::Compile, code.to_string()),
                    "{q}: {e}"
                );
                let shown = e.span.and_then(|sp| q.get(sp.start..sp.end)).unwrap_or("");
                assert_eq!(shown, at, "{q}: the caret is under {shown:?}");
            }
            other => panic!("{q}: expected {class} {code}, got {other:?}"),
        }
        assert_eq!(
            before,
            (s.graph().node_count(), s.graph().rel_count()),
            "{q} changed the graph"
        );
    }
}

/// The printer writes EXISTS back in the form it was written, so TRANSLATE
/// and `:history` give text that parses to the same query.
#[test]
fn exists_prints_back_as_written() {
    for q in [
        "MATCH (n) WHERE EXISTS { (n)-->(m), (m)-->() WHERE m.x = 1 } RETURN n",
        "MATCH (n) WHERE NOT EXISTS { MATCH (n)-->(m) WITH m, count(*) AS c WHERE c > 1 RETURN c UNION ALL MATCH (n) RETURN 1 AS c } RETURN n",
        "MATCH (n) RETURN CASE WHEN EXISTS { MATCH (n) WHERE EXISTS { (n)<--() } } THEN 1 END AS x",
    ] {
        let mut s = session();
        let out = rows(&mut s, &format!("TRANSLATE {q}"));
        assert_eq!(out, format!("'{q};'"));
    }
}

/// The operators EXPLAIN lists for `q`.
fn operators(s: &mut Session, q: &str) -> Vec<String> {
    let r = s.run(&format!("EXPLAIN {q}")).unwrap_or_else(|e| panic!("{q}: {e}"));
    r.rows.iter().map(|row| value_text(&row[1], s.graph())).collect()
}

#[test]
fn a_subquery_matched_once_sees_only_what_its_rows_would() {
    // Forty people, each managing the next; one more person, aged 'old',
    // managed by someone outside :P, whom no row of `MATCH (n:P)` reaches.
    let mut s = Session::new(Graph::new("once"));
    s.run("UNWIND range(1, 40) AS i CREATE (:P {i: i, age: 20 + i})")
        .expect("setup");
    s.run("MATCH (a:P), (b:P) WHERE b.i = a.i + 1 CREATE (a)-[:MANAGES]->(b)")
        .expect("setup");
    s.run("CREATE (:Q)-[:MANAGES]->(:P {i: 0, age: 'old'})").expect("setup");
    // A condition that cannot raise: matched once from the managed people
    // older than 50, back to their managers.
    let safe = "MATCH (n:P) WHERE EXISTS { MATCH (n)-[:MANAGES]->(m) WHERE m.age > 50 } RETURN count(n)";
    assert!(operators(&mut s, safe).contains(&"'SemiJoin'".to_string()));
    assert_eq!(rows(&mut s, safe), "10");
    let anti = "MATCH (n:P) WHERE NOT EXISTS { MATCH (n)-[:MANAGES]->(m) WHERE m.age > 50 } RETURN count(n)";
    assert_eq!(rows(&mut s, anti), "31");
    // One that can (a string times a number): matched once it would reach
    // the person aged 'old'; from each row it never does, so it stays per
    // row and no error is raised.
    let raising = "MATCH (n:P) WHERE EXISTS { MATCH (n)-[:MANAGES]->(m) WHERE m.age * 2 > 100 } RETURN count(n)";
    assert!(!operators(&mut s, raising).contains(&"'SemiJoin'".to_string()));
    assert_eq!(rows(&mut s, raising), "10");
    // From the row that reaches it, the error is raised.
    let reached = "MATCH (n:Q) WHERE EXISTS { MATCH (n)-[:MANAGES]->(m) WHERE m.age * 2 > 100 } RETURN count(n)";
    assert!(s.run(reached).is_err());
}
