//! The meeting as its public page will look, drawn live by the widget's own components
//! (`tilmelding::components::public::PublicPage`, the same that the server pre-renders) in a
//! shadow root with the widget's own stylesheet, as on a host page: at a wide screen's width
//! or a phone's.

use crate::Ctx;
use crate::meeting_texts::MeetingTexts;
use leptos::html;
use leptos::prelude::*;
use tilmelding::components::public::PublicPage;
use tilmelding_domain::Meeting;
use wasm_bindgen::JsCast;

/// The widget's stylesheet, as a host page links it (the server serves the widget's files).
const STYLESHEET: &str = "/tilmelding.css";

/// A phone's width, for the preview of how the page looks on one.
const MOBILE: &str = "375px";

#[component]
pub fn Preview(
    /// The meeting as last written without a mistake (none before the first such).
    meeting: Signal<Option<Meeting>>,
    /// Whether what is written now has a mistake (the preview then shows the last good one).
    stale: Signal<bool>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let mobile = RwSignal::new(false);
    let host = NodeRef::<html::Div>::new();
    // The widget's own language signal, as its components read it, following the page's.
    let lang = RwSignal::new(ctx.lang.get_untracked());
    Effect::new(move || lang.set(ctx.lang.get()));
    let mounted = StoredValue::new_local(
        None::<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
    );
    Effect::new(move || {
        let Some(host) = host.get() else { return };
        if mounted.with_value(Option::is_some) {
            return;
        }
        let init = web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open);
        let Ok(shadow) = host.attach_shadow(&init) else {
            return;
        };
        let doc = document();
        let (Ok(link), Ok(parent)) = (doc.create_element("link"), doc.create_element("div")) else {
            return;
        };
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", STYLESHEET);
        let _ = shadow.append_child(&link);
        let _ = shadow.append_child(&parent);
        let parent: web_sys::HtmlElement = parent.unchecked_into();
        let now = (js_sys::Date::now() / 1000.0) as i64;
        let handle = leptos::mount::mount_to(parent, move || {
            provide_context(lang);
            view! {
                <div class="tlm-root" part="root" lang=move || lang.get().code()>
                    {move || meeting.get().map(|meeting| view! { <PublicPage meeting now/> })}
                </div>
            }
            .into_any()
        });
        mounted.set_value(Some(handle));
    });
    on_cleanup(move || {
        // The preview's own views go with it.
        let _ = mounted.try_update_value(Option::take);
    });
    view! {
        <section class="org-card org-preview" aria-labelledby="org-preview-title">
            <h2 id="org-preview-title">{move || ctx.t().preview()}</h2>
            <div class="org-buttons" role="group" aria-labelledby="org-preview-title">
                <button type="button" aria-pressed=move || (!mobile.get()).to_string()
                    on:click=move |_| mobile.set(false)>
                    {move || ctx.t().preview_wide()}
                </button>
                <button type="button" aria-pressed=move || mobile.get().to_string()
                    on:click=move |_| mobile.set(true)>
                    {move || ctx.t().preview_mobile()}
                </button>
            </div>
            <p class="org-hint" role="status">
                {move || stale.get().then(|| ctx.t().preview_stale())}
            </p>
            <div class="org-preview-frame" style:max-width=move || mobile.get().then_some(MOBILE)>
                <div node_ref=host></div>
            </div>
        </section>
    }
}
