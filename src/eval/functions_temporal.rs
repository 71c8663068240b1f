//! The temporal functions: `date(...)`, `localtime(...)`, `time(...)`,
//! `localdatetime(...)`, `datetime(...)` from text, from a map of
//! components (or another temporal value whose parts the map selects and
//! overrides), or for the current instant; `*.truncate`,
//! `datetime.fromepoch[millis]`, `duration(...)` and `duration.between`
//! / `inMonths` / `inDays` / `inSeconds`. The values themselves are in
//! `value/temporal`.

use super::context::Guard;
use super::expr::type_error;
use crate::diag::Span;
use crate::error::{Code, QueryError};
use crate::plan::functions::{TemporalFn, TemporalKind};
use crate::value::temporal::arith::{self, Unit};
use crate::value::temporal::calendar::{days_in_quarter, iso_week, ordinal_day, quarter_of, weekday};
use crate::value::temporal::parse::{self, DurUnit, DurationParts};
use crate::value::temporal::{
    Date, DateTime, Duration, LocalDateTime, LocalTime, NANOS_PER_SECOND, TResult, Temporal, TemporalError, Time, Zone,
};
use crate::value::{Map, Value};

/// The default time zone: UTC.
const DEFAULT_ZONE: Zone = Zone::UTC;

pub fn call(f: TemporalFn, args: Vec<Value>, guard: &Guard, span: Span) -> Result<Value, QueryError> {
    let cx = Cx { guard, span };
    let r = match f {
        TemporalFn::Make(kind) => match args.into_iter().next() {
            None => cx.now(kind, DEFAULT_ZONE, false),
            Some(v) => cx.make(kind, v),
        },
        TemporalFn::Now(kind) => match args.into_iter().next() {
            None => cx.now(kind, DEFAULT_ZONE, false),
            Some(Value::Null) => return Ok(Value::Null),
            Some(Value::String(z)) => cx.now(kind, cx.zone(&z)?, false),
            Some(other) => {
                return Err(type_error(
                    format!("expected a time zone, not {}", other.type_name()),
                    span,
                ));
            }
        },
        TemporalFn::Truncate(kind) => cx.truncate(kind, args),
        TemporalFn::FromEpoch => match (&args[0], &args[1]) {
            (Value::Null, _) | (_, Value::Null) => return Ok(Value::Null),
            (Value::Int(s), Value::Int(n)) => {
                let instant = i128::from(*s) * i128::from(NANOS_PER_SECOND) + i128::from(*n);
                DateTime::at_instant(instant, DEFAULT_ZONE).map(|d| Value::temporal(Temporal::DateTime(d)))
            }
            (a, b) => {
                return Err(type_error(
                    format!(
                        "datetime.fromepoch expects two integers, not {} and {}",
                        a.type_name(),
                        b.type_name()
                    ),
                    span,
                ));
            }
        },
        TemporalFn::FromEpochMillis => match &args[0] {
            Value::Null => return Ok(Value::Null),
            Value::Int(ms) => DateTime::at_instant(i128::from(*ms) * 1_000_000, DEFAULT_ZONE)
                .map(|d| Value::temporal(Temporal::DateTime(d))),
            other => {
                return Err(type_error(
                    format!("datetime.fromepochmillis expects an integer, not {}", other.type_name()),
                    span,
                ));
            }
        },
        TemporalFn::Duration => cx.duration(args.into_iter().next().unwrap_or(Value::Null)),
        TemporalFn::Between(which) => {
            let (a, b) = (&args[0], &args[1]);
            match (a, b) {
                (Value::Null, _) | (_, Value::Null) => return Ok(Value::Null),
                (Value::Temporal(x), Value::Temporal(y))
                    if !matches!(**x, Temporal::Duration(_)) && !matches!(**y, Temporal::Duration(_)) =>
                {
                    arith::between(x, y, which).map(|d| Value::temporal(Temporal::Duration(d)))
                }
                _ => {
                    return Err(type_error(
                        format!(
                            "duration.between expects two temporal instants, not {} and {}",
                            a.type_name(),
                            b.type_name()
                        ),
                        span,
                    ));
                }
            }
        }
    };
    r.map_err(|e| cx.error(e))
}

