//! Prints syntax trees back as query text that parses to the same tree
//! (spans aside). Sub-expressions are parenthesized only where precedence
//! needs it; names get backticks only where the grammar needs them.

use std::fmt::{self, Display, Formatter, Write as _};

use super::ast::*;
use super::keywords::is_reserved;
use crate::value::{format_float, format_key, quote_string};

/// A variable, alias or function-name part as the grammar accepts it.
pub(crate) fn name(n: &str) -> String {
    let key = format_key(n);
    if !key.starts_with('`') && is_reserved(n) {
        format!("`{n}`")
    } else {
        key
    }
}

/// Items separated by `sep`.
fn join<T: Display>(f: &mut Formatter<'_>, items: &[T], sep: &str) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

impl Display for Script {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        join(f, &self.statements, ";\n")
    }
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            StatementKind::Query(q) => write!(f, "{q}"),
            StatementKind::Explain(s) => write!(f, "EXPLAIN {s}"),
            StatementKind::Translate(s) => write!(f, "TRANSLATE {s}"),
            StatementKind::Profile(s) => write!(f, "PROFILE {s}"),
            StatementKind::Describe(r) => write!(f, "DESCRIBE {r}"),
            StatementKind::Overlap { refs, types, summary } => {
                f.write_str("OVERLAP ")?;
                join(f, refs, ", ")?;
                type_list(f, " ON ", types)?;
                if *summary { f.write_str(" SUMMARY") } else { Ok(()) }
            }
            StatementKind::Diff { a, b, types, summary } => {
                write!(f, "DIFF {a}, {b}")?;
                type_list(f, " ON ", types)?;
                if *summary { f.write_str(" SUMMARY") } else { Ok(()) }
            }
            StatementKind::Matrix { refs, types } => {
                f.write_str("MATRIX ")?;
                join(f, refs, ", ")?;
                type_list(f, " ON ", types)
            }
            StatementKind::Path { from, to, via, all } => {
                write!(f, "PATH {from} TO {to}")?;
                type_list(f, " VIA ", via)?;
                if *all { f.write_str(" ALL") } else { Ok(()) }
            }
            StatementKind::CreateIndex(c) => {
                f.write_str("CREATE INDEX ")?;
                if let Some(n) = &c.name {
                    write!(f, "{} ", index_name(&n.name))?;
                }
                if c.if_not_exists {
                    f.write_str("IF NOT EXISTS ")?;
                }
                write!(f, "FOR ({}:{}) ON (", name(&c.var.name), format_key(&c.label.name))?;
                for (i, (v, k)) in c.keys.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}.{}", name(&v.name), format_key(&k.name))?;
                }
                f.write_str(")")
            }
            StatementKind::DropIndex { name: n, if_exists } => {
                write!(f, "DROP INDEX {}", index_name(&n.name))?;
                if *if_exists { f.write_str(" IF EXISTS") } else { Ok(()) }
            }
            StatementKind::ShowIndexes => f.write_str("SHOW INDEXES"),
        }
    }
}

/// An index name as CREATE INDEX and DROP INDEX read it back: in
/// backticks when it is not a plain name or is a word that may follow it.
pub(crate) fn index_name(n: &str) -> String {
    let key = format_key(n);
    if !key.starts_with('`') && ["IF", "FOR"].contains(&n.to_ascii_uppercase().as_str()) {
        format!("`{n}`")
    } else {
        key
    }
}

fn type_list(f: &mut Formatter<'_>, keyword: &str, types: &[Ident]) -> fmt::Result {
    if types.is_empty() {
        return Ok(());
    }
    f.write_str(keyword)?;
    let names: Vec<String> = types.iter().map(|t| format_key(&t.name)).collect();
    f.write_str(&names.join("|"))
}

impl Display for NodeRefText {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let bare = !self.text.is_empty()
            && self
                .text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.&-".contains(c));
        if bare {
            f.write_str(&self.text)
        } else {
            f.write_str(&quote_string(&self.text))
        }
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                let all = self.unions.get(i - 1).copied().unwrap_or(false);
                f.write_str(if all { " UNION ALL " } else { " UNION " })?;
            }
            write!(f, "{part}")?;
        }
        Ok(())
    }
}

