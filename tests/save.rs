//! Saving: a graph written with `save` (or `--save DIR`) loads back as the
//! same graph, every property type intact; a save that cannot be done
//! writes nothing; and a process killed at any moment while saving leaves
//! the directory holding the old graph or the new one, whole.

use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::time::Instant;

use assert_cmd::Command;
use rolegraph::load::load_dir;
use rolegraph::save::{render, save};
use rolegraph::value::Map;
use rolegraph::{Graph, Session, Value};

/// "saved N nodes and M relationships": the built-in graph's counts plus what
/// a test created, so the tests follow the knowledge base as it grows.
fn saved_counts(new_nodes: usize, new_rels: usize) -> String {
    let g = rolegraph::load::builtin().expect("the built-in graph loads");
    format!(
        "saved {} nodes and {} relationships",
        g.node_count() + new_nodes,
        g.rel_count() + new_rels
    )
}

fn rolegraph() -> Command {
    let mut c = Command::cargo_bin("rolegraph").expect("binary builds");
    c.env("NO_COLOR", "1").env_remove("RUST_BACKTRACE");
    c
}

/// The graph as saved text, under a fixed name (a loaded graph is named
/// after its directory).
fn canon(g: &Graph) -> String {
    let mut g = g.clone();
    g.set_name("g");
    let (files, _) = render(&g).expect("renders");
    files.into_iter().map(|f| f.text).collect::<Vec<_>>().join("\n")
}

/// Values equal in type and content; floats bit for bit (NaN too).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same_value(p, q)),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && same_value(v1, v2))
        }
        _ => false,
    }
}

/// Checks `loaded` against `original` element by element, independently of
/// the writer: same labels, same properties (a generated `id` aside), same
/// relationships between the same nodes.
fn assert_same_graph(original: &Graph, loaded: &Graph) {
    assert_eq!(original.node_count(), loaded.node_count(), "node count");
    assert_eq!(original.rel_count(), loaded.rel_count(), "relationship count");
    let pairs: Vec<_> = original.nodes().zip(loaded.nodes()).collect();
    for &(a, b) in &pairs {
        let (a, b) = (original.node(a), loaded.node(b));
        assert_eq!(a.labels().collect::<Vec<_>>(), b.labels().collect::<Vec<_>>());
        let generated = a.prop("id").is_none();
        for (k, v) in b.props().iter() {
            if &**k == "id" && generated {
                assert!(matches!(v, Value::String(_)), "a generated id is a string");
                continue;
            }
            let before = a.prop(k).unwrap_or_else(|| panic!("property {k} appeared"));
            assert!(same_value(before, v), "property {k}: {before:?} became {v:?}");
        }
        assert_eq!(
            a.props().len() + usize::from(generated),
            b.props().len(),
            "properties lost"
        );
    }
    let position = |g: &Graph, n| g.nodes().position(|m| m == n).unwrap();
    for (r1, r2) in original.rels().zip(loaded.rels()) {
        let (x, y) = (original.rel(r1), loaded.rel(r2));
        assert_eq!(x.rel_type(), y.rel_type());
        assert_eq!(position(original, x.start()), position(loaded, y.start()));
        assert_eq!(position(original, x.end()), position(loaded, y.end()));
        assert_eq!(x.props().len(), y.props().len());
        for (k, v) in x.props().iter() {
            assert!(
                same_value(v, y.prop(k).expect("property kept")),
                "relationship property {k}"
            );
        }
    }
}

fn props(pairs: Vec<(&str, Value)>) -> Map {
    pairs.into_iter().map(|(k, v)| (Arc::from(k), v)).collect()
}