/// The error for a temporal operation that has no value.
pub fn temporal_error(e: TemporalError, span: Span) -> QueryError {
    match e {
        TemporalError::Invalid(m) => QueryError::runtime(Code::InvalidArgumentValue, m, Some(span)),
        TemporalError::Overflow(m) => QueryError::runtime(Code::NumberOutOfRange, m, Some(span)),
    }
}

struct Cx<'a> {
    guard: &'a Guard,
    span: Span,
}

/// A map's components, as integers (keys lower-cased).
#[derive(Default, Debug)]
struct Fields {
    year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
    week: Option<i64>,
    dow: Option<i64>,
    ordinal: Option<i64>,
    quarter: Option<i64>,
    doq: Option<i64>,
    hour: Option<i64>,
    minute: Option<i64>,
    second: Option<i64>,
    ms: Option<i64>,
    us: Option<i64>,
    ns: Option<i64>,
    epoch_seconds: Option<i64>,
    epoch_millis: Option<i64>,
    timezone: Option<Zone>,
    date: Option<Temporal>,
    time: Option<Temporal>,
    datetime: Option<Temporal>,
}

impl Fields {
    fn has_date_fields(&self) -> bool {
        [
            self.year,
            self.month,
            self.day,
            self.week,
            self.dow,
            self.ordinal,
            self.quarter,
            self.doq,
        ]
        .iter()
        .any(Option::is_some)
    }

    fn has_time_fields(&self) -> bool {
        [self.hour, self.minute, self.second, self.ms, self.us, self.ns]
            .iter()
            .any(Option::is_some)
    }

    fn is_empty(&self) -> bool {
        !self.has_date_fields()
            && !self.has_time_fields()
            && self.timezone.is_none()
            && self.date.is_none()
            && self.time.is_none()
            && self.datetime.is_none()
            && self.epoch_seconds.is_none()
            && self.epoch_millis.is_none()
    }
}

fn date_of(t: &Temporal) -> Option<Date> {
    match t {
        Temporal::Date(d) => Some(*d),
        Temporal::LocalDateTime(x) => Some(x.date),
        Temporal::DateTime(x) => Some(x.local.date),
        _ => None,
    }
}

fn time_of(t: &Temporal) -> Option<LocalTime> {
    match t {
        Temporal::LocalTime(x) => Some(*x),
        Temporal::Time(x) => Some(x.time),
        Temporal::LocalDateTime(x) => Some(x.time),
        Temporal::DateTime(x) => Some(x.local.time),
        _ => None,
    }
}

/// The zone a value carries, and its offset there.
fn zone_of(t: &Temporal) -> Option<(Zone, i32)> {
    match t {
        Temporal::Time(x) => Some((Zone::Offset(x.offset), x.offset)),
        Temporal::DateTime(x) => Some((x.zone(), x.offset)),
        _ => None,
    }
}

fn invalid<T>(m: impl Into<String>) -> TResult<T> {
    Err(TemporalError::Invalid(m.into()))
}

fn kind_name(kind: TemporalKind) -> &'static str {
    match kind {
        TemporalKind::Date => "date",
        TemporalKind::LocalTime => "localtime",
        TemporalKind::Time => "time",
        TemporalKind::LocalDateTime => "localdatetime",
        TemporalKind::DateTime => "datetime",
    }
}

