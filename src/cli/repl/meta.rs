//! Meta-commands: lines starting with `:` at the start of a statement, in
//! the shell and in scripts run with `:source`. Paths in a sourced script
//! resolve against that script's directory.

use std::path::{Path, PathBuf};

use super::{Flow, Shell, help, schema};
use crate::cli::params;
use crate::eval::Rows;
use crate::render::Format;
use crate::value::Value;

pub struct Command {
    pub name: &'static str,
    pub args: &'static str,
    pub about: &'static str,
}

const fn cmd(name: &'static str, args: &'static str, about: &'static str) -> Command {
    Command { name, args, about }
}

pub const COMMANDS: &[Command] = &[
    cmd(":help", "[topic]", "the language in short; :help TOPIC for one topic"),
    cmd(":schema", "", "labels, relationship types and property keys"),
    cmd(":sources", "", "the source documents: id, title, author, date"),
    cmd(":load", "DIR", "load a graph from a data directory instead"),
    cmd(":source", "FILE", "run the statements and commands in FILE"),
    cmd(":format", "FORMAT", "table, json, jsonl, csv or markdown from now on"),
    cmd(
        ":mode",
        "table|expanded|auto",
        "tables, one field a line, or chosen by width",
    ),
    cmd(":pager", "on|off", "long output through $PAGER (default less -FRX)"),
    cmd(":output", "[FILE]", "results into FILE from now on; alone, back here"),
    cmd(":timing", "on|off", "show how long each statement took"),
    cmd(":param", "NAME VALUE", "set $NAME (also NAME => VALUE, {name: value})"),
    cmd(":params", "[clear]", "list the parameters (or remove them all)"),
    cmd(":export", "FORMAT FILE WHAT", "draw a diagram (:help export)"),
    cmd(":timeout", "SECONDS|off", "stop statements that run longer than this"),
    cmd(":max-rows", "N|off", "show at most N rows of each result, with a note"),
    cmd(
        ":max-memory",
        "SIZE|off",
        "stop statements that need more memory (e.g. 2G)",
    ),
    cmd(":max-paths", "N|off", "stop variable-length patterns after N paths"),
    cmd(
        ":threads",
        "[N]",
        "threads one statement may use (default: one per core)",
    ),
    cmd(":save", "DIR", "write the graph to DIR as graph-data files"),
    cmd(
        ":undo",
        "[N]",
        "take back the last statement that changed the graph (or N)",
    ),
    cmd(":redo", "[N]", "make again what :undo took back"),
    cmd(":changes", "", "list the changes not saved yet"),
    cmd(":history", "[N]", "list earlier input, or run entry N again"),
    cmd(":clear", "", "clear the screen"),
    cmd(":quit", "", "leave the shell (Ctrl-D does too)"),
];

/// Short spellings people type out of habit.
fn canonical(name: &str) -> &str {
    match name {
        ":q" | ":exit" => ":quit",
        ":h" | ":?" => ":help",
        ":param" | ":set" => ":param",
        other => other,
    }
}

/// The values an argument of `cmd` can take, for completion.
pub fn arg_values(cmd: &str) -> Option<Vec<&'static str>> {
    match canonical(cmd) {
        ":help" => Some(help::names()),
        ":format" => Some(Format::NAMES.to_vec()),
        ":timing" | ":pager" => Some(vec!["on", "off"]),
        ":mode" => Some(crate::render::TableMode::NAMES.to_vec()),
        ":params" => Some(vec!["clear"]),
        _ => None,
    }
}

/// True for commands whose argument is a file or directory.
pub fn takes_path(cmd: &str) -> bool {
    matches!(canonical(cmd), ":load" | ":source" | ":export" | ":save" | ":output")
}

/// A path argument: quotes removed, `~/` expanded, and relative to `base`
/// (the running script's directory) when there is one.
pub fn resolve(base: Option<&Path>, arg: &str) -> PathBuf {
    let arg = arg.trim();
    let arg = ['\'', '"']
        .iter()
        .find_map(|q| arg.strip_prefix(*q).and_then(|a| a.strip_suffix(*q)))
        .unwrap_or(arg);
    let path = match (arg.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(arg),
    };
    match base {
        Some(b) if path.is_relative() => b.join(path),
        _ => path,
    }
}

