//! The meeting data model: everything the app shows about one meeting, loaded at run time from
//! JSON so that one build serves every meeting. The format is documented in `api/openapi.yaml`
//! (schema `Meeting`); `meetings/` holds the shipped example.

use crate::calendar::{Date, LocalDateTime, Time};
use serde::{Deserialize, Serialize};

/// One network meeting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// Stable identifier, used in API paths and calendar UIDs (`knub-2021-05-17`).
    pub id: String,
    /// The network whose membership gates registration.
    pub network: Network,
    /// The meeting's heading ("Netværksmøde i …").
    pub title: String,
    /// The theme of this meeting.
    pub theme: String,
    /// Introduction paragraphs shown under the theme.
    #[serde(default)]
    pub intro: Vec<String>,
    /// Local date of the meeting (Europe/Copenhagen).
    pub date: Date,
    /// Local start time.
    pub start: Time,
    /// Local end time.
    pub end: Time,
    /// Where the meeting takes place.
    pub venue: Venue,
    /// The programme: talks and discussions, in order.
    pub programme: Vec<ProgrammeItem>,
    /// Rules for attending, shown next to the form.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Registration settings.
    pub registration: RegistrationSettings,
}

/// A network of municipalities.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Identifier used by the membership API (`knub`).
    pub id: String,
    /// Full name.
    pub name: String,
    /// Abbreviation, if the network has one.
    #[serde(default)]
    pub short_name: Option<String>,
    /// Who runs the network (KL).
    #[serde(default)]
    pub organiser: Option<String>,
}

/// Virtual or physical venue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Venue {
    /// An online meeting; the link is sent to attendees before the meeting.
    Virtual {
        /// What attendees should know, e.g. how the link is sent.
        note: String,
    },
    /// A meeting at an address.
    Physical {
        /// Postal address.
        address: String,
        /// Directions or other practical notes.
        #[serde(default)]
        note: Option<String>,
    },
}

/// One point on the programme.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeItem {
    /// Talk, discussion or other.
    pub kind: ItemKind,
    /// Heading of the point.
    pub title: String,
    /// Optional times; the announcement gives none for single points.
    #[serde(default)]
    pub start: Option<Time>,
    #[serde(default)]
    pub end: Option<Time>,
    /// Who speaks.
    #[serde(default)]
    pub speakers: Vec<Speaker>,
    /// Paragraphs of description.
    #[serde(default)]
    pub body: Vec<String>,
    /// Key figures, shown as a list.
    #[serde(default)]
    pub facts: Vec<String>,
    /// A quotation from a speaker.
    #[serde(default)]
    pub quote: Option<Quote>,
}

/// Kind of programme point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Talk,
    Discussion,
    Other,
}

/// A speaker: a person, an organisation, or both.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    #[serde(default)]
    pub name: Option<String>,
    pub organisation: String,
}

/// A quotation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    pub text: String,
    pub by: String,
}

fn a_day() -> u32 {
    24
}

/// How registration works for this meeting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrationSettings {
    /// Last moment to register, Danish local time: earlier than the start, or later for late
    /// sign-ups; none means the meeting's start.
    #[serde(default)]
    pub deadline: Option<LocalDateTime>,
    /// Hours before the start the registered attendees are reminded by mail (with the link to
    /// the meeting, once set); 0: no reminder. A day by default.
    #[serde(default = "a_day")]
    pub reminder_hours_before: u32,
    /// The privacy notice attendees must acknowledge.
    pub privacy: PrivacyNotice,
    /// The page the widget is embedded in. The reference server builds each submission's
    /// private manage link from it (`…#tilmelding-manage=…`); without it, from the standalone
    /// page it serves itself.
    #[serde(default)]
    pub page_url: Option<String>,
    /// Whom to write to about a registration: shown where there is no manage link (the generic
    /// backends), and given in the e-mails.
    #[serde(default)]
    pub contact_email: Option<String>,
}

/// Privacy notice shown next to the acknowledgement checkbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyNotice {
    pub text: String,
    pub url: String,
}

/// Why a meeting file was rejected.
#[derive(Clone, Debug, PartialEq)]
pub struct MeetingError(pub String);

