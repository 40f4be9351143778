//! The page's pages: signing in, then a meeting's registrations, or the meetings themselves.

pub mod meeting;
pub mod meetings;
pub mod sign_in;

use crate::meeting_texts::MeetingTexts;
use crate::session;
use crate::texts::Texts;
use crate::{Ctx, count_actions};
use crate::{NAME_KEY, TOKEN_KEY, stored};
use leptos::prelude::*;
use meeting::Dashboard;
use meetings::Meetings;
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
                Some(token) => view! { <Signed token /> }.into_any(),
            }}
        </main>
    }
}

/// Which page a signed-in organiser sees, kept for the tab.
const PAGE_KEY: &str = "tilmelding-organiser-page";

/// Signed in: the registrations of a meeting, or the meetings, with the choice between them.
#[component]
fn Signed(token: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let meetings = RwSignal::new(stored(PAGE_KEY).as_deref() == Some("meetings"));
    let go = move |to_meetings: bool| {
        if let Some(s) = session() {
            let _ = s.set_item(
                PAGE_KEY,
                if to_meetings {
                    "meetings"
                } else {
                    "registrations"
                },
            );
        }
        meetings.set(to_meetings);
    };
    let current = move |mine: bool| (meetings.get() == mine).then_some("page");
    view! {
        <nav class="org-nav" aria-label=move || ctx.t().nav_meetings()>
            <button type="button" aria-current=move || current(false) on:click=move |_| go(false)>
                {move || ctx.t().nav_registrations()}
            </button>
            <button type="button" id="org-nav-meetings" aria-current=move || current(true) on:click=move |_| go(true)>
                {move || ctx.t().nav_meetings()}
            </button>
        </nav>
        {move || if meetings.get() {
            view! { <Meetings token=token.clone() /> }.into_any()
        } else {
            view! { <Dashboard token=token.clone() /> }.into_any()
        }}
    }
}
