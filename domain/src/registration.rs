//! A registration as the app sends it and the server stores it, and the rules it must meet.
//!
//! Both sides run [`Registration::validate`]: the app to show messages next to each field before
//! sending, the server because it never trusts the browser. Field paths in [`FieldError`] are the
//! wire names (`contact.email`, `attendees[3].title`), so the app can put a server's 422 reasons
//! next to the right input.

use crate::municipality::Municipality;
use serde::{Deserialize, Serialize};

/// One submission: a contact person and any number of attendees from one municipality.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// Official municipality code (see [`crate::MUNICIPALITIES`]).
    pub municipality_code: u16,
    /// Who the organiser contacts about this submission.
    pub contact: Contact,
    /// The people attending; no cap per municipality, only a per-submission limit.
    pub attendees: Vec<Attendee>,
    /// The privacy notice was acknowledged.
    pub privacy_accepted: bool,
    /// The municipality is not a member and applies for membership with this submission.
    #[serde(default)]
    pub apply_for_membership: bool,
    /// Client-chosen key that makes a retried submission count once.
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// Honeypot: a field people never see (hidden by CSS), so only bots fill it in.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub website: String,
}

/// The contact person of a submission.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub email: String,
}

/// One attendee.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attendee {
    pub name: String,
    /// Work e-mail; unique per meeting.
    pub email: String,
    /// Job title.
    pub title: String,
    /// Department, optional.
    #[serde(default)]
    pub department: String,
}

/// Limits that keep one request bounded. Documented in `api/openapi.yaml`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Attendees in one submission. A municipality can send more submissions.
    pub max_attendees: usize,
    /// Characters in a name, title or department.
    pub max_text: usize,
    /// Characters in an e-mail address (RFC 5321).
    pub max_email: usize,
    /// Characters in an idempotency key.
    pub max_key: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_attendees: 1000,
            max_text: 200,
            max_email: 254,
            max_key: 100,
        }
    }
}

/// What is wrong with one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Wire path of the field: `contact.name`, `attendees[2].email`, `privacy_accepted`.
    pub field: String,
    /// Machine-readable reason.
    pub code: ErrorCode,
    /// Human-readable reason in Danish.
    pub message: String,
}

/// Machine-readable reasons a field is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Required,
    TooLong,
    ControlCharacters,
    InvalidEmail,
    DuplicateInSubmission,
    AlreadyRegistered,
    UnknownMunicipality,
    NoAttendees,
    TooManyAttendees,
    NotAccepted,
    InvalidKey,
    NotAMember,
}

impl ErrorCode {
    /// Every code, for decoding and tests.
    pub const ALL: [ErrorCode; 12] = [
        ErrorCode::Required,
        ErrorCode::TooLong,
        ErrorCode::ControlCharacters,
        ErrorCode::InvalidEmail,
        ErrorCode::DuplicateInSubmission,
        ErrorCode::AlreadyRegistered,
        ErrorCode::UnknownMunicipality,
        ErrorCode::NoAttendees,
        ErrorCode::TooManyAttendees,
        ErrorCode::NotAccepted,
        ErrorCode::InvalidKey,
        ErrorCode::NotAMember,
    ];

    /// The code as on the wire (`too_long`); serde's `snake_case` names, checked by a test.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Required => "required",
            ErrorCode::TooLong => "too_long",
            ErrorCode::ControlCharacters => "control_characters",
            ErrorCode::InvalidEmail => "invalid_email",
            ErrorCode::DuplicateInSubmission => "duplicate_in_submission",
            ErrorCode::AlreadyRegistered => "already_registered",
            ErrorCode::UnknownMunicipality => "unknown_municipality",
            ErrorCode::NoAttendees => "no_attendees",
            ErrorCode::TooManyAttendees => "too_many_attendees",
            ErrorCode::NotAccepted => "not_accepted",
            ErrorCode::InvalidKey => "invalid_key",
            ErrorCode::NotAMember => "not_a_member",
        }
    }
}

