//! Temporal values: `DATE`, `LOCAL TIME`, `ZONED TIME`, `LOCAL DATETIME`,
//! `ZONED DATETIME` and `DURATION`, with openCypher's equality, order,
//! printing (ISO 8601 as the TCK writes it), component access and
//! arithmetic. Parsing strings is in `parse.rs`, the calendar in
//! `calendar.rs`, time zones in `zone.rs`; building values from maps and
//! the temporal functions are in `eval/functions_temporal.rs`.
//!
//! Dates cover years -999,999,999 to 999,999,999; times have nanosecond
//! precision. An operation whose result leaves that range is an error,
//! never a wrapped value.

use std::cmp::Ordering;
use std::fmt;

mod access;
pub mod arith;
pub mod calendar;
pub mod parse;
pub mod zone;

pub use zone::Zone;

use calendar::{civil_from_days, days_from_civil};

pub const NANOS_PER_SECOND: i64 = 1_000_000_000;
pub const NANOS_PER_DAY: i64 = 86_400 * NANOS_PER_SECOND;
/// The average month, in days, that a fraction of a month stands for
/// (365.2425 / 12), as openCypher defines it.
pub const AVG_DAYS_PER_MONTH: f64 = 365.2425 / 12.0;

/// Why a temporal operation has no value: the text or numbers do not make
/// one (`Invalid`, an InvalidArgumentValue) or it leaves the supported
/// range (`Overflow`).
#[derive(Debug, Clone, PartialEq)]
pub enum TemporalError {
    Invalid(String),
    Overflow(String),
}

pub type TResult<T> = Result<T, TemporalError>;

pub fn invalid<T>(msg: impl Into<String>) -> TResult<T> {
    Err(TemporalError::Invalid(msg.into()))
}

fn overflow(what: &str) -> TemporalError {
    TemporalError::Overflow(format!(
        "{what} is outside the supported range (years -999999999 to 999999999)"
    ))
}

/// A calendar date: days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub i64);

/// A time of day: nanoseconds since midnight, below [`NANOS_PER_DAY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalTime(pub i64);

/// A time of day with an offset from UTC (seconds east).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Time {
    pub time: LocalTime,
    pub offset: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalDateTime {
    pub date: Date,
    pub time: LocalTime,
}

/// A date and time in a zone: the local date and time, the offset in
/// force there, and the named zone when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    pub local: LocalDateTime,
    pub offset: i32,
    pub zone: Option<chrono_tz::Tz>,
}

/// An amount of time in three parts that do not convert into each other
/// exactly: months, days, and nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    pub months: i64,
    pub days: i64,
    pub nanos: i128,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Temporal {
    Date(Date),
    LocalTime(LocalTime),
    Time(Time),
    LocalDateTime(LocalDateTime),
    DateTime(DateTime),
    Duration(Duration),
}

impl Date {
    pub fn from_ymd(y: i64, m: u32, d: u32) -> TResult<Date> {
        if !(calendar::MIN_YEAR..=calendar::MAX_YEAR).contains(&y) {
            return Err(overflow(&format!("year {y}")));
        }
        if !(1..=12).contains(&m) {
            return invalid(format!("month {m} is not between 1 and 12"));
        }
        if d < 1 || d > calendar::days_in_month(y, m) {
            return invalid(format!("day {d} is not a day of month {m} of year {y}"));
        }
        Ok(Date(days_from_civil(y, m, d)))
    }

    pub fn checked(days: i64) -> TResult<Date> {
        calendar::in_range(days).map(Date).ok_or_else(|| overflow("the date"))
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.0)
    }

    pub fn plus_months(self, months: i64) -> TResult<Date> {
        calendar::plus_months(self.0, months)
            .map(Date)
            .ok_or_else(|| overflow("the date"))
    }

    pub fn plus_days(self, days: i64) -> TResult<Date> {
        Date::checked(self.0.checked_add(days).ok_or_else(|| overflow("the date"))?)
    }
}

impl LocalTime {
    pub fn from_hms_nano(h: i64, m: i64, s: i64, n: i64) -> TResult<LocalTime> {
        if !(0..24).contains(&h) {
            return invalid(format!("hour {h} is not between 0 and 23"));
        }
        if !(0..60).contains(&m) {
            return invalid(format!("minute {m} is not between 0 and 59"));
        }
        if !(0..60).contains(&s) {
            return invalid(format!("second {s} is not between 0 and 59"));
        }
        if !(0..NANOS_PER_SECOND).contains(&n) {
            return invalid(format!("nanosecond {n} is not between 0 and 999999999"));
        }
        Ok(LocalTime(((h * 60 + m) * 60 + s) * NANOS_PER_SECOND + n))
    }

