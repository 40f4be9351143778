//! What the user sees once the backend has confirmed a submission.

use crate::dom;
use leptos::prelude::*;
use tilmelding_domain::wire::{PENDING_MEMBERSHIP, Receipt};
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
    let now = dom::now_unix();
    let pending = receipt.status == PENDING_MEMBERSHIP;
    let n = receipt.registered.len();
    let registered = receipt
        .registered
        .iter()
        .map(|r| {
            let ics = tilmelding_domain::ics::attendee_calendar(&meeting, &r.name, &r.email, now);
            let href = dom::text_file_url(&ics, "text/calendar;charset=utf-8");
            let file = format!("{}-{}.ics", meeting.id, r.row + 1);
            view! {
                <li>
                    <span class="tlm-attendee">{r.name.clone()} " (" {r.email.clone()} ")"</span> " "
                    <a href=href download=file>{format!("Kalenderfil (.ics) til {}", r.name)}</a>
                </li>
            }
        })
        .collect_view();
    let already: Vec<String> = receipt
        .already_registered
        .iter()
        .filter_map(|e| {
            let row = e
                .field
                .strip_prefix("attendees[")?
                .split_once(']')?
                .0
                .parse::<usize>()
                .ok()?;
            let a = sent.get(row)?;
            Some(format!("{} ({}): {}", a.name, a.email, e.message))
        })
        .collect();
    view! {
        <div class="tlm-confirmation">
            <div class="tlm-alert tlm-alert-success">
                <h3 id="tlm-confirm-title" class="tlm-h3" tabindex="-1">
                    {if pending { "Ansøgning og tilmelding er modtaget" } else { "Tak for tilmeldingen" }}
                </h3>
                <p>"Referencenummer: " <strong class="tlm-reference">{receipt.reference.clone()}</strong></p>
                {if pending {
                    view! {
                        <p>{format!(
                            "{} Kommunes ansøgning om medlemskab af netværket er modtaget. Tilmeldingen er bekræftet, når arrangøren har godkendt ansøgningen.",
                            municipality.name
                        )}</p>
                    }.into_any()
                } else {
                    view! { <p>{format!("{} er tilmeldt {}.", count_text(n), meeting.date.format_da())}</p> }.into_any()
                }}
            </div>
            {(n > 0).then(|| view! {
                <h4 class="tlm-h4">{format!("Tilmeldte deltagere ({n})")}</h4>
                <ul class="tlm-list tlm-registered">{registered}</ul>
            })}
            {(!already.is_empty()).then(|| view! {
                <h4 class="tlm-h4">"Allerede tilmeldt"</h4>
                <p>"Disse personer var allerede tilmeldt mødet og er ikke tilmeldt igen:"</p>
                <ul class="tlm-list">{already.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
            })}
            <button type="button" class="tlm-button" on:click=move |_| on_more.run(())>
                {format!("Tilmeld flere fra {}", municipality.name)}
            </button>
        </div>
    }
}

fn count_text(n: usize) -> String {
    match n {
        0 => "Ingen nye deltagere".into(),
        1 => "1 deltager".into(),
        n => format!("{n} deltagere"),
    }
}
