//! The page's words, Danish first and English, one table per language.

use tilmelding_domain::Lang;
use tilmelding_domain::organiser::Standing;

pub struct Texts {
    pub title: &'static str,
    pub sign_in: &'static str,
    pub sign_in_intro: &'static str,
    pub your_name: &'static str,
    pub your_name_hint: &'static str,
    pub token: &'static str,
    pub wrong_token: &'static str,
    pub unreachable: &'static str,
    pub sign_out: &'static str,
    pub other_language: &'static str,
    pub meeting: &'static str,
    pub loading: &'static str,
    pub overview: &'static str,
    pub registered: &'static str,
    pub pending: &'static str,
    pub declined: &'static str,
    pub cancelled: &'static str,
    pub applications: &'static str,
    pub no_applications: &'static str,
    pub approve: &'static str,
    pub decline: &'static str,
    pub reason: &'static str,
    pub confirm_decline: &'static str,
    pub cancel: &'static str,
    pub municipalities: &'static str,
    pub municipality: &'static str,
    pub code: &'static str,
    pub member: &'static str,
    pub attendees_col: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub attendees: &'static str,
    pub search: &'static str,
    pub reference: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub job_title: &'static str,
    pub status: &'static str,
    pub download: &'static str,
    pub live_note: &'static str,
    pub nobody_yet: &'static str,
    pub contact: &'static str,
    pub applied: &'static str,
    pub sort_by: &'static str,
}

const DA: Texts = Texts {
    title: "Tilmeldinger – arrangør",
    sign_in: "Log ind",
    sign_in_intro: "Skriv arrangørnøglen, som du har fået af den, der driver tilmeldingen.",
    your_name: "Dit navn",
    your_name_hint: "Står ved de ansøgninger, du godkender eller afviser.",
    token: "Arrangørnøgle",
    wrong_token: "Nøglen er forkert. Tjek den, og prøv igen.",
    unreachable: "Serveren kan ikke nås lige nu. Prøv igen om lidt.",
    sign_out: "Log ud",
    other_language: "English",
    meeting: "Møde",
    loading: "Henter …",
    overview: "Overblik",
    registered: "Tilmeldt",
    pending: "Afventer medlemskab",
    declined: "Medlemskab afvist",
    cancelled: "Afmeldt",
    applications: "Ansøgninger om medlemskab",
    no_applications: "Ingen ansøgninger venter.",
    approve: "Godkend",
    decline: "Afvis",
    reason: "Begrundelse for afslaget",
    confirm_decline: "Afvis ansøgningen",
    cancel: "Fortryd",
    municipalities: "Kommuner",
    municipality: "Kommune",
    code: "Kode",
    member: "Medlem",
    attendees_col: "Deltagere",
    yes: "Ja",
    no: "Nej",
    attendees: "Deltagere",
    search: "Søg i deltagere (navn, e-mail, kommune eller stilling)",
    reference: "Reference",
    name: "Navn",
    email: "E-mail",
    job_title: "Stilling",
    status: "Status",
    download: "Hent listen til Excel (CSV)",
    live_note: "Siden henter nye tilmeldinger hvert 5. sekund.",
    nobody_yet: "Ingen tilmeldinger endnu.",
    contact: "Kontaktperson",
    applied: "Ansøgt",
    sort_by: "Sortér efter",
};

const EN: Texts = Texts {
    title: "Registrations – organiser",
    sign_in: "Sign in",
    sign_in_intro: "Enter the organiser token you were given by whoever runs the registration.",
    your_name: "Your name",
    your_name_hint: "Recorded with the applications you approve or decline.",
    token: "Organiser token",
    wrong_token: "The token is wrong. Check it and try again.",
    unreachable: "The server cannot be reached right now. Try again shortly.",
    sign_out: "Sign out",
    other_language: "Dansk",
    meeting: "Meeting",
    loading: "Loading …",
    overview: "Overview",
    registered: "Registered",
    pending: "Waiting for membership",
    declined: "Membership declined",
    cancelled: "Cancelled",
    applications: "Membership applications",
    no_applications: "No applications are waiting.",
    approve: "Approve",
    decline: "Decline",
    reason: "Reason for declining",
    confirm_decline: "Decline the application",
    cancel: "Cancel",
    municipalities: "Municipalities",
    municipality: "Municipality",
    code: "Code",
    member: "Member",
    attendees_col: "Attendees",
    yes: "Yes",
    no: "No",
    attendees: "Attendees",
    search: "Search attendees (name, e-mail, municipality or title)",
    reference: "Reference",
    name: "Name",
    email: "E-mail",
    job_title: "Title",
    status: "Status",
    download: "Download the list for Excel (CSV)",
    live_note: "The page fetches new registrations every 5 seconds.",
    nobody_yet: "No registrations yet.",
    contact: "Contact",
    applied: "Applied",
    sort_by: "Sort by",
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Da => &DA,
        Lang::En => &EN,
    }
}

impl Texts {
    /// A registration's standing, in words.
    pub fn standing(&self, s: Standing) -> &'static str {
        match s {
            Standing::Registered => self.registered,
            Standing::PendingMembership => self.pending,
            Standing::MembershipDeclined => self.declined,
            Standing::Cancelled => self.cancelled,
        }
    }
}

/// "Showing 3 of 120", "1 registration waiting", … in the language.
pub fn showing(lang: Lang, shown: usize, all: usize) -> String {
    match lang {
        Lang::Da => format!("Viser {shown} af {all} deltagere."),
        Lang::En => format!("Showing {shown} of {all} attendees."),
    }
}

pub fn waiting(lang: Lang, n: i64) -> String {
    match (lang, n) {
        (Lang::Da, 1) => "1 tilmelding venter".into(),
        (Lang::Da, n) => format!("{n} tilmeldinger venter"),
        (Lang::En, 1) => "1 registration waiting".into(),
        (Lang::En, n) => format!("{n} registrations waiting"),
    }
}

pub fn decided(lang: Lang, municipality: &str, approved: bool) -> String {
    match (lang, approved) {
        (Lang::Da, true) => format!("{municipality} er godkendt som medlem."),
        (Lang::Da, false) => format!("Ansøgningen fra {municipality} er afvist."),
        (Lang::En, true) => format!("{municipality} is approved as a member."),
        (Lang::En, false) => format!("The application from {municipality} is declined."),
    }
}

pub fn updated(lang: Lang, at: &str) -> String {
    match lang {
        Lang::Da => format!("Opdateret kl. {at}."),
        Lang::En => format!("Updated at {at}."),
    }
}

pub fn more(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Da => format!("Vis {n} flere"),
        Lang::En => format!("Show {n} more"),
    }
}
