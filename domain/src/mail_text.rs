//! What the e-mails and the mailed calendar entries say, in Danish and English: one table for
//! the fixed texts and one for those with values in them (see [`crate::words`]). The reference
//! server composes its mails from these; a test below walks every text in both languages.

use crate::Lang;

crate::texts! {
    /// The e-mails' fixed texts.
    trait MailTexts;
    hello: "Kære", "Dear";
    regards: "Venlig hilsen", "Kind regards";
    when_label: "Tid:", "When:";
    theme_label: "Tema:", "Theme:";
    virtual_meeting: "Virtuelt møde", "Virtual meeting";
    added_head: "Tilmeldt:", "Registered:";
    edited_head: "Rettet:", "Corrected:";
    cancelled_head: "Afmeldt:", "Cancelled:";
    applied_for_membership: "Kommunen har søgt om medlemskab af netværket. Tilmeldingen er gældende, når arrangøren har godkendt medlemskabet.", "The municipality has applied for membership of the network. The registration applies once the organiser has approved the membership.";
    manage_intro: "Se, ret eller afmeld tilmeldingen indtil tilmeldingsfristen:", "See, change or cancel the registration until the registration deadline:";
    keep_the_link: "Gem denne e-mail. Linket er personligt: del det kun med dem, der må rette tilmeldingen.", "Keep this e-mail. The link is personal: share it only with those who may change the registration.";
    applies_once_approved: "Tilmeldingen er gældende, når arrangøren har godkendt kommunens medlemskab af netværket.", "The registration applies once the organiser has approved the municipality's membership of the network.";
    invitation_attached: "Mødet er vedhæftet som en kalenderinvitation.", "The meeting is attached as a calendar invitation.";
    corrected_intro: "Din tilmelding er rettet. Du er stadig tilmeldt, nu som:", "Your registration has been corrected. You are still registered, now as:";
    cancelled_intro: "Du er afmeldt netværksmødet. Kalenderaftalen er aflyst.", "You are no longer registered for the network meeting. The calendar entry is cancelled.";
    reason_label: "Arrangørens begrundelse:", "The organiser's reason:";
    join_label: "Link til mødet:", "Link to the meeting:";
    join_later: "Linket til mødet sendes, så snart arrangøren har det.", "The link to the meeting will be sent as soon as the organiser has it.";
    join_intro: "Her er linket til mødet. Kalenderaftalen er opdateret med det.", "Here is the link to the meeting. The calendar entry has been updated with it.";
    join_changed_intro: "Linket til mødet er ændret. Brug dette nye link: det gamle virker måske ikke længere. Kalenderaftalen er opdateret med det.", "The link to the meeting has changed. Use this new link: the old one may no longer work. The calendar entry has been updated with it.";
    meeting_cancelled_intro: "Arrangøren har aflyst netværksmødet. Kalenderaftalen er aflyst.", "The organiser has cancelled the network meeting. The calendar entry is cancelled.";
    moved_calendar: "Kalenderaftalen er opdateret med det nye tidspunkt.", "The calendar entry has been updated with the new time.";
    declined_attendees_head: "Disse tilmeldinger gælder derfor ikke:", "These registrations therefore do not apply:";
}

