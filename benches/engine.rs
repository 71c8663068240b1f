//! In-tree benchmarks (divan): parsing, planning, the peer benchmark's
//! queries Q1-Q8 and CSV loading, on a synthetic organisation generated in
//! process with the shape of `shared/bench/peers/gen_org.py` (a reporting
//! tree about 11 levels deep under `ceo`, `r1`..`r10` a path down from it,
//! about 19 relationships per role), written to a temporary directory as the
//! generator's CSVs and loaded with `load::load_dir`.
//!
//!     cargo bench --bench engine                 # everything
//!     cargo bench --bench engine -- query        # only Q1-Q8
//!     BENCH_ROLES=20000 cargo bench --bench engine
//!
//! The numbers are for spotting regressions between commits on one machine;
//! the peer comparison is `benches/peers/run_rolegraph.sh` (docs/PERFORMANCE.md).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::{Bencher, black_box};
use rolegraph::plan::{Params, plan_statement};
use rolegraph::syntax::parse_script;
use rolegraph::{Graph, Session};

fn main() {
    divan::main();
}

/// The peer benchmark's queries (shared/bench/peers/queries.py, rendered).
const QUERIES: [(&str, &str); 8] = [
    ("Q1", r#"MATCH (r:Role {id: "r1234"}) RETURN r.name"#),
    (
        "Q2",
        r#"MATCH (r:Role {id: "r2"})-[:REQUIRES]->(s:Skill) RETURN s.name ORDER BY s.name"#,
    ),
    (
        "Q3",
        r#"MATCH (a:Role {id: "r4"})-[:RESPONSIBLE_FOR]->(x:Responsibility)<-[:RESPONSIBLE_FOR]-(b:Role {id: "r5"}) RETURN x.name ORDER BY x.name"#,
    ),
    (
        "Q4",
        r#"MATCH p = (r:Role {id: "r10"})-[:REPORTS_TO*]->(top:Role {id: "ceo"}) RETURN length(p)"#,
    ),
    (
        "Q5",
        r#"MATCH (r:Role)-[:REQUIRES]->(s:Skill) RETURN s.name, COUNT(r) AS roles ORDER BY roles DESC, s.name LIMIT 10"#,
    ),
    (
        "Q6",
        r#"MATCH (a:Role {id: "r2"})-[:REQUIRES]->(:Skill)<-[:REQUIRES]-(b:Role) WHERE b.id <> "r2" RETURN COUNT(DISTINCT b)"#,
    ),
    (
        "Q7",
        r#"MATCH (m:Role {id: "r3"})<-[:REPORTS_TO*]-(x:Role) RETURN COUNT(x)"#,
    ),
    (
        "Q8",
        r#"MATCH (r:Role) WHERE r.name CONTAINS "Security" RETURN COUNT(r)"#,
    ),
];

const IDS: [&str; 8] = ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8"];

fn query(id: &str) -> &'static str {
    QUERIES.iter().find(|(q, _)| *q == id).map(|(_, t)| *t).unwrap()
}

/// The generated org: its CSV directory (kept for the load benchmark) and the
/// loaded graph.
struct Fixture {
    _dir: tempfile::TempDir,
    csv: PathBuf,
    graph: Graph,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let roles = std::env::var("BENCH_ROLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000usize)
        .max(2_000);
    let dir = tempfile::tempdir().expect("temporary directory");
    let csv = dir.path().join(roles.to_string());
    generate(roles, 42, &csv).expect("write the generated org");
    let graph = rolegraph::load::load_dir(&csv).unwrap_or_else(|e| panic!("load: {}", e.render()));
    Fixture { _dir: dir, csv, graph }
});

#[divan::bench(args = IDS)]
fn parse(id: &str) {
    let text = query(id);
    black_box(parse_script(black_box(text)).unwrap());
}

#[divan::bench(args = IDS)]
fn plan(bencher: Bencher, id: &str) {
    let text = query(id);
    let script = parse_script(text).unwrap();
    let stmt = &script.statements[0];
    let graph = &FIXTURE.graph;
    let params = Params::new();
    bencher.bench(|| black_box(plan_statement(black_box(stmt), graph, &params, text).unwrap()));
}

