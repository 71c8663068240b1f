//! openCypher semantics, query by query: each case is a query and the rows
//! it must produce, written as Cypher literals (one line per row, columns
//! separated by " | "). Runs on the fixture organisation.

use rolegraph::{Graph, Session, render::value_text};

fn graph() -> Graph {
    rolegraph::load::load_dir(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/org"
    )))
    .expect("fixture loads")
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
    // DISTINCT keeps the first of equal rows, in the order they come;
    // equal by grouping's equality (1 and 1.0, nulls); LIMIT without
    // ORDER BY takes the first distinct rows.
    (
        "UNWIND [3, 1, 3, 2, 1.0, null, 2, null] AS x RETURN DISTINCT x",
        "3\n1\n2\nnull",
    ),
    ("UNWIND [3, 1, 3, 2, 1, 4] AS x RETURN DISTINCT x LIMIT 3", "3\n1\n2"),
    (
        "UNWIND [[1, 'a'], [1, 'a'], [1, 'b'], [2, 'a'], [1, 'b']] AS p \
         WITH DISTINCT p[0] AS n, p[1] AS s RETURN n, s",
        "1 | 'a'\n1 | 'b'\n2 | 'a'",
    ),
    (
        "UNWIND [2, 1, 2, 3, 1] AS x WITH DISTINCT x ORDER BY x DESC LIMIT 2 RETURN collect(x)",
        "[3, 2]",
    ),
    // Under ORDER BY ... LIMIT, the columns the first key does not read
    // are computed for the rows it lets in; ties are decided by the
    // next keys, which read them.
    (
        "UNWIND [5, 3, 9, 1, 9, 4, 5] AS i WITH {id: i, name: 'n' + toString(i * 10 + i % 3)} AS x \
         RETURN x.name AS name, x.id AS k ORDER BY k DESC, name DESC LIMIT 4",
        "'n90' | 9\n'n90' | 9\n'n52' | 5\n'n52' | 5",
    ),
    // Three-valued logic and null propagation.
    (
        "RETURN null AND false, null AND true, null OR true, null OR false, null XOR true, NOT null",
        "false | null | true | null | null | null",
    ),
    (
        "RETURN null = null, null <> 1, 1 = 1.0, 'a' < 'b', [1, 2] = [1, 2], [1, null] = [1, 2]",
        "null | null | true | true | true | null",
    ),
    (
        "RETURN 1 < 'a', null IS NULL, 1 IS NOT NULL, 1 < 2 < 3, 3 > 2 > 2",
        "null | true | true | true | false",
    ),
    (
        "RETURN 2 IN [1, 2], 3 IN [1, null], 3 IN [1, 2], null IN [], null IN [1]",
        "true | null | false | false | null",
    ),
    // Arithmetic: integers stay integers, division truncates, ^ is a float.
    (
        "RETURN 7 / 2, 7 % 3, 7.0 / 2, 2 ^ 3, -7 / 2, 1 + 2 * 3 - 4",
        "3 | 1 | 3.5 | 8.0 | -3 | 3",
    ),
    (
        "RETURN 'a' + 'b', [1] + [2, 3], [1] + 4, 0 + [1], 'n' + 1",
        "'ab' | [1, 2, 3] | [1, 4] | [0, 1] | 'n1'",
    ),
    // Percentiles: a value seen (Disc) or interpolated (Cont).
    (
        "UNWIND [30, 10, 20, null] AS x RETURN percentileDisc(x, 0.5), percentileCont(x, 0.25), percentileDisc(x, 1)",
        "20.0 | 15.0 | 30.0",
    ),
    // Strings.
    (
        "RETURN 'Chief' STARTS WITH 'Ch', 'abc' ENDS WITH 'bc', 'abc' CONTAINS 'x', 1 CONTAINS 'x'",
        "true | true | false | null",
    ),
    (
        "RETURN 'CTO' =~ 'C.O', 'CTOs' =~ 'C.O', toUpper('aé'), trim('  x '), substring('hello', 1, 3)",
        "true | false | 'AÉ' | 'x' | 'ell'",
    ),
    (
        "RETURN split('a,b', ','), replace('aXa', 'X', 'y'), left('hello', 2), right('hello', 2), reverse('abc')",
        "['a', 'b'] | 'aya' | 'he' | 'lo' | 'cba'",
    ),
    // Parts of strings by character, not byte; ASCII and other text, short
    // (kept inline) and long, unchanged and changed.
    (
        "RETURN left('héllo', 2), right('héllo', 3), substring('héllo', 1, 2), left('ab', 5), right('ab', 5), left('ab', 0), right('ab', 0)",
        "'hé' | 'llo' | 'él' | 'ab' | 'ab' | '' | ''",
    ),
    (
        "RETURN substring('héllo', 4), substring('héllo', 9), substring('héllo', 2, 0), substring('abc', 1)",
        "'o' | '' | '' | 'bc'",
    ),
    (
        "RETURN toLower('ABC'), toLower('abc'), toUpper('abc'), toLower('ÀÉ'), toLower('A Much Longer Name Than Twenty-Two'), toUpper('a much longer name than twenty-two')",
        "'abc' | 'abc' | 'ABC' | 'àé' | 'a much longer name than twenty-two' | 'A MUCH LONGER NAME THAN TWENTY-TWO'",
    ),
    (
        "RETURN ltrim('  x '), rtrim('  x '), trim('x'), trim('   '), trim(' a much longer name than twenty-two ')",
        "'x ' | '  x' | 'x' | '' | 'a much longer name than twenty-two'",
    ),
    (
        "RETURN toInteger('42'), toInteger('4.7'), toInteger('x'), toFloat('1.5'), toString(1.0), toBoolean('TRUE')",
        "42 | 4 | null | 1.5 | '1.0' | true",
    ),
    // Lists and maps.
    (
        "RETURN [1, 2, 3][0], [1, 2, 3][-1], [1, 2, 3][5], [1, 2, 3, 4][1..3], [1, 2, 3][..-1]",
        "1 | 3 | null | [2, 3] | [1, 2]",
    ),
    (
        "RETURN size([1, 2]), head([]), last([1, 2]), tail([1, 2]), range(1, 5, 2), range(3, 1)",
        "2 | null | 2 | [2] | [1, 3, 5] | []",
    ),
    (
        "RETURN {a: 1, b: 'x'}.b, keys({b: 1, a: 2}), {a: {b: 2}}['a'].b",
        "'x' | ['a', 'b'] | 2",
    ),
    (
        "RETURN [x IN range(1, 6) WHERE x % 2 = 0 | x * 10], [x IN [1, 2] | x + 1]",
        "[20, 40, 60] | [2, 3]",
    ),
    (
        "RETURN all(x IN [1, 2] WHERE x > 0), any(x IN [1, 2] WHERE x > 1), none(x IN [1] WHERE x > 1), single(x IN [1, 2] WHERE x > 1)",
        "true | true | true | true",
    ),
    (
        "RETURN coalesce(null, null, 3), coalesce(null), CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END, CASE WHEN false THEN 1 END",
        "3 | null | 'two' | null",
    ),
    (
        "RETURN abs(-3), abs(-2.5), ceil(1.2), floor(1.8), round(2.5), sign(-4), sqrt(16)",
        "3 | 2.5 | 2.0 | 1.0 | 3.0 | -1 | 4.0",
    ),
    // Aggregation: implicit grouping, nulls skipped, empty input.
    (
        "UNWIND [1, 2, null, 2] AS x RETURN count(x), count(*), count(DISTINCT x), sum(x), avg(x), min(x), max(x), collect(x)",
        "3 | 4 | 2 | 5 | 1.6666666666666667 | 1 | 2 | [1, 2, 2]",
    ),
    (
        "UNWIND [] AS x RETURN count(x), sum(x), avg(x), collect(x)",
        "0 | 0 | null | []",
    ),
    ("UNWIND [] AS x RETURN x, count(*)", ""),
    (
        "UNWIND ['a', 'b', 'a'] AS k RETURN k, count(*) AS n ORDER BY n DESC, k",
        "'a' | 2\n'b' | 1",
    ),
    (
        "UNWIND [3, 1, 2] AS x WITH x ORDER BY x DESC LIMIT 2 RETURN collect(x)",
        "[3, 2]",
    ),
    // ORDER BY puts nulls last ascending and first descending; mixed types order by type.
    ("UNWIND [2, null, 1] AS x RETURN x ORDER BY x", "1\n2\nnull"),
    ("UNWIND [2, null, 1] AS x RETURN x ORDER BY x DESC", "null\n2\n1"),
    (
        "UNWIND [1, 'a', true, 1.5] AS x RETURN x ORDER BY x",
        "'a'\ntrue\n1\n1.5",
    ),
    ("UNWIND [1, 1, 2] AS x RETURN DISTINCT x ORDER BY x SKIP 1", "2"),
    // ORDER BY may use a variable that is not returned.
    (
        "MATCH (r:Role) RETURN r.id AS id ORDER BY r.name DESC LIMIT 2",
        "'head-of-platform'\n'chief-technology-officer'",
    ),
    // Patterns: direction, undirected, multiple types, variable length, relationship uniqueness.
    (
        "MATCH (:Role {id: 'head-of-platform'})-[:REPORTS_TO*2]->(x) RETURN x.id",
        "'chief-executive-officer'",
    ),
    (
        "MATCH (x)<-[:REPORTS_TO]-(:Role {id: 'head-of-platform'}) RETURN x.id",
        "'chief-technology-officer'",
    ),
    (
        "MATCH (:Role {id: 'chief-information-officer'})-[:COLLABORATES_WITH]-(x) RETURN x.id",
        "'chief-technology-officer'",
    ),
    (
        "MATCH (r {id: 'chief-information-officer'})-[:LEADS|WORKS_WITH]->(t) RETURN t.id ORDER BY t.id",
        "'engineering'\n'it-department'",
    ),
    (
        "MATCH (a {id: 'head-of-platform'})-[:REPORTS_TO*0..]->(x) RETURN x.id ORDER BY x.id",
        "'chief-executive-officer'\n'chief-technology-officer'\n'head-of-platform'",
    ),
    (
        "MATCH (a:Role)-[:REPORTS_TO]->(b)<-[:REPORTS_TO]-(c:Role) WHERE a.id < c.id RETURN count(*)",
        "3",
    ),
    ("MATCH (a)-[r1]-(b)-[r2]-(a) RETURN count(*)", "0"),
    (
        "MATCH p = (:Role {id: 'head-of-platform'})-[:REPORTS_TO*]->(:Role {id: 'chief-executive-officer'}) RETURN length(p), [n IN nodes(p) | n.id]",
        "2 | ['head-of-platform', 'chief-technology-officer', 'chief-executive-officer']",
    ),
    ("MATCH (a:Role), (b:Team) RETURN count(*)", "10"),
    // WHERE with label predicates and pattern predicates; OPTIONAL MATCH nulls.
    ("MATCH (n) WHERE n:Team OR n:Skill RETURN count(n)", "4"),
    (
        "MATCH (r:Role) WHERE NOT (r)-[:REPORTS_TO]->() RETURN r.id",
        "'chief-executive-officer'",
    ),
    (
        "MATCH (r:Role {id: 'chief-executive-officer'}) OPTIONAL MATCH (r)-[:LEADS]->(t) RETURN r.id, t, t.name",
        "'chief-executive-officer' | null | null",
    ),
    // EXISTS subqueries answered from a set made once (a semi-join, or an
    // anti-join under NOT) agree with the same pattern matched per row.
    (
        "MATCH (r:Role) WITH r, EXISTS { MATCH (r)-[:LEADS]->(t) WHERE t.name STARTS WITH 'E' } AS a, \
         size([(r)-[:LEADS]->(t) WHERE t.name STARTS WITH 'E' | t]) > 0 AS b \
         RETURN count(*) AS n, sum(CASE WHEN a = b THEN 1 ELSE 0 END) AS same, sum(CASE WHEN a THEN 1 ELSE 0 END) AS yes",
        "5 | 5 | 1",
    ),
    (
        "MATCH (r:Role) WHERE NOT EXISTS { MATCH (r)<-[:REPORTS_TO*1..2]-(x:Role) WHERE x.name CONTAINS 'Platform' } \
         RETURN count(r)",
        "3",
    ),
    // OPTIONAL MATCH kept only where it found nothing (an anti-join): the
    // roles leading no team, as NOT of the pattern counts them.
    (
        "MATCH (r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t) WITH r, t WHERE t IS NULL RETURN count(r)",
        "3",
    ),
    ("MATCH (r:Role) WHERE NOT (r)-[:LEADS]->() RETURN count(r)", "3"),
    (
        "MATCH (r:Role {id: 'chief-technology-officer'}) RETURN [(r)-[:REQUIRES]->(s) | s.name] AS skills",
        "['Leadership', 'Software architecture']",
    ),
    // Functions on graph elements.
    (
        "MATCH (r:Role {id: 'chief-technology-officer'})-[l:LEADS]->(t) RETURN labels(t), type(l), l.sources, properties(t).name",
        "['Team'] | 'LEADS' | ['handbook', 'org-chart'] | 'Engineering'",
    ),
    (
        "MATCH (r:Role {id: 'head-of-platform'})-[l]->(b) RETURN startNode(l).id, endNode(l).id, keys(l)",
        "'head-of-platform' | 'chief-technology-officer' | ['sources']",
    ),
    // WITH scoping, UNWIND, RETURN *.
    ("WITH 1 AS a, 2 AS b RETURN *", "1 | 2"),
    ("UNWIND [[1, 2], [3]] AS l UNWIND l AS x RETURN x", "1\n2\n3"),
    ("UNWIND null AS x RETURN x", ""),
    ("WITH [1, 2] AS l WITH l WHERE size(l) > 1 RETURN l", "[1, 2]"),
    ("MATCH (r:Role) WITH count(r) AS n RETURN n * 2", "10"),
    // UNION removes duplicate rows; UNION ALL keeps them.
    ("RETURN 1 AS x UNION RETURN 1 AS x", "1"),
    ("RETURN 1 AS x UNION ALL RETURN 1 AS x", "1\n1"),
    // Keywords are case-insensitive; comments are ignored.
    (
        "match (r:Role) /* block */ where r.id = 'chief-executive-officer' // line\n return r.name",
        "'Chief Executive Officer'",
    ),
];

