//! Nothing lost, nothing destroyed: writes that respect what is at the
//! path (symlinks followed, FIFOs and devices streamed into, other things
//! refused), write errors that are reported with a non-zero exit, saves
//! that never remove files rolegraph does not own, and clear messages.
//! Everything runs the binary end to end. Devices are exercised with a FIFO
//! made here and `/dev/full` / `/dev/null`, never by replacing one.

#![cfg(unix)]

use std::fs;
use std::io::Read;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use assert_cmd::Command;

fn rolegraph() -> Command {
    let mut c = Command::cargo_bin("rolegraph").expect("binary builds");
    c.env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .timeout(Duration::from_secs(300));
    c
}

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("rolegraph")
}

/// (stdout, stderr, exit code)
fn run(c: &mut Command) -> (String, String, i32) {
    let out = c.output().expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// Runs `script` with `sh -c`, the binary as "$RG"; (stderr, exit code).
fn shell(script: &str, dir: &Path) -> (String, i32) {
    let out = Process::new("sh")
        .arg("-c")
        .arg(script)
        .env("RG", bin())
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .output()
        .expect("sh runs");
    (
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn mkfifo(path: &Path) {
    let ok = Process::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(ok.success(), "mkfifo {}", path.display());
}

// ------------------------------------------------------------ item 1: -o

#[test]
fn export_to_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let (_, err, code) = run(rolegraph()
        .current_dir(dir.path())
        .args(["export", "json", "-o", "link.json"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        fs::symlink_metadata(&link).unwrap().file_type().is_symlink(),
        "the link stays a link"
    );
    let text = fs::read_to_string(&real).unwrap();
    assert!(text.contains("\"graph\": \"roles\""), "the target holds the export");
    // Nothing else was left beside them.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn export_to_a_fifo_streams_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("p.json");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            fs::File::open(&fifo).unwrap().read_to_string(&mut s).unwrap();
            s
        })
    };
    let (_, err, code) = run(rolegraph().args(["export", "json", "-o"]).arg(&fifo));
    assert_eq!(code, 0, "{err}");
    let got = reader.join().unwrap();
    assert!(got.starts_with('{') && got.contains("\"relationships\""), "{got:.200}");
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo(), "still a FIFO");
}

#[test]
fn export_to_a_full_device_fails_and_leaves_the_device() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: this system has no /dev/full");
        return;
    }
    let (_, err, code) = run(rolegraph().args(["export", "cypher", "-o", "/dev/full"]));
    assert_ne!(code, 0, "{err}");
    assert!(
        err.contains("cannot write /dev/full") && err.contains("No space left"),
        "{err}"
    );
    assert!(fs::metadata("/dev/full").unwrap().file_type().is_char_device());
    // A device that takes the bytes is written in place, too.
    let (_, err, code) = run(rolegraph().args(["export", "graphml", "-o", "/dev/null"]));
    assert_eq!(code, 0, "{err}");
    assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
}

#[test]
fn export_to_a_directory_or_a_socket_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, err, code) = run(rolegraph().args(["export", "json", "-o"]).arg(dir.path()));
    assert_ne!(code, 0);
    assert!(err.contains("it is a directory"), "{err}");
    let sock = dir.path().join("s.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    let (_, err, code) = run(rolegraph().args(["export", "json", "-o"]).arg(&sock));
    assert_ne!(code, 0);
    assert!(err.contains("it is a socket"), "{err}");
    assert!(
        fs::metadata(&sock).unwrap().file_type().is_socket(),
        "the socket is untouched"
    );
}

// ------------------------------------------------- item 2: stdout errors

