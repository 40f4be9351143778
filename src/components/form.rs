//! The registration form: a contact person, any number of attendee rows (added, removed or
//! pasted from a spreadsheet), the privacy acknowledgement, and the submit button.
//!
//! Each row owns its own signals and rows render through `<For>` keyed by a stable id, so
//! typing in one row re-renders only that input, however many rows there are.

use crate::api::{self, ApiError};
use crate::dom;
use crate::draft::Draft;
use crate::i18n::prelude::*;
use leptos::prelude::*;
use std::collections::HashMap;
use tilmelding_domain::meeting::PrivacyNotice;
use tilmelding_domain::{
    Attendee, AttendeeField, Contact, FieldError, FieldPath, Limits, Municipality, Registration,
};

/// One attendee row.
#[derive(Clone, Copy)]
pub struct Row {
    /// Stable id for keys and element ids (positions shift when rows are removed).
    pub id: usize,
    pub name: RwSignal<String>,
    pub email: RwSignal<String>,
    pub title: RwSignal<String>,
    pub department: RwSignal<String>,
}

impl Row {
    fn new(id: usize, a: Attendee) -> Row {
        Row {
            id,
            name: RwSignal::new(a.name),
            email: RwSignal::new(a.email),
            title: RwSignal::new(a.title),
            department: RwSignal::new(a.department),
        }
    }

    fn attendee(&self) -> Attendee {
        Attendee {
            name: self.name.get_untracked(),
            email: self.email.get_untracked(),
            title: self.title.get_untracked(),
            department: self.department.get_untracked(),
        }
    }

    /// The row's values, tracked (for the draft, which must follow every change).
    fn attendee_tracked(&self) -> Attendee {
        Attendee {
            name: self.name.get(),
            email: self.email.get(),
            title: self.title.get(),
            department: self.department.get(),
        }
    }

    fn is_blank(&self) -> bool {
        is_blank(&self.attendee())
    }

    /// Frees the row's signals once the row is gone (they belong to the flow, which outlives
    /// any one row).
    fn dispose(self) {
        for signal in [self.name, self.email, self.title, self.department] {
            signal.dispose();
        }
    }
}

fn is_blank(a: &Attendee) -> bool {
    [&a.name, &a.email, &a.title, &a.department]
        .iter()
        .all(|s| s.trim().is_empty())
}

/// An error shown next to a field and in the summary; its text is chosen at render time, in
/// the language of the moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    /// Element id of the field.
    pub id: String,
    /// Where the field is, for the summary.
    pub place: Place,
    /// The stable id of the attendee row the field is in, if any.
    pub row: Option<usize>,
    pub error: FieldError,
}

/// Where a field is, for the error summary ("Deltager 3: …").
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Place {
    Contact,
    Municipality,
    Privacy,
    Attendees,
    Row(usize),
    Registration,
}

impl Place {
    fn label(self, lang: Lang) -> String {
        match self {
            Place::Contact => lang.contact().into(),
            Place::Municipality => lang.place_municipality().into(),
            Place::Privacy => lang.place_privacy().into(),
            Place::Attendees => lang.attendees().into(),
            Place::Row(n) => lang.attendee(n),
            Place::Registration => lang.place_registration().into(),
        }
    }
}

/// Everything the user typed, kept by the flow so it survives failures and "register more".
#[derive(Clone, Copy)]
pub struct FormState {
    pub contact_name: RwSignal<String>,
    pub contact_email: RwSignal<String>,
    pub rows: RwSignal<Vec<Row>>,
    next_id: StoredValue<usize>,
    pub privacy: RwSignal<bool>,
    /// Idempotency key of the submission being prepared; new after each confirmation.
    pub key: StoredValue<String>,
    pub errors: RwSignal<Vec<Shown>>,
    /// Why the last submission was not sent (not a refusal of the input: that is `errors`).
    pub failure: RwSignal<Option<ApiError>>,
    /// Why sending is waiting, while it is.
    pub waiting: RwSignal<Option<api::Waiting>>,
    /// The honeypot field's value (see `Registration::website`).
    website: RwSignal<String>,
    /// The reactive owner of the flow. Rows are created under it: rows added from an event
    /// handler or an action would otherwise belong to the form view, and die with it when the
    /// confirmation replaces the form.
    owner: StoredValue<Owner>,
}

