//! `--connect`, `push` and `pull` on the command line: the password (from
//! ROLEGRAPH_PASSWORD or a prompt that does not echo; never from the command
//! line, never printed), the remote session, and the progress and summary
//! of moving a graph.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::{Args, Command, Exit};
use crate::remote::{Address, Remote, RemoteError, transfer};
use crate::session::Session;

/// The environment variable a password is read from.
pub const PASSWORD_VAR: &str = "ROLEGRAPH_PASSWORD";

/// Connects to the server `--connect` names; errors are printed.
pub fn connect(args: &Args) -> Result<Remote, Exit> {
    let Some(url) = &args.connect else {
        eprintln!("error: this needs --connect URL (e.g. falkor://127.0.0.1:6379/roles)");
        return Err(Exit::Usage);
    };
    let mut address = match Address::parse(url) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return Err(Exit::Usage);
        }
    };
    if let Some(u) = &args.user {
        address.user = Some(u.clone());
    }
    address.ca_cert = crate::remote::tls::ca_file(args.ca_cert.as_deref());
    let password = match password(&address) {
        Ok(p) => p,
        Err(why) => {
            eprintln!("error: {why}");
            return Err(Exit::Usage);
        }
    };
    address.password = None;
    Remote::connect(address, password).map_err(|e| {
        eprintln!("error: {e}");
        exit_for(&e)
    })
}

/// The exit code for a failure to reach or use a server.
pub fn exit_for(e: &RemoteError) -> Exit {
    match e {
        RemoteError::BadUrl { .. } | RemoteError::CaFile { .. } => Exit::Usage,
        RemoteError::Mirror { .. } | RemoteError::Protocol { .. } => Exit::DataError,
        _ => Exit::QueryError,
    }
}

/// ROLEGRAPH_PASSWORD, else a password in the URL, else (with a user name,
/// at a terminal) a prompt; none when no user is named.
/// Why no password was had for a server that wants one.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("{PASSWORD_VAR} is not valid UTF-8")]
    NotUtf8,
    /// No terminal to ask at.
    #[error(
        "cannot ask for the password: no terminal ({source}); set {PASSWORD_VAR} to give the password without a terminal"
    )]
    NoTerminal { source: std::io::Error },
    /// The terminal would not give the answer.
    #[error("cannot read the password: {source}; set {PASSWORD_VAR} to give the password without a terminal")]
    Read { source: std::io::Error },
}

fn password(address: &Address) -> Result<Option<String>, PasswordError> {
    if let Some(p) = std::env::var_os(PASSWORD_VAR) {
        return p.into_string().map(Some).map_err(|_| PasswordError::NotUtf8);
    }
    if let Some(p) = &address.password {
        return Ok(Some(p.clone()));
    }
    let Some(user) = &address.user else {
        return Ok(None);
    };
    prompt(&format!("password for {user} at {address}: ")).map(Some)
}

/// Reads a line from the terminal with echo off.
fn prompt(question: &str) -> Result<String, PasswordError> {
    use std::io::BufRead;
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|source| PasswordError::NoTerminal { source })?;
    let mut out = &tty;
    let _ = out.write_all(question.as_bytes());
    let _ = out.flush();
    let echo = EchoOff::new(&tty);
    let mut line = String::new();
    let read = std::io::BufReader::new(&tty).read_line(&mut line);
    drop(echo);
    let _ = out.write_all(b"\n");
    read.map_err(|source| PasswordError::Read { source })?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// Turns the terminal's echo off until dropped.
struct EchoOff {
    fd: i32,
    saved: Option<libc::termios>,
}

impl EchoOff {
    fn new(tty: &std::fs::File) -> EchoOff {
        use std::os::fd::AsRawFd;
        let fd = tty.as_raw_fd();
        #[allow(unsafe_code)]
        // SAFETY: termios is plain data (zero is a valid value); tcgetattr
        // writes only into it, for a descriptor open for the life of `tty`.
        let (rc, mut t) = unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            (libc::tcgetattr(fd, &mut t), t)
        };
        if rc != 0 {
            return EchoOff { fd, saved: None };
        }
        let saved = t;
        t.c_lflag &= !(libc::ECHO | libc::ECHONL);
        t.c_lflag |= libc::ICANON;
        #[allow(unsafe_code)]
        // SAFETY: sets the terminal's own settings, changed, on the same
        // open descriptor; reads only `t`.
        unsafe {
            libc::tcsetattr(fd, libc::TCSANOW, &t);
        }
        EchoOff { fd, saved: Some(saved) }
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(t) = &self.saved {
            #[allow(unsafe_code)]
            // SAFETY: restores the settings read from the same descriptor,
            // which the caller keeps open while this lives.
            unsafe {
                libc::tcsetattr(self.fd, libc::TCSANOW, t);
            }
        }
    }
}

