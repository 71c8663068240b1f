//! The proleptic Gregorian calendar over the whole range openCypher allows
//! (years -999,999,999 to 999,999,999): days since 1970-01-01 to and from
//! year/month/day, ISO week dates, ordinal and quarter dates. Pure integer
//! arithmetic, no table, no panic for any year in range.

/// The smallest and largest year a date may have.
pub const MIN_YEAR: i64 = -999_999_999;
pub const MAX_YEAR: i64 = 999_999_999;

/// Days since 1970-01-01 of a valid `(year, month, day)`.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of a day count.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn is_leap(y: i64) -> bool {
    y.rem_euclid(4) == 0 && (y.rem_euclid(100) != 0 || y.rem_euclid(400) == 0)
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub fn days_in_year(y: i64) -> u32 {
    if is_leap(y) { 366 } else { 365 }
}

/// ISO day of week: Monday 1 to Sunday 7.
pub fn weekday(days: i64) -> u32 {
    ((days + 3).rem_euclid(7) + 1) as u32
}

/// The Monday that starts ISO week 1 of week-year `y`.
pub fn week_year_start(y: i64) -> i64 {
    let jan4 = days_from_civil(y, 1, 4);
    jan4 - i64::from(weekday(jan4)) + 1
}

/// Weeks in ISO week-year `y` (52 or 53).
pub fn weeks_in_year(y: i64) -> u32 {
    ((week_year_start(y + 1) - week_year_start(y)) / 7) as u32
}

/// `(week-year, week)` of a day count.
pub fn iso_week(days: i64) -> (i64, u32) {
    let (y, ..) = civil_from_days(days);
    let wy = if days < week_year_start(y) {
        y - 1
    } else if days >= week_year_start(y + 1) {
        y + 1
    } else {
        y
    };
    (wy, ((days - week_year_start(wy)) / 7 + 1) as u32)
}

/// Day of the year, 1-based.
pub fn ordinal_day(days: i64) -> u32 {
    let (y, ..) = civil_from_days(days);
    (days - days_from_civil(y, 1, 1) + 1) as u32
}

/// Quarter (1 to 4) and day of the quarter (1-based).
pub fn quarter_of(days: i64) -> (u32, u32) {
    let (y, m, _) = civil_from_days(days);
    let q = (m - 1) / 3 + 1;
    (q, (days - days_from_civil(y, (q - 1) * 3 + 1, 1) + 1) as u32)
}

pub fn days_in_quarter(y: i64, q: u32) -> u32 {
    let first = (q - 1) * 3 + 1;
    (first..first + 3).map(|m| days_in_month(y, m)).sum()
}

/// Adds months to a date, clamping the day to the end of the month
/// (January 31 plus one month is the last day of February). `None` when
/// the year leaves the supported range.
pub fn plus_months(days: i64, months: i64) -> Option<i64> {
    let (y, m, d) = civil_from_days(days);
    let total = y.checked_mul(12)?.checked_add(i64::from(m) - 1)?.checked_add(months)?;
    let ny = total.div_euclid(12);
    let nm = (total.rem_euclid(12) + 1) as u32;
    if !(MIN_YEAR..=MAX_YEAR).contains(&ny) {
        return None;
    }
    Some(days_from_civil(ny, nm, d.min(days_in_month(ny, nm))))
}

/// The day count when it is within the supported years.
pub fn in_range(days: i64) -> Option<i64> {
    let lo = days_from_civil(MIN_YEAR, 1, 1);
    let hi = days_from_civil(MAX_YEAR, 12, 31);
    (lo..=hi).contains(&days).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_weeks() {
        for z in [-1_000_000i64, -719_468, -1, 0, 1, 59, 10_957, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(weekday(0), 4);
        // 1984-01-01 is in week 52 of 1983.
        assert_eq!(iso_week(days_from_civil(1984, 1, 1)), (1983, 52));
        assert_eq!(weeks_in_year(1818), 53);
        let (y, m, d) = civil_from_days(days_from_civil(MAX_YEAR, 12, 31));
        assert_eq!((y, m, d), (MAX_YEAR, 12, 31));
        assert_eq!(
            plus_months(days_from_civil(2015, 1, 31), 1),
            Some(days_from_civil(2015, 2, 28))
        );
    }
}
