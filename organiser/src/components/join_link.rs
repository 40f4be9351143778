//! The online meeting's link: the one set, and a form to set or change it, which asks before
//! it mails the link to everyone registered.

use crate::api;
use crate::texts::{Phrases, Texts};
use crate::{Ctx, Since, StatusLine, focus_later};
use leptos::prelude::*;
use tilmelding_domain::Meeting;
use tilmelding_domain::messages::Refusal;
use tilmelding_domain::organiser::Overview;

/// The online meeting's link: the one set, and a form to set or change it (which mails it to
/// everyone registered, once the organiser has seen how many that is and confirmed).
#[component]
pub fn JoinLinkForm(
    /// The overview the page fetches; it says which link is set, and how many it would reach.
    current: RwSignal<Option<Overview>>,
    /// The organiser's token.
    token: String,
    /// The meeting's id.
    meeting: String,
    /// Fetches the overview again after saving.
    refresh: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (token, meeting) = (StoredValue::new(token), StoredValue::new(meeting));
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    // The link about to be sent, while the organiser is asked to confirm it.
    let confirming = RwSignal::new(None::<String>);
    let now = move || current.with(|o| o.as_ref().and_then(|o| o.join_url.clone()));
    let reach = move || current.with(|o| o.as_ref().map_or(0, |o| o.totals.registered));
    let since = Since::new();
    let save = Action::new_local(move |url: &String| {
        let (url, lang) = (url.clone(), ctx.lang.get_untracked());
        since.mark();
        async move { api::set_join_link(&meeting.get_value(), &url, &token.get_value(), lang).await }
    });
    Effect::new(move || {
        if let Some(done) = save.value().get() {
            confirming.set(None);
            match done {
                Ok(n) => {
                    error.set(None);
                    typed.set(String::new());
                    status.set(ctx.lang.get_untracked().join_sent(n));
                    since.focus("org-join");
                }
                // Shown next to the field, which keeps what was typed.
                Err(e) => {
                    error.set(Some(ctx.message(&e)));
                    since.focus("org-join-url");
                }
            }
            refresh.run(());
        }
    });
    let busy = move || save.pending().get();
    view! {
        <section class="org-card" aria-labelledby="org-join">
            <h2 id="org-join" tabindex="-1">{move || ctx.t().join_title()}</h2>
            <StatusLine text=status />
            <p>
                {move || match now() {
                    Some(url) => view! { {ctx.t().join_now()} " " <a href=url.clone()>{url.clone()}</a> }.into_any(),
                    None => view! { {ctx.t().join_none()} }.into_any(),
                }}
            </p>
            <form on:submit=move |ev| {
                ev.prevent_default();
                let url = typed.get_untracked().trim().to_owned();
                if url.is_empty() {
                    return;
                }
                // The server's own rule, checked before anyone is asked to confirm a link
                // that would be refused.
                if Meeting::is_join_url(&url) {
                    error.set(None);
                    confirming.set(Some(url));
                    focus_later("org-join-confirm");
                } else {
                    error.set(Some(Refusal::InvalidJoinUrl.message(ctx.lang.get_untracked())));
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
                        aria-describedby="org-join-hint org-join-error"
                        aria-invalid=move || error.get().map(|_| "true")
                        prop:value=move || typed.get()
                        on:input=move |ev| {
                            // A changed link is not the one confirmed.
                            confirming.set(None);
                            typed.set(event_target_value(&ev));
                        }
                    />
                    <p class="org-error" id="org-join-error" role="alert">{move || error.get()}</p>
                </div>
                <Show
                    when=move || confirming.with(Option::is_some)
                    fallback=move || view! {
                        <div class="org-buttons">
                            <button type="submit" class="org-primary">{move || ctx.t().join_save()}</button>
                        </div>
                    }
                >
                    <div class="org-confirm" role="group" aria-labelledby="org-join-confirm">
                        <p id="org-join-confirm" tabindex="-1">
                            <strong>{move || ctx.lang.get().join_confirm(reach())}</strong>
                        </p>
                        <div class="org-buttons">
                            // Not `disabled` while sending: a disabled button loses the focus.
                            <button
                                type="button"
                                class="org-primary"
                                aria-disabled=move || busy().then_some("true")
                                on:click=move |_| {
                                    if let Some(url) = confirming.get_untracked().filter(|_| !busy()) {
                                        save.dispatch(url);
                                    }
                                }
                            >
                                {move || ctx.lang.get().join_send(reach())}
                            </button>
                            <button type="button" on:click=move |_| {
                                confirming.set(None);
                                focus_later("org-join-url");
                            }>
                                {move || ctx.t().cancel()}
                            </button>
                        </div>
                    </div>
                </Show>
            </form>
        </section>
    }
}
