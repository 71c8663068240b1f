//! FalkorDB's compact result format (`GRAPH.QUERY … --compact`), read
//! directly: every value comes as a `[type, value]` pair, nodes and
//! relationships name their labels, types and property keys by number
//! (indexes into the graph's `db.labels()`, `db.relationshipTypes()` and
//! `db.propertyKeys()`), and paths are typed arrays of nodes and
//! relationships. Reading it here, rather than through a client library's
//! parser, gives every value type back, paths included.

use redis::Value as Resp;

use super::reply::{RNode, RRel, RStats, RValue, Table};

/// The names a graph's numbers stand for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    pub labels: Vec<String>,
    pub types: Vec<String>,
    pub keys: Vec<String>,
}

/// Why a reply could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Unreadable {
    /// A label, type or key number beyond the names known: the graph's
    /// schema grew since they were read; read them again and retry.
    StaleNames,
    /// The reply does not have the compact format's shape.
    Shape(String),
}

type Read<T> = Result<T, Unreadable>;

fn shape<T>(what: impl Into<String>) -> Read<T> {
    Err(Unreadable::Shape(what.into()))
}

/// One statement's reply: `[header, rows, statistics]`, or `[statistics]`
/// for a statement that returns nothing.
pub fn table(reply: &Resp, names: &Names) -> Read<Table> {
    let parts = array(reply, "the reply")?;
    let (header, rows, stats) = match parts {
        [stats] => (None, None, stats),
        [header, rows, stats] => (Some(header), Some(rows), stats),
        _ => return shape(format!("a reply of {} parts", parts.len())),
    };
    let mut t = Table::default();
    if let Some(h) = header {
        for col in array(h, "the header")? {
            match array(col, "a column")? {
                [_, name] => t.columns.push(text(name)?),
                _ => return shape("a column without a name"),
            }
        }
    }
    if let Some(rows) = rows {
        let rows = array(rows, "the rows")?;
        t.rows.reserve(rows.len());
        for row in rows {
            let cells = array(row, "a row")?;
            t.rows
                .push(cells.iter().map(|c| typed(c, names)).collect::<Read<Vec<_>>>()?);
        }
    }
    let lines: Vec<String> = array(stats, "the statistics")?.iter().map(text).collect::<Read<_>>()?;
    t.stats = statistics(&lines);
    t.server_time = lines
        .iter()
        .find_map(|s| s.strip_prefix("Query internal execution time: "))
        .and_then(|s| s.split(' ').next())
        .and_then(|ms| ms.parse::<f64>().ok())
        .filter(|ms| ms.is_finite() && *ms >= 0.0)
        .map(|ms| std::time::Duration::from_secs_f64(ms / 1000.0));
    Ok(t)
}

/// The plan `GRAPH.EXPLAIN` gives: one line per operator.
pub fn lines(reply: &Resp) -> Read<Vec<String>> {
    array(reply, "the plan")?.iter().map(text).collect()
}

fn statistics(lines: &[String]) -> RStats {
    let mut s = RStats::default();
    for line in lines {
        let Some((what, n)) = line.split_once(": ") else {
            continue;
        };
        let n: usize = n.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
        match what {
            "Nodes created" => s.nodes_created = n,
            "Nodes deleted" => s.nodes_deleted = n,
            "Relationships created" => s.relationships_created = n,
            "Relationships deleted" => s.relationships_deleted = n,
            "Labels added" => s.labels_added = n,
            "Properties set" => s.properties_set = n,
            "Indices created" => s.indexes_created = n,
            _ => {}
        }
    }
    s
}

fn array<'a>(v: &'a Resp, what: &str) -> Read<&'a [Resp]> {
    match v {
        Resp::Array(items) | Resp::Set(items) => Ok(items),
        Resp::Nil => Ok(&[]),
        other => shape(format!("{what} is not an array but {}", kind(other))),
    }
}

fn kind(v: &Resp) -> &'static str {
    match v {
        Resp::Nil => "nil",
        Resp::Int(_) => "an integer",
        Resp::BulkString(_) | Resp::SimpleString(_) | Resp::VerbatimString { .. } => "a string",
        Resp::Array(_) | Resp::Set(_) => "an array",
        Resp::Double(_) => "a double",
        Resp::Boolean(_) => "a boolean",
        Resp::Map(_) => "a map",
        _ => "another kind of value",
    }
}

