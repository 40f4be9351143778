//! The online meeting's link: the one set, and a form to set or change it.

use crate::Ctx;
use crate::api;
use crate::texts::{Phrases, Texts};
use leptos::prelude::*;
use tilmelding_domain::organiser::Overview;

/// The online meeting's link: the one set, and a form to set or change it (which mails it to
/// everyone registered).
#[component]
pub fn JoinLinkForm(
    /// The overview the page polls; it says which link is set.
    current: RwSignal<Option<Overview>>,
    /// The organiser's token.
    token: String,
    /// The meeting's id.
    meeting: String,
    /// The page's polite status line: what saving did.
    status: RwSignal<String>,
    /// Fetches the overview again after saving.
    refresh: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (token, meeting) = (StoredValue::new(token), StoredValue::new(meeting));
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let now = move || current.with(|o| o.as_ref().and_then(|o| o.join_url.clone()));
    let save = Action::new_local(move |url: &String| {
        let (url, lang) = (url.clone(), ctx.lang.get_untracked());
        async move { api::set_join_link(&meeting.get_value(), &url, &token.get_value(), lang).await }
    });
    Effect::new(move || {
        if let Some(done) = save.value().get() {
            match done {
                Ok(n) => {
                    error.set(None);
                    typed.set(String::new());
                    status.set(ctx.lang.get_untracked().join_sent(n));
                }
                // Shown next to the field, which keeps what was typed.
                Err(e) => error.set(Some(ctx.message(&e))),
            }
            refresh.run(());
        }
    });
    view! {
        <section class="org-card" aria-labelledby="org-join">
            <h2 id="org-join">{move || ctx.t().join_title()}</h2>
            <p>
                {move || match now() {
                    Some(url) => view! { {ctx.t().join_now()} " " <a href=url.clone()>{url.clone()}</a> }.into_any(),
                    None => view! { {ctx.t().join_none()} }.into_any(),
                }}
            </p>
            <form on:submit=move |ev| {
                ev.prevent_default();
                let url = typed.get_untracked().trim().to_owned();
                if !url.is_empty() {
                    save.dispatch(url);
                }
            }>
                <div class="org-field">
                    <label for="org-join-url">{move || ctx.t().join_label()}</label>
                    <p class="org-hint" id="org-join-hint">{move || ctx.t().join_hint()}</p>
                    <input
                        id="org-join-url"
                        type="url"
                        inputmode="url"
                        autocomplete="off"
                        required
                        aria-describedby="org-join-hint"
                        aria-invalid=move || error.get().map(|_| "true")
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                    <p class="org-error" role="alert">{move || error.get()}</p>
                </div>
                <div class="org-buttons">
                    <button type="submit" class="org-primary" disabled=move || save.pending().get()>
                        {move || ctx.t().join_save()}
                    </button>
                </div>
            </form>
        </section>
    }
}
