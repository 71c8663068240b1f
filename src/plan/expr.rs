//! Binds expressions: variables to slots, parameters to values, function
//! names to the function table; unknown names get did-you-mean help.

use std::collections::HashMap;
use std::sync::Arc;

use super::functions::{self, AggFunc};
use super::ops::{AggSpec, PExpr, PKind};
use super::scope::{Scope, VarKind};
use crate::diag::{Diagnostic, Span, did_you_mean};
use crate::error::{Code, QueryError};
use crate::store::Graph;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Literal, UnaryOp};
use crate::value::Value;

pub type Params = HashMap<String, Value>;

/// Where aggregates may appear in the expression being bound.
pub enum AggSite<'a> {
    /// Not allowed here; the string names the place for the message.
    Forbidden(&'static str),
    /// Allowed: aggregate calls are appended here and replaced by `Agg(i)`.
    Collect(&'a mut Vec<AggSpec>),
    /// As `Collect`, but aggregate arguments are bound in this scope (the
    /// rows before the projection) while the rest sees the projected row.
    CollectIn(&'a mut Vec<AggSpec>, &'a Scope),
}

/// Everything binding needs besides the scope.
pub struct Binder<'a> {
    pub graph: &'a Graph,
    pub params: &'a Params,
    pub warnings: Vec<Diagnostic>,
    /// The statement text the spans index.
    pub text: &'a str,
    /// While binding ORDER BY of an aggregating projection: expressions
    /// (by their text) that are grouping keys, and the output slot of each.
    pub key_subst: Vec<(String, usize)>,
    /// Whether MATCH clauses go through the optimiser's passes (off: each
    /// is matched as written, for comparing plans' rows).
    pub optimise: bool,
    /// Patterns bound so far (see `PatternPlan::id`).
    patterns: usize,
    /// While binding a pattern that creates what it does not find
    /// (MERGE), a label, type or key the graph lacks is no mistake.
    pub creating: bool,
    /// Property keys the statement writes (CREATE, MERGE, SET): reading
    /// them later in the statement is no misspelling.
    written: std::collections::HashSet<String>,
    /// True while binding a WHERE condition (or `exists(...)`'s argument):
    /// only there may a pattern stand alone as a predicate.
    in_predicate: bool,
}

impl<'a> Binder<'a> {
    /// A number for the next pattern, unique in the statement.
    pub fn next_pattern_id(&mut self) -> usize {
        self.patterns += 1;
        self.patterns - 1
    }

    pub fn new(graph: &'a Graph, params: &'a Params, text: &'a str) -> Binder<'a> {
        Binder {
            graph,
            params,
            text,
            key_subst: Vec::new(),
            warnings: Vec::new(),
            optimise: true,
            patterns: 0,
            creating: false,
            written: Default::default(),
            in_predicate: false,
        }
    }

    /// Runs `f` (binding a subquery) with the state that belongs to the
    /// enclosing expression set aside: grouping-key substitutions, being
    /// in a predicate, creating.
    pub fn isolated<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let key_subst = std::mem::take(&mut self.key_subst);
        let in_predicate = std::mem::replace(&mut self.in_predicate, false);
        let creating = std::mem::replace(&mut self.creating, false);
        let out = f(self);
        self.key_subst = key_subst;
        self.in_predicate = in_predicate;
        self.creating = creating;
        out
    }

    pub fn warn(&mut self, d: Diagnostic) {
        if !self.warnings.contains(&d) {
            self.warnings.push(d);
        }
    }

    /// Notes a property key the statement writes.
    pub fn note_written(&mut self, key: &str) {
        self.written.insert(key.to_string());
    }

    /// Notes the keys of a literal map the statement writes.
    pub fn note_written_map(&mut self, e: &Expr) {
        if let ExprKind::Map(entries) = &e.kind {
            for (k, _) in entries {
                self.note_written(&k.name);
            }
        }
    }

