//! Making and changing meetings, as the organiser does on the organiser page: a new meeting (from
//! a document, or a copy of another on a new date) starts as a draft; publishing makes it public;
//! a change of a published meeting's date or times is mailed to everyone registered with their
//! invitation at the new time (its reminder, if still to come, then goes at the new time);
//! cancelling mails them the cancellation. Each step is one transaction that also records who
//! did it and raises the meetings' version, so every instance serves the change (see
//! [`super::catalogue`]). Meeting files are the import and export format.

use super::{MailContext, to_everyone_registered};
use crate::store::{
    self, MeetingAction, MeetingStatus, NewMeetingEvent, SavedMeeting, Store, StoredMeeting, Tx,
    Work,
};
use std::path::{Path, PathBuf};
use tilmelding_domain::catalogue::{MeetingRecord, can_be_id};
use tilmelding_domain::meeting::MeetingError;
use tilmelding_domain::{Date, Lang, Meeting};

/// Why a step on a meeting is refused.
#[derive(Debug, PartialEq)]
pub enum Refused {
    /// No meeting has this id.
    Unknown,
    /// A meeting with the new one's id exists.
    Exists,
    /// The document breaks a rule of the domain (the field and why).
    Invalid(MeetingError),
    /// The meeting is cancelled: it is not changed or published again.
    Cancelled,
    /// Only a published meeting is cancelled.
    NotPublished,
}

/// What a step answers: the meeting as it now stands, or why not.
pub type Outcome = Result<MeetingRecord, Refused>;

/// Who does a step, and when.
#[derive(Clone)]
pub struct Act {
    pub by: String,
    pub now: i64,
    /// The sender of the mails a change causes; none without mail (nobody is told).
    pub from: Option<String>,
}

/// The meeting as the endpoints answer with it: its document and status, how many are
/// registered, and its history.
async fn record<T: Tx>(tx: &mut T, stored: StoredMeeting, told: usize) -> store::Result<Outcome> {
    let meeting = parsed(&stored)?;
    Ok(Ok(MeetingRecord {
        status: stored.status,
        registered: tx.attending(&stored.id).await?.len(),
        history: tx.meeting_history(&stored.id).await?,
        cancel_reason: stored.cancel_reason,
        told,
        meeting,
    }))
}

/// Writes a meeting as it now stands, records the step, raises the version and answers with
/// the record.
async fn keep<T: Tx>(
    tx: &mut T,
    meeting: &Meeting,
    status: MeetingStatus,
    cancel_reason: Option<&str>,
    act: &Act,
    (action, detail): (MeetingAction, &str),
    told: usize,
) -> store::Result<Outcome> {
    let document = document(meeting)?;
    let saved = SavedMeeting {
        id: &meeting.id,
        document: &document,
        status,
        cancel_reason,
        over_at: meeting.over(),
        now: act.now,
    };
    let new = matches!(action, MeetingAction::Created | MeetingAction::Copied);
    if new {
        if !tx.add_meeting(&saved).await? {
            return Ok(Err(Refused::Exists));
        }
    } else {
        tx.save_meeting(&saved).await?;
    }
    tx.add_meeting_event(&NewMeetingEvent {
        meeting_id: &meeting.id,
        at: act.now,
        by: &act.by,
        action,
        detail,
    })
    .await?;
    tx.raise_meetings_version().await?;
    let stored = StoredMeeting {
        id: meeting.id.clone(),
        document,
        status,
        cancel_reason: cancel_reason.map(str::to_owned),
    };
    record(tx, stored, told).await
}

/// A meeting as its document is kept: the meeting file's format, without what the server
/// adds when it serves it (that it is cancelled: the status says so).
fn document(meeting: &Meeting) -> store::Result<String> {
    let kept = Meeting {
        cancelled: None,
        ..meeting.clone()
    };
    serde_json::to_string_pretty(&kept).map_err(|e| store::StoreError::Failed(e.to_string()))
}

/// The kept meeting, locked for the step; `Refused::Unknown` when there is none.
async fn locked<T: Tx>(tx: &mut T, id: &str) -> store::Result<Result<StoredMeeting, Refused>> {
    Ok(tx.stored_meeting(id, true).await?.ok_or(Refused::Unknown))
}

fn parsed(stored: &StoredMeeting) -> store::Result<Meeting> {
    Meeting::from_json(&stored.document)
        .map_err(|e| store::StoreError::Corrupt(format!("meeting {}: {e}", stored.id)))
}

/// A meeting's record, drafts included; none for an unknown id.
pub async fn get(store: &Store, id: &str) -> store::Result<Option<MeetingRecord>> {
    if !can_be_id(id) {
        return Ok(None);
    }
    struct Get(String);
    impl Work for Get {
        type Output = Option<MeetingRecord>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Self::Output> {
            match tx.stored_meeting(&self.0, false).await? {
                Some(stored) => Ok(record(tx, stored, 0).await?.ok()),
                None => Ok(None),
            }
        }
    }
    store.run(Get(id.to_owned())).await
}

