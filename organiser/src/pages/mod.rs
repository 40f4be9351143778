//! The page's two pages: signing in, then a meeting.

pub mod meeting;
pub mod sign_in;

use crate::texts::Texts;
use crate::{Ctx, count_actions};
use crate::{NAME_KEY, TOKEN_KEY, stored};
use leptos::prelude::*;
use meeting::Dashboard;
use sign_in::SignIn;
use tilmelding_domain::Lang;

#[component]
pub fn App() -> impl IntoView {
    let ctx = Ctx::provide(
        Lang::Da,
        stored(TOKEN_KEY),
        stored(NAME_KEY).unwrap_or_default(),
    );
    count_actions();
    // The document's language and title follow the page's.
    Effect::new(move || {
        let lang = ctx.lang.get();
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute("lang", lang.code());
            }
            doc.set_title(lang.title());
        }
    });
    view! {
        <header class="org-top">
            <p class="org-brand">{move || ctx.t().title()}</p>
            <div class="org-actions">
                <button
                    type="button"
                    lang=move || ctx.lang.get().other().code()
                    on:click=move |_| ctx.lang.update(|l| *l = l.other())
                >
                    {move || ctx.t().other_language()}
                </button>
                <Show when=move || ctx.token.with(Option::is_some)>
                    <button type="button" on:click=move |_| ctx.sign_out()>
                        {move || ctx.t().sign_out()}
                    </button>
                </Show>
            </div>
        </header>
        <main>
            {move || match ctx.token.get() {
                None => view! { <SignIn /> }.into_any(),
                Some(token) => view! { <Dashboard token /> }.into_any(),
            }}
        </main>
    }
}
