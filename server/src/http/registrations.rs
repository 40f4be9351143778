//! Registering: the health check, membership, submissions, and the browsers' CSP reports.

use super::error::{ApiError, ApiResult};
use super::extract::{AcceptLang, Client, OpenMeeting, PathMeeting};
use super::middleware;
use super::shared::{charge_mails, mail_context, manage_url, municipality, still_open};
use crate::service::manage::Token;
use crate::service::submission::{self, Submitted, Submitting};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::WithRejection;
use std::sync::atomic::Ordering;
use tilmelding_domain::Registration;
use tilmelding_domain::messages::Refusal;
use tilmelding_domain::registration::not_a_member;
use tilmelding_domain::wire::Membership;

/// Registering's routes: the health check, membership, submissions (limited per client), and
/// the browsers' CSP reports.
pub fn router(state: AppState) -> Router<AppState> {
    let limited = axum::middleware::from_fn_with_state(state, middleware::rate_limit);
    Router::new()
        .route("/health", get(health))
        .route(
            "/csp-report",
            post(csp_report).layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .route("/meetings/{id}/membership/{code}", get(membership))
        .route(
            "/meetings/{id}/registrations",
            post(register).route_layer(limited),
        )
}

/// Browsers post Content-Security-Policy violations here (`report-uri`). They are logged, so
/// an operator (and the end-to-end tests) see any inline script or style the policy blocked.
/// Anything that is not a report is refused, and not logged. A flood fills no disk: a client's
/// reports past [`crate::state::CSP_REPORTS_PER_MINUTE`] are taken and dropped (a browser does
/// nothing with the answer, and a refusal would only tell a flood to slow down), each report is
/// logged as its few fields that say what was blocked, each cut to [`CSP_FIELD_CHARS`], and at
/// most [`crate::state::CSP_REPORTS_LOGGED_PER_MINUTE`] are logged in all (the rest counted).
async fn csp_report(
    State(state): State<AppState>,
    Client(client): Client,
    body: Bytes,
) -> ApiResult<Response> {
    // `{"csp-report": {…}}`, sent as `application/csp-report`, so not through `Json`. The
    // shape first: it is the cheaper check, and what is no report is refused however many.
    let report = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&body)
        .ok()
        .and_then(|mut m| match m.remove("csp-report") {
            Some(serde_json::Value::Object(report)) => Some(report),
            _ => None,
        })
        .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, Refusal::Malformed))?;
    let reports = &state.csp_reports;
    let now = std::time::Instant::now();
    if reports.per_client.check(client, now).is_err() {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    // One shared count for the log, whoever sends.
    let everyone = std::net::IpAddr::from([0u8; 4]);
    if reports.logged.check(everyone, now).is_ok() {
        let unlogged = reports.unlogged.swap(0, Ordering::Relaxed);
        tracing::warn!(unlogged, "CSP violation: {}", csp_summary(&report));
    } else {
        reports.unlogged.fetch_add(1, Ordering::Relaxed);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Characters of each field of a CSP report that are logged.
pub const CSP_FIELD_CHARS: usize = 200;

/// What a CSP report says was blocked, where: its few fields that say so, each cut to
/// [`CSP_FIELD_CHARS`] (a report may carry a page's whole address or a script's sample).
fn csp_summary(report: &serde_json::Map<String, serde_json::Value>) -> String {
    const FIELDS: [&str; 6] = [
        "document-uri",
        "violated-directive",
        "effective-directive",
        "blocked-uri",
        "source-file",
        "line-number",
    ];
    let cut = FIELDS
        .iter()
        .filter_map(|&f| {
            let value = match report.get(f)? {
                serde_json::Value::String(s) => s.chars().take(CSP_FIELD_CHARS).collect(),
                other => other.to_string().chars().take(CSP_FIELD_CHARS).collect(),
            };
            Some((f.to_owned(), serde_json::Value::String(value)))
        })
        .collect::<serde_json::Map<_, _>>();
    serde_json::Value::Object(cut).to_string()
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true }))
}

async fn membership(
    State(state): State<AppState>,
    PathMeeting(meeting): PathMeeting,
    Path((_, code)): Path<(String, String)>,
) -> ApiResult<Json<Membership>> {
    let m = municipality(&code)?;
    let (member, application_pending) =
        submission::membership(&state.store, &meeting, m.code).await?;
    Ok(Json(Membership {
        municipality_code: m.code,
        network: meeting.network.id,
        member,
        application_pending,
    }))
}

async fn register(
    State(state): State<AppState>,
    Client(client): Client,
    OpenMeeting(meeting): OpenMeeting,
    AcceptLang(lang): AcceptLang,
    WithRejection(Json(reg), _): WithRejection<Json<Registration>, ApiError>,
) -> ApiResult<Response> {
    if submission::by_a_bot(&reg) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::Rejected,
        ));
    }
    let now = state.clock.now();
    still_open(&meeting, now)?;
    let reg = reg
        .validate(&state.limits)
        .map_err(|fields| ApiError::fields(Refusal::Validation, fields))?;
    let charge = match charge_mails(&state, client, submission::mails(&reg)) {
        Ok(charge) => charge,
        Err(refused) => return Ok(*refused),
    };
    let token = Token::new();
    let url = manage_url(&state, &meeting, &token.text);
    let with = Submitting {
        token,
        lang,
        mail: mail_context(&state, &meeting, &url),
    };
    let mut receipt = match state.submissions.submit(&meeting, reg, now, with).await? {
        Submitted::Stored(receipt) => receipt,
        Submitted::NotMember => {
            return Err(ApiError::fields(Refusal::NotAMember, vec![not_a_member()]));
        }
        Submitted::KeyReused => {
            return Err(ApiError::new(StatusCode::CONFLICT, Refusal::KeyReused));
        }
    };
    charge.keep();
    receipt.manage_url = Some(url);
    Ok((StatusCode::CREATED, Json(receipt)).into_response())
}
