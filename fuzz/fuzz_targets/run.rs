//! Parse, plan and run arbitrary text on the built-in knowledge base with a
//! row and a time limit: rows or an error, never a panic, a stack overflow
//! or a hang. CREATE statements change a private copy of the graph.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use rolegraph::{Graph, Session};

fn builtin() -> &'static Graph {
    static GRAPH: OnceLock<Graph> = OnceLock::new();
    GRAPH.get_or_init(|| rolegraph::load::builtin().expect("the built-in graph loads"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut session = Session::new(builtin().clone());
    let limits = session.limits_mut();
    limits.timeout = Some(Duration::from_millis(200));
    limits.max_rows = Some(5_000);
    // Parameters so `$x` sometimes binds.
    session.set_param("x", rolegraph::Value::Int(1));
    session.set_param("s", rolegraph::Value::str("CTO"));
    let _ = session.run(text);
});
