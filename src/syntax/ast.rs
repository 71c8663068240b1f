//! The spanned syntax tree of rolegraph's query language: what the parser
//! produces and the planner consumes. It knows nothing about any graph.
//!
//! Every node that a user may need pointing at carries a `Span` (byte offsets
//! into the whole input the script was parsed from, not one statement). `Display` prints a tree back as query text that
//! parses to the same tree (spans aside).

use crate::diag::Span;

pub use super::ast_update::{Delete, Merge, Remove, RemoveItem, SetClause, SetItem};

/// A whole input: one or more statements separated by `;`.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StatementKind {
    Query(Query),
    /// `EXPLAIN <statement>`: show the plan without running it.
    Explain(Box<Statement>),
    /// `PROFILE <statement>`: run it and show rows and time per operator.
    Profile(Box<Statement>),
    /// `TRANSLATE <statement>`: the plain openCypher that does what a
    /// rolegraph statement does, for other engines.
    Translate(Box<Statement>),
    /// `DESCRIBE <ref>`
    Describe(NodeRefText),
    /// `OVERLAP <ref>, <ref> [, ...] [ON TYPE|TYPE] [SUMMARY]`
    Overlap {
        refs: Vec<NodeRefText>,
        types: Vec<Ident>,
        /// Counts per region and type instead of every item.
        summary: bool,
    },
    /// `DIFF <ref>, <ref>`
    Diff {
        a: NodeRefText,
        b: NodeRefText,
        types: Vec<Ident>,
        /// Counts per section and type instead of every item.
        summary: bool,
    },
    /// `MATRIX <ref>, <ref> [, ...] [ON TYPE|TYPE]`: one row per item the
    /// nodes reach (by RESPONSIBLE_FOR unless ON names types), one column
    /// per node.
    Matrix {
        refs: Vec<NodeRefText>,
        types: Vec<Ident>,
    },
    /// `PATH <ref> TO <ref> [VIA TYPE|TYPE] [ALL]`
    Path {
        from: NodeRefText,
        to: NodeRefText,
        via: Vec<Ident>,
        all: bool,
    },
    /// `CREATE INDEX [name] [IF NOT EXISTS] FOR (n:Label) ON (n.key)`
    CreateIndex(CreateIndex),
    /// `DROP INDEX name [IF EXISTS]`
    DropIndex {
        name: Ident,
        if_exists: bool,
    },
    /// `SHOW INDEXES`
    ShowIndexes,
}

/// `CREATE INDEX`, as written: the planner checks that `keys` is one key
/// of the variable `var`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateIndex {
    pub name: Option<Ident>,
    pub if_not_exists: bool,
    pub var: Ident,
    pub label: Ident,
    /// `(variable, key)` for each `n.key` after ON.
    pub keys: Vec<(Ident, Ident)>,
}

/// A reference to a node by id, name or alias, as the user wrote it (quotes
/// removed). Resolved case-insensitively by the planner.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRefText {
    pub text: String,
    pub span: Span,
}

