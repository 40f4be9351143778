//! The JSON API's handlers (`api/openapi.yaml`), and its router.

use super::error::{self, ApiError, ApiResult};
use crate::export;
use crate::state::{AppState, now};
use crate::store;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::WithRejection;
use std::net::{IpAddr, SocketAddr};
use tilmelding_domain::messages::Refusal;
use tilmelding_domain::registration::not_a_member;
use tilmelding_domain::wire::Membership;
use tilmelding_domain::{Meeting, Municipality, Registration};

/// The API's routes, each refusal worded in the request's language.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route(
            "/csp-report",
            post(csp_report).layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .route("/meetings/{id}/membership/{code}", get(membership))
        .route(
            "/meetings/{id}/registrations",
            post(register).route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                rate_limit,
            )),
        )
        .route(
            "/organiser/meetings/{id}/registrations.csv",
            get(export_csv),
        )
        .route("/organiser/meetings/{id}/counts", get(counts))
        .route("/organiser/applications", get(applications))
        .route("/organiser/applications/{id}/approve", post(approve))
        .fallback(|| async { ApiError::not_found(Refusal::NotFound) })
        .layer(axum::middleware::from_fn(error::localise))
        .with_state(state)
}

fn meeting(state: &AppState, id: &str) -> ApiResult<Meeting> {
    state
        .meetings
        .get(id)
        .cloned()
        .ok_or_else(|| ApiError::not_found(Refusal::UnknownMeeting))
}

fn municipality(code: &str) -> ApiResult<&'static Municipality> {
    code.parse()
        .ok()
        .and_then(Municipality::by_code)
        .ok_or_else(|| ApiError::not_found(Refusal::UnknownMunicipality))
}

/// What browsers post to `report-uri` (`application/csp-report`, so not through `Json`).
#[derive(serde::Deserialize)]
struct CspReport {
    #[serde(rename = "csp-report")]
    report: serde_json::Map<String, serde_json::Value>,
}

/// Browsers post Content-Security-Policy violations here (`report-uri`). They are logged, so
/// an operator (and the end-to-end tests) see any inline script or style the policy blocked.
/// Anything that is not a report is refused, and not logged.
async fn csp_report(body: Bytes) -> ApiResult<StatusCode> {
    let CspReport { report } = serde_json::from_slice(&body)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, Refusal::Malformed))?;
    let text = serde_json::Value::Object(report).to_string();
    eprintln!("tilmelding: CSP violation: {text}");
    Ok(StatusCode::NO_CONTENT)
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true }))
}

async fn membership(
    State(state): State<AppState>,
    Path((id, code)): Path<(String, String)>,
) -> ApiResult<Json<Membership>> {
    let meeting = meeting(&state, &id)?;
    let m = municipality(&code)?;
    let (member, application_pending) = state
        .store
        .membership(&meeting.network.id, m.code)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(Membership {
        municipality_code: m.code,
        network: meeting.network.id,
        member,
        application_pending,
    }))
}

/// Per-client rate limit on submissions, as a layer on their route: a client over the limit
/// gets a 429 with `Retry-After` before its body is read.
async fn rate_limit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    let client = client_ip(&state, peer, req.headers());
    if let Err(wait) = state.limiter.check(client, std::time::Instant::now()) {
        let mut resp = ApiError::new(StatusCode::TOO_MANY_REQUESTS, Refusal::RateLimited(wait))
            .into_response();
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return resp;
    }
    next.run(req).await
}

/// The client's address: the peer, or the last hop a trusted reverse proxy added.
fn client_ip(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    let forwarded = || {
        let v = headers.get("x-forwarded-for")?.to_str().ok()?;
        v.rsplit(',').next()?.trim().parse().ok()
    };
    if state.trust_proxy {
        forwarded().unwrap_or(peer.ip())
    } else {
        peer.ip()
    }
}

async fn register(
    State(state): State<AppState>,
    Path(id): Path<String>,
    WithRejection(Json(reg), _): WithRejection<Json<Registration>, ApiError>,
) -> ApiResult<Response> {
    let meeting = meeting(&state, &id)?;
    if !reg.website.is_empty() {
        // Only bots fill in the field people cannot see. Refuse without storing anything; the
        // message still makes sense to the rare person whose browser autofilled it.
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::Rejected,
        ));
    }
    let now = now();
    if !meeting.registration_open(now) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Refusal::RegistrationClosed,
        ));
    }
    let reg = reg
        .validate(&state.limits)
        .map_err(|fields| ApiError::fields(Refusal::Validation, fields))?;
    let outcome = state
        .store
        .submit(&meeting, reg, now)
        .await
        .map_err(ApiError::internal)?;
    let Some(receipt) = outcome else {
        return Err(ApiError::fields(Refusal::NotAMember, vec![not_a_member()]));
    };
    Ok((StatusCode::CREATED, Json(receipt)).into_response())
}

/// Checks the organiser's bearer token in constant time. No configured token: the organiser
/// endpoints are off (404), never open.
fn organiser(state: &AppState, headers: &HeaderMap) -> ApiResult<()> {
    use subtle::ConstantTimeEq;
    let Some(token) = &state.organiser_token else {
        return Err(ApiError::not_found(Refusal::OrganiserDisabled));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if bool::from(given.as_bytes().ct_eq(token.as_bytes())) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            Refusal::Unauthorized,
        ))
    }
}

async fn export_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    organiser(&state, &headers)?;
    let meeting = meeting(&state, &id)?;
    let rows = state
        .store
        .export(&meeting.id)
        .await
        .map_err(ApiError::internal)?;
    let body = export::csv(&rows);
    let disposition = format!("attachment; filename=\"tilmeldinger-{id}.csv\"");
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
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<store::Count>>> {
    organiser(&state, &headers)?;
    let meeting = meeting(&state, &id)?;
    let counts = state.store.counts(&meeting.id).await;
    Ok(Json(counts.map_err(ApiError::internal)?))
}

async fn applications(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<store::Application>>> {
    organiser(&state, &headers)?;
    let applications = state.store.pending_applications().await;
    Ok(Json(applications.map_err(ApiError::internal)?))
}

async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<serde_json::Value>> {
    organiser(&state, &headers)?;
    let not_found = || ApiError::not_found(Refusal::UnknownApplication);
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let confirmed = state
        .store
        .approve(id, now())
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(not_found)?;
    Ok(Json(
        serde_json::json!({ "approved": id, "registrations_confirmed": confirmed }),
    ))
}
