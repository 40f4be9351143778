//! The app's only door to the network. One [`request`] helper builds the URL from the runtime
//! configuration, checks the status (fetch does not fail on 4xx/5xx), maps failures to one
//! [`ApiError`], and decodes typed bodies. Views call the small functions below, never `fetch`.

use crate::config::{Backend, Config};
use crate::dom;
use crate::i18n::Lang;
use crate::json;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use tilmelding_domain::json::{FromJson, Writer};
use tilmelding_domain::wire::{
    ErrorBody, MemberList, Membership, PENDING_MEMBERSHIP, REGISTERED, Receipt, Registered,
};
use tilmelding_domain::{FieldError, Meeting, Municipality, Registration};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

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
    /// A message for the person using the form, in their language. Messages the reference
    /// server wrote (Danish) are shown as they are in Danish.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Network => lang.err_network().into(),
            ApiError::Timeout => lang.err_timeout().into(),
            ApiError::Invalid { message, .. } if lang == Lang::Da => message.clone(),
            ApiError::Invalid { .. } => lang.err_invalid().into(),
            ApiError::Closed => lang.err_closed().into(),
            ApiError::Status {
                message: Some(m),
                status,
            } if lang == Lang::Da && *status < 500 => m.clone(),
            ApiError::Status { status, .. } => lang.status_error(*status),
            ApiError::Malformed(_) => lang.err_malformed().into(),
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

/// A request body.
enum Body {
    None,
    Json(String),
    Form(String),
}

/// Sends a request with the configured extra headers and timeout; returns the status and the
/// body text of any answer, or the reason there was none.
///
/// The browser's `fetch` directly, not gloo-net: its builder, the `http` crate's types and the
/// stream support it brings cost bytes in the bundle (issue 9) and this is the only call.
async fn exchange(
    config: &Config,
    method: &str,
    url: &str,
    body: Body,
) -> Result<(u16, String), ApiError> {
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
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    let bad_header = |e: JsValue| ApiError::Malformed(format!("{e:?}"));
    let headers = web_sys::Headers::new().map_err(bad_header)?;
    for (k, v) in &config.headers {
        headers.set(k, v).map_err(bad_header)?;
    }
    let content = match body {
        Body::None => None,
        Body::Json(text) => Some(("application/json", text)),
        Body::Form(text) => Some(("application/x-www-form-urlencoded", text)),
    };
    if let Some((kind, text)) = content {
        headers.set("Content-Type", kind).map_err(bad_header)?;
        init.set_body(&JsValue::from_str(&text));
    }
    if config.backend == Backend::Reference {
        headers
            .set("Accept", "application/json")
            .map_err(bad_header)?;
    }
    init.set_headers(&headers);
    let no_answer = |_| {
        if timed_out.get() {
            ApiError::Timeout
        } else {
            ApiError::Network
        }
    };
    let answer = async {
        let promise = leptos::prelude::window().fetch_with_str_and_init(url, &init);
        let resp: web_sys::Response = JsFuture::from(promise)
            .await
            .map_err(no_answer)?
            .unchecked_into();
        let text = JsFuture::from(resp.text().map_err(no_answer)?)
            .await
            .map_err(no_answer)?;
        Ok::<_, ApiError>((resp.status(), text.as_string().unwrap_or_default()))
    }
    .await;
    if let Some(t) = timer {
        t.clear();
    }
    answer
}

/// Decodes a JSON answer of the reference contract; every other outcome becomes an [`ApiError`].
fn decode<T: FromJson>((status, text): (u16, String)) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        return json::from_str(&text).map_err(ApiError::Malformed);
    }
    Err(refusal(status, &text))
}

/// A non-2xx answer: field reasons and messages when the body follows our contract.
fn refusal(status: u16, text: &str) -> ApiError {
    let body: Option<ErrorBody> = json::from_str(text).ok();
    match (status, body) {
        (422, Some(b)) => ApiError::Invalid {
            message: b.message,
            fields: b.fields,
        },
        (409, Some(b)) if b.error == "registration_closed" => ApiError::Closed,
        (status, b) => ApiError::Status {
            status,
            message: b.map(|b| b.message),
        },
    }
}

/// GET and decode.
async fn get_json<T: FromJson>(config: &Config, url: &str) -> Result<T, ApiError> {
    decode(exchange(config, "GET", url, Body::None).await?)
}

/// Why the meeting could not be shown.
#[derive(Clone, Debug, PartialEq)]
pub enum MeetingError {
    /// It could not be fetched.
    Unavailable(ApiError),
    /// It was fetched but is not a valid meeting.
    Malformed(String),
}

