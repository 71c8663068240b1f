//! TLS for `falkors://` and `bolt+s://`/`neo4j+s://`: which certificate
//! authorities are trusted (the system's, plus the file `--ca-cert` or
//! `ROLEGRAPH_CA_CERT` names), and what a failed handshake means. A
//! certificate that does not verify is an error naming the server; there
//! is never a fallback to a connection without TLS.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use super::RemoteError;

/// The environment variable naming a CA certificate file, as `--ca-cert`.
pub const CA_CERT_VAR: &str = "ROLEGRAPH_CA_CERT";

/// The certificate authorities a TLS connection trusts.
#[derive(Debug)]
pub struct Trust {
    certs: Vec<CertificateDer<'static>>,
}

impl Trust {
    /// The system's authorities, plus those in `ca_file` (PEM) when given.
    /// A system certificate that cannot be used is left out; a `ca_file`
    /// that cannot be read, or holds no usable certificate, is an error.
    pub fn load(ca_file: Option<&Path>) -> Result<Trust, RemoteError> {
        provider();
        let mut store = RootCertStore::empty();
        let mut certs = Vec::new();
        for cert in rustls_native_certs::load_native_certs().certs {
            if store.add(cert.clone()).is_ok() {
                certs.push(cert);
            }
        }
        if let Some(path) = ca_file {
            certs.extend(read_ca_file(path)?);
        }
        Ok(Trust { certs })
    }

    /// The authorities as PEM text (what the `redis` crate takes).
    pub fn pem(&self) -> Vec<u8> {
        let mut out = String::new();
        for c in &self.certs {
            out.push_str("-----BEGIN CERTIFICATE-----\n");
            let text = base64(c.as_ref());
            for line in text.as_bytes().chunks(64) {
                out.push_str(std::str::from_utf8(line).unwrap_or_default());
                out.push('\n');
            }
            out.push_str("-----END CERTIFICATE-----\n");
        }
        out.into_bytes()
    }

    /// A rustls client configuration trusting these authorities.
    #[cfg_attr(not(feature = "bolt"), allow(dead_code))]
    pub fn client_config(&self) -> rustls::ClientConfig {
        let mut store = RootCertStore::empty();
        store.add_parsable_certificates(self.certs.iter().cloned());
        rustls::ClientConfig::builder_with_provider(Arc::new(ring()))
            .with_safe_default_protocol_versions()
            .map(|b| b.with_root_certificates(store).with_no_client_auth())
            .unwrap_or_else(|_| {
                // ring supports the default versions; this is never reached.
                rustls::ClientConfig::builder()
                    .with_root_certificates(RootCertStore::empty())
                    .with_no_client_auth()
            })
    }
}

/// ring as the process's TLS provider (with `--features bolt` two are
/// built in, and then rustls needs to be told which one to use).
fn provider() {
    let _ = ring().install_default();
}

