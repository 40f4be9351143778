//! The organiser's meetings (`/organiser/meetings…`): make one from a document or as a copy of
//! another, read and change its document, publish it, cancel it. Each step is the service's
//! ([`crate::service::editing`]); this instance serves its result at once, every other within
//! a second or two ([`crate::service::catalogue`]).

use super::error::{ApiError, ApiResult};
use super::extract::Who;
use crate::service::editing::{self, Act, Outcome, Refused};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use tilmelding_domain::Meeting;
use tilmelding_domain::catalogue::{CancelMeeting, CopyMeeting, MeetingRecord};
use tilmelding_domain::messages::Refusal;

/// Who acts, now, and the sender of the mails a step may cause.
fn act(state: &AppState, by: String) -> Act {
    Act {
        by,
        now: state.clock.now(),
        from: state.mail.as_ref().map(|m| m.from_address()),
    }
}

/// A step's outcome as answered; a step that changed something is served by this instance
/// before the answer goes.
async fn answer(state: &AppState, outcome: Outcome) -> ApiResult<Json<MeetingRecord>> {
    let record = outcome.map_err(|refused| match refused {
        Refused::Unknown => ApiError::not_found(Refusal::UnknownMeeting),
        Refused::Exists => ApiError::new(StatusCode::CONFLICT, Refusal::MeetingExists),
        Refused::Invalid(e) => ApiError::meeting(e),
        Refused::Cancelled => ApiError::new(StatusCode::CONFLICT, Refusal::MeetingCancelled),
        Refused::NotPublished => ApiError::new(StatusCode::CONFLICT, Refusal::MeetingNotPublished),
    })?;
    state.meetings.refresh(&state.store).await?;
    Ok(Json(record))
}

/// A meeting document from a body: the meeting, or a 422 naming the field (`programme[2].start`).
fn document(body: &Bytes) -> ApiResult<Meeting> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, Refusal::Malformed))?;
    Meeting::from_json(text).map_err(ApiError::meeting)
}

/// `POST /organiser/meetings`: a new draft, from a meeting document or as a copy
/// (`{"copy_from": id, "date": …}`).
pub async fn create(
    State(state): State<AppState>,
    Who(by): Who,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<MeetingRecord>)> {
    let act = act(&state, by);
    let is_copy = serde_json::from_slice::<serde_json::Value>(&body)
        .is_ok_and(|v| v.get("copy_from").is_some());
    let outcome = if is_copy {
        let copy: CopyMeeting = serde_json::from_slice(&body)
            .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, Refusal::Malformed))?;
        editing::copy(&state.store, &copy.copy_from, copy.date, copy.id, act).await?
    } else {
        editing::create(&state.store, document(&body)?, act).await?
    };
    Ok((StatusCode::CREATED, answer(&state, outcome).await?))
}

/// `GET /organiser/meetings/{id}`: the document, its status and history, and how many are
/// registered (whom a move or a cancellation reaches).
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<MeetingRecord>> {
    editing::get(&state.store, &id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(Refusal::UnknownMeeting))
}

/// `PUT /organiser/meetings/{id}`: the meeting's new document.
pub async fn put(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Who(by): Who,
    body: Bytes,
) -> ApiResult<Json<MeetingRecord>> {
    let meeting = document(&body)?;
    let outcome = editing::save(&state.store, &id, meeting, act(&state, by)).await?;
    answer(&state, outcome).await
}

/// `POST /organiser/meetings/{id}/publish`.
pub async fn publish(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Who(by): Who,
) -> ApiResult<Json<MeetingRecord>> {
    let outcome = editing::publish(&state.store, &id, act(&state, by)).await?;
    answer(&state, outcome).await
}

/// `POST /organiser/meetings/{id}/cancel`, with the reason everyone registered is told.
pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Who(by): Who,
    body: Bytes,
) -> ApiResult<Json<MeetingRecord>> {
    let CancelMeeting { reason } = serde_json::from_slice(&body)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, Refusal::Malformed))?;
    let reason = editing::cancel_reason(&reason).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::CancelReasonRequired,
        )
    })?;
    let outcome = editing::cancel(&state.store, &id, reason, act(&state, by)).await?;
    answer(&state, outcome).await
}