/// What a step runs: a closure over the transaction would not be `'static`, so each step is a
/// value.
enum Step {
    Create(Meeting),
    Copy {
        from: String,
        date: Date,
        id: Option<String>,
    },
    Save {
        id: String,
        meeting: Meeting,
    },
    Publish(String),
    Cancel {
        id: String,
        reason: String,
    },
}

struct Run(Step, Act);

impl Work for Run {
    type Output = Outcome;

    fn keeps(out: &Outcome) -> bool {
        out.is_ok()
    }

    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Outcome> {
        let act = &self.1;
        // No meeting has an id no meeting can have.
        let looked_up = match &self.0 {
            Step::Create(_) => None,
            Step::Copy { from, .. } => Some(from),
            Step::Save { id, .. } | Step::Publish(id) | Step::Cancel { id, .. } => Some(id),
        };
        if looked_up.is_some_and(|id| !can_be_id(id)) {
            return Ok(Err(Refused::Unknown));
        }
        match &self.0 {
            Step::Create(meeting) => {
                if let Err(e) = meeting.check_edit() {
                    return Ok(Err(Refused::Invalid(e)));
                }
                let created = (MeetingAction::Created, "");
                keep(tx, meeting, MeetingStatus::Draft, None, act, created, 0).await
            }
            Step::Copy { from, date, id } => {
                let Some(source) = tx.stored_meeting(from, false).await? else {
                    return Ok(Err(Refused::Unknown));
                };
                let source = parsed(&source)?;
                let id = id.clone().unwrap_or_else(|| source.id_on(*date));
                let copy = source.copied_to(*date, id);
                if let Err(e) = copy.check_edit() {
                    return Ok(Err(Refused::Invalid(e)));
                }
                let copied = (MeetingAction::Copied, from.as_str());
                keep(tx, &copy, MeetingStatus::Draft, None, act, copied, 0).await
            }
            Step::Save { id, meeting } => {
                let stored = match locked(tx, id).await? {
                    Ok(s) => s,
                    Err(r) => return Ok(Err(r)),
                };
                if meeting.id != *id {
                    let fixed = tilmelding_domain::meeting::Problem::IdFixed(id.clone());
                    return Ok(Err(Refused::Invalid(MeetingError::at("id", fixed))));
                }
                if let Err(e) = meeting.check_edit() {
                    return Ok(Err(Refused::Invalid(e)));
                }
                if stored.status == MeetingStatus::Cancelled {
                    return Ok(Err(Refused::Cancelled));
                }
                let before = parsed(&stored)?;
                let moved = meeting.moved_from(&before, Lang::Da);
                let mut told = 0;
                if let (Some(from), MeetingStatus::Published) = (&act.from, stored.status)
                    && moved.is_some()
                {
                    let ctx = MailContext::to_registered(meeting, from.clone());
                    tx.revise_registered(id, act.now).await?;
                    let mails = to_everyone_registered(tx, &ctx, act.now, |letters, p| {
                        let (was, is) = meeting
                            .moved_from(&before, letters.lang)
                            .unwrap_or_default();
                        letters.moved(p, &was, &is)
                    })
                    .await?;
                    tx.enqueue(id, &mails, act.now, ctx.cause).await?;
                    told = mails.len();
                }
                // Moved to a time whose reminder is still to come: it goes again, then, with
                // the new time (a reminder already due is not sent twice).
                if moved.is_some() && meeting.reminder_at().is_some_and(|at| at > act.now) {
                    tx.remind_again(id).await?;
                }
                let detail = moved.map_or_else(String::new, |(was, is)| {
                    format!("{was} → {is}; {told} tilmeldte fik besked")
                });
                let edited = (MeetingAction::Edited, detail.as_str());
                let reason = stored.cancel_reason.as_deref();
                keep(tx, meeting, stored.status, reason, act, edited, told).await
            }
            Step::Publish(id) => {
                let stored = match locked(tx, id).await? {
                    Ok(s) => s,
                    Err(r) => return Ok(Err(r)),
                };
                match stored.status {
                    MeetingStatus::Published => record(tx, stored, 0).await,
                    MeetingStatus::Cancelled => Ok(Err(Refused::Cancelled)),
                    MeetingStatus::Draft => {
                        let meeting = parsed(&stored)?;
                        let published = (MeetingAction::Published, "");
                        let status = MeetingStatus::Published;
                        keep(tx, &meeting, status, None, act, published, 0).await
                    }
                }
            }
            Step::Cancel { id, reason } => {
                let stored = match locked(tx, id).await? {
                    Ok(s) => s,
                    Err(r) => return Ok(Err(r)),
                };
                match stored.status {
                    MeetingStatus::Cancelled => return record(tx, stored, 0).await,
                    MeetingStatus::Draft => return Ok(Err(Refused::NotPublished)),
                    MeetingStatus::Published => {}
                }
                let meeting = parsed(&stored)?;
                let mut told = 0;
                if let Some(from) = &act.from {
                    let ctx = MailContext::to_registered(&meeting, from.clone());
                    tx.revise_registered(id, act.now).await?;
                    let mails = to_everyone_registered(tx, &ctx, act.now, |letters, p| {
                        letters.meeting_cancelled(p, reason)
                    })
                    .await?;
                    tx.enqueue(id, &mails, act.now, ctx.cause).await?;
                    told = mails.len();
                }
                let cancelled = (MeetingAction::Cancelled, reason.as_str());
                let status = MeetingStatus::Cancelled;
                keep(tx, &meeting, status, Some(reason), act, cancelled, told).await
            }
        }
    }
}

