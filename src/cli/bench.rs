//! `rolegraph bench`: loads a graph and times a set of queries in one
//! process, writing the same JSON as the peer runners in
//! `shared/bench/peers` (`common.py`), so that their `report.py` can put
//! rolegraph in the same table and check that the answers agree.
//!
//! Load time and query times are measured separately. Each query gets
//! `--warmup` untimed runs, then `--runs` timed ones (fewer, at least 3, when
//! the warm-up shows they would take over a minute, as `common.py` does).
//! A timed run is `Session::run` on the query text: parse, plan, evaluate.
//! Results are converted to JSON outside the timed region; rows of queries
//! that are not `ordered` are sorted (the peer script re-sorts them exactly
//! as Python's `common.normalise` does).

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Deserialize;
use serde_json::{Map as JsonMap, Value as Json, json};

use super::Exit;
use crate::load;
use crate::plan::{self, Params};
use crate::render::value_json;
use crate::session::Session;
use crate::store::Graph;
use crate::syntax;

/// Options of the `bench` subcommand.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub data: Option<PathBuf>,
    pub queries: PathBuf,
    pub runs: usize,
    pub warmup: usize,
    pub out: Option<PathBuf>,
    pub n: Option<u64>,
    pub ordered: Vec<String>,
    pub engine: String,
    pub budget_s: f64,
    /// Each run of a query is stopped after this long (the global
    /// `--timeout`); the query is then reported with an error, the others
    /// still run.
    pub timeout: Option<std::time::Duration>,
    /// `--threads`: the threads each statement may use.
    pub threads: Option<usize>,
}

/// One query of the queries file.
#[derive(Debug, Clone, Deserialize)]
pub struct BenchQuery {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(alias = "cypher")]
    pub text: String,
    #[serde(default)]
    pub ordered: bool,
}

/// The queries file: a JSON list of `{id, title, text, ordered}` (`cypher`
/// is accepted for `text`), or an object with such a list under `queries`.
/// Why the queries file was not read.
#[derive(Debug, thiserror::Error)]
pub enum QueriesError {
    #[error("cannot read '{}': {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    /// Not JSON, or not a list of queries.
    #[error("'{}' is not a queries file: {source}", path.display())]
    NotQueries { path: PathBuf, source: serde_json::Error },
}

