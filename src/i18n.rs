//! Every text the widget shows, in Danish and English, in one place. The language comes from
//! `data-lang` and the visible switch; it lives in a context signal, so every text re-renders
//! when it changes. Meeting data is not translated: it is shown as written (Danish), marked
//! `lang="da"` so screen readers pronounce it right inside an English page.

use leptos::prelude::*;
use tilmelding_domain::{FieldError, Meeting};

pub use tilmelding_domain::Lang;

/// The current language signal (provided by the root component).
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Da))
}

/// A text that follows the language, for a view: `{tr(lang, Lang::retry)}`.
///
/// Every view text goes through this one function rather than its own `move ||` closure: a
/// closure type per text makes Leptos compile its render code once per text, about 1 KB of
/// wasm each, while this closure type is the same for all of them.
pub fn tr(
    lang: RwSignal<Lang>,
    pick: fn(Lang) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || pick(lang.get())
}

/// Everything a view needs for its texts.
pub mod prelude {
    pub use super::{Lang, Phrases, Texts, tr, use_lang};
}

tilmelding_domain::texts! {
    /// The interface's fixed texts in each language.
    trait Texts;
    switch_name: "Dansk", "English";
    loading: "Henter mødets program …", "Loading the meeting programme …";
    load_failed: "Mødets program kunne ikke hentes.", "The meeting programme could not be loaded.";
    load_malformed: "Mødets data er ugyldige, så programmet og tilmeldingen kan ikke vises. Kontakt arrangøren af mødet.", "The meeting data is invalid, so the programme and registration cannot be shown. Please contact the organiser.";
    retry: "Prøv igen", "Try again";
    time: "Tid", "Time";
    place: "Sted", "Place";
    theme: "Tema: ", "Theme: ";
    programme: "Program", "Programme";
    talk: "Oplæg", "Talk";
    discussion: "Drøftelse", "Discussion";
    item: "Punkt", "Item";
    by: "ved", "by";
    and: "og", "and";
    registration: "Tilmelding", "Registration";
    closed_title: "Tilmeldingen er lukket.", "Registration is closed.";
    closed_text: "Fristen for tilmelding til mødet er overskredet. Kontakt arrangøren, hvis I stadig ønsker at deltage.", "The deadline for registering has passed. Please contact the organiser if you still wish to attend.";
    closed_started: "Tilmeldingen lukkede, da mødet begyndte.", "Registration closed when the meeting started.";
    cancelled_title: "Mødet er aflyst.", "The meeting is cancelled.";
    municipality: "Kommune", "Municipality";
    municipality_hint: "Skriv kommunens navn, og vælg den på listen.", "Type the municipality's name and choose it from the list.";
    municipalities: "Kommuner", "Municipalities";
    no_match: "Ingen kommuner passer til det, du har skrevet.", "No municipality matches what you typed.";
    check_failed: "Vi kunne ikke tjekke kommunens medlemskab.", "We could not check the municipality's membership.";
    membership_needed: "Der kræves kommunalt medlemskab af netværket for at deltage. I kan søge om medlemskab og tilmelde jer mødet i samme omgang; tilmeldingen er bekræftet, når arrangøren har godkendt ansøgningen.", "Attending requires the municipality to be a member of the network. You can apply for membership and register for the meeting in one go; the registration is confirmed once the organiser approves the application.";
    application_pending: " Kommunen har allerede søgt om medlemskab; nye tilmeldinger afventer også godkendelsen.", " The municipality has already applied for membership; new registrations also await the approval.";
    apply_button: "Søg om medlemskab og tilmeld", "Apply for membership and register";
    form_title_member: "Deltagere og kontaktperson", "Attendees and contact person";
    form_title_apply: "Ansøgning om medlemskab og tilmelding", "Membership application and registration";
    draft_discard: "Kassér kladden", "Discard the draft";
    contact: "Kontaktperson", "Contact person";
    contact_hint: "Den, arrangøren kan kontakte om tilmeldingen.", "The person the organiser can contact about this registration.";
    name: "Navn", "Name";
    email: "E-mail", "E-mail";
    job_title: "Stilling", "Job title";
    department: "Afdeling (valgfri)", "Department (optional)";
    attendees: "Deltagere", "Attendees";
    attendees_hint: "Kommunen kan tilmelde så mange deltagere, den vil. Link til mødet sendes til deltagernes arbejdsmail.", "The municipality may register as many attendees as it likes. The meeting link is sent to the attendees' work e-mail.";
    add_attendee: "Tilføj deltager", "Add attendee";
    remove: "Fjern", "Remove";
    paste_label: "Indsæt deltagere fra et regneark", "Paste attendees from a spreadsheet";
    paste_hint: "Kopiér kolonnerne navn, e-mail og stilling (og evt. afdeling) fra fx Excel, og indsæt dem her. En overskriftsrække må gerne komme med.", "Copy the columns name, e-mail and job title (and department, if you like) from e.g. Excel and paste them here. A header row is fine.";
    paste_button: "Tilføj rækkerne", "Add the rows";
    paste_empty: "Der var ingen rækker at tilføje. Kopiér cellerne i regnearket, og indsæt dem i feltet.", "There were no rows to add. Copy the cells in the spreadsheet and paste them into the field.";
    paste_header: " Overskriftsrækken blev sprunget over.", " The header row was skipped.";
    draft_notice: "Det, du skriver, gemmes i din browser i op til 24 timer, så intet går tabt, hvis siden lukkes. Kladden slettes, når tilmeldingen er modtaget.", "What you type is kept in your browser for up to 24 hours so nothing is lost if the page closes. The draft is deleted once the registration is received.";
    privacy_more: "Læs mere om behandlingen af personoplysninger (åbner i et nyt vindue)", "Read more about how personal data is processed (opens in a new window)";
    privacy_accept: "Jeg har læst, hvordan oplysningerne behandles", "I have read how the data is processed";
    not_sent: "Tilmeldingen blev ikke sendt.", "The registration was not sent.";
    kept: "Alt, hvad du har skrevet, er bevaret.", "Everything you typed has been kept.";
    offline: "Du er offline. Tilmeldingen sendes, så snart forbindelsen er tilbage.", "You are offline. The registration will be sent as soon as the connection is back.";
    send: "Send tilmelding", "Send registration";
    send_apply: "Søg om medlemskab og send tilmelding", "Apply for membership and send registration";
    sending: "Sender …", "Sending …";
    received: "Tilmeldingen er modtaget.", "The registration has been received.";
    thanks: "Tak for tilmeldingen", "Thank you for registering";
    thanks_pending: "Ansøgning og tilmelding er modtaget", "Application and registration received";
    reference: "Referencenummer: ", "Reference number: ";
    already_title: "Allerede tilmeldt", "Already registered";
    already_text: "Disse personer var allerede tilmeldt mødet og er ikke tilmeldt igen:", "These people were already registered for the meeting and have not been registered again:";
    err_network: "Vi kunne ikke få forbindelse til tilmeldingssystemet. Tjek din internetforbindelse, og prøv igen.", "We could not reach the registration system. Check your internet connection and try again.";
    err_timeout: "Tilmeldingssystemet svarede ikke i tide. Prøv igen om lidt.", "The registration system did not answer in time. Please try again shortly.";
    err_closed: "Tilmeldingen til mødet er lukket.", "Registration for the meeting is closed.";
    err_malformed: "Tilmeldingssystemet sendte et svar, vi ikke kan læse. Prøv igen om lidt.", "The registration system sent an answer we cannot read. Please try again shortly.";
    err_invalid: "Tilmeldingen har fejl.", "The registration has errors.";
    place_municipality: "Kommune", "Municipality";
    place_privacy: "Persondata", "Personal data";
    place_registration: "Tilmelding", "Registration";
    manage_link: "Se, ret eller afmeld tilmeldingen", "See, change or cancel the registration";
    manage_keep: "Gem linket. Med det kan I se, rette og afmelde tilmeldingen indtil fristen. Det er også sendt til kontaktpersonen. Del det kun med dem, der må rette tilmeldingen.", "Keep the link. With it you can see, change and cancel the registration until the deadline. It has also been sent to the contact person. Share it only with those who may change the registration.";
    manage_title: "Se, ret eller afmeld tilmeldingen", "See, change or cancel the registration";
    manage_loading: "Henter tilmeldingen …", "Loading the registration …";
    manage_failed: "Tilmeldingen kunne ikke hentes.", "The registration could not be loaded.";
    manage_closed: "Mødet er begyndt, så tilmeldingen kan ikke længere ændres her. Kontakt arrangøren, hvis noget skal ændres.", "The meeting has started, so the registration can no longer be changed here. Contact the organiser if something must change.";
    manage_cancel_only: "Fristen for ændringer er overskredet. Indtil mødet begynder, kan I stadig afmelde deltagere. Kontakt arrangøren, hvis andet skal ændres.", "The deadline for changes has passed. Until the meeting starts, you can still cancel attendees. Contact the organiser if anything else must change.";
    manage_pending: "Tilmeldingen afventer, at arrangøren godkender kommunens medlemskab.", "The registration awaits the organiser's approval of the municipality's membership.";
    cancelled: "Afmeldt", "Cancelled";
    edit: "Ret", "Correct";
    replace: "Erstat", "Replace";
    cancel_one: "Afmeld", "Cancel";
    cancel_all: "Afmeld alle", "Cancel everyone";
    confirm_cancel: "Ja, afmeld", "Yes, cancel";
    keep: "Fortryd", "Keep";
    save: "Gem ændringen", "Save the change";
    add_more: "Tilføj deltagere", "Add attendees";
    add_one: "Tilføj deltageren", "Add the attendee";
    change_contact: "Skift kontaktperson", "Change contact person";
    saved: "Ændringen er gemt. Der er sendt besked til dem, den angår.", "The change has been saved. Those it concerns have been told.";
    not_saved: "Ændringen blev ikke gemt.", "The change was not saved.";
    new_person: "Ny deltager", "New attendee";
}