impl Display for SingleQuery {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        join(f, &self.clauses, " ")
    }
}

impl Display for Clause {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Clause::Match(m) => {
                f.write_str(if m.optional { "OPTIONAL MATCH " } else { "MATCH " })?;
                join(f, &m.patterns, ", ")?;
                where_(f, &m.where_)
            }
            Clause::Unwind(u) => write!(f, "UNWIND {} AS {}", u.expr, name(&u.alias.name)),
            Clause::With(p) => {
                write!(f, "WITH {p}")?;
                where_(f, &p.where_)
            }
            Clause::Return(p) => write!(f, "RETURN {p}"),
            Clause::Create(c) => {
                f.write_str("CREATE ")?;
                join(f, &c.patterns, ", ")
            }
            Clause::Merge(m) => {
                write!(f, "MERGE {}", m.pattern)?;
                for (on_create, set) in &m.actions {
                    let on = if *on_create { "CREATE" } else { "MATCH" };
                    write!(f, " ON {on} {set}")?;
                }
                Ok(())
            }
            Clause::Set(s) => write!(f, "{s}"),
            Clause::Remove(r) => {
                f.write_str("REMOVE ")?;
                for (i, item) in r.items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match item {
                        RemoveItem::Property { target, key } => write!(f, "{target}.{}", name(&key.name))?,
                        RemoveItem::Labels { var, labels } => {
                            f.write_str(&name(&var.name))?;
                            for l in labels {
                                write!(f, ":{}", name(&l.name))?;
                            }
                        }
                    }
                }
                Ok(())
            }
            Clause::Delete(d) => {
                f.write_str(if d.detach { "DETACH DELETE " } else { "DELETE " })?;
                join(f, &d.exprs, ", ")
            }
        }
    }
}

impl Display for SetClause {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("SET ")?;
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match item {
                SetItem::Property { target, key, value } => write!(f, "{target}.{} = {value}", name(&key.name))?,
                SetItem::Replace { var, value } => write!(f, "{} = {value}", name(&var.name))?,
                SetItem::Merge { var, value } => write!(f, "{} += {value}", name(&var.name))?,
                SetItem::Labels { var, labels } => {
                    f.write_str(&name(&var.name))?;
                    for l in labels {
                        write!(f, ":{}", name(&l.name))?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn where_(f: &mut Formatter<'_>, e: &Option<Expr>) -> fmt::Result {
    match e {
        Some(e) => write!(f, " WHERE {e}"),
        None => Ok(()),
    }
}

/// The projection body; `WITH`'s `WHERE` is printed by the clause.
impl Display for Projection {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.distinct {
            f.write_str("DISTINCT ")?;
        }
        if self.star {
            f.write_str("*")?;
            if !self.items.is_empty() {
                f.write_str(", ")?;
            }
        }
        join(f, &self.items, ", ")?;
        if !self.order_by.is_empty() {
            f.write_str(" ORDER BY ")?;
            join(f, &self.order_by, ", ")?;
        }
        if let Some(s) = &self.skip {
            write!(f, " SKIP {s}")?;
        }
        if let Some(l) = &self.limit {
            write!(f, " LIMIT {l}")?;
        }
        Ok(())
    }
}

impl Display for ProjectionItem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)?;
        match &self.alias {
            Some(a) => write!(f, " AS {}", name(&a.name)),
            None => Ok(()),
        }
    }
}

impl Display for SortItem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.expr, if self.descending { " DESC" } else { "" })
    }
}

impl Display for PatternPart {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(v) = &self.path_var {
            write!(f, "{} = ", name(&v.name))?;
        }
        write!(f, "{}", self.start)?;
        for (rel, node) in &self.chain {
            write!(f, "{rel}{node}")?;
        }
        Ok(())
    }
}

