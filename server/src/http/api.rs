//! The JSON API's handlers (`api/openapi.yaml`), and its router.

use super::error::{self, ApiError, ApiResult};
use crate::export;
use crate::state::{AppState, now};
use crate::store::{self, Decided, Decision, MailContext, Refused, Submitting, Token};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::WithRejection;
use std::net::{IpAddr, SocketAddr};
use tilmelding_domain::manage::{Change, Managed};
use tilmelding_domain::messages::Refusal;
use tilmelding_domain::organiser::{Count, MeetingItem, MunicipalityRow, Overview, Totals};
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
        // Changes send mails: limited per client like submissions.
        .route(
            "/meetings/{id}/manage",
            post(change)
                .route_layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    rate_limit,
                ))
                .get(managed),
        )
        .nest("/organiser", organiser_routes(state.clone()))
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

/// Browsers post Content-Security-Policy violations here (`report-uri`). They are logged, so
/// an operator (and the end-to-end tests) see any inline script or style the policy blocked.
/// Anything that is not a report is refused, and not logged.
async fn csp_report(body: Bytes) -> ApiResult<StatusCode> {
    // `{"csp-report": {…}}`, sent as `application/csp-report`, so not through `Json`.
    let report = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&body)
        .ok()
        .and_then(|mut m| match m.remove("csp-report") {
            Some(serde_json::Value::Object(report)) => Some(report),
            _ => None,
        })
        .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, Refusal::Malformed))?;
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

/// Registering, and changing through a manage link, end at the meeting's deadline (409).
fn still_open(meeting: &Meeting, now: i64) -> ApiResult<()> {
    if meeting.registration_open(now) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::CONFLICT,
            Refusal::RegistrationClosed,
        ))
    }
}

/// Per-client rate limit on submissions (and changes through manage links), as a layer on their
/// routes: a client over the limit
/// gets a 429 with `Retry-After` before its body is read.
async fn rate_limit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    let client = client_ip(&state, peer, req.headers());
    if let Err(wait) = state.limiter.check(client, std::time::Instant::now()) {
        return too_many(Refusal::RateLimited(wait), wait);
    }
    next.run(req).await
}

/// A 429 with the refusal and `Retry-After: wait` (seconds).
fn too_many(refusal: Refusal, wait: u64) -> Response {
    let mut resp = ApiError::new(StatusCode::TOO_MANY_REQUESTS, refusal).into_response();
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    resp
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
    headers: HeaderMap,
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
    still_open(&meeting, now)?;
    let reg = reg
        .validate(&state.limits)
        .map_err(|fields| ApiError::fields(Refusal::Validation, fields))?;
    let token = Token::new();
    let url = manage_url(&state, &meeting, &token.text);
    let with = Submitting {
        token,
        lang: error::lang_of(&headers),
        mail: mail_context(&state, &meeting, &url),
    };
    let outcome = state
        .store
        .submit(&meeting, reg, now, with)
        .await
        .map_err(ApiError::internal)?;
    let Some(mut receipt) = outcome else {
        return Err(ApiError::fields(Refusal::NotAMember, vec![not_a_member()]));
    };
    receipt.manage_url = Some(url);
    Ok((StatusCode::CREATED, Json(receipt)).into_response())
}

/// A submission's private link: the meeting's page (`registration.page_url`) or this server's
/// standalone page, with the token in the fragment, which browsers never send to a server
/// (no log, no `Referer` holds it).
fn manage_url(state: &AppState, meeting: &Meeting, token: &str) -> String {
    let page = match &meeting.registration.page_url {
        Some(url) => url.split('#').next().unwrap_or(url).to_owned(),
        None => format!("{}/?meeting={}", state.base_url, meeting.id),
    };
    format!("{page}#tilmelding-manage={token}")
}

fn mail_context(state: &AppState, meeting: &Meeting, url: &str) -> Option<MailContext> {
    state.mail.as_ref().map(|m| MailContext {
        meeting: meeting.clone(),
        from: m.from_address(),
        manage_url: url.to_owned(),
    })
}

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
async fn managed(
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
    let found = state
        .store
        .managed(&meeting.id, &token, open)
        .await
        .map_err(ApiError::internal)?;
    Ok(match found {
        Some(view) => Json::<Managed>(view).into_response(),
        None => unknown_link(&state, peer, &headers),
    })
}

/// `POST /meetings/{id}/manage`: one change (see [`Change`]); answers with the submission as
/// it is after it.
async fn change(
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
    let outcome = state
        .store
        .change(&meeting.id, &token, change, mail, now)
        .await
        .map_err(ApiError::internal)?;
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

/// The organiser's endpoints, each behind the token check.
fn organiser_routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/meetings", get(organiser_meetings))
        .route("/meetings/{id}/registrations.csv", get(export_csv))
        .route("/meetings/{id}/counts", get(counts))
        .route("/meetings/{id}/overview", get(overview))
        .route("/applications", get(applications))
        .route("/applications/{id}/approve", post(approve))
        .route("/applications/{id}/decline", post(decline))
        .route_layer(axum::middleware::from_fn_with_state(state, organiser_only))
}

