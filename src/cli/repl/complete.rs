//! Tab completion. The text before the cursor decides what is offered:
//! keywords and functions; labels after `(n:`; relationship types after
//! `[:`; property keys after `var.` (those of the variable's label when the
//! text so far says it); node ids, names and aliases after DESCRIBE,
//! OVERLAP, DIFF, PATH and inside `{id: '`; meta-commands after `:`; file
//! paths after `:load`, `:source`, `:export`, `:save`.

use std::collections::{BTreeSet, HashMap};

use rustyline::Context;
use rustyline::completion::{Completer, FilenameCompleter, Pair};

use super::Helper;
use super::lex::{self, Kind, Token};
use super::meta;
use crate::store::Graph;
use crate::value::Value;

/// Keywords offered by completion: the language's words, with the ones that
/// only make sense in a phrase (`ORDER` → `ORDER BY`) offered as the phrase.
fn keywords() -> Vec<&'static str> {
    const ONLY_IN_PHRASES: &[&str] = &[
        "OPTIONAL",
        "ORDER",
        "BY",
        "IS",
        "STARTS",
        "ENDS",
        "ASCENDING",
        "DESCENDING",
    ];
    let mut v: Vec<&'static str> = crate::syntax::KEYWORDS
        .iter()
        .copied()
        .filter(|k| !ONLY_IN_PHRASES.contains(k))
        .collect();
    v.extend(crate::syntax::PHRASES);
    v
}

/// Statements whose arguments are node references.
const REF_STATEMENTS: &[&str] = &["DESCRIBE", "OVERLAP", "DIFF", "PATH", "MATRIX"];

/// The names in a graph that completion offers, taken once per load (and
/// again after a statement changes the graph).
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub labels: Vec<String>,
    pub types: Vec<String>,
    pub keys: Vec<String>,
    pub keys_by_label: HashMap<String, Vec<String>>,
    pub keys_by_type: HashMap<String, Vec<String>>,
    /// Node ids.
    pub ids: Vec<String>,
    /// Ids, names and aliases, as written in the data.
    pub refs: Vec<String>,
    pub params: Vec<String>,
}

impl Vocabulary {
    /// The words of a server's graph (`--connect`).
    pub fn of_server(s: &crate::remote::schema::ServerSchema) -> Vocabulary {
        let lists = |m: &std::collections::BTreeMap<String, BTreeSet<String>>| -> HashMap<String, Vec<String>> {
            m.iter()
                .map(|(k, v)| (k.clone(), v.iter().cloned().collect()))
                .collect()
        };
        let mut keys: BTreeSet<String> = s.label_keys.values().flatten().cloned().collect();
        keys.extend(s.type_keys.values().flatten().cloned());
        Vocabulary {
            labels: s.labels.keys().cloned().collect(),
            types: s.types.keys().cloned().collect(),
            keys: keys.into_iter().collect(),
            keys_by_label: lists(&s.label_keys),
            keys_by_type: lists(&s.type_keys),
            ids: s.ids.clone(),
            refs: s.refs.clone(),
            params: Vec::new(),
        }
    }