/// A session for `--connect`: statements run on the server. Commands that
/// read the whole graph (`export`, `check`) get a local copy of it.
pub fn session(args: &Args) -> Result<Session, Exit> {
    if args.data.is_some() {
        eprintln!(
            "error: --data names a local graph; with --connect the graph is the server's (rolegraph push --connect URL --data DIR loads one into it)"
        );
        return Err(Exit::Usage);
    }
    if args.save.is_some() {
        eprintln!(
            "error: --save writes a local graph; to write the server's graph to files use rolegraph pull --connect URL -o DIR"
        );
        return Err(Exit::Usage);
    }
    let mut remote = connect(args)?;
    if matches!(args.command, Some(Command::Export { .. }) | Some(Command::Check { .. })) {
        let (graph, _) = transfer::pull(&mut remote, |_, _| {}).map_err(|e| {
            eprintln!("error: {e}");
            exit_for(&e)
        })?;
        return Ok(Session::new(graph));
    }
    Ok(Session::remote(remote))
}

/// A progress bar on stderr when it is a terminal.
fn bar(what: &'static str) -> impl FnMut(usize, usize) {
    let tty = std::io::stderr().is_terminal();
    let mut bar: Option<indicatif::ProgressBar> = None;
    move |done, total| {
        if !tty {
            return;
        }
        let b = bar.get_or_insert_with(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template(&format!("{what} {{bar:40}} {{pos}}/{{len}} {{elapsed}}"))
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        });
        b.set_length(total as u64);
        b.set_position(done as u64);
        if done >= total {
            b.finish_and_clear();
        }
    }
}

/// `rolegraph push`.
pub fn push(args: &Args, replace: bool) -> Exit {
    let graph = match &args.data {
        Some(dir) => crate::load::load_dir(dir),
        None => crate::load::builtin(),
    };
    let graph = match graph {
        Ok(g) => g,
        Err(errors) => {
            eprint!("{}", errors.render());
            return Exit::DataError;
        }
    };
    let mut remote = match connect(args) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    if replace {
        match transfer::clear(&mut remote) {
            Ok(0) => {}
            Ok(n) => eprintln!(
                "deleted {} from graph '{}' on {}",
                crate::save::counted(n, "node", "nodes"),
                remote.graph_name(),
                remote.address()
            ),
            Err(e) => {
                eprintln!("error: {e}");
                return exit_for(&e);
            }
        }
    }
    match transfer::push(&mut remote, &graph, bar("pushing")) {
        Ok(p) => {
            eprintln!(
                "pushed {} and {} to graph '{}' on {} in {} ({} on id) in {:.2} s",
                crate::save::counted(p.nodes, "node", "nodes"),
                crate::save::counted(p.relationships, "relationship", "relationships"),
                remote.graph_name(),
                remote.address(),
                crate::save::counted(p.batches, "batch", "batches"),
                crate::save::counted(p.indexes, "index", "indexes"),
                p.elapsed.as_secs_f64()
            );
            Exit::Ok
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("note: the server's graph may hold part of the push; rolegraph push --replace starts over");
            exit_for(&e)
        }
    }
}

/// `rolegraph pull -o DIR`.
pub fn pull(args: &Args, dir: &Path) -> Exit {
    let mut remote = match connect(args) {
        Ok(r) => r,
        Err(exit) => return exit,
    };
    let (graph, pulled) = match transfer::pull(&mut remote, bar("pulling")) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            return exit_for(&e);
        }
    };
    match crate::save::save(&graph, dir) {
        Ok(saved) => {
            eprintln!(
                "pulled {} and {} from graph '{}' on {} in {} in {:.2} s",
                crate::save::counted(pulled.nodes, "node", "nodes"),
                crate::save::counted(pulled.relationships, "relationship", "relationships"),
                remote.graph_name(),
                remote.address(),
                crate::save::counted(pulled.pages, "page", "pages"),
                pulled.elapsed.as_secs_f64()
            );
            eprintln!("{saved}");
            Exit::Ok
        }
        Err(e) => {
            eprintln!("error: {e}");
            Exit::DataError
        }
    }
}
