//! tilmelding: the registration widget for municipal network meetings.
//!
//! The app mounts into a host element (`#tilmelding`) and reads its configuration from that
//! element's `data-*` attributes once, at mount (see [`config`]). Views talk to the backend only
//! through [`api`]; the rules (validation, municipalities, dates) come from `tilmelding-domain`.

pub mod api;
pub mod components;
pub mod config;
pub mod dom;
pub mod draft;
pub mod flow;
pub mod i18n;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Mounts the app into the host element, or into `<body>` when the page has none.
pub fn start() {
    let document = leptos::prelude::document();
    let host = document
        .get_element_by_id(config::HOST_ID)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let config = config::Config::from_host(host.as_ref());
    let parent = host
        .or_else(|| document.body())
        .expect("a page always has a body");
    // The host may carry a <noscript> fallback and a loading text: replace them.
    parent.set_inner_html("");
    leptos::mount::mount_to(parent, move || match config {
        Ok(config) => view! { <components::app::App config/> }.into_any(),
        // A mistake in the snippet: say so where the form should be, not in a console.
        Err(e) => view! {
            <div class="tlm-root" lang="da">
                <div class="tlm-alert tlm-alert-error" role="alert">
                    <p><strong>"Tilmeldingen er ikke sat rigtigt op."</strong> " " {e.0}</p>
                </div>
            </div>
        }
        .into_any(),
    })
    .forget();
}
