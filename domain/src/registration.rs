//! A registration as the app sends it and the server stores it, and the rules it must meet.
//!
//! Both sides run [`Registration::validate`]: the app to show messages next to each field before
//! sending, the server because it never trusts the browser. Errors name their field with a
//! [`FieldPath`], so the app can put a server's 422 reasons next to the right input.

use crate::field::{AttendeeField, FieldPath};
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
    /// Characters a submission's idempotency key has at least: a replay of a submission gets
    /// a manage link of its own, so its key is a secret and must not be guessable. (A change's
    /// key needs no minimum: it only counts behind the submission's manage link.)
    pub min_submission_key: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_attendees: 1000,
            max_text: 200,
            max_email: 254,
            max_key: 100,
            min_submission_key: 16,
        }
    }
}

/// What is wrong with one field: a code and the number it names, never a sentence (the
/// words come from [`crate::messages`], in the reader's language).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field.
    pub field: FieldPath,
    /// Machine-readable reason.
    pub code: ErrorCode,
    /// The limit broken, for `too_long` and `too_many_attendees`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    /// The earlier row (1-based) with the same e-mail, for `duplicate_in_submission`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
}

/// Machine-readable reasons a field is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Required,
    TooLong,
    ControlCharacters,
    InvisibleCharacters,
    ContainsLink,
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
    /// Every code, for tests that walk every message.
    pub const ALL: [ErrorCode; 14] = [
        ErrorCode::Required,
        ErrorCode::TooLong,
        ErrorCode::ControlCharacters,
        ErrorCode::InvisibleCharacters,
        ErrorCode::ContainsLink,
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
}

impl FieldError {
    /// An error with no number to name.
    pub fn new(field: FieldPath, code: ErrorCode) -> Self {
        FieldError {
            field,
            code,
            limit: None,
            row: None,
        }
    }

    pub(crate) fn over(field: FieldPath, code: ErrorCode, limit: usize) -> Self {
        FieldError {
            limit: Some(limit),
            ..FieldError::new(field, code)
        }
    }
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

/// Collects every error of one validation, so the user can fix them all in one go. Used by
/// [`Registration::validate`] and by the manage link's changes ([`crate::manage`]), so both
/// apply the same rules.
pub(crate) struct Checker<'a> {
    pub(crate) limits: &'a Limits,
    pub(crate) errors: Vec<FieldError>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(limits: &'a Limits) -> Self {
        Checker {
            limits,
            errors: Vec::new(),
        }
    }

    /// The checked value, or every error found.
    pub(crate) fn done<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }

    /// Normalises a free-text field and records what is wrong with it.
    pub(crate) fn text(&mut self, field: FieldPath, value: &str, required: bool) -> String {
        if value.chars().any(|c| c.is_control() && !c.is_whitespace()) {
            self.errors
                .push(FieldError::new(field, ErrorCode::ControlCharacters));
            return value.to_owned();
        }
        if value.chars().any(crate::text::is_format_character) {
            self.errors
                .push(FieldError::new(field, ErrorCode::InvisibleCharacters));
            return value.to_owned();
        }
        if crate::text::has_link(value) {
            self.errors
                .push(FieldError::new(field, ErrorCode::ContainsLink));
        }
        let v = normalise_text(value);
        // The limit counts characters as sent, before trimming: the API contract
        // (`api/openapi.yaml`) states it as a JSON Schema `maxLength`, and the two must agree.
        if required && v.is_empty() {
            self.errors
                .push(FieldError::new(field, ErrorCode::Required));
        } else if value.chars().count() > self.limits.max_text {
            self.errors.push(FieldError::over(
                field,
                ErrorCode::TooLong,
                self.limits.max_text,
            ));
        }
        v
    }

    fn email(&mut self, field: FieldPath, value: &str) -> String {
        let v = value.trim().to_owned();
        if v.is_empty() {
            self.errors
                .push(FieldError::new(field, ErrorCode::Required));
        } else if value.chars().count() > self.limits.max_email {
            self.errors.push(FieldError::over(
                field,
                ErrorCode::TooLong,
                self.limits.max_email,
            ));
        } else if !is_valid_email(&v) {
            self.errors
                .push(FieldError::new(field, ErrorCode::InvalidEmail));
        }
        v
    }

    /// One attendee at `row`, its fields in the order the form shows them (so the error
    /// summary reads top-down).
    pub(crate) fn attendee(&mut self, row: usize, a: &Attendee) -> Attendee {
        let at = |f| FieldPath::Attendee(row, f);
        Attendee {
            name: self.text(at(AttendeeField::Name), &a.name, true),
            email: self.email(at(AttendeeField::Email), &a.email),
            title: self.text(at(AttendeeField::Title), &a.title, true),
            department: self.text(at(AttendeeField::Department), &a.department, false),
        }
    }
}

