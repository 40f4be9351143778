//! The meeting editor: every field of a meeting document, each checked by the domain's own
//! rules and told at its field in the page's language; what is typed is kept in the browser
//! until it is saved, so a reload or a closed tab loses nothing; a live preview of the public
//! page; and the steps of a meeting's life: save (a move of a published meeting says first
//! whom it will be mailed to), publish (then the code for the CMS and the link, each with a
//! copy button), cancel (confirmed, with a reason), and its history.

use crate::api::{self, ApiError, Step};
use crate::components::preview::Preview;
use crate::document::{self, field_id};
use crate::meeting_texts::{MeetingPhrases, MeetingTexts};
use crate::{Ctx, Since, StatusLine, focus_later};
use leptos::prelude::*;
use serde_json::Value;
use tilmelding_domain::catalogue::{CancelMeeting, MeetingRecord, MeetingStatus};
use tilmelding_domain::meeting::MeetingError;
use tilmelding_domain::{Lang, Meeting};

/// Where the editor keeps what is typed, per meeting (`new` for one not saved yet): the tab's
/// `localStorage`, so it outlives a reload and a closed tab, until it is saved or discarded.
fn draft_key(id: Option<&str>) -> String {
    format!("tilmelding-organiser-meeting:{}", id.unwrap_or("new"))
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A kept draft: when it was written, and the document.
fn load_draft(key: &str) -> Option<(String, Value)> {
    let text = local()?.get_item(key).ok()??;
    let v: Value = serde_json::from_str(&text).ok()?;
    Some((v.get("at")?.as_str()?.to_owned(), v.get("doc")?.clone()))
}

fn save_draft(key: &str, doc: &Value) {
    let at: String = js_sys::Date::new_0()
        .to_locale_time_string("da")
        .as_string()
        .unwrap_or_default();
    if let Some(s) = local() {
        let _ = s.set_item(key, &serde_json::json!({"at": at, "doc": doc}).to_string());
    }
}

fn clear_draft(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

/// What the fields share: the document being written, and the mistake shown at its field.
#[derive(Clone, Copy)]
struct Form {
    doc: RwSignal<Value>,
    /// The field path of the mistake shown, and what is wrong.
    error: RwSignal<Option<(String, String)>>,
}

/// How a field reads and writes its place in the document.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A text that must be written.
    Text,
    /// A text that may be left out.
    Optional,
    Date,
    Time,
    /// A time that may be left out.
    OptionalTime,
    /// A date and time that may be left out (`YYYY-MM-DDTHH:MM`).
    DateTime,
    /// A whole number that may be left out.
    Number,
    /// A list of paragraphs, apart by a blank line.
    Paragraphs,
    /// A list of lines.
    Lines,
    /// A programme item's speakers, a line each.
    Speakers,
}

impl Kind {
    /// How a date or a time is written, told beside its field. Typed as text, as the
    /// meeting file has it: a browser's own date field reads and writes as its locale says.
    fn format_hint(self) -> Option<fn(Lang) -> &'static str> {
        match self {
            Kind::Date => Some(Lang::date_hint),
            Kind::Time | Kind::OptionalTime => Some(Lang::time_hint),
            Kind::DateTime => Some(Lang::deadline_hint),
            _ => None,
        }
    }

    fn area(self) -> bool {
        matches!(self, Kind::Paragraphs | Kind::Lines | Kind::Speakers)
    }

    /// The field's text in the document.
    fn read(self, doc: &Value, path: &str) -> String {
        match self {
            Kind::Paragraphs => document::joined(doc, path, true),
            Kind::Lines => document::joined(doc, path, false),
            Kind::Speakers => document::speakers_text(doc, path),
            // Shown as people write it, with a space between the date and the time.
            Kind::DateTime => document::text(doc, path).replacen('T', " ", 1),
            _ => document::text(doc, path),
        }
    }

    /// The document's value for what is typed; none leaves the field out.
    fn write(self, typed: &str) -> Option<Value> {
        let empty = typed.trim().is_empty();
        match self {
            Kind::Paragraphs => Some(document::split(typed, true)),
            Kind::Lines => Some(document::split(typed, false)),
            Kind::Speakers => Some(document::speakers(typed)),
            Kind::Optional | Kind::OptionalTime | Kind::DateTime | Kind::Number if empty => None,
            // The meeting file's form: a `T` between the date and the time.
            Kind::DateTime => Some(Value::from(typed.trim().replacen(' ', "T", 1))),
            // A number as a number; anything else as typed, for the domain to name.
            Kind::Number => Some(
                typed
                    .trim()
                    .parse::<u32>()
                    .map_or_else(|_| Value::from(typed), Value::from),
            ),
            _ => Some(Value::from(typed)),
        }
    }
}

