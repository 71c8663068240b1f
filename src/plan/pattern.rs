//! Binds patterns: declares their variables, checks labels and types
//! against the graph, and picks where matching starts.

use super::expr::{AggSite, Binder};
use super::ops::{CreateNode, CreatePattern, CreateRel, NodeStep, PKind, PatternPlan, RelStep};
use super::scope::{Scope, VarKind};
use crate::error::{Code, QueryError};
use crate::store::Direction;
use crate::syntax::ast::{ExprKind, NodePattern, PatternPart, RelDirection, RelPattern};

/// Binds one MATCH pattern part; new variables are declared in `scope`.
/// `bound_before` is the scope length before the clause, so the planner can
/// tell variables of earlier clauses (known values) from this clause's.
pub fn match_pattern(
    b: &mut Binder<'_>,
    part: &PatternPart,
    scope: &mut Scope,
    bound_before: usize,
) -> Result<PatternPlan, QueryError> {
    let mut nodes = Vec::with_capacity(part.chain.len() + 1);
    let mut rels = Vec::with_capacity(part.chain.len());
    let mut selectivity = Vec::with_capacity(part.chain.len() + 1);
    let (n, s) = node_step(b, &part.start, scope, bound_before)?;
    nodes.push(n);
    selectivity.push(s);
    for (rp, np) in &part.chain {
        rels.push(rel_step(b, rp, scope, bound_before)?);
        let (n, s) = node_step(b, np, scope, bound_before)?;
        nodes.push(n);
        selectivity.push(s);
    }
    // Bind the node and relationship properties after every variable of
    // the part is declared, so `(a {x: b.y})--(b)` is an error only if b is unknown.
    bind_props(b, part, &mut nodes, &mut rels, scope)?;
    let path_slot = match &part.path_var {
        Some(v) => Some(scope.declare_path(&v.name, v.span)?),
        None => None,
    };
    let start = selectivity
        .iter()
        .enumerate()
        .min_by_key(|(i, s)| (**s, *i))
        .map(|(i, _)| i)
        .unwrap_or(0);
    Ok(PatternPlan {
        nodes,
        rels,
        path_slot,
        start,
        id: b.next_pattern_id(),
        filters: Vec::new(),
        join: None,
        seek: None,
        top: None,
        want: None,
    })
}

/// A pattern used as a predicate may only use variables already bound; the
/// unnamed parts are local to it.
pub fn predicate_pattern(b: &mut Binder<'_>, part: &PatternPart, scope: &mut Scope) -> Result<PatternPlan, QueryError> {
    for v in pattern_vars(part) {
        if scope.lookup(&v.name).is_none() {
            return Err(QueryError::compile(
                Code::UndefinedVariable,
                format!(
                    "variable '{}' is not defined (a pattern predicate can only use variables bound before it)",
                    v.name
                ),
                v.span,
            ));
        }
    }
    let mark = scope.len();
    let plan = match_pattern(b, part, scope, mark);
    scope.truncate(mark);
    plan
}

/// A pattern comprehension's new variables stay in scope for its WHERE
/// and map expression; the caller truncates afterwards.
pub fn comprehension_pattern(
    b: &mut Binder<'_>,
    part: &PatternPart,
    scope: &mut Scope,
) -> Result<PatternPlan, QueryError> {
    let mark = scope.len();
    match_pattern(b, part, scope, mark)
}

fn pattern_vars(part: &PatternPart) -> Vec<&crate::syntax::ast::Ident> {
    let mut out = Vec::new();
    out.extend(part.start.var.as_ref());
    for (r, n) in &part.chain {
        out.extend(r.var.as_ref());
        out.extend(n.var.as_ref());
    }
    out
}

