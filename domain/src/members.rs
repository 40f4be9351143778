//! A network's members: municipalities, each a member for a period. A period runs from a day
//! through a day, both included; a membership may have no end (valid until it is ended), and
//! one imported from before the periods were kept has no start. Membership is asked on the
//! meeting's date. Networks count membership by the year ("Medlemskab af KNUB 2020"): by
//! default the calendar year, or a year that starts on another day ([`MembershipYear`]).
//! The JSON shapes of the organiser's member endpoints are defined here, for the organiser page
//! and the server alike.

use crate::Lang;
use crate::calendar::Date;
use serde::{Deserialize, Serialize};

/// The day a network's membership year starts (`MM-DD`; 1 January unless the network sets
/// another). A year is named by the calendar year it starts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MembershipYear {
    pub month: u8,
    pub day: u8,
}

impl Default for MembershipYear {
    fn default() -> Self {
        MembershipYear { month: 1, day: 1 }
    }
}

impl MembershipYear {
    /// Reads `MM-DD`: a day every year has (29 February is not one).
    pub fn parse(s: &str) -> Option<MembershipYear> {
        let (m, d) = s.split_once('-')?;
        if m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date::parse(&format!("2021-{m}-{d}"))?;
        Some(MembershipYear {
            month: date.month,
            day: date.day,
        })
    }

    /// The first and the last day of the membership year `year`.
    pub fn days(self, year: i32) -> (Date, Date) {
        let first = |y| Date {
            year: y,
            month: self.month,
            day: self.day,
        };
        (first(year), day_before(first(year + 1)))
    }

    /// The membership year a day falls in.
    pub fn of(self, date: Date) -> i32 {
        if (date.month, date.day) < (self.month, self.day) {
            date.year - 1
        } else {
            date.year
        }
    }
}

impl std::fmt::Display for MembershipYear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

/// The day before.
pub fn day_before(date: Date) -> Date {
    Date::from_days_since_epoch(date.days_since_epoch() - 1)
}

/// The day after.
pub fn day_after(date: Date) -> Date {
    Date::from_days_since_epoch(date.days_since_epoch() + 1)
}

/// The Danish date at a Unix time.
pub fn danish_date(unix: i64) -> Date {
    let offset = if crate::calendar::is_summer_time(unix) {
        7200
    } else {
        3600
    };
    Date::from_days_since_epoch((unix + offset).div_euclid(86_400))
}

/// The years an organiser may ask for or set: enough for a network's past and plans.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// How a municipality became a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Became {
    /// From a member file (or a member from before periods were kept).
    Imported,
    /// Its application for membership was approved.
    Approved,
    /// An organiser added it (a board decision, a paid invoice).
    Added,
}

impl Became {
    pub const ALL: [Became; 3] = [Became::Imported, Became::Approved, Became::Added];

    /// The value as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Became::Imported => "imported",
            Became::Approved => "approved",
            Became::Added => "added",
        }
    }

    pub fn parse(stored: &str) -> Option<Became> {
        Became::ALL.into_iter().find(|b| b.as_str() == stored)
    }

    /// How the member list and its sheet say it.
    pub fn words(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Became::Imported, Lang::Da) => "Importeret",
            (Became::Imported, Lang::En) => "Imported",
            (Became::Approved, Lang::Da) => "Ansøgning godkendt",
            (Became::Approved, Lang::En) => "Application approved",
            (Became::Added, Lang::Da) => "Tilføjet",
            (Became::Added, Lang::En) => "Added",
        }
    }
}

/// The member sheet's columns.
pub fn columns(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Da => [
            "Kode",
            "Kommune",
            "Medlem fra",
            "Medlem til",
            "Sådan",
            "Af",
            "Note",
        ],
        Lang::En => [
            "Code",
            "Municipality",
            "Member from",
            "Member until",
            "How",
            "By",
            "Note",
        ],
    }
}

