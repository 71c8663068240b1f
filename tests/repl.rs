//! The interactive shell, driven through a pseudo-terminal: the real binary,
//! real key presses (Enter is `\r`, Tab `\t`, Up `ESC [ A`, Ctrl-C `\x03`).
//! Every test runs with its own HOME and XDG_DATA_HOME (so history files
//! never touch the user's), NO_COLOR set so output is plain text, and an
//! expect timeout so a broken shell fails instead of hanging.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::{Eof, Expect, Session};
use tempfile::TempDir;

type Pty = expectrl::session::OsSession;

const ENTER: &str = "\r";
const UP: &str = "\x1b[A";
const CTRL_C: &str = "\x03";
const CTRL_D: &str = "\x04";

/// rustyline switches bracketed paste on each time it starts reading a line
/// (after the terminal is in raw mode) and off when it stops: so these mark
/// "ready for keys" and "running the input". Keys typed before the shell is
/// ready may be dropped when the terminal mode changes, so tests wait.
const READY: &str = "\x1b[?2004h";
const BUSY: &str = "\x1b[?2004l";

/// The shell in a pty (80 columns, 24 lines), in a fresh home directory,
/// ready for keys. Long output goes through `cat` as its pager.
fn shell(home: &Path, args: &[&str]) -> Pty {
    shell_with(home, args, &[("PAGER", "cat")])
}

