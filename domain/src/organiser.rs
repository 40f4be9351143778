//! What the organiser sees: the JSON shapes of the organiser endpoints, read by the
//! organiser page and written by the reference server.

use crate::wire::Status;
use serde::{Deserialize, Serialize};

/// Where one registration stands, as stored: what its receipt said ([`Status`]), or what the
/// organiser decided since.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Registered,
    PendingMembership,
    /// The municipality's membership application was declined.
    MembershipDeclined,
    /// Cancelled through the manage link (or replaced by another person).
    Cancelled,
}

impl Standing {
    pub const ALL: [Standing; 4] = [
        Standing::Registered,
        Standing::PendingMembership,
        Standing::MembershipDeclined,
        Standing::Cancelled,
    ];

    /// The value as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Registered => Status::Registered.as_str(),
            Standing::PendingMembership => Status::PendingMembership.as_str(),
            Standing::MembershipDeclined => "membership_declined",
            Standing::Cancelled => "cancelled",
        }
    }
}

impl From<Status> for Standing {
    fn from(status: Status) -> Self {
        match status {
            Status::Registered => Standing::Registered,
            Status::PendingMembership => Standing::PendingMembership,
        }
    }
}

/// A pending membership application.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub id: i64,
    pub network: String,
    pub municipality_code: u16,
    pub municipality: String,
    pub contact_name: String,
    pub contact_email: String,
    pub created_at: String,
    pub pending_registrations: i64,
}

/// One registration: a row of the organiser's export and attendee list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttendeeRow {
    pub reference: String,
    pub municipality_code: u16,
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    pub status: Standing,
    pub contact_name: String,
    pub contact_email: String,
    pub created_at: i64,
    /// When it was cancelled (Unix seconds), if it was.
    #[serde(default)]
    pub cancelled_at: Option<i64>,
    /// When it last changed: created, edited or cancelled (Unix seconds).
    #[serde(default)]
    pub updated_at: i64,
}

/// Attendees per municipality.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Count {
    pub municipality_code: u16,
    pub municipality: String,
    pub registered: i64,
    pub pending_membership: i64,
    pub membership_declined: i64,
    /// Cancelled attendees: listed, never counted as coming.
    #[serde(default)]
    pub cancelled: i64,
}

/// A meeting the organiser can open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingItem {
    pub id: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// A municipality's row in the organiser's table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MunicipalityRow {
    #[serde(flatten)]
    pub count: Count,
    /// A member of the meeting's network.
    pub member: bool,
}

/// Attendees of a meeting by standing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub registered: i64,
    pub pending_membership: i64,
    pub membership_declined: i64,
    #[serde(default)]
    pub cancelled: i64,
}

/// Everything the organiser page shows of one meeting, in one answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub meeting: MeetingItem,
    pub totals: Totals,
    /// Every municipality with a registration, in Danish order.
    pub municipalities: Vec<MunicipalityRow>,
    /// Every registration, oldest first.
    pub attendees: Vec<AttendeeRow>,
    /// Membership applications waiting for a decision (of every network; the page shows the
    /// meeting's).
    pub applications: Vec<Application>,
    /// The online meeting's link, once the organiser has set it (never on the public page).
    #[serde(default)]
    pub join_url: Option<String>,
}

impl Count {
    /// Attendees per municipality of these registrations, in Danish order of municipality.
    pub fn tally(rows: &[AttendeeRow]) -> Vec<Count> {
        let mut counts: Vec<Count> = Vec::new();
        for r in rows {
            let i = match counts
                .iter()
                .position(|c| c.municipality_code == r.municipality_code)
            {
                Some(i) => i,
                None => {
                    counts.push(Count {
                        municipality_code: r.municipality_code,
                        municipality: crate::Municipality::by_code(r.municipality_code)
                            .map_or_else(|| r.municipality_code.to_string(), |m| m.name.to_owned()),
                        registered: 0,
                        pending_membership: 0,
                        membership_declined: 0,
                        cancelled: 0,
                    });
                    counts.len() - 1
                }
            };
            let c = &mut counts[i];
            match r.status {
                Standing::Registered => c.registered += 1,
                Standing::PendingMembership => c.pending_membership += 1,
                Standing::MembershipDeclined => c.membership_declined += 1,
                Standing::Cancelled => c.cancelled += 1,
            }
        }
        counts.sort_by(|a, b| crate::text::cmp_da(&a.municipality, &b.municipality));
        counts
    }
}

