//! The organiser's resources, each behind the token check: meetings, who is coming, the list to
//! download, and the applications to decide.

use super::error::{ApiError, ApiResult};
use super::extract::{AcceptLang, Bearer, Client, KeptMeeting, Who};
use super::middleware::too_many;
use super::{editing, members, sign_in};
use crate::export;
use crate::service::applications::{self, Decided, Decision};
use crate::service::{join, messages, organiser, sign_in as signing};
use crate::state::AppState;
use crate::store::Date;
use crate::store::{Application, Count};
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use axum_extra::extract::WithRejection;
use tilmelding_domain::Meeting;
use tilmelding_domain::messages::Refusal;
use tilmelding_domain::organiser::{
    Approved, DecisionBody, Declined, JoinLink, JoinLinkSet, MeetingItem, MessageDraft,
    MessagePreview, Overview, SentMessage, UnreadableMeeting,
};

/// The organiser's endpoints, each behind the organiser check, and the sign-in before it.
pub fn router(state: AppState) -> Router<AppState> {
    let checked = Router::new()
        .route("/me", get(sign_in::me))
        .route("/session", delete(sign_in::sign_out))
        .route("/meetings", get(meetings).post(editing::create))
        .route("/meetings/{id}", get(editing::get).put(editing::put))
        .route("/meetings/{id}/publish", post(editing::publish))
        .route("/meetings/{id}/cancel", post(editing::cancel))
        .route("/unreadable-meetings", get(unreadable_meetings))
        .route("/meetings/{id}/registrations.csv", get(export_csv))
        .route("/meetings/{id}/counts", get(counts))
        .route("/meetings/{id}/overview", get(overview))
        .route("/meetings/{id}/join-link", put(set_join_link))
        .route("/meetings/{id}/messages", get(messages).post(send_message))
        .route("/meetings/{id}/messages/preview", post(preview_message))
        .route("/applications", get(pending))
        .route("/applications/{id}/approve", post(approve))
        .route("/applications/{id}/decline", post(decline))
        .merge(members::router())
        .route_layer(axum::middleware::from_fn_with_state(state, organiser_only));
    Router::new()
        .route("/sign-in", get(sign_in::options).post(sign_in::ask))
        .route("/sessions", post(sign_in::take))
        .merge(checked)
}

/// Finds who the bearer is: the shared token (compared in constant time), recorded as
/// "token", or a signed-in organiser's session; the handlers read it with
/// [`super::extract::Who`]. Neither a token configured nor organisers to sign in: the
/// organiser endpoints are off (404), never open. Wrong tokens are counted per client; past
/// [`crate::config::Config::wrong_guesses`] a wrong token gets a 429 until the minute is over,
/// so guessing does not pay. The right token always passes: a lock-out must not be a way to
/// keep the organiser (or everyone behind the same firewall) out.
async fn organiser_only(
    State(state): State<AppState>,
    Client(client): Client,
    Bearer(given): Bearer,
    mut req: Request,
    next: Next,
) -> Response {
    use subtle::ConstantTimeEq;
    if state.organiser_token.is_none() && state.organisers.is_empty() {
        return ApiError::not_found(Refusal::OrganiserDisabled).into_response();
    }
    // Only a token given and wrong is a guess; a request without one is just refused.
    let Some(given) = given else {
        return ApiError::new(StatusCode::UNAUTHORIZED, Refusal::Unauthorized).into_response();
    };
    let token = state.organiser_token.as_ref();
    let organiser = if token.is_some_and(|t| bool::from(given.as_bytes().ct_eq(t.as_bytes()))) {
        Some(signing::token_holder())
    } else if !state.organisers.is_empty() && signing::well_formed(&given) {
        match signing::who(&state.store, &given, state.clock.now()).await {
            // Only while the address is on the list: taken off it, the session is over.
            Ok(who) => who.filter(|o| {
                let email = o.email.as_deref().unwrap_or_default();
                state.organisers.find(email).is_some()
            }),
            Err(e) => return ApiError::from(e).into_response(),
        }
    } else {
        None
    };
    if let Some(organiser) = organiser {
        req.extensions_mut().insert(organiser);
        return next.run(req).await;
    }
    match state.wrong_tokens.check(client, std::time::Instant::now()) {
        Ok(()) => ApiError::new(StatusCode::UNAUTHORIZED, Refusal::Unauthorized).into_response(),
        Err(wait) => too_many(Refusal::WrongTokens(wait), wait),
    }
}

