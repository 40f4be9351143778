//! "Se, ret eller afmeld": a submission opened through its private manage link (see
//! `manage_link`). Where the view is lives in one [`Managing`] (`manage_flow`); every change
//! is checked by the domain's rules before it is sent, carries an idempotency key that stays
//! the same across retries, goes through one `Action`, and the view then shows the submission
//! as the server answers. The rows, the forms and the question before a cancellation are
//! components of their own.

use crate::api::{self, ApiError};
use crate::components::fields::{TextField, Typed, failure_alert, waiting_line};
use crate::config::Config;
use crate::dom;
use crate::draft;
use crate::i18n::prelude::*;
use crate::manage_flow::{Form, Kept, Managing};
use leptos::prelude::*;
use std::collections::HashMap;
use tilmelding_domain::manage::{Change, Managed, ManagedAttendee};
use tilmelding_domain::{Attendee, AttendeeField, FieldPath, Meeting, Municipality};

/// The element ids of the open form's fields, by the path the domain names them with.
fn field_id(path: FieldPath) -> &'static str {
    match path {
        FieldPath::ContactName | FieldPath::Attendee(_, AttendeeField::Name) => "tlm-m-name",
        FieldPath::ContactEmail | FieldPath::Attendee(_, AttendeeField::Email) => "tlm-m-email",
        FieldPath::Attendee(_, AttendeeField::Title) => "tlm-m-title",
        FieldPath::Attendee(_, AttendeeField::Department) => "tlm-m-department",
        _ => "tlm-m-form",
    }
}

/// A button's accessible name: its visible text and whom it acts on ("Afmeld Anna Andersen"),
/// so a screen reader's list of buttons tells the rows apart. One function, so one closure type
/// for every such label (each closure type costs its own render code).
fn for_whom(
    lang: RwSignal<Lang>,
    text: fn(Lang) -> &'static str,
    who: String,
) -> impl Fn() -> String + Send + Sync + 'static {
    move || format!("{} {who}", text(lang.get()))
}

/// What the view's parts share: its state, the typing, and the two things a part can ask for.
#[derive(Clone, Copy)]
struct Ctx {
    state: RwSignal<Managing>,
    typed: Typed,
    /// Opens a form, filled with what it changes.
    open: Callback<Form>,
    /// Sends the open form's change.
    save: Callback<()>,
}

/// The manage view.
#[component]
pub fn Manage(
    /// The meeting.
    meeting: Meeting,
    /// Backend configuration.
    config: Config,
    /// The manage link's token.
    token: String,
) -> impl IntoView {
    let lang = use_lang();
    let focus = dom::Focus::new();
    let cfg = StoredValue::new(config);
    let token = StoredValue::new(token);
    let meeting_id = StoredValue::new(meeting.id.clone());
    let loaded = LocalResource::new(move || async move {
        api::managed(
            &cfg.get_value(),
            lang.get_untracked(),
            &meeting_id.get_value(),
            &token.get_value(),
        )
        .await
    });
    let state = RwSignal::new(Managing::default());
    Effect::new(move || {
        if let Some(Ok(m)) = loaded.get() {
            state.update(|s| s.loaded(m));
        }
    });
    let typed = Typed::new(Attendee::default());
    let announce = RwSignal::new(String::new());
    let waiting = RwSignal::new(None::<api::Waiting>);

    // What is typed into an open form is kept as a draft, as the registration form's is: a
    // reload or a closed tab loses nothing.
    let draft_id = StoredValue::new(draft::manage_id(&meeting.id, &token.get_value()));
    if let Some(k) = draft_id.with_value(|id| draft::load::<Kept>(id)) {
        typed.set(k.person);
        state.update(|s| s.open(k.form, k.key));
    }
    Effect::new(move |_| {
        let open = state.with(|s| s.open.clone()).filter(|o| o.form.typed());
        let kept = open.map(|o| Kept {
            saved_at: 0.0,
            form: o.form,
            key: o.key,
            person: typed.tracked(),
        });
        draft_id.with_value(|id| match kept {
            Some(k) => draft::save_soon(id, k),
            None => draft::clear(id),
        });
    });

    let send = Action::new_local(move |change: &Change| {
        let change = change.clone();
        async move {
            let answer = api::change(
                &cfg.get_value(),
                lang.get_untracked(),
                &meeting_id.get_value(),
                &token.get_value(),
                &change,
                |w| waiting.set(w),
            )
            .await;
            match &answer {
                Ok(_) => {
                    announce.set(lang.get_untracked().saved().to_owned());
                    focus.later("tlm-manage-title");
                }
                Err(ApiError::Invalid { fields }) => {
                    if let Some(first) = fields.first() {
                        focus.later(field_id(first.field));
                    }
                }
                Err(_) => {}
            }
            // `try_`: the view may be gone by then (a host page that removes it).
            let _ = state.try_update(|s| s.answered(answer));
        }
    });
    let save = Callback::new(move |()| {
        let mut change = None;
        state.update(|s| change = s.send(typed.untracked()));
        match change {
            Some(c) => {
                send.dispatch(c);
            }
            None => {
                if let Some(first) = state.with_untracked(|s| s.errors.first().map(|e| e.field)) {
                    focus.later(field_id(first));
                }
            }
        }
    });
    let open = Callback::new(move |form: Form| {
        let filled = state.with_untracked(|s| s.managed.as_ref().map(|m| form.prefill(m)));
        typed.set(filled.unwrap_or_default());
        let first = match form {
            Form::Cancel(_) => "tlm-m-confirm",
            _ => "tlm-m-name",
        };
        state.update(|s| s.open(form, dom::new_key()));
        focus.later(first);
    });
    provide_context(Ctx {
        state,
        typed,
        open,
        save,
    });

    let managed = Memo::new(move |_| state.with(|s| s.managed.clone()));
    let failure = Memo::new(move |_| state.with(|s| s.failure.clone()));
    view! {
        <section class="tlm-registration tlm-manage" aria-labelledby="tlm-manage-title">
            <h3 id="tlm-manage-title" class="tlm-h3" tabindex="-1">{tr(lang, Lang::manage_title)}</h3>
            <p class="tlm-visually-hidden" role="status">{move || announce.get()}</p>
            {move || failure.get().map(|e| failure_alert(Lang::not_saved, e, save))}
            {waiting_line(waiting)}
            {move || match (managed.get(), loaded.get()) {
                (Some(m), _) => view! { <Submission managed=m/> }.into_any(),
                (None, Some(Err(e))) => view! {
                    <div class="tlm-alert tlm-alert-error" role="alert">
                        <p><strong>{tr(lang, Lang::manage_failed)}</strong> " " {move || e.message(lang.get())}</p>
                        <button part="button" type="button" class="tlm-button" on:click=move |_| loaded.refetch()>{tr(lang, Lang::retry)}</button>
                    </div>
                }.into_any(),
                _ => view! { <p class="tlm-loading" role="status">{tr(lang, Lang::manage_loading)}</p> }.into_any(),
            }}
        </section>
    }
}

