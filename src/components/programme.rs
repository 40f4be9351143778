//! The meeting's programme: theme, time, format, talks and rules. Printable as it stands.

use leptos::prelude::*;
use tilmelding_domain::Meeting;
use tilmelding_domain::meeting::{ItemKind, ProgrammeItem, Venue};

/// Shows one meeting's programme.
#[component]
pub fn Programme(
    /// The meeting to show.
    meeting: Meeting,
) -> impl IntoView {
    let where_ = match &meeting.venue {
        Venue::Virtual { note } => note.clone(),
        Venue::Physical { address, note } => match note {
            Some(n) => format!("{address}. {n}"),
            None => address.clone(),
        },
    };
    let network = meeting
        .network
        .short_name
        .clone()
        .unwrap_or_else(|| meeting.network.name.clone());
    view! {
        <article class="tlm-programme" aria-labelledby="tlm-title">
            <p class="tlm-kicker">{network}</p>
            <h2 id="tlm-title" class="tlm-title">{meeting.title.clone()}</h2>
            <p class="tlm-theme">"Tema: " <strong>{meeting.theme.clone()}</strong></p>
            <dl class="tlm-facts">
                <div><dt>"Tid"</dt><dd>{meeting.when_da()}</dd></div>
                <div><dt>"Sted"</dt><dd>{where_}</dd></div>
            </dl>
            {meeting.intro.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
            <h3 class="tlm-h3">"Program"</h3>
            <ol class="tlm-items">
                {meeting.programme.iter().map(item).collect_view()}
            </ol>
        </article>
    }
}

fn item(item: &ProgrammeItem) -> impl IntoView + use<> {
    let kind = match item.kind {
        ItemKind::Talk => "Oplæg",
        ItemKind::Discussion => "Drøftelse",
        ItemKind::Other => "Punkt",
    };
    let time = match (item.start, item.end) {
        (Some(s), Some(e)) => Some(format!("Kl. {}–{}", s.format_da(), e.format_da())),
        (Some(s), None) => Some(format!("Kl. {}", s.format_da())),
        _ => None,
    };
    let speakers = (!item.speakers.is_empty()).then(|| {
        let names: Vec<String> = item
            .speakers
            .iter()
            .map(|s| match &s.name {
                Some(n) => format!("{n}, {}", s.organisation),
                None => s.organisation.clone(),
            })
            .collect();
        view! { <p class="tlm-speakers">{format!("{kind} ved {}", names.join(" og "))}</p> }
    });
    view! {
        <li class="tlm-item">
            <h4 class="tlm-h4">{item.title.clone()}</h4>
            {time.map(|t| view! { <p class="tlm-time">{t}</p> })}
            {speakers}
            {item.body.iter().map(|p| view! { <p>{p.clone()}</p> }).collect_view()}
            {(!item.facts.is_empty()).then(|| view! {
                <ul class="tlm-list">{item.facts.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}</ul>
            })}
            {item.quote.as_ref().map(|q| view! {
                <figure class="tlm-quote">
                    <blockquote><p>{q.text.clone()}</p></blockquote>
                    <figcaption>{q.by.clone()}</figcaption>
                </figure>
            })}
        </li>
    }
}