impl Cx<'_> {
    fn error(&self, e: TemporalError) -> QueryError {
        temporal_error(e, self.span)
    }

    fn zone(&self, s: &str) -> Result<Zone, QueryError> {
        Zone::parse(s).ok_or_else(|| {
            QueryError::runtime(
                Code::InvalidArgumentValue,
                format!("'{s}' is not a time zone (an offset such as '+01:00' or a name such as 'Europe/Stockholm')"),
                Some(self.span),
            )
        })
    }

    /// The statement's current instant (nanoseconds since the epoch, UTC).
    fn now_instant(&self) -> i128 {
        match self.guard.statement_time().duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        }
    }

    fn now_utc(&self) -> (i64, i64) {
        let n = self.now_instant();
        let day = i128::from(crate::value::temporal::NANOS_PER_DAY);
        (n.div_euclid(day) as i64, n.rem_euclid(day) as i64)
    }

    fn now(&self, kind: TemporalKind, zone: Zone, _realtime: bool) -> TResult<Value> {
        let dt = DateTime::at_instant(self.now_instant(), zone)?;
        Ok(Value::temporal(project(kind, dt)))
    }

    fn make(&self, kind: TemporalKind, v: Value) -> TResult<Value> {
        Ok(match v {
            Value::Null => Value::Null,
            Value::String(s) => Value::temporal(self.parse(kind, &s)?),
            Value::Map(m) => {
                let f = self.fields(&m)?;
                if f.is_empty() {
                    return invalid(format!("{}() needs at least one component in its map", kind_name(kind)));
                }
                Value::temporal(self.build(kind, f)?)
            }
            Value::Temporal(t) => {
                let mut f = Fields::default();
                match (&*t, kind) {
                    (Temporal::Duration(_), _) => {
                        return invalid(format!("{}() cannot be made from a duration", kind_name(kind)));
                    }
                    (Temporal::DateTime(_) | Temporal::LocalDateTime(_), TemporalKind::DateTime) => {
                        f.datetime = Some(*t);
                    }
                    _ => {
                        let wants_date = matches!(
                            kind,
                            TemporalKind::Date | TemporalKind::LocalDateTime | TemporalKind::DateTime
                        );
                        if date_of(&t).is_some() && wants_date {
                            f.date = Some(*t);
                        }
                        if time_of(&t).is_some() && kind != TemporalKind::Date {
                            f.time = Some(*t);
                        }
                    }
                }
                Value::temporal(self.build(kind, f)?)
            }
            other => {
                return invalid(format!(
                    "{}() expects a string, a map or a temporal value, not {}",
                    kind_name(kind),
                    other.type_name()
                ));
            }
        })
    }

    fn parse(&self, kind: TemporalKind, s: &str) -> TResult<Temporal> {
        Ok(match kind {
            TemporalKind::Date => Temporal::Date(parse::parse_date(s)?),
            TemporalKind::LocalTime => Temporal::LocalTime(parse::parse_local_time(s)?),
            TemporalKind::Time => Temporal::Time(parse::parse_time(s, DEFAULT_ZONE, self.now_utc())?),
            TemporalKind::LocalDateTime => Temporal::LocalDateTime(parse::parse_local_datetime(s)?),
            TemporalKind::DateTime => Temporal::DateTime(parse::parse_datetime(s, DEFAULT_ZONE)?),
        })
    }

    fn fields(&self, m: &Map) -> TResult<Fields> {
        let mut f = Fields::default();
        for (k, v) in m.iter() {
            let key = k.to_ascii_lowercase();
            if v.is_null() {
                continue;
            }
            let int = || match v {
                Value::Int(i) => Ok(*i),
                other => invalid(format!("'{k}' must be an integer, not {}", other.type_name())),
            };
            let temporal = || match v {
                Value::Temporal(t) => Ok(**t),
                other => invalid(format!("'{k}' must be a temporal value, not {}", other.type_name())),
            };
            match key.as_str() {
                "year" => f.year = Some(int()?),
                "month" => f.month = Some(int()?),
                "day" => f.day = Some(int()?),
                "week" => f.week = Some(int()?),
                "dayofweek" | "weekday" => f.dow = Some(int()?),
                "ordinalday" => f.ordinal = Some(int()?),
                "quarter" => f.quarter = Some(int()?),
                "dayofquarter" => f.doq = Some(int()?),
                "hour" => f.hour = Some(int()?),
                "minute" => f.minute = Some(int()?),
                "second" => f.second = Some(int()?),
                "millisecond" => f.ms = Some(int()?),
                "microsecond" => f.us = Some(int()?),
                "nanosecond" => f.ns = Some(int()?),
                "epochseconds" => f.epoch_seconds = Some(int()?),
                "epochmillis" => f.epoch_millis = Some(int()?),
                "timezone" => match v {
                    Value::String(s) => {
                        f.timezone = Some(
                            Zone::parse(s)
                                .ok_or_else(|| TemporalError::Invalid(format!("'{}' is not a time zone", &**s)))?,
                        )
                    }
                    other => return invalid(format!("'timezone' must be a string, not {}", other.type_name())),
                },
                "date" => f.date = Some(temporal()?),
                "time" => f.time = Some(temporal()?),
                "datetime" => f.datetime = Some(temporal()?),
                _ => return invalid(format!("'{k}' is not a component of a temporal value")),
            }
        }
        Ok(f)
    }

    /// A value of `kind` from components, selecting from the values under
    /// `date`, `time` and `datetime` what the components do not give.
    fn build(&self, kind: TemporalKind, f: Fields) -> TResult<Temporal> {
        use TemporalKind as K;
        let name = kind_name(kind);
        let wants_date = matches!(kind, K::Date | K::LocalDateTime | K::DateTime);
        let wants_time = !matches!(kind, K::Date);
        if !wants_date && (f.has_date_fields() || f.date.is_some() || f.datetime.is_some()) {
            return invalid(format!("{name}() takes no date components"));
        }
        if !wants_time && (f.has_time_fields() || f.time.is_some() || f.datetime.is_some()) {
            return invalid(format!("{name}() takes no time components"));
        }
        if matches!(kind, K::Date | K::LocalTime | K::LocalDateTime) && f.timezone.is_some() && !only_zone(&f) {
            return invalid(format!("{name}() takes no time zone"));
        }
        if kind != K::DateTime && (f.epoch_seconds.is_some() || f.epoch_millis.is_some()) {
            return invalid(format!("{name}() takes no epoch components"));
        }
        // Only a zone: the current instant there.
        if only_zone(&f) {
            let zone = f.timezone.unwrap_or(DEFAULT_ZONE);
            let dt = DateTime::at_instant(self.now_instant(), zone)?;
            return Ok(project(kind, dt));
        }
        if kind == K::DateTime && (f.epoch_seconds.is_some() || f.epoch_millis.is_some()) {
            return epoch(&f);
        }
        // The selected values must have the parts they are selected for.
        for (t, what, need_date, need_time) in [
            (&f.date, "date", true, false),
            (&f.time, "time", false, true),
            (&f.datetime, "datetime", true, true),
        ] {
            if let Some(t) = t
                && ((need_date && date_of(t).is_none()) || (need_time && time_of(t).is_none()))
            {
                return invalid(format!(
                    "'{what}' must be a value with a {what}, not a {}",
                    t.type_name()
                ));
            }
        }
        // The date-time selected whole, seen in the new zone when one is given.
        let mut dt_base = f.datetime;
        if let (Some(Temporal::DateTime(d)), Some(z), true) = (dt_base, f.timezone, kind == K::DateTime) {
            dt_base = Some(Temporal::DateTime(d.with_zone_same_instant(z)?));
        }
        let date_base = f.date.as_ref().and_then(date_of).or(dt_base.as_ref().and_then(date_of));
        let date = resolve_date(&f, date_base)?;
        // The time selected, with its zone; moved to the new zone (the
        // same instant) when one is given.
        let (mut time_base, mut base_zone) = match (&f.time, &dt_base) {
            (Some(t), _) => (time_of(t), zone_of(t)),
            (None, Some(t)) => (time_of(t), zone_of(t)),
            (None, None) => (None, None),
        };
        if let (Some(z), Some((old_zone, old)), Some(t), true) =
            (f.timezone, base_zone, time_base, matches!(kind, K::Time | K::DateTime))
        {
            let (days, _) = self.now_utc();
            let day = date.map(|d| d.0).unwrap_or(days);
            // A named zone's offset on the day the result has.
            let old = match old_zone {
                Zone::Named(_) => old_zone.offset_for_local(day, t.0, Some(old)).0,
                Zone::Offset(_) => old,
            };
            let utc = LocalDateTime {
                date: Date(day),
                time: t,
            }
            .plus_nanos(-i128::from(old) * i128::from(NANOS_PER_SECOND))
            .unwrap_or(LocalDateTime {
                date: Date(day),
                time: t,
            });
            let new = z.offset_at_instant(utc.date.0, utc.time.0);
            time_base = Some(t.plus_nanos(i128::from(new - old) * i128::from(NANOS_PER_SECOND)));
            base_zone = Some((z, new));
        }
        let time = resolve_time(&f, time_base)?;
        let zone = f.timezone.or(base_zone.map(|z| z.0)).unwrap_or(DEFAULT_ZONE);
        let prefer = base_zone.filter(|z| z.0 == zone).map(|z| z.1);
        let need = |what: &str| TemporalError::Invalid(format!("{name}() needs {what}"));
        Ok(match kind {
            K::Date => Temporal::Date(date.ok_or_else(|| need("a year"))?),
            K::LocalTime => Temporal::LocalTime(time.ok_or_else(|| need("an hour"))?),
            K::Time => {
                let time = time.ok_or_else(|| need("an hour"))?;
                let offset = match (prefer, zone) {
                    (Some(o), _) => o,
                    (None, Zone::Offset(o)) => o,
                    (None, z) => {
                        let (d, n) = self.now_utc();
                        z.offset_at_instant(d, n)
                    }
                };
                Temporal::Time(Time { time, offset })
            }
            K::LocalDateTime => Temporal::LocalDateTime(LocalDateTime {
                date: date.ok_or_else(|| need("a year"))?,
                time: time.unwrap_or(LocalTime(0)),
            }),
            K::DateTime => {
                let local = LocalDateTime {
                    date: date.ok_or_else(|| need("a year"))?,
                    time: time.unwrap_or(LocalTime(0)),
                };
                Temporal::DateTime(DateTime::in_zone(local, zone, prefer)?)
            }
        })
    }

    fn truncate(&self, kind: TemporalKind, args: Vec<Value>) -> TResult<Value> {
        use TemporalKind as K;
        let name = kind_name(kind);
        let mut args = args.into_iter();
        let unit = args.next().unwrap_or(Value::Null);
        let value = args.next().unwrap_or(Value::Null);
        let map = args.next();
        if unit.is_null() || value.is_null() {
            return Ok(Value::Null);
        }
        let Value::String(unit_text) = unit else {
            return invalid(format!("{name}.truncate needs a unit name, not {}", unit.type_name()));
        };
        let Some(unit) = Unit::parse(&unit_text) else {
            return invalid(format!(
                "'{}' is not a unit (millennium, century, decade, year, weekYear, quarter, month, week, day, hour, minute, second, millisecond, microsecond)",
                &*unit_text
            ));
        };
        let t = match &value {
            Value::Temporal(t) if !matches!(**t, Temporal::Duration(_)) => **t,
            other => {
                return invalid(format!(
                    "{name}.truncate needs a temporal instant, not {}",
                    other.type_name()
                ));
            }
        };
        let map = match map {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Map(m)) => (*m).clone(),
            Some(other) => {
                return invalid(format!(
                    "{name}.truncate takes a map of components, not {}",
                    other.type_name()
                ));
            }
        };
        let mut f = self.fields(&map)?;
        if f.date.is_some() || f.time.is_some() || f.datetime.is_some() {
            return invalid(format!("{name}.truncate takes no date, time or datetime in its map"));
        }
        let date = date_of(&t);
        let time = time_of(&t);
        let truncated_time = time.map(|x| arith::truncate_time(x, unit));
        // The unit's own subsecond part stays when the map sets a finer one.
        match unit {
            Unit::Millisecond if f.ms.is_none() && (f.us.is_some() || f.ns.is_some()) => {
                f.ms = truncated_time.map(|x| x.nano() / 1_000_000);
            }
            Unit::Microsecond if f.ms.is_none() && f.us.is_none() && f.ns.is_some() => {
                f.us = truncated_time.map(|x| x.nano() / 1000);
            }
            _ => {}
        }
        let base = match kind {
            K::Date => {
                if !unit.is_date_unit() {
                    return invalid(format!("a date cannot be truncated to a {}", &*unit_text));
                }
                let Some(d) = date else {
                    return invalid(format!(
                        "date.truncate needs a value with a date, not a {}",
                        t.type_name()
                    ));
                };
                f.date = Some(Temporal::Date(arith::truncate_date(d, unit)?));
                return Ok(Value::temporal(self.build(kind, f)?));
            }
            K::LocalTime | K::Time => {
                if unit.is_date_unit() && unit != Unit::Day {
                    return invalid(format!("a time cannot be truncated to a {}", &*unit_text));
                }
                let Some(tt) = truncated_time else {
                    return invalid(format!(
                        "{name}.truncate needs a value with a time, not a {}",
                        t.type_name()
                    ));
                };
                if kind == K::LocalTime {
                    Temporal::LocalTime(tt)
                } else {
                    let offset = match (f.timezone.take(), zone_of(&t)) {
                        (Some(z), _) => {
                            let (d, n) = self.now_utc();
                            z.offset_at_instant(d, n)
                        }
                        (None, Some((_, o))) => o,
                        (None, None) => 0,
                    };
                    Temporal::Time(Time { time: tt, offset })
                }
            }
            K::LocalDateTime | K::DateTime => {
                let Some(d) = date else {
                    return invalid(format!(
                        "{name}.truncate needs a value with a date, not a {}",
                        t.type_name()
                    ));
                };
                let local = if unit.is_date_unit() {
                    arith::at_midnight(arith::truncate_date(d, unit)?)
                } else {
                    LocalDateTime {
                        date: d,
                        time: truncated_time.unwrap_or(LocalTime(0)),
                    }
                };
                if kind == K::LocalDateTime {
                    Temporal::LocalDateTime(local)
                } else {
                    let (zone, prefer) = match (f.timezone.take(), zone_of(&t)) {
                        (Some(z), _) => (z, None),
                        (None, Some((z, o))) => (z, Some(o)),
                        (None, None) => (DEFAULT_ZONE, None),
                    };
                    Temporal::DateTime(DateTime::in_zone(local, zone, prefer)?)
                }
            }
        };
        if f.is_empty() {
            return Ok(Value::temporal(base));
        }
        match base {
            Temporal::DateTime(_) | Temporal::LocalDateTime(_) => f.datetime = Some(base),
            _ => f.time = Some(base),
        }
        Ok(Value::temporal(self.build(kind, f)?))
    }

    fn duration(&self, v: Value) -> TResult<Value> {
        Ok(match v {
            Value::Null => Value::Null,
            Value::String(s) => Value::temporal(Temporal::Duration(parse::parse_duration(&s)?)),
            Value::Temporal(t) if matches!(*t, Temporal::Duration(_)) => Value::Temporal(t),
            Value::Map(m) => {
                let mut parts = DurationParts::default();
                for (k, x) in m.iter() {
                    let Some(unit) = DurUnit::parse(k) else {
                        return invalid(format!(
                            "'{k}' is not a unit of a duration (years, quarters, months, weeks, days, hours, minutes, seconds, milliseconds, microseconds, nanoseconds)"
                        ));
                    };
                    match x {
                        Value::Null => {}
                        Value::Int(i) => parts.add_int(unit, *i),
                        Value::Float(f) if f.is_finite() => parts.add_float(unit, *f),
                        other => return invalid(format!("'{k}' must be a number, not {other}")),
                    }
                }
                Value::temporal(Temporal::Duration(parts.finish()?))
            }
            other => {
                return invalid(format!(
                    "duration() expects a string or a map, not {}",
                    other.type_name()
                ));
            }
        })
    }
}

