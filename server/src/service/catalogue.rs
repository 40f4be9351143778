//! The meetings this instance serves, as kept in the store, and kept fresh: every change to a
//! meeting raises one number in the store (in the change's own transaction), and each instance
//! reads that number every second, reloading its meetings when it has moved. So a meeting made,
//! changed, published or cancelled on one instance is served by every other within a second or
//! two, its pre-rendered programme included (rendered per request from the meeting served).
//!
//! A version read rather than PostgreSQL's LISTEN/NOTIFY: it works the same on SQLite (several
//! processes on one file) as on PostgreSQL, it costs one indexed one-row read a second, and it
//! cannot miss a change: a notification sent while an instance's listening connection is down
//! is lost, a number is not.

use crate::store::{self, MeetingStatus, Store, StoredMeeting, Tx, Work};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tilmelding_domain::Meeting;

/// A meeting as served: the document and where it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub meeting: Meeting,
    pub status: MeetingStatus,
    pub cancel_reason: Option<String>,
}

impl Entry {
    /// The entry of a kept meeting; none for a document this release cannot read (logged):
    /// one bad row must not take every other meeting down.
    fn of(stored: StoredMeeting) -> Option<Entry> {
        match Meeting::from_json(&stored.document) {
            Ok(meeting) => Some(Entry {
                // What the widget says in place of the form.
                meeting: Meeting {
                    cancelled: match stored.status {
                        MeetingStatus::Cancelled => stored.cancel_reason.clone(),
                        _ => None,
                    },
                    ..meeting
                },
                status: stored.status,
                cancel_reason: stored.cancel_reason,
            }),
            Err(e) => {
                tracing::error!(meeting = stored.id, "a kept meeting cannot be read: {e}");
                None
            }
        }
    }
}

/// The meetings, by id, with the store's version they were read at.
struct Snapshot {
    version: i64,
    meetings: Arc<HashMap<String, Arc<Entry>>>,
}

/// The meetings this instance serves; cheap to clone (every clone sees the same).
#[derive(Clone)]
pub struct Catalogue(Arc<RwLock<Snapshot>>);

/// How often an instance asks whether the meetings changed.
pub const FRESH_EVERY: Duration = Duration::from_secs(1);

/// The version and every kept meeting, read in one transaction, so the two agree.
struct Read;

impl Work for Read {
    type Output = (i64, Vec<StoredMeeting>);
    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Self::Output> {
        Ok((tx.meetings_version().await?, tx.stored_meetings().await?))
    }
}

struct Version;

impl Work for Version {
    type Output = i64;
    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<i64> {
        tx.meetings_version().await
    }
}

impl Catalogue {
    /// Reads the kept meetings.
    pub async fn load(store: &Store) -> store::Result<Catalogue> {
        let catalogue = Catalogue(Arc::new(RwLock::new(Snapshot {
            version: -1,
            meetings: Arc::default(),
        })));
        catalogue.reload(store).await?;
        Ok(catalogue)
    }

    async fn reload(&self, store: &Store) -> store::Result<()> {
        let (version, stored) = store.run(Read).await?;
        let meetings = stored
            .into_iter()
            .filter_map(Entry::of)
            .map(|e| (e.meeting.id.clone(), Arc::new(e)))
            .collect();
        let mut snapshot = self.0.write().unwrap_or_else(|e| e.into_inner());
        // A slower read must not put back what a faster one replaced.
        if version >= snapshot.version {
            *snapshot = Snapshot {
                version,
                meetings: Arc::new(meetings),
            };
        }
        Ok(())
    }

    /// Reloads the meetings if the store's version moved since they were read; whether it had.
    pub async fn refresh(&self, store: &Store) -> store::Result<bool> {
        let version = store.run(Version).await?;
        let moved = version != self.read().version;
        if moved {
            self.reload(store).await?;
        }
        Ok(moved)
    }

    /// Refreshes every [`FRESH_EVERY`], for as long as the server runs; a failed read is logged
    /// and tried again at the next.
    pub async fn keep_fresh(self, store: Store) {
        loop {
            tokio::time::sleep(FRESH_EVERY).await;
            if let Err(e) = self.refresh(&store).await {
                tracing::error!(error = %e.full(), "reading the meetings' version");
            }
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Snapshot> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Every meeting, drafts included.
    pub fn all(&self) -> Arc<HashMap<String, Arc<Entry>>> {
        self.read().meetings.clone()
    }

    /// A meeting, drafts included (for the organiser).
    pub fn get(&self, id: &str) -> Option<Arc<Entry>> {
        self.read().meetings.get(id).cloned()
    }

    /// A meeting visitors may see: published or cancelled, not a draft.
    pub fn public(&self, id: &str) -> Option<Arc<Entry>> {
        self.get(id).filter(|e| e.status.is_public())
    }

    /// The published meetings (neither drafts nor cancelled): those that take registrations,
    /// get reminders and decisions' mails.
    pub fn published(&self) -> Vec<Meeting> {
        self.read()
            .meetings
            .values()
            .filter(|e| e.status == MeetingStatus::Published)
            .map(|e| e.meeting.clone())
            .collect()
    }
}
