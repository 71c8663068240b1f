//! CSV output per RFC 4180: a header row, CRLF line ends, fields quoted
//! when they hold a comma, quote or line break.

use super::text::cell_text;
use crate::eval::Rows;
use crate::store::Graph;
use crate::value::Value;

pub fn render(rows: &Rows, graph: &Graph) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(&rows.columns);
    for r in &rows.rows {
        let _ = w.write_record(r.iter().map(|v| match v {
            Value::Null => String::new(),
            other => cell_text(other, graph),
        }));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
