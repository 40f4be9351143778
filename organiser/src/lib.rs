//! The organiser page: sign in with the organiser's token, see who is coming per municipality,
//! decide membership applications, set the meeting's link, write to everyone registered,
//! download the list. Talks to the reference server through [`api`] only; the shapes and rules
//! come from the domain crate. [`pages`] are the page's two states, [`components`] the sections
//! of a meeting's page.

pub mod api;
pub mod components;
pub mod pages;
pub mod texts;

pub use pages::App;

use crate::api::ApiError;
use crate::texts::Texts;
use leptos::prelude::*;
use std::time::Duration;
use tilmelding_domain::Lang;
use wasm_bindgen::JsCast;

/// The token and the name live in the tab's `sessionStorage`: gone when the tab closes, never
/// in a URL or a cookie, never sent anywhere but in the `Authorization` header.
pub(crate) const TOKEN_KEY: &str = "tilmelding-organiser-token";
pub(crate) const NAME_KEY: &str = "tilmelding-organiser-name";

/// How often the overview is fetched again: new registrations appear within this.
pub(crate) const POLL: Duration = Duration::from_secs(5);

pub(crate) fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

pub(crate) fn stored(key: &str) -> Option<String> {
    session()?.get_item(key).ok()?
}

/// What every view needs: the language, the token (None: signed out), the organiser's name.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub lang: RwSignal<Lang>,
    pub token: RwSignal<Option<String>>,
    pub name: RwSignal<String>,
}

impl Ctx {
    /// A context for the views below, in `lang`, signed in with `token` as `name`, provided to
    /// them (the page's own comes from the tab's storage; the component tests make theirs).
    pub fn provide(lang: Lang, token: Option<String>, name: String) -> Ctx {
        let ctx = Ctx {
            lang: RwSignal::new(lang),
            token: RwSignal::new(token),
            name: RwSignal::new(name),
        };
        provide_context(ctx);
        ctx
    }

    /// The current language (tracked: a text read through it follows the switch).
    pub fn t(&self) -> Lang {
        self.lang.get()
    }

    pub fn sign_out(&self) {
        if let Some(s) = session() {
            let _ = s.remove_item(TOKEN_KEY);
        }
        self.token.set(None);
    }

    /// A failed call in words.
    pub fn message(&self, e: &ApiError) -> String {
        let t = self.lang.get_untracked();
        match e {
            ApiError::Unauthorized => t.wrong_token().into(),
            ApiError::Refused(m) => m.clone(),
            ApiError::Network => t.unreachable().into(),
        }
    }
}

/// Moves focus to the element with this id once the frame is drawn (the element is new in
/// it), unless the organiser has focused something else in the meantime: a field they chose
/// keeps its focus (WCAG 3.2.1). The widget's focus moves follow the same rule
/// (`tilmelding::dom::Focus::later`); this page is its own crate without the widget's.
pub(crate) fn focus_later(id: &'static str) {
    let focused = || {
        let doc = web_sys::window().and_then(|w| w.document())?;
        doc.active_element().filter(|a| {
            doc.body()
                .is_none_or(|b| *a != *b.unchecked_ref::<web_sys::Element>())
        })
    };
    let before = focused();
    leptos::prelude::request_animation_frame(move || {
        let now = focused();
        if now.is_none() || now == before {
            focus(id);
        }
    });
}

/// Moves focus to the element with this id (a heading after its buttons are gone, a form).
pub(crate) fn focus(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

pub(crate) fn municipality_name(code: u16) -> &'static str {
    tilmelding_domain::Municipality::by_code(code).map_or("", |m| m.name)
}
