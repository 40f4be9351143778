//! The form as typed, kept in the browser's local storage per meeting, so a reload, a crash or a
//! closed tab loses nothing. It holds personal data on what may be a shared office PC, so it
//! expires after [`MAX_AGE_MS`] and is deleted as soon as the backend confirms the submission.

use crate::dom;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use tilmelding_domain::Attendee;

/// How long typing may go on before the draft is written. Writing a big form (hundreds of rows)
/// takes milliseconds, too long to do on every keystroke; the page's `pagehide`
/// writes whatever is still pending, so a reload or a closed tab loses nothing.
const SAVE_DELAY_MS: u64 = 400;

/// The newest draft not written yet: its name, and what writes it.
type Pending = (String, Box<dyn FnOnce()>);

thread_local! {
    /// The newest draft not written yet.
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
    /// Whether the page-hide listener is in place.
    static HOOKED: Cell<bool> = const { Cell::new(false) };
}

/// How long a draft is kept: a working day and a night.
pub const MAX_AGE_MS: f64 = 24.0 * 3600.0 * 1000.0;

/// What is saved, as JSON. A member missing from an older draft takes its default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// When it was saved (ms since the epoch).
    pub saved_at: f64,
    pub municipality: Option<u16>,
    pub apply: bool,
    pub contact_name: String,
    pub contact_email: String,
    pub rows: Vec<Attendee>,
    /// The idempotency key of the submission being prepared: a retry after a reload must
    /// count as the same submission.
    pub key: String,
}

/// A draft as stored: stamped when saved, and dropped once older than [`MAX_AGE_MS`]. The
/// registration form's is a [`Draft`]; the manage view keeps its open form in one of its own.
pub trait Stamped: Serialize + DeserializeOwned + 'static {
    /// When it was saved (ms since the epoch).
    fn saved_at(&self) -> f64;
    /// Stamps it as saved at `now`.
    fn stamp(&mut self, now: f64);
}

impl Stamped for Draft {
    fn saved_at(&self) -> f64 {
        self.saved_at
    }
    fn stamp(&mut self, now: f64) {
        self.saved_at = now;
    }
}

/// The draft's name for a manage link (its selector, the public half of the token): one per
/// submission, kept apart from the registration form's.
pub fn manage_id(meeting_id: &str, token: &str) -> String {
    let selector = token.split('.').next().unwrap_or("");
    format!("{meeting_id}:manage:{selector}")
}

fn storage_key(meeting_id: &str) -> String {
    format!("tilmelding:draft:{meeting_id}")
}

/// The saved draft for a meeting, unless there is none, it cannot be read, or it has expired
/// (an expired one is deleted).
pub fn load<D: Stamped>(meeting_id: &str) -> Option<D> {
    let storage = dom::local_storage()?;
    let text = storage.get_item(&storage_key(meeting_id)).ok()??;
    match crate::config::from_json::<D>(&text) {
        Ok(d) if js_sys::Date::now() - d.saved_at() < MAX_AGE_MS => Some(d),
        _ => {
            clear(meeting_id);
            None
        }
    }
}

/// Saves a draft, stamped now. Storage may be full or disabled: then nothing is saved, and the
/// form works as before.
pub fn save<D: Stamped>(meeting_id: &str, mut draft: D) {
    draft.stamp(js_sys::Date::now());
    if let (Some(storage), Ok(text)) = (dom::local_storage(), serde_json::to_string(&draft)) {
        let _ = storage.set_item(&storage_key(meeting_id), &text);
    }
}

/// Saves a draft shortly (see [`SAVE_DELAY_MS`]); a newer draft before then replaces it.
pub fn save_soon<D: Stamped>(meeting_id: &str, draft: D) {
    let id = meeting_id.to_owned();
    let write: Box<dyn FnOnce()> = Box::new(move || save(&id, draft));
    let waiting = PENDING.with_borrow_mut(|p| p.replace((meeting_id.to_owned(), write)).is_some());
    if waiting {
        return;
    }
    if !HOOKED.replace(true) {
        // Leaving the page (reload, close, navigation; hidden on a phone) writes at once.
        for event in ["pagehide", "visibilitychange"] {
            let _ = leptos::prelude::window_event_listener_untyped(event, |_| flush());
        }
    }
    leptos::prelude::set_timeout(flush, std::time::Duration::from_millis(SAVE_DELAY_MS));
}

/// Writes the pending draft now, if there is one.
pub fn flush() {
    if let Some((_, write)) = PENDING.with_borrow_mut(Option::take) {
        write();
    }
}

/// Deletes the draft of a meeting, including one waiting to be written.
pub fn clear(meeting_id: &str) {
    PENDING.with_borrow_mut(|p| {
        if p.as_ref().is_some_and(|(id, _)| id == meeting_id) {
            *p = None;
        }
    });
    if let Some(storage) = dom::local_storage() {
        let _ = storage.remove_item(&storage_key(meeting_id));
    }
}

/// When a draft was saved, for the restore note: the time today, else the date and time.
pub fn saved_when(lang: tilmelding_domain::Lang, saved_at: f64) -> String {
    use crate::i18n::Phrases;
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(saved_at));
    let now = js_sys::Date::new_0();
    let today = d.get_date() == now.get_date() && d.get_month() == now.get_month();
    let day = (!today).then(|| (d.get_date(), d.get_month() + 1));
    lang.saved_at(d.get_hours(), d.get_minutes(), day)
}
