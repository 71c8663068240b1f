//! The query parser on arbitrary text: it must return a tree or a syntax
//! error, never panic, overflow the stack or hang. A tree must also print
//! back as text that parses to the same tree (spans and the as-written
//! column text aside), the property `tests/hostile.rs` checks with proptest.
//! Parsed a statement at a time (as scripts are run), the text must give
//! the same statements with the same spans, or fail as the whole does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolegraph::syntax::ast::Script;
use rolegraph::syntax::parse_script;
use rolegraph::syntax::split::parse_in_turn;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let whole = parse_script(text);
    let in_turn = parse_in_turn(text, 0..text.len()).and_then(|pieces| {
        let mut all = Vec::new();
        for script in pieces {
            all.extend(script?.statements);
        }
        Ok(all)
    });
    match (&whole, &in_turn) {
        (Ok(w), Ok(p)) => assert_eq!(&w.statements, p, "statement by statement differs\ninput: {text:?}"),
        (Err(_), Err(_)) => {}
        // Each statement has its own parse budget; the whole text may
        // run out where its statements do not.
        (Err(e), Ok(_)) if e.code == rolegraph::error::Code::TooComplex => {}
        (w, p) => panic!("whole: {w:?}\nin turn: {p:?}\ninput: {text:?}"),
    }
    let Ok(tree) = whole else {
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
fn comparable(s: Script) -> String {
    format!("{:?}", rolegraph::syntax::normalize::script(s))
}