impl Display for NodePattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('(')?;
        if let Some(v) = &self.var {
            f.write_str(&name(&v.name))?;
        }
        for l in &self.labels {
            write!(f, ":{}", format_key(&l.name))?;
        }
        if let Some(p) = &self.props {
            let gap = if self.var.is_some() || !self.labels.is_empty() {
                " "
            } else {
                ""
            };
            write!(f, "{gap}{p}")?;
        }
        f.write_char(')')
    }
}

impl Display for RelPattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let (left, right) = match self.direction {
            RelDirection::Right => ("-", "->"),
            RelDirection::Left => ("<-", "-"),
            RelDirection::Either => ("-", "-"),
        };
        f.write_str(left)?;
        let plain = self.var.is_none() && self.types.is_empty() && self.length.is_none() && self.props.is_none();
        if !plain {
            f.write_char('[')?;
            if let Some(v) = &self.var {
                f.write_str(&name(&v.name))?;
            }
            if !self.types.is_empty() {
                let types: Vec<String> = self.types.iter().map(|t| format_key(&t.name)).collect();
                write!(f, ":{}", types.join("|"))?;
            }
            if let Some(l) = &self.length {
                write!(f, "{l}")?;
            }
            if let Some(p) = &self.props {
                write!(f, " {p}")?;
            }
            f.write_char(']')?;
        }
        f.write_str(right)
    }
}

impl Display for VarLength {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('*')?;
        match (self.min, self.max) {
            (None, None) => Ok(()),
            (Some(a), Some(b)) if a == b => write!(f, "{a}"),
            (a, b) => {
                if let Some(a) = a {
                    write!(f, "{a}")?;
                }
                f.write_str("..")?;
                if let Some(b) = b {
                    write!(f, "{b}")?;
                }
                Ok(())
            }
        }
    }
}

// Precedence levels, loosest first (openCypher's order).
const OR: u8 = 1;
const XOR: u8 = 2;
const AND: u8 = 3;
const NOT: u8 = 4;
const COMPARISON: u8 = 5;
const PREDICATE: u8 = 6;
const ADD: u8 = 7;
const MUL: u8 = 8;
const POW: u8 = 9;
const UNARY: u8 = 10;
const POSTFIX: u8 = 11;
const ATOM: u8 = 12;

fn binary_prec(op: BinaryOp) -> u8 {
    use BinaryOp::*;
    match op {
        Or => OR,
        Xor => XOR,
        And => AND,
        Eq | Ne | Lt | Le | Gt | Ge => COMPARISON,
        In | StartsWith | EndsWith | Contains | RegexMatch => PREDICATE,
        Add | Sub => ADD,
        Mul | Div | Mod => MUL,
        Pow => POW,
    }
}

fn binary_symbol(op: BinaryOp) -> &'static str {
    use BinaryOp::*;
    match op {
        Or => "OR",
        Xor => "XOR",
        And => "AND",
        Eq => "=",
        Ne => "<>",
        Lt => "<",
        Le => "<=",
        Gt => ">",
        Ge => ">=",
        Add => "+",
        Sub => "-",
        Mul => "*",
        Div => "/",
        Mod => "%",
        Pow => "^",
        In => "IN",
        StartsWith => "STARTS WITH",
        EndsWith => "ENDS WITH",
        Contains => "CONTAINS",
        RegexMatch => "=~",
    }
}

/// How tightly `e` binds when printed bare.
fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, ..) => binary_prec(*op),
        ExprKind::Unary(UnaryOp::Not, _) => NOT,
        ExprKind::Unary(..) => UNARY,
        ExprKind::IsNull { .. } => PREDICATE,
        ExprKind::Property(..) | ExprKind::Index(..) | ExprKind::Slice(..) | ExprKind::HasLabels(..) => POSTFIX,
        // A negative number prints with its minus, like a unary minus.
        ExprKind::Literal(Literal::Int(i)) if *i < 0 => UNARY,
        ExprKind::Literal(Literal::Float(x)) if x.is_sign_negative() => UNARY,
        _ => ATOM,
    }
}

