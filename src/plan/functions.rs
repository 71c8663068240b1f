//! The function table: every scalar function and aggregate the language
//! knows, with its arity, so the planner can reject unknown names and wrong
//! argument counts before anything runs.

use crate::value::temporal::arith::Between;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Func {
    Labels,
    Type,
    Properties,
    Keys,
    Size,
    Length,
    Nodes,
    Relationships,
    Id,
    StartNode,
    EndNode,
    ToUpper,
    ToLower,
    Trim,
    LTrim,
    RTrim,
    Substring,
    Left,
    Right,
    Replace,
    Split,
    Reverse,
    Coalesce,
    ToString,
    ToInteger,
    ToFloat,
    ToBoolean,
    Head,
    Last,
    Tail,
    Range,
    Abs,
    Ceil,
    Floor,
    Round,
    Sign,
    Sqrt,
    Exp,
    Log,
    Log10,
    Exists,
    Rand,
    /// The temporal functions (`date(...)`, `duration.between(...)`, ...).
    Temporal(TemporalFn),
}

/// The kinds of temporal instant a function makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemporalKind {
    Date,
    LocalTime,
    Time,
    LocalDateTime,
    DateTime,
}

/// A temporal function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemporalFn {
    /// `date()`, `date(text)`, `date(map)`, `date(other temporal)`.
    Make(TemporalKind),
    /// `date.transaction()`, `.statement()`, `.realtime()`, with an
    /// optional time zone: the current instant.
    Now(TemporalKind),
    /// `date.truncate(unit, value [, map])`.
    Truncate(TemporalKind),
    /// `datetime.fromepoch(seconds, nanoseconds)`.
    FromEpoch,
    /// `datetime.fromepochmillis(milliseconds)`.
    FromEpochMillis,
    /// `duration(text)`, `duration(map)`.
    Duration,
    /// `duration.between(a, b)` and `inMonths`, `inDays`, `inSeconds`.
    Between(crate::value::temporal::arith::Between),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggFunc {
    Count,
    Collect,
    Min,
    Max,
    Sum,
    Avg,
    /// `percentileDisc(value, p)`: the value at percentile p (0.0 to 1.0).
    PercentileDisc,
    /// `percentileCont(value, p)`: interpolated between the nearest values.
    PercentileCont,
}

