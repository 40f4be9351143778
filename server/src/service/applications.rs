//! Membership applications: the organiser approves or declines a municipality that applied
//! while registering.

use crate::store::{self, Application, Standing, Store, Tx, Work};

/// The organiser's answer to a membership application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The municipality becomes a member; its waiting registrations become registered.
    Approve,
    /// Its waiting registrations are declined, with a reason for the municipality.
    Decline { reason: String },
}

/// What deciding an application did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// Decided now; this many waiting registrations changed.
    Now(usize),
    /// It was already decided the same way: nothing changed (deciding is idempotent).
    Already,
    /// It was already decided the other way: nothing changed.
    Otherwise,
}

/// Applications not yet decided, oldest first.
pub async fn pending(store: &Store) -> store::Result<Vec<Application>> {
    struct Pending;
    impl Work for Pending {
        type Output = Vec<Application>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Vec<Application>> {
            tx.pending_applications().await
        }
    }
    store.run(Pending).await
}

/// Approves or declines an application, in one transaction with what follows from it (see
/// [`Decision`]), and keeps who did it and when. `None`: no application with that id.
pub async fn decide(
    store: &Store,
    id: i64,
    decision: Decision,
    by: &str,
    now: i64,
) -> store::Result<Option<Decided>> {
    store
        .run(Deciding {
            id,
            decision,
            by: by.to_owned(),
            now,
        })
        .await
}

struct Deciding {
    id: i64,
    decision: Decision,
    by: String,
    now: i64,
}

impl Work for Deciding {
    type Output = Option<Decided>;

    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Option<Decided>> {
        let (id, by, now) = (self.id, self.by.as_str(), self.now);
        let Some(app) = tx.application(id).await? else {
            return Ok(None);
        };
        if app.approved || app.declined {
            let same = app.approved == (self.decision == Decision::Approve);
            return Ok(Some(if same {
                Decided::Already
            } else {
                Decided::Otherwise
            }));
        }
        let (network, code) = (app.network.as_str(), app.municipality_code);
        let to = match &self.decision {
            Decision::Approve => {
                tx.approve_application(id, by, now).await?;
                tx.add_members(network, &[code], now).await?;
                Standing::Registered
            }
            Decision::Decline { reason } => {
                tx.decline_application(id, reason, by, now).await?;
                Standing::MembershipDeclined
            }
        };
        let changed = tx.settle_waiting(network, code, to, now).await?;
        Ok(Some(Decided::Now(changed)))
    }
}