/// Checks the organiser's bearer token in constant time. No configured token: the organiser
/// endpoints are off (404), never open. Wrong tokens are counted per client address; past
/// [`crate::state::WRONG_TOKENS_PER_MINUTE`] every organiser request from that address gets a
/// 429 until the minute is over, the right token too, so guessing does not pay.
async fn organiser_only(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    use subtle::ConstantTimeEq;
    let Some(token) = &state.organiser_token else {
        return ApiError::not_found(Refusal::OrganiserDisabled).into_response();
    };
    let client = client_ip(&state, peer, req.headers());
    let now = std::time::Instant::now();
    let too_many = |wait: u64| too_many(Refusal::WrongTokens(wait), wait);
    if let Err(wait) = state.wrong_tokens.blocked(client, now) {
        return too_many(wait);
    }
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("").trim_start_matches("Bearer "));
    if given.is_some_and(|g| bool::from(g.as_bytes().ct_eq(token.as_bytes()))) {
        return next.run(req).await;
    }
    // Only a token given and wrong is a guess; a request without one is just refused.
    if given.is_none() {
        return ApiError::new(StatusCode::UNAUTHORIZED, Refusal::Unauthorized).into_response();
    }
    match state.wrong_tokens.check(client, now) {
        Ok(()) => ApiError::new(StatusCode::UNAUTHORIZED, Refusal::Unauthorized).into_response(),
        Err(wait) => too_many(wait),
    }
}

async fn organiser_meetings(State(state): State<AppState>) -> Json<Vec<MeetingItem>> {
    let mut list: Vec<MeetingItem> = state
        .meetings
        .values()
        .map(|m| MeetingItem {
            id: m.id.clone(),
            title: m.title.clone(),
            date: m.date.to_string(),
        })
        .collect();
    // Newest first: the meeting being organised is usually the next one.
    list.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    Json(list)
}

async fn export_csv(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
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
) -> ApiResult<Json<Vec<store::Count>>> {
    let meeting = meeting(&state, &id)?;
    let counts = state.store.counts(&meeting.id).await;
    Ok(Json(counts.map_err(ApiError::internal)?))
}

/// Everything the organiser page shows of a meeting, in one answer (it polls this).
async fn overview(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Overview>> {
    let meeting = meeting(&state, &id)?;
    let store = &state.store;
    let (members, attendees, applications) = tokio::try_join!(
        store.members(&meeting.network.id),
        store.export(&meeting.id),
        store.pending_applications(),
    )
    .map_err(ApiError::internal)?;
    let municipalities: Vec<MunicipalityRow> = Count::tally(&attendees)
        .into_iter()
        .map(|count| MunicipalityRow {
            member: members.contains(&count.municipality_code),
            count,
        })
        .collect();
    Ok(Json(Overview {
        meeting: MeetingItem {
            id: meeting.id.clone(),
            title: meeting.title.clone(),
            date: meeting.date.to_string(),
        },
        totals: Totals::of(&municipalities),
        municipalities,
        attendees,
        applications: applications
            .into_iter()
            .filter(|a| a.network == meeting.network.id)
            .collect(),
    }))
}

async fn applications(State(state): State<AppState>) -> ApiResult<Json<Vec<store::Application>>> {
    let applications = state.store.pending_applications().await;
    Ok(Json(applications.map_err(ApiError::internal)?))
}

/// The body of an approval or a decline: who decides (shown in the record), and for a decline
/// the reason. Both optional for an approval, whose body may be empty.
#[derive(Default, serde::Deserialize)]
struct DecisionBody {
    #[serde(default)]
    by: String,
    #[serde(default)]
    reason: String,
}

/// Who decided, as recorded: the name the organiser gave, or "arrangør".
fn decided_by(body: &DecisionBody) -> String {
    let name = tilmelding_domain::registration::normalise_text(&body.by);
    if name.is_empty() {
        "arrangør".to_owned()
    } else {
        name.chars().take(200).collect()
    }
}

fn decision_body(body: &Bytes) -> ApiResult<DecisionBody> {
    if body.is_empty() {
        return Ok(DecisionBody::default());
    }
    serde_json::from_slice(body)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, Refusal::Malformed))
}

async fn decide(state: &AppState, id: &str, decision: Decision, by: &str) -> ApiResult<usize> {
    let not_found = || ApiError::not_found(Refusal::UnknownApplication);
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let decided = state
        .store
        .decide(id, decision, by, now())
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(not_found)?;
    match decided {
        Decided::Now(n) => Ok(n),
        Decided::Already => Ok(0),
        Decided::Otherwise => Err(ApiError::new(StatusCode::CONFLICT, Refusal::AlreadyDecided)),
    }
}

async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<serde_json::Value>> {
    let body = decision_body(&body)?;
    let confirmed = decide(&state, &id, Decision::Approve, &decided_by(&body)).await?;
    Ok(Json(
        serde_json::json!({ "approved": id.parse::<i64>().unwrap_or_default(), "registrations_confirmed": confirmed }),
    ))
}

async fn decline(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<serde_json::Value>> {
    let body = decision_body(&body)?;
    let reason = tilmelding_domain::registration::normalise_text(&body.reason);
    // The limit counts characters as sent, as the contract's `maxLength` does.
    if reason.is_empty() || body.reason.chars().count() > 2000 {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::ReasonRequired,
        ));
    }
    let declined = decide(
        &state,
        &id,
        Decision::Decline { reason },
        &decided_by(&body),
    )
    .await?;
    Ok(Json(
        serde_json::json!({ "declined": id.parse::<i64>().unwrap_or_default(), "registrations_declined": declined }),
    ))
}