    pub fn of(graph: &Graph) -> Vocabulary {
        let mut by_label: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut by_type: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut ids = BTreeSet::new();
        let mut refs = BTreeSet::new();
        for n in graph.nodes() {
            let node = graph.node(n);
            for l in node.labels() {
                by_label
                    .entry(l.to_string())
                    .or_default()
                    .extend(node.props().keys().map(|k| k.to_string()));
            }
            if let Some(k) = node.key() {
                ids.insert(k.to_string());
                refs.insert(k.to_string());
            }
            if let Some(name) = node.prop("name").and_then(Value::as_str) {
                refs.insert(name.to_string());
            }
            if let Some(Value::List(aliases)) = node.prop("aliases") {
                refs.extend(aliases.iter().filter_map(Value::as_str).map(str::to_string));
            }
        }
        for r in graph.rels() {
            let rel = graph.rel(r);
            by_type
                .entry(rel.rel_type().to_string())
                .or_default()
                .extend(rel.props().keys().map(|k| k.to_string()));
        }
        let sorted = |m: HashMap<String, BTreeSet<String>>| -> HashMap<String, Vec<String>> {
            m.into_iter().map(|(k, v)| (k, v.into_iter().collect())).collect()
        };
        Vocabulary {
            labels: graph.label_counts().into_iter().map(|(l, _)| l.to_string()).collect(),
            types: graph
                .rel_type_counts()
                .into_iter()
                .map(|(t, _)| t.to_string())
                .collect(),
            keys: graph.property_keys().into_iter().map(str::to_string).collect(),
            keys_by_label: sorted(by_label),
            keys_by_type: sorted(by_type),
            ids: ids.into_iter().collect(),
            refs: refs.into_iter().collect(),
            params: Vec::new(),
        }
    }
}

/// What the cursor is in, as far as completion cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ctx {
    /// The first word of a meta-command line.
    MetaCommand,
    /// An argument of a meta-command.
    MetaArg(String),
    Label,
    RelType,
    /// A property of a variable, with its label or relationship type when
    /// the text says it.
    Property(Option<Schema>),
    Param,
    /// A node reference of DESCRIBE and friends; the quote when inside one.
    NodeRef(Option<char>),
    /// Inside the string of `{id: '`.
    NodeId(char),
    /// Keywords and functions.
    General,
    /// Nothing to offer (inside an ordinary string, a comment, a number).
    Nothing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schema {
    Label(String),
    Type(String),
}

/// The context at `pos` and where the word being completed starts.
pub fn context(line: &str, pos: usize) -> (usize, Ctx) {
    context_in(line, pos, true)
}