async fn meetings(State(state): State<AppState>) -> ApiResult<Json<Vec<MeetingItem>>> {
    let (all, now) = (state.meetings.all(), state.clock.now());
    Ok(Json(
        organiser::meetings(&state.store, all.values().map(AsRef::as_ref), now).await?,
    ))
}

/// The meeting files that could not be loaded, with the field and the reason in the
/// request's language: the organiser page shows them, as the server's log only reaches its
/// operator.
async fn unreadable_meetings(
    State(state): State<AppState>,
    AcceptLang(lang): AcceptLang,
) -> Json<Vec<UnreadableMeeting>> {
    Json(
        state
            .unreadable
            .iter()
            .map(|(file, e)| UnreadableMeeting {
                file: file.clone(),
                field: e.field.clone(),
                message: e.message(lang),
            })
            .collect(),
    )
}

/// The list for a spreadsheet, its column names in the request's language (Danish unless the
/// browser asks for English).
async fn export_csv(
    State(state): State<AppState>,
    KeptMeeting(meeting): KeptMeeting,
    AcceptLang(lang): AcceptLang,
) -> ApiResult<Response> {
    let rows = organiser::export(&state.store, &meeting.id).await?;
    let body = export::csv(&rows, lang);
    let disposition = format!("attachment; filename=\"tilmeldinger-{}.csv\"", meeting.id);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).map_err(ApiError::internal)?,
            ),
        ],
        body,
    )
        .into_response())
}

async fn counts(
    State(state): State<AppState>,
    KeptMeeting(meeting): KeptMeeting,
) -> ApiResult<Json<Vec<Count>>> {
    Ok(Json(organiser::counts(&state.store, &meeting.id).await?))
}

/// Everything the organiser page shows of a meeting, in one answer (it polls this).
async fn overview(
    State(state): State<AppState>,
    KeptMeeting(meeting): KeptMeeting,
) -> ApiResult<Json<Overview>> {
    let refresh = state.organiser_refresh;
    let status = state.meetings.get(&meeting.id).map(|e| e.status);
    let status = status.unwrap_or_default();
    Ok(Json(
        organiser::overview(&state.store, &meeting, status, refresh).await?,
    ))
}

/// Sets the online meeting's link; everyone registered gets it by mail with their invitation
/// again (see [`crate::service::join`]).
async fn set_join_link(
    State(state): State<AppState>,
    KeptMeeting(meeting): KeptMeeting,
    Who(by): Who,
    WithRejection(Json(body), _): WithRejection<Json<JoinLink>, ApiError>,
) -> ApiResult<Json<JoinLinkSet>> {
    let url = body.url.as_str();
    if !Meeting::is_join_url(url) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::InvalidJoinUrl,
        ));
    }
    let from = state.mail.as_ref().map(|m| m.from_address());
    let at = (by.as_str(), state.clock.now());
    let sent = join::set(&state.store, &meeting, url, from, at).await?;
    Ok(Json(JoinLinkSet {
        join_url: url.to_owned(),
        sent,
    }))
}

/// The messages sent for a meeting, newest first.
async fn messages(
    State(state): State<AppState>,
    KeptMeeting(meeting): KeptMeeting,
) -> ApiResult<Json<Vec<SentMessage>>> {
    Ok(Json(messages::list(&state.store, &meeting.id).await?))
}

