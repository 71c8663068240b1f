//! Runs the openCypher TCK feature files against rolegraph and reports per
//! file passed / failed / skipped, the skips grouped by reason, and a last
//! line `N passed, N failed, N skipped`. Any failure fails the test.
//!
//! Features: `$ROLEGRAPH_TCK_DIR`, else `${ROLEGRAPH_SHARED:-../shared}/tck/features`
//! relative to the crate. `ROLEGRAPH_TCK_FILTER` runs only scenarios whose
//! file or name contains it; `ROLEGRAPH_TCK_VERBOSE=1` prints every failure
//! in full. Skips come only from the rules in `tests/tck-skips.toml`. Named
//! graphs (`Given the NAME graph`) come from `tests/tck/graphs/`.

mod gherkin;
mod skips;
mod values;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rolegraph::error::{Phase, QueryError};
use rolegraph::{Error, Graph, Rows, Session};

use values::Expected;

enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

fn main() {
    gherkin::self_check();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = match std::env::var_os("ROLEGRAPH_TCK_DIR") {
        Some(d) => PathBuf::from(d),
        None => {
            let shared = std::env::var_os("ROLEGRAPH_SHARED")
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("../shared"));
            shared.join("tck/features")
        }
    };
    if !dir.is_dir() {
        println!(
            "skipped: the TCK was not found at {} (set ROLEGRAPH_TCK_DIR or ROLEGRAPH_SHARED)",
            dir.display()
        );
        return;
    }
    let rules = match skips::Rules::load(&root.join("tests/tck-skips.toml")) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tests/tck-skips.toml: {e}");
            std::process::exit(1);
        }
    };
    let filter = std::env::var("ROLEGRAPH_TCK_FILTER").ok();
    let verbose = std::env::var_os("ROLEGRAPH_TCK_VERBOSE").is_some();
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();

    let (mut passed, mut failed, mut skipped) = (0usize, 0usize, 0usize);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&dir).unwrap_or(file).display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{rel}: cannot read: {e}"));
                failed += 1;
                continue;
            }
        };
        let feature = match gherkin::parse(&text) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{rel}: cannot parse: {e}"));
                failed += 1;
                continue;
            }
        };
        let (mut p, mut f, mut s) = (0, 0, 0);
        for sc in &feature.scenarios {
            if let Some(flt) = &filter
                && !rel.contains(flt.as_str())
                && !sc.name.contains(flt.as_str())
            {
                continue;
            }
            let outcome = match rules.skip_reason(&rel, sc) {
                Some(reason) => Outcome::Skipped(reason),
                None => run_scenario(&dir, sc),
            };
            match outcome {
                Outcome::Passed => p += 1,
                Outcome::Failed(why) => {
                    f += 1;
                    let ex = sc.example.map(|e| format!(" (example {})", e + 1)).unwrap_or_default();
                    failures.push(format!(
                        "{rel}:{} {}{ex}\n    {}",
                        sc.line,
                        sc.name,
                        why.replace('\n', "\n    ")
                    ));
                }
                Outcome::Skipped(reason) => {
                    s += 1;
                    *reasons.entry(reason).or_default() += 1;
                }
            }
        }
        if p + f + s > 0 {
            println!("{rel}: {p} passed, {f} failed, {s} skipped");
        }
        passed += p;
        failed += f;
        skipped += s;
    }
    if !reasons.is_empty() {
        println!("\nskipped, by the feature they need:");
        for (r, n) in &reasons {
            println!("  {n:4}  {r}");
        }
    }
    if !failures.is_empty() {
        println!("\nfailures:");
        for f in failures.iter().take(if verbose { usize::MAX } else { 60 }) {
            println!("  {f}");
        }
        if !verbose && failures.len() > 60 {
            println!("  ... {} more (ROLEGRAPH_TCK_VERBOSE=1 shows all)", failures.len() - 60);
        }
    }
    println!("\n{} scenarios in {} files", passed + failed + skipped, files.len());
    println!("{passed} passed, {failed} failed, {skipped} skipped");
    if failed > 0 {
        std::process::exit(1);
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "feature") {
            out.push(p);
        }
    }
}

/// What the graph holds, measured as the TCK measures side effects: the
/// nodes and relationships by identity, the label names in use, and every
/// (element, key, value) property triple. A side effect is the size of a set
/// difference between the state before and after the query, so a property
/// set to a new value counts once removed and once added, and a label counts
/// when it comes into use or goes out of use, not per node.
#[derive(Debug, Clone, PartialEq, Default)]
struct Snapshot {
    nodes: HashSet<usize>,
    rels: HashSet<usize>,
    labels: HashSet<String>,
    props: HashSet<(bool, usize, String, String)>,
}

/// The side effects between two snapshots, in the TCK's terms.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Counts {
    nodes_added: i64,
    nodes_deleted: i64,
    rels_added: i64,
    rels_deleted: i64,
    labels_added: i64,
    labels_deleted: i64,
    props_added: i64,
    props_deleted: i64,
}