/// Name (lower-case), function, minimum and maximum argument count.
const SCALARS: &[(&str, Func, usize, usize)] = &[
    ("labels", Func::Labels, 1, 1),
    ("type", Func::Type, 1, 1),
    ("properties", Func::Properties, 1, 1),
    ("keys", Func::Keys, 1, 1),
    ("size", Func::Size, 1, 1),
    ("length", Func::Length, 1, 1),
    ("nodes", Func::Nodes, 1, 1),
    ("relationships", Func::Relationships, 1, 1),
    ("id", Func::Id, 1, 1),
    ("startnode", Func::StartNode, 1, 1),
    ("endnode", Func::EndNode, 1, 1),
    ("toupper", Func::ToUpper, 1, 1),
    ("tolower", Func::ToLower, 1, 1),
    ("trim", Func::Trim, 1, 1),
    ("ltrim", Func::LTrim, 1, 1),
    ("rtrim", Func::RTrim, 1, 1),
    ("substring", Func::Substring, 2, 3),
    ("left", Func::Left, 2, 2),
    ("right", Func::Right, 2, 2),
    ("replace", Func::Replace, 3, 3),
    ("split", Func::Split, 2, 2),
    ("reverse", Func::Reverse, 1, 1),
    ("coalesce", Func::Coalesce, 1, usize::MAX),
    ("tostring", Func::ToString, 1, 1),
    ("tointeger", Func::ToInteger, 1, 1),
    ("tofloat", Func::ToFloat, 1, 1),
    ("toboolean", Func::ToBoolean, 1, 1),
    ("head", Func::Head, 1, 1),
    ("last", Func::Last, 1, 1),
    ("tail", Func::Tail, 1, 1),
    ("range", Func::Range, 2, 3),
    ("abs", Func::Abs, 1, 1),
    ("ceil", Func::Ceil, 1, 1),
    ("floor", Func::Floor, 1, 1),
    ("round", Func::Round, 1, 1),
    ("sign", Func::Sign, 1, 1),
    ("sqrt", Func::Sqrt, 1, 1),
    ("exp", Func::Exp, 1, 1),
    ("log", Func::Log, 1, 1),
    ("log10", Func::Log10, 1, 1),
    ("exists", Func::Exists, 1, 1),
    ("rand", Func::Rand, 0, 0),
    ("date", Func::Temporal(TemporalFn::Make(TemporalKind::Date)), 0, 1),
    (
        "date.transaction",
        Func::Temporal(TemporalFn::Now(TemporalKind::Date)),
        0,
        1,
    ),
    (
        "date.statement",
        Func::Temporal(TemporalFn::Now(TemporalKind::Date)),
        0,
        1,
    ),
    (
        "date.realtime",
        Func::Temporal(TemporalFn::Now(TemporalKind::Date)),
        0,
        1,
    ),
    (
        "date.truncate",
        Func::Temporal(TemporalFn::Truncate(TemporalKind::Date)),
        2,
        3,
    ),
    (
        "localtime",
        Func::Temporal(TemporalFn::Make(TemporalKind::LocalTime)),
        0,
        1,
    ),
    (
        "localtime.transaction",
        Func::Temporal(TemporalFn::Now(TemporalKind::LocalTime)),
        0,
        1,
    ),
    (
        "localtime.statement",
        Func::Temporal(TemporalFn::Now(TemporalKind::LocalTime)),
        0,
        1,
    ),
    (
        "localtime.realtime",
        Func::Temporal(TemporalFn::Now(TemporalKind::LocalTime)),
        0,
        1,
    ),
    (
        "localtime.truncate",
        Func::Temporal(TemporalFn::Truncate(TemporalKind::LocalTime)),
        2,
        3,
    ),
    ("time", Func::Temporal(TemporalFn::Make(TemporalKind::Time)), 0, 1),
    (
        "time.transaction",
        Func::Temporal(TemporalFn::Now(TemporalKind::Time)),
        0,
        1,
    ),
    (
        "time.statement",
        Func::Temporal(TemporalFn::Now(TemporalKind::Time)),
        0,
        1,
    ),
    (
        "time.realtime",
        Func::Temporal(TemporalFn::Now(TemporalKind::Time)),
        0,
        1,
    ),
    (
        "time.truncate",
        Func::Temporal(TemporalFn::Truncate(TemporalKind::Time)),
        2,
        3,
    ),
    (
        "localdatetime",
        Func::Temporal(TemporalFn::Make(TemporalKind::LocalDateTime)),
        0,
        1,
    ),
    (
        "localdatetime.transaction",
        Func::Temporal(TemporalFn::Now(TemporalKind::LocalDateTime)),
        0,
        1,
    ),
    (
        "localdatetime.statement",
        Func::Temporal(TemporalFn::Now(TemporalKind::LocalDateTime)),
        0,
        1,
    ),
    (
        "localdatetime.realtime",
        Func::Temporal(TemporalFn::Now(TemporalKind::LocalDateTime)),
        0,
        1,
    ),
    (
        "localdatetime.truncate",
        Func::Temporal(TemporalFn::Truncate(TemporalKind::LocalDateTime)),
        2,
        3,
    ),
    (
        "datetime",
        Func::Temporal(TemporalFn::Make(TemporalKind::DateTime)),
        0,
        1,
    ),
    (
        "datetime.transaction",
        Func::Temporal(TemporalFn::Now(TemporalKind::DateTime)),
        0,
        1,
    ),
    (
        "datetime.statement",
        Func::Temporal(TemporalFn::Now(TemporalKind::DateTime)),
        0,
        1,
    ),
    (
        "datetime.realtime",
        Func::Temporal(TemporalFn::Now(TemporalKind::DateTime)),
        0,
        1,
    ),
    (
        "datetime.truncate",
        Func::Temporal(TemporalFn::Truncate(TemporalKind::DateTime)),
        2,
        3,
    ),
    ("datetime.fromepoch", Func::Temporal(TemporalFn::FromEpoch), 2, 2),
    (
        "datetime.fromepochmillis",
        Func::Temporal(TemporalFn::FromEpochMillis),
        1,
        1,
    ),
    ("duration", Func::Temporal(TemporalFn::Duration), 1, 1),
    (
        "duration.between",
        Func::Temporal(TemporalFn::Between(Between::All)),
        2,
        2,
    ),
    (
        "duration.inmonths",
        Func::Temporal(TemporalFn::Between(Between::Months)),
        2,
        2,
    ),
    (
        "duration.indays",
        Func::Temporal(TemporalFn::Between(Between::Days)),
        2,
        2,
    ),
    (
        "duration.inseconds",
        Func::Temporal(TemporalFn::Between(Between::Seconds)),
        2,
        2,
    ),
];