impl FieldError {
    fn new(field: impl Into<String>, code: ErrorCode, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

/// Wire path of an attendee's field; rows are 0-based on the wire, 1-based in messages.
pub fn attendee_field(row: usize, name: &str) -> String {
    format!("attendees[{row}].{name}")
}

/// The key e-mails are compared by: trimmed and lower-cased (mailboxes at public bodies are
/// case-insensitive in practice, and people type them every way).
pub fn email_key(email: &str) -> String {
    crate::text::lower(email.trim())
}

/// Trims and folds runs of white space into one space.
pub fn normalise_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether an address is a usable work e-mail: RFC syntax (checked by `email_address`) and a
/// domain with a dot, since intranet-only addresses cannot receive the meeting link.
pub fn is_valid_email(email: &str) -> bool {
    let Some((_, domain)) = email.rsplit_once('@') else {
        return false;
    };
    domain.contains('.')
        && !domain.starts_with('[')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
        && email_address::EmailAddress::is_valid(email)
}

struct Checker<'a> {
    limits: &'a Limits,
    errors: Vec<FieldError>,
}

impl Checker<'_> {
    /// Normalises a free-text field and records what is wrong with it.
    fn text(&mut self, field: String, value: &str, required: bool, label: &str) -> String {
        if value.chars().any(|c| c.is_control() && !c.is_whitespace()) {
            self.errors.push(FieldError::new(
                field,
                ErrorCode::ControlCharacters,
                format!("{label} indeholder tegn, der ikke kan bruges."),
            ));
            return value.to_owned();
        }
        let v = normalise_text(value);
        if required && v.is_empty() {
            self.errors.push(FieldError::new(
                field,
                ErrorCode::Required,
                format!("Skriv {}.", crate::text::lower(label)),
            ));
        } else if v.chars().count() > self.limits.max_text {
            self.errors.push(FieldError::new(
                field,
                ErrorCode::TooLong,
                format!("{label} må højst være {} tegn.", self.limits.max_text),
            ));
        }
        v
    }

    fn email(&mut self, field: String, value: &str) -> String {
        let v = value.trim().to_owned();
        if v.is_empty() {
            self.errors.push(FieldError::new(
                field,
                ErrorCode::Required,
                "Skriv en e-mailadresse.",
            ));
        } else if v.chars().count() > self.limits.max_email {
            self.errors.push(FieldError::new(
                field,
                ErrorCode::TooLong,
                format!(
                    "E-mailadressen må højst være {} tegn.",
                    self.limits.max_email
                ),
            ));
        } else if !is_valid_email(&v) {
            self.errors.push(FieldError::new(
                field,
                ErrorCode::InvalidEmail,
                "Skriv en gyldig e-mailadresse, fx navn@kommune.dk.",
            ));
        }
        v
    }
}

