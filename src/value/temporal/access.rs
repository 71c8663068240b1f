//! Components of temporal values: `d.year`, `t.timezone`, `dur.months`.
//! Names are matched without regard to case, as openCypher keys of
//! temporal values are.

use super::calendar::{iso_week, ordinal_day, quarter_of, weekday};
use super::{Date, Duration, LocalTime, NANOS_PER_SECOND, TResult, Temporal, TemporalError, invalid, zone};
use crate::value::Value;

impl Temporal {
    /// The component `key`, or an error naming the components there are.
    pub fn component(&self, key: &str) -> TResult<Value> {
        let k = key.to_ascii_lowercase();
        let found = match self {
            Temporal::Date(d) => date_part(*d, &k),
            Temporal::LocalTime(t) => time_part(*t, &k),
            Temporal::Time(t) => time_part(t.time, &k).or_else(|| offset_part(t.offset, None, &k)),
            Temporal::LocalDateTime(x) => date_part(x.date, &k).or_else(|| time_part(x.time, &k)),
            Temporal::DateTime(x) => date_part(x.local.date, &k)
                .or_else(|| time_part(x.local.time, &k))
                .or_else(|| offset_part(x.offset, x.zone.map(|z| z.name()), &k))
                .or_else(|| {
                    let ns = x.instant();
                    match k.as_str() {
                        "epochseconds" => Some(Value::Int(ns.div_euclid(i128::from(NANOS_PER_SECOND)) as i64)),
                        "epochmillis" => Some(Value::Int(ns.div_euclid(1_000_000) as i64)),
                        _ => None,
                    }
                }),
            Temporal::Duration(d) => match duration_part(*d, &k) {
                Some(v) => match i64::try_from(v) {
                    Ok(i) => Some(Value::Int(i)),
                    Err(_) => {
                        return Err(TemporalError::Overflow(format!(
                            "the duration's {key} do not fit in an integer"
                        )));
                    }
                },
                None => None,
            },
        };
        match found {
            Some(v) => Ok(v),
            None => invalid(format!("a {} has no component '{key}'", self.type_name())),
        }
    }
}

fn date_part(d: Date, k: &str) -> Option<Value> {
    let (y, m, day) = d.ymd();
    Some(Value::Int(match k {
        "year" => y,
        "quarter" => i64::from(quarter_of(d.0).0),
        "month" => i64::from(m),
        "week" => i64::from(iso_week(d.0).1),
        "weekyear" => iso_week(d.0).0,
        "day" => i64::from(day),
        "ordinalday" => i64::from(ordinal_day(d.0)),
        "weekday" | "dayofweek" => i64::from(weekday(d.0)),
        "dayofquarter" => i64::from(quarter_of(d.0).1),
        _ => return None,
    }))
}

fn time_part(t: LocalTime, k: &str) -> Option<Value> {
    Some(Value::Int(match k {
        "hour" => t.hour(),
        "minute" => t.minute(),
        "second" => t.second(),
        "millisecond" => t.nano() / 1_000_000,
        "microsecond" => t.nano() / 1000,
        "nanosecond" => t.nano(),
        _ => return None,
    }))
}

fn offset_part(offset: i32, zone_name: Option<&str>, k: &str) -> Option<Value> {
    Some(match k {
        "timezone" => Value::str(
            &zone_name
                .map(str::to_string)
                .unwrap_or_else(|| zone::format_offset(offset)),
        ),
        "offset" => Value::str(&zone::format_offset(offset)),
        "offsetminutes" => Value::Int(i64::from(offset / 60)),
        "offsetseconds" => Value::Int(i64::from(offset)),
        _ => return None,
    })
}

fn duration_part(d: Duration, k: &str) -> Option<i128> {
    let secs = d.seconds();
    let nos = i128::from(d.nanos_of_second());
    let v: i128 = match k {
        "years" => i128::from(d.months / 12),
        "quarters" => i128::from(d.months / 3),
        "months" => i128::from(d.months),
        "weeks" => i128::from(d.days / 7),
        "days" => i128::from(d.days),
        "hours" => secs / 3600,
        "minutes" => secs / 60,
        "seconds" => secs,
        "milliseconds" => secs * 1000 + nos / 1_000_000,
        "microseconds" => secs * 1_000_000 + nos / 1000,
        "nanoseconds" => d.nanos,
        "quartersofyear" => i128::from(d.months % 12 / 3),
        "monthsofquarter" => i128::from(d.months % 3),
        "monthsofyear" => i128::from(d.months % 12),
        "daysofweek" => i128::from(d.days % 7),
        "minutesofhour" => secs / 60 % 60,
        "secondsofminute" => secs % 60,
        "millisecondsofsecond" => nos / 1_000_000,
        "microsecondsofsecond" => nos / 1000,
        "nanosecondsofsecond" => nos,
        _ => return None,
    };
    Some(v)
}
