//! A small Gherkin reader for the openCypher TCK: Feature, Background,
//! Scenario, Scenario Outline with Examples, tags, doc strings and tables.
//! Outlines are expanded into one scenario per Examples row.

#[derive(Debug, Clone)]
pub struct Step {
    pub keyword: String,
    pub text: String,
    pub doc: Option<String>,
    pub table: Vec<Vec<String>>,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub tags: Vec<String>,
    pub steps: Vec<Step>,
    pub line: usize,
    /// For outline rows: the row's index among its Examples.
    pub example: Option<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Feature {
    pub name: String,
    pub scenarios: Vec<Scenario>,
}

#[derive(Debug)]
enum Block {
    Background,
    Scenario { outline: bool },
}

struct Pending {
    block: Block,
    name: String,
    tags: Vec<String>,
    steps: Vec<Step>,
    line: usize,
    examples: Vec<Vec<Vec<String>>>,
}

pub fn parse(text: &str) -> Result<Feature, String> {
    let lines: Vec<String> = text.lines().map(|l| l.trim_end_matches('\r').to_string()).collect();
    let mut feature = Feature::default();
    let mut background: Vec<Step> = Vec::new();
    let mut pending: Option<Pending> = None;
    let mut tags: Vec<String> = Vec::new();
    let mut in_examples = false;
    let mut i = 0;
    while i < lines.len() {
        let raw = &lines[i];
        let line = raw.trim();
        i += 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('@') {
            tags.extend(line.split_whitespace().map(String::from));
            continue;
        }
        if let Some(rest) = line.strip_prefix("Feature:") {
            feature.name = rest.trim().to_string();
            continue;
        }
        let header = [
            ("Background:", None),
            ("Scenario Outline:", Some(true)),
            ("Scenario Template:", Some(true)),
            ("Scenario:", Some(false)),
        ]
        .into_iter()
        .find_map(|(kw, outline)| line.strip_prefix(kw).map(|rest| (rest.trim().to_string(), outline)));
        if let Some((name, outline)) = header {
            finish(&mut pending, &mut feature, &mut background);
            pending = Some(Pending {
                block: match outline {
                    None => Block::Background,
                    Some(o) => Block::Scenario { outline: o },
                },
                name,
                tags: std::mem::take(&mut tags),
                steps: Vec::new(),
                line: i,
                examples: Vec::new(),
            });
            in_examples = false;
            continue;
        }
        if line.starts_with("Examples:") || line.starts_with("Scenarios:") {
            in_examples = true;
            if let Some(p) = pending.as_mut() {
                p.examples.push(Vec::new());
            }
            tags.clear();
            continue;
        }
        if line.starts_with('|') {
            let row = table_row(line);
            let Some(p) = pending.as_mut() else {
                return Err(format!("line {i}: table outside a scenario"));
            };
            if in_examples {
                if let Some(ex) = p.examples.last_mut() {
                    ex.push(row);
                }
            } else if let Some(step) = p.steps.last_mut() {
                step.table.push(row);
            } else {
                return Err(format!("line {i}: table before any step"));
            }
            continue;
        }
        if line.starts_with("\"\"\"") || line.starts_with("```") {
            let fence = &line[..3];
            let indent = raw.len() - raw.trim_start().len();
            let mut doc = Vec::new();
            while i < lines.len() && !lines[i].trim().starts_with(fence) {
                let l = &lines[i];
                let cut = l.len() - l.trim_start().len();
                doc.push(l[cut.min(indent)..].to_string());
                i += 1;
            }
            i += 1; // closing fence
            let Some(step) = pending.as_mut().and_then(|p| p.steps.last_mut()) else {
                return Err(format!("line {i}: doc string before any step"));
            };
            step.doc = Some(doc.join("\n"));
            continue;
        }
        let keyword = ["Given", "When", "Then", "And", "But", "*"]
            .into_iter()
            .find(|k| line.starts_with(k));
        match (keyword, pending.as_mut()) {
            (Some(k), Some(p)) => {
                p.steps.push(Step {
                    keyword: k.to_string(),
                    text: line[k.len()..].trim().to_string(),
                    doc: None,
                    table: Vec::new(),
                    line: i,
                });
                in_examples = false;
            }
            _ => {
                // Free text (a feature's or scenario's description) is allowed.
                if pending.is_none() || pending.as_ref().is_some_and(|p| p.steps.is_empty()) {
                    continue;
                }
                return Err(format!("line {i}: cannot read '{line}'"));
            }
        }
    }
    finish(&mut pending, &mut feature, &mut background);
    Ok(feature)
}

fn finish(pending: &mut Option<Pending>, feature: &mut Feature, background: &mut Vec<Step>) {
    let Some(p) = pending.take() else { return };
    match p.block {
        Block::Background => *background = p.steps,
        Block::Scenario { outline: false } => {
            let mut steps = background.clone();
            steps.extend(p.steps);
            feature.scenarios.push(Scenario {
                name: p.name,
                tags: p.tags,
                steps,
                line: p.line,
                example: None,
            });
        }
        Block::Scenario { outline: true } => {
            let mut n = 0;
            for table in &p.examples {
                let Some((header, rows)) = table.split_first() else {
                    continue;
                };
                for row in rows {
                    let subst = |s: &str| {
                        let mut out = s.to_string();
                        for (k, v) in header.iter().zip(row) {
                            out = out.replace(&format!("<{k}>"), v);
                        }
                        out
                    };
                    let mut steps = background.clone();
                    for s in &p.steps {
                        steps.push(Step {
                            keyword: s.keyword.clone(),
                            text: subst(&s.text),
                            doc: s.doc.as_deref().map(subst),
                            table: s.table.iter().map(|r| r.iter().map(|c| subst(c)).collect()).collect(),
                            line: s.line,
                        });
                    }
                    feature.scenarios.push(Scenario {
                        name: subst(&p.name),
                        tags: p.tags.clone(),
                        steps,
                        line: p.line,
                        example: Some(n),
                    });
                    n += 1;
                }
            }
        }
    }
}

/// Splits `| a | b\|c |` into cells, applying Gherkin's escapes
/// (`\|`, `\\`, `\n`; other backslash sequences stay as they are).
fn table_row(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some('|') => {
                    cur.push('|');
                    chars.next();
                }
                Some('\\') => {
                    cur.push('\\');
                    chars.next();
                }
                Some('n') => {
                    cur.push('\n');
                    chars.next();
                }
                _ => cur.push('\\'),
            },
            '|' => {
                cells.push(cur.trim().to_string());
                cur.clear();
            }
            c => cur.push(c),
        }
    }
    cells
}

/// Checks the reader on a small outline; the runner calls it first, since a
/// `harness = false` test binary runs no `#[test]` functions.
pub fn self_check() {
    {
        let f = parse(
            "Feature: F\r\n  Background:\n    Given an empty graph\n\n  @tag\n  Scenario Outline: S <x>\n    When executing query:\n      \"\"\"\n      RETURN <x> AS v\n      \"\"\"\n    Then the result should be, in any order:\n      | v |\n      | <x> |\n    Examples:\n      | x |\n      | 1 |\n      | 'a\\|b' |\n",
        )
        .unwrap();
        assert_eq!(f.scenarios.len(), 2);
        assert_eq!(f.scenarios[1].name, "S 'a|b'");
        assert_eq!(f.scenarios[0].steps[0].text, "an empty graph");
        assert_eq!(f.scenarios[1].steps[1].doc.as_deref(), Some("RETURN 'a|b' AS v"));
        assert_eq!(f.scenarios[0].tags, vec!["@tag"]);
    }
}
