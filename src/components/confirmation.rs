//! What the user sees once the backend has confirmed a submission.

use crate::dom;
use crate::i18n::prelude::*;
use leptos::prelude::*;
use tilmelding_domain::wire::{Receipt, Status};
use tilmelding_domain::{Attendee, Meeting, Municipality};

/// The confirmation: reference number, who was registered (each with a calendar file), rows
/// that were already registered, and a way to register more people.
#[component]
pub fn Confirmation(
    /// The meeting, for the calendar files.
    meeting: Meeting,
    /// The municipality that registered.
    municipality: &'static Municipality,
    /// The backend's answer.
    receipt: Receipt,
    /// What was sent, to name the rows the receipt refers to.
    sent: Vec<Attendee>,
    /// Starts another submission.
    on_more: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let now = dom::now_unix();
    let pending = receipt.status == Status::PendingMembership;
    let n = receipt.registered.len();
    let registered = receipt
        .registered
        .iter()
        .map(|r| {
            let ics = tilmelding_domain::ics::attendee_calendar(
                &meeting,
                &r.name,
                &r.email,
                now,
                lang.get_untracked(),
            );
            let href = dom::text_file_url(&ics, "text/calendar;charset=utf-8");
            let file = format!("{}-{}.ics", meeting.id, r.row + 1);
            let name = r.name.clone();
            view! {
                <li>
                    <span class="tlm-attendee">{r.name.clone()} " (" {r.email.clone()} ")"</span> " "
                    <a href=href download=file>{move || lang.get().calendar_file(&name)}</a>
                </li>
            }
        })
        .collect_view();
    let already: Vec<(String, tilmelding_domain::FieldError)> = receipt
        .already_registered
        .iter()
        .filter_map(|e| {
            let a = sent.get(e.field.row()?)?;
            Some((format!("{} ({})", a.name, a.email), e.clone()))
        })
        .collect();
    // The reference server's private link; generic backends have none, so say whom to write to.
    let write_to = meeting.registration.contact_email.clone();
    let manage = match receipt.manage_url.clone() {
        Some(url) => view! {
            <div class="tlm-alert">
                <p><a class="tlm-manage-link" href=url.clone()>{tr(lang, Lang::manage_link)}</a></p>
                <p class="tlm-manage-link tlm-hint">{url}</p>
                <p>{tr(lang, Lang::manage_keep)}</p>
            </div>
        }
        .into_any(),
        None => view! { <p>{move || lang.get().write_to(write_to.as_deref())}</p> }.into_any(),
    };
    view! {
        <div class="tlm-confirmation">
            <div class="tlm-alert tlm-alert-success">
                <h3 id="tlm-confirm-title" class="tlm-h3" tabindex="-1">
                    {move || if pending { lang.get().thanks_pending() } else { lang.get().thanks() }}
                </h3>
                <p>{tr(lang, Lang::reference)} <strong class="tlm-reference">{receipt.reference.clone()}</strong></p>
                <p>{move || if pending { lang.get().pending_confirmation(municipality.name) } else { lang.get().confirmed(n, &meeting) }}</p>
            </div>
            {manage}
            {(n > 0).then(|| view! {
                <h4 class="tlm-h4">{move || lang.get().registered_count(n)}</h4>
                <ul class="tlm-list tlm-registered">{registered}</ul>
            })}
            {(!already.is_empty()).then(|| view! {
                <h4 class="tlm-h4">{tr(lang, Lang::already_title)}</h4>
                <p>{tr(lang, Lang::already_text)}</p>
                <ul class="tlm-list">{already.into_iter().map(|(who, e)| view! {
                    <li>{who} ": " {move || lang.get().field_error(&e)}</li>
                }).collect_view()}</ul>
            })}
            <button part="button" type="button" class="tlm-button" on:click=move |_| on_more.run(())>
                {move || lang.get().register_more(municipality.name)}
            </button>
        </div>
    }
}