/// Parse, plan and evaluate, as the peer benchmark times a query.
#[divan::bench(args = IDS)]
fn run(bencher: Bencher, id: &str) {
    let text = query(id);
    let mut session = Session::new(FIXTURE.graph.clone());
    assert!(!session.run(text).unwrap().rows.is_empty(), "{id} returned no rows");
    bencher.bench_local(|| black_box(session.run(black_box(text)).unwrap()));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn load_csv(bencher: Bencher) {
    let dir: &Path = &FIXTURE.csv;
    bencher.bench(|| black_box(rolegraph::load::load_dir(dir).unwrap()));
}

// ---- the generator: gen_org.py's shape (not its exact output) ----

/// SplitMix64: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi].
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.range(0, xs.len() - 1)]
    }
}

const TITLES: [&str; 11] = [
    "Chief",
    "SVP",
    "VP",
    "Director",
    "Senior Manager",
    "Manager",
    "Lead",
    "Principal",
    "Staff",
    "Senior",
    "Associate",
];
const AREAS: [&str; 24] = [
    "Technology",
    "Information",
    "Product",
    "Data",
    "Security",
    "Cloud",
    "Platform",
    "Finance",
    "Operations",
    "Marketing",
    "Sales",
    "People",
    "Legal",
    "Research",
    "Design",
    "Strategy",
    "Risk",
    "Innovation",
    "Infrastructure",
    "Customer",
    "Supply Chain",
    "Analytics",
    "Quality",
    "Compliance",
];
const NOUNS: [&str; 10] = [
    "governance",
    "roadmap",
    "budget",
    "architecture",
    "delivery",
    "hiring",
    "vendors",
    "reporting",
    "standards",
    "partnerships",
];
const FOCI: [&str; 10] = [
    "internal",
    "external",
    "bottom-line",
    "top-line",
    "technology",
    "business",
    "short-term",
    "long-term",
    "efficiency",
    "growth",
];
const DEPTH_TARGET: usize = 11;

/// parent[] and depth[] of a reporting tree of n roles (0 is the CEO).
fn build_tree(n: usize, rng: &mut Rng) -> (Vec<usize>, Vec<usize>) {
    let (mut parent, mut depth, mut frontier) = (vec![usize::MAX], vec![0usize], vec![0usize]);
    while parent.len() < n {
        let levels_left = DEPTH_TARGET.saturating_sub(depth[frontier[0]]).max(1);
        let growth = ((n - parent.len()) as f64 / frontier.len() as f64).powf(1.0 / levels_left as f64);
        let p_manager = (growth / 6.5).min(1.0);
        let mut managers: Vec<usize> = frontier.iter().copied().filter(|_| rng.f64() < p_manager).collect();
        if managers.is_empty() {
            managers.push(*rng.pick(&frontier));
        }
        let mut next = Vec::new();
        'managers: for m in managers {
            for _ in 0..rng.range(3, 10) {
                if parent.len() == n {
                    break 'managers;
                }
                parent.push(m);
                depth.push(depth[m] + 1);
                next.push(parent.len() - 1);
            }
        }
        frontier = next;
    }
    (parent, depth)
}

