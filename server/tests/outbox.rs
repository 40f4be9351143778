//! The outbox's claims: a mail whose claim ran out may be claimed by another worker, and then
//! only that worker records what became of it. Run on SQLite, and on PostgreSQL with
//! `TILMELDING_TEST_STORE=postgres`.

mod common;
use common::Db;
use tilmelding_server::service::outbox::{self, Attempt};
use tilmelding_server::store::{Cause, Location, Mail, Result, Store, Tx, Work};

/// The mails one event causes, to `to-0@…`, `to-1@…`, … in that order.
struct Enqueue(&'static str, usize);

impl Work for Enqueue {
    type Output = ();
    async fn run<T: Tx>(&self, tx: &mut T) -> Result<()> {
        let mails: Vec<Mail> = (0..self.1)
            .map(|i| Mail {
                to: format!("{}-{i}@kommune.dk", self.0),
                subject: "S".into(),
                text: "T".into(),
                html: "<p>T</p>".into(),
                calendar: None,
            })
            .collect();
        tx.enqueue("knub-2021-05-17", &mails, 1_000, Cause::Organisation)
            .await
    }
}

/// A fresh store in `dir`, and the database under it.
async fn store(dir: &std::path::Path) -> (Db, Store) {
    let db = Db::fresh(dir);
    let location = match &db {
        Db::Sqlite(path) => Location::Sqlite(path.clone()),
        Db::Postgres(url) => Location::Postgres {
            url: url.clone(),
            ca: None,
        },
    };
    let store = Store::open(&location).await.unwrap();
    (db, store)
}

/// One client's flood of mails does not hold back another's: the outbox sends every event's
/// first mails before any event's later ones. The bound: a mail at place `p` of its event
/// waits for at most `p + 1` mails of each other event with mail waiting.
#[tokio::test]
async fn a_flood_of_mails_does_not_hold_back_another_submission_s_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let (_db, store) = store(dir.path()).await;
    // Ten submissions of a thousand attendees each, then an ordinary one: its receipt and
    // two attendees.
    for _ in 0..10 {
        store.run(Enqueue("flood", 1_001)).await.unwrap();
    }
    store.run(Enqueue("late", 3)).await.unwrap();
    // The worker's batches of 20, each sent before the next is claimed: in which batch each
    // mail went.
    let mut sent = std::collections::HashMap::new();
    for round in 0..10 {
        let batch = outbox::claim(&store, 1_000 + round, 300, 20).await.unwrap();
        for q in batch {
            sent.insert(q.mail.to.clone(), round);
            let (id, claim, now) = (q.id, q.claim, 1_000 + round);
            outbox::record(&store, Attempt::Sent { id, claim, now })
                .await
                .unwrap();
        }
    }
    let batch = |to: &str| sent.get(to).copied();
    // The receipt goes with the floods' first mails (11 in all); each attendee's with the
    // floods' mails at its place: within the bound, ahead of 10,000 mails that came first.
    assert_eq!(batch("late-0@kommune.dk"), Some(0));
    assert_eq!(batch("late-1@kommune.dk"), Some(1), "within 2 × 11 mails");
    assert_eq!(batch("late-2@kommune.dk"), Some(1), "within 3 × 11 mails");
    assert_eq!(batch("flood-999@kommune.dk"), None);
}

#[tokio::test]
async fn only_the_holder_of_a_claim_records_the_mail() {
    let dir = tempfile::tempdir().unwrap();
    let (db, store) = store(dir.path()).await;
    store.run(Enqueue("a", 1)).await.unwrap();
    // The first worker claims it for 10 s, and takes longer than that.
    let first = outbox::claim(&store, 1_000, 10, 20).await.unwrap();
    assert_eq!(first.len(), 1);
    assert!(
        outbox::claim(&store, 1_005, 10, 20)
            .await
            .unwrap()
            .is_empty(),
        "claimed"
    );
    // After the claim ran out, a second worker takes it.
    let second = outbox::claim(&store, 1_011, 10, 20).await.unwrap();
    assert_eq!(second.len(), 1);
    // The first worker's late answer changes nothing.
    let (q1, q2) = (&first[0], &second[0]);
    outbox::record(
        &store,
        Attempt::Failed {
            id: q1.id,
            claim: q1.claim,
            attempts: 1,
            next: 1_013,
            error: "late".into(),
            give_up: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        db.count("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL"),
        0
    );
    outbox::record(
        &store,
        Attempt::Sent {
            id: q2.id,
            claim: q2.claim,
            now: 1_012,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        db.count("SELECT COUNT(*) FROM outbox WHERE sent_at = 1012"),
        1
    );
    assert!(
        outbox::claim(&store, 2_000, 10, 20)
            .await
            .unwrap()
            .is_empty(),
        "sent, once"
    );
}
