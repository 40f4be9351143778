//! The reference backend: a thin HTTP adapter over `tilmelding-domain`, storing in SQLite.
//! It serves the built app, the meeting files, and the JSON API described in `api/openapi.yaml`.

pub mod config;
pub mod error;
pub mod export;
pub mod limit;
pub mod store;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use error::{ApiError, ApiResult};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tilmelding_domain::messages::Refusal;
use tilmelding_domain::registration::not_a_member;
use tilmelding_domain::wire::{MemberList, Membership};
use tilmelding_domain::{Limits, Meeting, Municipality, Registration};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

pub use config::Config;
pub use store::Store;

/// Shared state of the running server.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub meetings: Arc<HashMap<String, Meeting>>,
    pub organiser_token: Option<Arc<str>>,
    pub limits: Limits,
    pub limiter: limit::RateLimiter,
    pub trust_proxy: bool,
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Loads every `*.json` meeting in the folder and seeds members from `members/*.json`.
/// A file that is not a valid meeting is reported and skipped (it is still served as a file,
/// so the app can show its own error for it), never fatal: one bad file must not take every
/// other meeting down.
pub fn load_meetings(
    dir: &std::path::Path,
    store: &Store,
) -> Result<HashMap<String, Meeting>, String> {
    let mut meetings = HashMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let parsed = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<Meeting>(&t).map_err(|e| e.to_string()))
            .and_then(|m| m.check().map(|()| m).map_err(|e| e.0));
        match parsed {
            Ok(m) => {
                meetings.insert(m.id.clone(), m);
            }
            Err(e) => eprintln!(
                "tilmelding: skipping {}: not a valid meeting: {e}",
                path.display()
            ),
        }
    }
    let members_dir = dir.join("members");
    if let Ok(entries) = std::fs::read_dir(&members_dir) {
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let list: MemberList =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            if let Some(bad) = list
                .members
                .iter()
                .find(|c| Municipality::by_code(**c).is_none())
            {
                return Err(format!(
                    "{}: {bad} is not a municipality code",
                    path.display()
                ));
            }
            store
                .seed_members(&list.network, &list.members, now())
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(meetings)
}

/// Runs storage work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> store::Result<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
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
async fn csp_report(body: Bytes) -> StatusCode {
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]).replace(['\n', '\r'], " ");
    eprintln!("tilmelding: CSP violation: {text}");
    StatusCode::NO_CONTENT
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
    let (store, network, c) = (state.store.clone(), meeting.network.id.clone(), m.code);
    let (member, application_pending) = blocking(move || store.membership(&network, c)).await?;
    Ok(Json(Membership {
        municipality_code: m.code,
        network: meeting.network.id,
        member,
        application_pending,
    }))
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
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    if let Err(wait) = state
        .limiter
        .check(client_ip(&state, peer, &headers), std::time::Instant::now())
    {
        let mut resp = ApiError::new(StatusCode::TOO_MANY_REQUESTS, Refusal::RateLimited(wait))
            .into_response();
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return Ok(resp);
    }
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, Refusal::TooLarge)
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, Refusal::Malformed)
        }
    })?;
    let meeting = meeting(&state, &id)?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
        });
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Refusal::UnsupportedMediaType,
        ));
    }
    let reg: Registration = serde_json::from_slice(&body)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, Refusal::Malformed))?;
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
    let store = state.store.clone();
    let outcome = blocking(move || store.submit(&meeting, reg, now)).await?;
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
    let store = state.store.clone();
    let rows = blocking(move || store.export(&meeting.id)).await?;
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
    let store = state.store.clone();
    Ok(Json(blocking(move || store.counts(&meeting.id)).await?))
}