fn shell_with(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Pty {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rolegraph"));
    cmd.args(args)
        .current_dir(home)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut p = Session::spawn(cmd).expect("spawn rolegraph in a pty");
    p.set_expect_timeout(Some(Duration::from_secs(120)));
    expect(&mut p, READY);
    p
}

/// Waits for `needle`; returns what came before it. On a timeout, fails
/// with what the shell printed.
fn expect(p: &mut Pty, needle: &str) -> String {
    match p.expect(needle) {
        Ok(found) => String::from_utf8_lossy(found.before()).into_owned(),
        Err(e) => {
            let mut rest = vec![0u8; 1 << 16];
            let n = p.try_read(&mut rest).unwrap_or(0);
            panic!(
                "waiting for {needle:?}: {e}; the shell printed meanwhile: {:?}",
                String::from_utf8_lossy(&rest[..n])
            );
        }
    }
}

fn send(p: &mut Pty, keys: &str) {
    p.send(keys).expect("write to the pty");
}

/// Types `keys` and Enter, and returns what the shell printed until it was
/// ready again.
fn run(p: &mut Pty, keys: &str) -> String {
    send(p, keys);
    send(p, ENTER);
    expect(p, READY)
}

/// Leaves with Ctrl-D (the shell must be ready) and checks that it exits.
fn quit(mut p: Pty) {
    send(&mut p, CTRL_D);
    p.expect(Eof).expect("the shell exits on Ctrl-D");
}

#[test]
fn a_statement_may_span_several_lines() {
    let home = TempDir::new().unwrap();
    let mut p = shell(home.path(), &[]);
    send(&mut p, "MATCH (r:Role {id: 'chief-technology-officer'})");
    send(&mut p, ENTER);
    // The statement is open: a continuation marker, no result yet.
    expect(&mut p, "...> ");
    send(&mut p, "RETURN r.name");
    send(&mut p, ENTER);
    expect(&mut p, "...> ");
    let out = run(&mut p, "AS name;");
    assert!(
        out.contains("Chief Technology Officer") && out.contains("1 row"),
        "{out}"
    );
    // A ';' inside a string does not end the statement.
    send(&mut p, "RETURN 'a;b'");
    send(&mut p, ENTER);
    expect(&mut p, "...> ");
    let out = run(&mut p, "AS s;");
    assert!(out.contains("a;b") && out.contains("1 row"), "{out}");
    quit(p);
}

#[test]
fn history_is_recalled_after_a_restart() {
    let home = TempDir::new().unwrap();
    let mut p = shell(home.path(), &[]);
    send(&mut p, "RETURN 40 + 2");
    send(&mut p, ENTER);
    expect(&mut p, "...> ");
    let out = run(&mut p, "AS answer;");
    assert!(out.contains("42"), "{out}");
    send(&mut p, ":quit");
    send(&mut p, ENTER);
    p.expect(Eof).unwrap();
    let file = home.path().join("data/rolegraph/history");
    let saved = std::fs::read_to_string(&file).expect("history file under XDG_DATA_HOME");
    assert!(saved.contains("answer"), "{saved}");

    let mut p = shell(home.path(), &[]);
    // Up twice: past ':quit' to the statement.
    send(&mut p, UP);
    send(&mut p, UP);
    // The two-line statement comes back as one entry and runs as one.
    expect(&mut p, "answer;");
    let out = run(&mut p, "");
    assert!(out.contains("42") && out.contains("1 row"), "{out}");
    quit(p);

    // --no-history neither reads nor writes the file.
    let mut p = shell(home.path(), &["--no-history"]);
    run(&mut p, "RETURN 'fresh' AS x;");
    quit(p);
    assert!(!std::fs::read_to_string(&file).unwrap().contains("fresh"));
}

#[test]
fn tab_completes_labels_types_keys_and_node_ids() {
    let home = TempDir::new().unwrap();
    let mut p = shell(home.path(), &[]);
    // Label, relationship type and (Role's) property key, completed in one
    // statement: it only runs if each completion was right.
    send(&mut p, "MATCH (r:Ro\t");
    expect(&mut p, "(r:Role");
    send(&mut p, ")-[:LEA\t");
    expect(&mut p, "[:LEADS");
    send(
        &mut p,
        "]->(t:Team) WHERE r.id = 'chief-technology-officer' RETURN count(t) AS n, r.descr\t",
    );
    expect(&mut p, "r.description");
    let out = run(&mut p, " IS NOT NULL AS described;");
    assert!(out.contains("true") && out.contains("1 row"), "{out}");
    // A node id after DESCRIBE.
    send(&mut p, "DESCRIBE chief-techn\t");
    expect(&mut p, "chief-technology-officer");
    let out = run(&mut p, ";");
    assert!(
        out.contains("Chief Technology Officer (chief-technology-officer) :Role"),
        "{out}"
    );
    quit(p);
}

#[test]
fn a_syntax_error_shows_a_caret_and_a_suggestion() {
    let home = TempDir::new().unwrap();
    let mut p = shell(home.path(), &[]);
    let out = run(&mut p, "MACH (r) RETURN r;");
    assert!(out.contains("1 | MACH (r) RETURN r;"), "{out}");
    assert!(out.contains("  | ^^^^"), "{out}");
    assert!(out.contains("did you mean 'MATCH'?"), "{out}");
    // The shell goes on.
    let out = run(&mut p, "RETURN 1 AS one;");
    assert!(out.contains("1 row"), "{out}");
    quit(p);
}

/// Starts `query`, presses Ctrl-C once it runs, and checks that it stops
/// promptly and the shell is ready again.
fn cancel(p: &mut Pty, query: &str) {
    send(p, query);
    send(p, ENTER);
    expect(p, BUSY);
    std::thread::sleep(Duration::from_millis(300));
    let pressed = Instant::now();
    send(p, CTRL_C);
    let out = expect(p, READY);
    let took = pressed.elapsed();
    assert!(out.contains("cancelled"), "{out}");
    eprintln!("cancelling {query:.30} took {took:?}");
    // 100 ms is the aim; the bound only turns a hang into a failure, on any
    // machine however loaded (the expect timeout above is the real guard).
    assert!(took < Duration::from_secs(60), "cancelling took {took:?}");
}

#[test]
fn ctrl_c_clears_the_input_and_cancels_a_running_query() {
    let home = TempDir::new().unwrap();
    let mut p = shell(home.path(), &[]);
    // At the prompt: the half-typed statement is dropped.
    send(&mut p, "MATCH (n");
    send(&mut p, CTRL_C);
    expect(&mut p, READY);
    let out = run(&mut p, "RETURN 2 AS two;");
    assert!(out.contains("1 row") && !out.contains("error"), "{out}");

    // While a statement runs: it stops promptly and the next one works.
    cancel(
        &mut p,
        "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b UNWIND range(1, 100000) AS c \
         WITH a, b, c WHERE a + b + c < 0 RETURN count(*);",
    );
    let out = run(&mut p, "MATCH (r:Role) RETURN count(r) AS roles;");
    assert!(out.contains("1 row"), "{out}");
    quit(p);
}

/// A data directory with `n` roles in a dense COLLABORATES_WITH web: each
/// role collaborates with the next `k`.
fn dense_graph(dir: &Path, n: usize, k: usize) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("sources.toml"),
        "[[node]]\nlabel = \"Source\"\nid = \"gen\"\nname = \"Generated\"\ntitle = \"Generated\"\n",
    )
    .unwrap();
    let mut roles = String::new();
    let mut rels = String::new();
    for i in 0..n {
        roles.push_str(&format!(
            "[[node]]\nlabel = \"Role\"\nid = \"role-{i}\"\nname = \"Role {i}\"\nsources = [\"gen\"]\n\n"
        ));
        for j in 1..=k {
            rels.push_str(&format!(
                "[[rel]]\ntype = \"COLLABORATES_WITH\"\nfrom = \"role-{i}\"\nto = \"role-{}\"\nsources = [\"gen\"]\n\n",
                (i + j) % n
            ));
        }
    }
    std::fs::write(dir.join("roles.toml"), roles).unwrap();
    std::fs::write(dir.join("rels.toml"), rels).unwrap();
}

