//! The page's one door to the server: the organiser endpoints (`api/openapi.yaml`), with the
//! token as a bearer header and the page's language in `Accept-Language`, so the server's
//! refusals come worded for the reader.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use tilmelding_domain::Lang;
use tilmelding_domain::catalogue::{CancelMeeting, CopyMeeting, MeetingRecord};
use tilmelding_domain::members::{Members, MembershipSet, Renew, Renewal, SetMembership};
use tilmelding_domain::organiser::{
    Approved, JoinLink, JoinLinkSet, MeetingItem, MessageDraft, MessagePreview, Organiser,
    OrganiserSession, Overview, SentMessage, SessionRequest, SignInOptions, SignInRequest,
    UnreadableMeeting,
};
use tilmelding_domain::wire::ErrorBody;

/// Why a call failed, as the page tells it.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The token is wrong (401).
    Unauthorized,
    /// Refused with the server's words (too many wrong tokens, a conflict, …).
    Refused(String),
    /// A meeting document refused at a field: its path (`programme[2].start`) and the words.
    Field { field: String, message: String },
    /// No answer: offline, or the server is down.
    Network,
}

/// Where the API is: the server that serves this page.
const BASE: &str = "/api/organiser";

fn with_auth(req: RequestBuilder, token: &str, lang: Lang) -> RequestBuilder {
    req.header("Authorization", &format!("Bearer {token}"))
        .header("Accept-Language", lang.code())
}

async fn answer(resp: Result<Response, gloo_net::Error>) -> Result<Response, ApiError> {
    let resp = resp.map_err(|_| ApiError::Network)?;
    if resp.ok() {
        return Ok(resp);
    }
    let status = resp.status();
    let body: Option<ErrorBody<serde_json::Value>> = resp.json().await.ok();
    // A 401 is the wrong token, or a session that is over; a sign-in link's own refusal says
    // what became of the link.
    if status == 401 && body.as_ref().is_none_or(|b| b.error == "unauthorized") {
        return Err(ApiError::Unauthorized);
    }
    let Some(body) = body else {
        return Err(ApiError::Refused(format!("HTTP {status}")));
    };
    // A meeting's refusal names its field; every other refusal is its message.
    let field = body.fields.first().and_then(|f| {
        let text = |key: &str| f.get(key)?.as_str().map(str::to_owned);
        Some((text("field")?, text("message")?))
    });
    Err(match field {
        Some((field, message)) if body.error == "invalid_meeting" => {
            ApiError::Field { field, message }
        }
        _ => ApiError::Refused(body.message),
    })
}

async fn get<T: DeserializeOwned>(path: &str, token: &str, lang: Lang) -> Result<T, ApiError> {
    let req = with_auth(Request::get(&format!("{BASE}{path}")), token, lang);
    let resp = answer(req.send().await).await?;
    resp.json().await.map_err(|_| ApiError::Network)
}

/// Sends `body` as JSON to `path` with `method` (`Request::post`, `Request::put`), and decodes
/// the answer.
async fn send<B: Serialize, T: DeserializeOwned>(
    method: fn(&str) -> RequestBuilder,
    path: &str,
    body: &B,
    token: &str,
    lang: Lang,
) -> Result<T, ApiError> {
    let req = with_auth(method(&format!("{BASE}{path}")), token, lang);
    let req = req.json(body).map_err(|_| ApiError::Network)?;
    let resp = answer(req.send().await).await?;
    resp.json().await.map_err(|_| ApiError::Network)
}

/// The meetings (also how the sign-in checks the token).
pub async fn meetings(token: &str, lang: Lang) -> Result<Vec<MeetingItem>, ApiError> {
    get("/meetings", token, lang).await
}

/// The meeting files the server could not load, with why, in the page's language.
pub async fn unreadable_meetings(
    token: &str,
    lang: Lang,
) -> Result<Vec<UnreadableMeeting>, ApiError> {
    get("/unreadable-meetings", token, lang).await
}

pub async fn overview(meeting: &str, token: &str, lang: Lang) -> Result<Overview, ApiError> {
    get(&format!("/meetings/{meeting}/overview"), token, lang).await
}