    /// Warns about a label the graph does not have (queries on it match nothing).
    pub fn check_label(&mut self, name: &str, span: Span) {
        if !self.creating && self.graph.node_count() > 0 && !self.graph.has_label(name) {
            let labels = self.graph.label_counts();
            let help = did_you_mean(name, labels.iter().map(|(l, _)| *l));
            self.warn(Diagnostic::warning(format!("the graph has no label '{name}'"), Some(span)).with_help(help));
        }
    }

    pub fn check_rel_type(&mut self, name: &str, span: Span) {
        if !self.creating && self.graph.rel_count() > 0 && !self.graph.has_rel_type(name) {
            let types = self.graph.rel_type_counts();
            let help = did_you_mean(name, types.iter().map(|(t, _)| *t));
            self.warn(
                Diagnostic::warning(format!("the graph has no relationship type '{name}'"), Some(span)).with_help(help),
            );
        }
    }

    fn check_property(&mut self, key: &str, span: Span) {
        if self.creating
            || self.graph.node_count() == 0
            || self.graph.has_property_key(key)
            || self.written.contains(key)
        {
            return;
        }
        let keys = self.graph.property_keys();
        let help = did_you_mean(key, keys.iter().copied());
        self.warn(
            Diagnostic::warning(format!("no node or relationship has a property '{key}'"), Some(span)).with_help(help),
        );
    }

    /// Binds a WHERE condition: a pattern may stand alone as a predicate, and
    /// a condition whose type is known not to be boolean is an error.
    pub fn predicate(&mut self, e: &Expr, scope: &mut Scope, agg: &mut AggSite<'_>) -> Result<PExpr, QueryError> {
        let was = std::mem::replace(&mut self.in_predicate, true);
        let bound = self.expr(e, scope, agg);
        self.in_predicate = was;
        let bound = bound?;
        super::types::check_boolean(&bound, scope, "WHERE")?;
        Ok(bound)
    }

    /// Binds an expression and checks its operands' static types.
    pub fn expr(&mut self, e: &Expr, scope: &mut Scope, agg: &mut AggSite<'_>) -> Result<PExpr, QueryError> {
        let bound = self.expr_unchecked(e, scope, agg)?;
        super::types::check(&bound, scope)?;
        Ok(bound)
    }

