//! Configuration from the host element's `data-*` attributes, read once at mount. Documented in
//! docs/web-editors.md's attribute table; nothing meeting-specific is compiled into the bundle.

use std::collections::BTreeMap;

/// Where registrations go.
#[derive(Clone, Debug, PartialEq)]
pub enum Backend {
    /// Our JSON contract (`api/openapi.yaml`) at `api_base`.
    Reference,
    /// Any JSON document store: one document per attendee POSTed to the collection URL.
    JsonCollection {
        /// `data-collection-url`.
        url: String,
    },
    /// A classic CMS form handler: one urlencoded POST per attendee.
    Form {
        /// `data-form-url`.
        url: String,
        /// Our field name → the handler's (`data-form-fields`); unmapped fields keep our names.
        fields: BTreeMap<String, String>,
    },
}

/// What the app needs to know about where it runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// URL of the meeting JSON (`data-meeting-url`).
    pub meeting_url: String,
    /// Base URL of the backend API (`data-api-base`), without a trailing slash.
    pub api_base: String,
    /// The backend profile (`data-backend`: `reference`, `json-collection` or `form`).
    pub backend: Backend,
    /// A static member list (`data-members-url`, format `{"network": …, "members": [codes]}`);
    /// when set, membership is read from it instead of asking the backend.
    pub members_url: Option<String>,
    /// Extra request headers for the backend (`data-headers`, a JSON object), e.g. an API key.
    pub headers: Vec<(String, String)>,
    /// Request timeout in milliseconds (`data-timeout`, in seconds; default 20).
    pub timeout_ms: i32,
    /// Interface language at start (`data-lang`: `da` or `en`; default Danish).
    pub lang: tilmelding_domain::Lang,
}

/// Why the configuration cannot be used; shown to the web editor who pasted the snippet.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError(pub String);

impl Config {
    /// Reads the host element's attributes; missing ones fall back to the reference server's
    /// same-origin paths.
    pub fn from_host(host: &web_sys::HtmlElement) -> Result<Config, ConfigError> {
        let attr = |name: &str| {
            host.get_attribute(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let required = |name: &str| {
            attr(name).ok_or_else(|| ConfigError(format!("{name} mangler for den valgte backend")))
        };
        let json_map = |name: &str| -> Result<BTreeMap<String, String>, ConfigError> {
            attr(name).map_or(Ok(BTreeMap::new()), |v| {
                from_json(&v).map_err(|e| {
                    ConfigError(format!("{name} er ikke et JSON-objekt med tekster: {e}"))
                })
            })
        };
        let backend = match attr("data-backend").as_deref().unwrap_or("reference") {
            "reference" => Backend::Reference,
            "json-collection" => Backend::JsonCollection {
                url: required("data-collection-url")?,
            },
            "form" => Backend::Form {
                url: required("data-form-url")?,
                fields: json_map("data-form-fields")?,
            },
            other => {
                return Err(ConfigError(format!(
                    "data-backend=\"{other}\" er ukendt (reference, json-collection eller form)"
                )));
            }
        };
        let members_url = attr("data-members-url");
        if backend != Backend::Reference && members_url.is_none() {
            return Err(ConfigError(
                "data-members-url mangler: uden API kommer medlemslisten fra en fil".into(),
            ));
        }
        // Whole seconds: what people write, and no float parser in the bundle.
        let timeout_s: u32 = match attr("data-timeout") {
            Some(v) => v.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
                ConfigError(format!(
                    "data-timeout=\"{v}\" skal være et helt antal sekunder"
                ))
            })?,
            None => 20,
        };
        Ok(Config {
            meeting_url: standalone_meeting(host)
                .or_else(|| attr("data-meeting-url"))
                .unwrap_or_else(|| "meeting.json".into()),
            api_base: attr("data-api-base")
                .unwrap_or_else(|| "/api".into())
                .trim_end_matches('/')
                .to_owned(),
            backend,
            members_url,
            headers: json_map("data-headers")?.into_iter().collect(),
            timeout_ms: timeout_s.saturating_mul(1000).min(i32::MAX as u32) as i32,
            lang: attr("data-lang")
                .map_or_else(Default::default, |l| tilmelding_domain::Lang::from_code(&l)),
        })
    }
}

/// On the standalone page (a host marked `data-standalone`), `?meeting=<id>` names the meeting
/// from the reference server's meeting files, so a link (such as the loader's fallback) can
/// open any meeting's registration.
fn standalone_meeting(host: &web_sys::HtmlElement) -> Option<String> {
    if !host.has_attribute("data-standalone") {
        return None;
    }
    let search = leptos::prelude::window().location().search().ok()?;
    let id = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get("meeting")?;
    let usable = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    usable.then(|| format!("/meetings/{id}.json"))
}

/// Parses JSON text into `T`: the host element's attributes here, and the backend's answers
/// and the saved drafts, which read it from this leaf module.
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}
