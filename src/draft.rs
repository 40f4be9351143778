//! The form as typed, kept in the browser's local storage per meeting, so a reload, a crash or a
//! closed tab loses nothing. It holds personal data on what may be a shared office PC, so it
//! expires after [`MAX_AGE_MS`] and is deleted as soon as the backend confirms the submission.

use crate::{dom, json};
use serde::{Deserialize, Serialize};
use tilmelding_domain::Attendee;

/// How long a draft is kept: a working day and a night.
pub const MAX_AGE_MS: f64 = 24.0 * 3600.0 * 1000.0;

/// What is saved.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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

fn storage_key(meeting_id: &str) -> String {
    format!("tilmelding:draft:{meeting_id}")
}

/// The saved draft for a meeting, unless there is none, it cannot be read, or it has expired
/// (an expired one is deleted).
pub fn load(meeting_id: &str) -> Option<Draft> {
    let storage = dom::local_storage()?;
    let text = storage.get_item(&storage_key(meeting_id)).ok()??;
    match json::from_str::<Draft>(&text) {
        Ok(d) if js_sys::Date::now() - d.saved_at < MAX_AGE_MS => Some(d),
        _ => {
            clear(meeting_id);
            None
        }
    }
}

/// Saves a draft, stamped now. Storage may be full or disabled: then nothing is saved, and the
/// form works as before.
pub fn save(meeting_id: &str, mut draft: Draft) {
    draft.saved_at = js_sys::Date::now();
    if let (Some(storage), Ok(text)) = (dom::local_storage(), json::to_string(&draft)) {
        let _ = storage.set_item(&storage_key(meeting_id), &text);
    }
}

/// Deletes the draft of a meeting.
pub fn clear(meeting_id: &str) {
    if let Some(storage) = dom::local_storage() {
        let _ = storage.remove_item(&storage_key(meeting_id));
    }
}

/// When a draft was saved, for the restore note: the time today, else the date and time.
pub fn saved_when(lang: crate::i18n::Lang, saved_at: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(saved_at));
    let now = js_sys::Date::new_0();
    let today = d.get_date() == now.get_date() && d.get_month() == now.get_month();
    let day = (!today).then(|| (d.get_date(), d.get_month() + 1));
    lang.saved_at(d.get_hours(), d.get_minutes(), day)
}