/// Every kind of value a property can hold, with hostile text.
fn awkward_values() -> Vec<(&'static str, Value)> {
    vec![
        ("int_min", Value::Int(i64::MIN)),
        ("int_max", Value::Int(i64::MAX)),
        ("zero", Value::Int(0)),
        ("nan", Value::Float(f64::NAN)),
        ("inf", Value::Float(f64::INFINITY)),
        ("ninf", Value::Float(f64::NEG_INFINITY)),
        ("negzero", Value::Float(-0.0)),
        ("tiny", Value::Float(5e-324)),
        ("third", Value::Float(1.0 / 3.0)),
        ("whole", Value::Float(2.0)),
        ("yes", Value::Bool(true)),
        ("empty", Value::str("")),
        (
            "quotes",
            Value::str("it's \"quoted\" \\ back\\slash '''triple''' \"\"\""),
        ),
        ("lines", Value::str("line 1\nline 2\r\n\ttabbed")),
        (
            "controls",
            Value::str("nul\u{0} bell\u{7} esc\u{1b}[31m del\u{7f} sep\u{1f}"),
        ),
        (
            "unicode",
            Value::str("Ünïcödé — 漢字 🦀 \u{202e}rtl\u{202c} zero\u{200b}width"),
        ),
        (
            "markup",
            Value::str("<script>alert(1)</script> {a} [[node]] = # not a comment"),
        ),
        ("date_like", Value::str("1979-05-27T07:32:00Z")),
        ("number_like", Value::str("42")),
        ("empty_list", Value::list(vec![])),
        (
            "mixed",
            Value::list(vec![
                Value::Int(1),
                Value::str("two"),
                Value::Float(3.5),
                Value::Bool(false),
            ]),
        ),
        (
            "nested",
            Value::list(vec![Value::list(vec![Value::Int(1)]), Value::list(vec![])]),
        ),
        (
            "map",
            Value::map(props(vec![
                ("a b", Value::Int(1)),
                ("", Value::str("empty key")),
                (
                    "inner",
                    Value::map(props(vec![("x", Value::list(vec![Value::Float(f64::NAN)]))])),
                ),
            ])),
        ),
        ("key with spaces = and \"quotes\"", Value::Int(1)),
        ("ключ", Value::str("non-ASCII key")),
    ]
}

#[test]
fn the_builtin_graph_round_trips() {
    let original = rolegraph::load::builtin().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("kb");
    let saved = save(&original, &target).unwrap();
    assert_eq!(
        (saved.nodes, saved.rels, saved.generated_ids),
        (original.node_count(), original.rel_count(), 0)
    );
    let loaded = load_dir(&target).unwrap();
    assert_same_graph(&original, &loaded);
    assert_eq!(canon(&original), canon(&loaded));
}

#[test]
fn a_generated_graph_with_every_value_type_round_trips() {
    let mut g = Graph::new("generated");
    let mut ids = Vec::new();
    for i in 0..60 {
        let mut p = props(awkward_values());
        p.insert(Arc::from("n"), Value::Int(i));
        // Some nodes have ids, some only a name, some nothing at all.
        match i % 3 {
            0 => drop(p.insert(Arc::from("id"), Value::str(&format!("node {i} \"odd\" id")))),
            1 => drop(p.insert(
                Arc::from("name"),
                Value::str(if i % 2 == 0 { "Same Name" } else { "CTO" }),
            )),
            _ => {}
        }
        let labels: Vec<String> = match i % 4 {
            0 => vec![],
            1 => vec!["Role".into()],
            2 => vec!["Person".into(), "Ünïcode Label".into()],
            _ => vec!["with space".into()],
        };
        ids.push(g.add_node(&labels, p).unwrap());
    }
    for (i, w) in ids.windows(2).enumerate() {
        g.add_rel(w[0], w[1], "NEXT", props(vec![("i", Value::Int(i as i64))]))
            .unwrap();
        // Parallel relationships, self-loops, odd type names, awkward values.
        g.add_rel(w[0], w[1], "NEXT", props(awkward_values())).unwrap();
        g.add_rel(w[1], w[1], "LEADS", Map::new()).unwrap();
        g.add_rel(w[1], w[0], "type with \"quote\"", Map::new()).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let saved = save(&g, dir.path()).unwrap();
    assert_eq!(saved.generated_ids, 40);
    let loaded = load_dir(dir.path()).unwrap();
    assert_same_graph(&g, &loaded);
    // Saving what was loaded writes the same text: generated ids are stable.
    assert_eq!(canon(&g), canon(&loaded));
}

#[test]
fn created_nodes_save_through_the_binary_and_load_again() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("saved");
    let out = rolegraph()
        .args(["-e", "CREATE (:Role {name: 'Chief Data Officer', sources: ['tech-triumvirate']})-[:REPORTS_TO {since: 2024}]->(:Person {name: 'Ada', score: 1.5, tags: ['a', 'b']})"])
        .arg("--save")
        .arg(&target)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains(&saved_counts(2, 1)), "{stderr}");
    let out = rolegraph()
        .arg("--data")
        .arg(&target)
        .args(["--format", "csv", "-e"])
        .arg("MATCH (r:Role {id: 'chief-data-officer'})-[x:REPORTS_TO]->(p:Person) RETURN r.name, x.since, p.id, p.score, p.tags")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "r.name,x.since,p.id,p.score,p.tags\r\nChief Data Officer,2024,ada,1.5,\"[\"\"a\"\",\"\"b\"\"]\"\r\n"
    );
    // The CTO still resolves by its alias in the saved graph.
    rolegraph()
        .arg("--data")
        .arg(&target)
        .args(["-e", "DESCRIBE CTO"])
        .assert()
        .success();
}