/// `e`, parenthesized unless it binds at least as tightly as `min`.
struct Operand<'a>(&'a Expr, u8);

impl Display for Operand<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if prec(self.0) >= self.1 {
            write!(f, "{}", self.0)
        } else {
            write!(f, "({})", self.0)
        }
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Binary(op, l, r) => binary(f, *op, l, r),
            ExprKind::Unary(op, e) => unary(f, *op, e),
            ExprKind::IsNull { expr, negated } => {
                write!(
                    f,
                    "{} IS {}NULL",
                    Operand(expr, PREDICATE),
                    if *negated { "NOT " } else { "" }
                )
            }
            ExprKind::Property(e, key) => write!(f, "{}.{}", Operand(e, POSTFIX), format_key(&key.name)),
            ExprKind::Index(e, i) => write!(f, "{}[{i}]", Operand(e, POSTFIX)),
            ExprKind::Slice(e, from, to) => {
                write!(f, "{}[", Operand(e, POSTFIX))?;
                if let Some(from) = from {
                    write!(f, "{from}")?;
                }
                f.write_str("..")?;
                if let Some(to) = to {
                    write!(f, "{to}")?;
                }
                f.write_char(']')
            }
            ExprKind::HasLabels(e, labels) => {
                // `(n:A):B` is not `n:A:B` as a tree.
                let min = if matches!(e.kind, ExprKind::HasLabels(..)) {
                    ATOM
                } else {
                    POSTFIX
                };
                write!(f, "{}", Operand(e, min))?;
                labels.iter().try_for_each(|l| write!(f, ":{}", format_key(&l.name)))
            }
            _ => atom(f, &self.kind),
        }
    }
}

fn binary(f: &mut Formatter<'_>, op: BinaryOp, l: &Expr, r: &Expr) -> fmt::Result {
    let p = binary_prec(op);
    // Left-associative, except comparisons, which chain: `a < b < c` is
    // not `(a < b) < c`.
    let left_min = if p == COMPARISON { p + 1 } else { p };
    write!(
        f,
        "{} {} {}",
        Operand(l, left_min),
        binary_symbol(op),
        Operand(r, p + 1)
    )
}

fn unary(f: &mut Formatter<'_>, op: UnaryOp, e: &Expr) -> fmt::Result {
    match op {
        UnaryOp::Not => write!(f, "NOT {}", Operand(e, NOT)),
        UnaryOp::Neg | UnaryOp::Plus => {
            f.write_str(if op == UnaryOp::Neg { "-" } else { "+" })?;
            // `-(3)` stays a negation: `-3` would read back as a literal.
            let number = matches!(e.kind, ExprKind::Literal(Literal::Int(_) | Literal::Float(_)));
            let operand = Operand(e, if number { u8::MAX } else { UNARY }).to_string();
            if operand.starts_with(['-', '+']) {
                f.write_char(' ')?;
            }
            f.write_str(&operand)
        }
    }
}

