//! The attendee flow: pick a municipality, check its membership of the network, fill in the
//! form (or apply for membership and register in one go), and see the confirmation. Where the
//! user is lives in one [`Step`]; the two requests are `Action`s.

use crate::api::{self, ApiError};
use crate::components::confirmation::Confirmation;
use crate::components::form::RegistrationForm;
use crate::components::form_state::FormState;
use crate::components::picker::MunicipalityPicker;
use crate::config::Config;
use crate::dom;
use crate::draft;
use crate::flow::{Asked, Enrolment, Step};
use crate::i18n::prelude::*;
use leptos::prelude::*;
use tilmelding_domain::meeting::PrivacyNotice;
use tilmelding_domain::wire::Membership;
use tilmelding_domain::{FieldPath, Meeting, Municipality, Registration};

/// Registration for one meeting.
#[component]
pub fn Registration(
    /// The meeting.
    meeting: Meeting,
    /// Backend configuration.
    config: Config,
) -> impl IntoView {
    if !meeting.registration_open(dom::now_unix()) {
        return view! { <Closed meeting/> }.into_any();
    }
    let rules = rules(&meeting);
    let heading = heading();
    let lang = use_lang();

    let step = RwSignal::new(Step::Pick);
    let focus = dom::Focus::new();
    // What the polite live region says.
    let announce = RwSignal::new(String::new());
    let form = FormState::new();
    let meeting = StoredValue::new(meeting);
    let config = StoredValue::new(config);
    let meeting_id = meeting.with_value(|m| m.id.clone());
    // Shown while a restored draft is on screen: when it was saved. The banner's, not the
    // flow's: it stays through the steps until the draft is sent or discarded.
    let restored = RwSignal::new(None::<f64>);

    let check = Action::new_local(move |code: &u16| {
        let code = *code;
        async move {
            let id = meeting.with_value(|m| m.id.clone());
            let answer =
                api::membership(&config.get_value(), lang.get_untracked(), &id, code).await;
            // Only picks from the list are asked about, so the code is always known.
            let Some(m) = Municipality::by_code(code) else {
                return;
            };
            let l = lang.get_untracked();
            let (text, heading) = match &answer {
                Ok(Membership { member: true, .. }) => (l.member(m.name), "tlm-form-title"),
                Ok(_) => (l.not_member(m.name), "tlm-membership-title"),
                Err(e) => (e.message(l), "tlm-membership-title"),
            };
            // `try_`: the widget may be gone by then (a host page that removes it). Only an
            // answer that moved the flow on is announced (a late one for an earlier pick is
            // dropped); focus follows it when the person asked.
            if let Some(asked) = step.try_update(|s| s.answered(code, answer)).flatten() {
                announce.set(text);
                if asked == Asked::Picked {
                    focus.later(heading);
                }
            }
        }
    });

    let submit = Action::new_local(move |reg: &Registration| {
        let reg = reg.clone();
        async move {
            let (cfg, m) = (config.get_value(), meeting.get_value());
            let l = lang.get_untracked();
            let waiting = move |w| form.waiting.set(w);
            let result = api::register(&cfg, l, &m, &reg, waiting).await;
            match &result {
                Ok(_) => {
                    draft::clear(&m.id);
                    restored.set(None);
                    announce.set(l.received().into());
                    form.reset_attendees();
                    focus.later("tlm-confirm-title");
                }
                Err(ApiError::Invalid { fields }) => {
                    form.show_errors(fields);
                    announce.set(l.err_invalid().into());
                    focus.later("tlm-form-errors");
                }
                Err(e) => {
                    announce.set(e.message(l));
                    form.failure.set(Some(e.clone()));
                }
            }
            let _ = step.try_update(|s| s.sent(result.map(|r| (r, reg.attendees))));
        }
    });
    let on_submit = Callback::new(move |reg: Registration| {
        let mut sending = false;
        step.update(|s| sending = s.send());
        if sending {
            submit.dispatch(reg);
        }
    });

    // A draft from an earlier visit: put it back, and say so.
    if let Some(d) = draft::load(&meeting_id) {
        form.restore(&d);
        if let Some(m) = d.municipality.and_then(Municipality::by_code) {
            step.set(Step::restore(m, d.apply));
            check.dispatch(m.code);
        }
        restored.set(Some(d.saved_at));
    }
    // Save as the user types. The outside world here is the browser's storage.
    let draft_id = meeting_id.clone();
    Effect::new(move |_| {
        let (municipality, apply) = step.with(|s| (s.municipality().map(|m| m.code), s.applying()));
        match form.draft(municipality, apply) {
            Some(d) => draft::save_soon(&draft_id, d),
            None => draft::clear(&draft_id),
        }
    });
    // Bumped to start the flow afresh (the picker keeps its own text).
    let generation = RwSignal::new(0u32);
    let discard = move |_| {
        draft::clear(&meeting_id);
        form.clear();
        step.set(Step::Pick);
        restored.set(None);
        generation.update(|g| *g += 1);
        focus.later(crate::handover::PICKER);
    };
    let picked = move |m: Option<&'static Municipality>| {
        step.set(Step::pick(m));
        if let Some(m) = m {
            announce.set(lang.get_untracked().checking(m.name));
            check.dispatch(m.code);
        }
    };
    let on_more = Callback::new(move |()| {
        step.update(Step::more);
        focus.later("tlm-form-title");
    });

    // Rebuilt only when the screen changes, not when the form starts or stops sending.
    let screen = Memo::new(move |_| step.with(Step::screen));
    // The picker stays (with its text and focus) through every step but the confirmation.
    let done = Memo::new(move |_| step.with(|s| matches!(s, Step::Done { .. })));
    let body = move || {
        match screen.get() {
        Step::Pick => None,
        Step::Checking(m, _) => Some(
            view! { <p class="tlm-checking">{move || lang.get().checking(m.name)}</p> }.into_any(),
        ),
        Step::CheckFailed(m, e, _) => Some(
            view! {
                <div class="tlm-alert tlm-alert-error">
                    <h4 id="tlm-membership-title" class="tlm-h4" tabindex="-1">{tr(lang, Lang::check_failed)}</h4>
                    <p>{move || e.message(lang.get())}</p>
                    <button part="button" type="button" class="tlm-button" on:click=move |_| {
                        step.update(Step::recheck);
                        check.dispatch(m.code);
                    }>
                        {tr(lang, Lang::retry)}
                    </button>
                </div>
            }
            .into_any(),
        ),
        Step::Offer {
            municipality,
            application_pending,
        } => Some(
            view! {
                <NotMember municipality application_pending/>
                <button part="button" type="button" class="tlm-button" on:click=move |_| {
                    step.update(Step::apply);
                    focus.later("tlm-form-title");
                }>{tr(lang, Lang::apply_button)}</button>
            }
            .into_any(),
        ),
        Step::Form(enrolment) => {
            let privacy = meeting.with_value(|m| m.registration.privacy.clone());
            Some(enrolment_form(enrolment, privacy, step, form, announce, on_submit))
        }
        Step::Sending(_) => None,
        Step::Done {
            enrolment,
            receipt,
            sent,
        } => Some(
            view! { <Confirmation meeting=meeting.get_value() municipality=enrolment.municipality receipt sent on_more/> }
                .into_any(),
        ),
    }
    };

    view! {
        <section class="tlm-registration" aria-labelledby="tlm-reg-title">
            {heading}
            {rules}
            <p class="tlm-visually-hidden" role="status" aria-live="polite">{move || announce.get()}</p>
            {move || restored.get().map(|when| view! {
                <div class="tlm-alert tlm-draft">
                    <p>{move || lang.get().restored(&draft::saved_when(lang.get(), when))}</p>
                    <button part="button" type="button" class="tlm-button tlm-button-secondary" on:click=discard.clone()>
                        {tr(lang, Lang::draft_discard)}
                    </button>
                </div>
            })}
            {move || {
                (!done.get(), generation.get()).0.then(|| {
                    let selected = Signal::derive(move || step.with(Step::municipality));
                    let error = Signal::derive(move || form.error_for(FieldPath::MunicipalityCode, lang.get()));
                    view! { <MunicipalityPicker selected on_pick=Callback::new(picked) error/> }
                })
            }}
            {body}
        </section>
    }
    .into_any()
}

