//! The HTTP layer: the API's router, merged from a router per resource (registrations, the
//! manage link, the organiser's), the extractors and middleware before them, the one error
//! type, the demo page, the CSP, CORS. Handlers extract and refuse; the rules are the
//! services' (`crate::service`).

pub mod csp;
pub mod demo;
mod editing;
pub mod error;
pub mod extract;
mod manage;
mod members;
pub mod middleware;
mod organiser;
pub mod programme;
mod registrations;
pub mod serve;
mod shared;
mod sign_in;

use crate::state::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use tilmelding_domain::messages::Refusal;

/// The JSON API (`api/openapi.yaml`): each resource's routes, each refusal worded in the
/// request's language.
pub fn api(state: AppState) -> Router {
    Router::new()
        .merge(registrations::router(state.clone()))
        .merge(manage::router(state.clone()))
        .nest("/organiser", organiser::router(state.clone()))
        .fallback(|| async { error::ApiError::not_found(Refusal::NotFound) })
        .layer(axum::middleware::from_fn(error::localise))
        .with_state(state)
}

/// CORS for the API: the configured origins (or any, with `*`) may call it; none configured
/// means same-origin only. No credentials: the API uses no cookies.
pub fn cors(origins: &[String]) -> Option<tower_http::cors::CorsLayer> {
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
            .allow_headers([
                header::CONTENT_TYPE,
                header::ACCEPT,
                header::ACCEPT_LANGUAGE,
                header::AUTHORIZATION,
            ])
            .max_age(std::time::Duration::from_secs(3600)),
    )
}
