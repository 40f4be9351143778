//! The outbox's claims: a mail whose claim ran out may be claimed by another worker, and then
//! only that worker records what became of it. Run on SQLite, and on PostgreSQL with
//! `TILMELDING_TEST_STORE=postgres`.

mod common;
use common::Db;
use tilmelding_server::service::outbox::{self, Attempt};
use tilmelding_server::store::{Location, Mail, Result, Store, Tx, Work};

struct Enqueue;

impl Work for Enqueue {
    type Output = ();
    async fn run<T: Tx>(&self, tx: &mut T) -> Result<()> {
        let mail = Mail {
            to: "a@kommune.dk".into(),
            subject: "S".into(),
            text: "T".into(),
            html: "<p>T</p>".into(),
            calendar: None,
        };
        tx.enqueue("knub-2021-05-17", &[mail], 1_000).await
    }
}

#[tokio::test]
async fn only_the_holder_of_a_claim_records_the_mail() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::fresh(dir.path());
    let location = match &db {
        Db::Sqlite(path) => Location::Sqlite(path.clone()),
        Db::Postgres(url) => Location::Postgres {
            url: url.clone(),
            ca: None,
        },
    };
    let store = Store::open(&location).await.unwrap();
    store.run(Enqueue).await.unwrap();
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