/// The submission as it stands: its reference, attendees, and contact, with the changes still
/// allowed.
#[component]
fn Submission(
    /// The submission as last answered.
    managed: Managed,
) -> impl IntoView {
    let lang = use_lang();
    let Ctx { open, .. } = expect_context();
    let m = managed;
    let municipality = Municipality::by_code(m.municipality_code).map_or("", |m| m.name);
    let (changeable, cancellable) = (m.open, m.cancellable);
    let active: Vec<&ManagedAttendee> = m.attendees.iter().filter(|a| !a.cancelled).collect();
    let everyone = active
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let all = Form::Cancel(active.iter().map(|a| a.id).collect());
    let cancel_all = (cancellable && active.len() > 1).then(|| {
        let form = all.clone();
        view! {
            <p><button part="button" type="button" class="tlm-button tlm-button-secondary"
                on:click=move |_| open.run(form.clone())>{tr(lang, Lang::cancel_all)}</button></p>
            <ConfirmCancel form=all who=everyone/>
        }
    });
    let pending_note = (m.status == tilmelding_domain::wire::Status::PendingMembership)
        .then(|| view! { <p class="tlm-alert">{tr(lang, Lang::manage_pending)}</p> });
    view! {
        <p>{tr(lang, Lang::reference)} <strong class="tlm-reference">{m.reference.clone()}</strong> " · " {municipality}</p>
        {pending_note}
        {(!changeable).then(|| view! {
            <div class="tlm-alert" role="status"><p>{
                if cancellable { tr(lang, Lang::manage_cancel_only) } else { tr(lang, Lang::manage_closed) }
            }</p></div>
        })}
        <h4 class="tlm-h4">{tr(lang, Lang::attendees)}</h4>
        <ul class="tlm-list tlm-manage-list">
            {m.attendees.into_iter().map(|attendee| view! { <AttendeeRow attendee changeable cancellable/> }).collect_view()}
        </ul>
        {cancel_all}
        {changeable.then(|| view! {
            <h4 class="tlm-h4">{tr(lang, Lang::add_more)}</h4>
            <p><button part="button" type="button" class="tlm-button tlm-button-secondary"
                on:click=move |_| open.run(Form::Add)>{tr(lang, Lang::new_person)}</button></p>
            <ChangeForm form=Form::Add/>
        })}
        <h4 class="tlm-h4">{tr(lang, Lang::contact)}</h4>
        <p>{m.contact.name.clone()} " (" {m.contact.email.clone()} ")"</p>
        {changeable.then(|| view! {
            <p><button part="button" type="button" class="tlm-button tlm-button-secondary"
                on:click=move |_| open.run(Form::Contact)>{tr(lang, Lang::change_contact)}</button></p>
            <ChangeForm form=Form::Contact/>
        })}
    }
}