#[test]
fn a_save_that_cannot_be_done_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("kb");
    save(&rolegraph::load::builtin().unwrap(), &target).unwrap();
    let before = std::fs::read_to_string(target.join("nodes.toml")).unwrap();

    let out = rolegraph()
        .args(["-e", "CREATE (:Thing {id: 7})", "--save"])
        .arg(&target)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("error: cannot save: node") && stderr.contains("INTEGER"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(target.join("nodes.toml")).unwrap(), before);

    // A failing statement: nothing is saved, and the query error's code stands.
    let out = rolegraph()
        .args(["-e", "CREATE (:Thing {id: 'x'}) RETURN nope", "--save"])
        .arg(&target)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("nothing was saved"), "{stderr}");
    assert_eq!(std::fs::read_to_string(target.join("nodes.toml")).unwrap(), before);

    // A file where the directory should be.
    let file = dir.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let out = rolegraph()
        .args(["-e", "RETURN 1", "--save"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists and is not a directory"));
}

#[test]
fn saving_twice_gives_the_same_files_and_marks_the_session_clean() {
    let mut s = Session::new(Graph::new("t"));
    s.run("CREATE (:A {name: 'x'}), (:A {name: 'x'}), (:B)").unwrap();
    assert!(s.is_dirty());
    let dir = tempfile::tempdir().unwrap();
    s.save(dir.path()).unwrap();
    assert!(!s.is_dirty());
    let first = std::fs::read_to_string(dir.path().join("nodes.toml")).unwrap();
    s.save(dir.path()).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("nodes.toml")).unwrap(), first);
    assert!(first.contains("id = \"x\"") && first.contains("id = \"x-2\"") && first.contains("id = \"b\""));
}

/// A graph large enough that saving it takes a while.
fn big_graph(nodes: usize) -> Graph {
    let mut g = Graph::new("big");
    let mut ids = Vec::with_capacity(nodes);
    for i in 0..nodes {
        let p = props(vec![
            ("id", Value::str(&format!("n-{i}"))),
            (
                "name",
                Value::str(&format!("Node {i} with a longer name to make the files bigger")),
            ),
            ("weight", Value::Float(i as f64 / 7.0)),
            ("tags", Value::list(vec![Value::str("x"), Value::Int(i as i64)])),
        ]);
        ids.push(g.add_node(&["Item"], p).unwrap());
    }
    for i in 0..nodes {
        let p = props(vec![("k", Value::Int(i as i64))]);
        g.add_rel(ids[i], ids[(i * 7 + 1) % nodes], "LINKS", p.clone()).unwrap();
        g.add_rel(ids[i], ids[(i + 1) % nodes], "NEXT", p).unwrap();
    }
    g
}

/// Deterministic pseudo-random numbers (no dependency needed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The data files of `dir`, in name order: what a load would read.
fn data_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A save into `target` is under way (or was killed): its fresh directory exists.
fn saving(parent: &Path) -> bool {
    std::fs::read_dir(parent)
        .unwrap()
        .any(|e| e.unwrap().file_name().to_string_lossy().starts_with(".target."))
}

/// Puts the old files back without going through `save`.
fn reset(from: &Path, to: &Path) {
    for e in std::fs::read_dir(to.parent().unwrap()).unwrap() {
        let e = e.unwrap();
        if e.file_name().to_string_lossy().starts_with(".target.") {
            std::fs::remove_dir_all(e.path()).unwrap();
        }
    }
    if to.exists() {
        std::fs::remove_dir_all(to).unwrap();
    }
    std::fs::create_dir(to).unwrap();
    for (name, bytes) in data_bytes(from) {
        std::fs::write(to.join(name), bytes).unwrap();
    }
}

