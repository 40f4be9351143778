//! Meetings as the organiser makes them on the organiser page: each a meeting document (the
//! public format, [`Meeting`]) with a status, a history of who did what, and the rules of a
//! copy and of a change that reaches the people registered. The JSON shapes of the organiser's
//! meeting endpoints are defined here, for the organiser page and the server alike.

use crate::calendar::{Date, LocalDateTime};
use crate::meeting::{MeetingError, Problem};
use crate::{Lang, Meeting};
use serde::{Deserialize, Serialize};

/// Where a meeting stands: a draft is seen only on the organiser page; a published meeting is
/// public and open for registration until its deadline; a cancelled one is public, says so,
/// and takes no registrations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Draft,
    #[default]
    Published,
    Cancelled,
}

impl MeetingStatus {
    pub const ALL: [MeetingStatus; 3] = [
        MeetingStatus::Draft,
        MeetingStatus::Published,
        MeetingStatus::Cancelled,
    ];

    /// The value as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Draft => "draft",
            MeetingStatus::Published => "published",
            MeetingStatus::Cancelled => "cancelled",
        }
    }

    /// The status as stored, if it is one.
    pub fn parse(stored: &str) -> Option<MeetingStatus> {
        MeetingStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == stored)
    }

    /// Whether visitors see the meeting (its JSON and its pre-rendered page).
    pub fn is_public(self) -> bool {
        self != MeetingStatus::Draft
    }
}

/// What was done to a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingAction {
    /// Made on the organiser page (from scratch).
    Created,
    /// Made as a copy of another meeting (the detail names it).
    Copied,
    /// Read from a meeting file at start.
    Imported,
    /// Its document changed (the detail says whether its time did, and whom that reached).
    Edited,
    Published,
    /// Cancelled (the detail is the reason).
    Cancelled,
    /// The online meeting's link set (the detail is the link).
    JoinLinkSet,
}

impl MeetingAction {
    pub const ALL: [MeetingAction; 7] = [
        MeetingAction::Created,
        MeetingAction::Copied,
        MeetingAction::Imported,
        MeetingAction::Edited,
        MeetingAction::Published,
        MeetingAction::Cancelled,
        MeetingAction::JoinLinkSet,
    ];

    /// The value as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingAction::Created => "created",
            MeetingAction::Copied => "copied",
            MeetingAction::Imported => "imported",
            MeetingAction::Edited => "edited",
            MeetingAction::Published => "published",
            MeetingAction::Cancelled => "cancelled",
            MeetingAction::JoinLinkSet => "join_link_set",
        }
    }

    pub fn parse(stored: &str) -> Option<MeetingAction> {
        MeetingAction::ALL
            .into_iter()
            .find(|a| a.as_str() == stored)
    }
}

/// One line of a meeting's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingEvent {
    /// When, Danish local time (`YYYY-MM-DD HH:MM`).
    pub at: String,
    /// Who: the organiser's name as signed in, or the command line.
    pub by: String,
    pub action: MeetingAction,
    #[serde(default)]
    pub detail: String,
}

/// A meeting as the organiser's endpoints answer with it: the document and where it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingRecord {
    pub status: MeetingStatus,
    pub meeting: Meeting,
    /// Why it was cancelled, once it is.
    #[serde(default)]
    pub cancel_reason: Option<String>,
    /// Attendees registered now: whom a change of its time, or its cancellation, is mailed to.
    #[serde(default)]
    pub registered: usize,
    /// Whom the change just made was mailed to (an edit of the time, a cancellation); 0 for
    /// every other answer.
    #[serde(default)]
    pub told: usize,
    /// What was done to it, newest first.
    #[serde(default)]
    pub history: Vec<MeetingEvent>,
}

/// A new meeting as a copy of another: its texts, programme and settings on a new date, with
/// none of its registrations, link or messages. The id is `<network>-<date>` unless given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopyMeeting {
    pub copy_from: String,
    pub date: Date,
    #[serde(default)]
    pub id: Option<String>,
}

/// Why a meeting is cancelled: told to everyone registered, and shown by the widget.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelMeeting {
    pub reason: String,
}

