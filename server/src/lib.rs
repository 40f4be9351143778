//! The reference backend: a thin HTTP adapter over `tilmelding-domain`, storing in SQLite.
//! It serves the built app, the meeting files, and the JSON API described in `api/openapi.yaml`.

pub mod config;
pub mod export;
pub mod store;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::collections::HashMap;
use std::sync::Arc;
use tilmelding_domain::registration::not_a_member;
use tilmelding_domain::wire::{ErrorBody, Membership};
use tilmelding_domain::{FieldError, Limits, Meeting, Municipality, Registration};
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

/// The static member list format (`meetings/members/<network>.json`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberList {
    network: String,
    members: Vec<u16>,
}

/// An API error: a status, a machine-readable code, a Danish message, and field reasons.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl ApiError {
    fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            error,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    fn unknown_meeting() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "unknown_meeting",
            "Mødet findes ikke.",
        )
    }

    fn internal(e: impl std::fmt::Display) -> Self {
        eprintln!("tilmelding: internal error: {e}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Der opstod en fejl på serveren. Prøv igen om lidt.",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.error.into(),
            message: self.message,
            fields: self.fields,
        };
        (self.status, Json(body)).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

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
        .ok_or_else(ApiError::unknown_meeting)
}

fn municipality(code: &str) -> ApiResult<&'static Municipality> {
    code.parse()
        .ok()
        .and_then(Municipality::by_code)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_municipality",
                "Kommunen findes ikke.",
            )
        })
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

async fn register(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
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
            "unsupported_media_type",
            "Tilmeldingen skal sendes som application/json.",
        ));
    }
    let reg: Registration = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed",
            format!("Tilmeldingen kunne ikke læses: {e}"),
        )
    })?;
    let now = now();
    if !meeting.registration_open(now) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "registration_closed",
            "Tilmeldingen til mødet er lukket.",
        ));
    }
    let reg = reg.validate(&state.limits).map_err(|fields| ApiError {
        fields,
        ..ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Tilmeldingen har fejl.",
        )
    })?;
    let store = state.store.clone();
    let outcome = blocking(move || store.submit(&meeting, &reg, now)).await?;
    let Some(receipt) = outcome else {
        return Err(ApiError {
            fields: vec![not_a_member()],
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "not_a_member",
                "Kommunen er ikke medlem af netværket.",
            )
        });
    };
    Ok((StatusCode::CREATED, Json(receipt)).into_response())
}

/// Checks the organiser's bearer token in constant time. No configured token: the organiser
/// endpoints are off (404), never open.
fn organiser(state: &AppState, headers: &HeaderMap) -> ApiResult<()> {
    use subtle::ConstantTimeEq;
    let Some(token) = &state.organiser_token else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "organiser_disabled",
            "Arrangørdelen er slået fra.",
        ));
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
            "unauthorized",
            "Adgang kræver arrangørens nøgle.",
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
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_application",
            "Ansøgningen findes ikke.",
        )
    };
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
        .route("/meetings/{id}/membership/{code}", get(membership))
        .route("/meetings/{id}/registrations", post(register))
        .route(
            "/organiser/meetings/{id}/registrations.csv",
            get(export_csv),
        )
        .route("/organiser/meetings/{id}/counts", get(counts))
        .route("/organiser/applications", get(applications))
        .route("/organiser/applications/{id}/approve", post(approve))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "Ukendt adresse.") })
        .with_state(state);
    // The app shell must be revalidated so a new release reaches users at once.
    let app = ServeDir::new(&config.dist).fallback(ServeFile::new(config.dist.join("index.html")));
    Router::new()
        .nest("/api", api)
        .nest_service("/meetings", ServeDir::new(&config.meetings))
        .fallback_service(app)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
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
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| e.to_string())
}
