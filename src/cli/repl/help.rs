//! `:help [topic]`: the language reference in short (docs/LANGUAGE.md has
//! it in full). Every example line (indented, ending in `;`) runs on the
//! built-in knowledge base; a test checks that.

pub struct Topic {
    pub name: &'static str,
    pub about: &'static str,
    pub text: &'static str,
}

pub const TOPICS: &[Topic] = &[
    Topic {
        name: "match",
        about: "find patterns in the graph",
        text: "\
MATCH pattern [, pattern] [WHERE condition] binds every way the patterns fit the
graph; OPTIONAL MATCH keeps the row (with nulls) when nothing fits.
  MATCH (r:Role) RETURN r.name ORDER BY r.name;
  MATCH (r:Role)-[:LEADS]->(t:Team) RETURN r.name, collect(t.name) AS teams;
  MATCH (r:Role) OPTIONAL MATCH (r)-[:REPORTS_TO]->(b) RETURN r.name, b.name;
See also :help patterns, :help where.",
    },
    Topic {
        name: "patterns",
        about: "nodes, relationships, variable length, paths",
        text: "\
(n) (n:Role) (n {id: 'x'}) ()          a node: variable, labels, properties
-[r:LEADS]->  <-[:LEADS]-  -[:LEADS]-   out, in, either direction
-[:LEADS|WORKS_WITH]->                 any of several types
-[:REPORTS_TO*]->  *2  *1..3  *..5     variable length
p = (a)-->(b)                          a named path
  MATCH (r:Role)-[:REPORTS_TO*1..2]->(boss) RETURN r.name, boss.name;
  MATCH p = (v:Role)-[:VARIANT_OF]->(c {id: 'chief-technology-officer'}) RETURN v.name, length(p);",
    },
    Topic {
        name: "where",
        about: "filter rows",
        text: "\
WHERE keeps the rows whose condition is true (null counts as false).
Operators: = <> < <= > >=, AND OR XOR NOT, IN, STARTS WITH, ENDS WITH,
CONTAINS, =~ (regex), IS [NOT] NULL, n:Label, pattern predicates.
  MATCH (r:Role) WHERE r.name STARTS WITH 'Chief T' RETURN r.name;
  MATCH (r:Role) WHERE NOT (r)-[:REPORTS_TO]->() RETURN r.name;
  MATCH (s:Skill) WHERE s.name =~ '(?i).*lead.*' RETURN s.id;",
    },
    Topic {
        name: "return",
        about: "columns, aggregation, ORDER BY, SKIP, LIMIT",
        text: "\
RETURN [DISTINCT] expr [AS name], ... [ORDER BY expr [DESC]] [SKIP n] [LIMIT n]
ends a query. Aggregates (count, collect, min, max, sum, avg) group by the
other columns. RETURN * returns every variable.
  MATCH (r:Role)-[:REQUIRES]->(s:Skill) RETURN s.name AS skill, count(r) AS roles ORDER BY roles DESC, skill LIMIT 5;
  MATCH (r:Role) RETURN count(*) AS roles;",
    },
    Topic {
        name: "with",
        about: "chain query parts",
        text: "\
WITH projects mid-query, like RETURN; only what it names stays in scope, and a
WHERE after it filters on aggregates.
  MATCH (r:Role)-[:REQUIRES]->(s:Skill) WITH s, count(r) AS n WHERE n > 2 RETURN s.name, n ORDER BY n DESC;",
    },
    Topic {
        name: "unwind",
        about: "one row per list element",
        text: "\
UNWIND list AS x gives one row per element.
  UNWIND ['CTO', 'CPO'] AS a MATCH (r:Role) WHERE a IN r.aliases RETURN a, r.name;
  UNWIND range(1, 3) AS i RETURN i, i * i AS square;",
    },
    Topic {
        name: "create",
        about: "add nodes and relationships",
        text: "\
CREATE adds nodes and relationships to the graph in memory (the data files are
not changed). A cancelled CREATE may have added part of its nodes: there is no
rollback.
  CREATE (t:Team {id: 'help-demo-team', name: 'Demo team'}) RETURN t.name;",
    },
    Topic {
        name: "expressions",
        about: "literals, operators, CASE, comprehensions",
        text: "\
Literals: null true false 42 0x2A 1.5 'text' \"text\" [1, 2] {k: 1}; $param.
n.key  list[0]  list[1..3]  map['k']  a + b (numbers, strings, lists)
CASE WHEN c THEN a ELSE b END   [x IN list WHERE c | f(x)]   all/any/none/single(x IN l WHERE c)
  RETURN 1 + 2 * 3 AS n, 'a' + 'b' AS s, [x IN range(1, 5) WHERE x % 2 = 1 | x * 10] AS odd;
  MATCH (r:Role) RETURN r.name, CASE WHEN size(r.aliases) > 0 THEN r.aliases[0] ELSE '-' END AS alias;",
    },
    Topic {
        name: "functions",
        about: "the functions there are",
        text: "\
graph:      labels type properties keys id startNode endNode nodes relationships length
strings:    toUpper toLower trim lTrim rTrim substring left right replace split reverse size
conversion: toString toInteger toFloat toBoolean coalesce
lists:      size head last tail range reverse
numbers:    abs ceil floor round sign sqrt exp log log10
aggregates: count(*) count(x) collect min max sum avg (each with DISTINCT)
  MATCH (r:Role {id: 'chief-technology-officer'}) RETURN toUpper(r.name), size(r.aliases), keys(r);
  MATCH (r:Role)-[x]->() RETURN type(x) AS type, count(*) AS n ORDER BY n DESC;",
    },
    Topic {
        name: "describe",
        about: "DESCRIBE a node (extension)",
        text: "\
DESCRIBE ref shows a node, its properties and every relationship with its
sources. A ref is an id, a name or an alias, bare or quoted, in any case. An
alias that names several nodes (CIO) is an error listing them.
  DESCRIBE CTO;
  DESCRIBE 'Chief Product Officer';
  DESCRIBE it-governance;",
    },
    Topic {
        name: "overlap",
        about: "OVERLAP, DIFF, PATH (extensions)",
        text: "\
OVERLAP a, b [, c] [ON TYPE|TYPE]   what the roles share, and what only one has
DIFF a, b                           what tells two roles apart
PATH a TO b [VIA TYPE|TYPE] [ALL]   the shortest way from one node to another
  OVERLAP CTO, CPO ON REQUIRES;
  DIFF CTO, CPO;
  PATH CPO TO CEO;",
    },
    Topic {
        name: "formats",
        about: "how results are printed",
        text: "\
:format table     an aligned table fitted to the terminal (the default)
:format json      one JSON array of objects
:format jsonl     one JSON object per line
:format csv       RFC 4180 CSV with a header
:format markdown  a markdown table
:timing on|off    show how long each statement took
The format stays for the rest of the session; --format sets it at start.",
    },
    Topic {
        name: "export",
        about: "draw overlaps, diffs, paths, org charts and results",
        text: "\
:export FORMAT FILE WHAT writes a drawing: FORMAT is dot, svg, png or pdf
(pictures need Graphviz's `dot`), FILE '-' prints the DOT. WHAT is one of
overlap a, b [ON TYPE|TYPE] | diff a, b | path a TO b [VIA TYPE] [ALL] |
orgchart [ref] | last (the previous result) | query <statement>.
  :export svg overlap.svg overlap CTO, CPO
  :export dot - path CPO TO CEO
  :export dot roles.dot query MATCH (r:Role)-[x:REPORTS_TO]->(b) RETURN r, x, b",
    },
    Topic {
        name: "params",
        about: "query parameters",
        text: "\
:param name value sets $name (a JSON or Cypher literal; anything else is a
string); :params lists them, :params clear removes them.
  :param role 'chief-technology-officer'
  MATCH (r:Role {id: $role}) RETURN r.name;",
    },
    Topic {
        name: "keys",
        about: "editing keys",
        text: "\
Enter          runs the input when it ends with ';' (else starts a new line)
Tab            completes keywords, functions, labels, types, keys, node ids, paths
Up/Down        history (one entry per statement); Ctrl-R searches it
Right arrow    takes the grey hint from history
Ctrl-C         clears the input; while a statement runs, cancels it
Ctrl-D         leaves the shell (on an empty line)",
    },
];

