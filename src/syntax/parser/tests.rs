use super::*;

#[test]
fn debug_errors() {
    let Ok(q) = std::env::var("Q") else { return };
    for line in q.lines() {
        match parse_script(line) {
            Ok(s) => println!("{line}\n  OK {s:?}"),
            Err(e) => println!("{line}\n  ERR @{}: {}", e.span.start, e.message),
        }
    }
}