/// One field of the document: its label, hint and mistake, and what is typed written into the
/// document at once. Its value is set when it is drawn (not on every change), so nothing
/// redrawn under the organiser's fingers moves the caret.
#[component]
fn Field(
    /// The field path (`programme[2].start`).
    #[prop(into)]
    path: String,
    label: fn(Lang) -> &'static str,
    kind: Kind,
    #[prop(optional)] hint: Option<fn(Lang) -> &'static str>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let form = expect_context::<Form>();
    let hint = hint.or(kind.format_hint());
    let id = field_id(&path);
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let described = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    let initial = form.doc.with_untracked(|d| kind.read(d, &path));
    let path = StoredValue::new(path);
    let mine = move || {
        form.error.with(|e| {
            e.as_ref()
                .filter(|(f, _)| path.with_value(|p| f == p))
                .map(|(_, m)| m.clone())
        })
    };
    let on_input = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        form.doc
            .update(|d| path.with_value(|p| document::set(d, p, kind.write(&typed))));
    };
    let invalid = move || mine().map(|_| "true");
    let control = if kind.area() {
        view! {
            <textarea id=id.clone() rows="4" aria-describedby=described.clone()
                aria-invalid=invalid on:input=on_input prop:value=initial></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type="text" aria-describedby=described.clone()
                aria-invalid=invalid on:input=on_input prop:value=initial
                inputmode=(kind == Kind::Number).then_some("numeric") />
        }
        .into_any()
    };
    view! {
        <div class="org-field">
            <label for=id.clone()>{move || label(ctx.t())}</label>
            {hint.map(|h| view! { <p class="org-hint" id=hint_id.clone()>{move || h(ctx.t())}</p> })}
            {control}
            <p class="org-error" id=error_id.clone()>{mine}</p>
        </div>
    }
}

/// The venue: virtual (a note) or at an address.
#[component]
fn VenueFields(generation: RwSignal<u32>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let form = expect_context::<Form>();
    let physical = Memo::new(move |_| {
        form.doc
            .with(|d| document::text(d, "venue.kind") == "physical")
    });
    view! {
        <div class="org-field">
            <label for="m-venue-kind">{move || ctx.t().f_venue_kind()}</label>
            <select id="m-venue-kind" on:change=move |ev| {
                let kind = event_target_value(&ev);
                form.doc.update(|d| {
                    let note = document::text(d, "venue.note");
                    let venue = if kind == "physical" {
                        serde_json::json!({"kind": "physical", "address": ""})
                    } else {
                        serde_json::json!({"kind": "virtual", "note": note})
                    };
                    document::set(d, "venue", Some(venue));
                });
                generation.update(|g| *g += 1);
            }>
                <option value="virtual" selected=move || !physical.get()>{move || ctx.t().venue_virtual()}</option>
                <option value="physical" selected=move || physical.get()>{move || ctx.t().venue_physical()}</option>
            </select>
        </div>
        {move || if physical.get() {
            view! {
                <Field path="venue.address" label=Lang::f_venue_address kind=Kind::Text />
                <Field path="venue.note" label=Lang::f_venue_note kind=Kind::Optional />
            }.into_any()
        } else {
            view! { <Field path="venue.note" label=Lang::f_venue_note kind=Kind::Text /> }.into_any()
        }}
    }
}

