//! The query parser on arbitrary text: it must return a tree or a syntax
//! error, never panic, overflow the stack or hang. A tree must also print
//! back as text that parses to the same tree (spans and the as-written
//! column text aside), the property `tests/hostile.rs` checks with proptest.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolegraph::syntax::ast::{Clause, Script, StatementKind};
use rolegraph::syntax::parse_script;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tree) = parse_script(text) else {
        return;
    };
    let printed = tree.to_string();
    let again = match parse_script(&printed) {
        Ok(t) => t,
        Err(e) => panic!("printed tree does not parse: {e}\ninput: {text:?}\nprinted: {printed:?}"),
    };
    let (a, b) = (comparable(tree), comparable(again));
    assert_eq!(
        a, b,
        "print/parse changed the tree\ninput: {text:?}\nprinted: {printed:?}"
    );
});

/// The tree's debug text with spans removed and every projection item's
/// text replaced by its printed expression.
fn comparable(mut s: Script) -> String {
    for st in &mut s.statements {
        let mut st = st;
        loop {
            match &mut st.kind {
                StatementKind::Explain(inner) | StatementKind::Profile(inner) | StatementKind::Translate(inner) => {
                    st = inner
                }
                StatementKind::Query(q) => {
                    for part in &mut q.parts {
                        for c in &mut part.clauses {
                            if let Clause::With(p) | Clause::Return(p) = c {
                                for item in &mut p.items {
                                    item.text = item.expr.to_string();
                                }
                            }
                        }
                    }
                    break;
                }
                _ => break,
            }
        }
    }
    strip_spans(&format!("{s:?}"))
}

fn strip_spans(debug: &str) -> String {
    const OPEN: &str = "Span { start: ";
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        out.push_str("Span");
        rest = &rest[i + OPEN.len()..];
        match rest.find(" }") {
            Some(j) => rest = &rest[j + 2..],
            None => break,
        }
    }
    out.push_str(rest);
    out
}