/// As [`context`]; `spaced_refs` lets a reference being typed hold spaces.
fn context_in(line: &str, pos: usize, spaced_refs: bool) -> (usize, Ctx) {
    let before = &line[..pos];
    let toks = lex::tokens(before);
    // The statement being typed starts after the last `;` that ends one.
    let stmt_start = toks
        .iter()
        .rev()
        .find(|t| t.is_punct(before, ";"))
        .map(|t| t.end)
        .unwrap_or(0);
    let stmt = &before[stmt_start..];
    let lead = stmt.len() - stmt.trim_start().len();
    if stmt.trim_start().starts_with(':') {
        let rest = &stmt[lead..];
        return match rest.find(char::is_whitespace) {
            None => (stmt_start + lead, Ctx::MetaCommand),
            Some(i) => {
                let arg_start = rest[i..].len() - rest[i..].trim_start().len() + i;
                (stmt_start + lead + arg_start, Ctx::MetaArg(rest[..i].to_string()))
            }
        };
    }
    let toks: Vec<Token> = lex::tokens(stmt)
        .into_iter()
        .map(|t| Token {
            start: t.start + stmt_start,
            end: t.end + stmt_start,
            ..t
        })
        .collect();
    let first_word = toks
        .iter()
        .find(|t| !t.is_trivia())
        .filter(|t| t.kind == Kind::Word)
        .map(|t| t.text(before).to_uppercase());
    let is_ref_stmt = first_word.as_deref().is_some_and(|w| REF_STATEMENTS.contains(&w));

    let last = toks.last().copied();
    // Inside a string: `{id: '` or a quoted node reference.
    if let Some(t) = last.filter(|t| matches!(t.kind, Kind::Str { closed: false })) {
        let quote = before[t.start..].chars().next().unwrap_or('\'');
        let idx = toks.len() - 1;
        let prev = significant_before(&toks, idx);
        let prev_text: Vec<&str> = prev.iter().map(|t| t.text(before)).collect();
        if prev_text.first() == Some(&":") && prev_text.get(1).is_some_and(|w| w.eq_ignore_ascii_case("id")) {
            return (t.start + 1, Ctx::NodeId(quote));
        }
        if is_ref_stmt && ref_position(&prev_text) {
            return (t.start + 1, Ctx::NodeRef(Some(quote)));
        }
        return (pos, Ctx::Nothing);
    }
    if last.is_some_and(|t| matches!(t.kind, Kind::Comment { .. } | Kind::Quoted { .. } | Kind::Str { .. })) {
        return (pos, Ctx::Nothing);
    }
    // A name typed without quotes may have spaces (`DESCRIBE Infrastructure
    // Ov`): where a reference is expected, the whole text since the
    // reference began is the prefix, and names come before keywords.
    if spaced_refs
        && is_ref_stmt
        && let Some(start) = unquoted_ref_start(before, &toks, stmt_start)
    {
        return (start, Ctx::NodeRef(None));
    }
    // A bare node reference may hold '-', '.' and '&' (kebab-case ids).
    if is_ref_stmt {
        let word_start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '&'))
            .last()
            .map(|(i, _)| i)
            .unwrap_or(pos)
            .max(stmt_start);
        let idx = toks.partition_point(|t| t.start < word_start);
        let prev: Vec<&str> = significant_before(&toks, idx).iter().map(|t| t.text(before)).collect();
        if ref_position(&prev) {
            return (word_start, Ctx::NodeRef(None));
        }
        if prev
            .first()
            .is_some_and(|w| w.eq_ignore_ascii_case("ON") || w.eq_ignore_ascii_case("VIA") || *w == "|")
        {
            return (word_start, Ctx::RelType);
        }
    }
    let (start, idx) = match last {
        Some(t) if matches!(t.kind, Kind::Word | Kind::Param) => (t.start, toks.len() - 1),
        Some(t) if t.kind == Kind::Number => return (t.start, Ctx::Nothing),
        _ => (pos, toks.len()),
    };
    if let Some(t) = last.filter(|t| t.kind == Kind::Param) {
        return (t.start + 1, Ctx::Param);
    }
    let prev = significant_before(&toks, idx);
    let Some(p) = prev.first() else {
        return (start, Ctx::General);
    };
    let brackets = lex::open_brackets(before, &toks[..idx]);
    let inner = brackets.last().map(|&i| toks[i].text(before));
    match p.text(before) {
        "$" => (start, Ctx::Param),
        ":" => match inner {
            Some("[") => (start, Ctx::RelType),
            Some("{") => (start, Ctx::General),
            _ => (start, Ctx::Label),
        },
        "|" if inner == Some("[") => (start, Ctx::RelType),
        "." => {
            let var = prev.get(1).filter(|t| t.kind == Kind::Word).map(|t| t.text(before));
            (start, Ctx::Property(var.and_then(|v| schema_of(before, &toks, v))))
        }
        _ => (start, Ctx::General),
    }
}

/// Where a node reference being typed without quotes begins, when the text
/// since the last DESCRIBE, OVERLAP, DIFF, PATH, `,` or TO is words (with
/// the characters ids hold) and spaces, and some space is in it: `DESCRIBE
/// R&D dep` is one reference, `R&D dep`.
fn unquoted_ref_start(before: &str, toks: &[Token], stmt_start: usize) -> Option<usize> {
    let sig: Vec<&Token> = toks.iter().filter(|t| !t.is_trivia()).collect();
    let opener = sig.iter().rposition(|t| {
        let w = t.text(before);
        w == "," || w.eq_ignore_ascii_case("TO") || REF_STATEMENTS.iter().any(|k| w.eq_ignore_ascii_case(k))
    })?;
    let start = sig[opener].end;
    let text = &before[start.max(stmt_start)..];
    let lead = text.len() - text.trim_start().len();
    let typed = &text[lead..];
    let words_only = typed
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.' | '&'));
    let upper = typed.to_ascii_uppercase();
    let after_keyword = [" ON", " VIA", " TO", " ALL", " SUMMARY"]
        .iter()
        .any(|k| upper.contains(&format!("{k} ")) || upper.ends_with(k));
    (words_only && typed.trim_end().contains(' ') && !after_keyword).then_some(start + lead)
}