/// One programme item's fields, and the buttons that move or remove it.
#[component]
fn Item(i: usize, count: usize, generation: RwSignal<u32>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let form = expect_context::<Form>();
    let at = |field: &str| format!("programme[{i}].{field}");
    let heading = format!("m-programme-{i}-heading");
    let kind_id = field_id(&at("kind"));
    let kind = form.doc.with_untracked(|d| document::text(d, &at("kind")));
    let kind_path = at("kind");
    let moved = move |to: usize, focus: String| {
        form.doc.update(|d| {
            if let Some(items) = d.get_mut("programme").and_then(Value::as_array_mut) {
                if to < items.len() {
                    items.swap(i, to);
                } else if to == usize::MAX && items.len() > 1 {
                    items.remove(i);
                }
            }
        });
        generation.update(|g| *g += 1);
        focus_later(focus);
    };
    let options = [
        ("talk", Lang::kind_talk as fn(Lang) -> &'static str),
        ("discussion", Lang::kind_discussion),
        ("other", Lang::kind_other),
    ];
    view! {
        <fieldset class="org-item" aria-labelledby=heading.clone()>
            <legend><h3 id=heading.clone() tabindex="-1">{move || ctx.lang.get().item_heading(i + 1)}</h3></legend>
            <div class="org-field">
                <label for=kind_id.clone()>{move || ctx.t().f_item_kind()}</label>
                <select id=kind_id on:change=move |ev| {
                    let v = event_target_value(&ev);
                    form.doc.update(|d| document::set(d, &kind_path, Some(Value::from(v))));
                }>
                    {options.into_iter().map(|(value, name)| view! {
                        <option value=value selected=kind == value>{move || name(ctx.t())}</option>
                    }).collect_view()}
                </select>
            </div>
            <Field path=at("title") label=Lang::f_item_title kind=Kind::Text />
            <div class="org-row">
                <Field path=at("start") label=Lang::f_item_start kind=Kind::OptionalTime />
                <Field path=at("end") label=Lang::f_item_end kind=Kind::OptionalTime />
            </div>
            <Field path=at("speakers") label=Lang::f_speakers kind=Kind::Speakers hint=Lang::speakers_hint />
            <Field path=at("body") label=Lang::f_body kind=Kind::Paragraphs hint=Lang::paragraphs_hint />
            <Field path=at("facts") label=Lang::f_facts kind=Kind::Lines hint=Lang::lines_hint />
            <Field path=at("quote.text") label=Lang::f_quote_text kind=Kind::Optional />
            <Field path=at("quote.by") label=Lang::f_quote_by kind=Kind::Optional />
            <div class="org-buttons">
                {(i > 0).then(|| view! {
                    <button type="button" on:click=move |_| moved(i - 1, format!("m-programme-{}-heading", i - 1))>
                        {move || ctx.t().move_up()}
                    </button>
                })}
                {(i + 1 < count).then(|| view! {
                    <button type="button" on:click=move |_| moved(i + 1, format!("m-programme-{}-heading", i + 1))>
                        {move || ctx.t().move_down()}
                    </button>
                })}
                {(count > 1).then(|| view! {
                    <button type="button" on:click=move |_| moved(usize::MAX, "m-add-item".into())>
                        {move || ctx.t().remove_item()}
                    </button>
                })}
            </div>
        </fieldset>
    }
}

/// What is wrong, in `lang`, for its field: without the field's path, which the field's
/// label already names.
fn at_field(e: &MeetingError, lang: Lang) -> String {
    MeetingError::at("", e.problem()).message(lang)
}

/// A quote's two fields leave no empty quote behind: a quote is both or neither.
fn tidy(doc: &mut Value) {
    if let Some(items) = doc.get_mut("programme").and_then(Value::as_array_mut) {
        for item in items {
            let quote = item.get("quote").cloned().unwrap_or(Value::Null);
            let text = quote.get("text").and_then(Value::as_str).unwrap_or("");
            let by = quote.get("by").and_then(Value::as_str).unwrap_or("");
            if quote.is_object() && text.is_empty() && by.is_empty() {
                document::set(item, "quote", None);
            } else if quote.is_object() {
                document::set(item, "quote.text", Some(Value::from(text)));
                document::set(item, "quote.by", Some(Value::from(by)));
            }
        }
    }
}

/// The document as it is sent: a new meeting's id, when left empty, is its network's and its
/// date (as a copy's); quotes tidied.
fn sendable(doc: &Value, new: bool) -> Value {
    let mut doc = doc.clone();
    tidy(&mut doc);
    if new && document::text(&doc, "id").trim().is_empty() {
        let id = format!(
            "{}-{}",
            document::text(&doc, "network.id"),
            document::text(&doc, "date")
        );
        document::set(&mut doc, "id", Some(Value::from(id)));
    }
    doc
}

/// The editor of one meeting (`id`), or of a new one (none; `start` is its first document).
#[component]
pub fn MeetingEditor(
    token: String,
    id: Option<String>,
    /// A new meeting's first document.
    #[prop(optional)]
    start: Option<Value>,
    /// Back to the list.
    on_back: Callback<()>,
    /// A new meeting was saved under this id.
    on_saved: Callback<String>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let token = StoredValue::new(token);
    let key = StoredValue::new(draft_key(id.as_deref()));
    let id = StoredValue::new(id);
    let form = Form {
        doc: RwSignal::new(Value::Null),
        error: RwSignal::new(None),
    };
    provide_context(form);
    let saved = RwSignal::new(None::<MeetingRecord>);
    let generation = RwSignal::new(0u32);
    let restored = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    // The document first shown: what is kept in the browser, or else the server's (or the new
    // meeting's first).
    let open = move |server: Value| {
        let doc = match load_draft(&key.get_value()) {
            Some((at, draft)) if draft != server => {
                restored.set(Some(at));
                draft
            }
            _ => server,
        };
        form.doc.set(doc);
        loaded.set(true);
        generation.update(|g| *g += 1);
    };
    if id.with_value(Option::is_none) {
        open(start.unwrap_or_else(|| document::blank(None)));
    } else {
        let fetched = LocalResource::new(move || {
            let lang = ctx.lang.get_untracked();
            let id = id.get_value().unwrap_or_default();
            async move { api::meeting(&id, &token.get_value(), lang).await }
        });
        Effect::new(move || match fetched.get() {
            Some(Ok(record)) if !loaded.get_untracked() => {
                let server = serde_json::to_value(&record.meeting).unwrap_or_default();
                saved.set(Some(record));
                open(server);
                focus_later("m-editor-title");
            }
            Some(Err(ApiError::Unauthorized)) => ctx.sign_out(),
            Some(Err(e)) => failure.set(Some(ctx.message(&e))),
            _ => {}
        });
    }
    // Kept in the browser as it is typed; gone once it is the server's.
    Effect::new(move || {
        if !loaded.get() {
            return;
        }
        let doc = form.doc.get();
        let server = saved.with(|s| {
            s.as_ref()
                .and_then(|r| serde_json::to_value(&r.meeting).ok())
        });
        if Some(&doc) == server.as_ref() {
            clear_draft(&key.get_value());
        } else {
            save_draft(&key.get_value(), &doc);
        }
    });
    let is_new = move || saved.with(Option::is_none);
    // The domain's reading of what is written now: the meeting, or its first mistake.
    let checked = Memo::new(move |_| {
        form.doc.with(|d| {
            document::check(&sendable(
                d,
                id.with_value(Option::is_none) && saved.with(Option::is_none),
            ))
        })
    });
    let last_good = RwSignal::new(None::<Meeting>);
    Effect::new(move || {
        if let Ok(m) = checked.get() {
            last_good.set(Some(m));
        }
    });
    let current_status = move || saved.with(|s| s.as_ref().map(|r| r.status));
    let registered = move || saved.with(|s| s.as_ref().map_or(0, |r| r.registered));
    // A move of a published meeting with people registered: from and to, in the page's language.
    let moving = move || {
        let lang = ctx.lang.get();
        saved.with(|s| {
            let s = s
                .as_ref()
                .filter(|s| s.status == MeetingStatus::Published && s.registered > 0)?;
            checked.with(|c| c.as_ref().ok()?.moved_from(&s.meeting, lang))
        })
    };
    let confirming_move = RwSignal::new(false);
    let since = Since::new();
    let act = Action::new_local(move |step: &(u8, Option<String>)| {
        let (step, reason) = step.clone();
        let lang = ctx.lang.get_untracked();
        let new = saved.with_untracked(Option::is_none);
        let doc = sendable(&form.doc.get_untracked(), new);
        let id = saved.with_untracked(|s| s.as_ref().map(|r| r.meeting.id.clone()));
        since.mark();
        async move {
            let token = token.get_value();
            match (step, id) {
                (0, None) => api::meeting_step(Step::Create(&doc), &token, lang).await,
                (0, Some(id)) => api::meeting_step(Step::Save(&id, &doc), &token, lang).await,
                (1, Some(id)) => api::meeting_step(Step::Publish(&id), &token, lang).await,
                (_, Some(id)) => {
                    let cancel = CancelMeeting {
                        reason: reason.unwrap_or_default(),
                    };
                    api::meeting_step(Step::Cancel(&id, &cancel), &token, lang).await
                }
                _ => Err(ApiError::Refused(String::new())),
            }
        }
    });
    let cancelling = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    Effect::new(move || {
        let Some(done) = act.value().get() else {
            return;
        };
        let lang = ctx.lang.get_untracked();
        confirming_move.set(false);
        match done {
            Ok(record) => {
                let before = saved.with_untracked(|s| s.as_ref().map(|r| r.status));
                let text = match record.status {
                    MeetingStatus::Cancelled if record.told > 0 || cancelling.get_untracked() => {
                        lang.cancelled_told(record.told)
                    }
                    _ if record.told > 0 => lang.moved_told(record.told),
                    MeetingStatus::Published if before == Some(MeetingStatus::Draft) => {
                        lang.published_note().to_owned()
                    }
                    _ => lang.saved().to_owned(),
                };
                cancelling.set(false);
                form.error.set(None);
                failure.set(None);
                clear_draft(&key.get_value());
                restored.set(None);
                let id = record.meeting.id.clone();
                saved.set(Some(record));
                status.set(text);
                if before.is_none() {
                    on_saved.run(id);
                }
                since.focus("m-status");
            }
            Err(ApiError::Field { field, message }) => {
                // Shown at its field, which need not be named again.
                let message = ["Feltet", "Field"]
                    .iter()
                    .find_map(|w| message.strip_prefix(&format!("{w} {field}: ")))
                    .map_or(message.clone(), str::to_owned);
                form.error.set(Some((field.clone(), message)));
                since.focus(field_id(&field));
            }
            Err(ApiError::Unauthorized) => ctx.sign_out(),
            Err(e) => {
                failure.set(Some(ctx.message(&e)));
                since.focus("m-failure");
            }
        }
    });
    let busy = move || act.pending().get();
    // Saving: the domain's rules first, here, at the field; a move asks first.
    let save = move || {
        if busy() {
            return;
        }
        match checked.get_untracked() {
            Err(e) => {
                let message = at_field(&e, ctx.lang.get_untracked());
                form.error.set(Some((e.field.clone(), message)));
                focus_later(field_id(&e.field));
            }
            Ok(_) if moving().is_some() && !confirming_move.get_untracked() => {
                form.error.set(None);
                confirming_move.set(true);
                focus_later("m-move-confirm");
            }
            Ok(_) => {
                form.error.set(None);
                act.dispatch((0, None));
            }
        }
    };
    let discard = move |_| {
        clear_draft(&key.get_value());
        restored.set(None);
        let server = saved.with_untracked(|s| {
            s.as_ref()
                .and_then(|r| serde_json::to_value(&r.meeting).ok())
        });
        form.doc
            .set(server.unwrap_or_else(|| document::blank(None)));
        form.error.set(None);
        generation.update(|g| *g += 1);
        focus_later("m-editor-title");
    };
    let items = Memo::new(move |_| {
        form.doc.with(|d| {
            d.get("programme")
                .and_then(Value::as_array)
                .map_or(0, Vec::len)
        })
    });
    let add_item = move |_| {
        let n = items.get_untracked();
        form.doc.update(|d| {
            if let Some(list) = d.get_mut("programme").and_then(Value::as_array_mut) {
                list.push(document::new_item());
            }
        });
        generation.update(|g| *g += 1);
        focus_later(format!("m-programme-{n}-heading"));
    };
    let title = move || {
        saved.with(|s| match s {
            Some(r) => r.meeting.title.clone() + " · " + &r.meeting.date.to_string(),
            None => ctx.t().editor_new().to_owned(),
        })
    };
    let fields = move || {
        generation.track();
        let count = items.get_untracked();
        let new = is_new();
        view! {
            <section class="org-card" aria-labelledby="m-section-meeting">
                <h2 id="m-section-meeting">{move || ctx.t().section_meeting()}</h2>
                {new.then(|| view! { <Field path="id" label=Lang::f_id kind=Kind::Optional hint=Lang::f_id_hint /> })}
                <Field path="network.id" label=Lang::f_network_id kind=Kind::Text />
                <Field path="network.name" label=Lang::f_network_name kind=Kind::Text />
                <Field path="network.short_name" label=Lang::f_network_short kind=Kind::Optional />
                <Field path="network.organiser" label=Lang::f_network_organiser kind=Kind::Optional />
                <Field path="title" label=Lang::f_title kind=Kind::Text />
                <Field path="theme" label=Lang::f_theme kind=Kind::Text />
                <Field path="intro" label=Lang::f_intro kind=Kind::Paragraphs hint=Lang::paragraphs_hint />
                <div class="org-row">
                    <Field path="date" label=Lang::f_date kind=Kind::Date />
                    <Field path="start" label=Lang::f_start kind=Kind::Time />
                    <Field path="end" label=Lang::f_end kind=Kind::Time />
                </div>
                <VenueFields generation />
            </section>
            <section class="org-card" aria-labelledby="m-section-programme">
                <h2 id="m-section-programme">{move || ctx.t().section_programme()}</h2>
                {(0..count).map(|i| view! { <Item i count generation /> }).collect_view()}
                <button type="button" id="m-add-item" on:click=add_item>{move || ctx.t().add_item()}</button>
            </section>
            <section class="org-card" aria-labelledby="m-section-registration">
                <h2 id="m-section-registration">{move || ctx.t().section_registration()}</h2>
                <Field path="rules" label=Lang::f_rules kind=Kind::Lines hint=Lang::lines_hint />
                <Field path="registration.deadline" label=Lang::f_deadline kind=Kind::DateTime />
                <Field path="registration.reminder_hours_before" label=Lang::f_reminder kind=Kind::Number />
                <Field path="registration.privacy.text" label=Lang::f_privacy_text kind=Kind::Text />
                <Field path="registration.privacy.url" label=Lang::f_privacy_url kind=Kind::Text />
                <Field path="registration.page_url" label=Lang::f_page_url kind=Kind::Optional />
                <Field path="registration.contact_email" label=Lang::f_contact kind=Kind::Optional />
            </section>
        }
    };
    view! {
        <p><button type="button" class="org-link-button" on:click=move |_| on_back.run(())>{move || ctx.t().back()}</button></p>
        <h1 id="m-editor-title" class="org-meeting-title" tabindex="-1">{title}</h1>
        <p class="org-meeting-when">
            {move || current_status().map(|s| ctx.lang.get().status_name(s))}
            " "
            {move || (!is_new()).then(|| ctx.lang.get().registered_now(registered()))}
        </p>
        <p class="org-error" id="m-failure" role="alert" tabindex="-1">{move || failure.get()}</p>
        <Show when=move || !loaded.get()>
            <p>{move || ctx.t().loading_meeting()}</p>
        </Show>
        <Show when=move || restored.with(Option::is_some)>
            <div class="org-confirm" role="status">
                <p>{move || restored.get().map(|at| ctx.lang.get().restored_at(&at))}</p>
                <button type="button" on:click=discard>{move || ctx.t().discard()}</button>
            </div>
        </Show>
        <div class="org-editor">
            <form class="org-editor-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                save();
            }>
                <Show when=move || form.error.with(Option::is_some)>
                    <div class="org-confirm" role="alert">
                        <p><strong>{move || ctx.t().errors_title()}</strong></p>
                        <p>
                            <a href=move || form.error.with(|e| e.as_ref().map(|(f, _)| format!("#{}", field_id(f))))>
                                {move || form.error.with(|e| e.as_ref().map(|(_, m)| m.clone()))}
                            </a>
                        </p>
                    </div>
                </Show>
                {move || loaded.get().then(fields)}
                <StatusLine text=status />
                <p class="org-hint" id="m-status" tabindex="-1">{move || ctx.t().unsaved()}</p>
                <Show when=move || confirming_move.get() fallback=move || view! {
                    <div class="org-buttons">
                        <Show when=move || current_status() != Some(MeetingStatus::Cancelled)>
                            <button type="submit" class="org-primary" aria-disabled=move || busy().then_some("true")>
                                {move || if is_new() { ctx.t().save_new() } else { ctx.t().save() }}
                            </button>
                        </Show>
                    </div>
                }>
                    <div class="org-confirm" role="group" aria-labelledby="m-move-confirm">
                        <p id="m-move-confirm" tabindex="-1">
                            <strong>{move || moving().map(|(from, to)| ctx.lang.get().move_confirm(&from, &to, registered()))}</strong>
                        </p>
                        <div class="org-buttons">
                            <button type="button" class="org-primary" aria-disabled=move || busy().then_some("true")
                                on:click=move |_| if !busy() { act.dispatch((0, None)); }>
                                {move || ctx.lang.get().move_send(registered())}
                            </button>
                            <button type="button" on:click=move |_| {
                                confirming_move.set(false);
                                focus_later("m-start");
                            }>{move || ctx.t().keep()}</button>
                        </div>
                    </div>
                </Show>
            </form>
            <Preview meeting=last_good.into() stale=Signal::derive(move || checked.with(Result::is_err)) />
        </div>
        <Show when=move || current_status() == Some(MeetingStatus::Draft)>
            <section class="org-card" aria-labelledby="m-publish-title">
                <h2 id="m-publish-title">{move || ctx.t().publish()}</h2>
                <button type="button" id="m-publish" class="org-primary" aria-disabled=move || busy().then_some("true")
                    on:click=move |_| if !busy() { act.dispatch((1, None)); }>
                    {move || ctx.t().publish()}
                </button>
            </section>
        </Show>
        <Show when=move || current_status() == Some(MeetingStatus::Published)>
            <Published id=Signal::derive(move || saved.with(|s| s.as_ref().map(|r| r.meeting.id.clone()).unwrap_or_default())) />
            <section class="org-card" aria-labelledby="m-cancel-title">
                <h2 id="m-cancel-title">{move || ctx.t().cancel_meeting()}</h2>
                <Show when=move || cancelling.get() fallback=move || view! {
                    <button type="button" on:click=move |_| {
                        cancelling.set(true);
                        focus_later("m-cancel-reason");
                    }>{move || ctx.t().cancel_meeting()}</button>
                }>
                    <div class="org-confirm" role="group" aria-labelledby="m-cancel-confirm">
                        <p id="m-cancel-confirm"><strong>{move || ctx.lang.get().cancel_confirm(registered())}</strong></p>
                        <div class="org-field">
                            <label for="m-cancel-reason">{move || ctx.t().cancel_reason()}</label>
                            <textarea id="m-cancel-reason" rows="3" maxlength="1000"
                                prop:value=move || reason.get()
                                on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        </div>
                        <div class="org-buttons">
                            <button type="button" class="org-primary" aria-disabled=move || busy().then_some("true")
                                on:click=move |_| {
                                    let r = reason.get_untracked();
                                    if r.trim().is_empty() {
                                        failure.set(Some(tilmelding_domain::messages::Refusal::CancelReasonRequired.message(ctx.lang.get_untracked())));
                                        focus_later("m-cancel-reason");
                                    } else if !busy() {
                                        act.dispatch((2, Some(r)));
                                    }
                                }>
                                {move || ctx.lang.get().cancel_send(registered())}
                            </button>
                            <button type="button" on:click=move |_| {
                                cancelling.set(false);
                                focus_later("m-cancel-title");
                            }>{move || ctx.t().keep()}</button>
                        </div>
                    </div>
                </Show>
            </section>
        </Show>
        <Show when=move || saved.with(|s| s.as_ref().is_some_and(|r| !r.history.is_empty()))>
            <section class="org-card" aria-labelledby="m-history-title">
                <h2 id="m-history-title">{move || ctx.t().history()}</h2>
                <ul>
                    {move || saved.with(|s| s.as_ref().map(|r| r.history.iter().map(|e| {
                        let line = format!("{} · {} {} {}", e.at, e.by, ctx.lang.get().action_name(e.action), e.detail);
                        view! { <li>{line}</li> }
                    }).collect_view()))}
                </ul>
            </section>
        </Show>
    }
}