/// A new meeting from a document, as a draft.
pub async fn create(store: &Store, meeting: Meeting, act: Act) -> store::Result<Outcome> {
    store.run(Run(Step::Create(meeting), act)).await
}

/// A new meeting as a copy of `from` on `date` (see [`Meeting::copied_to`]), as a draft; its id
/// `id`, or the network and the date.
pub async fn copy(
    store: &Store,
    from: &str,
    date: Date,
    id: Option<String>,
    act: Act,
) -> store::Result<Outcome> {
    let from = from.to_owned();
    store.run(Run(Step::Copy { from, date, id }, act)).await
}

/// A meeting's new document. A published meeting's move (date, start or end) is mailed to
/// everyone registered, with their invitation at the new time; a change of text tells no one.
pub async fn save(store: &Store, id: &str, meeting: Meeting, act: Act) -> store::Result<Outcome> {
    let id = id.to_owned();
    store.run(Run(Step::Save { id, meeting }, act)).await
}

/// Makes a draft public; a published meeting stays as it is.
pub async fn publish(store: &Store, id: &str, act: Act) -> store::Result<Outcome> {
    store.run(Run(Step::Publish(id.to_owned()), act)).await
}

/// Cancels a published meeting, mailing everyone registered the cancellation with `reason`; a
/// cancelled meeting stays as it is.
pub async fn cancel(store: &Store, id: &str, reason: String, act: Act) -> store::Result<Outcome> {
    let id = id.to_owned();
    store.run(Run(Step::Cancel { id, reason }, act)).await
}

/// The most characters a cancellation's reason may have, as sent.
pub const CANCEL_REASON_MAX: usize = 1000;

/// A cancellation's reason as kept (see [`tilmelding_domain::catalogue::plain_text`]); none
/// when it is empty, or longer than
/// [`CANCEL_REASON_MAX`] as sent.
pub fn cancel_reason(reason: &str) -> Option<String> {
    let kept = tilmelding_domain::catalogue::plain_text(reason);
    (!kept.is_empty() && reason.chars().count() <= CANCEL_REASON_MAX).then_some(kept)
}

/// Imports meeting files' meetings, each published unless the store has its document already;
/// the ids imported.
pub async fn import(store: &Store, meetings: Vec<Meeting>, now: i64) -> store::Result<Vec<String>> {
    struct Import(Vec<Meeting>, i64);
    impl Work for Import {
        type Output = Vec<String>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Vec<String>> {
            let mut imported = Vec::new();
            for meeting in &self.0 {
                let document = document(meeting)?;
                let saved = SavedMeeting {
                    id: &meeting.id,
                    document: &document,
                    status: MeetingStatus::Published,
                    cancel_reason: None,
                    over_at: meeting.over(),
                    now: self.1,
                };
                if tx.import_meeting(&saved).await? {
                    tx.add_meeting_event(&NewMeetingEvent {
                        meeting_id: &meeting.id,
                        at: self.1,
                        by: "mødefil",
                        action: MeetingAction::Imported,
                        detail: "",
                    })
                    .await?;
                    imported.push(meeting.id.clone());
                }
            }
            if !imported.is_empty() {
                tx.raise_meetings_version().await?;
            }
            Ok(imported)
        }
    }
    store.run(Import(meetings, now)).await
}

/// Writes every published meeting as a meeting file (`<id>.json`) in `dir`, for
/// an organisation that hosts the JSON elsewhere; the files written.
pub async fn export(store: &Store, dir: &Path) -> Result<Vec<PathBuf>, String> {
    struct All;
    impl Work for All {
        type Output = Vec<StoredMeeting>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Vec<StoredMeeting>> {
            tx.stored_meetings().await
        }
    }
    let stored = store.run(All).await.map_err(|e| e.full())?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for m in stored
        .into_iter()
        .filter(|m| m.status == MeetingStatus::Published)
    {
        let path = dir.join(format!("{}.json", m.id));
        std::fs::write(&path, format!("{}\n", m.document))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
