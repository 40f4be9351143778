//! The manage link's resource: the submission behind a link, and changes to it.

use super::error::{ApiError, ApiResult};
use super::extract::{Bearer, Client, OpenMeeting, PathMeeting};
use super::middleware::{self, too_many};
use super::shared::{charge_mails, mail_context, manage_url};
use crate::service::manage::{self, Refused};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use axum_extra::extract::WithRejection;
use std::net::IpAddr;
use tilmelding_domain::manage::{Allowed, Change, Managed};
use tilmelding_domain::messages::Refusal;

/// The manage link's route: what it opens, and changes, which send mails and so are limited
/// per client like submissions.
pub fn router(state: AppState) -> Router<AppState> {
    let limited = axum::middleware::from_fn_with_state(state, middleware::rate_limit);
    Router::new().route(
        "/meetings/{id}/manage",
        axum::routing::post(change)
            .route_layer(limited)
            .get(managed),
    )
}

/// A link that opens no submission: a 404, counted against the client (a guess); past the
/// limit a 429. A right link is never refused for its client's wrong guesses: a lock-out must
/// not be a way to keep a municipality (or everyone behind its firewall) from its own link.
fn unknown_link(state: &AppState, client: IpAddr) -> Response {
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
async fn managed(
    State(state): State<AppState>,
    Client(client): Client,
    PathMeeting(meeting): PathMeeting,
    token: Bearer,
) -> ApiResult<Response> {
    let allowed = Allowed::at(&meeting, state.clock.now());
    let found = manage::managed(
        &state.store,
        (&meeting.id, meeting.date),
        token.text(),
        allowed,
    )
    .await?;
    Ok(match found {
        Some(Ok(view)) => Json::<Managed>(view).into_response(),
        Some(Err(_)) => replaced().into_response(),
        None => unknown_link(&state, client),
    })
}

/// `POST /meetings/{id}/manage`: one change (see [`Change`]); answers with the submission as
/// it is after it.
async fn change(
    State(state): State<AppState>,
    Client(client): Client,
    OpenMeeting(meeting): OpenMeeting,
    token: Bearer,
    WithRejection(Json(change), _): WithRejection<Json<Change>, ApiError>,
) -> ApiResult<Response> {
    let token = token.text();
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
    let charge = match charge_mails(&state, client, manage::mails(&change)) {
        Ok(charge) => charge,
        Err(refused) => return Ok(*refused),
    };
    let url = manage_url(&state, &meeting, token);
    let mail = mail_context(&state, &meeting, &url);
    let outcome = manage::change(
        &state.store,
        (&meeting.id, meeting.date),
        token,
        change,
        mail,
        now,
        allowed,
    )
    .await?;
    match outcome {
        None => Ok(unknown_link(&state, client)),
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
