//! The outbox as the mail worker uses it: claim what is due, record what happened.

use crate::store::outbox::Failed;
use crate::store::{self, Queued, Store, Tx, Work};

/// Claims up to `limit` mails that are due, for `lease` seconds: another worker (another
/// instance) does not take them meanwhile.
pub async fn claim(store: &Store, now: i64, lease: i64, limit: i64) -> store::Result<Vec<Queued>> {
    struct Claim(i64, i64, i64);
    impl Work for Claim {
        type Output = Vec<Queued>;
        async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<Vec<Queued>> {
            tx.claim_mail(self.0, self.1, self.2).await
        }
    }
    store.run(Claim(now, lease, limit)).await
}

/// What became of one attempt at sending a mail.
pub enum Attempt {
    /// Handed to the mail server: recorded, and its body forgotten (it may hold a link).
    Sent { id: i64, claim: i64, now: i64 },
    /// Failed: tried again later, or given up.
    Failed {
        id: i64,
        claim: i64,
        attempts: i64,
        next: i64,
        error: String,
        give_up: bool,
    },
}

/// Records an attempt.
pub async fn record(store: &Store, attempt: Attempt) -> store::Result<()> {
    store.run(attempt).await
}

impl Work for Attempt {
    type Output = ();
    async fn run<T: Tx>(&self, tx: &mut T) -> store::Result<()> {
        match self {
            Attempt::Sent { id, claim, now } => tx.mail_sent(*id, *claim, *now).await,
            Attempt::Failed {
                id,
                claim,
                attempts,
                next,
                error,
                give_up,
            } => {
                tx.mail_failed(&Failed {
                    id: *id,
                    claim: *claim,
                    attempts: *attempts,
                    next: *next,
                    error,
                    give_up: *give_up,
                })
                .await
            }
        }
    }
}