    fn expr_unchecked(&mut self, e: &Expr, scope: &mut Scope, agg: &mut AggSite<'_>) -> Result<PExpr, QueryError> {
        let span = e.span;
        if !self.key_subst.is_empty() {
            let t = self.text.get(span.start..span.end).unwrap_or("").trim();
            if let Some((_, slot)) = self.key_subst.iter().find(|(k, _)| k == t) {
                return Ok(PExpr::new(PKind::Slot(*slot), span));
            }
        }
        let kind = match &e.kind {
            ExprKind::Literal(l) => PKind::Const(literal(l)),
            ExprKind::Param(name) => match self.params.get(name) {
                Some(v) => PKind::Const(v.clone()),
                None => {
                    return Err(QueryError::compile(
                        Code::MissingParameter,
                        format!("parameter ${name} was not given a value"),
                        span,
                    )
                    .with_help(Some(format!(
                        "set it with --param {name}=VALUE (or :param {name} VALUE in the REPL)"
                    ))));
                }
            },
            ExprKind::Var(name) => PKind::Slot(scope.resolve(name, span)?.0),
            ExprKind::List(items) => PKind::List(self.exprs(items, scope, agg)?),
            ExprKind::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    out.push((Arc::from(k.name.as_str()), self.expr(v, scope, agg)?));
                }
                PKind::Map(out)
            }
            ExprKind::Property(base, key) => {
                let b = self.expr(base, scope, agg)?;
                // A key of a node or relationship the graph never uses is
                // probably misspelt; a map's keys (`UNWIND $rows AS row`)
                // are the query's own.
                if let ExprKind::Var(v) = &base.kind
                    && !matches!(
                        scope.lookup(v).map(|(_, k)| k),
                        Some(VarKind::Value(
                            super::types::SType::Map | super::types::SType::Any | super::types::SType::Null
                        ))
                    )
                {
                    self.check_property(&key.name, key.span);
                }
                PKind::Prop(Box::new(b), Arc::from(key.name.as_str()))
            }
            ExprKind::Index(base, idx) => PKind::Index(
                Box::new(self.expr(base, scope, agg)?),
                Box::new(self.expr(idx, scope, agg)?),
            ),
            ExprKind::Slice(base, from, to) => PKind::Slice(
                Box::new(self.expr(base, scope, agg)?),
                self.opt_expr(from.as_deref(), scope, agg)?,
                self.opt_expr(to.as_deref(), scope, agg)?,
            ),
            ExprKind::HasLabels(base, labels) => {
                for l in labels {
                    self.check_label(&l.name, l.span);
                }
                PKind::HasLabels(
                    Box::new(self.expr(base, scope, agg)?),
                    labels.iter().map(|l| l.name.clone()).collect(),
                )
            }
            ExprKind::Unary(op, inner) => {
                let i = Box::new(self.expr(inner, scope, agg)?);
                match op {
                    UnaryOp::Not => PKind::Not(i),
                    UnaryOp::Neg => PKind::Neg(i),
                    UnaryOp::Plus => return Ok(*i),
                }
            }
            ExprKind::Binary(op, l, r) => {
                let lp = self.expr(l, scope, agg)?;
                let rp = self.expr(r, scope, agg)?;
                if *op == BinaryOp::RegexMatch
                    && let PKind::Const(Value::String(pat)) = &rp.kind
                {
                    let re = compile_regex(pat, r.span)?;
                    return Ok(PExpr::new(PKind::RegexConst(Box::new(lp), Arc::new(re)), span));
                }
                PKind::Binary(*op, Box::new(lp), Box::new(rp))
            }
            ExprKind::IsNull { expr, negated } => PKind::IsNull(Box::new(self.expr(expr, scope, agg)?), *negated),
            ExprKind::CountStar => self.aggregate(AggFunc::Count, false, None, None, span, agg)?,
            ExprKind::Function { name, distinct, args } => {
                return self.call(name.name.as_str(), name.span, *distinct, args, span, scope, agg);
            }
            ExprKind::Case { operand, whens, else_ } => {
                let operand = self.opt_expr(operand.as_deref(), scope, agg)?;
                let mut ws = Vec::with_capacity(whens.len());
                for (w, t) in whens {
                    ws.push((self.expr(w, scope, agg)?, self.expr(t, scope, agg)?));
                }
                let else_ = self.opt_expr(else_.as_deref(), scope, agg)?;
                PKind::Case {
                    operand,
                    whens: ws,
                    else_,
                }
            }
            ExprKind::ListComprehension { var, list, filter, map } => {
                let list = Box::new(self.expr(list, scope, agg)?);
                let mark = scope.len();
                let slot = scope.push(&var.name, VarKind::Value(super::types::element_type(&list, scope)));
                let filter = self.opt_expr(
                    filter.as_deref(),
                    scope,
                    &mut AggSite::Forbidden("a list comprehension"),
                );
                let map = self.opt_expr(map.as_deref(), scope, &mut AggSite::Forbidden("a list comprehension"));
                scope.truncate(mark);
                PKind::ListComp {
                    slot,
                    list,
                    filter: filter?,
                    map: map?,
                }
            }
            ExprKind::Quantified {
                quantifier,
                var,
                list,
                filter,
            } => {
                let list = Box::new(self.expr(list, scope, agg)?);
                let mark = scope.len();
                let slot = scope.push(&var.name, VarKind::Value(super::types::element_type(&list, scope)));
                let filter = self.expr(filter, scope, &mut AggSite::Forbidden("a quantifier"));
                scope.truncate(mark);
                PKind::Quantified {
                    quantifier: *quantifier,
                    slot,
                    list,
                    filter: Box::new(filter?),
                }
            }
            ExprKind::PatternPredicate(part) => {
                if !self.in_predicate {
                    return Err(QueryError::compile(
                        Code::UnexpectedSyntax,
                        "a pattern can stand alone only as a WHERE condition; use exists(pattern) for a boolean or a pattern comprehension [pattern | value] for a list",
                        span,
                    ));
                }
                let plan = super::pattern::predicate_pattern(self, part, scope)?;
                match super::subquery::pattern_predicate(self, part, &plan, scope)? {
                    Some(sub) => PKind::Exists(Box::new(sub)),
                    None => PKind::PatternExists(Box::new(plan)),
                }
            }
            ExprKind::Exists(sub) => PKind::Exists(Box::new(super::subquery::exists(self, sub, scope)?)),
            ExprKind::PatternComprehension { pattern, filter, map } => {
                let mark = scope.len();
                let result: Result<PKind, QueryError> = (|| {
                    let plan = super::pattern::comprehension_pattern(self, pattern, scope)?;
                    let filter = self.opt_expr(
                        filter.as_deref(),
                        scope,
                        &mut AggSite::Forbidden("a pattern comprehension"),
                    )?;
                    let map = self.expr(map, scope, &mut AggSite::Forbidden("a pattern comprehension"))?;
                    Ok(PKind::PatternComp {
                        pattern: Box::new(plan),
                        filter,
                        map: Box::new(map),
                    })
                })();
                scope.truncate(mark);
                result?
            }
        };
        Ok(PExpr::new(kind, span))
    }

    pub fn opt_expr(
        &mut self,
        e: Option<&Expr>,
        scope: &mut Scope,
        agg: &mut AggSite<'_>,
    ) -> Result<Option<Box<PExpr>>, QueryError> {
        match e {
            Some(e) => Ok(Some(Box::new(self.expr(e, scope, agg)?))),
            None => Ok(None),
        }
    }

    fn exprs(&mut self, es: &[Expr], scope: &mut Scope, agg: &mut AggSite<'_>) -> Result<Vec<PExpr>, QueryError> {
        es.iter().map(|e| self.expr(e, scope, agg)).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        name: &str,
        name_span: Span,
        distinct: bool,
        args: &[Expr],
        span: Span,
        scope: &mut Scope,
        agg: &mut AggSite<'_>,
    ) -> Result<PExpr, QueryError> {
        if let Some(f) = functions::aggregate(name) {
            let arity = if matches!(f, AggFunc::PercentileDisc | AggFunc::PercentileCont) {
                2
            } else {
                1
            };
            if args.len() != arity {
                return Err(arity_error(name, arity, arity, args.len(), span));
            }
            // The argument itself may not contain an aggregate.
            let mut arg_scope = match agg {
                AggSite::CollectIn(_, input) => Some((*input).clone()),
                _ => None,
            };
            let subst = std::mem::take(&mut self.key_subst);
            let arg = self
                .expr(
                    &args[0],
                    arg_scope.as_mut().unwrap_or(scope),
                    &mut AggSite::Forbidden("another aggregate function"),
                )
                .map_err(|e| {
                    if e.code == Code::InvalidAggregation {
                        nested_aggregation(span)
                    } else {
                        e
                    }
                })?;
            self.key_subst = subst;
            if contains_rand(&arg) {
                return Err(QueryError::compile(
                    Code::NonConstantExpression,
                    "rand() cannot be aggregated: its value changes from row to row",
                    span,
                ));
            }
            let percentile = match args.get(1) {
                Some(p) => Some(self.expr(
                    p,
                    arg_scope.as_mut().unwrap_or(scope),
                    &mut AggSite::Forbidden("another aggregate function"),
                )?),
                None => None,
            };
            let kind = self.aggregate(f, distinct, Some(arg), percentile, span, agg)?;
            return Ok(PExpr::new(kind, span));
        }
        let Some((f, lo, hi)) = functions::scalar(name) else {
            return Err(
                QueryError::compile(Code::UnknownFunction, format!("unknown function '{name}'"), name_span)
                    .with_help(did_you_mean(name, functions::all_names())),
            );
        };
        if args.len() < lo || args.len() > hi {
            return Err(arity_error(name, lo, hi, args.len(), span));
        }
        // exists(pattern) is a predicate wherever it is written.
        let was = self.in_predicate;
        self.in_predicate = f == functions::Func::Exists && matches!(args[0].kind, ExprKind::PatternPredicate(_));
        let args = self.exprs(args, scope, agg);
        self.in_predicate = was;
        Ok(PExpr::new(PKind::Call(f, args?), span))
    }

    fn aggregate(
        &mut self,
        func: AggFunc,
        distinct: bool,
        arg: Option<PExpr>,
        percentile: Option<PExpr>,
        span: Span,
        agg: &mut AggSite<'_>,
    ) -> Result<PKind, QueryError> {
        match agg {
            AggSite::Forbidden(place) => Err(QueryError::compile(
                Code::InvalidAggregation,
                format!("aggregate functions are not allowed in {place}"),
                span,
            )),
            AggSite::Collect(list) | AggSite::CollectIn(list, _) => {
                list.push(AggSpec {
                    func,
                    distinct,
                    arg,
                    percentile,
                    distinct_given: None,
                });
                Ok(PKind::Agg(list.len() - 1))
            }
        }
    }
}