#[test]
fn write_errors_on_standard_output_are_reported() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: this system has no /dev/full");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("q.cypher"), "RETURN 1;\n").unwrap();
    fs::write(
        dir.path().join("q.json"),
        r#"[{"id": "q1", "title": "one", "text": "RETURN 1", "ordered": false}]"#,
    )
    .unwrap();
    for cmd in [
        r#""$RG" export cypher > /dev/full"#,
        r#""$RG" -e "MATCH (n) RETURN n" --format json > /dev/full"#,
        r#""$RG" -e "RETURN 1" > /dev/full"#,
        // Every other way something reaches standard output: `check`,
        // clap's help and version, the meta-commands of a script, the
        // benchmark's report.
        r#""$RG" check q.cypher > /dev/full"#,
        r#""$RG" --help > /dev/full"#,
        r#""$RG" --version > /dev/full"#,
        r#""$RG" export --help > /dev/full"#,
        r#""$RG" -e ":help" > /dev/full"#,
        r#""$RG" -e ":format" > /dev/full"#,
        r#""$RG" -e ":changes" > /dev/full"#,
        r#""$RG" -e "CREATE (:X)" -e ":undo" > /dev/full"#,
        r#"printf 'RETURN 1;\n:history\n' | "$RG" > /dev/full"#,
        r#""$RG" bench --queries q.json --runs 1 --warmup 1 > /dev/full"#,
    ] {
        let (err, code) = shell(cmd, dir.path());
        assert_eq!(code, 4, "{cmd}: {err}");
        assert!(
            err.contains("cannot write to standard output") && err.contains("No space left"),
            "{cmd}: {err}"
        );
    }
    for cmd in [r#""$RG" -e "RETURN 1" >&-"#, r#""$RG" export json >&-"#] {
        let (err, code) = shell(cmd, dir.path());
        assert_eq!(code, 4, "{cmd}: {err}");
        assert!(err.contains("standard output is closed"), "{cmd}: {err}");
    }
    // Output thrown away on purpose is no error.
    let (err, code) = shell(r#""$RG" -e "RETURN 1" > /dev/null"#, dir.path());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_closed_pipe_ends_quietly_but_not_with_success() {
    // The export (about 90 KB) is larger than a pipe's buffer, and the read
    // end is closed before the process can have written it all, so a write
    // fails with EPIPE whatever the timing.
    let mut child = Process::new(bin())
        .args(["export", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(141));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "a closed pipe is quiet");
}

// ------------------------------------------------------ item 3: --save

#[test]
fn save_never_removes_files_it_does_not_own() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    fs::create_dir(&d).unwrap();
    fs::write(d.join("Cargo.toml"), "x\n").unwrap();
    fs::write(d.join("budget.csv"), "1\n").unwrap();
    let (_, err, code) = run(rolegraph().args(["-e", "RETURN 1", "--save"]).arg(&d));
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("did not save: Cargo.toml, budget.csv"),
        "the message names the files: {err}"
    );
    assert_eq!(fs::read_to_string(d.join("Cargo.toml")).unwrap(), "x\n");
    assert_eq!(fs::read_to_string(d.join("budget.csv")).unwrap(), "1\n");
    assert_eq!(fs::read_dir(&d).unwrap().count(), 2, "nothing added");

    // A directory of other things is not a graph to replace either.
    let e = dir.path().join("e");
    fs::create_dir(&e).unwrap();
    fs::write(e.join("notes.txt"), "mine").unwrap();
    let (_, err, code) = run(rolegraph().args(["-e", "RETURN 1", "--save"]).arg(&e));
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("holds no graph rolegraph saved (it holds: notes.txt)"),
        "{err}"
    );

    // A graph rolegraph saved is replaced, and a file added beside it later
    // is carried over, while a foreign data file added later stops the save.
    let g = dir.path().join("g");
    let (_, err, code) = run(rolegraph().args(["-e", "CREATE (:A {name: 'a'})", "--save"]).arg(&g));
    assert_eq!(code, 0, "{err}");
    fs::write(g.join("README.md"), "about this graph").unwrap();
    let (_, err, code) = run(rolegraph()
        .arg("--data")
        .arg(&g)
        .args(["-e", "CREATE (:B {name: 'b'})", "--save"])
        .arg(&g));
    assert_eq!(code, 0, "{err}");
    assert_eq!(fs::read_to_string(g.join("README.md")).unwrap(), "about this graph");
    assert!(
        fs::read_to_string(g.join("nodes.toml"))
            .unwrap()
            .contains("name = \"b\"")
    );
    fs::write(g.join("extra.toml"), "# someone's\n").unwrap();
    let (_, err, code) = run(rolegraph().args(["-e", "RETURN 1", "--save"]).arg(&g));
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("did not save: extra.toml"), "{err}");
    assert!(g.join("extra.toml").exists() && g.join("nodes.toml").exists());
}

