//! The meeting data model: everything the app shows about one meeting, loaded at run time from
//! JSON so that one build serves every meeting. The format is documented in `api/openapi.yaml`
//! (schema `Meeting`); `meetings/` holds the shipped example.

use crate::Lang;
use crate::calendar::{Date, LocalDateTime, NOT_A_DATE, NOT_A_DATE_TIME, NOT_A_TIME, Time};
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
    /// Why the organiser cancelled the meeting, once they have: the widget says so in place of
    /// the form. Set by the server that serves the meeting from its status; a document the
    /// organiser writes does not carry it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled: Option<String>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// Who runs the network (KL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
        #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// Whom to write to about a registration: shown where there is no manage link (the generic
    /// backends), and given in the e-mails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
}

/// Privacy notice shown next to the acknowledgement checkbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyNotice {
    pub text: String,
    pub url: String,
}

/// Why a meeting file cannot be used: where in the file (a field path such as `date` or
/// `programme[2].start`, empty for the file as a whole) and what is wrong. The organiser page
/// and the widget say it in their reader's language ([`MeetingError::message`]); logs and the
/// command line in English (`Display`).
#[derive(Clone, Debug, PartialEq)]
pub struct MeetingError {
    pub field: String,
    cause: Cause,
}

/// What was found: the decoder's own report, read into a [`Problem`] only when someone asks
/// ([`MeetingError::problem`]), so that the widget, which names the field alone, carries none
/// of that reading; or a rule of [`Meeting::check`].
#[derive(Clone, Debug, PartialEq)]
enum Cause {
    Decoding {
        said: String,
        line: usize,
        column: usize,
        syntax: bool,
    },
    Rule(Problem),
}

/// What is wrong in a meeting file.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// Not JSON at all: where reading stopped.
    NotJson { line: usize, column: usize },
    /// A field the meeting needs is missing (its name).
    Missing(String),
    /// A field no meeting has (its name): a typo, or a Danish name for an English one.
    Unknown(String),
    /// Not a date `YYYY-MM-DD` (the text given).
    Date(String),
    /// Not a time `HH:MM` (the text given).
    Time(String),
    /// Not a date and time `YYYY-MM-DDTHH:MM` (the text given).
    DateTime(String),
    /// A value of the wrong kind (a number for a text, say).
    Wrong,
    /// The id has characters a URL cannot carry.
    Id(String),
    /// The meeting ends before it starts.
    EndBeforeStart,
    /// The programme has no items.
    NoProgramme,
    /// A text the meeting needs is empty.
    Empty,
    /// A meeting's id stays what it was made with (the id it was saved under).
    IdFixed(String),
}

impl MeetingError {
    /// A problem at a field path (`programme[2].end`).
    pub fn at(field: &str, problem: Problem) -> MeetingError {
        MeetingError {
            field: field.to_owned(),
            cause: Cause::Rule(problem),
        }
    }

    fn decoding(field: String, e: &serde_json::Error) -> MeetingError {
        let syntax = e.is_syntax() || e.is_eof();
        MeetingError {
            // A syntax error's place is its line and column, not a field.
            field: if syntax { String::new() } else { field },
            cause: Cause::Decoding {
                said: e.to_string(),
                line: e.line(),
                column: e.column(),
                syntax,
            },
        }
    }

    /// What is wrong.
    pub fn problem(&self) -> Problem {
        match &self.cause {
            Cause::Rule(p) => p.clone(),
            Cause::Decoding {
                said,
                line,
                column,
                syntax,
            } => Problem::read(said, *line, *column, *syntax),
        }
    }

