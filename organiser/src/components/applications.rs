//! The membership applications: those waiting, each to approve or decline with a reason, and
//! those decided, with who decided, when and why.

use crate::api::{self, ApiError};
use crate::texts::{Phrases, Texts};
use crate::{Ctx, Since, StatusLine, focus_later};
use leptos::prelude::*;
use tilmelding_domain::calendar::format_local;
use tilmelding_domain::organiser::{Application, Overview, Standing};

#[component]
pub fn Applications(
    /// The overview the page fetches; its applications are listed.
    current: RwSignal<Option<Overview>>,
    /// The organiser's token.
    token: String,
    /// Fetches the overview again after a decision.
    refresh: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let token = StoredValue::new(token);
    let status = RwSignal::new(String::new());
    let waiting = Memo::new(move |_| {
        current.with(|o| {
            o.as_ref()
                .map(|o| o.applications.clone())
                .unwrap_or_default()
        })
    });
    // Applications whose decline form is open, as they were when it opened. The form stays
    // with what was typed in it even when a refresh no longer lists the application (decided
    // in another tab, or by another organiser); a note beside it says so.
    let open = RwSignal::new(Vec::<Application>::new());
    let list = Memo::new(move |_| {
        let mut list = waiting.get();
        open.with(|open| {
            for a in open {
                if !list.iter().any(|w| w.id == a.id) {
                    list.push(a.clone());
                }
            }
        });
        list.sort_by_key(|a| a.id);
        list
    });
    let since = Since::new();
    // (id, municipality, reason: None to approve)
    let decide = Action::new_local(
        move |(id, municipality, reason): &(i64, String, Option<String>)| {
            let (id, municipality, reason) = (*id, municipality.clone(), reason.clone());
            let lang = ctx.lang.get_untracked();
            since.mark();
            async move {
                let done = api::decide(id, reason.as_deref(), &token.get_value(), lang).await;
                (id, municipality, reason.is_none(), done)
            }
        },
    );
    Effect::new(move || {
        if let Some((id, municipality, approved, done)) = decide.value().get() {
            match done {
                Ok(member) => {
                    let lang = ctx.lang.get_untracked();
                    let mut said = lang.decided(&municipality, approved);
                    if let Some((Some(from), Some(until))) =
                        member.map(|m| (m.member_from, m.member_until))
                    {
                        said = format!("{said} {}", lang.member_for(from, until));
                    }
                    status.set(said);
                    open.update(|o| o.retain(|a| a.id != id));
                    // The buttons just used go with the application: focus goes to the
                    // section's heading, with the result right under it.
                    since.focus("org-applications");
                }
                // The form stays open, with the reason typed.
                Err(e) => status.set(ctx.message(&e)),
            }
            refresh.run(());
        }
    });
    let decided =
        move || current.with(|o| o.as_ref().map(|o| o.decided.clone()).unwrap_or_default());
    view! {
        <section class="org-card" aria-labelledby="org-applications">
            <h2 id="org-applications" tabindex="-1">{move || ctx.t().applications()}</h2>
            <StatusLine text=status />
            <Show
                when=move || !list.with(Vec::is_empty)
                fallback=move || view! { <p>{move || ctx.t().no_applications()}</p> }
            >
                <ul class="org-applications">
                    <For
                        each=move || list.get()
                        key=|a| a.id
                        children=move |a| view! { <ApplicationItem a current waiting open decide /> }
                    />
                </ul>
            </Show>
            <h3>{move || ctx.t().decided_title()}</h3>
            <Show
                when=move || current.with(|o| o.as_ref().is_some_and(|o| !o.decided.is_empty()))
                fallback=move || view! { <p>{move || ctx.t().no_decided()}</p> }
            >
                <ul class="org-decided">
                    <For
                        each=decided
                        key=|d| d.id
                        children=move |d| {
                            let when = format_local(d.decided_at);
                            view! {
                                <li>
                                    <strong>{d.municipality.clone()}</strong>
                                    ": "
                                    {move || ctx.lang.get().decided_line(d.approved, &d.decided_by, &when)}
                                    {d.reason.clone().map(|r| view! { <q lang="da">{r}</q> })}
                                </li>
                            }
                        }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// Approve or decline: (application id, municipality, `Some(reason)` to decline) in; the id,
/// the municipality, whether it was approved, and how it went out.
pub type DecideAction = Action<
    (i64, String, Option<String>),
    (
        i64,
        String,
        bool,
        Result<Option<tilmelding_domain::organiser::Approved>, ApiError>,
    ),
>;

#[component]
pub fn ApplicationItem(
    /// The application, as it was when first listed.
    a: Application,
    /// The overview: who waits on the application.
    current: RwSignal<Option<Overview>>,
    /// The applications still waiting, as the last overview says.
    waiting: Memo<Vec<Application>>,
    /// The applications whose decline form is open.
    open: RwSignal<Vec<Application>>,
    /// Sends a decision.
    decide: DecideAction,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = a.id;
    let declining = move || open.with(|o| o.iter().any(|x| x.id == id));
    let gone = move || !waiting.with(|w| w.iter().any(|x| x.id == id));
    let reason = RwSignal::new(String::new());
    let heading = format!("org-app-{id}");
    let reason_id = StoredValue::new(format!("org-reason-{id}"));
    let decline_id = StoredValue::new(format!("org-decline-{id}"));
    let code = a.municipality_code;
    let waiting_names = move || {
        current.with(|o| {
            o.as_ref()
                .map(|o| {
                    o.attendees
                        .iter()
                        .filter(|r| {
                            r.municipality_code == code && r.status == Standing::PendingMembership
                        })
                        .map(|r| r.name.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let municipality = StoredValue::new(a.municipality.clone());
    let app = StoredValue::new(a.clone());
    let busy = move || decide.pending().get();
    view! {
        <li aria-labelledby=heading.clone()>
            <h3 id=heading.clone()>{format!("{} ({})", a.municipality, a.municipality_code)}</h3>
            <p>
                {move || ctx.t().contact()} ": " {a.contact_name.clone()} " <" {a.contact_email.clone()} "> · "
                {move || ctx.t().applied()} " " {a.created_at.clone()}
            </p>
            <p>
                {move || {
                    let names = waiting_names();
                    format!("{}: {}", ctx.lang.get().waiting(names.len() as i64), names.join(", "))
                }}
            </p>
            <Show
                when=declining
                fallback=move || {
                    view! {
                        <div class="org-buttons">
                            // Not `disabled` while sending: a disabled button loses the focus.
                            <button
                                type="button"
                                class="org-primary"
                                id=format!("org-approve-{id}")
                                aria-disabled=move || busy().then_some("true")
                                on:click=move |_| {
                                    if !busy() {
                                        decide.dispatch((id, municipality.get_value(), None));
                                    }
                                }
                            >
                                {move || ctx.t().approve()} <span class="org-visually-hidden">" " {municipality.get_value()}</span>
                            </button>
                            <button type="button" id=decline_id.get_value() on:click=move |_| {
                                open.update(|o| o.push(app.get_value()));
                                focus_later(reason_id.get_value());
                            }>
                                {move || ctx.t().decline()} <span class="org-visually-hidden">" " {municipality.get_value()}</span>
                            </button>
                        </div>
                    }
                }
            >
                <form on:submit=move |ev| {
                    ev.prevent_default();
                    let text = reason.get_untracked();
                    if !busy() && !text.trim().is_empty() {
                        decide.dispatch((id, municipality.get_value(), Some(text)));
                    }
                }>
                    <Show when=gone>
                        <p class="org-note" role="status">{move || ctx.t().decided_meanwhile()}</p>
                    </Show>
                    <div class="org-field">
                        <label for=reason_id.get_value()>{move || ctx.t().reason()}</label>
                        <p class="org-hint" id=format!("{}-hint", reason_id.get_value())>{move || ctx.t().reason_hint()}</p>
                        <textarea
                            id=reason_id.get_value()
                            aria-describedby=format!("{}-hint", reason_id.get_value())
                            required
                            rows="3"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        ></textarea>
                    </div>
                    <div class="org-buttons">
                        <button type="submit" class="org-primary" aria-disabled=move || busy().then_some("true")>
                            {move || ctx.t().confirm_decline()}
                        </button>
                        <button type="button" on:click=move |_| {
                            open.update(|o| o.retain(|x| x.id != id));
                            focus_later(decline_id.get_value());
                        }>
                            {move || ctx.t().cancel()}
                        </button>
                    </div>
                </form>
            </Show>
        </li>
    }
}
