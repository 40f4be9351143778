//! Calendar files (RFC 5545) for the confirmation page: one event per attendee, with a UID that
//! is stable for the same attendee and meeting, so downloading twice updates rather than
//! duplicates the entry in Outlook and Google Calendar.

use crate::calendar::format_ics_utc;
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

/// A VCALENDAR with the meeting as one event for one attendee. `now_unix` is the DTSTAMP.
pub fn attendee_calendar(meeting: &Meeting, name: &str, email: &str, now_unix: i64) -> String {
    let location = match &meeting.venue {
        Venue::Virtual { .. } => "Virtuelt møde".to_owned(),
        Venue::Physical { address, .. } => address.clone(),
    };
    let venue_note = match &meeting.venue {
        Venue::Virtual { note } => note.as_str(),
        Venue::Physical { note, .. } => note.as_deref().unwrap_or(""),
    };
    let description = format!(
        "{}\n\nTema: {}\n\n{}",
        meeting.title, meeting.theme, venue_note
    );
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//tilmelding//DA".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", uid(&meeting.id, email)),
        format!("DTSTAMP:{}", format_ics_utc(now_unix)),
        format!("DTSTART:{}", meeting.starts().to_ics_utc()),
        format!("DTEND:{}", meeting.ends().to_ics_utc()),
        format!(
            "SUMMARY:{}",
            escape(&format!("{}: {}", meeting.title, meeting.theme))
        ),
        format!("DESCRIPTION:{}", escape(&description)),
        format!("LOCATION:{}", escape(&location)),
        format!("ATTENDEE;CN={}:mailto:{}", param(name), email.trim()),
        "STATUS:CONFIRMED".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
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
