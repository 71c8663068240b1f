//! Time zones: a fixed offset from UTC, or a named zone of the tz database
//! (through `chrono-tz`) whose offset depends on the instant.

use chrono::{NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

use super::calendar::civil_from_days;
use super::{NANOS_PER_DAY, NANOS_PER_SECOND};

/// The largest offset openCypher (and ISO 8601) allows: 18 hours.
pub const MAX_OFFSET: i32 = 18 * 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zone {
    /// Seconds east of UTC.
    Offset(i32),
    Named(Tz),
}

impl Zone {
    pub const UTC: Zone = Zone::Offset(0);

    /// A zone as written: `Z`, `+01`, `+0100`, `+01:00`, `+01:00:30`, or a
    /// tz database name (`Europe/Stockholm`, case as the database has it).
    pub fn parse(s: &str) -> Option<Zone> {
        if let Some(off) = parse_offset(s) {
            return Some(Zone::Offset(off));
        }
        s.parse::<Tz>().ok().map(Zone::Named)
    }

    /// The offset (seconds) for a local time in this zone. For a local time
    /// that happens twice (clocks go back) the earlier offset, or
    /// `prefer` when it is one of the two; for one that never happens
    /// (clocks go forward), the offset after the gap and the local time
    /// moved forward by the gap: `(offset, nanoseconds to add)`.
    pub fn offset_for_local(self, days: i64, nanos: i64, prefer: Option<i32>) -> (i32, i64) {
        let tz = match self {
            Zone::Offset(o) => return (o, 0),
            Zone::Named(tz) => tz,
        };
        let ndt = naive(days, nanos);
        match tz.offset_from_local_datetime(&ndt) {
            chrono::LocalResult::Single(o) => (o.fix().local_minus_utc(), 0),
            chrono::LocalResult::Ambiguous(a, b) => {
                let (a, b) = (a.fix().local_minus_utc(), b.fix().local_minus_utc());
                match prefer {
                    Some(p) if p == b => (b, 0),
                    _ => (a, 0),
                }
            }
            chrono::LocalResult::None => {
                let day = chrono::TimeDelta::days(1);
                let before = ndt.checked_sub_signed(day).unwrap_or(ndt);
                let after = ndt.checked_add_signed(day).unwrap_or(ndt);
                let ob = tz.offset_from_utc_datetime(&before).fix().local_minus_utc();
                let oa = tz.offset_from_utc_datetime(&after).fix().local_minus_utc();
                (oa, i64::from(oa - ob) * NANOS_PER_SECOND)
            }
        }
    }

    /// The offset (seconds) at an instant given as UTC days and nanoseconds.
    pub fn offset_at_instant(self, days: i64, nanos: i64) -> i32 {
        match self {
            Zone::Offset(o) => o,
            Zone::Named(tz) => tz.offset_from_utc_datetime(&naive(days, nanos)).fix().local_minus_utc(),
        }
    }

    pub fn name(self) -> Option<&'static str> {
        match self {
            Zone::Offset(_) => None,
            Zone::Named(tz) => Some(tz.name()),
        }
    }
}

/// A UTC offset as written (`Z`, `+HH`, `+HHMM`, `+HH:MM`, `+HH:MM:SS`,
/// `+HHMMSS`), within ±18:00.
pub fn parse_offset(s: &str) -> Option<i32> {
    if s == "Z" || s == "z" {
        return Some(0);
    }
    let b = s.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = &s[1..];
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // Colons, when present, separate every pair.
    let colon_ok = match rest.len() {
        5 => rest.as_bytes()[2] == b':',
        8 => rest.as_bytes()[2] == b':' && rest.as_bytes()[5] == b':',
        2 | 4 | 6 => !rest.contains(':'),
        _ => false,
    };
    if !colon_ok {
        return None;
    }
    let num = |i: usize| digits.get(i..i + 2).and_then(|x| x.parse::<i32>().ok()).unwrap_or(0);
    let (h, m, sec) = (num(0), num(2), num(4));
    if m > 59 || sec > 59 {
        return None;
    }
    let total = h * 3600 + m * 60 + sec;
    (total <= MAX_OFFSET).then_some(sign * total)
}

/// Formats an offset: `Z`, `+01:00`, or `+00:53:28` when it has seconds.
pub fn format_offset(off: i32) -> String {
    if off == 0 {
        return "Z".into();
    }
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    }
}

/// The chrono date-time for a day count and nanoseconds of the day; days
/// beyond chrono's range are clamped (zone rules are constant that far out).
fn naive(days: i64, nanos: i64) -> NaiveDateTime {
    const LIMIT: i64 = 200_000 * 365;
    let days = days.clamp(-LIMIT, LIMIT);
    let (y, m, d) = civil_from_days(days);
    let nanos = nanos.clamp(0, NANOS_PER_DAY - 1);
    let secs = (nanos / NANOS_PER_SECOND) as u32;
    let sub = (nanos % NANOS_PER_SECOND) as u32;
    NaiveDate::from_ymd_opt(y as i32, m, d)
        .and_then(|date| date.and_hms_nano_opt(secs / 3600, secs / 60 % 60, secs % 60, sub))
        .unwrap_or_default()
}
