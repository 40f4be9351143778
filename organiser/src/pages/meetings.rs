//! The meetings: a list of them (those to come first, then the drafts, then those over), a new
//! one in one step (a copy of an earlier meeting on a new date, or a blank one), and the editor
//! of the one opened. Which one is open is kept for the tab, so a reload opens it again.

use crate::api::{self, ApiError, Step};
use crate::components::meeting_editor::MeetingEditor;
use crate::document;
use crate::meeting_texts::{MeetingPhrases, MeetingTexts};
use crate::{Ctx, focus_later, session, stored};
use leptos::prelude::*;
use tilmelding_domain::Date;
use tilmelding_domain::catalogue::CopyMeeting;

/// The meeting open in the editor, for the tab (`new` for one not saved yet).
const OPEN_KEY: &str = "tilmelding-organiser-open-meeting";

fn keep_open(id: Option<&str>) {
    if let Some(s) = session() {
        let _ = match id {
            Some(id) => s.set_item(OPEN_KEY, id),
            None => s.remove_item(OPEN_KEY),
        };
    }
}

#[component]
pub fn Meetings(token: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let token = StoredValue::new(token);
    let list = LocalResource::new(move || {
        let lang = ctx.lang.get();
        async move { api::meetings(&token.get_value(), lang).await }
    });
    // The meeting open: its id, `new`, or none (the list).
    let open = RwSignal::new(stored(OPEN_KEY));
    let opening = move |id: Option<String>| {
        keep_open(id.as_deref());
        open.set(id);
    };
    let back = Callback::new(move |()| {
        opening(None);
        list.refetch();
        focus_later("org-meetings-title");
    });
    let on_saved = Callback::new(move |id: String| {
        // A new meeting once saved is that meeting, also after a reload.
        keep_open(Some(&id));
        list.refetch();
    });
    let source = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let copy = Action::new_local(move |copy: &CopyMeeting| {
        let (copy, lang) = (copy.clone(), ctx.lang.get_untracked());
        async move { api::meeting_step(Step::Copy(&copy), &token.get_value(), lang).await }
    });
    Effect::new(move || match copy.value().get() {
        Some(Ok(record)) => {
            error.set(None);
            opening(Some(record.meeting.id));
        }
        Some(Err(ApiError::Unauthorized)) => ctx.sign_out(),
        Some(Err(e)) => {
            error.set(Some(ctx.message(&e)));
            focus_later("org-copy-date");
        }
        None => {}
    });
    view! {
        {move || match open.get() {
            Some(id) => {
                let token = token.get_value();
                // A blank meeting starts from the network of the latest one.
                let start = (id == "new").then(|| document::blank(None));
                let id = (id != "new").then_some(id);
                view! { <MeetingEditor token id start=start.unwrap_or_default() on_back=back on_saved /> }.into_any()
            }
            None => view! {
                <h1 id="org-meetings-title" class="org-meeting-title" tabindex="-1">{move || ctx.t().meetings_title()}</h1>
                <section class="org-card" aria-labelledby="org-meetings-title">
                    {move || list.get().map(|answer| match answer {
                        Ok(items) if items.is_empty() => view! { <p>{ctx.t().no_meetings()}</p> }.into_any(),
                        Ok(items) => view! {
                            <table class="org-table">
                                <thead><tr>
                                    <th scope="col">{move || ctx.t().col_meeting()}</th>
                                    <th scope="col">{move || ctx.t().col_date()}</th>
                                    <th scope="col">{move || ctx.t().col_status()}</th>
                                    <th scope="col"><span class="org-visually-hidden">{move || ctx.t().edit()}</span></th>
                                </tr></thead>
                                <tbody>
                                    {items.into_iter().map(|m| {
                                        let id = m.id.clone();
                                        let label = format!("{} {}", ctx.t().edit(), m.date);
                                        view! {
                                            <tr>
                                                <td>{m.title.clone()}<br/><span class="org-hint">{m.theme.clone()}</span></td>
                                                <td>{m.date.clone()}</td>
                                                <td>{move || ctx.lang.get().status_name(m.status)}</td>
                                                <td><button type="button" aria-label=label
                                                    on:click=move |_| opening(Some(id.clone()))>{move || ctx.t().edit()}</button></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <p class="org-error" role="alert">{ctx.message(&e)}</p> }.into_any(),
                    })}
                </section>
                <section class="org-card" aria-labelledby="org-new-title">
                    <h2 id="org-new-title">{move || ctx.t().new_title()}</h2>
                    <p class="org-hint">{move || ctx.t().copy_intro()}</p>
                    <form on:submit=move |ev| {
                        ev.prevent_default();
                        match Date::parse(&date.get_untracked()) {
                            Some(d) if !source.get_untracked().is_empty() => {
                                copy.dispatch(CopyMeeting { copy_from: source.get_untracked(), date: d, id: None });
                            }
                            _ => {
                                error.set(Some(tilmelding_domain::meeting::MeetingError::at(
                                    "date",
                                    tilmelding_domain::meeting::Problem::Date(date.get_untracked()),
                                ).message(ctx.lang.get_untracked())));
                                focus_later("org-copy-date");
                            }
                        }
                    }>
                        <div class="org-field">
                            <label for="org-copy-from">{move || ctx.t().copy_from()}</label>
                            <select id="org-copy-from" on:change=move |ev| source.set(event_target_value(&ev))>
                                {move || list.get().and_then(Result::ok).map(|items| {
                                    if let Some(first) = items.first().filter(|_| source.get_untracked().is_empty()) {
                                        source.set(first.id.clone());
                                    }
                                    items.into_iter().map(|m| {
                                        let label = format!("{} ({})", m.theme, m.date);
                                        view! { <option value=m.id.clone() selected=source.get_untracked() == m.id>{label}</option> }
                                    }).collect_view()
                                })}
                            </select>
                        </div>
                        <div class="org-field">
                            <label for="org-copy-date">{move || ctx.t().copy_date()}</label>
                            <p class="org-hint" id="org-copy-hint">{move || ctx.t().date_hint()}</p>
                            <input id="org-copy-date" type="text" required aria-describedby="org-copy-hint org-copy-error"
                                aria-invalid=move || error.get().map(|_| "true")
                                prop:value=move || date.get()
                                on:input=move |ev| date.set(event_target_value(&ev)) />
                            <p class="org-error" id="org-copy-error">{move || error.get()}</p>
                        </div>
                        <div class="org-buttons">
                            <button type="submit" class="org-primary">{move || ctx.t().copy_button()}</button>
                            <button type="button" on:click=move |_| opening(Some("new".into()))>{move || ctx.t().blank_button()}</button>
                        </div>
                    </form>
                </section>
            }.into_any(),
        }}
    }
}
