//! Static types, as far as the planner can know them: enough to reject at
//! compile time an operator applied to a literal of the wrong type
//! (`RETURN 123 AND true`, `WITH 1 AS x RETURN x.name`), as openCypher
//! requires. `Any` means "not known until run time" and is never an error.

use super::functions::Func;
use super::ops::{PExpr, PKind};
use super::scope::{Scope, VarKind};
use crate::diag::Span;
use crate::error::{Code, QueryError};
use crate::syntax::ast::BinaryOp;
use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SType {
    Any,
    Null,
    Bool,
    Int,
    Float,
    String,
    List,
    Map,
    Node,
    Rel,
    Path,
}

impl SType {
    pub fn of_value(v: &Value) -> SType {
        match v {
            Value::Null => SType::Null,
            Value::Bool(_) => SType::Bool,
            Value::Int(_) => SType::Int,
            Value::Float(_) => SType::Float,
            Value::String(_) => SType::String,
            Value::List(_) => SType::List,
            Value::Map(_) => SType::Map,
            Value::Node(_) => SType::Node,
            Value::Rel(_) => SType::Rel,
            Value::Path(_) => SType::Path,
            Value::Temporal(_) => SType::Any,
        }
    }

    pub fn of_kind(k: VarKind) -> SType {
        match k {
            VarKind::Node => SType::Node,
            VarKind::Rel => SType::Rel,
            VarKind::RelList => SType::List,
            VarKind::Path => SType::Path,
            VarKind::Value(t) => t,
        }
    }

    /// True when a value of this type may turn out to be one of `allowed`.
    fn may_be(self, allowed: &[SType]) -> bool {
        matches!(self, SType::Any | SType::Null) || allowed.contains(&self)
    }

    pub fn name(self) -> &'static str {
        match self {
            SType::Any => "ANY",
            SType::Null => "NULL",
            SType::Bool => "BOOLEAN",
            SType::Int => "INTEGER",
            SType::Float => "FLOAT",
            SType::String => "STRING",
            SType::List => "LIST",
            SType::Map => "MAP",
            SType::Node => "NODE",
            SType::Rel => "RELATIONSHIP",
            SType::Path => "PATH",
        }
    }
}

/// The static type of a bound expression.
pub fn stype(e: &PExpr, scope: &Scope) -> SType {
    use BinaryOp::*;
    match &e.kind {
        PKind::Const(v) => SType::of_value(v),
        PKind::Slot(s) => scope
            .vars()
            .get(*s)
            .map(|v| SType::of_kind(v.kind))
            .unwrap_or(SType::Any),
        PKind::List(_) | PKind::ListComp { .. } | PKind::PatternComp { .. } => SType::List,
        PKind::Map(_) => SType::Map,
        PKind::Not(_)
        | PKind::IsNull(..)
        | PKind::HasLabels(..)
        | PKind::RegexConst(..)
        | PKind::Quantified { .. }
        | PKind::PatternExists(_)
        | PKind::Exists(_) => SType::Bool,
        PKind::Binary(op, l, r) => match op {
            And | Or | Xor | Eq | Ne | Lt | Le | Gt | Ge | In | StartsWith | EndsWith | Contains | RegexMatch => {
                SType::Bool
            }
            Add | Sub | Mul | Div | Mod => match (stype(l, scope), stype(r, scope)) {
                (SType::Int, SType::Int) => SType::Int,
                (SType::Float, SType::Int | SType::Float) | (SType::Int, SType::Float) => SType::Float,
                (SType::String, SType::String) if *op == Add => SType::String,
                _ => SType::Any,
            },
            Pow => SType::Float,
        },
        PKind::Call(f, _) => match f {
            Func::Labels | Func::Keys | Func::Nodes | Func::Relationships | Func::Range | Func::Split | Func::Tail => {
                SType::List
            }
            Func::Type
            | Func::ToUpper
            | Func::ToLower
            | Func::Trim
            | Func::LTrim
            | Func::RTrim
            | Func::Substring
            | Func::Replace
            | Func::Left
            | Func::Right => SType::String,
            Func::Size | Func::Length | Func::Id => SType::Int,
            Func::Properties => SType::Map,
            Func::StartNode | Func::EndNode => SType::Node,
            Func::Exists | Func::ToBoolean => SType::Bool,
            _ => SType::Any,
        },
        _ => SType::Any,
    }
}

/// The static type of the elements of a list expression: known when the list
/// is written out and every non-null element has the same known type.
pub fn element_type(list: &PExpr, scope: &Scope) -> SType {
    let mut types: Vec<SType> = match &list.kind {
        PKind::List(items) => items.iter().map(|x| stype(x, scope)).collect(),
        PKind::Const(Value::List(items)) => items.iter().map(SType::of_value).collect(),
        _ => return SType::Any,
    };
    types.retain(|t| *t != SType::Null);
    match types.split_first() {
        Some((first, rest)) if rest.iter().all(|t| t == first) => *first,
        Some(_) => SType::Any,
        None => SType::Null,
    }
}

