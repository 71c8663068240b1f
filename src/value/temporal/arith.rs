//! Arithmetic on temporal values: adding a duration, the duration between
//! two values (`duration.between`, `inMonths`, `inDays`, `inSeconds`), and
//! truncating to a unit.

use super::calendar::{civil_from_days, iso_week, week_year_start};
use super::{
    Date, DateTime, Duration, LocalDateTime, LocalTime, NANOS_PER_DAY, NANOS_PER_SECOND, TResult, Temporal,
    TemporalError, Time, Zone, invalid,
};

/// `value + duration` (`value - duration` is the negated duration): the
/// months first (the day clamped to the month's end), then the days, then
/// the seconds. A date takes whole days of the seconds part; a time only the
/// seconds part, wrapping around midnight.
pub fn plus_duration(t: &Temporal, d: Duration) -> TResult<Temporal> {
    Ok(match *t {
        Temporal::Date(x) => {
            let extra_days = d.nanos / i128::from(NANOS_PER_DAY);
            let extra_days = i64::try_from(extra_days).map_err(|_| too_large())?;
            Temporal::Date(x.plus_months(d.months)?.plus_days(d.days)?.plus_days(extra_days)?)
        }
        Temporal::LocalTime(x) => Temporal::LocalTime(x.plus_nanos(d.nanos)),
        Temporal::Time(x) => Temporal::Time(Time {
            time: x.time.plus_nanos(d.nanos),
            offset: x.offset,
        }),
        Temporal::LocalDateTime(x) => Temporal::LocalDateTime(plus_calendar(x, d.months, d.days)?.plus_nanos(d.nanos)?),
        Temporal::DateTime(x) => {
            let local = plus_calendar(x.local, d.months, d.days)?;
            let moved = DateTime::in_zone(local, x.zone(), Some(x.offset))?;
            let instant = moved.instant().checked_add(d.nanos).ok_or_else(too_large)?;
            Temporal::DateTime(DateTime::at_instant(instant, x.zone())?)
        }
        Temporal::Duration(x) => Temporal::Duration(x.plus(d)?),
    })
}

fn too_large() -> TemporalError {
    TemporalError::Overflow("the result is outside the supported range".into())
}

fn plus_calendar(x: LocalDateTime, months: i64, days: i64) -> TResult<LocalDateTime> {
    Ok(LocalDateTime {
        date: x.date.plus_months(months)?.plus_days(days)?,
        time: x.time,
    })
}

/// Which duration between two values: all of it in months, days and
/// seconds, or in one unit only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Between {
    All,
    Months,
    Days,
    Seconds,
}

/// A value's parts as `between` sees them.
struct Parts {
    date: Option<Date>,
    time: LocalTime,
    zone: Option<Zone>,
    /// The offset it has, for a value with a zone.
    offset: Option<i32>,
}

fn parts(t: &Temporal) -> Option<Parts> {
    Some(match *t {
        Temporal::Date(d) => Parts {
            date: Some(d),
            time: LocalTime(0),
            zone: None,
            offset: None,
        },
        Temporal::LocalTime(x) => Parts {
            date: None,
            time: x,
            zone: None,
            offset: None,
        },
        Temporal::Time(x) => Parts {
            date: None,
            time: x.time,
            zone: Some(Zone::Offset(x.offset)),
            offset: Some(x.offset),
        },
        Temporal::LocalDateTime(x) => Parts {
            date: Some(x.date),
            time: x.time,
            zone: None,
            offset: None,
        },
        Temporal::DateTime(x) => Parts {
            date: Some(x.local.date),
            time: x.local.time,
            zone: Some(x.zone()),
            offset: Some(x.offset),
        },
        Temporal::Duration(_) => return None,
    })
}

