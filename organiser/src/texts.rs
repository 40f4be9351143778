//! The page's words, Danish first and English, declared as the widget declares its own (see
//! `tilmelding_domain::words`); a registration's standing is worded by the domain's list
//! table, as in the spreadsheet.

use tilmelding_domain::members::{Became, MembershipAction};
use tilmelding_domain::{Date, Lang};

pub use tilmelding_domain::list_text::standing;

tilmelding_domain::texts! {
    /// The page's fixed texts.
    trait Texts;
    title: "Tilmeldinger – arrangør", "Registrations – organiser";
    sign_in: "Log ind", "Sign in";
    sign_in_intro: "Skriv arrangørnøglen, som du har fået af den, der driver tilmeldingen.", "Enter the organiser token you were given by whoever runs the registration.";
    by_mail: "Med din e-mail", "With your e-mail";
    by_mail_intro: "Vi sender et link til din e-mail. Det virker én gang og i 15 minutter. Det, du gør på siden, står derefter i dit navn.", "We send a link to your e-mail. It works once and for 15 minutes. What you do on the page is then recorded in your name.";
    your_email: "Din e-mail", "Your e-mail";
    send_link: "Send mig et link", "Send me a link";
    link_sent: "Hvis adressen er en arrangørs, er linket sendt nu. Åbn det i denne browser.", "If the address is an organiser's, the link is on its way. Open it in this browser.";
    by_token: "Med arrangørnøglen", "With the organiser token";
    members_title: "Medlemmer", "Members";
    network: "Netværk", "Network";
    members_year: "Medlemsår", "Membership year";
    col_municipality: "Kommune", "Municipality";
    col_from: "Medlem fra", "Member from";
    col_until: "Medlem til og med", "Member until";
    col_how: "Sådan", "How";
    col_note: "Note", "Note";
    no_members: "Ingen medlemmer i året.", "No members in the year.";
    until_ended: "indtil det afsluttes", "until ended";
    from_before: "fra før", "from before";
    end_membership: "Afslut", "End";
    last_day: "Sidste dag som medlem", "Last day as a member";
    date_format: "Skrives ÅÅÅÅ-MM-DD, fx 2026-12-31.", "Written YYYY-MM-DD, e.g. 2026-12-31.";
    note: "Note (valgfri)", "Note (optional)";
    save: "Gem", "Save";
    keep_registrations: "Behold tilmeldingerne", "Keep the registrations";
    wait_registrations: "Lad dem vente på en afgørelse om medlemskab", "Let them wait for a decision on membership";
    add_title: "Tilføj en kommune", "Add a municipality";
    add_hint: "For en kommune, der er blevet medlem uden at søge gennem tilmeldingen, fx efter en bestyrelsesbeslutning.", "For a municipality that became a member without applying through the registration, e.g. by a board decision.";
    member_from_label: "Medlem fra", "Member from";
    member_until_label: "Medlem til og med", "Member until";
    member_until_hint: "Tomt: indtil medlemskabet afsluttes.", "Empty: until the membership is ended.";
    add: "Tilføj", "Add";
    pick_first: "Vælg en kommune på listen.", "Choose a municipality from the list.";
    not_a_date: "Skriv datoen som ÅÅÅÅ-MM-DD.", "Write the date as YYYY-MM-DD.";
    end_before_start: "Slutdatoen skal ligge efter startdatoen.", "The end must come after the start.";
    undo_renewal: "Fortryd fornyelsen", "Undo the renewal";
    renewal_undone: "Fornyelsen er fortrudt.", "The renewal is undone.";
    download_members: "Hent listen (CSV til Excel)", "Download the list (CSV for Excel)";
    members_history: "Historik", "History";
    no_history: "Intet er gjort endnu.", "Nothing done yet.";
    year_starts: "Medlemsåret begynder", "The membership year starts";
    year_starts_hint: "Skrives MM-DD, fx 01-01 for kalenderåret.", "Written MM-DD, e.g. 01-01 for the calendar year.";
    year_starts_saved: "Medlemsåret er gemt.", "The membership year is saved.";
    token: "Arrangørnøgle", "Organiser token";
    wrong_token: "Nøglen er forkert. Tjek den, og prøv igen.", "The token is wrong. Check it and try again.";
    unreachable: "Serveren kan ikke nås lige nu. Prøv igen om lidt.", "The server cannot be reached right now. Try again shortly.";
    sign_out: "Log ud", "Sign out";
    other_language: "English", "Dansk";
    meeting: "Møde", "Meeting";
    loading: "Henter …", "Loading …";
    overview: "Overblik", "Overview";
    applications: "Ansøgninger om medlemskab", "Membership applications";
    no_applications: "Ingen ansøgninger venter.", "No applications are waiting.";
    approve: "Godkend", "Approve";
    decline: "Afvis", "Decline";
    reason: "Begrundelse for afslaget", "Reason for declining";
    join_title: "Link til mødet", "Link to the meeting";
    join_label: "Link til det online møde (https://…)", "Link to the online meeting (https://…)";
    join_hint: "Sendes til alle tilmeldte med en opdateret kalenderinvitation, og til dem, der tilmeldes senere. Det vises ikke på den offentlige side.", "Sent to everyone registered with an updated calendar invitation, and to those who register later. It is not shown on the public page.";
    join_save: "Gem og send linket", "Save and send the link";
    join_none: "Intet link endnu.", "No link yet.";
    join_now: "Linket nu:", "The link now:";
    msg_title: "Besked til alle tilmeldte", "Message to everyone registered";
    msg_subject: "Emne", "Subject";
    msg_body: "Tekst", "Text";
    msg_hint: "Sendes som e-mail til alle tilmeldte (ikke afmeldte, afviste eller dem, der venter på medlemskab). Skriv hele beskeden, også hilsen og underskrift: mødets detaljer og linket til mødet kommer efter den.", "Sent by e-mail to everyone registered (not those cancelled, declined or waiting for membership). Write the whole message, greeting and signature included: the meeting's details and its link follow it.";
    msg_preview: "Forhåndsvis", "Preview";
    msg_preview_title: "Forhåndsvisning", "Preview";
    msg_send: "Send beskeden", "Send the message";
    msg_edit: "Ret beskeden", "Edit the message";
    msg_sent_title: "Sendte beskeder", "Messages sent";
    msg_none: "Ingen beskeder sendt endnu.", "No messages sent yet.";
    reason_hint: "Begrundelsen sendes til kommunens kontaktperson og de tilmeldte, der venter på medlemskabet.", "The reason is sent to the municipality's contact person and to the attendees waiting on the membership.";
    confirm_decline: "Afvis ansøgningen", "Decline the application";
    cancel: "Fortryd", "Cancel";
    municipalities: "Kommuner", "Municipalities";
    municipality: "Kommune", "Municipality";
    code_col: "Kode", "Code";
    member: "Medlem", "Member";
    attendees_col: "Deltagere", "Attendees";
    yes: "Ja", "Yes";
    no: "Nej", "No";
    attendees: "Deltagere", "Attendees";
    search: "Søg i deltagere (navn, e-mail, kommune eller stilling)", "Search attendees (name, e-mail, municipality or title)";
    reference: "Reference", "Reference";
    name: "Navn", "Name";
    email: "E-mail", "E-mail";
    job_title: "Stilling", "Title";
    status: "Status", "Status";
    download: "Hent listen til Excel (CSV)", "Download the list for Excel (CSV)";
    unreadable_title: "Mødefiler, der ikke kunne indlæses", "Meeting files that could not be loaded";
    unreadable_hint: "Disse møder vises ikke, hverken her eller for deltagerne. Ret filen, og genstart serveren, eller bed den, der driver tilmeldingen, om det.", "These meetings are not shown, neither here nor to attendees. Correct the file and restart the server, or ask whoever runs the registration to.";
    decided_title: "Afgjorte ansøgninger", "Decided applications";
    held_title: "Mails, der ikke blev sendt", "Mails that were not sent";
    held_hint: "Tilmeldingerne er gemt, men disse mails blev holdt tilbage: adressen havde allerede fået det antal mails i timen, som tilmeldinger og ændringer må sende til én adresse. Er det en rigtig person, der har tilmeldt mange, så skriv til dem. Er listen lang, prøver nogen at sende mails til en adresse fra jeres afsender.", "The registrations are stored, but these mails were held back: the address had already had the number of mails in an hour that registrations and changes may send to one address. If it is a real person who registered many, write to them. If the list is long, someone is trying to send mails to an address from your sender.";
    no_decided: "Ingen ansøgninger er afgjort endnu.", "No applications have been decided yet.";
    decided_meanwhile: "Ansøgningen er afgjort i mellemtiden, i en anden fane eller af en anden arrangør: se Afgjorte ansøgninger.", "The application has been decided meanwhile, in another tab or by another organiser: see Decided applications.";
    downloaded: "Listen er hentet. Den ligger i din mappe med overførsler.", "The list is downloaded. It is in your downloads folder.";
    nobody_yet: "Ingen tilmeldinger endnu.", "No registrations yet.";
    contact: "Kontaktperson", "Contact";
    applied: "Ansøgt", "Applied";
    sort_by: "Sortér efter", "Sort by";
}