/// Lower is more selective: a bound variable, an `id` lookup, a label, nothing.
fn node_step(
    b: &mut Binder<'_>,
    np: &NodePattern,
    scope: &mut Scope,
    bound_before: usize,
) -> Result<(NodeStep, u8), QueryError> {
    reject_parameter_map(np.props.as_ref())?;
    for l in &np.labels {
        b.check_label(&l.name, l.span);
    }
    let (slot, bound) = match &np.var {
        Some(v) => scope.bind_pattern_var(&v.name, VarKind::Node, v.span)?,
        None => (scope.push_anonymous(VarKind::Node), false),
    };
    let has_id = match &np.props {
        Some(e) => matches!(&e.kind, ExprKind::Map(entries) if entries.iter().any(|(k, _)| k.name == "id")),
        None => false,
    };
    let selectivity = if bound && slot < bound_before {
        0
    } else if has_id {
        1
    } else if !np.labels.is_empty() {
        2
    } else {
        3
    };
    let step = NodeStep {
        slot,
        labels: np.labels.iter().map(|l| l.name.clone()).collect(),
        props: None,
    };
    Ok((step, selectivity))
}

fn rel_step(
    b: &mut Binder<'_>,
    rp: &RelPattern,
    scope: &mut Scope,
    bound_before: usize,
) -> Result<RelStep, QueryError> {
    reject_parameter_map(rp.props.as_ref())?;
    for t in &rp.types {
        b.check_rel_type(&t.name, t.span);
    }
    let kind = if rp.length.is_some() {
        VarKind::RelList
    } else {
        VarKind::Rel
    };
    let slot = match &rp.var {
        Some(v) => {
            let (slot, bound) = scope.bind_pattern_var(&v.name, kind, v.span)?;
            // Bound by an earlier clause, it constrains the match; bound earlier
            // in this clause, it would be the same relationship twice.
            if bound && kind == VarKind::Rel && slot >= bound_before {
                return Err(QueryError::compile(
                    Code::RelationshipUniquenessViolation,
                    format!(
                        "relationship variable '{}' is already bound; a relationship can appear only once in a MATCH",
                        v.name
                    ),
                    v.span,
                ));
            }
            slot
        }
        None => scope.push_anonymous(kind),
    };
    let direction = match rp.direction {
        RelDirection::Right => Direction::Outgoing,
        RelDirection::Left => Direction::Incoming,
        RelDirection::Either => Direction::Both,
    };
    let var_len = rp.length.map(|l| (l.min.unwrap_or(1), l.max));
    Ok(RelStep {
        slot,
        types: rp.types.iter().map(|t| t.name.clone()).collect(),
        direction,
        var_len,
        props: None,
    })
}

/// `MATCH (n $map)` is not openCypher: a pattern's properties are written out.
fn reject_parameter_map(props: Option<&crate::syntax::ast::Expr>) -> Result<(), QueryError> {
    match props {
        Some(e) if matches!(e.kind, ExprKind::Param(_)) => Err(QueryError::compile(
            Code::InvalidParameterUse,
            "a parameter cannot stand for the properties of a pattern in MATCH",
            e.span,
        )
        .with_help(Some("write the properties out, e.g. {id: $id}".into()))),
        _ => Ok(()),
    }
}

fn bind_props(
    b: &mut Binder<'_>,
    part: &PatternPart,
    nodes: &mut [NodeStep],
    rels: &mut [RelStep],
    scope: &mut Scope,
) -> Result<(), QueryError> {
    let mut forbid = AggSite::Forbidden("a pattern");
    if let Some(p) = &part.start.props {
        nodes[0].props = Some(b.expr(p, scope, &mut forbid)?);
    }
    for (i, (rp, np)) in part.chain.iter().enumerate() {
        if let Some(p) = &rp.props {
            rels[i].props = Some(b.expr(p, scope, &mut forbid)?);
        }
        if let Some(p) = &np.props {
            nodes[i + 1].props = Some(b.expr(p, scope, &mut forbid)?);
        }
    }
    Ok(())
}

/// Binds one CREATE pattern part.
pub fn create_pattern(b: &mut Binder<'_>, part: &PatternPart, scope: &mut Scope) -> Result<CreatePattern, QueryError> {
    create_pattern_in(b, part, scope, "CREATE")
}