async fn applications(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<store::Application>>> {
    organiser(&state, &headers)?;
    let store = state.store.clone();
    Ok(Json(blocking(move || store.pending_applications()).await?))
}

async fn approve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<serde_json::Value>> {
    organiser(&state, &headers)?;
    let not_found = || ApiError::not_found(Refusal::UnknownApplication);
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let store = state.store.clone();
    let confirmed = blocking(move || store.approve(id, now()))
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(
        serde_json::json!({ "approved": id, "registrations_confirmed": confirmed }),
    ))
}

/// The whole HTTP surface: API, meeting files, and the app.
pub fn router(state: AppState, config: &Config) -> Router {
    let api = Router::new()
        .route("/health", get(health))
        .route(
            "/csp-report",
            post(csp_report).layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .route("/meetings/{id}/membership/{code}", get(membership))
        .route("/meetings/{id}/registrations", post(register))
        .route(
            "/organiser/meetings/{id}/registrations.csv",
            get(export_csv),
        )
        .route("/organiser/meetings/{id}/counts", get(counts))
        .route("/organiser/applications", get(applications))
        .route("/organiser/applications/{id}/approve", post(approve))
        .fallback(|| async { ApiError::not_found(Refusal::NotFound) })
        .layer(axum::middleware::from_fn(error::localise))
        .with_state(state);
    let api = match cors(&config.allowed_origins) {
        Some(cors) => api.layer(cors),
        None => api,
    };
    // `make app` writes brotli and gzip copies next to each file (scripts/compress.sh), so the
    // wasm travels at about a third of its size with no compression work per request.
    let app = ServeDir::new(&config.dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(config.dist.join("index.html")));
    // The app's files and the meeting files are public and loaded by host pages on other
    // origins (a module script and its wasm need CORS).
    let public = |r: Router| {
        r.layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("cross-origin"),
        ))
        // Host pages may time the widget's downloads (resource timing gives sizes and phases
        // of other origins' files only with this).
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("timing-allow-origin"),
            HeaderValue::from_static("*"),
        ))
        // The app's files come brotli, gzip or plain by the request's Accept-Encoding: a
        // shared cache must keep them apart.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
    };
    let demo = DemoPage {
        template: config.demo.join("index.html"),
        widget: config.demo_widget.clone(),
        attrs: config.demo_attrs.clone(),
        csp_connect: config.csp_connect.clone(),
    };
    let header = |name, value: HeaderValue| SetResponseHeaderLayer::overriding(name, value);
    Router::new()
        .nest("/api", api.layer(DefaultBodyLimit::max(config.max_body)))
        .route("/demo", get(demo_page).with_state(demo.clone()))
        .route("/demo/", get(demo_page).with_state(demo))
        .route_service("/demo/kl.css", ServeFile::new(config.demo.join("kl.css")))
        .route_service(
            "/demo/hostile.css",
            ServeFile::new(config.demo.join("hostile.css")),
        )
        .nest(
            "/meetings",
            public(Router::new().fallback_service(ServeDir::new(&config.meetings))),
        )
        .fallback_service(public(Router::new().fallback_service(app)))
        // Files keep their names across releases (hosts link them), so browsers revalidate.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            content_security_policy(&config.csp_connect, ""),
        ))
        .layer(header(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(header(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// CORS for the API: the configured origins (or any, with `*`) may call it; none configured
/// means same-origin only. No credentials: the API uses no cookies.
fn cors(origins: &[String]) -> Option<tower_http::cors::CorsLayer> {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
            .allow_headers([header::CONTENT_TYPE, header::ACCEPT])
            .max_age(std::time::Duration::from_secs(3600)),
    )
}

/// The KL-style demo host page: the article the snippet is pasted under. `?neutral` leaves out
/// the hostile theme stylesheet, `?nowidget` the snippet, and `?nowasm` takes WebAssembly out
/// of the page's Content-Security-Policy, for the isolation and fallback tests.
#[derive(Clone)]
struct DemoPage {
    template: std::path::PathBuf,
    widget: String,
    attrs: String,
    csp_connect: String,
}

async fn demo_page(
    State(demo): State<DemoPage>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let Ok(template) = tokio::fs::read_to_string(&demo.template).await else {
        return ApiError::not_found(Refusal::NotFound).into_response();
    };
    let flags = query.unwrap_or_default();
    let has = |flag: &str| flags.split('&').any(|f| f == flag);
    let (w, attrs) = (&demo.widget, &demo.attrs);
    let snippet = format!(
        r#"<div id="tilmelding" data-meeting-url="{w}/meetings/knub-2021-05-17.json" data-api-base="{w}/api" {attrs}>
                <noscript>Tilmeldingen kræver JavaScript. <a href="mailto:tilmelding@example.dk">Skriv til arrangøren</a> for at tilmelde jer.</noscript>
            </div>
            <script type="module" src="{w}/embed.js"></script>"#
    );
    let page = template
        .replace(
            "{{hostile_css}}",
            if has("neutral") {
                ""
            } else {
                r#"<link rel="stylesheet" href="/demo/hostile.css">"#
            },
        )
        .replace("{{snippet}}", if has("nowidget") { "" } else { &snippet });
    let mut csp = content_security_policy(&format!("{} {w}", demo.csp_connect), w);
    if has("nowasm") {
        // A host whose policy forgot WebAssembly, as many CMS policies do: the widget must say
        // so in its element, not leave a blank.
        let policy = csp
            .to_str()
            .unwrap_or_default()
            .replace(" 'wasm-unsafe-eval'", "");
        csp = HeaderValue::from_str(&policy).unwrap_or(csp);
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CONTENT_SECURITY_POLICY, csp),
        ],
        page,
    )
        .into_response()
}

/// The policy the app works under: no inline script or style, no eval (wasm needs
/// `'wasm-unsafe-eval'`), requests only to this origin and the configured extra sources.
pub fn content_security_policy(extra_connect: &str, widget: &str) -> HeaderValue {
    let sources = |list: &str| -> String {
        list.split_whitespace()
            .filter(|s| {
                s.bytes()
                    .all(|b| b.is_ascii_graphic() && b != b';' && b != b',')
            })
            .map(|s| format!(" {s}"))
            .collect()
    };
    let (connect, widget) = (sources(extra_connect), sources(widget));
    let policy = format!(
        "default-src 'self'; script-src 'self'{widget} 'wasm-unsafe-eval'; style-src 'self'{widget}; \
         connect-src 'self'{connect}; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'self'; report-uri /api/csp-report"
    );
    HeaderValue::from_str(&policy).expect("only visible ASCII goes into the policy")
}

/// Deletes the registrations of every meeting that ended more than `days` days before `now`.
/// Returns (meeting id, attendees deleted) for each meeting that had any.
pub fn retention(state: &AppState, days: u32, now: i64) -> store::Result<Vec<(String, usize)>> {
    let mut done = Vec::new();
    for m in state.meetings.values() {
        if m.ends().to_unix() + i64::from(days) * 86_400 < now {
            let n = state.store.delete_meeting(&m.id)?;
            if n > 0 {
                done.push((m.id.clone(), n));
            }
        }
    }
    done.sort();
    Ok(done)
}

/// Opens the store, loads meetings and builds the state.
pub fn state(config: &Config) -> Result<AppState, String> {
    let store = Store::open(&config.db).map_err(|e| format!("{}: {e}", config.db.display()))?;
    let meetings = load_meetings(&config.meetings, &store)?;
    Ok(AppState {
        store,
        meetings: Arc::new(meetings),
        organiser_token: config.organiser_token.as_deref().map(Arc::from),
        limits: Limits::default(),
        limiter: limit::RateLimiter::new(config.rate_limit),
        trust_proxy: config.trust_proxy,
    })
}

/// Serves until `shutdown` completes, then finishes requests in flight.
pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let state = state(&config)?;
    let app = router(state, &config);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(|e| e.to_string())
}
