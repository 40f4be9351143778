//! The meeting's programme: theme, time, format, talks and rules. Printable as it stands.
//! Labels follow the interface language; the meeting's own text is Danish and marked so.

use crate::i18n::prelude::*;
use leptos::prelude::*;
use tilmelding_domain::Meeting;
use tilmelding_domain::meeting::{ItemKind, ProgrammeItem, Venue};

/// The language meeting data is written in.
const DATA_LANG: &str = "da";

/// Shows one meeting's programme.
#[component]
pub fn Programme(
    /// The meeting to show.
    meeting: Meeting,
) -> impl IntoView {
    let lang = use_lang();
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
    let when = {
        let m = meeting.clone();
        move || lang.get().when(&m)
    };
    let items = meeting.programme.clone();
    view! {
        <article class="tlm-programme" aria-labelledby="tlm-title">
            <p class="tlm-kicker" lang=DATA_LANG>{network}</p>
            <h2 id="tlm-title" class="tlm-title" lang=DATA_LANG>{meeting.title.clone()}</h2>
            <p class="tlm-theme">{tr(lang, Lang::theme)} <strong lang=DATA_LANG>{meeting.theme.clone()}</strong></p>
            <dl class="tlm-facts">
                <div><dt>{tr(lang, Lang::time)}</dt><dd>{when}</dd></div>
                <div><dt>{tr(lang, Lang::place)}</dt><dd lang=DATA_LANG>{where_}</dd></div>
            </dl>
            {meeting.intro.iter().map(|p| view! { <p lang=DATA_LANG>{p.clone()}</p> }).collect_view()}
            <h3 class="tlm-h3">{tr(lang, Lang::programme)}</h3>
            <ol class="tlm-items">
                {move || { let l = lang.get(); items.iter().map(|i| item(i, l)).collect_view() }}
            </ol>
        </article>
    }
}

fn item(item: &ProgrammeItem, lang: Lang) -> impl IntoView + use<> {
    let kind = match item.kind {
        ItemKind::Talk => lang.talk(),
        ItemKind::Discussion => lang.discussion(),
        ItemKind::Other => lang.item(),
    };
    let fmt = |t: tilmelding_domain::Time| match lang {
        Lang::Da => t.format_da(),
        Lang::En => t.format_en(),
    };
    let time = match (item.start, item.end) {
        (Some(s), Some(e)) => Some(format!("{}–{}", fmt(s), fmt(e))),
        (Some(s), None) => Some(fmt(s)),
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
        let and = format!(" {} ", lang.and());
        view! { <p class="tlm-speakers">{format!("{kind} {} ", lang.by())}<span lang=DATA_LANG>{names.join(&and)}</span></p> }
    });
    view! {
        <li class="tlm-item">
            <h4 class="tlm-h4" lang=DATA_LANG>{item.title.clone()}</h4>
            {time.map(|t| view! { <p class="tlm-time">{t}</p> })}
            {speakers}
            {item.body.iter().map(|p| view! { <p lang=DATA_LANG>{p.clone()}</p> }).collect_view()}
            {(!item.facts.is_empty()).then(|| view! {
                <ul class="tlm-list" lang=DATA_LANG>{item.facts.iter().map(|f| view! { <li>{f.clone()}</li> }).collect_view()}</ul>
            })}
            {item.quote.as_ref().map(|q| view! {
                <figure class="tlm-quote" lang=DATA_LANG>
                    <blockquote><p>{q.text.clone()}</p></blockquote>
                    <figcaption>{q.by.clone()}</figcaption>
                </figure>
            })}
        </li>
    }
}
