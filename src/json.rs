//! JSON in the browser: the browser's own `JSON.parse` reads the text, and the shared types
//! read themselves from the parsed value through `tilmelding_domain::json`.
//!
//! Why not serde in the bundle: serde_json's parser and float tables, and serde's derived
//! decoders, cost tens of kilobytes of wasm (issue 9), while every browser ships a JSON parser.
//! The domain's tests hold its decoders to the same shapes as serde's, which the server uses.

use tilmelding_domain::json::{self as shared, FromJson};
use wasm_bindgen::{JsCast, JsValue};

/// A value from `JSON.parse`, as the domain's decoders read it.
pub struct Js(JsValue);

impl shared::Value for Js {
    fn get(&self, name: &str) -> Option<Self> {
        if !self.0.is_object() {
            return None;
        }
        js_sys::Reflect::get(&self.0, &JsValue::from_str(name))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
            .map(Js)
    }

    fn as_str(&self) -> Option<String> {
        self.0.as_string()
    }

    fn as_f64(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn as_bool(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn items(&self) -> Option<Vec<Self>> {
        let array = self.0.dyn_ref::<js_sys::Array>()?;
        Some(array.iter().map(Js).collect())
    }

    fn keys(&self) -> Option<Vec<String>> {
        if !self.0.is_object() || js_sys::Array::is_array(&self.0) {
            return None;
        }
        let keys = js_sys::Object::keys(self.0.unchecked_ref::<js_sys::Object>());
        Some(keys.iter().filter_map(|k| k.as_string()).collect())
    }
}

/// Parses JSON text into `T`; the error says what was wrong (for a technical detail line).
pub fn from_str<T: FromJson>(text: &str) -> Result<T, String> {
    let value =
        js_sys::JSON::parse(text).map_err(|e| String::from(js_sys::Error::from(e).message()))?;
    T::from_json(&Js(value)).map_err(|e| e.to_string())
}
