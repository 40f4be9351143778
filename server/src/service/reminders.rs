//! The reminder before a meeting: some hours before its start (the meeting file's
//! `registration.reminder_hours_before`, a day by default), every registered attendee gets a
//! mail with when it is and the link to join, through the outbox, once per meeting whichever
//! instance gets there first.

use super::catalogue::Catalogue;
use super::{MailContext, to_everyone_registered};
use crate::clock::Clock;
use crate::store::{self, Store, Tx, Work};
use tilmelding_domain::Meeting;

/// Writes the reminders of every meeting whose reminder is due at `now` (and which has not
/// started), unless written before. Returns (meeting id, attendees reminded) for each meeting
/// reminded now.
pub async fn send_due<'a>(
    store: &Store,
    meetings: impl IntoIterator<Item = &'a Meeting>,
    from: &str,
    now: i64,
) -> store::Result<Vec<(String, usize)>> {
    let mut done = Vec::new();
    for m in meetings {
        let due = m.reminder_at().is_some_and(|at| at <= now);
        if !due || now >= m.starts().to_unix() {
            continue;
        }
        let work = Remind {
            ctx: MailContext::to_registered(m, from.to_owned()),
            now,
        };
        if let Some(n) = store.run(work).await? {
            done.push((m.id.clone(), n));
        }
    }
    Ok(done)
}

/// Looks for due reminders of the published meetings now and every minute, for as long as the
/// server runs.
pub async fn keep_reminding(store: Store, meetings: Catalogue, from: String, clock: Clock) {
    loop {
        match send_due(&store, &meetings.published(), &from, clock.now()).await {
            Ok(done) => {
                for (meeting, attendees) in done {
                    tracing::info!(meeting, attendees, "reminders written");
                }
            }
            Err(e) => tracing::error!(error = %e.full(), "writing reminders"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
    }
}

/// One meeting's reminders; `None` when they were written before.
struct Remind {
    ctx: MailContext,
    now: i64,
}

impl Work for Remind {
    type Output = Option<usize>;

    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Option<usize>> {
        let (id, now) = (self.ctx.meeting.id.as_str(), self.now);
        if !tx.mark_reminded(id, now).await? {
            return Ok(None);
        }
        let mails =
            to_everyone_registered(tx, &self.ctx, now, |letters, p| letters.reminder(p)).await?;
        tx.enqueue(id, &mails, now, self.ctx.cause).await?;
        Ok(Some(mails.len()))
    }
}
