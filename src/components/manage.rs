//! "Se, ret eller afmeld": a submission opened through its private manage link. The
//! link's token is in the page's URL fragment (`#tilmelding-manage=…`), so it never reaches a
//! server log; the widget sends it to the API as a bearer token. Every change is checked by the
//! domain's rules before it is sent, carries an idempotency key that stays the same across
//! retries, and the view shows the submission as the server answers after it.

use crate::api::{self, ApiError};
use crate::components::form::TextField;
use crate::config::Config;
use crate::dom;
use crate::draft;
use crate::i18n::prelude::*;
use leptos::prelude::*;
use std::collections::HashMap;
use tilmelding_domain::manage::{Action, Change, Managed, ManagedAttendee};
use tilmelding_domain::{
    Attendee, AttendeeField, Contact, FieldError, FieldPath, Limits, Meeting, Municipality,
};

/// Which form is open; one at a time.
#[derive(Clone, Debug, PartialEq)]
enum Open {
    Edit(i64),
    Replace(i64),
    Cancel(Vec<i64>),
    Add,
    Contact,
}

impl Open {
    /// As a draft keeps it (a cancellation has nothing typed, so no draft).
    fn draft(&self) -> Option<String> {
        match self {
            Open::Edit(id) => Some(format!("edit:{id}")),
            Open::Replace(id) => Some(format!("replace:{id}")),
            Open::Add => Some("add".into()),
            Open::Contact => Some("contact".into()),
            Open::Cancel(_) => None,
        }
    }

    fn from_draft(text: &str) -> Option<Open> {
        let id = |s: &str| s.parse().ok();
        match text.split_once(':') {
            Some(("edit", n)) => id(n).map(Open::Edit),
            Some(("replace", n)) => id(n).map(Open::Replace),
            _ if text == "add" => Some(Open::Add),
            _ if text == "contact" => Some(Open::Contact),
            _ => None,
        }
    }
}

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