fn atom(f: &mut Formatter<'_>, kind: &ExprKind) -> fmt::Result {
    match kind {
        ExprKind::Literal(l) => literal(f, l),
        ExprKind::Param(p) => {
            let shown = if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() {
                p.clone()
            } else {
                format_key(p)
            };
            write!(f, "${shown}")
        }
        ExprKind::Var(v) => f.write_str(&name(v)),
        ExprKind::List(items) => {
            f.write_char('[')?;
            join(f, items, ", ")?;
            f.write_char(']')
        }
        ExprKind::Map(entries) => {
            f.write_char('{')?;
            for (i, (k, v)) in entries.iter().enumerate() {
                write!(f, "{}{}: {v}", if i > 0 { ", " } else { "" }, format_key(&k.name))?;
            }
            f.write_char('}')
        }
        ExprKind::Function {
            name: n,
            distinct,
            args,
        } => {
            let parts: Vec<String> = n.name.split('.').map(name).collect();
            write!(f, "{}({}", parts.join("."), if *distinct { "DISTINCT " } else { "" })?;
            join(f, args, ", ")?;
            f.write_char(')')
        }
        ExprKind::CountStar => f.write_str("count(*)"),
        ExprKind::Case { operand, whens, else_ } => case(f, operand, whens, else_),
        ExprKind::ListComprehension { var, list, filter, map } => {
            write!(f, "[{} IN {list}", name(&var.name))?;
            tail(f, filter.as_deref(), map.as_deref())?;
            f.write_char(']')
        }
        ExprKind::Quantified {
            quantifier,
            var,
            list,
            filter,
        } => {
            let q = match quantifier {
                Quantifier::All => "all",
                Quantifier::Any => "any",
                Quantifier::None => "none",
                Quantifier::Single => "single",
            };
            write!(f, "{q}({} IN {list} WHERE {filter})", name(&var.name))
        }
        ExprKind::PatternComprehension { pattern, filter, map } => {
            write!(f, "[{pattern}")?;
            tail(f, filter.as_deref(), Some(map))?;
            f.write_char(']')
        }
        ExprKind::PatternPredicate(p) => write!(f, "{p}"),
        ExprKind::Exists(sub) => {
            f.write_str("EXISTS { ")?;
            // The pattern form leaves the MATCH keyword out.
            if sub.pattern_form
                && let [part] = &sub.query.parts[..]
                && let [Clause::Match(m)] = &part.clauses[..]
                && !m.optional
            {
                join(f, &m.patterns, ", ")?;
                where_(f, &m.where_)?;
            } else {
                write!(f, "{}", sub.query)?;
            }
            f.write_str(" }")
        }
        // Handled by `Expr::fmt`; printed parenthesized to stay correct.
        _ => Ok(()),
    }
}

fn literal(f: &mut Formatter<'_>, l: &Literal) -> fmt::Result {
    match l {
        Literal::Null => f.write_str("null"),
        Literal::Bool(b) => write!(f, "{b}"),
        Literal::Int(i) => write!(f, "{i}"),
        Literal::Float(x) => f.write_str(&format_float(*x)),
        Literal::String(s) => f.write_str(&quote_string(s)),
    }
}

/// ` WHERE filter | map` of the comprehensions.
fn tail(f: &mut Formatter<'_>, filter: Option<&Expr>, map: Option<&Expr>) -> fmt::Result {
    if let Some(w) = filter {
        write!(f, " WHERE {w}")?;
    }
    if let Some(m) = map {
        write!(f, " | {m}")?;
    }
    Ok(())
}

fn case(
    f: &mut Formatter<'_>,
    operand: &Option<Box<Expr>>,
    whens: &[(Expr, Expr)],
    else_: &Option<Box<Expr>>,
) -> fmt::Result {
    f.write_str("CASE")?;
    if let Some(o) = operand {
        write!(f, " {o}")?;
    }
    for (w, t) in whens {
        write!(f, " WHEN {w} THEN {t}")?;
    }
    if let Some(e) = else_ {
        write!(f, " ELSE {e}")?;
    }
    f.write_str(" END")
}

/// A tree with every span zeroed and every projection text replaced by the
/// printed expression, so trees parsed from different texts of the same
/// query compare equal (the print/parse round-trip checks use it).
pub mod normalize {
    use crate::diag::Span;
    use crate::syntax::ast::*;

    pub fn script(mut s: Script) -> Script {
        s.statements.iter_mut().for_each(statement);
        s
    }

    fn statement(s: &mut Statement) {
        s.span = Span::default();
        match &mut s.kind {
            StatementKind::Query(q) => query(q),
            StatementKind::Explain(inner) | StatementKind::Profile(inner) | StatementKind::Translate(inner) => {
                statement(inner)
            }
            StatementKind::Describe(r) => r.span = Span::default(),
            StatementKind::Overlap { refs, types, .. } | StatementKind::Matrix { refs, types } => {
                refs.iter_mut().for_each(|r| r.span = Span::default());
                types.iter_mut().for_each(ident);
            }
            StatementKind::Diff { a, b, types, .. } => {
                a.span = Span::default();
                b.span = Span::default();
                types.iter_mut().for_each(ident);
            }
            StatementKind::Path { from, to, via, .. } => {
                from.span = Span::default();
                to.span = Span::default();
                via.iter_mut().for_each(ident);
            }
            StatementKind::CreateIndex(c) => {
                c.name.iter_mut().for_each(ident);
                ident(&mut c.var);
                ident(&mut c.label);
                for (v, k) in &mut c.keys {
                    ident(v);
                    ident(k);
                }
            }
            StatementKind::DropIndex { name, .. } => ident(name),
            StatementKind::ShowIndexes => {}
        }
    }