impl Registration {
    /// Checks every rule and returns the registration normalised (trimmed text, single spaces),
    /// or every field error at once so the user can fix them in one go.
    pub fn validate(&self, limits: &Limits) -> Result<Registration, Vec<FieldError>> {
        let mut c = Checker {
            limits,
            errors: Vec::new(),
        };
        if Municipality::by_code(self.municipality_code).is_none() {
            c.errors.push(FieldError::new(
                "municipality_code",
                ErrorCode::UnknownMunicipality,
                "Vælg en kommune fra listen.",
            ));
        }
        let contact = Contact {
            name: c.text(
                "contact.name".into(),
                &self.contact.name,
                true,
                "Kontaktpersonens navn",
            ),
            email: c.email("contact.email".into(), &self.contact.email),
        };
        if self.attendees.is_empty() {
            c.errors.push(FieldError::new(
                "attendees",
                ErrorCode::NoAttendees,
                "Tilføj mindst én deltager.",
            ));
        } else if self.attendees.len() > limits.max_attendees {
            c.errors.push(FieldError::new(
                "attendees",
                ErrorCode::TooManyAttendees,
                format!(
                    "Højst {} deltagere i én tilmelding. Del listen op i flere tilmeldinger.",
                    limits.max_attendees
                ),
            ));
            // Do not spend time on rows of a request that is refused anyway.
            return Err(c.errors);
        }
        let mut seen: std::collections::HashMap<String, usize> = Default::default();
        let mut attendees = Vec::with_capacity(self.attendees.len());
        for (row, a) in self.attendees.iter().enumerate() {
            // Fields are checked in the order the form shows them, so the error summary reads
            // top-down.
            let name = c.text(attendee_field(row, "name"), &a.name, true, "Navn");
            let email = c.email(attendee_field(row, "email"), &a.email);
            if !email.is_empty() {
                if let Some(first) = seen.get(&email_key(&email)) {
                    c.errors.push(FieldError::new(
                        attendee_field(row, "email"),
                        ErrorCode::DuplicateInSubmission,
                        format!("Samme e-mailadresse står også i række {}.", first + 1),
                    ));
                } else {
                    seen.insert(email_key(&email), row);
                }
            }
            attendees.push(Attendee {
                name,
                email,
                title: c.text(attendee_field(row, "title"), &a.title, true, "Stilling"),
                department: c.text(
                    attendee_field(row, "department"),
                    &a.department,
                    false,
                    "Afdeling",
                ),
            });
        }
        if !self.privacy_accepted {
            c.errors.push(FieldError::new(
                "privacy_accepted",
                ErrorCode::NotAccepted,
                "Bekræft, at du har læst, hvordan oplysningerne behandles.",
            ));
        }
        let key = self.idempotency_key.as_deref().map(str::trim);
        if key.is_some_and(|k| {
            k.is_empty()
                || k.len() > limits.max_key
                || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        }) {
            c.errors.push(FieldError::new(
                "idempotency_key",
                ErrorCode::InvalidKey,
                "Ugyldig nøgle.",
            ));
        }
        if !c.errors.is_empty() {
            return Err(c.errors);
        }
        Ok(Registration {
            municipality_code: self.municipality_code,
            contact,
            attendees,
            privacy_accepted: true,
            apply_for_membership: self.apply_for_membership,
            idempotency_key: key.map(str::to_owned),
            website: String::new(),
        })
    }
}

/// Error reported by the server when a non-member registers without applying for membership.
pub fn not_a_member() -> FieldError {
    FieldError::new(
        "municipality_code",
        ErrorCode::NotAMember,
        "Kommunen er ikke medlem af netværket. Søg om medlemskab sammen med tilmeldingen.",
    )
}