fn snapshot(g: &Graph) -> Snapshot {
    let mut s = Snapshot::default();
    for n in g.nodes() {
        s.nodes.insert(n.index());
        let node = g.node(n);
        for l in node.labels() {
            s.labels.insert(l.to_string());
        }
        for (k, v) in node.props().iter() {
            s.props.insert((true, n.index(), k.to_string(), format!("{v:?}")));
        }
    }
    for r in g.rels() {
        s.rels.insert(r.index());
        for (k, v) in g.rel(r).props().iter() {
            s.props.insert((false, r.index(), k.to_string(), format!("{v:?}")));
        }
    }
    s
}

fn diff(before: &Snapshot, after: &Snapshot) -> Counts {
    fn d<T: std::hash::Hash + Eq>(a: &HashSet<T>, b: &HashSet<T>) -> i64 {
        a.difference(b).count() as i64
    }
    Counts {
        nodes_added: d(&after.nodes, &before.nodes),
        nodes_deleted: d(&before.nodes, &after.nodes),
        rels_added: d(&after.rels, &before.rels),
        rels_deleted: d(&before.rels, &after.rels),
        labels_added: d(&after.labels, &before.labels),
        labels_deleted: d(&before.labels, &after.labels),
        props_added: d(&after.props, &before.props),
        props_deleted: d(&before.props, &after.props),
    }
}

struct State {
    /// The features directory, for the upstream layout of named graphs.
    dir: PathBuf,
    session: Session,
    result: Option<Result<Rows, QueryError>>,
    before: Snapshot,
    after: Snapshot,
}

fn run_scenario(dir: &Path, sc: &gherkin::Scenario) -> Outcome {
    let mut st = State {
        dir: dir.to_path_buf(),
        session: Session::new(Graph::new("tck")),
        result: None,
        before: Snapshot::default(),
        after: Snapshot::default(),
    };
    for step in &sc.steps {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_step(&mut st, step)));
        match r {
            Ok(Ok(())) => {}
            Ok(Err(why)) => {
                return Outcome::Failed(format!("line {}: {} {}: {why}", step.line, step.keyword, step.text));
            }
            Err(_) => return Outcome::Failed(format!("line {}: PANIC in {}", step.line, step.text)),
        }
    }
    Outcome::Passed
}

fn run_step(st: &mut State, step: &gherkin::Step) -> Result<(), String> {
    let text = step.text.as_str();
    let doc = step.doc.as_deref().unwrap_or("");
    match text {
        "an empty graph" | "any graph" => {
            st.session = Session::new(Graph::new("tck"));
            Ok(())
        }
        _ if text.starts_with("the ") && text.ends_with(" graph") => {
            let name = &text["the ".len()..text.len() - " graph".len()];
            let script = named_graph(&st.dir, name)?;
            st.session = Session::new(Graph::new("tck"));
            st.session
                .run(&script)
                .map(|_| ())
                .map_err(|e| format!("loading the {name} graph failed: {e}"))
        }
        "having executed:" => match st.session.run(doc) {
            Ok(_) => Ok(()),
            Err(e) => Err(format!("setup query failed: {e}\n{doc}")),
        },
        "parameters are:" => {
            for row in &step.table {
                let [name, value] = row.as_slice() else {
                    return Err("parameter rows need two cells".into());
                };
                let v = values::parse(value).and_then(|e| values::to_value(&e))?;
                st.session.set_param(name.clone(), v);
            }
            Ok(())
        }
        "executing query:" => {
            st.before = snapshot(st.session.graph());
            st.result = Some(st.session.run(doc).map_err(|e| match e {
                Error::Query(q) => q,
                Error::Load(l) => panic!("load error in a query: {l}"),
            }));
            st.after = snapshot(st.session.graph());
            Ok(())
        }
        "executing control query:" => {
            st.result = Some(st.session.run(doc).map_err(|e| match e {
                Error::Query(q) => q,
                Error::Load(l) => panic!("load error in a query: {l}"),
            }));
            Ok(())
        }
        "the result should be empty" => {
            let rows = ok_rows(st)?;
            if rows.rows.is_empty() {
                Ok(())
            } else {
                Err(format!("expected no rows, got {}", show(rows, st.session.graph())))
            }
        }
        "no side effects" => {
            let got = diff(&st.before, &st.after);
            if got == Counts::default() {
                Ok(())
            } else {
                Err(format!("side effects: {got:?}"))
            }
        }
        "the side effects should be:" => {
            let mut want = Counts::default();
            for row in &step.table {
                let [k, n] = row.as_slice() else {
                    return Err("side-effect rows need two cells".into());
                };
                let n: i64 = n.parse().map_err(|_| format!("bad count {n}"))?;
                let slot = match k.as_str() {
                    "+nodes" => &mut want.nodes_added,
                    "-nodes" => &mut want.nodes_deleted,
                    "+relationships" => &mut want.rels_added,
                    "-relationships" => &mut want.rels_deleted,
                    "+labels" => &mut want.labels_added,
                    "-labels" => &mut want.labels_deleted,
                    "+properties" => &mut want.props_added,
                    "-properties" => &mut want.props_deleted,
                    other => return Err(format!("unknown side effect {other}")),
                };
                *slot += n;
            }
            let got = diff(&st.before, &st.after);
            if got == want {
                Ok(())
            } else {
                Err(format!("side effects {got:?}, expected {want:?}"))
            }
        }
        _ if text.starts_with("the result should be") => {
            let ordered = text.contains("in order");
            let unordered_lists = text.contains("ignoring element order for lists");
            compare(st, &step.table, ordered, unordered_lists)
        }
        _ if text.contains("should be raised at") => expect_error(st, text),
        _ => Err(format!("unknown step '{text}'")),
    }
}

