//! Temporal values from ISO 8601 text, in the forms openCypher accepts:
//! calendar (`2015-07-21`, `20150721`, `2015-07`), week (`2015-W30-2`,
//! `2015W302`, `2015-W30`), ordinal (`2015-202`, `2015202`) and year-only
//! dates; times `21:40:32.142`, `214032`, `21:40`, `21`; offsets `Z`,
//! `+01:00`, `+0100`, `+01`; zone names in brackets (`[Europe/Stockholm]`);
//! durations `P1Y2M3W4DT5H6M7.5S` (each part may be negative or
//! fractional) and `P2012-02-02T14:37:21.545`.

use std::sync::LazyLock;

use regex::Regex;

use super::calendar::{days_in_year, week_year_start, weeks_in_year};
use super::{
    Date, DateTime, Duration, LocalDateTime, LocalTime, NANOS_PER_SECOND, TResult, TemporalError, Time, Zone, invalid,
    zone,
};

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:(?P<y>[0-9]{4})|(?P<sy>[+-][0-9]{1,9}))(?:
            -(?P<m1>[0-9]{1,2})(?:-(?P<d1>[0-9]{1,2}))?
          | -W(?P<w1>[0-9]{2})(?:-(?P<wd1>[0-9]))?
          | -(?P<o1>[0-9]{3})
          | (?P<m2>[0-9]{2})(?P<d2>[0-9]{2})?
          | W(?P<w2>[0-9]{2})(?P<wd2>[0-9])?
          | (?P<o2>[0-9]{3})
        )?$",
    )
    .expect("date pattern")
});

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?P<h>[0-9]{2})(?:
            :(?P<mi1>[0-9]{2})(?::(?P<s1>[0-9]{2})(?:[.,](?P<f1>[0-9]{1,9}))?)?
          | (?P<mi2>[0-9]{2})(?:(?P<s2>[0-9]{2})(?:[.,](?P<f2>[0-9]{1,9}))?)?
        )?$",
    )
    .expect("time pattern")
});

static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    let n = r"[-+]?[0-9]+(?:[.,][0-9]+)?";
    Regex::new(&format!(
        r"^(?P<sign>[-+]?)P(?:(?P<y>{n})Y)?(?:(?P<mo>{n})M)?(?:(?P<w>{n})W)?(?:(?P<d>{n})D)?(?:T(?:(?P<h>{n})H)?(?:(?P<mi>{n})M)?(?:(?P<s>{n})S)?)?$"
    ))
    .expect("duration pattern")
});

static DURATION_AS_DATETIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?P<sign>[-+]?)P(?P<y>[0-9]{4})-?(?P<mo>[0-9]{2})-?(?P<d>[0-9]{2})
          T(?P<h>[0-9]{2}):?(?P<mi>[0-9]{2}):?(?P<s>[0-9]{2}(?:[.,][0-9]{1,9})?)$",
    )
    .expect("duration date-time pattern")
});

fn bad(kind: &str, s: &str) -> TemporalError {
    TemporalError::Invalid(format!("'{s}' is not a valid {kind} (ISO 8601)"))
}

fn num(s: &str) -> i64 {
    // Every caller passes at most ten digits and an optional sign.
    s.trim_start_matches('+').parse().unwrap_or(0)
}

pub fn parse_date(s: &str) -> TResult<Date> {
    let c = DATE.captures(s).ok_or_else(|| bad("date", s))?;
    let year = num(c.name("y").or(c.name("sy")).map(|m| m.as_str()).unwrap_or("0"));
    let g = |a: &str, b: &str| c.name(a).or(c.name(b)).map(|m| num(m.as_str()));
    if let Some(m) = g("m1", "m2") {
        let d = g("d1", "d2").unwrap_or(1);
        return Date::from_ymd(year, small(m)?, small(d)?);
    }
    if let Some(w) = g("w1", "w2") {
        return week_date(year, w, g("wd1", "wd2").unwrap_or(1));
    }
    if let Some(o) = g("o1", "o2") {
        return ordinal_date(year, o);
    }
    Date::from_ymd(year, 1, 1)
}

fn small(v: i64) -> TResult<u32> {
    u32::try_from(v).or_else(|_| invalid(format!("{v} is out of range")))
}