/// Runs one meta-command line.
pub fn run(shell: &mut Shell, line: &str, base: Option<&Path>) -> Flow {
    let line = line.trim();
    let (name, arg) = match line.find(char::is_whitespace) {
        Some(i) => (&line[..i], line[i..].trim()),
        None => (line, ""),
    };
    match canonical(name) {
        ":help" => {
            if arg.is_empty() {
                say!(shell, "{}", help::overview(COMMANDS));
            } else if let Some(t) = help::topic(arg) {
                sayln!(shell, "{}", t.text);
            } else {
                let hint = crate::diag::did_you_mean(arg, help::names()).map(|h| format!("; {h}"));
                eprintln!(
                    "error: no help on '{arg}'{}\ntopics: {}",
                    hint.unwrap_or_default(),
                    help::names().join(", ")
                );
                return Flow::Failed;
            }
        }
        ":schema" => match shell.session.server() {
            Some(server) => match crate::remote::schema::ServerSchema::read(server) {
                Ok(s) => say!(shell, "{}", s.describe()),
                Err(e) => {
                    eprintln!("error: {e}");
                    return Flow::Failed;
                }
            },
            None => say!(shell, "{}", schema::describe(shell.session.graph())),
        },
        ":sources" if shell.session.is_remote() => {
            let q =
                "MATCH (s:Source) RETURN s.id AS id, s.title AS title, s.author AS author, s.date AS date ORDER BY id";
            match shell.session.run(q) {
                Ok(rows) => {
                    shell.statements += 1;
                    shell.print_rows(&rows, "sources", "", line);
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    return Flow::Failed;
                }
            }
        }
        ":sources" => {
            let rows = schema::sources(shell.session.graph());
            shell.statements += 1;
            shell.print_rows(&rows, "sources", "", line);
        }
        c @ (":load" | ":save") if shell.session.is_remote() => {
            eprintln!(
                "error: {c} works on a local graph; this shell runs on a server (rolegraph pull --connect URL -o DIR writes the server's graph to files)"
            );
            return Flow::Failed;
        }
        c @ (":undo" | ":redo" | ":changes") => return super::undo::run(shell, c, arg),
        ":load" => {
            if arg.is_empty() {
                return usage(":load");
            }
            if !super::undo::may_discard(shell, ":load") {
                return Flow::Failed;
            }
            let dir = resolve(base, arg);
            match crate::load::load_dir_with(&dir, &shell.session.file_limits()) {
                Ok(crate::load::Loaded { graph: g, warnings }) => {
                    for w in &warnings {
                        eprintln!("warning: {w}");
                    }
                    let line = format!(
                        "loaded '{}' from {}: {}, {}",
                        g.name(),
                        dir.display(),
                        crate::save::counted(g.node_count(), "node", "nodes"),
                        crate::save::counted(g.rel_count(), "relationship", "relationships")
                    );
                    sayln!(shell, "{line}");
                    shell.session.set_graph(g);
                    shell.session.set_source(&dir);
                    shell.vocab_stale = true;
                }
                Err(errors) => {
                    eprint!("{}", errors.render());
                    eprintln!("the graph is unchanged");
                    return Flow::Failed;
                }
            }
        }
        ":source" => {
            if arg.is_empty() {
                return usage(":source");
            }
            return shell.source(&resolve(base, arg));
        }
        ":format" => match arg {
            "" => sayln!(shell, "format: {}", shell.out.format.name()),
            f => match f.parse::<Format>() {
                Ok(fmt) => shell.out.format = fmt,
                Err(e) => {
                    eprintln!("error: {e}");
                    return Flow::Failed;
                }
            },
        },
        ":timing" => match arg.to_ascii_lowercase().as_str() {
            "" => sayln!(shell, "timing: {}", if shell.out.table.timing { "on" } else { "off" }),
            "on" | "true" | "1" => shell.out.table.timing = true,
            "off" | "false" | "0" => shell.out.table.timing = false,
            other => {
                eprintln!("error: :timing takes on or off, not '{other}'");
                return Flow::Failed;
            }
        },
        ":param" => {
            let assignments = match param_assignments(arg) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("error: {e}");
                    if let Some(c) = COMMANDS.iter().find(|c| c.name == ":param") {
                        eprintln!("usage: {} {}  ({})", c.name, c.args, c.about);
                    }
                    return Flow::Failed;
                }
            };
            for (pname, value) in assignments {
                shell.session.set_param(pname, value);
            }
            shell.vocab_stale = true;
        }
        ":mode" => match arg {
            "" => sayln!(shell, "mode: {}", shell.out.table.mode.name()),
            m => match crate::render::TableMode::parse(m) {
                Some(mode) => shell.out.table.mode = mode,
                None => {
                    eprintln!("error: :mode takes table, expanded or auto, not '{m}'");
                    return Flow::Failed;
                }
            },
        },
        ":pager" => match arg.to_ascii_lowercase().as_str() {
            "" => sayln!(shell, "pager: {}", if shell.out.pager { "on" } else { "off" }),
            "on" | "true" | "1" => shell.out.pager = true,
            "off" | "false" | "0" => shell.out.pager = false,
            other => {
                eprintln!("error: :pager takes on or off, not '{other}'");
                return Flow::Failed;
            }
        },
        ":output" => {
            if arg.is_empty() {
                if let Some((path, _)) = shell.output_file.take() {
                    sayln!(
                        shell,
                        "results were written to {}; they come here again",
                        path.display()
                    );
                }
                return Flow::Ok;
            }
            let path = resolve(base, arg);
            // Like sqlite3's .output: the file starts empty.
            if let Err(e) = crate::output::write_file(&path, b"") {
                eprintln!("error: {e}");
                return Flow::Failed;
            }
            shell.output_file = Some((path, String::new()));
        }
        ":params" => match arg {
            "clear" => {
                shell.session.clear_params();
                shell.vocab_stale = true;
            }
            "" => {
                let mut names: Vec<(&String, &Value)> = shell.session.params().iter().collect();
                names.sort_by(|a, b| a.0.cmp(b.0));
                let rows = Rows {
                    columns: vec!["name".into(), "value".into()],
                    rows: names
                        .into_iter()
                        .map(|(n, v)| vec![Value::str(&format!("${n}")), v.clone()])
                        .collect(),
                    ..Rows::default()
                };
                shell.statements += 1;
                shell.print_rows(&rows, "params", "", line);
            }
            _ => return usage(":params"),
        },
        ":export" => return export(shell, arg, base),
        ":save" => {
            if arg.is_empty() {
                return usage(":save");
            }
            let dir = resolve(base, arg);
            match shell.session.save(&dir) {
                Ok(saved) => sayln!(shell, "{saved}"),
                Err(e) => {
                    eprintln!("error: {e}");
                    return Flow::Failed;
                }
            }
        }
        ":timeout" => match arg.to_ascii_lowercase().as_str() {
            "" => match shell.session.limits_mut().timeout {
                Some(t) => sayln!(shell, "timeout: {} s", t.as_secs_f64()),
                None => sayln!(shell, "timeout: off"),
            },
            "off" | "none" | "0" => shell.session.limits_mut().timeout = None,
            s => match s.trim_end_matches('s').trim().parse::<f64>() {
                Ok(t) if t > 0.0 && t.is_finite() => {
                    shell.session.limits_mut().timeout = Some(std::time::Duration::from_secs_f64(t))
                }
                _ => {
                    eprintln!("error: :timeout takes a positive number of seconds or off, not '{arg}'");
                    return Flow::Failed;
                }
            },
        },
        ":max-rows" => match arg.to_ascii_lowercase().as_str() {
            "" => match shell.out.max_rows {
                Some(n) => sayln!(shell, "max-rows: {n}"),
                None => sayln!(shell, "max-rows: off"),
            },
            "off" | "none" => shell.out.max_rows = None,
            s => match s.parse::<usize>() {
                Ok(n) => shell.out.max_rows = Some(n),
                Err(_) => {
                    eprintln!("error: :max-rows takes a number of rows or off, not '{arg}'");
                    return Flow::Failed;
                }
            },
        },
        ":history" => {
            if arg.is_empty() {
                // The entry just typed (`:history`) is not listed.
                let shown = shell.history.len().saturating_sub(1);
                let width = shown.to_string().len();
                let mut text = String::new();
                for (i, entry) in shell.history[..shown].iter().enumerate() {
                    let mut lines = entry.lines();
                    text.push_str(&format!("{:>width$}  {}\n", i + 1, lines.next().unwrap_or("")));
                    for l in lines {
                        text.push_str(&format!("{:>width$}  {l}\n", ""));
                    }
                }
                shell.say(&text);
                return Flow::Ok;
            }
            let n = arg.trim_start_matches('!').parse::<usize>().ok();
            let entry = n
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| shell.history.get(i))
                .cloned();
            match entry {
                Some(text) if !text.trim_start().starts_with(":history") => {
                    sayln!(shell, "{text}");
                    return shell.run_text(&text, "input", base);
                }
                Some(_) => {
                    eprintln!("error: entry {arg} is a :history command itself");
                    return Flow::Failed;
                }
                None => {
                    eprintln!(
                        "error: no history entry '{arg}' (:history lists {} entries)",
                        shell.history.len().saturating_sub(1)
                    );
                    return Flow::Failed;
                }
            }
        }
        ":max-memory" => match arg {
            "" => match shell.session.limits_mut().max_memory {
                Some(n) => sayln!(shell, "max-memory: {}", crate::eval::budget::show_size(n)),
                None => sayln!(shell, "max-memory: off"),
            },
            s => match crate::eval::budget::parse_memory_limit(s) {
                Ok(m) => shell.session.limits_mut().max_memory = m,
                Err(e) => {
                    eprintln!("error: :max-memory takes a size or off: {e}");
                    return Flow::Failed;
                }
            },
        },
        ":max-paths" => match arg {
            "" => match shell.session.limits_mut().max_paths {
                Some(n) => sayln!(shell, "max-paths: {n}"),
                None => sayln!(shell, "max-paths: off"),
            },
            s => match crate::eval::budget::parse_path_limit(s) {
                Ok(n) => shell.session.limits_mut().max_paths = n,
                Err(e) => {
                    eprintln!("error: :max-paths takes a number of paths or off: {e}");
                    return Flow::Failed;
                }
            },
        },
        ":threads" => match arg {
            "" => {
                let n = shell.session.limits_mut().threads;
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
                match n {
                    Some(n) => sayln!(shell, "threads: {n}"),
                    None => sayln!(shell, "threads: {cores} (one per core)"),
                }
            }
            s => match s.parse::<u16>() {
                Ok(n) if n >= 1 => shell.session.limits_mut().threads = Some(n as usize),
                _ => {
                    eprintln!("error: :threads takes a number of threads from 1 to 65535, not {s:?}");
                    return Flow::Failed;
                }
            },
        },
        ":clear" => shell.clear_screen = true,
        ":quit" => {
            if !shell.may_quit() {
                return Flow::Failed;
            }
            return Flow::Quit;
        }
        _ => {
            let names = COMMANDS.iter().map(|c| c.name);
            let hint = crate::diag::did_you_mean(name, names)
                .map(|h| format!("\n  = help: {h}"))
                .unwrap_or_default();
            eprintln!("error: unknown command '{name}'{hint}\n  (:help lists the commands)");
            return Flow::Failed;
        }
    }
    Flow::Ok
}

