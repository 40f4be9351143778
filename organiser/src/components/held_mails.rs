//! Mails held back by the server's per-address cap: a registration or a change was stored, but
//! its mail to an address that had already had the hour's share was not sent. The organiser
//! sees to whom, so a real person who registered many times can be told, and a stream of them
//! shows someone aiming the organisation's sender at an address.

use crate::Ctx;
use crate::texts::Texts;
use leptos::prelude::*;
use tilmelding_domain::calendar::format_local;
use tilmelding_domain::organiser::Overview;

/// The meeting's held-back mails, latest first; nothing when there are none.
#[component]
pub fn HeldMails(current: RwSignal<Option<Overview>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let held =
        move || current.with(|o| o.as_ref().map(|o| o.held_mails.clone()).unwrap_or_default());
    view! {
        <Show when=move || !held().is_empty()>
            <section class="org-card org-warning" aria-labelledby="org-held">
                <h2 id="org-held">{move || ctx.t().held_title()}</h2>
                <p>{move || ctx.t().held_hint()}</p>
                // Drawn again with each overview: a short list with nothing to type into, and two
                // mails to one address in one second would share any key.
                <ul>
                    {move || {
                        held()
                            .into_iter()
                            .map(|m| view! {
                                <li>
                                    <strong>{m.to}</strong> ": " {m.subject} " (" {format_local(m.held_at)} ")"
                                </li>
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}