tilmelding_domain::phrases! {
    /// The interface's texts with values in them, in each language.
    trait Phrases;
    /// "mandag den 17. maj 2021 kl. 9.15–15.00" / "Monday 17 May 2021, 9:15–15:00".
    fn when(self, m: &Meeting) -> String {
        match self {
            Lang::Da => m.when_da(),
            Lang::En => m.when_en(),
        }
    }

    /// Where the mistake in a meeting file is, for a visitor to pass on (the organiser page
    /// says what is wrong).
    fn mistake_at(self, field: &str) -> String {
        match (self, field) {
            (Lang::Da, "") => "Fejlen står i mødets fil.".into(),
            (Lang::Da, f) => format!("Fejlen står i feltet «{f}» i mødets fil."),
            (Lang::En, "") => "The mistake is in the meeting's file.".into(),
            (Lang::En, f) => format!("The mistake is in the field «{f}» of the meeting's file."),
        }
    }

    fn checking(self, name: &str) -> String {
        match self {
            Lang::Da => format!("Tjekker om {name} Kommune er medlem af netværket …"),
            Lang::En => {
                format!("Checking whether {name} Municipality is a member of the network …")
            }
        }
    }

    fn member(self, name: &str) -> String {
        match self {
            Lang::Da => format!("{name} Kommune er medlem af netværket."),
            Lang::En => format!("{name} Municipality is a member of the network."),
        }
    }

    fn not_member(self, name: &str) -> String {
        match self {
            Lang::Da => format!("{name} Kommune er ikke medlem af netværket."),
            Lang::En => format!("{name} Municipality is not a member of the network."),
        }
    }

    fn found(self, n: usize) -> String {
        match (self, n) {
            (_, 0) => self.no_match().to_owned(),
            (Lang::Da, 1) => "1 kommune fundet.".into(),
            (Lang::Da, n) => format!("{n} kommuner fundet. Brug pil op og ned for at vælge."),
            (Lang::En, 1) => "1 municipality found.".into(),
            (Lang::En, n) => {
                format!("{n} municipalities found. Use the up and down arrows to choose.")
            }
        }
    }

    fn restored(self, when: &str) -> String {
        match self {
            Lang::Da => format!("Vi har gendannet det, du skrev {when}."),
            Lang::En => format!("We have restored what you typed {when}."),
        }
    }

    /// "kl. 14.05" / "at 14:05", with the date when it is not today.
    fn saved_at(self, hour: u32, minute: u32, day_month: Option<(u32, u32)>) -> String {
        match (self, day_month) {
            (Lang::Da, None) => format!("kl. {hour}.{minute:02}"),
            (Lang::Da, Some((d, m))) => format!("den {d}/{m} kl. {hour}.{minute:02}"),
            (Lang::En, None) => format!("at {hour}:{minute:02}"),
            (Lang::En, Some((d, m))) => format!("on {d}/{m} at {hour}:{minute:02}"),
        }
    }

    fn attendee(self, n: usize) -> String {
        match self {
            Lang::Da => format!("Deltager {n}"),
            Lang::En => format!("Attendee {n}"),
        }
    }

    fn remove_attendee(self, n: usize) -> String {
        match self {
            Lang::Da => format!("Fjern deltager {n}"),
            Lang::En => format!("Remove attendee {n}"),
        }
    }

    fn registering(self, n: usize, name: &str) -> String {
        match (self, n) {
            (Lang::Da, 1) => format!("Du tilmelder 1 deltager fra {name}."),
            (Lang::Da, n) => format!("Du tilmelder {n} deltagere fra {name}."),
            (Lang::En, 1) => format!("You are registering 1 attendee from {name}."),
            (Lang::En, n) => format!("You are registering {n} attendees from {name}."),
        }
    }

    fn error_count(self, n: usize) -> String {
        match (self, n) {
            (Lang::Da, 1) => "Der er 1 fejl i tilmeldingen".into(),
            (Lang::Da, n) => format!("Der er {n} fejl i tilmeldingen"),
            (Lang::En, 1) => "There is 1 error in the registration".into(),
            (Lang::En, n) => format!("There are {n} errors in the registration"),
        }
    }

    fn retrying(self, s: i32) -> String {
        match (self, s) {
            (Lang::Da, 1) => "Forbindelsen svigtede. Vi prøver igen om 1 sekund …".into(),
            (Lang::Da, s) => format!("Forbindelsen svigtede. Vi prøver igen om {s} sekunder …"),
            (Lang::En, 1) => "The connection failed. Trying again in 1 second …".into(),
            (Lang::En, s) => format!("The connection failed. Trying again in {s} seconds …"),
        }
    }

    fn pasted(self, n: usize, header: bool, bad: usize) -> String {
        let mut msg = match (self, n) {
            (Lang::Da, 1) => "1 deltager tilføjet fra regnearket.".to_owned(),
            (Lang::Da, n) => format!("{n} deltagere tilføjet fra regnearket."),
            (Lang::En, 1) => "1 attendee added from the spreadsheet.".to_owned(),
            (Lang::En, n) => format!("{n} attendees added from the spreadsheet."),
        };
        if header {
            msg.push_str(self.paste_header());
        }
        msg.push_str(&match (self, bad) {
            (_, 0) => String::new(),
            (Lang::Da, 1) => " 1 række skal rettes; se fejlen ved rækken.".into(),
            (Lang::Da, b) => format!(" {b} rækker skal rettes; se fejlene ved rækkerne."),
            (Lang::En, 1) => " 1 row needs fixing; see the message at the row.".into(),
            (Lang::En, b) => format!(" {b} rows need fixing; see the messages at the rows."),
        });
        msg
    }

    fn registered_count(self, n: usize) -> String {
        match self {
            Lang::Da => format!("Tilmeldte deltagere ({n})"),
            Lang::En => format!("Registered attendees ({n})"),
        }
    }

    fn confirmed(self, n: usize, m: &Meeting) -> String {
        match (self, n) {
            (Lang::Da, 0) => format!("Ingen nye deltagere er tilmeldt {}.", m.date.format_da()),
            (Lang::Da, 1) => format!("1 deltager er tilmeldt {}.", m.date.format_da()),
            (Lang::Da, n) => format!("{n} deltagere er tilmeldt {}.", m.date.format_da()),
            (Lang::En, 0) => format!(
                "No new attendees are registered for {}.",
                m.date.format_en()
            ),
            (Lang::En, 1) => format!("1 attendee is registered for {}.", m.date.format_en()),
            (Lang::En, n) => format!("{n} attendees are registered for {}.", m.date.format_en()),
        }
    }

    fn pending_confirmation(self, name: &str) -> String {
        match self {
            Lang::Da => format!(
                "{name} Kommunes ansøgning om medlemskab af netværket er modtaget. Tilmeldingen er bekræftet, når arrangøren har godkendt ansøgningen."
            ),
            Lang::En => format!(
                "{name} Municipality's application for membership of the network has been received. The registration is confirmed once the organiser approves the application."
            ),
        }
    }

    fn calendar_file(self, name: &str) -> String {
        match self {
            Lang::Da => format!("Kalenderfil (.ics) til {name}"),
            Lang::En => format!("Calendar file (.ics) for {name}"),
        }
    }

    fn register_more(self, name: &str) -> String {
        match self {
            Lang::Da => format!("Tilmeld flere fra {name}"),
            Lang::En => format!("Register more from {name}"),
        }
    }

    fn status_error(self, status: u16) -> String {
        match (self, status >= 500) {
            (Lang::Da, true) => {
                format!("Tilmeldingssystemet svarer med en fejl ({status}). Prøv igen om lidt.")
            }
            (Lang::Da, false) => format!("Tilmeldingssystemet afviste forespørgslen ({status})."),
            (Lang::En, true) => format!(
                "The registration system answered with an error ({status}). Please try again shortly."
            ),
            (Lang::En, false) => format!("The registration system refused the request ({status})."),
        }
    }

    /// A field error in this language, from the domain's message table (the same words the
    /// server uses).
    fn field_error(self, e: &FieldError) -> String {
        tilmelding_domain::messages::field_error(self, e)
    }

    /// The confirmation of a cancellation.
    fn confirm_cancel_of(self, who: &str) -> String {
        match self {
            Lang::Da => format!("Afmeld {who}? Der sendes besked og en aflysning af kalenderaftalen."),
            Lang::En => format!("Cancel {who}? They are told, and the calendar entry is cancelled."),
        }
    }

    /// Where to write about a registration when there is no manage link.
    fn write_to(self, to: Option<&str>) -> String {
        match (self, to) {
            (Lang::Da, Some(to)) => format!("Skal tilmeldingen ændres eller afmeldes, så skriv til {to} og oplys referencenummeret."),
            (Lang::En, Some(to)) => format!("To change or cancel the registration, write to {to} and give the reference number."),
            (Lang::Da, None) => "Skal tilmeldingen ændres eller afmeldes, så kontakt arrangøren og oplys referencenummeret.".into(),
            (Lang::En, None) => "To change or cancel the registration, contact the organiser and give the reference number.".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_comes_from_a_code() {
        assert_eq!(Lang::from_code("en-GB"), Lang::En);
        assert_eq!(Lang::from_code("da"), Lang::Da);
        assert_eq!(Lang::Da.switch_name(), "Dansk");
    }

    #[test]
    fn every_text_is_worded_in_both_languages() {
        for (name, text) in ALL {
            assert!(
                !text(Lang::Da).is_empty() && !text(Lang::En).is_empty(),
                "{name}"
            );
        }
    }
}
