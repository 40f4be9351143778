//! Small browser helpers the views share: focus management, the clock, random keys, downloads.

use wasm_bindgen::JsCast;

/// Moves focus to the element with this id once the current render has reached the DOM, so a
/// screen reader user lands on each new step (its heading has `tabindex="-1"`).
pub fn focus_later(id: &'static str) {
    leptos::prelude::request_animation_frame(move || focus(id));
}

/// Moves focus to the element with this id now, if it exists.
pub fn focus(id: &str) {
    if let Some(el) = leptos::prelude::document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Seconds since the Unix epoch, from the browser's clock.
pub fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// A new idempotency key: time plus randomness, hex. It only has to be unique per submission,
/// not secret, so `Math.random` (available everywhere, unlike `crypto.randomUUID` on plain
/// http) is enough.
pub fn new_key() -> String {
    let r1 = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let r2 = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    format!("{:x}-{r1:08x}{r2:08x}", js_sys::Date::now() as u64)
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
