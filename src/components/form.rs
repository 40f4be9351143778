//! The registration form: a contact person, any number of attendee rows (added, removed or
//! pasted from a spreadsheet), the privacy acknowledgement, and the submit button.
//!
//! What it holds is [`FormState`]; the fields shared with the manage view are in
//! [`fields`](crate::components::fields); what it says while sending, in
//! [`sending`](crate::components::sending).

use crate::components::fields::{TextField, failure_alert, waiting_line};
use crate::components::form_state::{FormState, Row, Shown, row_field_id};
use crate::dom;
use crate::i18n::prelude::*;
use leptos::prelude::*;
use std::collections::HashMap;
use tilmelding_domain::meeting::PrivacyNotice;
use tilmelding_domain::{Attendee, AttendeeField, FieldError, Limits, Municipality, Registration};

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
            {move || state.failure.get().map(|e| failure_alert(Lang::not_sent, e, Callback::new(move |()| submit())))}
            <p class="tlm-summary-line">
                {move || lang.get().registering(count(), municipality.name)}
            </p>
            {waiting_line(state.waiting)}
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
                <TextField id=id(AttendeeField::Name) label=Lang::name value=row.typed.name errors/>
                <TextField id=id(AttendeeField::Email) label=Lang::email value=row.typed.email errors kind="email"/>
                <TextField id=id(AttendeeField::Title) label=Lang::job_title value=row.typed.title errors/>
                <TextField id=id(AttendeeField::Department) label=Lang::department value=row.typed.department errors/>
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
