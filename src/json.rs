//! JSON in the browser, through the browser's own `JSON.parse` and `JSON.stringify`.
//!
//! Why not serde_json: its parser, its float reading and writing tables and its error texts
//! cost tens of kilobytes in the bundle (issue 9), while every browser already ships a fast
//! JSON codec. `serde-wasm-bindgen` maps between JavaScript values and the same serde types
//! the server uses, so app and server still share one definition of every shape.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

/// Parses JSON text into `T`; the error says what was wrong (for a technical detail line).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|e| js_message(&e))?;
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// `value` as a JavaScript value with JSON's shapes: objects for maps, `null` for `None`.
pub fn to_value<T: Serialize>(value: &T) -> Result<JsValue, String> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())
}

/// `value` as JSON text.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    let js = to_value(value)?;
    js_sys::JSON::stringify(&js)
        .map(String::from)
        .map_err(|e| js_message(&e))
}

/// The message of a JavaScript exception (e.g. a `SyntaxError` from `JSON.parse`).
fn js_message(e: &JsValue) -> String {
    js_sys::Error::from(e.clone()).message().into()
}
