//! Signing in with the organiser's token and name.

use crate::api;
use crate::texts::Texts;
use crate::{Ctx, NAME_KEY, Since, TOKEN_KEY, session};
use leptos::prelude::*;

#[component]
pub fn SignIn() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let token = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let since = Since::new();
    let check = Action::new_local(move |given: &String| {
        let (given, lang) = (given.clone(), ctx.lang.get_untracked());
        since.mark();
        async move {
            let answer = api::meetings(&given, lang).await;
            (given, answer)
        }
    });
    Effect::new(move || {
        let Some((given, answer)) = check.value().get() else {
            return;
        };
        match answer {
            Ok(_) => {
                if let Some(s) = session() {
                    let _ = s.set_item(TOKEN_KEY, &given);
                    let _ = s.set_item(NAME_KEY, &ctx.name.get_untracked());
                }
                ctx.token.set(Some(given));
            }
            // Back to the token, which the message describes.
            Err(e) => {
                error.set(Some(ctx.message(&e)));
                since.focus("org-token");
            }
        }
    });
    view! {
        <section class="org-card org-sign-in" aria-labelledby="org-sign-in-title">
            <h1 id="org-sign-in-title">{move || ctx.t().sign_in()}</h1>
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
                    <label for="org-name">{move || ctx.t().your_name()}</label>
                    <input
                        id="org-name"
                        type="text"
                        autocomplete="name"
                        aria-describedby="org-name-hint"
                        prop:value=move || ctx.name.get()
                        on:input=move |ev| ctx.name.set(event_target_value(&ev))
                    />
                    <p id="org-name-hint" class="org-hint">{move || ctx.t().your_name_hint()}</p>
                </div>
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