/// A membership as kept: the municipality, its period, how it began, by whom, and the note.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Member {
    pub municipality_code: u16,
    /// From this day; none: from before the periods were kept.
    pub valid_from: Option<Date>,
    /// Through this day; none: until it is ended.
    pub valid_until: Option<Date>,
    pub became: Became,
    /// Who added it or approved it ("Navn <adresse>", "token"); empty for an import.
    pub by: String,
    pub note: String,
    /// Its registrations for meetings to come, per meeting (an end's choice needs them).
    #[serde(default)]
    pub upcoming: Vec<Upcoming>,
}

impl Member {
    /// Whether the period holds the day.
    pub fn holds(&self, day: Date) -> bool {
        self.valid_from.is_none_or(|f| f <= day) && self.valid_until.is_none_or(|u| day <= u)
    }
}

/// How many of a municipality's people are registered for a meeting to come.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Upcoming {
    pub meeting_id: String,
    pub date: Date,
    pub registered: i64,
}

/// What was done to a network's members.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipAction {
    /// Read from a member file at start.
    Imported,
    /// An application approved: a member for the meeting's membership year.
    Approved,
    /// Made a member by an organiser.
    Added,
    /// A membership's end set or moved.
    Changed,
    /// The memberships ending with one year extended through the next.
    Renewed,
    /// A renewal undone.
    RenewalUndone,
    /// The day the membership year starts set.
    YearSet,
}

impl MembershipAction {
    pub const ALL: [MembershipAction; 7] = [
        MembershipAction::Imported,
        MembershipAction::Approved,
        MembershipAction::Added,
        MembershipAction::Changed,
        MembershipAction::Renewed,
        MembershipAction::RenewalUndone,
        MembershipAction::YearSet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MembershipAction::Imported => "imported",
            MembershipAction::Approved => "approved",
            MembershipAction::Added => "added",
            MembershipAction::Changed => "changed",
            MembershipAction::Renewed => "renewed",
            MembershipAction::RenewalUndone => "renewal_undone",
            MembershipAction::YearSet => "year_set",
        }
    }

    pub fn parse(stored: &str) -> Option<MembershipAction> {
        MembershipAction::ALL
            .into_iter()
            .find(|a| a.as_str() == stored)
    }
}

/// One line of a network's member history: what, to which municipality (none: to many), by
/// whom, when (seconds since the epoch), and the detail (a period, a note, a count).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipEvent {
    pub at: i64,
    pub by: String,
    pub action: MembershipAction,
    pub municipality_code: Option<u16>,
    pub detail: String,
}

/// A renewal: the memberships ending with `from_year` extended through `to_year`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Renewal {
    pub id: i64,
    pub from_year: i32,
    pub to_year: i32,
    /// How many memberships it extended.
    pub renewed: i64,
    pub by: String,
    pub at: i64,
    /// Until when it may be undone (seconds since the epoch); a day after it was made.
    pub undo_until: i64,
    pub undone: bool,
}

impl Renewal {
    /// A renewal may be undone for a day.
    pub const UNDO_SECONDS: i64 = 86_400;
}

/// `GET /api/organiser/networks/{network}/members?year=YYYY`: who is a member in the year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Members {
    pub network: String,
    pub year: i32,
    /// The year's first and last day.
    pub from: Date,
    pub until: Date,
    /// The membership year's first day, `MM-DD`.
    pub year_starts: String,
    /// Every membership that holds a day of the year, by municipality code.
    pub members: Vec<Member>,
    /// How many memberships renewing the year before into this one would extend.
    #[serde(default)]
    pub renewable: i64,
    /// The network's latest renewal, while it may be undone.
    pub renewal: Option<Renewal>,
    /// The network's member history, newest first.
    pub history: Vec<MembershipEvent>,
}

/// What becomes of registrations for meetings after a membership's new end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterEnd {
    /// They stay registered.
    #[default]
    Keep,
    /// They wait for a decision on membership, as an application's do.
    Wait,
}

/// `PUT /api/organiser/networks/{network}/members/{code}`: the municipality is a member from
/// `valid_from` through `valid_until` (none: until ended). A membership that holds
/// `valid_from` is that membership, continued or ended at `valid_until`; otherwise a new one
/// begins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetMembership {
    pub valid_from: Date,
    #[serde(default)]
    pub valid_until: Option<Date>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub registrations: AfterEnd,
}