/// The date of ISO week `week`, day `dow` (Monday 1) of week-year `year`.
pub fn week_date(year: i64, week: i64, dow: i64) -> TResult<Date> {
    Date::from_ymd(year, 1, 1)?;
    let weeks = i64::from(weeks_in_year(year));
    if !(1..=weeks).contains(&week) {
        return invalid(format!("week {week} is not a week of {year} (1 to {weeks})"));
    }
    if !(1..=7).contains(&dow) {
        return invalid(format!("day of week {dow} is not between 1 and 7"));
    }
    Date::checked(week_year_start(year) + (week - 1) * 7 + dow - 1)
}

pub fn ordinal_date(year: i64, day: i64) -> TResult<Date> {
    let first = Date::from_ymd(year, 1, 1)?;
    let n = i64::from(days_in_year(year));
    if !(1..=n).contains(&day) {
        return invalid(format!("day {day} is not a day of {year} (1 to {n})"));
    }
    Date::checked(first.0 + day - 1)
}

pub fn parse_local_time(s: &str) -> TResult<LocalTime> {
    let c = TIME.captures(s).ok_or_else(|| bad("time", s))?;
    let g = |a: &str, b: &str| c.name(a).or(c.name(b)).map(|m| m.as_str());
    let frac = g("f1", "f2").map(fraction).unwrap_or(0);
    LocalTime::from_hms_nano(
        num(&c["h"]),
        g("mi1", "mi2").map(num).unwrap_or(0),
        g("s1", "s2").map(num).unwrap_or(0),
        frac,
    )
}

/// Up to nine digits after the decimal point, as nanoseconds.
fn fraction(digits: &str) -> i64 {
    let mut padded = digits.to_string();
    while padded.len() < 9 {
        padded.push('0');
    }
    padded[..9].parse().unwrap_or(0)
}

/// Splits `text[Zone/Name]` into the text and the zone name.
fn split_zone_name(s: &str) -> TResult<(&str, Option<&str>)> {
    match s.strip_suffix(']') {
        Some(rest) => match rest.rfind('[') {
            Some(i) => Ok((&rest[..i], Some(&rest[i + 1..]))),
            None => invalid(format!("'{s}' has a ']' without a '['")),
        },
        None => Ok((s, None)),
    }
}

/// Splits a time with an offset (`21:40:32+01:00`, `2140Z`) into the time
/// and the offset text.
fn split_offset(s: &str) -> (&str, Option<&str>) {
    match s.find(['+', '-', 'Z', 'z']) {
        Some(i) => (&s[..i], Some(&s[i..])),
        None => (s, None),
    }
}

fn zone_of(offset: Option<&str>, name: Option<&str>, whole: &str) -> TResult<Option<(Option<i32>, Option<Zone>)>> {
    let off = match offset {
        Some(o) => Some(zone::parse_offset(o).ok_or_else(|| bad("time zone offset", whole))?),
        None => None,
    };
    let named = match name {
        Some(n) => match Zone::parse(n) {
            Some(z) => Some(z),
            None => return invalid(format!("'{n}' is not a known time zone")),
        },
        None => None,
    };
    Ok(match (off, named) {
        (None, None) => None,
        (o, z) => Some((o, z)),
    })
}

/// A time with an offset; `default` when the text has none; a zone name
/// gives its offset at `now` (days and nanoseconds since the epoch, UTC).
pub fn parse_time(s: &str, default: Zone, now: (i64, i64)) -> TResult<Time> {
    let (body, name) = split_zone_name(s)?;
    let (time, off) = split_offset(body);
    let time = parse_local_time(time).map_err(|_| bad("time", s))?;
    let offset = match zone_of(off, name, s)? {
        Some((Some(o), _)) => o,
        Some((None, Some(z))) => z.offset_at_instant(now.0, now.1),
        _ => default.offset_at_instant(now.0, now.1),
    };
    Ok(Time { time, offset })
}

