//! A meeting's page as a visitor first sees it, before the app runs: the language switch, the
//! programme, and the registration's heading, rules and municipality picker (a plain text
//! field until the app runs), or the note that registration has closed or that the meeting is
//! cancelled. The server renders it to HTML ahead of the wasm (`crate::prerender`); the
//! organiser page renders it live as its preview of the meeting being written, so the
//! organiser sees the public page as it will be.

use crate::components::app::LangSwitch;
use crate::components::picker::MunicipalityPicker;
use crate::components::programme::Programme;
use crate::components::registration::{Closed, heading, rules};
use leptos::prelude::*;
use tilmelding_domain::Meeting;

/// The meeting's public page at `now` (Unix seconds), inside the widget's root.
#[component]
pub fn PublicPage(
    /// The meeting.
    meeting: Meeting,
    /// When the page is seen: open for registration, or closed.
    now: i64,
) -> impl IntoView {
    let registration = if meeting.registration_open(now) {
        view! {
            <section class="tlm-registration" aria-labelledby="tlm-reg-title">
                {heading()}
                {rules(&meeting)}
                <MunicipalityPicker
                    selected=Signal::stored(None)
                    on_pick=Callback::new(|_| ())
                    error=Signal::stored(None::<String>)/>
            </section>
        }
        .into_any()
    } else {
        view! { <Closed meeting=meeting.clone()/> }.into_any()
    };
    view! {
        <LangSwitch/>
        <Programme meeting/>
        {registration}
    }
}
