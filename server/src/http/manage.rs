//! The manage link's resource: the submission behind a link, and changes to it.

use super::api::{charge_mails, mail_context, manage_url, meeting};
use super::error::{ApiError, ApiResult};
use super::middleware::{client_ip, too_many};
use crate::service::manage::{self, Refused};
use crate::state::AppState;
use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::WithRejection;
use std::net::SocketAddr;
use tilmelding_domain::manage::{Action, Allowed, Change, Managed};
use tilmelding_domain::messages::Refusal;

/// The manage link a request carries (`Authorization: Bearer <token>`).
fn manage_token(headers: &HeaderMap) -> String {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim_start_matches("Bearer ").trim().to_owned())
        .unwrap_or_default()
}

/// A link that opens no submission: a 404, counted against the client (a guess); past the
/// limit a 429. A right link is never refused for its client's wrong guesses: a lock-out must
/// not be a way to keep a municipality (or everyone behind its firewall) from its own link.
fn unknown_link(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> Response {
    let client = client_ip(state, peer, headers);
    match state.wrong_links.check(client, std::time::Instant::now()) {
        Ok(()) => ApiError::not_found(Refusal::UnknownManageLink).into_response(),
        Err(wait) => too_many(Refusal::WrongTokens(wait), wait),
    }
}

/// A right link that a newer one replaced: 410, saying where the new one went. Not counted as
/// a guess.
fn replaced() -> ApiError {
    ApiError::new(StatusCode::GONE, Refusal::ManageLinkReplaced)
}

/// `GET /meetings/{id}/manage`: the submission behind the link.
pub async fn managed(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let meeting = meeting(&state, &id)?;
    let token = manage_token(&headers);
    let allowed = Allowed::at(&meeting, state.clock.now());
    let found = manage::managed(&state.store, &meeting.id, &token, allowed).await?;
    Ok(match found {
        Some(Ok(view)) => Json::<Managed>(view).into_response(),
        Some(Err(_)) => replaced().into_response(),
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
    let token = manage_token(&headers);
    let now = state.clock.now();
    let allowed = Allowed::at(&meeting, now);
    if !allowed.allows(&change.action) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Refusal::RegistrationClosed,
        ));
    }
    let change = change
        .validate(&state.limits)
        .map_err(|fields| ApiError::fields(Refusal::Validation, fields))?;
    // Counted now, given back if the link or the change is refused.
    let charge = match charge_mails(&state, client_ip(&state, peer, &headers), mails(&change)) {
        Ok(charge) => charge,
        Err(refused) => return Ok(*refused),
    };
    let url = manage_url(&state, &meeting, &token);
    let mail = mail_context(&state, &meeting, &url);
    let outcome = manage::change(
        &state.store,
        &meeting.id,
        &token,
        change,
        mail,
        now,
        allowed,
    )
    .await?;
    match outcome {
        None => Ok(unknown_link(&state, peer, &headers)),
        Some(Ok(view)) => {
            charge.keep();
            Ok(Json(view).into_response())
        }
        Some(Err(Refused::UnknownAttendee)) => Err(ApiError::not_found(Refusal::UnknownAttendee)),
        Some(Err(Refused::LinkReplaced)) => Err(replaced()),
        // A conflict with what is registered (not a bad field): 409, with the field named.
        Some(Err(Refused::Fields(fields))) => Err(ApiError {
            status: StatusCode::CONFLICT,
            ..ApiError::fields(Refusal::AlreadyRegistered, fields)
        }),
    }
}

/// The most mails a change causes: one to each person it concerns, and an update to the
/// contact (a new contact is told, and the one before).
fn mails(change: &Change) -> usize {
    1 + match &change.action {
        Action::Add { attendees } => attendees.len(),
        Action::Cancel { attendees } => attendees.len(),
        Action::Replace { .. } => 2,
        Action::Edit { .. } | Action::Contact { .. } => 1,
    }
}