fn split_datetime(s: &str) -> (&str, Option<&str>) {
    match s.find(['T', 't']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}

pub fn parse_local_datetime(s: &str) -> TResult<LocalDateTime> {
    let (d, t) = split_datetime(s);
    let date = parse_date(d).map_err(|e| relabel(e, "date and time", s))?;
    let time = match t {
        Some(t) => parse_local_time(t).map_err(|e| relabel(e, "date and time", s))?,
        None => LocalTime(0),
    };
    Ok(LocalDateTime { date, time })
}

fn relabel(e: TemporalError, kind: &str, s: &str) -> TemporalError {
    match e {
        // A range error says more than "not valid".
        TemporalError::Invalid(m) if m.starts_with('\'') => bad(kind, s),
        other => other,
    }
}

/// A date and time with an offset or zone; `default` when it has neither.
/// With both, the offset picks between the two a zone has when clocks go
/// back.
pub fn parse_datetime(s: &str, default: Zone) -> TResult<DateTime> {
    let (body, name) = split_zone_name(s)?;
    let (d, t) = split_datetime(body);
    let (t, off) = match t {
        Some(t) => {
            let (t, off) = split_offset(t);
            (Some(t), off)
        }
        None => (None, None),
    };
    let date = parse_date(d).map_err(|e| relabel(e, "date and time", s))?;
    let time = match t {
        Some(t) => parse_local_time(t).map_err(|e| relabel(e, "date and time", s))?,
        None => LocalTime(0),
    };
    let local = LocalDateTime { date, time };
    match zone_of(off, name, s)? {
        Some((o, Some(z))) => DateTime::in_zone(local, z, o),
        Some((Some(o), None)) => DateTime::in_zone(local, Zone::Offset(o), None),
        _ => DateTime::in_zone(local, default, None),
    }
}

/// The parts a duration is built from (a map's keys or a string's
/// components), whole numbers exactly and fractions carried down.
#[derive(Debug, Default, Clone)]
pub struct DurationParts {
    months: i128,
    days: i128,
    nanos: i128,
    months_f: f64,
    days_f: f64,
    secs_f: f64,
    nanos_f: f64,
}

/// The units a duration is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurUnit {
    Years,
    Quarters,
    Months,
    Weeks,
    Days,
    Hours,
    Minutes,
    Seconds,
    Milliseconds,
    Microseconds,
    Nanoseconds,
}

impl DurUnit {
    pub fn parse(key: &str) -> Option<DurUnit> {
        use DurUnit::*;
        Some(match key.to_ascii_lowercase().as_str() {
            "years" => Years,
            "quarters" => Quarters,
            "months" => Months,
            "weeks" => Weeks,
            "days" => Days,
            "hours" => Hours,
            "minutes" => Minutes,
            "seconds" => Seconds,
            "milliseconds" => Milliseconds,
            "microseconds" => Microseconds,
            "nanoseconds" => Nanoseconds,
            _ => return None,
        })
    }
}

impl DurationParts {
    pub fn add_int(&mut self, unit: DurUnit, v: i64) {
        use DurUnit::*;
        let v = i128::from(v);
        let ns = i128::from(NANOS_PER_SECOND);
        match unit {
            Years => self.months += v * 12,
            Quarters => self.months += v * 3,
            Months => self.months += v,
            Weeks => self.days += v * 7,
            Days => self.days += v,
            Hours => self.nanos += v * 3600 * ns,
            Minutes => self.nanos += v * 60 * ns,
            Seconds => self.nanos += v * ns,
            Milliseconds => self.nanos += v * 1_000_000,
            Microseconds => self.nanos += v * 1000,
            Nanoseconds => self.nanos += v,
        }
    }

    pub fn add_float(&mut self, unit: DurUnit, v: f64) {
        use DurUnit::*;
        match unit {
            Years => self.months_f += v * 12.0,
            Quarters => self.months_f += v * 3.0,
            Months => self.months_f += v,
            Weeks => self.days_f += v * 7.0,
            Days => self.days_f += v,
            Hours => self.secs_f += v * 3600.0,
            Minutes => self.secs_f += v * 60.0,
            Seconds => self.secs_f += v,
            Milliseconds => self.nanos_f += v * 1e6,
            Microseconds => self.nanos_f += v * 1e3,
            Nanoseconds => self.nanos_f += v,
        }
    }

    pub fn finish(&self) -> TResult<Duration> {
        let exact = Duration::checked(self.months, self.days, self.nanos)?;
        if self.months_f == 0.0 && self.days_f == 0.0 && self.secs_f == 0.0 && self.nanos_f == 0.0 {
            return Ok(exact);
        }
        exact.plus(Duration::approximate(
            self.months_f,
            self.days_f,
            self.secs_f,
            self.nanos_f,
        )?)
    }
}

