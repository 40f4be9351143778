//! The demo host page (`/demo/`): a KL-style article with the snippet, for trying the widget
//! embedded, and for the isolation and fallback tests.

use super::csp::content_security_policy;
use super::error::ApiError;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tilmelding_domain::messages::Refusal;

/// The KL-style demo host page: the article the snippet is pasted under. `?neutral` leaves out
/// the hostile theme stylesheet, `?nowidget` the snippet, and `?nowasm` takes WebAssembly out
/// of the page's Content-Security-Policy, for the isolation and fallback tests.
#[derive(Clone)]
pub struct DemoPage {
    /// The page's template (`index.html` in `TILMELDING_DEMO`).
    pub template: std::path::PathBuf,
    /// The origin the embedded widget comes from.
    pub widget: String,
    /// Extra attributes for the snippet's element.
    pub attrs: String,
    /// Extra `connect-src` sources.
    pub csp_connect: String,
}

pub async fn page(
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