pub fn read_queries(path: &Path) -> Result<Vec<BenchQuery>, QueriesError> {
    let text = std::fs::read_to_string(path).map_err(|source| QueriesError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum File {
        List(Vec<BenchQuery>),
        Object { queries: Vec<BenchQuery> },
    }
    match serde_json::from_str::<File>(&text) {
        Ok(File::List(q)) | Ok(File::Object { queries: q }) => Ok(q),
        Err(source) => Err(QueriesError::NotQueries {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Peak and current resident set size of this process in MiB (VmHWM,
/// VmRSS); zeros where /proc is missing.
pub fn mem_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(0.0, |kib| kib / 1024.0)
    };
    (field("VmHWM"), field("VmRSS"))
}

/// Clock ticks per second of /proc's CPU counters (USER_HZ, 100 on Linux).
const CLK_TCK: f64 = 100.0;

/// CPU seconds (user + system, all threads) this process has used.
fn own_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / CLK_TCK)
}

/// CPU seconds the whole machine spent busy (all cores, less idle and iowait).
fn machine_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let v: Vec<f64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .take(8)
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    if v.len() < 8 {
        return None;
    }
    Some((v.iter().sum::<f64>() - v[3] - v[4]) / CLK_TCK)
}

fn round(x: f64, digits: i32) -> f64 {
    let p = 10f64.powi(digits);
    (x * p).round() / p
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// How many timed runs after a warm-up of `warm_s` seconds: `runs`, or
/// fewer (at least 3) when they would take over `budget_s` (as common.py).
fn runs_for(runs: usize, warm_s: f64, budget_s: f64) -> usize {
    if warm_s * runs as f64 <= budget_s {
        runs
    } else {
        runs.min(3.max((budget_s / warm_s) as usize))
    }
}

/// The number of roles: `--n`, else `n` from the data directory's
/// meta.json, else the number of :Role nodes.
fn scale(opts: &BenchOptions, graph: &Graph) -> u64 {
    if let Some(n) = opts.n {
        return n;
    }
    let meta = opts
        .data
        .as_ref()
        .and_then(|d| std::fs::read_to_string(d.join("meta.json")).ok());
    meta.and_then(|m| serde_json::from_str::<Json>(&m).ok()?.get("n")?.as_u64())
        .unwrap_or(graph.nodes_with_label("Role").len() as u64)
}

/// Times one query; the result rows (as JSON) and the timings in ms.
fn time_query(session: &mut Session, q: &BenchQuery, opts: &BenchOptions) -> Result<Json, crate::Error> {
    let mut warm_s = 0.0f64;
    let mut first_ms = None;
    let mut rows = None;
    for _ in 0..opts.warmup.max(1) {
        let t = Instant::now();
        let r = session.run(&q.text)?;
        warm_s = t.elapsed().as_secs_f64();
        first_ms.get_or_insert(warm_s * 1000.0);
        rows = Some(r);
    }
    let rows = rows.unwrap_or_default();
    let runs = runs_for(opts.runs, warm_s, opts.budget_s);
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let r = session.run(&q.text)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        drop(std::hint::black_box(r));
    }
    // Parse and plan alone (no evaluation), same number of runs.
    let mut prepare = Vec::with_capacity(runs);
    let params = Params::new();
    for _ in 0..runs {
        let t = Instant::now();
        let script = syntax::parse_script(&q.text)?;
        for stmt in &script.statements {
            let p = plan::plan_statement(stmt, session.graph(), &params, &q.text)?;
            std::hint::black_box(p);
        }
        prepare.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let graph = session.graph();
    let mut result: Vec<Json> = rows
        .rows
        .iter()
        .map(|r| Json::Array(r.iter().map(|v| normalise(value_json(v, graph))).collect()))
        .collect();
    if !(q.ordered || opts.ordered.iter().any(|o| o == &q.id)) {
        result.sort_by_cached_key(|r| r.to_string());
    }
    let mut out = JsonMap::new();
    out.insert("median_ms".into(), json!(round(median(&times), 3)));
    out.insert(
        "min_ms".into(),
        json!(round(times.iter().copied().fold(f64::INFINITY, f64::min), 3)),
    );
    out.insert("runs".into(), json!(times.len()));
    // The first (untimed) run alone: what a query pays for work done once,
    // such as an implicit index built when scans have cost as much.
    out.insert("first_ms".into(), json!(round(first_ms.unwrap_or(0.0), 3)));
    out.insert("result".into(), Json::Array(result));
    out.insert("prepare_median_ms".into(), json!(round(median(&prepare), 4)));
    out.insert("columns".into(), json!(rows.columns));
    Ok(Json::Object(out))
}

/// A value as common.normalise leaves it: floats that are integers become
/// integers; nodes, relationships, lists and maps become their JSON text.
fn normalise(v: Json) -> Json {
    match v {
        Json::Number(n) => match n.as_f64() {
            Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 9.0e15 => json!(f as i64),
            _ => Json::Number(n),
        },
        Json::Array(_) | Json::Object(_) => Json::String(v.to_string()),
        other => other,
    }
}

/// Runs the benchmark and writes the JSON (to `--out`, else standard output).
pub fn run(opts: &BenchOptions) -> Exit {
    let queries = match read_queries(&opts.queries) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    };
    if opts.runs == 0 {
        eprintln!("error: --runs needs at least 1");
        return Exit::Usage;
    }
    let base = mem_mb().1;
    let start = (Instant::now(), machine_cpu_s(), own_cpu_s());
    let t = Instant::now();
    let graph = match &opts.data {
        Some(dir) => load::load_dir(dir),
        None => load::builtin(),
    };
    let load_s = t.elapsed().as_secs_f64();
    let graph = match graph {
        Ok(g) => g,
        Err(errors) => {
            eprint!("{}", errors.render());
            return Exit::DataError;
        }
    };
    let rss_after_load = mem_mb().1;
    let n = scale(opts, &graph);
    let (nodes, rels) = (graph.node_count(), graph.rel_count());
    let version = env!("CARGO_PKG_VERSION");
    eprintln!(
        "{} {version} N={n}: loaded {}, {} in {:.3} s",
        opts.engine,
        crate::save::counted(nodes, "node", "nodes"),
        crate::save::counted(rels, "relationship", "relationships"),
        round(load_s, 3)
    );
    let mut session = Session::new(graph);
    session.limits_mut().timeout = opts.timeout;
    session.limits_mut().threads = opts.threads;
    let mut results = JsonMap::new();
    for q in &queries {
        let r = match time_query(&mut session, q, opts) {
            Ok(r) => r,
            Err(e) => json!({ "error": e.to_string().split_whitespace().collect::<Vec<_>>().join(" ") }),
        };
        let shown = match (&r["error"], &r["median_ms"]) {
            (Json::String(e), _) => e.clone(),
            (_, m) => {
                let text = r["result"].to_string();
                let cut: String = text.chars().take(80).collect();
                format!("median {m} ms  first {} ms  result {cut}", r["first_ms"])
            }
        };
        eprintln!("  {} {:34} {shown}", q.id, q.title);
        results.insert(q.id.clone(), r);
    }
    let (peak, _) = mem_mb();
    let wall = start.0.elapsed().as_secs_f64();
    let mut info = JsonMap::new();
    info.insert("rss_before_load_mb".into(), json!(round(base, 1)));
    if let (Some(m0), Some(o0), Some(m1), Some(o1)) = (start.1, start.2, machine_cpu_s(), own_cpu_s()) {
        let other = ((m1 - m0) - (o1 - o0)).max(0.0) / wall.max(1e-9);
        info.insert("other_cpu_cores".into(), json!(round(other, 2)));
    }
    info.insert("nodes".into(), json!(nodes));
    info.insert("relationships".into(), json!(rels));
    if rels > 0 {
        let bytes = (rss_after_load - base).max(0.0) * 1024.0 * 1024.0 / rels as f64;
        info.insert("bytes_per_relationship".into(), json!(round(bytes, 1)));
    }
    info.insert(
        "store_structure_mb".into(),
        json!(round(session.graph().structure_bytes() as f64 / (1024.0 * 1024.0), 1)),
    );
    info.insert("runs".into(), json!(opts.runs));
    info.insert("warmup".into(), json!(opts.warmup.max(1)));
    info.insert(
        "profile".into(),
        json!(if cfg!(debug_assertions) { "debug" } else { "release" }),
    );
    let out = json!({
        "engine": opts.engine,
        "version": version,
        "n": n,
        "load_s": round(load_s, 3),
        "peak_rss_mb": round(peak, 1),
        "rss_after_load_mb": round(rss_after_load, 1),
        "info": Json::Object(info),
        "queries": Json::Object(results),
    });
    let text = serde_json::to_string_pretty(&out).unwrap_or_default() + "\n";
    match &opts.out {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                let _ = std::fs::create_dir_all(dir);
            }
            if let Err(e) = crate::output::write_file(path, text.as_bytes()) {
                eprintln!("error: {e}");
                return Exit::OutputError;
            }
            eprintln!("  peak RSS {} MiB; wrote {}", round(peak, 1), path.display());
        }
        None => {
            if let Err(e) = crate::output::stdout(text.as_bytes()) {
                return Exit::from_output(&e);
            }
        }
    }
    Exit::Ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewer_runs_for_slow_queries() {
        assert_eq!(runs_for(10, 0.001, 60.0), 10);
        assert_eq!(runs_for(10, 10.0, 60.0), 6);
        assert_eq!(runs_for(10, 100.0, 60.0), 3);
    }

    #[test]
    fn median_of_even_and_odd() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn integral_floats_become_ints() {
        assert_eq!(normalise(json!(2.0)), json!(2));
        assert_eq!(normalise(json!(2.5)), json!(2.5));
        assert_eq!(normalise(json!("x")), json!("x"));
    }

    #[test]
    fn bench_on_builtin_graph() {
        let dir = tempfile::tempdir().unwrap();
        let qf = dir.path().join("q.json");
        std::fs::write(
            &qf,
            r#"[{"id":"Q1","title":"count","text":"MATCH (r:Role) RETURN count(r) AS n"},
                {"id":"Q2","text":"MATCH (r:Role) RETURN r.name ORDER BY r.name","ordered":true},
                {"id":"Q3","text":"RETURN nosuchfunction(1)"}]"#,
        )
        .unwrap();
        let out = dir.path().join("out").join("r.json");
        let opts = BenchOptions {
            threads: None,
            data: None,
            queries: qf,
            runs: 2,
            warmup: 1,
            out: Some(out.clone()),
            n: Some(7),
            ordered: vec![],
            engine: "rolegraph".into(),
            budget_s: 60.0,
            timeout: None,
        };
        assert_eq!(run(&opts), Exit::Ok);
        let j: Json = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
        assert_eq!(j["n"], 7);
        assert_eq!(j["queries"]["Q1"]["runs"], 2);
        assert!(j["queries"]["Q1"]["result"][0][0].as_i64().unwrap() >= 8);
        assert!(j["queries"]["Q3"]["error"].is_string());
        assert!(j["info"]["rss_before_load_mb"].is_number());
    }

    #[test]
    fn a_query_past_the_timeout_is_an_error_and_the_rest_still_run() {
        let dir = tempfile::tempdir().unwrap();
        let qf = dir.path().join("q.json");
        // 10^15 rows: no machine finishes it, so the outcome is the timeout
        // whatever the speed.
        std::fs::write(
            &qf,
            r#"[{"id":"Q1","text":"UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b UNWIND range(1, 100000) AS c WITH a, b, c WHERE a + b + c < 0 RETURN count(*)"},
                {"id":"Q2","text":"MATCH (r:Role) RETURN count(r) AS n"}]"#,
        )
        .unwrap();
        let out = dir.path().join("r.json");
        let opts = BenchOptions {
            threads: None,
            data: None,
            queries: qf,
            runs: 1,
            warmup: 1,
            out: Some(out.clone()),
            n: Some(1),
            ordered: vec![],
            engine: "rolegraph".into(),
            budget_s: 60.0,
            timeout: Some(std::time::Duration::from_millis(300)),
        };
        assert_eq!(run(&opts), Exit::Ok);
        let j: Json = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
        let err = j["queries"]["Q1"]["error"].as_str().unwrap();
        assert!(err.contains("time limit"), "{err}");
        assert!(j["queries"]["Q2"]["result"][0][0].as_i64().unwrap() >= 8);
    }
}
