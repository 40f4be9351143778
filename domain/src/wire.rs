//! Response bodies of the JSON API (`api/openapi.yaml`), shared so the app decodes exactly what
//! the reference server encodes. The request body is [`crate::Registration`].

use crate::registration::FieldError;
use serde::{Deserialize, Serialize};

/// A static member list (`meetings/members/<network>.json`, or any URL given by
/// `data-members-url`): the reference server seeds from it, the generic profiles read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberList {
    /// The network's id (`knub`).
    pub network: String,
    /// Official municipality codes of the members.
    pub members: Vec<u16>,
}

/// `GET /api/meetings/{id}/membership/{code}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub municipality_code: u16,
    pub network: String,
    /// The municipality is a member of the meeting's network.
    pub member: bool,
    /// An application for membership is waiting for approval.
    #[serde(default)]
    pub application_pending: bool,
}

/// `201` answer to `POST /api/meetings/{id}/registrations` (and to its replays).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// Reference number the user can quote to the organiser.
    pub reference: String,
    /// Registered, or pending until the membership application is approved.
    pub status: Status,
    /// Attendees stored by this submission.
    pub registered: Vec<Registered>,
    /// Rows whose e-mail was already registered for the meeting (not stored again); codes
    /// only, worded by the client.
    #[serde(default)]
    pub already_registered: Vec<FieldError>,
    /// The private link to see, change or cancel this submission (reference backend only).
    /// It holds a secret the server keeps only a hash of, so it is in this answer and in the
    /// contact's e-mail, never in the stored receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage_url: Option<String>,
}

/// One stored attendee in a receipt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Registered {
    /// Row in the submission, 0-based.
    pub row: usize,
    pub name: String,
    pub email: String,
}

/// Where a submission stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Confirmed.
    Registered,
    /// Waiting for the organiser to approve the municipality's membership application.
    PendingMembership,
}

impl Status {
    /// The value as stored and sent (`registered`, `pending_membership`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::PendingMembership => "pending_membership",
        }
    }
}

/// Body of every 4xx/5xx answer. The server sends its field reasons with their words
/// ([`FieldMessage`]); the widget, which words them itself, reads them as [`FieldError`]s
/// (`ErrorBody<FieldError>`), skipping the words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody<F = FieldMessage> {
    /// Machine-readable reason ([`crate::messages::Refusal::code`]).
    pub error: String,
    /// The reason for people, in the request's language.
    pub message: String,
    /// Field-level reasons, for 422.
    #[serde(default = "Vec::new")]
    pub fields: Vec<F>,
}

/// A field-level reason as the API sends it: the error, and its words in the request's
/// language for clients that show them as they are (the widget words the codes itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMessage {
    #[serde(flatten)]
    pub error: FieldError,
    #[serde(default)]
    pub message: String,
}

impl FieldMessage {
    /// The error with its message in `lang`.
    pub fn new(error: FieldError, lang: crate::messages::Lang) -> Self {
        FieldMessage {
            message: crate::messages::field_error(lang, &error),
            error,
        }
    }
}

/// One attendee as a flat document: what the generic backend profiles (`json-collection`,
/// `form`) receive, one per attendee (docs/api.md, "Backends"), members in this order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub meeting_id: String,
    pub meeting: String,
    /// The submission's reference (`T-…`), from its key.
    pub reference: String,
    /// The submission key and the row: lets a store drop a resent document.
    pub idempotency_key: String,
    pub submission_key: String,
    pub row: usize,
    pub municipality_code: u16,
    pub municipality: String,
    pub apply_for_membership: bool,
    pub contact_name: String,
    pub contact_email: String,
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    /// ISO 8601, UTC.
    pub submitted_at: String,
}
