//! Load and crash: 10,000 registrations from all 98 municipalities, posted concurrently to the
//! real server binary on a real SQLite file; then the same with the server killed (SIGKILL)
//! midway. Every registration that got a 2xx must be in the database, and retrying the rest
//! with their idempotency keys must leave no duplicates.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tilmelding_e2e::load::{Outcome, post_all, registration};
use tilmelding_e2e::{Browser, Server, ServerOptions};

const N: usize = 10_000;
const CONCURRENCY: usize = 64;

fn options(db: &std::path::Path, port: u16) -> ServerOptions {
    ServerOptions {
        // One client address sends everything here; the per-client limit is not under test.
        env: vec![("TILMELDING_RATE_LIMIT", "0".into())],
        db: Some(db.to_path_buf()),
        port,
        ..Default::default()
    }
}

fn url(server: &Server) -> String {
    format!("{}/api/meetings/knub-2021-05-17/registrations", server.url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_concurrent_registrations_are_all_stored_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("soak.sqlite3");
    let server = Server::with(options(&db, 0)).await;
    let bodies = Arc::new(
        (0..N)
            .map(|i| registration("soak", i, 1))
            .collect::<Vec<_>>(),
    );
    let start = std::time::Instant::now();
    let outcomes = post_all(url(&server), bodies, CONCURRENCY, Arc::default()).await;
    let secs = start.elapsed().as_secs_f64();
    let acked = outcomes
        .iter()
        .filter(|(o, _)| matches!(o, Outcome::Acked(_)))
        .count();
    println!(
        "soak: {acked}/{N} acknowledged in {secs:.1} s ({:.0}/s) at concurrency {CONCURRENCY}",
        N as f64 / secs
    );
    assert_eq!(acked, N);
    assert_eq!(
        Browser::count(&db, "SELECT COUNT(*) FROM registrations"),
        N as i64
    );
    assert_eq!(
        Browser::count(
            &db,
            "SELECT COUNT(DISTINCT municipality_code) FROM registrations"
        ),
        98
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_midway_loses_nothing_acknowledged_and_retries_add_no_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.sqlite3");
    let server = Server::with(options(&db, 0)).await;
    let port = server.port();
    let target = url(&server);
    let bodies = Arc::new(
        (0..N)
            .map(|i| registration("crash", i, 1))
            .collect::<Vec<_>>(),
    );
    let acked_so_far = Arc::new(AtomicUsize::new(0));
    let load = tokio::spawn(post_all(
        target.clone(),
        bodies.clone(),
        CONCURRENCY,
        acked_so_far.clone(),
    ));
    while acked_so_far.load(Ordering::Relaxed) < N / 3 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    server.kill_hard().await;
    let outcomes = load.await.unwrap();
    let acked: Vec<usize> = (0..N)
        .filter(|i| matches!(outcomes[*i].0, Outcome::Acked(_)))
        .collect();
    let unanswered = N - acked.len();
    println!(
        "crash: killed after {} acks; {} acknowledged, {unanswered} without an answer",
        N / 3,
        acked.len()
    );
    assert!(unanswered > 0, "the kill happened midway");

    // Restart on the same file: every acknowledged registration is there.
    let server = Server::with(options(&db, port)).await;
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut stmt = conn
        .prepare("SELECT 1 FROM registrations WHERE email = ?1")
        .unwrap();
    for i in &acked {
        let email = bodies[*i]["attendees"][0]["email"].as_str().unwrap();
        assert!(stmt.exists([email]).unwrap(), "acknowledged {email} lost");
    }
    let stored_before_retry = Browser::count(&db, "SELECT COUNT(*) FROM registrations");
    println!(
        "crash: {stored_before_retry} stored after restart (acknowledged {})",
        acked.len()
    );

    // The clients retry everything that got no 2xx, with the same keys.
    let retry: Vec<_> = (0..N)
        .filter(|i| !acked.contains(i))
        .map(|i| bodies[i].clone())
        .collect();
    let outcomes = post_all(url(&server), Arc::new(retry), CONCURRENCY, Arc::default()).await;
    assert!(
        outcomes.iter().all(|(o, _)| matches!(o, Outcome::Acked(_))),
        "every retry succeeds"
    );
    assert_eq!(
        Browser::count(&db, "SELECT COUNT(*) FROM registrations"),
        N as i64
    );
    assert_eq!(
        Browser::count(&db, "SELECT COUNT(DISTINCT email) FROM registrations"),
        N as i64
    );
    assert_eq!(
        Browser::count(&db, "SELECT COUNT(*) FROM submissions"),
        N as i64,
        "no submission stored twice"
    );
    server.stop().await;
}