    /// What is wrong, in `lang`, naming the field: for the organiser who fixes the file, and
    /// for the widget's note to a visitor.
    pub fn message(&self, lang: Lang) -> String {
        use Problem as P;
        let what = match (lang, &self.problem()) {
            (Lang::Da, P::NotJson { line, column }) => {
                format!("Filen er ikke gyldig JSON (linje {line}, tegn {column}).")
            }
            (Lang::En, P::NotJson { line, column }) => {
                format!("The file is not valid JSON (line {line}, column {column}).")
            }
            (Lang::Da, P::Missing(f)) => format!("Feltet «{f}» mangler."),
            (Lang::En, P::Missing(f)) => format!("The field «{f}» is missing."),
            (Lang::Da, P::Unknown(f)) => format!("Feltet «{f}» findes ikke i en mødefil."),
            (Lang::En, P::Unknown(f)) => format!("A meeting file has no field «{f}»."),
            (Lang::Da, P::Date(v)) => {
                format!("«{v}» er ikke en dato. Skriv den som ÅÅÅÅ-MM-DD, fx 2027-04-22.")
            }
            (Lang::En, P::Date(v)) => {
                format!("«{v}» is not a date. Write it as YYYY-MM-DD, e.g. 2027-04-22.")
            }
            (Lang::Da, P::Time(v)) => {
                format!("«{v}» er ikke et klokkeslæt. Skriv det som TT:MM, fx 09:15.")
            }
            (Lang::En, P::Time(v)) => {
                format!("«{v}» is not a time. Write it as HH:MM, e.g. 09:15.")
            }
            (Lang::Da, P::DateTime(v)) => format!(
                "«{v}» er ikke en dato med klokkeslæt. Skriv den som ÅÅÅÅ-MM-DDTTT:MM, fx 2027-04-15T12:00."
            ),
            (Lang::En, P::DateTime(v)) => format!(
                "«{v}» is not a date and time. Write it as YYYY-MM-DDTHH:MM, e.g. 2027-04-15T12:00."
            ),
            (Lang::Da, P::Wrong) => "Værdien har ikke den rigtige form.".into(),
            (Lang::En, P::Wrong) => "The value is not of the right kind.".into(),
            (Lang::Da, P::Id(id)) => {
                format!("«{id}» kan ikke bruges som id: kun a-z, 0-9, - og _.")
            }
            (Lang::En, P::Id(id)) => format!("«{id}» cannot be an id: only a-z, 0-9, - and _."),
            (Lang::Da, P::EndBeforeStart) => "Mødet slutter, før det begynder.".into(),
            (Lang::En, P::EndBeforeStart) => "The meeting ends before it starts.".into(),
            (Lang::Da, P::NoProgramme) => "Programmet har ingen punkter.".into(),
            (Lang::En, P::NoProgramme) => "The programme has no items.".into(),
            (Lang::Da, P::Empty) => "Skriv en tekst her.".into(),
            (Lang::En, P::Empty) => "Write a text here.".into(),
            (Lang::Da, P::IdFixed(id)) => {
                format!("Mødets id kan ikke ændres: det er «{id}».")
            }
            (Lang::En, P::IdFixed(id)) => format!("A meeting's id cannot change: it is «{id}»."),
        };
        match (lang, self.field.as_str()) {
            (_, "") => what,
            (Lang::Da, f) => format!("Feltet {f}: {what}"),
            (Lang::En, f) => format!("Field {f}: {what}"),
        }
    }
}