/// Error reported by the server for an e-mail that is already registered for the meeting.
pub fn already_registered(row: usize) -> FieldError {
    FieldError::new(
        attendee_field(row, "email"),
        ErrorCode::AlreadyRegistered,
        "Denne e-mailadresse er allerede tilmeldt mødet.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attendee(name: &str, email: &str) -> Attendee {
        Attendee {
            name: name.into(),
            email: email.into(),
            title: "Konsulent".into(),
            department: String::new(),
        }
    }

    fn valid() -> Registration {
        Registration {
            municipality_code: 730,
            contact: Contact {
                name: "Kim Kontakt".into(),
                email: "kim@randers.dk".into(),
            },
            attendees: vec![attendee("Anna Andersen", "anna@randers.dk")],
            privacy_accepted: true,
            ..Default::default()
        }
    }

    fn fields(r: &Registration) -> Vec<(String, ErrorCode)> {
        r.validate(&Limits::default())
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_valid_registration_is_normalised() {
        let mut r = valid();
        r.attendees[0].name = "  Anna   Andersen ".into();
        r.attendees[0].email = " anna@randers.dk ".into();
        let ok = r.validate(&Limits::default()).unwrap();
        assert_eq!(ok.attendees[0].name, "Anna Andersen");
        assert_eq!(ok.attendees[0].email, "anna@randers.dk");
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let r = Registration {
            attendees: vec![Attendee::default()],
            ..Default::default()
        };
        assert_eq!(
            fields(&r),
            [
                ("municipality_code".into(), ErrorCode::UnknownMunicipality),
                ("contact.name".into(), ErrorCode::Required),
                ("contact.email".into(), ErrorCode::Required),
                ("attendees[0].name".into(), ErrorCode::Required),
                ("attendees[0].email".into(), ErrorCode::Required),
                ("attendees[0].title".into(), ErrorCode::Required),
                ("privacy_accepted".into(), ErrorCode::NotAccepted),
            ]
        );
    }

    #[test]
    fn emails_are_checked() {
        for bad in [
            "anna",
            "anna@",
            "@randers.dk",
            "anna@randers",
            "anna @randers.dk",
            "anna@randers.dk.",
            "a@[127.0.0.1]",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
        for good in ["anna@randers.dk", "anna.b-c+x@sub.kk.dk", "Æble@kl.dk"] {
            assert!(is_valid_email(good), "{good}");
        }
    }

    #[test]
    fn duplicate_emails_in_one_submission_are_flagged_on_the_later_row() {
        let mut r = valid();
        r.attendees.push(attendee("B", "ANNA@randers.dk"));
        let errs = r.validate(&Limits::default()).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "attendees[1].email");
        assert_eq!(errs[0].code, ErrorCode::DuplicateInSubmission);
        assert!(errs[0].message.contains("række 1"));
    }

    #[test]
    fn limits_and_control_characters() {
        let mut r = valid();
        r.attendees[0].title = "x".repeat(201);
        r.attendees[0].name = "Anna\u{0}".into();
        assert_eq!(
            fields(&r),
            [
                ("attendees[0].name".into(), ErrorCode::ControlCharacters),
                ("attendees[0].title".into(), ErrorCode::TooLong)
            ]
        );
        let mut r = valid();
        r.attendees = (0..1001)
            .map(|i| attendee("A", &format!("a{i}@kl.dk")))
            .collect();
        assert_eq!(
            fields(&r),
            [("attendees".into(), ErrorCode::TooManyAttendees)]
        );
        r.attendees.pop();
        assert!(
            r.validate(&Limits::default()).is_ok(),
            "1,000 attendees are allowed"
        );
    }

    #[test]
    fn idempotency_keys_are_plain() {
        let mut r = valid();
        r.idempotency_key = Some("0f3c-22aa".into());
        assert!(r.validate(&Limits::default()).is_ok());
        r.idempotency_key = Some("'; drop table".into());
        assert_eq!(
            fields(&r),
            [("idempotency_key".into(), ErrorCode::InvalidKey)]
        );
    }

    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::prelude::prop_oneof![
            "\\PC{0,30}",
            "[ a-zA-Z@.\\x00-\\x1f]{0,30}",
            "[a-z]{1,8}@[a-z]{1,8}\\.dk"
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(10_000))]
        /// Validation never panics, and what it accepts is normalised and passes again.
        #[test]
        fn validation_is_total_and_idempotent(
            code in 0u16..1000,
            contact in (text(), text()),
            rows in proptest::collection::vec((text(), text(), text(), text()), 0..4),
            accepted: bool,
            key in proptest::option::of("[ -~]{0,12}"),
        ) {
            let reg = Registration {
                municipality_code: code,
                contact: Contact { name: contact.0, email: contact.1 },
                attendees: rows.into_iter().map(|(name, email, title, department)| Attendee { name, email, title, department }).collect(),
                privacy_accepted: accepted,
                idempotency_key: key,
                ..Default::default()
            };
            if let Ok(ok) = reg.validate(&Limits::default()) {
                proptest::prop_assert_eq!(ok.validate(&Limits::default()), Ok(ok.clone()));
                proptest::prop_assert!(ok.attendees.iter().all(|a| a.name == normalise_text(&a.name)));
            }
        }
    }
}
