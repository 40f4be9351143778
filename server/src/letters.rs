//! The e-mails' wording, in the language the registration was made in: what each person is told when a
//! submission is stored or changed. Each mail is plain text and the same as HTML; attendees'
//! mails carry the meeting as a calendar invitation with the UID of the confirmation page's
//! download, so calendars update one entry rather than adding another.

pub use crate::store::Mail;
use tilmelding_domain::ics::{self, Invitation, Method};
use tilmelding_domain::mail_text::{MailPhrases, MailTexts};
use tilmelding_domain::meeting::Venue;
use tilmelding_domain::{Attendee, Contact, Lang, Meeting};

/// An attendee as the mails name them, with their calendar entry's revision.
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    pub sequence: u32,
}

impl Person {
    /// The attendee with their calendar entry's revision as stored.
    pub fn of(a: &Attendee, sequence: i32) -> Person {
        Person {
            name: a.name.clone(),
            email: a.email.clone(),
            title: a.title.clone(),
            department: a.department.clone(),
            sequence: u32::try_from(sequence).unwrap_or(0),
        }
    }
}

/// What a change through the manage link did, for the mails that tell about it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changed {
    pub added: Vec<Person>,
    pub cancelled: Vec<Person>,
    pub edited: Vec<Person>,
    /// The contact person before, when the contact changed.
    pub old_contact: Option<Contact>,
}

impl Changed {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.cancelled.is_empty()
            && self.edited.is_empty()
            && self.old_contact.is_none()
    }
}

/// Everything the mails of one submission share.
pub struct Letters<'a> {
    pub meeting: &'a Meeting,
    pub lang: Lang,
    /// The sender, also the calendar invitations' organiser.
    pub from: &'a str,
    /// The submission's private link.
    pub manage_url: &'a str,
    pub reference: &'a str,
    pub municipality: &'a str,
    /// Waiting for the municipality's membership: attendees get no invitation yet.
    pub pending: bool,
    pub now: i64,
    /// The online meeting's link, once the organiser has set it: in every attendee's
    /// confirmation and invitation.
    pub join_url: Option<&'a str>,
}

/// A mail's content before it is written out: paragraphs, and lists under them.
enum Part {
    P(String),
    List(Vec<String>),
    Link(String),
}

