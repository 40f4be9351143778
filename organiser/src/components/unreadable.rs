//! Meeting files the server could not load: which, where in the file, and why, so the
//! organiser learns of a mistake from the page rather than from an attendee.

use crate::texts::Texts;
use crate::{Ctx, api};
use leptos::prelude::*;

/// The files the server skipped at start, if any; nothing when all loaded.
#[component]
pub fn UnreadableMeetings(
    /// The organiser's token.
    token: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let token = StoredValue::new(token);
    let files = LocalResource::new(move || {
        let lang = ctx.lang.get();
        async move { api::unreadable_meetings(&token.get_value(), lang).await }
    });
    let list = move || files.get().and_then(Result::ok).unwrap_or_default();
    view! {
        <Show when=move || !list().is_empty()>
            <section class="org-card org-warning" aria-labelledby="org-unreadable">
                <h2 id="org-unreadable">{move || ctx.t().unreadable_title()}</h2>
                <p>{move || ctx.t().unreadable_hint()}</p>
                <ul>
                    {move || {
                        list()
                            .into_iter()
                            .map(|f| view! {
                                <li><code>{f.file}</code> ": " {f.message}</li>
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}
