//! The app's only door to the network. One [`exchange`] helper sends a request through gloo-net
//! with the runtime configuration (extra headers, timeout), and every outcome other than an
//! answer becomes one [`ApiError`]; [`decode`] checks the status (fetch does not fail on
//! 4xx/5xx) and decodes the typed bodies the domain defines with serde. Views call the small
//! functions below, never gloo-net.

use crate::config::{Backend, Config, from_json};
use crate::dom;
use crate::i18n::prelude::*;
use gloo_net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use tilmelding_domain::manage::{Change, Managed};
use tilmelding_domain::messages::Refusal;
use tilmelding_domain::wire::{
    Document, ErrorBody, MemberList, Membership, Receipt, Registered, Status,
};
use tilmelding_domain::{FieldError, Meeting, Municipality, Registration};

/// Everything that can go wrong talking to a backend, each with a message in both languages.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer at all: offline, blocked, or the server is down.
    Network,
    /// No answer within the configured timeout.
    Timeout,
    /// The server refused the input, with field-level reasons (422).
    Invalid { fields: Vec<FieldError> },
    /// Registration for the meeting is closed (409).
    Closed,
    /// Any other non-2xx answer; the reference server's reason when it gave one.
    Status {
        status: u16,
        message: Option<String>,
    },
    /// An answer that is not what the contract promises (bad JSON, wrong shape).
    Malformed(String),
}

impl ApiError {
    /// A message for the person using the form, in their language. A reason the reference
    /// server worded (in the language the app asked for) is shown as it is.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Network => lang.err_network().into(),
            ApiError::Timeout => lang.err_timeout().into(),
            ApiError::Invalid { .. } => lang.err_invalid().into(),
            ApiError::Closed => lang.err_closed().into(),
            ApiError::Status {
                message: Some(m),
                status,
            } if *status < 500 => m.clone(),
            ApiError::Status { status, .. } => lang.status_error(*status),
            ApiError::Malformed(_) => lang.err_malformed().into(),
        }
    }

    /// Worth trying again by itself: the request may not have arrived, or the server is having
    /// a bad moment. Never a refusal of the input.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Network | ApiError::Timeout | ApiError::Status { status: 500.., .. }
        )
    }
}

/// A request body.
enum Body {
    None,
    /// Sent as `application/json`.
    Json(String),
    /// Sent as `application/x-www-form-urlencoded` (the browser sets the type for it).
    Form(web_sys::UrlSearchParams),
}

/// Sends a request with the configured extra headers, language and timeout; returns the
/// status and the body text of any answer, or the reason there was none.
async fn exchange(
    config: &Config,
    lang: Lang,
    method: Method,
    url: &str,
    body: Body,
    manage_token: Option<&str>,
) -> Result<(u16, String), ApiError> {
    // gloo-net takes an abort signal but has no timeout of its own.
    let controller = web_sys::AbortController::new().ok();
    let timed_out = Rc::new(Cell::new(false));
    let timer = controller.clone().and_then(|c| {
        let flag = timed_out.clone();
        let abort = move || {
            flag.set(true);
            c.abort();
        };
        let after = std::time::Duration::from_millis(config.timeout_ms as u64);
        leptos::prelude::set_timeout_with_handle(abort, after).ok()
    });
    let signal = controller.as_ref().map(web_sys::AbortController::signal);
    let mut builder = RequestBuilder::new(url)
        .method(method)
        .abort_signal(signal.as_ref());
    for (name, value) in &config.headers {
        builder = builder.header(name, value);
    }
    if config.backend == Backend::Reference {
        // The reference server words its refusals in this language.
        builder = builder
            .header("Accept", "application/json")
            .header("Accept-Language", lang.code());
    }
    if let Some(token) = manage_token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match body {
        Body::None => builder.build(),
        Body::Json(text) => builder
            .header("Content-Type", "application/json")
            .body(text),
        Body::Form(params) => builder.body(params),
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
        let response = request.send().await.map_err(no_answer)?;
        let text = response.text().await.map_err(no_answer)?;
        Ok::<_, ApiError>((response.status(), text))
    }
    .await;
    if let Some(t) = timer {
        t.clear();
    }
    answer
}

/// Decodes a JSON answer of the reference contract; every other outcome becomes an [`ApiError`].
fn decode<T: DeserializeOwned>((status, text): (u16, String)) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        return from_json(&text).map_err(ApiError::Malformed);
    }
    Err(refusal(status, &text))
}

