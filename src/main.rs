//! The `rolegraph` binary: a thin shell over the library's CLI.

fn main() -> std::process::ExitCode {
    rolegraph::cli::main()
}