impl Totals {
    /// The totals of the municipalities' counts.
    pub fn of(rows: &[MunicipalityRow]) -> Totals {
        rows.iter().fold(Totals::default(), |t, r| Totals {
            registered: t.registered + r.count.registered,
            pending_membership: t.pending_membership + r.count.pending_membership,
            membership_declined: t.membership_declined + r.count.membership_declined,
            cancelled: t.cancelled + r.count.cancelled,
        })
    }
}

/// The body of an approval or a decline: who decides (shown in the record), and for a decline
/// the reason. Both optional for an approval, whose body may be empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DecisionBody {
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub reason: String,
}

/// A message from the organiser to everyone registered for a meeting, as the page sends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageDraft {
    pub subject: String,
    pub body: String,
    /// Who sends it (recorded with it).
    #[serde(default)]
    pub by: String,
}

impl MessageDraft {
    /// Characters in a subject.
    pub const MAX_SUBJECT: usize = 200;
    /// Characters in a message's text.
    pub const MAX_BODY: usize = 10_000;

    /// The draft trimmed, or `None` when it cannot be sent: a subject of one line and a text,
    /// neither blank nor too long, without control characters (but the text's line breaks
    /// and tabs) or invisible format characters.
    pub fn checked(&self) -> Option<MessageDraft> {
        // Browsers send a textarea's line breaks as CR LF.
        let body = self.body.replace("\r\n", "\n");
        let (subject, body) = (self.subject.trim(), body.trim());
        let hidden = |c: char| crate::text::is_format_character(c);
        let fine = !subject.is_empty()
            && !body.is_empty()
            && subject.chars().count() <= Self::MAX_SUBJECT
            && body.chars().count() <= Self::MAX_BODY
            && !subject.chars().any(|c| c.is_control() || hidden(c))
            && !body
                .chars()
                .any(|c| (c.is_control() && c != '\n' && c != '\t') || hidden(c));
        fine.then(|| MessageDraft {
            subject: subject.to_owned(),
            body: body.to_owned(),
            by: self.by.trim().chars().take(200).collect(),
        })
    }
}

/// A message sent, as kept: what, by whom, when (seconds since the epoch), to how many.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentMessage {
    pub id: i64,
    pub subject: String,
    pub body: String,
    pub sent_by: String,
    pub sent_at: i64,
    pub recipients: u32,
}

/// The online meeting's link, as the organiser sets it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinLink {
    pub url: String,
}

/// The answer to setting the link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JoinLinkSet {
    pub join_url: String,
    /// Registered attendees it was mailed to, with their invitation again (0 without mail, or
    /// when the link was the one set already).
    pub sent: usize,
}

/// The answer to an approval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Approved {
    /// The application's id.
    pub approved: i64,
    /// The waiting registrations that are now registered.
    pub registrations_confirmed: usize,
}

/// The answer to a decline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Declined {
    /// The application's id.
    pub declined: i64,
    /// The waiting registrations that are now declined.
    pub registrations_declined: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(subject: &str, body: &str) -> MessageDraft {
        MessageDraft {
            subject: subject.into(),
            body: body.into(),
            by: " Kim ".into(),
        }
    }

    #[test]
    fn a_message_is_checked_and_trimmed() {
        let ok = draft(
            " Nyt lokale ",
            "Hej alle\r\n\r\nMødet flytter.\tSe linket. ",
        )
        .checked()
        .unwrap();
        assert_eq!(ok.subject, "Nyt lokale");
        assert_eq!(ok.body, "Hej alle\n\nMødet flytter.\tSe linket.");
        assert_eq!(ok.by, "Kim");
        for bad in [
            draft("", "tekst"),
            draft("emne", "  "),
            draft("to\nlinjer", "tekst"),
            draft("emne", "skjult \u{202e}tekst"),
            draft("emne", "klokke \u{7}"),
            draft(&"x".repeat(201), "tekst"),
            draft("emne", &"x".repeat(10_001)),
        ] {
            assert!(bad.checked().is_none(), "{bad:?}");
        }
    }
}
