//! The organiser page: sign in with the organiser's token, see who is coming per municipality,
//! decide membership applications, set the meeting's link, write to everyone registered,
//! download the list. Talks to the reference server through [`api`] only; the shapes and rules
//! come from the domain crate. [`pages`] are the page's two states, [`components`] the sections
//! of a meeting's page.

pub mod api;
pub mod components;
pub mod document;
pub mod meeting_texts;
pub mod pages;
pub mod texts;

pub use pages::App;

use crate::api::ApiError;
use crate::texts::Texts;
use leptos::prelude::*;
use std::cell::Cell;
use tilmelding_domain::Lang;
use wasm_bindgen::JsCast;

/// The token, or the session a sign-in link made, lives in the tab's `sessionStorage`: gone
/// when the tab closes, never in a URL or a cookie, never sent anywhere but in the
/// `Authorization` header.
pub(crate) const TOKEN_KEY: &str = "tilmelding-organiser-token";
/// The meeting chosen in the picker, kept for the tab: a reload opens the same meeting.
pub(crate) const MEETING_KEY: &str = "tilmelding-organiser-meeting";

pub(crate) fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

pub(crate) fn stored(key: &str) -> Option<String> {
    session()?.get_item(key).ok()?
}

/// What every view needs: the language, the token or session (None: signed out), and who
/// the server says that is (the records take it from there, never from the page).
#[derive(Clone, Copy)]
pub struct Ctx {
    pub lang: RwSignal<Lang>,
    pub token: RwSignal<Option<String>>,
    pub who: RwSignal<Option<tilmelding_domain::organiser::Organiser>>,
}

impl Ctx {
    /// A context for the views below, in `lang`, signed in with `token`, provided to them (the
    /// page's own comes from the tab's storage; the component tests make theirs).
    pub fn provide(lang: Lang, token: Option<String>) -> Ctx {
        let ctx = Ctx {
            lang: RwSignal::new(lang),
            token: RwSignal::new(token),
            who: RwSignal::new(None),
        };
        provide_context(ctx);
        ctx
    }

    /// The current language (tracked: a text read through it follows the switch).
    pub fn t(&self) -> Lang {
        self.lang.get()
    }

    /// Signs in with a token or session, kept for the tab.
    pub fn sign_in(&self, token: String, who: tilmelding_domain::organiser::Organiser) {
        if let Some(s) = session() {
            let _ = s.set_item(TOKEN_KEY, &token);
        }
        self.who.set(Some(who));
        self.token.set(Some(token));
    }

    /// Signs out: a session ends on the server too.
    pub fn sign_out(&self) {
        if let Some(token) = self.token.get_untracked() {
            leptos::task::spawn_local(async move {
                let _ = api::sign_out(&token).await;
            });
        }
        if let Some(s) = session() {
            let _ = s.remove_item(TOKEN_KEY);
        }
        self.who.set(None);
        self.token.set(None);
    }

    /// A failed call in words.
    pub fn message(&self, e: &ApiError) -> String {
        let t = self.lang.get_untracked();
        match e {
            ApiError::Unauthorized => t.wrong_token().into(),
            ApiError::Refused(m) | ApiError::Field { message: m, .. } => m.clone(),
            ApiError::Network => t.unreachable().into(),
        }
    }
}

thread_local! {
    /// How many times the organiser has pressed a key, pressed a pointer or typed on this page.
    static ACTED: Cell<u64> = const { Cell::new(0) };
}

/// Counts the organiser's actions on the page (see [`focus_later`]), in the capture phase:
/// before any handler sees them, so that a move scheduled by an action is not taken for one
/// made after it, wherever a move is scheduled. Installed once by the page; the component
/// tests, which mount sections alone, count nothing. The widget counts as events reach the
/// window, which its moves allow and its size budget prefers (`tilmelding::dom`); this page
/// is its own crate.
pub(crate) fn count_actions() {
    let count = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
        ACTED.with(|a| a.set(a.get() + 1));
    });
    if let Some(w) = web_sys::window() {
        for event in ["keydown", "pointerdown", "input"] {
            let _ = w.add_event_listener_with_callback_and_bool(
                event,
                count.as_ref().unchecked_ref(),
                true,
            );
        }
    }
    // Kept for the page's life, as the listeners are.
    count.forget();
}

/// A mark of the organiser's actions so far, to compare with later ([`focus_unless_acted`]).
pub(crate) fn actions() -> u64 {
    ACTED.with(Cell::get)
}

/// Moves focus to the element with this id once the frame is drawn (the element is new in
/// it), unless the organiser has acted since: whoever has pressed a key, clicked or typed
/// since the move was decided has moved on, even back into the very field they left, and
/// keeps their focus (WCAG 3.2.1).
pub(crate) fn focus_later(id: impl Into<String>) {
    focus_unless_acted(id, actions());
}

/// An action that waits for the server, and where focus goes when the answer comes: only if
/// the organiser has not acted since they took the action (moved on to another field while it
/// was sent, say).
#[derive(Clone, Copy)]
pub(crate) struct Since(StoredValue<u64>);

impl Since {
    pub(crate) fn new() -> Since {
        Since(StoredValue::new(actions()))
    }

    /// The action is taken now.
    pub(crate) fn mark(&self) {
        self.0.set_value(actions());
    }

    /// Its answer has come: focus goes to the element with this id, unless the organiser has
    /// acted since.
    pub(crate) fn focus(&self, id: impl Into<String>) {
        focus_unless_acted(id, self.0.get_value());
    }
}

/// Moves focus to the element with this id once the frame is drawn, unless the organiser has
/// acted since `mark` ([`actions`]): for a move decided before what it waits for arrives.
pub(crate) fn focus_unless_acted(id: impl Into<String>, mark: u64) {
    let id = id.into();
    leptos::prelude::request_animation_frame(move || {
        if actions() == mark {
            focus(&id);
        }
    });
}

/// Applies `change` (new data) to the page, keeping the focused element where it is on the
/// screen. Rows added above the field someone is typing in would push it down: Chromium's and
/// Firefox's scroll anchoring take some row as the anchor rather than the focused field, and
/// WebKit has none, so the page scrolls by what the field moved, before the frame is painted.
pub(crate) fn keeping_focus_in_place(change: impl FnOnce()) {
    fn focused_top() -> Option<f64> {
        let doc = web_sys::window()?.document()?;
        let focused = doc.active_element()?;
        if doc
            .body()
            .is_some_and(|b| *b.unchecked_ref::<web_sys::Element>() == focused)
        {
            return None;
        }
        Some(focused.get_bounding_client_rect().top())
    }
    let before = focused_top();
    change();
    if let Some(before) = before {
        leptos::prelude::request_animation_frame(move || {
            if let (Some(after), Some(w)) = (focused_top(), web_sys::window()) {
                let moved = after - before;
                if moved.abs() >= 1.0 {
                    w.scroll_by_with_x_and_y(0.0, moved);
                }
            }
        });
    }
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

/// A section's visible status line: what the organiser's last action there did, shown beside
/// it and announced politely. Always in the page, so that screen readers follow it.
#[component]
pub fn StatusLine(
    /// What the last action did, in words (empty: nothing yet).
    text: RwSignal<String>,
) -> impl IntoView {
    view! { <p class="org-status" role="status">{move || text.get()}</p> }
}

pub(crate) fn municipality_name(code: u16) -> &'static str {
    tilmelding_domain::Municipality::by_code(code).map_or("", |m| m.name)
}
