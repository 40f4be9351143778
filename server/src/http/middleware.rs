//! What runs before the handlers: the per-client rate limit, and the client's address it is
//! keyed by.

use super::error::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use tilmelding_domain::messages::Refusal;

/// Per-client rate limit on submissions (and changes through manage links), as a layer on their
/// routes: a client over the limit gets a 429 with `Retry-After` before its body is read.
pub async fn rate_limit(
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
pub fn too_many(refusal: Refusal, wait: u64) -> Response {
    let mut resp = ApiError::new(StatusCode::TOO_MANY_REQUESTS, refusal).into_response();
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    resp
}

/// The client's address: the peer, or the last hop a trusted reverse proxy added.
pub fn client_ip(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
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
