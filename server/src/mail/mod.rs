//! E-mail. Mails are written to the store's outbox in the same transaction as the
//! registration or change they tell about (worded by [`crate::letters`]), so a mail is never lost
//! and never sent for something that was rolled back. [`worker`] sends them after the commit,
//! through `lettre`, and retries with backoff: a mail server that is down, slow or refusing
//! never fails or delays an HTTP answer. The outbox is in the database, so mails waiting
//! survive a restart, and with several instances each mail is claimed by one of them.

use crate::clock::Clock;
use crate::config::MailConfig;
use crate::service::outbox::{self, Attempt};
use crate::store::{Queued, Store};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Mails claimed at a time, and how long a claim lasts: an instance that dies with mails
/// claimed leaves them to another (or to itself after a restart) when the claim runs out. A
/// claim outlasts the longest a send may take ([`SEND_TIMEOUT`]), so a slow mail server does
/// not let a second worker send the same mail meanwhile.
const BATCH: i64 = 20;
const CLAIM_SECONDS: i64 = 300;
/// Longest one SMTP command may take, and one whole mail (all its commands) with it.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);
const SEND_TIMEOUT: Duration = Duration::from_secs(120);
/// After this many failed attempts (about two days with the backoff below) a mail is given
/// up, and the log says so.
const MAX_ATTEMPTS: i64 = 30;

/// Seconds to wait before attempt `attempts + 1`: 2, 4, 8, … up to 10 minutes.
pub fn backoff(attempts: i64) -> i64 {
    2i64.saturating_pow(attempts.clamp(1, 20) as u32).min(600)
}

/// Sends what the outbox holds, forever: looks every `poll` for due mails, sends each, and
/// records the outcome. Errors are logged, never fatal.
/// How often at most the store is made to forget the emptied bodies of sent mails
/// ([`Store::forget`]).
const FORGET_EVERY: Duration = Duration::from_secs(60);

pub async fn worker(store: Store, config: MailConfig, poll: Duration, clock: Clock) {
    let transport = match AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.url) {
        Ok(t) => t.timeout(Some(COMMAND_TIMEOUT)).build(),
        Err(e) => {
            tracing::error!("TILMELDING_SMTP_URL is not usable ({e}); no mail is sent");
            return;
        }
    };
    let from: Mailbox = match config.from.parse() {
        Ok(f) => f,
        Err(e) => {
            tracing::error!("TILMELDING_MAIL_FROM is not an address ({e}); no mail is sent");
            return;
        }
    };
    // Whether sent mails' bodies have been emptied since the store last forgot them, and when
    // it did.
    let (mut emptied, mut forgotten) = (false, None::<std::time::Instant>);
    loop {
        match outbox::claim(&store, clock.now(), CLAIM_SECONDS, BATCH).await {
            Ok(batch) => {
                let full = batch.len() as i64 == BATCH;
                emptied |= !batch.is_empty();
                // The batch's mails at once, over the transport's pool of connections: one
                // after another, each waits for the mail server's answers to every SMTP
                // command (about 50 ms a mail to maildev here, 20 mails/s).
                let mut sending = tokio::task::JoinSet::new();
                for queued in batch {
                    let (store, transport, from) = (store.clone(), transport.clone(), from.clone());
                    let clock = clock.clone();
                    sending.spawn(async move {
                        send_one(&store, &transport, &from, queued, &clock).await
                    });
                }
                while sending.join_next().await.is_some() {}
                if full {
                    continue;
                }
                // The outbox is drained: the bodies emptied since leave the files too, at most
                // once a minute (each time is a copy of the log and a sync to disk, and a
                // trickle of registrations drains the outbox after every one).
                if emptied && forgotten.is_none_or(|t| t.elapsed() >= FORGET_EVERY) {
                    match store.forget().await {
                        Ok(()) => (emptied, forgotten) = (false, Some(std::time::Instant::now())),
                        Err(e) => tracing::warn!(error = %e.full(), "emptying the database's log"),
                    }
                }
            }
            Err(e) => tracing::error!(error = %e.full(), "reading the outbox"),
        }
        tokio::time::sleep(poll).await;
    }
}

async fn send_one(
    store: &Store,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    queued: Queued,
    clock: &Clock,
) {
    let outcome = match message(from, &queued) {
        Ok(message) => match tokio::time::timeout(SEND_TIMEOUT, transport.send(message)).await {
            Ok(sent) => sent.map(|_| ()).map_err(|e| e.to_string()),
            Err(_) => Err(format!(
                "no answer from the mail server in {SEND_TIMEOUT:?}"
            )),
        },
        Err(e) => Err(e),
    };
    let (id, claim, now) = (queued.id, queued.claim, clock.now());
    let attempt = match outcome {
        Ok(()) => Attempt::Sent { id, claim, now },
        Err(error) => {
            let attempts = queued.attempts + 1;
            let give_up = attempts >= MAX_ATTEMPTS;
            if give_up {
                // The outbox row's id, never the recipient or the mail server's answer (which
                // may name the address): logs hold no personal data. The row keeps the error.
                tracing::warn!(mail = id, attempts, "giving up a mail");
            }
            Attempt::Failed {
                id,
                claim,
                attempts,
                next: now + backoff(attempts),
                error,
                give_up,
            }
        }
    };
    if let Err(e) = outbox::record(store, attempt).await {
        tracing::error!(mail = id, error = %e.full(), "recording a mail's attempt");
    }
}

/// The mail as a MIME message: text and HTML as alternatives, the calendar invitation as a
/// `text/calendar` part with its method (what Outlook and Gmail look for) and as a file.
fn message(from: &Mailbox, queued: &Queued) -> Result<Message, String> {
    let mail = &queued.mail;
    let to: Mailbox = mail.to.parse().map_err(|e| format!("recipient: {e}"))?;
    let body = MultiPart::alternative()
        .singlepart(SinglePart::plain(mail.text.clone()))
        .singlepart(SinglePart::html(mail.html.clone()));
    let body = match &mail.calendar {
        None => body,
        Some((method, ics)) => {
            let kind = ContentType::parse(&format!(
                "text/calendar; method={}; charset=utf-8",
                method.name()
            ))
            .map_err(|e| e.to_string())?;
            let file = Attachment::new("invitation.ics".to_owned()).body(ics.clone(), kind.clone());
            return Message::builder()
                .from(from.clone())
                .to(to)
                .subject(&mail.subject)
                .message_id(Some(message_id(queued.id, from)))
                .multipart(
                    MultiPart::mixed()
                        .multipart(
                            body.singlepart(SinglePart::builder().header(kind).body(ics.clone())),
                        )
                        .singlepart(file),
                )
                .map_err(|e| e.to_string());
        }
    };
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&mail.subject)
        .message_id(Some(message_id(queued.id, from)))
        .multipart(body)
        .map_err(|e| e.to_string())
}

/// The same for every attempt at one outbox row, so a mail sent twice (an instance killed
/// between the server's acceptance and recording it) can be recognised as one.
fn message_id(id: i64, from: &Mailbox) -> String {
    format!("<outbox-{id}@{}>", from.email.domain())
}
