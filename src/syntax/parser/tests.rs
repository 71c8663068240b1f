//! Parser tests: exact trees for the core, round trips through the printer
//! for the rest, error messages with their spans, the nesting limit and a
//! no-panic fuzz.

use super::parse_script;
use crate::diag::Span;
use crate::syntax::SyntaxError;
use crate::syntax::ast::*;
use crate::syntax::print::normalize;

pub(super) fn parse(q: &str) -> Script {
    match parse_script(q) {
        Ok(s) => s,
        Err(e) => panic!("{q}\n{}: {} (help: {:?})", e.span.start, e.message, e.help),
    }
}

pub(super) fn err(q: &str) -> SyntaxError {
    match parse_script(q) {
        Ok(s) => panic!("{q} should not parse, got {s:?}"),
        Err(e) => e,
    }
}

fn query(q: &str) -> Query {
    match parse(q).statements.into_iter().next().map(|s| s.kind) {
        Some(StatementKind::Query(query)) => query,
        other => panic!("not a query: {other:?}"),
    }
}

fn clauses(q: &str) -> Vec<Clause> {
    query(q).parts.into_iter().flat_map(|p| p.clauses).collect()
}

/// The expression of `RETURN <e>`, spans zeroed.
fn expr(e: &str) -> Expr {
    match clauses(&format!("RETURN {e}")).pop() {
        Some(Clause::Return(mut p)) => {
            let mut e = p.items.remove(0).expr;
            normalize::expr(&mut e);
            e
        }
        other => panic!("{other:?}"),
    }
}

fn e(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}
fn var(n: &str) -> Expr {
    e(ExprKind::Var(n.into()))
}
fn int(i: i64) -> Expr {
    e(ExprKind::Literal(Literal::Int(i)))
}
fn bin(op: BinaryOp, l: Expr, r: Expr) -> Expr {
    e(ExprKind::Binary(op, Box::new(l), Box::new(r)))
}
fn id(n: &str) -> Ident {
    Ident {
        name: n.into(),
        span: Span::default(),
    }
}
pub(super) fn sp(start: usize, end: usize) -> Span {
    Span::new(start, end)
}

/// Parse, print, parse again: the trees agree once spans are zeroed.
fn round_trip(q: &str) {
    let first = parse(q);
    let printed = first.to_string();
    let second = match parse_script(&printed) {
        Ok(s) => s,
        Err(e) => panic!("printed form does not parse: {}\n{q}\n--> {printed}", e.message),
    };
    assert_eq!(
        normalize::script(first),
        normalize::script(second),
        "\n{q}\n--> {printed}"
    );
}

// ------------------------------------------------------------ exact trees

#[test]
fn match_return_exact_tree() {
    let q = "MATCH (n:Person {name: 'Ann'})-[r:KNOWS]->(m) RETURN m.name AS name";
    let expected = Script {
        statements: vec![Statement {
            span: sp(0, 67),
            kind: StatementKind::Query(Query {
                unions: vec![],
                parts: vec![SingleQuery {
                    span: sp(0, 67),
                    clauses: vec![
                        Clause::Match(Match {
                            optional: false,
                            patterns: vec![PatternPart {
                                path_var: None,
                                start: NodePattern {
                                    var: Some(Ident {
                                        name: "n".into(),
                                        span: sp(7, 8),
                                    }),
                                    labels: vec![Ident {
                                        name: "Person".into(),
                                        span: sp(9, 15),
                                    }],
                                    props: Some(Expr {
                                        kind: ExprKind::Map(vec![(
                                            Ident {
                                                name: "name".into(),
                                                span: sp(17, 21),
                                            },
                                            Expr {
                                                kind: ExprKind::Literal(Literal::String("Ann".into())),
                                                span: sp(23, 28),
                                            },
                                        )]),
                                        span: sp(16, 29),
                                    }),
                                    span: sp(6, 30),
                                },
                                chain: vec![(
                                    RelPattern {
                                        var: Some(Ident {
                                            name: "r".into(),
                                            span: sp(32, 33),
                                        }),
                                        types: vec![Ident {
                                            name: "KNOWS".into(),
                                            span: sp(34, 39),
                                        }],
                                        direction: RelDirection::Right,
                                        length: None,
                                        props: None,
                                        span: sp(30, 42),
                                    },
                                    NodePattern {
                                        var: Some(Ident {
                                            name: "m".into(),
                                            span: sp(43, 44),
                                        }),
                                        labels: vec![],
                                        props: None,
                                        span: sp(42, 45),
                                    },
                                )],
                                span: sp(6, 45),
                            }],
                            where_: None,
                            span: sp(0, 45),
                        }),
                        Clause::Return(Projection {
                            distinct: false,
                            star: false,
                            items: vec![ProjectionItem {
                                expr: Expr {
                                    kind: ExprKind::Property(
                                        Box::new(Expr {
                                            kind: ExprKind::Var("m".into()),
                                            span: sp(53, 54),
                                        }),
                                        Ident {
                                            name: "name".into(),
                                            span: sp(55, 59),
                                        },
                                    ),
                                    span: sp(53, 59),
                                },
                                alias: Some(Ident {
                                    name: "name".into(),
                                    span: sp(63, 67),
                                }),
                                text: "m.name".into(),
                            }],
                            order_by: vec![],
                            skip: None,
                            limit: None,
                            where_: None,
                            span: sp(46, 67),
                        }),
                    ],
                }],
            }),
        }],
    };
    assert_eq!(parse(q), expected);
}

