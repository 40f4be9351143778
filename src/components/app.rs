//! The whole widget: loads the meeting, shows the programme, then the registration flow.

use crate::api::{self, MeetingError};
use crate::components::programme::Programme;
use crate::components::registration::Registration;
use crate::config::Config;
use leptos::prelude::*;

/// Root component.
#[component]
pub fn App(
    /// Configuration read from the host element.
    config: Config,
) -> impl IntoView {
    let cfg = StoredValue::new(config);
    // Local: gloo-net futures are not Send.
    let meeting = LocalResource::new(move || async move { api::meeting(&cfg.get_value()).await });
    view! {
        <div class="tlm-root" lang="da">
            {move || match meeting.get() {
                None => view! {
                    <p class="tlm-loading" role="status">"Henter mødets program …"</p>
                }.into_any(),
                Some(Ok(m)) => view! {
                    <Programme meeting=m.clone()/>
                    <Registration meeting=m config=cfg.get_value()/>
                }.into_any(),
                Some(Err(e)) => view! { <LoadError error=e retry=move || meeting.refetch()/> }.into_any(),
            }}
        </div>
    }
}

/// The meeting could not be shown: say why, and offer a retry where one can help.
#[component]
fn LoadError(error: MeetingError, retry: impl Fn() + 'static) -> impl IntoView {
    let (text, detail, can_retry) = match error {
        MeetingError::Unavailable(msg) => (
            "Mødets program kunne ikke hentes.".to_owned(),
            msg,
            true,
        ),
        MeetingError::Malformed(detail) => (
            "Mødets data er ugyldige, så programmet og tilmeldingen kan ikke vises. Kontakt arrangøren af mødet.".to_owned(),
            format!("Teknisk detalje: {detail}"),
            false,
        ),
    };
    view! {
        <div class="tlm-alert tlm-alert-error" role="alert">
            <p><strong>{text}</strong></p>
            <p class="tlm-detail">{detail}</p>
            {can_retry.then(|| view! {
                <button type="button" class="tlm-button" on:click=move |_| retry()>"Prøv igen"</button>
            })}
        </div>
    }
}