/// Approves (`reason: None`) or declines an application; an approval answers the membership
/// it made.
pub async fn decide(
    id: i64,
    reason: Option<&str>,
    token: &str,
    lang: Lang,
) -> Result<Option<Approved>, ApiError> {
    match reason {
        None => {
            let path = format!("/applications/{id}/approve");
            let body = serde_json::json!({});
            Ok(Some(send(Request::post, &path, &body, token, lang).await?))
        }
        Some(reason) => {
            let path = format!("/applications/{id}/decline");
            let body = serde_json::json!({ "reason": reason });
            send::<_, IgnoredAny>(Request::post, &path, &body, token, lang).await?;
            Ok(None)
        }
    }
}

/// Sets the online meeting's link; answers how many registered attendees it was mailed to.
pub async fn set_join_link(
    meeting: &str,
    url: &str,
    token: &str,
    lang: Lang,
) -> Result<usize, ApiError> {
    let body = JoinLink {
        url: url.to_owned(),
    };
    let path = format!("/meetings/{meeting}/join-link");
    let set: JoinLinkSet = send(Request::put, &path, &body, token, lang).await?;
    Ok(set.sent)
}

/// The messages sent for the meeting, newest first.
pub async fn messages(
    meeting: &str,
    token: &str,
    lang: Lang,
) -> Result<Vec<SentMessage>, ApiError> {
    get(&format!("/meetings/{meeting}/messages"), token, lang).await
}

/// The message as the server will mail it, word for word, in the page's language.
pub async fn preview_message(
    meeting: &str,
    draft: &MessageDraft,
    token: &str,
    lang: Lang,
) -> Result<MessagePreview, ApiError> {
    let path = format!("/meetings/{meeting}/messages/preview");
    send(Request::post, &path, draft, token, lang).await
}

/// Sends a message to everyone registered for the meeting.
pub async fn send_message(
    meeting: &str,
    draft: &MessageDraft,
    token: &str,
    lang: Lang,
) -> Result<SentMessage, ApiError> {
    let path = format!("/meetings/{meeting}/messages");
    send(Request::post, &path, draft, token, lang).await
}

/// The meeting's CSV export, as the server wrote it.
pub async fn csv(meeting: &str, token: &str, lang: Lang) -> Result<Vec<u8>, ApiError> {
    file(
        &format!("/meetings/{meeting}/registrations.csv"),
        token,
        lang,
    )
    .await
}

/// A meeting as kept, drafts included, with its status, history and how many are registered.
pub async fn meeting(id: &str, token: &str, lang: Lang) -> Result<MeetingRecord, ApiError> {
    get(&format!("/meetings/{id}"), token, lang).await
}

