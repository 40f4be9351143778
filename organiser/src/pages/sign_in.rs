//! Signing in: with a link by mail, where the server offers it (the organiser's own name and
//! address then stand in every record), or with the organiser token (recorded as "token").
//! A link opens this page with `#sign-in=…`: the page takes it at once, and takes it out of the
//! address, so it is neither bookmarked nor sent again.

use crate::api;
use crate::texts::Texts;
use crate::{Ctx, Since};
use leptos::prelude::*;

/// The token a sign-in link carries, if the page was opened with one; it leaves the address.
fn link_in_address() -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let link = hash.strip_prefix("#sign-in=")?.to_owned();
    if let Ok(history) = window.history() {
        let path = window.location().pathname().unwrap_or_default();
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    (!link.is_empty()).then_some(link)
}

#[component]
pub fn SignIn() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let token = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let link_error = RwSignal::new(None::<String>);
    let sent = RwSignal::new(false);
    let since = Since::new();
    let options = LocalResource::new(move || api::sign_in_options(ctx.lang.get()));
    let by_mail = move || {
        options
            .get()
            .and_then(Result::ok)
            .is_some_and(|o| o.by_mail)
    };
    // A link from the mail: a session for this tab, or why not. Opened in a new tab the page
    // loads with it; pasted into this tab's address only the fragment changes.
    let take = move || {
        if let Some(link) = link_in_address() {
            leptos::task::spawn_local(async move {
                match api::take_link(&link, ctx.lang.get_untracked()).await {
                    Ok(s) => ctx.sign_in(s.session, s.organiser),
                    Err(e) => {
                        link_error.set(Some(ctx.message(&e)));
                        since.focus("org-link-error");
                    }
                }
            });
        }
    };
    take();
    let listening = window_event_listener(leptos::ev::hashchange, move |_| take());
    on_cleanup(move || listening.remove());
    let check = Action::new_local(move |given: &String| {
        let (given, lang) = (given.clone(), ctx.lang.get_untracked());
        since.mark();
        async move {
            let answer = api::me(&given, lang).await;
            (given, answer)
        }
    });
    Effect::new(move || {
        let Some((given, answer)) = check.value().get() else {
            return;
        };
        match answer {
            Ok(who) => ctx.sign_in(given, who),
            // Back to the token, which the message describes.
            Err(e) => {
                error.set(Some(ctx.message(&e)));
                since.focus("org-token");
            }
        }
    });
    let ask = Action::new_local(move |address: &String| {
        let (address, lang) = (address.clone(), ctx.lang.get_untracked());
        since.mark();
        async move { api::ask_link(&address, lang).await }
    });
    Effect::new(move || match ask.value().get() {
        Some(Ok(())) => {
            sent.set(true);
            link_error.set(None);
            since.focus("org-link-sent");
        }
        Some(Err(e)) => {
            link_error.set(Some(ctx.message(&e)));
            since.focus("org-email");
        }
        None => {}
    });
    let link_failed = move || link_error.with(Option::is_some);
    view! {
        <section class="org-card org-sign-in" aria-labelledby="org-sign-in-title">
            <h1 id="org-sign-in-title">{move || ctx.t().sign_in()}</h1>
            <p id="org-link-error" class="org-error" role="alert" tabindex="-1">
                {move || link_error.get()}
            </p>
            <Show when=by_mail>
                <h2>{move || ctx.t().by_mail()}</h2>
                <p>{move || ctx.t().by_mail_intro()}</p>
                <form on:submit=move |ev| {
                    ev.prevent_default();
                    if ask.pending().get_untracked() {
                        return;
                    }
                    sent.set(false);
                    ask.dispatch(email.get_untracked().trim().to_owned());
                }>
                    <div class="org-field">
                        <label for="org-email">{move || ctx.t().your_email()}</label>
                        <input
                            id="org-email"
                            type="email"
                            autocomplete="email"
                            required
                            aria-describedby="org-link-error"
                            aria-invalid=move || link_failed().then_some("true")
                            prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev))
                        />
                    </div>
                    <button type="submit" class="org-primary" aria-disabled=move || ask.pending().get().then_some("true")>
                        {move || ctx.t().send_link()}
                    </button>
                </form>
                <p id="org-link-sent" class="org-status" role="status" tabindex="-1">
                    {move || sent.get().then(|| ctx.t().link_sent())}
                </p>
                <h2>{move || ctx.t().by_token()}</h2>
            </Show>
            <p>{move || ctx.t().sign_in_intro()}</p>
            <form on:submit=move |ev| {
                ev.prevent_default();
                if check.pending().get_untracked() {
                    return;
                }
                error.set(None);
                check.dispatch(token.get_untracked().trim().to_owned());
            }>
                <div class="org-field">
                    <label for="org-token">{move || ctx.t().token()}</label>
                    <input
                        id="org-token"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-describedby="org-token-error"
                        aria-invalid=move || error.with(Option::is_some).to_string()
                        prop:value=move || token.get()
                        on:input=move |ev| token.set(event_target_value(&ev))
                    />
                    <p id="org-token-error" class="org-error" role="alert">
                        {move || error.get()}
                    </p>
                </div>
                // Not `disabled` while it checks: a disabled button loses the focus.
                <button type="submit" class="org-primary" aria-disabled=move || check.pending().get().then_some("true")>
                    {move || ctx.t().sign_in()}
                </button>
            </form>
        </section>
    }
}