    pub fn hour(self) -> i64 {
        self.0 / (3600 * NANOS_PER_SECOND)
    }
    pub fn minute(self) -> i64 {
        self.0 / (60 * NANOS_PER_SECOND) % 60
    }
    pub fn second(self) -> i64 {
        self.0 / NANOS_PER_SECOND % 60
    }
    pub fn nano(self) -> i64 {
        self.0 % NANOS_PER_SECOND
    }

    /// The time `nanos` later, wrapping around midnight.
    pub fn plus_nanos(self, nanos: i128) -> LocalTime {
        LocalTime((i128::from(self.0) + nanos).rem_euclid(i128::from(NANOS_PER_DAY)) as i64)
    }
}

impl Time {
    /// Nanoseconds since midnight UTC (may be below 0 or past a day).
    fn utc_nanos(self) -> i64 {
        self.time.0 - i64::from(self.offset) * NANOS_PER_SECOND
    }

    /// The same instant at another offset.
    pub fn with_offset_same_instant(self, offset: i32) -> Time {
        Time {
            time: self
                .time
                .plus_nanos(i128::from(offset - self.offset) * i128::from(NANOS_PER_SECOND)),
            offset,
        }
    }
}

impl LocalDateTime {
    /// Nanoseconds since 1970-01-01T00:00 (local).
    pub fn nanos(self) -> i128 {
        i128::from(self.date.0) * i128::from(NANOS_PER_DAY) + i128::from(self.time.0)
    }

    pub fn from_nanos(n: i128) -> TResult<LocalDateTime> {
        let day = i128::from(NANOS_PER_DAY);
        let days = i64::try_from(n.div_euclid(day)).map_err(|_| overflow("the date"))?;
        Ok(LocalDateTime {
            date: Date::checked(days)?,
            time: LocalTime(n.rem_euclid(day) as i64),
        })
    }

    pub fn plus_nanos(self, nanos: i128) -> TResult<LocalDateTime> {
        LocalDateTime::from_nanos(self.nanos().checked_add(nanos).ok_or_else(|| overflow("the date"))?)
    }
}

impl DateTime {
    /// The local date and time in a zone, its offset resolved from the zone
    /// (`prefer` picks between two offsets when the local time is ambiguous).
    pub fn in_zone(local: LocalDateTime, zone: Zone, prefer: Option<i32>) -> TResult<DateTime> {
        let (offset, shift) = zone.offset_for_local(local.date.0, local.time.0, prefer);
        let local = if shift != 0 {
            local.plus_nanos(i128::from(shift))?
        } else {
            local
        };
        Ok(DateTime {
            local,
            offset,
            zone: match zone {
                Zone::Named(tz) => Some(tz),
                Zone::Offset(_) => None,
            },
        })
    }

    /// The instant, in nanoseconds since 1970-01-01T00:00Z.
    pub fn instant(self) -> i128 {
        self.local.nanos() - i128::from(self.offset) * i128::from(NANOS_PER_SECOND)
    }

    pub fn zone(self) -> Zone {
        match self.zone {
            Some(tz) => Zone::Named(tz),
            None => Zone::Offset(self.offset),
        }
    }

    /// The date-time at an instant, seen in a zone.
    pub fn at_instant(instant: i128, zone: Zone) -> TResult<DateTime> {
        let utc = LocalDateTime::from_nanos(instant)?;
        let offset = zone.offset_at_instant(utc.date.0, utc.time.0);
        Ok(DateTime {
            local: utc.plus_nanos(i128::from(offset) * i128::from(NANOS_PER_SECOND))?,
            offset,
            zone: match zone {
                Zone::Named(tz) => Some(tz),
                Zone::Offset(_) => None,
            },
        })
    }

    /// The same instant in another zone.
    pub fn with_zone_same_instant(self, zone: Zone) -> TResult<DateTime> {
        DateTime::at_instant(self.instant(), zone)
    }

    /// The time of day with this date-time's offset.
    pub fn time(self) -> Time {
        Time {
            time: self.local.time,
            offset: self.offset,
        }
    }
}

impl Duration {
    pub const ZERO: Duration = Duration {
        months: 0,
        days: 0,
        nanos: 0,
    };

    /// Whole seconds, rounded down (`nanos_of_second` holds the rest).
    pub fn seconds(self) -> i128 {
        self.nanos.div_euclid(i128::from(NANOS_PER_SECOND))
    }

    pub fn nanos_of_second(self) -> i64 {
        self.nanos.rem_euclid(i128::from(NANOS_PER_SECOND)) as i64
    }

