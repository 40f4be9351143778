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
    /// `registered`, or `pending_membership` until the membership application is approved.
    pub status: String,
    /// Attendees stored by this submission.
    pub registered: Vec<Registered>,
    /// Rows whose e-mail was already registered for the meeting (not stored again).
    #[serde(default)]
    pub already_registered: Vec<FieldError>,
}

/// One stored attendee in a receipt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Registered {
    /// Row in the submission, 0-based.
    pub row: usize,
    pub name: String,
    pub email: String,
}

/// Body of every 4xx/5xx answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable reason (`validation`, `not_a_member`, `registration_closed`, …).
    pub error: String,
    /// Danish message for people.
    pub message: String,
    /// Field-level reasons, for 422.
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

/// Receipt status for a submission waiting on a membership application.
pub const PENDING_MEMBERSHIP: &str = "pending_membership";
/// Receipt status for a confirmed submission.
pub const REGISTERED: &str = "registered";