#[test]
fn killed_while_saving_leaves_the_old_graph_or_the_new_one() {
    let work = tempfile::tempdir().unwrap();
    let source = work.path().join("source");
    let target = work.path().join("target");
    let old_graph = big_graph(1500);
    save(&old_graph, &source).unwrap();
    let old = data_bytes(&source);
    let create = "CREATE (:Item {id: 'added', name: 'Added by the test'})";
    let run = || {
        Process::new(assert_cmd::cargo::cargo_bin("rolegraph"))
            .arg("--data")
            .arg(&source)
            .args(["-e", create, "--save"])
            .arg(&target)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts")
    };
    // One run to the end: the new graph, and how long a run takes.
    reset(&source, &target);
    let started = Instant::now();
    assert!(run().wait().unwrap().success());
    let full = started.elapsed();
    let new = data_bytes(&target);
    assert_ne!(old, new);
    let new_graph = load_dir(&target).unwrap();
    assert_eq!(new_graph.node_count(), old_graph.node_count() + 1);

    let mut rng = Lcg(0x5eed ^ std::process::id() as u64);
    let (mut saw_old, mut saw_new, mut mid_save) = (0, 0, 0);
    let rounds = 30;
    for round in 0..rounds {
        reset(&source, &target);
        let mut child = run();
        if round % 2 == 0 {
            // Anywhere in the run, most kills late, where the save is.
            let at = full.mul_f64(0.4 + 0.7 * (round as f64 + rng.next()) / rounds as f64);
            std::thread::sleep(at);
        } else {
            // Inside the write itself: wait until the fresh directory
            // appears, then up to 40 ms more (mostly
            // less: the write, the fsyncs and the swap take milliseconds).
            let deadline = Instant::now() + full * 3;
            while !saving(work.path()) && Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_micros(100));
            }
            std::thread::sleep(std::time::Duration::from_micros(
                (rng.next() * rng.next() * 40_000.0) as u64,
            ));
        }
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        mid_save += usize::from(saving(work.path()));
        let now = data_bytes(&target);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!("round {round}: the directory holds neither the old files nor the new ones");
        }
        // And it loads as that graph (checked on some rounds: loading takes a while).
        if round % 5 == 0 {
            let loaded = load_dir(&target).unwrap_or_else(|e| panic!("round {round}: {e}"));
            let expected = if now == old { &old_graph } else { &new_graph };
            assert_eq!(canon(&loaded), canon(expected));
        }
    }
    eprintln!(
        "kills: {saw_old} left the old graph, {saw_new} the new one, {mid_save} interrupted a save \
         (a full run takes {full:?})"
    );
    // A later save cleans up what the killed ones left beside the target.
    save(&old_graph, &target).unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".target."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn save_fails_cleanly_in_an_unwritable_place() {
    let out = rolegraph()
        .args(["-e", "RETURN 1", "--save", "/proc/rolegraph-cannot-write-here"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error: cannot save to"));
}

/// The shell in a pseudo-terminal: `:save DIR`, the warning before leaving
/// with unsaved changes, and the `:timeout` and `:max-rows` limits.
#[test]
fn the_shell_saves_warns_before_quitting_unsaved_and_sets_limits() {
    use expectrl::{Eof, Expect};
    const READY: &str = "\x1b[?2004h"; // rustyline reads the next line
    let home = tempfile::tempdir().unwrap();
    let target = home.path().join("saved");
    let mut cmd = Process::new(assert_cmd::cargo::cargo_bin("rolegraph"));
    cmd.arg("--no-history")
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env_remove("RUST_BACKTRACE");
    let mut p = expectrl::Session::spawn(cmd).expect("a pty");
    p.set_expect_timeout(Some(std::time::Duration::from_secs(120)));
    let until_ready = |p: &mut expectrl::session::OsSession, keys: &str| -> String {
        p.send(keys).unwrap();
        p.send("\r").unwrap();
        let found = p.expect(READY).expect("the shell answers");
        String::from_utf8_lossy(found.before()).into_owned()
    };
    p.expect(READY).unwrap();
    let out = until_ready(&mut p, ":timeout 0.2");
    assert!(!out.contains("error"), "{out}");
    // 10^15 rows: it cannot finish in time on any machine.
    let out = until_ready(
        &mut p,
        "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b UNWIND range(1, 100000) AS c \
         WITH a, b, c WHERE a + b + c < 0 RETURN count(*);",
    );
    assert!(out.contains("query stopped: it ran past the time limit"), "{out}");
    let out = until_ready(&mut p, ":timeout off");
    assert!(!out.contains("error"), "{out}");
    let out = until_ready(&mut p, ":max-rows 3");
    assert!(!out.contains("error"), "{out}");
    let out = until_ready(&mut p, "UNWIND range(1, 10) AS i RETURN i;");
    // :max-rows cuts what is shown, with a note (--max-rows stops the statement).
    assert!(out.contains("showing the first 3 of 10 rows"), "{out}");
    assert!(out.contains("3 rows") && !out.contains("│ 4 "), "{out}");
    let out = until_ready(&mut p, ":max-rows");
    assert!(out.contains("max-rows: 3"), "{out}");

    let out = until_ready(&mut p, "CREATE (:Role {name: 'Chief Shell Officer'});");
    assert!(out.contains("1 node created"), "{out}");
    let out = until_ready(&mut p, ":quit");
    assert!(
        out.contains("warning: the graph has 1 change that is not saved"),
        "{out}"
    );
    let out = until_ready(&mut p, &format!(":save {}", target.display()));
    assert!(out.contains(&saved_counts(1, 0)), "{out}");
    p.send(":quit\r").unwrap();
    p.expect(Eof).expect("leaves at once after a save");
    let g = load_dir(&target).unwrap();
    assert!(g.node_by_key("chief-shell-officer").is_some());

    // Without saving: the first :quit warns, the second leaves.
    let mut cmd = Process::new(assert_cmd::cargo::cargo_bin("rolegraph"));
    cmd.arg("--no-history")
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut p = expectrl::Session::spawn(cmd).expect("a pty");
    p.set_expect_timeout(Some(std::time::Duration::from_secs(120)));
    p.expect(READY).unwrap();
    until_ready(&mut p, "CREATE (:Role {name: 'Temp'});");
    let out = until_ready(&mut p, ":quit");
    assert!(out.contains("not saved"), "{out}");
    p.send(":quit\r").unwrap();
    p.expect(Eof).expect("the second :quit leaves");
}

/// The built-in graph edited by every clause: properties set (every value
/// type, through parameters), replaced and merged, labels added and
/// removed (a node left with none), properties removed, relationships and
/// nodes deleted, MERGE creating and matching. Saving and loading gives the
/// same graph; so does saving after undoing some of it.
#[test]
fn a_graph_edited_by_every_clause_round_trips() {
    let mut s = Session::builtin().unwrap();
    for (k, v) in awkward_values() {
        // Maps and lists of lists are no property values (SET refuses them).
        if !matches!(v, Value::Map(_)) && k != "nested" {
            s.set_param(format!("p_{}", k.replace(|c: char| !c.is_ascii_alphanumeric(), "_")), v);
        }
    }
    let mut sets: Vec<String> = s.params().keys().map(|k| format!("r.`{k}` = ${k}")).collect();
    sets.sort();
    let statements = [
        format!(
            "MATCH (r:Role {{id: 'chief-technology-officer'}}) SET {}",
            sets.join(", ")
        ),
        "MATCH (r:Role {id: 'chief-information-officer'}) SET r += {name: 'Chief Info', budget: 3.5, aliases: ['CINFO']}"
            .into(),
        "MATCH (t:Team) WITH t ORDER BY t.id LIMIT 1 SET t = {id: t.id, name: 'Replaced', note: 'all else gone'}".into(),
        "MATCH (f:Focus) SET f:Reviewed:`Odd Label`".into(),
        "MATCH (f:Focus) WITH f ORDER BY f.id LIMIT 3 REMOVE f:Focus, f:Reviewed, f:`Odd Label`".into(),
        "MATCH (s:Skill) REMOVE s.name".into(),
        "MATCH (r:Role)-[x]->() WITH x ORDER BY id(x) LIMIT 7 DELETE x".into(),
        "MATCH (s:Skill) WITH s ORDER BY s.id LIMIT 4 DETACH DELETE s".into(),
        "MATCH ()-[x]->() WITH x ORDER BY id(x) LIMIT 5 SET x.weight = 0.25, x.note = 'edited'".into(),
        "MERGE (p:Person {id: 'ada'}) ON CREATE SET p.name = 'Ada' ON MATCH SET p.seen = true".into(),
        "MERGE (p:Person {id: 'ada'}) ON CREATE SET p.name = 'Ada' ON MATCH SET p.seen = true".into(),
        "MATCH (p:Person {id: 'ada'}), (r:Role {id: 'chief-technology-officer'}) MERGE (p)-[h:HOLDS]->(r) ON CREATE SET h.since = 2024"
            .into(),
        "CREATE (:Scratch {n: 1})-[:TEMP]->(:Scratch {n: 2})".into(),
        "MATCH (s:Scratch {n: 2}) DETACH DELETE s".into(),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, q) in statements.iter().enumerate() {
        s.run(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        // Saved after every statement: each step loads back the same.
        let target = dir.path().join(format!("step{i}"));
        s.save(&target).unwrap_or_else(|e| panic!("after {q}: {e}"));
        let loaded = load_dir(&target).unwrap();
        assert_same_graph(s.graph(), &loaded);
        assert_eq!(canon(s.graph()), canon(&loaded), "after {q}");
    }
    assert!(!s.is_dirty(), "a save marks the session clean");
    // Undone edits are undone in the files too.
    for _ in 0..5 {
        s.undo().unwrap();
    }
    let target = dir.path().join("undone");
    s.save(&target).unwrap();
    let loaded = load_dir(&target).unwrap();
    assert_same_graph(s.graph(), &loaded);
    assert_eq!(canon(s.graph()), canon(&loaded));
    // What the edits did is in the files: a node with no label left, a
    // property gone, a node deleted.
    for (q, want) in [
        ("MATCH (n) WHERE size(labels(n)) = 0 RETURN count(n) AS c", "c\r\n3\r\n"),
        (
            "MATCH (s:Skill) WHERE s.name IS NOT NULL RETURN count(s) AS c",
            "c\r\n0\r\n",
        ),
        ("MATCH (s:Scratch) RETURN s.n AS n", "n\r\n1\r\n"),
        (
            "MATCH (:Person {id: 'ada'})-[h:HOLDS]->(r) RETURN r.id, h.since",
            "r.id,h.since\r\nchief-technology-officer,2024\r\n",
        ),
    ] {
        let out = rolegraph()
            .arg("--data")
            .arg(dir.path().join("step13"))
            .args(["--format", "csv", "-e", q])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{q}");
    }
}

/// The built-in graph is compiled in; saving it, edited or not, writes a
/// new directory and refuses to write over the data files it was built
/// from (a copy of graph-data/ here, never the checkout's own).
#[test]
fn saving_the_builtin_graph_never_writes_over_its_data_files() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("graph-data");
    std::fs::create_dir(&copy).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("graph-data");
    for e in std::fs::read_dir(&source).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, copy.join(p.file_name().unwrap())).unwrap();
        }
    }
    let before = data_bytes(&copy);
    let out = rolegraph()
        .args([
            "-e",
            "MATCH (r:Role {id: 'chief-technology-officer'}) SET r.name = 'Edited'",
        ])
        .arg("--save")
        .arg(&copy)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("cannot save to") && stderr.contains("did not save"),
        "{stderr}"
    );
    assert_eq!(data_bytes(&copy), before, "the data files are untouched");
    // A new directory takes the edited graph.
    let fresh = dir.path().join("my-kb");
    rolegraph()
        .args([
            "-e",
            "MATCH (r:Role {id: 'chief-technology-officer'}) SET r.name = 'Edited'",
        ])
        .arg("--save")
        .arg(&fresh)
        .assert()
        .success();
    let out = rolegraph()
        .arg("--data")
        .arg(&fresh)
        .args([
            "--format",
            "csv",
            "-e",
            "MATCH (r:Role {id: 'chief-technology-officer'}) RETURN r.name",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "r.name\r\nEdited\r\n");
    // The built-in graph itself is as it was.
    let out = rolegraph()
        .args([
            "--format",
            "csv",
            "-e",
            "MATCH (r:Role {id: 'chief-technology-officer'}) RETURN r.name",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "r.name\r\nChief Technology Officer\r\n"
    );
}
