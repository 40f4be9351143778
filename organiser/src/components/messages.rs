//! A message to everyone registered, previewed before it is sent, and the messages sent.

use crate::api;
use crate::texts::{Phrases, Texts};
use crate::{Ctx, Since, StatusLine, focus_later};
use leptos::prelude::*;
use tilmelding_domain::calendar::format_local;
use tilmelding_domain::organiser::{MessageDraft, MessagePreview, Overview};

/// A message to everyone registered: written, previewed with the number it goes to, sent;
/// and the messages sent before.
#[component]
pub fn Messages(
    /// The overview the page polls; its number of registered attendees is who a message goes
    /// to.
    current: RwSignal<Option<Overview>>,
    /// The organiser's token.
    token: String,
    /// The meeting's id.
    meeting: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let status = RwSignal::new(String::new());
    let (token, meeting) = (StoredValue::new(token), StoredValue::new(meeting));
    let (subject, body) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    // The message as the server will mail it, word for word, while the organiser looks at it
    // before sending; None while writing.
    let previewing = RwSignal::new(None::<MessagePreview>);
    let error = RwSignal::new(None::<String>);
    let sent = LocalResource::new(move || {
        let lang = ctx.lang.get();
        async move { api::messages(&meeting.get_value(), &token.get_value(), lang).await }
    });
    let recipients = move || current.with(|o| o.as_ref().map_or(0, |o| o.totals.registered));
    // The message's key: the same while it is being written and sent (a send repeated after a
    // lost answer sends nothing twice), a new one once it is sent.
    let key = StoredValue::new(message_key());
    let draft = move || MessageDraft {
        subject: subject.get_untracked(),
        body: body.get_untracked(),
        idempotency_key: Some(key.get_value()),
    };
    let since = Since::new();
    let fetch_preview = Action::new_local(move |draft: &MessageDraft| {
        let (draft, lang) = (draft.clone(), ctx.lang.get_untracked());
        since.mark();
        async move { api::preview_message(&meeting.get_value(), &draft, &token.get_value(), lang).await }
    });
    Effect::new(move || {
        if let Some(done) = fetch_preview.value().get() {
            match done {
                Ok(p) => {
                    error.set(None);
                    previewing.set(Some(p));
                    // After the preview is drawn: it replaces the form that had focus.
                    since.focus("org-preview-title");
                }
                // Beside the form, which keeps the draft.
                Err(e) => error.set(Some(ctx.message(&e))),
            }
        }
    });
    let send = Action::new_local(move |draft: &MessageDraft| {
        let (draft, lang) = (draft.clone(), ctx.lang.get_untracked());
        since.mark();
        async move { api::send_message(&meeting.get_value(), &draft, &token.get_value(), lang).await }
    });
    Effect::new(move || {
        if let Some(done) = send.value().get() {
            match done {
                Ok(m) => {
                    key.set_value(message_key());
                    error.set(None);
                    previewing.set(None);
                    subject.set(String::new());
                    body.set(String::new());
                    status.set(ctx.lang.get_untracked().msg_sent(m.recipients));
                    sent.refetch();
                    since.focus("org-messages");
                }
                // The draft stays, in the preview, to send again.
                Err(e) => {
                    error.set(Some(ctx.message(&e)));
                    since.focus("org-preview-title");
                }
            }
        }
    });
    let preview = move || {
        let shown = previewing.get().unwrap_or(MessagePreview {
            subject: String::new(),
            text: String::new(),
            recipients: 0,
        });
        view! {
            <div class="org-preview" role="group" aria-labelledby="org-preview-title">
                <h3 id="org-preview-title" tabindex="-1">{move || ctx.t().msg_preview_title()}</h3>
                <p><strong>{move || ctx.t().msg_subject()} ": "</strong>{shown.subject}</p>
                // Exactly the mail's text, as the server will send it.
                <div class="org-preview-text">{shown.text}</div>
                <p><strong>{move || ctx.t().msg_recipients(recipients())}</strong></p>
                <p class="org-error" role="alert">{move || error.get()}</p>
                <div class="org-buttons">
                    // Not `disabled` while sending: a disabled button loses the focus.
                    <button id="org-msg-send" type="button" class="org-primary"
                        aria-disabled=move || send.pending().get().then_some("true")
                        on:click=move |_| {
                            if !send.pending().get_untracked() {
                                send.dispatch(draft());
                            }
                        }>
                        {move || ctx.t().msg_send()}
                    </button>
                    <button id="org-msg-edit" type="button" on:click=move |_| {
                        previewing.set(None);
                        error.set(None);
                        focus_later("org-msg-subject");
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
            <StatusLine text=status />
            <p class="org-hint" id="org-msg-hint">{move || ctx.t().msg_hint()}</p>
            <Show
                when=move || previewing.with(Option::is_some)
                fallback=move || view! {
                    <form on:submit=move |ev| {
                        ev.prevent_default();
                        if !fetch_preview.pending().get_untracked() {
                            fetch_preview.dispatch(draft());
                        }
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
                        <p class="org-error" role="alert">{move || error.get()}</p>
                        <div class="org-buttons">
                            <button id="org-msg-preview" type="submit" class="org-primary"
                                aria-disabled=move || fetch_preview.pending().get().then_some("true")>
                                {move || ctx.t().msg_preview()}
                            </button>
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

/// A key for one message: unique, not secret (the organiser's endpoints need the token
/// anyway), so the time and `Math.random` do, with no Web Crypto call of its own.
fn message_key() -> String {
    let random = (js_sys::Math::random() * 2f64.powi(53)) as u64;
    format!("message-{:x}-{random:x}", js_sys::Date::now() as u64)
}
