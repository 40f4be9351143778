//! The attendee flow: pick a municipality, check its membership of the network, fill in the
//! form (or apply for membership and register in one go), and see the confirmation.

use crate::api;
use crate::components::confirmation::Confirmation;
use crate::components::form::{FormState, RegistrationForm};
use crate::components::picker::MunicipalityPicker;
use crate::config::Config;
use crate::dom;
use crate::draft;
use crate::i18n::{Lang, tr};
use leptos::prelude::*;
use tilmelding_domain::wire::{Membership, Receipt};
use tilmelding_domain::{Attendee, Meeting, Municipality};

/// Registration for one meeting.
#[component]
pub fn Registration(
    /// The meeting.
    meeting: Meeting,
    /// Backend configuration.
    config: Config,
) -> impl IntoView {
    let rules = meeting
        .rules
        .iter()
        .map(|r| view! { <li>{r.clone()}</li> })
        .collect_view();
    let lang = crate::i18n::use_lang();
    let heading = view! { <h3 id="tlm-reg-title" class="tlm-h3" tabindex="-1">{tr(lang, Lang::registration)}</h3> };
    if !meeting.registration_open(dom::now_unix()) {
        return view! {
            <section class="tlm-registration" aria-labelledby="tlm-reg-title">
                {heading}
                <div class="tlm-alert" role="status">
                    <p><strong>{tr(lang, Lang::closed_title)}</strong></p>
                    <p>{tr(lang, Lang::closed_text)}</p>
                </div>
            </section>
        }
        .into_any();
    }

    let selected = RwSignal::new(None::<&'static Municipality>);
    let apply = RwSignal::new(false);
    let receipt = RwSignal::new(None::<(Receipt, Vec<Attendee>)>);
    // What the polite live region says; one signal type for every text signal (issue 9).
    let announce = RwSignal::new(String::new());
    let form = FormState::new();
    let meeting = StoredValue::new(meeting);
    let config = StoredValue::new(config);

    // The membership question, by a local task into signals rather than an `Action`: Leptos'
    // async action machinery costs kilobytes of wasm (issue 9). Only the newest question's
    // answer counts: a late answer for an earlier pick is dropped.
    let checking = RwSignal::new(false);
    let checked = RwSignal::new(None::<Result<Membership, api::ApiError>>);
    let asked = StoredValue::new(0u32);
    let check = move |code: u16| {
        let question = asked.get_value() + 1;
        asked.set_value(question);
        checking.set(true);
        leptos::task::spawn_local(async move {
            let id = meeting.with_value(|m| m.id.clone());
            let answer = api::membership(&config.get_value(), &id, code).await;
            if asked.try_get_value() == Some(question) {
                let _ = checked.try_set(Some(answer));
                let _ = checking.try_set(false);
            }
        });
    };
    let meeting_id = meeting.with_value(|m| m.id.clone());
    // A draft from an earlier visit: put it back, and say so.
    let restored = RwSignal::new(None::<f64>);
    if let Some(d) = draft::load(&meeting_id) {
        form.restore(&d);
        apply.set(d.apply);
        if let Some(m) = d.municipality.and_then(Municipality::by_code) {
            selected.set(Some(m));
            check(m.code);
        }
        restored.set(Some(d.saved_at));
    }
    // Save as the user types. The outside world here is the browser's storage.
    let draft_id = meeting_id.clone();
    Effect::new(
        move |_| match form.draft(selected.get().map(|m| m.code), apply.get()) {
            Some(d) => draft::save_soon(&draft_id, d),
            None => draft::clear(&draft_id),
        },
    );
    // Bumped to start the flow afresh (the picker keeps its own text).
    let generation = RwSignal::new(0u32);
    let discard_id = meeting_id.clone();
    let discard = move |_| {
        draft::clear(&discard_id);
        form.clear();
        apply.set(false);
        selected.set(None);
        restored.set(None);
        generation.update(|g| *g += 1);
        dom::focus_later("tlm-kommune");
    };
    // Focus follows the answer only when the user just picked (not when a draft is restored on
    // page load: that would pull a reader away from the top of the page).
    let user_picked = StoredValue::new(false);
    let picked = move |m: Option<&'static Municipality>| {
        apply.set(false);
        if let Some(m) = m {
            user_picked.set_value(true);
            announce.set(lang.get_untracked().checking(m.name));
            check(m.code);
        }
    };
    // The membership answer for the municipality picked now (an older answer arriving late
    // must not be shown for a newer pick).
    let answer = move || {
        let m = selected.get()?;
        if checking.get() {
            return Some((m, None));
        }
        let value = checked.get()?;
        match &value {
            Ok(ms) if ms.municipality_code != m.code => None,
            _ => Some((m, Some(value))),
        }
    };
    Effect::new(move |_| {
        // Announce and move focus when an answer arrives: the outside world here is the screen
        // reader and the focus, which signals cannot reach.
        if let Some((m, Some(result))) = answer() {
            let (text, heading) = match &result {
                Ok(Membership { member: true, .. }) => {
                    (lang.get_untracked().member(m.name), "tlm-form-title")
                }
                Ok(_) => (
                    lang.get_untracked().not_member(m.name),
                    "tlm-membership-title",
                ),
                Err(e) => (e.message(lang.get_untracked()), "tlm-membership-title"),
            };
            announce.set(text);
            if user_picked.get_value() {
                user_picked.set_value(false);
                dom::focus_later(heading);
            }
        }
    });

    let done_id = meeting_id.clone();
    let on_done = Callback::new(move |(r, sent): (Receipt, Vec<Attendee>)| {
        draft::clear(&done_id);
        restored.set(None);
        receipt.set(Some((r, sent)));
        form.reset_attendees();
        dom::focus_later("tlm-confirm-title");
    });
    let on_more = Callback::new(move |()| {
        receipt.set(None);
        dom::focus_later("tlm-form-title");
    });

    let body = move || {
        if let Some((r, sent)) = receipt.get() {
            let m = selected.get_untracked()?;
            return Some(
                view! { <Confirmation meeting=meeting.get_value() municipality=m receipt=r sent on_more/> }.into_any(),
            );
        }
        let (m, result) = answer()?;
        Some(match result {
            None => view! { <p class="tlm-checking">{move || lang.get().checking(m.name)}</p> }.into_any(),
            Some(Err(e)) => view! {
                <div class="tlm-alert tlm-alert-error">
                    <h4 id="tlm-membership-title" class="tlm-h4" tabindex="-1">{tr(lang, Lang::check_failed)}</h4>
                    <p>{move || e.message(lang.get())}</p>
                    <button type="button" class="tlm-button" on:click=move |_| { check(m.code); }>
                        {tr(lang, Lang::retry)}
                    </button>
                </div>
            }.into_any(),
            Some(Ok(ms)) => {
                let member = ms.member;
                let note = if member {
                    view! { <p class="tlm-member">{move || lang.get().member(m.name)}</p> }.into_any()
                } else {
                    let pending = ms.application_pending;
                    view! {
                        <div class="tlm-alert">
                            <h4 id="tlm-membership-title" class="tlm-h4" tabindex="-1">{move || lang.get().not_member(m.name)}</h4>
                            <p>
                                {tr(lang, Lang::membership_needed)}
                                {move || pending.then(|| lang.get().application_pending())}
                            </p>
                            {move || (!apply.get()).then(|| view! {
                                <button type="button" class="tlm-button" on:click=move |_| {
                                    apply.set(true);
                                    dom::focus_later("tlm-form-title");
                                }>{tr(lang, Lang::apply_button)}</button>
                            })}
                        </div>
                    }.into_any()
                };
                let form_view = move || (member || apply.get()).then(|| {
                    let title = move || if member { lang.get().form_title_member() } else { lang.get().form_title_apply() };
                    view! {
                        <h4 id="tlm-form-title" class="tlm-h4" tabindex="-1">{title}</h4>
                        <RegistrationForm
                            config=config.get_value()
                            meeting=meeting.get_value()
                            municipality=m
                            apply=!member
                            state=form
                            announce
                            on_done/>
                    }
                });
                view! { {note} {form_view} }.into_any()
            }
        })
    };

    view! {
        <section class="tlm-registration" aria-labelledby="tlm-reg-title">
            {heading}
            <ul class="tlm-list tlm-rules">{rules}</ul>
            <p class="tlm-visually-hidden" role="status" aria-live="polite">{move || announce.get()}</p>
            {move || restored.get().map(|when| view! {
                <div class="tlm-alert tlm-draft">
                    <p>{move || lang.get().restored(&draft::saved_when(lang.get(), when))}</p>
                    <button type="button" class="tlm-button tlm-button-secondary" on:click=discard.clone()>
                        {tr(lang, Lang::draft_discard)}
                    </button>
                </div>
            })}
            {move || (receipt.with(Option::is_none), generation.get()).0.then(|| view! {
                <MunicipalityPicker selected on_pick=Callback::new(picked) error=Signal::derive(move || form.errors.with(|e| e.iter().find(|s| s.id == "tlm-kommune").map(|s| lang.get().field_error(&s.error))))/>
            })}
            {body}
        </section>
    }
    .into_any()
}
