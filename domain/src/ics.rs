//! Calendar files (RFC 5545) for the confirmation page: one event per attendee, with a UID that
//! is stable for the same attendee and meeting, so downloading twice updates rather than
//! duplicates the entry in Outlook and Google Calendar.

use crate::Lang;
use crate::calendar::format_ics_utc;
use crate::mail_text::MailTexts;
use crate::meeting::{Meeting, Venue};
use crate::registration::email_key;

/// A UID stable per meeting and attendee e-mail (case-insensitive).
pub fn uid(meeting_id: &str, email: &str) -> String {
    format!(
        "{meeting_id}-{:016x}@tilmelding",
        fnv1a64(email_key(email).as_bytes())
    )
}

/// FNV-1a: a stable hash (std's `DefaultHasher` may change between Rust releases, and a UID
/// must never change). Not used for anything secret.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What a calendar file asks of the calendar that reads it (RFC 5546 `METHOD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// A file to save (the confirmation page's download).
    Publish,
    /// An invitation sent by e-mail, or its update (a higher sequence).
    Request,
    /// The attendee no longer comes: calendars remove the entry with the same UID.
    Cancel,
}

impl Method {
    /// The method's name in a calendar file (and in a mail's `Content-Type`).
    pub fn name(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }

    /// The method with this name, if it is one.
    pub fn from_name(name: &str) -> Option<Method> {
        [Method::Publish, Method::Request, Method::Cancel]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

/// A mailed invitation's extras: method, revision (`SEQUENCE`, higher on every change of the
/// same entry) and the organiser's address (which `REQUEST` and `CANCEL` must name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invitation<'a> {
    pub method: Method,
    pub sequence: u32,
    pub organizer: &'a str,
    /// The online meeting's link, once the organiser has set it: the event's `URL` and
    /// `LOCATION`, and at the end of its description.
    pub join_url: Option<&'a str>,
}

/// A VCALENDAR with the meeting as one event for one attendee. `now_unix` is the DTSTAMP.
/// Its few words of its own ("Virtuelt møde", "Tema:") are in `lang`; the meeting's are as written.
pub fn attendee_calendar(
    meeting: &Meeting,
    name: &str,
    email: &str,
    now_unix: i64,
    lang: Lang,
) -> String {
    calendar(meeting, name, email, now_unix, lang, None)
}

/// The same event as [`attendee_calendar`] (the same UID), as an e-mailed invitation, its
/// update or its cancellation.
pub fn invitation(
    meeting: &Meeting,
    name: &str,
    email: &str,
    now_unix: i64,
    lang: Lang,
    how: Invitation<'_>,
) -> String {
    calendar(meeting, name, email, now_unix, lang, Some(how))
}

fn calendar(
    meeting: &Meeting,
    name: &str,
    email: &str,
    now_unix: i64,
    lang: Lang,
    how: Option<Invitation<'_>>,
) -> String {
    let location = match &meeting.venue {
        Venue::Virtual { .. } => lang.virtual_meeting().to_owned(),
        Venue::Physical { address, .. } => address.clone(),
    };
    let venue_note = match &meeting.venue {
        Venue::Virtual { note } => note.as_str(),
        Venue::Physical { note, .. } => note.as_deref().unwrap_or(""),
    };
    let join = how.and_then(|h| h.join_url);
    let mut description = format!(
        "{}\n\n{} {}\n\n{}",
        meeting.title,
        lang.theme_label(),
        meeting.theme,
        venue_note
    );
    if let Some(url) = join {
        description.push_str(&format!("\n\n{} {url}", lang.join_label()));
    }
    let location = join.map_or(location, str::to_owned);
    let method = how.map_or(Method::Publish, |h| h.method).name();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//tilmelding//DA".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("METHOD:{method}"),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", uid(&meeting.id, email)),
        format!("SEQUENCE:{}", how.map_or(0, |h| h.sequence)),
        format!("DTSTAMP:{}", format_ics_utc(now_unix)),
        format!("DTSTART:{}", meeting.starts().to_ics_utc()),
        format!("DTEND:{}", meeting.ends().to_ics_utc()),
        format!(
            "SUMMARY:{}",
            escape(&format!("{}: {}", meeting.title, meeting.theme))
        ),
        format!("DESCRIPTION:{}", escape(&description)),
        format!("LOCATION:{}", escape(&location)),
    ];
    if let Some(url) = join {
        // URL is a URI value, not TEXT: written as it is (the link was checked when set).
        lines.push(format!("URL:{url}"));
    }
    if let Some(how) = how {
        lines.push(format!("ORGANIZER:mailto:{}", how.organizer.trim()));
    }
    // RSVP=FALSE: the invitation confirms a registration; nobody answers it by mail.
    let rsvp = if how.is_some() { ";RSVP=FALSE" } else { "" };
    lines.extend([
        format!("ATTENDEE;CN={}{rsvp}:mailto:{}", param(name), email.trim()),
        match how.map(|h| h.method) {
            Some(Method::Cancel) => "STATUS:CANCELLED".to_owned(),
            _ => "STATUS:CONFIRMED".to_owned(),
        },
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ]);
    let mut out = String::new();
    for line in &lines {
        fold_into(&mut out, line);
    }
    out
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: quoted, with the characters a quoted value cannot hold removed.
fn param(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| !matches!(c, '"' | '\r' | '\n') && !c.is_control())
        .collect();
    format!("\"{clean}\"")
}