const AGGREGATES: &[(&str, AggFunc)] = &[
    ("count", AggFunc::Count),
    ("collect", AggFunc::Collect),
    ("min", AggFunc::Min),
    ("max", AggFunc::Max),
    ("sum", AggFunc::Sum),
    ("avg", AggFunc::Avg),
    ("percentiledisc", AggFunc::PercentileDisc),
    ("percentilecont", AggFunc::PercentileCont),
];

/// Looks up a scalar function by name, ignoring case.
pub fn scalar(name: &str) -> Option<(Func, usize, usize)> {
    let lower = name.to_lowercase();
    SCALARS
        .iter()
        .find(|(n, ..)| *n == lower)
        .map(|(_, f, lo, hi)| (*f, *lo, *hi))
}

/// A scalar function's conventional spelling (`toInteger`).
pub fn name_of(f: Func) -> &'static str {
    let lower = SCALARS
        .iter()
        .find(|(_, g, ..)| *g == f)
        .map(|(n, ..)| *n)
        .unwrap_or("");
    all_names()
        .into_iter()
        .find(|n| n.eq_ignore_ascii_case(lower))
        .unwrap_or(lower)
}

/// Looks up an aggregate by name, ignoring case.
pub fn aggregate(name: &str) -> Option<AggFunc> {
    let lower = name.to_lowercase();
    AGGREGATES.iter().find(|(n, _)| *n == lower).map(|(_, f)| *f)
}

/// Every function name in its conventional spelling, for suggestions and
/// completion.
pub fn all_names() -> Vec<&'static str> {
    vec![
        "labels",
        "type",
        "properties",
        "keys",
        "size",
        "length",
        "nodes",
        "relationships",
        "id",
        "startNode",
        "endNode",
        "toUpper",
        "toLower",
        "trim",
        "lTrim",
        "rTrim",
        "substring",
        "left",
        "right",
        "replace",
        "split",
        "reverse",
        "coalesce",
        "toString",
        "toInteger",
        "toFloat",
        "toBoolean",
        "head",
        "last",
        "tail",
        "range",
        "abs",
        "ceil",
        "floor",
        "round",
        "sign",
        "sqrt",
        "exp",
        "log",
        "log10",
        "exists",
        "rand",
        "date",
        "date.transaction",
        "date.statement",
        "date.realtime",
        "date.truncate",
        "localtime",
        "localtime.transaction",
        "localtime.statement",
        "localtime.realtime",
        "localtime.truncate",
        "time",
        "time.transaction",
        "time.statement",
        "time.realtime",
        "time.truncate",
        "localdatetime",
        "localdatetime.transaction",
        "localdatetime.statement",
        "localdatetime.realtime",
        "localdatetime.truncate",
        "datetime",
        "datetime.transaction",
        "datetime.statement",
        "datetime.realtime",
        "datetime.truncate",
        "datetime.fromepoch",
        "datetime.fromepochmillis",
        "duration",
        "duration.between",
        "duration.inMonths",
        "duration.inDays",
        "duration.inSeconds",
        "count",
        "collect",
        "min",
        "max",
        "sum",
        "avg",
        "percentileDisc",
        "percentileCont",
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_resolves() {
        for n in all_names() {
            assert!(scalar(n).is_some() || aggregate(n).is_some(), "{n}");
        }
        assert_eq!(all_names().len(), SCALARS.len() + AGGREGATES.len());
    }
}