    pub fn checked(months: i128, days: i128, nanos: i128) -> TResult<Duration> {
        // The seconds must fit in 64 bits, as in every openCypher engine.
        let limit = i128::from(i64::MAX) * i128::from(NANOS_PER_SECOND);
        match (i64::try_from(months), i64::try_from(days)) {
            (Ok(months), Ok(days)) if nanos.abs() <= limit => Ok(Duration { months, days, nanos }),
            _ => Err(TemporalError::Overflow("the duration is too large".into())),
        }
    }

    pub fn plus(self, o: Duration) -> TResult<Duration> {
        Duration::checked(
            i128::from(self.months) + i128::from(o.months),
            i128::from(self.days) + i128::from(o.days),
            self.nanos
                .checked_add(o.nanos)
                .ok_or_else(|| overflow("the duration"))?,
        )
    }

    pub fn negated(self) -> TResult<Duration> {
        Duration::checked(-i128::from(self.months), -i128::from(self.days), -self.nanos)
    }

    /// Months, days and seconds that may have fractions, each fraction
    /// carried into the next smaller unit (a month as 365.2425 / 12 days, a
    /// day as 86,400 seconds), rounding toward zero below a nanosecond.
    pub fn approximate(months: f64, days: f64, seconds: f64, nanos: f64) -> TResult<Duration> {
        let bad = || TemporalError::Overflow("the duration is too large".into());
        let fin = |x: f64| if x.is_finite() { Ok(x) } else { Err(bad()) };
        let months = fin(months)?;
        let m = months.trunc();
        let days = fin(days + (months - m) * AVG_DAYS_PER_MONTH)?;
        let d = days.trunc();
        let seconds = fin(seconds + (days - d) * 86_400.0)?;
        let s = seconds.trunc();
        let nanos = fin(nanos + (seconds - s) * NANOS_PER_SECOND as f64)?.trunc();
        let to_int = |x: f64| if x.abs() < 9.2e18 { Ok(x as i128) } else { Err(bad()) };
        Duration::checked(
            to_int(m)?,
            to_int(d)?,
            to_int(s)? * i128::from(NANOS_PER_SECOND) + to_int(nanos)?,
        )
    }

    /// The duration times a number: exact for integers, approximated (see
    /// [`Duration::approximate`]) for fractions.
    pub fn mul_int(self, k: i64) -> TResult<Duration> {
        let k = i128::from(k);
        Duration::checked(
            i128::from(self.months) * k,
            i128::from(self.days) * k,
            self.nanos.checked_mul(k).ok_or_else(|| overflow("the duration"))?,
        )
    }

    pub fn mul_float(self, f: f64) -> TResult<Duration> {
        let secs = self.seconds() as f64;
        let nanos = self.nanos_of_second() as f64;
        Duration::approximate(self.months as f64 * f, self.days as f64 * f, secs * f, nanos * f)
    }

    pub fn div_float(self, f: f64) -> TResult<Duration> {
        if f == 0.0 {
            return Err(TemporalError::Invalid("a duration cannot be divided by zero".into()));
        }
        let secs = self.seconds() as f64;
        let nanos = self.nanos_of_second() as f64;
        Duration::approximate(self.months as f64 / f, self.days as f64 / f, secs / f, nanos / f)
    }
}

// ---- printing ----

/// A year as ISO 8601 writes it: four digits, a sign beyond four.
fn write_year(f: &mut fmt::Formatter<'_>, y: i64) -> fmt::Result {
    if y > 9999 {
        write!(f, "+{y}")
    } else if y < 0 {
        write!(f, "-{:04}", y.unsigned_abs())
    } else {
        write!(f, "{y:04}")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write_year(f, y)?;
        write!(f, "-{m:02}-{d:02}")
    }
}

/// `HH:MM`, then `:SS` and a fraction in groups of three digits when they
/// are not zero (as java.time prints).
impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())?;
        let (s, n) = (self.second(), self.nano());
        if s != 0 || n != 0 {
            write!(f, ":{s:02}")?;
            if n != 0 {
                if n % 1_000_000 == 0 {
                    write!(f, ".{:03}", n / 1_000_000)?;
                } else if n % 1000 == 0 {
                    write!(f, ".{:06}", n / 1000)?;
                } else {
                    write!(f, ".{n:09}")?;
                }
            }
        }
        Ok(())
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.time, zone::format_offset(self.offset))
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{}", self.date, self.time)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.local, zone::format_offset(self.offset))?;
        if let Some(tz) = self.zone {
            write!(f, "[{}]", tz.name())?;
        }
        Ok(())
    }
}

