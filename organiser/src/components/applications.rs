//! The membership applications waiting, each to approve or decline with a reason.

use crate::api::{self, ApiError};
use crate::texts::{Phrases, Texts};
use crate::{Ctx, focus};
use leptos::prelude::*;
use tilmelding_domain::organiser::{Application, Overview, Standing};

#[component]
pub fn Applications(
    /// The overview the page polls; its applications are listed.
    current: RwSignal<Option<Overview>>,
    /// The organiser's token.
    token: String,
    /// The page's polite status line: what a decision did.
    status: RwSignal<String>,
    /// Fetches the overview again after a decision.
    refresh: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let token = StoredValue::new(token);
    let list = move || {
        current.with(|o| {
            o.as_ref()
                .map(|o| o.applications.clone())
                .unwrap_or_default()
        })
    };
    // (id, municipality, reason: None to approve)
    let decide = Action::new_local(
        move |(id, municipality, reason): &(i64, String, Option<String>)| {
            let (id, municipality, reason) = (*id, municipality.clone(), reason.clone());
            let (by, lang) = (ctx.name.get_untracked(), ctx.lang.get_untracked());
            async move {
                let done = api::decide(id, reason.as_deref(), &by, &token.get_value(), lang).await;
                (municipality, reason.is_none(), done)
            }
        },
    );
    Effect::new(move || {
        if let Some((municipality, approved, done)) = decide.value().get() {
            match done {
                Ok(()) => {
                    status.set(ctx.lang.get_untracked().decided(&municipality, approved));
                    // The buttons just used are gone with the application: focus goes to the
                    // section's heading, not to the top of the page.
                    focus("org-applications");
                }
                Err(e) => status.set(ctx.message(&e)),
            }
            refresh.run(());
        }
    });
    view! {
        <section class="org-card" aria-labelledby="org-applications">
            <h2 id="org-applications" tabindex="-1">{move || ctx.t().applications()}</h2>
            <Show
                when=move || !list().is_empty()
                fallback=move || view! { <p>{move || ctx.t().no_applications()}</p> }
            >
                <ul class="org-applications">
                    <For
                        each=list
                        key=|a| a.id
                        children=move |a| view! { <ApplicationItem a current decide /> }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// Approve or decline: (application id, municipality, `Some(reason)` to decline) in; the
/// municipality, whether it was approved, and how it went out.
pub type DecideAction = Action<(i64, String, Option<String>), (String, bool, Result<(), ApiError>)>;

#[component]
pub fn ApplicationItem(
    a: Application,
    current: RwSignal<Option<Overview>>,
    decide: DecideAction,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let declining = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let heading = format!("org-app-{}", a.id);
    let reason_id = format!("org-reason-{}", a.id);
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
                        .join(", ")
                })
                .unwrap_or_default()
        })
    };
    let (id, municipality) = (a.id, a.municipality.clone());
    let name_for_approve = municipality.clone();
    let name_for_decline = municipality.clone();
    view! {
        <li aria-labelledby=heading.clone()>
            <h3 id=heading.clone()>{format!("{} ({})", a.municipality, a.municipality_code)}</h3>
            <p>
                {move || ctx.t().contact()} ": " {a.contact_name.clone()} " <" {a.contact_email.clone()} "> · "
                {move || ctx.t().applied()} " " {a.created_at.clone()}
            </p>
            <p>
                {move || ctx.lang.get().waiting(a.pending_registrations)} ": " {waiting_names}
            </p>
            <Show
                when=move || declining.get()
                fallback=move || {
                    let approve_name = name_for_approve.clone();
                    view! {
                        <div class="org-buttons">
                            <button
                                type="button"
                                class="org-primary"
                                id=format!("org-approve-{id}")
                                disabled=move || decide.pending().get()
                                on:click=move |_| {
                                    decide.dispatch((id, approve_name.clone(), None));
                                }
                            >
                                {move || ctx.t().approve()} <span class="org-visually-hidden">" " {municipality.clone()}</span>
                            </button>
                            <button type="button" on:click=move |_| declining.set(true)>
                                {move || ctx.t().decline()}
                            </button>
                        </div>
                    }
                }
            >
                {
                    let decline_name = name_for_decline.clone();
                    let reason_id = reason_id.clone();
                    view! {
                        <form on:submit=move |ev| {
                            ev.prevent_default();
                            let text = reason.get_untracked();
                            if !text.trim().is_empty() {
                                decide.dispatch((id, decline_name.clone(), Some(text)));
                            }
                        }>
                            <div class="org-field">
                                <label for=reason_id.clone()>{move || ctx.t().reason()}</label>
                                <p class="org-hint" id=format!("{reason_id}-hint")>{move || ctx.t().reason_hint()}</p>
                                <textarea
                                    id=reason_id.clone()
                                    aria-describedby=format!("{reason_id}-hint")
                                    required
                                    rows="3"
                                    prop:value=move || reason.get()
                                    on:input=move |ev| reason.set(event_target_value(&ev))
                                ></textarea>
                            </div>
                            <div class="org-buttons">
                                <button type="submit" class="org-primary" disabled=move || decide.pending().get()>
                                    {move || ctx.t().confirm_decline()}
                                </button>
                                <button type="button" on:click=move |_| declining.set(false)>
                                    {move || ctx.t().cancel()}
                                </button>
                            </div>
                        </form>
                    }
                }
            </Show>
        </li>
    }
}