/// The manage view.
#[component]
pub fn Manage(meeting: Meeting, config: Config, token: String) -> impl IntoView {
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
    // The submission as last answered (by the load, then by each change).
    let current = RwSignal::new(None::<Managed>);
    Effect::new(move || {
        if let Some(Ok(m)) = loaded.get() {
            current.set(Some(m));
        }
    });
    let open = RwSignal::new(None::<Open>);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let announce = RwSignal::new(String::new());
    let waiting = RwSignal::new(None::<api::Waiting>);
    // The open form's idempotency key: made when it opens, so every send of it (a retry, a
    // send after a reload) counts as one change.
    let key = StoredValue::new(String::new());
    // The open form's fields.
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());

    // What is typed into an open form is kept as a draft, as the registration form's is: a
    // reload or a closed tab loses nothing.
    let draft_id = StoredValue::new(draft::manage_id(&meeting.id, &token.get_value()));
    if let Some(d) = draft_id.with_value(|id| draft::load(id))
        && let (Some(what), Some(a)) = (
            d.manage.as_deref().and_then(Open::from_draft),
            d.rows.first(),
        )
    {
        name.set(a.name.clone());
        email.set(a.email.clone());
        title.set(a.title.clone());
        department.set(a.department.clone());
        key.set_value(d.key.clone());
        open.set(Some(what));
    }
    Effect::new(move |_| {
        let kept = open
            .get()
            .and_then(|o| o.draft())
            .map(|manage| draft::Draft {
                manage: Some(manage),
                rows: vec![Attendee {
                    name: name.get(),
                    email: email.get(),
                    title: title.get(),
                    department: department.get(),
                }],
                key: key.get_value(),
                ..Default::default()
            });
        draft_id.with_value(|id| match kept {
            Some(d) => draft::save_soon(id, d),
            None => draft::clear(id),
        });
    });

    let by_id = Memo::new(move |_| {
        let l = lang.get();
        errors.with(|e| {
            e.iter()
                .map(|e| (field_id(e.field).to_owned(), l.field_error(e)))
                .collect::<HashMap<_, _>>()
        })
    });

    let send = move |action: Action| {
        if busy.get_untracked() {
            return;
        }
        let change = Change {
            idempotency_key: key.get_value(),
            action,
        };
        let change = match change.validate(&Limits::default()) {
            Ok(valid) => valid,
            Err(found) => {
                errors.set(found.clone());
                if let Some(first) = found.first() {
                    focus.later(field_id(first.field));
                }
                return;
            }
        };
        errors.set(Vec::new());
        failure.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = api::change(
                &cfg.get_value(),
                lang.get_untracked(),
                &meeting_id.get_value(),
                &token.get_value(),
                &change,
                |w| waiting.set(w),
            )
            .await;
            busy.set(false);
            match answer {
                Ok(m) => {
                    current.set(Some(m));
                    open.set(None);
                    announce.set(lang.get_untracked().saved().to_owned());
                    focus.later("tlm-manage-title");
                }
                Err(ApiError::Invalid { fields }) => {
                    if let Some(first) = fields.first() {
                        focus.later(field_id(first.field));
                    }
                    errors.set(fields);
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };

    // Opens a form, filled with what it changes.
    let start = move |what: Open, a: Option<&ManagedAttendee>| {
        let (n, e, t, d) = match (&what, a) {
            (Open::Edit(_), Some(a)) => (
                a.name.clone(),
                a.email.clone(),
                a.title.clone(),
                a.department.clone(),
            ),
            (Open::Contact, _) => current.with_untracked(|c| {
                c.as_ref()
                    .map(|c| {
                        (
                            c.contact.name.clone(),
                            c.contact.email.clone(),
                            String::new(),
                            String::new(),
                        )
                    })
                    .unwrap_or_default()
            }),
            _ => Default::default(),
        };
        name.set(n);
        email.set(e);
        title.set(t);
        department.set(d);
        errors.set(Vec::new());
        failure.set(None);
        key.set_value(dom::new_key());
        let first = match what {
            Open::Cancel(_) => "tlm-m-confirm",
            _ => "tlm-m-name",
        };
        open.set(Some(what));
        focus.later(first);
    };

    let person = move || Attendee {
        name: name.get_untracked(),
        email: email.get_untracked(),
        title: title.get_untracked(),
        department: department.get_untracked(),
    };
    let save = move || {
        let Some(what) = open.get_untracked() else {
            return;
        };
        let action = match what {
            Open::Edit(id) => Action::Edit {
                attendee: id,
                name: name.get_untracked(),
                title: title.get_untracked(),
                department: department.get_untracked(),
            },
            Open::Replace(id) => Action::Replace {
                attendee: id,
                person: person(),
            },
            Open::Add => Action::Add {
                attendees: vec![person()],
            },
            Open::Contact => Action::Contact {
                contact: Contact {
                    name: name.get_untracked(),
                    email: email.get_untracked(),
                },
            },
            Open::Cancel(ids) => Action::Cancel { attendees: ids },
        };
        send(action);
    };

    // The open form, under the row or section it belongs to.
    let form = move |here: Open| {
        let kind = here.clone();
        (open.get() == Some(here)).then(move || {
            let with_email = matches!(kind, Open::Replace(_) | Open::Add | Open::Contact);
            let with_job = !matches!(kind, Open::Contact);
            let submit_label = match kind {
                Open::Add => Lang::add_one,
                _ => Lang::save,
            };
            view! {
                <form id="tlm-m-form" class="tlm-form tlm-manage-form" novalidate
                    on:submit=move |ev| { ev.prevent_default(); save(); }>
                    <TextField id="tlm-m-name".into() label=Lang::name value=name errors=by_id/>
                    {with_email.then(|| view! {
                        <TextField id="tlm-m-email".into() label=Lang::email value=email errors=by_id kind="email"/>
                    })}
                    {with_job.then(|| view! {
                        <TextField id="tlm-m-title".into() label=Lang::job_title value=title errors=by_id/>
                        <TextField id="tlm-m-department".into() label=Lang::department value=department errors=by_id/>
                    })}
                    <p class="tlm-actions">
                        <button part="button" type="submit" class="tlm-button"
                            aria-disabled=move || busy.get().then_some("true")>
                            {move || if busy.get() { lang.get().sending() } else { submit_label(lang.get()) }}
                        </button> " "
                        <button part="button" type="button" class="tlm-button tlm-button-secondary"
                            on:click=move |_| open.set(None)>{tr(lang, Lang::keep)}</button>
                    </p>
                </form>
            }
        })
    };

    // Asks before cancelling: who, and what follows.
    let confirm =
        move |ids: Vec<i64>, who: String| {
            let here = Open::Cancel(ids);
            (open.get() == Some(here)).then(move || view! {
            <div class="tlm-alert" role="group" aria-labelledby="tlm-m-confirm-text">
                <p id="tlm-m-confirm-text">{move || lang.get().confirm_cancel_of(&who)}</p>
                <p class="tlm-actions">
                    <button part="button" id="tlm-m-confirm" type="button" class="tlm-button"
                        on:click=move |_| save()>{tr(lang, Lang::confirm_cancel)}</button> " "
                    <button part="button" type="button" class="tlm-button tlm-button-secondary"
                        on:click=move |_| open.set(None)>{tr(lang, Lang::keep)}</button>
                </p>
            </div>
        })
        };

    let attendee = move |a: ManagedAttendee, changeable: bool, cancellable: bool| {
        let id = a.id;
        let who = a.name.clone();
        let detail = [a.title.as_str(), a.department.as_str(), a.email.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let edit_from = a.clone();
        view! {
            <li class="tlm-manage-row" class:tlm-cancelled=a.cancelled>
                <p>
                    <strong class="tlm-attendee">{a.name.clone()}</strong> " (" {detail} ")"
                    {a.cancelled.then(|| view! { " " <span class="tlm-badge">{tr(lang, Lang::cancelled)}</span> })}
                </p>
                {(cancellable && !a.cancelled).then(move || view! {
                    <p class="tlm-actions">
                        {changeable.then(|| view! {
                            <button part="button" id=format!("tlm-m-edit-{id}") type="button" class="tlm-button tlm-button-secondary"
                                aria-label=for_whom(lang, Lang::edit, who.clone())
                                on:click=move |_| start(Open::Edit(id), Some(&edit_from))>{tr(lang, Lang::edit)}</button> " "
                            <button part="button" id=format!("tlm-m-replace-{id}") type="button" class="tlm-button tlm-button-secondary"
                                aria-label=for_whom(lang, Lang::replace, who.clone())
                                on:click=move |_| start(Open::Replace(id), None)>{tr(lang, Lang::replace)}</button> " "
                        })}
                        <button part="button" id=format!("tlm-m-cancel-{id}") type="button" class="tlm-button tlm-button-secondary"
                            aria-label=for_whom(lang, Lang::cancel_one, who.clone())
                            on:click=move |_| start(Open::Cancel(vec![id]), None)>{tr(lang, Lang::cancel_one)}</button>
                    </p>
                    {move || form(Open::Edit(id))}
                    {move || form(Open::Replace(id))}
                    {let who = a.name.clone(); move || confirm(vec![id], who.clone())}
                })}
            </li>
        }
    };

    let body = move |m: Managed| {
        let municipality = Municipality::by_code(m.municipality_code).map_or("", |m| m.name);
        let (changeable, cancellable) = (m.open, m.cancellable);
        let active: Vec<i64> = m
            .attendees
            .iter()
            .filter(|a| !a.cancelled)
            .map(|a| a.id)
            .collect();
        let everyone = m
            .attendees
            .iter()
            .filter(|a| !a.cancelled)
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
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
                {m.attendees.into_iter().map(|a| attendee(a, changeable, cancellable)).collect_view()}
            </ul>
            {(cancellable && active.len() > 1).then(|| {
                let ids = active.clone();
                view! {
                    <p><button part="button" type="button" class="tlm-button tlm-button-secondary"
                        on:click=move |_| start(Open::Cancel(ids.clone()), None)>{tr(lang, Lang::cancel_all)}</button></p>
                    {move || confirm(active.clone(), everyone.clone())}
                }
            })}
            {changeable.then(|| view! {
                <h4 class="tlm-h4">{tr(lang, Lang::add_more)}</h4>
                <p><button part="button" type="button" class="tlm-button tlm-button-secondary"
                    on:click=move |_| start(Open::Add, None)>{tr(lang, Lang::new_person)}</button></p>
                {move || form(Open::Add)}
            })}
            <h4 class="tlm-h4">{tr(lang, Lang::contact)}</h4>
            <p>{m.contact.name.clone()} " (" {m.contact.email.clone()} ")"</p>
            {changeable.then(|| view! {
                <p><button part="button" type="button" class="tlm-button tlm-button-secondary"
                    on:click=move |_| start(Open::Contact, None)>{tr(lang, Lang::change_contact)}</button></p>
                {move || form(Open::Contact)}
            })}
        }
    };

    view! {
        <section class="tlm-registration tlm-manage" aria-labelledby="tlm-manage-title">
            <h3 id="tlm-manage-title" class="tlm-h3" tabindex="-1">{tr(lang, Lang::manage_title)}</h3>
            <p class="tlm-visually-hidden" role="status">{move || announce.get()}</p>
            {move || failure.get().map(|e| view! {
                <div class="tlm-alert tlm-alert-error" role="alert">
                    <p><strong>{tr(lang, Lang::not_saved)}</strong> " " {move || e.message(lang.get())}</p>
                    <p>{tr(lang, Lang::kept)}</p>
                    <button part="button" type="button" class="tlm-button" on:click=move |_| save()>{tr(lang, Lang::retry)}</button>
                </div>
            })}
            <p class="tlm-waiting" role="status">
                {move || match waiting.get() {
                    Some(api::Waiting::Offline) => lang.get().offline().to_owned(),
                    Some(api::Waiting::Retry(s)) => lang.get().retrying(s),
                    None => String::new(),
                }}
            </p>
            {move || match (current.get(), loaded.get()) {
                (Some(m), _) => body(m).into_any(),
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
