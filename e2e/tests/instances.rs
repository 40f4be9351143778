//! Two server instances on one PostgreSQL database, under load and a crash.
//!
//! 10,000 registrations are spread over two instances of the real server binary; every fifth
//! is also replayed, at once, against the *other* instance (a client retrying through a load
//! balancer). A third of the way in, one instance is killed with SIGKILL; what got no answer is
//! retried against the survivor with the same keys. Afterwards every acknowledged registration
//! is stored exactly once, under the reference its client was given, no e-mail is registered
//! twice for the meeting, and every submission's reference number is its own within the meeting
//! (unique, not gap-free: numbers come from a sequence, so a rolled-back submission leaves one
//! unused).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tilmelding_e2e::load::{Outcome, post_to, registration};
use tilmelding_e2e::{Server, ServerOptions};
use tilmelding_pgtest::{Cluster, Durability};

const N: usize = 10_000;
const CONCURRENCY: usize = 64;
const MEETING: &str = "knub-2021-05-17";

async fn instance(database: &str) -> Server {
    Server::with(ServerOptions {
        env: vec![
            // One client address sends everything; the per-instance limit is not under test.
            ("TILMELDING_RATE_LIMIT", "0".into()),
            ("TILMELDING_DATABASE_URL", database.into()),
        ],
        ..Default::default()
    })
    .await
}

fn url(server: &Server) -> String {
    format!("{}/api/meetings/{MEETING}/registrations", server.url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_store_each_registration_once_through_replays_and_a_kill() {
    let cluster = Cluster::start(Durability::Fast).unwrap();
    let database = cluster.database();
    // Both start together: the migrations run once, behind an advisory lock.
    let (a, b) = tokio::join!(instance(&database), instance(&database));
    let urls = vec![url(&a), url(&b)];
    let bodies = Arc::new(
        (0..N)
            .map(|i| registration("multi", i, 1))
            .collect::<Vec<_>>(),
    );
    let mut jobs = Vec::new();
    for i in 0..N {
        jobs.push((i, i % 2));
        if i % 5 == 0 {
            jobs.push((i, 1 - i % 2));
        }
    }
    let acked_so_far = Arc::new(AtomicUsize::new(0));
    let load = tokio::spawn(post_to(
        urls.clone(),
        bodies.clone(),
        jobs.clone(),
        CONCURRENCY,
        acked_so_far.clone(),
    ));
    while acked_so_far.load(Ordering::Relaxed) < jobs.len() / 3 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    a.kill_hard().await;
    let outcomes = load.await.unwrap();

    // Every reference a client was given, per registration.
    let mut given: HashMap<usize, Vec<String>> = HashMap::new();
    for ((i, _), (outcome, _)) in jobs.iter().zip(&outcomes) {
        match outcome {
            Outcome::Acked(reference) => given.entry(*i).or_default().push(reference.clone()),
            Outcome::Refused(status) => panic!("registration {i} refused with {status}"),
            Outcome::Failed => {}
        }
    }
    let unanswered: Vec<usize> = (0..N).filter(|i| !given.contains_key(i)).collect();
    let failed = outcomes
        .iter()
        .filter(|(o, _)| *o == Outcome::Failed)
        .count();
    println!(
        "instances: {} of {} requests acknowledged, {failed} failed (instance A killed), {} registrations without any answer",
        outcomes.len() - failed,
        outcomes.len(),
        unanswered.len()
    );
    assert!(failed > 0, "the kill happened midway");

    // The clients retry what got no answer against the survivor, with the same keys.
    let retry = unanswered.iter().map(|&i| (i, 1)).collect::<Vec<_>>();
    let outcomes = post_to(
        urls,
        bodies.clone(),
        retry.clone(),
        CONCURRENCY,
        Arc::default(),
    )
    .await;
    for ((i, _), (outcome, _)) in retry.iter().zip(&outcomes) {
        let Outcome::Acked(reference) = outcome else {
            panic!("retry of {i}: {outcome:?}");
        };
        given.entry(*i).or_default().push(reference.clone());
    }
    assert_eq!(given.len(), N);

    let sql = |q: &str| cluster.psql(&database, q);
    // Stored exactly once, under the reference every answer for it named.
    let stored: HashMap<String, String> = sql(&format!(
        "SELECT idempotency_key || ' ' || reference FROM submissions WHERE meeting_id = '{MEETING}'"
    ))
    .lines()
    .map(|l| {
        let (key, reference) = l.split_once(' ').unwrap();
        (key.to_owned(), reference.to_owned())
    })
    .collect();
    assert_eq!(stored.len(), N, "one submission per registration");
    for (i, references) in &given {
        let key = bodies[*i]["idempotency_key"].as_str().unwrap();
        assert!(
            references.iter().all(|r| Some(r) == stored.get(key)),
            "registration {i}: answers {references:?}, stored {:?}",
            stored.get(key)
        );
    }
    assert_eq!(sql("SELECT COUNT(*) FROM registrations"), N.to_string());
    assert_eq!(
        sql(
            "SELECT COUNT(*) FROM (SELECT email_key FROM registrations GROUP BY meeting_id, email_key HAVING COUNT(*) > 1) d"
        ),
        "0",
        "no e-mail twice per meeting"
    );
    for (i, body) in bodies.iter().enumerate().step_by(97) {
        let email = body["attendees"][0]["email"].as_str().unwrap();
        assert_eq!(
            sql(&format!(
                "SELECT COUNT(*) FROM registrations WHERE email = '{email}'"
            )),
            "1",
            "registration {i}"
        );
    }
    // A reference of its own for each submission: as many distinct numbers and references as
    // submissions, each reference made of its number.
    assert_eq!(
        sql(&format!(
            "SELECT COUNT(DISTINCT number) || ' ' || COUNT(DISTINCT reference) || ' ' || COUNT(*) FILTER (WHERE reference = 'KNUB-' || lpad(number::text, 5, '0')) FROM submissions WHERE meeting_id = '{MEETING}'"
        )),
        format!("{N} {N} {N}")
    );
    let migrations = std::fs::read_dir(tilmelding_e2e::root().join("server/migrations/postgres"))
        .unwrap()
        .count();
    assert_eq!(
        sql("SELECT COUNT(*) FROM refinery_schema_history"),
        migrations.to_string(),
        "each migration ran once"
    );
    b.stop().await;
}