/// The types a function's first argument may have (null is always allowed),
/// or None when it takes anything.
fn accepts(f: Func) -> Option<&'static [SType]> {
    use SType::*;
    Some(match f {
        Func::Labels => &[Node],
        Func::Type | Func::StartNode | Func::EndNode => &[Rel],
        Func::Properties | Func::Keys => &[Node, Rel, Map],
        Func::Size => &[List, String],
        Func::Length => &[Path, List, String],
        Func::Nodes | Func::Relationships => &[Path],
        Func::Id => &[Node, Rel],
        Func::ToUpper
        | Func::ToLower
        | Func::Trim
        | Func::LTrim
        | Func::RTrim
        | Func::Substring
        | Func::Left
        | Func::Right
        | Func::Replace
        | Func::Split => &[String],
        Func::Reverse => &[String, List],
        Func::Head | Func::Last | Func::Tail => &[List],
        Func::Abs
        | Func::Ceil
        | Func::Floor
        | Func::Round
        | Func::Sign
        | Func::Sqrt
        | Func::Exp
        | Func::Log
        | Func::Log10 => &[Int, Float],
        Func::ToString => &[String, Int, Float, Bool],
        Func::ToInteger => &[Int, Float, String, Bool],
        Func::ToFloat => &[Int, Float, String],
        Func::ToBoolean => &[Bool, String, Int],
        Func::Range | Func::Coalesce | Func::Exists | Func::Rand | Func::Temporal(_) => return None,
    })
}

/// Whether an arithmetic operator accepts operands of these (known) types,
/// as the evaluator does.
fn arithmetic_ok(op: BinaryOp, l: SType, r: SType) -> bool {
    use SType::*;
    let num = |t: SType| matches!(t, Int | Float);
    if num(l) && num(r) {
        return true;
    }
    op == BinaryOp::Add
        && (matches!((l, r), (String, String))
            || (l == String && num(r))
            || (num(l) && r == String)
            || l == List
            || r == List)
}

/// A condition (WHERE, CASE WHEN, a comprehension's filter) whose type is
/// known not to be boolean is an error.
pub fn check_boolean(e: &PExpr, scope: &Scope, place: &str) -> Result<(), QueryError> {
    let t = stype(e, scope);
    if t.may_be(&[SType::Bool]) {
        Ok(())
    } else {
        Err(invalid(
            format!("{place} needs a boolean condition, not {}", t.name()),
            e.span,
        ))
    }
}

fn invalid(what: String, span: Span) -> QueryError {
    QueryError::compile(Code::InvalidArgumentType, what, span)
}

/// Rejects operators and functions whose operands are statically of the
/// wrong type.
pub fn check(e: &PExpr, scope: &Scope) -> Result<(), QueryError> {
    let need = |x: &PExpr, allowed: &[SType], what: &str| -> Result<(), QueryError> {
        let t = stype(x, scope);
        if t.may_be(allowed) {
            Ok(())
        } else {
            Err(invalid(format!("{what}, not {}", t.name()), x.span))
        }
    };
    match &e.kind {
        PKind::Not(x) => need(x, &[SType::Bool], "NOT needs a boolean"),
        PKind::Binary(op @ (BinaryOp::And | BinaryOp::Or | BinaryOp::Xor), l, r) => {
            let name = match op {
                BinaryOp::And => "AND",
                BinaryOp::Or => "OR",
                _ => "XOR",
            };
            let what = format!("{name} needs booleans");
            need(l, &[SType::Bool], &what)?;
            need(r, &[SType::Bool], &what)
        }
        PKind::Binary(BinaryOp::In, _, r) => need(r, &[SType::List], "IN needs a list on its right"),
        PKind::Prop(base, key) => need(
            base,
            &[SType::Node, SType::Rel, SType::Map],
            &format!("cannot read property '{key}': expected a node, relationship or map"),
        ),
        PKind::Binary(
            op @ (BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod | BinaryOp::Pow),
            l,
            r,
        ) => {
            let (lt, rt) = (stype(l, scope), stype(r, scope));
            let known = |t: SType| !matches!(t, SType::Any | SType::Null);
            if known(lt) && known(rt) && !arithmetic_ok(*op, lt, rt) {
                Err(invalid(
                    format!("cannot apply {} to {} and {}", op_symbol(*op), lt.name(), rt.name()),
                    e.span,
                ))
            } else {
                Ok(())
            }
        }
        PKind::Call(f, args) => match (accepts(*f), args.first()) {
            (Some(allowed), Some(a)) => {
                let names: Vec<&str> = allowed.iter().map(|t| t.name()).collect();
                need(a, allowed, &format!("{}() needs {}", func_name(*f), names.join(" or ")))
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

fn op_symbol(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Mod => "%",
        _ => "^",
    }
}

/// A function's name as written in the docs, for messages.
fn func_name(f: Func) -> &'static str {
    super::functions::name_of(f)
}