#[test]
fn queries_produce_the_expected_rows() {
    let g = graph();
    let mut failures = Vec::new();
    for (q, expected) in CASES {
        let mut s = Session::new(g.clone());
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
fn runtime_errors_have_classes() {
    let g = graph();
    let mut params = Session::new(g.clone());
    params.set_param("n", rolegraph::Value::Int(-1));
    match params.run("UNWIND [1] AS x RETURN x SKIP $n") {
        Err(rolegraph::Error::Query(e)) => assert_eq!(e.class().name(), "ArgumentError", "{e}"),
        other => panic!("a negative SKIP parameter: {other:?}"),
    }
    for (q, class) in [
        ("RETURN 1 / 0", "ArithmeticError"),
        ("RETURN toUpper(1)", "SyntaxError"),
        ("UNWIND [1] AS x RETURN toUpper(x)", "TypeError"),
        ("RETURN 1 + true", "SyntaxError"),
        ("UNWIND [true] AS x RETURN 1 + x", "TypeError"),
        ("RETURN [1][1.5]", "TypeError"),
        // A literal of the wrong type is caught before running; a value only at run time.
        ("RETURN NOT 1", "SyntaxError"),
        ("UNWIND [1] AS x RETURN NOT x", "TypeError"),
        ("UNWIND [1] AS x RETURN x SKIP -1", "SyntaxError"),
        ("RETURN range(1, 100000000000)", "ArgumentError"),
        ("RETURN -9223372036854775807 - 2", "ArithmeticError"),
        // A row the top-k heap turns away by its first key still raises
        // what its other columns raise.
        (
            "UNWIND [[{name: 'a'}, 1], [5, 2]] AS r WITH r[0] AS x, r[1] AS k RETURN x.name AS n, k ORDER BY k LIMIT 1",
            "TypeError",
        ),
    ] {
        let mut s = Session::new(g.clone());
        match s.run(q) {
            Err(rolegraph::Error::Query(e)) => assert_eq!(e.class().name(), class, "{q}: {e}"),
            other => panic!("{q}: expected {class}, got {other:?}"),
        }
    }
}

/// Each error carries openCypher's class, phase and detail code: a type known
/// while planning (a literal, a written-out list's elements, a pattern
/// variable's kind) is reported at compile time, a value only at run time.
#[test]
fn errors_carry_the_opencypher_classification() {
    use rolegraph::error::Phase::{Compile, Runtime};
    let g = graph();
    for (q, class, phase, code) in [
        // A path variable is always new.
        (
            "MATCH (p)-->() MATCH p = ()-->() RETURN p",
            "SyntaxError",
            Compile,
            "VariableAlreadyBound",
        ),
        (
            "MATCH p = (p)-->() RETURN p",
            "SyntaxError",
            Compile,
            "VariableAlreadyBound",
        ),
        (
            "WITH 1 AS p MATCH p = ()-->() RETURN p",
            "SyntaxError",
            Compile,
            "VariableAlreadyBound",
        ),
        // A node or relationship variable bound as something else.
        (
            "MATCH p = ()-->() MATCH (p) RETURN p",
            "SyntaxError",
            Compile,
            "VariableTypeConflict",
        ),
        (
            "MATCH (r)-[r]->() RETURN r",
            "SyntaxError",
            Compile,
            "VariableTypeConflict",
        ),
        // Types known at compile time.
        ("RETURN properties(1)", "SyntaxError", Compile, "InvalidArgumentType"),
        (
            "MATCH (n) RETURN length(n)",
            "SyntaxError",
            Compile,
            "InvalidArgumentType",
        ),
        (
            "MATCH p = ()-->() RETURN size(p)",
            "SyntaxError",
            Compile,
            "InvalidArgumentType",
        ),
        (
            "RETURN any(x IN ['a', 'b'] WHERE x % 2 = 0)",
            "SyntaxError",
            Compile,
            "InvalidArgumentType",
        ),
        (
            "MATCH (n) WHERE (n) RETURN n",
            "SyntaxError",
            Compile,
            "InvalidArgumentType",
        ),
        // A pattern stands alone only as a WHERE condition.
        ("MATCH (n) RETURN (n)-->()", "SyntaxError", Compile, "UnexpectedSyntax"),
        (
            "MATCH (n) RETURN size((n)-->())",
            "SyntaxError",
            Compile,
            "UnexpectedSyntax",
        ),
        // Values only known at run time.
        (
            "UNWIND [1, {a: 1}] AS x RETURN toInteger(x)",
            "TypeError",
            Runtime,
            "InvalidArgumentValue",
        ),
        (
            "UNWIND [{a: 1}] AS m UNWIND [0] AS k RETURN m[k]",
            "TypeError",
            Runtime,
            "MapElementAccessByNonString",
        ),
    ] {
        let mut s = Session::new(g.clone());
        match s.run(q) {
            Err(rolegraph::Error::Query(e)) => assert_eq!(
                (e.class().name(), e.phase, e.code.to_string()),
                (class, phase, code.to_string()),
                "{q}: {e}"
            ),
            other => panic!("{q}: expected {class} {code}, got {other:?}"),
        }
    }
    let mut s = Session::new(g.clone());
    assert_eq!(
        rows(&mut s, "RETURN 0.0 / 0.0 > 1, 0.0 / 0.0 <= 1.0, 0.0 / 0.0 < 'a'"),
        "false | false | null"
    );
    assert_eq!(
        rows(&mut s, "MATCH (n) WHERE exists((n)-->()) RETURN count(*) > 0"),
        "true"
    );
}

/// A statement that cannot finish in any reasonable time (10^15 rows, each
/// tested) under a short time limit: the outcome is the timeout error,
/// whatever the machine's speed. How long stopping takes is bounded only
/// to turn a hang into a failure instead of a stuck test run.
const RUNAWAY: &str = "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b \
     UNWIND range(1, 100000) AS c WITH a, b, c WHERE a + b + c < 0 RETURN count(*)";

#[test]
fn a_timeout_stops_a_runaway_query() {
    for timeout_ms in [0, 1, 50] {
        let mut s = Session::new(graph());
        s.limits_mut().timeout = Some(std::time::Duration::from_millis(timeout_ms));
        let started = std::time::Instant::now();
        match s.run(RUNAWAY) {
            Err(rolegraph::Error::Query(e)) => {
                assert_eq!(e.class(), rolegraph::error::ErrorClass::Cancelled, "{e}");
                assert_eq!(e.code.name(), "Timeout", "{e}");
            }
            other => panic!("expected the timeout error, got {other:?}"),
        }
        // Generous: stopping is checked every few hundred rows.
        assert!(started.elapsed() < std::time::Duration::from_secs(120));
        // The session is usable afterwards.
        s.limits_mut().timeout = None;
        assert!(s.run("RETURN 1").is_ok());
    }
}

#[test]
fn max_rows_stops_a_large_result() {
    let mut s = Session::new(graph());
    s.limits_mut().max_rows = Some(100);
    let err = s.run("UNWIND range(1, 1000) AS x RETURN x").unwrap_err();
    assert!(err.to_string().contains("more than 100 rows"), "{err}");
}

/// Runs `shape` with two sets of substitutions (a plan rewrite on, then
/// off) and checks both give the same rows in the same order; the rows.
fn same_both_ways(session: &mut Session, shape: &str, on: &[(&str, &str)], off: &[(&str, &str)]) -> String {
    let fill = |subs: &[(&str, &str)]| subs.iter().fold(shape.to_string(), |q, (k, v)| q.replace(k, v));
    let (fast, slow) = (fill(on), fill(off));
    let got = rows(session, &fast);
    assert_eq!(got, rows(session, &slow), "{fast}");
    got
}

/// The planner counts one-hop matches per node when only counts are
/// aggregated (plan::rewrite). A `WHERE true` turns that off, so each
/// query must give the same rows, in the same order, both ways.
#[test]
fn counting_per_node_agrees_with_matching_row_by_row() {
    let mut fixture = Session::new(graph());
    let mut web = Session::new(Graph::new("web"));
    web.run(
        "UNWIND range(0, 59) AS i CREATE (:N {i: i, g: i % 7})
         WITH 1 AS one MATCH (a:N), (b:N) WHERE (a.i * 5 + b.i) % 11 = 0
         CREATE (a)-[:T {w: a.i}]->(b)",
    )
    .unwrap();
    web.run("MATCH (a:N) WHERE a.i % 4 = 0 CREATE (a)-[:U]->(a), (a)-[:T]->(a)")
        .unwrap();
    web.run("MATCH (a:N) WHERE a.i % 3 = 0 CREATE (:M {i: a.i})-[:T]->(a)")
        .unwrap();
    let shapes = [
        "MATCH (a:N)-[r:T]->(b:N) {w} RETURN b.i AS k, count(a) AS n",
        "MATCH (a:N)-[r:T]->(b) {w} RETURN a.g AS k, count(*) AS n, count(r) AS m",
        "MATCH (a)<-[r:T]-(b:N) {w} RETURN a.i AS k, count(b) AS n ORDER BY n DESC, k",
        "MATCH (a:N)-[r:T|U]-(b) {w} RETURN b.i AS k, count(r) AS n",
        "MATCH (a:M)-[r]->(b:N) {w} RETURN b.g % 2 AS k, count(*) AS n",
        "MATCH (a)-[r:U]->(b) {w} RETURN count(*) AS n",
        "MATCH (a:N)-[r:NOPE]->(b) {w} RETURN b.i AS k, count(*) AS n",
        "MATCH (a:NOPE)-[r:T]->(b) {w} RETURN count(a) AS n",
        "MATCH (a:M)-[r:T]->(b:N) {w} WITH b.g AS k, count(*) AS n WHERE n > 1 RETURN k, n ORDER BY k",
    ];
    for shape in shapes {
        let got = same_both_ways(&mut web, shape, &[("{w}", "")], &[("{w}", "WHERE true")]);
        assert!(shape.contains("NOPE") || !got.is_empty(), "{shape}");
    }
    let fixture_shapes = [
        "MATCH (r:Role)-[:REQUIRES]->(s:Skill) {w} RETURN s.name, count(r) AS roles ORDER BY roles DESC, s.name LIMIT 3",
        "MATCH (r:Role)-[x]->(s) {w} RETURN r.name, count(x)",
        "MATCH (r)<-[x]-(s:Role) {w} RETURN labels(r), count(*)",
    ];
    for shape in fixture_shapes {
        let got = same_both_ways(&mut fixture, shape, &[("{w}", "")], &[("{w}", "WHERE true")]);
        assert!(!got.is_empty(), "{shape}");
    }
    // EXPLAIN says when matches are counted per node.
    let plan = rows(&mut web, "EXPLAIN MATCH (a:N)-[:T]->(b) RETURN b.i, count(*)");
    assert!(plan.contains("counted per node"), "{plan}");
}

/// Counting per node may rely on the store's statistics per relationship
/// type: when every R starts at a P and ends at a Q (their ids lie within
/// the runs of P and of Q nodes), a Q's count is its number of incoming R.
/// The counts must agree with matching row by row, and stay right once a
/// relationship breaks the rule (an R from a Q, a P created after the Qs).
#[test]
fn counting_from_degrees_agrees_with_matching_row_by_row() {
    let mut s = Session::new(Graph::new("stats"));
    s.run("UNWIND range(0, 29) AS i CREATE (:P {i: i})").unwrap();
    s.run("UNWIND range(0, 19) AS i CREATE (:Q {i: i})").unwrap();
    s.run("MATCH (a:P), (b:Q) WHERE (a.i * 7 + b.i * 3) % 5 = 0 CREATE (a)-[:R]->(b)")
        .unwrap();
    let shapes = [
        "MATCH (a:P)-[:R]->(b:Q) {w} RETURN b.i AS k, count(a) AS n ORDER BY k",
        "MATCH (b:Q)<-[:R]-(a:P) {w} RETURN b.i AS k, count(*) AS n ORDER BY k",
        "MATCH (a)-[:R]->(b:Q) {w} RETURN b.i AS k, count(a) AS n ORDER BY k",
        "MATCH (a:P)-[:R]->(b) {w} RETURN a.i AS k, count(b) AS n ORDER BY k",
        "MATCH (a:P)-[:R]->(b:Q) {w} RETURN a.i AS k, count(b) AS n ORDER BY k",
        "MATCH (a:P)-[:R]->(b:Q) {w} RETURN count(*) AS n",
    ];
    let before: Vec<String> = shapes
        .iter()
        .map(|shape| same_both_ways(&mut s, shape, &[("{w}", "")], &[("{w}", "WHERE true")]))
        .collect();
    assert!(before.iter().all(|r| !r.is_empty()));
    // An R from a Q, and from a P made after the Qs: the rule no longer
    // holds, and the counts must still agree.
    s.run("MATCH (a:Q {i: 3}), (b:Q {i: 4}) CREATE (a)-[:R]->(b)").unwrap();
    s.run("MATCH (b:Q {i: 5}) CREATE (:P {i: 99})-[:R]->(b)").unwrap();
    for (shape, old) in shapes.iter().zip(&before) {
        let now = same_both_ways(&mut s, shape, &[("{w}", "")], &[("{w}", "WHERE true")]);
        assert_ne!(&now, old, "{shape}: the new relationships count");
    }
}

/// `count(DISTINCT x)` of the node a MATCH's last hop reaches is counted
/// from a set the matcher fills (plan::rewrite, "collecting distinct
/// ends"). A `WITH` before the count turns that off, so each query must
/// give the same count both ways: with the end's labels implied by the
/// type's statistics or not, conditions by id or by another property,
/// relationships used twice refused, and any start.
#[test]
fn counting_distinct_ends_agrees_with_matching_row_by_row() {
    let mut fixture = Session::new(graph());
    let mut web = Session::new(Graph::new("web"));
    web.run(
        "UNWIND range(0, 59) AS i CREATE (:N {i: i, g: i % 7, s: 'item ' + toString(i)})
         WITH 1 AS one MATCH (a:N), (b:N) WHERE (a.i * 5 + b.i) % 11 = 0
         CREATE (a)-[:T]->(b)",
    )
    .unwrap();
    web.run("MATCH (a:N) WHERE a.i % 4 = 0 CREATE (a)-[:T]->(a), (a)-[:T]->(a)")
        .unwrap();
    web.run("MATCH (a:N) WHERE a.i % 3 = 0 CREATE (:M {i: a.i})-[:U]->(a)")
        .unwrap();
    let on = [("{w}", "")];
    let off = [("{w}", "WITH b ")];
    let shapes = [
        "MATCH (a:N {i: 3})-[:T]->(m)<-[:T]-(b:N) WHERE b.i <> 3 {w}RETURN count(DISTINCT b)",
        "MATCH (a:N {i: 4})-[:T]->(m)<-[:T]-(b) {w}RETURN count(DISTINCT b)",
        "MATCH (a:N {i: 8})-[:T]-(m)-[:T]-(b) WHERE b.s CONTAINS '1' AND b.g = 1 {w}RETURN count(DISTINCT b)",
        "MATCH (a:N)-[:T]->(m:N)<-[:U]-(b:M) WHERE a.i < 10 {w}RETURN count(DISTINCT b) AS n",
        "MATCH (a:N {i: 0})-[:T]->(b) {w}RETURN count(DISTINCT b)",
        "MATCH (a:N {i: 0})-[:T|U]-(b) {w}RETURN count(DISTINCT b)",
        "MATCH (a:N {i: 0})-[:NOPE]->(b) {w}RETURN count(DISTINCT b)",
        "MATCH (b)-[:T]->(a:N {i: 5}) {w}RETURN count(DISTINCT b)",
    ];
    for shape in shapes {
        same_both_ways(&mut web, shape, &on, &off);
    }
    for shape in [
        "MATCH (a:Role {id: 'chief-technology-officer'})-[:REQUIRES]->(:Skill)<-[:REQUIRES]-(b:Role) \
         WHERE b.id <> 'chief-technology-officer' {w}RETURN count(DISTINCT b)",
        "MATCH (a:Role {id: 'chief-technology-officer'})-[:REQUIRES]->(:Skill)<-[:REQUIRES]-(b:Role) \
         WHERE b.id = 'chief-information-officer' {w}RETURN count(DISTINCT b)",
        "MATCH (a:Role {id: 'chief-technology-officer'})-[:REQUIRES]->(:Skill)<-[:REQUIRES]-(b:Role) \
         WHERE b.id <> 'nobody' {w}RETURN count(DISTINCT b)",
    ] {
        let got = same_both_ways(&mut fixture, shape, &on, &off);
        assert_ne!(got, "0", "{shape}");
    }
    // EXPLAIN says so; a condition on two variables keeps the rows.
    let plan = rows(
        &mut web,
        "EXPLAIN MATCH (a:N {i: 3})-[:T]->(b) RETURN count(DISTINCT b)",
    );
    assert!(plan.contains("ends collected"), "{plan}");
    let plan = rows(
        &mut web,
        "EXPLAIN MATCH (a:N {i: 3})-[:T]->(b) WHERE b.i > a.i RETURN count(DISTINCT b)",
    );
    assert!(!plan.contains("ends collected"), "{plan}");
}

/// WHERE conditions are checked as soon as their variables are bound
/// (plan::rewrite). A condition on the path keeps the whole WHERE at the
/// end (conditions keep their order), so each query must give the same
/// rows both ways.
#[test]
fn early_where_conditions_agree_with_checking_at_the_end() {
    let mut web = Session::new(Graph::new("web"));
    web.run(
        "UNWIND range(0, 39) AS i CREATE (:N {i: i, g: i % 5})
         WITH 1 AS one MATCH (a:N), (b:N) WHERE (a.i * 7 + b.i) % 9 = 0
         CREATE (a)-[:T {w: (a.i + b.i) % 4}]->(b)",
    )
    .unwrap();
    let shapes = [
        "MATCH {p}(a:N)-[r:T]->(b)-[s:T]->(c) WHERE {w} a.g = 1 AND r.w > 0 AND c.g <> a.g RETURN a.i, b.i, c.i",
        "MATCH {p}(a:N)<-[r:T]-(b) WHERE {w} b.i > a.i AND r.w = 2 RETURN a.i, b.i ORDER BY a.i, b.i",
        "MATCH {p}(a:N)-[r:T*1..2]->(b) WHERE {w} a.i < 5 AND size(r) = 2 AND b.g = 0 RETURN a.i, b.i",
        "MATCH (x:N {i: 3}) MATCH {p}(a:N)-[:T]->(b) WHERE {w} a.g = x.g AND b.i > x.i RETURN a.i, b.i",
        "MATCH (x:N) WHERE x.i < 4 OPTIONAL MATCH {p}(x)-[r:T]->(b) WHERE {w} r.w = 1 AND b.g > 1 RETURN x.i, b.i",
        "MATCH {p}(a:N)-[:T]->(b) WHERE {w} a.i = 2 OR b.i = 2 RETURN a.i, b.i",
    ];
    for shape in shapes {
        let early = [("{p}", ""), ("{w}", "")];
        let late = [("{p}", "q = "), ("{w}", "length(q) >= 0 AND")];
        assert!(!same_both_ways(&mut web, shape, &early, &late).is_empty(), "{shape}");
    }
    // Written order is kept: the right of a false condition is not reached.
    assert_eq!(
        rows(
            &mut web,
            "MATCH (a:N)-[:T]->(b) WHERE a.i < 0 AND b.i / 0 > 1 RETURN count(*)"
        ),
        "0"
    );
    let plan = rows(
        &mut web,
        "EXPLAIN MATCH (a:N)-[:T]->(b) WHERE a.g = 1 AND b.g = 2 RETURN a",
    );
    assert!(
        plan.contains(
            "1 WHERE condition checked at the start node (a filtered scan: read in place, no row until a node passes); \
             1 WHERE condition checked after 1 hop"
        ),
        "{plan}"
    );
}

/// A one-node MATCH whose aggregation only counts is counted in one pass
/// (split over the cores when its conditions compare a property with a
/// constant). Naming the path turns that off: both must agree.
#[test]
fn counting_scans_agree_with_matching_row_by_row() {
    let mut web = Session::new(Graph::new("web"));
    web.run("UNWIND range(0, 199999) AS i CREATE (:N {i: i, g: i % 7, s: 'item ' + toString(i)})")
        .unwrap();
    web.run("UNWIND range(0, 99) AS i CREATE (:N:M {i: i, s: 'other'}), (:M {g: 1})")
        .unwrap();
    // One label over a run of ids whose key lists change from node to node
    // (a missing property is not stored): its values are read run by run.
    web.run(
        "UNWIND range(0, 99999) AS i CREATE (:P {i: i, s: CASE WHEN i % 3 = 0 THEN null \
         WHEN i % 3 = 1 THEN 'p' + toString(i) ELSE 'a longer text that is not inline ' + toString(i) END})",
    )
    .unwrap();
    let shapes = [
        "MATCH {p}(a:P) WHERE a.s CONTAINS '77' RETURN count(*) AS n",
        "MATCH {p}(a:P) WHERE a.s = 'p40000' RETURN count(a) AS n",
        "MATCH {p}(a:P) WHERE a.s <> 'p40000' RETURN count(a) AS n",
        "MATCH {p}(a:P) WHERE a.i >= 0 RETURN count(a) AS n",
        "MATCH {p}(a:N) WHERE a.s CONTAINS '99' RETURN count(*) AS n",
        "MATCH {p}(a:N) WHERE a.s STARTS WITH 'item 1' AND a.s ENDS WITH '7' RETURN count(a) AS n",
        "MATCH {p}(a:N) WHERE a.g = 3 RETURN count(*) AS n",
        "MATCH {p}(a:N) WHERE a.g <> 3 RETURN count(*) AS n",
        "MATCH {p}(a:N:M) WHERE a.s = 'other' RETURN count(*) AS n",
        "MATCH {p}(a:N) WHERE a.i % 1000 = 0 RETURN count(*) AS n",
        "MATCH {p}(a:N) WHERE a.s CONTAINS '5' RETURN a.g AS g, count(*) AS n ORDER BY g",
        "MATCH {p}(a) WHERE a.g = 1 RETURN count(*) AS n",
        "MATCH {p}(a:M) RETURN count(*) AS n",
        "MATCH {p}(a:N) WHERE a.s CONTAINS 'nowhere' RETURN count(*) AS n",
        "MATCH {p}(a:NOPE) RETURN count(*) AS n",
    ];
    for shape in shapes {
        same_both_ways(&mut web, shape, &[("{p}", "")], &[("{p}", "q = ")]);
    }
    assert_eq!(
        rows(&mut web, "MATCH (a:N) WHERE a.s CONTAINS '99999' RETURN count(*)"),
        "2"
    );
    assert_eq!(
        rows(&mut web, "MATCH (a:P) WHERE a.s CONTAINS 'inline 9999' RETURN count(*)"),
        "3"
    );
    let plan = rows(&mut web, "EXPLAIN MATCH (a:N) WHERE a.g = 1 RETURN count(*)");
    assert!(plan.contains("nodes counted as scanned"), "{plan}");
}

/// A repeated query text is parsed once; it is still planned and run
/// against the graph and parameters of the moment.
#[test]
fn a_repeated_query_sees_the_graph_as_it_is_now() {
    let mut s = Session::new(Graph::new("g"));
    let count = "MATCH (n:N) RETURN count(n)";
    assert_eq!(rows(&mut s, count), "0");
    s.run("CREATE (:N {x: 1}), (:N {x: 2})").unwrap();
    assert_eq!(rows(&mut s, count), "2");
    let by_param = "MATCH (n:N) WHERE n.x = $x RETURN n.x";
    s.set_param("x", rolegraph::Value::Int(2));
    assert_eq!(rows(&mut s, by_param), "2");
    s.set_param("x", rolegraph::Value::Int(1));
    assert_eq!(rows(&mut s, by_param), "1");
    assert!(s.run("MATCH (n RETURN n").is_err());
    assert!(
        s.run("MATCH (n RETURN n").is_err(),
        "a failed parse is not cached as a success"
    );
}