fn nested_aggregation(span: Span) -> QueryError {
    QueryError::compile(
        Code::NestedAggregation,
        "an aggregate function cannot contain another aggregate function",
        span,
    )
}

fn arity_error(name: &str, lo: usize, hi: usize, got: usize, span: Span) -> QueryError {
    let expected = if lo == hi {
        format!("{lo}")
    } else if hi == usize::MAX {
        format!("at least {lo}")
    } else {
        format!("{lo} to {hi}")
    };
    QueryError::compile(
        Code::InvalidNumberOfArguments,
        format!(
            "{name}() takes {expected} argument{}, not {got}",
            if expected == "1" { "" } else { "s" }
        ),
        span,
    )
}

pub fn literal(l: &Literal) -> Value {
    match l {
        Literal::Null => Value::Null,
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Int(i) => Value::Int(*i),
        Literal::Float(f) => Value::Float(*f),
        Literal::String(s) => Value::str(s),
    }
}

/// Cypher regexes match the whole string.
pub fn compile_regex(pattern: &str, span: Span) -> Result<regex::Regex, QueryError> {
    regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            QueryError::compile(
                Code::InvalidRegex,
                format!(
                    "invalid regular expression: {}",
                    e.to_string().lines().last().unwrap_or("")
                ),
                span,
            )
        })
}

fn contains_rand(e: &PExpr) -> bool {
    match &e.kind {
        PKind::Call(super::functions::Func::Rand, _) => true,
        PKind::Call(_, args) | PKind::List(args) => args.iter().any(contains_rand),
        PKind::Binary(_, l, r) => contains_rand(l) || contains_rand(r),
        PKind::Neg(x) | PKind::Not(x) | PKind::Prop(x, _) => contains_rand(x),
        _ => false,
    }
}

/// True when the expression reads no row slot (so it can be evaluated once).
pub fn is_constant(e: &PExpr) -> bool {
    match &e.kind {
        PKind::Const(_) => true,
        PKind::List(items) => items.iter().all(is_constant),
        PKind::Map(entries) => entries.iter().all(|(_, v)| is_constant(v)),
        PKind::Neg(i) | PKind::Not(i) => is_constant(i),
        PKind::Binary(_, l, r) => is_constant(l) && is_constant(r),
        PKind::Call(_, args) => args.iter().all(is_constant),
        _ => false,
    }
}