impl std::fmt::Display for MeetingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl Meeting {
    /// Reads a meeting file and checks it: the meeting, or where and why it cannot be used.
    pub fn from_json(text: &str) -> Result<Meeting, MeetingError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let meeting = serde_path_to_error::deserialize::<_, Meeting>(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { String::new() } else { path };
            MeetingError::decoding(field, e.inner())
        })?;
        // Anything after the meeting's object.
        de.end()
            .map_err(|e| MeetingError::decoding(String::new(), &e))?;
        meeting.check()?;
        Ok(meeting)
    }

    /// Checks what serde cannot: the meeting ends after it starts, the id is usable in a URL.
    pub fn check(&self) -> Result<(), MeetingError> {
        if self.id.is_empty()
            || !self
                .id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(MeetingError::at("id", Problem::Id(self.id.clone())));
        }
        if self.end <= self.start {
            return Err(MeetingError::at("end", Problem::EndBeforeStart));
        }
        if self.programme.is_empty() {
            return Err(MeetingError::at("programme", Problem::NoProgramme));
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
    /// through a manage link. A cancelled meeting takes none.
    pub fn registration_open(&self, now_unix: i64) -> bool {
        self.cancelled.is_none() && now_unix < self.closes()
    }

    /// Whether attendees can still be cancelled at `now`: until the meeting starts, also after
    /// an earlier deadline (someone who cannot come should be able to say so), or until a later
    /// deadline. Not once the organiser has cancelled the meeting itself.
    pub fn cancelling_open(&self, now_unix: i64) -> bool {
        self.cancelled.is_none() && now_unix < self.closes().max(self.starts().to_unix())
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

impl Problem {
    /// What the decoder said (serde_json's error, in its words, at `line` and `column`), as a
    /// problem. Its words are read because serde gives no kind for a missing or unknown field;
    /// the calendar types' own words are ours ([`NOT_A_DATE`] and the others).
    fn read(said: &str, line: usize, column: usize, syntax: bool) -> Problem {
        if syntax {
            return Problem::NotJson { line, column };
        }
        // serde_json adds " at line L column C" to what the deserializer said.
        let said = said.rsplit_once(" at line ").map_or(said, |(s, _)| s);
        let quoted = |rest: &str| rest.split('`').nth(1).unwrap_or_default().to_owned();
        let given = |rest: &str| rest.trim_matches('"').to_owned();
        if let Some(rest) = said.strip_prefix("missing field ") {
            Problem::Missing(quoted(rest))
        } else if let Some(rest) = said.strip_prefix("unknown field ") {
            Problem::Unknown(quoted(rest))
        } else if let Some(rest) = said.strip_prefix(NOT_A_DATE_TIME) {
            Problem::DateTime(given(rest))
        } else if let Some(rest) = said.strip_prefix(NOT_A_DATE) {
            Problem::Date(given(rest))
        } else if let Some(rest) = said.strip_prefix(NOT_A_TIME) {
            Problem::Time(given(rest))
        } else {
            Problem::Wrong
        }
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

    /// Each mistake an editor makes in a meeting file is told with its field, in Danish and in
    /// English, without serde's own words.
    #[test]
    fn a_meeting_file_s_mistake_names_its_field_and_reason() {
        let good = include_str!("../../meetings/knub-2021-05-17.json");
        assert_eq!(Meeting::from_json(good).unwrap(), example());
        let problem = |from: &str, to: &str| {
            assert!(good.contains(from), "{from}");
            Meeting::from_json(&good.replacen(from, to, 1)).unwrap_err()
        };
        let danish_date = problem("\"date\": \"2021-05-17\"", "\"date\": \"22. april 2027\"");
        assert_eq!(
            danish_date.message(Lang::Da),
            "Feltet date: «22. april 2027» er ikke en dato. Skriv den som ÅÅÅÅ-MM-DD, fx 2027-04-22."
        );
        assert_eq!(
            danish_date.to_string(),
            "Field date: «22. april 2027» is not a date. Write it as YYYY-MM-DD, e.g. 2027-04-22."
        );
        let found = |e: MeetingError| (e.field.clone(), e.problem());
        assert_eq!(
            found(problem("\"09:15\"", "\"9.15\"")),
            ("start".into(), Problem::Time("9.15".into()))
        );
        assert_eq!(
            found(problem("\"theme\"", "\"tema\"")),
            ("tema".into(), Problem::Unknown("tema".into()))
        );
        assert_eq!(
            found(problem("\"network\": {", "\"network\": {\"x\": 1, ")),
            ("network.x".into(), Problem::Unknown("x".into()))
        );
        assert_eq!(
            found(Meeting::from_json("{\"id\": ").unwrap_err()),
            (String::new(), Problem::NotJson { line: 1, column: 7 })
        );
        let mut m = example();
        m.end = m.start;
        assert_eq!(
            found(Meeting::from_json(&serde_json::to_string(&m).unwrap()).unwrap_err()),
            ("end".into(), Problem::EndBeforeStart)
        );
        // Every problem in both languages, none empty and none in the other's words.
        for p in [
            Problem::NotJson { line: 1, column: 2 },
            Problem::Missing("f".into()),
            Problem::Unknown("f".into()),
            Problem::Date("d".into()),
            Problem::Time("t".into()),
            Problem::DateTime("dt".into()),
            Problem::Wrong,
            Problem::Id("x y".into()),
            Problem::EndBeforeStart,
            Problem::NoProgramme,
        ] {
            let e = MeetingError::at("", p);
            assert_ne!(e.message(Lang::Da), e.message(Lang::En), "{e:?}");
        }
    }
}