impl Meeting {
    /// Checks what serde cannot: the meeting ends after it starts, the id is usable in a URL.
    pub fn check(&self) -> Result<(), MeetingError> {
        if self.id.is_empty()
            || !self
                .id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(MeetingError(format!(
                "id {:?} may only use a-z, 0-9, - and _",
                self.id
            )));
        }
        if self.end <= self.start {
            return Err(MeetingError("end must be after start".into()));
        }
        if self.programme.is_empty() {
            return Err(MeetingError("the programme is empty".into()));
        }
        Ok(())
    }

    /// When the registered attendees are reminded, as seconds since the epoch; none when the
    /// meeting file turns the reminder off.
    pub fn reminder_at(&self) -> Option<i64> {
        let hours = self.registration.reminder_hours_before;
        (hours > 0).then(|| self.starts().to_unix() - i64::from(hours) * 3600)
    }

    /// When registration closes, as seconds since the epoch: at the file's deadline when it
    /// has one (earlier than the start, or later for late sign-ups), otherwise when the meeting
    /// starts.
    pub fn closes(&self) -> i64 {
        self.registration
            .deadline
            .unwrap_or_else(|| self.starts())
            .to_unix()
    }

    /// Whether registration is open at `now` (Unix seconds): new registrations, and changes
    /// through a manage link.
    pub fn registration_open(&self, now_unix: i64) -> bool {
        now_unix < self.closes()
    }

    /// Whether attendees can still be cancelled at `now`: until the meeting starts, also after
    /// an earlier deadline (someone who cannot come should be able to say so), or until a later
    /// deadline.
    pub fn cancelling_open(&self, now_unix: i64) -> bool {
        now_unix < self.closes().max(self.starts().to_unix())
    }

    /// Whether a link can be the online meeting's: `https://`, a host name (letters, digits,
    /// dots and hyphens, with a port if any), then any path, at most 1,000 characters in all,
    /// each a visible ASCII character (it goes into mails and calendar entries as it is; other
    /// characters travel percent-encoded in a link).
    pub fn is_join_url(url: &str) -> bool {
        let Some(rest) = url.strip_prefix("https://") else {
            return false;
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (host, port) = rest[..end].split_once(':').unwrap_or((&rest[..end], "0"));
        url.len() <= 1000
            && !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            && !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
            && url.bytes().all(|b| b.is_ascii_graphic())
    }

    /// When the meeting is over, as seconds since the epoch: its end, or a registration
    /// deadline after it. Its personal data is kept until some days after (retention).
    pub fn over(&self) -> i64 {
        let end = self.ends().to_unix();
        self.registration
            .deadline
            .map_or(end, |d| d.to_unix().max(end))
    }

    /// Start of the meeting, as a local date-time.
    pub fn starts(&self) -> LocalDateTime {
        LocalDateTime {
            date: self.date,
            time: self.start,
        }
    }

    /// End of the meeting, as a local date-time.
    pub fn ends(&self) -> LocalDateTime {
        LocalDateTime {
            date: self.date,
            time: self.end,
        }
    }

    /// "mandag den 17. maj 2021 kl. 9.15–15.00".
    pub fn when_da(&self) -> String {
        format!(
            "{} kl. {}–{}",
            self.date.format_da(),
            self.start.format_da(),
            self.end.format_da()
        )
    }
}

impl Meeting {
    /// "Monday 17 May 2021, 9:15–15:00".
    pub fn when_en(&self) -> String {
        format!(
            "{}, {}–{}",
            self.date.format_en(),
            self.start.format_en(),
            self.end.format_en()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Meeting {
        let json = include_str!("../../meetings/knub-2021-05-17.json");
        serde_json::from_str(json).expect("the shipped example parses")
    }

    #[test]
    fn shipped_example_matches_the_announcement() {
        let m = example();
        m.check().unwrap();
        assert_eq!(
            m.theme,
            "Fysiske greb til forandring af udsatte boligområder"
        );
        assert_eq!(m.when_da(), "mandag den 17. maj 2021 kl. 9.15–15.00");
        assert_eq!(m.when_en(), "Monday 17 May 2021, 9:15–15:00");
        assert!(matches!(m.venue, Venue::Virtual { .. }));
        assert_eq!(m.network.short_name.as_deref(), Some("KNUB"));
        let text = serde_json::to_string(&m).unwrap();
        for needle in [
            "Landsbyggefonden",
            "190 mio. kr.",
            "185 mio. kr.",
            "35 mio. kr.",
            "Louise Hou Kragh",
            "Bysekretariatet i Randers",
            "Naturen som løftestang i Randers",
            "Gl. Jennumparken",
            "Glarbjergvej-området",
            "Nordre Fælled",
            "matrikel",
            "gruppedrøftelse",
        ] {
            assert!(text.contains(needle), "missing {needle}");
        }
        // No deadline in the announcement: registration closes when the meeting starts.
        let start = m.starts().to_unix();
        assert!(m.registration_open(start - 1));
        assert!(!m.registration_open(start));
        assert!(m.cancelling_open(start - 1));
        assert!(!m.cancelling_open(start));
        assert_eq!(m.over(), m.ends().to_unix());
    }

    #[test]
    fn join_links_are_https_addresses_with_a_host() {
        for ok in [
            "https://teams.microsoft.com/l/meetup-join/19%3Ameeting_x%40thread.v2/0?context=%7B%7D",
            "https://zoom.us/j/123",
            "https://meet.example.dk:8443",
            "https://x.dk#a[1]",
        ] {
            assert!(Meeting::is_join_url(ok), "{ok}");
        }
        for bad in [
            "http://zoom.us/j/1",
            "https://",
            "https://[::1]/x",
            "https://a b.dk",
            "https://x.dk/æ",
            "https://x.dk:/",
            "https://x.dk:80a",
            "teams.microsoft.com",
        ] {
            assert!(!Meeting::is_join_url(bad), "{bad}");
        }
    }

    #[test]
    fn deadline_closes_registration() {
        let mut m = example();
        m.registration.deadline = LocalDateTime::parse("2021-05-12T12:00");
        let deadline = m.registration.deadline.unwrap().to_unix();
        assert!(m.registration_open(deadline - 1));
        assert!(!m.registration_open(deadline));
        // Cancelling stays possible until the meeting starts.
        assert!(m.cancelling_open(deadline));
        assert!(!m.cancelling_open(m.starts().to_unix()));
    }

    #[test]
    fn a_later_deadline_keeps_registration_open_after_the_start() {
        let mut m = example();
        m.registration.deadline = LocalDateTime::parse("2021-05-20T12:00");
        let deadline = m.registration.deadline.unwrap().to_unix();
        assert!(m.registration_open(m.ends().to_unix()));
        assert!(m.cancelling_open(deadline - 1));
        assert!(!m.registration_open(deadline));
        assert_eq!(m.over(), deadline, "its data is kept from the deadline on");
    }

    #[test]
    fn malformed_meetings_are_rejected() {
        let good = include_str!("../../meetings/knub-2021-05-17.json");
        assert!(serde_json::from_str::<Meeting>(&good.replace("\"09:15\"", "\"9.15\"")).is_err());
        assert!(serde_json::from_str::<Meeting>(&good.replace("\"theme\"", "\"tema\"")).is_err());
        let mut m = example();
        m.end = m.start;
        assert!(m.check().is_err());
    }
}