/// Loads the meeting data from `config.meeting_url`, and checks it.
pub async fn meeting(config: &Config) -> Result<Meeting, MeetingError> {
    let meeting: Meeting = get_json(config, &config.meeting_url)
        .await
        .map_err(|e| match e {
            ApiError::Malformed(detail) => MeetingError::Malformed(detail),
            e => MeetingError::Unavailable(e),
        })?;
    meeting.check().map_err(|e| MeetingError::Malformed(e.0))?;
    Ok(meeting)
}

/// Asks whether a municipality is a member of the meeting's network: the backend, or the static
/// member list when one is configured.
pub async fn membership(
    config: &Config,
    meeting_id: &str,
    code: u16,
) -> Result<Membership, ApiError> {
    if let Some(url) = &config.members_url {
        let list: MemberList = get_json(config, url).await?;
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
    get_json(config, &url).await
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
    meeting: &Meeting,
    reg: &Registration,
    waiting: impl Fn(Option<Waiting>),
) -> Result<Receipt, ApiError> {
    let rows = reg.attendees.len();
    let done = RefCell::new(vec![false; rows]);
    let attempt = async || match &config.backend {
        Backend::Reference => {
            let url = format!("{}/meetings/{}/registrations", config.api_base, meeting.id);
            let body = reg.to_json();
            decode(exchange(config, "POST", &url, Body::Json(body)).await?)
        }
        Backend::JsonCollection { url } | Backend::Form { url, .. } => {
            for row in 0..rows {
                if done.borrow()[row] {
                    continue;
                }
                let doc = document(meeting, reg, row);
                let body = match &config.backend {
                    Backend::Form { fields, .. } => Body::Form(form_encode(&doc, fields)),
                    _ => Body::Json(document_json(&doc)),
                };
                let (status, text) = exchange(config, "POST", url, body).await?;
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

/// A member of a [`document`]: text, a whole number, or yes/no.
enum Field<'a> {
    Text(&'a str),
    Owned(String),
    Int(i64),
    Bool(bool),
}

impl Field<'_> {
    /// As a form value: numbers and yes/no as JSON writes them.
    fn text(&self) -> String {
        match self {
            Field::Text(s) => (*s).to_owned(),
            Field::Owned(s) => s.clone(),
            Field::Int(n) => n.to_string(),
            Field::Bool(b) => b.to_string(),
        }
    }
}

/// One attendee as a flat document: what the generic profiles send (README, "Backends"), in
/// this order.
fn document<'a>(
    meeting: &'a Meeting,
    reg: &'a Registration,
    row: usize,
) -> Vec<(&'static str, Field<'a>)> {
    let key = reg.idempotency_key.as_deref().unwrap_or("");
    let a = &reg.attendees[row];
    let municipality = Municipality::by_code(reg.municipality_code).map_or("", |m| m.name);
    vec![
        ("meeting_id", Field::Text(&meeting.id)),
        ("meeting", Field::Text(&meeting.title)),
        ("reference", Field::Owned(reference(key))),
        ("idempotency_key", Field::Owned(format!("{key}-{row}"))),
        ("submission_key", Field::Text(key)),
        ("row", Field::Int(row as i64)),
        (
            "municipality_code",
            Field::Int(reg.municipality_code.into()),
        ),
        ("municipality", Field::Text(municipality)),
        (
            "apply_for_membership",
            Field::Bool(reg.apply_for_membership),
        ),
        ("contact_name", Field::Text(&reg.contact.name)),
        ("contact_email", Field::Text(&reg.contact.email)),
        ("name", Field::Text(&a.name)),
        ("email", Field::Text(&a.email)),
        ("title", Field::Text(&a.title)),
        ("department", Field::Text(&a.department)),
        (
            "submitted_at",
            Field::Owned(js_sys::Date::new_0().to_iso_string().into()),
        ),
    ]
}

/// The document as a JSON object.
fn document_json(doc: &[(&str, Field)]) -> String {
    let mut w = Writer::new();
    w.object(|w| {
        for (name, value) in doc {
            let w = w.member(name);
            match value {
                Field::Text(s) => w.str(s),
                Field::Owned(s) => w.str(s),
                Field::Int(n) => w.int(*n),
                Field::Bool(b) => w.bool(*b),
            }
        }
    });
    w.finish()
}

/// `name=value&…` with the configured field names.
fn form_encode(doc: &[(&str, Field)], fields: &tilmelding_domain::json::Texts) -> String {
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    doc.iter()
        .map(|(key, value)| {
            let name = fields.get(key).unwrap_or(key);
            format!("{}={}", enc(name), enc(&value.text()))
        })
        .collect::<Vec<_>>()
        .join("&")
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
            PENDING_MEMBERSHIP
        } else {
            REGISTERED
        }
        .to_owned(),
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
    }
}
