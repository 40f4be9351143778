//! Messages from the organiser to everyone registered for a meeting (not those waiting for
//! membership, declined or cancelled): written to the outbox in one transaction with the record
//! of what was sent, by whom, when and to how many.

use super::{MailContext, to_everyone_registered};
use crate::store::{self, NewMessage, SentMessage, Store, Tx, Work};
use tilmelding_domain::organiser::{MessageDraft, MessagePreview};
use tilmelding_domain::{Lang, Meeting};

/// Sends a checked message (see [`MessageDraft::checked`]) from `from` to everyone registered
/// for the meeting, and keeps it; answers it as kept. A message whose key was sent already is
/// answered as it was kept then, and sends nothing again.
pub async fn send(
    store: &Store,
    meeting: &Meeting,
    draft: MessageDraft,
    from: String,
    (by, now): (&str, i64),
) -> store::Result<SentMessage> {
    store
        .run(Sending {
            ctx: MailContext::to_registered(meeting, from),
            draft,
            by: by.to_owned(),
            now,
        })
        .await
}

/// A checked message as it will be mailed in `lang` (the same letters as [`send`] writes), and
/// how many registered attendees it reaches now. Nothing is sent or kept.
pub async fn preview(
    store: &Store,
    meeting: &Meeting,
    draft: MessageDraft,
    from: String,
    lang: Lang,
    now: i64,
) -> store::Result<MessagePreview> {
    struct Previewing {
        ctx: MailContext,
        draft: MessageDraft,
        lang: Lang,
        now: i64,
    }
    impl Work for Previewing {
        type Output = MessagePreview;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<MessagePreview> {
            let id = self.ctx.meeting.id.as_str();
            let join = tx.join_url(id).await?;
            let recipients = tx.attending(id).await?.len();
            let d = &self.draft;
            let mail = self
                .ctx
                .letters(self.lang, "", 0, false, self.now)
                .with_join(join.as_deref())
                .message("", &d.subject, &d.body);
            Ok(MessagePreview {
                subject: mail.subject,
                text: mail.text,
                recipients: u32::try_from(recipients).unwrap_or(u32::MAX),
            })
        }
    }
    store
        .run(Previewing {
            ctx: MailContext::to_registered(meeting, from),
            draft,
            lang,
            now,
        })
        .await
}

/// The messages sent for a meeting, newest first.
pub async fn list(store: &Store, meeting_id: &str) -> store::Result<Vec<SentMessage>> {
    struct List(String);
    impl Work for List {
        type Output = Vec<SentMessage>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Vec<SentMessage>> {
            tx.messages(&self.0).await
        }
    }
    store.run(List(meeting_id.to_owned())).await
}

struct Sending {
    ctx: MailContext,
    draft: MessageDraft,
    /// Who sends it, as recorded.
    by: String,
    now: i64,
}

impl Work for Sending {
    type Output = SentMessage;

    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<SentMessage> {
        let (id, now, d) = (self.ctx.meeting.id.as_str(), self.now, &self.draft);
        let key = d.idempotency_key.as_deref();
        if let Some(sent) = match key {
            Some(key) => tx.message_by_key(id, key).await?,
            None => None,
        } {
            return Ok(sent);
        }
        let mails = to_everyone_registered(tx, &self.ctx, now, |letters, p| {
            letters.message(&p.email, &d.subject, &d.body)
        })
        .await?;
        tx.enqueue(id, &mails, now, self.ctx.cause).await?;
        let recipients = u32::try_from(mails.len()).unwrap_or(u32::MAX);
        let by = &self.by;
        let kept = NewMessage {
            meeting_id: id,
            subject: &d.subject,
            body: &d.body,
            by,
            now,
            recipients,
            key,
        };
        Ok(SentMessage {
            id: tx.add_message(&kept).await?,
            subject: d.subject.clone(),
            body: d.body.clone(),
            sent_by: by.to_owned(),
            sent_at: now,
            recipients,
        })
    }
}
