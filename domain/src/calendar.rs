//! Dates and times as the meeting data states them (local time in Denmark), formatted the Danish
//! way and converted to UTC for calendar files.
//!
//! Written by hand rather than with `chrono`/`chrono-tz`: the app needs one time zone, and the tz
//! database alone would add more to the wasm bundle than the whole form. Denmark follows the EU
//! rule (in force since 1996): summer time from the last Sunday of March to the last Sunday of
//! October, switching at 01:00 UTC.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// A wall-clock time of day, minutes precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
}

/// A local date and time in Denmark (Europe/Copenhagen).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalDateTime {
    pub date: Date,
    pub time: Time,
}

const WEEKDAYS_DA: [&str; 7] = [
    "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
];
const MONTHS_DA: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// Builds a date, or `None` when it does not exist (31 April, 29 February 2021, …).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Date::new(
            digits(&s[0..4])? as i32,
            digits(&s[5..7])? as u8,
            digits(&s[8..10])? as u8,
        )
    }

    /// Days since 1970-01-01 (negative before). Howard Hinnant's `days_from_civil`.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (inverse of [`Date::days_since_epoch`]).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> usize {
        // 1970-01-01 was a Thursday (index 3).
        (self.days_since_epoch() + 3).rem_euclid(7) as usize
    }

    /// "mandag den 17. maj 2021".
    pub fn format_da(self) -> String {
        format!(
            "{} den {}. {} {}",
            WEEKDAYS_DA[self.weekday()],
            self.day,
            MONTHS_DA[usize::from(self.month) - 1],
            self.year
        )
    }

    /// "Monday 17 May 2021" (British order, as the EU institutions write it).
    pub fn format_en(self) -> String {
        format!(
            "{} {} {} {}",
            WEEKDAYS_EN[self.weekday()],
            self.day,
            MONTHS_EN[usize::from(self.month) - 1],
            self.year
        )
    }

    /// "17/5" as the announcement writes short dates.
    pub fn format_short_da(self) -> String {
        format!("{}/{}", self.day, self.month)
    }

    /// The last Sunday of a month, for the EU summer-time rule.
    fn last_sunday(year: i32, month: u8) -> Date {
        let last = Date {
            year,
            month,
            day: days_in_month(year, month),
        };
        let back = (last.weekday() + 1) % 7; // Sunday has index 6
        Date {
            day: last.day - back as u8,
            ..last
        }
    }
}

impl Time {
    /// Parses `HH:MM` (24-hour clock).
    pub fn parse(s: &str) -> Option<Time> {
        let b = s.as_bytes();
        if b.len() != 5 || b[2] != b':' {
            return None;
        }
        let (hour, minute) = (digits(&s[0..2])? as u8, digits(&s[3..5])? as u8);
        (hour < 24 && minute < 60).then_some(Time { hour, minute })
    }

    /// Danish style: "9.15", "15.00" (no leading zero on the hour, a full stop between).
    pub fn format_da(self) -> String {
        format!("{}.{:02}", self.hour, self.minute)
    }

    /// English style: "9:15", "15:00".
    pub fn format_en(self) -> String {
        format!("{}:{:02}", self.hour, self.minute)
    }

    fn minutes(self) -> i64 {
        i64::from(self.hour) * 60 + i64::from(self.minute)
    }
}

impl LocalDateTime {
    /// Parses `YYYY-MM-DDTHH:MM`.
    pub fn parse(s: &str) -> Option<LocalDateTime> {
        let (d, t) = s.split_once('T')?;
        Some(LocalDateTime {
            date: Date::parse(d)?,
            time: Time::parse(t)?,
        })
    }

    /// Seconds since the Unix epoch of this Danish wall-clock time.
    pub fn to_unix(self) -> i64 {
        let local = self.date.days_since_epoch() * 86_400 + self.time.minutes() * 60;
        // Summer time starts at 02:00 local standard time (01:00 UTC) and ends at 03:00 local
        // summer time (01:00 UTC); compare in UTC assuming standard time first.
        let as_standard = local - 3600;
        let offset = if is_summer_time(as_standard) {
            7200
        } else {
            3600
        };
        local - offset
    }

    /// "20250317T081500Z", the UTC form calendar files use.
    pub fn to_ics_utc(self) -> String {
        format_ics_utc(self.to_unix())
    }
}

