//! A meeting's page: the meeting chosen, its overview polled, and its sections.

use crate::api::{self, ApiError};
use crate::components::applications::Applications;
use crate::components::attendees::Attendees;
use crate::components::join_link::JoinLinkForm;
use crate::components::messages::Messages;
use crate::components::municipalities::Municipalities;
use crate::components::totals::Totals;
use crate::texts::Texts;
use crate::{Ctx, POLL};
use leptos::prelude::*;
use tilmelding_domain::organiser::Overview;

#[component]
pub fn Dashboard(
    /// The organiser's token, signed in with.
    token: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let token = StoredValue::new(token);
    let meetings = LocalResource::new(move || {
        let lang = ctx.lang.get();
        async move { api::meetings(&token.get_value(), lang).await }
    });
    let chosen = RwSignal::new(None::<String>);
    let meeting = Memo::new(move |_| {
        chosen.get().or_else(|| {
            meetings
                .get()
                .and_then(Result::ok)
                .and_then(|m| m.first().map(|m| m.id.clone()))
        })
    });
    let overview = LocalResource::new(move || {
        let (id, lang) = (meeting.get(), ctx.lang.get());
        async move {
            match id {
                Some(id) => api::overview(&id, &token.get_value(), lang).await.map(Some),
                None => Ok(None),
            }
        }
    });
    // The last overview that arrived stays on screen while the next is fetched, or when a poll
    // fails (then a note says so): the table never blanks out under the organiser's eyes.
    let current = RwSignal::new(None::<Overview>);
    let failure = RwSignal::new(None::<String>);
    let updated = RwSignal::new(String::new());
    Effect::new(move || match overview.get() {
        Some(Ok(Some(o))) => {
            current.set(Some(o));
            failure.set(None);
            updated.set(
                js_sys::Date::new_0()
                    .to_locale_time_string(ctx.lang.get_untracked().code())
                    .into(),
            );
        }
        Some(Err(ApiError::Unauthorized)) => ctx.sign_out(),
        Some(Err(e)) => failure.set(Some(ctx.message(&e))),
        _ => {}
    });
    let poll = set_interval_with_handle(move || overview.refetch(), POLL).ok();
    on_cleanup(move || {
        if let Some(handle) = poll {
            handle.clear();
        }
    });
    // Announced to screen readers: what a click did.
    let status = RwSignal::new(String::new());
    let refresh = Callback::new(move |()| overview.refetch());
    view! {
        <p class="org-visually-hidden" role="status" aria-live="polite">{move || status.get()}</p>
        {move || {
            meetings
                .get()
                .and_then(Result::ok)
                .filter(|list| list.len() > 1)
                .map(|list| {
                    view! {
                        <div class="org-field org-meeting">
                            <label for="org-meeting">{move || ctx.t().meeting()}</label>
                            <select
                                id="org-meeting"
                                on:change=move |ev| chosen.set(Some(event_target_value(&ev)))
                            >
                                {list
                                    .into_iter()
                                    .map(|m| {
                                        let selected = meeting.get_untracked().as_deref()
                                            == Some(m.id.as_str());
                                        view! {
                                            <option value=m.id.clone() selected=selected>
                                                {format!("{} ({})", m.title, m.date)}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                })
        }}
        <p class="org-error" role="alert">{move || failure.get()}</p>
        {move || match current.with(|o| o.as_ref().map(|o| o.meeting.clone())) {
            None => view! { <p>{move || ctx.t().loading()}</p> }.into_any(),
            Some(m) => {
                view! {
                    <h1 class="org-meeting-title">{m.title.clone()}</h1>
                    <Totals current updated token=token.get_value() meeting=m.id.clone() status />
                    <Applications current token=token.get_value() status refresh />
                    <JoinLinkForm current token=token.get_value() meeting=m.id.clone() status refresh />
                    <Messages current token=token.get_value() meeting=m.id.clone() status />
                    <Municipalities current />
                    <Attendees current />
                }
                    .into_any()
            }
        }}
    }
}
