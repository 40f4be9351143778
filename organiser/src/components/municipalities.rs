//! The municipalities with registrations, sortable by each column.

use crate::Ctx;
use crate::texts::Texts;
use leptos::prelude::*;
use std::cmp::Ordering;
use tilmelding_domain::Lang;
use tilmelding_domain::organiser::{MunicipalityRow, Overview};
use tilmelding_domain::text::cmp_da;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Name,
    Code,
    Member,
    Attendees,
}

pub fn attendees_of(r: &MunicipalityRow) -> i64 {
    r.count.registered + r.count.pending_membership
}

pub fn compare(by: SortBy, a: &MunicipalityRow, b: &MunicipalityRow) -> Ordering {
    let by_name = || cmp_da(&a.count.municipality, &b.count.municipality);
    match by {
        SortBy::Name => by_name(),
        SortBy::Code => a.count.municipality_code.cmp(&b.count.municipality_code),
        SortBy::Member => b.member.cmp(&a.member).then_with(by_name),
        SortBy::Attendees => attendees_of(b).cmp(&attendees_of(a)).then_with(by_name),
    }
}

#[component]
pub fn Municipalities(
    /// The overview the page fetches; its municipalities are listed.
    current: RwSignal<Option<Overview>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let sort = RwSignal::new((SortBy::Name, true));
    let rows = Memo::new(move |_| {
        let (by, ascending) = sort.get();
        let mut rows = current.with(|o| {
            o.as_ref()
                .map(|o| o.municipalities.clone())
                .unwrap_or_default()
        });
        rows.sort_by(|a, b| compare(by, a, b));
        if !ascending {
            rows.reverse();
        }
        rows
    });
    let header = move |by: SortBy, label: fn(Lang) -> &'static str| {
        let aria = move || match sort.get() {
            (b, true) if b == by => "ascending",
            (b, false) if b == by => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button
                    type="button"
                    class="org-sort"
                    on:click=move |_| sort.update(|(b, asc)| {
                        *asc = if *b == by { !*asc } else { true };
                        *b = by;
                    })
                >
                    <span class="org-visually-hidden">{move || ctx.t().sort_by()} " "</span>
                    {move || label(ctx.t())}
                </button>
            </th>
        }
    };
    view! {
        <section class="org-card" aria-labelledby="org-municipalities">
            <h2 id="org-municipalities">{move || ctx.t().municipalities()}</h2>
            <div class="org-scroll" tabindex="0" role="region" aria-labelledby="org-municipalities">
                <table>
                    <thead>
                        <tr>
                            {header(SortBy::Name, Lang::municipality)}
                            // The trait's text, not `Lang::code` (the language's own code, "da").
                            {header(SortBy::Code, <Lang as Texts>::code_col)}
                            {header(SortBy::Member, Lang::member)}
                            {header(SortBy::Attendees, Lang::attendees_col)}
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || rows.get()
                            key=|r| (r.count.municipality_code, attendees_of(r), r.member)
                            children=move |r| {
                                view! {
                                    <tr>
                                        <th scope="row">{r.count.municipality.clone()}</th>
                                        <td>{r.count.municipality_code}</td>
                                        <td>{move || if r.member { ctx.t().yes() } else { ctx.t().no() }}</td>
                                        <td>{attendees_of(&r)}</td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
            </div>
        </section>
    }
}
