//! What handlers take from a request besides its body, each read in one place: the meeting a
//! path names (or the 404), the client's address, the bearer token, the request's language.
//! A handler names what it needs in its arguments, as launchbadge's realworld-axum-sqlx does
//! with its `AuthUser`, and never parses a header itself.

use super::error::{ApiError, lang_of};
use super::middleware::client_ip;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, RawPathParams};
use axum::http::header;
use axum::http::request::Parts;
use std::net::{IpAddr, SocketAddr};
use tilmelding_domain::messages::Refusal;
use tilmelding_domain::{Lang, Meeting};

/// The meeting the path's `{id}` names, as loaded at start; an unknown one is answered 404
/// `unknown_meeting` before the handler runs.
pub struct PathMeeting(pub Meeting);

impl FromRequestParts<AppState> for PathMeeting {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found(Refusal::UnknownMeeting))?;
        params
            .iter()
            .find(|(name, _)| *name == "id")
            .and_then(|(_, id)| state.meetings.get(id))
            .map(|m| PathMeeting(m.clone()))
            .ok_or_else(|| ApiError::not_found(Refusal::UnknownMeeting))
    }
}

/// The client's address: the peer, or behind a trusted proxy the hop it added (see
/// [`client_ip`]). What every per-client limit is keyed by.
pub struct Client(pub IpAddr);

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ConnectInfo(peer) = ConnectInfo::<SocketAddr>::from_request_parts(parts, state)
            .await
            .map_err(ApiError::internal)?;
        Ok(Client(client_ip(state, peer, &parts.headers)))
    }
}

/// The token of `Authorization: Bearer <token>`, if the request has the header (a manage link's
/// token, or the organiser's).
pub struct Bearer(pub Option<String>);

impl Bearer {
    /// The token from the headers.
    pub fn of(headers: &axum::http::HeaderMap) -> Bearer {
        Bearer(
            headers
                .get(header::AUTHORIZATION)
                .map(|v| {
                    v.to_str()
                        .unwrap_or("")
                        .trim_start_matches("Bearer ")
                        .trim()
                })
                .map(str::to_owned),
        )
    }

    /// The token, or the empty text where the request has none.
    pub fn text(&self) -> &str {
        self.0.as_deref().unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Bearer::of(&parts.headers))
    }
}

/// The language the request asks for (`Accept-Language`: Danish unless it prefers English).
pub struct AcceptLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for AcceptLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(AcceptLang(lang_of(&parts.headers)))
    }
}