/// What a step on a meeting sends: a new document, a copy, a cancellation, or nothing.
pub enum Step<'a> {
    /// A new draft from a document.
    Create(&'a serde_json::Value),
    /// A new draft as a copy.
    Copy(&'a CopyMeeting),
    /// The meeting's new document.
    Save(&'a str, &'a serde_json::Value),
    Publish(&'a str),
    Cancel(&'a str, &'a CancelMeeting),
}

/// Takes a step on a meeting; the meeting as it now stands.
pub async fn meeting_step(
    step: Step<'_>,
    token: &str,
    lang: Lang,
) -> Result<MeetingRecord, ApiError> {
    let (method, path, body): (fn(&str) -> RequestBuilder, String, serde_json::Value) = match step {
        Step::Create(doc) => (Request::post, String::new(), doc.clone()),
        Step::Copy(copy) => (
            Request::post,
            String::new(),
            serde_json::to_value(copy).map_err(|_| ApiError::Network)?,
        ),
        Step::Save(id, doc) => (Request::put, format!("/{id}"), doc.clone()),
        Step::Publish(id) => (
            Request::post,
            format!("/{id}/publish"),
            serde_json::json!({}),
        ),
        Step::Cancel(id, cancel) => (
            Request::post,
            format!("/{id}/cancel"),
            serde_json::to_value(cancel).map_err(|_| ApiError::Network)?,
        ),
    };
    send(method, &format!("/meetings{path}"), &body, token, lang).await
}

/// How one signs in on this server: by a link by mail too, or the token only.
pub async fn sign_in_options(lang: Lang) -> Result<SignInOptions, ApiError> {
    let req = Request::get(&format!("{BASE}/sign-in")).header("Accept-Language", lang.code());
    let resp = answer(req.send().await).await?;
    resp.json().await.map_err(|_| ApiError::Network)
}

/// Asks for a sign-in link to `email`. The server answers the same for any address.
pub async fn ask_link(email: &str, lang: Lang) -> Result<(), ApiError> {
    let body = SignInRequest {
        email: email.to_owned(),
    };
    let req = Request::post(&format!("{BASE}/sign-in")).header("Accept-Language", lang.code());
    let req = req.json(&body).map_err(|_| ApiError::Network)?;
    answer(req.send().await).await?;
    Ok(())
}

/// Takes a sign-in link's token for a session.
pub async fn take_link(link: &str, lang: Lang) -> Result<OrganiserSession, ApiError> {
    let body = SessionRequest {
        link: link.to_owned(),
    };
    let req = Request::post(&format!("{BASE}/sessions")).header("Accept-Language", lang.code());
    let req = req.json(&body).map_err(|_| ApiError::Network)?;
    let resp = answer(req.send().await).await?;
    resp.json().await.map_err(|_| ApiError::Network)
}

/// Who the credentials are (also how the sign-in checks the token).
pub async fn me(token: &str, lang: Lang) -> Result<Organiser, ApiError> {
    get("/me", token, lang).await
}

/// Ends the session (the shared token has none: nothing happens).
pub async fn sign_out(token: &str) -> Result<(), ApiError> {
    let req = with_auth(Request::delete(&format!("{BASE}/session")), token, Lang::Da);
    answer(req.send().await).await?;
    Ok(())
}

/// A network's members in a membership year (none: this year).
pub async fn members(
    network: &str,
    year: Option<i32>,
    token: &str,
    lang: Lang,
) -> Result<Members, ApiError> {
    let query = year.map(|y| format!("?year={y}")).unwrap_or_default();
    get(&format!("/networks/{network}/members{query}"), token, lang).await
}

/// Sets a municipality's membership (see [`SetMembership`]).
pub async fn set_member(
    network: &str,
    code: u16,
    set: &SetMembership,
    token: &str,
    lang: Lang,
) -> Result<MembershipSet, ApiError> {
    let path = format!("/networks/{network}/members/{code}");
    send(Request::put, &path, set, token, lang).await
}

pub async fn renew(
    network: &str,
    renew: Renew,
    token: &str,
    lang: Lang,
) -> Result<Renewal, ApiError> {
    let path = format!("/networks/{network}/members/renew");
    send(Request::post, &path, &renew, token, lang).await
}

pub async fn undo_renewal(network: &str, id: i64, token: &str, lang: Lang) -> Result<(), ApiError> {
    let path = format!("/networks/{network}/members/renewals/{id}/undo");
    send::<_, IgnoredAny>(Request::post, &path, &serde_json::json!({}), token, lang).await?;
    Ok(())
}

/// Sets the day the network's membership year starts (`MM-DD`).
pub async fn set_year_start(
    network: &str,
    starts: &str,
    token: &str,
    lang: Lang,
) -> Result<(), ApiError> {
    let path = format!("/networks/{network}/membership-year");
    let body = serde_json::json!({ "starts": starts });
    send::<_, IgnoredAny>(Request::put, &path, &body, token, lang).await?;
    Ok(())
}

/// A file the server writes, as bytes (the byte-order mark Excel needs must survive, and text
/// decoding would drop it).
async fn file(path: &str, token: &str, lang: Lang) -> Result<Vec<u8>, ApiError> {
    let req = with_auth(Request::get(&format!("{BASE}{path}")), token, lang);
    let resp = answer(req.send().await).await?;
    resp.binary().await.map_err(|_| ApiError::Network)
}

/// A network's members in a year as a sheet for Danish Excel.
pub async fn members_csv(
    network: &str,
    year: i32,
    token: &str,
    lang: Lang,
) -> Result<Vec<u8>, ApiError> {
    file(
        &format!("/networks/{network}/members.csv?year={year}"),
        token,
        lang,
    )
    .await
}