crate::phrases! {
    /// The e-mails' texts with values in them.
    trait MailPhrases;

    fn received_subject(self, title: &str, reference: &str) -> String {
        match self {
            Lang::Da => format!("Tilmelding modtaget: {title} ({reference})"),
            Lang::En => format!("Registration received: {title} ({reference})"),
        }
    }

    fn thanks(self, municipality: &str, reference: &str) -> String {
        match self {
            Lang::Da => {
                format!("Tak for tilmeldingen fra {municipality}. Referencenummer: {reference}.")
            }
            Lang::En => format!(
                "Thank you for the registration from {municipality}. Reference number: {reference}."
            ),
        }
    }

    fn changed_subject(self, title: &str, reference: &str) -> String {
        match self {
            Lang::Da => format!("Tilmelding ændret: {title} ({reference})"),
            Lang::En => format!("Registration changed: {title} ({reference})"),
        }
    }

    fn new_contact(self, now: &str, before: &str) -> String {
        match self {
            Lang::Da => format!("Ny kontaktperson: {now}, før {before}."),
            Lang::En => format!("New contact person: {now}, before {before}."),
        }
    }

    fn contact_moved(self, now: &str, reference: &str) -> String {
        match self {
            Lang::Da => format!(
                "{now} er nu kontaktperson for tilmeldingen {reference} og har fået et nyt link til den. Dit link virker ikke længere."
            ),
            Lang::En => format!(
                "{now} is now the contact person of registration {reference} and has been sent a new link to it. Your link no longer works."
            ),
        }
    }

    fn questions(self, to: &str) -> String {
        match self {
            Lang::Da => format!("Spørgsmål? Skriv til {to}."),
            Lang::En => format!("Questions? Write to {to}."),
        }
    }

    fn registered_now(self, n: usize) -> String {
        match self {
            Lang::Da => format!("Tilmeldte nu ({n}):"),
            Lang::En => format!("Registered now ({n}):"),
        }
    }

    fn registered_you(self, contact: &str, municipality: &str) -> String {
        match self {
            Lang::Da => format!("{contact} fra {municipality} har tilmeldt dig netværksmødet."),
            Lang::En => {
                format!("{contact} from {municipality} has registered you for the network meeting.")
            }
        }
    }

    fn tell_the_contact(self, contact: &str) -> String {
        match self {
            Lang::Da => format!("Skal du ikke med alligevel, så giv besked til {contact}."),
            Lang::En => format!("If you cannot come after all, tell {contact}."),
        }
    }

    fn registered_subject(self, title: &str) -> String {
        match self {
            Lang::Da => format!("Du er tilmeldt: {title}"),
            Lang::En => format!("You are registered: {title}"),
        }
    }

    /// To an attendee whose registration waits for the municipality's membership.
    fn waiting_subject(self, title: &str) -> String {
        match self {
            Lang::Da => format!("Tilmelding venter på godkendelse: {title}"),
            Lang::En => format!("Registration waiting for approval: {title}"),
        }
    }

    /// To an attendee whose waiting registration now applies.
    fn approved_attendee_subject(self, title: &str) -> String {
        match self {
            Lang::Da => format!("Medlemskab godkendt – du er tilmeldt: {title}"),
            Lang::En => format!("Membership approved – you are registered: {title}"),
        }
    }

    fn join_changed_subject(self, title: &str) -> String {
        match self {
            Lang::Da => format!("Nyt link til mødet: {title}"),
            Lang::En => format!("New link to the meeting: {title}"),
        }
    }

    fn corrected_subject(self, title: &str) -> String {
        match self {
            Lang::Da => format!("Tilmelding rettet: {title}"),
            Lang::En => format!("Registration corrected: {title}"),
        }
    }

    fn cancelled_subject(self, title: &str) -> String {
        match self {
            Lang::Da => format!("Afmeldt: {title}"),
            Lang::En => format!("Cancelled: {title}"),
        }
    }

    /// To everyone registered, when the organiser moves the meeting.
    fn moved_subject(self, title: &str) -> String {
        match self {
            Lang::Da => format!("Nyt tidspunkt: {title}"),
            Lang::En => format!("New time: {title}"),
        }
    }

    fn moved_intro(self, from: &str, to: &str) -> String {
        match self {
            Lang::Da => format!("Netværksmødet er flyttet fra {from} til {to}."),
            Lang::En => format!("The network meeting has moved from {from} to {to}."),
        }
    }

    /// To everyone registered, when the organiser cancels the meeting.
    fn meeting_cancelled_subject(self, title: &str) -> String {
        match self {
            Lang::Da => format!("Aflyst: {title}"),
            Lang::En => format!("Meeting cancelled: {title}"),
        }
    }

    fn reminder_subject(self, title: &str) -> String {
        match self {
            Lang::Da => format!("Påmindelse: {title}"),
            Lang::En => format!("Reminder: {title}"),
        }
    }

    fn reminder_intro(self, when: &str) -> String {
        match self {
            Lang::Da => format!("En påmindelse om netværksmødet, som du er tilmeldt: {when}."),
            Lang::En => format!("A reminder of the network meeting you are registered for: {when}."),
        }
    }

    fn join_subject(self, title: &str) -> String {
        match self {
            Lang::Da => format!("Link til mødet: {title}"),
            Lang::En => format!("Link to the meeting: {title}"),
        }
    }

    fn approved_subject(self, title: &str, reference: &str) -> String {
        match self {
            Lang::Da => format!("Medlemskab godkendt, tilmeldingen gælder: {title} ({reference})"),
            Lang::En => format!("Membership approved, the registration applies: {title} ({reference})"),
        }
    }

    fn approved_intro(self, municipality: &str) -> String {
        match self {
            Lang::Da => format!(
                "Arrangøren har godkendt {municipality}s medlemskab af netværket. Tilmeldingen gælder nu."
            ),
            Lang::En => format!(
                "The organiser has approved {municipality}'s membership of the network. The registration now applies."
            ),
        }
    }

    fn declined_subject(self, title: &str, reference: &str) -> String {
        match self {
            Lang::Da => format!("Medlemskab ikke godkendt: {title} ({reference})"),
            Lang::En => format!("Membership not approved: {title} ({reference})"),
        }
    }

    fn declined_intro(self, municipality: &str) -> String {
        match self {
            Lang::Da => format!(
                "Arrangøren har ikke godkendt {municipality}s medlemskab af netværket, så tilmeldingen til mødet gælder ikke."
            ),
            Lang::En => format!(
                "The organiser has not approved {municipality}'s membership of the network, so the registration for the meeting does not apply."
            ),
        }
    }
}

/// Every phrase, with sample values, in a language: for the test that walks them all.
#[cfg(test)]
fn every_phrase(lang: Lang) -> Vec<String> {
    vec![
        lang.received_subject("T", "R"),
        lang.thanks("M", "R"),
        lang.changed_subject("T", "R"),
        lang.new_contact("A", "B"),
        lang.contact_moved("A", "R"),
        lang.questions("Q"),
        lang.registered_now(2),
        lang.registered_you("C", "M"),
        lang.tell_the_contact("C"),
        lang.registered_subject("T"),
        lang.waiting_subject("T"),
        lang.approved_attendee_subject("T"),
        lang.join_changed_subject("T"),
        lang.corrected_subject("T"),
        lang.cancelled_subject("T"),
        lang.join_subject("T"),
        lang.reminder_subject("T"),
        lang.moved_subject("T"),
        lang.moved_intro("A", "B"),
        lang.meeting_cancelled_subject("T"),
        lang.reminder_intro("W"),
        lang.approved_subject("T", "R"),
        lang.approved_intro("M"),
        lang.declined_subject("T", "R"),
        lang.declined_intro("M"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mail_text_is_worded_in_both_languages() {
        for (name, text) in ALL {
            let (da, en) = (text(Lang::Da), text(Lang::En));
            assert!(!da.is_empty() && !en.is_empty(), "{name}");
            assert_ne!(da, en, "{name} is not translated");
        }
        for (da, en) in every_phrase(Lang::Da).iter().zip(every_phrase(Lang::En)) {
            assert!(!da.is_empty());
            assert_ne!(*da, en, "not translated: {da}");
        }
    }
}