/// The duration from `a` to `b`. A value without a date takes the other's
/// date (and then only the time between them counts); a value without a
/// zone takes the other's zone; a date alone is at midnight. Months and
/// days are counted on the local calendar (in `a`'s zone), the rest is
/// the time between the instants.
pub fn between(a: &Temporal, b: &Temporal, what: Between) -> TResult<Duration> {
    let (Some(mut pa), Some(mut pb)) = (parts(a), parts(b)) else {
        return invalid("duration.between needs two temporal instants, not durations");
    };
    let time_only = pa.date.is_none() || pb.date.is_none();
    let common = pa.date.or(pb.date).unwrap_or(Date(0));
    let (da, db) = (pa.date.unwrap_or(common), pb.date.unwrap_or(common));
    if pa.zone.is_none() {
        pa.zone = pb.zone;
    }
    if pb.zone.is_none() {
        pb.zone = pa.zone;
    }
    let la = LocalDateTime {
        date: da,
        time: pa.time,
    };
    let lb = LocalDateTime {
        date: db,
        time: pb.time,
    };
    // Both as date-times in their zones, or both local.
    let zoned = match (pa.zone, pb.zone) {
        (Some(za), Some(zb)) => {
            let a = DateTime::in_zone(la, za, pa.offset)?;
            let b = DateTime::in_zone(lb, zb, pb.offset)?;
            Some((a, b))
        }
        _ => None,
    };
    let total = match zoned {
        Some((a, b)) => b.instant() - a.instant(),
        None => lb.nanos() - la.nanos(),
    };
    if time_only {
        return Ok(match what {
            Between::Months | Between::Days => Duration::ZERO,
            Between::All | Between::Seconds => Duration::checked(0, 0, total)?,
        });
    }
    if what == Between::Seconds {
        return Duration::checked(0, 0, total);
    }
    // The end on the start's local calendar.
    let (start, end) = match zoned {
        Some((a, b)) => (a.local, b.with_zone_same_instant(a.zone())?.local),
        None => (la, lb),
    };
    let months = months_until(start, end);
    if what == Between::Months {
        return Duration::checked(i128::from(months), 0, 0);
    }
    if what == Between::Days {
        return Duration::checked(0, i128::from(days_until(start, end)), 0);
    }
    let after_months = LocalDateTime {
        date: start.date.plus_months(months)?,
        time: start.time,
    };
    let days = days_until(after_months, end);
    let after_days = LocalDateTime {
        date: after_months.date.plus_days(days)?,
        time: start.time,
    };
    let rest = match zoned {
        Some((a, b)) => b.instant() - DateTime::in_zone(after_days, a.zone(), Some(a.offset))?.instant(),
        None => lb.nanos() - after_days.nanos(),
    };
    Duration::checked(i128::from(months), i128::from(days), rest)
}

/// The end date for counting whole days or months: a day less when the end
/// is later but its time of day earlier (and the other way round).
fn end_date(start: LocalDateTime, end: LocalDateTime) -> i64 {
    if end.date > start.date && end.time < start.time {
        end.date.0 - 1
    } else if end.date < start.date && end.time > start.time {
        end.date.0 + 1
    } else {
        end.date.0
    }
}

fn months_until(start: LocalDateTime, end: LocalDateTime) -> i64 {
    let packed = |days: i64| {
        let (y, m, d) = civil_from_days(days);
        (y * 12 + i64::from(m) - 1) * 32 + i64::from(d)
    };
    (packed(end_date(start, end)) - packed(start.date.0)) / 32
}

fn days_until(start: LocalDateTime, end: LocalDateTime) -> i64 {
    end_date(start, end) - start.date.0
}

/// A unit to truncate to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Millennium,
    Century,
    Decade,
    Year,
    WeekYear,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
}

impl Unit {
    pub fn parse(s: &str) -> Option<Unit> {
        use Unit::*;
        Some(match s.to_ascii_lowercase().as_str() {
            "millennium" => Millennium,
            "century" => Century,
            "decade" => Decade,
            "year" => Year,
            "weekyear" => WeekYear,
            "quarter" => Quarter,
            "month" => Month,
            "week" => Week,
            "day" => Day,
            "hour" => Hour,
            "minute" => Minute,
            "second" => Second,
            "millisecond" => Millisecond,
            "microsecond" => Microsecond,
            _ => return None,
        })
    }

    /// True for the units of a date (day and longer).
    pub fn is_date_unit(self) -> bool {
        matches!(
            self,
            Unit::Millennium
                | Unit::Century
                | Unit::Decade
                | Unit::Year
                | Unit::WeekYear
                | Unit::Quarter
                | Unit::Month
                | Unit::Week
                | Unit::Day
        )
    }
}

/// The first day of the unit that holds `d` (a unit of a day or longer).
pub fn truncate_date(d: Date, unit: Unit) -> TResult<Date> {
    let (y, m, _) = d.ymd();
    let first_of_year = |y: i64| Date::from_ymd(y, 1, 1);
    match unit {
        Unit::Millennium => first_of_year(y.div_euclid(1000) * 1000),
        Unit::Century => first_of_year(y.div_euclid(100) * 100),
        Unit::Decade => first_of_year(y.div_euclid(10) * 10),
        Unit::Year => first_of_year(y),
        Unit::WeekYear => Date::checked(week_year_start(iso_week(d.0).0)),
        Unit::Quarter => Date::from_ymd(y, (m - 1) / 3 * 3 + 1, 1),
        Unit::Month => Date::from_ymd(y, m, 1),
        Unit::Week => Date::checked(d.0 - i64::from(super::calendar::weekday(d.0)) + 1),
        _ => Ok(d),
    }
}

/// The start of the unit that holds `t` (midnight for a day or longer).
pub fn truncate_time(t: LocalTime, unit: Unit) -> LocalTime {
    let step = match unit {
        Unit::Hour => 3600 * NANOS_PER_SECOND,
        Unit::Minute => 60 * NANOS_PER_SECOND,
        Unit::Second => NANOS_PER_SECOND,
        Unit::Millisecond => 1_000_000,
        Unit::Microsecond => 1000,
        _ => NANOS_PER_DAY,
    };
    LocalTime(t.0 - t.0 % step)
}

/// Midnight at the start of a date: used where a date stands for a date-time.
pub fn at_midnight(d: Date) -> LocalDateTime {
    LocalDateTime {
        date: d,
        time: LocalTime(0),
    }
}
