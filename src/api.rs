//! The app's only door to the network. One [`request`] helper builds the URL from the runtime
//! configuration, checks the status (fetch does not fail on 4xx/5xx), maps failures to one
//! [`ApiError`], and decodes typed bodies. Views call the small functions below, never gloo-net.

use crate::config::Config;
use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use tilmelding_domain::wire::{ErrorBody, Membership, Receipt};
use tilmelding_domain::{FieldError, Meeting, Registration};

/// Everything that can go wrong talking to a backend, each with a Danish message.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer at all: offline, blocked, or the server is down.
    Network,
    /// The server refused the input, with field-level reasons (422).
    Invalid {
        message: String,
        fields: Vec<FieldError>,
    },
    /// Registration for the meeting is closed (409).
    Closed,
    /// Any other non-2xx answer.
    Status {
        status: u16,
        message: Option<String>,
    },
    /// An answer that is not what the contract promises (bad JSON, wrong shape).
    Malformed(String),
}

impl ApiError {
    /// A message for the person using the form.
    pub fn message(&self) -> String {
        match self {
            ApiError::Network => {
                "Vi kunne ikke få forbindelse til tilmeldingssystemet. Tjek din internetforbindelse, og prøv igen.".into()
            }
            ApiError::Invalid { message, .. } => message.clone(),
            ApiError::Closed => "Tilmeldingen til mødet er lukket.".into(),
            ApiError::Status { status, message } if *status >= 500 => format!(
                "Tilmeldingssystemet svarer med en fejl ({status}). Prøv igen om lidt.{}",
                message.as_ref().map(|m| format!(" {m}")).unwrap_or_default()
            ),
            ApiError::Status { status, message } => message
                .clone()
                .unwrap_or_else(|| format!("Tilmeldingssystemet afviste forespørgslen ({status}).")),
            ApiError::Malformed(_) => {
                "Tilmeldingssystemet sendte et svar, vi ikke kan læse. Prøv igen om lidt.".into()
            }
        }
    }
}

/// Sends a request and decodes a 2xx JSON body; every other outcome becomes an [`ApiError`].
async fn request<T: DeserializeOwned>(
    req: Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    let req = req.map_err(|e| ApiError::Malformed(e.to_string()))?;
    let resp = req.send().await.map_err(|_| ApiError::Network)?;
    let status = resp.status();
    let text = resp.text().await.map_err(|_| ApiError::Network)?;
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|e| ApiError::Malformed(e.to_string()));
    }
    let body: Option<ErrorBody> = serde_json::from_str(&text).ok();
    Err(match (status, body) {
        (422, Some(b)) => ApiError::Invalid {
            message: b.message,
            fields: b.fields,
        },
        (409, Some(b)) if b.error == "registration_closed" => ApiError::Closed,
        (status, b) => ApiError::Status {
            status,
            message: b.map(|b| b.message),
        },
    })
}

/// Why the meeting could not be shown.
#[derive(Clone, Debug, PartialEq)]
pub enum MeetingError {
    /// It could not be fetched.
    Unavailable(String),
    /// It was fetched but is not a valid meeting.
    Malformed(String),
}

/// Loads the meeting data from `config.meeting_url`, and checks it.
pub async fn meeting(config: &Config) -> Result<Meeting, MeetingError> {
    let meeting: Meeting = request(Request::get(&config.meeting_url).build())
        .await
        .map_err(|e| match e {
            ApiError::Malformed(detail) => MeetingError::Malformed(detail),
            e => MeetingError::Unavailable(e.message()),
        })?;
    meeting.check().map_err(|e| MeetingError::Malformed(e.0))?;
    Ok(meeting)
}

/// Asks whether a municipality is a member of the meeting's network.
pub async fn membership(
    config: &Config,
    meeting_id: &str,
    code: u16,
) -> Result<Membership, ApiError> {
    request(
        Request::get(&format!(
            "{}/meetings/{meeting_id}/membership/{code}",
            config.api_base
        ))
        .build(),
    )
    .await
}

/// Submits a registration.
pub async fn register(
    config: &Config,
    meeting_id: &str,
    reg: &Registration,
) -> Result<Receipt, ApiError> {
    let url = format!("{}/meetings/{meeting_id}/registrations", config.api_base);
    request(json_post(&url).json(reg)).await
}

fn json_post(url: &str) -> RequestBuilder {
    Request::post(url).header("Accept", "application/json")
}