tilmelding_domain::phrases! {
    /// The page's texts with values in them.
    trait Phrases;

    /// "Viser 3 af 120 deltagere."
    fn showing(self, shown: usize, all: usize) -> String {
        match self {
            Lang::Da => format!("Viser {shown} af {all} deltagere."),
            Lang::En => format!("Showing {shown} of {all} attendees."),
        }
    }

    fn waiting(self, n: i64) -> String {
        match (self, n) {
            (Lang::Da, 1) => "1 tilmelding venter".into(),
            (Lang::Da, n) => format!("{n} tilmeldinger venter"),
            (Lang::En, 1) => "1 registration waiting".into(),
            (Lang::En, n) => format!("{n} registrations waiting"),
        }
    }

    fn decided(self, municipality: &str, approved: bool) -> String {
        match (self, approved) {
            (Lang::Da, true) => format!("{municipality} er godkendt som medlem."),
            (Lang::Da, false) => format!("Ansøgningen fra {municipality} er afvist."),
            (Lang::En, true) => format!("{municipality} is approved as a member."),
            (Lang::En, false) => format!("The application from {municipality} is declined."),
        }
    }

    fn join_sent(self, n: usize) -> String {
        match (self, n) {
            (Lang::Da, 0) => "Linket er gemt. Ingen tilmeldte at sende det til lige nu.".into(),
            (Lang::Da, n) => format!("Linket er gemt og sendt til {n} tilmeldte."),
            (Lang::En, 0) => "The link is saved. Nobody registered to send it to right now.".into(),
            (Lang::En, n) => format!("The link is saved and sent to {n} registered attendees."),
        }
    }

    fn msg_recipients(self, n: i64) -> String {
        match self {
            Lang::Da => format!("Sendes til {n} tilmeldte."),
            Lang::En => format!("To be sent to {n} registered attendees."),
        }
    }

    fn msg_sent(self, n: u32) -> String {
        match self {
            Lang::Da => format!("Beskeden er sendt til {n} tilmeldte."),
            Lang::En => format!("The message is sent to {n} registered attendees."),
        }
    }

    fn msg_line(self, by: &str, when: &str, n: u32) -> String {
        match self {
            Lang::Da => format!("Sendt af {by} {when} til {n} tilmeldte."),
            Lang::En => format!("Sent by {by} on {when} to {n} registered attendees."),
        }
    }

    /// "The page fetches new registrations every n seconds."
    fn live_note(self, n: u32) -> String {
        match (self, n) {
            (Lang::Da, 1) => "Siden henter nye tilmeldinger hvert sekund.".into(),
            (Lang::Da, n) => format!("Siden henter nye tilmeldinger hvert {n}. sekund."),
            (Lang::En, 1) => "The page fetches new registrations every second.".into(),
            (Lang::En, n) => format!("The page fetches new registrations every {n} seconds."),
        }
    }

    /// Before the link is mailed to everyone registered: how many it reaches.
    fn join_confirm(self, n: i64) -> String {
        match self {
            Lang::Da => format!(
                "Linket gemmes og sendes nu til {n} tilmeldte med en opdateret kalenderinvitation. Tilmeldte senere får det også."
            ),
            Lang::En => format!(
                "The link will be saved and sent now to {n} registered attendees with an updated calendar invitation. Those who register later get it too."
            ),
        }
    }

    fn join_send(self, n: i64) -> String {
        match self {
            Lang::Da => format!("Send linket til {n} tilmeldte"),
            Lang::En => format!("Send the link to {n} registered attendees"),
        }
    }

    /// A decided application, as the list of them says it.
    fn decided_line(self, approved: bool, by: &str, when: &str) -> String {
        match (self, approved) {
            (Lang::Da, true) => format!("godkendt af {by} {when}"),
            (Lang::Da, false) => format!("afvist af {by} {when}"),
            (Lang::En, true) => format!("approved by {by} on {when}"),
            (Lang::En, false) => format!("declined by {by} on {when}"),
        }
    }

    fn updated(self, at: &str) -> String {
        match self {
            Lang::Da => format!("Opdateret kl. {at}."),
            Lang::En => format!("Updated at {at}."),
        }
    }

    fn signed_in_as(self, name: &str) -> String {
        match self {
            Lang::Da => format!("Logget ind som {name}"),
            Lang::En => format!("Signed in as {name}"),
        }
    }

    /// After an approval: the membership it made.
    fn member_for(self, from: Date, until: Date) -> String {
        match self {
            Lang::Da => format!(
                "Kommunen er medlem fra {} til og med {}.",
                self.day(from),
                self.day(until)
            ),
            Lang::En => format!(
                "The municipality is a member from {} until {}.",
                self.day(from),
                self.day(until)
            ),
        }
    }

    /// A day as the member page writes it: 31.12.2026, 31/12/2026.
    fn day(self, d: Date) -> String {
        match self {
            Lang::Da => format!("{}.{}.{}", d.day, d.month, d.year),
            Lang::En => format!("{}/{}/{}", d.day, d.month, d.year),
        }
    }

    fn members_count(self, n: usize, year: i32) -> String {
        match (self, n) {
            (Lang::Da, 1) => format!("1 medlem i {year}"),
            (Lang::Da, n) => format!("{n} medlemmer i {year}"),
            (Lang::En, 1) => format!("1 member in {year}"),
            (Lang::En, n) => format!("{n} members in {year}"),
        }
    }

    fn end_for(self, municipality: &str) -> String {
        match self {
            Lang::Da => format!("Afslut medlemskabet for {municipality}"),
            Lang::En => format!("End the membership of {municipality}"),
        }
    }

    /// Registrations after a new end, before the choice.
    fn after_end(self, n: i64, municipality: &str) -> String {
        match self {
            Lang::Da => format!(
                "{municipality} har {n} tilmeldte til møder efter slutdatoen. Hvad skal der ske med dem?"
            ),
            Lang::En => format!(
                "{municipality} has {n} registered for meetings after the end. What becomes of them?"
            ),
        }
    }

    fn membership_saved(self, municipality: &str, until: Option<Date>, waiting: usize) -> String {
        let end = match (self, until) {
            (Lang::Da, Some(u)) => format!("{municipality} er medlem til og med {}.", self.day(u)),
            (Lang::Da, None) => format!("{municipality} er medlem, indtil det afsluttes."),
            (Lang::En, Some(u)) => format!("{municipality} is a member until {}.", self.day(u)),
            (Lang::En, None) => format!("{municipality} is a member until ended."),
        };
        match (self, waiting) {
            (_, 0) => end,
            (Lang::Da, n) => format!("{end} {n} tilmeldte venter nu på en afgørelse."),
            (Lang::En, n) => format!("{end} {n} registered now wait for a decision."),
        }
    }

    fn renew_from(self, year: i32) -> String {
        match self {
            Lang::Da => format!("Forny medlemmerne fra {year}"),
            Lang::En => format!("Renew the members of {year}"),
        }
    }

    fn renew_confirm(self, n: usize, old_until: Date, new_until: Date) -> String {
        match self {
            Lang::Da => format!(
                "{n} medlemskaber slutter {}. De forlænges til og med {}. Det kan fortrydes i et døgn.",
                self.day(old_until),
                self.day(new_until)
            ),
            Lang::En => format!(
                "{n} memberships end on {}. They will be extended until {}. This can be undone for a day.",
                self.day(old_until),
                self.day(new_until)
            ),
        }
    }

    fn renew_button(self, n: usize) -> String {
        match self {
            Lang::Da => format!("Forny {n} medlemskaber"),
            Lang::En => format!("Renew {n} memberships"),
        }
    }

    fn renewed(self, n: i64, from: i32, to: i32) -> String {
        match self {
            Lang::Da => format!("{n} medlemskaber fra {from} er fornyet til {to}."),
            Lang::En => format!("{n} memberships of {from} are renewed into {to}."),
        }
    }

    /// How a membership began, and by whom.
    fn became_by(self, became: Became, by: &str) -> String {
        let how = became.words(self);
        match (self, by.is_empty()) {
            (_, true) => how.to_owned(),
            (Lang::Da, false) => format!("{how} af {by}"),
            (Lang::En, false) => format!("{how} by {by}"),
        }
    }

    /// A line of the member history.
    fn member_event(self, action: MembershipAction) -> &'static str {
        use MembershipAction as A;
        match (self, action) {
            (Lang::Da, A::Imported) => "importeret",
            (Lang::Da, A::Approved) => "ansøgning godkendt",
            (Lang::Da, A::Added) => "tilføjet",
            (Lang::Da, A::Changed) => "ændret",
            (Lang::Da, A::Renewed) => "medlemmer fornyet",
            (Lang::Da, A::RenewalUndone) => "fornyelse fortrudt",
            (Lang::Da, A::YearSet) => "medlemsåret begynder",
            (Lang::En, A::Imported) => "imported",
            (Lang::En, A::Approved) => "application approved",
            (Lang::En, A::Added) => "added",
            (Lang::En, A::Changed) => "changed",
            (Lang::En, A::Renewed) => "members renewed",
            (Lang::En, A::RenewalUndone) => "renewal undone",
            (Lang::En, A::YearSet) => "membership year starts",
        }
    }

    fn more(self, n: usize) -> String {
        match self {
            Lang::Da => format!("Vis {n} flere"),
            Lang::En => format!("Show {n} more"),
        }
    }
}