/// A published meeting's code for the CMS and its standalone link, each with a copy button.
#[component]
fn Published(id: Signal<String>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let origin = StoredValue::new(origin);
    let snippet = move || {
        let (o, id) = (origin.get_value(), id.get());
        format!(
            "<div id=\"tilmelding\"\n     data-meeting-url=\"{o}/meetings/{id}.json\"\n     data-api-base=\"{o}/api\">\n  <noscript>Tilmeldingen kræver JavaScript.</noscript>\n</div>\n<script type=\"module\" src=\"{o}/embed.js\"></script>"
        )
    };
    let link = move || format!("{}/?meeting={}", origin.get_value(), id.get());
    let copied = RwSignal::new(String::new());
    let copy = move |text: String| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&text);
            copied.set(ctx.t().copied().to_owned());
        }
    };
    view! {
        <section class="org-card" aria-labelledby="m-published-title">
            <h2 id="m-published-title">{move || ctx.t().published_note()}</h2>
            <StatusLine text=copied />
            <div class="org-field">
                <label for="m-snippet">{move || ctx.t().snippet()}</label>
                <textarea id="m-snippet" rows="6" readonly prop:value=snippet></textarea>
                <button type="button" on:click=move |_| copy(snippet())>{move || ctx.t().copy_snippet()}</button>
            </div>
            <div class="org-field">
                <label for="m-link">{move || ctx.t().standalone()}</label>
                <input id="m-link" type="text" readonly prop:value=link />
                <button type="button" on:click=move |_| copy(link())>{move || ctx.t().copy_link()}</button>
            </div>
        </section>
    }
}