/// ISO 8601 `P..Y..M..DT..H..M..S`: each part with its own sign, seconds
/// with as many fraction digits as they need, `PT0S` when all are zero.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Duration::ZERO {
            return write!(f, "PT0S");
        }
        write!(f, "P")?;
        let (y, m) = (self.months / 12, self.months % 12);
        if y != 0 {
            write!(f, "{y}Y")?;
        }
        if m != 0 {
            write!(f, "{m}M")?;
        }
        if self.days != 0 {
            write!(f, "{}D", self.days)?;
        }
        if self.nanos != 0 {
            write!(f, "T")?;
            let sign = if self.nanos < 0 { "-" } else { "" };
            let a = self.nanos.unsigned_abs();
            let secs = a / NANOS_PER_SECOND as u128;
            let frac = a % NANOS_PER_SECOND as u128;
            let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
            if h != 0 {
                write!(f, "{sign}{h}H")?;
            }
            if mi != 0 {
                write!(f, "{sign}{mi}M")?;
            }
            if s != 0 || frac != 0 {
                write!(f, "{sign}{s}")?;
                if frac != 0 {
                    let digits = format!("{frac:09}");
                    write!(f, ".{}", digits.trim_end_matches('0'))?;
                }
                write!(f, "S")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Temporal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Temporal::Date(x) => x.fmt(f),
            Temporal::LocalTime(x) => x.fmt(f),
            Temporal::Time(x) => x.fmt(f),
            Temporal::LocalDateTime(x) => x.fmt(f),
            Temporal::DateTime(x) => x.fmt(f),
            Temporal::Duration(x) => x.fmt(f),
        }
    }
}

// ---- types, equality, order ----

impl Temporal {
    /// The openCypher type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Temporal::Date(_) => "DATE",
            Temporal::LocalTime(_) => "LOCAL TIME",
            Temporal::Time(_) => "ZONED TIME",
            Temporal::LocalDateTime(_) => "LOCAL DATETIME",
            Temporal::DateTime(_) => "ZONED DATETIME",
            Temporal::Duration(_) => "DURATION",
        }
    }

    /// The function that makes this kind of value (`date`, `duration`):
    /// the literal form is `date('2015-07-21')`.
    pub fn constructor(&self) -> &'static str {
        match self {
            Temporal::Date(_) => "date",
            Temporal::LocalTime(_) => "localtime",
            Temporal::Time(_) => "time",
            Temporal::LocalDateTime(_) => "localdatetime",
            Temporal::DateTime(_) => "datetime",
            Temporal::Duration(_) => "duration",
        }
    }

    /// Place in ORDER BY among the temporal kinds: datetimes, local
    /// datetimes, dates, times, local times, durations.
    pub fn rank(&self) -> u8 {
        match self {
            Temporal::DateTime(_) => 0,
            Temporal::LocalDateTime(_) => 1,
            Temporal::Date(_) => 2,
            Temporal::Time(_) => 3,
            Temporal::LocalTime(_) => 4,
            Temporal::Duration(_) => 5,
        }
    }

    /// `=`: values of the same kind that are the same; a date-time or time
    /// equals another only in the same zone (the instant alone is not
    /// enough). Durations are equal when months, days and seconds are.
    pub fn same(&self, other: &Temporal) -> bool {
        self == other
    }

    /// `<` and friends: `None` for different kinds and for durations,
    /// which have no order. Zoned values compare by instant.
    pub fn compare(&self, other: &Temporal) -> Option<Ordering> {
        use Temporal::*;
        match (self, other) {
            (Date(a), Date(b)) => Some(a.cmp(b)),
            (LocalTime(a), LocalTime(b)) => Some(a.cmp(b)),
            (Time(a), Time(b)) => Some(
                a.utc_nanos()
                    .cmp(&b.utc_nanos())
                    .then(a.time.cmp(&b.time))
                    .then(b.offset.cmp(&a.offset)),
            ),
            (LocalDateTime(a), LocalDateTime(b)) => Some(a.cmp(b)),
            (DateTime(a), DateTime(b)) => Some(
                a.instant()
                    .cmp(&b.instant())
                    .then(a.local.cmp(&b.local))
                    .then_with(|| zone_key(a).cmp(&zone_key(b))),
            ),
            _ => None,
        }
    }

    /// The total order ORDER BY uses within one kind (durations included).
    pub fn total_cmp(&self, other: &Temporal) -> Ordering {
        match (self, other) {
            (Temporal::Duration(a), Temporal::Duration(b)) => {
                (a.months, a.days, a.nanos).cmp(&(b.months, b.days, b.nanos))
            }
            _ => self.compare(other).unwrap_or_else(|| self.rank().cmp(&other.rank())),
        }
    }
}

fn zone_key(d: &DateTime) -> (i32, &'static str) {
    (d.offset, d.zone.map(|z| z.name()).unwrap_or(""))
}