#[test]
fn ctrl_c_cancels_a_variable_length_pattern_on_a_large_graph() {
    let home = TempDir::new().unwrap();
    let data = home.path().join("web");
    dense_graph(&data, 2000, 4);
    let mut p = shell(home.path(), &["--data", data.to_str().unwrap()]);
    cancel(&mut p, "MATCH p = (a:Role)-[:COLLABORATES_WITH*]-(b) RETURN count(p);");
    let out = run(&mut p, "MATCH (r:Role) RETURN count(r) AS roles;");
    assert!(out.contains("2000"), "the graph is unchanged: {out}");
    quit(p);
}

#[test]
fn source_runs_a_script_whose_relative_paths_start_from_its_directory() {
    let home = TempDir::new().unwrap();
    let scripts = home.path().join("elsewhere/scripts");
    std::fs::create_dir_all(scripts.join("lib")).unwrap();
    std::fs::write(
        scripts.join("main.cypher"),
        "// runs a nested script by a path relative to this file\n:source lib/inner.cypher\nRETURN 'outer' + ' done' AS o;\n",
    )
    .unwrap();
    std::fs::write(
        scripts.join("lib/inner.cypher"),
        ":format csv\nRETURN 'inner' + ' ran' AS i;\n",
    )
    .unwrap();
    let mut p = shell(home.path(), &[]);
    let out = run(&mut p, ":source elsewhere/scripts/main.cypher");
    let (inner, outer) = (out.find("inner ran"), out.find("outer done"));
    assert!(inner.is_some() && inner < outer, "{out}");
    // A missing script is an error naming the path.
    let out = run(&mut p, ":source nowhere.cypher");
    assert!(out.contains("cannot read nowhere.cypher"), "{out}");
    quit(p);
}

#[test]
fn schema_lists_labels_types_with_their_ends_and_keys() {
    let home = TempDir::new().unwrap();
    let mut p = shell(home.path(), &[]);
    let out = run(&mut p, ":schema");
    for part in [
        "Labels (6):",
        ":Role",
        "Relationship types",
        ":LEADS",
        "(:Role)-->(:Team)",
        "Property keys:",
    ] {
        assert!(out.contains(part), "{part} in {out}");
    }
    let out = run(&mut p, ":sources");
    assert!(out.contains("Marco Franzoni") && out.contains("5 rows"), "{out}");
    quit(p);
}

