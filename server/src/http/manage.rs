//! The manage link's resource: the submission behind a link, and changes to it.

use super::api::{mail_context, manage_url, meeting, still_open};
use super::error::{ApiError, ApiResult};
use super::middleware::{client_ip, too_many};
use crate::clock::now;
use crate::service::manage::{self, Refused};
use crate::state::AppState;
use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::WithRejection;
use std::net::SocketAddr;
use tilmelding_domain::manage::{Change, Managed};
use tilmelding_domain::messages::Refusal;

/// The manage link a request carries (`Authorization: Bearer <token>`), unless its address
/// has sent too many wrong ones this minute (then the seconds to wait).
fn manage_token(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> Result<String, u64> {
    let client = client_ip(state, peer, headers);
    state
        .wrong_links
        .blocked(client, std::time::Instant::now())?;
    Ok(headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim_start_matches("Bearer ").trim().to_owned())
        .unwrap_or_default())
}

/// A link that opens no submission: a 404, counted against the address (a guess).
fn unknown_link(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> Response {
    let client = client_ip(state, peer, headers);
    match state.wrong_links.check(client, std::time::Instant::now()) {
        Ok(()) => ApiError::not_found(Refusal::UnknownManageLink).into_response(),
        Err(wait) => too_many(Refusal::WrongTokens(wait), wait),
    }
}

/// `GET /meetings/{id}/manage`: the submission behind the link.
pub async fn managed(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let meeting = meeting(&state, &id)?;
    let token = match manage_token(&state, peer, &headers) {
        Ok(t) => t,
        Err(wait) => return Ok(too_many(Refusal::WrongTokens(wait), wait)),
    };
    let open = meeting.registration_open(now());
    let found = manage::managed(&state.store, &meeting.id, &token, open).await?;
    Ok(match found {
        Some(view) => Json::<Managed>(view).into_response(),
        None => unknown_link(&state, peer, &headers),
    })
}

/// `POST /meetings/{id}/manage`: one change (see [`Change`]); answers with the submission as
/// it is after it.
pub async fn change(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    WithRejection(Json(change), _): WithRejection<Json<Change>, ApiError>,
) -> ApiResult<Response> {
    let meeting = meeting(&state, &id)?;
    let token = match manage_token(&state, peer, &headers) {
        Ok(t) => t,
        Err(wait) => return Ok(too_many(Refusal::WrongTokens(wait), wait)),
    };
    let now = now();
    still_open(&meeting, now)?;
    let change = change
        .validate(&state.limits)
        .map_err(|fields| ApiError::fields(Refusal::Validation, fields))?;
    let url = manage_url(&state, &meeting, &token);
    let mail = mail_context(&state, &meeting, &url);
    let outcome = manage::change(&state.store, &meeting.id, &token, change, mail, now).await?;
    match outcome {
        None => Ok(unknown_link(&state, peer, &headers)),
        Some(Ok(view)) => Ok(Json(view).into_response()),
        Some(Err(Refused::UnknownAttendee)) => Err(ApiError::not_found(Refusal::UnknownAttendee)),
        // A conflict with what is registered (not a bad field): 409, with the field named.
        Some(Err(Refused::Fields(fields))) => Err(ApiError {
            status: StatusCode::CONFLICT,
            ..ApiError::fields(Refusal::AlreadyRegistered, fields)
        }),
    }
}