    fn ident(i: &mut Ident) {
        i.span = Span::default();
    }

    fn query(q: &mut Query) {
        for part in &mut q.parts {
            part.span = Span::default();
            part.clauses.iter_mut().for_each(clause);
        }
    }

    fn clause(c: &mut Clause) {
        match c {
            Clause::Match(m) => {
                m.span = Span::default();
                m.patterns.iter_mut().for_each(pattern);
                m.where_.iter_mut().for_each(expr);
            }
            Clause::Unwind(u) => {
                u.span = Span::default();
                expr(&mut u.expr);
                ident(&mut u.alias);
            }
            Clause::With(p) | Clause::Return(p) => projection(p),
            Clause::Create(c) => {
                c.span = Span::default();
                c.patterns.iter_mut().for_each(pattern);
            }
            Clause::Merge(m) => {
                m.span = Span::default();
                pattern(&mut m.pattern);
                m.actions.iter_mut().for_each(|(_, s)| set_clause(s));
            }
            Clause::Set(s) => set_clause(s),
            Clause::Remove(r) => {
                r.span = Span::default();
                for item in &mut r.items {
                    match item {
                        RemoveItem::Property { target, key } => {
                            expr(target);
                            ident(key);
                        }
                        RemoveItem::Labels { var, labels } => {
                            ident(var);
                            labels.iter_mut().for_each(ident);
                        }
                    }
                }
            }
            Clause::Delete(d) => {
                d.span = Span::default();
                d.exprs.iter_mut().for_each(expr);
            }
        }
    }

    fn set_clause(s: &mut SetClause) {
        s.span = Span::default();
        for item in &mut s.items {
            match item {
                SetItem::Property { target, key, value } => {
                    expr(target);
                    ident(key);
                    expr(value);
                }
                SetItem::Replace { var, value } | SetItem::Merge { var, value } => {
                    ident(var);
                    expr(value);
                }
                SetItem::Labels { var, labels } => {
                    ident(var);
                    labels.iter_mut().for_each(ident);
                }
            }
        }
    }

    fn projection(p: &mut Projection) {
        p.span = Span::default();
        for item in &mut p.items {
            expr(&mut item.expr);
            item.alias.iter_mut().for_each(ident);
            item.text = item.expr.to_string();
        }
        for s in &mut p.order_by {
            expr(&mut s.expr);
        }
        p.skip
            .iter_mut()
            .chain(p.limit.iter_mut())
            .chain(p.where_.iter_mut())
            .for_each(expr);
    }

    pub fn pattern(p: &mut PatternPart) {
        p.span = Span::default();
        p.path_var.iter_mut().for_each(ident);
        node(&mut p.start);
        for (r, n) in &mut p.chain {
            r.span = Span::default();
            r.var.iter_mut().for_each(ident);
            r.types.iter_mut().for_each(ident);
            r.props.iter_mut().for_each(expr);
            node(n);
        }
    }

    fn node(n: &mut NodePattern) {
        n.span = Span::default();
        n.var.iter_mut().for_each(ident);
        n.labels.iter_mut().for_each(ident);
        n.props.iter_mut().for_each(expr);
    }

