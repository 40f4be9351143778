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

/// The client's address: the peer, or, behind a trusted reverse proxy, the hop it added.
pub fn client_ip(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    if state.trust_proxy {
        forwarded(headers).unwrap_or(peer.ip())
    } else {
        peer.ip()
    }
}

/// The right-most address of all `X-Forwarded-For` lines: the one the trusted proxy added.
/// What the client itself sent comes before it and may be anything.
fn forwarded(headers: &HeaderMap) -> Option<IpAddr> {
    let last_line = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .rfind(|v| !v.trim().is_empty())?;
    last_line.rsplit(',').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxy_s_hop_is_the_right_most_of_every_line() {
        let mut h = HeaderMap::new();
        h.append(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 10.0.0.1"),
        );
        h.append("x-forwarded-for", HeaderValue::from_static("192.0.2.7"));
        assert_eq!(forwarded(&h), "192.0.2.7".parse().ok());
        let mut one = HeaderMap::new();
        one.append(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 2001:db8::1"),
        );
        assert_eq!(forwarded(&one), "2001:db8::1".parse().ok());
        assert_eq!(forwarded(&HeaderMap::new()), None);
    }
}
