//! Random and truncated queries through the whole pipeline (parse, plan,
//! run) must end in rows or an error, never a panic or a hang.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use rolegraph::Session;

const SEEDS: &[&str] = &[
    "MATCH (r:Role) RETURN r.name ORDER BY r.name",
    "MATCH (r:Role)-[:LEADS|WORKS_WITH]->(t:Team) RETURN r.name, collect(DISTINCT t.name) AS teams",
    "MATCH p = (a:Role)-[:REPORTS_TO*1..3]->(b) RETURN a, b, length(p) SKIP 1 LIMIT 5",
    "MATCH (a)-[r]-(b) WHERE a.name STARTS WITH 'Chief' AND NOT b:Skill RETURN type(r), count(*)",
    "OPTIONAL MATCH (x {id: 'nope'}) RETURN x IS NULL AS missing",
    "UNWIND range(1, 10) AS i WITH i WHERE i % 2 = 0 RETURN sum(i), avg(i), min(i), max(i)",
    "RETURN [x IN [1,2,3] WHERE x > 1 | x * 2] AS l, {a: 1, b: [true, null]} AS m",
    "MATCH (r:Role) RETURN CASE WHEN r.name =~ 'Chief.*' THEN 'c' ELSE 'o' END AS k, r.id",
    "MATCH (r:Role) WHERE r.id IN ['chief-technology-officer', 'x'] RETURN substring(r.name, 0, 5)",
    "DESCRIBE CTO",
    "MATCH (a:Role), (b:Role) WHERE a <> b RETURN a.id, b.id ORDER BY a.id DESC, b.id LIMIT 3",
    "WITH 1 AS x RETURN x, toString(x), toInteger('42'), toFloat('1.5'), head([1]), last([2])",
    "MATCH (n) RETURN labels(n), keys(n), properties(n) LIMIT 2",
    "CREATE (a:Role {id: 'tmp', name: 'T'})-[:LEADS]->(b:Team {id: 'tmp2'}) RETURN a, b",
    "MATCH (a) WHERE (a)-[:LEADS]->() RETURN a.name, [(a)-[:REQUIRES]->(s) | s.name] AS skills",
];

const TOKENS: &[&str] = &[
    "MATCH",
    "RETURN",
    "WHERE",
    "WITH",
    "UNWIND",
    "OPTIONAL",
    "CREATE",
    "DESCRIBE",
    "ORDER BY",
    "LIMIT",
    "SKIP",
    "AS",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "-",
    "->",
    "<-",
    "*",
    "..",
    ":",
    ",",
    ";",
    ".",
    "=",
    "<>",
    "+",
    "/",
    "%",
    "^",
    "'",
    "\"",
    "`",
    "$",
    "n",
    "r",
    "Role",
    "LEADS",
    "count(*)",
    "1",
    "0",
    "-1",
    "null",
    "true",
    "1.5e308",
    "9223372036854775807",
    "NOT",
    "AND",
    "OR",
    "XOR",
    "IN",
    "IS NULL",
    "STARTS WITH",
    "CONTAINS",
    "=~",
    "CASE",
    "WHEN",
    "THEN",
    "END",
    "|",
    "/*",
    "*/",
    "//",
    "\n",
    "é",
    "\u{0}",
    "\\",
];

/// A small deterministic generator, so failures reproduce.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn queries() -> Vec<String> {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::new();
    for s in SEEDS {
        out.push(s.to_string());
        // Every truncation at a char boundary.
        for (i, _) in s.char_indices() {
            out.push(s[..i].to_string());
        }
    }
    for _ in 0..600 {
        // Mutations of a seed: insert, delete or swap tokens.
        let seed = SEEDS[rng.below(SEEDS.len())];
        let mut q: Vec<char> = seed.chars().collect();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(q.len() + 1);
            match rng.below(3) {
                0 => {
                    let t: Vec<char> = TOKENS[rng.below(TOKENS.len())].chars().collect();
                    q.splice(at..at, t);
                }
                1 if at < q.len() => {
                    let end = (at + 1 + rng.below(6)).min(q.len());
                    q.drain(at..end);
                }
                _ if !q.is_empty() => {
                    let b = rng.below(q.len());
                    let a = at.min(q.len() - 1);
                    q.swap(a, b);
                }
                _ => {}
            }
        }
        out.push(q.into_iter().collect());
    }
    for _ in 0..400 {
        // Token soup.
        let n = 1 + rng.below(14);
        let q: Vec<&str> = (0..n).map(|_| TOKENS[rng.below(TOKENS.len())]).collect();
        out.push(q.join(" "));
    }
    out
}

#[test]
fn a_thousand_hostile_queries_never_panic() {
    let qs = queries();
    assert!(qs.len() >= 1000, "only {} queries", qs.len());
    let graph = rolegraph::load::load_dir(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/org"
    )))
    .expect("fixture graph loads");
    let (mut ok, mut errors) = (0, 0);
    for q in &qs {
        let mut session = Session::new(graph.clone());
        session.limits_mut().timeout = Some(Duration::from_secs(2));
        session.limits_mut().max_rows = Some(100_000);
        match catch_unwind(AssertUnwindSafe(|| session.run(q))) {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                assert!(!e.to_string().is_empty(), "empty error message for {q:?}");
                errors += 1;
            }
            Err(_) => panic!("panicked on query {q:?}"),
        }
    }
    println!("{} queries: {ok} ran, {errors} were errors", qs.len());
    assert!(ok > 50, "the generator should also produce valid queries");
}