/// Appends a content line folded at 75 octets, never inside a UTF-8 character, with CRLF.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting() -> Meeting {
        serde_json::from_str(include_str!("../../meetings/knub-2021-05-17.json")).unwrap()
    }

    #[test]
    fn event_has_copenhagen_times_in_utc_and_the_virtual_note() {
        let ics = attendee_calendar(
            &meeting(),
            "Anna Andersen",
            "anna@randers.dk",
            1_620_000_000,
            Lang::Da,
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("\r\nDTSTART:20210517T071500Z\r\n"), "{ics}");
        assert!(ics.contains("\r\nDTEND:20210517T130000Z\r\n"));
        assert!(ics.contains("DTSTAMP:20210503T000000Z"));
        assert!(ics.contains("LOCATION:Virtuelt møde"));
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("Link til mødet sendes til de tilmeldte"));
        assert!(unfolded.contains("ATTENDEE;CN=\"Anna Andersen\":mailto:anna@randers.dk"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "line over 75 octets: {line}");
        }
    }

    #[test]
    fn a_cancellation_has_the_same_uid_and_a_higher_sequence() {
        let m = meeting();
        let how = |method, sequence| Invitation {
            method,
            sequence,
            organizer: "tilmelding@kl.dk",
            join_url: None,
        };
        let sent = invitation(
            &m,
            "Anna",
            "anna@randers.dk",
            0,
            Lang::Da,
            how(Method::Request, 0),
        );
        let cancel = invitation(
            &m,
            "Anna",
            "anna@randers.dk",
            9,
            Lang::Da,
            how(Method::Cancel, 1),
        );
        let line = |ics: &str, name: &str| {
            ics.replace("\r\n ", "")
                .lines()
                .find(|l| l.starts_with(name))
                .map(str::to_owned)
        };
        assert_eq!(line(&sent, "UID:"), line(&cancel, "UID:"));
        assert_eq!(
            line(&sent, "UID:").unwrap(),
            format!("UID:{}", uid(&m.id, "anna@randers.dk"))
        );
        assert_eq!(line(&sent, "METHOD:").unwrap(), "METHOD:REQUEST");
        assert_eq!(line(&cancel, "METHOD:").unwrap(), "METHOD:CANCEL");
        assert_eq!(line(&cancel, "SEQUENCE:").unwrap(), "SEQUENCE:1");
        assert_eq!(line(&cancel, "STATUS:").unwrap(), "STATUS:CANCELLED");
        assert!(cancel.contains("ORGANIZER:mailto:tilmelding@kl.dk"));
        // With the meeting's link: the same entry, with the link where calendars look for it.
        let join = Invitation {
            join_url: Some("https://teams.example.com/l/meetup-join/19%3Aabc"),
            ..how(Method::Request, 2)
        };
        let joined = invitation(&m, "Anna", "anna@randers.dk", 9, Lang::Da, join);
        assert_eq!(line(&joined, "UID:"), line(&sent, "UID:"));
        assert_eq!(
            line(&joined, "URL:").unwrap(),
            "URL:https://teams.example.com/l/meetup-join/19%3Aabc"
        );
        assert_eq!(
            line(&joined, "LOCATION:").unwrap(),
            "LOCATION:https://teams.example.com/l/meetup-join/19%3Aabc"
        );
        assert!(
            line(&joined, "DESCRIPTION:")
                .unwrap()
                .ends_with("Link til mødet: https://teams.example.com/l/meetup-join/19%3Aabc")
        );
        let download = attendee_calendar(&m, "Anna", "anna@randers.dk", 0, Lang::Da);
        assert_eq!(line(&download, "UID:"), line(&sent, "UID:"));
        assert!(!download.contains("ORGANIZER"));
    }

    #[test]
    fn uid_is_stable_per_attendee_and_meeting() {
        assert_eq!(uid("m1", "Anna@KL.dk "), uid("m1", "anna@kl.dk"));
        assert_ne!(uid("m1", "anna@kl.dk"), uid("m2", "anna@kl.dk"));
        assert_ne!(uid("m1", "anna@kl.dk"), uid("m1", "bo@kl.dk"));
        // Pinned: FNV-1a 64 of "a@b.dk", computed independently. A change breaks every saved UID.
        assert_eq!(uid("m", "a@b.dk"), "m-3a1443df548af781@tilmelding");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(param("A \"B\"\n"), "\"A B\"");
    }
}
