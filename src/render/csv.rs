//! CSV output per RFC 4180: a header row, CRLF line ends, fields quoted
//! when they hold a comma, quote or line break. Lists and maps are written
//! as JSON, which every CSV consumer can parse back. With `safe`, a text
//! cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return) is prefixed with `'`.

use super::json::value_json;
use super::text::cell_text;
use crate::eval::Rows;
use crate::store::Graph;
use crate::value::Value;

pub fn render(rows: &Rows, graph: &Graph, safe: bool) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let text = |s: String| if safe { neutralise(s) } else { s };
    let _ = w.write_record(rows.columns.iter().map(|c| text(c.clone())));
    for r in rows.header_rows.iter().chain(&rows.rows).chain(&rows.footer_rows) {
        let _ = w.write_record(r.iter().map(|v| match v {
            Value::Null => String::new(),
            Value::List(_) | Value::Map(_) => value_json(v, graph).to_string(),
            Value::String(_) => text(cell_text(v, graph)),
            other => cell_text(other, graph),
        }));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A cell that a spreadsheet would evaluate, made inert.
fn neutralise(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_lists_are_json() {
        let rows = Rows {
            columns: vec!["a".into(), "b".into(), "c".into()],
            rows: vec![vec![
                Value::str("=1+2"),
                Value::list(vec![Value::str("x"), Value::Int(1)]),
                Value::Int(-3),
            ]],
            ..Rows::default()
        };
        let g = Graph::new("t");
        assert_eq!(render(&rows, &g, true), "a,b,c\r\n'=1+2,\"[\"\"x\"\",1]\",-3\r\n");
        assert_eq!(render(&rows, &g, false), "a,b,c\r\n=1+2,\"[\"\"x\"\",1]\",-3\r\n");
    }
}