/// One attendee: who, and what can be done about them.
#[component]
fn AttendeeRow(
    /// The attendee.
    attendee: ManagedAttendee,
    /// Changes are allowed (registration is open).
    changeable: bool,
    /// Cancelling is allowed (the meeting has not started).
    cancellable: bool,
) -> impl IntoView {
    let lang = use_lang();
    let Ctx { open, .. } = expect_context();
    let a = attendee;
    let id = a.id;
    let who = a.name.clone();
    let detail = [a.title.as_str(), a.department.as_str(), a.email.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let button = move |form: Form, text: fn(Lang) -> &'static str, name: &str| {
        let label = for_whom(lang, text, who.clone());
        view! {
            <button part="button" id=format!("tlm-m-{name}-{id}") type="button" class="tlm-button tlm-button-secondary"
                aria-label=label on:click=move |_| open.run(form.clone())>{tr(lang, text)}</button>
        }
    };
    view! {
        <li class="tlm-manage-row" class:tlm-cancelled=a.cancelled>
            <p>
                <strong class="tlm-attendee">{a.name.clone()}</strong> " (" {detail} ")"
                {a.cancelled.then(|| view! { " " <span class="tlm-badge">{tr(lang, Lang::cancelled)}</span> })}
            </p>
            {(cancellable && !a.cancelled).then(|| view! {
                <p class="tlm-actions">
                    {changeable.then(|| view! {
                        {button(Form::Edit(id), Lang::edit, "edit")} " "
                        {button(Form::Replace(id), Lang::replace, "replace")} " "
                    })}
                    {button(Form::Cancel(vec![id]), Lang::cancel_one, "cancel")}
                </p>
                <ChangeForm form=Form::Edit(id)/>
                <ChangeForm form=Form::Replace(id)/>
                <ConfirmCancel form=Form::Cancel(vec![id]) who=a.name.clone()/>
            })}
        </li>
    }
}

/// A form that changes the submission, shown while it is the one open, under the row or
/// section it belongs to.
#[component]
fn ChangeForm(
    /// The change it makes.
    form: Form,
) -> impl IntoView {
    let lang = use_lang();
    let Ctx {
        state, typed, save, ..
    } = expect_context();
    let here = form.clone();
    let shown = Memo::new(move |_| state.with(|s| s.is_open(&here)));
    let errors = Memo::new(move |_| {
        let l = lang.get();
        state.with(|s| {
            s.errors
                .iter()
                .map(|e| (field_id(e.field).to_owned(), l.field_error(e)))
                .collect::<HashMap<_, _>>()
        })
    });
    let busy = Memo::new(move |_| state.with(|s| s.sending));
    let submit_label = match form {
        Form::Add => Lang::add_one,
        _ => Lang::save,
    };
    let (with_email, with_job) = (form.asks_email(), form.asks_job());
    move || {
        shown.get().then(|| view! {
            <form id="tlm-m-form" class="tlm-form tlm-manage-form" novalidate
                on:submit=move |ev| { ev.prevent_default(); save.run(()); }>
                <TextField id="tlm-m-name".into() label=Lang::name value=typed.name errors/>
                {with_email.then(|| view! {
                    <TextField id="tlm-m-email".into() label=Lang::email value=typed.email errors kind="email"/>
                })}
                {with_job.then(|| view! {
                    <TextField id="tlm-m-title".into() label=Lang::job_title value=typed.title errors/>
                    <TextField id="tlm-m-department".into() label=Lang::department value=typed.department errors/>
                })}
                <p class="tlm-actions">
                    <button part="button" type="submit" class="tlm-button"
                        aria-disabled=move || busy.get().then_some("true")>
                        {move || if busy.get() { lang.get().sending() } else { submit_label(lang.get()) }}
                    </button> " "
                    <button part="button" type="button" class="tlm-button tlm-button-secondary"
                        on:click=move |_| state.update(Managing::close)>{tr(lang, Lang::keep)}</button>
                </p>
            </form>
        })
    }
}

/// Asks before cancelling: who, and what follows. Shown while its cancellation is the one open.
#[component]
fn ConfirmCancel(
    /// The cancellation it confirms.
    form: Form,
    /// Whom it cancels, by name.
    who: String,
) -> impl IntoView {
    let lang = use_lang();
    let Ctx { state, save, .. } = expect_context();
    let shown = Memo::new(move |_| state.with(|s| s.is_open(&form)));
    let who = StoredValue::new(who);
    move || {
        shown.get().then(|| view! {
            <div class="tlm-alert" role="group" aria-labelledby="tlm-m-confirm-text">
                <p id="tlm-m-confirm-text">{move || lang.get().confirm_cancel_of(&who.get_value())}</p>
                <p class="tlm-actions">
                    <button part="button" id="tlm-m-confirm" type="button" class="tlm-button"
                        on:click=move |_| save.run(())>{tr(lang, Lang::confirm_cancel)}</button> " "
                    <button part="button" type="button" class="tlm-button tlm-button-secondary"
                        on:click=move |_| state.update(Managing::close)>{tr(lang, Lang::keep)}</button>
                </p>
            </div>
        })
    }
}