#[test]
fn statements_are_split_on_semicolons_with_whole_text_spans() {
    let s = parse(";; RETURN 1 ; // note\n DESCRIBE CTO;;\n/* end */ ");
    assert_eq!(s.statements.len(), 2);
    assert_eq!(s.statements[0].span, sp(3, 11));
    assert_eq!(s.statements[1].span, sp(23, 35));
    assert!(parse("").statements.is_empty());
    assert!(parse("  ; ; // only a comment").statements.is_empty());
}

#[test]
fn spans_leave_out_trailing_whitespace_and_comments() {
    let q = "MATCH (n) WHERE n.x = 1 /* c */ RETURN n.x  // done\n";
    let c = clauses(q);
    let Clause::Match(m) = &c[0] else { panic!() };
    assert_eq!(m.span, sp(0, 23));
    let Clause::Return(r) = &c[1] else { panic!() };
    assert_eq!(r.span, sp(32, 42));
    assert_eq!(r.items[0].text, "n.x");
}

#[test]
fn projection_text_is_the_source_slice() {
    let Some(Clause::Return(p)) = clauses("RETURN  n.name + 'x'  ,count( * ), $p AS q").pop() else {
        panic!()
    };
    let texts: Vec<&str> = p.items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(texts, ["n.name + 'x'", "count( * )", "$p"]);
    assert_eq!(p.items[2].column_name(), "q");
}

#[test]
fn precedence_follows_opencypher() {
    use BinaryOp::*;
    assert_eq!(expr("1 + 2 * 3"), bin(Add, int(1), bin(Mul, int(2), int(3))));
    assert_eq!(expr("2 ^ 3 ^ 2"), bin(Pow, bin(Pow, int(2), int(3)), int(2)));
    assert_eq!(expr("-3 ^ 2"), bin(Pow, int(-3), int(2)));
    assert_eq!(
        expr("-x ^ 2"),
        bin(Pow, e(ExprKind::Unary(UnaryOp::Neg, Box::new(var("x")))), int(2))
    );
    assert_eq!(
        expr("a OR b XOR c AND d"),
        bin(Or, var("a"), bin(Xor, var("b"), bin(And, var("c"), var("d"))))
    );
    assert_eq!(
        expr("NOT a = b"),
        e(ExprKind::Unary(UnaryOp::Not, Box::new(bin(Eq, var("a"), var("b")))))
    );
    assert_eq!(expr("a = b IN c"), bin(Eq, var("a"), bin(In, var("b"), var("c"))));
    assert_eq!(expr("a + 1 IN c"), bin(In, bin(Add, var("a"), int(1)), var("c")));
    assert_eq!(
        expr("a < b < c"),
        bin(And, bin(Lt, var("a"), var("b")), bin(Lt, var("b"), var("c")))
    );
    assert_eq!(
        expr("x IS NOT NULL = true"),
        bin(
            Eq,
            e(ExprKind::IsNull {
                expr: Box::new(var("x")),
                negated: true
            }),
            e(ExprKind::Literal(Literal::Bool(true)))
        )
    );
    assert_eq!(expr("10 - 4 - 3"), bin(Sub, bin(Sub, int(10), int(4)), int(3)));
    assert_eq!(expr("a STARTS WITH 'x' AND b ENDS WITH 'y'").kind, {
        let s = |t: &str| e(ExprKind::Literal(Literal::String(t.into())));
        bin(And, bin(StartsWith, var("a"), s("x")), bin(EndsWith, var("b"), s("y"))).kind
    });
}

