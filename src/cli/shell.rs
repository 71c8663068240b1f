//! The interactive loop on a terminal: reads lines until a statement ends
//! with ';' (or a ':' command), runs it, prints the table.

use std::io::{BufRead, Write};

use super::script::{print_error, print_rows};
use super::{Exit, Output};
use crate::session::Session;

const HELP: &str = "\
Statements end with ';' and may span several lines.
  MATCH (r:Role) RETURN r.name ORDER BY r.name;
  MATCH (r:Role)-[:LEADS]->(t:Team) RETURN r.name, collect(t.name);
  DESCRIBE CTO;
Commands: :help  :schema  :quit";

pub fn run(session: &mut Session, out: &Output) -> Exit {
    let stdin = std::io::stdin();
    let mut buffer = String::new();
    println!(
        "rolegraph {} on '{}' ({} nodes, {} relationships). Type :help for help, :quit to leave.",
        env!("CARGO_PKG_VERSION"),
        session.graph().name(),
        session.graph().node_count(),
        session.graph().rel_count()
    );
    loop {
        let prompt = if buffer.is_empty() {
            format!("{}> ", session.graph().name())
        } else {
            "   ... ".to_string()
        };
        print!("{prompt}");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => {
                println!();
                return Exit::Ok;
            }
            Ok(_) => {}
        }
        let trimmed = line.trim();
        if buffer.is_empty() && trimmed.starts_with(':') {
            match trimmed.split_whitespace().next().unwrap_or("") {
                ":quit" | ":q" | ":exit" => return Exit::Ok,
                ":help" => println!("{HELP}"),
                ":schema" => {
                    for (l, n) in session.graph().label_counts() {
                        println!("  :{l} ({n})");
                    }
                    for (t, n) in session.graph().rel_type_counts() {
                        println!("  [:{t}] ({n})");
                    }
                }
                other => eprintln!("unknown command '{other}'; try :help"),
            }
            continue;
        }
        buffer.push_str(&line);
        if !trimmed.ends_with(';') {
            continue;
        }
        let text = std::mem::take(&mut buffer);
        let mut results = Vec::new();
        let parsed = session.run_each(&text, |_, r| {
            let ok = r.is_ok();
            results.push(r);
            ok
        });
        for r in results {
            match r {
                Ok(rows) => print_rows(&rows, session, out, "input", &text),
                Err(e) => print_error(&e, "input", &text),
            }
        }
        if let Err(e) = parsed {
            print_error(&e, "input", &text);
        }
    }
}
