//! Index seeks (`plan/optimise/seek.rs`, `eval/ops/index_seek.rs`): which
//! query shapes start from a property index and which keep the label scan
//! (read from EXPLAIN), and that a seek never changes an answer: for many
//! generated predicates the rows with the index equal the rows without it.

use rolegraph::error::Code;
use rolegraph::{Error, Graph, Session, Value};

mod common;
use common::Rng;

/// Literals of every kind an indexed property or a looked-up value can be:
/// integers and floats that are equal across types, NaN, strings (some
/// looking like numbers, some prefixes of others), booleans, null, lists.
const VALUES: &[&str] = &[
    "0", "1", "2", "3", "-1", "7", "1.0", "2.5", "-0.0", "0.0/0.0", "3.0", "'a'", "'ab'", "'abc'", "'b'", "''", "'1'",
    "'B'", "true", "false", "null", "[1]",
];

/// Values stored on nodes (lists and null left out: a stored list is not
/// indexed the same way, and null is a missing property).
const STORED: &[&str] = &[
    "0", "1", "2", "3", "-1", "7", "1.0", "2.5", "-0.0", "0.0/0.0", "3.0", "'a'", "'ab'", "'abc'", "'b'", "''", "'1'",
    "'B'", "true", "false",
];

/// A graph of 400 `:L` nodes (each with a unique `i`, most with a `k` of a
/// random kind, some with none), 40 `:M` nodes and `:R` relationships.
fn session(index: bool, seed: u64) -> Session {
    let mut s = Session::new(Graph::new("seeks"));
    let mut rng = Rng(seed);
    let mut text = String::new();
    for i in 0..400 {
        let k = match rng.below(10) {
            0 => String::new(),
            _ => format!(", k: {}", rng.pick(STORED)),
        };
        text.push_str(&format!("CREATE (:L {{i: {i}{k}}});\n"));
    }
    for i in 0..40 {
        text.push_str(&format!("CREATE (:M {{i: {i}, k: {}}});\n", rng.pick(STORED)));
    }
    for _ in 0..600 {
        let (a, b) = (rng.below(400), rng.below(40));
        text.push_str(&format!(
            "MATCH (a:L {{i: {a}}}), (b:M {{i: {b}}}) CREATE (a)-[:R]->(b);\n"
        ));
    }
    for stmt in text.lines() {
        s.run(stmt).unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    if index {
        s.run("CREATE INDEX lk FOR (n:L) ON (n.k)").unwrap();
        s.run("CREATE INDEX mk FOR (n:M) ON (n.k)").unwrap();
    } else {
        // The session compared with: scans throughout, no index built for
        // its queries however often they ask.
        s.set_implicit_indexes(false);
    }
    s
}

/// A random predicate on `n.k` that a seek can answer (or nearly can).
fn predicate(rng: &mut Rng) -> String {
    let v = |rng: &mut Rng| rng.pick(VALUES).to_string();
    let op = |rng: &mut Rng| rng.pick(&["<", "<=", ">", ">="]).to_string();
    match rng.below(9) {
        0 => format!("n.k = {}", v(rng)),
        1 => format!("{} = n.k", v(rng)),
        2 => format!("n.k IN [{}, {}, {}]", v(rng), v(rng), v(rng)),
        3 => format!("n.k {} {}", op(rng), v(rng)),
        4 => format!("{} {} n.k", v(rng), op(rng)),
        5 => format!(
            "{} {} n.k {} {}",
            v(rng),
            rng.pick(&["<", "<="]),
            rng.pick(&["<", "<="]),
            v(rng)
        ),
        6 => format!("n.k > {} AND n.k <= {}", v(rng), v(rng)),
        7 => format!(
            "n.k STARTS WITH {}",
            rng.pick(&["'a'", "''", "'ab'", "'B'", "'1'", "1", "null"])
        ),
        _ => format!("n.k = {} OR n.i < 3", v(rng)),
    }
}

/// The rows of `q` sorted (their order is not what is compared), or the
/// error's code.
fn answer(s: &mut Session, q: &str) -> Result<Vec<String>, Code> {
    match s.run(q) {
        Ok(rows) => {
            let mut out: Vec<String> = rows.rows.iter().map(|r| format!("{r:?}")).collect();
            out.sort();
            Ok(out)
        }
        Err(Error::Query(e)) => Err(e.code),
        Err(other) => panic!("{q}: not a query error: {other}"),
    }
}

/// The EXPLAIN details of `q`, joined.
fn plan(s: &mut Session, q: &str) -> String {
    let rows = s.run(&format!("EXPLAIN {q}")).unwrap_or_else(|e| panic!("{q}: {e}"));
    let at = rows
        .columns
        .iter()
        .position(|c| c == "detail")
        .expect("a detail column");
    let details: Vec<&str> = rows.rows.iter().filter_map(|r| r[at].as_str()).collect();
    details.join(" | ")
}

#[test]
fn rows_with_an_index_equal_rows_without_it() {
    let (mut with, mut without) = (session(true, 7), session(false, 7));
    let mut rng = Rng(0x5eed);
    let mut seeks = 0;
    let mut total = 0;
    for round in 0..400 {
        let p = predicate(&mut rng);
        let v = rng.pick(VALUES);
        let q = match round % 8 {
            0 => format!("MATCH (n:L) WHERE {p} RETURN n.i, n.k"),
            1 => format!("MATCH (n:L) WHERE {p} RETURN count(*)"),
            2 => format!("MATCH (n:L)-[:R]->(m:M) WHERE {p} RETURN n.i, m.i"),
            3 => format!("MATCH (n:L)-[:R]->(m:M) WHERE {p} RETURN m.i, count(*)"),
            // A value from an earlier clause.
            4 => format!(
                "UNWIND [{v}, {}] AS x MATCH (n:L) WHERE n.k = x RETURN x, n.i",
                rng.pick(VALUES)
            ),
            5 => format!(
                "MATCH (a:M {{i: {}}}) MATCH (n:L) WHERE n.k >= a.k RETURN n.i",
                rng.below(40)
            ),
            // An inline property.
            6 => format!("MATCH (n:L {{k: {v}}}) RETURN n.i"),
            _ => format!("WITH {v} AS x MATCH (n:L) WHERE n.k < x OR n.k STARTS WITH 'a' RETURN count(*)"),
        };
        let got = answer(&mut with, &q);
        let want = answer(&mut without, &q);
        assert_eq!(got, want, "{q}");
        total += 1;
        if plan(&mut with, &q).contains("index seek") {
            seeks += 1;
        }
    }
    // Most shapes above can start from the index: the comparison is not
    // between two label scans.
    assert!(seeks * 2 > total, "only {seeks} of {total} queries used a seek");
}

#[test]
fn parameters_of_every_kind_give_the_same_rows_as_a_scan() {
    let (mut with, mut without) = (session(true, 11), session(false, 11));
    let params = [
        Value::Int(1),
        Value::Float(1.0),
        Value::Float(f64::NAN),
        Value::Float(2.5),
        Value::str("a"),
        Value::str(""),
        Value::Bool(true),
        Value::Null,
        Value::list(vec![Value::Int(2), Value::Float(3.0), Value::str("ab"), Value::Null]),
        Value::list(vec![]),
    ];
    let queries = [
        "MATCH (n:L) WHERE n.k = $p RETURN n.i",
        "MATCH (n:L) WHERE n.k IN $p RETURN n.i",
        "MATCH (n:L) WHERE n.k < $p RETURN n.i",
        "MATCH (n:L) WHERE $p <= n.k RETURN count(*)",
        "MATCH (n:L) WHERE n.k STARTS WITH $p RETURN n.i",
        "MATCH (n:L {k: $p})-[:R]->(m) RETURN n.i, m.i",
    ];
    for p in &params {
        for s in [&mut with, &mut without] {
            s.set_param("p", p.clone());
        }
        for q in queries {
            assert_eq!(answer(&mut with, q), answer(&mut without, q), "{q} with $p = {p:?}");
        }
    }
    // With a parameter the seek is planned (its value read at run time).
    assert!(plan(&mut with, queries[0]).contains("index seek :L(k) equality, index lk"));
}

#[test]
fn selective_predicates_on_an_indexed_key_start_from_the_index() {
    let mut s = session(true, 3);
    for (q, kind) in [
        ("MATCH (n:L) WHERE n.k = 'abc' RETURN n", "equality"),
        ("MATCH (n:L) WHERE 'abc' = n.k RETURN n", "equality"),
        ("MATCH (n:L {k: 'abc'}) RETURN n", "equality"),
        ("MATCH (n:L) WHERE n.k IN ['abc', 7] RETURN n", "IN list"),
        ("MATCH (n:L) WHERE n.k STARTS WITH 'ab' RETURN n", "prefix"),
        ("MATCH (n:L) WHERE 6 < n.k <= 7 RETURN n", "range"),
        ("MATCH (n:L) WHERE n.k >= 7 RETURN count(*)", "range"),
        ("MATCH (n:L)-[:R]->(m:M) WHERE n.k = 'abc' RETURN m", "equality"),
        // The seek can start either end: here the far one.
        ("MATCH (m:M)<-[:R]-(n:L) WHERE n.k = 'abc' RETURN m", "equality"),
        ("MATCH (a:M {i: 1}) MATCH (n:L) WHERE n.k = a.k RETURN n", "equality"),
    ] {
        let detail = plan(&mut s, q);
        assert!(
            detail.contains(&format!("index seek :L(k) {kind}, index lk")),
            "{q}: {detail}"
        );
    }
    let detail = plan(&mut s, "MATCH (n:L) WHERE n.id IN ['x', 'y'] RETURN n");
    assert!(detail.contains("index seek :L(id) IN list, the id map"), "{detail}");
}

/// A seek's found nodes are sorted into node order before they are read,
/// which costs more per node the more it finds (`seek::seek_cost`): a
/// prefix a quarter of a large label has keeps the scan, though an index
/// answers it, while an equality that finds a few nodes seeks.
#[test]
fn a_seek_finding_a_large_share_keeps_the_scan() {
    let mut s = Session::new(Graph::new("share"));
    s.run(
        "UNWIND range(0, 8191) AS i CREATE (:P {i: i, name: CASE WHEN i % 4 = 0 THEN 'Senior ' ELSE 'Staff ' END + toString(i)})",
    )
    .unwrap();
    s.run("CREATE INDEX pn FOR (n:P) ON (n.name)").unwrap();
    let wide = "MATCH (n:P) WHERE n.name STARTS WITH 'Senior' RETURN count(n.i)";
    let detail = plan(&mut s, wide);
    assert!(!detail.contains("index seek"), "{detail}");
    assert_eq!(answer(&mut s, wide), Ok(vec!["[Int(2048)]".to_string()]));
    let narrow = "MATCH (n:P) WHERE n.name STARTS WITH 'Senior 12' RETURN count(n.i)";
    let detail = plan(&mut s, narrow);
    assert!(detail.contains("index seek :P(name) prefix, index pn"), "{detail}");
    // 12; 120, 124, 128; 1200 to 1296 by 4.
    assert_eq!(answer(&mut s, narrow), Ok(vec!["[Int(29)]".to_string()]));
}

#[test]
fn shapes_a_seek_cannot_serve_or_would_not_pay_keep_the_scan() {
    let mut s = session(true, 3);
    for q in [
        // No index on the key, or on the label.
        "MATCH (n:L) WHERE n.i = 3 RETURN n",
        "MATCH (n) WHERE n.k = 3 RETURN n",
        // Conditions an ordered index does not answer.
        "MATCH (n:L) WHERE n.k <> 3 RETURN n",
        "MATCH (n:L) WHERE n.k ENDS WITH 'b' RETURN n",
        "MATCH (n:L) WHERE n.k CONTAINS 'b' RETURN n",
        "MATCH (n:L) WHERE n.k = 3 OR n.i = 4 RETURN n",
        "MATCH (n:L) WHERE n.k IS NOT NULL RETURN n",
        // A value read from the same clause's match.
        "MATCH (m:M)-[:R]-(n:L) WHERE n.k = m.k RETURN n",
    ] {
        let detail = plan(&mut s, q);
        assert!(!detail.contains("index seek :L(k)"), "{q}: {detail}");
    }
    // Without the index the same selective query scans.
    let mut plain = session(false, 3);
    let detail = plan(&mut plain, "MATCH (n:L) WHERE n.k = 'abc' RETURN n");
    assert!(!detail.contains("index seek"), "{detail}");
    // Dropping the index takes the seek away.
    s.run("DROP INDEX lk").unwrap();
    let detail = plan(&mut s, "MATCH (n:L) WHERE n.k = 'abc' RETURN n");
    assert!(!detail.contains("index seek"), "{detail}");
}

#[test]
fn the_choice_follows_the_estimated_count() {
    let mut s = Session::new(Graph::new("counts"));
    s.run("UNWIND range(1, 200) AS i CREATE (:P {k: i, s: 'v' + toString(i)})")
        .unwrap();
    s.run("CREATE INDEX FOR (n:P) ON (n.k)").unwrap();
    s.run("CREATE INDEX FOR (n:P) ON (n.s)").unwrap();
    for (q, seek) in [
        ("MATCH (n:P) WHERE n.k > 190 RETURN n", true),
        ("MATCH (n:P) WHERE n.k > 0 RETURN n", false),
        ("MATCH (n:P) WHERE n.k >= 10 AND n.k < 20 RETURN n", true),
        ("MATCH (n:P) WHERE n.s STARTS WITH 'v19' RETURN n", true),
        ("MATCH (n:P) WHERE n.s STARTS WITH 'v' RETURN n", false),
    ] {
        let detail = plan(&mut s, q);
        assert_eq!(detail.contains("index seek :P("), seek, "{q}: {detail}");
    }
}

/// The rows of `q` in the order returned.
fn ordered_answer(s: &mut Session, q: &str) -> Vec<String> {
    let rows = s.run(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    rows.rows.iter().map(|r| format!("{r:?}")).collect()
}

/// `ORDER BY n.k … LIMIT` reads the label in the index's order and stops
/// once the rest cannot enter (`plan/optimise/ordered_scan.rs`): the rows,
/// in order, are those of the sort without the index, for keys of every
/// type, nodes without a value, both directions, SKIP, filters, expands,
/// UNWIND and the key read through a projected node or an alias.
#[test]
fn ordered_index_scans_return_the_rows_of_a_full_sort() {
    let (mut with, mut without) = (session(true, 11), session(false, 11));
    let mut rng = Rng(0x0bde7);
    let mut ordered = 0;
    let total = 240;
    for round in 0..total {
        let dir = if rng.below(2) == 0 { "" } else { " DESC" };
        // Ties on n.k arrive in node order (= n.i): the second key also
        // runs against it, so that a tie read too few shows.
        let then = if rng.below(2) == 0 { "" } else { " DESC" };
        let limit = 1 + rng.below(40);
        let skip = match rng.below(3) {
            0 => format!(" SKIP {}", rng.below(30)),
            _ => String::new(),
        };
        let q = match round % 6 {
            0 => format!("MATCH (n:L) RETURN n.i, n.k ORDER BY n.k{dir}, n.i{then}{skip} LIMIT {limit}"),
            1 => format!(
                "MATCH (n:L) WHERE {} RETURN n.i, n.k ORDER BY n.k{dir}, n.i{then}{skip} LIMIT {limit}",
                predicate(&mut rng)
            ),
            2 => format!(
                "MATCH (n:L)-[:R]->(m:M) RETURN n.k, n.i, m.i ORDER BY n.k{dir}, n.i{then}, m.i{skip} LIMIT {limit}"
            ),
            3 => format!("MATCH (n:L) RETURN n ORDER BY n.k{dir}, n.i{then}{skip} LIMIT {limit}"),
            4 => format!("MATCH (n:L) RETURN n.k AS key, n.i AS i ORDER BY key{dir}, i{then}{skip} LIMIT {limit}"),
            _ => format!(
                "MATCH (n:L) UNWIND [1, 2] AS x RETURN n.i, x ORDER BY n.k{dir}, n.i{then}, x{skip} LIMIT {limit}"
            ),
        };
        assert_eq!(ordered_answer(&mut with, &q), ordered_answer(&mut without, &q), "{q}");
        let p = plan(&mut with, &q);
        if p.contains("ascending order") || p.contains("descending order") {
            ordered += 1;
        }
        assert!(!plan(&mut without, &q).contains("order, index"), "{q}");
    }
    // Every shape above but a selective filter (which seeks instead) reads
    // the index in order.
    assert!(
        ordered * 3 > total * 2,
        "only {ordered} of {total} queries read the index in order"
    );
}

/// `ORDER BY n.k … LIMIT` where the cost model starts the match at
/// another node: the part starts at `n` instead, read in the index's
/// order, when stopping after the page costs less than the whole match
/// (`plan/optimise/ordered_scan.rs`, `start_at_sorted_node`). The rows,
/// in order, are those of the full sort, for both directions, SKIP,
/// conditions on either end (placed again for the new start), long pages
/// (which keep the chosen start) and a second part. Only when every
/// column is a sort key: rows tied on every key then look alike.
#[test]
fn a_sorted_node_elsewhere_in_the_pattern_starts_the_match_when_its_order_pays() {
    let (mut with, mut without) = (session(true, 13), session(false, 13));
    let mut rng = Rng(0x50f7);
    let (mut moved, mut kept) = (0, 0);
    let total = 200;
    for _ in 0..total {
        let dir = if rng.below(2) == 0 { "" } else { " DESC" };
        let then = if rng.below(2) == 0 { "" } else { " DESC" };
        let limit = match rng.below(4) {
            0 => 300 + rng.below(300),
            _ => 1 + rng.below(20),
        };
        let skip = match rng.below(3) {
            0 => format!(" SKIP {}", rng.below(30)),
            _ => String::new(),
        };
        let condition = match rng.below(4) {
            0 => " WHERE m.i < 20".to_string(),
            1 => " WHERE n.i % 3 = 1 AND m.i <> 7".to_string(),
            _ => String::new(),
        };
        let q = match rng.below(3) {
            0 => format!(
                "MATCH (m:M)<-[:R]-(n:L){condition} RETURN n.k, n.i, m.i ORDER BY n.k{dir}, n.i{then}, m.i{skip} LIMIT {limit}"
            ),
            1 => format!(
                "MATCH (m:M)<-[r:R]-(n:L){condition} RETURN n.i, m.i ORDER BY n.k{dir}, m.i{then}, n.i{skip} LIMIT {limit}"
            ),
            _ => format!(
                "MATCH (m:M)<-[:R]-(n:L), (n)-[:R]->(o:M){condition} RETURN n.i, o.i ORDER BY n.k{dir}, n.i, m.i, o.i{skip} LIMIT {limit}"
            ),
        };
        assert_eq!(ordered_answer(&mut with, &q), ordered_answer(&mut without, &q), "{q}");
        let p = plan(&mut with, &q);
        match p.contains("index seek :L(k) in") {
            true => moved += 1,
            false => kept += 1,
        }
        assert!(!plan(&mut without, &q).contains("order, index"), "{q}");
    }
    assert!(
        moved > total / 2,
        "only {moved} of {total} pages started at the sorted node"
    );
    assert!(kept > 10, "only {kept} of {total} long pages kept the chosen start");
    // A column the sort does not read (rows tied on every key would show
    // which were kept): the chosen start stays.
    let q = "MATCH (m:M)<-[:R]-(n:L) RETURN n.i, m.k ORDER BY n.k, n.i LIMIT 5";
    assert!(!plan(&mut with, q).contains("index seek :L(k) in"), "{q}");
    // The plan reads :L in the index's order from the first step.
    let p = plan(
        &mut with,
        "MATCH (m:M)<-[:R]-(n:L) RETURN n.i, m.i ORDER BY n.k, n.i, m.i LIMIT 5",
    );
    assert!(p.starts_with("index seek :L(k) in ascending order"), "{p}");
}

/// Shapes whose order an index cannot give keep the sort of every row.
#[test]
fn sorts_an_index_cannot_serve_read_every_row() {
    let mut s = session(true, 3);
    // Only the named indexes: the setup's lookups by `i` would otherwise
    // have had an implicit index built on it (see tests/plans.rs).
    s.set_implicit_indexes(false);
    for q in [
        // No LIMIT: every row is returned anyway.
        "MATCH (n:L) RETURN n.i ORDER BY n.k",
        // Aggregated or DISTINCT rows are not the scan's rows.
        "MATCH (n:L) RETURN n.k, count(*) ORDER BY n.k LIMIT 3",
        "MATCH (n:L) RETURN DISTINCT n.k ORDER BY n.k LIMIT 3",
        // The first key is not the indexed property of the scanned node.
        "MATCH (n:L) RETURN n.i ORDER BY n.i LIMIT 3",
        "MATCH (n:L) RETURN n.i ORDER BY n.i, n.k LIMIT 3",
        // OPTIONAL MATCH first.
        "OPTIONAL MATCH (n:L) RETURN n.i ORDER BY n.k LIMIT 3",
    ] {
        let p = plan(&mut s, q);
        assert!(
            !p.contains("ascending order") && !p.contains("descending order"),
            "{q}: {p}"
        );
    }
}

/// A page over one label sorted by one indexed key (`ORDER BY n.k SKIP s
/// [LIMIT l]`, each node one row) starts at its position in the index
/// (`plan/optimise/ordered_scan.rs`): the rows, in order, are the full
/// sort's, for SKIP anywhere (among equal values, among the nodes without
/// a value, past the end), both directions, with and without LIMIT, as a
/// parameter; and still after edits, while changes wait beside the index's
/// sorted array (the start is then read to).
#[test]
fn pages_start_at_their_position_in_the_index() {
    let (mut with, mut without) = (session(true, 5), session(false, 5));
    let mut rng = Rng(0x5c1b);
    let mut paged = 0;
    let total = 300;
    for round in 0..total {
        if round == total / 2 {
            // Changes wait beside the sorted array from here on.
            for s in [&mut with, &mut without] {
                s.run("MATCH (n:L) WHERE n.i % 7 = 3 SET n.k = n.i % 4").unwrap();
                s.run("MATCH (n:L) WHERE n.i % 11 = 5 REMOVE n.k").unwrap();
                s.run("CREATE (:L {i: 1000, k: 2}), (:L {i: 1001})").unwrap();
            }
        }
        let dir = if rng.below(2) == 0 { "" } else { " DESC" };
        let at = rng.below(460);
        let limit = match rng.below(3) {
            0 => String::new(),
            _ => format!(" LIMIT {}", rng.below(30)),
        };
        let q = match round % 4 {
            0 => format!("MATCH (n:L) RETURN n.i, n.k ORDER BY n.k{dir} SKIP {at}{limit}"),
            1 => format!("MATCH (n:L) RETURN n.k AS key, n.i ORDER BY key{dir} SKIP {at}{limit}"),
            2 => format!("MATCH (n:L) RETURN n ORDER BY n.k{dir} SKIP $at{limit}"),
            _ => format!("MATCH (n:L) RETURN n.i ORDER BY n.k{dir} SKIP {at}{limit}"),
        };
        for s in [&mut with, &mut without] {
            s.set_param("at", Value::Int(at as i64));
        }
        assert_eq!(ordered_answer(&mut with, &q), ordered_answer(&mut without, &q), "{q}");
        if plan(&mut with, &q).contains("order from the SKIP position") {
            paged += 1;
        }
        assert!(!plan(&mut without, &q).contains("SKIP position"), "{q}");
    }
    assert_eq!(paged, total, "every page started at its position");
    // A SKIP the projection would refuse is refused the same way.
    for q in [
        "MATCH (n:L) RETURN n.i ORDER BY n.k SKIP $bad LIMIT 3",
        "MATCH (n:L) RETURN n.i ORDER BY n.k DESC SKIP $neg",
    ] {
        for s in [&mut with, &mut without] {
            s.set_param("bad", Value::String("x".into()));
            s.set_param("neg", Value::Int(-1));
        }
        let (a, b) = (with.run(q).unwrap_err(), without.run(q).unwrap_err());
        assert_eq!(a.to_string(), b.to_string(), "{q}");
    }
    // A second sort key, a condition, a second label or a hop: the rows
    // are not one a node in the index's order, and SKIP stays with the
    // projection.
    for q in [
        "MATCH (n:L) RETURN n.i ORDER BY n.k, n.i SKIP 5 LIMIT 3",
        "MATCH (n:L) WHERE n.i > 3 RETURN n.i ORDER BY n.k SKIP 5 LIMIT 3",
        "MATCH (n:L:M) RETURN n.i ORDER BY n.k SKIP 5 LIMIT 3",
        "MATCH (n:L)-[:R]->(m) RETURN n.i ORDER BY n.k SKIP 5 LIMIT 3",
        "MATCH (n:L) UNWIND [1, 2] AS x RETURN n.i ORDER BY n.k SKIP 5 LIMIT 3",
    ] {
        assert!(!plan(&mut with, q).contains("SKIP position"), "{q}");
    }
}