    pub fn expr(e: &mut Expr) {
        e.span = Span::default();
        match &mut e.kind {
            ExprKind::Literal(_) | ExprKind::Param(_) | ExprKind::Var(_) | ExprKind::CountStar => {}
            ExprKind::List(items) => items.iter_mut().for_each(expr),
            ExprKind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                ident(k);
                expr(v)
            }),
            ExprKind::Property(b, k) => {
                expr(b);
                ident(k)
            }
            ExprKind::HasLabels(b, ls) => {
                expr(b);
                ls.iter_mut().for_each(ident)
            }
            ExprKind::Unary(_, b) | ExprKind::IsNull { expr: b, .. } => expr(b),
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
                expr(a);
                expr(b)
            }
            ExprKind::Slice(a, b, c) => {
                expr(a);
                b.iter_mut().chain(c.iter_mut()).for_each(|x| expr(x));
            }
            ExprKind::Function { name, args, .. } => {
                ident(name);
                args.iter_mut().for_each(expr)
            }
            ExprKind::Case { operand, whens, else_ } => {
                operand.iter_mut().chain(else_.iter_mut()).for_each(|x| expr(x));
                whens.iter_mut().for_each(|(w, t)| {
                    expr(w);
                    expr(t)
                });
            }
            ExprKind::ListComprehension { var, list, filter, map } => {
                ident(var);
                expr(list);
                filter.iter_mut().chain(map.iter_mut()).for_each(|x| expr(x));
            }
            ExprKind::Quantified { var, list, filter, .. } => {
                ident(var);
                expr(list);
                expr(filter)
            }
            ExprKind::PatternComprehension {
                pattern: p,
                filter,
                map,
            } => {
                pattern(p);
                filter.iter_mut().for_each(|x| expr(x));
                expr(map)
            }
            ExprKind::PatternPredicate(p) => pattern(p),
            ExprKind::Exists(sub) => query(&mut sub.query),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;
    use crate::syntax::parse_script;

    fn e(kind: ExprKind) -> Expr {
        Expr {
            kind,
            span: Span::default(),
        }
    }
    fn var(n: &str) -> Box<Expr> {
        Box::new(e(ExprKind::Var(n.into())))
    }
    fn printed(q: &str) -> String {
        match parse_script(q) {
            Ok(s) => s.to_string(),
            Err(err) => panic!("{q}: {}", err.message),
        }
    }

    #[test]
    fn clauses_and_patterns_print_canonically() {
        assert_eq!(
            printed("match p=(a:A{k:1})-[r:T|:U*1..2{w:2}]->(b)<--(c)--() , (d) where a.x>1 return a"),
            "MATCH p = (a:A {k: 1})-[r:T|U*1..2 {w: 2}]->(b)<--(c)--(), (d) WHERE a.x > 1 RETURN a"
        );
        assert_eq!(
            printed(
                "optional match (a)-[*]-(b) with * , a order by a skip 1 where a return a union all create ({k:$p})"
            ),
            "OPTIONAL MATCH (a)-[*]-(b) WITH *, a ORDER BY a SKIP 1 WHERE a RETURN a UNION ALL CREATE ({k: $p})"
        );
        assert_eq!(
            printed("unwind [] as `x y` return `x y`"),
            "UNWIND [] AS `x y` RETURN `x y`"
        );
    }

    #[test]
    fn index_statements_print_and_read_back() {
        for (q, want) in [
            (
                "create index for (n:Role) on (n.name)",
                "CREATE INDEX FOR (n:Role) ON (n.name)",
            ),
            (
                "CREATE RANGE INDEX `my idx` if not exists FOR (x:`A B`) ON (x.`k-1`)",
                "CREATE INDEX `my idx` IF NOT EXISTS FOR (x:`A B`) ON (x.`k-1`)",
            ),
            (
                "create index `for` for (n:L) on (n.a, n.b)",
                "CREATE INDEX `for` FOR (n:L) ON (n.a, n.b)",
            ),
            ("drop index role_name if exists", "DROP INDEX role_name IF EXISTS"),
            ("show indexes", "SHOW INDEXES"),
            ("show index", "SHOW INDEXES"),
            (
                "create index if not exists for (n:L) on (n.k)",
                "CREATE INDEX IF NOT EXISTS FOR (n:L) ON (n.k)",
            ),
        ] {
            assert_eq!(printed(q), want);
            assert_eq!(printed(want), want);
        }
        // CREATE is still a clause; INDEX is still a name.
        assert_eq!(printed("CREATE (index:INDEX)"), "CREATE (index:INDEX)");
        assert!(parse_script("CREATE INDEX FOR (n) ON (n.k)").is_err());
        assert!(parse_script("DROP INDEX").is_err());
    }

    #[test]
    fn domain_statements_quote_only_when_needed() {
        assert_eq!(
            printed(
                "describe 'Chief Technology Officer'; overlap a,'b c' on T|U; diff a,b; path a to \"it's\" via T all"
            ),
            "DESCRIBE 'Chief Technology Officer';\nOVERLAP a, 'b c' ON T|U;\nDIFF a, b;\nPATH a TO 'it\\'s' VIA T ALL"
        );
        assert_eq!(
            printed("matrix cto,'b c' , x on responsible_for|:REQUIRES; matrix a,b"),
            "MATRIX cto, 'b c', x ON responsible_for|REQUIRES;\nMATRIX a, b"
        );
        assert_eq!(
            printed("explain profile describe cto-1"),
            "EXPLAIN PROFILE DESCRIBE cto-1"
        );
    }

    #[test]
    fn names_get_backticks_where_the_grammar_needs_them() {
        assert_eq!(
            printed("RETURN `end`, `a``b`, n.end, $`x y`, {`k-1`: 1}"),
            "RETURN `end`, `a``b`, n.end, $`x y`, {`k-1`: 1}"
        );
        assert_eq!(
            printed("MATCH (`order`:`My Label`) RETURN 1"),
            "MATCH (`order`:`My Label`) RETURN 1"
        );
    }

    #[test]
    fn parentheses_only_where_precedence_needs_them() {
        assert_eq!(
            printed("RETURN (1 + 2) * 3, 1 + (2 * 3), (a AND b) OR c, NOT (a OR b)"),
            "RETURN (1 + 2) * 3, 1 + 2 * 3, a AND b OR c, NOT (a OR b)"
        );
        assert_eq!(
            printed("RETURN 10 - (4 - 3), (10 - 4) - 3, 2 ^ (3 ^ 2), (-3) ^ 2"),
            "RETURN 10 - (4 - 3), 10 - 4 - 3, 2 ^ (3 ^ 2), -3 ^ 2"
        );
        assert_eq!(
            printed("RETURN (x IS NULL) = (y IN l), (a = b) = c"),
            "RETURN x IS NULL = y IN l, (a = b) = c"
        );
    }

    #[test]
    fn trees_the_parser_never_builds_still_print_faithfully() {
        // A comparison nested on the left is not a chain.
        let lt = |l, r| e(ExprKind::Binary(BinaryOp::Lt, l, r));
        assert_eq!(
            lt(Box::new(lt(var("a"), var("b"))), var("c")).to_string(),
            "(a < b) < c"
        );
        // A negated literal stays a negation.
        let three = Box::new(e(ExprKind::Literal(Literal::Int(3))));
        assert_eq!(e(ExprKind::Unary(UnaryOp::Neg, three)).to_string(), "-(3)");
        // Label tests on label tests keep their grouping.
        let labels = |b, l: &str| {
            e(ExprKind::HasLabels(
                b,
                vec![Ident {
                    name: l.into(),
                    span: Span::default(),
                }],
            ))
        };
        assert_eq!(labels(Box::new(labels(var("n"), "A")), "B").to_string(), "(n:A):B");
        let neg = |b| e(ExprKind::Unary(UnaryOp::Neg, b));
        assert_eq!(neg(Box::new(neg(var("x")))).to_string(), "- -x");
    }

    #[test]
    fn literals_print_as_cypher() {
        assert_eq!(
            printed("RETURN 1.0, 1e20, -0.5, 'a\\'b\\n', \"q\", null, TRUE, -9223372036854775808"),
            "RETURN 1.0, 100000000000000000000.0, -0.5, 'a\\'b\\n', 'q', null, true, -9223372036854775808"
        );
    }
}