/// Whether Danish summer time (CEST, UTC+2) is in force at this instant.
pub fn is_summer_time(unix: i64) -> bool {
    let year = Date::from_days_since_epoch(unix.div_euclid(86_400)).year;
    let start = Date::last_sunday(year, 3).days_since_epoch() * 86_400 + 3600;
    let end = Date::last_sunday(year, 10).days_since_epoch() * 86_400 + 3600;
    (start..end).contains(&unix)
}

/// A Unix time as Danish local time, `2021-05-17 09:15` (for exports read by people).
pub fn format_local(unix: i64) -> String {
    let local = unix + if is_summer_time(unix) { 7200 } else { 3600 };
    let d = Date::from_days_since_epoch(local.div_euclid(86_400));
    let s = local.rem_euclid(86_400);
    format!("{d} {:02}:{:02}", s / 3600, s / 60 % 60)
}

/// Formats a Unix time as an iCalendar UTC date-time, `YYYYMMDDTHHMMSSZ`.
pub fn format_ics_utc(unix: i64) -> String {
    let d = Date::from_days_since_epoch(unix.div_euclid(86_400));
    let s = unix.rem_euclid(86_400);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        d.year,
        d.month,
        d.day,
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn digits(s: &str) -> Option<u32> {
    s.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| s.parse().ok())?
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{}", self.date, self.time)
    }
}

/// Serde as the ISO strings the meeting JSON uses, so a bad date fails at load with a clear
/// message instead of later in the view.
macro_rules! iso_serde {
    ($t:ty, $what:expr) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                <$t>::parse(&s)
                    .ok_or_else(|| serde::de::Error::custom(format_args!("{}{:?}", $what, s)))
            }
        }
    };
}
iso_serde!(Date, NOT_A_DATE);
iso_serde!(Time, NOT_A_TIME);
iso_serde!(LocalDateTime, NOT_A_DATE_TIME);

/// How the calendar types say a text is not theirs: the words before the text given, so that
/// `Meeting::from_json` can tell which it was.
pub(crate) const NOT_A_DATE: &str = "a date YYYY-MM-DD expected, got ";
pub(crate) const NOT_A_TIME: &str = "a time HH:MM expected, got ";
pub(crate) const NOT_A_DATE_TIME: &str = "a date and time YYYY-MM-DDTHH:MM expected, got ";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meeting_day_is_a_monday_in_danish() {
        let d = Date::parse("2021-05-17").unwrap();
        assert_eq!(d.format_da(), "mandag den 17. maj 2021");
        assert_eq!(d.format_short_da(), "17/5");
        assert_eq!(Time::parse("09:15").unwrap().format_da(), "9.15");
        assert_eq!(Time::parse("15:00").unwrap().format_da(), "15.00");
        assert_eq!(d.format_en(), "Monday 17 May 2021");
        assert_eq!(Time::parse("09:15").unwrap().format_en(), "9:15");
    }

    #[test]
    fn rejects_impossible_dates_and_times() {
        for bad in [
            "2021-02-29",
            "2021-13-01",
            "2021-04-31",
            "21-05-17",
            "2021-5-17",
            "x",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some());
        for bad in ["24:00", "9:15", "09:60", "09-15", "+9:15"] {
            assert_eq!(Time::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn epoch_days_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(Date::parse("1970-01-01").unwrap().weekday(), 3);
    }

    #[test]
    fn copenhagen_offsets_follow_the_eu_rule() {
        let utc = |s: &str| LocalDateTime::parse(s).unwrap().to_ics_utc();
        // Summer (CEST, UTC+2) and winter (CET, UTC+1).
        assert_eq!(utc("2021-05-17T09:15"), "20210517T071500Z");
        assert_eq!(utc("2021-12-01T09:15"), "20211201T081500Z");
        // 2021: summer time from 28 March 01:00 UTC to 31 October 01:00 UTC.
        assert_eq!(utc("2021-03-28T01:59"), "20210328T005900Z");
        assert_eq!(utc("2021-03-28T03:00"), "20210328T010000Z");
        assert_eq!(utc("2021-10-31T01:59"), "20211030T235900Z");
        assert_eq!(utc("2021-10-31T03:00"), "20211031T020000Z");
    }

    #[test]
    fn local_time_round_trips() {
        for s in ["2021-05-17T09:15", "2021-12-24T18:00", "2021-10-31T03:00"] {
            let t = LocalDateTime::parse(s).unwrap();
            assert_eq!(format_local(t.to_unix()), s.replace('T', " "));
        }
    }
}
