//! Every attendee, searchable, a page at a time.

use crate::texts::{Phrases, Texts, standing};
use crate::{Ctx, municipality_name};
use leptos::prelude::*;
use tilmelding_domain::calendar::format_local;
use tilmelding_domain::organiser::{AttendeeRow, Overview};
use tilmelding_domain::text::search_key;

/// Attendee rows shown at a time.
pub const PAGE: usize = 200;

#[component]
pub fn Attendees(
    /// The overview the page fetches; its attendees are listed.
    current: RwSignal<Option<Overview>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let query = RwSignal::new(String::new());
    // Each row's search text, folded once per overview, not per keystroke.
    let index = Memo::new(move |_| {
        current.with(|o| {
            o.as_ref()
                .map(|o| {
                    o.attendees
                        .iter()
                        .map(|a| {
                            let municipality = municipality_name(a.municipality_code);
                            let text = format!(
                                "{} {} {} {} {}",
                                a.name, a.email, municipality, a.title, a.reference
                            );
                            (search_key(&text), a.clone())
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // The rows on screen: the matches, at most `limit` of them. Building thousands of table
    // rows at once took 420 ms with 2,000 attendees (make bench); a page of them keeps every
    // keystroke quick, and "show more" adds the next page.
    let limit = RwSignal::new(PAGE);
    let matches = Memo::new(move |_| {
        let words: Vec<String> = search_key(&query.get())
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        index.with(|rows| {
            rows.iter()
                .filter(|(key, _)| words.iter().all(|w| key.contains(w.as_str())))
                .map(|(_, a)| a.clone())
                .collect::<Vec<AttendeeRow>>()
        })
    });
    let shown = Memo::new(move |_| {
        matches.with(|m| m.iter().take(limit.get()).cloned().collect::<Vec<_>>())
    });
    let more = move || matches.with(Vec::len).saturating_sub(limit.get()).min(PAGE);
    view! {
        <section class="org-card" aria-labelledby="org-attendees">
            <h2 id="org-attendees">{move || ctx.t().attendees()}</h2>
            <div class="org-field">
                <label for="org-search">{move || ctx.t().search()}</label>
                <input
                    id="org-search"
                    type="search"
                    aria-describedby="org-shown"
                    prop:value=move || query.get()
                    on:input=move |ev| {
                        limit.set(PAGE);
                        query.set(event_target_value(&ev));
                    }
                />
            </div>
            <p id="org-shown" aria-live="polite">
                {move || ctx.lang.get().showing(shown.with(Vec::len), index.with(Vec::len))}
            </p>
            <Show when=move || index.with(|i| !i.is_empty()) fallback=move || view! { <p>{move || ctx.t().nobody_yet()}</p> }>
                <div class="org-scroll" tabindex="0" role="region" aria-labelledby="org-attendees">
                    <table class="org-cards">
                        <thead>
                            <tr>
                                <th scope="col">{move || ctx.t().name()}</th>
                                <th scope="col">{move || ctx.t().email()}</th>
                                <th scope="col">{move || ctx.t().municipality()}</th>
                                <th scope="col">{move || ctx.t().job_title()}</th>
                                <th scope="col">{move || ctx.t().status()}</th>
                                <th scope="col">{move || ctx.t().reference()}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || shown.get()
                                key=|a| (a.email.clone(), a.status, a.created_at)
                                children=move |a| {
                                    let when = format_local(a.created_at);
                                    view! {
                                        // On a phone each row is a card, each cell
                                        // named by its column (data-label, style/).
                                        <tr>
                                            <th scope="row">{a.name.clone()}</th>
                                            <td data-label=move || ctx.t().email()>{a.email.clone()}</td>
                                            <td data-label=move || ctx.t().municipality()>{municipality_name(a.municipality_code)}</td>
                                            <td data-label=move || ctx.t().job_title()>{a.title.clone()}</td>
                                            <td data-label=move || ctx.t().status()>{move || standing(ctx.t(), a.status)}</td>
                                            <td data-label=move || ctx.t().reference()><span title=when>{a.reference.clone()}</span></td>
                                        </tr>
                                    }
                                }
                            />
                        </tbody>
                    </table>
                </div>
                <Show when=move || more() != 0>
                    <button type="button" on:click=move |_| limit.update(|l| *l += PAGE)>
                        {move || ctx.lang.get().more(more())}
                    </button>
                </Show>
            </Show>
        </section>
    }
}