/// The registration's heading, which each new start of the flow returns focus to.
pub fn heading() -> impl IntoView {
    let lang = use_lang();
    view! { <h3 id="tlm-reg-title" class="tlm-h3" tabindex="-1">{tr(lang, Lang::registration)}</h3> }
}

/// The meeting's rules for registering, above the picker.
pub fn rules(meeting: &Meeting) -> impl IntoView + use<> {
    let rules = meeting
        .rules
        .iter()
        .map(|r| view! { <li>{r.clone()}</li> })
        .collect_view();
    view! { <ul class="tlm-list tlm-rules">{rules}</ul> }
}

/// Registration has closed: why, in place of the form.
#[component]
pub fn Closed(
    /// The meeting.
    meeting: Meeting,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="tlm-registration" aria-labelledby="tlm-reg-title">
            {heading()}
            <div class="tlm-alert" role="status">{
                // Why: the organiser cancelled the meeting, a deadline before the start passed,
                // or the meeting began.
                match meeting.cancelled {
                    Some(reason) => view! {
                        <p><strong>{tr(lang, Lang::cancelled_title)}</strong></p>
                        <p>{reason}</p>
                    }.into_any(),
                    None => view! {
                        <p><strong>{tr(lang, Lang::closed_title)}</strong></p>
                        <p>{
                            if meeting.registration.deadline.is_some_and(|d| d < meeting.starts()) {
                                tr(lang, Lang::closed_text)
                            } else {
                                tr(lang, Lang::closed_started)
                            }
                        }</p>
                    }.into_any(),
                }
            }</div>
        </section>
    }
}

/// The note that a municipality is not a member (yet).
#[component]
fn NotMember(municipality: &'static Municipality, application_pending: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="tlm-alert">
            <h4 id="tlm-membership-title" class="tlm-h4" tabindex="-1">{move || lang.get().not_member(municipality.name)}</h4>
            <p>
                {tr(lang, Lang::membership_needed)}
                {move || application_pending.then(|| lang.get().application_pending())}
            </p>
        </div>
    }
}

/// The form for a member, or for a non-member applying (below the note on membership).
fn enrolment_form(
    enrolment: Enrolment,
    privacy: PrivacyNotice,
    step: RwSignal<Step>,
    form: FormState,
    announce: RwSignal<String>,
    on_submit: Callback<Registration>,
) -> AnyView {
    let lang = use_lang();
    let Enrolment {
        municipality,
        apply,
        application_pending,
    } = enrolment;
    let title = move || {
        if apply {
            lang.get().form_title_apply()
        } else {
            lang.get().form_title_member()
        }
    };
    let note = apply.then(|| view! { <NotMember municipality application_pending/> });
    view! {
        {note}
        {(!apply).then(|| view! { <p class="tlm-member">{move || lang.get().member(municipality.name)}</p> })}
        <h4 id="tlm-form-title" class="tlm-h4" tabindex="-1">{title}</h4>
        <RegistrationForm
            privacy
            municipality
            apply
            state=form
            busy=Signal::derive(move || step.with(Step::is_sending))
            announce
            on_submit/>
    }
    .into_any()
}