/// A read (or CREATE) query: clauses in order, optionally combined by UNION.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub parts: Vec<SingleQuery>,
    /// `unions[i]` joins `parts[i]` and `parts[i + 1]`; true for `UNION ALL`.
    pub unions: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SingleQuery {
    pub clauses: Vec<Clause>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    Match(Match),
    Unwind(Unwind),
    With(Projection),
    Return(Projection),
    Create(Create),
    Merge(Merge),
    Set(SetClause),
    Remove(Remove),
    Delete(Delete),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub optional: bool,
    pub patterns: Vec<PatternPart>,
    pub where_: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unwind {
    pub expr: Expr,
    pub alias: Ident,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Create {
    pub patterns: Vec<PatternPart>,
    pub span: Span,
}

/// The body of `WITH` and `RETURN`.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub distinct: bool,
    /// `*` was written (possibly followed by more items).
    pub star: bool,
    pub items: Vec<ProjectionItem>,
    pub order_by: Vec<SortItem>,
    pub skip: Option<Expr>,
    pub limit: Option<Expr>,
    /// Only for `WITH ... WHERE`.
    pub where_: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionItem {
    pub expr: Expr,
    pub alias: Option<Ident>,
    /// The expression's text as written; the column name when there is no alias.
    pub text: String,
}

impl ProjectionItem {
    /// The column this item produces.
    pub fn column_name(&self) -> &str {
        match &self.alias {
            Some(a) => &a.name,
            None => &self.text,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SortItem {
    pub expr: Expr,
    pub descending: bool,
}

/// `[p =] (a)-[r]->(b)...`
#[derive(Debug, Clone, PartialEq)]
pub struct PatternPart {
    pub path_var: Option<Ident>,
    pub start: NodePattern,
    pub chain: Vec<(RelPattern, NodePattern)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NodePattern {
    pub var: Option<Ident>,
    pub labels: Vec<Ident>,
    /// A map literal or a parameter.
    pub props: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelDirection {
    /// `-[]->`
    Right,
    /// `<-[]-`
    Left,
    /// `-[]-` (or `<-[]->`, which openCypher also reads as either way)
    Either,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RelPattern {
    pub var: Option<Ident>,
    /// Alternatives: `[:A|B]`; empty means any type.
    pub types: Vec<Ident>,
    pub direction: RelDirection,
    /// `None` for a single hop; `Some` for `*`, `*2`, `*1..3`, `*..5`, `*2..`.
    pub length: Option<VarLength>,
    pub props: Option<Expr>,
    pub span: Span,
}

/// Bounds of a variable-length relationship; a missing bound is open
/// (`*` = `min: None, max: None`, which means 1..unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VarLength {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
    Plus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    Xor,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    In,
    StartsWith,
    EndsWith,
    Contains,
    RegexMatch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    All,
    Any,
    None,
    Single,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// `$name` (or `$0`).
    Param(String),
    Var(String),
    List(Vec<Expr>),
    Map(Vec<(Ident, Expr)>),
    /// `expr.key`
    Property(Box<Expr>, Ident),
    /// `expr[index]`
    Index(Box<Expr>, Box<Expr>),
    /// `expr[from..to]`, either bound optional.
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `expr:Label:Other`
    HasLabels(Box<Expr>, Vec<Ident>),
    Unary(UnaryOp, Box<Expr>),
    /// Chained comparisons `a < b < c` are parsed as `a < b AND b < c`.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `expr IS NULL` (`negated` for `IS NOT NULL`).
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    /// `name(args)`, `name(DISTINCT args)`; `name` may be dotted (`a.b`),
    /// kept as written.
    Function {
        name: Ident,
        distinct: bool,
        args: Vec<Expr>,
    },
    /// `count(*)`
    CountStar,
    /// `CASE [operand] WHEN .. THEN .. [ELSE ..] END`
    Case {
        operand: Option<Box<Expr>>,
        whens: Vec<(Expr, Expr)>,
        else_: Option<Box<Expr>>,
    },
    /// `[x IN list WHERE pred | expr]`
    ListComprehension {
        var: Ident,
        list: Box<Expr>,
        filter: Option<Box<Expr>>,
        map: Option<Box<Expr>>,
    },
    /// `all(x IN list WHERE pred)` and `any`, `none`, `single`.
    Quantified {
        quantifier: Quantifier,
        var: Ident,
        list: Box<Expr>,
        filter: Box<Expr>,
    },
    /// `[p = (a)-->(b) WHERE pred | expr]`
    PatternComprehension {
        pattern: Box<PatternPart>,
        filter: Option<Box<Expr>>,
        map: Box<Expr>,
    },
    /// A pattern used as a predicate: `WHERE (a)-->(b)`.
    PatternPredicate(Box<PatternPart>),
    /// `EXISTS { ... }`: true when the subquery yields a row for the
    /// current row (see [`Subquery`]).
    Exists(Box<Subquery>),
}

/// The body of an `EXISTS { ... }` subquery: a read-only query that sees
/// the variables of the enclosing scope; its own variables stay inside.
#[derive(Debug, Clone, PartialEq)]
pub struct Subquery {
    pub query: Query,
    /// Written in the pattern form, `EXISTS { (a)-->(b) [WHERE cond] }`:
    /// `query` is then one MATCH clause whose keyword was left out.
    pub pattern_form: bool,
}

impl Statement {
    /// Whether the statement answers with a table of columns: a query
    /// ending in RETURN, EXPLAIN, PROFILE and rolegraph's own statements do;
    /// a query that only edits the graph, CREATE INDEX and DROP INDEX give
    /// no columns.
    pub fn returns_table(&self) -> bool {
        match &self.kind {
            StatementKind::Query(q) => q
                .parts
                .iter()
                .any(|p| matches!(p.clauses.last(), Some(Clause::Return(_)))),
            StatementKind::CreateIndex(_) | StatementKind::DropIndex { .. } => false,
            StatementKind::Explain(_)
            | StatementKind::Profile(_)
            | StatementKind::Translate(_)
            | StatementKind::Describe(_)
            | StatementKind::Overlap { .. }
            | StatementKind::Diff { .. }
            | StatementKind::Matrix { .. }
            | StatementKind::Path { .. }
            | StatementKind::ShowIndexes => true,
        }
    }
}

impl Query {
    /// Calls `f` on each expression written directly in the query's
    /// clauses (WHERE conditions, projected items, property maps of
    /// patterns, ...), not on their sub-expressions.
    pub fn for_each_expr<'q>(&'q self, f: &mut dyn FnMut(&'q Expr)) {
        for part in &self.parts {
            for c in &part.clauses {
                c.for_each_expr(f);
            }
        }
    }

    /// Calls `f` on each pattern part the query's clauses write.
    pub fn for_each_pattern<'q>(&'q self, f: &mut dyn FnMut(&'q PatternPart)) {
        for part in &self.parts {
            for c in &part.clauses {
                match c {
                    Clause::Match(m) => m.patterns.iter().for_each(&mut *f),
                    Clause::Create(c) => c.patterns.iter().for_each(&mut *f),
                    Clause::Merge(m) => f(&m.pattern),
                    _ => {}
                }
            }
        }
    }
}

impl PatternPart {
    /// The expressions of the pattern's property maps.
    pub fn for_each_expr<'q>(&'q self, f: &mut dyn FnMut(&'q Expr)) {
        self.start.props.iter().for_each(&mut *f);
        for (rel, node) in &self.chain {
            rel.props.iter().chain(node.props.iter()).for_each(&mut *f);
        }
    }

    /// The variables the pattern names (path, nodes, relationships).
    pub fn variables(&self) -> impl Iterator<Item = &Ident> {
        self.path_var
            .iter()
            .chain(self.start.var.iter())
            .chain(self.chain.iter().flat_map(|(r, n)| r.var.iter().chain(n.var.iter())))
    }
}

impl Clause {
    /// Calls `f` on each expression written directly in the clause.
    pub fn for_each_expr<'q>(&'q self, f: &mut dyn FnMut(&'q Expr)) {
        match self {
            Clause::Match(m) => {
                m.patterns.iter().for_each(|p| p.for_each_expr(f));
                m.where_.iter().for_each(&mut *f);
            }
            Clause::Unwind(u) => f(&u.expr),
            Clause::With(p) | Clause::Return(p) => {
                p.items.iter().for_each(|i| f(&i.expr));
                p.order_by.iter().for_each(|s| f(&s.expr));
                p.skip
                    .iter()
                    .chain(p.limit.iter())
                    .chain(p.where_.iter())
                    .for_each(&mut *f);
            }
            Clause::Create(c) => c.patterns.iter().for_each(|p| p.for_each_expr(f)),
            Clause::Merge(m) => {
                m.pattern.for_each_expr(f);
                m.actions.iter().for_each(|(_, s)| s.for_each_expr(f));
            }
            Clause::Set(s) => s.for_each_expr(f),
            Clause::Remove(r) => {
                for item in &r.items {
                    if let RemoveItem::Property { target, .. } = item {
                        f(target);
                    }
                }
            }
            Clause::Delete(d) => d.exprs.iter().for_each(&mut *f),
        }
    }
}

impl SetClause {
    fn for_each_expr<'q>(&'q self, f: &mut dyn FnMut(&'q Expr)) {
        for item in &self.items {
            match item {
                SetItem::Property { target, value, .. } => {
                    f(target);
                    f(value);
                }
                SetItem::Replace { value, .. } | SetItem::Merge { value, .. } => f(value),
                SetItem::Labels { .. } => {}
            }
        }
    }
}