#[test]
fn saving_over_the_csv_directory_it_was_loaded_from_says_what_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    fs::create_dir(&c).unwrap();
    fs::write(c.join("Person.csv"), "id,name\na,A\nb,B\n").unwrap();
    fs::write(c.join("KNOWS.csv"), "from_id,to_id\na,b\n").unwrap();
    fs::write(c.join("README"), "notes").unwrap();
    let (_, err, code) = run(rolegraph()
        .arg("--data")
        .arg(&c)
        .args(["-e", "RETURN 1", "--save"])
        .arg(&c));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("saved 2 nodes and 1 relationship to")
            && err.contains("replaced the data files the graph was loaded from: KNOWS.csv, Person.csv"),
        "{err}"
    );
    let mut names: Vec<String> = fs::read_dir(&c)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["README", "nodes.toml", "rels.toml"]);
    let (out, err, code) = run(rolegraph().arg("--data").arg(&c).args([
        "--format",
        "csv",
        "-e",
        "MATCH (a)-[:KNOWS]->(b) RETURN a.name, b.name",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.replace("\r\n", "\n"), "a.name,b.name\nA,B\n");
}

// ------------------------------------------- item 4: memory and path budgets

/// Runs `rg_args` under `ulimit -v KIB` (the default memory budget is half
/// of the address space allowed, so it is small here whatever the machine);
/// (stderr, exit code).
fn under_ulimit(kib: u64, rg_args: &[&str]) -> (String, i32) {
    let quoted: Vec<String> = rg_args
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    shell(
        &format!("ulimit -v {kib} && exec \"$RG\" {}", quoted.join(" ")),
        dir.path(),
    )
}

/// The three runaways of the issue: each ends with one clear "query
/// stopped" error and exit 1, never an abort (134) past the panic hook.
#[test]
fn runaway_statements_stop_at_their_budget_never_abort() {
    let nine_replaces = {
        let mut e = "s".to_string();
        for _ in 0..9 {
            e = format!("replace({e}, 'x', s)");
        }
        format!("WITH 'xxxxxxxxxx' AS s RETURN size({e})")
    };
    let cases = [
        "RETURN size([x IN range(1,1000) | range(1,10000000)])".to_string(),
        nine_replaces,
        "MATCH p=(a)-[*]-(b) RETURN p".to_string(),
    ];
    for q in &cases {
        // The default budget, under a 2 GiB address space: 1 GiB.
        let (err, code) = under_ulimit(2 << 20, &["--timeout", "600", "-e", q]);
        assert_eq!(code, 1, "{q}: {err}");
        assert!(err.starts_with("error: query stopped: "), "{q}: {err}");
        assert!(!err.contains("memory allocation"), "{q}: {err}");
        // An explicit budget: the memory error, whatever the speed.
        let (out, err, code) = run(rolegraph().args(["--max-memory", "300M", "--max-paths", "off", "-e", q]));
        assert_eq!(code, 1, "{q}: {out}{err}");
        let first = err.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: query stopped: ") && first.ends_with("memory limit of 300 MiB (--max-memory)")
                || first == "error: query stopped: it needed more than 300 MiB of memory (--max-memory)",
            "{q}: {err}"
        );
        assert!(err.contains("help: --max-memory SIZE"), "{q}: {err}");
        assert!(out.is_empty(), "{q}: {out}");
    }
}