/// A non-2xx answer: field reasons and messages when the body follows our contract.
fn refusal(status: u16, text: &str) -> ApiError {
    let body: Option<ErrorBody<FieldError>> = from_json(text).ok();
    match (status, body) {
        // 409 with fields: an e-mail already registered (a change through the manage link).
        (422 | 409, Some(b)) if !b.fields.is_empty() => ApiError::Invalid { fields: b.fields },
        (422, Some(b)) => ApiError::Invalid { fields: b.fields },
        (409, Some(b)) if b.error == Refusal::RegistrationClosed.code() => ApiError::Closed,
        (status, b) => ApiError::Status {
            status,
            message: b.map(|b| b.message),
        },
    }
}

/// GET and decode.
async fn get_json<T: DeserializeOwned>(
    config: &Config,
    lang: Lang,
    url: &str,
) -> Result<T, ApiError> {
    decode(exchange(config, lang, Method::GET, url, Body::None, None).await?)
}

/// Why the meeting could not be shown.
#[derive(Clone, Debug, PartialEq)]
pub enum MeetingError {
    /// It could not be fetched.
    Unavailable(ApiError),
    /// It was fetched but is not a valid meeting: the field the mistake is in (empty: the
    /// file as a whole). What is wrong is for the organiser page to say.
    Malformed(String),
}

/// Loads the meeting data from `config.meeting_url`, and checks it.
pub async fn meeting(config: &Config) -> Result<Meeting, MeetingError> {
    let answer = exchange(
        config,
        config.lang,
        Method::GET,
        &config.meeting_url,
        Body::None,
        None,
    )
    .await
    .map_err(MeetingError::Unavailable)?;
    let meeting = match answer {
        // The meeting's own reader names the field a mistake is in, so the organiser can find
        // it (tracking the path doubles the decoding code of a type: only meetings do).
        (200..300, text) => {
            Meeting::from_json(&text).map_err(|e| MeetingError::Malformed(e.field))?
        }
        (status, text) => return Err(MeetingError::Unavailable(refusal(status, &text))),
    };
    Ok(meeting)
}