impl Checker<'_> {
    pub(crate) fn contact(&mut self, contact: &Contact) -> Contact {
        Contact {
            name: self.text(FieldPath::ContactName, &contact.name, true),
            email: self.email(FieldPath::ContactEmail, &contact.email),
        }
    }

    /// A list of attendees: at least one, at most the limit, each e-mail once. `None`: too
    /// many (the rows are not checked then).
    pub(crate) fn attendees(&mut self, list: &[Attendee]) -> Option<Vec<Attendee>> {
        if list.is_empty() {
            self.errors.push(FieldError::new(
                FieldPath::Attendees,
                ErrorCode::NoAttendees,
            ));
        } else if list.len() > self.limits.max_attendees {
            self.errors.push(FieldError::over(
                FieldPath::Attendees,
                ErrorCode::TooManyAttendees,
                self.limits.max_attendees,
            ));
            // Do not spend time on rows of a request that is refused anyway.
            return None;
        }
        let mut seen: std::collections::HashMap<String, usize> = Default::default();
        let mut attendees = Vec::with_capacity(list.len());
        for (row, a) in list.iter().enumerate() {
            let before = self.errors.len();
            let checked = self.attendee(row, a);
            let email_ok = !self.errors[before..]
                .iter()
                .any(|e| e.field == FieldPath::Attendee(row, AttendeeField::Email));
            if email_ok {
                if let Some(first) = seen.get(&email_key(&checked.email)) {
                    self.errors.push(FieldError {
                        row: Some(first + 1),
                        ..FieldError::new(
                            FieldPath::Attendee(row, AttendeeField::Email),
                            ErrorCode::DuplicateInSubmission,
                        )
                    });
                } else {
                    seen.insert(email_key(&checked.email), row);
                }
            }
            attendees.push(checked);
        }
        Some(attendees)
    }

    /// An idempotency key: ASCII letters, digits and `-`, trimmed, of `min` characters up to
    /// the limit.
    pub(crate) fn key(&mut self, key: Option<&str>, min: usize) -> Option<String> {
        let key = key.map(str::trim);
        if key.is_some_and(|k| {
            k.len() < min.max(1)
                || k.len() > self.limits.max_key
                || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        }) {
            self.errors.push(FieldError::new(
                FieldPath::IdempotencyKey,
                ErrorCode::InvalidKey,
            ));
        }
        key.map(str::to_owned)
    }
}

impl Attendee {
    /// Checks one attendee as row `row` of a submission, on its own (e.g. rows pasted from a
    /// spreadsheet, before the rest of the form is filled in). Duplicates across rows are a
    /// matter of the whole [`Registration::validate`].
    pub fn validate(&self, row: usize, limits: &Limits) -> Result<Attendee, Vec<FieldError>> {
        let mut c = Checker::new(limits);
        let a = c.attendee(row, self);
        c.done(a)
    }
}

impl Registration {
    /// Checks every rule and returns the registration normalised (trimmed text, single spaces),
    /// or every field error at once so the user can fix them in one go.
    pub fn validate(&self, limits: &Limits) -> Result<Registration, Vec<FieldError>> {
        let mut c = Checker::new(limits);
        if Municipality::by_code(self.municipality_code).is_none() {
            c.errors.push(FieldError::new(
                FieldPath::MunicipalityCode,
                ErrorCode::UnknownMunicipality,
            ));
        }
        let contact = c.contact(&self.contact);
        let Some(attendees) = c.attendees(&self.attendees) else {
            return Err(c.errors);
        };
        if !self.privacy_accepted {
            c.errors.push(FieldError::new(
                FieldPath::PrivacyAccepted,
                ErrorCode::NotAccepted,
            ));
        }
        let idempotency_key = c.key(self.idempotency_key.as_deref(), limits.min_submission_key);
        c.done(Registration {
            municipality_code: self.municipality_code,
            contact,
            attendees,
            privacy_accepted: true,
            apply_for_membership: self.apply_for_membership,
            idempotency_key,
            website: String::new(),
        })
    }
}

/// Error reported by the server when a non-member registers without applying for membership.
pub fn not_a_member() -> FieldError {
    FieldError::new(FieldPath::MunicipalityCode, ErrorCode::NotAMember)
}

/// Error reported by the server for an e-mail that is already registered for the meeting.
pub fn already_registered(row: usize) -> FieldError {
    FieldError::new(
        FieldPath::Attendee(row, AttendeeField::Email),
        ErrorCode::AlreadyRegistered,
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
            .map(|e| (e.field.to_string(), e.code))
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
        assert_eq!(errs[0].field, FieldPath::Attendee(1, AttendeeField::Email));
        assert_eq!(errs[0].code, ErrorCode::DuplicateInSubmission);
        assert_eq!(errs[0].row, Some(1));
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
        r.idempotency_key = Some("0f3c-22aa-0f3c-22aa".into());
        assert!(r.validate(&Limits::default()).is_ok());
        r.idempotency_key = Some("'; drop table".into());
        assert_eq!(
            fields(&r),
            [("idempotency_key".into(), ErrorCode::InvalidKey)]
        );
    }

    #[test]
    fn a_submission_s_key_is_long_enough_to_be_a_secret() {
        let mut r = valid();
        r.idempotency_key = Some("0123456789abcdef".into());
        assert!(r.validate(&Limits::default()).is_ok(), "16 characters");
        r.idempotency_key = Some("0123456789abcde".into());
        assert_eq!(
            fields(&r),
            [("idempotency_key".into(), ErrorCode::InvalidKey)]
        );
    }

    #[test]
    fn names_refuse_invisible_characters_and_links() {
        let mut r = valid();
        r.attendees[0].name = "Anna \u{202e}nesrednA".into();
        r.contact.name = "Kim\u{200b}Kontakt".into();
        r.attendees[0].department = "Se https://example.com".into();
        r.attendees[0].title = "Konsulent (WWW.example.com)".into();
        assert_eq!(
            fields(&r),
            [
                ("contact.name".into(), ErrorCode::InvisibleCharacters),
                ("attendees[0].name".into(), ErrorCode::InvisibleCharacters),
                ("attendees[0].title".into(), ErrorCode::ContainsLink),
                ("attendees[0].department".into(), ErrorCode::ContainsLink),
            ]
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
