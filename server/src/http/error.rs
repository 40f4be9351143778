//! The API's one error type, and its words in the request's language.
//!
//! Handlers return [`ApiError`]: a status, a [`Refusal`] code and field-level reasons, no
//! sentences. [`localise`], a layer over the whole API, writes the JSON body in the language
//! of the request's `Accept-Language` (Danish by default), from the domain's message tables,
//! so the server and the widget word every refusal the same way.

use axum::Json;
use axum::extract::Request;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tilmelding_domain::FieldError;
use tilmelding_domain::meeting::MeetingError;
use tilmelding_domain::messages::{Lang, Refusal};
use tilmelding_domain::wire::{ErrorBody, FieldMessage};

/// An API error: a status, a machine-readable reason, and field reasons.
#[derive(Clone, Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub refusal: Refusal,
    pub fields: Vec<FieldError>,
    /// Where and why a meeting document is refused (`invalid_meeting`).
    pub meeting: Option<MeetingError>,
}

impl ApiError {
    pub fn new(status: StatusCode, refusal: Refusal) -> Self {
        ApiError {
            status,
            refusal,
            fields: Vec::new(),
            meeting: None,
        }
    }

    /// A 422 with field reasons.
    pub fn fields(refusal: Refusal, fields: Vec<FieldError>) -> Self {
        ApiError {
            fields,
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, refusal)
        }
    }

    /// A 422 for a meeting document, with the field path (`programme[2].start`) and why.
    pub fn meeting(e: MeetingError) -> Self {
        ApiError {
            meeting: Some(e),
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, Refusal::InvalidMeeting)
        }
    }

    pub fn not_found(refusal: Refusal) -> Self {
        Self::new(StatusCode::NOT_FOUND, refusal)
    }

    /// A failure of ours: logged with its detail, answered without it.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {e}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, Refusal::Internal)
    }

    /// The body, worded in `lang`: a registration's field reasons as the widget reads them, a
    /// meeting's as its field path and the words.
    pub fn body(&self, lang: Lang) -> ErrorBody<serde_json::Value> {
        let registration = self
            .fields
            .iter()
            .map(|e| serde_json::to_value(FieldMessage::new(e.clone(), lang)).unwrap_or_default());
        let meeting = self
            .meeting
            .iter()
            .map(|e| serde_json::json!({"field": e.field, "message": e.message(lang)}));
        ErrorBody {
            error: self.refusal.code().into(),
            message: self.refusal.message(lang),
            fields: registration.chain(meeting).collect(),
        }
    }
}

/// Answered as is (in Danish) where no [`localise`] layer is in between; [`localise`] words it
/// again in the request's language.
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, Json(self.body(Lang::Da))).into_response();
        resp.extensions_mut().insert(self);
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A body the JSON extractor refused: not `application/json` (415), over the body limit (413),
/// or not a registration (400). Used through `WithRejection`, so these refusals are worded like
/// every other.
impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                Refusal::UnsupportedMediaType,
            ),
            r if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, Refusal::TooLarge)
            }
            _ => ApiError::new(StatusCode::BAD_REQUEST, Refusal::Malformed),
        }
    }
}

/// A query string the query extractor refused (a parameter given twice): 400.
impl From<QueryRejection> for ApiError {
    fn from(_: QueryRejection) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, Refusal::Malformed)
    }
}

/// The request's language, from `Accept-Language`.
pub fn lang_of(headers: &axum::http::HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or_else(Lang::default, Lang::from_accept_language)
}

/// Words every [`ApiError`] answer in the request's language, keeping its other headers.
pub async fn localise(req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    let mut resp = next.run(req).await;
    match resp.extensions_mut().remove::<ApiError>() {
        Some(e) if lang != Lang::Da => {
            let (mut parts, _) = resp.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Json(e.body(lang)).into_response().into_body())
        }
        _ => resp,
    }
}

/// A store that fails is a 500: the details go to the log, never to the client.
impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        ApiError::internal(e.full())
    }
}
