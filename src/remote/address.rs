//! What `--connect URL` names: the kind of server, where it is, which graph,
//! and who connects. The password is never part of what is shown.

use std::fmt;

use super::RemoteError;

/// The protocol family a URL asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// FalkorDB over RESP (`falkor://`, `falkors://` with TLS; `redis://`
    /// and `rediss://` are accepted as the same).
    Falkor { tls: bool },
    /// Neo4j or Memgraph over Bolt (`bolt://`, `neo4j://`, `+s` variants).
    Bolt { routing: bool, tls: bool },
}

/// A parsed `--connect` URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Address {
    pub protocol: Protocol,
    pub scheme: String,
    /// `host:port` pairs; more than one for a cluster's or Sentinel's seeds.
    pub hosts: Vec<(String, u16)>,
    /// The graph (FalkorDB) or database (Bolt); None means the default.
    pub graph: Option<String>,
    pub user: Option<String>,
    pub password: Option<String>,
    /// A file of certificate authorities to trust for TLS besides the
    /// system's (`--ca-cert`); not part of the URL.
    pub ca_cert: Option<std::path::PathBuf>,
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The password stays out of every printout, debug ones included.
        write!(f, "Address({self})")
    }
}

/// What users read: the URL without its password.
impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.scheme)?;
        if let Some(u) = &self.user {
            write!(f, "{u}@")?;
        }
        let hosts: Vec<String> = self.hosts.iter().map(|(h, p)| format!("{h}:{p}")).collect();
        write!(f, "{}", hosts.join(","))?;
        if let Some(g) = &self.graph {
            write!(f, "/{g}")?;
        }
        Ok(())
    }
}

/// FalkorDB's and Redis's port when a URL names none.
const FALKOR_PORT: u16 = 6379;
/// Bolt's port when a URL names none.
const BOLT_PORT: u16 = 7687;

impl Address {
    /// Parses `scheme://[user[:password]@]host[:port][,host[:port]...][/graph]`.
    pub fn parse(url: &str) -> Result<Address, RemoteError> {
        let bad = |why: &str| RemoteError::BadUrl {
            url: redact(url),
            why: why.to_string(),
        };
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| bad("expected scheme://host[:port][/graph], e.g. falkor://127.0.0.1:6379/roles"))?;
        let scheme = scheme.to_ascii_lowercase();
        let protocol = match scheme.as_str() {
            "falkor" | "redis" => Protocol::Falkor { tls: false },
            "falkors" | "rediss" => Protocol::Falkor { tls: true },
            "bolt" => Protocol::Bolt {
                routing: false,
                tls: false,
            },
            "bolt+s" | "bolt+ssc" => Protocol::Bolt {
                routing: false,
                tls: true,
            },
            "neo4j" => Protocol::Bolt {
                routing: true,
                tls: false,
            },
            "neo4j+s" | "neo4j+ssc" => Protocol::Bolt {
                routing: true,
                tls: true,
            },
            other => {
                let known = [
                    "falkor", "falkors", "redis", "rediss", "bolt", "bolt+s", "neo4j", "neo4j+s",
                ];
                let hint = crate::diag::closest(other, known.iter().copied())
                    .map(|k| format!("; did you mean '{k}://'?"))
                    .unwrap_or_default();
                return Err(bad(&format!(
                    "unknown scheme '{other}' (falkor, falkors, bolt, bolt+s, neo4j or neo4j+s){hint}"
                )));
            }
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let (userinfo, hostlist) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            None => (None, None),
            Some(u) => match u.split_once(':') {
                Some((u, p)) => (non_empty(percent_decode(u)), Some(percent_decode(p))),
                None => (non_empty(percent_decode(u)), None),
            },
        };
        let default_port = match protocol {
            Protocol::Falkor { .. } => FALKOR_PORT,
            Protocol::Bolt { .. } => BOLT_PORT,
        };
        let mut hosts = Vec::new();
        for h in hostlist.split(',') {
            if h.is_empty() {
                return Err(bad("a host is missing"));
            }
            let (host, port) = if let Some(inner) = h.strip_prefix('[') {
                // [IPv6]:port
                let (host, after) = inner
                    .split_once(']')
                    .ok_or_else(|| bad("unclosed '[' in an IPv6 address"))?;
                let port = match after.strip_prefix(':') {
                    Some(p) => parse_port(p).ok_or_else(|| bad(&format!("'{p}' is not a port number")))?,
                    None if after.is_empty() => default_port,
                    None => return Err(bad("expected ':port' after an IPv6 address")),
                };
                (host.to_string(), port)
            } else {
                match h.rsplit_once(':') {
                    Some((host, p)) => (
                        host.to_string(),
                        parse_port(p).ok_or_else(|| bad(&format!("'{p}' is not a port number")))?,
                    ),
                    None => (h.to_string(), default_port),
                }
            };
            if host.is_empty() {
                return Err(bad("a host is missing"));
            }
            hosts.push((host, port));
        }
        let path = path.split('?').next().unwrap_or("");
        let graph = non_empty(percent_decode(path.trim_start_matches('/').trim_end_matches('/')));
        if let Some(g) = &graph
            && g.contains('/')
        {
            return Err(bad(&format!("'{g}' is not one graph name (it holds '/')")));
        }
        Ok(Address {
            protocol,
            scheme,
            hosts,
            graph,
            user,
            password,
            ca_cert: None,
        })
    }

    /// The graph to use: the URL's, else `default`.
    pub fn graph_or<'a>(&'a self, default: &'a str) -> &'a str {
        self.graph.as_deref().unwrap_or(default)
    }
}

