//! What the organiser sees: the JSON shapes of the organiser endpoints, read by the
//! organiser page and written by the reference server.

use crate::Lang;
use crate::registration::Limits;
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

/// A membership application the organiser (or another) has decided: who, when, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecidedApplication {
    pub id: i64,
    pub municipality_code: u16,
    pub municipality: String,
    pub approved: bool,
    /// Who decided, as they named themselves.
    pub decided_by: String,
    /// When (seconds since the epoch).
    pub decided_at: i64,
    /// A decline's reason.
    #[serde(default)]
    pub reason: Option<String>,
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

/// A mail a public action caused that was not sent: its address had already had the hour's
/// share of such mails (the server's per-address cap), so someone may be aiming the
/// organisation's sender at it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeldMail {
    pub to: String,
    pub subject: String,
    /// When it was held back (Unix seconds).
    pub held_at: i64,
}

/// A meeting file the server could not load, for the organiser who fixes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnreadableMeeting {
    /// The file's name.
    pub file: String,
    /// The field the mistake is in (empty: the file as a whole).
    pub field: String,
    /// What is wrong, in the request's language.
    pub message: String,
}

/// A meeting the organiser can open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingItem {
    pub id: String,
    pub title: String,
    /// The network's id (`knub`).
    #[serde(default)]
    pub network: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The meeting's theme: a network's meetings share a title, so the theme and the date are
    /// what tell them apart.
    #[serde(default)]
    pub theme: String,
    /// Registrations that count: registered, or waiting for the municipality's membership.
    #[serde(default)]
    pub registrations: i64,
    #[serde(default)]
    pub status: crate::catalogue::MeetingStatus,
}

impl MeetingItem {
    /// The meeting as a picker or a heading names it: its date in words, then its theme.
    pub fn label(&self, lang: Lang) -> String {
        let date = crate::calendar::Date::parse(&self.date).map_or_else(
            || self.date.clone(),
            |d| match lang {
                Lang::Da => d.format_da(),
                Lang::En => d.format_en(),
            },
        );
        if self.theme.is_empty() {
            date
        } else {
            format!("{date} · {}", self.theme)
        }
    }

    /// Which meeting the organiser page opens on, of `list`, on `today` (`YYYY-MM-DD`): the
    /// next one that has registrations, or else the latest. A meeting just announced, with no
    /// one registered yet, must not hide the one people are registering for.
    pub fn default_of<'a>(list: &'a [MeetingItem], today: &str) -> Option<&'a MeetingItem> {
        list.iter()
            .filter(|m| m.date.as_str() >= today && m.registrations > 0)
            .min_by(|a, b| a.date.cmp(&b.date))
            .or_else(|| list.iter().max_by(|a, b| a.date.cmp(&b.date)))
    }
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
    /// The meeting's network's decided applications, the latest first.
    #[serde(default)]
    pub decided: Vec<DecidedApplication>,
    /// How many seconds the page waits before it fetches the overview again (the server's
    /// setting: an operator may ask pages to come less often).
    #[serde(default = "Overview::default_refresh")]
    pub refresh_seconds: u32,
    /// The meeting's mails held back by the per-address cap, the latest first.
    #[serde(default)]
    pub held_mails: Vec<HeldMail>,
}

impl Overview {
    /// The page's refresh when the server does not say.
    pub const REFRESH_SECONDS: u32 = 5;

    fn default_refresh() -> u32 {
        Self::REFRESH_SECONDS
    }
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

/// The body of an approval or a decline: for a decline the reason. An approval's body may be
/// empty. Who decides is the signed-in organiser, never what a body says.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DecisionBody {
    #[serde(default)]
    pub reason: String,
}

/// A message from the organiser to everyone registered for a meeting, as the page sends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageDraft {
    pub subject: String,
    pub body: String,
    /// The key the page made for this message (ASCII letters, digits and `-`, 16 to 100
    /// characters, as a submission's): sent again after a lost answer, it sends nothing twice.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

impl MessageDraft {
    /// Characters in a subject.
    pub const MAX_SUBJECT: usize = 200;
    /// Characters in a message's text.
    pub const MAX_BODY: usize = 10_000;