impl SetMembership {
    /// Characters in a note.
    pub const MAX_NOTE: usize = 1_000;

    /// Whether it can be kept: an end not before the start, years in [`YEARS`], a note of at
    /// most [`Self::MAX_NOTE`] characters.
    pub fn is_valid(&self) -> bool {
        let in_range = |d: Date| YEARS.contains(&d.year);
        in_range(self.valid_from)
            && self
                .valid_until
                .is_none_or(|u| in_range(u) && u >= self.valid_from)
            && self.note.chars().count() <= Self::MAX_NOTE
    }
}

/// The answer to a [`SetMembership`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipSet {
    pub member: Member,
    /// Registrations moved to wait for a decision (see [`AfterEnd::Wait`]).
    pub waiting: usize,
}

/// `POST /api/organiser/networks/{network}/members/renew`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renew {
    pub from_year: i32,
    pub to_year: i32,
}

impl Renew {
    /// A renewal reaches forward, within [`YEARS`].
    pub fn is_valid(self) -> bool {
        YEARS.contains(&self.from_year)
            && YEARS.contains(&self.to_year)
            && self.to_year > self.from_year
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_calendar_year_runs_from_new_year_to_new_years_eve() {
        let year = MembershipYear::default();
        assert_eq!(year.days(2026), (d("2026-01-01"), d("2026-12-31")));
        assert_eq!(year.of(d("2026-12-31")), 2026);
        assert_eq!(year.of(d("2027-01-01")), 2027);
    }

    #[test]
    fn a_year_may_start_on_another_day() {
        let year = MembershipYear::parse("09-01").unwrap();
        assert_eq!(year.days(2026), (d("2026-09-01"), d("2027-08-31")));
        assert_eq!(year.of(d("2027-08-31")), 2026);
        assert_eq!(year.of(d("2027-09-01")), 2027);
        assert_eq!(year.to_string(), "09-01");
        // Across a leap day.
        assert_eq!(
            MembershipYear::parse("03-01").unwrap().days(2027).1,
            d("2028-02-29")
        );
        for bad in ["02-29", "13-01", "1-01", "0101", ""] {
            assert_eq!(MembershipYear::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_period_holds_its_first_and_last_day() {
        let member = Member {
            municipality_code: 101,
            valid_from: Some(d("2026-01-01")),
            valid_until: Some(d("2026-12-31")),
            became: Became::Added,
            by: String::new(),
            note: String::new(),
            upcoming: vec![],
        };
        assert!(member.holds(d("2026-01-01")) && member.holds(d("2026-12-31")));
        assert!(!member.holds(d("2025-12-31")) && !member.holds(d("2027-01-01")));
        let open = Member {
            valid_from: None,
            valid_until: None,
            ..member
        };
        assert!(open.holds(d("1999-01-01")) && open.holds(d("2100-01-01")));
    }

    #[test]
    fn the_danish_date_turns_at_danish_midnight() {
        // 2026-12-31 23:30 UTC is 2027-01-01 00:30 in Copenhagen.
        let t = crate::calendar::LocalDateTime::parse("2027-01-01T00:30")
            .unwrap()
            .to_unix();
        assert_eq!(danish_date(t), d("2027-01-01"));
        assert_eq!(danish_date(t - 3600), d("2026-12-31"));
    }

    #[test]
    fn a_period_ends_not_before_it_starts_and_a_renewal_reaches_forward() {
        let set = |from: &str, until: Option<&str>| SetMembership {
            valid_from: d(from),
            valid_until: until.map(d),
            note: String::new(),
            registrations: AfterEnd::Keep,
        };
        assert!(set("2026-01-01", Some("2026-01-01")).is_valid());
        assert!(set("2026-01-01", None).is_valid());
        assert!(!set("2026-01-02", Some("2026-01-01")).is_valid());
        assert!(!set("1900-01-01", None).is_valid());
        assert!(
            Renew {
                from_year: 2026,
                to_year: 2027
            }
            .is_valid()
        );
        assert!(
            !Renew {
                from_year: 2026,
                to_year: 2026
            }
            .is_valid()
        );
    }
}
