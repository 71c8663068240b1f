//! Skip rules from `tests/tck-skips.toml`: a scenario is skipped only when
//! a rule names the unsupported feature it needs (detected in its queries,
//! or listed by file and scenario name) or it is tagged `@ignore`.

use std::path::Path;

use regex::Regex;

use super::gherkin::Scenario;

pub struct Rule {
    feature: String,
    pattern: Option<Regex>,
    file: Option<String>,
    scenario: Option<String>,
}

pub struct Rules(Vec<Rule>);

#[derive(serde::Deserialize)]
struct File {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    feature: String,
    pattern: Option<String>,
    file: Option<String>,
    scenario: Option<String>,
    #[allow(dead_code)]
    why: Option<String>,
}

impl Rules {
    pub fn load(path: &Path) -> Result<Rules, String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let file: File = toml::from_str(&text).map_err(|e| e.to_string())?;
        let mut rules = Vec::new();
        for r in file.rule {
            if r.pattern.is_none() && r.scenario.is_none() {
                return Err(format!("rule for '{}' needs a pattern or a scenario", r.feature));
            }
            let pattern = match &r.pattern {
                Some(p) => Some(Regex::new(p).map_err(|e| format!("rule '{}': {e}", r.feature))?),
                None => None,
            };
            rules.push(Rule {
                feature: r.feature,
                pattern,
                file: r.file,
                scenario: r.scenario,
            });
        }
        Ok(Rules(rules))
    }

    pub fn skip_reason(&self, file: &str, sc: &Scenario) -> Option<String> {
        if sc.tags.iter().any(|t| t == "@ignore") {
            return Some("@ignore".into());
        }
        let queries: Vec<&str> = sc.steps.iter().filter_map(|s| s.doc.as_deref()).collect();
        for r in &self.0 {
            if r.file.as_ref().is_some_and(|f| !file.ends_with(f.as_str())) {
                continue;
            }
            if r.scenario.as_ref().is_some_and(|s| !sc.name.starts_with(s.as_str())) {
                continue;
            }
            match &r.pattern {
                Some(p) if !queries.iter().any(|q| p.is_match(q)) => continue,
                _ => return Some(r.feature.clone()),
            }
        }
        None
    }
}
