//! Small browser helpers the views share: focus management, the clock, random keys, downloads.

use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::JsCast;

/// Where the widget's elements live: its shadow root, or the document (components mounted on
/// their own, as in the component tests). Element ids are unique within it, so several widgets
/// on one page never find each other's elements.
#[derive(Clone, Debug, Default)]
pub struct Root(pub Option<web_sys::ShadowRoot>);

impl Root {
    /// The element that has focus in the widget, if any (not the page's body).
    fn focused(&self) -> Option<web_sys::Element> {
        let doc = leptos::prelude::document();
        let active = match &self.0 {
            Some(shadow) => shadow.active_element(),
            None => doc.active_element(),
        };
        active.filter(|a| {
            doc.body()
                .is_none_or(|b| *a != *b.unchecked_ref::<web_sys::Element>())
        })
    }

    fn element(&self, id: &str) -> Option<web_sys::HtmlElement> {
        match &self.0 {
            Some(shadow) => shadow.get_element_by_id(id),
            None => leptos::prelude::document().get_element_by_id(id),
        }
        .and_then(|e| e.dyn_into().ok())
    }
}

thread_local! {
    /// Key presses, pointer presses and typing on the page so far.
    static ACTED: Cell<u64> = const { Cell::new(0) };
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

/// Counts the person's actions on the page, once per page, as they reach the window (these
/// events are composed: they leave the shadow root). That is after the widget's own handlers of
/// the same event, so a move is scheduled from the click or submit an action leads to, or from
/// an effect, never from a keydown or input handler itself, which would count as an action
/// after it. (Leptos's own listener, already in the bundle: a capture-phase one of our own cost
/// 160 more bytes brotli over both bundles.)
fn count_actions() {
    if COUNTING.replace(true) {
        return;
    }
    for event in ["keydown", "pointerdown", "input"] {
        _ = window_event_listener_untyped(event, |_| ACTED.set(ACTED.get() + 1));
    }
}

/// Moves focus inside the widget, by element id. Taken while a component is set up (from the
/// [`Root`] in context) and copied into handlers, which run outside the component's context.
#[derive(Clone, Copy)]
pub struct Focus(StoredValue<Root, LocalStorage>);

impl Focus {
    /// The focus mover for the widget this component is in.
    pub fn new() -> Focus {
        count_actions();
        Focus(StoredValue::new_local(
            use_context::<Root>().unwrap_or_default(),
        ))
    }

    /// Moves focus to the element with this id now, if it exists.
    pub fn now(self, id: &str) {
        if let Some(el) = self.0.with_value(|r| r.element(id)) {
            let _ = el.focus();
        }
    }

    /// Moves focus once the current render has reached the DOM, so a screen reader user lands
    /// on each new step (its heading has `tabindex="-1"`) — unless the person has moved on in
    /// the meantime: pressed a key, clicked or typed (even back in the very field they left),
    /// or focused something else. What they chose keeps its focus (taking it away would be an
    /// unexpected change of context, WCAG 3.2.1). Browsers run that frame late at times
    /// (WebKit under load), and a person may be typing by then.
    pub fn later(self, id: impl Into<String>) {
        let id = id.into();
        let (before, acted) = (self.0.with_value(Root::focused), ACTED.get());
        request_animation_frame(move || {
            // The widget may be gone by then (a host page that removes it).
            let Some(now) = self.0.try_with_value(Root::focused) else {
                return;
            };
            if ACTED.get() == acted && (now.is_none() || now == before) {
                self.now(&id);
            }
        });
    }
}

impl Default for Focus {
    fn default() -> Self {
        Self::new()
    }
}

/// Seconds since the Unix epoch, from the browser's clock.
pub fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// A new idempotency key: 128 random bits from the browser's `crypto.getRandomValues`
/// (available on plain http too, unlike `crypto.randomUUID`), hex. Secret, not just unique: the
/// reference server answers a replayed submission with a manage link of its own, so a key
/// must not be guessable.
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = window()
        .crypto()
        .is_ok_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto (very old browsers): weaker, but still a key.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{:x}-{hex}", js_sys::Date::now() as u64)
}

/// A `data:` URL for a small text file, for a download link. Not a `blob:` URL: it needs no
/// clean-up and no `blob:` source in the host page's Content-Security-Policy.
pub fn text_file_url(text: &str, mime: &str) -> String {
    format!(
        "data:{mime},{}",
        String::from(js_sys::encode_uri_component(text))
    )
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = leptos::prelude::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Whether the browser believes it is online.
pub fn online() -> bool {
    leptos::prelude::window().navigator().on_line()
}

/// Resolves when the browser comes back online.
pub async fn until_online() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let opts = web_sys::AddEventListenerOptions::new();
        opts.set_once(true);
        let _ = leptos::prelude::window()
            .add_event_listener_with_callback_and_add_event_listener_options(
                "online", &resolve, &opts,
            );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The page's local storage, if the browser allows it (locked-down office PCs may not).
pub fn local_storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}