fn only_zone(f: &Fields) -> bool {
    f.timezone.is_some()
        && !f.has_date_fields()
        && !f.has_time_fields()
        && f.date.is_none()
        && f.time.is_none()
        && f.datetime.is_none()
        && f.epoch_seconds.is_none()
        && f.epoch_millis.is_none()
}

fn epoch(f: &Fields) -> TResult<Temporal> {
    if f.has_date_fields() || f.hour.is_some() || f.minute.is_some() || f.second.is_some() {
        return invalid("epochSeconds and epochMillis take no other date or time components");
    }
    let base = match (f.epoch_seconds, f.epoch_millis) {
        (Some(s), None) => i128::from(s) * i128::from(NANOS_PER_SECOND),
        (None, Some(ms)) => i128::from(ms) * 1_000_000,
        _ => return invalid("give epochSeconds or epochMillis, not both"),
    };
    let extra = i128::from(f.ms.unwrap_or(0)) * 1_000_000
        + i128::from(f.us.unwrap_or(0)) * 1000
        + i128::from(f.ns.unwrap_or(0));
    Ok(Temporal::DateTime(DateTime::at_instant(
        base + extra,
        f.timezone.unwrap_or(DEFAULT_ZONE),
    )?))
}

/// The instant's parts a kind of value keeps.
fn project(kind: TemporalKind, dt: DateTime) -> Temporal {
    match kind {
        TemporalKind::Date => Temporal::Date(dt.local.date),
        TemporalKind::LocalTime => Temporal::LocalTime(dt.local.time),
        TemporalKind::Time => Temporal::Time(dt.time()),
        TemporalKind::LocalDateTime => Temporal::LocalDateTime(dt.local),
        TemporalKind::DateTime => Temporal::DateTime(dt),
    }
}