/// Whether a text can be a meeting's id, by the rule [`Meeting::check`] holds every meeting
/// to (a test below keeps the two the same): a lookup of any other text finds nothing, and
/// need not ask the store (PostgreSQL refuses some texts, a NUL byte, outright).
pub fn can_be_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A free text the organiser writes (a cancellation's reason, their name), without the control
/// characters no one types (a NUL byte among them, which PostgreSQL cannot store), its white
/// space folded.
pub fn plain_text(text: &str) -> String {
    let visible: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    crate::registration::normalise_text(&visible)
}

impl Meeting {
    /// Checks a meeting the organiser writes: what [`Meeting::check`] checks for every meeting
    /// file, and that each text a visitor reads is written and each programme item ends after
    /// it starts. The first problem, at its field path (`programme[2].end`).
    pub fn check_edit(&self) -> Result<(), MeetingError> {
        self.check()?;
        let texts = [
            ("title", &self.title),
            ("theme", &self.theme),
            ("network.id", &self.network.id),
            ("network.name", &self.network.name),
            ("registration.privacy.text", &self.registration.privacy.text),
            ("registration.privacy.url", &self.registration.privacy.url),
        ];
        if let Some((field, _)) = texts.iter().find(|(_, t)| t.trim().is_empty()) {
            return Err(MeetingError::at(field, Problem::Empty));
        }
        for (i, item) in self.programme.iter().enumerate() {
            if item.title.trim().is_empty() {
                return Err(MeetingError::at(
                    &format!("programme[{i}].title"),
                    Problem::Empty,
                ));
            }
            if let (Some(start), Some(end)) = (item.start, item.end)
                && end <= start
            {
                return Err(MeetingError::at(
                    &format!("programme[{i}].end"),
                    Problem::EndBeforeStart,
                ));
            }
        }
        Ok(())
    }

    /// This meeting moved to `date` as a new meeting `id`: the same texts, programme and
    /// settings; a registration deadline keeps its distance to the meeting's date.
    pub fn copied_to(&self, date: Date, id: String) -> Meeting {
        let shift = date.days_since_epoch() - self.date.days_since_epoch();
        let mut copy = self.clone();
        copy.id = id;
        copy.date = date;
        copy.registration.deadline = self.registration.deadline.map(|d| LocalDateTime {
            date: Date::from_days_since_epoch(d.date.days_since_epoch() + shift),
            time: d.time,
        });
        copy
    }

    /// The id a copy gets unless the organiser names one: the network and the date.
    pub fn id_on(&self, date: Date) -> String {
        format!("{}-{date}", self.network.id)
    }

    /// When the meeting is, in `lang`, if it differs from when `before` was: what a change
    /// tells the people registered ("from → to"). None when only texts changed.
    pub fn moved_from(&self, before: &Meeting, lang: Lang) -> Option<(String, String)> {
        let when = |m: &Meeting| match lang {
            Lang::Da => m.when_da(),
            Lang::En => m.when_en(),
        };
        let same = (before.date, before.start, before.end) == (self.date, self.start, self.end);
        (!same).then(|| (when(before), when(self)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Meeting {
        Meeting::from_json(include_str!("../../meetings/knub-2021-05-17.json")).unwrap()
    }

    #[test]
    fn a_copy_moves_the_date_and_the_deadline_with_it_and_keeps_the_rest() {
        let mut m = shipped();
        m.registration.deadline = LocalDateTime::parse("2021-05-14T12:00");
        let date = Date::parse("2021-06-14").unwrap();
        let copy = m.copied_to(date, m.id_on(date));
        assert_eq!(copy.id, "knub-2021-06-14");
        assert_eq!(copy.date, date);
        assert_eq!(
            copy.registration.deadline,
            LocalDateTime::parse("2021-06-11T12:00"),
            "three days before, as the original's was"
        );
        assert_eq!(
            (copy.programme, copy.title, copy.start),
            (m.programme, m.title, m.start)
        );
    }

    #[test]
    fn only_a_change_of_date_start_or_end_is_a_move() {
        let before = shipped();
        let mut after = before.clone();
        after.title = "Et andet navn".into();
        after.programme[0].title = "Et andet oplæg".into();
        assert_eq!(after.moved_from(&before, Lang::Da), None);
        after.start = crate::Time::parse("09:45").unwrap();
        let (from, to) = after.moved_from(&before, Lang::Da).unwrap();
        assert!(from.contains("9.15"), "{from}");
        assert!(to.contains("9.45"), "{to}");
    }

    #[test]
    fn an_edit_is_refused_at_the_field_it_is_wrong_in() {
        let mut m = shipped();
        assert_eq!(m.check_edit(), Ok(()));
        m.programme[2].start = crate::Time::parse("11:00");
        m.programme[2].end = crate::Time::parse("10:30");
        assert_eq!(m.check_edit().unwrap_err().field, "programme[2].end");
        m.programme[2].end = None;
        m.theme = "  ".into();
        let e = m.check_edit().unwrap_err();
        assert_eq!((e.field.as_str(), e.problem()), ("theme", Problem::Empty));
        assert!(
            e.message(Lang::Da).contains("theme"),
            "{}",
            e.message(Lang::Da)
        );
    }

    #[test]
    fn an_id_can_be_one_by_the_rule_every_meeting_is_held_to() {
        let mut m = shipped();
        for id in [
            "knub-2027-04-22",
            "a_b",
            "",
            "knub 2027",
            "møde",
            "a/b",
            "a\u{0}b",
        ] {
            m.id = id.into();
            assert_eq!(can_be_id(id), m.check().is_ok(), "{id:?}");
        }
        assert_eq!(plain_text(" Kim\u{0} \u{7}Ørsted\n"), "Kim Ørsted");
    }

    #[test]
    fn statuses_and_actions_are_stored_as_they_are_sent() {
        for s in MeetingStatus::ALL {
            assert_eq!(MeetingStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for a in MeetingAction::ALL {
            assert_eq!(MeetingAction::parse(a.as_str()), Some(a));
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
        assert!(!MeetingStatus::Draft.is_public());
    }
}
