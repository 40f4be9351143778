//! The whole widget: loads the meeting, shows the programme, then the registration flow.

use crate::api::{self, MeetingError};
use crate::components::programme::Programme;
use crate::components::registration::Registration;
use crate::config::Config;
use crate::i18n::{Lang, tr};
use leptos::prelude::*;

/// Root component.
#[component]
pub fn App(
    /// Configuration read from the host element.
    config: Config,
) -> impl IntoView {
    let lang = RwSignal::new(config.lang);
    provide_context(lang);
    let cfg = StoredValue::new(config);
    // A signal filled by a local task rather than a `LocalResource`: Leptos' async resource
    // machinery costs kilobytes of wasm (issue 9) and this is its only use.
    let meeting = RwSignal::new(None);
    let load = move || {
        meeting.set(None);
        leptos::task::spawn_local(async move {
            let loaded = api::meeting(&cfg.get_value()).await;
            let shown = loaded.is_ok();
            // The widget may be gone by then (a host page that removes it).
            if meeting.try_set(Some(loaded)).is_none() && shown {
                // Marks the moment the programme and the form are on screen (the frame after
                // this render), for `make bench` and for any real-user monitoring on the host
                // page (`performance.getEntriesByName("tilmelding-ready")`).
                request_animation_frame(|| {
                    if let Some(p) = window().performance() {
                        let _ = p.mark("tilmelding-ready");
                    }
                });
            }
        });
    };
    load();
    view! {
        <div class="tlm-root" lang=tr(lang, Lang::code)>
            <p class="tlm-lang">
                // Named in its own language, so it is found and pronounced by those who need it.
                <button type="button" class="tlm-link-button" lang=move || lang.get().other().code()
                    on:click=move |_| lang.update(|l| *l = l.other())>
                    {move || lang.get().other().switch_name()}
                </button>
            </p>
            {move || match meeting.get() {
                None => view! {
                    <p class="tlm-loading" role="status">{tr(lang, Lang::loading)}</p>
                }.into_any(),
                Some(Ok(m)) => view! {
                    <Programme meeting=m.clone()/>
                    <Registration meeting=m config=cfg.get_value()/>
                }.into_any(),
                Some(Err(e)) => view! { <LoadError error=e retry=load/> }.into_any(),
            }}
        </div>
    }
}

/// The meeting could not be shown: say why, and offer a retry where one can help.
#[component]
fn LoadError(error: MeetingError, retry: impl Fn() + 'static) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let can_retry = matches!(error, MeetingError::Unavailable(_));
    let text = move || match lang.get() {
        l if can_retry => l.load_failed(),
        l => l.load_malformed(),
    };
    let detail = move || match (&error, lang.get()) {
        (MeetingError::Unavailable(e), l) => e.message(l),
        (MeetingError::Malformed(detail), l) => format!("{}{detail}", l.technical_detail()),
    };
    view! {
        <div class="tlm-alert tlm-alert-error" role="alert">
            <p><strong>{text}</strong></p>
            <p class="tlm-detail">{detail}</p>
            {can_retry.then(|| view! {
                <button type="button" class="tlm-button" on:click=move |_| retry()>{tr(lang, Lang::retry)}</button>
            })}
        </div>
    }
}