/// rustls's ring provider. rustls now prefers aws-lc-rs for its
/// post-quantum key exchange, but aws-lc takes minutes to build, and the
/// servers rolegraph talks to offer the classical groups ring has.
#[allow(deprecated)]
fn ring() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// The certificates of a PEM file, each checked to be usable as a trust
/// anchor.
fn read_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, RemoteError> {
    let bad = |why: String| RemoteError::CaFile {
        path: path.to_path_buf(),
        why,
    };
    let bytes = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let mut out = Vec::new();
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        let cert = cert.map_err(|e| bad(format!("not PEM: {e}")))?;
        RootCertStore::empty()
            .add(cert.clone())
            .map_err(|e| bad(format!("a certificate in it cannot be used: {e}")))?;
        out.push(cert);
    }
    if out.is_empty() {
        return Err(bad("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into()));
    }
    Ok(out)
}

/// The file `--ca-cert` names, else the one ROLEGRAPH_CA_CERT names.
pub fn ca_file(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf).or_else(|| {
        std::env::var_os(CA_CERT_VAR)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

/// The TLS error somewhere in `e`'s chain of causes, if it is one.
pub fn tls_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut at: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = at {
        if let Some(t) = err.downcast_ref::<rustls::Error>() {
            return Some(t);
        }
        // An error kept behind an Arc (as the redis crate keeps its causes)
        // is looked at itself.
        if let Some(shared) = err.downcast_ref::<Arc<dyn std::error::Error + Send + Sync>>() {
            at = Some(&**shared);
            continue;
        }
        // io::Error hides its payload from source(); look inside it.
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
        {
            if let Some(t) = inner.downcast_ref::<rustls::Error>() {
                return Some(t);
            }
            at = inner.source();
            continue;
        }
        at = err.source();
    }
    None
}

/// Makes a TLS handshake with `host:port` and closes the connection: Ok
/// when the certificate verifies with `config`. For a driver that reports a
/// failed handshake only as text (the Bolt driver's routing does), so the
/// reason stays typed and comes at once rather than after its retries.
#[cfg_attr(not(feature = "bolt"), allow(dead_code))]
pub fn check_handshake(
    address: String,
    host: &str,
    port: u16,
    config: &Arc<rustls::ClientConfig>,
    timeout: std::time::Duration,
) -> Result<(), RemoteError> {
    use std::net::{TcpStream, ToSocketAddrs};
    let unreachable = |why: String| RemoteError::Unreachable {
        address: address.clone(),
        why,
    };
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| unreachable(format!("'{host}' is not a host name for TLS: {e}")))?;
    let mut last = None;
    let mut tcp = None;
    for at in (host, port).to_socket_addrs().map_err(|e| unreachable(e.to_string()))? {
        match TcpStream::connect_timeout(&at, timeout) {
            Ok(t) => {
                tcp = Some(t);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let Some(mut tcp) = tcp else {
        return Err(unreachable(
            last.map_or_else(|| format!("'{host}' has no address"), |e| e.to_string()),
        ));
    };
    let _ = tcp.set_read_timeout(Some(timeout));
    let _ = tcp.set_write_timeout(Some(timeout));
    let mut tls =
        rustls::ClientConnection::new(config.clone(), name).map_err(|e| handshake_error(address.clone(), &e))?;
    while tls.is_handshaking() {
        if let Err(e) = tls.complete_io(&mut tcp) {
            return Err(match tls_error(&e) {
                Some(t) => handshake_error(address, t),
                None if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                    unreachable(format!(
                        "no answer to the TLS handshake within {} s; does that port take TLS?",
                        timeout.as_secs()
                    ))
                }
                None => unreachable(format!("the TLS handshake failed: {e}")),
            });
        }
    }
    tls.send_close_notify();
    let _ = tls.complete_io(&mut tcp);
    Ok(())
}

/// What a failed TLS handshake with `address` means: a certificate that
/// does not verify, or a server that does not speak TLS there.
pub fn handshake_error(address: String, e: &rustls::Error) -> RemoteError {
    match e {
        rustls::Error::InvalidCertificate(why) => RemoteError::Certificate {
            address,
            why: certificate_words(why),
        },
        rustls::Error::NoCertificatesPresented => RemoteError::Certificate {
            address,
            why: "it presented no certificate".into(),
        },
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => RemoteError::Unreachable {
            address,
            why: format!("the TLS handshake failed ({e}); does that port take TLS?"),
        },
        other => RemoteError::Unreachable {
            address,
            why: format!("the TLS handshake failed: {other}"),
        },
    }
}

fn certificate_words(e: &rustls::CertificateError) -> String {
    use rustls::CertificateError as C;
    match e {
        C::UnknownIssuer => "it was not issued by a trusted certificate authority".into(),
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            "it is not valid for the host name or address connected to".into()
        }
        C::Expired | C::ExpiredContext { .. } => "it has expired".into(),
        C::NotValidYet | C::NotValidYetContext { .. } => "it is not valid yet".into(),
        C::BadSignature => "its signature is wrong".into(),
        C::Revoked => "it was revoked".into(),
        other => format!("{other:?}"),
    }
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn a_ca_file_that_is_not_pem_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("ca.pem");
        std::fs::write(&f, "hello").unwrap();
        match Trust::load(Some(&f)) {
            Err(RemoteError::CaFile { path, why }) => {
                assert_eq!(path, f);
                assert!(why.contains("no PEM certificate"), "{why}");
            }
            other => panic!("{other:?}"),
        }
        match Trust::load(Some(&dir.path().join("missing.pem"))) {
            Err(RemoteError::CaFile { why, .. }) => assert!(why.contains("No such file"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}
