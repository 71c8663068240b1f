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
not changed until :save DIR). :help edit for SET, REMOVE, DELETE, MERGE, undo.
  CREATE (t:Team {id: 'help-demo-team', name: 'Demo team'}) RETURN t.name;",
    },
    Topic {
        name: "edit",
        about: "SET, REMOVE, DELETE, MERGE; all or nothing; :undo",
        text: "\
SET n.key = value, SET n += {map}, SET n = {map}, SET n:Label change a node or
relationship; REMOVE n.key, REMOVE n:Label take off; DELETE x deletes
relationships and nodes without any (DETACH DELETE takes them too); MERGE
pattern matches it or creates it, with ON CREATE SET / ON MATCH SET.
  MATCH (r:Role {id: 'chief-technology-officer'}) SET r.budget = 2.5, r:Executive RETURN r.name, r.budget;
  MATCH (r:Role {id: 'chief-technology-officer'}) REMOVE r.budget, r:Executive RETURN labels(r);
  MERGE (t:Team {id: 'help-demo-team'}) ON CREATE SET t.name = 'Demo' ON MATCH SET t.seen = true RETURN t.name;
  MATCH (t:Team {id: 'help-demo-team'}) DETACH DELETE t RETURN count(*) AS deleted;
A statement is all or nothing: when it fails or is stopped, the graph is as
before it. :undo [N] takes back the last statements that changed the graph,
:redo makes them again, :changes lists what is not saved, :save DIR writes it.
In the built-in graph every fact cites its sources: an edit leaving one
without `sources` is warned (graph-data/README.md).",
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
        about: "OVERLAP, DIFF, PATH, MATRIX (extensions)",
        text: "\
OVERLAP a, b [, c] [ON TYPE|TYPE] [SUMMARY]  what the roles share, and what only one has
DIFF a, b [ON TYPE|TYPE] [SUMMARY]           what tells two roles apart
PATH a TO b [VIA TYPE|TYPE] [ALL]            the shortest way from one node to another
MATRIX a, b [, c] [ON TYPE|TYPE]             who does what: a row per item, a column per role
ON keeps only those relationship types; SUMMARY counts the items per region
(or section and side) and type instead of listing them.
  OVERLAP CTO, CPO ON REQUIRES;
  DIFF CTO, CPO SUMMARY;
  DIFF CTO, CPO ON LEADS|WORKS_WITH;
  PATH CPO TO CEO;
  MATRIX CTO, CPO, chief-information-officer;",
    },
    Topic {
        name: "matrix",
        about: "MATRIX: who does what, as a role matrix (extension)",
        text: "\
MATRIX a, b [, c ...] [ON TYPE|TYPE] draws the table people use to split duties
(RACI-style): a row per item the roles reach (RESPONSIBLE_FOR unless ON names
other types: REQUIRES for skills, LEADS|WORKS_WITH for teams, FOCUSES_ON), a
column per role marked where it reaches the item (with the confidence when the
source states one), the sources, and `overlap` true where several roles reach
it. Below it: per role the items it has alone, shares, and in all; then the
shared items, the ones to settle. Every :format prints it (markdown for wikis).
  MATRIX CTO, CPO, chief-information-officer;
  MATRIX CTO, CPO ON REQUIRES;
  TRANSLATE MATRIX CTO, CPO;
  :export svg matrix.svg matrix CTO, CPO, chief-information-officer",
    },
    Topic {
        name: "explain",
        about: "EXPLAIN: the plan, without running",
        text: "\
EXPLAIN statement lists the operators the statement would run, in order, with
what each does (where a pattern starts, which index it uses, where each WHERE
condition is checked). Nothing runs and nothing changes.
  EXPLAIN MATCH (r:Role)-[:LEADS]->(t:Team) RETURN r.name, count(t) AS teams;
  EXPLAIN MATCH (r:Role {id: 'chief-technology-officer'}) RETURN r.name;",
    },
    Topic {
        name: "profile",
        about: "PROFILE: run and time each operator",
        text: "\
PROFILE statement runs the statement and shows each operator's rows and
milliseconds, then a total for the whole statement; the rows themselves are
not printed. A PROFILE of CREATE changes the graph as the CREATE would.
  PROFILE MATCH (r:Role)-[:REQUIRES]->(s:Skill) RETURN s.name, count(r) AS roles;",
    },
    Topic {
        name: "translate",
        about: "TRANSLATE: plain openCypher for other engines",
        text: "\
TRANSLATE statement prints plain openCypher that does the same, one statement
a row, each ending in ';', with names and aliases resolved to ids, for Neo4j,
Memgraph or FalkorDB. A query in the subset translates to itself.
  TRANSLATE DESCRIBE CTO;
  TRANSLATE OVERLAP CTO, CPO ON REQUIRES;
  TRANSLATE DIFF CTO, CPO;
  TRANSLATE MATRIX CTO, CPO;",
    },
    Topic {
        name: "display",
        about: "tables, expanded records, the pager, :output",
        text: "\
:mode table       tables, cells wrapped at spaces to fit (a word is never split)
:mode expanded    one field a line, a -[ RECORD n ]- line above each row
:mode auto        a table while it fits the terminal, else expanded (default)
:pager on|off     long results through $PAGER (default less -FRX); --no-pager
:output FILE      results into FILE from now on (written whole each time)
:output           results here again
:max-rows N|off   show at most N rows of each result, with a note",
    },
    Topic {
        name: "scripts",
        about: "-e, -f, standard input: one document per run",
        text: "\
rolegraph -f FILE, -e and standard input run statements and the same
:commands as the shell (:format, :param, :source, ...). With several
statements, --format json prints one array of {statement, text, columns, rows,
warnings}, jsonl lines carry \"statement\", and csv prints the one table the
run returns (statements without RETURN print none); several tables need
--output-dir DIR (one file per statement; it works for every format). A
syntax error anywhere runs nothing; a failing statement stops the run
(--keep-going goes on). --safe-csv keeps spreadsheets from running cells as
formulas. Exit codes: 0 ok, 1 query error, 2 usage.",
    },
    Topic {
        name: "history",
        about: ":history lists and re-runs earlier input",
        text: "\
:history          the earlier inputs, numbered (the latest last)
:history N        runs input N again (it joins the history as the latest)
Up/Down and Ctrl-R reach the same entries from the prompt.",
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
overlap a, b [ON TYPE|TYPE] | diff a, b | matrix a, b [ON TYPE|TYPE] |
path a TO b [VIA TYPE] [ALL] |
orgchart [ref] | last (the previous result) | query <statement>.
Each has its own topic: :help export-overlap, export-diff, export-matrix,
export-path, export-orgchart, export-query, export-last, export-data.
  :export svg overlap.svg overlap CTO, CPO
  :export dot - path CPO TO CEO
  :export dot roles.dot query MATCH (r:Role)-[x:REPORTS_TO]->(b) RETURN r, x, b",
    },
    Topic {
        name: "export-overlap",
        about: "draw OVERLAP as clusters of a Venn diagram",
        text: "\
:export FORMAT FILE overlap a, b [, c] [ON TYPE|TYPE] draws one cluster per
region (all, each pair, each alone), the compared roles around them, edges
coloured by relationship type; `*` marks a claim of medium confidence.
From the command line: rolegraph export overlap a,b[,c] [ON TYPES] -o FILE.
  :export svg overlap.svg overlap CTO, CPO, chief-information-officer
  :export dot - overlap CTO, CPO ON REQUIRES",
    },
    Topic {
        name: "export-diff",
        about: "draw DIFF: each side's own items, poles, disputes",
        text: "\
:export FORMAT FILE diff a, b draws what only each side has, the dimensions
where they sit at opposite poles, and the claims the sources dispute.
From the command line: rolegraph export diff a,b -o FILE.
  :export svg diff.svg diff CTO, chief-innovation-officer",
    },
    Topic {
        name: "export-path",
        about: "draw PATH: the shortest path(s) hop by hop",
        text: "\
:export FORMAT FILE path a TO b [VIA TYPE|TYPE] [ALL] draws the shortest path
(every one with ALL), each hop with its type and sources.
From the command line: rolegraph export path a TO b [ALL] -o FILE.
  :export dot - path CPO TO chief-executive-officer ALL",
    },
    Topic {
        name: "export-orgchart",
        about: "draw who reports to whom",
        text: "\
:export FORMAT FILE orgchart [ref] draws the reporting lines (dashed where a
role has several possible managers), collaboration dotted, variants beside
their role; with a ref, the part around that node.
  :export svg org.svg orgchart
  :export dot - orgchart CTO",
    },
    Topic {
        name: "export-query",
        about: "draw the nodes and relationships a query returns",
        text: "\
:export FORMAT FILE query <statement> runs the statement and draws every node,
relationship and path in its result.
  :export svg reports.svg query MATCH p = (:Role)-[:REPORTS_TO]->() RETURN p",
    },
    Topic {
        name: "export-last",
        about: "draw the previous result",
        text: "\
:export FORMAT FILE last draws what the previous statement returned: its
OVERLAP, DIFF or PATH diagram, or its nodes and relationships.
  :export dot - last",
    },
    Topic {
        name: "export-data",
        about: "the whole graph as Cypher, CSV, JSON or GraphML",
        text: "\
rolegraph export cypher|json|graphml -o FILE, and rolegraph export csv --neo4j
DIR, write the whole graph for other tools: CREATE statements for Neo4j,
Memgraph and FalkorDB; JSON; GraphML for Gephi or yEd; CSV for neo4j-admin
import. --data DIR exports a graph of your own.",
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
        "diff" | "path" | "summary" => "overlap",
        "raci" | "export-matrix" => "matrix",
        "mode" | "pager" | "output" | "max-rows" | "expanded" => "display",
        "script" | "-f" | "json" | "csv" | "output-dir" => "scripts",
        "cypher" | "graphml" => "export-data",
        w if w.starts_with("export ") => return TOPICS.iter().find(|t| t.name == w.replacen(' ', "-", 1)),
        "format" | "timing" => "formats",
        "param" | "parameters" => "params",
        "pattern" => "patterns",
        "function" => "functions",
        "expression" | "operators" => "expressions",
        "keyboard" | "editing" => "keys",
        "set" | "remove" | "delete" | "detach" | "merge" | "undo" | "redo" | "changes" | "atomic" => "edit",
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
        assert_eq!(topic("export diff").map(|t| t.name), Some("export-diff"));
        for name in ["explain", "profile", "translate", "history", "display", "scripts"] {
            assert_eq!(topic(name).map(|t| t.name), Some(name));
        }
        assert!(topic("nonsense").is_none());
    }
}