/// The date the components give, completing them from `base` (or with the
/// first month, week, day ... when there is none). `None` when there is
/// neither a component nor a base.
fn resolve_date(f: &Fields, base: Option<Date>) -> TResult<Option<Date>> {
    let week_form = f.week.is_some() || f.dow.is_some();
    let ordinal_form = f.ordinal.is_some();
    let quarter_form = f.quarter.is_some() || f.doq.is_some();
    let calendar_form = f.month.is_some() || f.day.is_some();
    let forms = [week_form, ordinal_form, quarter_form, calendar_form]
        .iter()
        .filter(|x| **x)
        .count();
    if forms > 1 {
        return invalid(
            "a date is given by month and day, or week and day of week, or ordinal day, or quarter and day of quarter: not by several of them",
        );
    }
    if !f.has_date_fields() {
        return Ok(base);
    }
    let Some(base) = base else {
        // No base: a year is needed, and each component needs the larger
        // one it counts within.
        let Some(year) = f.year else {
            return invalid("a date needs a year");
        };
        if f.day.is_some() && f.month.is_none() {
            return invalid("a day needs a month");
        }
        if f.dow.is_some() && f.week.is_none() {
            return invalid("a day of the week needs a week");
        }
        if f.doq.is_some() && f.quarter.is_none() {
            return invalid("a day of the quarter needs a quarter");
        }
        return from_parts(f, year, (1, 1), (1, 1), 1, (1, 1)).map(Some);
    };
    let (y, m, d) = base.ymd();
    let (wy, w) = iso_week(base.0);
    let year = if week_form {
        f.year.unwrap_or(wy)
    } else {
        f.year.unwrap_or(y)
    };
    let (q, dq) = quarter_of(base.0);
    from_parts(
        f,
        year,
        (i64::from(m), i64::from(d)),
        (i64::from(w), i64::from(weekday(base.0))),
        i64::from(ordinal_day(base.0)),
        (i64::from(q), i64::from(dq)),
    )
    .map(Some)
}