fn distinct(k: usize, mut draw: impl FnMut() -> usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(k);
    while out.len() < k {
        let x = draw();
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// Writes `<Label>.csv` (id,name) and `<TYPE>.csv` (from_id,to_id) for n roles.
fn generate(n: usize, seed: u64, out: &Path) -> std::io::Result<()> {
    let mut rng = Rng(seed);
    let (parent, depth) = build_tree(n, &mut rng);
    // ids: the path to the deepest role first (r1..rD), then the others in order
    let deepest = (0..n).max_by_key(|&i| (depth[i], std::cmp::Reverse(i))).unwrap();
    let mut spine = Vec::new();
    let mut node = deepest;
    while node > 0 {
        spine.push(node);
        node = parent[node];
    }
    spine.reverse();
    assert!(spine.len() >= 10, "tree only {} deep", spine.len());
    let mut rid = vec![String::from("ceo"); n];
    let mut on_spine = vec![false; n];
    for &s in &spine {
        on_spine[s] = true;
    }
    let order = spine.iter().copied().chain((1..n).filter(|&i| !on_spine[i]));
    for (k, i) in order.enumerate() {
        rid[i] = format!("r{}", k + 1);
    }

    let (n_resp, n_skill, n_team) = ((n / 10).max(20), (n / 20).max(50), (n / 50).max(10));
    std::fs::create_dir_all(out)?;
    let write = |name: &str, header: &str, body: String| {
        std::fs::write(out.join(format!("{name}.csv")), format!("{header}\n{body}"))
    };
    let mut s = String::new();
    for i in 0..n {
        let name = if i == 0 {
            "Chief Executive Officer".to_string()
        } else {
            format!("{} {} {}", TITLES[depth[i].min(11) - 1], rng.pick(&AREAS), &rid[i][1..])
        };
        writeln!(s, "{},{name}", rid[i]).unwrap();
    }
    write("Role", "id,name", std::mem::take(&mut s))?;
    for k in 1..=n_resp {
        writeln!(s, "resp{k},{} {} {k}", rng.pick(&AREAS), rng.pick(&NOUNS)).unwrap();
    }
    write("Responsibility", "id,name", std::mem::take(&mut s))?;
    for k in 1..=n_skill {
        writeln!(s, "skill{k},{} skill {k}", rng.pick(&AREAS)).unwrap();
    }
    write("Skill", "id,name", std::mem::take(&mut s))?;
    for k in 1..=n_team {
        writeln!(s, "team{k},{} team {k}", rng.pick(&AREAS)).unwrap();
    }
    write("Team", "id,name", std::mem::take(&mut s))?;
    for (k, f) in FOCI.iter().enumerate() {
        writeln!(s, "focus{},{f}", k + 1).unwrap();
    }
    write("Focus", "id,name", std::mem::take(&mut s))?;

    // Zipf-like skill popularity: skill k has weight 1/k.
    let cum: Vec<f64> = (1..=n_skill)
        .scan(0.0, |acc, k| {
            *acc += 1.0 / k as f64;
            Some(*acc)
        })
        .collect();
    let total = cum[n_skill - 1];
    let types = [
        "RESPONSIBLE_FOR",
        "REQUIRES",
        "LEADS",
        "WORKS_WITH",
        "REPORTS_TO",
        "COLLABORATES_WITH",
        "FOCUSES_ON",
    ];
    let mut rels: Vec<String> = vec![String::new(); types.len()];
    let mut resp: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        // responsibilities: 2 delegated from the manager, the rest at random
        let mut own: Vec<usize> = if i > 0 {
            let p = &resp[parent[i]];
            let a = rng.range(0, p.len() - 1);
            let b = (a + rng.range(1, p.len() - 1)) % p.len();
            vec![p[a], p[b]]
        } else {
            Vec::new()
        };
        while own.len() < 5 {
            let x = rng.range(1, n_resp);
            if !own.contains(&x) {
                own.push(x);
            }
        }
        let teams = distinct(3, || rng.range(1, n_team));
        let skills = distinct(6, || {
            let u = rng.f64() * total;
            cum.partition_point(|&c| c < u) + 1
        });
        let collaborators = distinct(2, || (i + 1 + rng.range(0, n - 2)) % n);
        let foci = distinct(2, || rng.range(1, 10));
        let r = &rid[i];
        for x in &own {
            writeln!(rels[0], "{r},resp{x}").unwrap();
        }
        for x in &skills {
            writeln!(rels[1], "{r},skill{x}").unwrap();
        }
        writeln!(rels[2], "{r},team{}", teams[0]).unwrap();
        for x in &teams[1..] {
            writeln!(rels[3], "{r},team{x}").unwrap();
        }
        if i > 0 {
            writeln!(rels[4], "{r},{}", rid[parent[i]]).unwrap();
        }
        for &x in &collaborators {
            writeln!(rels[5], "{r},{}", rid[x]).unwrap();
        }
        for x in &foci {
            writeln!(rels[6], "{r},focus{x}").unwrap();
        }
        resp[i] = own;
    }
    for (t, body) in types.iter().zip(rels) {
        write(t, "from_id,to_id", body)?;
    }
    Ok(())
}