fn parse_port(p: &str) -> Option<u16> {
    p.parse::<u16>().ok().filter(|p| *p > 0)
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

/// `%XX` escapes decoded (user names and passwords may hold `@` or `:`).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every byte but unreserved ones escaped, for putting text into a URL.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// The URL with any password replaced, for messages about a URL that did
/// not parse.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{}", &rest[at + 1..])
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falkor_urls() {
        let a = Address::parse("falkor://127.0.0.1:7000/roles").unwrap();
        assert_eq!(a.protocol, Protocol::Falkor { tls: false });
        assert_eq!(a.hosts, vec![("127.0.0.1".to_string(), 7000)]);
        assert_eq!(a.graph.as_deref(), Some("roles"));
        assert_eq!(a.to_string(), "falkor://127.0.0.1:7000/roles");
        let a = Address::parse("falkors://db.example").unwrap();
        assert_eq!(a.protocol, Protocol::Falkor { tls: true });
        assert_eq!(a.hosts, vec![("db.example".to_string(), 6379)]);
        assert_eq!(a.graph, None);
        let a = Address::parse("falkor://a:1,b:2,[::1]:3/g").unwrap();
        assert_eq!(a.hosts.len(), 3);
        assert_eq!(a.hosts[2], ("::1".to_string(), 3));
    }

    #[test]
    fn passwords_never_show() {
        let a = Address::parse("falkor://ann:s%40cret@h:1/g").unwrap();
        assert_eq!(a.user.as_deref(), Some("ann"));
        assert_eq!(a.password.as_deref(), Some("s@cret"));
        assert_eq!(a.to_string(), "falkor://ann@h:1/g");
        assert!(!format!("{a:?}").contains("cret"));
        assert_eq!(redact("falkor://ann:pw@h:1/g"), "falkor://ann:***@h:1/g");
    }

    #[test]
    fn bad_urls_say_why() {
        for (url, why) in [
            ("localhost:6379", "expected scheme"),
            ("falkr://h", "did you mean 'falkor://'"),
            ("falkor://h:notaport", "not a port"),
            ("falkor://h:0", "not a port"),
            ("falkor://:1", "host is missing"),
            ("falkor://h/a/b", "not one graph"),
        ] {
            match Address::parse(url) {
                Err(RemoteError::BadUrl { why: w, .. }) => assert!(w.contains(why), "{url}: {w}"),
                other => panic!("{url}: {other:?}"),
            }
        }
    }

    #[test]
    fn percent_round_trip() {
        for s in ["plain", "a@b:c/d e%", "ünï"] {
            assert_eq!(percent_decode(&percent_encode(s)), s);
        }
    }
}