fn text(v: &Resp) -> Read<String> {
    match v {
        Resp::BulkString(b) => Ok(String::from_utf8_lossy(b).into_owned()),
        Resp::SimpleString(s) => Ok(s.clone()),
        Resp::VerbatimString { text, .. } => Ok(text.clone()),
        Resp::Okay => Ok("OK".into()),
        other => shape(format!("expected a string, got {}", kind(other))),
    }
}

fn int(v: &Resp) -> Read<i64> {
    match v {
        Resp::Int(i) => Ok(*i),
        Resp::BulkString(_) | Resp::SimpleString(_) => match text(v)?.parse() {
            Ok(i) => Ok(i),
            Err(_) => shape("expected an integer"),
        },
        other => shape(format!("expected an integer, got {}", kind(other))),
    }
}

fn double(v: &Resp) -> Read<f64> {
    match v {
        Resp::Double(d) => Ok(*d),
        Resp::Int(i) => Ok(*i as f64),
        _ => {
            let t = text(v)?;
            match t.as_str() {
                "inf" | "+inf" => Ok(f64::INFINITY),
                "-inf" => Ok(f64::NEG_INFINITY),
                "nan" | "-nan" => Ok(f64::NAN),
                _ => t.parse().or_else(|_| shape(format!("'{t}' is not a number"))),
            }
        }
    }
}

fn name(list: &[String], n: i64) -> Read<String> {
    usize::try_from(n)
        .ok()
        .and_then(|i| list.get(i))
        .cloned()
        .ok_or(Unreadable::StaleNames)
}

/// A `[type, value]` pair.
fn typed(v: &Resp, names: &Names) -> Read<RValue> {
    match array(v, "a value")? {
        [t, value] => value_of(int(t)?, value, names),
        _ => shape("a value that is not a [type, value] pair"),
    }
}

fn value_of(t: i64, v: &Resp, names: &Names) -> Read<RValue> {
    Ok(match t {
        1 => RValue::Null,
        2 => RValue::String(text(v)?),
        3 => RValue::Int(int(v)?),
        4 => match v {
            Resp::Boolean(b) => RValue::Bool(*b),
            _ => match text(v)?.as_str() {
                "true" => RValue::Bool(true),
                "false" => RValue::Bool(false),
                other => return shape(format!("'{other}' is not a boolean")),
            },
        },
        5 => RValue::Float(double(v)?),
        6 => RValue::List(
            array(v, "a list")?
                .iter()
                .map(|i| typed(i, names))
                .collect::<Read<_>>()?,
        ),
        7 => RValue::Rel(rel(v, names)?),
        8 => RValue::Node(node(v, names)?),
        9 => {
            let [nodes, rels] = array(v, "a path")? else {
                return shape("a path that is not [nodes, relationships]");
            };
            let mut out_nodes = Vec::new();
            let mut out_rels = Vec::new();
            for item in elements(nodes)? {
                match typed(item, names)? {
                    RValue::Node(n) => out_nodes.push(n),
                    _ => return shape("a path whose nodes are not nodes"),
                }
            }
            for item in elements(rels)? {
                match typed(item, names)? {
                    RValue::Rel(r) => out_rels.push(r),
                    _ => return shape("a path whose relationships are not relationships"),
                }
            }
            if out_nodes.len() != out_rels.len() + 1 && !(out_nodes.is_empty() && out_rels.is_empty()) {
                return shape("a path whose nodes and relationships do not alternate");
            }
            RValue::Path {
                nodes: out_nodes,
                rels: out_rels,
            }
        }
        10 => {
            let items = array(v, "a map")?;
            if items.len() % 2 != 0 {
                return shape("a map with a key and no value");
            }
            let mut entries = Vec::with_capacity(items.len() / 2);
            for kv in items.chunks(2) {
                entries.push((text(&kv[0])?, typed(&kv[1], names)?));
            }
            RValue::Map(entries)
        }
        11 => {
            let [lat, lon] = array(v, "a point")? else {
                return shape("a point that is not [latitude, longitude]");
            };
            RValue::Other(format!(
                "point({{latitude: {}, longitude: {}}})",
                float_text(double(lat)?),
                float_text(double(lon)?)
            ))
        }
        12 => RValue::List(
            array(v, "a vector")?
                .iter()
                .map(|x| double(x).map(RValue::Float))
                .collect::<Read<_>>()?,
        ),
        13 => RValue::Other(temporal::datetime(int(v)?)),
        14 => RValue::Other(temporal::date(int(v)?)),
        15 => RValue::Other(temporal::time(int(v)?)),
        16 => RValue::Other(temporal::duration(int(v)?)),
        other => return shape(format!("a value of unknown type {other}")),
    })
}