impl FormState {
    /// An empty form with one blank attendee row.
    pub fn new() -> FormState {
        let s = FormState {
            contact_name: RwSignal::new(String::new()),
            contact_email: RwSignal::new(String::new()),
            rows: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
            privacy: RwSignal::new(false),
            key: StoredValue::new(dom::new_key()),
            errors: RwSignal::new(Vec::new()),
            failure: RwSignal::new(None),
            waiting: RwSignal::new(None),
            website: RwSignal::new(String::new()),
            owner: StoredValue::new(Owner::current().expect("created inside a component")),
        };
        s.add_rows(vec![Attendee::default()]);
        s
    }

    /// Appends rows.
    pub fn add_rows(&self, attendees: Vec<Attendee>) {
        let first = self.next_id.get_value();
        self.next_id.set_value(first + attendees.len());
        let new: Vec<Row> = self.owner.with_value(|owner| {
            owner.with(|| {
                attendees
                    .into_iter()
                    .enumerate()
                    .map(|(i, a)| Row::new(first + i, a))
                    .collect()
            })
        });
        self.rows.update(|rows| rows.extend(new));
    }

    /// Appends pasted rows; the form's lone blank row, if that is all there is, makes way for
    /// them. Returns the position of the first pasted row.
    pub fn paste_rows(&self, attendees: Vec<Attendee>) -> usize {
        let lone_blank = self
            .rows
            .with_untracked(|rows| (rows.len() == 1 && rows[0].is_blank()).then(|| rows[0]));
        if let Some(row) = lone_blank {
            self.rows.update(Vec::clear);
            row.dispose();
        }
        let first = self.rows.with_untracked(Vec::len);
        self.add_rows(attendees);
        first
    }

    /// Clears the attendees for another submission from the same municipality; the contact
    /// person stays.
    pub fn reset_attendees(&self) {
        self.clear_rows();
        self.add_rows(vec![Attendee::default()]);
        self.privacy.set(false);
        self.errors.set(Vec::new());
        self.key.set_value(dom::new_key());
    }

    /// The form as a draft, tracking every value; `None` while no attendee has been typed
    /// (nothing worth keeping, and nothing personal to leave on a shared PC).
    pub fn draft(&self, municipality: Option<u16>, apply: bool) -> Option<Draft> {
        let rows: Vec<Attendee> = self
            .rows
            .with(|rows| rows.iter().map(Row::attendee_tracked).collect());
        if rows.iter().all(is_blank) {
            return None;
        }
        Some(Draft {
            saved_at: 0.0,
            municipality,
            apply,
            contact_name: self.contact_name.get(),
            contact_email: self.contact_email.get(),
            rows,
            key: self.key.get_value(),
        })
    }

    /// Puts a saved draft back into the form.
    pub fn restore(&self, d: &Draft) {
        self.contact_name.set(d.contact_name.clone());
        self.contact_email.set(d.contact_email.clone());
        self.clear_rows();
        self.add_rows(d.rows.clone());
        if !d.key.is_empty() {
            self.key.set_value(d.key.clone());
        }
    }

    /// Empties the whole form, contact person included.
    pub fn clear(&self) {
        self.contact_name.set(String::new());
        self.contact_email.set(String::new());
        self.reset_attendees();
    }

    /// The registration as typed.
    fn registration(&self, municipality: u16, apply: bool) -> Registration {
        Registration {
            municipality_code: municipality,
            contact: Contact {
                name: self.contact_name.get_untracked(),
                email: self.contact_email.get_untracked(),
            },
            attendees: self
                .rows
                .with_untracked(|rows| rows.iter().map(Row::attendee).collect()),
            privacy_accepted: self.privacy.get_untracked(),
            apply_for_membership: apply,
            idempotency_key: Some(self.key.get_value()),
            website: self.website.get_untracked(),
        }
    }

    /// Removes every row, disposing of its signals.
    fn clear_rows(&self) {
        for row in self.rows.try_update(std::mem::take).unwrap_or_default() {
            row.dispose();
        }
    }