/// Up to two significant tokens before `toks[idx]`, nearest first.
fn significant_before(toks: &[Token], idx: usize) -> Vec<Token> {
    toks[..idx]
        .iter()
        .rev()
        .filter(|t| !t.is_trivia())
        .take(2)
        .copied()
        .collect()
}

/// True when the previous token starts a node reference of DESCRIBE,
/// OVERLAP (after the keyword or a comma), DIFF or PATH (also after TO).
fn ref_position(prev: &[&str]) -> bool {
    prev.first().is_some_and(|w| {
        *w == "," || w.eq_ignore_ascii_case("TO") || REF_STATEMENTS.iter().any(|k| w.eq_ignore_ascii_case(k))
    })
}

/// The label (`(v:Label`) or type (`[v:TYPE`) the text gives variable `var`.
fn schema_of(src: &str, toks: &[Token], var: &str) -> Option<Schema> {
    let sig: Vec<&Token> = toks.iter().filter(|t| !t.is_trivia()).collect();
    sig.windows(4).find_map(|w| {
        let open = w[0].text(src);
        if (open == "(" || open == "[") && w[1].text(src) == var && w[2].text(src) == ":" && w[3].kind == Kind::Word {
            let name = w[3].text(src).to_string();
            Some(if open == "(" {
                Schema::Label(name)
            } else {
                Schema::Type(name)
            })
        } else {
            None
        }
    })
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.is_char_boundary(prefix.len()) && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn matching<'a>(cands: impl IntoIterator<Item = &'a str>, prefix: &str) -> Vec<Pair> {
    let mut out: Vec<Pair> = cands
        .into_iter()
        .filter(|c| starts_with_ci(c, prefix))
        .map(|c| Pair {
            display: c.to_string(),
            replacement: c.to_string(),
        })
        .collect();
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup_by(|a, b| a.replacement == b.replacement);
    out
}

/// A name that needs backticks in a pattern (`Has Space`).
fn quote_name(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// Candidates for `ctx` given the word typed so far (`prefix`). File paths
/// are not handled here (they need the whole line).
pub fn candidates(vocab: &Vocabulary, ctx: &Ctx, prefix: &str) -> Vec<Pair> {
    let names = |v: &[String]| -> Vec<Pair> {
        let quoted: Vec<String> = v.iter().map(|n| quote_name(n)).collect();
        matching(quoted.iter().map(String::as_str), prefix)
    };
    match ctx {
        Ctx::MetaCommand => matching(meta::COMMANDS.iter().map(|c| c.name), prefix),
        Ctx::MetaArg(cmd) => match meta::arg_values(cmd) {
            Some(values) => matching(values.iter().copied(), prefix),
            None => Vec::new(),
        },
        Ctx::Label => names(&vocab.labels),
        Ctx::RelType => names(&vocab.types),
        Ctx::Property(schema) => {
            let keys = match schema {
                Some(Schema::Label(l)) => vocab.keys_by_label.get(l),
                Some(Schema::Type(t)) => vocab.keys_by_type.get(t),
                None => None,
            };
            names(keys.unwrap_or(&vocab.keys))
        }
        Ctx::Param => matching(vocab.params.iter().map(String::as_str), prefix),
        Ctx::NodeId(q) => {
            let mut v = matching(vocab.ids.iter().map(String::as_str), prefix);
            for p in &mut v {
                p.replacement.push(*q);
            }
            v
        }
        Ctx::NodeRef(Some(q)) => {
            let mut v = matching(vocab.refs.iter().map(String::as_str), prefix);
            for p in &mut v {
                p.replacement = format!("{}{q}", p.replacement.replace(*q, &format!("\\{q}")));
            }
            v
        }
        Ctx::NodeRef(None) => {
            let mut v = matching(vocab.refs.iter().map(String::as_str), prefix);
            for p in &mut v {
                let bare = p
                    .replacement
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '&' | '-'));
                if !bare {
                    p.replacement = format!("'{}'", p.replacement.replace('\'', "\\'"));
                }
            }
            v
        }
        Ctx::General => {
            let funcs: Vec<String> = crate::plan::functions::all_names()
                .into_iter()
                .map(|f| format!("{f}("))
                .collect();
            let keywords = keywords();
            let mut v = matching(keywords.iter().copied(), prefix);
            v.extend(matching(funcs.iter().map(String::as_str), prefix));
            // Keywords follow the case the user types in.
            if prefix.chars().next().is_some_and(char::is_lowercase) {
                for p in &mut v {
                    if keywords.contains(&p.replacement.as_str()) {
                        p.replacement = p.replacement.to_lowercase();
                    }
                }
            }
            v
        }
        Ctx::Nothing => Vec::new(),
    }
}

