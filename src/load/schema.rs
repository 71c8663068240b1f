//! The built-in schema of SCHEMA.md as a small table (labels, relationship
//! types and their endpoint labels), plus the per-load [`Schema`] that adds
//! what data files declare. The loader checks against it; the planner asks it
//! for warnings.

use std::collections::BTreeSet;

/// A built-in relationship type and the labels at its ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelTypeSpec {
    pub name: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    /// Stored one way but meant both ways (queries may treat it as undirected).
    pub symmetric: bool,
}

const LABELS: &[&str] = &["Role", "Responsibility", "Skill", "Team", "Focus", "Source"];

const TYPES: &[RelTypeSpec] = &[
    spec("RESPONSIBLE_FOR", "Role", "Responsibility", false),
    spec("REQUIRES", "Role", "Skill", false),
    spec("LEADS", "Role", "Team", false),
    spec("WORKS_WITH", "Role", "Team", false),
    spec("COLLABORATES_WITH", "Role", "Role", true),
    spec("REPORTS_TO", "Role", "Role", false),
    spec("FOCUSES_ON", "Role", "Focus", false),
    spec("VARIANT_OF", "Role", "Role", false),
    spec("SIMILAR_TO", "Role", "Role", true),
];

const fn spec(name: &'static str, from: &'static str, to: &'static str, symmetric: bool) -> RelTypeSpec {
    RelTypeSpec {
        name,
        from,
        to,
        symmetric,
    }
}

/// The label that marks source documents; other nodes must cite them.
pub const SOURCE_LABEL: &str = "Source";

pub fn builtin_labels() -> &'static [&'static str] {
    LABELS
}

pub fn builtin_type(name: &str) -> Option<&'static RelTypeSpec> {
    TYPES.iter().find(|t| t.name == name)
}

/// `(from label, to label)` of a built-in relationship type.
pub fn endpoints(rel_type: &str) -> Option<(&'static str, &'static str)> {
    builtin_type(rel_type).map(|t| (t.from, t.to))
}

/// The built-in schema plus the labels and types data files declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    labels: BTreeSet<String>,
    types: BTreeSet<String>,
}

impl Default for Schema {
    fn default() -> Schema {
        Schema {
            labels: LABELS.iter().map(|s| s.to_string()).collect(),
            types: TYPES.iter().map(|t| t.name.to_string()).collect(),
        }
    }
}

impl Schema {
    pub fn declare_label(&mut self, label: &str) {
        self.labels.insert(label.to_string());
    }

    pub fn declare_type(&mut self, rel_type: &str) {
        self.types.insert(rel_type.to_string());
    }

    pub fn has_label(&self, label: &str) -> bool {
        self.labels.contains(label)
    }

    pub fn has_type(&self, rel_type: &str) -> bool {
        self.types.contains(rel_type)
    }

    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.labels.iter().map(String::as_str)
    }

    pub fn types(&self) -> impl Iterator<Item = &str> {
        self.types.iter().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_endpoints_follow_schema_md() {
        assert_eq!(endpoints("LEADS"), Some(("Role", "Team")));
        assert_eq!(endpoints("RESPONSIBLE_FOR"), Some(("Role", "Responsibility")));
        assert_eq!(endpoints("CHAIRS"), None);
        assert!(builtin_type("SIMILAR_TO").unwrap().symmetric);
        assert_eq!(builtin_labels().len(), 6);
    }

    #[test]
    fn declarations_extend_the_builtin_schema() {
        let mut s = Schema::default();
        assert!(!s.has_label("Committee"));
        s.declare_label("Committee");
        s.declare_type("CHAIRS");
        assert!(s.has_label("Committee") && s.has_label("Role"));
        assert!(s.has_type("CHAIRS") && s.has_type("LEADS"));
    }
}