/// The sender and the checked draft of a message, or why it cannot be sent: without mail
/// nothing can be, whatever the draft says.
fn sendable(state: &AppState, draft: &MessageDraft) -> ApiResult<(String, MessageDraft)> {
    let from = state
        .mail
        .as_ref()
        .map(|m| m.from_address())
        .ok_or_else(|| ApiError::new(StatusCode::CONFLICT, Refusal::MailOff))?;
    let draft = draft
        .checked()
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, Refusal::InvalidMessage))?;
    Ok((from, draft))
}

/// Sends a message to everyone registered (see [`crate::service::messages`]).
async fn send_message(
    State(state): State<AppState>,
    KeptMeeting(meeting): KeptMeeting,
    Who(by): Who,
    WithRejection(Json(draft), _): WithRejection<Json<MessageDraft>, ApiError>,
) -> ApiResult<(StatusCode, Json<SentMessage>)> {
    let (from, draft) = sendable(&state, &draft)?;
    let at = (by.as_str(), state.clock.now());
    let sent = messages::send(&state.store, &meeting, draft, from, at).await?;
    Ok((StatusCode::CREATED, Json(sent)))
}

/// A message as it will be mailed, in the request's language, and whom it reaches now.
async fn preview_message(
    State(state): State<AppState>,
    KeptMeeting(meeting): KeptMeeting,
    AcceptLang(lang): AcceptLang,
    WithRejection(Json(draft), _): WithRejection<Json<MessageDraft>, ApiError>,
) -> ApiResult<Json<MessagePreview>> {
    let (from, draft) = sendable(&state, &draft)?;
    let now = state.clock.now();
    let preview = messages::preview(&state.store, &meeting, draft, from, lang, now).await?;
    Ok(Json(preview))
}

async fn pending(State(state): State<AppState>) -> ApiResult<Json<Vec<Application>>> {
    Ok(Json(applications::pending(&state.store).await?))
}

fn decision_body(body: &Bytes) -> ApiResult<DecisionBody> {
    if body.is_empty() {
        return Ok(DecisionBody::default());
    }
    serde_json::from_slice(body)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, Refusal::Malformed))
}

/// Decides application `id`; answers with its id, how many registrations it settled, and the
/// membership an approval made.
async fn decide(
    state: &AppState,
    id: &str,
    decision: Decision,
    by: &str,
) -> ApiResult<(i64, usize, Option<(Date, Date)>)> {
    let not_found = || ApiError::not_found(Refusal::UnknownApplication);
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let (now, mail) = (state.clock.now(), state.decision_mail());
    let days = state.meeting_days(None);
    let decided = applications::decide(&state.store, (id, decision), (by, now), days, mail)
        .await?
        .ok_or_else(not_found)?;
    match decided {
        Decided::Now(n, member) => Ok((id, n, member)),
        Decided::Already => Ok((id, 0, None)),
        Decided::Otherwise => Err(ApiError::new(StatusCode::CONFLICT, Refusal::AlreadyDecided)),
    }
}

async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Who(by): Who,
    body: Bytes,
) -> ApiResult<Json<Approved>> {
    decision_body(&body)?;
    let (approved, registrations_confirmed, member) =
        decide(&state, &id, Decision::Approve, &by).await?;
    Ok(Json(Approved {
        approved,
        registrations_confirmed,
        member_from: member.map(|m| m.0),
        member_until: member.map(|m| m.1),
    }))
}

async fn decline(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Who(by): Who,
    body: Bytes,
) -> ApiResult<Json<Declined>> {
    let body = decision_body(&body)?;
    let reason = applications::decline_reason(&body.reason)
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, Refusal::ReasonRequired))?;
    let (declined, registrations_declined, _) =
        decide(&state, &id, Decision::Decline { reason }, &by).await?;
    Ok(Json(Declined {
        declined,
        registrations_declined,
    }))
}