impl Completer for Helper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (_, ctx) = context(line, pos);
        if let Ctx::MetaArg(cmd) = &ctx
            && meta::takes_path(cmd)
        {
            return FilenameCompleter::new().complete_path(line, pos);
        }
        Ok(complete_line(&self.vocab, line, pos))
    }
}

/// Where the completion starts and what it offers. A reference typed with
/// spaces that matches nothing is read again as words (`OVERLAP CTO, CPO O`
/// goes on to `ON`).
pub fn complete_line(vocab: &Vocabulary, line: &str, pos: usize) -> (usize, Vec<Pair>) {
    let (start, ctx) = context(line, pos);
    let found = candidates(vocab, &ctx, &line[start..pos]);
    if !found.is_empty() || ctx != Ctx::NodeRef(None) {
        return (start, found);
    }
    let (start, ctx) = context_in(line, pos, false);
    (start, candidates(vocab, &ctx, &line[start..pos]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(line: &str) -> Ctx {
        context(line, line.len()).1
    }

    #[test]
    fn context_follows_the_text_before_the_cursor() {
        assert_eq!(ctx("MATCH (r:Ro"), Ctx::Label);
        assert_eq!(ctx("MATCH (r:"), Ctx::Label);
        assert_eq!(ctx("MATCH (r)-[:LE"), Ctx::RelType);
        assert_eq!(ctx("MATCH (r)-[x:LEADS|WO"), Ctx::RelType);
        assert_eq!(
            ctx("MATCH (r:Role)-[:LEADS]->(t) RETURN r.na"),
            Ctx::Property(Some(Schema::Label("Role".into())))
        );
        assert_eq!(
            ctx("MATCH ()-[x:LEADS]->() RETURN x."),
            Ctx::Property(Some(Schema::Type("LEADS".into())))
        );
        assert_eq!(ctx("MATCH (r) RETURN r."), Ctx::Property(None));
        assert_eq!(ctx("MATCH (r {id: 'chief-t"), Ctx::NodeId('\''));
        assert_eq!(ctx("MATCH (r {name: 'chief-t"), Ctx::Nothing);
        assert_eq!(ctx("MATCH (r) WHERE r:Ro"), Ctx::Label);
        assert_eq!(ctx("RETURN {a: tru"), Ctx::General);
        assert_eq!(ctx("MAT"), Ctx::General);
        assert_eq!(ctx("RETURN $p"), Ctx::Param);
        assert_eq!(ctx("DESCRIBE chief-tech"), Ctx::NodeRef(None));
        assert_eq!(ctx("describe "), Ctx::NodeRef(None));
        assert_eq!(ctx("DESCRIBE 'Chief T"), Ctx::NodeRef(Some('\'')));
        assert_eq!(ctx("OVERLAP CTO, CP"), Ctx::NodeRef(None));
        assert_eq!(ctx("PATH CTO TO CE"), Ctx::NodeRef(None));
        assert_eq!(ctx("OVERLAP CTO, CPO ON RE"), Ctx::RelType);
        assert_eq!(ctx("MATRIX CTO, CP"), Ctx::NodeRef(None));
        assert_eq!(ctx("matrix "), Ctx::NodeRef(None));
        assert_eq!(ctx("MATRIX CTO, CPO ON REQ"), Ctx::RelType);
        assert_eq!(ctx("RETURN 1; DESCRIBE C"), Ctx::NodeRef(None));
        assert_eq!(ctx(":sch"), Ctx::MetaCommand);
        assert_eq!(ctx(":load data/"), Ctx::MetaArg(":load".into()));
        assert_eq!(ctx("RETURN 'a // b"), Ctx::Nothing);
        assert_eq!(ctx("RETURN 12"), Ctx::Nothing);
        assert_eq!(context("MATCH (r:Ro", 11).0, 9);
        assert_eq!(context("DESCRIBE chief-tech", 19).0, 9);
    }

    #[test]
    fn unquoted_names_with_spaces_complete_as_references() {
        let line = "DESCRIBE Infrastructure Ov";
        assert_eq!(context(line, line.len()), (9, Ctx::NodeRef(None)));
        let line = "OVERLAP CTO, R&D dep";
        assert_eq!(context(line, line.len()), (13, Ctx::NodeRef(None)));
        let line = "PATH CTO TO Chief Exec";
        assert_eq!(context(line, line.len()), (12, Ctx::NodeRef(None)));
        let vocab = Vocabulary {
            refs: vec!["Infrastructure Overseer".into(), "R&D department".into(), "CPO".into()],
            types: vec!["REQUIRES".into()],
            ..Vocabulary::default()
        };
        // After the references, keywords again.
        let offered = |line: &str| -> Vec<String> {
            complete_line(&vocab, line, line.len())
                .1
                .into_iter()
                .map(|p| p.replacement)
                .collect()
        };
        assert!(offered("OVERLAP CTO, CPO O").contains(&"ON".to_string()));
        assert_eq!(offered("DIFF CTO, CPO ON REQ"), ["REQUIRES"]);
        assert!(offered("MATRIX CTO, CPO O").contains(&"ON".to_string()));
        assert!(offered("MATR").contains(&"MATRIX".to_string()));
        assert_eq!(offered("DESCRIBE Infrastructure Ov"), ["'Infrastructure Overseer'"]);
        let c = candidates(&vocab, &Ctx::NodeRef(None), "Infrastructure Ov");
        assert_eq!(c[0].replacement, "'Infrastructure Overseer'");
        let c = candidates(&vocab, &Ctx::NodeRef(None), "r&d");
        assert_eq!(c[0].replacement, "'R&D department'");
    }

    #[test]
    fn candidates_come_from_the_graph() {
        let g = crate::load::builtin().unwrap();
        let v = Vocabulary::of(&g);
        let reps =
            |ctx: Ctx, p: &str| -> Vec<String> { candidates(&v, &ctx, p).into_iter().map(|p| p.replacement).collect() };
        assert_eq!(reps(Ctx::Label, "Ro"), ["Role"]);
        assert_eq!(reps(Ctx::RelType, "COLL"), ["COLLABORATES_WITH"]);
        assert!(reps(Ctx::Property(Some(Schema::Label("Role".into()))), "").contains(&"aliases".to_string()));
        assert!(!reps(Ctx::Property(Some(Schema::Label("Source".into()))), "").contains(&"aliases".to_string()));
        assert_eq!(reps(Ctx::NodeRef(None), "chief-tech"), ["chief-technology-officer"]);
        assert_eq!(reps(Ctx::NodeId('\''), "chief-tech"), ["chief-technology-officer'"]);
        assert!(reps(Ctx::NodeRef(None), "Chief T").contains(&"'Chief Technology Officer'".to_string()));
        assert_eq!(reps(Ctx::General, "mat"), ["match", "matrix"]);
        assert!(reps(Ctx::General, "toU").contains(&"toUpper(".to_string()));
        assert_eq!(reps(Ctx::MetaCommand, ":sch"), [":schema"]);
        assert_eq!(reps(Ctx::MetaArg(":format".into()), "js"), ["json", "jsonl"]);
    }
}