    /// Removes one row (disposing of its signals) and its errors; the form always keeps one.
    pub fn remove_row(&self, id: usize) {
        let mut removed = None;
        self.rows.update(|rows| {
            if let Some(i) = rows.iter().position(|r| r.id == id) {
                removed = Some(rows.remove(i));
            }
        });
        if let Some(row) = removed {
            row.dispose();
        }
        if self.rows.with_untracked(Vec::is_empty) {
            self.add_rows(vec![Attendee::default()]);
        }
        self.errors.update(|e| e.retain(|s| s.row != Some(id)));
    }

    /// Shows these errors next to their fields and in the summary.
    pub fn show_errors(&self, errors: &[FieldError]) {
        let ids: Vec<usize> = self
            .rows
            .with_untracked(|rows| rows.iter().map(|r| r.id).collect());
        let shown = errors
            .iter()
            .map(|e| {
                let (id, place, row) = match e.field {
                    FieldPath::ContactName => ("tlm-contact-name".to_owned(), Place::Contact, None),
                    FieldPath::ContactEmail => {
                        ("tlm-contact-email".to_owned(), Place::Contact, None)
                    }
                    FieldPath::MunicipalityCode => {
                        ("tlm-kommune".to_owned(), Place::Municipality, None)
                    }
                    FieldPath::PrivacyAccepted => ("tlm-privacy".to_owned(), Place::Privacy, None),
                    FieldPath::Attendees => ("tlm-add-row".to_owned(), Place::Attendees, None),
                    FieldPath::Attendee(i, field) => match ids.get(i) {
                        Some(&rid) => (row_field_id(rid, field), Place::Row(i + 1), Some(rid)),
                        None => ("tlm-submit".to_owned(), Place::Registration, None),
                    },
                    FieldPath::IdempotencyKey => {
                        ("tlm-submit".to_owned(), Place::Registration, None)
                    }
                };
                Shown {
                    id,
                    place,
                    row,
                    error: e.clone(),
                }
            })
            .collect();
        self.errors.set(shown);
    }