/// A path's typed array of nodes or relationships (`[6, [...]]`), or the
/// plain list older servers send.
fn elements(v: &Resp) -> Read<&[Resp]> {
    let items = array(v, "a path's part")?;
    if let [t, inner] = items
        && matches!(t, Resp::Int(6))
        && matches!(inner, Resp::Array(_))
    {
        return array(inner, "a path's part");
    }
    Ok(items)
}

fn float_text(f: f64) -> String {
    let mut s = String::new();
    crate::export::cypher::literal(&crate::value::Value::Float(f), &mut s);
    s
}

/// `[id, [label numbers], [[key number, type, value], ...]]`
fn node(v: &Resp, names: &Names) -> Read<RNode> {
    let [id, labels, props_] = array(v, "a node")? else {
        return shape("a node that is not [id, labels, properties]");
    };
    Ok(RNode {
        id: int(id)?.to_string(),
        labels: array(labels, "a node's labels")?
            .iter()
            .map(|l| name(&names.labels, int(l)?))
            .collect::<Read<_>>()?,
        props: props(props_, names)?,
    })
}

/// `[id, type number, start id, end id, [[key number, type, value], ...]]`
fn rel(v: &Resp, names: &Names) -> Read<RRel> {
    let [id, t, start, end, props_] = array(v, "a relationship")? else {
        return shape("a relationship that is not [id, type, start, end, properties]");
    };
    Ok(RRel {
        id: int(id)?.to_string(),
        rel_type: name(&names.types, int(t)?)?,
        start: int(start)?.to_string(),
        end: int(end)?.to_string(),
        props: props(props_, names)?,
    })
}