impl<'a> Letters<'a> {
    /// The same letters, giving the online meeting's link.
    pub fn with_join(self, join_url: Option<&'a str>) -> Letters<'a> {
        Letters { join_url, ..self }
    }

    /// To an attendee, when the organiser sets the online meeting's link, or `changed` it: the
    /// link, and the invitation again with it (same entry, a higher `SEQUENCE`). A changed link
    /// says it is new, so no one keeps the old one.
    pub fn join_link(&self, p: &Person, changed: bool) -> Mail {
        let lang = self.lang;
        let (intro, subject) = if changed {
            (
                lang.join_changed_intro(),
                lang.join_changed_subject(self.title()),
            )
        } else {
            (lang.join_intro(), lang.join_subject(self.title()))
        };
        let mut parts = vec![Part::P(intro.to_owned())];
        if let Some(url) = self.join_url {
            parts.push(Part::Link(url.to_owned()));
        }
        parts.extend(self.details());
        parts.push(self.questions());
        let calendar = Some(self.invitation(p, Method::Request));
        self.mail(&p.email, Some(&p.name), subject, parts, calendar)
    }

    /// The organiser's message to a registered attendee: its text (paragraphs at blank lines),
    /// then the meeting's details and the link to it, once set. The organiser writes the whole
    /// text, greeting and signature included: nothing is put before it or after the details,
    /// so the same text reaches everyone (of a language) and the page can preview it exactly.
    pub fn message(&self, to: &str, subject: &str, body: &str) -> Mail {
        let mut parts: Vec<Part> = body
            .split("\n\n")
            .map(str::trim)
            .filter(|para| !para.is_empty())
            .map(|para| Part::P(para.to_owned()))
            .collect();
        if let Some(url) = self.join_url {
            parts.push(Part::P(self.lang.join_label().to_owned()));
            parts.push(Part::Link(url.to_owned()));
        }
        parts.extend(self.details());
        parts.push(self.questions());
        self.mail(to, None, subject.to_owned(), parts, None)
    }

    /// To a registered attendee, when the organiser moves the meeting: from when to when, and
    /// the invitation again at the new time (same entry, a higher `SEQUENCE`).
    pub fn moved(&self, p: &Person, from: &str, to: &str) -> Mail {
        let lang = self.lang;
        let mut parts = vec![
            Part::P(lang.moved_intro(from, to)),
            Part::P(lang.moved_calendar().to_owned()),
        ];
        if let Some(url) = self.join_url {
            parts.push(Part::P(lang.join_label().to_owned()));
            parts.push(Part::Link(url.to_owned()));
        }
        parts.extend(self.details());
        parts.push(self.questions());
        let calendar = Some(self.invitation(p, Method::Request));
        self.mail(
            &p.email,
            Some(&p.name),
            lang.moved_subject(self.title()),
            parts,
            calendar,
        )
    }

    /// To a registered attendee, when the organiser cancels the meeting: that it is, why, and
    /// the calendar entry cancelled.
    pub fn meeting_cancelled(&self, p: &Person, reason: &str) -> Mail {
        let lang = self.lang;
        let parts = vec![
            Part::P(lang.meeting_cancelled_intro().to_owned()),
            Part::P(format!("{}: {}", self.meeting.title, self.when())),
            Part::P(format!("{} {reason}", lang.reason_label())),
            self.questions(),
        ];
        let subject = lang.meeting_cancelled_subject(self.title());
        let calendar = Some(self.invitation(p, Method::Cancel));
        self.mail(&p.email, Some(&p.name), subject, parts, calendar)
    }

    /// To a registered attendee, some hours before the meeting: when it is, and the link to
    /// join (or that it will come).
    pub fn reminder(&self, p: &Person) -> Mail {
        let lang = self.lang;
        let mut parts = vec![Part::P(lang.reminder_intro(&self.when()))];
        match self.join_url {
            Some(url) => {
                parts.push(Part::P(lang.join_label().to_owned()));
                parts.push(Part::Link(url.to_owned()));
            }
            None => parts.push(Part::P(lang.join_later().to_owned())),
        }
        parts.extend(self.details());
        parts.push(self.questions());
        let subject = lang.reminder_subject(self.title());
        self.mail(&p.email, Some(&p.name), subject, parts, None)
    }

    /// For a new submission: the receipt to the contact, a confirmation to each attendee.
    pub fn submitted(&self, contact: &Contact, registered: &[Person]) -> Vec<Mail> {
        let lang = self.lang;
        let mut mails = vec![self.contact_mail(
            contact,
            lang.received_subject(self.title(), self.reference),
            vec![Part::P(lang.thanks(self.municipality, self.reference))],
            registered,
        )];
        mails.extend(
            registered
                .iter()
                .map(|p| self.confirmation(p, contact, false)),
        );
        mails
    }

    /// For a change through the manage link: an update to the contact (the new one and the
    /// one before, if it changed), a confirmation to each new attendee, an update to each
    /// edited one and a cancellation to each cancelled one.
    pub fn changed(&self, contact: &Contact, what: &Changed, now: &[Person]) -> Vec<Mail> {
        let lang = self.lang;
        let mut summary = Vec::new();
        let names = |ps: &[Person]| {
            ps.iter()
                .map(|p| format!("{} ({})", p.name, p.email))
                .collect()
        };
        for (list, head) in [
            (&what.added, lang.added_head()),
            (&what.edited, lang.edited_head()),
            (&what.cancelled, lang.cancelled_head()),
        ] {
            if !list.is_empty() {
                summary.push(Part::P(head.to_owned()));
                summary.push(Part::List(names(list)));
            }
        }
        if let Some(old) = &what.old_contact {
            summary.push(Part::P(lang.new_contact(&who(contact), &who(old))));
        }
        let subject = lang.changed_subject(self.title(), self.reference);
        let mut mails = vec![self.contact_mail(contact, subject.clone(), summary, now)];
        if let Some(old) = &what.old_contact {
            let to_old = vec![Part::P(lang.contact_moved(&who(contact), self.reference))];
            mails.push(self.mail(&old.email, Some(&old.name), subject, to_old, None));
        }
        mails.extend(
            what.added
                .iter()
                .map(|p| self.confirmation(p, contact, false)),
        );
        mails.extend(what.edited.iter().map(|p| self.update(p)));
        mails.extend(what.cancelled.iter().map(|p| self.cancellation(p)));
        mails
    }

    /// For an approved membership: the receipt again to the contact (the registration now
    /// applies, with a manage link), and to each waiting attendee the confirmation with the
    /// invitation they could not have before, saying it was approved.
    pub fn approved(&self, contact: &Contact, waiting: &[Person]) -> Vec<Mail> {
        let lang = self.lang;
        let mut mails = vec![self.contact_mail(
            contact,
            lang.approved_subject(self.title(), self.reference),
            vec![Part::P(lang.approved_intro(self.municipality))],
            waiting,
        )];
        mails.extend(waiting.iter().map(|p| self.confirmation(p, contact, true)));
        mails
    }

    /// For a declined membership: the contact and each waiting attendee are told, with the
    /// organiser's reason.
    pub fn declined(&self, contact: &Contact, waiting: &[Person], reason: &str) -> Vec<Mail> {
        let lang = self.lang;
        let subject = lang.declined_subject(self.title(), self.reference);
        let told = |names: Option<Vec<String>>| {
            let mut parts = vec![
                Part::P(lang.declined_intro(self.municipality)),
                Part::P(lang.reason_label().to_owned()),
                Part::P(reason.to_owned()),
            ];
            if let Some(names) = names {
                parts.push(Part::P(lang.declined_attendees_head().to_owned()));
                parts.push(Part::List(names));
            }
            parts.push(Part::P(format!("{}: {}", self.meeting.title, self.when())));
            parts.push(self.questions());
            parts
        };
        let names = waiting
            .iter()
            .map(|p| format!("{} ({})", p.name, p.email))
            .collect();
        let mut mails = vec![self.mail(
            &contact.email,
            Some(&contact.name),
            subject.clone(),
            told(Some(names)),
            None,
        )];
        mails.extend(
            waiting
                .iter()
                .map(|p| self.mail(&p.email, Some(&p.name), subject.clone(), told(None), None)),
        );
        mails
    }

    fn title(&self) -> &str {
        &self.meeting.title
    }

    fn when(&self) -> String {
        match self.lang {
            Lang::Da => self.meeting.when_da(),
            Lang::En => self.meeting.when_en(),
        }
    }

    /// The meeting's details, as every mail gives them.
    fn details(&self) -> Vec<Part> {
        let place = match &self.meeting.venue {
            Venue::Virtual { note } => note.clone(),
            Venue::Physical { address, note } => {
                format!("{address}. {}", note.as_deref().unwrap_or(""))
                    .trim()
                    .to_owned()
            }
        };
        vec![
            Part::P(format!("{}: {}", self.meeting.title, self.meeting.theme)),
            Part::P(format!("{} {}", self.lang.when_label(), self.when())),
            Part::P(place),
        ]
    }

    /// Whom to ask: the organiser's address from the meeting file, else the sender.
    fn questions(&self) -> Part {
        let to = self
            .meeting
            .registration
            .contact_email
            .as_deref()
            .unwrap_or(self.from);
        Part::P(self.lang.questions(to))
    }

    fn contact_mail(
        &self,
        contact: &Contact,
        subject: String,
        mut parts: Vec<Part>,
        attendees: &[Person],
    ) -> Mail {
        let lang = self.lang;
        if self.pending {
            parts.push(Part::P(lang.applied_for_membership().to_owned()));
        }
        parts.push(Part::P(lang.registered_now(attendees.len())));
        parts.push(Part::List(
            attendees
                .iter()
                .map(|p| format!("{}, {} ({})", p.name, p.title, p.email))
                .collect(),
        ));
        parts.push(Part::P(lang.manage_intro().to_owned()));
        parts.push(Part::Link(self.manage_url.to_owned()));
        parts.push(Part::P(lang.keep_the_link().to_owned()));
        parts.extend(self.details());
        parts.push(self.questions());
        self.mail(&contact.email, Some(&contact.name), subject, parts, None)
    }

    /// To an attendee: registered (`approved`: now that the membership they waited on is), or
    /// waiting for the municipality's membership.
    fn confirmation(&self, p: &Person, contact: &Contact, approved: bool) -> Mail {
        let lang = self.lang;
        let mut parts = Vec::new();
        if approved {
            parts.push(Part::P(lang.approved_intro(self.municipality)));
        }
        parts.push(Part::P(
            lang.registered_you(&contact.name, self.municipality),
        ));
        let calendar = if self.pending {
            parts.push(Part::P(lang.applies_once_approved().to_owned()));
            None
        } else {
            parts.push(Part::P(lang.invitation_attached().to_owned()));
            if let Some(url) = self.join_url {
                parts.push(Part::P(lang.join_label().to_owned()));
                parts.push(Part::Link(url.to_owned()));
            }
            Some(self.invitation(p, Method::Request))
        };
        parts.extend(self.details());
        parts.push(Part::P(lang.tell_the_contact(&who(contact))));
        parts.push(self.questions());
        let subject = if self.pending {
            lang.waiting_subject(self.title())
        } else if approved {
            lang.approved_attendee_subject(self.title())
        } else {
            lang.registered_subject(self.title())
        };
        self.mail(&p.email, Some(&p.name), subject, parts, calendar)
    }

    fn update(&self, p: &Person) -> Mail {
        let mut parts = vec![Part::P(self.lang.corrected_intro().to_owned())];
        let dept = if p.department.is_empty() {
            String::new()
        } else {
            format!(", {}", p.department)
        };
        parts.push(Part::List(vec![format!("{}, {}{dept}", p.name, p.title)]));
        parts.extend(self.details());
        parts.push(self.questions());
        let subject = self.lang.corrected_subject(self.title());
        let calendar = (!self.pending).then(|| self.invitation(p, Method::Request));
        self.mail(&p.email, Some(&p.name), subject, parts, calendar)
    }

    fn cancellation(&self, p: &Person) -> Mail {
        let parts = vec![
            Part::P(self.lang.cancelled_intro().to_owned()),
            Part::P(format!("{}: {}", self.meeting.title, self.when())),
            self.questions(),
        ];
        let subject = self.lang.cancelled_subject(self.title());
        let calendar = Some(self.invitation(p, Method::Cancel));
        self.mail(&p.email, Some(&p.name), subject, parts, calendar)
    }

    fn invitation(&self, p: &Person, method: Method) -> (Method, String) {
        let how = Invitation {
            method,
            sequence: p.sequence,
            organizer: self.from,
            join_url: self.join_url,
        };
        (
            method,
            ics::invitation(self.meeting, &p.name, &p.email, self.now, self.lang, how),
        )
    }

    /// Writes a mail out as text and HTML, greeting `name` and signed by the network; with no
    /// name, neither (the organiser's own message greets and signs itself).
    fn mail(
        &self,
        to: &str,
        name: Option<&str>,
        subject: String,
        parts: Vec<Part>,
        calendar: Option<(Method, String)>,
    ) -> Mail {
        use html_escape::{encode_double_quoted_attribute as attr, encode_text as esc};
        let mut text = String::new();
        let mut html = format!(
            "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body>",
            self.lang.code(),
            esc(&subject),
        );
        if let Some(name) = name {
            let hello = format!("{} {name}", self.lang.hello());
            text.push_str(&format!("{hello}\n\n"));
            html.push_str(&format!("<p>{}</p>", esc(&hello)));
        }
        for part in &parts {
            match part {
                Part::P(p) => {
                    text.push_str(p);
                    text.push_str("\n\n");
                    html.push_str(&format!("<p>{}</p>", esc(p)));
                }
                Part::List(items) => {
                    html.push_str("<ul>");
                    for item in items {
                        text.push_str(&format!("- {item}\n"));
                        html.push_str(&format!("<li>{}</li>", esc(item)));
                    }
                    text.push('\n');
                    html.push_str("</ul>");
                }
                Part::Link(url) => {
                    text.push_str(&format!("{url}\n\n"));
                    html.push_str(&format!(
                        "<p><a href=\"{}\">{}</a></p>",
                        attr(url),
                        esc(url)
                    ));
                }
            }
        }
        if name.is_some() {
            let sign = self
                .meeting
                .network
                .organiser
                .clone()
                .unwrap_or_else(|| self.meeting.network.name.clone());
            let regards = self.lang.regards();
            text.push_str(&format!("{regards}\n{sign}\n"));
            html.push_str(&format!("<p>{regards}<br>{}</p>", esc(&sign)));
        }
        html.push_str("</body></html>");
        Mail {
            to: to.to_owned(),
            subject,
            text,
            html,
            calendar,
        }
    }
}

/// A person as the mails name them: "Name (address)".
fn who(c: &Contact) -> String {
    format!("{} ({})", c.name, c.email)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting() -> Meeting {
        serde_json::from_str(include_str!("../../meetings/knub-2021-05-17.json")).unwrap()
    }

    fn person(name: &str, email: &str) -> Person {
        Person {
            name: name.into(),
            email: email.into(),
            title: "Konsulent".into(),
            department: String::new(),
            sequence: 0,
        }
    }

    #[test]
    fn a_submission_mails_the_contact_and_each_attendee() {
        let m = meeting();
        let letters = Letters {
            meeting: &m,
            lang: Lang::Da,
            from: "tilmelding@kl.dk",
            manage_url: "https://kl.dk/knub#tilmelding-manage=a.b",
            reference: "KNUB-00001",
            municipality: "Randers",
            pending: false,
            now: 0,
            join_url: None,
        };
        let contact = Contact {
            name: "Kim <K>".into(),
            email: "kim@randers.dk".into(),
        };
        let mails = letters.submitted(&contact, &[person("Anna", "anna@randers.dk")]);
        assert_eq!(mails.len(), 2);
        assert_eq!(mails[0].to, "kim@randers.dk");
        assert!(
            mails[0]
                .text
                .contains("https://kl.dk/knub#tilmelding-manage=a.b")
        );
        assert!(
            mails[0].html.contains("Kære Kim &lt;K&gt;"),
            "{}",
            mails[0].html
        );
        assert!(mails[0].calendar.is_none());
        let (method, ics) = mails[1].calendar.clone().unwrap();
        assert_eq!(method, Method::Request);
        assert!(ics.contains(&ics::uid(&m.id, "anna@randers.dk")));
        assert!(mails[1].subject.starts_with("Du er tilmeldt"));
        let en = Letters {
            lang: Lang::En,
            ..letters
        };
        let cancelled = Changed {
            cancelled: vec![Person {
                sequence: 1,
                ..person("Anna", "anna@randers.dk")
            }],
            ..Changed::default()
        };
        let mails = en.changed(&contact, &cancelled, &[]);
        assert!(mails[0].subject.starts_with("Registration changed"));
        let (method, ics) = mails[1].calendar.clone().unwrap();
        assert_eq!(method, Method::Cancel);
        assert!(ics.contains("SEQUENCE:1"));
    }
}
