//! The words of the meeting pages (the list of meetings and the editor), Danish first and
//! English: a table of their own, as each table declares `ALL` (see
//! `tilmelding_domain::words`).

use tilmelding_domain::Lang;
use tilmelding_domain::catalogue::{MeetingAction, MeetingStatus};

tilmelding_domain::texts! {
    /// The meeting pages' fixed texts.
    trait MeetingTexts;
    nav_registrations: "Tilmeldinger", "Registrations";
    nav_meetings: "Møder", "Meetings";
    nav_members: "Medlemmer", "Members";
    nav_label: "Arrangørsiden", "The organiser page";
    meetings_title: "Møder", "Meetings";
    new_title: "Nyt møde", "New meeting";
    copy_intro: "Kopiér et tidligere møde: tekster, program og indstillinger kommer med, men ikke tilmeldinger, link eller beskeder.", "Copy an earlier meeting: texts, programme and settings come along, but not registrations, link or messages.";
    copy_from: "Kopiér fra", "Copy from";
    copy_date: "Dato for det nye møde", "Date of the new meeting";
    copy_button: "Kopiér mødet", "Copy the meeting";
    blank_button: "Start et tomt møde", "Start a blank meeting";
    edit: "Redigér", "Edit";
    back: "Tilbage til møderne", "Back to the meetings";
    col_meeting: "Møde", "Meeting";
    col_date: "Dato", "Date";
    col_status: "Status", "Status";
    no_meetings: "Ingen møder endnu. Start et nyt nedenfor.", "No meetings yet. Start a new one below.";
    editor_new: "Nyt møde (ikke gemt endnu)", "New meeting (not saved yet)";
    section_meeting: "Mødet", "The meeting";
    section_programme: "Program", "Programme";
    section_registration: "Tilmelding", "Registration";
    f_id: "Id (i adressen, fx knub-2027-04-22)", "Id (in the address, e.g. knub-2027-04-22)";
    f_id_hint: "Kun a–z, 0–9, - og _. Tomt: netværkets id og datoen. Kan ikke ændres senere.", "Only a–z, 0–9, - and _. Empty: the network's id and the date. Cannot change later.";
    f_network_id: "Netværkets id (fx knub)", "The network's id (e.g. knub)";
    f_network_name: "Netværkets navn", "The network's name";
    f_network_short: "Forkortelse (valgfri)", "Abbreviation (optional)";
    f_network_organiser: "Arrangør (valgfri, fx KL)", "Organiser (optional, e.g. KL)";
    f_title: "Overskrift", "Heading";
    f_theme: "Tema", "Theme";
    f_intro: "Indledning", "Introduction";
    paragraphs_hint: "Afsnit adskilles af en tom linje.", "Separate paragraphs with a blank line.";
    lines_hint: "Ét punkt pr. linje.", "One item per line.";
    f_date: "Dato", "Date";
    date_hint: "Skriv som ÅÅÅÅ-MM-DD, fx 2027-04-22.", "Write it as YYYY-MM-DD, e.g. 2027-04-22.";
    time_hint: "Skriv som TT:MM, fx 09:15.", "Write it as HH:MM, e.g. 09:15.";
    deadline_hint: "Skriv som ÅÅÅÅ-MM-DD TT:MM, fx 2027-04-15 12:00.", "Write it as YYYY-MM-DD HH:MM, e.g. 2027-04-15 12:00.";
    f_start: "Starter kl.", "Starts at";
    f_end: "Slutter kl.", "Ends at";
    f_venue_kind: "Sted", "Venue";
    venue_virtual: "Virtuelt", "Virtual";
    venue_physical: "Fysisk adresse", "Physical address";
    f_venue_note: "Om stedet (fx hvordan linket sendes)", "About the venue (e.g. how the link is sent)";
    f_venue_address: "Adresse", "Address";
    f_item_kind: "Slags", "Kind";
    kind_talk: "Oplæg", "Talk";
    kind_discussion: "Drøftelse", "Discussion";
    kind_other: "Andet", "Other";
    f_item_title: "Overskrift", "Heading";
    f_item_start: "Fra kl. (valgfri)", "From (optional)";
    f_item_end: "Til kl. (valgfri)", "To (optional)";
    f_speakers: "Oplægsholdere", "Speakers";
    speakers_hint: "Én pr. linje: Navn, Organisation. En linje uden komma er en organisation alene.", "One per line: Name, Organisation. A line without a comma is an organisation alone.";
    f_body: "Beskrivelse", "Description";
    f_facts: "Fakta (vises som liste)", "Facts (shown as a list)";
    f_quote_text: "Citat (valgfrit)", "Quote (optional)";
    f_quote_by: "Citatets afsender", "Quoted person";
    add_item: "Tilføj et programpunkt", "Add a programme item";
    remove_item: "Fjern punktet", "Remove the item";
    move_up: "Flyt op", "Move up";
    move_down: "Flyt ned", "Move down";
    f_rules: "Regler for deltagelse", "Rules for attending";
    f_deadline: "Tilmeldingsfrist (valgfri; tom: når mødet begynder)", "Registration deadline (optional; empty: when the meeting starts)";
    f_reminder: "Påmindelse, timer før mødet (0: ingen)", "Reminder, hours before the meeting (0: none)";
    f_privacy_text: "Tekst om behandling af personoplysninger", "Text on the processing of personal data";
    f_privacy_url: "Link til privatlivspolitikken", "Link to the privacy policy";
    f_page_url: "Siden, tilmeldingen er indsat på (valgfri)", "The page the registration is embedded in (optional)";
    f_contact: "Arrangørens e-mail til spørgsmål (valgfri)", "The organiser's e-mail for questions (optional)";
    save: "Gem", "Save";
    save_new: "Gem kladden", "Save the draft";
    saved: "Gemt.", "Saved.";
    unsaved: "Ændringer, der ikke er gemt, ligger i browseren, til du gemmer eller kasserer dem.", "Changes not saved are kept in the browser until you save or discard them.";
    restored: "Dine ændringer, der ikke var gemt, er hentet frem igen.", "Your changes that were not saved have been brought back.";
    discard: "Kassér ændringerne", "Discard the changes";
    publish: "Offentliggør mødet", "Publish the meeting";
    published_note: "Mødet er offentliggjort. Indsæt koden på siden i CMS'et, eller del linket.", "The meeting is published. Paste the code into the page in the CMS, or share the link.";
    snippet: "Kode til CMS'et", "Code for the CMS";
    standalone: "Link til tilmeldingen", "Link to the registration";
    copy_snippet: "Kopiér koden", "Copy the code";
    copy_link: "Kopiér linket", "Copy the link";
    copied: "Kopieret.", "Copied.";
    cancel_meeting: "Aflys mødet", "Cancel the meeting";
    cancel_reason: "Begrundelse (sendes til alle tilmeldte og vises på siden)", "Reason (sent to everyone registered and shown on the page)";
    keep: "Fortryd", "Go back";
    preview: "Sådan ser siden ud", "How the page looks";
    preview_wide: "Bred skærm", "Wide screen";
    preview_mobile: "Mobil (375 px)", "Mobile (375 px)";
    preview_stale: "Forhåndsvisningen viser den seneste udgave uden fejl.", "The preview shows the latest version without errors.";
    history: "Historik", "History";
    errors_title: "Ret dette, før mødet kan gemmes:", "Correct this before the meeting can be saved:";
    loading_meeting: "Henter mødet …", "Loading the meeting …";
}