/// `:export FORMAT FILE WHAT ...`, done by [`crate::export`]. FILE is
/// relative to the running script's directory, as other paths are.
fn export(shell: &mut Shell, arg: &str, base: Option<&Path>) -> Flow {
    let words = match base {
        Some(b) => rebase_file_word(arg, b),
        None => arg.to_string(),
    };
    let result = crate::export::export_command(shell.session, &words, shell.last.as_ref());
    shell.vocab_stale = true;
    match result {
        Ok(msg) => {
            if !msg.is_empty() {
                sayln!(shell, "{msg}");
            }
            Flow::Ok
        }
        Err(e) => {
            eprintln!("{}", e.render());
            Flow::Failed
        }
    }
}

/// `FORMAT FILE REST` with a relative, unquoted FILE joined to `base`.
fn rebase_file_word(words: &str, base: &Path) -> String {
    let mut parts = words.trim().splitn(3, char::is_whitespace);
    let (Some(format), Some(file)) = (parts.next(), parts.next()) else {
        return words.to_string();
    };
    let rest = parts.next().unwrap_or("");
    if file == "-" || file.starts_with(['\'', '"']) || Path::new(file).is_absolute() {
        return words.to_string();
    }
    format!("{format} {} {rest}", base.join(file).display())
}

pub(super) fn usage(name: &str) -> Flow {
    if let Some(c) = COMMANDS.iter().find(|c| c.name == name) {
        eprintln!("usage: {} {}  ({})", c.name, c.args, c.about);
    }
    Flow::Failed
}

