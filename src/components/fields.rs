//! The pieces of a form that the registration and the manage view share, so both behave and
//! say it alike: one person as typed, a labelled text field with its error, why sending waits,
//! and a failure that keeps what was typed.
//!
//! The last two are plain functions rather than components: each view calls them once, and a
//! component's props struct would be code of its own in each bundle.

use crate::api::{ApiError, Waiting};
use crate::i18n::prelude::*;
use leptos::prelude::*;
use std::collections::HashMap;
use tilmelding_domain::Attendee;

/// One person as typed, a signal per field (each text field binds to its own), so typing
/// re-renders only that input. The registration's rows and the manage view's open form both
/// hold one.
#[derive(Clone, Copy)]
pub struct Typed {
    pub name: RwSignal<String>,
    pub email: RwSignal<String>,
    pub title: RwSignal<String>,
    pub department: RwSignal<String>,
}

impl Typed {
    pub fn new(a: Attendee) -> Typed {
        Typed {
            name: RwSignal::new(a.name),
            email: RwSignal::new(a.email),
            title: RwSignal::new(a.title),
            department: RwSignal::new(a.department),
        }
    }

    /// Fills the fields with a person (the manage view's form, opened on someone).
    pub fn set(self, a: Attendee) {
        self.name.set(a.name);
        self.email.set(a.email);
        self.title.set(a.title);
        self.department.set(a.department);
    }

    /// The person typed, as it is sent.
    pub fn untracked(self) -> Attendee {
        untrack(|| self.tracked())
    }

    /// The person typed, tracked (the draft follows every keystroke).
    pub fn tracked(self) -> Attendee {
        Attendee {
            name: self.name.get(),
            email: self.email.get(),
            title: self.title.get(),
            department: self.department.get(),
        }
    }

    /// Frees the signals once the row is gone (they belong to the flow, which outlives any
    /// one row).
    pub(crate) fn dispose(self) {
        for signal in [self.name, self.email, self.title, self.department] {
            signal.dispose();
        }
    }
}

/// A labelled text input with its error message.
#[component]
pub fn TextField(
    /// Element id; also keys the error.
    id: String,
    /// Visible label, per language.
    label: fn(Lang) -> &'static str,
    /// The value, two-way bound.
    value: RwSignal<String>,
    /// Current errors by element id.
    errors: Memo<HashMap<String, String>>,
    /// `text` or `email`.
    #[prop(default = "text")]
    kind: &'static str,
    /// Autofill hint; attendees are other people, so off by default.
    #[prop(default = "off")]
    autocomplete: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let error_id = format!("{id}-error");
    let key = id.clone();
    let error = Memo::new(move |_| errors.with(|e| e.get(&key).cloned()));
    let described = error_id.clone();
    view! {
        <div class="tlm-field">
            <label for=id.clone()>{move || label(lang.get())}</label>
            <input id=id part="field" type=kind autocomplete=autocomplete spellcheck="false"
                bind:value=value
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=move || error.with(Option::is_some).then(|| described.clone())/>
            {move || error.get().map(|m| view! { <p id=error_id.clone() class="tlm-error">{m}</p> })}
        </div>
    }
}

/// Why sending waits (the browser is offline, or the next try comes in so many seconds), in a
/// polite live region that is empty while nothing waits.
pub fn waiting_line(waiting: RwSignal<Option<Waiting>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="tlm-waiting" role="status">
            {move || match waiting.get() {
                Some(Waiting::Offline) => lang.get().offline().to_owned(),
                Some(Waiting::Retry(s)) => lang.get().retrying(s),
                None => String::new(),
            }}
        </p>
    }
}

/// A submission that failed: what was not done (`title`), why, that what was typed is kept,
/// and a button to try again.
pub fn failure_alert(
    title: fn(Lang) -> &'static str,
    error: ApiError,
    retry: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="tlm-alert tlm-alert-error" role="alert">
            <p><strong>{tr(lang, title)}</strong> " " {move || error.message(lang.get())}</p>
            <p>{tr(lang, Lang::kept)}</p>
            <button part="button" type="button" class="tlm-button" on:click=move |_| retry.run(())>{tr(lang, Lang::retry)}</button>
        </div>
    }
}