/// Asks whether a municipality is a member of the meeting's network: the backend, or the static
/// member list when one is configured.
pub async fn membership(
    config: &Config,
    lang: Lang,
    meeting_id: &str,
    code: u16,
) -> Result<Membership, ApiError> {
    if let Some(url) = &config.members_url {
        let list: MemberList = get_json(config, lang, url).await?;
        return Ok(Membership {
            municipality_code: code,
            member: list.members.contains(&code),
            network: list.network,
            application_pending: false,
        });
    }
    let url = format!(
        "{}/meetings/{meeting_id}/membership/{code}",
        config.api_base
    );
    get_json(config, lang, &url).await
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
/// Retrying is safe: the reference server stores a submission once per idempotency key, and
/// the generic profiles resend only the attendees whose post has not succeeded yet.
pub async fn register(
    config: &Config,
    lang: Lang,
    meeting: &Meeting,
    reg: &Registration,
    waiting: impl Fn(Option<Waiting>),
) -> Result<Receipt, ApiError> {
    let rows = reg.attendees.len();
    let done = RefCell::new(vec![false; rows]);
    let attempt = async || match &config.backend {
        Backend::Reference => {
            let url = format!("{}/meetings/{}/registrations", config.api_base, meeting.id);
            let body =
                serde_json::to_string(reg).map_err(|e| ApiError::Malformed(e.to_string()))?;
            decode(exchange(config, lang, Method::POST, &url, Body::Json(body), None).await?)
        }
        Backend::JsonCollection { url } | Backend::Form { url, .. } => {
            let submitted_at = String::from(js_sys::Date::new_0().to_iso_string());
            for row in 0..rows {
                if done.borrow()[row] {
                    continue;
                }
                let doc = serde_json::to_value(document(meeting, reg, row, &submitted_at))
                    .map_err(|e| ApiError::Malformed(e.to_string()))?;
                let body = match &config.backend {
                    Backend::Form { fields, .. } => Body::Form(form_fields(&doc, fields)?),
                    _ => Body::Json(doc.to_string()),
                };
                let (status, text) = exchange(config, lang, Method::POST, url, body, None).await?;
                // Any 2xx: these backends know nothing of our contract.
                if !(200..300).contains(&status) {
                    return Err(refusal(status, &text));
                }
                done.borrow_mut()[row] = true;
            }
            Ok(local_receipt(reg))
        }
    };
    with_retries(attempt, waiting).await
}

/// The submission behind a manage link (reference backend only).
pub async fn managed(
    config: &Config,
    lang: Lang,
    meeting_id: &str,
    token: &str,
) -> Result<Managed, ApiError> {
    let url = format!("{}/meetings/{meeting_id}/manage", config.api_base);
    decode(exchange(config, lang, Method::GET, &url, Body::None, Some(token)).await?)
}

/// Sends one change through a manage link, retried like a submission (its key makes a retry
/// count once); answers with the submission as it is after it.
pub async fn change(
    config: &Config,
    lang: Lang,
    meeting_id: &str,
    token: &str,
    change: &Change,
    waiting: impl Fn(Option<Waiting>),
) -> Result<Managed, ApiError> {
    let url = format!("{}/meetings/{meeting_id}/manage", config.api_base);
    let body = serde_json::to_string(change).map_err(|e| ApiError::Malformed(e.to_string()))?;
    let attempt = async || {
        let body = Body::Json(body.clone());
        decode(exchange(config, lang, Method::POST, &url, body, Some(token)).await?)
    };
    with_retries(attempt, waiting).await
}

/// Runs `attempt` until it succeeds, fails for good, or has failed [`ATTEMPTS`] times.
async fn with_retries<T>(
    mut attempt: impl AsyncFnMut() -> Result<T, ApiError>,
    waiting: impl Fn(Option<Waiting>),
) -> Result<T, ApiError> {
    let mut delay_ms = 1000;
    let mut tries = 1;
    loop {
        if !dom::online() {
            waiting(Some(Waiting::Offline));
            dom::until_online().await;
        }
        waiting(None);
        match attempt().await {
            Err(e) if e.is_transient() && tries < ATTEMPTS => {
                waiting(Some(Waiting::Retry(delay_ms / 1000)));
                dom::sleep(delay_ms).await;
                delay_ms *= 2;
                tries += 1;
            }
            result => {
                waiting(None);
                return result;
            }
        }
    }
}

/// One attendee as the generic profiles receive it (docs/api.md, "Backends").
fn document(meeting: &Meeting, reg: &Registration, row: usize, submitted_at: &str) -> Document {
    let key = reg.idempotency_key.clone().unwrap_or_default();
    let a = &reg.attendees[row];
    Document {
        meeting_id: meeting.id.clone(),
        meeting: meeting.title.clone(),
        reference: reference(&key),
        idempotency_key: format!("{key}-{row}"),
        submission_key: key,
        row,
        municipality_code: reg.municipality_code,
        municipality: Municipality::by_code(reg.municipality_code)
            .map_or("", |m| m.name)
            .to_owned(),
        apply_for_membership: reg.apply_for_membership,
        contact_name: reg.contact.name.clone(),
        contact_email: reg.contact.email.clone(),
        name: a.name.clone(),
        email: a.email.clone(),
        title: a.title.clone(),
        department: a.department.clone(),
        submitted_at: submitted_at.to_owned(),
    }
}

/// A document as form fields, with the configured field names; numbers and yes/no as JSON
/// writes them.
fn form_fields(
    doc: &serde_json::Value,
    names: &std::collections::BTreeMap<String, String>,
) -> Result<web_sys::UrlSearchParams, ApiError> {
    let malformed = |e: String| ApiError::Malformed(e);
    let params = web_sys::UrlSearchParams::new().map_err(|e| malformed(format!("{e:?}")))?;
    let Some(members) = doc.as_object() else {
        return Err(malformed("a document is an object".into()));
    };
    for (key, value) in members {
        let name = names.get(key).unwrap_or(key);
        match value {
            serde_json::Value::String(text) => params.append(name, text),
            other => params.append(name, &other.to_string()),
        }
    }
    Ok(params)
}

/// A reference number the user can quote, from the submission's key (generic backends give
/// none back).
fn reference(key: &str) -> String {
    let tail: String = key
        .chars()
        .rev()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    format!(
        "T-{}",
        tail.chars().rev().collect::<String>().to_ascii_uppercase()
    )
}

/// The receipt for a generic backend: everyone was posted; such stores cannot say who was
/// registered before.
fn local_receipt(reg: &Registration) -> Receipt {
    Receipt {
        reference: reference(reg.idempotency_key.as_deref().unwrap_or("")),
        status: if reg.apply_for_membership {
            Status::PendingMembership
        } else {
            Status::Registered
        },
        registered: reg
            .attendees
            .iter()
            .enumerate()
            .map(|(row, a)| Registered {
                row,
                name: a.name.clone(),
                email: a.email.clone(),
            })
            .collect(),
        already_registered: Vec::new(),
        manage_url: None,
    }
}
