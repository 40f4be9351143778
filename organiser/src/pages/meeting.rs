//! A meeting's page: the meeting chosen, its overview fetched again and again, and its
//! sections.
//!
//! The sections are built once per meeting. Each overview that arrives goes into one signal
//! the sections read, so a refresh changes numbers, rows and lists in place and never touches
//! what the organiser is doing: a field being typed in, an open form or preview, a sort, a
//! search and the focus all stay as they are, and the focused field stays where it is on the
//! screen.

use crate::api::{self, ApiError};
use crate::components::applications::Applications;
use crate::components::attendees::Attendees;
use crate::components::held_mails::HeldMails;
use crate::components::join_link::JoinLinkForm;
use crate::components::messages::Messages;
use crate::components::municipalities::Municipalities;
use crate::components::totals::Totals;
use crate::components::unreadable::UnreadableMeetings;
use crate::texts::Texts;
use crate::{
    Ctx, MEETING_KEY, actions, focus_unless_acted, keeping_focus_in_place, session, stored,
};
use leptos::prelude::*;
use std::time::Duration;
use tilmelding_domain::catalogue::MeetingStatus;
use tilmelding_domain::organiser::{MeetingItem, Overview};

#[component]
pub fn Dashboard(
    /// The organiser's token, signed in with.
    token: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // Whatever the organiser does from here on, focus is theirs: the heading takes it only if
    // they have done nothing since signing in.
    let signed_in = actions();
    let token = StoredValue::new(token);
    // The meetings people register for (not the drafts), the newest first.
    let meetings = LocalResource::new(move || {
        let lang = ctx.lang.get();
        async move {
            let mut list = api::meetings(&token.get_value(), lang).await?;
            list.retain(|m| m.status != MeetingStatus::Draft);
            list.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
            Ok::<_, ApiError>(list)
        }
    });
    let chosen = RwSignal::new(stored(MEETING_KEY));
    let meeting = Memo::new(move |_| {
        let list = meetings.get()?.ok()?;
        chosen
            .get()
            .filter(|id| list.iter().any(|m| &m.id == id))
            .or_else(|| MeetingItem::default_of(&list, &today()).map(|m| m.id.clone()))
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
    // The last overview that arrived stays on screen while the next is fetched, or when a
    // fetch fails (then a note says so): nothing blanks out under the organiser's eyes.
    let current = RwSignal::new(None::<Overview>);
    let failure = RwSignal::new(None::<String>);
    let updated = RwSignal::new(String::new());
    // The next fetch is scheduled when an answer arrives, after the server's interval: a slow
    // server is never asked again before it has answered.
    let next = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move || {
        let Some(answer) = overview.get() else {
            return;
        };
        match answer {
            Ok(Some(o)) => {
                keeping_focus_in_place(|| current.set(Some(o)));
                failure.set(None);
                updated.set(
                    js_sys::Date::new_0()
                        .to_locale_time_string(ctx.lang.get_untracked().code())
                        .into(),
                );
            }
            Ok(None) => {}
            Err(ApiError::Unauthorized) => return ctx.sign_out(),
            Err(e) => failure.set(Some(ctx.message(&e))),
        }
        let seconds = current.with_untracked(|o| {
            o.as_ref()
                .map_or(Overview::REFRESH_SECONDS, |o| o.refresh_seconds)
        });
        if let Some(h) = next.get_value() {
            h.clear();
        }
        next.set_value(
            set_timeout_with_handle(
                move || overview.refetch(),
                Duration::from_secs(seconds.max(1).into()),
            )
            .ok(),
        );
    });
    on_cleanup(move || {
        if let Some(h) = next.try_get_value().flatten() {
            h.clear();
        }
    });
    let refresh = Callback::new(move |()| overview.refetch());
    // Which meeting is on screen: the sections are built again only when this changes.
    let shown = Memo::new(move |_| current.with(|o| o.as_ref().map(|o| o.meeting.id.clone())));
    Effect::new(move |focused: Option<bool>| {
        let drawn = shown.with(Option::is_some);
        if drawn && focused != Some(true) {
            focus_unless_acted("org-meeting-title", signed_in);
        }
        drawn || focused == Some(true)
    });
    view! {
        <UnreadableMeetings token=token.get_value() />
        {move || {
            meetings
                .get()
                .and_then(Result::ok)
                .filter(|list| list.len() > 1)
                .map(|list| {
                    let lang = ctx.lang.get_untracked();
                    view! {
                        <div class="org-field org-meeting">
                            <label for="org-meeting">{move || ctx.t().meeting()}</label>
                            <select
                                id="org-meeting"
                                on:change=move |ev| {
                                    let id = event_target_value(&ev);
                                    if let Some(s) = session() {
                                        let _ = s.set_item(MEETING_KEY, &id);
                                    }
                                    chosen.set(Some(id));
                                }
                            >
                                {list
                                    .into_iter()
                                    .map(|m| {
                                        let selected = meeting.get_untracked().as_deref()
                                            == Some(m.id.as_str());
                                        view! {
                                            <option value=m.id.clone() selected=selected>
                                                {m.label(lang)}
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
        {move || match shown.get() {
            None => view! { <p>{move || ctx.t().loading()}</p> }.into_any(),
            Some(id) => {
                let token = token.get_value();
                view! {
                    <h1 id="org-meeting-title" class="org-meeting-title" tabindex="-1">
                        {move || current.with(|o| o.as_ref().map(|o| o.meeting.title.clone()))}
                    </h1>
                    <p class="org-meeting-when">
                        {move || current.with(|o| o.as_ref().map(|o| o.meeting.label(ctx.t())))}
                    </p>
                    <Totals current updated token=token.clone() meeting=id.clone() />
                    <Applications current token=token.clone() refresh />
                    <JoinLinkForm current token=token.clone() meeting=id.clone() refresh />
                    <Messages current token=token meeting=id />
                    <HeldMails current />
                    <Municipalities current />
                    <Attendees current />
                }
                    .into_any()
            }
        }}
    }
}

/// Today in the organiser's own calendar, `YYYY-MM-DD`.
fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}