#[test]
fn chained_comparison_parts_carry_their_own_spans() {
    let Some(Clause::Return(p)) = clauses("RETURN 1 < 2 <= 3").pop() else {
        panic!()
    };
    let ExprKind::Binary(BinaryOp::And, l, r) = &p.items[0].expr.kind else {
        panic!()
    };
    assert_eq!(
        (l.span, r.span, p.items[0].expr.span),
        (sp(7, 12), sp(11, 17), sp(7, 17))
    );
}

#[test]
fn literals() {
    let lit = |q: &str| match expr(q).kind {
        ExprKind::Literal(l) => l,
        other => panic!("{q}: {other:?}"),
    };
    assert_eq!(lit("-9223372036854775808"), Literal::Int(i64::MIN));
    assert_eq!(lit("9223372036854775807"), Literal::Int(i64::MAX));
    assert_eq!(lit("0x1F"), Literal::Int(31));
    assert_eq!(lit("-0x10"), Literal::Int(-16));
    assert_eq!(lit("0o17"), Literal::Int(15));
    assert_eq!(lit("1.5"), Literal::Float(1.5));
    assert_eq!(lit(".5"), Literal::Float(0.5));
    assert_eq!(lit("1e3"), Literal::Float(1000.0));
    assert_eq!(lit("1.5E-3"), Literal::Float(0.0015));
    assert_eq!(lit("-2.5"), Literal::Float(-2.5));
    assert_eq!(lit("NULL"), Literal::Null);
    assert_eq!(lit("True"), Literal::Bool(true));
    assert_eq!(lit("false"), Literal::Bool(false));
    assert_eq!(
        lit(r#"'it\'s \\ \"q\" \n\t\r\b\f'"#),
        Literal::String("it's \\ \"q\" \n\t\r\u{8}\u{c}".into())
    );
    assert_eq!(lit(r#""\u00e9\U0001F600 'x'""#), Literal::String("é😀 'x'".into()));
    assert_eq!(lit("'//not a comment'"), Literal::String("//not a comment".into()));
}

#[test]
fn atoms_and_postfix() {
    assert_eq!(expr("$name").kind, ExprKind::Param("name".into()));
    assert_eq!(expr("$0").kind, ExprKind::Param("0".into()));
    assert_eq!(expr("count(*)").kind, ExprKind::CountStar);
    assert_eq!(expr("`weird ``name`").kind, ExprKind::Var("weird `name".into()));
    assert_eq!(
        expr("n.count").kind,
        ExprKind::Property(Box::new(var("n")), id("count"))
    );
    assert_eq!(
        expr("n:Match:B").kind,
        ExprKind::HasLabels(Box::new(var("n")), vec![id("Match"), id("B")])
    );
    assert_eq!(expr("l[1]").kind, ExprKind::Index(Box::new(var("l")), Box::new(int(1))));
    assert_eq!(
        expr("l[1..]").kind,
        ExprKind::Slice(Box::new(var("l")), Some(Box::new(int(1))), None)
    );
    assert_eq!(
        expr("l[..-1]").kind,
        ExprKind::Slice(Box::new(var("l")), None, Some(Box::new(int(-1))))
    );
    assert_eq!(expr("{}").kind, ExprKind::Map(vec![]));
    assert_eq!(
        expr("{`odd key`: 1}").kind,
        ExprKind::Map(vec![(id("odd key"), int(1))])
    );
    assert_eq!(
        expr("apoc.text.join(DISTINCT a)").kind,
        ExprKind::Function {
            name: id("apoc.text.join"),
            distinct: true,
            args: vec![var("a")]
        }
    );
    assert_eq!(
        expr("toUpper ( 'a' )").kind,
        ExprKind::Function {
            name: id("toUpper"),
            distinct: false,
            args: vec![e(ExprKind::Literal(Literal::String("a".into())))]
        }
    );
    assert_eq!(expr("(a)").kind, ExprKind::Var("a".into()));
    assert_eq!(expr("nullable").kind, ExprKind::Var("nullable".into()));
}

#[test]
fn case_and_comprehensions() {
    assert_eq!(
        expr("CASE x WHEN 1 THEN 'a' ELSE 'b' END").kind,
        ExprKind::Case {
            operand: Some(Box::new(var("x"))),
            whens: vec![(int(1), e(ExprKind::Literal(Literal::String("a".into()))))],
            else_: Some(Box::new(e(ExprKind::Literal(Literal::String("b".into()))))),
        }
    );
    assert!(matches!(
        expr("CASE WHEN a THEN 1 END").kind,
        ExprKind::Case {
            operand: None,
            else_: None,
            ..
        }
    ));
    assert_eq!(
        expr("[x IN l WHERE x > 1 | x * 2]").kind,
        ExprKind::ListComprehension {
            var: id("x"),
            list: Box::new(var("l")),
            filter: Some(Box::new(bin(BinaryOp::Gt, var("x"), int(1)))),
            map: Some(Box::new(bin(BinaryOp::Mul, var("x"), int(2)))),
        }
    );
    assert!(matches!(
        expr("[x IN l]").kind,
        ExprKind::ListComprehension {
            filter: None,
            map: None,
            ..
        }
    ));
    assert!(matches!(
        expr("[x IN l | x]").kind,
        ExprKind::ListComprehension {
            filter: None,
            map: Some(_),
            ..
        }
    ));
    assert_eq!(
        expr("none(x IN l WHERE x)").kind,
        ExprKind::Quantified {
            quantifier: Quantifier::None,
            var: id("x"),
            list: Box::new(var("l")),
            filter: Box::new(var("x"))
        }
    );
    assert!(matches!(
        expr("single(x IN l WHERE x)").kind,
        ExprKind::Quantified {
            quantifier: Quantifier::Single,
            ..
        }
    ));
    let ExprKind::PatternComprehension { pattern, filter, map } = expr("[p = (a)-[:T]->(b:B) WHERE b.x | b.y]").kind
    else {
        panic!()
    };
    assert_eq!(pattern.path_var, Some(id("p")));
    assert_eq!(pattern.chain.len(), 1);
    assert!(filter.is_some());
    assert_eq!(map.kind, ExprKind::Property(Box::new(var("b")), id("y")));
    // A list holding a pattern predicate is not a comprehension.
    assert!(matches!(expr("[(a)-->(b)]").kind, ExprKind::List(items) if items.len() == 1));
}

#[test]
fn pattern_predicates_need_a_relationship() {
    let Some(Clause::Match(m)) = clauses("MATCH (a), (b) WHERE NOT (a)-[:T]->(b) AND (a) = (b) RETURN a")
        .into_iter()
        .next()
    else {
        panic!()
    };
    let mut w = m.where_.unwrap_or_else(|| panic!("no WHERE"));
    normalize::expr(&mut w);
    let ExprKind::Binary(BinaryOp::And, l, r) = w.kind else {
        panic!()
    };
    let ExprKind::Unary(UnaryOp::Not, p) = l.kind else {
        panic!()
    };
    assert!(matches!(p.kind, ExprKind::PatternPredicate(ref part) if part.chain.len() == 1));
    assert_eq!(*r, bin(BinaryOp::Eq, var("a"), var("b")));
}

#[test]
fn relationship_forms_and_lengths() {
    let rels = |q: &str| -> Vec<(RelDirection, Option<VarLength>, Vec<String>)> {
        let Some(Clause::Match(m)) = clauses(&format!("MATCH {q} RETURN 1")).into_iter().next() else {
            panic!()
        };
        m.patterns[0]
            .chain
            .iter()
            .map(|(r, _)| (r.direction, r.length, r.types.iter().map(|t| t.name.clone()).collect()))
            .collect()
    };
    use RelDirection::*;
    let vl = |min, max| Some(VarLength { min, max });
    assert_eq!(
        rels("(a)-->(b)<--(c)--(d)<-->(e)"),
        [
            (Right, None, vec![]),
            (Left, None, vec![]),
            (Either, None, vec![]),
            (Either, None, vec![])
        ]
    );
    assert_eq!(
        rels("(a)<-[:A|B|:C]-(b)")[0],
        (Left, None, vec!["A".into(), "B".into(), "C".into()])
    );
    assert_eq!(rels("(a)-[*]->(b)")[0].1, vl(None, None));
    assert_eq!(rels("(a)-[*2]->(b)")[0].1, vl(Some(2), Some(2)));
    assert_eq!(rels("(a)-[:T*1..3]->(b)")[0].1, vl(Some(1), Some(3)));
    assert_eq!(rels("(a)-[* ..5]->(b)")[0].1, vl(None, Some(5)));
    assert_eq!(rels("(a)-[*2..]-(b)")[0], (Either, vl(Some(2), None), vec![]));
    let Some(Clause::Match(m)) = clauses("MATCH p = (:A)-[r $props]->() RETURN p").into_iter().next() else {
        panic!()
    };
    let part = &m.patterns[0];
    assert_eq!(part.path_var.as_ref().map(|v| v.name.as_str()), Some("p"));
    assert_eq!(part.span, sp(6, 29));
    assert_eq!(
        part.chain[0].0.props.as_ref().map(|p| &p.kind),
        Some(&ExprKind::Param("props".into()))
    );
}

#[test]
fn clauses_and_projections() {
    let c = clauses(
        "OPTIONAL MATCH (a) UNWIND [1, 2] AS x WITH DISTINCT a, x ORDER BY x DESC, a ASCENDING SKIP 1 LIMIT 2 WHERE x > 0 \
         RETURN *, a AS b CREATE (a)-[:T]->(:N)",
    );
    assert!(matches!(&c[0], Clause::Match(m) if m.optional && m.where_.is_none()));
    assert!(matches!(&c[1], Clause::Unwind(u) if u.alias.name == "x"));
    let Clause::With(w) = &c[2] else { panic!() };
    assert!(w.distinct && !w.star && w.items.len() == 2 && w.where_.is_some());
    assert_eq!(
        w.order_by.iter().map(|s| s.descending).collect::<Vec<_>>(),
        [true, false]
    );
    assert_eq!(
        (w.skip.as_ref().map(|e| &e.kind), w.limit.as_ref().map(|e| &e.kind)),
        (Some(&int(1).kind), Some(&int(2).kind))
    );
    let Clause::Return(r) = &c[3] else { panic!() };
    assert!(r.star && r.items.len() == 1 && r.items[0].column_name() == "b");
    assert!(matches!(&c[4], Clause::Create(cr) if cr.patterns[0].chain.len() == 1));
    // Any clause order is accepted; the planner judges it.
    assert_eq!(clauses("RETURN 1 MATCH (n)").len(), 2);
}

#[test]
fn union_and_union_all() {
    let q = query("RETURN 1 AS a UNION RETURN 2 AS a UNION ALL RETURN 3 AS a");
    assert_eq!(q.parts.len(), 3);
    assert_eq!(q.unions, [false, true]);
    assert_eq!(q.parts[1].span, sp(20, 33));
}

#[test]
fn keywords_are_case_insensitive_and_only_reserved_where_ambiguous() {
    let c = clauses("match (n:Match {order: 1}) where n.count > 0 return n.where, n:Return");
    assert_eq!(c.len(), 2);
    assert!(parse_script("MATCH (match) RETURN 1").is_err());
    assert_eq!(expr("`match`").kind, ExprKind::Var("match".into()));
    assert_eq!(expr("ändern_1").kind, ExprKind::Var("ändern_1".into()));
}

#[test]
fn domain_statements() {
    let kinds: Vec<StatementKind> = parse(
        "DESCRIBE 'Chief Technology Officer'; DESCRIBE chief-technology-officer; describe CTO;\
         OVERLAP cto, \"V.P. R&D\", ceo ON LEADS|:OWNS; DIFF a, b; PATH cto TO ceo VIA REPORTS_TO ALL; PATH a TO b",
    )
    .statements
    .into_iter()
    .map(|s| s.kind)
    .collect();
    let r = |t: &str, a: usize| NodeRefText {
        text: t.into(),
        span: sp(a, a + t.len()),
    };
    let StatementKind::Describe(d) = &kinds[0] else {
        panic!()
    };
    assert_eq!((d.text.as_str(), d.span), ("Chief Technology Officer", sp(9, 35)));
    assert_eq!(kinds[1], StatementKind::Describe(r("chief-technology-officer", 46)));
    assert!(matches!(&kinds[2], StatementKind::Describe(d) if d.text == "CTO"));
    let StatementKind::Overlap { refs, types, .. } = &kinds[3] else {
        panic!()
    };
    assert_eq!(
        refs.iter().map(|r| r.text.as_str()).collect::<Vec<_>>(),
        ["cto", "V.P. R&D", "ceo"]
    );
    assert_eq!(
        types.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["LEADS", "OWNS"]
    );
    assert!(matches!(&kinds[4], StatementKind::Diff { a, b, .. } if a.text == "a" && b.text == "b"));
    assert!(matches!(&kinds[5], StatementKind::Path { from, to, via, all: true }
        if from.text == "cto" && to.text == "ceo" && via.len() == 1));
    assert!(matches!(&kinds[6], StatementKind::Path { via, all: false, .. } if via.is_empty()));
}

#[test]
fn matrix_statement() {
    let kinds: Vec<StatementKind> =
        parse("MATRIX CTO, 'Chief Product Officer' ON RESPONSIBLE_FOR|:REQUIRES; matrix a,b")
            .statements
            .into_iter()
            .map(|s| s.kind)
            .collect();
    let StatementKind::Matrix { refs, types } = &kinds[0] else {
        panic!("{:?}", kinds[0])
    };
    assert_eq!(
        refs.iter().map(|r| (r.text.as_str(), r.span)).collect::<Vec<_>>(),
        [("CTO", sp(7, 10)), ("Chief Product Officer", sp(12, 35))]
    );
    assert_eq!(
        types.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["RESPONSIBLE_FOR", "REQUIRES"]
    );
    assert!(matches!(&kinds[1], StatementKind::Matrix { refs, types } if refs.len() == 2 && types.is_empty()));
    // One reference is not a matrix; MATRIX stays usable as a name.
    assert!(parse_script("MATRIX CTO").is_err());
    assert!(parse_script("MATCH (matrix) RETURN matrix").is_ok());
}

#[test]
fn explain_and_profile_wrap_statements() {
    let s = parse("EXPLAIN PROFILE MATCH (n) RETURN n");
    let StatementKind::Explain(inner) = &s.statements[0].kind else {
        panic!()
    };
    assert_eq!(inner.span, sp(8, 34));
    assert!(matches!(&inner.kind, StatementKind::Profile(q) if matches!(q.kind, StatementKind::Query(_))));
}

// ------------------------------------------------------------ round trips and fuzz

/// Queries the tests above parse, plus a few more shapes.
const ROUND_TRIP: &[&str] = &[
    "MATCH (n:Person {name: 'Ann'})-[r:KNOWS]->(m) RETURN m.name AS name",
    "OPTIONAL MATCH (a) UNWIND [1, 2] AS x WITH DISTINCT a, x ORDER BY x DESC, a ASCENDING SKIP 1 LIMIT 2 WHERE x > 0 \
     RETURN *, a AS b CREATE (a)-[:T]->(:N)",
    "MATCH p = (:A)-[r $props]->() RETURN p",
    "MATCH (a)-->(b)<--(c)--(d)<-->(e) RETURN *",
    "MATCH (a)<-[:A|B|:C]-(b), (a)-[*]->(b), (a)-[*2]->(b), (a)-[:T*1..3]->(b), (a)-[* ..5]->(b), (a)-[*2..]-(b) RETURN a",
    "RETURN 1 AS a UNION RETURN 2 AS a UNION ALL RETURN 3 AS a",
    "match (n:Match {order: 1}) where n.count > 0 return n.where, n:Return",
    "RETURN 1 + 2 * 3, 2 ^ 3 ^ 2, -3 ^ 2, -x ^ 2, a OR b XOR c AND d, NOT a = b, a = b IN c, a < b < c, 10 - 4 - 3",
    "RETURN (1 + 2) * 3, 2 ^ (3 ^ 2), -(3 ^ 2), (a OR b) AND c, (NOT a) = b, (a = b) = c, (a < b) < c, 10 - (4 - 3)",
    "RETURN x IS NOT NULL = true, (x = 1) IS NULL, a STARTS WITH 'x' AND b ENDS WITH 'y', s CONTAINS 'z', s =~ 'r.*'",
    "RETURN -9223372036854775808, 9223372036854775807, 0x1F, -0x10, 0o17, 1.5, .5, 1e3, 1.5E-3, -2.5, -(3), -(-3), - -x",
    "RETURN NULL, True, false, 'it\\'s \\\\ \\n', \"\\u00e9\\U0001F600\", '//x', -0.0, 1e300, +x, -(1.5)",
    "RETURN $name, $0, count(*), `weird ``name`, n.count, n:Match:B, (n:A):B, l[1], l[1..], l[..-1], l[1..2][0], {}",
    "RETURN {`odd key`: 1, b: [1, {c: 2}]}, apoc.text.join(DISTINCT a), toUpper ( 'a' ), (a), nullable, `end`, `a b`.c",
    "RETURN CASE x WHEN 1 THEN 'a' ELSE 'b' END, CASE WHEN a THEN 1 END, CASE WHEN a OR b THEN c END.d",
    "RETURN [x IN l WHERE x > 1 | x * 2], [x IN l], [x IN l | x], none(x IN l WHERE x), single(x IN l WHERE x)",
    "RETURN [p = (a)-[:T]->(b:B) WHERE b.x | b.y], [(a)-->(b)], [(a)<-[:T*2 {w: 1}]-() | 1], all(x IN [] WHERE true)",
    "MATCH (a), (b) WHERE NOT (a)-[:T]->(b) AND (a) = (b) AND (a)--(:X {k: $v}) RETURN a",
    "DESCRIBE 'Chief Technology Officer'; DESCRIBE chief-technology-officer; describe CTO",
    "OVERLAP cto, \"V.P. R&D\", ceo ON LEADS|:OWNS; DIFF a, b; PATH cto TO ceo VIA REPORTS_TO ALL; PATH a TO b; DESCRIBE ''",
    "MATRIX cto, \"V.P. R&D\", ceo ON LEADS|:OWNS; MATRIX a, b; TRANSLATE MATRIX a, 'b c' ON T",
    "EXPLAIN PROFILE MATCH (n) RETURN n; PROFILE RETURN 1",
    "CREATE (a:A:B {k: [1, 2], `x y`: 'z'})<-[:R {since: 2020}]-(b), (c)",
    "UNWIND $rows AS row WITH row WHERE row.x IN [1, 2] RETURN row.x % 2 AS odd, count(DISTINCT row) ORDER BY odd",
    "RETURN 1 - -1, 1 + +1, x - (-1), 2 * (3 % 4) / 5, (a XOR b) OR c, a XOR (b OR c), NOT NOT a",
    "WITH [1, 2, 3] AS l RETURN l[0..size(l) - 1] AS init, reverse(l)[0], l[-1], (l + [4])[3]",
];

#[test]
fn printing_round_trips() {
    for q in ROUND_TRIP {
        round_trip(q);
    }
    for q in include_str!("tck_queries.txt").split("\n====\n").skip(1) {
        round_trip(q);
    }
}

/// A script parsed a statement at a time (cut by `syntax::split`, each
/// piece parsed alone and its spans moved) is the script parsed whole:
/// the same trees with the same spans, for every query of the round-trip
/// and TCK lists, separated by semicolons, comments and blank lines.
#[test]
fn a_script_parsed_statement_by_statement_is_the_script_parsed_whole() {
    let mut text = String::from("// a script\n;\n");
    let tck = include_str!("tck_queries.txt").split("\n====\n").skip(1);
    for (i, q) in ROUND_TRIP.iter().copied().chain(tck).enumerate() {
        text.push_str(q);
        text.push_str(match i % 4 {
            0 => "\n;\n",
            1 => " ; /* ; */ ;\n\n",
            2 => "\n// next; one\n;",
            _ => "\n;  \u{a0}\n",
        });
    }
    let whole = parse(&text);
    let mut pieces = Vec::new();
    for r in crate::syntax::split::statements(&text, 0..text.len()).with_semicolons() {
        match crate::syntax::parse_statement_at(&text, r.clone()) {
            Ok(s) => pieces.extend(s.statements),
            Err(e) => panic!("{}: {}", &text[r], e.message),
        }
    }
    assert_eq!(pieces.len(), whole.statements.len());
    for (a, b) in pieces.iter().zip(&whole.statements) {
        assert_eq!(a, b, "{}", &text[b.span.start..b.span.end]);
    }
    // An error in a later statement points into the whole text.
    let text = "RETURN 1;\nRETURN 2;\n  RETURN 3 +;";
    let last = crate::syntax::split::statements(text, 0..text.len())
        .with_semicolons()
        .last()
        .unwrap();
    let e = crate::syntax::parse_statement_at(text, last).unwrap_err();
    assert_eq!(e, parse_script(text).unwrap_err());
    assert_eq!(crate::diag::line_col(text, e.span.start).0, 3);
}

#[test]
fn printing_is_canonical() {
    let printed =
        parse("match (n:A) where n.x<>1 and not n.y return distinct n.z as z order by z desc limit 3").to_string();
    assert_eq!(
        printed,
        "MATCH (n:A) WHERE n.x <> 1 AND NOT n.y RETURN DISTINCT n.z AS z ORDER BY z DESC LIMIT 3"
    );
}

/// xorshift64: deterministic randomness without a crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A random edit of `q`: truncate, delete, duplicate or insert a fragment.
fn mutate(rng: &mut Rng, q: &str) -> String {
    const BITS: &[&str] = &[
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "'",
        "\"",
        "`",
        "\\",
        "-",
        "->",
        "<-",
        ":",
        ",",
        ".",
        "..",
        "*",
        "$",
        "|",
        ";",
        "/*",
        "//",
        "\n",
        " NOT ",
        " WHERE ",
        " RETURN ",
        " AS ",
        "0x",
        "1e",
        "é",
        "\u{0}",
        "CASE ",
        " END",
        "9999999999999999999999",
    ];
    let chars: Vec<char> = q.chars().collect();
    let at = rng.below(chars.len() + 1);
    let mut out: Vec<char> = chars.clone();
    match rng.below(4) {
        0 => out.truncate(at),
        1 => {
            let end = (at + rng.below(8)).min(chars.len());
            out.drain(at..end);
        }
        2 => {
            let end = (at + rng.below(12)).min(chars.len());
            let piece: Vec<char> = chars[at..end].to_vec();
            out.splice(at..at, piece);
        }
        _ => {
            let bit = BITS[rng.below(BITS.len())];
            out.splice(at..at, bit.chars());
        }
    }
    out.into_iter().collect()
}

#[test]
fn random_edits_never_panic() {
    let corpus: Vec<&str> = ROUND_TRIP
        .iter()
        .copied()
        .chain(super::tests_errors::ERRORS.iter().map(|e| e.0))
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    super::tests_errors::on_small_stack(move || {
        for i in 0..2_000 {
            let mut q = corpus[i % corpus.len()].to_string();
            for _ in 0..=rng.below(3) {
                q = mutate(&mut rng, &q);
            }
            if let Ok(script) = parse_script(&q) {
                // What parses must print back to something that parses.
                let printed = script.to_string();
                assert!(parse_script(&printed).is_ok(), "{q}\n--> {printed}");
            }
        }
    });
}
