//! `GET /meetings/<id>.json`: the meeting as kept, in the public format the widget and any
//! foreign backend read; `GET /meetings/<id>.html` (and `<id>.en.html`): its widget
//! pre-rendered by the widget's own components, as it stands now (open, or closed), so the
//! loader shows the programme while the wasm downloads. A draft is neither (404). Every other
//! file in `/meetings` is the folder's own.

use crate::AppState;
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tilmelding_domain::Lang;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// The meeting files, and the pre-rendered widget of each meeting the server knows.
#[derive(Clone)]
pub struct Files {
    pub state: AppState,
    /// The meetings folder, served as it is.
    pub dir: ServeDir,
}

/// One file of `/meetings`.
pub async fn file(State(files): State<Files>, Path(name): Path<String>, req: Request) -> Response {
    // English first: its suffix ends as the Danish one does.
    let page = [Lang::En, Lang::Da].into_iter().find_map(|lang| {
        let suffix = tilmelding::prerender::suffix(lang);
        Some((name.strip_suffix(suffix)?, lang))
    });
    let Some((id, lang)) = page else {
        return match name
            .strip_suffix(".json")
            .map(|id| files.state.meetings.get(id))
        {
            Some(Some(e)) if e.status.is_public() => Json(&e.meeting).into_response(),
            Some(Some(_draft)) => StatusCode::NOT_FOUND.into_response(),
            // A file the store does not keep (one that is not a valid meeting is served as it
            // is, so the widget can say which field is wrong), or another file of the folder.
            _ => match files.dir.oneshot(req).await {
                Ok(r) => r.into_response(),
                Err(never) => match never {},
            },
        };
    };
    // Rendered per request (well under a millisecond): it follows the meeting's closing.
    match files.state.meetings.public(id) {
        Some(e) => {
            let html = tilmelding::prerender::page(&e.meeting, lang, files.state.clock.now());
            (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                )],
                html,
            )
                .into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
