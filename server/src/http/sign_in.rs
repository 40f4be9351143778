//! Organisers signing in as themselves (`service::sign_in`): how one signs in here, a link
//! asked for by mail, a link taken for a session, who is signed in, and signing out.

use super::error::{ApiError, ApiResult};
use super::extract::{AcceptLang, Bearer, Client};
use super::middleware::too_many;
use crate::service::sign_in;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use axum_extra::extract::WithRejection;
use tilmelding_domain::messages::Refusal;
use tilmelding_domain::organiser::{
    Organiser, OrganiserSession, SessionRequest, SignInOptions, SignInRequest,
};

/// `GET /organiser/sign-in`: whether a link by mail is offered here.
pub async fn options(State(state): State<AppState>) -> Json<SignInOptions> {
    Json(SignInOptions {
        by_mail: !state.organisers.is_empty(),
    })
}

fn off() -> ApiError {
    ApiError::not_found(Refusal::SignInOff)
}

/// `POST /organiser/sign-in`: a link to the address if it is an organiser's. The answer is the
/// same for every address, so the list cannot be read from it; each client may ask
/// [`crate::state::SIGN_INS_PER_15_MINUTES`] times in 15 minutes.
pub async fn ask(
    State(state): State<AppState>,
    Client(client): Client,
    AcceptLang(lang): AcceptLang,
    WithRejection(Json(body), _): WithRejection<Json<SignInRequest>, ApiError>,
) -> ApiResult<Response> {
    if state.organisers.is_empty() {
        return Err(off());
    }
    if let Err(wait) = state.sign_ins.check(client, std::time::Instant::now()) {
        return Ok(too_many(Refusal::RateLimited(wait), wait));
    }
    let page = format!("{}/organiser/", state.base_url);
    let now = state.clock.now();
    sign_in::ask(
        &state.store,
        &state.organisers,
        &body.email,
        (&page, lang),
        now,
    )
    .await?;
    Ok(StatusCode::ACCEPTED.into_response())
}

/// `POST /organiser/sessions`: a link's token for a session. A wrong one counts as a wrong
/// token does.
pub async fn take(
    State(state): State<AppState>,
    Client(client): Client,
    WithRejection(Json(body), _): WithRejection<Json<SessionRequest>, ApiError>,
) -> ApiResult<Response> {
    if state.organisers.is_empty() {
        return Err(off());
    }
    let invalid = || ApiError::new(StatusCode::UNAUTHORIZED, Refusal::SignInLinkInvalid);
    let session = if sign_in::well_formed(&body.link) {
        let now = state.clock.now();
        sign_in::take(&state.store, &state.organisers, &body.link, now).await?
    } else {
        None
    };
    match session {
        Some(s) => Ok((StatusCode::CREATED, Json::<OrganiserSession>(s)).into_response()),
        None => match state.wrong_tokens.check(client, std::time::Instant::now()) {
            Ok(()) => Err(invalid()),
            Err(wait) => Ok(too_many(Refusal::WrongTokens(wait), wait)),
        },
    }
}

/// `GET /organiser/me`: who the request's credentials are.
pub async fn me(Extension(organiser): Extension<Organiser>) -> Json<Organiser> {
    Json(organiser)
}

/// `DELETE /organiser/session`: ends the request's session (the shared token has none).
pub async fn sign_out(
    State(state): State<AppState>,
    Bearer(given): Bearer,
) -> ApiResult<StatusCode> {
    if let Some(session) = given {
        sign_in::end(&state.store, &session).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
