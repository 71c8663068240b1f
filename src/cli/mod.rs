//! The command-line front end: reads arguments, loads the graph, runs
//! statements from `-e`, files or standard input (or opens the shell), and
//! maps every outcome to an exit code in one place.

mod args;
mod bench;
mod doc;
mod export;
mod generate;
mod paint;
mod params;
mod remote;
mod repl;
mod script;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

pub use args::{Args, Command};

use crate::load;
use crate::render::{Format, TableMode, TableOptions};
use crate::session::Session;

/// Why the program stops; each has its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok,
    QueryError,
    Usage,
    DataError,
    /// Output could not be written (a full disk, a closed descriptor).
    OutputError,
    /// The reader of standard output went away (`| head`): a quiet end,
    /// with the status a process killed by SIGPIPE has (128 + 13).
    ClosedPipe,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::QueryError => 1,
            Exit::Usage => 2,
            Exit::DataError => 3,
            Exit::OutputError => 4,
            Exit::ClosedPipe => 141,
        }
    }

    /// The exit for output that could not be written; says why, unless the
    /// reader just went away.
    pub fn from_output(e: &crate::output::OutputError) -> Exit {
        if matches!(e, crate::output::OutputError::ClosedPipe) {
            return Exit::ClosedPipe;
        }
        eprintln!("error: {e}");
        Exit::OutputError
    }
}

/// How results are printed.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: Format,
    pub table: TableOptions,
    pub color: bool,
    /// Long output in the shell goes through the pager.
    pub pager: bool,
    /// Show at most this many rows of a result (`:max-rows`).
    pub max_rows: Option<usize>,
}

pub fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) if e.use_stderr() => {
            let _ = e.print();
            return ExitCode::from(Exit::Usage.code());
        }
        // Help and version go to standard output, checked as every result is.
        Err(e) => {
            return ExitCode::from(match crate::output::stdout(e.render().to_string().as_bytes()) {
                Ok(()) => Exit::Ok.code(),
                Err(e) => Exit::from_output(&e).code(),
            });
        }
    };
    ExitCode::from(run(args).code())
}