tilmelding_domain::phrases! {
    /// The meeting pages' texts with values in them.
    trait MeetingPhrases;

    fn status_name(self, status: MeetingStatus) -> &'static str {
        match (self, status) {
            (Lang::Da, MeetingStatus::Draft) => "Kladde",
            (Lang::Da, MeetingStatus::Published) => "Offentliggjort",
            (Lang::Da, MeetingStatus::Cancelled) => "Aflyst",
            (Lang::En, MeetingStatus::Draft) => "Draft",
            (Lang::En, MeetingStatus::Published) => "Published",
            (Lang::En, MeetingStatus::Cancelled) => "Cancelled",
        }
    }

    fn action_name(self, action: MeetingAction) -> &'static str {
        match (self, action) {
            (Lang::Da, MeetingAction::Created) => "oprettet",
            (Lang::Da, MeetingAction::Copied) => "kopieret fra",
            (Lang::Da, MeetingAction::Imported) => "indlæst fra en mødefil",
            (Lang::Da, MeetingAction::Edited) => "rettet",
            (Lang::Da, MeetingAction::Published) => "offentliggjort",
            (Lang::Da, MeetingAction::Cancelled) => "aflyst",
            (Lang::Da, MeetingAction::JoinLinkSet) => "link til mødet sat:",
            (Lang::En, MeetingAction::Created) => "created",
            (Lang::En, MeetingAction::Copied) => "copied from",
            (Lang::En, MeetingAction::Imported) => "read from a meeting file",
            (Lang::En, MeetingAction::Edited) => "changed",
            (Lang::En, MeetingAction::Published) => "published",
            (Lang::En, MeetingAction::Cancelled) => "cancelled",
            (Lang::En, MeetingAction::JoinLinkSet) => "link to the meeting set:",
        }
    }

    /// "Programpunkt 2"
    fn item_heading(self, n: usize) -> String {
        match self {
            Lang::Da => format!("Programpunkt {n}"),
            Lang::En => format!("Programme item {n}"),
        }
    }

    /// Before a move of a published meeting is saved: whom it reaches.
    fn move_confirm(self, from: &str, to: &str, n: usize) -> String {
        match self {
            Lang::Da => format!(
                "Mødet flyttes fra {from} til {to}. {n} tilmeldte får en mail om det med en opdateret kalenderinvitation."
            ),
            Lang::En => format!(
                "The meeting moves from {from} to {to}. {n} registered attendees get a mail about it with an updated calendar invitation."
            ),
        }
    }

    fn move_send(self, n: usize) -> String {
        match self {
            Lang::Da => format!("Gem og send til {n} tilmeldte"),
            Lang::En => format!("Save and send to {n} registered"),
        }
    }

    fn moved_told(self, n: usize) -> String {
        match self {
            Lang::Da => format!("Gemt. {n} tilmeldte har fået besked om det nye tidspunkt."),
            Lang::En => format!("Saved. {n} registered attendees have been told the new time."),
        }
    }

    fn cancel_confirm(self, n: usize) -> String {
        match self {
            Lang::Da => format!(
                "Mødet aflyses. {n} tilmeldte får en mail med begrundelsen, og aftalen fjernes fra deres kalender. Det kan ikke fortrydes."
            ),
            Lang::En => format!(
                "The meeting is cancelled. {n} registered attendees get a mail with the reason, and the entry is removed from their calendars. This cannot be undone."
            ),
        }
    }

    fn cancel_send(self, n: usize) -> String {
        match self {
            Lang::Da => format!("Aflys og send til {n} tilmeldte"),
            Lang::En => format!("Cancel and send to {n} registered"),
        }
    }

    fn cancelled_told(self, n: usize) -> String {
        match self {
            Lang::Da => format!("Mødet er aflyst. {n} tilmeldte har fået besked."),
            Lang::En => format!("The meeting is cancelled. {n} registered attendees have been told."),
        }
    }

    fn registered_now(self, n: usize) -> String {
        match self {
            Lang::Da => format!("{n} tilmeldte nu."),
            Lang::En => format!("{n} registered now."),
        }
    }

    /// "Kladde gemt i browseren kl. 14.02"
    fn restored_at(self, at: &str) -> String {
        match self {
            Lang::Da => format!("Dine ændringer fra kl. {at}, som ikke var gemt, er hentet frem igen."),
            Lang::En => format!("Your changes from {at}, which were not saved, have been brought back."),
        }
    }
}
