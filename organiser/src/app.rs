//! The page's views: sign-in, then the meeting's overview, its applications, municipalities
//! and attendees, polled every 5 seconds.

use crate::api::{self, ApiError};
use crate::texts::{Phrases, Texts, standing};
use leptos::prelude::*;
use std::cmp::Ordering;
use std::time::Duration;
use tilmelding_domain::Lang;
use tilmelding_domain::calendar::format_local;
use tilmelding_domain::organiser::{
    Application, AttendeeRow, MessageDraft, MunicipalityRow, Overview, Standing,
};
use tilmelding_domain::text::{cmp_da, search_key};
use wasm_bindgen::JsCast;

/// The token and the name live in the tab's `sessionStorage`: gone when the tab closes, never
/// in a URL or a cookie, never sent anywhere but in the `Authorization` header.
const TOKEN_KEY: &str = "tilmelding-organiser-token";
const NAME_KEY: &str = "tilmelding-organiser-name";

/// How often the overview is fetched again: new registrations appear within this.
const POLL: Duration = Duration::from_secs(5);

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn stored(key: &str) -> Option<String> {
    session()?.get_item(key).ok()?
}

/// What every view needs: the language, the token (None: signed out), the organiser's name.
#[derive(Clone, Copy)]
struct Ctx {
    lang: RwSignal<Lang>,
    token: RwSignal<Option<String>>,
    name: RwSignal<String>,
}

impl Ctx {
    /// The current language (tracked: a text read through it follows the switch).
    fn t(&self) -> Lang {
        self.lang.get()
    }

    fn sign_out(&self) {
        if let Some(s) = session() {
            let _ = s.remove_item(TOKEN_KEY);
        }
        self.token.set(None);
    }