pub fn run(args: Args) -> Exit {
    match &args.command {
        Some(Command::Completions { shell }) => return generate::completions(*shell),
        Some(Command::Man { dir }) => return generate::man(dir.as_deref()),
        _ => {}
    }
    if let Some(Command::Bench {
        queries,
        runs,
        warmup,
        out,
        n,
        ordered,
    }) = &args.command
    {
        let timeout = match args.timeout {
            Some(t) if !(t > 0.0 && t.is_finite()) => {
                eprintln!("error: --timeout needs a positive number of seconds, not {t}");
                return Exit::Usage;
            }
            t => t.map(Duration::from_secs_f64),
        };
        // Before loading: the benchmark times the load itself.
        return bench::run(&bench::BenchOptions {
            data: args.data.clone(),
            queries: queries.clone(),
            runs: *runs,
            warmup: *warmup,
            out: out.clone(),
            n: *n,
            ordered: ordered.clone(),
            engine: "rolegraph".into(),
            budget_s: 60.0,
            timeout,
            threads: args.threads.map(usize::from),
        });
    }
    match &args.command {
        Some(Command::Push { replace }) => return remote::push(&args, *replace),
        Some(Command::Pull { output }) => return remote::pull(&args, output),
        _ => {}
    }
    let file_limits = match &args.max_file_size {
        Some(m) => match crate::eval::budget::parse_size(m) {
            Ok(n) => load::FileLimits::all(n),
            Err(e) => {
                eprintln!("error: --max-file-size {e}");
                return Exit::Usage;
            }
        },
        None => load::FileLimits::default(),
    };
    let mut session = if args.connect.is_some() {
        match remote::session(&args) {
            Ok(s) => s,
            Err(exit) => return exit,
        }
    } else {
        let graph = match &args.data {
            Some(dir) => load::load_dir_with(dir, &file_limits).map(|loaded| {
                for w in &loaded.warnings {
                    eprintln!("warning: {w}");
                }
                loaded.graph
            }),
            None if args.empty => Ok(crate::Graph::new("graph")),
            None => load::builtin(),
        };
        let graph = match graph {
            Ok(g) => g,
            Err(errors) => {
                eprint!("{}", errors.render());
                return Exit::DataError;
            }
        };
        let mut session = Session::new(graph);
        if let Some(dir) = &args.data {
            session.set_source(dir);
        }
        session
    };
    session.set_file_limits(file_limits);
    for p in &args.params {
        match params::parse_assignment(p) {
            Ok((name, value)) => session.set_param(name, value),
            Err(e) => {
                eprintln!("error: --param {p}: {e}");
                return Exit::Usage;
            }
        }
    }
    if let Some(t) = args.timeout {
        if !(t > 0.0 && t.is_finite()) {
            eprintln!("error: --timeout needs a positive number of seconds, not {t}");
            return Exit::Usage;
        }
        session.limits_mut().timeout = Some(Duration::from_secs_f64(t));
    }
    session.limits_mut().max_rows = args.max_rows;
    if let Some(m) = &args.max_memory {
        match crate::eval::budget::parse_memory_limit(m) {
            Ok(m) => session.limits_mut().max_memory = m,
            Err(e) => {
                eprintln!("error: --max-memory {e}");
                return Exit::Usage;
            }
        }
    }
    if let Some(n) = args.threads {
        session.limits_mut().threads = Some(n as usize);
    }
    if let Some(n) = &args.max_paths {
        match crate::eval::budget::parse_path_limit(n) {
            Ok(n) => session.limits_mut().max_paths = n,
            Err(e) => {
                eprintln!("error: --max-paths {e}");
                return Exit::Usage;
            }
        }
    }
    let stdout_tty = std::io::stdout().is_terminal();
    let when = paint::When::parse(&args.color).unwrap_or(paint::When::Auto);
    paint::set(when.colours(std::io::stderr().is_terminal()));
    let out = Output {
        format: args.format.parse().unwrap_or(Format::Table),
        table: TableOptions {
            // A person at a terminal sees the time; scripts get stable output.
            timing: args.timing || stdout_tty,
            width: None,
            mode: args.mode.as_deref().and_then(TableMode::parse).unwrap_or_default(),
            csv_safe: args.safe_csv,
        },
        color: when.colours(stdout_tty),
        pager: !args.no_pager,
        max_rows: None,
    };

    if let Some(Command::Check { files }) = &args.command {
        return script::check_files(&session, files);
    }
    if let Some(Command::Export {
        what,
        args: words,
        output,
        render,
        neo4j,
        diagram,
    }) = &args.command
    {
        if let Some(format) = crate::export::DataFormat::parse(what) {
            return export::run_data(&session, format, words, output.as_deref(), neo4j.as_deref());
        }
        return export::run(&mut session, what, words, output.as_deref(), render.as_deref(), diagram);
    }
    if args.atomic {
        session.begin_unit();
    }
    if !args.execute.is_empty() || !args.file.is_empty() {
        let mut inputs = Vec::new();
        for (i, q) in args.execute.iter().enumerate() {
            let origin = if args.execute.len() == 1 {
                "query".to_string()
            } else {
                format!("query {}", i + 1)
            };
            inputs.push(script::Input {
                origin,
                text: q.clone(),
                base: None,
            });
        }
        for f in &args.file {
            match script::Input::read(f, session.file_limits().script) {
                Ok(input) => inputs.push(input),
                Err(e) => {
                    eprintln!("error: {e}");
                    return Exit::Usage;
                }
            }
        }
        let status = script::run_inputs(&mut session, &inputs, &out, args.keep_going, args.output_dir.as_deref());
        return save_after(&mut session, args.save.as_deref(), status);
    }
    if std::io::stdin().is_terminal() {
        if args.save.is_some() {
            eprintln!("error: --save works with -e, -f or standard input; in the shell, use :save DIR");
            return Exit::Usage;
        }
        session.end_unit(true); // --atomic means nothing to the shell
        repl::run(&mut session, &out, args.history.as_deref(), args.no_history)
    } else {
        let input = match script::Input::read(std::path::Path::new("-"), session.file_limits().script) {
            Ok(input) => input,
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::Usage;
            }
        };
        let status = script::run_inputs(
            &mut session,
            std::slice::from_ref(&input),
            &out,
            args.keep_going,
            args.output_dir.as_deref(),
        );
        save_after(&mut session, args.save.as_deref(), status)
    }
}

/// `--save DIR`: writes the graph once every statement has succeeded.
fn save_after(session: &mut Session, dir: Option<&std::path::Path>, status: Exit) -> Exit {
    // `--atomic`: the script's changes stay only when all of it ran.
    let changed = session.end_unit(status == Exit::Ok);
    if status != Exit::Ok && changed > 0 {
        eprintln!(
            "note: --atomic: the changes of {} were taken back; the graph is as before the script",
            crate::save::counted(changed, "statement", "statements")
        );
    }
    let Some(dir) = dir else { return status };
    if status != Exit::Ok {
        let why = match status {
            Exit::OutputError | Exit::ClosedPipe => "the output could not be written",
            _ => "a statement failed",
        };
        eprintln!("note: nothing was saved to '{}' because {why}", dir.display());
        return status;
    }
    match session.save(dir) {
        Ok(saved) => {
            eprintln!("{saved}");
            Exit::Ok
        }
        Err(e) => {
            eprintln!("error: {e}");
            Exit::DataError
        }
    }
}
