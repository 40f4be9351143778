//! The online meeting's link: set by the organiser once it exists (on the organiser page, or
//! through the API), mailed to everyone registered with their invitation again, carrying the
//! link (the same calendar entry, a higher `SEQUENCE`), and given to everyone who is confirmed
//! after. Changing it sends it again. It is never on the public page: the meeting file does not
//! hold it.

use super::{MailContext, to_everyone_registered};
use crate::store::{self, MeetingAction, NewMeetingEvent, Store, Tx, Work};
use tilmelding_domain::Meeting;

/// Sets the meeting's link, in one transaction with the mails to everyone registered (where
/// mail is configured: `from`, the sender). Returns how many were told: none without mail, or
/// when the link was the one set already.
pub async fn set(
    store: &Store,
    meeting: &Meeting,
    url: &str,
    from: Option<String>,
    (by, now): (&str, i64),
) -> store::Result<usize> {
    store
        .run(Setting {
            mail: from.map(|from| MailContext::to_registered(meeting, from)),
            meeting_id: meeting.id.clone(),
            url: url.to_owned(),
            by: by.to_owned(),
            now,
        })
        .await
}

struct Setting {
    meeting_id: String,
    url: String,
    /// Who sets it, as the meeting's history records.
    by: String,
    now: i64,
    mail: Option<MailContext>,
}

impl Work for Setting {
    type Output = usize;

    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<usize> {
        let (id, now) = (self.meeting_id.as_str(), self.now);
        let before = tx.join_url(id).await?;
        if before.as_deref() == Some(self.url.as_str()) {
            return Ok(0);
        }
        let changed = before.is_some();
        tx.set_join_url(id, &self.url, now).await?;
        tx.add_meeting_event(&NewMeetingEvent {
            meeting_id: id,
            at: now,
            by: &self.by,
            action: MeetingAction::JoinLinkSet,
            detail: &self.url,
        })
        .await?;
        let Some(ctx) = &self.mail else {
            return Ok(0);
        };
        tx.revise_registered(id, now).await?;
        let mails =
            to_everyone_registered(tx, ctx, now, |letters, p| letters.join_link(p, changed))
                .await?;
        tx.enqueue(id, &mails, now, ctx.cause).await?;
        Ok(mails.len())
    }
}