/// A date from the components in `f`, the missing ones from the defaults
/// given: (month, day), (week, day of week), ordinal day, (quarter, day).
fn from_parts(f: &Fields, year: i64, md: (i64, i64), wd: (i64, i64), ord: i64, qd: (i64, i64)) -> TResult<Date> {
    let small = |v: i64, what: &str| u32::try_from(v).or_else(|_| invalid(format!("{what} {v} is out of range")));
    if f.week.is_some() || f.dow.is_some() {
        return parse::week_date(year, f.week.unwrap_or(wd.0), f.dow.unwrap_or(wd.1));
    }
    if let Some(o) = f.ordinal {
        return parse::ordinal_date(year, o);
    }
    if f.quarter.is_some() || f.doq.is_some() {
        let q = f.quarter.unwrap_or(qd.0);
        if !(1..=4).contains(&q) {
            return invalid(format!("quarter {q} is not between 1 and 4"));
        }
        let first = Date::from_ymd(year, small((q - 1) * 3 + 1, "month")?, 1)?;
        let dq = f.doq.unwrap_or(qd.1);
        let n = i64::from(days_in_quarter(year, q as u32));
        if !(1..=n).contains(&dq) {
            return invalid(format!("day {dq} is not a day of quarter {q} of {year} (1 to {n})"));
        }
        return Date::checked(first.0 + dq - 1);
    }
    let _ = ord;
    Date::from_ymd(
        year,
        small(f.month.unwrap_or(md.0), "month")?,
        small(f.day.unwrap_or(md.1), "day")?,
    )
}

