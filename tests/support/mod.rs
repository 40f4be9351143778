//! What the component tests of the widget (`tests/components.rs`) and of the organiser page
//! (`organiser/tests/components.rs`) share: a fresh element to mount into, waiting for the
//! page to settle, finding elements, and events as the browser sends them.
#![allow(dead_code)]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// A fresh element in the page to mount into.
pub fn host() -> HtmlElement {
    let doc = document();
    let el: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

/// Lets effects, rendering and pending fetches run.
pub async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits (up to 5 s) until `ready` holds.
pub async fn until(what: &str, ready: impl Fn() -> bool) {
    for _ in 0..250 {
        if ready() {
            return;
        }
        settle().await;
    }
    panic!("timed out waiting for {what}");
}

pub fn find(root: &Element, css: &str) -> Option<Element> {
    root.query_selector(css).unwrap()
}

pub fn text(root: &Element, css: &str) -> Option<String> {
    find(root, css)?.text_content()
}

pub fn all(root: &Element, css: &str) -> Vec<Element> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

/// The button whose visible text is `text`.
pub fn button(root: &Element, text: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button {text:?}"))
        .unchecked_into()
}

pub fn dispatch(el: &Element, event: &web_sys::Event) {
    el.dispatch_event(event).unwrap();
}

pub fn bubbling(kind: &str) -> web_sys::Event {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    web_sys::Event::new_with_event_init_dict(kind, &init).unwrap()
}

/// Types `text` into an input or a text area as a person would: the value changes, then
/// `input` fires.
pub fn type_into(input: &Element, text: &str) {
    js_sys::Reflect::set(input, &"value".into(), &text.into()).unwrap();
    dispatch(input, &bubbling("input"));
}