    /// The draft trimmed, or `None` when it cannot be sent: a subject of one line and a text,
    /// neither blank nor too long, without control characters (but the text's line breaks
    /// and tabs) or invisible format characters, and a well-formed key if it has one.
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
                .any(|c| (c.is_control() && c != '\n' && c != '\t') || hidden(c))
            && self.idempotency_key.as_deref().is_none_or(|k| {
                (16..=Limits::default().max_key).contains(&k.len())
                    && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        fine.then(|| MessageDraft {
            subject: subject.to_owned(),
            body: body.to_owned(),
            idempotency_key: self.idempotency_key.clone(),
        })
    }
}

/// A message as it will be mailed, before it is sent: the text every registered attendee who
/// registered in the preview's language gets, word for word, and how many it goes to now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessagePreview {
    pub subject: String,
    pub text: String,
    pub recipients: u32,
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
    /// The membership the approval made: the first and the last day of the membership year
    /// of the meeting applied with (none when it was approved before).
    #[serde(default)]
    pub member_from: Option<crate::calendar::Date>,
    #[serde(default)]
    pub member_until: Option<crate::calendar::Date>,
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

    fn item(id: &str, date: &str, registrations: i64) -> MeetingItem {
        MeetingItem {
            id: id.into(),
            title: "Netværksmøde i KNUB".into(),
            network: "knub".into(),
            date: date.into(),
            theme: format!("Tema {id}"),
            registrations,
            status: Default::default(),
        }
    }

    #[test]
    fn the_page_opens_on_the_next_meeting_people_register_for() {
        let list = [
            item("maj", "2021-05-17", 40),
            item("sep", "2021-09-20", 12),
            item("nov", "2021-11-22", 0),
        ];
        let open = |today| MeetingItem::default_of(&list, today).map(|m| m.id.as_str());
        // The new November meeting has no one yet: September is the one being organised.
        assert_eq!(open("2021-06-01"), Some("sep"));
        // On the meeting's own day it is still the one.
        assert_eq!(open("2021-05-17"), Some("maj"));
        // After the last with registrations: the latest.
        assert_eq!(open("2021-10-01"), Some("nov"));
        assert_eq!(MeetingItem::default_of(&[], "2021-01-01"), None);
    }

    #[test]
    fn a_meeting_is_named_by_its_date_and_theme() {
        let m = item("maj", "2021-05-17", 1);
        assert_eq!(m.label(Lang::Da), "mandag den 17. maj 2021 · Tema maj");
        assert_eq!(m.label(Lang::En), "Monday 17 May 2021 · Tema maj");
    }

    fn draft(subject: &str, body: &str) -> MessageDraft {
        MessageDraft {
            subject: subject.into(),
            body: body.into(),
            idempotency_key: None,
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
        let keyed = |key: &str| MessageDraft {
            idempotency_key: Some(key.into()),
            ..draft("emne", "tekst")
        };
        assert!(keyed("message-19c2-0f3a9b").checked().is_some());
        for bad in ["kort", "'; drop table x--", &"x".repeat(101)] {
            assert!(keyed(bad).checked().is_none(), "{bad}");
        }
    }
}

/// `GET /api/organiser/sign-in`: how an organiser signs in on this server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SignInOptions {
    /// A sign-in link by mail, to the addresses the server lists.
    pub by_mail: bool,
}

/// `POST /api/organiser/sign-in`: the address to send a sign-in link to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub email: String,
}

/// `POST /api/organiser/sessions`: the token a sign-in link carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRequest {
    pub link: String,
}

/// Who is signed in: the organiser's name and address (a session), or the shared token
/// (`email` none, `name` "token").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organiser {
    pub name: String,
    pub email: Option<String>,
}

impl Organiser {
    /// How the records name them: "Navn <adresse>", or "token".
    pub fn recorded(&self) -> String {
        match &self.email {
            Some(email) => format!("{} <{email}>", self.name),
            None => self.name.clone(),
        }
    }
}

/// A session made from a sign-in link: the bearer token the page sends, who, and until when
/// (seconds since the epoch).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganiserSession {
    pub session: String,
    pub organiser: Organiser,
    pub expires_at: i64,
}
