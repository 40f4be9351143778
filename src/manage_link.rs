//! The manage link in the page's address: `#tilmelding-manage=<token>`. The fragment never
//! reaches a server log; the manage view sends the token to the API as a bearer token. Read by
//! both bundles: the manage bundle opens the submission, the main bundle reloads into it.

use leptos::prelude::*;

/// The fragment key of a manage link.
const FRAGMENT: &str = "tilmelding-manage=";

/// The tab's storage key of the manage token.
const KEPT: &str = "tilmelding-manage";

/// The manage token, if the page was opened through a manage link: read from the URL's
/// fragment, then kept in the tab's session storage and taken out of the address bar, so it
/// is not left in the history, in an address copied from the bar, or in the host page's
/// analytics; a reload in the same tab still opens the submission.
pub fn manage_token() -> Option<String> {
    let session = window().session_storage().ok().flatten();
    let Some(token) = token_in_url() else {
        return session?.get_item(KEPT).ok().flatten();
    };
    if let Some(s) = session {
        let _ = s.set_item(KEPT, &token);
    }
    // The fragment is the manage link's own (its page's address has none), so all of it goes.
    if let (Ok(href), Ok(history)) = (window().location().href(), window().history()) {
        let page = href.split('#').next().unwrap_or(&href);
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(page));
    }
    Some(token)
}

/// The manage token in the page's URL, if the page was opened through a manage link.
pub fn token_in_url() -> Option<String> {
    let hash = window().location().hash().ok()?;
    let token = hash.split_once(FRAGMENT)?.1;
    let token = token.split('&').next().unwrap_or(token).trim();
    (!token.is_empty()).then(|| token.to_owned())
}
