//! Configuration from the host element's `data-*` attributes, read once at mount. Documented in
//! the README's configuration table; nothing meeting-specific is compiled into the bundle.

/// Id of the element the app mounts into.
pub const HOST_ID: &str = "tilmelding";

/// What the app needs to know about where it runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// URL of the meeting JSON (`data-meeting-url`).
    pub meeting_url: String,
    /// Base URL of the backend API (`data-api-base`), without a trailing slash.
    pub api_base: String,
}

impl Config {
    /// Reads the host element's attributes; missing ones fall back to the reference server's
    /// same-origin paths.
    pub fn from_host(host: Option<&web_sys::HtmlElement>) -> Config {
        let attr = |name: &str| {
            host.and_then(|h| h.get_attribute(name))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Config {
            meeting_url: attr("data-meeting-url").unwrap_or_else(|| "meeting.json".into()),
            api_base: attr("data-api-base")
                .unwrap_or_else(|| "/api".into())
                .trim_end_matches('/')
                .to_owned(),
        }
    }
}