    /// The message for a field, if it has an error.
    pub fn error_for(&self, field: FieldPath, lang: Lang) -> Option<String> {
        self.errors.with(|e| {
            e.iter()
                .find(|s| s.error.field == field)
                .map(|s| lang.field_error(&s.error))
        })
    }
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

/// The element id of a row's input.
fn row_field_id(row: usize, field: AttendeeField) -> String {
    format!("tlm-a{row}-{}", field.as_str())
}

/// The registration form for one municipality.
#[component]
pub fn RegistrationForm(
    /// The meeting's privacy notice (text and link).
    privacy: PrivacyNotice,
    /// The municipality registering.
    municipality: &'static Municipality,
    /// Whether this submission also applies for membership.
    apply: bool,
    /// What the user typed; owned by the flow.
    state: FormState,
    /// The form is being sent.
    busy: Signal<bool>,
    /// Polite announcements for screen readers.
    announce: RwSignal<String>,
    /// Sends a valid registration.
    on_submit: Callback<Registration>,
) -> impl IntoView {
    let privacy_notice = privacy;
    let lang = use_lang();
    let focus = dom::Focus::new();
    let by_id = Memo::new(move |_| {
        let l = lang.get();
        state.errors.with(|e| {
            e.iter()
                .map(|s| (s.id.clone(), l.field_error(&s.error)))
                .collect::<HashMap<_, _>>()
        })
    });
    let submit = move || {
        // One submission at a time: a double click must not send twice.
        if busy.get_untracked() {
            return;
        }
        state.failure.set(None);
        let reg = state.registration(municipality.code, apply);
        match reg.validate(&Limits::default()) {
            Ok(valid) => {
                state.errors.set(Vec::new());
                // Validation normalises and drops the honeypot; the server must still see it.
                on_submit.run(Registration {
                    website: reg.website,
                    ..valid
                });
            }
            Err(errors) => {
                state.show_errors(&errors);
                announce.set(lang.get_untracked().error_count(errors.len()));
                focus.later("tlm-form-errors");
            }
        }
    };

    let count = move || state.rows.with(Vec::len);
    let submit_label = move || {
        if apply {
            lang.get().send_apply()
        } else {
            lang.get().send()
        }
    };

    view! {
        <form class="tlm-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <ErrorSummary errors=state.errors/>
            // Honeypot: display:none keeps it from people and assistive technology alike.
            <div class="tlm-hp">
                <label for="tlm-website">"Website"</label>
                <input id="tlm-website" type="text" tabindex="-1" autocomplete="off" bind:value=state.website/>
            </div>
            <fieldset class="tlm-group">
                <legend class="tlm-legend">{tr(lang, Lang::contact)}</legend>
                <p class="tlm-hint">{tr(lang, Lang::contact_hint)}</p>
                <TextField id="tlm-contact-name".into() label=Lang::name value=state.contact_name errors=by_id autocomplete="name"/>
                <TextField id="tlm-contact-email".into() label=Lang::email value=state.contact_email errors=by_id kind="email" autocomplete="email"/>
            </fieldset>
            <fieldset class="tlm-group">
                <legend class="tlm-legend">{tr(lang, Lang::attendees)}</legend>
                <p class="tlm-hint">
                    {tr(lang, Lang::attendees_hint)}
                </p>
                <For each=move || state.rows.get() key=|r| r.id let:row>
                    <AttendeeRow row state errors=by_id/>
                </For>
                <p>
                    <button part="button" id="tlm-add-row" type="button" class="tlm-button tlm-button-secondary"
                        on:click=move |_| {
                            state.add_rows(vec![Attendee::default()]);
                            let id = state.rows.with_untracked(|r| r.last().map(|r| r.id)).unwrap_or(0);
                            let target = row_field_id(id, AttendeeField::Name);
                            focus.later(target);
                        }>
                        {tr(lang, Lang::add_attendee)}
                    </button>
                </p>
                <PasteRows state announce/>
            </fieldset>
            <div class="tlm-field tlm-privacy">
                <p>
                    {privacy_notice.text.clone()} " "
                    <a href=privacy_notice.url.clone() target="_blank" rel="noopener">
                        {tr(lang, Lang::privacy_more)}
                    </a>
                </p>
                <p class="tlm-hint">
                    {tr(lang, Lang::draft_notice)}
                </p>
                <div class="tlm-check">
                    <input id="tlm-privacy" type="checkbox" bind:checked=state.privacy
                        aria-invalid=move || by_id.with(|e| e.contains_key("tlm-privacy")).then_some("true")
                        aria-describedby=move || by_id.with(|e| e.contains_key("tlm-privacy")).then_some("tlm-privacy-error")/>
                    <label for="tlm-privacy">{tr(lang, Lang::privacy_accept)}</label>
                </div>
                {move || by_id.with(|e| e.get("tlm-privacy").cloned()).map(|m| view! {
                    <p id="tlm-privacy-error" class="tlm-error">{m}</p>
                })}
            </div>
            {move || state.failure.get().map(|m| view! {
                <div class="tlm-alert tlm-alert-error" role="alert">
                    <p><strong>{tr(lang, Lang::not_sent)}</strong> " " {move || m.message(lang.get())}</p>
                    <p>{tr(lang, Lang::kept)}</p>
                    <button part="button" type="button" class="tlm-button" on:click=move |_| submit()>{tr(lang, Lang::retry)}</button>
                </div>
            })}
            <p class="tlm-summary-line">
                {move || lang.get().registering(count(), municipality.name)}
            </p>
            <p class="tlm-waiting" role="status">
                {move || match state.waiting.get() {
                    Some(api::Waiting::Offline) => lang.get().offline().to_owned(),
                    Some(api::Waiting::Retry(s)) => lang.get().retrying(s),
                    None => String::new(),
                }}
            </p>
            <button part="button" id="tlm-submit" type="submit" class="tlm-button"
                aria-disabled=move || busy.get().then_some("true")>
                {move || if busy.get() { lang.get().sending() } else { submit_label() }}
            </button>
        </form>
    }
}

/// The list of errors at the top of the form, with links to each field (focused on submit).
#[component]
fn ErrorSummary(errors: RwSignal<Vec<Shown>>) -> impl IntoView {
    let lang = use_lang();
    let focus = dom::Focus::new();
    move || {
        let l = lang.get();
        let list = errors.get();
        (!list.is_empty()).then(|| {
            let n = list.len();
            view! {
                <div id="tlm-form-errors" class="tlm-alert tlm-alert-error" tabindex="-1" aria-labelledby="tlm-form-errors-title">
                    <h4 id="tlm-form-errors-title" class="tlm-h4">
                        {l.error_count(n)}
                    </h4>
                    <ul class="tlm-list">
                        {list.into_iter().map(|s| {
                            let target = s.id.clone();
                            view! {
                                <li><a href=format!("#{}", s.id) on:click=move |ev| {
                                    ev.prevent_default();
                                    focus.now(&target);
                                }>{format!("{}: {}", s.place.label(l), l.field_error(&s.error))}</a></li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// One attendee's fields.
#[component]
fn AttendeeRow(row: Row, state: FormState, errors: Memo<HashMap<String, String>>) -> impl IntoView {
    let lang = use_lang();
    let focus = dom::Focus::new();
    let number = move || {
        state
            .rows
            .with(|rows| rows.iter().position(|r| r.id == row.id))
            .map_or(0, |p| p + 1)
    };
    let id = |f| row_field_id(row.id, f);
    view! {
        <fieldset class="tlm-row">
            <legend class="tlm-legend-row">{move || lang.get().attendee(number())}</legend>
            <div class="tlm-row-fields">
                <TextField id=id(AttendeeField::Name) label=Lang::name value=row.name errors/>
                <TextField id=id(AttendeeField::Email) label=Lang::email value=row.email errors kind="email"/>
                <TextField id=id(AttendeeField::Title) label=Lang::job_title value=row.title errors/>
                <TextField id=id(AttendeeField::Department) label=Lang::department value=row.department errors/>
            </div>
            <button part="button" type="button" class="tlm-button tlm-button-secondary tlm-remove"
                aria-label=move || lang.get().remove_attendee(number())
                on:click=move |_| {
                    state.remove_row(row.id);
                    focus.now("tlm-add-row");
                }>
                {tr(lang, Lang::remove)}
            </button>
        </fieldset>
    }
}

/// A labelled text input with its error message.
#[component]
pub(crate) fn TextField(
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

/// Paste a block copied from a spreadsheet to add many rows at once.
#[component]
fn PasteRows(state: FormState, announce: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let text = RwSignal::new(String::new());
    let result = RwSignal::new(None::<String>);
    let add = move |_| {
        let pasted = tilmelding_domain::paste::parse(&text.get_untracked());
        let n = pasted.rows.len();
        if n == 0 {
            result.set(Some(lang.get_untracked().paste_empty().into()));
            return;
        }
        let rows = pasted.rows;
        let checked = rows.clone();
        let first = state.paste_rows(rows);
        text.set(String::new());
        // Check the new rows on their own, so problems show at once, row by row.
        let limits = Limits::default();
        let row_errors: Vec<Vec<FieldError>> = checked
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.validate(first + i, &limits).err())
            .collect();
        let bad = row_errors.len();
        state.show_errors(&row_errors.concat());
        let msg = lang.get_untracked().pasted(n, pasted.header_skipped, bad);
        announce.set(msg.clone());
        result.set(Some(msg));
    };
    view! {
        <div class="tlm-paste">
            <label for="tlm-paste">{tr(lang, Lang::paste_label)}</label>
            <p id="tlm-paste-hint" class="tlm-hint">
                {tr(lang, Lang::paste_hint)}
            </p>
            <textarea id="tlm-paste" part="field" rows="4" aria-describedby="tlm-paste-hint" bind:value=text></textarea>
            <p>
                <button part="button" type="button" class="tlm-button tlm-button-secondary" on:click=add>{tr(lang, Lang::paste_button)}</button>
            </p>
            {move || result.get().map(|m| view! { <p class="tlm-paste-result">{m}</p> })}
        </div>
    }
}