/// Item 4: `--timeout` reaches inside expression evaluation. Each query
/// is one row whose expression takes about 10^14 steps (no machine ends
/// it), in quantifiers and list comprehensions: the outcome is the time
/// limit whatever the speed; the bound on how long stopping takes only
/// turns a hang into a failure.
#[test]
fn the_timeout_reaches_inside_expressions() {
    for q in [
        "RETURN all(x IN range(1, 10000000) WHERE all(y IN range(1, 10000000) WHERE x + y > 0)) AS ok",
        "RETURN size([x IN range(1, 10000000) | size([y IN range(1, 10000000) WHERE y < 0])]) AS n",
        "WITH range(1, 10000000) AS l RETURN size([x IN l WHERE any(y IN l WHERE y = -x)]) AS n",
    ] {
        let started = std::time::Instant::now();
        let (out, err, code) = run(rolegraph().args(["--timeout", "0.5", "-e", q]));
        assert_eq!(code, 1, "{q}: {out}{err}");
        assert_eq!(
            err.trim(),
            "error: query stopped: it ran past the time limit (--timeout)",
            "{q}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{q}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_value_too_big_to_build_is_refused_before_it_is_built() {
    // Each replace multiplies the length by ten: the eighth would build
    // 10^9 bytes, refused from its size, pointing at the call.
    let mut e = "s".to_string();
    for _ in 0..8 {
        e = format!("replace({e}, 'x', s)");
    }
    let (_, err, code) = run(rolegraph().args([
        "--max-memory",
        "1G",
        "-e",
        &format!("WITH 'xxxxxxxxxx' AS s RETURN size({e}) AS n"),
    ]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("query stopped: this would build a value of"), "{err}");
    assert!(
        err.contains("past the statement's memory limit of 1 GiB (--max-memory)"),
        "{err}"
    );
    assert!(err.contains("^^^"), "a caret at the call: {err}");
    // Lifted, small work runs as before.
    let (out, err, code) = run(rolegraph().args(["--max-memory", "off", "-e", "RETURN size(range(1, 1000)) AS n"]));
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(out.contains("1000"), "{out}");
}

#[test]
fn variable_length_patterns_have_a_default_path_budget_and_a_flag_to_lift_it() {
    let q = "MATCH p = (a)-[*]-(b) RETURN count(p)";
    let (out, err, code) = run(rolegraph().args(["--max-paths", "100000", "-e", q]));
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        err.lines().next().unwrap_or_default(),
        "error: query stopped: variable-length patterns followed more than 100000 paths (--max-paths)"
    );
    assert!(err.contains("help: bound the pattern"), "{err}");
    // Bounded patterns under the budget are unaffected; off lifts it.
    let (out, err, code) = run(rolegraph().args([
        "--max-paths",
        "off",
        "-e",
        "MATCH p = (:Role {id: 'chief-technology-officer'})-[:REPORTS_TO*]->() RETURN count(p) AS n",
    ]));
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    // Bad values are usage errors.
    for (flag, value) in [("--max-paths", "many"), ("--max-paths", "0"), ("--max-memory", "lots")] {
        let (_, err, code) = run(rolegraph().args([flag, value, "-e", "RETURN 1"]));
        assert_eq!(code, 2, "{flag} {value}: {err}");
        assert!(err.starts_with(&format!("error: {flag} '{value}' is not a")), "{err}");
    }
}

/// `:max-memory` and `:max-paths` in the shell, in a pseudo-terminal.
#[test]
fn the_shell_sets_the_memory_and_path_budgets() {
    use expectrl::Expect;
    const READY: &str = "\x1b[?2004h"; // rustyline reads the next line
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Process::new(bin());
    cmd.arg("--no-history")
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env_remove("RUST_BACKTRACE");
    let mut p = expectrl::Session::spawn(cmd).expect("a pty");
    p.set_expect_timeout(Some(Duration::from_secs(120)));
    let until_ready = |p: &mut expectrl::session::OsSession, keys: &str| -> String {
        p.send(keys).unwrap();
        p.send("\r").unwrap();
        let found = p.expect(READY).expect("the shell answers");
        String::from_utf8_lossy(found.before()).into_owned()
    };
    p.expect(READY).unwrap();
    // The defaults are on without any flag.
    let out = until_ready(&mut p, ":max-paths");
    assert!(out.contains("max-paths: 10000000"), "{out}");
    let out = until_ready(&mut p, ":max-memory");
    assert!(out.contains("max-memory: ") && out.contains("iB"), "{out}");
    let out = until_ready(&mut p, ":max-memory 200M");
    assert!(!out.contains("error"), "{out}");
    let out = until_ready(&mut p, ":max-memory");
    assert!(out.contains("max-memory: 200 MiB"), "{out}");
    let out = until_ready(&mut p, "RETURN size([x IN range(1, 1000) | range(1, 1000000)]);");
    assert!(
        out.contains("memory limit of 200 MiB") || out.contains("more than 200 MiB"),
        "{out}"
    );
    let out = until_ready(&mut p, ":max-paths 50");
    assert!(!out.contains("error"), "{out}");
    let out = until_ready(&mut p, "MATCH p = (a)-[*]-(b) RETURN count(p);");
    assert!(out.contains("followed more than 50 paths"), "{out}");
    let out = until_ready(&mut p, ":max-paths off");
    assert!(!out.contains("error"), "{out}");
    let out = until_ready(&mut p, ":max-paths");
    assert!(out.contains("max-paths: off"), "{out}");
    let out = until_ready(&mut p, ":max-memory lots");
    assert!(out.contains("error: :max-memory takes a size or off"), "{out}");
    // The shell is still there after the errors.
    let out = until_ready(&mut p, "RETURN 40 + 2 AS answer;");
    assert!(out.contains("42"), "{out}");
    p.send(":quit\r").unwrap();
}

// ------------------------------------------- item 5: size limits on input

/// A copy of the shipped graph-data directory (TOML), to add entries to.
fn graph_data_copy() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("graph-data");
    for e in fs::read_dir(src).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            fs::copy(&p, d.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    d
}

#[test]
fn data_files_over_the_size_limit_are_refused_before_reading() {
    // Sparse: 6 GiB long, nothing on disk; reading it would fill memory.
    let d = graph_data_copy();
    fs::File::create(d.path().join("huge.toml"))
        .unwrap()
        .set_len(6 << 30)
        .unwrap();
    let (out, err, code) = run(rolegraph().arg("--data").arg(d.path()).args(["-e", "RETURN 1"]));
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        err.contains(
            "huge.toml' is 6 GiB, over the 256 MiB limit for TOML data files (--max-file-size SIZE raises it)"
        ),
        "{err}"
    );
    assert!(err.contains("nothing was loaded"), "{err}");
    // CSV files have their own, larger default; the flag sets every limit.
    let c = tempfile::tempdir().unwrap();
    fs::write(c.path().join("Role.csv"), "id,name\nr1,Chief One\n").unwrap();
    fs::File::create(c.path().join("Team.csv"))
        .unwrap()
        .set_len(5 << 30)
        .unwrap();
    let (_, err, code) = run(rolegraph().arg("--data").arg(c.path()).args(["-e", "RETURN 1"]));
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("Team.csv' is 5 GiB, over the 4 GiB limit for CSV data files"),
        "{err}"
    );
    fs::remove_file(c.path().join("Team.csv")).unwrap();
    let (_, err, code) = run(rolegraph()
        .args(["--max-file-size", "10"])
        .arg("--data")
        .arg(c.path())
        .args(["-e", "RETURN 1"]));
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("Role.csv' is 21 bytes, over the 10 bytes limit for CSV data files"),
        "{err}"
    );
    let (out, err, code) = run(rolegraph()
        .args(["--max-file-size", "1K"])
        .arg("--data")
        .arg(c.path())
        .args(["-e", "MATCH (n) RETURN count(n) AS n"]));
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let (_, err, code) = run(rolegraph().args(["--max-file-size", "huge", "-e", "RETURN 1"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error: --max-file-size 'huge' is not a size"), "{err}");
}

#[test]
fn streams_are_read_with_a_bound() {
    // A device that never ends: refused once the limit is passed.
    let (out, err, code) = run(rolegraph().args(["--max-file-size", "1M", "-f", "/dev/zero"]));
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(
        err.trim(),
        "error: '/dev/zero' holds more than 1 MiB (it is a stream, read up to the limit for scripts; --max-file-size SIZE raises it)"
    );
    // The default limit too (256 MiB of zeros are read, then refused).
    let (_, err, code) = run(rolegraph().args(["-f", "/dev/zero"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("holds more than 256 MiB"), "{err}");
    // Standard input, with -f - and piped in.
    let dir = tempfile::tempdir().unwrap();
    for how in ["-f -", ""] {
        let (err, code) = shell(
            &format!("head -c 3000000 /dev/zero | \"$RG\" --max-file-size 2M {how}"),
            dir.path(),
        );
        assert_eq!(code, 2, "{how}: {err}");
        assert!(err.contains("'<stdin>' holds more than 2 MiB"), "{how}: {err}");
    }
    let (err, code) = shell(
        "echo 'RETURN 1 AS one;' | \"$RG\" --max-file-size 1K -f - >/dev/null",
        dir.path(),
    );
    assert_eq!((code, err.as_str()), (0, ""));
    // A regular script over the limit is refused from its size.
    let big = dir.path().join("big.cypher");
    fs::File::create(&big).unwrap().set_len(300 << 20).unwrap();
    let (_, err, code) = run(rolegraph().arg("-f").arg(&big));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("big.cypher' is 300 MiB, over the 256 MiB limit for scripts"),
        "{err}"
    );
}

// ------------------------------------------- item 8: clear messages

#[test]
fn fifos_and_symlink_loops_in_a_data_directory_are_warned_about() {
    let d = graph_data_copy();
    mkfifo(&d.path().join("pipe.toml"));
    std::os::unix::fs::symlink("loop.toml", d.path().join("loop.toml")).unwrap();
    std::os::unix::fs::symlink("missing.toml", d.path().join("gone.toml")).unwrap();
    fs::create_dir(d.path().join("dir.toml")).unwrap();
    // Not data by name: not mentioned.
    mkfifo(&d.path().join("notes"));
    let (out, err, code) = run(rolegraph()
        .arg("--data")
        .arg(d.path())
        .args(["-e", "MATCH (r:Role) RETURN count(r) AS roles"]));
    assert_eq!(code, 0, "{out}{err}");
    let shown = |name: &str| d.path().join(name).display().to_string();
    let expected = [
        format!(
            "warning: skipped '{}': it is a directory, not a regular file",
            shown("dir.toml")
        ),
        format!("warning: skipped '{}': it is a symlink to nothing", shown("gone.toml")),
        format!("warning: skipped '{}': it is a symlink loop", shown("loop.toml")),
        format!(
            "warning: skipped '{}': it is a FIFO (named pipe), not a regular file",
            shown("pipe.toml")
        ),
    ];
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines, expected.iter().map(String::as_str).collect::<Vec<_>>(), "{err}");
    assert!(out.contains("roles"), "{out}");
}

#[test]
fn a_parameter_nested_too_deep_is_an_error_naming_it() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let (out, err, code) = run(rolegraph().args(["-p", &format!("x={deep}"), "-e", "RETURN $x AS x"]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("$x: the value is nested more than 100 levels deep"),
        "{err}"
    );
    assert!(out.is_empty(), "nothing ran: {out}");
    // Within the limit, the value is the nested list.
    let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let (out, err, code) = run(rolegraph().args([
        "-p",
        &format!("x={ok}"),
        "--format",
        "json",
        "-e",
        "RETURN size($x) AS n",
    ]));
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(out.contains("\"n\": 1"), "{out}");
}

/// The parser's call budget grows with the text: a 7 MB string literal
/// parses, and a text too costly for its size is refused with a message
/// naming the limit.
#[test]
fn the_parse_budget_scales_with_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.cypher");
    fs::write(&big, format!("RETURN size('{}') AS n", "a".repeat(7_000_000))).unwrap();
    let (out, err, code) = run(rolegraph().arg("-f").arg(&big).args(["--format", "csv"]));
    assert_eq!(
        (code, out.as_str()),
        (0, "n\r\n7000000\r\n"),
        "{}",
        &err[..err.len().min(400)]
    );
    // A list of 300,000 one-digit numbers costs about 250 calls per item,
    // over 120 per byte: past the budget of its 600 KB.
    let items = vec!["1"; 300_000].join(",");
    let costly = dir.path().join("costly.cypher");
    fs::write(&costly, format!("RETURN size([{items}]) AS n")).unwrap();
    let (out, err, code) = run(rolegraph().arg("-f").arg(&costly));
    assert_eq!(code, 1, "{out}");
    let first = err.lines().next().unwrap_or("");
    assert!(
        first.starts_with("error: query too complex to parse: it needed more than ")
            && first.contains("parser steps, the limit for 600,019 bytes of text (20,000,000 plus 64 per byte)")
            && first.contains("or split it into several statements"),
        "{first}"
    );
    assert!(err.len() < 2_000, "a {}-byte message", err.len());
}

/// Whether `c` may not appear in XML 1.0 at all.
fn forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Parses `text` as XML with Python's xml.etree when Python is there;
/// always checks that no character XML forbids is in it.
fn assert_well_formed_xml(what: &str, text: &str) {
    let bad: Vec<String> = text
        .chars()
        .filter(|c| forbidden_in_xml(*c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(bad.is_empty(), "{what} holds {bad:?}");
    let python = Process::new("python3")
        .args([
            "-c",
            "import sys, xml.etree.ElementTree as E; E.fromstring(sys.stdin.buffer.read())",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    if let Ok(mut child) = python {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Item 6: every format writes a name exactly or writes a visible escape,
/// and warns once on standard error naming the node and the format.
#[test]
fn every_format_is_exact_or_warns_naming_the_node() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("g");
    let name =
        r"nul\u0000 bel\u0007 esc\u001B fffe\uFFFE ffff\uFFFF fffd\uFFFD bidi\u202Ex line\nbreak pipe| tick` end";
    let create = format!(
        "CREATE (:Person {{id: 'odd', name: '{name}'}})-[:KNOWS]->(:Person {{id: 'plain', name: 'Plain Name'}})"
    );
    let (_, err, code) = run(rolegraph().args(["-e", &create, "--save"]).arg(&data));
    assert_eq!(code, 0, "{err}");
    let warned = |err: &str, format: &str| {
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
        let about: Vec<&&str> = lines
            .iter()
            .filter(|l| l.contains(&format!("warning: {format} cannot hold every character of node 'odd'")))
            .collect();
        assert_eq!(about.len(), 1, "one warning naming the node for {format}: {err}");
        assert!(
            !lines.iter().any(|l| l.contains("'plain'")),
            "{format}: a plain name is exact: {err}"
        );
        about[0].to_string()
    };

    // GraphML: well-formed, the forbidden characters escaped visibly, the
    // rest (U+FFFD, bidi, newline as a reference) exact.
    let (out, err, code) = run(rolegraph().arg("--data").arg(&data).args(["export", "graphml"]));
    assert_eq!(code, 0, "{err}");
    assert_well_formed_xml("GraphML", &out);
    assert!(
        out.contains("nul\\x00 bel\\x07 esc\\x1b fffe\\u{fffe} ffff\\u{ffff} fffd\u{fffd} bidi\u{202e}x line&#10;break pipe| tick` end"),
        "{out}"
    );
    let w = warned(&err, "GraphML");
    assert!(
        w.contains("(name)") && w.contains(r"U+0000 written as \x00") && w.contains(r"U+FFFF written as \u{ffff}"),
        "{w}"
    );
    assert!(
        !w.contains("U+FFFD") && !w.contains("U+202E"),
        "exact characters are not reported: {w}"
    );

    // Results as Markdown: control characters visible, pipes escaped.
    let query = "MATCH (n:Person) RETURN n.id AS id, n.name AS name ORDER BY id";
    let (out, err, code) = run(rolegraph()
        .arg("--data")
        .arg(&data)
        .args(["--format", "markdown", "-e", query]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("| odd | nul\\x00 bel\\x07 esc\\x1b fffe\u{fffe} ffff\u{ffff} fffd\u{fffd} bidi\u{202e}x line<br>break pipe\\| tick` end |"),
        "{out}"
    );
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    let w = warned(&err, "Markdown");
    assert!(w.contains(r"U+001B written as \x1b") && !w.contains("U+FFFE"), "{w}");
    // Formats that are exact say nothing.
    let (out, err, code) = run(rolegraph()
        .arg("--data")
        .arg(&data)
        .args(["--format", "json", "-e", query]));
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(out.contains(r#""nul\u0000 bel\u0007 esc\u001b fffe"#), "{out}");

    // Diagrams of a result.
    let draw = "MATCH (a:Person)-[r]->(b) RETURN a, r, b";
    for (format, holds_nonchars) in [("dot", false), ("mermaid", true), ("markdown", true)] {
        let (out, err, code) = run(rolegraph()
            .arg("--data")
            .arg(&data)
            .args(["export", "query", draw, "--format", format]));
        assert_eq!(code, 0, "{format}: {err}");
        // DOT doubles the backslash of the escape (its own `\\`).
        assert!(out.replace(r"\\", r"\").contains(r"nul\x00 bel\x07"), "{format}: {out}");
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{format}: {out:?}");
        assert_eq!(out.contains('\u{fffe}'), holds_nonchars, "{format}: {out:?}");
        let label = match format {
            "dot" => "DOT",
            "mermaid" => "Mermaid",
            _ => "Markdown",
        };
        warned(&err, label);
    }
    for format in ["svg", "html"] {
        let file = dir.path().join(format!("d.{format}"));
        let (out, err, code) = run(rolegraph()
            .arg("--data")
            .arg(&data)
            .args(["export", "query", draw, "-o"])
            .arg(&file));
        // Drawings need Graphviz's `dot`; without it there is nothing to check.
        if code != 0 && (err.contains("not installed") || err.contains("install Graphviz")) {
            eprintln!("skipped: the {format} check needs Graphviz's 'dot', which is not installed ({err})");
            continue;
        }
        assert_eq!(code, 0, "{format}: {out}{err}");
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains(r"nul\x00 bel\x07"), "{format}");
        if format == "svg" {
            assert_well_formed_xml("SVG", &text);
        } else {
            assert!(!text.chars().any(forbidden_in_xml), "HTML");
            let svg = &text[text.find("<svg").unwrap()..text.find("</svg>").unwrap() + 6];
            assert_well_formed_xml("the HTML page's SVG", svg);
        }
        warned(&err, &format.to_uppercase());
    }
}

/// Item 6, tables: a result shown as a table writes control characters
/// visibly (`\x1b`, as Markdown does) and warns once naming the node; a
/// `\r\n` is a line break. JSON of the same result stays exact.
#[test]
fn table_output_escapes_control_characters_and_warns_naming_the_node() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("g");
    let create = r"CREATE (:Person {id: 'odd', name: 'nul\u0000 bel\u0007 esc\u001B[31m tab\tcr\r\nend'}), (:Person {id: 'plain', name: 'Plain Name'})";
    let (_, err, code) = run(rolegraph().args(["-e", create, "--save"]).arg(&data));
    assert_eq!(code, 0, "{err}");
    let query = "MATCH (n:Person) RETURN n.id AS id, n.name AS name ORDER BY id";
    let (out, err, code) = run(rolegraph()
        .arg("--data")
        .arg(&data)
        .args(["--format", "table", "-e", query]));
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.chars().any(|c| c.is_control() && c != '\n'),
        "no raw control character: {out:?}"
    );
    assert!(out.contains(r"nul\x00 bel\x07 esc\x1b[31m tab\x09cr"), "{out}");
    assert!(out.contains("Plain Name"), "{out}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(warnings.len(), 1, "one warning: {err}");
    assert!(
        warnings[0].starts_with("warning: table cannot hold every character of node 'odd' (name): ")
            && warnings[0].contains(r"U+001B written as \x1b")
            && warnings[0].contains(r"U+0009 written as \x09"),
        "{err}"
    );
    assert!(!warnings[0].contains("U+000D"), "a line break is no change: {err}");
    // The same in the shell's own statements and in scripts (-f).
    let script = dir.path().join("q.cypher");
    fs::write(&script, format!("{query};\n")).unwrap();
    let (out, err, code) = run(rolegraph().arg("--data").arg(&data).arg("-f").arg(&script));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(r"esc\x1b[31m"), "{out}");
    assert!(
        err.contains("warning: table cannot hold every character of node 'odd'"),
        "{err}"
    );
}

// ------------------------------------------------ item 5: not UTF-8 data

/// A CSV and a TOML data file with a byte that is not UTF-8 fail the same
/// way: the `NotUtf8` kind, the file, the line and column of the byte, a
/// caret under it, and nothing loaded (exit 3).
#[test]
fn data_files_that_are_not_utf8_name_the_file_line_and_column() {
    use rolegraph::load::{LoadErrorKind, load_dir};
    let toml_dir = tempfile::tempdir().unwrap();
    let toml = toml_dir.path().join("people.toml");
    let mut bytes = b"[saved]\n\n[[node]]\nid = \"caf\xe9\"\nname = \"x\"\n".to_vec();
    fs::write(&toml, &bytes).unwrap();
    let csv_dir = tempfile::tempdir().unwrap();
    let csv = csv_dir.path().join("Person.csv");
    bytes = b"id,name\nann,Ann\nbob,B\xffob\n".to_vec();
    fs::write(&csv, &bytes).unwrap();

    for (dir, file, line, column) in [(toml_dir.path(), &toml, 4, 10), (csv_dir.path(), &csv, 3, 6)] {
        let errors = load_dir(dir).expect_err("not UTF-8");
        let e = errors.iter().next().expect("an error");
        assert_eq!(e.kind, LoadErrorKind::NotUtf8, "{e}");
        assert_eq!((e.line, e.column), (line, column), "{e}");
        assert_eq!(e.file, file.display().to_string());

        let (out, err, code) = run(rolegraph().arg("--data").arg(dir).args(["-e", "RETURN 1"]));
        assert_eq!(code, 3, "{out}{err}");
        assert!(err.contains("is not UTF-8 text"), "{err}");
        assert!(err.contains(&format!("{}:{line}:{column}", file.display())), "{err}");
        assert!(err.contains("nothing was loaded"), "{err}");
    }
}

// ------------------------------ scripts: parsed a statement at a time

/// A script is parsed a statement at a time (issue 24: a 61 MB export
/// script took 4.8 GB when parsed whole). 4,000 statements of short lists
/// (1.3 MB, about 120 parser steps a byte) ran out of the parse budget
/// when parsed whole ("query too complex to parse"); now each statement
/// has its own budget and the script runs, within a 1 GiB address space.
/// Messages still name lines and columns of the whole file, and a syntax
/// error anywhere still runs nothing.
#[test]
fn a_long_script_is_parsed_and_run_a_statement_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let list = vec!["7"; 150].join(",");
    let n = 4_000;
    let mut text = String::from("// generated\n");
    for i in 0..n {
        text.push_str(&format!("RETURN size([{list}]) + {i} AS n; // ;'\n"));
    }
    let script = dir.path().join("long.cypher");
    fs::write(&script, &text).unwrap();
    let path = script.display().to_string();
    let (err, code) = under_ulimit(1 << 20, &["--empty", "--format", "jsonl", "-f", &path]);
    assert_eq!(code, 0, "{err}");

    // The output of every statement, in order.
    let (out, err, code) = run(rolegraph().args(["--empty", "--format", "jsonl", "-f", &path]));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), n, "{err}");
    assert!(lines[n - 1].contains(&format!("{}", 150 + n - 1)), "{}", lines[n - 1]);

    // A failure while running points into the whole file.
    let mut failing = text.clone();
    failing.push_str("CREATE (:Made);\n\n  RETURN 1 / 0 AS x;\nRETURN 'never' AS y;\n");
    fs::write(&script, &failing).unwrap();
    let (out, err, code) = run(rolegraph().args(["--empty", "--format", "jsonl", "--atomic", "-f", &path]));
    assert_eq!(code, 1, "{err}");
    assert_eq!(out.lines().count(), n, "the statements before it ran");
    assert!(!out.contains("never"), "none after it: {out:.200}");
    assert!(err.contains(&format!("{path}:{}:10", n + 4)), "{err}");
    assert!(
        err.contains("--atomic: the changes of 1 statement were taken back"),
        "{err}"
    );

    // A syntax error in the last statement: nothing runs.
    let mut broken = text.clone();
    broken.push_str("RETURN 1 +;\n");
    fs::write(&script, &broken).unwrap();
    let (out, err, code) = run(rolegraph().args(["--empty", "--format", "jsonl", "-f", &path]));
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "nothing ran: {out:.200}");
    assert!(err.contains(&format!("{path}:{}:11", n + 2)), "{err}");
}