fn props(v: &Resp, names: &Names) -> Read<Vec<(String, RValue)>> {
    let mut out = Vec::new();
    for p in array(v, "properties")? {
        let [k, t, value] = array(p, "a property")? else {
            return shape("a property that is not [key, type, value]");
        };
        out.push((name(&names.keys, int(k)?)?, value_of(int(t)?, value, names)?));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// FalkorDB's temporal values come as whole seconds (since the epoch, since
/// midnight, or a length); they are shown as ISO 8601 text.
mod temporal {
    const DAY: i64 = 86_400;

    /// The civil date of a day number counted from 1970-01-01.
    fn civil(days: i64) -> (i64, u32, u32) {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d)
    }

    pub fn date(secs: i64) -> String {
        let (y, m, d) = civil(secs.div_euclid(DAY));
        format!("{y:04}-{m:02}-{d:02}")
    }

    pub fn time(secs: i64) -> String {
        let s = secs.rem_euclid(DAY);
        format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
    }

    pub fn datetime(secs: i64) -> String {
        format!("{}T{}", date(secs), time(secs))
    }

    pub fn duration(secs: i64) -> String {
        if secs == 0 {
            return "PT0S".into();
        }
        let sign = if secs < 0 { "-" } else { "" };
        let s = secs.unsigned_abs();
        let (d, h, m, s) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
        let mut out = format!("{sign}P");
        if d > 0 {
            out.push_str(&format!("{d}D"));
        }
        if h + m + s > 0 {
            out.push('T');
            for (n, u) in [(h, 'H'), (m, 'M'), (s, 'S')] {
                if n > 0 {
                    out.push_str(&format!("{n}{u}"));
                }
            }
        }
        out
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn dates_and_times_read_as_iso_text() {
            assert_eq!(super::date(1_704_153_600), "2024-01-02");
            assert_eq!(super::datetime(1_704_164_645), "2024-01-02T03:04:05");
            assert_eq!(super::date(-86_400), "1969-12-31");
            assert_eq!(super::date(951_782_400), "2000-02-29");
            assert_eq!(super::duration(86_400 + 3_661), "P1DT1H1M1S");
            assert_eq!(super::duration(0), "PT0S");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Resp {
        Resp::BulkString(t.as_bytes().to_vec())
    }
    fn a(items: Vec<Resp>) -> Resp {
        Resp::Array(items)
    }
    fn i(n: i64) -> Resp {
        Resp::Int(n)
    }

    fn names() -> Names {
        Names {
            labels: vec!["Role".into(), "X".into(), "Team".into()],
            types: vec!["LEADS".into()],
            keys: vec!["id".into(), "n".into()],
        }
    }

    /// The reply FalkorDB 4.16 gives for `MATCH p=(a)-[r]->(b) RETURN p`.
    #[test]
    fn a_path_of_typed_arrays_reads_as_a_path() {
        let node_a = a(vec![
            i(0),
            a(vec![i(0), i(1)]),
            a(vec![a(vec![i(0), i(2), s("a")]), a(vec![i(1), i(5), s("1.5")])]),
        ]);
        let node_b = a(vec![i(1), a(vec![i(2)]), a(vec![a(vec![i(0), i(2), s("b")])])]);
        let edge = a(vec![i(0), i(0), i(0), i(1), a(vec![])]);
        let path = a(vec![
            a(vec![i(6), a(vec![a(vec![i(8), node_a]), a(vec![i(8), node_b])])]),
            a(vec![i(6), a(vec![a(vec![i(7), edge])])]),
        ]);
        let reply = a(vec![
            a(vec![a(vec![i(1), s("p")])]),
            a(vec![a(vec![a(vec![i(9), path])])]),
            a(vec![s("Query internal execution time: 0.5 milliseconds")]),
        ]);
        let t = table(&reply, &names()).unwrap();
        assert_eq!(t.columns, vec!["p"]);
        let RValue::Path { nodes, rels } = &t.rows[0][0] else {
            panic!("{:?}", t.rows[0][0])
        };
        assert_eq!(nodes[0].labels, vec!["Role", "X"]);
        assert_eq!(nodes[0].props[1], ("n".to_string(), RValue::Float(1.5)));
        assert_eq!(rels[0].rel_type, "LEADS");
        assert_eq!((rels[0].start.as_str(), rels[0].end.as_str()), ("0", "1"));
        assert_eq!(t.server_time, Some(std::time::Duration::from_micros(500)));
    }

    #[test]
    fn a_number_beyond_the_known_names_asks_for_them_again() {
        let node = a(vec![i(0), a(vec![i(7)]), a(vec![])]);
        let reply = a(vec![
            a(vec![a(vec![i(1), s("n")])]),
            a(vec![a(vec![a(vec![i(8), node])])]),
            a(vec![]),
        ]);
        assert_eq!(table(&reply, &names()), Err(Unreadable::StaleNames));
    }

    #[test]
    fn maps_booleans_doubles_and_writes_read() {
        let reply = a(vec![
            a(vec![
                a(vec![i(1), s("m")]),
                a(vec![i(1), s("b")]),
                a(vec![i(1), s("f")]),
            ]),
            a(vec![a(vec![
                a(vec![
                    i(10),
                    a(vec![s("x"), a(vec![i(3), i(1)]), s("y"), a(vec![i(1), Resp::Nil])]),
                ]),
                a(vec![i(4), s("true")]),
                a(vec![i(5), s("nan")]),
            ])]),
            a(vec![s("Nodes created: 2"), s("Properties set: 5")]),
        ]);
        let t = table(&reply, &names()).unwrap();
        assert_eq!(
            t.rows[0][0],
            RValue::Map(vec![("x".into(), RValue::Int(1)), ("y".into(), RValue::Null)])
        );
        assert_eq!(t.rows[0][1], RValue::Bool(true));
        assert!(matches!(t.rows[0][2], RValue::Float(f) if f.is_nan()));
        assert_eq!(t.stats.nodes_created, 2);
        let write = a(vec![a(vec![s("Nodes created: 1")])]);
        assert_eq!(table(&write, &names()).unwrap().stats.nodes_created, 1);
        assert!(matches!(table(&i(3), &names()), Err(Unreadable::Shape(_))));
    }
}
