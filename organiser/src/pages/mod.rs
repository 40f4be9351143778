//! The page's pages: signing in, then a meeting's registrations, the meetings themselves, or
//! the network's members.

pub mod meeting;
pub mod meetings;
pub mod members;
pub mod sign_in;

use crate::meeting_texts::MeetingTexts;
use crate::session;
use crate::texts::{Phrases, Texts};
use crate::{Ctx, count_actions};
use crate::{TOKEN_KEY, api, stored};
use leptos::prelude::*;
use meeting::Dashboard;
use meetings::Meetings;
use members::MembersPage;
use sign_in::SignIn;
use tilmelding_domain::Lang;

#[component]
pub fn App() -> impl IntoView {
    let ctx = Ctx::provide(Lang::Da, stored(TOKEN_KEY));
    count_actions();
    // A token or session kept for the tab: who it is, or signed out if it is over.
    if let Some(token) = ctx.token.get_untracked() {
        leptos::task::spawn_local(async move {
            match api::me(&token, ctx.lang.get_untracked()).await {
                Ok(who) => ctx.who.set(Some(who)),
                Err(api::ApiError::Unauthorized) => ctx.sign_out(),
                Err(_) => {}
            }
        });
    }
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
                    <p class="org-who">
                        {move || ctx.who.get().map(|w| ctx.t().signed_in_as(&w.name))}
                    </p>
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

/// The signed-in organiser's pages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Page {
    Registrations,
    Meetings,
    Members,
}

impl Page {
    const ALL: [Page; 3] = [Page::Registrations, Page::Meetings, Page::Members];

    /// As kept for the tab.
    fn key(self) -> &'static str {
        match self {
            Page::Registrations => "registrations",
            Page::Meetings => "meetings",
            Page::Members => "members",
        }
    }
}

/// Signed in: the registrations of a meeting, the meetings, or the members, with the choice
/// between them.
#[component]
fn Signed(token: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let kept = stored(PAGE_KEY);
    let page = RwSignal::new(
        Page::ALL
            .into_iter()
            .find(|p| Some(p.key()) == kept.as_deref())
            .unwrap_or(Page::Registrations),
    );
    let go = move |to: Page| {
        if let Some(s) = session() {
            let _ = s.set_item(PAGE_KEY, to.key());
        }
        page.set(to);
    };
    let current = move |mine: Page| (page.get() == mine).then_some("page");
    let button = move |to: Page, id: &'static str, label: fn(Lang) -> &'static str| {
        view! {
            <button type="button" id=id aria-current=move || current(to) on:click=move |_| go(to)>
                {move || label(ctx.t())}
            </button>
        }
    };
    view! {
        <nav class="org-nav" aria-label=move || ctx.t().nav_label()>
            {button(Page::Registrations, "org-nav-registrations", Lang::nav_registrations)}
            {button(Page::Meetings, "org-nav-meetings", Lang::nav_meetings)}
            {button(Page::Members, "org-nav-members", Lang::nav_members)}
        </nav>
        {move || match page.get() {
            Page::Meetings => view! { <Meetings token=token.clone() /> }.into_any(),
            Page::Members => view! { <MembersPage token=token.clone() /> }.into_any(),
            Page::Registrations => view! { <Dashboard token=token.clone() /> }.into_any(),
        }}
    }
}