pub fn parse_duration(s: &str) -> TResult<Duration> {
    let d = if let Some(c) = DURATION.captures(s) {
        let units = [
            ("y", DurUnit::Years),
            ("mo", DurUnit::Months),
            ("w", DurUnit::Weeks),
            ("d", DurUnit::Days),
            ("h", DurUnit::Hours),
            ("mi", DurUnit::Minutes),
            ("s", DurUnit::Seconds),
        ];
        if units.iter().all(|(k, _)| c.name(k).is_none()) || s.ends_with('T') {
            return Err(bad("duration", s));
        }
        let mut parts = DurationParts::default();
        for (k, unit) in units {
            if let Some(m) = c.name(k) {
                add_number(&mut parts, unit, m.as_str()).map_err(|_| bad("duration", s))?;
            }
        }
        let d = parts.finish()?;
        if &c["sign"] == "-" { d.negated()? } else { d }
    } else if let Some(c) = DURATION_AS_DATETIME.captures(s) {
        let mut parts = DurationParts::default();
        for (k, unit) in [
            ("y", DurUnit::Years),
            ("mo", DurUnit::Months),
            ("d", DurUnit::Days),
            ("h", DurUnit::Hours),
            ("mi", DurUnit::Minutes),
            ("s", DurUnit::Seconds),
        ] {
            add_number(&mut parts, unit, &c[k]).map_err(|_| bad("duration", s))?;
        }
        let d = parts.finish()?;
        if &c["sign"] == "-" { d.negated()? } else { d }
    } else {
        return Err(bad("duration", s));
    };
    Ok(d)
}

/// A component's number: whole, or with a fraction (exact for seconds).
fn add_number(parts: &mut DurationParts, unit: DurUnit, text: &str) -> Result<(), ()> {
    let text = text.replace(',', ".");
    let negative = text.starts_with('-');
    let body = text.trim_start_matches(['-', '+']);
    let (whole, frac) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    let whole: i64 = whole.parse().map_err(|_| ())?;
    let sign = if negative { -1 } else { 1 };
    match frac {
        None => parts.add_int(unit, sign * whole),
        Some(f) if unit == DurUnit::Seconds && f.len() <= 9 => {
            parts.add_int(unit, sign * whole);
            parts.add_int(DurUnit::Nanoseconds, sign * fraction(f));
        }
        Some(_) => parts.add_float(unit, text.parse::<f64>().map_err(|_| ())?),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_times_and_durations_read_back() {
        for (s, want) in [
            ("2015-07-21", "2015-07-21"),
            ("20150721", "2015-07-21"),
            ("2015-W30-2", "2015-07-21"),
            ("2015W30", "2015-07-20"),
            ("2015202", "2015-07-21"),
            ("2015", "2015-01-01"),
            ("+999999999-12-31", "+999999999-12-31"),
            ("-0001-01-01", "-0001-01-01"),
        ] {
            assert_eq!(parse_date(s).map(|d| d.to_string()), Ok(want.to_string()), "{s}");
        }
        for s in ["2015-02-30", "2015-13-01", "2015-W54", "1000000000-01-01", "", "x"] {
            assert!(parse_date(s).is_err(), "{s}");
        }
        assert_eq!(parse_local_time("214032.142").unwrap().to_string(), "21:40:32.142");
        for s in ["24:00", "23:59:60", "12:60", "1"] {
            assert!(parse_local_time(s).is_err(), "{s}");
        }
        for (s, want) in [
            ("P14DT16H12M", "P14DT16H12M"),
            ("P5M1.5D", "P5M1DT12H"),
            ("P0.75M", "P22DT19H51M49.5S"),
            ("PT0.75M", "PT45S"),
            ("P2.5W", "P17DT12H"),
            ("P12Y5M14DT16H12M70S", "P12Y5M14DT16H13M10S"),
            ("P2012-02-02T14:37:21.545", "P2012Y2M2DT14H37M21.545S"),
            ("PT-1.999S", "PT-1.999S"),
        ] {
            assert_eq!(parse_duration(s).map(|d| d.to_string()), Ok(want.to_string()), "{s}");
        }
        for s in ["P", "PT", "P1", "1D", "P1DT"] {
            assert!(parse_duration(s).is_err(), "{s}");
        }
    }
}
