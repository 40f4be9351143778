//! The app's only door to the network. One [`request`] helper builds the URL from the runtime
//! configuration, checks the status (fetch does not fail on 4xx/5xx), maps failures to one
//! [`ApiError`], and decodes typed bodies. Views call the small functions below, never gloo-net.

use crate::config::Config;
use crate::dom;
use gloo_net::http::{Request, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::Cell;
use std::rc::Rc;
use tilmelding_domain::wire::{ErrorBody, Membership, Receipt};
use tilmelding_domain::{FieldError, Meeting, Registration};

/// Everything that can go wrong talking to a backend, each with a Danish message.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer at all: offline, blocked, or the server is down.
    Network,
    /// No answer within [`TIMEOUT_MS`].
    Timeout,
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
            ApiError::Timeout => {
                "Tilmeldingssystemet svarede ikke i tide. Prøv igen om lidt.".into()
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

impl ApiError {
    /// Worth trying again by itself: the request may not have arrived, or the server is having
    /// a bad moment. Never a refusal of the input.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Network | ApiError::Timeout | ApiError::Status { status: 500.., .. }
        )
    }
}

/// How long one request may take before it is given up.
pub const TIMEOUT_MS: i32 = 20_000;

/// Sends a request (with `body` as JSON, if any) and decodes a 2xx JSON body; every other
/// outcome becomes an [`ApiError`]. Aborted after [`TIMEOUT_MS`].
async fn request<T: DeserializeOwned>(
    builder: RequestBuilder,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    let controller = web_sys::AbortController::new().ok();
    let timed_out = Rc::new(Cell::new(false));
    let timer = controller.clone().and_then(|c| {
        let flag = timed_out.clone();
        let abort = move || {
            flag.set(true);
            c.abort();
        };
        let after = std::time::Duration::from_millis(TIMEOUT_MS as u64);
        leptos::prelude::set_timeout_with_handle(abort, after).ok()
    });
    let signal = controller.as_ref().map(|c| c.signal());
    let builder = builder.abort_signal(signal.as_ref());
    let req = match body {
        Some(b) => builder.json(b),
        None => builder.build(),
    }
    .map_err(|e| ApiError::Malformed(e.to_string()))?;
    let no_answer = |_| {
        if timed_out.get() {
            ApiError::Timeout
        } else {
            ApiError::Network
        }
    };
    let answer = async {
        let resp = req.send().await.map_err(no_answer)?;
        let text = resp.text().await.map_err(no_answer)?;
        Ok::<_, ApiError>((resp.status(), text))
    }
    .await;
    if let Some(t) = timer {
        t.clear();
    }
    let (status, text) = answer?;
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
    let meeting: Meeting = request(Request::get(&config.meeting_url), None::<&()>)
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
    let url = format!(
        "{}/meetings/{meeting_id}/membership/{code}",
        config.api_base
    );
    request(Request::get(&url), None::<&()>).await
}

/// Why a submission is waiting, for the person looking at the form.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Waiting {
    /// The browser is offline; sending resumes when it is back.
    Offline,
    /// The last try failed; the next comes after this many seconds.
    Retry(i32),
}

/// Tries before a submission is given up and the user is asked to retry.
const ATTEMPTS: u32 = 4;

/// Submits a registration. Rides out a flaky office network: waits while the browser is
/// offline, and retries network errors, timeouts and 5xx answers with backoff (1, 2, 4 s).
/// Retrying is safe because the idempotency key makes the server store a submission once.
pub async fn register(
    config: &Config,
    meeting_id: &str,
    reg: &Registration,
    waiting: impl Fn(Option<Waiting>),
) -> Result<Receipt, ApiError> {
    let url = format!("{}/meetings/{meeting_id}/registrations", config.api_base);
    let mut delay_ms = 1000;
    let mut attempt = 1;
    loop {
        if !dom::online() {
            waiting(Some(Waiting::Offline));
            dom::until_online().await;
        }
        waiting(None);
        let post = Request::post(&url).header("Accept", "application/json");
        match request(post, Some(reg)).await {
            Err(e) if e.is_transient() && attempt < ATTEMPTS => {
                waiting(Some(Waiting::Retry(delay_ms / 1000)));
                dom::sleep(delay_ms).await;
                delay_ms *= 2;
                attempt += 1;
            }
            result => {
                waiting(None);
                return result;
            }
        }
    }
}