pub fn topic(name: &str) -> Option<&'static Topic> {
    let name = name.trim().trim_start_matches(':').to_lowercase();
    let alias = match name.as_str() {
        "optional" | "optional match" => "match",
        "order" | "order by" | "limit" | "skip" | "aggregation" | "aggregates" => "return",
        "diff" | "path" => "overlap",
        "format" | "timing" => "formats",
        "param" | "parameters" => "params",
        "pattern" => "patterns",
        "function" => "functions",
        "expression" | "operators" => "expressions",
        "keyboard" | "editing" => "keys",
        other => other,
    };
    TOPICS.iter().find(|t| t.name == alias)
}

pub fn names() -> Vec<&'static str> {
    TOPICS.iter().map(|t| t.name).collect()
}

/// `:help` with no topic: how to use the shell, the commands, the topics.
pub fn overview(commands: &[super::meta::Command]) -> String {
    let mut s = String::from(
        "\
Statements end with ';' and may span several lines; Tab completes, Up recalls.
  MATCH (r:Role) RETURN r.name ORDER BY r.name;
  MATCH (r:Role)-[:LEADS]->(t:Team) RETURN r.name, collect(t.name) AS teams;
  DESCRIBE CTO;

Commands:
",
    );
    let width = commands
        .iter()
        .map(|c| c.name.len() + c.args.len() + 1)
        .max()
        .unwrap_or(0);
    for c in commands {
        let head = if c.args.is_empty() {
            c.name.to_string()
        } else {
            format!("{} {}", c.name, c.args)
        };
        s.push_str(&format!("  {head:width$}  {}\n", c.about));
    }
    s.push_str("\nTopics (:help TOPIC):\n");
    let width = TOPICS.iter().map(|t| t.name.len()).max().unwrap_or(0);
    for t in TOPICS {
        s.push_str(&format!("  {:width$}  {}\n", t.name, t.about));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Example lines: indented, ending with ';', not a meta-command.
    fn examples(text: &str) -> impl Iterator<Item = &str> {
        text.lines()
            .filter(|l| l.starts_with("  ") && l.trim_end().ends_with(';') && !l.trim().starts_with(':'))
            .map(str::trim)
    }

    #[test]
    fn every_example_runs_on_the_built_in_graph() {
        let mut session = crate::Session::builtin().unwrap();
        session.set_param("role", crate::Value::str("chief-technology-officer"));
        let all = TOPICS
            .iter()
            .map(|t| t.text)
            .chain([overview(super::super::meta::COMMANDS).leak() as &str]);
        let mut n = 0;
        for text in all {
            for ex in examples(text) {
                let rows = session.run(ex).unwrap_or_else(|e| panic!("{ex}: {e}"));
                assert!(!rows.is_empty() || ex.starts_with("CREATE"), "{ex} returned no rows");
                n += 1;
            }
        }
        assert!(n >= 25, "only {n} examples");
    }

    #[test]
    fn topics_are_found_by_name_and_alias() {
        assert_eq!(topic("MATCH").map(|t| t.name), Some("match"));
        assert_eq!(topic("path").map(|t| t.name), Some("overlap"));
        assert!(topic("nonsense").is_none());
    }
}
