//! What handlers take from a request besides its body, each read in one place: the meeting a
//! path names (or the 404, or the 409 of a cancelled one), the client's address, the bearer
//! token, the request's language, who on the organiser page acts, and the network a path
//! names.
//! A handler names what it needs in its arguments, as launchbadge's realworld-axum-sqlx does
//! with its `AuthUser`, and never parses a header itself.

use super::error::{ApiError, lang_of};
use super::middleware::client_ip;
use crate::service::catalogue::Entry;
use crate::state::AppState;
use crate::store::MeetingStatus;
use axum::extract::{ConnectInfo, FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tilmelding_domain::messages::Refusal;
use tilmelding_domain::organiser::Organiser;
use tilmelding_domain::{Lang, Meeting};

/// The meeting the path's `{id}` names, as visitors see it: published or cancelled. An unknown
/// meeting, or a draft, is answered 404 `unknown_meeting` before the handler runs.
pub struct PathMeeting(pub Meeting);

/// The path's meeting as [`PathMeeting`] finds it, and one that still takes registrations and
/// changes: a cancelled meeting is answered 409 `meeting_cancelled`.
pub struct OpenMeeting(pub Meeting);

/// The path's meeting for the organiser: drafts too.
pub struct KeptMeeting(pub Meeting);

/// The meeting the path's `{id}` names, of any status.
async fn path_meeting(parts: &mut Parts, state: &AppState) -> Result<Arc<Entry>, ApiError> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| ApiError::not_found(Refusal::UnknownMeeting))?;
    params
        .iter()
        .find(|(name, _)| *name == "id")
        .and_then(|(_, id)| state.meetings.get(id))
        .ok_or_else(|| ApiError::not_found(Refusal::UnknownMeeting))
}

impl FromRequestParts<AppState> for PathMeeting {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match path_meeting(parts, state).await? {
            e if e.status.is_public() => Ok(PathMeeting(e.meeting.clone())),
            _ => Err(ApiError::not_found(Refusal::UnknownMeeting)),
        }
    }
}

impl FromRequestParts<AppState> for OpenMeeting {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match path_meeting(parts, state).await?.as_ref() {
            Entry {
                status: MeetingStatus::Published,
                meeting,
                ..
            } => Ok(OpenMeeting(meeting.clone())),
            Entry {
                status: MeetingStatus::Cancelled,
                ..
            } => Err(ApiError::new(
                StatusCode::CONFLICT,
                Refusal::MeetingCancelled,
            )),
            _ => Err(ApiError::not_found(Refusal::UnknownMeeting)),
        }
    }
}

impl FromRequestParts<AppState> for KeptMeeting {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(KeptMeeting(
            path_meeting(parts, state).await?.meeting.clone(),
        ))
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

/// Who does something on the organiser page, as recorded with it: the signed-in organiser
/// ("Navn <adresse>"), or "token" for the shared token, as the organiser check found them.
/// Never what the request says.
pub struct Who(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Who {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Organiser>()
            .map(|o| Who(o.recorded()))
            .ok_or_else(|| ApiError::internal("an organiser route without the organiser check"))
    }
}

/// The network the path's `{network}` names: one with a meeting kept, or a member. Otherwise
/// 404 `unknown_network` before the handler runs.
pub struct PathNetwork(pub String);

impl FromRequestParts<AppState> for PathNetwork {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let unknown = || ApiError::not_found(Refusal::UnknownNetwork);
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| unknown())?;
        let network = params
            .iter()
            .find(|(name, _)| *name == "network")
            .map(|(_, n)| n.to_owned())
            .ok_or_else(unknown)?;
        let kept = state
            .meetings
            .all()
            .values()
            .any(|e| e.meeting.network.id == network);
        if kept || crate::service::members::known(&state.store, &network).await? {
            Ok(PathNetwork(network))
        } else {
            Err(unknown())
        }
    }
}
