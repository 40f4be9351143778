//! The whole widget: loads the meeting, shows the programme, then the bundle's body (the
//! registration flow, or the manage view).

use crate::api::{self, MeetingError};
use crate::components::programme::Programme;
use crate::config::Config;
use crate::handover::Handover;
use crate::i18n::prelude::*;
use leptos::prelude::*;
use tilmelding_domain::Meeting;

/// What a bundle shows below the programme: the registration (the widget's main bundle), or
/// a submission opened through its manage link (the manage bundle). Each bundle's entry point
/// passes its own, so neither carries the other's code.
pub type Body = fn(Meeting, Config) -> AnyView;

/// Root component.
#[component]
pub fn App(
    /// Configuration read from the host element.
    config: Config,
    /// What shows below the programme.
    body: Body,
) -> impl IntoView {
    let lang = RwSignal::new(config.lang);
    provide_context(lang);
    let cfg = StoredValue::new(config);
    let meeting = LocalResource::new(move || async move { api::meeting(&cfg.get_value()).await });
    // Marks the moment the programme and the form are on screen (the frame after this render),
    // for `make bench` and for any real-user monitoring on the host page
    // (`performance.getEntriesByName("tilmelding-ready")`; `tilmelding-programme` too, when
    // the loader showed no pre-rendered programme earlier). In the same frame the app takes
    // the pre-rendered widget's place. The outside world here is the page's performance
    // timeline and the loader's early markup.
    let handover = use_context::<Option<Handover>>().flatten();
    Effect::new(move |_| {
        let Some(loaded) = meeting.with(|m| m.as_ref().map(Result::is_ok)) else {
            return;
        };
        let handover = handover.clone();
        request_animation_frame(move || {
            // The app goes on in the language the visitor read the early widget in.
            if let Some(l) = handover.and_then(|h| h.finish())
                && l != lang.get_untracked()
            {
                lang.set(l);
            }
            if let (true, Some(p)) = (loaded, window().performance()) {
                if p.get_entries_by_name("tilmelding-programme").length() == 0 {
                    let _ = p.mark("tilmelding-programme");
                }
                let _ = p.mark("tilmelding-ready");
            }
        });
    });
    view! {
        <div class="tlm-root" part="root" lang=tr(lang, Lang::code)>
            <LangSwitch/>
            // Explicit states rather than `<Suspense>`: the loading text is a live status, and
            // a failed load offers a retry in place.
            {move || match meeting.get() {
                None => view! {
                    <p class="tlm-loading" role="status">{tr(lang, Lang::loading)}</p>
                }.into_any(),
                Some(Ok(m)) => view! {
                    <Programme meeting=m.clone()/>
                    {body(m, cfg.get_value())}
                }.into_any(),
                Some(Err(e)) => view! { <LoadError error=e retry=move || meeting.refetch()/> }.into_any(),
            }}
        </div>
    }
}

/// The switch to the other language (pre-rendered with the programme too).
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="tlm-lang">
            // Named in its own language, so it is found and pronounced by those who need it.
            <button type="button" class="tlm-link-button" lang=move || lang.get().other().code()
                on:click=move |_| lang.update(|l| *l = l.other())>
                {move || lang.get().other().switch_name()}
            </button>
        </p>
    }
}

/// The meeting could not be shown: say why, and offer a retry where one can help.
#[component]
fn LoadError(error: MeetingError, retry: impl Fn() + 'static) -> impl IntoView {
    let lang = use_lang();
    let can_retry = matches!(error, MeetingError::Unavailable(_));
    let text = move || match lang.get() {
        l if can_retry => l.load_failed(),
        l => l.load_malformed(),
    };
    let detail = move || match (&error, lang.get()) {
        (MeetingError::Unavailable(e), l) => e.message(l),
        // Where, in the page's language; what is wrong is on the organiser page, worded for the
        // one who fixes it.
        (MeetingError::Malformed(field), l) => l.mistake_at(field),
    };
    view! {
        <div class="tlm-alert tlm-alert-error" role="alert">
            <p><strong>{text}</strong></p>
            <p class="tlm-detail">{detail}</p>
            {can_retry.then(|| view! {
                <button part="button" type="button" class="tlm-button" on:click=move |_| retry()>{tr(lang, Lang::retry)}</button>
            })}
        </div>
    }
}