#[test]
fn an_unknown_meta_command_suggests_the_closest() {
    let home = TempDir::new().unwrap();
    let mut p = shell(home.path(), &[]);
    let out = run(&mut p, ":shcema");
    assert!(out.contains("unknown command ':shcema'"), "{out}");
    assert!(out.contains("did you mean ':schema'?"), "{out}");
    let out = run(&mut p, ":help describe");
    assert!(out.contains("DESCRIBE CTO;"), "{out}");
    let out = run(&mut p, ":save");
    assert!(out.contains("usage: :save DIR"), "{out}");
    quit(p);
}

#[test]
fn piped_input_runs_like_a_script_without_prompts() {
    let out = assert_cmd::Command::cargo_bin("rolegraph")
        .unwrap()
        .env("NO_COLOR", "1")
        .write_stdin("RETURN 1 AS one;\nRETURN 2 AS two;\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("roles>"), "{stdout}");
    assert!(stdout.contains("two"), "{stdout}");
    let out = assert_cmd::Command::cargo_bin("rolegraph")
        .unwrap()
        .write_stdin("MACH (n);\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// Lines of output the shell printed (not the echo of the line being
/// edited, which carries escape sequences), without carriage returns.
fn screen_lines(out: &str) -> Vec<String> {
    out.split('\n')
        .map(|l| l.trim_end_matches('\r').to_string())
        .filter(|l| !l.contains('\x1b'))
        .collect()
}

#[test]
fn the_first_minute_has_no_dead_ends() {
    let home = TempDir::new().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rolegraph"));
    cmd.current_dir(home.path())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut p = Session::spawn(cmd).unwrap();
    p.set_expect_timeout(Some(Duration::from_secs(120)));
    // The banner says how statements end and where help is.
    let banner = expect(&mut p, READY);
    assert!(banner.contains("end with ';'") && banner.contains("help"), "{banner}");
    // `help` on an empty line is :help.
    let out = run(&mut p, "help");
    assert!(out.contains(":schema") && !out.contains("error"), "{out}");
    // An empty continuation line says how to finish or cancel.
    send(&mut p, "RETURN 1 AS one");
    send(&mut p, ENTER);
    expect(&mut p, "...> ");
    expect(&mut p, "end the statement with ;");
    let out = run(&mut p, ";");
    assert!(out.contains("1 row"), "{out}");
    // Inside an open quote the continuation marker stays visible.
    send(&mut p, "RETURN 'two");
    send(&mut p, ENTER);
    expect(&mut p, "...> ");
    let out = run(&mut p, "lines' AS s;");
    assert!(
        out.contains("two") && out.contains("lines") && out.contains("1 row"),
        "{out}"
    );
    // `exit` leaves.
    send(&mut p, "exit");
    send(&mut p, ENTER);
    p.expect(Eof).expect("exit leaves the shell");
    for word in ["quit", "\\q", ":q"] {
        let mut p = shell(home.path(), &[]);
        send(&mut p, word);
        send(&mut p, ENTER);
        p.expect(Eof).unwrap_or_else(|e| panic!("{word} leaves the shell: {e}"));
    }
}

#[test]
fn the_continuation_indent_is_not_part_of_the_statement() {
    let home = TempDir::new().unwrap();
    let mut p = shell(home.path(), &[]);
    send(&mut p, "MATCH (r:Role)");
    send(&mut p, ENTER);
    expect(&mut p, "...> ");
    send(&mut p, "WHERE r.id = 'chief-technology-officer'");
    send(&mut p, ENTER);
    expect(&mut p, "...> ");
    let out = run(&mut p, "RETURN r.nme, nosuch;");
    // The error is on line 3, at the column of `nosuch` as typed.
    assert!(out.contains("input:3:15"), "{out}");
    assert!(out.contains("3 | RETURN r.nme, nosuch;"), "{out}");
    send(&mut p, ":quit");
    send(&mut p, ENTER);
    p.expect(Eof).unwrap();
    let saved = std::fs::read_to_string(home.path().join("data/rolegraph/history")).unwrap();
    assert!(
        saved.contains("MATCH (r:Role)\\nWHERE r.id"),
        "history keeps the indent: {saved:?}"
    );
}

#[test]
fn tables_never_break_a_word_in_80_columns() {
    let home = TempDir::new().unwrap();
    let mut p = shell(home.path(), &[]);
    // Too wide for 80 columns: expanded, one field a line (auto mode).
    let out = run(&mut p, "DIFF CTO, CPO;");
    assert!(out.contains("-[ RECORD 1 ]"), "{out}");
    // Records (the title above them is text the terminal wraps).
    for line in screen_lines(&out)
        .iter()
        .filter(|l| l.contains('│') || l.starts_with("-["))
    {
        assert!(line.chars().count() <= 80, "a line wider than the terminal: {line:?}");
    }
    assert!(out.contains("chief-technology-officer"), "{out}");
    // Wrapped at spaces when every column's longest word fits.
    let q = "MATCH (r:Role)-[x:RESPONSIBLE_FOR]->(s) WHERE r.id = 'chief-technology-officer' \
             RETURN r.id AS role, type(x) AS type, s.id AS id, s.name AS name, s.name + ' ' + s.name AS twice \
             ORDER BY id LIMIT 3;";
    let out = run(&mut p, ":mode table");
    assert!(!out.contains("error"), "{out}");
    let out = run(&mut p, q);
    assert!(!out.contains("RECORD"), "{out}");
    assert!(
        out.contains("chief-technology-officer") && out.contains("RESPONSIBLE_FOR"),
        "{out}"
    );
    for line in screen_lines(&out).iter().filter(|l| l.contains('│')) {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
    // :mode expanded always expands.
    run(&mut p, ":mode expanded");
    let out = run(&mut p, "RETURN 10 AS ten;");
    assert!(out.contains("-[ RECORD 1 ]") && out.contains("ten │ 10"), "{out}");
    let out = run(&mut p, ":mode");
    assert!(out.contains("mode: expanded"), "{out}");
    quit(p);
}

#[test]
fn long_output_goes_through_the_pager() {
    let home = TempDir::new().unwrap();
    let mut p = shell_with(home.path(), &[], &[("PAGER", "sed 's/^/PAGED| /'")]);
    let out = run(&mut p, "UNWIND range(1, 40) AS i RETURN i;");
    assert!(out.contains("PAGED| │ 40"), "{out}");
    // Short output is printed directly.
    let out = run(&mut p, "RETURN 1 AS one;");
    assert!(!out.contains("PAGED|") && out.contains("1 row"), "{out}");
    run(&mut p, ":pager off");
    let out = run(&mut p, "UNWIND range(1, 40) AS i RETURN i;");
    assert!(!out.contains("PAGED|") && out.contains("40 rows"), "{out}");
    quit(p);
    let mut p = shell_with(home.path(), &["--no-pager"], &[("PAGER", "sed 's/^/PAGED| /'")]);
    let out = run(&mut p, "UNWIND range(1, 40) AS i RETURN i;");
    assert!(!out.contains("PAGED|") && out.contains("40 rows"), "{out}");
    quit(p);
}

#[test]
fn output_goes_to_a_file_and_max_rows_cuts_with_a_note() {
    let home = TempDir::new().unwrap();
    let mut p = shell(home.path(), &[]);
    run(&mut p, ":format csv");
    let out = run(&mut p, ":output results.csv");
    assert!(!out.contains("error"), "{out}");
    let out = run(&mut p, "RETURN 'in the file' AS place;");
    assert!(!screen_lines(&out).iter().any(|l| l.contains("in the file")), "{out}");
    run(&mut p, "RETURN 'also' AS place;");
    let out = run(&mut p, ":output");
    assert!(out.contains("results.csv"), "{out}");
    let out = run(&mut p, "RETURN 'on screen' AS place;");
    assert!(out.contains("on screen"), "{out}");
    let file = std::fs::read_to_string(home.path().join("results.csv")).unwrap();
    assert_eq!(file, "place\r\nin the file\r\nplace\r\nalso\r\n");
    run(&mut p, ":format table");
    run(&mut p, ":max-rows 2");
    let out = run(&mut p, "UNWIND range(1, 5) AS i RETURN i;");
    assert!(out.contains("showing the first 2 of 5 rows"), "{out}");
    assert!(out.contains("│ 2 ") && !out.contains("│ 3 "), "{out}");
    quit(p);
}

#[test]
fn history_lists_and_reruns_entries_and_help_has_every_topic() {
    let home = TempDir::new().unwrap();
    let mut p = shell(home.path(), &[]);
    run(&mut p, "RETURN 'first' AS which;");
    run(&mut p, "RETURN 'second' AS which;");
    let out = run(&mut p, ":history");
    assert!(
        out.contains("1  RETURN 'first' AS which;") && out.contains("2  RETURN 'second' AS which;"),
        "{out}"
    );
    let out = run(&mut p, ":history 1");
    assert!(out.contains("first") && out.contains("1 row"), "{out}");
    let out = run(&mut p, ":history 99");
    assert!(out.contains("no history entry '99'"), "{out}");
    for topic in [
        "explain",
        "profile",
        "translate",
        "export overlap",
        "export-diff",
        "export path",
        "display",
        "scripts",
    ] {
        let out = run(&mut p, &format!(":help {topic}"));
        assert!(!out.contains("no help on") && out.lines().count() > 3, "{topic}: {out}");
    }
    quit(p);
}

#[test]
fn undo_redo_and_changes_and_the_warning_counts_undone_changes() {
    let home = TempDir::new().unwrap();
    let mut p = shell(home.path(), &[]);
    let out = run(
        &mut p,
        "MATCH (r:Role {id: 'chief-technology-officer'}) SET r.name = 'Chief Tech' RETURN r.name;",
    );
    assert!(out.contains("Chief Tech") && out.contains("1 property set"), "{out}");
    let out = run(&mut p, "CREATE (:Role {id: 'chief-shell-officer'});");
    assert!(out.contains("1 node created"), "{out}");
    let out = run(&mut p, ":changes");
    assert!(out.contains("2 changes not saved"), "{out}");
    assert!(out.contains("SET r.name = 'Chief Tech'"), "{out}");
    // Undo takes back the last statement, then the one before.
    let out = run(&mut p, ":undo");
    assert!(
        out.contains("undone: CREATE (:Role {id: 'chief-shell-officer'})"),
        "{out}"
    );
    assert!(out.contains("1 more to undo, 1 to redo"), "{out}");
    let out = run(
        &mut p,
        "MATCH (r:Role {id: 'chief-shell-officer'}) RETURN count(*) AS n;",
    );
    assert!(out.contains("│ 0 "), "{out}");
    run(&mut p, ":undo");
    let out = run(&mut p, "MATCH (r:Role {id: 'chief-technology-officer'}) RETURN r.name;");
    assert!(out.contains("Chief Technology Officer"), "{out}");
    let out = run(&mut p, ":undo");
    assert!(out.contains("nothing more to undo"), "{out}");
    // Redo makes the first again.
    let out = run(&mut p, ":redo");
    assert!(
        out.contains("redone: MATCH (r:Role {id: 'chief-technology-officer'}) SET"),
        "{out}"
    );
    let out = run(&mut p, "MATCH (r:Role {id: 'chief-technology-officer'}) RETURN r.name;");
    assert!(out.contains("Chief Tech"), "{out}");
    // Every change counts, undone ones too.
    let out = run(&mut p, ":changes");
    assert!(out.contains("5 changes (2 undone, 1 redone) not saved"), "{out}");
    let out = run(&mut p, ":load /nonexistent-dir");
    assert!(
        out.contains("warning: the graph has 5 changes (2 undone, 1 redone) that are not saved"),
        "{out}"
    );
    let out = run(&mut p, ":quit");
    assert!(out.contains("warning: the graph has 5 changes"), "{out}");
    assert!(out.contains(":quit (or Ctrl-D) again leaves"), "{out}");
    // Even a graph undone back to where it started warns.
    run(&mut p, ":undo");
    let out = run(&mut p, ":quit");
    assert!(out.contains("6 changes (3 undone, 1 redone)"), "{out}");
    send(&mut p, ":quit");
    send(&mut p, ENTER);
    p.expect(Eof).expect("the second :quit leaves");
}