/// The time of day the components give, completing them from `base`.
fn resolve_time(f: &Fields, base: Option<LocalTime>) -> TResult<Option<LocalTime>> {
    if !f.has_time_fields() {
        return Ok(base);
    }
    let sub = f.ms.is_some() || f.us.is_some() || f.ns.is_some();
    if base.is_none() {
        if f.hour.is_none() {
            return invalid("a time needs an hour");
        }
        if f.second.is_some() && f.minute.is_none() {
            return invalid("a second needs a minute");
        }
        if sub && f.second.is_none() {
            return invalid("a fraction of a second needs a second");
        }
    }
    let b = base.unwrap_or(LocalTime(0));
    let fraction = if sub {
        let (ms, us, ns) = (f.ms.unwrap_or(0), f.us.unwrap_or(0), f.ns.unwrap_or(0));
        if !(0..1000).contains(&ms) {
            return invalid(format!("millisecond {ms} is not between 0 and 999"));
        }
        let us_max = if f.ms.is_some() { 1000 } else { 1_000_000 };
        if !(0..us_max).contains(&us) {
            return invalid(format!("microsecond {us} is not between 0 and {}", us_max - 1));
        }
        let ns_max = if f.ms.is_some() || f.us.is_some() {
            1000
        } else {
            NANOS_PER_SECOND
        };
        if !(0..ns_max).contains(&ns) {
            return invalid(format!("nanosecond {ns} is not between 0 and {}", ns_max - 1));
        }
        ms * 1_000_000 + us * 1000 + ns
    } else {
        b.nano()
    };
    LocalTime::from_hms_nano(
        f.hour.unwrap_or(b.hour()),
        f.minute.unwrap_or(b.minute()),
        f.second.unwrap_or(b.second()),
        fraction,
    )
    .map(Some)
}

