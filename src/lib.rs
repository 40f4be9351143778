//! tilmelding: the registration widget for municipal network meetings.
//!
//! The app mounts into each host element (`#tilmelding`, or `[data-tilmelding]`), inside an open
//! shadow root, and reads its configuration from that element's `data-*` attributes once, at
//! mount (see [`config`]). Views talk to the backend only
//! through [`api`]; the rules (validation, municipalities, dates) come from `tilmelding-domain`.

pub mod api;
pub mod components;
pub mod config;
pub mod dom;
pub mod draft;
pub mod flow;
pub mod handover;
pub mod i18n;
pub mod manage_flow;
pub mod manage_link;
#[cfg(feature = "ssr")]
pub mod prerender;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The elements the widget mounts into: `id="tilmelding"`, or any with a `data-tilmelding`
/// attribute (several widgets on one page). Nothing else on the page is ever touched.
pub const HOSTS: &str = "#tilmelding, [data-tilmelding]";

/// Set on a host once the widget is mounted in it, so a second run mounts nothing twice.
const MOUNTED: &str = "data-tilmelding-mounted";

/// Mounts a widget into each host element of the page, each in its own open shadow root, with
/// its own configuration. A page without any gets nothing (the loader says so in the console).
pub fn start(body: components::app::Body) {
    // A manage link followed within the page (the confirmation's, or one pasted into the
    // address bar) changes only the fragment: the page reloads, and the loader starts the
    // manage bundle with the new link.
    window_event_listener(leptos::ev::hashchange, |_| {
        if manage_link::token_in_url().is_some() {
            let _ = window().location().reload();
        }
    });
    let Ok(hosts) = document().query_selector_all(HOSTS) else {
        return;
    };
    for i in 0..hosts.length() {
        if let Some(host) = hosts.item(i).and_then(|n| n.dyn_into().ok()) {
            mount(host, body);
        }
    }
}

fn mount(host: web_sys::HtmlElement, body: components::app::Body) {
    if host.has_attribute(MOUNTED) {
        return;
    }
    let _ = host.set_attribute(MOUNTED, "");
    // The loader gave the host its shadow root with the stylesheet in it; a page that loads
    // the bindings by itself gets a bare one.
    let shadow = host.shadow_root().or_else(|| {
        let init = web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open);
        host.attach_shadow(&init).ok()
    });
    let Some(shadow) = shadow else { return };
    // The loader's loading text is the widget's to replace.
    if let Ok(Some(boot)) = shadow.query_selector(".tlm-boot") {
        boot.remove();
    }
    let Ok(parent) = document().create_element("div") else {
        return;
    };
    let _ = shadow.append_child(&parent);
    let parent: web_sys::HtmlElement = parent.unchecked_into();
    let handover = handover::Handover::begin(&shadow, &parent);
    let config = config::Config::from_host(&host);
    if let (Err(_), Some(h)) = (&config, &handover) {
        // A mistake in the snippet: its message takes the early widget's place at once (no
        // app will render the meeting to finish the handover).
        h.finish();
    }
    let root = dom::Root(Some(shadow));
    leptos::mount::mount_to(parent, move || {
        provide_context(root);
        provide_context(handover);
        match config {
            Ok(config) => view! { <components::app::App config body/> }.into_any(),
            // A mistake in the snippet: say so where the form should be, not in a console.
            Err(e) => view! {
                <div class="tlm-root" lang="da" part="root">
                    <div class="tlm-alert tlm-alert-error" role="alert">
                        <p><strong>"Tilmeldingen er ikke sat rigtigt op."</strong> " " {e.0}</p>
                    </div>
                </div>
            }
            .into_any(),
        }
    })
    .forget();
}