    /// A failed call in words.
    fn message(&self, e: &ApiError) -> String {
        let t = self.lang.get_untracked();
        match e {
            ApiError::Unauthorized => t.wrong_token().into(),
            ApiError::Refused(m) => m.clone(),
            ApiError::Network => t.unreachable().into(),
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let ctx = Ctx {
        lang: RwSignal::new(Lang::Da),
        token: RwSignal::new(stored(TOKEN_KEY)),
        name: RwSignal::new(stored(NAME_KEY).unwrap_or_default()),
    };
    provide_context(ctx);
    // The document's language and title follow the page's.
    Effect::new(move || {
        let lang = ctx.lang.get();
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute("lang", lang.code());
            }
            doc.set_title(lang.title());
        }
    });
    view! {
        <header class="org-top">
            <p class="org-brand">{move || ctx.t().title()}</p>
            <div class="org-actions">
                <button
                    type="button"
                    lang=move || ctx.lang.get().other().code()
                    on:click=move |_| ctx.lang.update(|l| *l = l.other())
                >
                    {move || ctx.t().other_language()}
                </button>
                <Show when=move || ctx.token.with(Option::is_some)>
                    <button type="button" on:click=move |_| ctx.sign_out()>
                        {move || ctx.t().sign_out()}
                    </button>
                </Show>
            </div>
        </header>
        <main>
            {move || match ctx.token.get() {
                None => view! { <SignIn /> }.into_any(),
                Some(token) => view! { <Dashboard token /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn SignIn() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let token = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let check = Action::new_local(move |given: &String| {
        let (given, lang) = (given.clone(), ctx.lang.get_untracked());
        async move {
            let answer = api::meetings(&given, lang).await;
            (given, answer)
        }
    });
    Effect::new(move || {
        let Some((given, answer)) = check.value().get() else {
            return;
        };
        match answer {
            Ok(_) => {
                if let Some(s) = session() {
                    let _ = s.set_item(TOKEN_KEY, &given);
                    let _ = s.set_item(NAME_KEY, &ctx.name.get_untracked());
                }
                ctx.token.set(Some(given));
            }
            Err(e) => error.set(Some(ctx.message(&e))),
        }
    });
    view! {
        <section class="org-card org-sign-in" aria-labelledby="org-sign-in-title">
            <h1 id="org-sign-in-title">{move || ctx.t().sign_in()}</h1>
            <p>{move || ctx.t().sign_in_intro()}</p>
            <form on:submit=move |ev| {
                ev.prevent_default();
                error.set(None);
                check.dispatch(token.get_untracked().trim().to_owned());
            }>
                <div class="org-field">
                    <label for="org-name">{move || ctx.t().your_name()}</label>
                    <input
                        id="org-name"
                        type="text"
                        autocomplete="name"
                        aria-describedby="org-name-hint"
                        prop:value=move || ctx.name.get()
                        on:input=move |ev| ctx.name.set(event_target_value(&ev))
                    />
                    <p id="org-name-hint" class="org-hint">{move || ctx.t().your_name_hint()}</p>
                </div>
                <div class="org-field">
                    <label for="org-token">{move || ctx.t().token()}</label>
                    <input
                        id="org-token"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-describedby="org-token-error"
                        aria-invalid=move || error.with(Option::is_some).to_string()
                        prop:value=move || token.get()
                        on:input=move |ev| token.set(event_target_value(&ev))
                    />
                    <p id="org-token-error" class="org-error" role="alert">
                        {move || error.get()}
                    </p>
                </div>
                <button type="submit" class="org-primary" disabled=move || check.pending().get()>
                    {move || ctx.t().sign_in()}
                </button>
            </form>
        </section>
    }
}

#[component]
fn Dashboard(token: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let token = StoredValue::new(token);
    let meetings = LocalResource::new(move || {
        let lang = ctx.lang.get();
        async move { api::meetings(&token.get_value(), lang).await }
    });
    let chosen = RwSignal::new(None::<String>);
    let meeting = Memo::new(move |_| {
        chosen.get().or_else(|| {
            meetings
                .get()
                .and_then(Result::ok)
                .and_then(|m| m.first().map(|m| m.id.clone()))
        })
    });
    let overview = LocalResource::new(move || {
        let (id, lang) = (meeting.get(), ctx.lang.get());
        async move {
            match id {
                Some(id) => api::overview(&id, &token.get_value(), lang).await.map(Some),
                None => Ok(None),
            }
        }
    });
    // The last overview that arrived stays on screen while the next is fetched, or when a poll
    // fails (then a note says so): the table never blanks out under the organiser's eyes.
    let current = RwSignal::new(None::<Overview>);
    let failure = RwSignal::new(None::<String>);
    let updated = RwSignal::new(String::new());
    Effect::new(move || match overview.get() {
        Some(Ok(Some(o))) => {
            current.set(Some(o));
            failure.set(None);
            updated.set(
                js_sys::Date::new_0()
                    .to_locale_time_string(ctx.lang.get_untracked().code())
                    .into(),
            );
        }
        Some(Err(ApiError::Unauthorized)) => ctx.sign_out(),
        Some(Err(e)) => failure.set(Some(ctx.message(&e))),
        _ => {}
    });
    let poll = set_interval_with_handle(move || overview.refetch(), POLL).ok();
    on_cleanup(move || {
        if let Some(handle) = poll {
            handle.clear();
        }
    });
    // Announced to screen readers: what a click did.
    let status = RwSignal::new(String::new());
    let refresh = Callback::new(move |()| overview.refetch());
    view! {
        <p class="org-visually-hidden" role="status" aria-live="polite">{move || status.get()}</p>
        {move || {
            meetings
                .get()
                .and_then(Result::ok)
                .filter(|list| list.len() > 1)
                .map(|list| {
                    view! {
                        <div class="org-field org-meeting">
                            <label for="org-meeting">{move || ctx.t().meeting()}</label>
                            <select
                                id="org-meeting"
                                on:change=move |ev| chosen.set(Some(event_target_value(&ev)))
                            >
                                {list
                                    .into_iter()
                                    .map(|m| {
                                        let selected = meeting.get_untracked().as_deref()
                                            == Some(m.id.as_str());
                                        view! {
                                            <option value=m.id.clone() selected=selected>
                                                {format!("{} ({})", m.title, m.date)}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                })
        }}
        <p class="org-error" role="alert">{move || failure.get()}</p>
        {move || match current.with(|o| o.as_ref().map(|o| o.meeting.clone())) {
            None => view! { <p>{move || ctx.t().loading()}</p> }.into_any(),
            Some(m) => {
                view! {
                    <h1 class="org-meeting-title">{m.title.clone()}</h1>
                    <Totals current updated token=token.get_value() meeting=m.id.clone() status />
                    <Applications current token=token.get_value() status refresh />
                    <JoinLinkForm current token=token.get_value() meeting=m.id.clone() status refresh />
                    <Messages current token=token.get_value() meeting=m.id.clone() status />
                    <Municipalities current />
                    <Attendees current />
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn Totals(
    current: RwSignal<Option<Overview>>,
    updated: RwSignal<String>,
    token: String,
    meeting: String,
    status: RwSignal<String>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let total = move |f: fn(&Overview) -> i64| current.with(|o| o.as_ref().map_or(0, f));
    let download = Action::new_local(move |(): &()| {
        let (token, meeting, lang) = (token.clone(), meeting.clone(), ctx.lang.get_untracked());
        async move {
            let bytes = api::csv(&meeting, &token, lang).await?;
            save(&bytes, &format!("tilmeldinger-{meeting}.csv"));
            Ok::<(), ApiError>(())
        }
    });
    Effect::new(move || {
        if let Some(Err(e)) = download.value().get() {
            status.set(ctx.message(&e));
        }
    });
    view! {
        <section class="org-card" aria-labelledby="org-overview">
            <h2 id="org-overview">{move || ctx.t().overview()}</h2>
            <dl class="org-totals">
                <div>
                    <dt>{move || standing(ctx.t(), Standing::Registered)}</dt>
                    <dd>{move || total(|o| o.totals.registered)}</dd>
                </div>
                <div>
                    <dt>{move || standing(ctx.t(), Standing::PendingMembership)}</dt>
                    <dd>{move || total(|o| o.totals.pending_membership)}</dd>
                </div>
                <div>
                    <dt>{move || standing(ctx.t(), Standing::MembershipDeclined)}</dt>
                    <dd>{move || total(|o| o.totals.membership_declined)}</dd>
                </div>
                <div>
                    <dt>{move || standing(ctx.t(), Standing::Cancelled)}</dt>
                    <dd>{move || total(|o| o.totals.cancelled)}</dd>
                </div>
            </dl>
            <p class="org-hint">
                {move || ctx.t().live_note()} " "
                {move || ctx.lang.get().updated(&updated.get())}
            </p>
            <button
                type="button"
                class="org-primary"
                id="org-download"
                disabled=move || download.pending().get()
                on:click=move |_| {
                    download.dispatch(());
                }
            >
                {move || ctx.t().download()}
            </button>
        </section>
    }
}

/// Hands the file to the browser as a download, without a URL that carries the token.
fn save(bytes: &[u8], name: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = doc
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            a.click();
            a.remove();
        }
    }
    // Released once the download has started.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_secs(10),
    );
}

#[component]
fn Applications(
    current: RwSignal<Option<Overview>>,
    token: String,
    status: RwSignal<String>,
    refresh: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let token = StoredValue::new(token);
    let list = move || {
        current.with(|o| {
            o.as_ref()
                .map(|o| o.applications.clone())
                .unwrap_or_default()
        })
    };
    // (id, municipality, reason: None to approve)
    let decide = Action::new_local(
        move |(id, municipality, reason): &(i64, String, Option<String>)| {
            let (id, municipality, reason) = (*id, municipality.clone(), reason.clone());
            let (by, lang) = (ctx.name.get_untracked(), ctx.lang.get_untracked());
            async move {
                let done = api::decide(id, reason.as_deref(), &by, &token.get_value(), lang).await;
                (municipality, reason.is_none(), done)
            }
        },
    );
    Effect::new(move || {
        if let Some((municipality, approved, done)) = decide.value().get() {
            match done {
                Ok(()) => {
                    status.set(ctx.lang.get_untracked().decided(&municipality, approved));
                    // The buttons just used are gone with the application: focus goes to the
                    // section's heading, not to the top of the page.
                    focus("org-applications");
                }
                Err(e) => status.set(ctx.message(&e)),
            }
            refresh.run(());
        }
    });
    view! {
        <section class="org-card" aria-labelledby="org-applications">
            <h2 id="org-applications" tabindex="-1">{move || ctx.t().applications()}</h2>
            <Show
                when=move || !list().is_empty()
                fallback=move || view! { <p>{move || ctx.t().no_applications()}</p> }
            >
                <ul class="org-applications">
                    <For
                        each=list
                        key=|a| a.id
                        children=move |a| view! { <ApplicationItem a current decide /> }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// A message to everyone registered: written, previewed with the number it goes to, sent;
/// and the messages sent before.
#[component]
fn Messages(
    current: RwSignal<Option<Overview>>,
    /// The organiser's token.
    token: String,
    /// The meeting's id.
    meeting: String,
    /// The page's polite status line: what sending did.
    status: RwSignal<String>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (token, meeting) = (StoredValue::new(token), StoredValue::new(meeting));
    let (subject, body) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let previewing = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let sent = LocalResource::new(move || {
        let lang = ctx.lang.get();
        async move { api::messages(&meeting.get_value(), &token.get_value(), lang).await }
    });
    let recipients = move || current.with(|o| o.as_ref().map_or(0, |o| o.totals.registered));
    let send = Action::new_local(move |draft: &MessageDraft| {
        let (draft, lang) = (draft.clone(), ctx.lang.get_untracked());
        async move { api::send_message(&meeting.get_value(), &draft, &token.get_value(), lang).await }
    });
    Effect::new(move || {
        if let Some(done) = send.value().get() {
            match done {
                Ok(m) => {
                    error.set(None);
                    previewing.set(false);
                    subject.set(String::new());
                    body.set(String::new());
                    status.set(ctx.lang.get_untracked().msg_sent(m.recipients));
                    sent.refetch();
                    focus("org-messages");
                }
                // The draft stays, in the preview, to send again.
                Err(e) => error.set(Some(ctx.message(&e))),
            }
        }
    });
    let preview = move || {
        let paragraphs: Vec<String> = body
            .get()
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        view! {
            <div class="org-preview" role="group" aria-labelledby="org-preview-title">
                <h3 id="org-preview-title" tabindex="-1">{move || ctx.t().msg_preview_title()}</h3>
                <p><strong>{move || ctx.t().msg_subject()} ": "</strong>{subject.get()}</p>
                {paragraphs.into_iter().map(|p| view! { <p class="org-preview-text">{p}</p> }).collect_view()}
                <p><strong>{move || ctx.t().msg_recipients(recipients())}</strong></p>
                <p class="org-error" role="alert">{move || error.get()}</p>
                <div class="org-buttons">
                    <button type="button" class="org-primary" disabled=move || send.pending().get()
                        on:click=move |_| {
                            send.dispatch(MessageDraft {
                                subject: subject.get_untracked(),
                                body: body.get_untracked(),
                                by: ctx.name.get_untracked(),
                            });
                        }>
                        {move || ctx.t().msg_send()}
                    </button>
                    <button type="button" on:click=move |_| {
                        previewing.set(false);
                        focus("org-msg-subject");
                    }>
                        {move || ctx.t().msg_edit()}
                    </button>
                </div>
            </div>
        }
    };
    view! {
        <section class="org-card" aria-labelledby="org-messages">
            <h2 id="org-messages" tabindex="-1">{move || ctx.t().msg_title()}</h2>
            <p class="org-hint" id="org-msg-hint">{move || ctx.t().msg_hint()}</p>
            <Show
                when=move || previewing.get()
                fallback=move || view! {
                    <form on:submit=move |ev| {
                        ev.prevent_default();
                        previewing.set(true);
                        focus("org-preview-title");
                    }>
                        <div class="org-field">
                            <label for="org-msg-subject">{move || ctx.t().msg_subject()}</label>
                            <input id="org-msg-subject" type="text" required maxlength="200"
                                aria-describedby="org-msg-hint"
                                prop:value=move || subject.get()
                                on:input=move |ev| subject.set(event_target_value(&ev)) />
                        </div>
                        <div class="org-field">
                            <label for="org-msg-body">{move || ctx.t().msg_body()}</label>
                            <textarea id="org-msg-body" required rows="6" maxlength="10000"
                                prop:value=move || body.get()
                                on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                        </div>
                        <div class="org-buttons">
                            <button type="submit" class="org-primary">{move || ctx.t().msg_preview()}</button>
                        </div>
                    </form>
                }
            >
                {preview}
            </Show>
            <h3>{move || ctx.t().msg_sent_title()}</h3>
            {move || {
                let list = sent.get().and_then(Result::ok).unwrap_or_default();
                if list.is_empty() {
                    return view! { <p>{move || ctx.t().msg_none()}</p> }.into_any();
                }
                view! {
                    <ul class="org-messages">
                        {list
                            .into_iter()
                            .map(|m| {
                                let when = format_local(m.sent_at);
                                view! {
                                    <li>
                                        <strong>{m.subject.clone()}</strong>
                                        " "
                                        <span>{ctx.t().msg_line(&m.sent_by, &when, m.recipients)}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// The online meeting's link: the one set, and a form to set or change it (which mails it to
/// everyone registered).
#[component]
fn JoinLinkForm(
    current: RwSignal<Option<Overview>>,
    /// The organiser's token.
    token: String,
    /// The meeting's id.
    meeting: String,
    /// The page's polite status line: what saving did.
    status: RwSignal<String>,
    /// Fetches the overview again after saving.
    refresh: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (token, meeting) = (StoredValue::new(token), StoredValue::new(meeting));
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let now = move || current.with(|o| o.as_ref().and_then(|o| o.join_url.clone()));
    let save = Action::new_local(move |url: &String| {
        let (url, lang) = (url.clone(), ctx.lang.get_untracked());
        async move { api::set_join_link(&meeting.get_value(), &url, &token.get_value(), lang).await }
    });
    Effect::new(move || {
        if let Some(done) = save.value().get() {
            match done {
                Ok(n) => {
                    error.set(None);
                    typed.set(String::new());
                    status.set(ctx.lang.get_untracked().join_sent(n));
                }
                // Shown next to the field, which keeps what was typed.
                Err(e) => error.set(Some(ctx.message(&e))),
            }
            refresh.run(());
        }
    });
    view! {
        <section class="org-card" aria-labelledby="org-join">
            <h2 id="org-join">{move || ctx.t().join_title()}</h2>
            <p>
                {move || match now() {
                    Some(url) => view! { {ctx.t().join_now()} " " <a href=url.clone()>{url.clone()}</a> }.into_any(),
                    None => view! { {ctx.t().join_none()} }.into_any(),
                }}
            </p>
            <form on:submit=move |ev| {
                ev.prevent_default();
                let url = typed.get_untracked().trim().to_owned();
                if !url.is_empty() {
                    save.dispatch(url);
                }
            }>
                <div class="org-field">
                    <label for="org-join-url">{move || ctx.t().join_label()}</label>
                    <p class="org-hint" id="org-join-hint">{move || ctx.t().join_hint()}</p>
                    <input
                        id="org-join-url"
                        type="url"
                        inputmode="url"
                        autocomplete="off"
                        required
                        aria-describedby="org-join-hint"
                        aria-invalid=move || error.get().map(|_| "true")
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                    <p class="org-error" role="alert">{move || error.get()}</p>
                </div>
                <div class="org-buttons">
                    <button type="submit" class="org-primary" disabled=move || save.pending().get()>
                        {move || ctx.t().join_save()}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// Approve or decline: (application id, municipality, `Some(reason)` to decline) in; the
/// municipality, whether it was approved, and how it went out.
type DecideAction = Action<(i64, String, Option<String>), (String, bool, Result<(), ApiError>)>;

#[component]
fn ApplicationItem(
    a: Application,
    current: RwSignal<Option<Overview>>,
    decide: DecideAction,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let declining = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let heading = format!("org-app-{}", a.id);
    let reason_id = format!("org-reason-{}", a.id);
    let code = a.municipality_code;
    let waiting_names = move || {
        current.with(|o| {
            o.as_ref()
                .map(|o| {
                    o.attendees
                        .iter()
                        .filter(|r| {
                            r.municipality_code == code && r.status == Standing::PendingMembership
                        })
                        .map(|r| r.name.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        })
    };
    let (id, municipality) = (a.id, a.municipality.clone());
    let name_for_approve = municipality.clone();
    let name_for_decline = municipality.clone();
    view! {
        <li aria-labelledby=heading.clone()>
            <h3 id=heading.clone()>{format!("{} ({})", a.municipality, a.municipality_code)}</h3>
            <p>
                {move || ctx.t().contact()} ": " {a.contact_name.clone()} " <" {a.contact_email.clone()} "> · "
                {move || ctx.t().applied()} " " {a.created_at.clone()}
            </p>
            <p>
                {move || ctx.lang.get().waiting(a.pending_registrations)} ": " {waiting_names}
            </p>
            <Show
                when=move || declining.get()
                fallback=move || {
                    let approve_name = name_for_approve.clone();
                    view! {
                        <div class="org-buttons">
                            <button
                                type="button"
                                class="org-primary"
                                id=format!("org-approve-{id}")
                                disabled=move || decide.pending().get()
                                on:click=move |_| {
                                    decide.dispatch((id, approve_name.clone(), None));
                                }
                            >
                                {move || ctx.t().approve()} <span class="org-visually-hidden">" " {municipality.clone()}</span>
                            </button>
                            <button type="button" on:click=move |_| declining.set(true)>
                                {move || ctx.t().decline()}
                            </button>
                        </div>
                    }
                }
            >
                {
                    let decline_name = name_for_decline.clone();
                    let reason_id = reason_id.clone();
                    view! {
                        <form on:submit=move |ev| {
                            ev.prevent_default();
                            let text = reason.get_untracked();
                            if !text.trim().is_empty() {
                                decide.dispatch((id, decline_name.clone(), Some(text)));
                            }
                        }>
                            <div class="org-field">
                                <label for=reason_id.clone()>{move || ctx.t().reason()}</label>
                                <p class="org-hint" id=format!("{reason_id}-hint")>{move || ctx.t().reason_hint()}</p>
                                <textarea
                                    id=reason_id.clone()
                                    aria-describedby=format!("{reason_id}-hint")
                                    required
                                    rows="3"
                                    prop:value=move || reason.get()
                                    on:input=move |ev| reason.set(event_target_value(&ev))
                                ></textarea>
                            </div>
                            <div class="org-buttons">
                                <button type="submit" class="org-primary" disabled=move || decide.pending().get()>
                                    {move || ctx.t().confirm_decline()}
                                </button>
                                <button type="button" on:click=move |_| declining.set(false)>
                                    {move || ctx.t().cancel()}
                                </button>
                            </div>
                        </form>
                    }
                }
            </Show>
        </li>
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortBy {
    Name,
    Code,
    Member,
    Attendees,
}

fn attendees_of(r: &MunicipalityRow) -> i64 {
    r.count.registered + r.count.pending_membership
}

fn compare(by: SortBy, a: &MunicipalityRow, b: &MunicipalityRow) -> Ordering {
    let by_name = || cmp_da(&a.count.municipality, &b.count.municipality);
    match by {
        SortBy::Name => by_name(),
        SortBy::Code => a.count.municipality_code.cmp(&b.count.municipality_code),
        SortBy::Member => b.member.cmp(&a.member).then_with(by_name),
        SortBy::Attendees => attendees_of(b).cmp(&attendees_of(a)).then_with(by_name),
    }
}

#[component]
fn Municipalities(current: RwSignal<Option<Overview>>) -> impl IntoView {
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
                            {header(SortBy::Code, Lang::code)}
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

#[component]
fn Attendees(current: RwSignal<Option<Overview>>) -> impl IntoView {
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
                            let text =
                                format!("{} {} {} {}", a.name, a.email, municipality, a.title);
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
                    <table>
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
                                        <tr>
                                            <th scope="row">{a.name.clone()}</th>
                                            <td>{a.email.clone()}</td>
                                            <td>{municipality_name(a.municipality_code)}</td>
                                            <td>{a.title.clone()}</td>
                                            <td>{move || standing(ctx.t(), a.status)}</td>
                                            <td><span title=when>{a.reference.clone()}</span></td>
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

/// Attendee rows shown at a time.
const PAGE: usize = 200;

fn focus(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

fn municipality_name(code: u16) -> &'static str {
    tilmelding_domain::Municipality::by_code(code).map_or("", |m| m.name)
}