/// The creating script of a named TCK graph: `graphs/NAME/NAME.cypher` beside
/// the features directory (upstream layout), else `tests/tck/graphs/NAME.cypher`.
fn named_graph(dir: &Path, name: &str) -> Result<String, String> {
    let upstream = dir.join("..").join("graphs").join(name).join(format!("{name}.cypher"));
    let ours = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tck/graphs")
        .join(format!("{name}.cypher"));
    for p in [upstream, ours] {
        if let Ok(t) = std::fs::read_to_string(&p) {
            return Ok(t);
        }
    }
    Err(format!("no named graph '{name}' (tests/tck/graphs/{name}.cypher)"))
}

fn ok_rows(st: &State) -> Result<&Rows, String> {
    match &st.result {
        Some(Ok(r)) => Ok(r),
        Some(Err(e)) => Err(format!("query failed: {} ({} {})", e, e.class().name(), e.code)),
        None => Err("no query was executed".into()),
    }
}

fn show(rows: &Rows, g: &Graph) -> String {
    let lines: Vec<String> = rows
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| rolegraph::render::value_text(v, g))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    format!("[{}]\n{}", rows.columns.join(" | "), lines.join("\n"))
}

fn compare(st: &State, table: &[Vec<String>], ordered: bool, unordered_lists: bool) -> Result<(), String> {
    let rows = ok_rows(st)?;
    let g = st.session.graph();
    let Some((header, expected)) = table.split_first() else {
        return Err("result table has no header".into());
    };
    if &rows.columns != header {
        return Err(format!("columns {:?}, expected {:?}", rows.columns, header));
    }
    let expected: Vec<Vec<Expected>> = expected
        .iter()
        .map(|r| r.iter().map(|c| values::parse(c)).collect::<Result<Vec<_>, _>>())
        .collect::<Result<_, _>>()?;
    let fail = || {
        Err(format!(
            "got {}\nexpected [{}]\n{}",
            show(rows, g),
            header.join(" | "),
            table[1..].iter().map(|r| r.join(" | ")).collect::<Vec<_>>().join("\n")
        ))
    };
    if rows.rows.len() != expected.len() {
        return fail();
    }
    let row_matches = |e: &[Expected], a: &[rolegraph::Value]| {
        e.len() == a.len() && e.iter().zip(a).all(|(x, y)| values::matches(x, y, g, unordered_lists))
    };
    if ordered {
        if expected.iter().zip(&rows.rows).all(|(e, a)| row_matches(e, a)) {
            Ok(())
        } else {
            fail()
        }
    } else {
        let mut used = vec![false; rows.rows.len()];
        for e in &expected {
            match (0..rows.rows.len()).find(|&j| !used[j] && row_matches(e, &rows.rows[j])) {
                Some(j) => used[j] = true,
                None => return fail(),
            }
        }
        Ok(())
    }
}

fn expect_error(st: &State, text: &str) -> Result<(), String> {
    // "a SyntaxError should be raised at compile time: UndefinedVariable"
    let words: Vec<&str> = text.split_whitespace().collect();
    let class = words.get(1).copied().unwrap_or("");
    let phase = if text.contains("at compile time") {
        Some(Phase::Compile)
    } else if text.contains("at runtime") {
        Some(Phase::Runtime)
    } else {
        None
    };
    let detail = text.rsplit(": ").next().unwrap_or("*");
    let e = match &st.result {
        Some(Err(e)) => e,
        Some(Ok(rows)) => {
            return Err(format!(
                "expected {class}: {detail}, but the query succeeded with {}",
                show(rows, st.session.graph())
            ));
        }
        None => return Err("no query was executed".into()),
    };
    if st.before != st.after {
        return Err(format!(
            "the failing query changed the graph: {:?}",
            diff(&st.before, &st.after)
        ));
    }
    if class != "Error" && e.class().name() != class {
        return Err(format!(
            "expected {class} ({detail}), got {} {} ({})",
            e.class().name(),
            e.code,
            e.message
        ));
    }
    if let Some(p) = phase
        && e.phase != p
    {
        return Err(format!(
            "expected {class} at {:?}, got it at {:?}: {} ({})",
            p, e.phase, e.code, e.message
        ));
    }
    if detail != "*" && e.code.name() != detail {
        return Err(format!("expected detail {detail}, got {} ({})", e.code, e.message));
    }
    Ok(())
}
