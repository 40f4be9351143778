//! The meeting's totals, when they were last fetched, and the list to download.

use crate::api::{self, ApiError};
use crate::texts::{Phrases, Texts, standing};
use crate::{Ctx, StatusLine};
use leptos::prelude::*;
use std::time::Duration;
use tilmelding_domain::organiser::{Overview, Standing};
use wasm_bindgen::JsCast;

#[component]
pub fn Totals(
    /// The overview the page fetches; its totals are shown.
    current: RwSignal<Option<Overview>>,
    /// When the overview last arrived, in words.
    updated: RwSignal<String>,
    /// The organiser's token (for the list's download).
    token: String,
    /// The meeting's id.
    meeting: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let status = RwSignal::new(String::new());
    let total = move |f: fn(&Overview) -> i64| current.with(|o| o.as_ref().map_or(0, f));
    let download = Action::new_local(move |(): &()| {
        let (token, meeting, lang) = (token.clone(), meeting.clone(), ctx.lang.get_untracked());
        async move {
            let bytes = api::csv(&meeting, &token, lang).await?;
            save(&bytes, &format!("tilmeldinger-{meeting}.csv"));
            Ok::<(), ApiError>(())
        }
    });
    Effect::new(move || match download.value().get() {
        Some(Ok(())) => status.set(ctx.t().downloaded().into()),
        Some(Err(e)) => status.set(ctx.message(&e)),
        None => {}
    });
    view! {
        <section class="org-card" aria-labelledby="org-overview">
            <h2 id="org-overview">{move || ctx.t().overview()}</h2>
            <dl class="org-totals">
                <div>
                    <dt>{move || standing(ctx.t(), Standing::Registered)}</dt>
                    <dd>{move || total(|o| o.totals.registered)}</dd>
                </div>
                <div>
                    <dt>{move || standing(ctx.t(), Standing::PendingMembership)}</dt>
                    <dd>{move || total(|o| o.totals.pending_membership)}</dd>
                </div>
                <div>
                    <dt>{move || standing(ctx.t(), Standing::MembershipDeclined)}</dt>
                    <dd>{move || total(|o| o.totals.membership_declined)}</dd>
                </div>
                <div>
                    <dt>{move || standing(ctx.t(), Standing::Cancelled)}</dt>
                    <dd>{move || total(|o| o.totals.cancelled)}</dd>
                </div>
            </dl>
            <p class="org-hint">
                {move || {
                    let every = current.with(|o| {
                        o.as_ref()
                            .map_or(Overview::REFRESH_SECONDS, |o| o.refresh_seconds)
                    });
                    ctx.lang.get().live_note(every)
                }}
                " "
                {move || ctx.lang.get().updated(&updated.get())}
            </p>
            // Not `disabled` while it downloads: a disabled button loses the focus.
            <button
                type="button"
                class="org-primary"
                id="org-download"
                aria-disabled=move || download.pending().get().then_some("true")
                on:click=move |_| {
                    if !download.pending().get_untracked() {
                        status.set(String::new());
                        download.dispatch(());
                    }
                }
            >
                {move || ctx.t().download()}
            </button>
            <StatusLine text=status />
        </section>
    }
}

/// Hands the file to the browser as a download, without a URL that carries the token.
pub fn save(bytes: &[u8], name: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = doc
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            a.click();
            a.remove();
        }
    }
    // Released once the download has started.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_secs(10),
    );
}