/// `:param`'s argument, in every form people bring from other shells:
/// `name value`, `name = value`, `name: value`, cypher-shell's
/// `name => value`, and a map `{name: value, ...}` setting each key.
pub fn param_assignments(arg: &str) -> Result<Vec<(String, Value)>, params::ParamError> {
    use params::ParamError;
    let arg = arg.trim();
    if arg.starts_with('{') {
        return match params::parse_value(arg)? {
            Value::Map(m) => Ok(m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()),
            _ => Err(ParamError::NotAMap { text: arg.to_string() }),
        };
    }
    let body = arg.strip_prefix('$').unwrap_or(arg);
    let end = body
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    let (pname, rest) = body.split_at(end);
    if pname.is_empty() {
        return Err(ParamError::NoName { text: arg.to_string() });
    }
    let rest = rest.trim_start();
    let value = ["=>", "=", ":"]
        .iter()
        .find_map(|sep| rest.strip_prefix(sep))
        .unwrap_or(rest)
        .trim();
    if value.is_empty() {
        return Err(ParamError::NoValue {
            name: pname.to_string(),
        });
    }
    let value = params::parse_value(value).map_err(|e| e.of(pname))?;
    Ok(vec![(pname.to_string(), value)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_against_the_calling_script() {
        let base = Path::new("/scripts/nested");
        assert_eq!(
            resolve(Some(base), "inner.cypher"),
            PathBuf::from("/scripts/nested/inner.cypher")
        );
        assert_eq!(
            resolve(Some(base), "'a b.cypher'"),
            PathBuf::from("/scripts/nested/a b.cypher")
        );
        assert_eq!(resolve(Some(base), "/abs/x"), PathBuf::from("/abs/x"));
        assert_eq!(resolve(None, "x.cypher"), PathBuf::from("x.cypher"));
    }

    #[test]
    fn export_files_resolve_against_the_calling_script() {
        let b = Path::new("/s");
        assert_eq!(
            rebase_file_word("svg out.svg overlap CTO, CPO", b),
            "svg /s/out.svg overlap CTO, CPO"
        );
        assert_eq!(rebase_file_word("dot - last", b), "dot - last");
    }

    #[test]
    fn params_take_every_common_form() {
        for form in [
            "x 'abc'",
            "x = 'abc'",
            "x => 'abc'",
            "$x: 'abc'",
            "x=>'abc'",
            "{x: 'abc'}",
        ] {
            let got = param_assignments(form).unwrap_or_else(|e| panic!("{form}: {e}"));
            assert_eq!(got.len(), 1, "{form}");
            assert_eq!(got[0].0, "x", "{form}");
            assert!(
                matches!(&got[0].1, Value::String(s) if &**s == "abc"),
                "{form}: {:?}",
                got[0].1
            );
        }
        assert_eq!(
            param_assignments("x").unwrap_err(),
            params::ParamError::NoValue { name: "x".into() }
        );
        assert_eq!(
            param_assignments("=> 1").unwrap_err(),
            params::ParamError::NoName { text: "=> 1".into() }
        );
        assert_eq!(
            param_assignments("{1}").unwrap_err(),
            params::ParamError::NotAMap { text: "{1}".into() }
        );
        let two = param_assignments("{a: 1, b: [2]}").unwrap();
        assert_eq!(two.len(), 2);
    }

    #[test]
    fn completion_knows_the_arguments() {
        assert!(takes_path(":source") && takes_path(":load") && !takes_path(":format"));
        assert_eq!(arg_values(":timing"), Some(vec!["on", "off"]));
    }
}
