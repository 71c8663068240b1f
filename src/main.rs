//! The `rolegraph` binary: a thin shell over the library's CLI, plus the
//! last line of defence: a panic (a bug that slipped past the tests) ends
//! in a short request for a bug report and exit code 101, not a backtrace.

use std::panic::PanicHookInfo;

use rolegraph::eval::budget::Counting;

/// Counts live heap bytes, so `--max-memory` measures what a statement
/// really holds (see `rolegraph::eval::budget`).
#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() -> std::process::ExitCode {
    ALLOCATOR.installed();
    std::panic::set_hook(Box::new(report_bug));
    // Test hook, documented in docs/RELIABILITY.md: lets tests/hostile.rs
    // check the message and the exit code of a real panic. It changes no
    // data and needs an environment variable no one sets by accident.
    if std::env::var_os("ROLEGRAPH_TEST_PANIC").is_some_and(|v| v == "1") {
        panic!("ROLEGRAPH_TEST_PANIC is set");
    }
    rolegraph::output::guard_standard_streams();
    rolegraph::cli::main()
}

/// Prints one paragraph to stderr; the runtime then exits with code 101
/// once the panic has unwound (which also restores the terminal).
fn report_bug(info: &PanicHookInfo<'_>) {
    let what = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".to_string());
    // `eprint!`/`print!` to a closed pipe (`2>&1 | head`) is not a bug: end
    // quietly, as a process killed by SIGPIPE would (128 + 13).
    if what.starts_with("failed printing to std") && what.contains("Broken pipe") {
        std::process::exit(141);
    }
    let at = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let version = env!("CARGO_PKG_VERSION");
    let mut text = format!(
        "\nrolegraph {version} ran into a bug and stopped: {what}{at}. This is a bug in rolegraph, \
         not in your query or data. Please report it with the command or query you ran and this \
         message, so that it can be fixed (set RUST_BACKTRACE=1 to add the details).\n"
    );
    let backtrace = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
    if backtrace {
        text.push_str(&format!("{}\n", std::backtrace::Backtrace::force_capture()));
    }
    use std::io::Write as _;
    // stderr may be closed: there is nowhere else to say it.
    let _ = std::io::stderr().write_all(text.as_bytes());
}