/// `a + b`, `a - b`, `a * b`, `a / b` where one side is a temporal value,
/// or `None` when the operator does not apply to these types.
pub fn arithmetic(
    op: crate::syntax::ast::BinaryOp,
    a: &Value,
    b: &Value,
    span: Span,
) -> Option<Result<Value, QueryError>> {
    use crate::syntax::ast::BinaryOp::*;
    let dur = |v: &Value| match v {
        Value::Temporal(t) => match **t {
            Temporal::Duration(d) => Some(d),
            _ => None,
        },
        _ => None,
    };
    let num = |v: &Value| match v {
        Value::Int(i) => Some(Err(*i)),
        Value::Float(f) => Some(Ok(*f)),
        _ => None,
    };
    let wrap = |r: TResult<Temporal>| Some(r.map(Value::temporal).map_err(|e| temporal_error(e, span)));
    let scale = |d: Duration, n: Result<f64, i64>| match n {
        Err(i) => d.mul_int(i),
        Ok(f) => d.mul_float(f),
    };
    match (op, a, b) {
        (Add, Value::Temporal(t), _) if dur(b).is_some() => wrap(arith::plus_duration(t, dur(b)?)),
        (Add, _, Value::Temporal(t)) if dur(a).is_some() => wrap(arith::plus_duration(t, dur(a)?)),
        (Sub, Value::Temporal(t), _) if dur(b).is_some() => {
            wrap(dur(b)?.negated().and_then(|d| arith::plus_duration(t, d)))
        }
        (Mul, _, _) if dur(a).is_some() && num(b).is_some() => wrap(scale(dur(a)?, num(b)?).map(Temporal::Duration)),
        (Mul, _, _) if dur(b).is_some() && num(a).is_some() => wrap(scale(dur(b)?, num(a)?).map(Temporal::Duration)),
        (Div, _, _) if dur(a).is_some() && num(b).is_some() => {
            let f = match num(b)? {
                Err(i) => i as f64,
                Ok(f) => f,
            };
            wrap(dur(a)?.div_float(f).map(Temporal::Duration))
        }
        _ => None,
    }
}

/// `-duration`.
pub fn negate(v: &Value, span: Span) -> Option<Result<Value, QueryError>> {
    match v {
        Value::Temporal(t) => match **t {
            Temporal::Duration(d) => Some(
                d.negated()
                    .map(|d| Value::temporal(Temporal::Duration(d)))
                    .map_err(|e| temporal_error(e, span)),
            ),
            _ => None,
        },
        _ => None,
    }
}

/// `value.component` for a temporal value.
pub fn component(t: &Temporal, key: &str, span: Span) -> Result<Value, QueryError> {
    t.component(key).map_err(|e| temporal_error(e, span))
}
