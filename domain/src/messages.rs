//! Every message about a refused registration, in Danish and English, in one table per
//! language. The rules return codes with parameters ([`FieldError`], [`Refusal`]); the browser
//! app words them in the interface's language, and the server in the request's
//! (`Accept-Language`, Danish by default). So the two always say the same thing.

use crate::field::{AttendeeField, FieldPath};
use crate::registration::{ErrorCode, FieldError};

/// A language of the interface and of the API's messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Da,
    En,
}

impl Lang {
    /// From a `lang`-style code; anything but English is Danish.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Da
        }
    }

    /// From an `Accept-Language` header: the first of Danish or English the client lists
    /// (quality values aside: browsers list languages in the user's order), else Danish.
    pub fn from_accept_language(header: &str) -> Lang {
        header
            .split(',')
            .map(|part| {
                part.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .find_map(|tag| match tag.split('-').next() {
                Some("da") => Some(Lang::Da),
                Some("en") => Some(Lang::En),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The BCP 47 code for `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Da => Lang::En,
            Lang::En => Lang::Da,
        }
    }
}

/// The name of a field as a message speaks of it ("kontaktpersonens navn").
fn field_name(lang: Lang, field: FieldPath) -> &'static str {
    use AttendeeField as A;
    use FieldPath as F;
    match (lang, field) {
        (Lang::Da, F::ContactName) => "kontaktpersonens navn",
        (Lang::Da, F::ContactEmail | F::Attendee(_, A::Email)) => "en e-mailadresse",
        (Lang::Da, F::Attendee(_, A::Name)) => "navn",
        (Lang::Da, F::Attendee(_, A::Title)) => "stilling",
        (Lang::Da, F::Attendee(_, A::Department)) => "afdeling",
        (Lang::Da, _) => "feltet",
        (Lang::En, F::ContactName) => "the contact person's name",
        (Lang::En, F::ContactEmail | F::Attendee(_, A::Email)) => "an e-mail address",
        (Lang::En, F::Attendee(_, A::Name)) => "the name",
        (Lang::En, F::Attendee(_, A::Title)) => "the job title",
        (Lang::En, F::Attendee(_, A::Department)) => "the department",
        (Lang::En, _) => "the field",
    }
}

/// Upper-cases the first letter. Every name above starts with an ASCII letter, so ASCII
/// upper-casing is exact here, and spares the bundle the Unicode case tables.
fn capitalised(s: &str) -> String {
    let mut out = s.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// What is wrong with a field, in words.
pub fn field_error(lang: Lang, e: &FieldError) -> String {
    use ErrorCode as C;
    let what = field_name(lang, e.field);
    let n = e.limit.unwrap_or_default();
    let row = e.row.unwrap_or_default();
    match lang {
        Lang::Da => match e.code {
            C::Required => format!("Skriv {what}."),
            C::TooLong => format!("{} må højst være {n} tegn.", capitalised(what)),
            C::ControlCharacters => {
                format!("{} indeholder tegn, der ikke kan bruges.", capitalised(what))
            }
            C::InvisibleCharacters => format!(
                "{} indeholder usynlige tegn. Skriv teksten selv i stedet for at indsætte den.",
                capitalised(what)
            ),
            C::ContainsLink => format!(
                "{} må ikke indeholde links eller webadresser, fx kl.dk.",
                capitalised(what)
            ),
            C::InvalidEmail => "Skriv en gyldig e-mailadresse, fx navn@kommune.dk.".into(),
            C::DuplicateInSubmission => format!("Samme e-mailadresse står også i række {row}."),
            C::AlreadyRegistered => "Denne e-mailadresse er allerede tilmeldt mødet.".into(),
            C::UnknownMunicipality => "Vælg en kommune fra listen.".into(),
            C::NoAttendees => "Tilføj mindst én deltager.".into(),
            C::TooManyAttendees => format!(
                "Højst {n} deltagere i én tilmelding. Del listen op i flere tilmeldinger."
            ),
            C::NotAccepted => "Bekræft, at du har læst, hvordan oplysningerne behandles.".into(),
            C::InvalidKey => "Ugyldig nøgle. Genindlæs siden, og prøv igen.".into(),
            C::NotAMember => "Kommunen er ikke medlem af netværket. Søg om medlemskab sammen med tilmeldingen.".into(),
        },
        Lang::En => match e.code {
            C::Required => format!("Enter {what}."),
            C::TooLong => format!("{} may be at most {n} characters.", capitalised(what)),
            C::ControlCharacters => {
                format!("{} contains characters that cannot be used.", capitalised(what))
            }
            C::InvisibleCharacters => format!(
                "{} contains invisible characters. Type the text instead of pasting it.",
                capitalised(what)
            ),
            C::ContainsLink => format!(
                "{} may not contain links or web addresses, such as kl.dk.",
                capitalised(what)
            ),
            C::InvalidEmail => "Enter a valid e-mail address, e.g. name@kommune.dk.".into(),
            C::DuplicateInSubmission => format!("The same e-mail address is also in row {row}."),
            C::AlreadyRegistered => "This e-mail address is already registered for the meeting.".into(),
            C::UnknownMunicipality => "Choose a municipality from the list.".into(),
            C::NoAttendees => "Add at least one attendee.".into(),
            C::TooManyAttendees => format!(
                "At most {n} attendees in one registration. Split the list into several registrations."
            ),
            C::NotAccepted => "Confirm that you have read how the data is processed.".into(),
            C::InvalidKey => "Invalid key. Reload the page and try again.".into(),
            C::NotAMember => "The municipality is not a member of the network. Apply for membership with the registration.".into(),
        },
    }
}

/// Why the API refused a request: the `error` code of its answer, with what the message needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Field-level reasons follow (422).
    Validation,
    NotAMember,
    RegistrationClosed,
    /// The honeypot was filled in.
    Rejected,
    Malformed,
    TooLarge,
    UnsupportedMediaType,
    /// Too many submissions from one client; try again after this many seconds.
    RateLimited(u64),
    UnknownMeeting,
    UnknownMunicipality,
    UnknownApplication,
    NotFound,
    OrganiserDisabled,
    Unauthorized,
    /// Too many wrong organiser tokens from one client; try again after this many seconds.
    WrongTokens(u64),
    /// The application was already decided the other way (409).
    AlreadyDecided,
    /// A decline needs a reason for the municipality.
    ReasonRequired,
    /// No submission has this manage link (wrong, guessed or deleted with the meeting).
    UnknownManageLink,
    /// The manage link was replaced by a newer one, sent to the new contact person (410).
    ManageLinkReplaced,
    /// The attendee is not in this submission, or is cancelled already (for an edit).
    UnknownAttendee,
    /// A change would register an e-mail that is registered for the meeting (409, with the
    /// fields).
    AlreadyRegistered,
    /// A submission's idempotency key was used before with another body (409).
    KeyReused,
    /// The online meeting's link is not an `https://` address (422).
    InvalidJoinUrl,
    /// A message to the attendees without a subject or text, or with characters that cannot
    /// be sent (422).
    InvalidMessage,
    /// Mail is not configured on the server, so a message cannot be sent (409).
    MailOff,
    /// The client caused as many mails as it may in an hour; try again after this many
    /// seconds (429).
    MailLimit(u64),
    /// The organiser cancelled the meeting: it takes no registrations or changes, and a
    /// cancelled meeting is not edited or published again (409).
    MeetingCancelled,
    /// A meeting with this id exists already (409).
    MeetingExists,
    /// A meeting document the domain refuses, with the field and why (422).
    InvalidMeeting,
    /// Only a published meeting is cancelled; a draft is simply not published (409).
    MeetingNotPublished,
    /// A cancellation needs a reason for those registered, of at most 1,000 characters (422).
    CancelReasonRequired,
    /// A membership whose end is before its start, with a year out of range, or a note too
    /// long (422).
    InvalidMembership,
    /// A year the member list cannot be asked for (422).
    InvalidYear,
    /// A renewal reaching back, or out of range (422).
    InvalidRenewal,
    /// No meeting of this network is kept and it has no members (404).
    UnknownNetwork,
    /// The renewal is over a day old, undone already, or not the latest (409).
    RenewalNotUndoable,
    /// A sign-in link that is used, expired or unknown (401).
    SignInLinkInvalid,
    /// Sign-in by mail is off: no organiser addresses, or no mail (404).
    SignInOff,
    Internal,
}

impl Refusal {
    /// Every refusal, for tests that walk every text.
    pub const ALL: [Refusal; 39] = [
        Refusal::Validation,
        Refusal::NotAMember,
        Refusal::RegistrationClosed,
        Refusal::Rejected,
        Refusal::Malformed,
        Refusal::TooLarge,
        Refusal::UnsupportedMediaType,
        Refusal::RateLimited(30),
        Refusal::UnknownMeeting,
        Refusal::UnknownMunicipality,
        Refusal::UnknownApplication,
        Refusal::NotFound,
        Refusal::OrganiserDisabled,
        Refusal::Unauthorized,
        Refusal::WrongTokens(60),
        Refusal::AlreadyDecided,
        Refusal::ReasonRequired,
        Refusal::UnknownManageLink,
        Refusal::ManageLinkReplaced,
        Refusal::UnknownAttendee,
        Refusal::AlreadyRegistered,
        Refusal::KeyReused,
        Refusal::InvalidJoinUrl,
        Refusal::InvalidMessage,
        Refusal::MailOff,
        Refusal::MailLimit(1800),
        Refusal::MeetingCancelled,
        Refusal::MeetingExists,
        Refusal::InvalidMeeting,
        Refusal::MeetingNotPublished,
        Refusal::CancelReasonRequired,
        Refusal::InvalidMembership,
        Refusal::InvalidYear,
        Refusal::InvalidRenewal,
        Refusal::UnknownNetwork,
        Refusal::RenewalNotUndoable,
        Refusal::SignInLinkInvalid,
        Refusal::SignInOff,
        Refusal::Internal,
    ];

    /// The machine-readable code (`error` in the answer's body, `api/openapi.yaml`).
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Validation => "validation",
            Refusal::NotAMember => "not_a_member",
            Refusal::RegistrationClosed => "registration_closed",
            Refusal::Rejected => "rejected",
            Refusal::Malformed => "malformed",
            Refusal::TooLarge => "too_large",
            Refusal::UnsupportedMediaType => "unsupported_media_type",
            Refusal::RateLimited(_) => "rate_limited",
            Refusal::UnknownMeeting => "unknown_meeting",
            Refusal::UnknownMunicipality => "unknown_municipality",
            Refusal::UnknownApplication => "unknown_application",
            Refusal::NotFound => "not_found",
            Refusal::OrganiserDisabled => "organiser_disabled",
            Refusal::Unauthorized => "unauthorized",
            Refusal::WrongTokens(_) => "too_many_attempts",
            Refusal::AlreadyDecided => "already_decided",
            Refusal::ReasonRequired => "reason_required",
            Refusal::UnknownManageLink => "unknown_manage_link",
            Refusal::ManageLinkReplaced => "manage_link_replaced",
            Refusal::UnknownAttendee => "unknown_attendee",
            Refusal::AlreadyRegistered => "already_registered",
            Refusal::KeyReused => "idempotency_key_reused",
            Refusal::InvalidJoinUrl => "invalid_join_url",
            Refusal::InvalidMessage => "invalid_message",
            Refusal::MailOff => "mail_not_configured",
            Refusal::MailLimit(_) => "mail_limit",
            Refusal::MeetingCancelled => "meeting_cancelled",
            Refusal::MeetingExists => "meeting_exists",
            Refusal::InvalidMeeting => "invalid_meeting",
            Refusal::MeetingNotPublished => "meeting_not_published",
            Refusal::CancelReasonRequired => "cancel_reason_required",
            Refusal::InvalidMembership => "invalid_membership",
            Refusal::InvalidYear => "invalid_year",
            Refusal::InvalidRenewal => "invalid_renewal",
            Refusal::UnknownNetwork => "unknown_network",
            Refusal::RenewalNotUndoable => "renewal_not_undoable",
            Refusal::SignInLinkInvalid => "sign_in_link_invalid",
            Refusal::SignInOff => "sign_in_off",
            Refusal::Internal => "internal",
        }
    }

    /// The message for people.
    pub fn message(&self, lang: Lang) -> String {
        use Refusal as R;
        match lang {
            Lang::Da => match self {
                R::Validation => "Tilmeldingen har fejl.".into(),
                R::NotAMember => "Kommunen er ikke medlem af netværket.".into(),
                R::RegistrationClosed => "Tilmeldingen til mødet er lukket.".into(),
                R::Rejected => "Tilmeldingen blev afvist. Genindlæs siden, og prøv igen.".into(),
                R::Malformed => "Tilmeldingen kunne ikke læses.".into(),
                R::TooLarge => {
                    "Tilmeldingen er for stor. Del deltagerne op i flere tilmeldinger.".into()
                }
                R::UnsupportedMediaType => "Tilmeldingen skal sendes som application/json.".into(),
                R::RateLimited(s) => format!(
                    "For mange tilmeldinger på kort tid fra samme netværk. Prøv igen om {s} sekunder."
                ),
                R::UnknownMeeting => "Mødet findes ikke.".into(),
                R::UnknownMunicipality => "Kommunen findes ikke.".into(),
                R::UnknownApplication => "Ansøgningen findes ikke.".into(),
                R::NotFound => "Ukendt adresse.".into(),
                R::OrganiserDisabled => "Arrangørdelen er slået fra.".into(),
                R::Unauthorized => "Adgang kræver arrangørens nøgle.".into(),
                R::WrongTokens(s) => {
                    format!("For mange forkerte nøgler. Prøv igen om {s} sekunder.")
                }
                R::AlreadyDecided => "Ansøgningen er allerede afgjort på anden vis.".into(),
                R::ReasonRequired => "Skriv en begrundelse for afslaget.".into(),
                R::UnknownManageLink => "Linket til tilmeldingen virker ikke. Tjek, at hele linket fra e-mailen er med, eller skriv til arrangøren.".into(),
                R::ManageLinkReplaced => "Dette link virker ikke længere: tilmeldingen har fået en ny kontaktperson, som har fået et nyt link på e-mail. Spørg kontaktpersonen, eller skriv til arrangøren.".into(),
                R::UnknownAttendee => "Deltageren findes ikke i denne tilmelding.".into(),
                R::AlreadyRegistered => "E-mailadressen er allerede tilmeldt mødet.".into(),
                R::MailLimit(s) => format!(
                    "Der er sendt for mange e-mails på grund af tilmeldinger fra samme netværk den seneste time. Prøv igen om {} minutter, eller skriv til arrangøren.",
                    s.div_ceil(60)
                ),
                R::InvalidJoinUrl => "Linket til mødet skal være en https://-adresse uden mellemrum.".into(),
                R::InvalidMessage => "Skriv et emne på én linje (højst 200 tegn) og en tekst (højst 10.000 tegn) uden usynlige tegn.".into(),
                R::MailOff => "Serveren sender ikke e-mail (TILMELDING_SMTP_URL er ikke sat), så beskeden kan ikke sendes.".into(),
                R::KeyReused => "Tilmeldingen er allerede modtaget, som den så ud, før den blev rettet. Ret den via linket i kvitteringen, eller genindlæs siden for at sende en ny tilmelding.".into(),
                R::MeetingCancelled => "Mødet er aflyst.".into(),
                R::MeetingExists => "Der findes allerede et møde med dette id. Vælg en anden dato eller et andet id.".into(),
                R::InvalidMeeting => "Mødet har fejl.".into(),
                R::MeetingNotPublished => "Mødet er ikke offentliggjort, så det kan ikke aflyses.".into(),
                R::CancelReasonRequired => "Skriv en begrundelse for aflysningen til de tilmeldte, højst 1.000 tegn.".into(),
                R::InvalidMembership => "Medlemskabet kan ikke gemmes: slutdatoen skal ligge efter startdatoen, årene mellem 2000 og 2100, og noten må højst have 1.000 tegn.".into(),
                R::InvalidYear => "Vælg et år mellem 2000 og 2100.".into(),
                R::InvalidRenewal => "Medlemmerne kan kun fornys til et senere år, mellem 2000 og 2100.".into(),
                R::UnknownNetwork => "Netværket findes ikke.".into(),
                R::RenewalNotUndoable => "Fornyelsen kan ikke længere fortrydes: den er over et døgn gammel eller allerede fortrudt.".into(),
                R::SignInLinkInvalid => "Linket er brugt, udløbet eller ukendt. Bed om et nyt link.".into(),
                R::SignInOff => "Log ind med e-mail er ikke slået til på serveren. Brug adgangskoden.".into(),
                R::Internal => "Der opstod en fejl på serveren. Prøv igen om lidt.".into(),
            },
            Lang::En => match self {
                R::Validation => "The registration has errors.".into(),
                R::NotAMember => "The municipality is not a member of the network.".into(),
                R::RegistrationClosed => "Registration for the meeting is closed.".into(),
                R::Rejected => {
                    "The registration was refused. Reload the page and try again.".into()
                }
                R::Malformed => "The registration could not be read.".into(),
                R::TooLarge => {
                    "The registration is too large. Split the attendees into several registrations."
                        .into()
                }
                R::UnsupportedMediaType => {
                    "The registration must be sent as application/json.".into()
                }
                R::RateLimited(s) => format!(
                    "Too many registrations from the same network in a short time. Try again in {s} seconds."
                ),
                R::UnknownMeeting => "The meeting does not exist.".into(),
                R::UnknownMunicipality => "The municipality does not exist.".into(),
                R::UnknownApplication => "The application does not exist.".into(),
                R::NotFound => "Unknown address.".into(),
                R::OrganiserDisabled => "The organiser endpoints are turned off.".into(),
                R::Unauthorized => "Access requires the organiser's token.".into(),
                R::WrongTokens(s) => {
                    format!("Too many wrong tokens. Try again in {s} seconds.")
                }
                R::AlreadyDecided => "The application has already been decided otherwise.".into(),
                R::ReasonRequired => "Give a reason for declining.".into(),
                R::UnknownManageLink => "The link to the registration does not work. Check that the whole link from the e-mail is there, or write to the organiser.".into(),
                R::ManageLinkReplaced => "This link no longer works: the registration has a new contact person, who has been sent a new link by e-mail. Ask the contact person, or write to the organiser.".into(),
                R::UnknownAttendee => "The attendee is not in this registration.".into(),
                R::AlreadyRegistered => "The e-mail address is already registered for the meeting.".into(),
                R::MailLimit(s) => format!(
                    "Registrations from the same network have caused too many e-mails in the past hour. Try again in {} minutes, or write to the organiser.",
                    s.div_ceil(60)
                ),
                R::InvalidJoinUrl => "The link to the meeting must be an https:// address without spaces.".into(),
                R::InvalidMessage => "Write a subject on one line (at most 200 characters) and a text (at most 10,000 characters) without invisible characters.".into(),
                R::MailOff => "The server does not send e-mail (TILMELDING_SMTP_URL is not set), so the message cannot be sent.".into(),
                R::KeyReused => "The registration was already received as it was before it was changed. Change it through the link in the receipt, or reload the page to send a new registration.".into(),
                R::MeetingCancelled => "The meeting is cancelled.".into(),
                R::MeetingExists => "A meeting with this id exists already. Choose another date or another id.".into(),
                R::InvalidMeeting => "The meeting has errors.".into(),
                R::MeetingNotPublished => "The meeting is not published, so it cannot be cancelled.".into(),
                R::CancelReasonRequired => "Give those registered a reason for the cancellation, at most 1,000 characters.".into(),
                R::InvalidMembership => "The membership cannot be saved: the end must come after the start, the years be between 2000 and 2100, and the note have at most 1,000 characters.".into(),
                R::InvalidYear => "Choose a year between 2000 and 2100.".into(),
                R::InvalidRenewal => "Members can only be renewed into a later year, between 2000 and 2100.".into(),
                R::UnknownNetwork => "The network does not exist.".into(),
                R::RenewalNotUndoable => "The renewal can no longer be undone: it is over a day old or undone already.".into(),
                R::SignInLinkInvalid => "The link is used, expired or unknown. Ask for a new link.".into(),
                R::SignInOff => "Signing in by e-mail is not turned on on the server. Use the token.".into(),
                R::Internal => "An error occurred on the server. Please try again shortly.".into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::ErrorCode;

    /// Every code in every language has its own text: no fallback, no placeholder, no text
    /// shared between the languages, no parameter left out.
    #[test]
    fn every_code_has_a_text_in_every_language() {
        let paths = [
            FieldPath::ContactName,
            FieldPath::Attendee(2, AttendeeField::Title),
            FieldPath::Attendee(0, AttendeeField::Email),
            FieldPath::Attendees,
        ];
        for code in ErrorCode::ALL {
            for field in paths {
                let e = FieldError {
                    limit: Some(987),
                    row: Some(987),
                    ..FieldError::new(field, code)
                };
                let (da, en) = (field_error(Lang::Da, &e), field_error(Lang::En, &e));
                for text in [&da, &en] {
                    assert!(text.len() > 10 && text.ends_with('.'), "{code:?}: {text}");
                    if field != FieldPath::Attendees {
                        assert!(
                            !text.contains("feltet") && !text.contains("the field"),
                            "{code:?} {field}: {text}"
                        );
                    }
                }
                assert_ne!(da, en, "{code:?}");
                if matches!(
                    code,
                    ErrorCode::TooLong
                        | ErrorCode::TooManyAttendees
                        | ErrorCode::DuplicateInSubmission
                ) {
                    assert!(da.contains("987") && en.contains("987"), "{code:?}");
                }
            }
        }
        for r in Refusal::ALL {
            let (da, en) = (r.message(Lang::Da), r.message(Lang::En));
            assert!(!da.is_empty() && !en.is_empty() && da != en, "{r:?}");
        }
        assert!(Refusal::RateLimited(42).message(Lang::En).contains("42"));
    }

    #[test]
    fn accept_language_picks_the_first_known_language() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,da;q=0.8"),
            Lang::En
        );
        assert_eq!(Lang::from_accept_language("da-DK, en"), Lang::Da);
        assert_eq!(Lang::from_accept_language("de-DE,en;q=0.5"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr"), Lang::Da);
        assert_eq!(Lang::from_accept_language(""), Lang::Da);
    }
}