/// The pattern `clause` (CREATE or MERGE) creates; errors name the clause.
pub fn create_pattern_in(
    b: &mut Binder<'_>,
    part: &PatternPart,
    scope: &mut Scope,
    clause: &str,
) -> Result<CreatePattern, QueryError> {
    let mut nodes = Vec::new();
    let mut rels = Vec::new();
    let mut pending_props = Vec::new();
    let mut all_nodes: Vec<&NodePattern> = vec![&part.start];
    all_nodes.extend(part.chain.iter().map(|(_, n)| n));
    for np in &all_nodes {
        let (slot, bound) = match &np.var {
            Some(v) => {
                let (slot, bound) = scope.bind_pattern_var(&v.name, VarKind::Node, v.span)?;
                // Re-using a node created earlier in this clause is fine;
                // adding labels or properties to a bound node is not.
                if bound && (!np.labels.is_empty() || np.props.is_some() || part.chain.is_empty()) {
                    return Err(QueryError::compile(
                        Code::VariableAlreadyBound,
                        if np.labels.is_empty() && np.props.is_none() {
                            format!(
                                "variable '{}' is already bound: {clause} of that node alone has nothing to create",
                                v.name
                            )
                        } else {
                            format!(
                                "variable '{}' is already bound, so {clause} cannot give it labels or properties",
                                v.name
                            )
                        },
                        v.span,
                    ));
                }
                (slot, bound)
            }
            None => (scope.push_anonymous(VarKind::Node), false),
        };
        nodes.push(CreateNode {
            slot,
            bound,
            labels: np.labels.iter().map(|l| l.name.clone()).collect(),
            props: None,
        });
        pending_props.push(np.props.as_ref());
    }
    for (i, (rp, _)) in part.chain.iter().enumerate() {
        if let Some(v) = &rp.var
            && scope.lookup(&v.name).is_some()
        {
            return Err(QueryError::compile(
                Code::VariableAlreadyBound,
                format!(
                    "variable '{}' is already bound; {clause} needs a new relationship variable",
                    v.name
                ),
                v.span,
            ));
        }
        let rel_type = match rp.types.as_slice() {
            [t] => t.name.clone(),
            _ => {
                return Err(QueryError::compile(
                    Code::NoSingleRelationshipType,
                    format!("a relationship in {clause} must have exactly one type"),
                    rp.span,
                ));
            }
        };
        if rp.length.is_some() {
            return Err(QueryError::compile(
                Code::CreatingVarLength,
                format!("{clause} cannot create a variable-length relationship"),
                rp.span,
            ));
        }
        let (from, to) = match rp.direction {
            RelDirection::Right => (i, i + 1),
            RelDirection::Left => (i + 1, i),
            RelDirection::Either => {
                return Err(QueryError::compile(
                    Code::RequiresDirectedRelationship,
                    format!("a relationship in {clause} needs a direction (-> or <-)"),
                    rp.span,
                ));
            }
        };
        let slot = match &rp.var {
            Some(v) => {
                if scope.lookup(&v.name).is_some() {
                    return Err(QueryError::compile(
                        Code::VariableAlreadyBound,
                        format!(
                            "variable '{}' is already bound; {clause} needs a new relationship variable",
                            v.name
                        ),
                        v.span,
                    ));
                }
                scope.push(&v.name, VarKind::Rel)
            }
            None => scope.push_anonymous(VarKind::Rel),
        };
        let props = match &rp.props {
            Some(p) => {
                b.note_written_map(p);
                Some(b.expr(p, scope, &mut AggSite::Forbidden("CREATE"))?)
            }
            None => None,
        };
        rels.push(CreateRel {
            slot,
            rel_type,
            from,
            to,
            props,
        });
    }
    for (n, p) in nodes.iter_mut().zip(pending_props) {
        if let Some(p) = p {
            b.note_written_map(p);
            n.props = Some(b.expr(p, scope, &mut AggSite::Forbidden("CREATE"))?);
        }
    }
    let path_slot = match &part.path_var {
        Some(v) => Some(scope.declare_path(&v.name, v.span)?),
        None => None,
    };
    for n in &nodes {
        if let Some(p) = &n.props
            && !matches!(p.kind, PKind::Map(_) | PKind::Const(_))
        {
            return Err(QueryError::compile(
                Code::InvalidPropertyMap,
                "expected a map of properties",
                p.span,
            ));
        }
    }
    Ok(CreatePattern { nodes, rels, path_slot })
}
