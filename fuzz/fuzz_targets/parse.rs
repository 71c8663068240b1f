//! The query parser on arbitrary text: it must return a tree or a syntax
//! error, never panic, overflow the stack or hang. A tree must also print
//! back as text that parses to the same tree (spans and the as-written
//! column text aside), the property `tests/hostile.rs` checks with proptest.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolegraph::syntax::ast::Script;
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
fn comparable(s: Script) -> String {
    format!("{:?}", rolegraph::syntax::normalize::script(s))
}
